"""Themes: one step sets the layers, the map view and the indicator cards."""

from __future__ import annotations

from dataclasses import dataclass

from geodata.schema import THEMES as LAYER_KEYS  # the one list of story layers

__all__ = ["DEFAULT_THEME", "LAYER_KEYS", "THEMES", "Theme"]


@dataclass(frozen=True)
class Theme:
    key: str
    layers: tuple[str, ...]
    center: tuple[float, float]  # lat, lon
    zoom: int
    series: tuple[str, ...]


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
            (39.80, 116.36),
            10,
            (
                "traffic_circle_hours",
                "travel_time_fengtai_xiongan_r1_planned",
                "travel_time_daxing_airport_xiongan",
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
