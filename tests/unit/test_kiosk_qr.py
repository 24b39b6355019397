"""The kiosk's share code: a QR code of the current view, or none for what is not a view."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

import ids
from app import create_app
from settings import Settings


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return create_app(Settings(public_url="https://atlas.example.org")).server.test_client()


def _ask(client: FlaskClient, query: object) -> tuple[int, dict]:
    body = {
        "output": f"{ids.KIOSK_QR}.src",
        "outputs": {"id": ids.KIOSK_QR, "property": "src"},
        "inputs": [{"id": ids.URL_SINK, "property": "data", "value": query}],
        "changedPropIds": [f"{ids.URL_SINK}.data"],
    }
    response = client.post("/_dash-update-component", json=body)
    return response.status_code, (json.loads(response.data) if response.data else {})


def test_a_view_query_becomes_a_qr_code(client: FlaskClient) -> None:
    status, body = _ask(client, "?theme=hubs&year=2021&kiosk=1")
    assert status == 200
    assert body["response"][ids.KIOSK_QR]["src"].startswith("data:image/svg+xml")


@pytest.mark.parametrize(
    "query",
    ["?theme=" + "x" * 5000, "?" + "汉" * 1200, "theme=hubs", None, 7, ["?a"], {"q": "?a"}],
)
def test_what_is_not_a_view_query_gets_no_code_and_no_error(
    client: FlaskClient, query: object
) -> None:
    # A query too long for any QR code used to end in a 500 (segno's DataOverflowError).
    status, body = _ask(client, query)
    assert status in (200, 204)
    assert body.get("response", {}) == {}  # no update
