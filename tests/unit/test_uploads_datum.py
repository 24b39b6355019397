"""uploads.datum: the atlas's own stations written in GCJ-02 or BD-09 are recognised as such,
in WGS-84 as WGS-84, and places the atlas does not have leave the datum unknown; a confirmed
conversion brings them back within a metre of the truth."""

from __future__ import annotations

import numpy as np
import pytest

import geopandas as gpd

from geodata.datum import gcj02_to_bd09, wgs84_to_gcj02
from geodata.load import Atlas
from uploads.datum import convert, guess_datum
from uploads.read import read_upload


@pytest.fixture(scope="module")
def places(atlas: Atlas) -> gpd.GeoDataFrame:
    return atlas.table("places").to_crs("EPSG:4326")


@pytest.fixture(scope="module")
def stations(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    found = places[(places["kind"] == "station") & (places["location_accuracy"] == "exact")]
    assert len(found) >= 5
    return found


def _csv(names: list[str], lon: np.ndarray, lat: np.ndarray) -> bytes:
    rows = "\n".join(f"{n},{x:.6f},{y:.6f}" for n, x, y in zip(names, lon, lat, strict=True))
    return f"name,lon,lat\n{rows}\n".encode()


def _offset_m(a: gpd.GeoSeries, b: gpd.GeoSeries) -> float:
    utm = "EPSG:32650"
    return float(a.to_crs(utm).distance(b.to_crs(utm), align=False).max())


@pytest.mark.parametrize("datum", ["wgs84", "gcj02", "bd09"])
def test_the_atlas_stations_in_each_datum_are_recognised(
    places: gpd.GeoDataFrame, stations: gpd.GeoDataFrame, datum: str
) -> None:
    lon, lat = stations.geometry.x.to_numpy(), stations.geometry.y.to_numpy()
    if datum != "wgs84":
        lon, lat = wgs84_to_gcj02(lon, lat)
    if datum == "bd09":
        lon, lat = gcj02_to_bd09(lon, lat)
    up = read_upload(f"stations-{datum}.csv", _csv(list(stations["id"]), lon, lat))
    guess = guess_datum(up.frame, places.geometry)
    assert guess.datum == datum, guess
    assert guess.matches[datum] == len(stations)
    back = convert(up.frame, guess.datum)
    assert _offset_m(back.geometry, stations.geometry) < 1.0
    if datum != "wgs84":  # as uploaded, they were hundreds of metres off
        assert _offset_m(up.frame.geometry, stations.geometry) > 300


def test_places_the_atlas_does_not_have_leave_the_datum_unknown(places: gpd.GeoDataFrame) -> None:
    # a grid over Hebei's countryside, nowhere near an atlas place
    lon, lat = np.meshgrid(np.linspace(114.6, 115.2, 4), np.linspace(37.2, 37.8, 4))
    up = read_upload("grid.csv", _csv([f"p{i}" for i in range(16)], lon.ravel(), lat.ravel()))
    guess = guess_datum(up.frame, places.geometry)
    assert guess.datum == "unknown" and guess.sampled == 16
    assert max(guess.matches.values()) == 0
