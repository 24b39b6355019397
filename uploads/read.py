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

import geopandas as gpd
import pyogrio
import shapely

from uploads.errors import LayerChoiceError, UploadError, short
from uploads.join import Joined, Unmatched
from uploads.tables import read_csv, read_table

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
BASE_TYPES = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


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
    notes: list[dict[str, str]] = field(default_factory=list)  # {"en": …, "zh": …}
    label: str = ""  # the file's name as the planner sees it
    unmatched: list[Unmatched] = field(default_factory=list)  # a table's rows joined to nothing


def read_upload(
    name: str,
    data: bytes,
    layer: str | None = None,
    limits: Limits | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    workdir: Path | None = None,
) -> Upload:
    """Read the file ``name`` (only its suffix is used) holding ``data``; raise UploadError.
    A table without longitude/latitude columns is joined by name or code to ``boundaries``
    (uploads.join) when they are given; the rows that matched nothing are in ``unmatched``.
    GDAL reads from files: they are written, under fixed names, into a temporary directory
    inside ``workdir`` (the layer store's directory in the app) and removed after."""
    limits = limits or Limits()
    label = PurePosixPath(name.replace("\\", "/")).name or "the file"
    if not data:
        raise UploadError(f"{label} is empty.", f"{label} 为空。")
    if len(data) > limits.max_bytes:
        size, cap = f"{len(data) / MB:.1f}", limits.max_bytes // MB
        raise UploadError(
            f"{label} is {size} MB, over the {cap} MB limit.",
            f"{label} 大小为 {size} MB，超过 {cap} MB 的上限。",
        )
    suffix = PurePosixPath(label).suffix.lower()
    if suffix not in FORMATS:
        listed = ", ".join(sorted(set(FORMATS.values())))
        raise UploadError(
            f"{label} is not a supported format (use {listed}).",
            f"{label} 不是支持的格式（请用 {listed}）。",
        )
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="atlas-upload-", dir=workdir) as tmp:
        if suffix == ".csv":
            frame = read_table(label, read_csv(label, data), boundaries)
        elif suffix == ".xlsx":
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            frame = read_table(label, _gdal(label, path, layer, spatial=False), boundaries)
        else:
            if suffix == ".kml":
                _check_kml(label, data)
            path = _unzip(label, data, Path(tmp), limits) if suffix == ".zip" else None
            if path is None:
                path = Path(tmp) / f"upload{suffix}"
                path.write_bytes(data)
            frame = _gdal(label, path, layer, spatial=True)
    unmatched: list[Unmatched] = []
    if isinstance(frame, Joined):
        frame, unmatched = frame.frame, frame.unmatched
        if frame.empty:
            raise UploadError(
                f"{label}: no row names an atlas area ({len(unmatched)} rows tried).",
                f"{label}：没有一行能对应到图集中的区域（共 {len(unmatched)} 行）。",
            )
    upload = _checked(label, frame, hashlib.sha256(data).hexdigest(), limits)
    upload.label, upload.unmatched = label, unmatched
    return upload


