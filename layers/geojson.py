"""GeoDataFrame → GeoJSON / geobuf payloads for dash-leaflet."""

from __future__ import annotations

import base64
import json
from typing import Any

import geobuf

import geopandas as gpd

GeoJSON = dict[str, Any]


def to_geojson(frame: gpd.GeoDataFrame, properties: list[str]) -> GeoJSON:
    """A FeatureCollection holding only ``properties`` (plain JSON types)."""
    subset = frame[[*properties, "geometry"]]
    return json.loads(subset.to_json(drop_id=True, to_wgs84=True))


def to_geobuf(collection: GeoJSON, precision: int = 5) -> str:
    """Base64 geobuf, the compact form dash-leaflet decodes with ``format="geobuf"``.

    Five decimals are ~1 m, finer than the 100 m boundary simplification.
    """
    return base64.b64encode(geobuf.encode(collection, precision)).decode("ascii")
