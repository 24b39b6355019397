"""The map with a keyboard and a screen reader (assets/mapnav.js, panels/status.py), in headless
Chromium against the real server: one Tab stop, arrows through the visible features announced
as the data says, Enter selects, Esc returns to the overview, and the live region states the
map's state in one sentence after each change — in Chinese and in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from core.story import default_year
from core.tables import Tables
from core.text import t
from core.themes import THEMES
from core.timeline import is_visible
from geodata.load import Atlas
from layers.features import flows_layer, lines_layer, places_layer
from panels.status import feature_text, map_sentence
from tests.harness import Watched, settle, still

# Every time a Leaflet feature element takes focus, by any means, it is counted.
COUNT_FEATURE_FOCUS = """
window.__featureFocus = 0;
document.addEventListener('focusin', (e) => {
  const el = e.target;
  if (el && el.classList && el.classList.contains('leaflet-interactive')) {
    window.__featureFocus += 1;
  }
}, true);
"""

STOP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return {id: '', group: '', inMap: false, control: false}; }
  const group = e.closest('[role=radiogroup]');
  return {id: e.id || '', group: group ? group.id : '', inMap: Boolean(e.closest('#atlas-map')),
          control: Boolean(e.closest('.leaflet-control')), tag: e.tagName.toLowerCase(),
          feature: Boolean(e.classList && e.classList.contains('leaflet-interactive'))};
}"""


@pytest.fixture(scope="module")
def tables(atlas: Atlas) -> Tables:
    return Tables.from_atlas(atlas)


@pytest.fixture(scope="module")
def features(atlas: Atlas) -> list[dict[str, Any]]:
    """The GeoJSON properties the map is drawn from (flows' arrowheads left out)."""
    places, status = atlas.table("places"), atlas.table("status")
    layers = [
        places_layer(places, status),
        lines_layer(atlas.table("lines"), status),
        flows_layer(atlas.table("flows"), places),
    ]
    return [
        f["properties"]
        for layer in layers
        for f in layer["features"]
        if f["properties"].get("part") != "head"
    ]


@pytest.fixture
def page(watched: Watched) -> Iterator[Page]:
    watched.page.set_viewport_size({"width": 1280, "height": 800})
    watched.page.add_init_script(COUNT_FEATURE_FOCUS)
    yield watched.page
    assert watched.page.evaluate("window.__featureFocus") == 0, "a map feature took focus"
    assert watched.errors == []


def open_page(page: Page, base: str, query: str) -> None:
    page.goto(base + "/" + query, wait_until="networkidle")
    page.wait_for_selector(".atlas-card", state="attached", timeout=20_000)
    page.wait_for_selector(".atlas-area-label", timeout=20_000)
    settle(page)


def stop(page: Page) -> dict[str, Any]:
    return page.evaluate(STOP)


def param(page: Page, key: str) -> str | None:
    return page.evaluate(f"new URLSearchParams(location.search).get('{key}')")


def wait_text(page: Page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel);"
        " return e !== null && e.textContent === text; }",
        arg=[selector, text],
    )


def wait_status(page: Page, text: str) -> None:
    wait_text(page, "#atlas-map-status", text)


# Where a feature is drawn on the screen (the centre of its box), to tell where the map looks.
WHERE = """(sel) => { const e = document.querySelector(sel);
  if (!e) { return null; }
  const r = e.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2]; }"""

# Whether it is drawn within a pixel of a given point.
BACK_AT = """([sel, at]) => { const e = document.querySelector(sel);
  if (!e) { return false; }
  const r = e.getBoundingClientRect();
  return Math.abs(r.left + r.width / 2 - at[0]) <= 1
    && Math.abs(r.top + r.height / 2 - at[1]) <= 1; }"""
