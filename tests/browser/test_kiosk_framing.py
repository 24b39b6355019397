"""The kiosk frames every scene of the shipped tour at 1920×1080: its subject drawn inside the
map, uncovered, the hubs named apart, a one-row header and a scene panel with figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.harness import landed, watching
from tests.kiosk_pages import SCENES, scene, wait_scene

# For the scene on screen: the map's rectangle, what covers it (legend, boundary notice, scene
# panel, header, timeline), and the screen box of each of the scene's focus features that is
# drawn at that year.
FRAMING = """() => {
  const K = window.atlasKiosk, scene = K.config.scenes[K.index];
  const box = (e) => { const r = e.getBoundingClientRect();
                       return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const covers = ['.atlas-legend', '.atlas-notice', '.atlas-kiosk-panel', '.atlas-header',
                  '.atlas-timeline']
    .flatMap((s) => [...document.querySelectorAll(s)])
    .filter((e) => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
    .map((e) => [e.className, box(e)]);
  const safe = (id) => String(id).replace(/[^A-Za-z0-9_-]/g, '_');
  const drawn = scene.focus.map((id) => [id, [...document.querySelectorAll(
      `.atlas-place-${safe(id)}, .atlas-line-${safe(id)}, .atlas-flow-${safe(id)}`)]
      .map(box).filter((b) => b.right > b.left || b.bottom > b.top)]);
  const parts = [...document.querySelector('.atlas-header').children]
    .filter((e) => e.offsetParent !== null).map((e) => [e.id || e.className, box(e)]);
  return {map: box(document.getElementById('atlas-map')), covers, drawn, parts,
          header: document.querySelector('.atlas-header').getBoundingClientRect().height};
}"""


HUBS = ("beijing_west", "beijing_south", "beijing_fengtai", "lize_terminal")
HUBS_NAMED = """(ids) => ids.every((id) => {
  const e = document.querySelector(`.atlas-label-place[data-id="${id}"]`);
  return e && ['shown', 'forced'].includes(e.dataset.label)
    && getComputedStyle(e).display !== 'none';
})"""
HUB_LABELS = """(ids) => Object.fromEntries(ids.map((id) => {
  const r = document.querySelector(`.atlas-label-place[data-id="${id}"]`).getBoundingClientRect();
  return [id, {left: r.left, top: r.top, right: r.right, bottom: r.bottom}];
}))"""


def _inside(b: dict, outer: dict) -> bool:
    return (
        b["left"] >= outer["left"] - 1
        and b["top"] >= outer["top"] - 1
        and b["right"] <= outer["right"] + 1
        and b["bottom"] <= outer["bottom"] + 1
    )


def _overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_scene_frames_its_subject_at_1920(browser: Browser, tour_server: str, lang: str):
    """At 1920×1080, in both languages: the header is one row (≤ 12 % of the height), and every
    scene's focus features that are drawn lie inside the map where nothing covers them; the
    scene panel never shows only "no data" cards; the theme pill names the scene's theme."""
    with watching(browser, tour_server) as w:
        page = w.page
        page.clock.install()  # time flows as usual until the test moves it on itself
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(tour_server + "/?kiosk=1" + ("&lang=en" if lang == "en" else ""))
        wait_scene(page, SCENES[0])
        for n, name in enumerate(SCENES):
            if n:
                page.keyboard.press("ArrowRight")
            wait_scene(page, name)
            landed(page)
            assert scene(page) == name  # the tour did not move on meanwhile
            seen = page.evaluate(FRAMING)
            assert seen["header"] <= 0.12 * 1080, (name, seen["header"])
            parts = seen["parts"]  # title, theme buttons, language button: side by side
            clash = [
                (a, b)
                for i, (a, ra) in enumerate(parts)
                for b, rb in parts[i + 1 :]
                if _overlaps(ra, rb)
            ]
            assert not clash, (name, clash)
            drawn = [(fid, b) for fid, boxes in seen["drawn"] for b in boxes]
            assert drawn, f"{name}: none of its focus features is drawn"
            for fid, b in drawn:
                assert _inside(b, seen["map"]), (name, fid, b, seen["map"])
                hit = [c for c, r in seen["covers"] if _overlaps(b, r)]
                assert not hit, (name, fid, hit)
            if name == "hubs":  # 三站一楼: the four hubs, four separately named points
                page.wait_for_function(HUBS_NAMED, arg=list(HUBS), timeout=10_000)
                boxes = page.evaluate(HUB_LABELS, list(HUBS))
                assert len(boxes) == 4, boxes
                for hub, b in boxes.items():
                    assert _inside(b, seen["map"]), (hub, b)
                    assert not [c for c, r in seen["covers"] if _overlaps(b, r)], hub
                others = list(boxes.values())
                assert not [
                    1 for i, a in enumerate(others) for b in others[i + 1 :] if _overlaps(a, b)
                ]
            panel = page.locator("#atlas-kiosk-cards")
            assert panel.locator(".atlas-card-nodata").count() == 0, name
            assert panel.inner_text().strip(), name
            theme = page.evaluate("window.atlasKiosk.config.scenes[window.atlasKiosk.index].theme")
            checked = page.locator("#atlas-theme input:checked").get_attribute("value")
            assert checked == theme, name
            w.screenshot(f"kiosk-frame-{lang}-{name}")
        assert w.errors == [] and w.external_requests() == []
