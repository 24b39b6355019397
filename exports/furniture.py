"""Map furniture: the scale bar and the north arrow, sized in points from a frame corner."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import Affine2D, Bbox, ScaledTranslation, Transform

from core.text import tx
from exports.extent import Extent, nice_length
from exports.mapdraw import INK, Scale, halo, points_in
from exports.typeset import text_width


def _points_from(ax: Axes, corner: tuple[float, float]) -> Transform:
    """A transform from points measured from an axes corner ((0, 0) or (1, 1)) to display."""
    return (
        Affine2D().scale(1 / 72)
        + ax.figure.dpi_scale_trans
        + ScaledTranslation(*corner, ax.transAxes)
    )


def _display_box(t: Transform, x0: float, y0: float, x1: float, y1: float) -> Bbox:
    (a, b), (c, d) = t.transform([(x0, y0), (x1, y1)])
    return Bbox.from_extents(min(a, c), min(b, d), max(a, c), max(b, d))


# Where the scale bar may go, in order: (axes corner, which way its box grows from there).
# The north arrow has the top right.
SCALE_CORNERS = (((0, 0), (1, 1)), ((1, 0), (-1, 1)), ((0, 1), (1, -1)))
MARKER_CLEARANCE_PT = 8.0  # a marker's reach from its centre, for the scale bar to keep off


def draw_scale_bar(
    ax: Axes, extent: Extent, s: Scale, lang: str, family: str, avoid: np.ndarray | None = None
) -> Bbox:
    """Two-segment bar in a bottom corner; its length comes from the great-circle width of the
    map along the centre latitude (Web Mercator's scale changes with latitude). It takes the
    first corner (bottom left, bottom right, top left) whose box covers none of the markers at
    ``avoid`` (EPSG:3857 points), else the one covering fewest, so no place hides under it.
    Returns the display box it covers, for label placement to avoid."""
    k = s.font
    frame_pt = ax.get_window_extent().width / ax.figure.dpi * 72
    width_m = extent.width_m()
    length = nice_length(width_m * 0.22)
    bar = frame_pt * length / width_m  # points
    km = length >= 1000
    value = length / 1000 if km else length
    last = f"{value:g} {tx('km' if km else 'm', lang)}"
    size = 6.8 * k
    last_w = text_width(last, FontProperties(family=family, size=size))
    pad, margin, h = 4 * k, 6 * k, 4 * k
    w_box, h_box = bar + last_w / 2 + 2 * pad, h + size * 1.6 + 2 * pad
    markers = ax.transData.transform(avoid) if avoid is not None and len(avoid) else None
    reach = MARKER_CLEARANCE_PT * k * ax.figure.dpi / 72

    def place(corner: tuple[int, int], grow: tuple[int, int]) -> tuple[Transform, float, float]:
        t = _points_from(ax, corner)
        bx = margin if grow[0] > 0 else -margin - w_box
        by = margin if grow[1] > 0 else -margin - h_box
        return t, bx, by

    def covered(corner: tuple[int, int], grow: tuple[int, int]) -> int:
        if markers is None:
            return 0
        t, bx, by = place(corner, grow)
        box = _display_box(t, bx, by, bx + w_box, by + h_box).padded(reach)
        return points_in(box, markers)

    t, bx, by = place(*min(SCALE_CORNERS, key=lambda c: covered(*c)))  # min keeps the first
    ax.add_patch(
        Rectangle(
            (bx, by),
            w_box,
            h_box,
            transform=t,
            facecolor="#FFFFFF",
            alpha=0.85,
            edgecolor="#B0B0B0",
            linewidth=0.5 * k,
            zorder=8,
        )
    )
    x0, y0 = bx + pad, by + pad
    for i, colour in enumerate((INK, "#FFFFFF")):
        ax.add_patch(
            Rectangle(
                (x0 + i * bar / 2, y0),
                bar / 2,
                h,
                transform=t,
                facecolor=colour,
                edgecolor=INK,
                linewidth=0.6 * k,
                zorder=9,
            )
        )
    for frac, label in ((0, "0"), (0.5, f"{value / 2:g}"), (1, last)):
        ax.text(
            x0 + frac * bar,
            y0 + h + 2.5 * k,
            label,
            transform=t,
            ha="center",
            va="bottom",
            fontsize=size,
            family=family,
            color=INK,
            zorder=9,
        )
    return _display_box(t, bx, by, bx + w_box, by + h_box)


def draw_north_arrow(ax: Axes, s: Scale, lang: str, family: str) -> Bbox:
    """A split-arrowhead north arrow with N / 北 at the top right (Web Mercator: north is up).
    Returns the display box it covers."""
    k = s.font
    t = _points_from(ax, (1, 1))
    cx, top, w, h = -16 * k, -22 * k, 7 * k, 17 * k
    tip, base, notch = (cx, top), top - h, top - 0.72 * h
    for side, fill in ((-1, INK), (1, "#FFFFFF")):
        ax.add_patch(
            Polygon(
                [tip, (cx + side * w, base), (cx, notch)],
                closed=True,
                transform=t,
                facecolor=fill,
                edgecolor=INK,
                linewidth=0.6 * k,
                zorder=9,
            )
        )
    ax.text(
        cx,
        top + 2 * k,
        tx("north", lang),
        transform=t,
        ha="center",
        va="bottom",
        fontsize=9 * k,
        fontweight="bold",
        family=family,
        color=INK,
        zorder=9,
        path_effects=halo(2 * k),
    )
    return _display_box(t, cx - w - 3 * k, base - 3 * k, cx + w + 3 * k, top + 14 * k)
