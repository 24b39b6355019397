"""Page exports (PNG, PDF, SVG) with matplotlib: title, map (with the planner's own layers),
legend, scale, north, sources.

PDF and SVG keep real text: the CJK TrueType font is embedded in the PDF (``pdf.fonttype`` 42,
so its text is searchable) and SVG keeps ``<text>`` elements (``svg.fonttype`` ``none``).
"""

from __future__ import annotations

import io
import math
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from core import style
from core.text import tx
from exports import furniture, labels, mapdraw
from exports.closeup import draw_closeup
from exports.extent import REFERENCE_VIEW_PX, Extent, from_bbox, from_view
from exports.fonts import cjk_family
from exports.legend import legend_entries
from exports.legendraw import draw_legend, legend_height
from exports.pdffont import use_truetype
from exports.text import default_title, source_blocks, subtitle
from exports.typeset import wrap
from exports.visible import Visible

MARGIN_MM = 10.0
INK = style.INK
MUTED = style.MUTED_INK
RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "text.parse_math": False,  # a "$" in data is a dollar sign, not TeX
    "text.usetex": False,
    "lines.scale_dashes": False,  # dash lengths in points, converted from the screen's pixels
    "axes.unicode_minus": False,
    "svg.hashsalt": "fengtai-atlas",  # stable ids: same input, same SVG
}


@dataclass(frozen=True)
class Page:
    """Page geometry in points: the map frame and where each block starts."""

    width: float
    height: float
    font: float  # type multiplier: 1 on A4, √2 on A3

    @property
    def margin(self) -> float:
        return MARGIN_MM / 25.4 * 72 * self.font


def _axes_pt(fig: Figure, page: Page, x: float, y: float, w: float, h: float) -> Axes:
    """Axes at (x, y) from the bottom left, size (w, h), all in points."""
    return fig.add_axes((x / page.width, y / page.height, w / page.width, h / page.height))


