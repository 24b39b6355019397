"""Fixtures: a real server (``atlas serve``: gunicorn) and a real headless Chromium (Debian's).
The helpers behind them live in ``tests.harness``, which the scripts use too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.harness import CHROMIUM, Watched, launch_browser, running_server, watching


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def tour_server() -> Iterator[str]:
    """The shipped kiosk tour with scenes long enough (10 min) that they change only when the
    test says so (presenter keys)."""
    with running_server(ATLAS_TOUR_SCENE_SECONDS="600") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as p:
        b = launch_browser(p.chromium)
        yield b
        b.close()


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    with watching(browser, server) as w:
        yield w


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
