"""A link in English is English from the first paint: page language, title, basemap labels,
panels and controls, with no round trip through Chinese."""

from __future__ import annotations

import re

import pytest

from tests.harness import Watched, settle

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]+")
# Written in Chinese on purpose in an English page: the switch back to Chinese, and the Chinese
# option of the export language.
ALLOWED = {"中文"}


@pytest.mark.parametrize(
    "query", ["?lang=en", "?theme=relocation&year=2021&lang=en", "?kiosk=1&lang=en"]
)
def test_an_english_link_paints_english_first(watched: Watched, query: str) -> None:
    page = watched.page
    painted: list[str] = []
    # Record the basemap labels the moment Leaflet first binds them, before any update.
    page.add_init_script(
        """new MutationObserver((records, observer) => {
             const label = document.querySelector('.atlas-area-label');
             if (label) { window.__firstLabel = label.textContent; observer.disconnect(); }
           }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto(watched.base + "/" + query, wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == "Fengtai Bridgehead Atlas"
    page.wait_for_function("() => window.__firstLabel !== undefined")
    painted.append(page.evaluate("window.__firstLabel"))
    assert not CJK.search(painted[0]), painted  # no Chinese label was ever drawn first
    page.wait_for_selector(".atlas-card", state="attached")
    settle(page)
    text = page.evaluate("document.body.innerText")
    assert set(CJK.findall(text)) <= ALLOWED, set(CJK.findall(text)) - ALLOWED
    # names for assistive technology and hover titles too (Leaflet's controls included)
    attributes = page.evaluate(
        """() => [...document.querySelectorAll('[aria-label], [title], [alt]')].flatMap(
             e => ['aria-label', 'title', 'alt'].map(a => e.getAttribute(a)).filter(Boolean))"""
    )
    assert attributes and not [a for a in attributes if CJK.search(a) and a not in ALLOWED]
    labels = page.locator(".atlas-area-label").all_inner_texts()
    assert "Fengtai" in labels and not any(CJK.search(t) for t in labels)
    assert page.locator("#atlas-lang-button").inner_text() == "中文"
    assert watched.external_requests() == [] and watched.errors == []


def test_a_plain_link_is_still_chinese(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/", wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.wait_for_selector(".atlas-area-label", state="attached")
    assert "丰台区" in page.locator(".atlas-area-label").all_inner_texts()
