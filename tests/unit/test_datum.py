"""GCJ-02 → WGS-84 against prcoords (public-domain reference) and known offsets."""

from __future__ import annotations

import numpy as np
import prcoords
import pytest

from shapely.geometry import Polygon

from geodata.datum import (
    bd09_to_gcj02,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    geometry_gcj02_to_wgs84,
    wgs84_to_gcj02,
)

# (lon, lat) WGS-84 points from FACTS.md: Beijing West, Fengtai station, Xiong'an, Shijiazhuang
POINTS = [(116.3151, 39.8937), (116.2946, 39.8498), (116.1532, 39.0557), (114.4786, 38.0414)]


@pytest.mark.parametrize(("lon", "lat"), POINTS)
def test_forward_matches_prcoords(lon: float, lat: float) -> None:
    ref = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    assert g_lon == pytest.approx(ref.lon, abs=1e-9)
    assert g_lat == pytest.approx(ref.lat, abs=1e-9)


@pytest.mark.parametrize(("lon", "lat"), POINTS)
def test_inverse_matches_prcoords_exact_inverse(lon: float, lat: float) -> None:
    ref = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
    w_lon, w_lat = gcj02_to_wgs84(lon, lat)
    assert w_lon == pytest.approx(ref.lon, abs=1e-8)
    assert w_lat == pytest.approx(ref.lat, abs=1e-8)


def test_round_trip_is_exact_to_a_millimetre() -> None:
    rng = np.random.default_rng(7)
    lon = rng.uniform(113.5, 119.8, 1000)
    lat = rng.uniform(36.1, 42.6, 1000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-8  # ~1 mm
    assert np.max(np.abs(back_lat - lat)) < 1e-8


def test_beijing_offset_is_the_documented_half_kilometre() -> None:
    # FACTS.md: around Beijing GCJ-02 sits about 0.46–0.65 km east/north of WGS-84.
    lon, lat = 116.3151, 39.8937
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    east_m = (g_lon - lon) * 111_320 * np.cos(np.radians(lat))
    north_m = (g_lat - lat) * 110_574
    assert east_m > 0 and north_m > 0
    assert 460 <= float(np.hypot(east_m, north_m)) <= 650


def test_geometry_conversion_moves_every_vertex() -> None:
    square = Polygon([(116.3, 39.8), (116.4, 39.8), (116.4, 39.9), (116.3, 39.9)])
    moved = geometry_gcj02_to_wgs84(square)
    for (x0, y0), (x1, y1) in zip(square.exterior.coords, moved.exterior.coords, strict=True):
        ref = prcoords.gcj_wgs_bored(prcoords.Coords(y0, x0))
        assert (x1, y1) == pytest.approx((ref.lon, ref.lat), abs=1e-8)
        assert x1 < x0 and y1 < y0


@pytest.mark.parametrize(("lon", "lat"), POINTS)
def test_bd09_both_ways_match_prcoords(lon: float, lat: float) -> None:
    ref = prcoords.gcj_bd(prcoords.Coords(lat, lon))
    b_lon, b_lat = gcj02_to_bd09(lon, lat)
    assert (b_lon, b_lat) == (pytest.approx(ref.lon, abs=1e-9), pytest.approx(ref.lat, abs=1e-9))
    back = prcoords.bd_gcj(prcoords.Coords(lat, lon))
    g_lon, g_lat = bd09_to_gcj02(lon, lat)
    assert (g_lon, g_lat) == (pytest.approx(back.lon, abs=1e-9), pytest.approx(back.lat, abs=1e-9))
