"""The map frame of a page export: basemap, lines, flows and places.

Styles are the Leaflet path options of the shared rules in ``core.style`` (the browser's twins
are proven equal), converted from screen pixels to points by ``px`` — the frame's size
over the reference viewport's, so symbols keep their screen proportion to the map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

import geopandas as gpd

from core import style

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
    merc[merc["level"] == "new_area"].boundary.plot(
        ax=ax,
        color=outline["color"],
        linewidth=outline["weight"] * s.px,
        linestyle=s.dashes(outline["dashArray"]),
        zorder=1.5,
    )
    province = style.boundary_style({"level": "province"}, None)
    merc[merc["level"] == "province"].boundary.plot(
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
