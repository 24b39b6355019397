"""Compare two years (issue 14) in headless Chromium against the real server: the swipe's
divider moves with a mouse, a finger and the keys, and each side shows its own year (features
counted per map, and which map a point on either side of the divider belongs to); side by side
the two maps follow each other's pan and zoom; the link restores the comparison in a fresh
context; a line of the change list selects its feature on both maps; the export panel exports
the comparison (a PDF with both years and the change list); axe finds nothing serious."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from core.compare import compare, lines
from core.tables import Tables
from core.timeline import is_visible
from geodata.load import Atlas
from layers.features import flows_layer, places_layer
from tests.browser.test_a11y import audit, blocking
from tests.harness import Watched, animations_done, settle, watching

RELOCATION = "?theme=relocation&compare=swipe&a=2014&b=2021"
CORRIDOR = "?theme=corridor&compare=side&a=2018&b=2026&lang=en"

# Both maps drawn for the comparison `key` ("mode:a:b"), names placed on each.
READY = """(key) => {
  const wrap = document.querySelector('.atlas-map-wrap');
  const c = window.atlas && window.atlas.compare;
  return wrap && wrap.dataset.compare === key && c && c.other()
    && document.querySelector('#atlas-map-a path.atlas-place') !== null
    && document.querySelector('#atlas-map-a').dataset.labelRuns !== undefined
    && document.querySelector('#atlas-map').dataset.labelRuns !== undefined;
}"""

# Features each map draws: place markers and flow arcs (heads are the arcs' arrows).
COUNTS = """() => {
  const count = (sel) => document.querySelectorAll(sel).length;
  return {a: {places: count('#atlas-map-a path.atlas-place'),
              flows: count('#atlas-map-a path.atlas-flow-arc')},
          b: {places: count('#atlas-map path.atlas-place'),
              flows: count('#atlas-map path.atlas-flow-arc')}};
}"""

# Which map the page shows at page point (x, y): the map element the point hits.
HIT = """([x, y]) => {
  const el = document.elementFromPoint(x, y);
  const map = el && el.closest('.leaflet-container');
  return {map: map ? map.id : null, place: el && el.classList.contains('atlas-place')
    ? [...el.classList].find((c) => c.startsWith('atlas-place-') && c !== 'atlas-place') : null};
}"""

DIVIDER = """() => {
  const d = document.getElementById('atlas-swipe');
  const r = d.getBoundingClientRect(), w = d.parentNode.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2, left: w.left, width: w.width,
          now: Number(d.getAttribute('aria-valuenow')), label: d.getAttribute('aria-valuetext')};
}"""


def expected(atlas: Atlas, layer: str, year: int) -> dict[str, int]:
    """How many places and flows of ``layer`` are on the map in ``year``, from the tables."""
    places = places_layer(atlas.table("places"), atlas.table("status"))["features"]
    flows = flows_layer(atlas.table("flows"), atlas.table("places"))["features"]
    return {
        "places": sum(is_visible(f["properties"], year, (layer,)) for f in places),
        "flows": sum(
            is_visible(f["properties"], year, (layer,))
            for f in flows
            if f["properties"]["part"] == "arc"
        ),
    }


def only_in(atlas: Atlas, layer: str, a: int, b: int) -> list[str]:
    """Places of ``layer`` on the map in ``b`` but not yet in ``a``."""
    return [
        f["properties"]["id"]
        for f in places_layer(atlas.table("places"), atlas.table("status"))["features"]
        if is_visible(f["properties"], b, (layer,)) and not is_visible(f["properties"], a, (layer,))
    ]


def open_compare(page: Page, url: str, key: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(READY, arg=key, timeout=30_000)
    animations_done(page)
    settle(page)


def divider_at(page: Page, percent: int) -> None:
    page.wait_for_function(
        "(p) => document.getElementById('atlas-swipe').getAttribute('aria-valuenow') === String(p)",
        arg=percent,
    )


def test_swipe_divider_moves_by_mouse_touch_and_keys_and_each_side_is_its_year(
    browser: Browser, server: str, atlas: Atlas
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_compare(page, server + "/" + RELOCATION, "swipe:2014:2021")
        counts = page.evaluate(COUNTS)
        want_a, want_b = expected(atlas, "relocation", 2014), expected(atlas, "relocation", 2021)
        assert counts == {"a": want_a, "b": want_b}
        assert want_a["flows"] == 0 < want_b["flows"]  # the relocation flows began in 2016
        assert want_a["places"] < want_b["places"]

        d = page.evaluate(DIVIDER)
        # it starts in the middle of the part of the map the legend leaves free
        legend = page.locator(".atlas-legend").bounding_box()
        assert legend is not None
        free = (legend["x"] - d["left"]) / 2 / d["width"]
        assert d["now"] == round(100 * min(0.5, max(0.2, free)))
        assert "2014" in d["label"] and "2021" in d["label"]
        # a place of 2021 only: under the divider's left side it is year A's map that shows
        new = only_in(atlas, "relocation", 2014, 2021)
        marker = page.locator(f"#atlas-map path.atlas-place-{new[0]}").bounding_box()
        assert marker is not None
        point = [marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2]

        # keys: End puts the divider at the right edge (all year A), Home at the left (all B)
        page.focus("#atlas-swipe")
        page.keyboard.press("End")
        divider_at(page, 100)
        assert page.evaluate(HIT, point)["map"] == "atlas-map-a"
        page.keyboard.press("Home")
        divider_at(page, 0)
        hit = page.evaluate(HIT, point)  # a marker of 2021 (two new ones may share the spot)
        assert hit["map"] == "atlas-map" and hit["place"].removeprefix("atlas-place-") in new
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        divider_at(page, 10)

        # mouse: drag the handle to 70 % of the map's width
        d = page.evaluate(DIVIDER)
        page.mouse.move(d["x"], d["y"])
        page.mouse.down()
        page.mouse.move(d["left"] + 0.4 * d["width"], d["y"], steps=4)
        page.mouse.move(d["left"] + 0.7 * d["width"], d["y"], steps=4)
        page.mouse.up()
        divider_at(page, 70)

        # touch: a finger drags it to 25 % (touch events through the browser's input pipeline)
        d = page.evaluate(DIVIDER)
        cdp = context.new_cdp_session(page)

        def touch(kind: str, x: float) -> None:
            points = [] if kind == "touchEnd" else [{"x": x, "y": d["y"]}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", d["x"])
        for share in (0.6, 0.45, 0.3, 0.25):
            touch("touchMove", d["left"] + share * d["width"])
        touch("touchEnd", 0)
        divider_at(page, 25)
        # where the divider is, so are the sides: left of it year A's map, right of it B's
        d = page.evaluate(DIVIDER)
        left = page.evaluate(HIT, [d["left"] + 0.1 * d["width"], d["y"] + 150])
        right = page.evaluate(HIT, [d["left"] + 0.4 * d["width"], d["y"] + 150])
        assert (left["map"], right["map"]) == ("atlas-map-a", "atlas-map")
        assert errors == []
    finally:
        context.close()


SYNC = """() => {
  const a = window.atlas.compare.other(), b = window.atlas.compare.main();
  const ra = a.getContainer().getBoundingClientRect();
  const rb = b.getContainer().getBoundingClientRect();
  return {a: [a.getCenter().lat, a.getCenter().lng, a.getZoom()],
          b: [b.getCenter().lat, b.getCenter().lng, b.getZoom()],
          aBox: [ra.left, ra.top, ra.right, ra.bottom],
          bBox: [rb.left, rb.top, rb.right, rb.bottom]};
}"""


def in_step(page: Page) -> dict[str, Any]:
    """Both maps at one zoom and centre (to within a screen pixel: Leaflet rounds a dragged
    map's position to whole pixels)."""
    settle(page)
    animations_done(page)
    view = page.evaluate(SYNC)
    assert view["a"][2] == view["b"][2]
    pixel = 360 / (256 * 2 ** view["b"][2])  # degrees of longitude in one pixel at this zoom
    assert view["a"][0] == pytest.approx(view["b"][0], abs=pixel)
    assert view["a"][1] == pytest.approx(view["b"][1], abs=pixel)
    return view


def test_side_by_side_maps_follow_each_others_pan_and_zoom(watched: Watched, atlas: Atlas) -> None:
    page = watched.page
    open_compare(page, watched.base + "/" + CORRIDOR, "side:2018:2026")
    first = in_step(page)
    assert first["aBox"][2] <= first["bBox"][0] + 1  # A left of B, not over it
    counts = page.evaluate(COUNTS)
    assert counts["a"]["places"] == expected(atlas, "corridor", 2018)["places"]
    assert counts["b"]["places"] == expected(atlas, "corridor", 2026)["places"]
    # pan the right map (B) with the mouse, from a spot clear of the legend: A follows
    box = first["bBox"]
    page.mouse.move(box[0] + 60, box[1] + 250)
    page.mouse.down()
    page.mouse.move(box[0] + 180, box[1] + 320, steps=6)
    page.mouse.up()
    panned = in_step(page)
    assert panned["b"][:2] != first["b"][:2]
    # zoom the left map (A) with its own + button: B follows
    page.locator("#atlas-map-a .leaflet-control-zoom-in").click()
    page.wait_for_function(
        "(z) => window.atlas.compare.main().getZoom() === z", arg=first["a"][2] + 1
    )
    zoomed = in_step(page)
    assert zoomed["a"][2] == first["a"][2] + 1
    assert watched.errors == [] and watched.external_requests() == []


def test_the_link_restores_a_comparison_set_on_the_page(browser: Browser, server: str) -> None:
    with watching(browser, server) as w:
        page = w.page
        page.goto(server + "/?theme=relocation&year=2021", wait_until="domcontentloaded")
        page.wait_for_selector("#atlas-map path.atlas-place")
        settle(page)
        page.locator("#atlas-compare-on label").click()  # the timeline's switch
        page.wait_for_function(READY, arg="swipe:2014:2021", timeout=30_000)
        page.locator("#atlas-compare-mode label").nth(1).click()  # side by side
        page.wait_for_function(READY, arg="side:2014:2021", timeout=30_000)
        thumb = page.locator("#atlas-year-a [role=slider]")
        thumb.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(READY, arg="side:2017:2021")
        settle(page)
        link = page.url
        assert "compare=side" in link and "a=2017" in link and "b=2021" in link
        title = page.locator("#atlas-changes-title").inner_text()
    with watching(browser, server) as fresh:
        fresh.page.goto(link, wait_until="domcontentloaded")
        fresh.page.wait_for_function(READY, arg="side:2017:2021", timeout=30_000)
        settle(fresh.page)
        assert (
            fresh.page.locator("#atlas-compare-mode input:checked").get_attribute("value") == "side"
        )
        assert (
            fresh.page.locator("#atlas-year-a [role=slider]").get_attribute("aria-valuenow")
            == "2017"
        )
        assert fresh.page.locator("#atlas-changes-title").inner_text() == title
        assert "2017" in title and "2021" in title
        assert fresh.page.locator("#atlas-changes-list li").count() > 0
        assert fresh.errors == [] and fresh.external_requests() == []


SELECTED = """(id) => ['#atlas-map', '#atlas-map-a'].map((m) =>
  document.querySelector(m + ' .atlas-label-selected[data-id="' + id + '"]') !== null)"""


def test_a_change_line_selects_its_feature_on_both_maps(watched: Watched) -> None:
    page = watched.page
    open_compare(page, watched.base + "/" + RELOCATION, "swipe:2014:2021")
    line = page.locator(
        '#atlas-changes-list button.atlas-change-select[data-feature="heyi_market"]'
    )
    assert "2014" in line.inner_text()  # says what it was in year A
    line.click()
    page.wait_for_function(
        "(id) => (" + SELECTED + ")(id).every(Boolean)",
        arg="heyi_market",
    )
    assert page.evaluate(SELECTED, "heyi_market") == [True, True]
    assert "heyi_market" in page.url
    assert watched.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_views_have_no_serious_accessibility_violation(watched: Watched, lang: str) -> None:
    page = watched.page
    open_compare(page, watched.base + f"/{RELOCATION}&lang={lang}", "swipe:2014:2021")
    assert blocking(audit(page)) == []
    page.locator("#atlas-compare-mode label").nth(1).click()
    page.wait_for_function(READY, arg="side:2014:2021")
    assert blocking(audit(page)) == []


def test_the_export_panel_exports_the_comparison_on_screen(
    watched: Watched, atlas: Atlas, tmp_path: Path
) -> None:
    page = watched.page
    open_compare(page, watched.base + "/" + RELOCATION + "&lang=en", "swipe:2014:2021")
    page.locator("#atlas-export-open").click()
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    page.locator("#atlas-export-format input[value='pdf']").check()
    with page.expect_download(timeout=90_000) as download:
        page.locator("#atlas-export-run").click()
    assert download.value.suggested_filename == "relocation_2014-2021_en_a4-landscape.pdf"
    saved = tmp_path / "compare.pdf"
    download.value.save_as(saved)
    text = PdfReader(saved).pages[0].extract_text()
    assert "2014 and 2021 compared" in text and "What changed, 2014 → 2021" in text
    tables = Tables.from_atlas(atlas)
    first = lines(tables, compare(tables, "relocation", 2014, 2021), "en")[0]
    assert re.sub(r"\s+", "", first.text) in re.sub(r"\s+", "", text)
    page.locator("#atlas-export-status").get_by_text("relocation_2014-2021").wait_for()
    command = shlex.split(page.locator("#atlas-export-command").inner_text())
    assert command[command.index("--compare") + 1] == "2014,2021" and "--year" not in command
    assert watched.errors == [] and watched.external_requests() == []
