"""A close-up of Fengtai on a printed page, as the dashboard's (``assets/inset.js``).

At a regional view Fengtai is a few millimetres wide on paper and its hubs (三站一楼 and the
city air terminals) share one label ("Beijing West +4 nearby"). So while Fengtai is narrower
than ``SMALL`` of the map frame's width and at least two hubs are shown inside it, a small
second map frames those hubs and names them apart: the basemap, the story's lines and places
(not the flows: their wide arcs would bury the cluster), stations by their short names. A thin
box on the page map shows what it frames.

It goes in the first corner (top left, bottom left, bottom right) whose box covers no place
marker, not Fengtai, and not the scale bar or north arrow; with no free corner there is none.
Comparison pages have none, as on screen.
"""

from __future__ import annotations

import re
from dataclasses import replace

from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase, RendererBase
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from core import style
from core.text import tx
from exports import labels, mapdraw
from exports.extent import Extent, from_bbox
from exports.visible import Visible

SMALL = 0.16  # Fengtai narrower than this share of the frame's width gets a close-up
SIZE = (0.3, 0.36)  # the close-up's width and map height, as shares of the frame's
GAP_PT = 8.0  # between the close-up, the frame's edge and the furniture
PAD = 0.2  # around the hubs it frames, as a share of their box
HUB_KINDS = frozenset({"station", "air_terminal"})
CORNERS = ((0, 1), (0, 0), (1, 0))  # top left, bottom left, bottom right
BOX_INK = "#4A4A4A"
CAPTION_PT = 6.8


def _short(name: str) -> str:
    """A station's name as timetables say it ("Beijing West"): the marker says what it is."""
    return re.sub(r"\s+railway station$", "", name, flags=re.IGNORECASE)


def hubs_frame(visible: Visible, main: Extent) -> Extent | None:
    """What the close-up frames (EPSG:3857), or None when Fengtai is large enough on the page
    map or fewer than two hubs are shown inside its box."""
    focus = visible.boundaries[visible.boundaries["focus"]].to_crs("EPSG:3857")
    if focus.empty or visible.places.empty:
        return None
    x0, _, x1, _ = focus.total_bounds
    if (x1 - x0) >= SMALL * (main.x1 - main.x0):
        return None
    places = visible.places.to_crs("EPSG:3857")
    inside = places[
        places["kind"].isin(HUB_KINDS) & places.geometry.within(focus.geometry.union_all())
    ]
    if len(inside) < 2:
        return None
    hx0, hy0, hx1, hy1 = inside.to_crs("EPSG:4326").total_bounds
    dx, dy = (hx1 - hx0) * PAD, (hy1 - hy0) * PAD
    return from_bbox((hx0 - dx, hy0 - dy, hx1 + dx, hy1 + dy), SIZE[0] / SIZE[1] * main.aspect)


def _corner_box(ax: Axes, corner: tuple[int, int], gap: float, caption: float) -> Bbox:
    """The close-up's box and its caption's strip (on the side towards the map's middle)."""
    frame = ax.get_window_extent()
    w, h = frame.width * SIZE[0], frame.height * SIZE[1] + caption
    x0 = frame.x0 + gap if corner[0] == 0 else frame.x1 - gap - w
    y0 = frame.y0 + gap if corner[1] == 0 else frame.y1 - gap - h
    return Bbox.from_bounds(x0, y0, w, h)


def draw_closeup(
    ax: Axes,
    visible: Visible,
    main: Extent,
    s: mapdraw.Scale,
    renderer: RendererBase,
    family: str,
    reserved: list[Bbox],
) -> Bbox | None:
    """The close-up over the page map ``ax`` (drawn, names placed), and the box it and its
    caption take on the page (display units) for the page map's names to keep off; None where
    it has no place."""
    framed = hubs_frame(visible, main)
    if framed is None:
        return None
    fig = ax.figure
    dots = fig.dpi / 72
    gap = GAP_PT * s.font * dots
    caption_h = CAPTION_PT * s.font * 1.7 * dots
    reach = (style.PLACE_RADIUS + 2) * s.px * dots
    markers = ax.transData.transform(mapdraw.place_xy(visible.places))
    focus = visible.boundaries[visible.boundaries["focus"]].to_crs("EPSG:3857").total_bounds
    fengtai = Bbox(ax.transData.transform([focus[:2], focus[2:]]))
    found = next(
        (
            (corner, b)
            for corner, b in ((c, _corner_box(ax, c, gap, caption_h)) for c in CORNERS)
            if not mapdraw.points_in(b.padded(reach), markers)
            and not b.overlaps(fengtai)
            and not any(b.padded(gap).overlaps(r) for r in reserved)
        ),
        None,
    )
    if found is None:
        return None
    corner, box = found
    top = corner[1] == 1  # the caption goes under a close-up at the top, over one at the bottom
    y0 = box.y0 + (caption_h if top else 0)
    inner = Bbox.from_bounds(box.x0, y0, box.width, box.height - caption_h)
    _outline(ax, framed, s)
    canvas = fig.canvas
    FigureCanvasBase(fig)  # geopandas' plot() would redraw the whole page on the Agg canvas
    try:
        inset = fig.add_axes(inner.transformed(fig.transFigure.inverted()).bounds)
        inset.set_label("closeup")
        _draw(inset, visible, framed, s, renderer, family, top)
    finally:
        fig.set_canvas(canvas)
    return box


def _outline(ax: Axes, framed: Extent, s: mapdraw.Scale) -> None:
    """What the close-up frames, as a thin box on the page map."""
    ax.add_patch(
        Rectangle(
            (framed.x0, framed.y0),
            framed.x1 - framed.x0,
            framed.y1 - framed.y0,
            facecolor="none",
            edgecolor=BOX_INK,
            linewidth=0.7 * s.font,
            zorder=7.5,
        )
    )


def _draw(
    inset: Axes,
    visible: Visible,
    framed: Extent,
    s: mapdraw.Scale,
    renderer: RendererBase,
    family: str,
    top: bool,
) -> None:
    spec = visible.spec
    west, south, east, north = framed.lonlat()
    dx, dy = east - west, north - south  # what reaches into the frame, with a margin
    near = (slice(west - dx, east + dx), slice(south - dy, north + dy))
    places = visible.places.to_crs("EPSG:4326").cx[near].copy()
    places["name_en"] = places["name_en"].map(_short)
    boundaries = visible.boundaries.to_crs("EPSG:4326").cx[near]
    here = replace(visible, places=places, boundaries=boundaries)
    mapdraw.draw_basemap(inset, here.boundaries, spec.selected, s)
    mapdraw.draw_lines(inset, here.lines, spec.selected, spec.year, s)
    mapdraw.draw_places(inset, here.places, spec.selected, spec.year, s)
    mapdraw.frame_style(inset, framed, BOX_INK, 1.0 * s.font)
    inset.apply_aspect()  # now, not at drawing: its names are placed in its final box
    inset.text(
        0.0,
        -0.02 if top else 1.02,
        tx("closeup.caption", spec.lang),
        transform=inset.transAxes,
        ha="left",
        va="top" if top else "bottom",
        fontsize=CAPTION_PT * s.font,
        fontweight="bold",
        family=family,
        color=style.INK,
        clip_on=False,
        zorder=9,
        bbox={"facecolor": "#FFFFFF", "alpha": 0.85, "edgecolor": "none", "pad": 1.5 * s.font},
    )
    labels.draw_labels(inset, here, renderer, s, family, [])
