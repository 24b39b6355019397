"""The vector basemap: administrative boundaries with Fengtai emphasised."""

from __future__ import annotations

import geopandas as gpd

from layers.geojson import GeoJSON, to_geojson

FENGTAI_ID = "110106"
SHOWN_LEVELS = ("province", "prefecture", "district", "new_area")


def boundaries_layer(boundaries: gpd.GeoDataFrame, lang: str) -> GeoJSON:
    """Boundaries for the basemap: Beijing/Tianjin districts, Hebei prefectures, provinces and
    the Xiong'an outline, each with ``name`` in ``lang`` and a ``focus`` flag for Fengtai."""
    shown = boundaries[boundaries["level"].isin(SHOWN_LEVELS)]
    shown = shown.assign(
        name=shown["name_zh"] if lang == "zh" else shown["name_en"],
        focus=shown["id"] == FENGTAI_ID,
    )
    # Provinces last so their outlines draw over the units inside them.
    order = shown["level"].map({"prefecture": 0, "district": 0, "new_area": 1, "province": 2})
    shown = shown.assign(_order=order).sort_values(["_order", "id"], kind="stable")
    return to_geojson(shown, ["id", "name", "level", "focus"])