MOVED = f"(args) => !({BACK_AT})(args)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tab_reaches_the_map_in_one_stop_and_no_feature_is_a_stop(
    watched: Watched, page: Page, lang: str
) -> None:
    open_page(page, watched.base, f"?lang={lang}")
    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        stops.append(stop(page))
        if stops[-1]["id"] == "atlas-map":
            break
    # the header: the theme picker (one stop for its radio group), Export, the language
    assert [s["group"] or s["id"] for s in stops] == [
        "atlas-theme",
        "atlas-export-open",
        "atlas-lang-button",
        "atlas-map",
    ]
    name = t("map.name", lang)
    role = page.locator("#atlas-map")
    assert role.get_attribute("role") == "application"
    assert role.get_attribute("aria-label") == name
    assert role.get_attribute("aria-roledescription") == t("map.role", lang)
    assert page.locator("#atlas-map-hint").inner_text() == t("map.keys", lang)
    assert role.get_attribute("aria-describedby") == "atlas-map-hint"
    # on through the map: only its controls (zoom, attribution) until the timeline
    inside = []
    for _ in range(30):
        page.keyboard.press("Tab")
        here = stop(page)
        if not here["inMap"]:
            break
        inside.append(here)
    assert inside and all(s["control"] and not s["feature"] for s in inside), inside
    assert page.locator(".leaflet-interactive").count() > 40
    assert page.locator(".leaflet-interactive:not([tabindex='-1'])").count() == 0


