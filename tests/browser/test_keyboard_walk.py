"""A planner without a mouse: from page load, with the keyboard alone, choose a theme, move the
year, select a station and read its panel, open and close a source dialog, run an export and
close it — with where focus is checked at every step."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.harness import Watched, settle

ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) {
    return {id: '', role: 'body', value: '', group: '', pane: false};
  }
  const group = e.closest('[role=radiogroup], [role=group]');
  return {id: e.id || '', role: e.getAttribute('role') || e.tagName.toLowerCase(),
          value: e.value || '', group: group ? group.id : '',
          pane: Boolean(e.closest('.leaflet-pane'))};
}"""


def focus(page: Page) -> dict:
    return page.evaluate(ACTIVE)


def tab_until(page: Page, wanted: Any, limit: int = 40, back: bool = False) -> list[dict]:
    """Press Tab (Shift+Tab) until ``wanted(focus)`` holds; the stops passed on the way."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        here = focus(page)
        path.append(here)
        if wanted(here):
            return path
    raise AssertionError(f"not reached in {limit} presses; passed {path}")


def query(page: Page, key: str) -> str | None:
    return page.evaluate(f"new URLSearchParams(location.search).get('{key}')")


def test_keyboard_only_walk_through(watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(watched.base + "/?lang=en", wait_until="networkidle")
    page.wait_for_selector(".atlas-card", state="attached", timeout=20_000)
    settle(page)

    # 1. Theme: the first Tab stop is the theme picker's chosen radio; an arrow key chooses.
    first = tab_until(page, lambda f: f["group"] == "atlas-theme", limit=3)
    assert first[-1]["value"] == "overview"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('theme') === 'hubs'")
    settle(page)
    assert focus(page)["value"] == "hubs"

    # 2. The map is one stop after the header (no Leaflet feature on the way).
    path = tab_until(page, lambda f: f["id"] == "atlas-map", limit=6)
    assert not [f for f in path if f["pane"]], path

    # 3. Year: on through the map's zoom buttons to the slider; arrow keys move the year.
    path = tab_until(page, lambda f: f["role"] == "slider", limit=10)
    assert not [f for f in path if f["pane"]], path  # the map's features are not Tab stops
    year = int(query(page, "year") or 0)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('year') === '{year - 1}'"
    )
    settle(page)
    assert focus(page)["role"] == "slider"

    # 4. Back to the map; arrows walk its features; Enter selects one; its panel opens.
    tab_until(page, lambda f: f["id"] == "atlas-map", limit=10, back=True)
    page.keyboard.press("ArrowDown")
    announced = page.locator("#atlas-map-focus")
    page.wait_for_function(
        "() => document.getElementById('atlas-map-focus').textContent.length > 0"
    )
    name = announced.inner_text().split(" · ")[0]
    assert name
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('sel') !== null")
    settle(page)
    heading = page.locator("#atlas-details h2").first
    heading.wait_for()
    assert heading.inner_text() == name
    assert focus(page)["id"] == "atlas-map"  # selecting leaves the keyboard where it was

    # 5. Its source: Tab on into the panel to a source button; Enter opens the dialog there,
    #    Esc closes it and focus comes back to the same button.
    path = tab_until(page, lambda f: "atlas-source-button" in f["id"], limit=40)
    opener = path[-1]["id"]
    page.keyboard.press("Enter")
    page.locator("#atlas-source-dialog").wait_for(state="visible")
    page.wait_for_function(
        "() => document.getElementById('atlas-source-dialog').contains(document.activeElement)"
    )
    page.locator("#atlas-source-body *").first.wait_for()
    page.keyboard.press("Escape")
    page.locator("#atlas-source-dialog").wait_for(state="hidden")
    page.wait_for_function(
        f"() => document.activeElement && document.activeElement.id === {opener!r}"
    )

    # 6. Export: back to the header's Export button; Enter opens the dialog with focus inside;
    #    Tab to Run, Enter runs it; the status says it is done; Esc closes; focus returns.
    tab_until(page, lambda f: f["id"] == "atlas-export-open", limit=80, back=True)
    page.keyboard.press("Enter")
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    page.wait_for_function(
        "() => document.getElementById('atlas-export-dialog').contains(document.activeElement)"
    )
    format_group = tab_until(page, lambda f: f["group"] == "atlas-export-format", limit=3)
    assert format_group[-1]["value"] == "png"
    page.keyboard.press("ArrowRight")  # PDF
    page.wait_for_function(
        "() => document.querySelector('#atlas-export-format input[value=pdf]').checked"
    )
    tab_until(page, lambda f: f["id"] == "atlas-export-run", limit=20)
    with page.expect_download(timeout=120_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    page.wait_for_function(
        "() => document.getElementById('atlas-export-status').textContent.length > 0"
    )
    page.keyboard.press("Escape")
    page.locator("#atlas-export-dialog").wait_for(state="hidden")
    page.wait_for_function("() => document.activeElement.id === 'atlas-export-open'")
    assert watched.errors == []
