"""Kiosk mode in headless Chromium, with 2-second scenes and a 3-second idle set by settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.harness import dash_idle, free_port, landed, running_server, settle, watching
from tests.kiosk_pages import KIOSK_ENV, SCENES, open_kiosk, pause_clock, scene, wait_scene


@pytest.fixture(scope="module")
def kiosk_server() -> Iterator[str]:
    with running_server(**KIOSK_ENV) as url:
        yield url


# Records the year label's text each time it changes while the given scene shows (so the year
# the previous scene left on the label, before this scene's first year reaches it, is not
# counted); done once the tour has moved on from that scene.
RECORD_YEARS = """(name) => {
  const root = document.documentElement;
  const label = document.querySelector('#atlas-year-label');
  const record = window.__years = {years: [], seen: false, done: false};
  const onLabel = new MutationObserver(() => {
    if (root.dataset.kioskScene === name) { record.years.push(label.textContent); }
  });
  const onScene = new MutationObserver(() => {
    if (root.dataset.kioskScene === name) { record.seen = true; }
    else if (record.seen) {
      record.done = true;
      onLabel.disconnect();
      onScene.disconnect();
    }
  });
  onLabel.observe(label, {childList: true, subtree: true, characterData: true});
  onScene.observe(root, {attributes: true, attributeFilter: ['data-kiosk-scene']});
}"""


def test_scenes_advance_by_themselves_and_loop(browser: Browser, kiosk_server: str) -> None:
    with watching(browser, kiosk_server) as w:
        open_kiosk(w.page, kiosk_server)
        seen = ["bridgehead"]
        for name in [*SCENES[1:], SCENES[0]]:
            wait_scene(w.page, name)
            seen.append(name)
        assert seen == [*SCENES, SCENES[0]]
        title = w.page.locator("#atlas-kiosk-title").inner_text()
        assert title  # the caption panel follows the scenes
        assert w.external_requests() == [] and w.errors == []


def test_animated_scene_moves_the_year(browser: Browser, kiosk_server: str) -> None:
    with watching(browser, kiosk_server) as w:
        open_kiosk(w.page, kiosk_server)
        w.page.evaluate(RECORD_YEARS, "dahongmen-before")
        w.page.wait_for_function(
            "() => window.__years.done", timeout=20_000
        )  # the scene came and went
        years = set(w.page.evaluate("window.__years.years"))
        assert len(years) >= 3 and years <= {str(y) for y in range(2014, 2022)}


def test_a_touch_pauses_and_idle_returns_to_the_tour(browser: Browser, kiosk_server: str) -> None:
    with watching(browser, kiosk_server) as w:
        page = w.page
        page.clock.install()
        open_kiosk(page, kiosk_server)
        pause_clock(page)  # page time now moves only as the test moves it
        page.mouse.click(400, 500)  # a visitor touches the map
        page.wait_for_function("() => document.documentElement.dataset.kioskState === 'exploring'")
        paused_on = scene(page)
        page.locator("#atlas-kiosk-explore").wait_for(state="visible")
        page.clock.run_for(2500)  # longer than a scene, shorter than the idle time
        assert scene(page) == paused_on  # the tour did not move on
        page.clock.resume()
        page.wait_for_function(
            "() => document.documentElement.dataset.kioskState === 'playing'", timeout=6000
        )
        page.locator("#atlas-kiosk-explore").wait_for(state="hidden")
        page.wait_for_function(
            f"() => document.documentElement.dataset.kioskScene !== '{paused_on}'", timeout=6000
        )


def test_presenter_keys_go_next_previous_and_pause(browser: Browser, kiosk_server: str) -> None:
    with watching(browser, kiosk_server) as w:
        page = w.page
        page.clock.install()  # time flows as usual until the test moves it on itself
        open_kiosk(page, kiosk_server)
        page.keyboard.press("PageDown")
        wait_scene(page, "hubs", timeout=1500)
        page.keyboard.press("ArrowRight")
        wait_scene(page, "dahongmen-before", timeout=1500)
        page.keyboard.press("ArrowLeft")
        wait_scene(page, "hubs", timeout=1500)
        page.keyboard.press("b")  # clickers send B to blank/pause
        page.wait_for_function("() => document.documentElement.dataset.kioskState === 'paused'")
        page.clock.run_for(2500)  # longer than a scene: the tour must not move on
        assert scene(page) == "hubs"
        page.keyboard.press("b")
        page.wait_for_function("() => document.documentElement.dataset.kioskState === 'playing'")
        wait_scene(page, "dahongmen-before", timeout=4000)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (3840, 2160)])
def test_kiosk_fits_the_screen_without_scrollbars(
    browser: Browser, kiosk_server: str, width: int, height: int
) -> None:
    with watching(browser, kiosk_server) as w:
        page = w.page
        open_kiosk(page, kiosk_server, width, height)
        for name in SCENES[:4]:
            wait_scene(page, name)
            settle(page)  # the scene's caption and cards (from the server) are drawn
            size = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            assert size == [width, height], name
            overflow = page.evaluate(
                """([w, h]) => [...document.querySelectorAll(
                    '.atlas-header *, .atlas-timeline *, .atlas-kiosk-panel *, .atlas-legend *')]
                  .filter(e => e.offsetParent !== null)
                  .map(e => [e.id || e.className, e.getBoundingClientRect()])
                  .filter(([_, r]) =>
                    r.right > w + 1 || r.bottom > h + 1 || r.left < -1 || r.top < -1)
                  .map(([n, r]) => `${n} ${Math.round(r.right)},${Math.round(r.bottom)}`)""",
                [width, height],
            )
            assert overflow == [], name
            if width == 1920:
                w.screenshot(f"kiosk-{name}")
        assert page.locator(".dash-debug-menu, .dash-fe-error__title").count() == 0
        big = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#atlas-kiosk-title')).fontSize)"
        )
        if width >= 1920:
            assert big >= (40 if width == 1920 else 80)  # readable from 3 m


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kiosk_header_buttons_keep_their_words_on_one_line(
    browser: Browser, kiosk_server: str, lang: str
) -> None:
    """At 1920 px in English the language button's "中文" broke into two lines."""
    with watching(browser, kiosk_server) as w:
        page = w.page
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(kiosk_server + f"/?kiosk=1&lang={lang}", wait_until="networkidle")
        wait_scene(page, "bridgehead")
        lines = page.evaluate(
            """() => [...document.querySelectorAll('.atlas-header .atlas-button')]
              .filter(b => b.offsetParent !== null)
              .map(b => {
                const range = document.createRange();
                range.selectNodeContents(b);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                return [b.id, b.textContent, tops.size];
              })"""
        )
        assert lines, "the header shows buttons"
        assert [x for x in lines if x[2] != 1] == []