def visible_texts(
    tables: Tables, features: list[dict[str, Any]], theme: str, year: int, lang: str
) -> dict[str, str]:
    layers = THEMES[theme].layers
    return {
        p["id"]: feature_text(tables, p["id"], year, lang)
        for p in features
        if is_visible(p, year, layers)
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_arrows_walk_the_features_enter_selects_escape_returns(
    watched: Watched, page: Page, tables: Tables, features: list[dict[str, Any]], lang: str
) -> None:
    year = default_year(tables, "hubs")
    open_page(page, watched.base, f"?lang={lang}&theme=hubs")
    assert param(page, "year") == str(year)
    station = "#atlas-map .atlas-place-beijing_fengtai"
    still(page)  # the map has flown to the theme's own view
    home = page.evaluate(WHERE, station)
    wait_status(page, map_sentence(tables, "hubs", year, ["hubs"], None, lang))
    page.focus("#atlas-map")
    expected = visible_texts(tables, features, "hubs", year, lang)
    total = len(expected)
    assert total >= 8
    said: list[str] = []
    text = ""
    for n in range(1, total + 1):
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "(before) => document.getElementById('atlas-map-focus').textContent !== before",
            arg=text,
        )
        text = page.locator("#atlas-map-focus").text_content() or ""
        feature = next((f for f in expected.values() if text.startswith(f)), None)
        assert feature is not None, text
        assert text == t("map.focus", lang, feature=feature, n=n, total=total)
        # the same words beside the ring on the map, and the map keeps the focus
        assert page.locator(".atlas-nav-label").text_content() == feature
        assert page.locator("path.atlas-nav-ring").count() == 1
        assert stop(page)["id"] == "atlas-map"
        said.append(feature)
    assert sorted(said) == sorted(expected.values())  # each visible feature once
    names = [f.split(" · ")[0] for f in said]
    collated = page.evaluate(
        "([names, lang]) => names.slice().sort(new Intl.Collator(lang).compare)",
        [names, "en" if lang == "en" else "zh-CN"],
    )
    assert names == collated  # one layer: by name in the page's language
    # round again to the first; then the second, and Enter selects it as a click does
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = next(i for i, text in expected.items() if text == said[1])
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('sel') === '{chosen}'")
    settle(page)
    assert page.locator("#atlas-details h2").first.inner_text() == said[1].split(" · ")[0]
    wait_status(page, map_sentence(tables, "hubs", year, ["hubs"], chosen, lang))
    assert stop(page)["id"] == "atlas-map"
    # Leaflet's own keys still move the map: − zooms out, Shift+arrows pan
    page.keyboard.press("Minus")
    page.keyboard.press("Shift+ArrowLeft")
    page.wait_for_function(MOVED, arg=[station, home])
    assert param(page, "sel") == chosen  # Shift+arrows did not step
    # Esc: no selection, the panel closes, the theme's own view again
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URLSearchParams(location.search).get('sel') === null")
    page.wait_for_function(BACK_AT, arg=[station, home])
    settle(page)
    assert page.locator("#atlas-details").get_attribute("hidden") is not None
    assert page.locator("path.atlas-nav-ring").count() == 0
    wait_status(page, map_sentence(tables, "hubs", year, ["hubs"], None, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_live_region_follows_theme_year_layers_and_selection(
    watched: Watched, page: Page, tables: Tables, lang: str
) -> None:
    open_page(page, watched.base, f"?lang={lang}")
    assert page.locator("#atlas-map-status").get_attribute("aria-live") == "polite"
    # theme
    page.locator(".atlas-themes input[value='relocation']").check()
    year = default_year(tables, "relocation")
    wait_status(page, map_sentence(tables, "relocation", year, ["relocation"], None, lang))
    # year (the step button: one request, one new sentence)
    page.locator("#atlas-step-back").click()
    wait_status(page, map_sentence(tables, "relocation", year - 1, ["relocation"], None, lang))
    # layers
    page.locator("#atlas-layers input[value='hubs']").check()
    both = ["hubs", "relocation"]
    wait_status(page, map_sentence(tables, "relocation", year - 1, both, None, lang))
    # selection, by the keyboard
    page.focus("#atlas-map")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('sel') !== null")
    chosen = param(page, "sel")
    wait_status(page, map_sentence(tables, "relocation", year - 1, both, chosen, lang))
    text = page.locator("#atlas-map-status").text_content() or ""
    assert re.match(rf"^{year - 1} · ", text)
    watched.screenshot(f"map-status-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_keyboard_focus_is_marked_on_the_map(watched: Watched, page: Page, lang: str) -> None:
    open_page(page, watched.base, f"?lang={lang}&theme=relocation&year=2022")
    page.focus("#atlas-map")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.locator(".atlas-nav-label").wait_for()
    settle(page)
    # the ring's two strokes: near-black over white, one of them ≥ 3:1 on any map colour
    strokes = page.evaluate(
        "() => ['atlas-nav-ring', 'atlas-nav-halo'].map((c) =>"
        " getComputedStyle(document.querySelector('path.' + c)).stroke)"
    )
    assert strokes == ["rgb(17, 17, 17)", "rgb(255, 255, 255)"]
    box = page.locator("path.atlas-nav-ring").bounding_box()
    assert box and box["width"] >= 16  # around the marker, not a dot
    # its words are whole on the map and clear of the legend laid over it (Cangzhou Mingzhu,
    # second in either language, lies just beside the legend at this size)
    label = page.locator(".atlas-nav-label").bounding_box()
    legend = page.locator("#atlas-legend").bounding_box()
    area = page.locator("#atlas-map").bounding_box()
    assert label and legend and area
    assert (
        label["x"] + label["width"] <= legend["x"]
        or legend["x"] + legend["width"] <= label["x"]
        or label["y"] + label["height"] <= legend["y"]
        or legend["y"] + legend["height"] <= label["y"]
    ), (label, legend)
    assert area["x"] <= label["x"] and label["x"] + label["width"] <= area["x"] + area["width"]
    watched.screenshot(f"map-keyboard-focus-{lang}")


def test_kiosk_presenter_keys_still_win_over_the_map(watched: Watched, page: Page) -> None:
    page.goto(watched.base + "/?kiosk=1", wait_until="networkidle")
    page.wait_for_function("() => document.documentElement.dataset.kioskScene === 'bridgehead'")
    page.focus("#atlas-map")
    page.keyboard.press("ArrowRight")  # the next scene, not the next feature
    page.wait_for_function("() => document.documentElement.dataset.kioskScene === 'hubs'")
    assert page.locator("#atlas-map-focus").text_content() == ""
    page.keyboard.press("ArrowDown")  # not a presenter key: the map's
    page.wait_for_function("() => document.getElementById('atlas-map-focus').textContent !== ''")


def test_escape_during_a_zoom_still_flies_home(watched: Watched) -> None:
    """Minus starts a zoom animation; Escape at once starts the flight home. The zoom's end,
    mid-flight, is reported back to the map by dash-leaflet; that report must not stop the
    flight (assets/screens.js keepFlying). The race shows on a page just opened, so each round
    opens its own page (in one page, reloading aborts the health poll, a recorded error)."""
    station = "#atlas-map .atlas-place-beijing_fengtai"
    errors: list[str] = []
    for _ in range(4):
        page = watched.page.context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.set_viewport_size({"width": 1280, "height": 800})
        open_page(page, watched.base, "?lang=en&theme=hubs")
        still(page)
        home = page.evaluate(WHERE, station)
        page.focus("#atlas-map")
        page.keyboard.press("Minus")
        page.keyboard.press("Escape")
        settle(page)
        still(page)
        assert page.evaluate(BACK_AT, [station, home]), (home, page.evaluate(WHERE, station))
        page.close()
    assert errors == []
