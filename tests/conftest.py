"""Shared fixtures: the committed atlas and the seed documents beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.load import Atlas, load_atlas
from settings import DEFAULT_DATA, DEFAULT_SEEDS


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_atlas(DEFAULT_DATA)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not DEFAULT_SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside the project ({DEFAULT_SEEDS} is absent)")
    return DEFAULT_SEEDS


# Modules whose every test renders a page export, builds the GeoPackage or starts a server.
SLOW_MODULES = {"test_build", "test_exports_pages", "test_exports_html", "test_exports_cli"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = Path(str(item.fspath)).stem
        if module in SLOW_MODULES or item.name.startswith("test_serve_"):
            item.add_marker(pytest.mark.slow)
