"""Exports include the planner's own layers shown on screen: drawn on pages (PNG/PDF/SVG) in their
class colours with legend rows, in the standalone HTML with escaped attributes, in the GeoJSON
data with their attributes, layer and class — only the features shown in the year. A reference
that is malformed, not in the store or styled to a column it does not have is one line."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from PIL import Image
from pypdf import PdfReader

import geopandas as gpd
import pyogrio
from shapely.geometry import box

from callbacks.export import command_line, make_spec, valid_args
from cli import main
from exports import ExportError, ExportSpec, export_bytes
from exports.visible import collect
from geodata.load import Atlas
from settings import Settings
from uploads.link import encode
from uploads.service import LayerService, from_settings
from uploads.style import LayerStyle, profile

HOSTILE = "<img src=x onerror=alert(1)>"
PURPLE = (0x7A, 0x01, 0x77)  # uploads.style.SINGLE: the one-colour style
WATER = (0xDF, 0xE8, 0xEF)  # core.style.WATER, under the square in the sea below

# The relocation theme's view (its default, 2021) reaches the Bohai Sea: a square drawn there lies
# on the frame's water colour alone, so its colour on the page is known exactly.
SEA = box(118.3, 38.5, 118.7, 38.8)


def _geojson(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_json(drop_id=True).encode("utf-8")


def _ref(service: LayerService, digest: str, style: LayerStyle) -> str:
    found = service.get(digest)
    assert found is not None
    return encode(digest, style, profile(found[1]))


@pytest.fixture(scope="module")
def uploads_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="module")
def service(atlas: Atlas, uploads_dir: Path) -> LayerService:
    """The layer service as the app makes it, over a SqliteLayerStore in a temporary folder."""
    return from_settings(Settings(uploads_dir=uploads_dir), atlas)


@pytest.fixture(scope="module")
def plots(service: LayerService) -> dict[str, Any]:
    """Polygons with a number, a year and a hostile text value: one dated 2023 (after 2021),
    one without a number."""
    frame = gpd.GeoDataFrame(
        {
            "name": ["甲号地块", "乙号地块", HOSTILE, "丁号地块"],
            "area": [10.0, 20.0, None, 40.0],
            "year": [2015, 2018, 2020, 2023],
        },
        geometry=[
            box(116.20, 39.80, 116.26, 39.86),
            box(116.30, 39.80, 116.36, 39.86),
            box(116.40, 39.80, 116.46, 39.86),
            box(116.50, 39.80, 116.56, 39.86),
        ],
        crs="EPSG:4326",
    )
    info = service.add("规划地块 plots.geojson", _geojson(frame))
    digest = info["id"]
    return {
        "id": digest,
        "name": info["name"],
        "info": info,
        # classes of "area" in three equal intervals, tied to the timeline by "year"
        "classes": _ref(
            service, digest, LayerStyle("classes", "area", "equal_interval", 3, "year")
        ),
        "single": _ref(service, digest, LayerStyle("single", None, "quantiles", 5, "year")),
    }


@pytest.fixture(scope="module")
def sea(service: LayerService) -> str:
    frame = gpd.GeoDataFrame({"label": ["sea square"]}, geometry=[SEA], crs="EPSG:4326")
    info = service.add("sea.geojson", _geojson(frame))
    return _ref(service, info["id"], LayerStyle("single"))


@pytest.fixture(scope="module")
def dense(service: LayerService) -> dict[str, Any]:
    """100,000 points in three categories, one of them with a hostile value."""
    rng = np.random.default_rng(7)
    n = 100_000
    kinds = rng.choice(["shop", "school", "clinic"], n).astype(object)
    kinds[5] = HOSTILE
    frame = gpd.GeoDataFrame(
        {"kind": kinds, "size": rng.integers(1, 500, n)},
        geometry=gpd.points_from_xy(rng.uniform(116.0, 116.6, n), rng.uniform(39.7, 40.1, n)),
        crs="EPSG:4326",
    )
    info = service.add("poi.geojson", _geojson(frame))
    ref = _ref(service, info["id"], LayerStyle("categories", "kind"))
    return {"id": info["id"], "ref": ref, "n": n}


def _export(atlas: Atlas, service: LayerService | None, **kw: Any) -> bytes:
    spec = ExportSpec(**{"theme": "relocation", "year": 2021, **kw})
    return export_bytes(atlas, spec, generated=date(2025, 1, 1), user_layers=service)


# ---- the spec -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "nope",
        "0" * 64,  # a digest alone
        "0" * 64 + ":c:q:9:1:-",  # 9 classes
        "0" * 64 + ":x:q:5:1:-",  # no such mode
        "A" * 64 + ":s:q:5:-:-",  # upper-case digest
        "0" * 64 + ":s:q:5:-:-\nx",
    ],
)
def test_a_malformed_reference_is_one_line_naming_it(bad: str) -> None:
    with pytest.raises(ExportError, match="is not a layer reference") as caught:
        ExportSpec("relocation", 2021, user=(bad,))
    message = str(caught.value)
    assert "\n" not in message
    assert repr(bad)[:20] in message


def test_too_many_or_repeated_references() -> None:
    refs = tuple(f"{i:064x}:s:q:5:-:-" for i in range(6))
    with pytest.raises(ExportError, match="at most 5 user layers"):
        ExportSpec("relocation", 2021, user=refs)
    with pytest.raises(ExportError, match="same layer twice"):
        ExportSpec("relocation", 2021, user=(refs[0], refs[0]))
    with pytest.raises(ExportError, match="list of layer references"):
        ExportSpec("relocation", 2021, user=refs[0])  # type: ignore[arg-type]
    assert ExportSpec("relocation", 2021, user=list(refs[:2])).user == refs[:2]  # type: ignore[arg-type]


def test_a_layer_not_in_the_store_or_a_style_that_does_not_fit_is_one_line(
    atlas: Atlas, service: LayerService, plots: dict[str, Any]
) -> None:
    missing = "f" * 64 + ":s:q:5:-:-"
    with pytest.raises(ExportError, match="not in the layer store") as caught:
        _export(atlas, service, fmt="csv", user=(missing,))
    assert "\n" not in str(caught.value) and "f" * 64 in str(caught.value)
    # classes of the "name" column (text): the reference's column index is that of "name"
    names = [c.name for c in profile(service.get(plots["id"])[1])]
    wrong = f"{plots['id']}:c:q:5:{names.index('name')}:-"
    with pytest.raises(ExportError, match="does not fit") as caught:
        _export(atlas, service, fmt="geojson", user=(wrong,))
    assert "\n" not in str(caught.value) and "规划地块" in str(caught.value)
    with pytest.raises(ExportError, match="no layer store"):
        _export(atlas, None, fmt="geojson", user=(plots["classes"],))


# ---- GeoJSON --------------------------------------------------------------------------------


def _read(data: bytes, tmp_path: Path, name: str) -> gpd.GeoDataFrame:
    path = tmp_path / name
    path.write_bytes(data)
    return pyogrio.read_dataframe(path)


def test_geojson_holds_the_shown_user_features_with_layer_and_class(
    atlas: Atlas, service: LayerService, plots: dict[str, Any], tmp_path: Path
) -> None:
    plain = _read(_export(atlas, service, fmt="geojson"), tmp_path, "plain.geojson")
    frame = _read(
        _export(atlas, service, fmt="geojson", user=(plots["classes"],)), tmp_path, "u.geojson"
    )
    mine = frame[frame["feature_type"] == "user"]
    assert len(frame) == len(plain) + len(mine)  # the story's features are all still there
    assert set(mine["layer"]) == {plots["name"]}
    # 2023's plot is not shown in 2021; the plot without an area has no class
    assert sorted(mine["name"]) == sorted(["甲号地块", "乙号地块", HOSTILE])
    by_name = dict(zip(mine["name"], mine["class"], strict=True))
    assert by_name["甲号地块"] == "10 – 20" and by_name["乙号地块"] == "10 – 20"
    assert pd.isna(by_name[HOSTILE])
    assert sorted(mine["year"]) == [2015, 2018, 2020]
    assert mine.geometry.geom_type.eq("Polygon").all()
    assert mine.geometry.total_bounds.round(2).tolist() == [116.2, 39.8, 116.46, 39.86]

    later = _read(
        _export(atlas, service, fmt="geojson", year=2023, user=(plots["classes"],)),
        tmp_path,
        "u2023.geojson",
    )
    shown = later[later["feature_type"] == "user"]
    assert sorted(shown["year"]) == [2015, 2018, 2020, 2023]
    assert dict(zip(shown["name"], shown["class"], strict=True))["丁号地块"] == "30 – 40"


def test_csv_is_unchanged_by_user_layers(
    atlas: Atlas, service: LayerService, plots: dict[str, Any]
) -> None:
    assert _export(atlas, service, fmt="csv", user=(plots["classes"],)) == _export(
        atlas, service, fmt="csv"
    )


# ---- pages ----------------------------------------------------------------------------------


def _near(image: Image.Image, colour: tuple[int, ...], tolerance: int = 3) -> int:
    rgb = np.asarray(image.convert("RGB"), dtype=int)
    return int((np.abs(rgb - np.array(colour)).max(axis=2) <= tolerance).sum())


@pytest.mark.slow
def test_png_draws_a_polygon_layer_in_its_colour(
    atlas: Atlas, service: LayerService, sea: str
) -> None:
    with_layer = Image.open(io.BytesIO(_export(atlas, service, fmt="png", dpi=150, user=(sea,))))
    without = Image.open(io.BytesIO(_export(atlas, service, fmt="png", dpi=150)))
    # #7a0177 at the fill's 0.75 over the water; the legend's swatch at 0.75 over white paper
    on_water = tuple(round(0.75 * c + 0.25 * w) for c, w in zip(PURPLE, WATER, strict=True))
    on_paper = tuple(round(0.75 * c + 0.25 * 255) for c in PURPLE)
    assert _near(without, on_water) == 0 and _near(without, on_paper) == 0
    # the square is ~0.4° wide: some 25 × 25 pixels at 150 dpi on this view, at least
    assert _near(with_layer, on_water) > 400
    assert _near(with_layer, on_paper) > 50


@pytest.mark.slow
def test_pdf_legend_names_the_layer_and_its_classes(
    atlas: Atlas, service: LayerService, plots: dict[str, Any]
) -> None:
    data = _export(atlas, service, fmt="pdf", lang="en", user=(plots["classes"],))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    for words in ("规划地块 plots.geojson", "10 – 20", "20 – 30", "30 – 40", "No value"):
        assert words in text, words
    zh = PdfReader(io.BytesIO(_export(atlas, service, fmt="pdf", user=(plots["classes"],))))
    assert "无数值" in zh.pages[0].extract_text()


@pytest.mark.slow
def test_svg_has_the_layer_in_its_legend(
    atlas: Atlas, service: LayerService, plots: dict[str, Any]
) -> None:
    svg = _export(atlas, service, fmt="svg", lang="en", user=(plots["single"],)).decode()
    assert "规划地块 plots.geojson" in svg
    assert "No value" not in svg  # the one-colour style has a colour for every feature


@pytest.mark.slow
def test_a_dense_point_layer_is_one_collection_per_class(
    atlas: Atlas, service: LayerService, dense: dict[str, Any]
) -> None:
    from exports.render import build_figure

    spec = ExportSpec("relocation", 2021, fmt="png", dpi=150, user=(dense["ref"],))
    visible = collect(atlas, spec, service)
    [layer] = visible.user
    assert len(layer.frame) == dense["n"]
    fig = build_figure(visible, date(2025, 1, 1))
    # the user layers' collections lie between the basemap (z 1–1.6) and the story (z 3–5)
    dots = [
        c
        for c in fig.axes[0].collections
        if isinstance(c, PathCollection) and 1.6 < c.get_zorder() < 3
    ]
    assert len(dots) == 4  # shop, school, clinic and the one hostile category
    assert sum(len(c.get_offsets()) for c in dots) == dense["n"]
    png = export_bytes(atlas, spec, user_layers=service)  # its time is for a benchmark
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# ---- HTML -----------------------------------------------------------------------------------


def _in_json(text: str) -> str:
    """``text`` as the page's JSON has it (non-ASCII as \\u escapes)."""
    return json.dumps(text)[1:-1]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


