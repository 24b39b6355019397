"""The browser's twins of the story's rules equal the Python rules (core/), for every feature ×
every year × every theme, with and without a selection: visibility, status styling of places,
lines, flows and boundaries, and the URL writer. The JS runs in Node (tests/js/call.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from core import style
from core.tables import Tables
from core.themes import THEMES
from core.timeline import is_visible
from core.view import ViewState, to_query
from geodata.load import Atlas
from layers.basemap import boundaries_layer
from layers.features import flows_layer, lines_layer, places_layer
from layout.mapview import hideout
from settings import PROJECT_ROOT


def run_js(calls: list[dict[str, Any]]) -> list[Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make test`, which installs Debian's nodejs")
    done = subprocess.run(
        [node, "tests/js/call.mjs", "-", "-"],
        input=json.dumps({"calls": calls}),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout)["results"]
    assert len(results) == len(calls)
    errors = [r for r in results if isinstance(r, dict) and "error" in r]
    assert not errors, errors[:3]
    return results


@pytest.fixture(scope="module")
def features(atlas: Atlas) -> dict[str, list[dict[str, Any]]]:
    places, status = atlas.table("places"), atlas.table("status")
    return {
        "places": places_layer(places, status)["features"],
        "lines": lines_layer(atlas.table("lines"), status)["features"],
        "flows": flows_layer(atlas.table("flows"), places)["features"],
        "boundaries": boundaries_layer(atlas.table("boundaries"))["features"],
    }


@pytest.fixture(scope="module")
def years(atlas: Atlas) -> list[int]:
    first, last = Tables.from_atlas(atlas).years
    return list(range(first - 1, last + 2))  # and a year either side of the timeline


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value))


def test_visibility_is_the_same_for_every_feature_year_and_theme(
    features: dict[str, list[dict[str, Any]]], years: list[int]
) -> None:
    feats = [f for kind in ("places", "lines", "flows") for f in features[kind]]
    layer_sets = [t.layers for t in THEMES.values()] + [()]
    cases = [(f, y, layers) for f in feats for y in years for layers in layer_sets]
    calls = [
        {"fn": "map.visible", "args": [f, {"hideout": hideout(y, layers, None, "zh")}]}
        for f, y, layers in cases
    ]
    results = run_js(calls)
    expected = [is_visible(f["properties"], y, layers) for f, y, layers in cases]
    assert len(cases) > 5000
    assert sum(expected) > 500 and sum(not e for e in expected) > 500  # both outcomes tested
    mismatches = [
        (f["properties"]["id"], y, layers, e, r)
        for (f, y, layers), e, r in zip(cases, expected, results, strict=True)
        if e != r
    ]
    assert not mismatches, mismatches[:5]


RULES = {
    "places": ("map.placeMarker", style.place_style),
    "lines": ("map.lineStyle", style.line_style),
    "flows": ("map.flowStyle", style.flow_style),
}


@pytest.mark.parametrize("kind", sorted(RULES))
def test_feature_styles_are_the_same_in_every_year_selected_or_not(
    kind: str, features: dict[str, list[dict[str, Any]]], years: list[int]
) -> None:
    fn, rule = RULES[kind]
    feats = features[kind]
    other = features["places"][0]["properties"]["id"]
    cases = [
        (f, y, sel) for f in feats for y in years for sel in (None, f["properties"]["id"], other)
    ]
    calls = []
    for f, y, sel in cases:
        context = {"hideout": hideout(y, tuple(THEMES["overview"].layers), sel, "en")}
        args = (
            [f, f["geometry"]["coordinates"][::-1], context] if kind == "places" else [f, context]
        )
        calls.append({"fn": fn, "args": args})
    results = run_js(calls)
    if kind == "places":
        results = [r["options"] for r in results]
    expected = [_json(rule(f["properties"], y, sel)) for f, y, sel in cases]
    mismatches = [
        (f["properties"]["id"], y, sel, e, r)
        for (f, y, sel), e, r in zip(cases, expected, results, strict=True)
        if e != r
    ]
    assert not mismatches, mismatches[:3]
    if kind == "places":  # attested statuses (hollow markers) are among the cases
        assert any(e["fillColor"] == style.PAPER for e in expected)
    if kind == "lines":  # rail ticks, a road's core and a dashed rail without ticks all occur
        inner = [e["inner"] for e in expected]
        assert any(i and i["dashArray"] == style.RAIL_TICKS["dashArray"] for i in inner)
        assert any(i and i["weight"] == style.ROAD_CORE_WEIGHT for i in inner)
        assert any(i is None for i in inner)
    # the cases really vary: several statuses, selected and not
    assert len({json.dumps(e, sort_keys=True) for e in expected}) > len(feats)


def test_boundary_styles_are_the_same_selected_or_not(
    features: dict[str, list[dict[str, Any]]],
) -> None:
    feats = features["boundaries"]
    cases = [(f, sel) for f in feats for sel in (None, f["properties"]["id"], "110106")]
    calls = [
        {"fn": "map.boundaryStyle", "args": [f, {"hideout": hideout(2020, (), sel, "zh")}]}
        for f, sel in cases
    ]
    results = run_js(calls)
    expected = [_json(style.boundary_style(f["properties"], sel)) for f, sel in cases]
    assert results == expected
    assert {"province", "new_area", "district", "prefecture"} <= {
        f["properties"]["level"] for f in feats
    }


def test_the_url_writer_is_the_same(atlas: Atlas) -> None:
    tables = Tables.from_atlas(atlas)
    ids = sorted(tables.feature_ids())[:: max(1, len(tables.feature_ids()) // 12)]
    first, last = tables.years
    states = [
        ViewState(key, year, theme.layers, sel, lang, center, zoom)
        for key, theme in THEMES.items()
        for year in (first, last)
        for sel in (None, *ids[:3])
        for lang in ("zh", "en")
        for center, zoom in ((theme.center, theme.zoom), ((39.86543, 116.29461), 12), (None, None))
    ]
    states += [  # comparing year A with the timeline's year (B)
        ViewState(key, last, theme.layers, None, "en", theme.center, theme.zoom, (), mode, first)
        for key, theme in THEMES.items()
        for mode in ("swipe", "side")
    ]
    calls = [
        {
            "fn": "clientside.writeUrl",
            "args": [
                s.theme,
                s.year,
                list(s.layers),
                s.selected,
                s.lang,
                list(s.center) if s.center else None,
                s.zoom,
                {"mode": s.compare, "a": s.a, "b": s.year} if s.compare else None,
            ],
        }
        for s in states
    ]
    assert run_js(calls) == [to_query(s) for s in states]