def test_scene_panel_drops_the_oldest_lines_rather_than_overflow(
    browser: Browser, tour_server: str
) -> None:
    """Whatever the fonts make of the text, the scene panel shows whole lines and no more than
    fits: here each change line is made a third of the screen tall."""
    with watching(browser, tour_server) as w:
        page = w.page
        open_kiosk(page, tour_server)
        page.add_style_tag(
            content="html.atlas-kiosk .atlas-kiosk-story .atlas-event { padding-bottom: 33vh; }"
        )
        page.keyboard.press("PageDown")
        page.keyboard.press("PageDown")
        wait_scene(page, "dahongmen-before")  # its first year has two change lines
        page.wait_for_function(
            "() => document.querySelectorAll('#atlas-kiosk-cards [data-kiosk-trimmed]').length > 0"
        )
        settle(page)
        fit = page.evaluate(
            """() => {
              const p = document.getElementById('atlas-kiosk-panel');
              const items = [...document.querySelectorAll('.atlas-kiosk-story > li')];
              const shown = items.filter(e => e.offsetParent !== null);
              return {over: p.scrollHeight - p.clientHeight, total: items.length,
                      shown: shown.length,
                      oldestShown: shown.length ? items.indexOf(shown[0]) : -1};
            }"""
        )
        assert fit["over"] <= 1, fit
        assert fit["total"] >= 2 and fit["shown"] < fit["total"], fit
        # the latest lines stay: what is hidden is a run from the oldest
        assert fit["shown"] == 0 or fit["oldestShown"] == fit["total"] - fit["shown"], fit


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_hidden_change_line_would_have_fitted(
    browser: Browser, kiosk_server: str, lang: str
) -> None:
    """Change lines go before cards, but a card dropped afterwards can leave room for them: in
    English at 1920 px the first scene's three-line title pushed its third card out, and with
    it went every change line that then had room."""
    with watching(browser, kiosk_server) as w:
        page = w.page
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(kiosk_server + f"/?kiosk=1&lang={lang}", wait_until="networkidle")
        wait_scene(page, "bridgehead")
        settle(page)
        fit = page.evaluate(
            """() => {
              const p = document.getElementById('atlas-kiosk-panel');
              const over = () => p.scrollHeight > p.clientHeight + 1;
              const lines = [...document.querySelectorAll('.atlas-kiosk-story > li')];
              const hidden = lines.filter(e => e.hasAttribute('data-kiosk-trimmed'));
              const result = {over: over(), lines: lines.length, hidden: hidden.length,
                              wouldFit: false};
              if (hidden.length) {  // show the newest hidden line (and its heading): overflow?
                const line = hidden[hidden.length - 1];
                const parts = [...document.querySelectorAll(
                  '.atlas-kiosk-story, .atlas-kiosk-story-title')];
                const before = [line, ...parts].map(e => e.style.display);
                [line, ...parts].forEach(e => { e.style.display = ''; });
                result.wouldFit = !over();
                [line, ...parts].forEach((e, i) => { e.style.display = before[i]; });
              }
              return result;
            }"""
        )
        assert fit["lines"] >= 1, fit  # the scene's year has change lines to tell
        assert not fit["over"] and not fit["wouldFit"], fit


