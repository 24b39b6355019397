"""The tour file: the shipped tour is valid, and each kind of mistake is named precisely."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from core.prepared import AppData
from core.tour import TourError, load_tour
from geodata.load import Atlas
from settings import DEFAULT_TOUR, PROJECT_ROOT, Settings


@pytest.fixture(scope="module")
def data(atlas: Atlas) -> AppData:
    return AppData.from_atlas(atlas)


def _load(data: AppData, path: Path) -> tuple:
    series = frozenset(data.tables.indicators["series"])
    return load_tour(path, data.years, data.known_ids, series, data.tables.feature_points())


GOOD = {
    "id": "s1",
    "title_zh": "标题",
    "title_en": "Title",
    "caption_zh": "说明",
    "caption_en": "Caption",
    "theme": "relocation",
    "years": [2014, 2021],
    "highlight": "dahongmen",
    "duration": 10,
}


def _write(tmp_path: Path, scenes: object) -> Path:
    path = tmp_path / "tour.yaml"
    path.write_text(yaml.safe_dump({"scenes": scenes}, allow_unicode=True), encoding="utf-8")
    return path


def test_default_tour_tells_the_whole_story(data: AppData) -> None:
    scenes = _load(data, DEFAULT_TOUR)
    themes = [s.theme for s in scenes]
    for theme in ("overview", "hubs", "relocation", "corridor", "synergy", "services"):
        assert theme in themes
    before = next(s for s in scenes if s.id == "dahongmen-before")
    assert before.years[0] < before.years[1]  # the relocation flows animate through the years


def test_focus_frames_the_features_named(data: AppData, tmp_path: Path) -> None:
    # coordinates as given in geodata/sources/places.csv
    with (PROJECT_ROOT / "geodata" / "sources" / "places.csv").open(encoding="utf-8") as f:
        places = {
            r["id"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f) if r["lat"]
        }
    (scene,) = _load(data, _write(tmp_path, [GOOD | {"focus": ["dahongmen", "cangzhou_mingzhu"]}]))
    (a_lat, a_lon), (b_lat, b_lon) = places["dahongmen"], places["cangzhou_mingzhu"]
    expected = ((min(a_lat, b_lat), min(a_lon, b_lon)), (max(a_lat, b_lat), max(a_lon, b_lon)))
    assert [*scene.bounds[0], *scene.bounds[1]] == pytest.approx([*expected[0], *expected[1]])
    # a line frames its whole path: R1 runs from Xiong'an station to the Lize terminal
    (scene,) = _load(data, _write(tmp_path, [GOOD | {"focus": ["jingxiong_r1"]}]))
    assert scene.bounds[0][0] == pytest.approx(places["xiongan_station"][0], abs=1e-6)
    assert scene.bounds[1][0] == pytest.approx(places["lize_terminal"][0], abs=1e-6)


def test_every_default_scene_frames_its_subject(data: AppData) -> None:
    assert all(s.bounds is not None for s in _load(data, DEFAULT_TOUR))


def test_a_good_scene_gets_theme_defaults(data: AppData, tmp_path: Path) -> None:
    (scene,) = _load(data, _write(tmp_path, [GOOD]))
    assert scene.layers == ("relocation",) and scene.zoom == 8 and len(scene.cards) >= 3


def test_scene_seconds_setting_shortens_every_scene(atlas: Atlas) -> None:
    short = AppData.from_atlas(atlas, Settings.from_env({"ATLAS_TOUR_SCENE_SECONDS": "2"}))
    assert {s.duration for s in short.kiosk.scenes} == {2.0}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"theme": "weather"}, "scene 1 ('s1'), field 'theme': 'weather' is not one of"),
        ({"years": [2021, 2014]}, "field 'years': [2021, 2014] must lie within 2014–2026"),
        ({"years": [2010, 2014]}, "field 'years'"),
        ({"year": 2020}, "give either 'year' or 'years', not both"),
        ({"duration": 0}, "field 'duration': 0 must be between 0 and 600"),
        ({"duration": "long"}, "field 'duration': 'long' is not a number of seconds"),
        ({"highlight": "atlantis"}, "field 'highlight': 'atlantis' is not the id"),
        ({"cards": ["gdp_of_mars"]}, "field 'cards': 'gdp_of_mars' is not an indicator series"),
        ({"layers": ["hubs", "ufo"]}, "field 'layers'"),
        ({"view": {"lat": 10, "lon": 116, "zoom": 8}}, "field 'view': lat 10.0"),
        ({"view": "centre"}, "field 'view': 'centre': give lat, lon and zoom"),
        ({"title_en": ""}, "field 'title_en': required text is missing"),
        ({"colour": "red"}, "field 'colour': unknown field"),
        ({"focus": ["atlantis"]}, "field 'focus': 'atlantis' is not the id of a place"),
        ({"focus": []}, "field 'focus': []: give a list of place, line or flow ids"),
        (
            {"focus": ["dahongmen"], "view": {"lat": 39, "lon": 116, "zoom": 8}},
            "field 'focus': give either 'focus' (features to frame) or 'view', not both",
        ),
    ],
)
def test_each_mistake_is_named(data: AppData, tmp_path: Path, change: dict, expected: str) -> None:
    with pytest.raises(TourError) as caught:
        _load(data, _write(tmp_path, [GOOD | change]))
    assert expected in str(caught.value)
    assert str(tmp_path / "tour.yaml") in str(caught.value)


def test_duplicate_scene_ids(data: AppData, tmp_path: Path) -> None:
    with pytest.raises(TourError, match="scene 2 \\('s1'\\), field 'id': duplicate scene id"):
        _load(data, _write(tmp_path, [GOOD, GOOD]))


def test_not_yaml_names_the_line(data: AppData, tmp_path: Path) -> None:
    path = tmp_path / "tour.yaml"
    path.write_text("scenes:\n  - id: a\n    title_zh: [unclosed\n", encoding="utf-8")
    with pytest.raises(TourError, match="not valid YAML at line"):
        _load(data, path)


@pytest.mark.parametrize("body", ["", "scenes: []\n", "- a\n- b\n", "scenes: 3\n"])
def test_no_scenes(data: AppData, tmp_path: Path, body: str) -> None:
    path = tmp_path / "tour.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TourError, match="expected a top-level 'scenes:' list"):
        _load(data, path)


def test_missing_file(data: AppData, tmp_path: Path) -> None:
    with pytest.raises(TourError, match="cannot read the tour file"):
        _load(data, tmp_path / "absent.yaml")


def test_serve_refuses_a_bad_tour_with_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    bad = _write(tmp_path, [GOOD | {"duration": -1}])
    env = {**os.environ, "ATLAS_TOUR": str(bad), "ATLAS_PORT": "1"}
    atlas_cmd = Path(sys.executable).with_name("atlas")
    done = subprocess.run(
        [str(atlas_cmd), "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "field 'duration'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_compare_scene_compares_its_two_years(data: AppData, tmp_path: Path) -> None:
    (scene,) = _load(data, _write(tmp_path, [GOOD | {"compare": "swipe"}]))
    assert scene.compare == "swipe" and scene.years == (2014, 2021)
    shipped = {s.id: s for s in _load(data, DEFAULT_TOUR)}
    assert shipped["dahongmen-then-now"].compare == "swipe"
    with pytest.raises(TourError, match="field 'compare': 'fold' is not one of swipe, side"):
        _load(data, _write(tmp_path, [GOOD | {"compare": "fold"}]))
    with pytest.raises(TourError, match="field 'compare': a compare scene needs"):
        _load(data, _write(tmp_path, [GOOD | {"compare": "side", "years": [2021, 2021]}]))