def build_figure(visible: Visible, generated: date | None = None) -> Figure:
    """The whole page as a matplotlib figure (no pyplot: nothing global, thread-safe)."""
    spec = visible.spec
    family = cjk_family()
    w_in, h_in = spec.paper_inches
    if spec.fmt == "png":  # whole pixels: A4 at 300 dpi is 3508 × 2480, not 3507 × 2480
        w_in, h_in = round(w_in * spec.dpi) / spec.dpi, round(h_in * spec.dpi) / spec.dpi
    page = Page(w_in * 72, h_in * 72, min(spec.paper_mm) / 210.0)
    k, m = page.font, page.margin
    fig = Figure(figsize=(w_in, h_in), dpi=spec.dpi if spec.fmt == "png" else 72)
    fig.patch.set_facecolor("#FFFFFF")
    lang = spec.lang

    title = spec.title if spec.title else default_title(spec.theme, spec.year, lang)
    fig.text(
        m / page.width,
        1 - m / page.height,
        title,
        fontsize=17 * k,
        fontweight="bold",
        family=family,
        color=INK,
        va="top",
    )
    sub = subtitle(tx("title", lang), spec.year, visible.as_of, lang)
    fig.text(
        m / page.width,
        1 - (m + 25 * k) / page.height,
        sub,
        fontsize=9.5 * k,
        family=family,
        color=MUTED,
        va="top",
    )
    header = 44 * k

    small = FontProperties(family=family, size=6.3 * k)
    line_h = 6.3 * k * 1.35
    text_w = page.width - 2 * m
    blocks = source_blocks(
        visible.sources, visible.documents, visible.metadata, lang, visible.sections
    )
    if len(visible.lines) or len(visible.flows):
        blocks.append(("", tx("schematic.note", lang)))
    footer_lines: list[str] = []
    for heading, body in blocks:
        line = tx("heading", lang, heading=heading, body=body) if heading else body
        footer_lines += wrap(line, text_w, small)
    stamp = tx("generated", lang, date=(generated or date.today()).isoformat())
    footer_h = (len(footer_lines) + 1.6) * line_h
    landscape = spec.orientation == "landscape"
    legend_w = 150 * k if landscape else text_w
    columns = 1 if landscape else 3
    legend_h = legend_height(legend_entries(visible, lang), legend_w, columns, k)
    if landscape:
        map_w = page.width - 2 * m - legend_w - 10 * k
        map_h = page.height - 2 * m - header - footer_h - 6 * k
        legend_xy = (m + map_w + 10 * k, page.height - m - header - legend_h)
    else:
        map_w = text_w
        map_h = page.height - 2 * m - header - footer_h - legend_h - 16 * k
        legend_xy = (m, m + footer_h + 6 * k)
    map_y = page.height - m - header - map_h

    extent = _extent(visible, map_w / map_h)
    scale = mapdraw.Scale(
        px=math.sqrt(map_w * map_h / (REFERENCE_VIEW_PX[0] * REFERENCE_VIEW_PX[1])), font=k
    )
    ax = _axes_pt(fig, page, m, map_y, map_w, map_h)
    mapdraw.frame_style(ax, extent)
    mapdraw.draw_basemap(ax, visible.boundaries, spec.selected, scale)
    mapdraw.draw_user(ax, visible.user, scale)
    mapdraw.draw_lines(ax, visible.lines, spec.selected, spec.year, scale)
    mapdraw.draw_flows(ax, visible.flows, spec.selected, spec.year, scale)
    mapdraw.draw_places(ax, visible.places, spec.selected, spec.year, scale)
    mapdraw.frame_style(ax, extent)  # geopandas' plot resets limits and aspect and adds axis labels
    # An Agg canvas only now: geopandas' plot() calls draw_idle(), a full draw on Agg.
    renderer = FigureCanvasAgg(fig).get_renderer()
    reserved = [
        furniture.draw_scale_bar(ax, extent, scale, lang, family, mapdraw.place_xy(visible.places)),
        furniture.draw_north_arrow(ax, scale, lang, family),
    ]
    closeup = draw_closeup(ax, visible, extent, scale, renderer, family, reserved)
    labels.draw_labels(ax, visible, renderer, scale, family, [*reserved, *filter(None, [closeup])])

    entries = legend_entries(visible, lang, extent.lonlat())
    legend_ax = _axes_pt(fig, page, *legend_xy, legend_w, legend_h)
    draw_legend(legend_ax, entries, legend_w, legend_h, columns, k)

    y = m + footer_h - line_h
    fig.text(
        m / page.width,
        y / page.height,
        "\n".join(footer_lines),
        fontsize=6.3 * k,
        family=family,
        color=MUTED,
        va="top",
        linespacing=1.35,
    )
    fig.text(
        1 - m / page.width,
        m / page.height,
        stamp,
        fontsize=6.3 * k,
        family=family,
        color=MUTED,
        ha="right",
        va="bottom",
    )
    return fig


def _extent(visible: Visible, aspect: float) -> Extent:
    spec = visible.spec
    if spec.bbox is not None:
        return from_bbox(spec.bbox, aspect)
    return from_view(spec.theme_def.center, spec.theme_def.zoom, aspect)


def render_page(visible: Visible, generated: date | None = None) -> bytes:
    """PNG, PDF or SVG bytes for ``visible.spec``."""
    spec = visible.spec
    with mpl.rc_context(RC):
        fig = build_figure(visible, generated)
        out = io.BytesIO()
        metadata = {"Title": spec.title or default_title(spec.theme, spec.year, spec.lang)}
        if spec.fmt == "png":
            fig.savefig(out, format="png", dpi=spec.dpi, metadata=metadata)
        elif spec.fmt == "pdf":
            with tempfile.TemporaryDirectory(prefix="atlas-pdf-") as tmp:
                use_truetype(fig, Path(tmp))
                fig.savefig(
                    out, format="pdf", metadata={**metadata, "Creator": "Fengtai Bridgehead Atlas"}
                )
        elif spec.fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Title": metadata["Title"], "Date": None})
        else:
            raise ValueError(f"not a page format: {spec.fmt}")
    return out.getvalue()
