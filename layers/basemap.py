"""The vector basemap: administrative boundaries with Fengtai emphasised."""

from __future__ import annotations

import geopandas as gpd

from layers.geojson import GeoJSON, to_geojson

FENGTAI_ID = "110106"
SHOWN_LEVELS = ("province", "prefecture", "district", "new_area")
# Small central districts whose labels would collide at the regional view.
UNLABELLED = frozenset(
    {"110101", "110102", "110107", "120101", "120102", "120103", "120104", "120105", "120106"}
)


def boundaries_layer(boundaries: gpd.GeoDataFrame) -> GeoJSON:
    """Boundaries for the basemap: Beijing/Tianjin districts, Hebei prefectures, provinces and
    the Xiong'an outline, with both names, a ``focus`` flag for Fengtai and a ``label`` flag."""
    shown = boundaries[boundaries["level"].isin(SHOWN_LEVELS)]
    shown = shown.assign(
        focus=shown["id"] == FENGTAI_ID,
        label=shown["level"].isin(["district", "prefecture"]) & ~shown["id"].isin(UNLABELLED),
    )
    # Provinces last so their outlines draw over the units inside them.
    order = shown["level"].map({"prefecture": 0, "district": 0, "new_area": 1, "province": 2})
    shown = shown.assign(_order=order).sort_values(["_order", "id"], kind="stable")
    return to_geojson(shown, ["id", "name_zh", "name_en", "level", "focus", "label"])
