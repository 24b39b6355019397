"""The close-up of Fengtai (assets/inset.js) in headless Chromium against the real server: at
the overview it sits in a free corner, names the three stations of 三站一楼 apart in both
languages, covers no marker, name or Fengtai itself on the page map, follows the year, and
zooms the map to Fengtai by click or by key; there is none on a phone, at a theme that
already shows Fengtai large, or while comparing."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from core.themes import THEMES
from geodata.load import Atlas
from tests.browser.test_dashboard import set_year
from tests.browser.test_labels import LAYOUT, SLACK, _intersect, open_map
from tests.harness import settle, watching

OVERVIEW = THEMES["overview"].zoom
STATIONS = ("beijing_west", "beijing_south", "beijing_fengtai")

# The close-up's box, its shown names and markers, and the page map's Fengtai outline, in page
# pixels.
INSET = """() => {
  const inset = document.querySelector('#atlas-inset');
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const inner = inset.querySelector('#atlas-inset-map');
  const fengtai = () => {  // the box of Fengtai's outline on the page map
    const main = window.atlas.compare.main();
    let found = null;
    main.eachLayer((l) => { const p = l.feature && l.feature.properties;
                            if (!found && p && p.focus && l.getBounds) { found = l; } });
    const b = found.getBounds(), r = main.getContainer().getBoundingClientRect();
    const nw = main.latLngToContainerPoint(b.getNorthWest());
    const se = main.latLngToContainerPoint(b.getSouthEast());
    return [r.left + nw.x, r.top + nw.y, r.left + se.x, r.top + se.y];
  };
  const cls = (e) => [...e.classList].find((c) => c.startsWith('atlas-place-')).slice(12);
  return {
    hidden: inset.hidden, corner: inset.dataset.corner || null, box: box(inset),
    map: box(inner), role: inset.getAttribute('role'), name: inset.getAttribute('aria-label'),
    labels: [...inner.querySelectorAll('.atlas-label-place')]
      .filter((e) => e.dataset.label === 'shown')
      .map((e) => ({id: e.dataset.id, text: e.textContent, box: box(e)})),
    markers: [...inner.querySelectorAll('path.atlas-place')]
      .map((e) => ({id: cls(e), box: box(e), classes: e.getAttribute('class')}))
      .filter((m) => m.box[2] > m.box[0]),
    fengtai: fengtai(),
  };
}"""

# The close-up has been placed and its own names decided (its labeller ran after it showed).
READY = """() => {
  const inset = document.querySelector('#atlas-inset');
  const inner = document.querySelector('#atlas-inset-map');
  return !inset.hidden && Boolean(inset.dataset.corner) && Number(inner.dataset.labelRuns) > 0
    && [...inner.querySelectorAll('.atlas-label-place')].every((e) => e.dataset.label);
}"""

# Each place marker's classes (its status and theme) on the page map, by place id.
MAIN_CLASSES = """() => Object.fromEntries(
  [...document.querySelectorAll('#atlas-map path.atlas-place')]
  .map((e) => [[...e.classList].find((c) => c.startsWith('atlas-place-')).slice(12),
               e.getAttribute('class')]))"""


def _ours(classes: str) -> set[str]:
    """The atlas's own classes of a marker (Leaflet's own differ: the close-up takes no
    pointer)."""
    return {c for c in classes.split() if c.startswith("atlas-")}


def _open(page: Page, url: str) -> dict[str, Any]:
    open_map(page, url, OVERVIEW)
    page.wait_for_function(READY, timeout=30_000)
    settle(page)
    return page.evaluate(INSET)


@pytest.fixture(scope="module")
def station_names(atlas: Atlas) -> dict[str, dict[str, str]]:
    places = atlas.table("places").set_index("id")
    return {
        lang: {s: str(places.loc[s, f"name_{lang}"]) for s in STATIONS} for lang in ("zh", "en")
    }


def _short(name: str) -> str:
    """A station's name as the close-up writes it (English drops "railway station")."""
    return name.removesuffix(" railway station")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_overview_names_the_hubs_apart_in_a_free_corner(
    browser: Browser,
    server: str,
    station_names: dict[str, dict[str, str]],
    lang: str,
    size: tuple[int, int],
) -> None:
    with watching(browser, server) as w:
        page = w.page
        page.set_viewport_size({"width": size[0], "height": size[1]})
        inset = _open(page, f"{server}/?lang={lang}")
        assert inset["role"] == "button" and inset["name"], inset["name"]
        shown = {lab["id"]: lab for lab in inset["labels"]}
        for station in STATIONS:  # the three stations, each named in the page's language
            assert station in shown, (station, sorted(shown))
            assert shown[station]["text"] == _short(station_names[lang][station])
        for i, a in enumerate(inset["labels"]):
            assert _inside_box(a["box"], inset["map"]), a
            for b in inset["labels"][i + 1 :]:
                assert not _intersect(a["box"], b["box"]), (a["text"], b["text"])
            for m in inset["markers"]:
                assert not _intersect(a["box"], m["box"]), (a["text"], "covers", m["id"])
        # on the page map it covers no marker, no name and not Fengtai's outline
        layout = page.evaluate(LAYOUT)
        for m in layout["markers"]:
            assert not _intersect(inset["box"], m["box"]), ("covers marker", m["id"])
        for lab in layout["labels"]:
            if lab["displayed"] and lab["state"] in ("shown", "forced"):
                assert not _intersect(inset["box"], lab["box"]), ("covers name", lab["text"])
        assert not _intersect(inset["box"], inset["fengtai"]), "covers Fengtai"
        w.screenshot(f"inset-overview-{lang}-{size[0]}")
        assert w.errors == [] and w.external_requests() == []


