"""gunicorn serving: every worker can serve every script, even one that never rendered the page."""

from __future__ import annotations

import re
import urllib.request

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
