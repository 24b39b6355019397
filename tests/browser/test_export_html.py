"""The exported HTML in a real Chromium with every network request blocked: it draws the map,
logs no error, and a script payload in the data runs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from exports import ExportSpec, export_bytes
from geodata.load import Atlas, load_atlas
from tests.harness import SCREENSHOTS, animations_done, images_done
from tests.hostile import PAYLOAD, write_hostile


@pytest.fixture(scope="module")
def exported(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export-html")
    hostile = load_atlas(write_hostile(atlas, folder / "hostile.gpkg"))
    page = folder / "relocation_2021.html"
    page.write_bytes(export_bytes(hostile, ExportSpec("relocation", 2021, fmt="html")))
    return page


def test_exported_html_works_offline_and_escapes_data(browser: Browser, exported: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    blocked: list[str] = []
    requested: list[str] = []

    def only_files(route: Route) -> None:
        url = route.request.url
        requested.append(url)
        if url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    try:
        page.goto(exported.as_uri(), wait_until="load")
        page.wait_for_selector("path.leaflet-interactive", state="attached")
        paths = page.locator("path.leaflet-interactive").count()
        assert paths > 50  # boundaries, flow arcs and heads, place markers
        assert page.locator(".atlas-panel h1").inner_text() == "大红门疏解（2021年）"
        labels = page.locator(".leaflet-tooltip.atlas-area-label").all_inner_texts()
        assert PAYLOAD + "丰台区" in labels  # shown as text
        assert any("密云区" in t for t in labels)
        marker = page.locator(".atlas-place-yunshang_town")
        marker.dispatch_event("mouseover")
        tooltip = page.locator(".leaflet-tooltip", has_text="云裳小镇").first
        tooltip.wait_for()
        assert PAYLOAD + "云裳小镇" in tooltip.inner_text()
        # the tooltip has finished fading in, and every image has loaded or failed (a payload
        # that had become an <img> would have run its onerror by now)
        animations_done(page)
        images_done(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "export-html-relocation-2021.png"))
        assert page.evaluate("window.__xss") is None
        assert page.locator("img[src='x']").count() == 0
        assert page.locator(".leaflet-control-scale").count() == 1
    finally:
        context.close()
    assert blocked == []
    assert all(u.startswith(("file:", "data:")) for u in requested)
    assert errors == []
