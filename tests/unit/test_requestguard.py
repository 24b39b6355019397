"""The request guard (requestguard.py) and the callbacks behind it, in-process: Hypothesis
draws requests over the app's real callback signatures (well-formed envelopes carrying any JSON
values, and envelopes of any shape) and the server never answers 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from requestguard import (
    CALLBACK_BODY_LIMIT,
    MAX_DEPTH,
    RefusedError,
    check_callback_body,
    depth_over,
    parse_json,
)
from settings import Settings

URL = "/_dash-update-component"
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["2019", "²", "①", "١٢", "en", "zh", "hubs", "corridor", "?year=²", ""])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
# what a real component may hold: a feature clicked, a source request, a kiosk scene
SHAPED = st.fixed_dictionaries({"properties": st.fixed_dictionaries({"id": JSON})}) | (
    st.fixed_dictionaries({"key": JSON}) | st.fixed_dictionaries({"index": JSON, "year": JSON})
)
VALUES = JSON | SHAPED


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    cache = tmp_path_factory.mktemp("jobs")
    return create_app(Settings(public_url="http://atlas.example.org", cache_dir=Path(cache)))


@pytest.fixture(scope="module")
def client(app: Dash) -> Iterator[Any]:
    yield app.server.test_client()


def _post(client: Any, body: Any) -> int:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(URL, data=data, content_type="application/json").status_code


def _envelope(output: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The body the renderer sends for a callback (without values)."""

    def one(o: str) -> Any:
        id_, prop = o.rsplit(".", 1)
        # a pattern-matching output (ALL) is sent as the list of the components it matched:
        # none in this bare layout
        return [] if id_.startswith("{") else {"id": id_, "property": prop}

    if output.startswith(".."):
        outputs: Any = [one(o) for o in output[2:-2].split("...")]
    else:
        outputs = dict(zip(("id", "property"), output.rsplit(".", 1), strict=True))
    body = {
        "output": output,
        "outputs": outputs,
        "inputs": [dict(d) for d in spec["inputs"]],
        "changedPropIds": [],
    }
    if spec["state"]:
        body["state"] = [dict(d) for d in spec["state"]]
    return body


def _server_callbacks(app: Dash) -> list[str]:
    """Every server callback but the background export (which would fork export jobs here:
    the browser fuzz test sends it to a real server)."""
    return sorted(
        k for k, spec in app.callback_map.items() if "callback" in spec and not spec["background"]
    )


def test_parse_json_is_strict_and_shallow() -> None:
    assert parse_json(b'{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}
    for bad in (b"", b"{", b"NaN", b"[Infinity]", b"1e999", b"9" * 5000, b"\xff"):
        with pytest.raises(RefusedError, match="not JSON"):
            parse_json(bad)
    for deep in (b"[" * 50_000 + b"]" * 50_000, b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)):
        with pytest.raises(RefusedError, match="nested deeper"):
            parse_json(deep)
    assert parse_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None


def test_depth_counts_lists_and_objects() -> None:
    assert not depth_over({"a": [1, {"b": []}]}, 4)  # object, list, object, list
    assert depth_over({"a": [1, {"b": []}]}, 3)
    assert not depth_over("x" * 100, 0)


def test_every_real_envelope_passes_the_guard(app: Dash) -> None:
    callbacks = _server_callbacks(app)
    assert len(callbacks) >= 10
    for output in callbacks:
        check_callback_body(_envelope(output, app.callback_map[output]), app.callback_map)


def test_a_clientside_callback_is_not_served(app: Dash) -> None:
    clientside = next(k for k, spec in app.callback_map.items() if "callback" not in spec)
    with pytest.raises(RefusedError, match="no callback"):
        check_callback_body(_envelope(clientside, app.callback_map[clientside]), app.callback_map)


def test_the_caps() -> None:
    assert CALLBACK_BODY_LIMIT >= 4 * 245_000  # a click on Hebei's outline, four times over


@st.composite
def well_formed(draw: st.DrawFn, callbacks: list[str], app: Dash) -> dict[str, Any]:
    output = draw(st.sampled_from(callbacks))
    body = _envelope(output, app.callback_map[output])
    for item in [*body["inputs"], *body.get("state", [])]:
        if draw(st.integers(0, 9)):  # now and then left out, as the renderer does for undefined
            item["value"] = draw(VALUES)
    names = [f"{i['id']}.{i['property']}" for i in body["inputs"]]
    body["changedPropIds"] = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    return body


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_well_formed_requests_with_any_values_get_an_answer_or_no_update(
    app: Dash, client: Any, data: st.DataObject
) -> None:
    body = data.draw(well_formed(_server_callbacks(app), app))
    assert _post(client, body) in (200, 204), json.dumps(body)[:500]


ENVELOPE_KEYS = ("output", "outputs", "inputs", "state", "changedPropIds")


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_envelope_is_answered_or_refused_never_an_error(
    app: Dash, client: Any, data: st.DataObject
) -> None:
    body = data.draw(well_formed(_server_callbacks(app), app))
    for key in data.draw(st.lists(st.sampled_from(ENVELOPE_KEYS), max_size=3, unique=True)):
        if data.draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = data.draw(JSON)
    status = _post(client, data.draw(st.sampled_from([body, [body], None, body.get("inputs")])))
    assert status in (200, 204, 400), json.dumps(body)[:500]
