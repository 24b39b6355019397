"""A view change restyles the map's features in place (assets/views.js): after slider steps, a
layer switch, a selection or a language change, the map shows exactly what a fresh page opened
on that view shows, feature for feature, drawn the same way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

import ids
from tests.harness import Watched, settle

# Every feature element in the story panes, as (pane, classes, drawing attributes), sorted:
# the order of elements and their path data (which depends on the renderer's origin) are left out.
FEATURES = """() => [...document.querySelectorAll(
    '#atlas-map .leaflet-places-pane path, #atlas-map .leaflet-lines-pane path,'
    + ' #atlas-map .leaflet-flows-pane path')]
  .map((e) => [e.closest('.leaflet-pane').className.match(/leaflet-(\\w+)-pane/)[1],
               [...e.classList].sort().join(' '),
               ...['stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'fill',
                   'fill-opacity', 'stroke-linecap'].map((a) => e.getAttribute(a))].join('|'))
  .sort()"""

SHOWN_NAMES = """() => [...document.querySelectorAll('#atlas-map .atlas-label-place')]
  .map((e) => e.textContent).sort()"""


def features(page: Page) -> list[str]:
    settle(page)
    return page.evaluate(FEATURES)


def open_view(page: Page, base: str, query: str) -> None:
    page.goto(f"{base}/?{query}", wait_until="networkidle")
    page.wait_for_selector("#atlas-map .leaflet-places-pane path", state="attached")
    settle(page)


def step_to(page: Page, year: int) -> None:
    handle = page.locator(f"#{ids.YEAR} [role=slider]")
    handle.focus()
    now = int(handle.get_attribute("aria-valuenow") or 0)
    key = "ArrowRight" if year > now else "ArrowLeft"
    for _ in range(abs(year - now)):
        page.keyboard.press(key)
    page.wait_for_function(
        f"() => document.querySelector('#{ids.YEAR} [role=slider]')"
        f".getAttribute('aria-valuenow') === '{year}'"
    )


@pytest.mark.parametrize(
    ("theme", "start", "end", "lang"),
    [
        ("relocation", 2014, 2021, "en"),
        ("corridor", 2016, 2023, "zh"),
        ("overview", 2026, 2015, "zh"),
    ],
)
def test_slider_steps_draw_what_a_fresh_page_draws(
    watched: Watched, theme: str, start: int, end: int, lang: str
) -> None:
    page = watched.page
    open_view(page, watched.base, f"theme={theme}&year={end}&lang={lang}")
    fresh = features(page)
    open_view(page, watched.base, f"theme={theme}&year={start}&lang={lang}")
    before = features(page)
    step_to(page, end)
    stepped = features(page)
    assert before != stepped, "the years chosen should differ on the map"
    assert stepped == fresh
    assert watched.errors == []


def test_layers_selection_and_language_restyle_in_place(watched: Watched) -> None:
    page = watched.page
    query = "theme=hubs&year=2026&layers=hubs,corridor&sel=beijing_west&lang=en"
    open_view(page, watched.base, query)
    fresh, fresh_names = features(page), page.evaluate(SHOWN_NAMES)
    assert any("atlas-place-beijing_west" in f for f in fresh)

    open_view(page, watched.base, "theme=hubs&year=2026&layers=hubs&lang=zh")
    page.locator(f"#{ids.LAYERS} input[value=corridor]").check()
    page.locator("#atlas-map path.atlas-place-beijing_west").click()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('sel') === 'beijing_west'"
    )
    page.locator(f"#{ids.LANG_BUTTON}").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'en'")
    assert features(page) == fresh
    assert page.evaluate(SHOWN_NAMES) == fresh_names
    page.locator("#atlas-map path.atlas-place-beijing_south").hover()
    tip = page.locator(".leaflet-tooltip").last
    tip.wait_for()
    assert tip.inner_text() == "Beijing South railway station"
    assert watched.errors == []
