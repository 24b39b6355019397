"""The wiring, checked without a browser: every callback's ids exist in the layout (or are
declared dynamic), every clientside function and Leaflet hook named from Python exists in
assets/*.js, every id the browser scripts name is defined in ``ids``, and every
language-switched text is declared once and used by the layout."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dash import Dash

import ids
from app import create_app
from layout.common import LANG
from layout.texts import TEXTS
from settings import PROJECT_ROOT, Settings

# Pattern-matching ids whose components are made by callbacks (source buttons on cards).
DYNAMIC_TYPES = {
    ids.SOURCE_BUTTON_TYPE,
    ids.USER_REMOVE_TYPE,
    ids.USER_STYLE_TYPE,
    ids.USER_LEGEND_TYPE,
    ids.USER_ACTION_TYPE,
    ids.USER_FEATURE_TYPE,
}
ASSETS = sorted((PROJECT_ROOT / "assets").glob("*.js"))


@pytest.fixture(scope="module")
def app() -> Dash:
    return create_app(Settings())


def _components(node: Any) -> Iterator[Any]:
    if isinstance(node, list | tuple):
        for item in node:
            yield from _components(item)
        return
    if not hasattr(node, "_prop_names"):
        return
    yield node
    for name in node._prop_names:
        value = getattr(node, name, None)
        if hasattr(value, "_prop_names") or isinstance(value, list | tuple):
            yield from _components(value)


def _layout(app: Dash) -> Any:
    return app.layout() if callable(app.layout) else app.layout


def _layout_ids(app: Dash) -> dict[str, Any]:
    return {
        c.id if isinstance(c.id, str) else json.dumps(c.id, sort_keys=True): c
        for c in _components(_layout(app))
        if getattr(c, "id", None) is not None
    }


def _output_ids(output: str) -> list[str]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [part.split("@")[0].rsplit(".", 1)[0] for part in parts]


def _callback_ids(app: Dash) -> Iterator[tuple[str, str]]:
    for cb in app._callback_list:
        for cid in _output_ids(cb["output"]):
            yield "output", cid
        for kind in ("inputs", "state"):
            for dep in cb[kind]:
                yield kind, dep["id"]


def test_every_callback_id_is_in_the_layout_or_declared_dynamic(app: Dash) -> None:
    in_layout = _layout_ids(app)
    missing = []
    for kind, cid in _callback_ids(app):
        if cid.startswith("{"):
            if json.loads(cid).get("type") not in DYNAMIC_TYPES:
                missing.append((kind, cid))
        elif cid not in in_layout:
            missing.append((kind, cid))
    assert not missing, f"callback ids not in the layout: {missing}"
    assert len(app._callback_list) >= 15  # the walk really saw the callbacks


def test_the_layout_walk_finds_ids_deep_in_the_tree(app: Dash) -> None:
    found = _layout_ids(app)
    for cid in (ids.MAP, ids.PLACES, ids.EXPORT_H_FORMAT, ids.KIOSK_QR_CAPTION, ids.RECONNECT):
        assert cid in found


def _defined_in_assets() -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make test`, which installs Debian's nodejs")
    script = (
        "import {loadAssets} from './tests/js/load-assets.mjs';"
        "const w = loadAssets({search: ''});"
        "console.log(JSON.stringify({atlas: Object.keys(w.dash_clientside.atlas),"
        " map: Object.keys(w.atlas.map)}));"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_every_clientside_function_named_exists_in_the_assets(app: Dash) -> None:
    defined = _defined_in_assets()
    named = {
        (cb["clientside_function"]["namespace"], cb["clientside_function"]["function_name"])
        for cb in app._callback_list
        if cb.get("clientside_function")
    }
    assert len(named) >= 8, "too few clientside functions found: the check would be empty"
    # Every clientside function lives in assets/*.js, where it is linted and tested.
    assert not [ns for ns, _ in named if ns != "atlas"]
    missing = [f"{ns}.{fn}" for ns, fn in named if fn not in defined.get(ns, [])]
    assert not missing, f"clientside functions named in Python but not defined: {missing}"


def _leaflet_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if set(node) == {"variable"}:
            yield node["variable"]
        for value in node.values():
            yield from _leaflet_refs(value)


def test_every_leaflet_hook_named_exists_in_the_assets(app: Dash) -> None:
    defined = _defined_in_assets()["map"]
    refs = set()
    for component in _components(_layout(app)):
        for name in ("style", "filter", "pointToLayer", "onEachFeature"):
            refs |= set(_leaflet_refs({"_": getattr(component, name, None)}))
    assert {"atlas.map.placeMarker", "atlas.map.placeFeature", "atlas.map.lineStyle"} <= refs
    missing = [r for r in refs if r.removeprefix("atlas.map.") not in defined]
    assert not missing, f"Leaflet hooks named in Python but not defined: {missing}"


def test_every_id_the_browser_scripts_name_is_defined_in_ids() -> None:
    known = {v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)}
    # CSS class names and keyframes share the prefix; ids are passed to these calls only.
    pattern = re.compile(r"""(?:getElementById|setProps)\(\s*["'](atlas-[\w-]+)["']""")
    named = {m for path in ASSETS for m in pattern.findall(path.read_text(encoding="utf-8"))}
    assert len(named) >= 8
    assert not named - known, f"ids used in assets/*.js but not defined in ids.py: {named - known}"


def test_every_switched_text_is_declared_once_and_is_what_the_layout_shows(app: Dash) -> None:
    keys = [text.key for text in TEXTS]
    assert len(keys) == len(set(keys)), "a text is declared twice"
    in_layout = _layout_ids(app)
    wrong = []
    for text in TEXTS:
        component = in_layout.get(text.component_id)
        assert component is not None, f"{text.key}: no such component in the layout"
        if text.component_id == ids.BOUNDARY_NOTICE:
            continue  # data text, checked against the metadata below
        expected = text.render(LANG, {})
        if getattr(component, text.prop, None) != expected:
            wrong.append(text.key)
    assert not wrong, f"layout values that do not come from layout/texts.py: {wrong}"
    notice = in_layout[ids.BOUNDARY_NOTICE].children
    assert "未经审图" in notice


def test_the_language_switch_sends_every_declared_text(app: Dash) -> None:
    switch = next(cb for cb in app._callback_list if ids.TITLE in _output_ids(cb["output"]))
    outputs = set(_output_ids(switch["output"]))
    assert outputs == {text.component_id for text in TEXTS}


def test_a_slider_step_reaches_at_most_one_server_callback(app: Dash) -> None:
    server_side = [
        cb
        for cb in app._callback_list
        if not cb.get("clientside_function")
        and any(dep["id"] == ids.YEAR and dep["property"] == "value" for dep in cb["inputs"])
    ]
    assert len(server_side) == 1, [cb["output"] for cb in server_side]
    # A pattern-matching input fires whenever its components are re-created (source buttons on
    # every card update), so only clientside callbacks may take one.
    pattern_inputs = [
        cb["output"]
        for cb in app._callback_list
        if not cb.get("clientside_function")
        and any(dep["id"].startswith("{") for dep in cb["inputs"])
    ]
    assert not pattern_inputs


def test_assets_folder_is_the_one_the_app_serves(app: Dash) -> None:
    assert Path(app.config.assets_folder) == PROJECT_ROOT / "assets"