def test_server_restart_mid_tour_resumes_by_itself(browser: Browser) -> None:
    port = free_port()
    with watching(browser, f"http://127.0.0.1:{port}") as w:
        page = w.page
        page.clock.install()  # time flows as usual until the test moves it on itself
        with running_server(port=port, **KIOSK_ENV) as url:
            open_kiosk(page, url)
            wait_scene(page, "hubs")
        # the server is gone: a calm reconnecting note, and the tour holds its place
        page.locator("#atlas-reconnect").wait_for(state="visible", timeout=15_000)
        held = scene(page)
        page.clock.run_for(2500)  # longer than a scene
        assert scene(page) == held
        with running_server(port=port, **KIOSK_ENV):
            page.locator("#atlas-reconnect").wait_for(state="hidden", timeout=20_000)
            page.wait_for_function(
                f"() => document.documentElement.dataset.kioskScene !== '{held}'", timeout=10_000
            )
            # the server-side panel came back too: the cards follow the scene again
            page.wait_for_selector("#atlas-kiosk-cards .atlas-card", timeout=10_000)


def test_share_qr_code_shows_the_current_view_only_when_configured(
    browser: Browser, kiosk_server: str
) -> None:
    from urllib.parse import unquote

    from callbacks.kiosk import qr_data_uri

    with watching(browser, kiosk_server) as w:
        open_kiosk(w.page, kiosk_server)
        assert w.page.locator(".atlas-kiosk-share").is_hidden()  # no public URL configured
    public = "https://atlas.example.org"
    with running_server(ATLAS_PUBLIC_URL=public, **KIOSK_ENV) as url, watching(browser, url) as w:
        w.page.clock.install()  # time flows as usual until the test moves it on itself
        open_kiosk(w.page, url)
        w.page.locator(".atlas-kiosk-share").wait_for(state="visible")
        w.page.keyboard.press("b")  # hold the scene so the view and its code stay put
        w.page.wait_for_function("() => document.documentElement.dataset.kioskState === 'paused'")
        dash_idle(w.page)  # the scene's view has reached the map, which flies there
        landed(w.page)  # the landed view is in the address bar, and its code has come back
        w.page.wait_for_function(
            "() => document.querySelector('#atlas-kiosk-qr').src.startsWith('data:')"
        )
        src = w.page.locator("#atlas-kiosk-qr").get_attribute("src")
        query = w.page.evaluate("location.search").replace("&kiosk=1", "")
        assert unquote(src) == unquote(qr_data_uri(public + "/" + query))
        assert w.external_requests() == []
