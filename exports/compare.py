"""A compare page (PNG, PDF, SVG): year A's and year B's maps side by side over the same extent,
each captioned with its year, one legend for what either shows, and the change list between
them (``core.compare``: every line with its dates and sources), then the sources of what the two
maps show. Text stays text (as ``exports.render``: the CJK font is embedded in the PDF, SVG
keeps ``<text>``).

The change list is set in two columns under the maps. When it is long the type gets smaller, down
to a floor that still prints legibly; past that the last lines give way to one line saying how
many more changes there are, so nothing is cut off silently.
"""

from __future__ import annotations

import io
import math
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

import geopandas as gpd

from core.compare import Line, compare, lines
from core.tables import Tables
from core.text import tx
from exports import furniture, labels, mapdraw
from exports.extent import REFERENCE_VIEW_PX
from exports.fonts import cjk_family
from exports.legend import legend_entries
from exports.legendraw import draw_legend, legend_height
from exports.pdffont import use_truetype
from exports.render import INK, MUTED, RC, Page, _axes_pt, _extent
from exports.spec import ExportSpec
from exports.text import source_blocks, theme_name
from exports.typeset import text_width, wrap
from exports.visible import Visible, collect
from geodata.load import Atlas

if TYPE_CHECKING:
    from uploads.service import LayerService

# change-list type in points on A4 (× √2 on A3), largest first; the last is the floor, about the
# size of the page's source notes (6.3)
LIST_SIZES = (7.5, 7.0, 6.5, 6.0)
LEADING = 1.3
LIST_COLUMNS = 2
BULLET = "• "
YEAR_A_INK = "#1F3B57"  # year A: the screen's dark blue (assets/compare.css)
YEAR_B_INK = "#8A3C12"  # year B: a darker shade of the screen's rust (#b3541e), for small print


def render_compare(
    atlas: Atlas,
    tables: Tables,
    spec: ExportSpec,
    user_layers: LayerService | None = None,
    generated: date | None = None,
) -> bytes:
    """The compare page for ``spec`` (``spec.compare`` = (A, B)) as PNG, PDF or SVG bytes."""
    assert spec.compare is not None
    a, b = spec.compare
    visible_b = collect(atlas, spec, user_layers)
    visible_a = collect(atlas, replace(spec, year=a, compare=None), user_layers)
    found = lines(tables, compare(tables, spec.theme, a, b), spec.lang)
    with mpl.rc_context(RC):
        fig = build_compare_figure(visible_a, visible_b, found, generated)
        out = io.BytesIO()
        title = page_title(spec)
        if spec.fmt == "png":
            fig.savefig(out, format="png", dpi=spec.dpi, metadata={"Title": title})
        elif spec.fmt == "pdf":
            with tempfile.TemporaryDirectory(prefix="atlas-pdf-") as tmp:
                use_truetype(fig, Path(tmp))
                fig.savefig(
                    out,
                    format="pdf",
                    metadata={"Title": title, "Creator": "Fengtai Bridgehead Atlas"},
                )
        elif spec.fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Title": title, "Date": None})
        else:
            raise ValueError(f"not a page format: {spec.fmt}")
    return out.getvalue()


def page_title(spec: ExportSpec) -> str:
    assert spec.compare is not None
    a, b = spec.compare
    return spec.title or tx(
        "export.compare.title", spec.lang, theme=theme_name(spec.theme, spec.lang), a=a, b=b
    )


def line_text(line: Line, lang: str) -> str:
    """One change as printed: its dates, what changed, and its sources."""
    dates = " → ".join(line.dates)
    cited = tx("list_sep", lang).join(dict.fromkeys(c for _, c in line.sources))
    return tx("export.compare.line", lang, dates=dates, text=line.text, sources=cited)


def _both(a: Visible, b: Visible) -> Visible:
    """What either map shows, for one legend and one source list."""

    def union(x: gpd.GeoDataFrame, y: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frames = [f for f in (x, y) if len(f)]
        if not frames:
            return y
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=y.crs)

    sources = tuple(dict.fromkeys([*a.sources, *b.sources]))
    return replace(
        b,
        places=union(a.places, b.places),
        lines=union(a.lines, b.lines),
        flows=union(a.flows, b.flows),
        sources=sources,
    )


