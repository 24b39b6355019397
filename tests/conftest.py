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
