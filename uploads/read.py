"""A planner's file read into a WGS-84 GeoDataFrame, or refused with one sentence that names the
file (and the layer, row and field where there is one).

Formats: GeoPackage, GeoJSON, zipped Shapefile, KML, read through GDAL (pyogrio), and CSV or
XLSX tables with longitude/latitude columns. Whatever the file's own names say, it is written
only into a private temporary directory under a fixed name, and a zip is unpacked member by
member after its paths and sizes were checked. Nothing here touches the atlas's own data.

Not here yet (issue 13): joining tables by district name, styling and the dashboard's upload
control. ``uploads.datum`` guesses the datum, ``uploads.store`` keeps what was read."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

import geopandas as gpd
import pyogrio
import shapely

MB = 1024 * 1024

# Longitude/latitude box a layer for this atlas must touch: Beijing, Tianjin and Hebei with a
# margin of about a degree (Hebei spans 113.4-119.9 E, 36.0-42.6 N).
REGION = (112.5, 35.0, 121.0, 43.5)

FORMATS = {
    ".gpkg": "GeoPackage",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".zip": "zipped Shapefile",
    ".kml": "KML",
    ".csv": "CSV",
    ".xlsx": "XLSX",
}
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
ENCODINGS = ("utf-8-sig", "gbk", "gb18030")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "東經", "东经")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬")
BASE_TYPES = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


class UploadError(ValueError):
    """A refusal the planner reads: one sentence naming the file and, where it applies, the
    layer, row and field."""


class LayerChoiceError(UploadError):
    """A GeoPackage with several layers, read without naming one: ``layers`` to choose from."""

    def __init__(self, message: str, layers: list[str]) -> None:
        super().__init__(message)
        self.layers = layers


@dataclass(frozen=True)
class Limits:
    """Caps on one upload (defaults fit the 2-core, 24 GiB reference machine)."""

    max_bytes: int = 50 * MB
    max_unpacked: int = 200 * MB  # a zip's members together, uncompressed
    max_ratio: float = 200.0  # a zip member's uncompressed size over its compressed size (a
    # zip bomb's member is far beyond it: 20 MB of zeros deflates to under 100 KB)
    max_features: int = 200_000
    max_vertices: int = 1_000_000


@dataclass
class Upload:
    """What was read: features in EPSG:4326, a content hash of the file's bytes, the geometry
    kind (point, line or polygon) and notes for the planner (e.g. repaired geometries)."""

    frame: gpd.GeoDataFrame
    digest: str
    kind: str
    notes: list[str] = field(default_factory=list)


def read_upload(
    name: str, data: bytes, layer: str | None = None, limits: Limits | None = None
) -> Upload:
    """Read the file ``name`` (only its suffix is used) holding ``data``; raise UploadError."""
    limits = limits or Limits()
    label = PurePosixPath(name.replace("\\", "/")).name or "the file"
    if not data:
        raise UploadError(f"{label} is empty.")
    if len(data) > limits.max_bytes:
        raise UploadError(
            f"{label} is {len(data) / MB:.1f} MB, over the {limits.max_bytes // MB} MB limit."
        )
    suffix = PurePosixPath(label).suffix.lower()
    if suffix not in FORMATS:
        listed = ", ".join(sorted(set(FORMATS.values())))
        raise UploadError(f"{label} is not a supported format (use {listed}).")
    with tempfile.TemporaryDirectory(prefix="atlas-upload-") as tmp:
        if suffix == ".csv":
            frame = _table(label, _csv(label, data))
        elif suffix == ".xlsx":
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            frame = _table(label, _gdal(label, path, layer, spatial=False))
        else:
            if suffix == ".kml":
                _check_kml(label, data)
            path = _unzip(label, data, Path(tmp), limits) if suffix == ".zip" else None
            if path is None:
                path = Path(tmp) / f"upload{suffix}"
                path.write_bytes(data)
            frame = _gdal(label, path, layer, spatial=True)
    return _checked(label, frame, hashlib.sha256(data).hexdigest(), limits)


def _gdal(label: str, path: Path, layer: str | None, spatial: bool) -> gpd.GeoDataFrame:
    try:
        layers = [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL's own words are long; the planner gets one sentence
        raise UploadError(f"{label} could not be opened as its format says: {_short(exc)}") from exc
    if layer is None and len(layers) > 1:
        raise LayerChoiceError(
            f"{label} has {len(layers)} layers ({', '.join(layers)}): pick one.", layers
        )
    if layer is not None and layer not in layers:
        raise UploadError(f"{label} has no layer named {layer!r} (it has {', '.join(layers)}).")
    chosen = layer or layers[0]
    where = f"{label}, layer {chosen}" if len(layers) > 1 else label
    try:
        frame = pyogrio.read_dataframe(path, layer=chosen, read_geometry=spatial)
    except Exception as exc:
        raise UploadError(f"{where} could not be read: {_short(exc)}") from exc
    if spatial and not isinstance(frame, gpd.GeoDataFrame):
        raise UploadError(f"{where} has no geometry column.")
    return frame


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return (text[:157] + "...") if len(text) > 160 else (text or type(exc).__name__)


def _check_kml(label: str, data: bytes) -> None:
    head = data.lstrip()[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise UploadError(f"{label} declares a DOCTYPE or entities, which KML does not need.")


def _unzip(label: str, data: bytes, into: Path, limits: Limits) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadError(f"{label} is not a readable zip file.") from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for m in members:
            parts = PurePosixPath(m.filename.replace("\\", "/")).parts
            if m.filename.startswith(("/", "\\")) or ".." in parts or ":" in m.filename:
                raise UploadError(f"{label} holds a path outside the archive: {m.filename!r}.")
            if m.file_size > limits.max_ratio * max(m.compress_size, 1):
                raise UploadError(
                    f"{label}: {m.filename} unpacks to {m.file_size / MB:.0f} MB from "
                    f"{m.compress_size / 1024:.0f} KB, too compressed to be a real layer."
                )
        total = sum(m.file_size for m in members)
        if total > limits.max_unpacked:
            raise UploadError(
                f"{label} unpacks to {total / MB:.0f} MB, over the "
                f"{limits.max_unpacked // MB} MB limit."
            )
        shapes = [m for m in members if PurePosixPath(m.filename).suffix.lower() == ".shp"]
        if len(shapes) != 1:
            found = "no" if not shapes else str(len(shapes))
            raise UploadError(f"{label} holds {found} .shp files; a zipped Shapefile holds one.")
        stem = PurePosixPath(shapes[0].filename).with_suffix("")
        for m in members:
            p = PurePosixPath(m.filename)
            if p.with_suffix("") == stem and p.suffix.lower() in SHAPEFILE_PARTS:
                # a fixed name in our own directory: the member's path is never used
                (into / f"upload{p.suffix.lower()}").write_bytes(archive.read(m))
    return into / "upload.shp"


def _csv(label: str, data: bytes) -> pd.DataFrame:
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise UploadError(f"{label} is not a readable CSV table: {_short(exc)}") from exc
    raise UploadError(f"{label} is in none of the encodings tried ({', '.join(ENCODINGS)}).")


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_name = {str(c).strip().lower(): c for c in frame.columns}
    return next((by_name[n] for n in names if n in by_name), None)


def _table(label: str, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Points from a table's longitude and latitude columns; a bad cell names its row (as a
    spreadsheet counts them: the header is row 1) and field."""
    lon, lat = _column(table, LON_NAMES), _column(table, LAT_NAMES)
    if lon is None or lat is None:
        raise UploadError(
            f"{label} has no longitude/latitude columns (looked for lon, lng, longitude, 经度 "
            "and lat, latitude, 纬度)."
        )
    values = {}
    for col in (lon, lat):
        numbers = pd.to_numeric(table[col].astype(str).str.strip(), errors="coerce")
        bad = numbers.isna() | ~np.isfinite(numbers)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise UploadError(
                f"{label}, row {row + 2}, field {col}: {table[col].iloc[row]!r} is not a number."
            )
        values[col] = numbers.to_numpy(dtype=float)
    rest = table.drop(columns=[lon, lat])
    return gpd.GeoDataFrame(
        rest, geometry=gpd.points_from_xy(values[lon], values[lat]), crs="EPSG:4326"
    )


