"""The index page preloads the scripts the first screen fetches late (routes.PRELOAD_SCRIPTS), and
the page uses those preloads: each is fetched once. A preload that does not match the real
request (wrong ``as`` or credentials mode) would be fetched a second time."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from routes import PRELOAD_SCRIPTS
from tests.harness import Watched, settle


def test_each_preload_is_fetched_once_and_used(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=en", wait_until="commit")
    page.wait_for_selector("#atlas-map .atlas-area-label", state="attached")  # basemap drawn
    page.wait_for_selector("#atlas-map .atlas-place", state="attached")  # GeoJSON drawn
    page.wait_for_selector("#atlas-year [role=slider]")  # the slider's code ran
    settle(page)
    html = page.content()
    preloaded = re.findall(r'<link rel="preload" as="(\w+)"[^>]*href="([^"]+)"', html)
    assert sorted(href for _, href in preloaded) == sorted("/" + p for p in PRELOAD_SCRIPTS)
    fetched = Counter(urlsplit(u).path for u in watched.requests)
    assert {href: fetched[href] for _, href in preloaded} == {href: 1 for _, href in preloaded}
    assert watched.errors == []