def _gdal(label: str, path: Path, layer: str | None, spatial: bool) -> gpd.GeoDataFrame:
    try:
        layers = [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL's own words are long; the planner gets one sentence
        raise UploadError(
            f"{label} could not be opened as its format says: {short(exc)}",
            f"{label} 无法按其格式打开：{short(exc)}",
        ) from exc
    if layer is None and len(layers) > 1:
        names = ", ".join(layers)
        raise LayerChoiceError(
            f"{label} has {len(layers)} layers ({names}): pick one.",
            f"{label} 含 {len(layers)} 个图层（{names}），请选择一个。",
            layers,
        )
    if layer is not None and layer not in layers:
        names = ", ".join(layers)
        raise UploadError(
            f"{label} has no layer named {layer!r} (it has {names}).",
            f"{label} 没有名为 {layer!r} 的图层（它有 {names}）。",
        )
    chosen = layer or layers[0]
    where = f"{label}, layer {chosen}" if len(layers) > 1 else label
    where_zh = f"{label} 的图层 {chosen}" if len(layers) > 1 else label
    try:
        frame = pyogrio.read_dataframe(path, layer=chosen, read_geometry=spatial)
    except Exception as exc:
        raise UploadError(
            f"{where} could not be read: {short(exc)}", f"{where_zh} 无法读取：{short(exc)}"
        ) from exc
    if spatial and not isinstance(frame, gpd.GeoDataFrame):
        raise UploadError(f"{where} has no geometry column.", f"{where_zh} 没有几何字段。")
    return frame


def _check_kml(label: str, data: bytes) -> None:
    head = data.lstrip()[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise UploadError(
            f"{label} declares a DOCTYPE or entities, which KML does not need.",
            f"{label} 声明了 DOCTYPE 或实体，KML 文件不需要这些。",
        )


def _unzip(label: str, data: bytes, into: Path, limits: Limits) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadError(
            f"{label} is not a readable zip file.", f"{label} 不是可读取的 zip 压缩包。"
        ) from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for m in members:
            parts = PurePosixPath(m.filename.replace("\\", "/")).parts
            if m.filename.startswith(("/", "\\")) or ".." in parts or ":" in m.filename:
                raise UploadError(
                    f"{label} holds a path outside the archive: {m.filename!r}.",
                    f"{label} 含有指向压缩包以外的路径：{m.filename!r}。",
                )
            if m.file_size > limits.max_ratio * max(m.compress_size, 1):
                big, small = f"{m.file_size / MB:.0f}", f"{m.compress_size / 1024:.0f}"
                raise UploadError(
                    f"{label}: {m.filename} unpacks to {big} MB from {small} KB, too "
                    "compressed to be a real layer.",
                    f"{label}：{m.filename} 由 {small} KB 解压为 {big} MB，压缩比过高，"
                    "不像真实的图层。",
                )
        total = sum(m.file_size for m in members)
        if total > limits.max_unpacked:
            big, cap = f"{total / MB:.0f}", limits.max_unpacked // MB
            raise UploadError(
                f"{label} unpacks to {big} MB, over the {cap} MB limit.",
                f"{label} 解压后为 {big} MB，超过 {cap} MB 的上限。",
            )
        shapes = [m for m in members if PurePosixPath(m.filename).suffix.lower() == ".shp"]
        if len(shapes) != 1:
            found = "no" if not shapes else str(len(shapes))
            raise UploadError(
                f"{label} holds {found} .shp files; a zipped Shapefile holds one.",
                f"{label} 含 {len(shapes)} 个 .shp 文件；Shapefile 压缩包应只含一个。",
            )
        stem = PurePosixPath(shapes[0].filename).with_suffix("")
        for m in members:
            p = PurePosixPath(m.filename)
            if p.with_suffix("") == stem and p.suffix.lower() in SHAPEFILE_PARTS:
                # a fixed name in our own directory: the member's path is never used
                (into / f"upload{p.suffix.lower()}").write_bytes(archive.read(m))
    return into / "upload.shp"


def _checked(label: str, frame: gpd.GeoDataFrame, digest: str, limits: Limits) -> Upload:
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if frame.empty:
        raise UploadError(
            f"{label} has no features with a geometry.", f"{label} 没有带几何形状的要素。"
        )
    if len(frame) > limits.max_features:
        raise UploadError(
            f"{label} has {len(frame):,} features, over the {limits.max_features:,} limit.",
            f"{label} 有 {len(frame):,} 个要素，超过 {limits.max_features:,} 的上限。",
        )
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > limits.max_vertices:
        raise UploadError(
            f"{label} has {vertices:,} vertices, over the {limits.max_vertices:,} limit; "
            "simplify it first.",
            f"{label} 有 {vertices:,} 个顶点，超过 {limits.max_vertices:,} 的上限；请先简化。",
        )
    kinds = sorted({BASE_TYPES.get(t, t) for t in frame.geom_type})
    unknown = [k for k in kinds if k not in BASE_TYPES.values()]
    if unknown or len(kinds) > 1:
        raise UploadError(
            f"{label} mixes geometry types ({', '.join(kinds)}); upload one kind per layer.",
            f"{label} 混合了多种几何类型（{'、'.join(kinds)}）；每个图层请只含一种。",
        )
    frame = _to_wgs84(label, frame)
    notes = []
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame = frame.copy()
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
        n = int(invalid.sum())
        notes.append(
            {
                "en": f"{n} invalid geometries were repaired (make_valid).",
                "zh": f"已修复 {n} 个无效几何（make_valid）。",
            }
        )
    return Upload(frame.reset_index(drop=True), digest, kinds[0], notes)


SWAPPED = (
    "{label} lies outside Beijing–Tianjin–Hebei, but would lie inside with longitude and "
    "latitude swapped: check the column order.",
    "{label} 位于京津冀以外，但若交换经度和纬度就会落在区内：请检查字段顺序。",
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
            raise UploadError(*(m.format(label=label) for m in SWAPPED))
        most = f"{max(abs(x0), abs(x1)):,.0f}"
        raise UploadError(
            f"{label} has coordinates that are not longitude/latitude (x up to {most}): they "
            "look projected, and the file does not say in which coordinate system; save it "
            "with its CRS.",
            f"{label} 的坐标不是经纬度（x 最大为 {most}）：看起来是投影坐标，但文件没有说明"
            "坐标系；请连同坐标系一起保存。",
        )
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    x0, y0, x1, y1 = frame.total_bounds
    if not _in_region(x0, y0, x1, y1):
        if _in_region(y0, x0, y1, x1):
            raise UploadError(*(m.format(label=label) for m in SWAPPED))
        span = f"{x0:.2f}–{x1:.2f} E, {y0:.2f}–{y1:.2f} N"
        raise UploadError(
            f"{label} lies outside Beijing–Tianjin–Hebei (its features span {span}).",
            f"{label} 位于京津冀以外（要素范围 {span}）。",
        )
    return frame
