"""The dashboard in headless Chromium against the real gunicorn server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.harness import Watched, dash_idle, landed, settle

CJK = re.compile(r"[\u4e00-\u9fff]")


def open_view(w: Watched, query: str = "") -> Page:
    w.page.goto(w.base + "/" + query, wait_until="networkidle")
    w.page.wait_for_selector(".atlas-card", state="attached", timeout=20_000)
    w.page.wait_for_selector(".atlas-area-label", timeout=20_000)
    return w.page


def query_of(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def clean(w: Watched) -> None:
    assert w.external_requests() == []
    assert w.errors == []


def set_year(page: Page, year: int) -> None:
    handle = page.locator("#atlas-year [role=slider]")
    current = int(handle.get_attribute("aria-valuenow"))
    handle.focus()
    key = "ArrowRight" if year > current else "ArrowLeft"
    for _ in range(abs(year - current)):
        page.keyboard.press(key)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('year') === '{year}'")


def card(page: Page, series: str):
    return page.locator(f".atlas-card[data-series='{series}']")


def test_first_load_draws_basemap_layers_and_panels_offline(watched: Watched) -> None:
    page = open_view(watched)
    assert page.locator(".leaflet-overlay-pane path").count() >= 16 + 16 + 11
    assert page.locator("path.atlas-place").count() >= 30
    labels = page.locator(".atlas-area-label").all_inner_texts()
    assert "丰台区" in labels and "保定市" in labels
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # no tile layer by default
    assert "非标准地图" in page.locator(".atlas-notice").inner_text()
    assert page.locator(".atlas-legend-row").count() >= 5
    watched.screenshot("overview-2026")
    clean(watched)


@pytest.mark.parametrize(
    ("theme", "selector"),
    [
        ("hubs", "#atlas-map .atlas-line-jingjin_intercity"),
        ("relocation", ".atlas-flow-reloc_dahongmen_yunshang.atlas-flow-arc"),
        ("corridor", "#atlas-map .atlas-line-jingxiong_intercity_pkx_xiongan"),
        ("synergy", ".atlas-flow-arc"),
        ("services", "#atlas-map .atlas-place-zhuozhou"),
    ],
)
def test_each_theme_draws_its_layers(watched: Watched, theme: str, selector: str) -> None:
    page = open_view(watched)
    page.locator(f".atlas-themes input[value='{theme}']").check()
    page.wait_for_function(f"() => location.search.includes('theme={theme}')")
    page.wait_for_selector(selector, state="attached", timeout=10_000)
    assert query_of(page)["layers"] == theme
    # the legend is the server's answer to the layer change, the drawing the browser's own:
    # wait for the answer rather than race it
    expect(page.locator(".atlas-legend-row[data-layer]")).to_have_count(1)  # = visible layers
    assert page.locator(f".atlas-legend-row[data-layer='{theme}']").count() == 1
    watched.screenshot(f"theme-{theme}")
    clean(watched)


def test_slider_changes_features_status_and_panel_values(watched: Watched) -> None:
    page = open_view(watched, "?theme=relocation&year=2020")
    assert (
        page.locator("#atlas-map .atlas-place-guan_trade_city").count() == 0
    )  # building from 2021-10
    assert page.locator("#atlas-map .atlas-place-dahongmen.atlas-status-open").count() == 1
    park = card(page, "nanzhongzhou_park_firms")
    assert park.get_attribute("data-state") == "no_data"
    set_year(page, 2021)
    page.wait_for_selector(
        "#atlas-map .atlas-place-guan_trade_city.atlas-status-under_construction", state="attached"
    )
    assert page.locator("#atlas-map .atlas-place-dahongmen.atlas-status-closed").count() == 1
    set_year(page, 2022)
    page.wait_for_selector(
        "#atlas-map .atlas-place-guan_trade_city.atlas-status-open", state="attached"
    )
    set_year(page, 2025)
    page.wait_for_function(
        "() => document.querySelector(\".atlas-card[data-series='nanzhongzhou_park_firms']\")"
        ".dataset.state === 'current'"
    )
    assert "超过300" in park.inner_text() and "截至 2025" in park.inner_text()
    set_year(page, 2026)
    page.wait_for_function(
        "() => document.querySelector(\".atlas-card[data-series='nanzhongzhou_park_firms']\")"
        ".innerText.includes('700')"
    )
    text = park.inner_text()
    assert "700余" in text and "截至 2026-03" in text
    # over 300 high-end firms and 700-odd tech firms: two definitions, side by side, no change
    assert "+400" not in text and "另一口径（高精尖企业）：超过300" in text
    closed = card(page, "dahongmen_markets_closed_demolished")
    assert closed.get_attribute("data-state") == "stale"
    # an older figure says its date calmly, with no "no data" warning
    assert "截至 2018-11" in closed.inner_text() and "无数据" not in closed.inner_text()
    clean(watched)


def test_play_advances_the_year_by_itself_and_loops(watched: Watched) -> None:
    watched.page.clock.install()  # time flows as usual until the test moves it on itself
    page = open_view(watched, "?year=2024")
    page.locator(".atlas-speed input[value='fast']").check()
    page.locator("#atlas-play").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('year') === '2026'")
    page.wait_for_function("() => new URLSearchParams(location.search).get('year') === '2014'")
    page.locator("#atlas-play").click()  # pause
    dash_idle(page)  # the pause has reached the ticker, and a step already under way has landed
    paused = query_of(page)["year"]
    page.clock.run_for(1500)  # 1.5 s of page time: a running ticker would step the year
    settle(page)  # and whatever such a step set off has reached the address bar
    assert query_of(page)["year"] == paused
    clean(watched)


def test_step_buttons_move_one_year(watched: Watched) -> None:
    page = open_view(watched, "?year=2020")
    page.locator("#atlas-step-forward").click()
    page.wait_for_function("() => location.search.includes('year=2021')")
    page.locator("#atlas-step-back").click()
    page.locator("#atlas-step-back").click()
    page.wait_for_function("() => location.search.includes('year=2019')")
    assert page.locator("#atlas-year-label").inner_text() == "2019"
    clean(watched)


def test_clicking_a_hub_shows_its_panel_and_escape_returns(watched: Watched) -> None:
    page = open_view(watched, "?theme=hubs&year=2023")
    page.locator("#atlas-map .atlas-place-beijing_fengtai").dispatch_event("click")
    details = page.locator("#atlas-details")
    details.get_by_role("heading", name="北京丰台站").wait_for(timeout=10_000)
    text = details.inner_text()
    assert "Beijing Fengtai railway station" in text
    assert "运营 (2023)" in text and "2022-06-20" in text and "坐标来源" in text
    assert query_of(page)["sel"] == "beijing_fengtai"
    assert page.locator("#atlas-overview").is_hidden()
    watched.screenshot("hub-selected")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !location.search.includes('sel=')")
    page.locator("#atlas-overview").wait_for(state="visible")
    clean(watched)


def test_clicking_a_prefecture_selects_its_city_and_its_figures(watched: Watched) -> None:
    page = open_view(watched, "?theme=synergy&year=2025")
    page.locator("#atlas-map .atlas-place-baoding").dispatch_event("click")
    details = page.locator("#atlas-details")
    details.get_by_text("保定市").first.wait_for()
    assert "149" in details.inner_text()
    assert details.locator(".atlas-source-link").count() >= 1
    clean(watched)


def test_source_link_opens_source_details(watched: Watched) -> None:
    page = open_view(watched, "?theme=relocation&year=2026")
    card(page, "nanzhongzhou_park_firms").locator(".atlas-source-link").click()
    dialog = page.locator("#atlas-source-dialog")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    assert "002_a8140e59c69e35bd.txt:93" in text and "2026年3月" in text and "700" in text
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    clean(watched)


def test_english_leaves_no_chinese_in_the_ui_chrome(watched: Watched) -> None:
    page = open_view(watched, "?theme=relocation&year=2021")
    page.locator("#atlas-lang-button").click()
    page.wait_for_function("() => location.search.includes('lang=en')")
    page.wait_for_function(
        "() => document.querySelector('#atlas-title').innerText.includes('Atlas')"
    )
    # the map's area labels are redrawn in English too, and every callback the switch set off
    # has landed
    page.wait_for_function(
        "() => [...document.querySelectorAll('.atlas-area-label')]"
        ".some((e) => e.textContent.includes('Fengtai'))"
    )
    settle(page)
    # The button back to Chinese is rightly labelled in Chinese (中文); everything else is English.
    assert page.locator("#atlas-lang-button").inner_text() == "中文"
    chrome = [
        ".atlas-titles",
        ".atlas-themes",
        ".atlas-timeline",
        ".atlas-side-title",
        ".atlas-layer-list",
        ".atlas-legend",
        ".atlas-notice",
        ".atlas-card-label",
        ".atlas-card-asof",
        ".atlas-card-stale",
        ".atlas-event",
        ".atlas-area-label",
    ]
    for selector in chrome:
        for text in page.locator(selector).all_inner_texts():
            assert not CJK.search(text), f"{selector}: {text!r}"
    assert page.locator("#atlas-page").get_attribute("lang") == "en"
    page.locator("#atlas-export-open").click()
    dialog = page.locator("#atlas-export-dialog")
    dialog.wait_for(state="visible")
    text = dialog.inner_text().replace("中文", "")  # the language choice names itself
    assert not CJK.search(text), text
    assert page.locator("#atlas-export-lang input[value='en']").is_checked()
    page.locator("#atlas-export-close").click()
    watched.screenshot("relocation-2021-en")
    clean(watched)


def test_shared_url_reproduces_the_view(watched: Watched) -> None:
    shared = (
        "?theme=corridor&year=2020&layers=hubs,corridor&lang=en"
        "&sel=xiongan_station&view=39.3000,116.2000,9"
    )
    watched.page.clock.install()  # time flows as usual until the test moves it on itself
    page = open_view(watched, shared)
    page.wait_for_selector("#atlas-details h2")
    assert page.locator("#atlas-details h2").inner_text() == "Xiong'an railway station"
    assert page.locator("#atlas-year [role=slider]").get_attribute("aria-valuenow") == "2020"
    assert page.locator(".atlas-themes input[value='corridor']").is_checked()
    checked = page.locator(".atlas-layer-list input:checked")
    assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == ["corridor", "hubs"]
    dash_idle(page)  # the view from the address has reached the map, which flies there
    landed(page)  # page time for the fly-to to land (it runs on page timers), and settled:
    # the landed view is written back to the address bar
    assert query_of(page) == {k: v[0] for k, v in parse_qs(shared[1:]).items()}
    clean(watched)


def test_malformed_url_shows_a_polite_notice_and_defaults(watched: Watched) -> None:
    page = open_view(watched, "?year=abc&theme=nope&layers=hubs,ufo&view=1,2&sel=%3Cb%3E&foo=1")
    notice = page.locator("#atlas-notice")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    for name in ("year", "theme", "layers", "view", "sel", "foo"):
        assert f"“{name}”" in text
    assert "Traceback" not in page.content()
    q = query_of(page)
    # the overview's default year: the newest year of a figure on its cards (core.story)
    assert q["theme"] == "overview" and q["year"] == "2025" and "sel" not in q
    page.locator("#atlas-notice-close").click()
    notice.wait_for(state="hidden")
    clean(watched)


def test_clicking_a_line_shows_its_status_and_schematic_note(watched: Watched) -> None:
    page = open_view(watched, "?theme=corridor&year=2025&lang=en")
    page.locator("#atlas-map .atlas-line-jingxiong_r1").dispatch_event("click")
    details = page.locator("#atlas-details")
    details.get_by_role("heading", name="Beijing–Xiong'an express line R1").wait_for()
    text = details.inner_text()
    assert "Under construction (2025)" in text and "Schematic" in text
    assert (
        page.locator("#atlas-map .atlas-line-jingxiong_r1.atlas-status-under_construction").count()
        == 1
    )
    clean(watched)


def test_controls_are_large_enough_to_touch_and_reachable_by_keyboard(watched: Watched) -> None:
    page = open_view(watched)
    small = page.evaluate(
        """() => [...document.querySelectorAll('button, .atlas-pills label, [role=slider]')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.id || e.className, e.getBoundingClientRect()])
            .filter(([_, r]) => r.width < 44 || r.height < 44)
            .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )
    assert small == []
    page.locator("#atlas-year [role=slider]").focus()
    page.keyboard.press("Home")
    page.wait_for_function("() => location.search.includes('year=2014')")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('.atlas-timeline') !== null")
    assert focused  # focus moves on to the next timeline control (speed), it is not lost
    clean(watched)
