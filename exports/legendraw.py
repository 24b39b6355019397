"""The legend block of a page export: rows of swatches and wrapped labels in columns, drawn
from the same legend entries (``exports.legend``) and style specification as the screen."""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle

from core import style
from exports.fonts import cjk_family
from exports.legend import LegendEntry
from exports.typeset import wrap

INK = style.INK

ROW_PT = 13.5  # legend row height on A4
LINE_PT = 9.5  # extra height per wrapped legend line on A4
SWATCH_PT = 22.0
# A wrapped label's first line starts this far below its row's top, so that it sits level with
# the swatch (centred on the row's first ROW_PT) and its last line ends inside the row; placed
# from the middle of the first line it ran ~0.5 pt into the next row.
TOP_PT = 2.0


def _legend_rows(
    entries: list[LegendEntry], col_w: float, k: float
) -> list[tuple[LegendEntry, list[str], float]]:
    """Each entry with its wrapped label lines and its height in points."""
    prop = FontProperties(family=cjk_family(), size=7.6 * k)
    rows = []
    for e in entries:
        if e.kind == "heading":
            rows.append((e, [e.label], ROW_PT * 1.2 * k))
            continue
        if e.kind == "layer":  # a planner's layer's name, over its classes
            bold = FontProperties(family=cjk_family(), size=7.6 * k, weight="bold")
            lines = wrap(e.label, col_w, bold)
            rows.append((e, lines, (ROW_PT + 2 + (len(lines) - 1) * LINE_PT) * k))
            continue
        lines = wrap(e.label, col_w - (SWATCH_PT + 6) * k, prop)
        rows.append((e, lines, (ROW_PT + (len(lines) - 1) * LINE_PT) * k))
    return rows


def _legend_columns(rows: list, columns: int) -> list[list]:
    """Split rows (heading first) into ``columns`` runs of about equal height."""
    heading, body = rows[:1], rows[1:]
    total = sum(r[2] for r in body)
    out: list[list] = [[]]
    used = 0.0
    for row in body:
        after_heading = bool(out[-1]) and out[-1][-1][0].kind == "layer"  # kept with its rows
        if (
            out[-1]
            and not after_heading
            and used + row[2] / 2 > total / columns * len(out)
            and len(out) < columns
        ):
            out.append([])
        out[-1].append(row)
        used += row[2]
    out[0] = heading + out[0]
    return out


def legend_height(entries: list[LegendEntry], width: float, columns: int, k: float) -> float:
    rows = _legend_rows(entries, width / columns, k)
    return max(sum(r[2] for r in col) for col in _legend_columns(rows, columns)) + 6 * k


def draw_legend(
    ax: Axes, entries: list[LegendEntry], w: float, h: float, columns: int, k: float
) -> None:
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    ax.set_axis_off()
    family = cjk_family()
    col_w = w / columns
    for c, col in enumerate(_legend_columns(_legend_rows(entries, col_w, k), columns)):
        x0, y = c * col_w, h - 2 * k
        for entry, lines, row_h in col:
            if entry.kind == "heading":
                ax.text(
                    x0,
                    y,
                    entry.label,
                    fontsize=9 * k,
                    fontweight="bold",
                    family=family,
                    color=INK,
                    va="top",
                )
                y -= row_h
                continue
            mid = y - ROW_PT * k / 2
            if entry.kind == "layer":
                ax.text(
                    x0,
                    mid - 1 * k if len(lines) == 1 else y - TOP_PT * k,
                    "\n".join(lines),
                    fontsize=7.6 * k,
                    fontweight="bold",
                    family=family,
                    color=INK,
                    va="top" if len(lines) > 1 else "center",
                    linespacing=1.25,
                )
                y -= row_h
                continue
            _swatch(ax, entry, x0 + SWATCH_PT * k / 2, mid, k)
            ax.text(
                x0 + (SWATCH_PT + 6) * k,
                mid + 0.5 * k if len(lines) == 1 else y - TOP_PT * k,
                "\n".join(lines),
                fontsize=7.6 * k,
                family=family,
                color=INK,
                va="top" if len(lines) > 1 else "center",
                linespacing=1.25,
            )
            y -= row_h


def _dashes(pattern: str, px: float) -> tuple[float, tuple[float, ...]]:
    """A Leaflet dashArray ("5 5", screen pixels) as a matplotlib dash at ``px`` points a pixel."""
    return (0.0, tuple(float(v) * px for v in pattern.split()))


def _swatch(ax: Axes, e: LegendEntry, cx: float, cy: float, k: float) -> None:
    """A legend symbol centred on (cx, cy), sized for print rather than to the map's scale."""
    px = 0.75 * k
    half = SWATCH_PT * k / 2 - 1.5 * k
    dash = _dashes(e.dash, px) if e.dash else "solid"
    line = {"solid_capstyle": "round", "dash_capstyle": "round"}
    if e.kind == "area":
        ax.add_patch(
            Rectangle(
                (cx - half, cy - 4.5 * k),
                2 * half,
                9 * k,
                facecolor=mpl.colors.to_rgba(e.fill, e.alpha),
                edgecolor=e.edge,
                linewidth=min(e.width, 2) * px,
            )
        )
    elif e.kind == "line":
        ax.add_line(
            Line2D(
                [cx - half, cx + half],
                [cy, cy],
                color=e.edge,
                linewidth=e.width * px,
                linestyle=dash,
                **line,
            )
        )
    elif e.kind == "dot":
        ax.add_patch(
            Circle(
                (cx, cy),
                5 * k,
                facecolor=mpl.colors.to_rgba(e.fill, e.alpha),
                edgecolor=e.edge,
                linewidth=e.width * px,
                linestyle=dash,
            )
        )
    elif e.kind == "status":
        ax.add_patch(
            Circle(
                (cx - half + 4 * k if e.line else cx, cy),
                4.5 * k,
                facecolor=mpl.colors.to_rgba(e.fill, e.alpha),
                edgecolor=e.edge,
                linewidth=1.2 * px,
            )
        )
        if e.line:
            ax.add_line(
                Line2D(
                    [cx - half + 11 * k, cx + half],
                    [cy, cy],
                    color=e.edge,
                    linewidth=e.width * px,
                    linestyle=dash,
                    **line,
                )
            )
    elif e.kind in ("rail", "road"):
        # The line, then its white inner stroke: ticks on a railway, the core of a road.
        road = e.kind == "road"
        inner = (
            (style.ROAD_CORE_WEIGHT, "solid")
            if road
            else (style.RAIL_TICKS["weight"], _dashes(style.RAIL_TICKS["dashArray"], px))
        )
        for colour, width, pattern in ((e.edge, e.width, "solid"), (style.PAPER, *inner)):
            ax.add_line(
                Line2D(
                    [cx - half, cx + half],
                    [cy, cy],
                    color=colour,
                    linewidth=width * px,
                    linestyle=pattern,
                    solid_capstyle="butt",
                    dash_capstyle="butt",
                )
            )
    elif e.kind == "flow":
        offsets = [0.0] if len(e.widths) == 1 else [3.5 * k, -2.5 * k]
        for width, dy in zip(e.widths, offsets, strict=True):
            ax.add_line(
                Line2D(
                    [cx - half, cx + half],
                    [cy + dy] * 2,
                    color=e.edge,
                    linewidth=min(width, 8) * px,
                    alpha=0.8,
                    linestyle=dash,
                    **line,
                )
            )