def _checked(label: str, frame: gpd.GeoDataFrame, digest: str, limits: Limits) -> Upload:
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if frame.empty:
        raise UploadError(f"{label} has no features with a geometry.")
    if len(frame) > limits.max_features:
        raise UploadError(
            f"{label} has {len(frame):,} features, over the {limits.max_features:,} limit."
        )
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > limits.max_vertices:
        raise UploadError(
            f"{label} has {vertices:,} vertices, over the {limits.max_vertices:,} limit; "
            "simplify it first."
        )
    kinds = sorted({BASE_TYPES.get(t, t) for t in frame.geom_type})
    unknown = [k for k in kinds if k not in BASE_TYPES.values()]
    if unknown or len(kinds) > 1:
        raise UploadError(
            f"{label} mixes geometry types ({', '.join(kinds)}); upload one kind per layer."
        )
    frame = _to_wgs84(label, frame)
    notes = []
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame = frame.copy()
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
        notes.append(f"{int(invalid.sum())} invalid geometries were repaired (make_valid).")
    return Upload(frame.reset_index(drop=True), digest, kinds[0], notes)


SWAPPED = (
    "{label} lies outside Beijing–Tianjin–Hebei, but would lie inside with longitude and "
    "latitude swapped: check the column order."
)


def _in_region(x0: float, y0: float, x1: float, y1: float) -> bool:
    """Whether the box (x0, y0)–(x1, y1), read as longitude/latitude, touches :data:`REGION`."""
    w, s, e, n = REGION
    return not (x1 < w or x0 > e or y1 < s or y0 > n)


def _to_wgs84(label: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    x0, y0, x1, y1 = frame.total_bounds
    geographic = frame.crs is None or frame.crs.is_geographic
    if geographic and not (max(abs(x0), abs(x1)) <= 180 and max(abs(y0), abs(y1)) <= 90):
        # GeoJSON is longitude/latitude by definition; such numbers come from a projected file
        # saved without its coordinate system
        if _in_region(y0, x0, y1, x1):
            raise UploadError(SWAPPED.format(label=label))
        raise UploadError(
            f"{label} has coordinates that are not longitude/latitude (x up to "
            f"{max(abs(x0), abs(x1)):,.0f}): they look projected, and the file does not say in "
            "which coordinate system; save it with its CRS."
        )
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    x0, y0, x1, y1 = frame.total_bounds
    if not _in_region(x0, y0, x1, y1):
        if _in_region(y0, x0, y1, x1):
            raise UploadError(SWAPPED.format(label=label))
        raise UploadError(
            f"{label} lies outside Beijing–Tianjin–Hebei (its features span "
            f"{x0:.2f}–{x1:.2f} E, {y0:.2f}–{y1:.2f} N)."
        )
    return frame
