"""Places (stations, markets, sites, cities) as a point layer."""

from __future__ import annotations

import geopandas as gpd

from layers.geojson import GeoJSON, to_geojson


def places_layer(places: gpd.GeoDataFrame, lang: str) -> GeoJSON:
    """Every place with its display name in ``lang``, kind, theme and location accuracy."""
    frame = places.assign(name=places["name_zh"] if lang == "zh" else places["name_en"])
    return to_geojson(frame, ["id", "name", "kind", "theme", "location_accuracy"])
