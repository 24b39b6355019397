"""gunicorn serving: every worker can serve every script, even one that never rendered the page."""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

from app import create_app
from settings import Settings
from tests.harness import running_server


def test_scripts_load_from_any_worker_before_any_page_view() -> None:
    html = create_app(Settings.from_env({})).server.test_client().get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert len(scripts) >= 5
    with running_server(ATLAS_WORKERS="3") as url:
        statuses = []
        for _ in range(4):  # new connections land on different workers
            for path in scripts:
                with urllib.request.urlopen(url + path, timeout=10) as response:
                    statuses.append(response.status)
    assert statuses == [200] * len(statuses)


def test_health_endpoint_answers_without_caching(server: str) -> None:
    with urllib.request.urlopen(server + "/healthz", timeout=10) as response:
        assert response.status == 200
        assert response.read() == b"ok"
        assert response.headers["Cache-Control"] == "no-store"


def test_basemap_is_served_as_cacheable_geobuf(server: str) -> None:
    import geobuf

    from layout.mapview import BASEMAP_URL

    with urllib.request.urlopen(server + BASEMAP_URL, timeout=10) as response:
        assert response.headers["Content-Type"] == "application/x-protobuf"
        assert "max-age" in response.headers["Cache-Control"]
        collection = geobuf.decode(response.read())
    ids = {f["properties"]["id"] for f in collection["features"]}
    assert "110106" in ids and len(ids) >= 16 + 16 + 11 + 3


# --- headers and surface ---------------------------------------------------------------------

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def _open(request: str | urllib.request.Request) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _no_banner(headers: Message) -> None:
    assert headers.get("Server") is None
    text = str(headers).lower()
    assert "gunicorn" not in text and "werkzeug" not in text and "python" not in text


def test_every_response_carries_the_security_headers_and_no_banner(server: str) -> None:
    from tests.browser.test_slow_clients import lang_callback

    body, _ = lang_callback(server)
    callback = urllib.request.Request(
        server + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    answers = {
        "/": _open(server + "/"),
        "callback": _open(callback),
        "asset": _open(server + "/assets/atlas.js"),
        "/healthz": _open(server + "/healthz"),
        "404": _open(server + "/assets/no-such-file.js"),
    }
    assert {k: v[0] for k, v in answers.items()} == {
        "/": 200,
        "callback": 200,
        "asset": 200,
        "/healthz": 200,
        "404": 404,
    }
    for status, headers, _ in answers.values():
        assert all(headers.get(name) for name in SECURITY_HEADERS), (status, str(headers))
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy
        assert "unsafe-eval" not in policy
        assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)", policy)
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        _no_banner(headers)
    page = answers["/"][2].decode()
    assert sys.version not in page and "python_version" not in page


def test_serve_keeps_debug_off_and_frames_and_control_socket_as_configured(
    tmp_path: Path,
) -> None:
    """Whatever the environment asks, ``atlas serve`` has Dash's dev tools and MCP endpoint off
    (only ``--debug`` turns the tools on); ATLAS_FRAME_ANCESTORS reaches the policy; gunicorn's
    control socket (one shared path per user by default) is not created."""
    portal = "'self' https://portal.example.org"
    env = {
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "ATLAS_DEBUG": "1",
        "DASH_DEBUG": "true",
        "DASH_UI": "true",
        "DASH_MCP_ENABLED": "true",
        "ATLAS_FRAME_ANCESTORS": portal,
    }
    with running_server(**env) as url:
        status, headers, page = _open(url + "/")
        mcp = urllib.request.Request(
            url + "/_mcp", data=b"{}", headers={"Content-Type": "application/json"}
        )
        mcp_status = _open(mcp)[0]
    assert status == 200
    assert f"frame-ancestors {portal}" in headers["Content-Security-Policy"]
    assert headers.get("X-Frame-Options") is None  # it cannot name an origin list
    config = json.loads(re.search(rb'id="_dash-config"[^>]*>(.*?)</script>', page, re.S)[1])
    assert (config["ui"], config["props_check"], config["validate_callbacks"]) == (
        False,
        False,
        False,
    )
    assert b"dash_renderer.dev.js" not in page
    assert mcp_status == 405  # only the page's catch-all GET route is there
    assert not list(tmp_path.rglob("*.ctl"))
