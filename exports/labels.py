"""Labels on the map frame: Fengtai first, then places beside their markers, then area names —
each kept only where it collides with nothing placed before it."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from core import style
from core.text import local, tx
from exports.mapdraw import Scale, halo_stroke, place_xy
from exports.visible import Visible

LABEL_COLOUR = "#444444"
FOCUS_LABEL_COLOUR = "#8B0000"
CLUSTER_PT = 9.0  # places closer than this on paper share one label


def _clusters(points: np.ndarray, limit: float) -> list[list[int]]:
    """Single-link groups of points closer than ``limit`` (display units), in input order."""
    groups: list[list[int]] = []
    owner: dict[int, int] = {}
    for i in range(len(points)):
        near = [owner[j] for j in owner if np.hypot(*(points[i] - points[j])) < limit]
        if not near:
            owner[i] = len(groups)
            groups.append([i])
            continue
        target = min(near)
        for g in sorted(set(near) - {target}, reverse=True):  # merge bridged groups
            for j in groups[g]:
                owner[j] = target
            groups[target].extend(groups[g])
            groups[g] = []
        owner[i] = target
        groups[target].append(i)
    return [sorted(g) for g in groups if g]


def _fits(box: Bbox, frame: Bbox, taken: list[Bbox]) -> bool:
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(t) for t in taken)


def _place_text(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    candidates: tuple[tuple[float, float, str, str], ...],
    renderer: RendererBase,
    taken: list[Bbox],
    halo: float | None = None,
    **style_kw: object,
) -> bool:
    """Try ``text`` at each (dx, dy points, ha, va) around ``xy``; keep the first that fits."""
    frame = ax.get_window_extent(renderer)
    for dx, dy, ha, va in candidates:
        label = ax.annotate(
            text,
            xy=xy,
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            annotation_clip=False,
            **style_kw,
        )
        box = label.get_window_extent(renderer)
        if _fits(box, frame, taken):
            taken.append(box)
            if halo:
                _halo_under(label, halo)
            return True
        label.remove()
    return False


def _halo_under(label: Annotation, width: float) -> None:
    """A white halo under a placed name, as a copy of it drawn as outline strokes only. The
    name itself keeps no path effect: matplotlib draws text with one as glyph outlines, which
    in a PDF or SVG is no text a reader can search."""
    under = Annotation(
        label.get_text(),
        xy=label.xy,
        xytext=label.xyann,
        textcoords=label.anncoords,
        annotation_clip=False,
    )
    under.update_from(label)
    under.set_path_effects(halo_stroke(width))
    under.set_zorder(label.get_zorder() - 0.01)
    label.axes.add_artist(under)


def draw_labels(
    ax: Axes,
    visible: Visible,
    renderer: RendererBase,
    s: Scale,
    family: str,
    reserved: list[Bbox],
) -> None:
    """Fengtai's name first, then place names beside their markers, then the other area
    names — each only where it collides with nothing placed before it (nor with ``reserved``
    display boxes); places sharing a spot get one label that says how many."""
    lang = visible.spec.lang
    to_display = ax.transData.transform
    dots_per_pt = renderer.points_to_pixels(1.0)
    taken = list(reserved)
    places = visible.places
    xy = place_xy(places)
    display = to_display(xy) if len(xy) else xy
    marker = (style.PLACE_RADIUS + 2) * s.px * dots_per_pt
    for x, y in display:
        taken.append(Bbox.from_extents(x - marker, y - marker, x + marker, y + marker))

    areas = visible.boundaries[visible.boundaries["label"]].to_crs("EPSG:3857")
    areas = areas.assign(_first=~areas["focus"]).sort_values("_first", kind="stable")
    area_kw = {"family": family, "zorder": 6}
    nudge = 7 * s.font
    focus_moves = (
        (0, 0, "center", "center"),
        (0, -nudge, "center", "top"),
        (0, nudge, "center", "bottom"),
        (-nudge, 0, "right", "center"),
    )

    def area_label(row: object, moves: tuple[tuple[float, float, str, str], ...]) -> None:
        point = row.geometry.representative_point()  # type: ignore[attr-defined]
        focus = bool(row.focus)  # type: ignore[attr-defined]
        _place_text(
            ax,
            str(local(row, "name", lang)),
            (point.x, point.y),
            moves,
            renderer,
            taken,
            fontsize=(7.6 if focus else 6.4) * s.font,
            fontweight="bold" if focus else "normal",
            color=FOCUS_LABEL_COLOUR if focus else LABEL_COLOUR,
            halo=1.8 * s.font if focus else None,
            **area_kw,
        )

    for row in areas[areas["focus"]].itertuples(index=False):
        area_label(row, focus_moves)

    order = list(range(len(places)))
    if visible.spec.selected in set(places["id"]):
        first = list(places["id"]).index(visible.spec.selected)
        order = [first, *[i for i in order if i != first]]
    groups = _clusters(display[order], CLUSTER_PT * s.font * dots_per_pt) if order else []
    gap = style.PLACE_RADIUS * s.px + 2.5 * s.font  # points
    moves = (
        (gap, 0, "left", "center"),
        (-gap, 0, "right", "center"),
        (0, gap, "center", "bottom"),
        (0, -gap, "center", "top"),
    )
    for group in groups:
        lead = order[group[0]]
        row = places.iloc[lead]
        name = str(local(row, "name", lang))
        if len(group) > 1:
            name += tx("cluster", lang, n=len(group) - 1, total=len(group))
        _place_text(
            ax,
            name,
            tuple(xy[lead]),
            moves,
            renderer,
            taken,
            fontsize=7.2 * s.font,
            family=family,
            color=style.INK,
            zorder=7,
            halo=2.2 * s.font,
        )

    for row in areas[~areas["focus"]].itertuples(index=False):
        area_label(row, ((0, 0, "center", "center"),))