@pytest.mark.slow
def test_html_shows_user_features_with_escaped_attributes(
    atlas: Atlas, service: LayerService, plots: dict[str, Any]
) -> None:
    page = _export(atlas, service, fmt="html", lang="en", user=(plots["classes"],)).decode()
    assert HOSTILE not in page and "<img src=x" not in page
    parser = _Tags()
    parser.feed(page)
    assert "img" not in parser.tags
    # the attribute reaches the popup as escaped text (inside JSON, whose & is \u0026)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page
    # the legend: the layer's heading, a row per class, and "No value"
    legend = re.search(r'<div class="atlas-panel">.*?</div>', page, re.S)
    assert legend is not None
    assert '<li class="atlas-user-layer">规划地块 plots.geojson</li>' in legend.group(0)
    for label in ("10 – 20", "20 – 30", "30 – 40", "No value"):
        assert f"<span>{label}</span>" in legend.group(0)
    # the features, in their pane, in their class colours; 2023's plot not among them
    assert '"atlas-user"' in page
    assert _in_json("甲号地块") in page and _in_json("丁号地块") not in page


@pytest.mark.slow
def test_html_draws_a_dense_point_layer_compactly(
    atlas: Atlas, service: LayerService, dense: dict[str, Any]
) -> None:
    page = _export(atlas, service, fmt="html", user=(dense["ref"],)).decode()
    assert "L.canvas(" in page and "textContent" in page
    assert "<img src=x" not in page and HOSTILE not in page
    # columns of numbers, not 100,000 GeoJSON features
    assert page.count('"Feature"') < 500
    assert len(page) < 8_000_000


