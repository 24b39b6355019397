"""Layer builders: pure functions from data to GeoJSON with what the browser needs."""

from __future__ import annotations

import math

import pytest

from core import style
from core.timeline import status_at, timelines, year_span
from geodata.load import Atlas
from layers.basemap import boundaries_layer
from layers.features import flows_layer, lines_layer, places_layer
from layers.geojson import to_geobuf


def _by_id(collection: dict, fid: str) -> dict:
    return next(f for f in collection["features"] if f["properties"]["id"] == fid)


def test_boundaries_carry_both_names_focus_and_labels(atlas: Atlas) -> None:
    layer = boundaries_layer(atlas.table("boundaries"))
    fengtai = _by_id(layer, "110106")["properties"]
    assert (fengtai["name_zh"], fengtai["name_en"], fengtai["focus"]) == ("丰台区", "Fengtai", True)
    assert _by_id(layer, "110101")["properties"]["label"] is False  # tiny central district
    assert not any(f["properties"]["level"] == "county" for f in layer["features"])
    # geobuf is the compact form actually sent
    assert len(to_geobuf(layer)) < 400_000


def test_places_carry_status_timelines(atlas: Atlas) -> None:
    layer = places_layer(atlas.table("places"), atlas.table("status"))
    station = _by_id(layer, "beijing_fengtai")["properties"]
    assert station["tl"][-1] == [2022, "open"]
    assert station["layer"] == "hubs"


def test_places_sharing_a_stand_in_point_are_spread_for_display(atlas: Atlas) -> None:
    layer = places_layer(atlas.table("places"), atlas.table("status"))
    coords = [tuple(f["geometry"]["coordinates"]) for f in layer["features"]]
    assert len(coords) == len(set(coords))
    moved = [f for f in layer["features"] if f["properties"]["display_offset"]]
    assert {f["properties"]["id"] for f in moved} >= {"hesheng_plaza", "gov_service_center"}


def test_lines_are_flagged_schematic_with_widths(atlas: Atlas) -> None:
    layer = lines_layer(atlas.table("lines"), atlas.table("status"))
    r1 = _by_id(layer, "jingxiong_r1")["properties"]
    assert r1["schematic"] is True and r1["tl"] == [[2022, "under_construction"]]


def test_flows_have_arrowheads_and_width_proportional_to_value(atlas: Atlas) -> None:
    layer = flows_layer(atlas.table("flows"), atlas.table("places"))
    parts = [f["properties"]["part"] for f in layer["features"]]
    assert parts.count("head") >= parts.count("arc")
    synergy = [
        f["properties"]
        for f in layer["features"]
        if f["properties"]["part"] == "arc" and f["properties"]["layer"] == "synergy"
    ]
    widest = max(synergy, key=lambda p: p["value"] or 0)
    assert widest["width"] == pytest.approx(style.FLOW_MAX_WIDTH)
    baoding = next(p for p in synergy if p["id"].endswith("baoding"))
    expected = style.flow_width(baoding["value"], widest["value"])
    assert baoding["width"] == pytest.approx(expected)


def test_flow_width_without_a_count_is_the_minimum() -> None:
    assert style.flow_width(None, 100) == style.FLOW_MIN_WIDTH
    assert style.flow_width(math.nan, 100) == style.FLOW_MIN_WIDTH


def test_status_at_year(atlas: Atlas) -> None:
    tl = timelines(atlas.table("status"))["beijing_fengtai"]
    assert status_at(tl, 2009) == "open"
    assert status_at(tl, 2015) == "closed"
    assert status_at(tl, 2020) == "under_construction"
    assert status_at(tl, 2022) == "open"
    assert status_at(timelines(atlas.table("status"))["lize_terminal"], 2019) is None
    assert status_at(None, 2014) == "open"  # no records: always present


def test_year_span_runs_from_2014_to_the_newest_date() -> None:
    assert year_span(["2019-02", "2026-03", "1996-01-21"]) == (2014, 2026)
    assert year_span([]) == (2014, 2014)
