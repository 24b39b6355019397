"""GeoDataFrame → GeoJSON / geobuf payloads for dash-leaflet."""

from __future__ import annotations

import json
from typing import Any

import geobuf
import numpy as np

import geopandas as gpd
import shapely

GeoJSON = dict[str, Any]


def to_geojson(frame: gpd.GeoDataFrame, properties: list[str]) -> GeoJSON:
    """A FeatureCollection holding only ``properties`` (plain JSON types)."""
    subset = frame[[*properties, "geometry"]].to_crs("EPSG:4326")
    # Five decimals (~1 m) are finer than the 100 m boundary simplification and halve the payload.
    rounded = shapely.transform(subset.geometry.values, lambda xy: np.round(xy, 5))
    return json.loads(subset.set_geometry(rounded).to_json(drop_id=True))


def to_geobuf(collection: GeoJSON, precision: int = 5) -> bytes:
    """Geobuf bytes, the compact form dash-leaflet fetches with ``format="geobuf"``.

    Five decimals are ~1 m, finer than the 100 m boundary simplification.
    """
    return geobuf.encode(collection, precision)