# ---- the dashboard's callback and the CLI ---------------------------------------------------


def test_the_callback_puts_the_dashboards_layers_into_the_spec(
    service: LayerService, plots: dict[str, Any]
) -> None:
    info = plots["info"]
    entry = {**{k: info[k] for k in ("id", "name", "kind", "features", "columns")}}
    style = {"mode": "single", "column": None, "method": "quantiles", "k": 5, "year_column": None}
    values = {
        "fmt": "png", "paper": "a4", "orientation": "landscape", "dpi": "300", "title": None,
        "lang": "zh", "theme": "relocation", "year": 2021, "layers": None, "selected": None,
        "bbox": None, "user": [{**entry, "style": style}],
    }  # fmt: skip
    spec = make_spec(values)
    assert spec.user == (f"{plots['id']}:s:q:5:-:-",)
    assert f"--user {plots['id']}:s:q:5:-:-" in command_line(spec)
    assert "--user" not in command_line(replace(spec, user=()))
    args = [1, *values.values()]
    assert valid_args(args)
    assert valid_args(args[:-1])  # a page served before user layers sends none
    assert not valid_args([*args[:-1], None])
    assert not valid_args([*args[:-1], [{}] * 6])
    assert not valid_args([*args[:-1], ["x"]])


def test_cli_exports_user_layers_from_the_layer_store(
    uploads_dir: Path,
    plots: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ATLAS_UPLOADS_DIR", str(uploads_dir))
    out = tmp_path / "plots.geojson"
    argv = ["export", "--theme", "relocation", "--year", "2021", "--format", "geojson"]
    assert main([*argv, "--user", plots["classes"], "--out", str(out)]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    mine = [f["properties"] for f in features if f["properties"]["feature_type"] == "user"]
    assert sorted(p["name"] for p in mine) == sorted(["甲号地块", "乙号地块", HOSTILE])

    missing = tmp_path / "missing.geojson"
    assert main([*argv, "--user", "e" * 64 + ":s:q:5:-:-", "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not in the layer store" in err
    assert not missing.exists()
    assert main([*argv, "--user", "bad", "--out", str(missing)]) == 2
    assert "'bad' is not a layer reference" in capsys.readouterr().err