def _inside_box(inner: list[float], outer: list[float]) -> bool:
    return (
        inner[0] >= outer[0] - SLACK
        and inner[1] >= outer[1] - SLACK
        and inner[2] <= outer[2] + SLACK
        and inner[3] <= outer[3] + SLACK
    )


@pytest.mark.browser
def test_it_follows_the_year_like_the_page_map(browser: Browser, server: str) -> None:
    """Each place drawn in the close-up wears the page map's classes (status, theme) for the
    year shown, before and after a slider step."""
    with watching(browser, server) as w:
        page = w.page
        page.set_viewport_size({"width": 1280, "height": 800})
        for url in (f"{server}/?year=2025", f"{server}/?year=2016"):
            inset = _open(page, url)
            main = page.evaluate(MAIN_CLASSES)
            assert inset["markers"], "no place in the close-up"
            for m in inset["markers"]:
                assert _ours(m["classes"]) == _ours(main[m["id"]]), (url, m["id"], m["classes"])
        # a step on the slider (keys) restyles both the same way
        set_year(page, 2017)
        settle(page)
        inset, main = page.evaluate(INSET), page.evaluate(MAIN_CLASSES)
        for m in inset["markers"]:
            assert _ours(m["classes"]) == _ours(main[m["id"]]), ("2017", m["id"])
        assert w.errors == []


ZOOM = "() => window.atlas.compare.main().getZoom()"


@pytest.mark.browser
@pytest.mark.parametrize("how", ["click", "key"])
def test_it_zooms_the_map_to_fengtai_and_then_goes(browser: Browser, server: str, how: str):
    with watching(browser, server) as w:
        page = w.page
        page.set_viewport_size({"width": 1280, "height": 800})
        page.emulate_media(reduced_motion="reduce")
        _open(page, f"{server}/")
        before = page.evaluate(ZOOM)
        if how == "click":
            page.locator("#atlas-inset").click()
        else:
            page.locator("#atlas-inset").focus()
            page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('#atlas-inset').hidden")
        settle(page)
        after = page.evaluate(ZOOM)
        assert after >= before + 2, (before, after)
        # Fengtai now fills the map's width, its stations named on the page map itself
        layout = page.evaluate(LAYOUT)
        shown = {lab["id"] for lab in layout["labels"] if lab["state"] in ("shown", "forced")}
        assert set(STATIONS) <= shown, sorted(shown)
        assert page.evaluate("() => document.activeElement.id") == "atlas-map"
        assert w.errors == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("", (390, 844)),  # a phone: no room
        ("theme=hubs", (1280, 800)),  # Fengtai is large already
        ("theme=relocation", (1280, 800)),  # no hubs shown: no cluster to show
        ("compare=swipe&a=2014&b=2021", (1280, 800)),  # comparing
        ("kiosk=1", (1920, 1080)),  # the kiosk frames its own scenes
    ],
)
def test_there_is_none_where_it_would_not_help(
    browser: Browser, server: str, query: str, size: tuple[int, int]
) -> None:
    with watching(browser, server) as w:
        page = w.page
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{server}/?{query}", wait_until="domcontentloaded")
        page.wait_for_function(
            "() => Number(document.querySelector('#atlas-map')?.dataset.labelRuns) > 0",
            timeout=30_000,
        )
        settle(page)
        page.evaluate("() => window.atlas.inset.place()")
        assert page.evaluate("() => document.querySelector('#atlas-inset').hidden"), query
        assert w.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_serious_with_the_close_up(browser: Browser, server: str, lang: str):
    with watching(browser, server) as w:
        page = w.page
        page.set_viewport_size({"width": 1280, "height": 800})
        _open(page, f"{server}/?lang={lang}")
        results = Axe().run(page, context={"include": [["#atlas-inset"]]})
        serious = [
            v["id"]
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert serious == [], serious
        box = page.locator("#atlas-inset").bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44
