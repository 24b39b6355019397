"""Themes: one step sets the layers, the map view and the indicator cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from geodata.schema import THEMES as LAYER_KEYS  # the one list of story layers

if TYPE_CHECKING:
    from core.tables import Tables

__all__ = ["DEFAULT_THEME", "LAYER_KEYS", "THEMES", "Bounds", "Theme", "theme_frames"]

Bounds = tuple[tuple[float, float], tuple[float, float]]  # (south, west), (north, east)


@dataclass(frozen=True)
class Theme:
    key: str
    layers: tuple[str, ...]
    center: tuple[float, float]  # lat, lon (its view as centre and zoom: kiosk, keyboard, start)
    zoom: int  # also the closest its framed view comes, on a large screen
    series: tuple[str, ...]
    # The places its view frames (callbacks/view.py fits their box into the free part of the
    # map, at most ``zoom``); empty: every place of its layers.
    frame: tuple[str, ...] = ()


THEMES: dict[str, Theme] = {
    t.key: t
    for t in (
        Theme(
            "overview",
            LAYER_KEYS,
            (39.25, 116.45),
            8,
            (
                "fengtai_firm_branches_jinji",
                "merchants_settled_receiving_sites",
                "travel_time_sw5ring_xiongan_road",
                "fengtai_cross_province_matters",
            ),
        ),
        Theme(
            "hubs",
            ("hubs",),
            (39.87, 116.34),
            12,
            (
                "traffic_circle_hours",
                "travel_time_fengtai_xiongan_r1_planned",
                "travel_time_daxing_airport_xiongan",
            ),
            # the three stations and the terminals in Beijing (not Cangzhou, the far end)
            frame=(
                "beijing_west",
                "beijing_south",
                "beijing_fengtai",
                "lize_terminal",
                "caoqiao_terminal",
            ),
        ),
        Theme(
            "relocation",
            ("relocation",),
            (39.15, 116.60),
            8,
            (
                "dahongmen_markets_closed_demolished",
                "dahongmen_markets_upgraded",
                "dahongmen_final_garment_markets_closed",
                "yunshang_merchants_from_beijing",
                "merchants_settled_receiving_sites",
                "nanzhongzhou_park_firms",
                "fengtai_logistics_bases_relocated",
            ),
        ),
        Theme(
            "corridor",
            ("corridor",),
            (39.42, 116.25),
            9,
            (
                "travel_time_sw5ring_xiongan_road",
                "travel_time_fengtai_xiongan_r1_planned",
                "travel_time_daxing_airport_xiongan",
                "fengtai_xiongan_remote_matters",
            ),
        ),
        Theme(
            "synergy",
            ("synergy",),
            (38.95, 116.00),
            8,
            (
                "fengtai_tech_firms_with_jinji_branches",
                "fengtai_firm_branches_jinji",
                "fengtai_firm_branches_tianjin",
                "fengtai_firm_branches_hebei",
                "jinji_hightech_firm_branches_in_fengtai",
                "jinji_firm_subsidiaries_in_fengtai",
            ),
        ),
        Theme(
            "services",
            ("services",),
            (39.35, 116.20),
            8,
            (
                "fengtai_cross_province_matters",
                "fengtai_cross_province_places",
                "fengtai_xiongan_remote_matters",
                "labour_coop_jobs_offered",
            ),
        ),
    )
}
DEFAULT_THEME = "overview"


def theme_frames(tables: Tables) -> dict[str, Bounds]:
    """The box around the places each theme's view is about, as drawn: those it names
    (``frame``), or every place of its layers in any year (so the view holds still while the
    years change). The map fits it into its free part (callbacks/view.py ``framed``)."""
    points, places = tables.feature_points(), tables.places
    frames: dict[str, Bounds] = {}
    for key, theme in THEMES.items():
        chosen = theme.frame or places.loc[places["theme"].isin(theme.layers), "id"]
        pts = [pt for i in chosen for pt in points[str(i)]]
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        frames[key] = ((min(lats), min(lons)), (max(lats), max(lons)))
    return frames
