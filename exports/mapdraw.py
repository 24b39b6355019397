"""The map frame of a page export: basemap, lines, flows and places.

Styles come from ``layers.style`` and mirror ``assets/atlas.js`` (boundaryStyle, lineStyle,
flowStyle, placeMarker), converted from screen pixels to points by ``px`` — the frame's size
over the reference viewport's, so symbols keep their screen proportion to the map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

import geopandas as gpd

from exports import look
from layers import style

HALO = "#FFFFFF"
INK = "#1A1A1A"


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


def draw_basemap(ax: Axes, boundaries: gpd.GeoDataFrame, selected: str | None, s: Scale) -> None:
    """``boundaryStyle``: units filled, Fengtai emphasised, Xiong'an dashed, provinces on top."""
    merc = boundaries.to_crs("EPSG:3857")
    units = merc[merc["level"].isin(["district", "prefecture"]) & ~merc["focus"]]
    plain = units[units["id"] != selected]
    plain.plot(
        ax=ax,
        facecolor=style.BOUNDARY_FILL,
        edgecolor=style.BOUNDARY_EDGE,
        linewidth=1 * s.px,
        zorder=1,
    )
    chosen = units[units["id"] == selected]
    if not chosen.empty:
        chosen.plot(
            ax=ax,
            facecolor=style.BOUNDARY_FILL,
            edgecolor="#000000",
            linewidth=3 * s.px,
            zorder=1.2,
        )
    focus = merc[merc["focus"]]
    width = 4 if selected in set(focus["id"]) else 3
    focus.plot(
        ax=ax,
        facecolor=style.FENGTAI_FILL,
        alpha=style.FENGTAI_FILL_OPACITY,
        edgecolor="none",
        zorder=1.3,
    )
    focus.boundary.plot(ax=ax, color=style.FENGTAI_EDGE, linewidth=width * s.px, zorder=1.4)
    new_area = merc[merc["level"] == "new_area"]
    new_area.boundary.plot(
        ax=ax,
        color=style.XIONGAN_EDGE,
        linewidth=2 * s.px,
        linestyle=s.dashes(style.XIONGAN_DASH),
        zorder=1.5,
    )
    provinces = merc[merc["level"] == "province"]
    provinces.boundary.plot(ax=ax, color=style.PROVINCE_EDGE, linewidth=2 * s.px, zorder=1.6)


def draw_lines(ax: Axes, lines: gpd.GeoDataFrame, selected: str | None, s: Scale) -> None:
    """``lineStyle``: theme colour (grey when closed), dash by status, wider when selected."""
    if lines.empty:
        return
    merc = lines.to_crs("EPSG:3857")
    for row in merc.itertuples(index=False):
        xs, ys = row.geometry.xy
        ax.plot(
            xs,
            ys,
            color=look.colour(row.layer, row.status),
            linewidth=(float(row.width) + (4 if row.id == selected else 0)) * s.px,
            linestyle=s.dashes(style.STATUS_DASH.get(str(row.status), "")),
            alpha=style.LINE_OPACITY,
            solid_capstyle="round",
            dash_capstyle="round",
            zorder=3,
        )


def draw_flows(ax: Axes, flows: gpd.GeoDataFrame, selected: str | None, s: Scale) -> None:
    """``flowStyle``: arcs with width ∝ counted value, dashed before the count's year; heads."""
    if flows.empty:
        return
    merc = flows.to_crs("EPSG:3857")
    for row in merc.itertuples(index=False):
        colour = style.THEME_COLOURS[row.layer]
        if row.part == "head":
            for poly in getattr(row.geometry, "geoms", [row.geometry]):
                ax.add_patch(
                    Polygon(
                        np.asarray(poly.exterior.coords),
                        closed=True,
                        facecolor=colour,
                        edgecolor="none",
                        alpha=style.HEAD_OPACITY,
                        zorder=4.1,
                    )
                )
            continue
        width = (float(row.width) + (3 if row.id == selected else 0)) * s.px
        for arc in getattr(row.geometry, "geoms", [row.geometry]):
            xs, ys = arc.xy
            ax.plot(
                xs,
                ys,
                color=colour,
                linewidth=width,
                alpha=style.FLOW_OPACITY,
                linestyle=s.dashes(style.FLOW_UNCOUNTED_DASH if row.dashed else ""),
                solid_capstyle="round",
                dash_capstyle="round",
                zorder=4,
            )


def place_xy(places: gpd.GeoDataFrame) -> np.ndarray:
    merc = places.to_crs("EPSG:3857")
    return np.column_stack([merc.geometry.x, merc.geometry.y]) if len(merc) else np.empty((0, 2))


def draw_places(ax: Axes, places: gpd.GeoDataFrame, selected: str | None, s: Scale) -> None:
    """``placeMarker``: fill by theme and status; white ring if exact, dashed dark if estimated."""
    if places.empty:
        return
    xy = place_xy(places)
    for (x, y), row in zip(xy, places.itertuples(index=False), strict=True):
        chosen = row.id == selected
        exact = row.location_accuracy == "exact"
        radius = (style.PLACE_RADIUS + (4 if chosen else 0)) * s.px
        ax.scatter(
            [x],
            [y],
            s=(2 * radius) ** 2,
            facecolors=[look.colour(row.layer, row.status)],
            alpha=None,
            edgecolors=style.SELECTED_EDGE
            if chosen
            else (style.EXACT_EDGE if exact else style.ESTIMATE_EDGE),
            linewidths=(4 if chosen else 2) * s.px,
            linestyles="solid" if exact or chosen else [s.dashes(style.ESTIMATE_DASH)],
            zorder=5 + (0.5 if chosen else 0),
        )
        # Fill opacity by status, edge kept opaque (as Leaflet's fillOpacity does).
        collection = ax.collections[-1]
        rgba = collection.get_facecolor()
        rgba[:, 3] = style.PLACE_FILL_OPACITY.get(str(row.status), 0.95)
        collection.set_facecolor(rgba)
