"""Shared fixtures: the committed atlas, the seed documents beside the project, and a throwaway
PostgreSQL + PostGIS server (started only by the tests that ask for it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from geodata.load import Atlas, load_atlas
from settings import DEFAULT_DATA, DEFAULT_SEEDS

if TYPE_CHECKING:
    from tests.postgres import Postgres


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_atlas(DEFAULT_DATA)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not DEFAULT_SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside the project ({DEFAULT_SEEDS} is absent)")
    return DEFAULT_SEEDS


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    from tests.postgres import running_postgres

    with running_postgres() as server:
        yield server


@pytest.fixture
def empty_db(postgres: Postgres) -> str:
    """The URL of a new, empty database of this test's own."""
    return postgres.create_database(f"t_{uuid.uuid4().hex[:12]}")


# Modules whose every test renders a page export, builds the GeoPackage or starts a server.
SLOW_MODULES = {"test_build", "test_exports_pages", "test_exports_html", "test_exports_cli"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = Path(str(item.fspath)).stem
        if module in SLOW_MODULES or item.name.startswith("test_serve_"):
            item.add_marker(pytest.mark.slow)
