"""The first screen in headless Chromium against the real gunicorn server."""

from __future__ import annotations

from tests.browser.conftest import Watched


def _open(w: Watched) -> None:
    w.page.goto(w.base + "/", wait_until="networkidle")
    w.page.wait_for_selector(".atlas-place-beijing_west", state="attached", timeout=20_000)


def test_first_screen_draws_boundaries_and_places_offline(watched: Watched) -> None:
    _open(watched)
    page = watched.page
    boundaries = page.locator(
        ".leaflet-overlay-pane path.leaflet-interactive, .leaflet-overlay-pane path"
    )
    assert boundaries.count() >= 16 + 16 + 11
    assert page.locator("path.atlas-place").count() >= 30
    labels = page.locator(".atlas-area-label").all_inner_texts()
    assert "丰台区" in labels and "保定市" in labels
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # no tile layer by default
    watched.screenshot("first-screen")
    assert watched.external_requests() == []
    assert watched.errors == []


def test_clicking_a_station_shows_its_source_and_status(watched: Watched) -> None:
    _open(watched)
    watched.page.locator(".atlas-place-beijing_fengtai").dispatch_event("click")
    details = watched.page.locator(".atlas-details")
    details.get_by_text("北京丰台站").wait_for(timeout=10_000)
    text = details.inner_text()
    assert "Beijing Fengtai railway station" in text
    assert "位置精度" in text and "坐标来源" in text
    assert "2022-06-20" in text  # reopened
    watched.screenshot("first-screen-fengtai-station")
    assert watched.errors == []


def test_places_draw_above_the_basemap(watched: Watched) -> None:
    _open(watched)
    marker = watched.page.locator(".atlas-place-beijing_west")
    box = marker.bounding_box()
    assert box is not None and box["width"] > 4
    # the element under the marker's centre must be the marker itself, not a boundary polygon
    hit = watched.page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).getAttribute('class')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert "atlas-place" in hit
    notice = watched.page.locator(".atlas-notice").inner_text()
    assert "非标准地图" in notice
