"""The app on PostGIS is the app on the GeoPackage: the same first screen, the same side panel
after a slider step, the same exports, from a database that ``atlas load-db`` filled."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

import ids
from app import create_app
from cli import main
from core.themes import DEFAULT_THEME, THEMES
from settings import DEFAULT_DATA, Settings
from tests.postgres import Postgres

pytestmark = pytest.mark.slow
SOURCES = ("gpkg", "postgis")


@pytest.fixture(scope="module")
def sources(postgres: Postgres) -> dict[str, Any]:
    url = postgres.create_database(f"app_{uuid.uuid4().hex[:8]}")
    assert main(["load-db", url]) == 0
    return {"gpkg": DEFAULT_DATA, "postgis": url}


@pytest.fixture(scope="module")
def clients(sources: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A test client of the app built on each source."""
    out = {}
    for name, data in sources.items():
        tmp = tmp_path_factory.mktemp(name)
        settings = Settings(data_path=data, cache_dir=tmp / "jobs", uploads_dir=tmp / "uploads")
        out[name] = create_app(settings).server.test_client()
    return out


def _panel_body(client: Any, year: int) -> dict[str, Any]:
    """What the browser posts when the slider moves to ``year`` (the side panel callback)."""
    config = json.loads(client.get("/_dash-dependencies").data)
    wanted = f"{ids.KPIS}.data-plain"
    spec = next(c for c in config if wanted in c["output"])
    theme = THEMES[DEFAULT_THEME]
    values = {
        (ids.THEME, "value"): theme.key,
        (ids.YEAR, "value"): year,
        (ids.LANG, "data"): "zh",
        (ids.LAYERS, "value"): list(theme.layers),
    }

    def filled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**i, "value": values.get((i["id"], i["property"]))} for i in items]

    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in spec["output"].strip(".").split("...")
    ]
    return {
        "output": spec["output"],
        "outputs": outputs,
        "inputs": filled(spec["inputs"]),
        "state": filled(spec["state"]),
        "changedPropIds": [f"{ids.YEAR}.value"],
    }


def test_the_first_screen_is_the_same(clients: dict[str, Any]) -> None:
    pages = {name: client.get("/_dash-layout") for name, client in clients.items()}
    assert all(page.status_code == 200 for page in pages.values())
    assert pages["postgis"].data == pages["gpkg"].data
    assert len(pages["gpkg"].data) > 10_000  # a whole page, not an error


def test_a_slider_step_gives_the_same_side_panel(clients: dict[str, Any]) -> None:
    answers: dict[tuple[str, int], Any] = {}
    for name, client in clients.items():
        for year in (2019, 2025):
            answer = client.post("/_dash-update-component", json=_panel_body(client, year))
            assert answer.status_code == 200, answer.data[:500]
            answers[name, year] = answer.get_json()["response"]
    for year in (2019, 2025):
        assert answers["postgis", year] == answers["gpkg", year]
    # a real step: the cards and the story differ between the years
    assert answers["gpkg", 2019][ids.KPIS] != answers["gpkg", 2025][ids.KPIS]
    assert answers["gpkg", 2019][ids.EVENTS] != answers["gpkg", 2025][ids.EVENTS]


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_an_export_is_the_same(sources: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    made = {}
    for name, data in sources.items():
        out = tmp_path / f"{name}.{fmt}"
        argv = ["export", "--theme", "relocation", "--year", "2021", "--format", fmt]
        assert main([*argv, "--data", str(data), "--out", str(out)]) == 0
        made[name] = out.read_bytes()
    assert made["postgis"] == made["gpkg"]
    assert len(made["gpkg"]) > 500
