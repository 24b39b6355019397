"""Which datum an uploaded layer's coordinates are likely in. Chinese data is often in GCJ-02
(web maps) or BD-09 (Baidu) while declaring WGS-84, which puts it 0.5–1 km off in Beijing.

The rule: the layer's points (a sample of its vertices) are read as WGS-84, as GCJ-02 and as
BD-09, each converted to WGS-84 with the project's tested datum code (``geodata.datum``), and
compared with the atlas's own places (WGS-84, checked). A reading wins when at least
``MIN_MATCHES`` points then lie within ``TOLERANCE_M`` of an atlas place and no other reading
matches half as many; otherwise the datum is "unknown" (a layer of places the atlas does not
have says nothing about its datum). The planner is asked to confirm before anything is
converted (:func:`convert`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

import geopandas as gpd
import shapely

from geodata.datum import (
    bd09_to_wgs84,
    gcj02_to_wgs84,
    geometry_bd09_to_wgs84,
    geometry_gcj02_to_wgs84,
)

TOLERANCE_M = 60.0  # the GCJ-02 offset in Beijing is about 500 m, BD-09's about 1 km more
MIN_MATCHES = 2
SAMPLE = 2000  # vertices compared at most (evenly spread over the layer)
READINGS = {
    "wgs84": lambda lon, lat: (lon, lat),
    "gcj02": gcj02_to_wgs84,
    "bd09": bd09_to_wgs84,
}


@dataclass(frozen=True)
class DatumGuess:
    datum: str  # "wgs84", "gcj02", "bd09" or "unknown"
    matches: dict[str, int]  # per reading: sampled points within TOLERANCE_M of an atlas place
    sampled: int


def _nearest_m(points: npt.NDArray[np.float64], ref: npt.NDArray[np.float64]) -> np.ndarray:
    """Distance in metres from each point to its nearest reference point (local flat earth,
    good to well under a metre over the few hundred metres that matter here)."""
    lat0 = np.radians(np.mean(ref[:, 1]))
    scale = np.array([111_320.0 * np.cos(lat0), 110_540.0])
    d = (points[:, None, :] - ref[None, :, :]) * scale
    return np.sqrt((d**2).sum(axis=2)).min(axis=1)


def guess_datum(frame: gpd.GeoDataFrame, reference: gpd.GeoSeries) -> DatumGuess:
    """The likely datum of ``frame`` (read as EPSG:4326) against ``reference`` (WGS-84 points)."""
    coords = shapely.get_coordinates(frame.geometry.values)
    if len(coords) > SAMPLE:
        coords = coords[np.linspace(0, len(coords) - 1, SAMPLE).astype(int)]
    ref = shapely.get_coordinates(reference.to_crs("EPSG:4326").values)
    matches = {}
    for name, to_wgs in READINGS.items():
        lon, lat = to_wgs(coords[:, 0], coords[:, 1])
        near = _nearest_m(np.column_stack([lon, lat]), ref) if len(ref) else np.array([])
        matches[name] = int((near <= TOLERANCE_M).sum())
    ranked = sorted(matches, key=matches.get, reverse=True)
    best, second = ranked[0], ranked[1]
    clear = matches[best] >= MIN_MATCHES and matches[second] * 2 <= matches[best]
    return DatumGuess(best if clear else "unknown", matches, len(coords))


def convert(frame: gpd.GeoDataFrame, datum: str) -> gpd.GeoDataFrame:
    """``frame`` moved from ``datum`` to WGS-84 (once the planner confirmed it)."""
    if datum == "wgs84":
        return frame
    step = {"gcj02": geometry_gcj02_to_wgs84, "bd09": geometry_bd09_to_wgs84}[datum]
    return frame.set_geometry(frame.geometry.map(step), crs="EPSG:4326")