def _fill(items: list[list[str]], rows: int, columns: int, reserve: int = 0) -> list[list[int]]:
    """Which items (by index, in order) go into each of ``columns`` columns of ``rows`` lines,
    each item whole; the last column keeps ``reserve`` lines free. Stops at the first item that
    does not fit."""
    out: list[list[int]] = [[] for _ in range(columns)]
    c = used = 0
    for n, item in enumerate(items):
        while c < columns and used + len(item) > rows - (reserve if c == columns - 1 else 0):
            c, used = c + 1, 0
        if c == columns:
            break
        out[c].append(n)
        used += len(item)
    return out


@dataclass(frozen=True)
class ListSet:
    """The change list as set: its type size, each item's lines and which items each column
    holds; ``more`` items did not fit at the floor size and are counted on the last line."""

    size: float
    items: list[list[str]]
    columns: list[list[int]]
    more: int

    @property
    def line_height(self) -> float:
        return self.size * LEADING


def set_list(texts: list[str], family: str, col_w: float, room: float, k: float) -> ListSet:
    """The largest size of :data:`LIST_SIZES` at which every item fits two columns ``col_w``
    wide and ``room`` high (points), columns as even as may be; else the floor size with as
    many items as fit and one line left for "… N more"."""
    for size in LIST_SIZES:
        prop = FontProperties(family=family, size=size * k)
        indent = text_width(BULLET, prop)
        items = [wrap(text, col_w - indent, prop) for text in texts]
        rows = int(room // (size * k * LEADING))
        placed = _fill(items, rows, LIST_COLUMNS)
        if sum(map(len, placed)) == len(items):
            total = sum(map(len, items))
            for even in range(math.ceil(total / LIST_COLUMNS), rows + 1):  # shortest columns
                placed = _fill(items, even, LIST_COLUMNS)
                if sum(map(len, placed)) == len(items):
                    break
            return ListSet(size, items, placed, 0)
    placed = _fill(items, rows, LIST_COLUMNS, reserve=1)
    return ListSet(LIST_SIZES[-1], items, placed, len(items) - sum(map(len, placed)))


def _draw_list(
    fig: Figure,
    page: Page,
    x: float,
    top: float,
    col_w: float,
    col_gap: float,
    listed: ListSet,
    lang: str,
    family: str,
) -> None:
    k = page.font
    line_h = listed.line_height * k

    def text(at: float, y: float, s: str) -> None:
        fig.text(
            at / page.width,
            y / page.height,
            s,
            fontsize=listed.size * k,
            family=family,
            color=INK,
            va="top",
        )

    indent = text_width(BULLET, FontProperties(family=family, size=listed.size * k))
    y = top
    for c, column in enumerate(listed.columns):
        cx, y = x + c * (col_w + col_gap), top
        for n in column:
            text(cx, y, BULLET.strip())
            for line in listed.items[n]:
                text(cx + indent, y, line)
                y -= line_h
    if listed.more:
        text(cx, y, tx("export.compare.more", lang, n=listed.more))


def build_compare_figure(
    visible_a: Visible, visible_b: Visible, found: list[Line], generated: date | None = None
) -> Figure:
    spec = visible_b.spec
    assert spec.compare is not None
    year_a, year_b = spec.compare
    family = cjk_family()
    lang = spec.lang
    w_in, h_in = spec.paper_inches
    if spec.fmt == "png":
        w_in, h_in = round(w_in * spec.dpi) / spec.dpi, round(h_in * spec.dpi) / spec.dpi
    page = Page(w_in * 72, h_in * 72, min(spec.paper_mm) / 210.0)
    k, m = page.font, page.margin
    fig = Figure(figsize=(w_in, h_in), dpi=spec.dpi if spec.fmt == "png" else 72)
    fig.patch.set_facecolor("#FFFFFF")

    def text(x: float, y: float, s: str, size: float, **kw: object) -> None:
        fig.text(x / page.width, y / page.height, s, fontsize=size * k, family=family, **kw)

    text(m, page.height - m, page_title(spec), 17, fontweight="bold", color=INK, va="top")
    text(
        m,
        page.height - m - 25 * k,
        tx("export.compare.subtitle", lang, atlas=tx("title", lang), a=year_a, b=year_b),
        9.5,
        color=MUTED,
        va="top",
    )
    header = 44 * k
    both = _both(visible_a, visible_b)

    # the footer: sources of what either map shows
    small = FontProperties(family=family, size=6.3 * k)
    note_h = 6.3 * k * 1.35
    text_w = page.width - 2 * m
    blocks = source_blocks(both.sources, both.documents, both.metadata, lang, both.sections)
    if len(both.lines) or len(both.flows):
        blocks.append(("", tx("schematic.note", lang)))
    footer: list[str] = []
    for heading, body in blocks:
        footer += wrap(
            tx("heading", lang, heading=heading, body=body) if heading else body, text_w, small
        )
    footer_h = (len(footer) + 1.6) * note_h

    # maps and legend on top, the change list under them
    landscape = spec.orientation == "landscape"
    gap = 8 * k
    legend_w = 150 * k if landscape else text_w
    columns = 1 if landscape else 3
    maps_w = text_w - (legend_w + gap if landscape else 0)
    map_w = (maps_w - gap) / 2
    body_h = page.height - 2 * m - header - footer_h
    caption_h = 18 * k
    map_h = min(map_w * 0.9, body_h * (0.5 if landscape else 0.42))
    maps_top = page.height - m - header
    map_y = maps_top - caption_h - map_h

    extent = _extent(visible_b, map_w / map_h)
    scale = mapdraw.Scale(
        px=math.sqrt(map_w * map_h / (REFERENCE_VIEW_PX[0] * REFERENCE_VIEW_PX[1])), font=k
    )
    renderer = FigureCanvasAgg(fig).get_renderer()
    for n, (visible, year, ink) in enumerate(
        ((visible_a, year_a, YEAR_A_INK), (visible_b, year_b, YEAR_B_INK))
    ):
        x = m + n * (map_w + gap)
        text(
            x,
            maps_top - 2 * k,
            tx("export.compare.year", lang, year=year),
            13,
            fontweight="bold",
            color=ink,
            va="top",
        )
        ax = _axes_pt(fig, page, x, map_y, map_w, map_h)
        mapdraw.frame_style(ax, extent)
        mapdraw.draw_basemap(ax, visible.boundaries, spec.selected, scale)
        mapdraw.draw_user(ax, visible.user, scale)
        mapdraw.draw_lines(ax, visible.lines, spec.selected, year, scale)
        mapdraw.draw_flows(ax, visible.flows, spec.selected, year, scale)
        mapdraw.draw_places(ax, visible.places, spec.selected, year, scale)
        mapdraw.frame_style(ax, extent)
        for spine in ax.spines.values():
            spine.set_edgecolor(ink)
            spine.set_linewidth(1.6 * k)
        markers = mapdraw.place_xy(visible.places)
        reserved = [furniture.draw_scale_bar(ax, extent, scale, lang, family, markers)]
        if n == 1:
            reserved.append(furniture.draw_north_arrow(ax, scale, lang, family))
        labels.draw_labels(ax, visible, renderer, scale, family, reserved)

    entries = legend_entries(both, lang, extent.lonlat())
    legend_h = legend_height(entries, legend_w, columns, k)
    if landscape:  # beside the maps; the list starts under whichever ends lower
        legend_xy = (m + maps_w + gap, maps_top - legend_h)
        list_top = min(map_y, legend_xy[1]) - 10 * k
    else:
        legend_xy = (m, map_y - 6 * k - legend_h)
        list_top = legend_xy[1] - 10 * k
    draw_legend(
        _axes_pt(fig, page, *legend_xy, legend_w, legend_h), entries, legend_w, legend_h, columns, k
    )

    # the change list: a heading, then two columns
    list_bottom = m + footer_h + 4 * k
    text(
        m,
        list_top,
        tx("export.compare.changes", lang, a=year_a, b=year_b),
        10,
        fontweight="bold",
        color=INK,
        va="top",
    )
    top = list_top - 16 * k
    col_gap = 14 * k
    col_w = (text_w - col_gap) / 2
    if not found:
        text(
            m,
            top,
            tx("export.compare.none", lang, a=year_a, b=year_b),
            LIST_SIZES[0],
            color=INK,
            va="top",
        )
    else:
        texts = [line_text(line, lang) for line in found]
        listed = set_list(texts, family, col_w, top - list_bottom, k)
        _draw_list(fig, page, m, top, col_w, col_gap, listed, lang, family)

    text(m, m + footer_h - note_h, "\n".join(footer), 6.3, color=MUTED, va="top", linespacing=1.35)
    stamp = tx("generated", lang, date=(generated or date.today()).isoformat())
    text(page.width - m, m, stamp, 6.3, color=MUTED, ha="right", va="bottom")
    return fig
