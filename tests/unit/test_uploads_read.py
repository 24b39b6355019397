"""uploads.read: a planner's file in every accepted format lands in WGS-84; every bad file is
refused with one sentence naming the file (and its row and field where there is one). The
files are made here, from the atlas's own station coordinates where a truth is needed."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

import geopandas as gpd
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon

from uploads.read import LayerChoiceError, Limits, UploadError, read_upload

# Beijing West and Beijing South railway stations, WGS-84 as the project checked them
# (FACTS.md beside the project: OpenStreetMap).
STATIONS = {"北京西站": (116.3151, 39.8937), "北京南站": (116.3724, 39.8635)}


def _frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    names = list(STATIONS)
    points = [Point(STATIONS[n]) for n in names]
    return gpd.GeoDataFrame({"name": names}, geometry=points, crs="EPSG:4326").to_crs(crs)


def _bytes(frame: gpd.GeoDataFrame, tmp_path: Path, suffix: str, **kw: object) -> bytes:
    path = tmp_path / f"made{suffix}"
    frame.to_file(path, **kw)
    return path.read_bytes()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _refused(name: str, data: bytes, *words: str, **kw: object) -> str:
    with pytest.raises(UploadError) as caught:
        read_upload(name, data, **kw)
    message = str(caught.value)
    assert message.startswith(Path(name).name), message
    for w in words:
        assert w in message, message
    return message


def _near(upload_frame: gpd.GeoDataFrame, metres: float) -> None:
    got = upload_frame.set_index("name").geometry
    utm = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)
    for name, (lon, lat) in STATIONS.items():
        x0, y0 = utm.transform(lon, lat)
        x1, y1 = utm.transform(got[name].x, got[name].y)
        assert ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 < metres, name


# --- what is accepted ---------------------------------------------------------------------


@pytest.mark.parametrize("crs", ["EPSG:32650", "EPSG:4547"])
def test_a_projected_geopackage_lands_within_a_metre_of_its_truth(tmp_path: Path, crs: str) -> None:
    up = read_upload("sites.gpkg", _bytes(_frame(crs), tmp_path, ".gpkg", layer="sites"))
    assert up.frame.crs.to_epsg() == 4326 and up.kind == "point"
    _near(up.frame, 1.0)
    assert len(up.digest) == 64 and up.notes == []


def test_geojson_kml_shapefile_and_xlsx_are_read(tmp_path: Path) -> None:
    frame = _frame()
    geojson = frame.to_json().encode()
    assert read_upload("a.geojson", geojson).frame.shape[0] == 2
    kml = _bytes(frame, tmp_path, ".kml", driver="KML")
    _near(read_upload("a.kml", kml).frame.rename(columns={"Name": "name"}), 1.0)
    (tmp_path / "shp").mkdir()
    frame.to_file(tmp_path / "shp" / "sites.shp", encoding="utf-8")
    parts = {f"sites/{p.name}": p.read_bytes() for p in (tmp_path / "shp").iterdir()}
    up = read_upload("sites.zip", _zip(parts))
    _near(up.frame, 1.0)
    table = frame.assign(lon=frame.geometry.x, lat=frame.geometry.y).drop(columns="geometry")
    gpd.GeoDataFrame(table).to_file(tmp_path / "t.xlsx", driver="XLSX")
    _near(read_upload("t.xlsx", (tmp_path / "t.xlsx").read_bytes()).frame, 1.0)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030"])
def test_chinese_csv_in_any_common_encoding(encoding: str) -> None:
    rows = "\n".join(f"{n},{lon},{lat}" for n, (lon, lat) in STATIONS.items())
    up = read_upload("站点.csv", f"name,经度,纬度\n{rows}\n".encode(encoding))
    assert list(up.frame["name"]) == list(STATIONS)
    _near(up.frame, 0.01)


def test_invalid_polygons_are_repaired_and_counted() -> None:
    bowtie = Polygon([(116.3, 39.8), (116.4, 39.9), (116.4, 39.8), (116.3, 39.9)])
    square = Polygon([(116.3, 39.8), (116.4, 39.8), (116.4, 39.9), (116.3, 39.9)])
    data = gpd.GeoDataFrame(geometry=[bowtie, square], crs="EPSG:4326").to_json().encode()
    up = read_upload("parcels.geojson", data)
    assert up.notes == [
        {
            "en": "1 invalid geometries were repaired (make_valid).",
            "zh": "已修复 1 个无效几何（make_valid）。",
        }
    ]
    assert up.frame.geometry.is_valid.all() and up.kind == "polygon"


def test_a_geopackage_with_several_layers_asks_for_one(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _frame().to_file(path, layer="stations")
    _frame().to_file(path, layer="copy")
    with pytest.raises(LayerChoiceError) as caught:
        read_upload("two.gpkg", path.read_bytes())
    assert sorted(caught.value.layers) == ["copy", "stations"]
    assert len(read_upload("two.gpkg", path.read_bytes(), layer="copy").frame) == 2
    _refused("two.gpkg", path.read_bytes(), "no layer named 'nope'", layer="nope")


# --- what is refused: one test per kind of bad file -----------------------------------------


def test_empty_too_large_and_unknown_formats() -> None:
    _refused("a.geojson", b"", "is empty")
    _refused("a.geojson", b"x" * 2048, "over the 0 MB limit", limits=Limits(max_bytes=1024))
    _refused("a.dwg", b"AC1027", "not a supported format", "GeoPackage")
    _refused("../../etc/a.txt", b"x", "not a supported format")


def test_a_file_that_is_not_what_its_name_says() -> None:
    _refused("a.gpkg", b"this is no database", "could not be opened")
    _refused("a.zip", b"PK-not-a-zip", "not a readable zip file")


def test_no_features_and_no_geometry(tmp_path: Path) -> None:
    empty = {"type": "FeatureCollection", "features": []}
    _refused("a.geojson", json.dumps(empty).encode(), "no features with a geometry")
    nulls = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"a": 1}, "geometry": None}]}  # fmt: skip
    _refused("b.geojson", json.dumps(nulls).encode(), "no features with a geometry")
    _refused("c.csv", b"name,size\nA,3\n", "no longitude/latitude columns")


def test_a_bad_cell_names_its_row_and_field() -> None:
    data = "name,lon,lat\nA,116.3,39.9\nB,116.4,北纬\n".encode()
    _refused("t.csv", data, "row 3, field lat", "'北纬' is not a number")


def test_swapped_and_projected_coordinates_say_which() -> None:
    swapped = b"name,lon,lat\nA,39.89,116.32\n"
    _refused("s.csv", swapped, "longitude and latitude swapped")
    projected = gpd.GeoDataFrame(geometry=[Point(441000, 4416000)]).to_json().encode()
    _refused("p.geojson", projected, "441,000", "look projected", "save it with its CRS")
    far = b"name,lon,lat\nA,121.47,31.23\n"  # Shanghai
    _refused("far.csv", far, "outside Beijing–Tianjin–Hebei", "121.47")


def test_mixed_geometry_types() -> None:
    frame = gpd.GeoDataFrame(
        geometry=[Point(116.3, 39.9), LineString([(116.3, 39.9), (116.4, 39.8)])], crs="EPSG:4326"
    )
    _refused("m.geojson", frame.to_json().encode(), "mixes geometry types (line, point)")


def test_too_many_vertices() -> None:
    ring = [(116.3 + 0.1 * i / 5000, 39.8 + (i % 2) * 0.001) for i in range(5000)]
    frame = gpd.GeoDataFrame(geometry=[LineString(ring)], crs="EPSG:4326")
    _refused("v.geojson", frame.to_json().encode(), "5,000 vertices", "over the 1,000 limit",
             limits=Limits(max_vertices=1000))  # fmt: skip


def test_unknown_encoding() -> None:
    _refused("e.csv", b"name,lon,lat\n\xff\xfe\xfa,116.3,39.9\n", "none of the encodings")


def test_zip_traversal_bomb_and_shapeless_archives() -> None:
    _refused("t.zip", _zip({"../evil.shp": b"x"}), "path outside the archive", "../evil.shp")
    _refused("t2.zip", _zip({"/etc/evil.shp": b"x"}), "path outside the archive")
    bomb = _zip({"big.shp": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    _refused("bomb.zip", bomb, "too compressed to be a real layer")
    _refused("many.zip", _zip({"a.dbf": b"x"}), "holds no .shp files")
    stored = _zip({"a.shp": b"\0" * 4096}, zipfile.ZIP_STORED)
    _refused("big.zip", stored, "over the 0 MB limit", limits=Limits(max_unpacked=1024))


def test_kml_with_entities_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&x;</name>'
        b"<Point><coordinates>116.3,39.9</coordinates></Point></Placemark></kml>"
    )
    _refused("x.kml", xxe, "DOCTYPE or entities")


# --- every refusal also in Chinese ---------------------------------------------------------

_XXE = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml/>'
_MIXED = gpd.GeoDataFrame(
    geometry=[Point(116.3, 39.9), LineString([(116.3, 39.9), (116.4, 39.8)])], crs="EPSG:4326"
)
BAD_FILES = {
    "empty": ("a.geojson", b"", {}),
    "too large": ("a.geojson", b"x" * 2048, {"limits": Limits(max_bytes=1024)}),
    "unsupported": ("a.dwg", b"AC1027", {}),
    "zip traversal": ("t.zip", _zip({"../evil.shp": b"x"}), {}),
    "kml entity": ("x.kml", _XXE, {}),
    "bad cell": ("t.csv", "name,lon,lat\nA,116.3,39.9\nB,116.4,北纬\n".encode(), {}),
    "swapped": ("s.csv", b"name,lon,lat\nA,39.89,116.32\n", {}),
    "mixed types": ("m.geojson", _MIXED.to_json().encode(), {}),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_every_refusal_also_reads_in_chinese(case: str) -> None:
    name, data, kw = BAD_FILES[case]
    with pytest.raises(UploadError) as caught:
        read_upload(name, data, **kw)
    exc = caught.value
    zh = exc.text("zh")
    assert zh and any("\u4e00" <= c <= "\u9fff" for c in zh), zh
    assert "{" not in zh and "}" not in zh, zh
    assert name in zh, zh
    assert exc.text("en") == str(exc) and exc.text("") == str(exc)
