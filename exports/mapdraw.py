"""The map frame of a page export: basemap, the planner's layers, lines, flows and places.

Styles are the Leaflet path options of the shared rules in ``core.style`` (the browser's twins
are proven equal), converted from screen pixels to points by ``px`` — the frame's size
over the reference viewport's, so symbols keep their screen proportion to the map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.patches import Polygon
from matplotlib.transforms import Bbox

import geopandas as gpd
from pyproj import Transformer

from core import style
from exports import user
from exports.extent import Extent
from exports.user import UserLayer

_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
HALO = style.PAPER
INK = style.INK


@dataclass(frozen=True)
class Scale:
    """Point sizes for one page: ``px`` points per screen pixel, ``font`` a type multiplier."""

    px: float
    font: float

    def dashes(self, pattern: str) -> tuple[float, tuple[float, ...]] | str:
        """A Leaflet ``dashArray`` (pixels) as a matplotlib linestyle (points, unscaled)."""
        if not pattern:
            return "solid"
        return (0.0, tuple(float(v) * self.px for v in pattern.split()))


def halo(width: float) -> list[patheffects.AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=width, foreground=HALO)]


def halo_stroke(width: float) -> list[patheffects.AbstractPathEffect]:
    """The halo alone, without the text's own fill (drawn under a text kept as text)."""
    return [patheffects.Stroke(linewidth=width, foreground=HALO)]


