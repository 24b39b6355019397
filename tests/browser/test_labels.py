"""Names on the screen map, placed by the collision rule (assets/atlas.js labels), in headless
Chromium against the real server: at every theme's default view, in both languages, every
visible place is named or hidden by the rule, no two names overlap, no name covers a marker,
and Fengtai is always named; a selection and zooming in bring a hidden name back; the legend
folds away."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from core.themes import THEMES
from geodata.load import Atlas
from tests.harness import SCREENSHOTS, Watched, animations_done, settle, watching

SHOWN = ("shown", "forced")
HIDDEN_BY_RULE = ("collides", "repeat")  # "outside": the place's point is off the map
SLACK = 0.5  # px: sub-pixel rounding between a box as placed and as the browser reports it

# Every label and every visible place marker, as the page shows them, in page pixels.
LAYOUT = """() => {
  const frame = document.querySelector('#atlas-map').getBoundingClientRect();
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const map = document.querySelector('#atlas-map');  // the page map (not the close-up's)
  const labels = [...map.querySelectorAll('.atlas-label, .atlas-area-label')].map((e) => ({
    kind: e.classList.contains('atlas-area-label') ? 'area'
      : e.classList.contains('atlas-label-line') ? 'line' : 'place',
    id: e.dataset.id || null, state: e.dataset.label || null, text: e.textContent,
    focus: e.classList.contains('atlas-focus'),
    selected: e.classList.contains('atlas-label-selected'),
    displayed: getComputedStyle(e).display !== 'none', box: box(e)}));
  const markers = [...map.querySelectorAll('path.atlas-place')].map((e) => ({
    id: [...e.classList].find((c) => c.startsWith('atlas-place-')).slice(12), box: box(e)}))
    .filter((m) => m.box[2] > m.box[0]);
  return {frame: [frame.left, frame.top, frame.right, frame.bottom], labels, markers};
}"""

# Every place marker has its label and every label has been placed (the labeller has run after
# the last change of layers and the basemap has arrived with Fengtai's name).
PLACED = """() => {
  const map = document.querySelector('#atlas-map');
  const focus = map.querySelector('.atlas-area-label.atlas-focus');
  if (!focus || !focus.dataset.label) { return false; }
  const labelled = new Set([...map.querySelectorAll('.atlas-label-place[data-label]')]
    .map((e) => e.dataset.id));
  return [...map.querySelectorAll('path.atlas-place')].every((e) =>
    labelled.has([...e.classList].find((c) => c.startsWith('atlas-place-')).slice(12)));
}"""


def _intersect(a: list[float], b: list[float]) -> bool:
    return (
        a[0] < b[2] - SLACK and b[0] < a[2] - SLACK and a[1] < b[3] - SLACK and b[1] < a[3] - SLACK
    )


def _inside(point: tuple[float, float], frame: list[float]) -> bool:
    return frame[0] <= point[0] <= frame[2] and frame[1] <= point[1] <= frame[3]


# The labeller has run with the map at rest at `zoom` (a theme or a view in the link flies the
# map there; the labeller runs when it lands).
LANDED = "(zoom) => document.querySelector('#atlas-map')?.dataset.labelZoom === String(zoom)"


def open_map(page: Page, url: str, zoom: int) -> dict[str, Any]:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(LANDED, arg=zoom, timeout=30_000)
    page.wait_for_function(PLACED, timeout=30_000)
    animations_done(page)
    settle(page)
    page.wait_for_function(PLACED)
    return page.evaluate(LAYOUT)


def check_layout(
    layout: dict[str, Any], names: dict[str, str], fengtai: bool = True
) -> dict[str, int]:
    """The rule's promises on one screen (and, with ``fengtai``, that Fengtai is named: its
    centre is on screen in every default view); returns how many names show and hide."""
    frame, labels, markers = layout["frame"], layout["labels"], layout["markers"]
    places = {lab["id"]: lab for lab in labels if lab["kind"] == "place"}
    counts = {"places": 0, "places shown": 0, "places hidden": 0}
    for m in markers:
        centre = ((m["box"][0] + m["box"][2]) / 2, (m["box"][1] + m["box"][3]) / 2)
        if not _inside(centre, frame):
            continue
        counts["places"] += 1
        label = places.get(m["id"])
        assert label is not None, f"no label element for {m['id']}"
        assert label["text"] == names[m["id"]], (label["text"], names[m["id"]])
        assert label["state"] in SHOWN + HIDDEN_BY_RULE, (m["id"], label["state"])
        assert label["displayed"] == (label["state"] in SHOWN), label
        counts["places shown" if label["state"] in SHOWN else "places hidden"] += 1
    shown = [lab for lab in labels if lab["state"] in SHOWN]
    assert all(lab["displayed"] for lab in shown)
    assert not [lab for lab in labels if lab["state"] not in SHOWN and lab["displayed"]]
    for i, a in enumerate(shown):
        assert a["box"][2] > a["box"][0] and a["box"][3] > a["box"][1], a
        for b in shown[i + 1 :]:
            assert not _intersect(a["box"], b["box"]), (a["text"], b["text"])
        for m in markers:
            assert not _intersect(a["box"], m["box"]), (a["text"], "covers marker", m["id"])
    focus = [lab for lab in labels if lab["focus"]]
    assert len(focus) == 1, focus
    if fengtai:
        assert focus[0]["state"] == "shown", focus
        fb = focus[0]["box"]
        assert _inside((fb[0], fb[1]), frame) and _inside((fb[2], fb[3]), frame)
    for kind in ("line", "area"):
        ours = [lab for lab in labels if lab["kind"] == kind]
        counts[f"{kind}s shown"] = sum(1 for lab in ours if lab["state"] in SHOWN)
        counts[f"{kind}s hidden"] = sum(1 for lab in ours if lab["state"] in HIDDEN_BY_RULE)
    return counts


@pytest.fixture(scope="module")
def place_names(atlas: Atlas) -> dict[str, dict[str, str]]:
    places = atlas.table("places")
    return {
        lang: dict(zip(places["id"], places[f"name_{lang}"], strict=True)) for lang in ("zh", "en")
    }


SUMMARY: dict[str, dict[str, int]] = {}
OVERVIEW, CORRIDOR = THEMES["overview"].zoom, THEMES["corridor"].zoom


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("theme", list(THEMES))
def test_every_visible_place_is_named_or_hidden_by_the_rule(
    browser: Browser, server: str, place_names: dict[str, dict[str, str]], theme: str, lang: str
) -> None:
    with watching(browser, server) as w:
        w.page.set_viewport_size({"width": 1280, "height": 800})
        layout = open_map(w.page, f"{server}/?theme={theme}&lang={lang}", THEMES[theme].zoom)
        counts = check_layout(layout, place_names[lang])
        assert counts["places"] > 0 and counts["places shown"] > 0, counts
        SUMMARY[f"{theme} {lang}"] = counts
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "labels-summary.json").write_text(json.dumps(SUMMARY, indent=1))
        print(theme, lang, counts)
        w.screenshot(f"labels-{theme}-{lang}")
        assert w.errors == [] and w.external_requests() == []


def _hidden_place(page: Page) -> str:
    layout = page.evaluate(LAYOUT)
    hidden = [
        lab["id"]
        for lab in layout["labels"]
        if lab["kind"] == "place" and lab["state"] in HIDDEN_BY_RULE
    ]
    assert hidden, "expected a crowded default view with hidden names"
    return hidden[0]


def test_a_selected_place_is_named_first(
    watched: Watched, place_names: dict[str, dict[str, str]]
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, watched.base + "/?theme=overview", OVERVIEW)
    chosen = _hidden_place(page)
    layout = open_map(page, watched.base + f"/?theme=overview&sel={chosen}", OVERVIEW)
    check_layout(layout, place_names["zh"])
    label = next(lab for lab in layout["labels"] if lab["id"] == chosen and lab["kind"] == "place")
    assert label["state"] == "shown" and label["selected"], label
    assert watched.errors == []


def test_zooming_in_frees_room_for_a_hidden_name(
    watched: Watched, atlas: Atlas, place_names: dict[str, dict[str, str]]
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, watched.base + "/?theme=overview", OVERVIEW)
    chosen = _hidden_place(page)
    point = atlas.table("places").set_index("id").geometry[chosen]
    layout = open_map(page, watched.base + f"/?theme=overview&view={point.y},{point.x},14", 14)
    check_layout(layout, place_names["zh"], fengtai=False)
    label = next(lab for lab in layout["labels"] if lab["id"] == chosen and lab["kind"] == "place")
    assert label["state"] == "shown", label
    # and back out with the zoom control: the rule runs again once the zoom has ended
    page.locator(".leaflet-control-zoom-out").click()
    page.wait_for_function(LANDED, arg=13)
    animations_done(page)
    settle(page)
    check_layout(page.evaluate(LAYOUT), place_names["zh"], fengtai=False)
    assert watched.errors == []


def test_a_resized_window_and_a_folded_legend_place_the_names_again(
    watched: Watched, place_names: dict[str, dict[str, str]]
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, watched.base + "/?theme=relocation", THEMES["relocation"].zoom)
    runs = "() => document.querySelector('#atlas-map').dataset.labelRuns"
    for act in (
        lambda: page.set_viewport_size({"width": 1100, "height": 700}),
        lambda: page.locator("#atlas-legend .atlas-legend-toggle").click(),
    ):
        before = page.evaluate(runs)
        act()
        page.wait_for_function(f"(before) => ({runs})() !== before", arg=before)
        settle(page)
        check_layout(page.evaluate(LAYOUT), place_names["zh"])
    assert watched.errors == []


def test_lines_are_named_and_drawn_as_rail_or_road(watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    layout = open_map(page, watched.base + "/?theme=corridor&year=2026&lang=en", CORRIDOR)
    lines = [lab for lab in layout["labels"] if lab["kind"] == "line" and lab["state"] in SHOWN]
    assert lines and all("(" not in lab["text"] or "R1" in lab["text"] for lab in lines)
    # a road's white core (3 px) and a railway's white ticks (dashed) are drawn over the lines
    inner = page.evaluate(
        """() => [...document.querySelectorAll('path.atlas-line-inner')].map((p) =>
             [p.getAttribute('stroke-width'), p.getAttribute('stroke-dasharray')])"""
    )
    assert ["3", None] in inner  # the open expressway's core
    assert any(width == "1.5" and dash == "5 5" for width, dash in inner)  # an open railway
    legend = page.locator("#atlas-legend")
    assert legend.locator("[data-line='rail']").count() == 1
    assert legend.locator("[data-line='road']").count() == 1
    assert watched.errors == []


def test_the_legend_folds_away_by_button_and_keyboard(watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_map(page, watched.base + "/?theme=hubs", THEMES["hubs"].zoom)
    button = page.locator("#atlas-legend .atlas-legend-toggle")
    assert button.get_attribute("aria-expanded") == "true"
    size = button.bounding_box()
    assert size is not None and size["height"] >= 44 and size["width"] >= 44
    rows = page.locator("#atlas-legend .atlas-legend-row")
    assert rows.first.is_visible()
    # only what the hubs theme draws: rail, no road, no flows
    assert page.locator("#atlas-legend [data-line='rail']").count() == 1
    assert page.locator("#atlas-legend [data-line='road']").count() == 0
    assert page.locator("#atlas-legend [data-status]").count() == 4
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.atlas-legend-toggle').getAttribute('aria-expanded')"
        " === 'false'"
    )
    assert not rows.first.is_visible()
    folded = page.locator("#atlas-legend").bounding_box()
    assert folded is not None and folded["height"] < 60
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('.atlas-legend-toggle').getAttribute('aria-expanded')"
        " === 'true'"
    )
    assert rows.first.is_visible()
    assert watched.errors == []


def test_the_legend_starts_folded_on_a_narrow_screen(browser: Browser, server: str) -> None:
    with watching(browser, server) as w:
        page = w.page
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(server + "/?theme=overview", wait_until="networkidle")
        button = page.locator("#atlas-legend .atlas-legend-toggle")
        button.wait_for(state="attached")
        settle(page)
        assert button.get_attribute("aria-expanded") == "false"
        assert not page.locator("#atlas-legend .atlas-legend-row").first.is_visible()
        # a change of layers redraws the legend's rows; it stays folded
        page.locator("#atlas-layers input[value='hubs']").uncheck()
        settle(page)
        assert button.get_attribute("aria-expanded") == "false"
        assert not page.locator("#atlas-legend .atlas-legend-row").first.is_visible()
        w.screenshot("labels-overview-390")
        assert w.errors == []
