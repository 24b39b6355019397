"""Shared fixtures: the committed atlas, the seed documents beside the project, and throwaway
services started only by the tests that ask for them: a PostgreSQL + PostGIS server and a
``redis-server`` (one per test, or one per module for the two-instance browser tests)."""

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
    from tests.services import RedisServer


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


def _redis() -> Iterator[RedisServer]:
    from tests.services import MissingServiceError, redis_server

    try:
        with redis_server() as server:
            yield server
    except MissingServiceError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def redis_service() -> Iterator[RedisServer]:
    """A private ``redis-server`` of this test's own (it may kill and restart it)."""
    yield from _redis()


@pytest.fixture
def broker(redis_service: RedisServer) -> str:
    """Its URL: the Celery broker and job store of this test."""
    return redis_service.url


@pytest.fixture(scope="module")
def shared_broker() -> Iterator[str]:
    """One ``redis-server`` for a module's tests (the instances they share start once)."""
    for server in _redis():
        yield server.url


# Modules whose every test renders a page export, builds the GeoPackage or starts a server.
SLOW_MODULES = {"test_build", "test_exports_pages", "test_exports_html", "test_exports_cli"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = Path(str(item.fspath)).stem
        if module in SLOW_MODULES or item.name.startswith("test_serve_"):
            item.add_marker(pytest.mark.slow)