def frame_style(ax: Axes, extent: Extent, edge: str = "#4A4A4A", width: float = 0.8) -> None:
    """A map frame on paper: ``extent``'s limits at equal scale, water behind, no ticks, a thin
    frame (geopandas' plot resets limits and aspect and adds axis labels: call it again after)."""
    ax.set_xlim(extent.x0, extent.x1)
    ax.set_ylim(extent.y0, extent.y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_facecolor(style.WATER)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor(edge)
        spine.set_linewidth(width)
        spine.set_zorder(10)


def draw_basemap(ax: Axes, boundaries: gpd.GeoDataFrame, selected: str | None, s: Scale) -> None:
    """``boundary_style``: units filled, Fengtai emphasised, Xiong'an dashed, provinces on top."""
    merc = boundaries.to_crs("EPSG:3857")
    units = merc[merc["level"].isin(["district", "prefecture"]) & ~merc["focus"]]
    unit = style.boundary_style({"level": "district"}, None)
    units[units["id"] != selected].plot(
        ax=ax,
        facecolor=unit["fillColor"],
        edgecolor=unit["color"],
        linewidth=unit["weight"] * s.px,
        zorder=1,
    )
    chosen = units[units["id"] == selected]
    if not chosen.empty:
        pick = style.boundary_style({"id": selected, "level": "district"}, selected)
        chosen.plot(
            ax=ax,
            facecolor=pick["fillColor"],
            edgecolor=pick["color"],
            linewidth=pick["weight"] * s.px,
            zorder=1.2,
        )
    focus = merc[merc["focus"]]
    fengtai = style.boundary_style(
        {"id": selected, "focus": True} if selected in set(focus["id"]) else {"focus": True},
        selected,
    )
    focus.plot(
        ax=ax,
        facecolor=fengtai["fillColor"],
        alpha=fengtai["fillOpacity"],
        edgecolor="none",
        zorder=1.3,
    )
    focus.boundary.plot(
        ax=ax, color=fengtai["color"], linewidth=fengtai["weight"] * s.px, zorder=1.4
    )
    outline = style.boundary_style({"level": "new_area"}, None)
    new_area = merc[merc["level"] == "new_area"]
    if not new_area.empty:  # a close-up of Fengtai (exports.closeup) has none
        new_area.boundary.plot(
            ax=ax,
            color=outline["color"],
            linewidth=outline["weight"] * s.px,
            linestyle=s.dashes(outline["dashArray"]),
            zorder=1.5,
        )
    province = style.boundary_style({"level": "province"}, None)
    provinces = merc[merc["level"] == "province"]
    if not provinces.empty:
        provinces.boundary.plot(
            ax=ax, color=province["color"], linewidth=province["weight"] * s.px, zorder=1.6
        )


def _props(row: object) -> dict:
    return row._asdict()  # type: ignore[attr-defined]


def draw_lines(
    ax: Axes, lines: gpd.GeoDataFrame, selected: str | None, year: int, s: Scale
) -> None:
    """``line_style``: theme colour (grey when closed), dash by status, wider when selected;
    its ``inner`` stroke on top (white ticks on a railway, the white core of a road)."""
    if lines.empty:
        return
    merc = lines.to_crs("EPSG:3857")
    for row in merc.itertuples(index=False):
        o = style.line_style(_props(row), year, selected)
        xs, ys = row.geometry.xy
        for stroke, z in ((o, 3.0), (o["inner"], 3.05)):
            if stroke is None:
                continue
            cap = stroke.get("lineCap", "round")  # Leaflet's default cap is round
            ax.plot(
                xs,
                ys,
                color=stroke["color"],
                linewidth=stroke["weight"] * s.px,
                linestyle=s.dashes(stroke["dashArray"] or ""),
                alpha=stroke["opacity"],
                solid_capstyle=cap,
                dash_capstyle=cap,
                zorder=z,
            )


def draw_flows(
    ax: Axes, flows: gpd.GeoDataFrame, selected: str | None, year: int, s: Scale
) -> None:
    """``flow_style``: arcs with width ∝ counted value, dashed before the count's year; heads."""
    if flows.empty:
        return
    merc = flows.to_crs("EPSG:3857")
    for row in merc.itertuples(index=False):
        o = style.flow_style(_props(row), year, selected)
        if row.part == "head":
            for poly in getattr(row.geometry, "geoms", [row.geometry]):
                ax.add_patch(
                    Polygon(
                        np.asarray(poly.exterior.coords),
                        closed=True,
                        facecolor=o["fillColor"],
                        edgecolor="none",
                        alpha=o["fillOpacity"],
                        zorder=4.1,
                    )
                )
            continue
        for arc in getattr(row.geometry, "geoms", [row.geometry]):
            xs, ys = arc.xy
            ax.plot(
                xs,
                ys,
                color=o["color"],
                linewidth=o["weight"] * s.px,
                alpha=o["opacity"],
                linestyle=s.dashes(o["dashArray"] or ""),
                solid_capstyle="round",
                dash_capstyle="round",
                zorder=4,
            )


def points_in(box: Bbox, points: np.ndarray) -> int:
    """How many of ``points`` (an N×2 array, display units) lie in ``box``."""
    if not len(points):
        return 0
    x, y = points[:, 0], points[:, 1]
    return int(((box.x0 <= x) & (x <= box.x1) & (box.y0 <= y) & (y <= box.y1)).sum())


def place_xy(places: gpd.GeoDataFrame) -> np.ndarray:
    merc = places.to_crs("EPSG:3857")
    return np.column_stack([merc.geometry.x, merc.geometry.y]) if len(merc) else np.empty((0, 2))


def draw_places(
    ax: Axes, places: gpd.GeoDataFrame, selected: str | None, year: int, s: Scale
) -> None:
    """``place_style``: fill by theme and status; white ring if exact, dashed dark if estimated."""
    if places.empty:
        return
    xy = place_xy(places)
    for (x, y), row in zip(xy, places.itertuples(index=False), strict=True):
        o = style.place_style(_props(row), year, selected)
        chosen = row.id == selected
        radius = o["radius"] * s.px
        ax.scatter(
            [x],
            [y],
            s=(2 * radius) ** 2,
            facecolors=[o["fillColor"]],
            alpha=None,
            edgecolors=o["color"],
            linewidths=o["weight"] * s.px,
            linestyles="solid" if o["dashArray"] is None or chosen else [s.dashes(o["dashArray"])],
            zorder=5 + (0.5 if chosen else 0),
        )
        # Fill opacity by status, edge kept opaque (as Leaflet's fillOpacity does).
        collection = ax.collections[-1]
        rgba = collection.get_facecolor()
        rgba[:, 3] = o["fillOpacity"]
        collection.set_facecolor(rgba)


def draw_user(ax: Axes, layers: Sequence[UserLayer], s: Scale) -> None:
    """The planner's layers as the dashboard draws them (``assets/userlayers.js``): polygons
    filled in their class colour with thin white edges, lines in it, points as dark-rimmed
    dots — over the basemap, under the story's lines, flows and places; each layer over the one
    before.
    One collection per class, so a layer of 100,000 points is a handful of draw calls."""
    for n, layer in enumerate(layers):
        if layer.frame.empty:
            continue
        z = 2.0 + n * 0.1
        if layer.kind == "point":
            xy = _mercator(layer.points())
            dense = layer.dense
            radius = (user.DENSE_DOT_RADIUS if dense else user.DOT_RADIUS) * s.px
            for colour, chosen in layer.groups():
                ax.scatter(
                    xy[chosen, 0],
                    xy[chosen, 1],
                    s=(2 * radius) ** 2,
                    c=colour,
                    edgecolors="none" if dense else user.DOT_EDGE,
                    linewidths=0 if dense else 0.75 * s.px,
                    marker="o",
                    zorder=z,
                    rasterized=dense,  # 100,000 dots as vectors would swamp a PDF or SVG
                )
            continue
        merc = layer.frame.geometry.to_crs("EPSG:3857")
        for colour, chosen in layer.groups():
            shapes = merc.iloc[chosen]
            if layer.kind == "polygon":
                shapes.plot(ax=ax, facecolor=colour, edgecolor="#FFFFFF", linewidth=0.5, zorder=z)
                # the fill translucent, the white edge opaque (as Leaflet's fillOpacity)
                ax.collections[-1].set_facecolor(mpl.colors.to_rgba(colour, user.POLYGON_ALPHA))
            else:
                shapes.plot(
                    ax=ax,
                    color=colour,
                    alpha=user.LINE_ALPHA,
                    linewidth=user.LINE_WIDTH * s.px,
                    capstyle="round",
                    joinstyle="round",
                    zorder=z,
                )


def _mercator(lonlat: np.ndarray) -> np.ndarray:
    """(n, 2) lon/lat → (n, 2) EPSG:3857, the frame's projection."""
    if not len(lonlat):
        return np.empty((0, 2))
    x, y = _TO_MERCATOR.transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])
