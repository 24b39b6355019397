"""Accessibility audit: axe-core (shipped by axe-playwright-python) on the real page in
headless Chromium, in both languages, with a feature's panel and each dialog open, in the
kiosk and at phone size. No serious or critical violation is allowed; every named rule below
must have run (so a rule that silently stopped applying is noticed), and every option group
and the slider carry a name in the page's language."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.harness import Watched, settle

# Rule sets run: WCAG 2.0/2.1/2.2 A and AA, and Deque's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Rules this page has broken before or could easily break; each must have run on every page.
RULES = [
    "aria-allowed-attr",
    "aria-allowed-role",
    "aria-dialog-name",
    "aria-input-field-name",
    "aria-required-children",
    "aria-required-parent",
    "aria-valid-attr-value",
    "button-name",
    "color-contrast",
    "duplicate-id-aria",
    "html-has-lang",
    "html-lang-valid",
    "image-alt",
    "label",
    "landmark-one-main",
    "list",
    "listitem",
    "nested-interactive",
    "region",
    "scrollable-region-focusable",
    "target-size",
]
BLOCKING = {"serious", "critical"}

AXE = Axe()


def audit(page: Page) -> dict[str, Any]:
    settle(page)
    result = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": TAGS},
            "rules": {"target-size": {"enabled": True}},
        },
    ).response
    ran = {
        r["id"]
        for kind in ("passes", "violations", "incomplete", "inapplicable")
        for r in result[kind]
    }
    missing = [r for r in RULES if r not in ran]
    assert not missing, f"axe did not run {missing}"
    return result


def blocking(result: dict[str, Any]) -> list[str]:
    return [
        f"{v['impact']} {v['id']} ×{len(v['nodes'])}: {v['nodes'][0]['target']} "
        f"{v['nodes'][0].get('failureSummary', '')[:160]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def names_of_groups(page: Page) -> list[list[str]]:
    """[id, role, accessible name, inputs] of every option list and the slider thumb."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.dash-options-list, [role=slider]')].map((e) => {
             const by = (e.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
             const name = by.map((i) => (document.getElementById(i) || {}).textContent || '')
               .join(' ').trim() || e.getAttribute('aria-label') || '';
             return [e.id || e.closest('[id]').id, e.getAttribute('role') || '', name,
                     e.querySelectorAll('input').length];
           })"""
    )


def open_page(w: Watched, query: str, width: int = 1280, height: int = 800) -> Page:
    w.page.set_viewport_size({"width": width, "height": height})
    w.page.goto(w.base + "/" + query, wait_until="networkidle")
    w.page.wait_for_selector(".atlas-card", state="attached", timeout=20_000)
    settle(w.page)
    return w.page


@pytest.mark.parametrize(
    ("query", "width", "height"),
    [
        ("", 1280, 800),
        ("?lang=en", 1280, 800),
        ("?theme=hubs&sel=beijing_fengtai", 1280, 800),
        ("?lang=en&theme=relocation&year=2021", 1280, 800),
        ("", 390, 844),
        ("?lang=en", 390, 844),
        ("?kiosk=1", 1920, 1080),
        ("?kiosk=1&lang=en", 1920, 1080),
    ],
)
def test_no_serious_or_critical_violation(
    watched: Watched, query: str, width: int, height: int
) -> None:
    page = open_page(watched, query, width, height)
    assert blocking(audit(page)) == [], query


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_violation_with_each_dialog_open(watched: Watched, lang: str) -> None:
    page = open_page(watched, "?lang=en" if lang == "en" else "")
    page.locator("#atlas-export-open").click()
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    assert blocking(audit(page)) == [], "export dialog"
    page.keyboard.press("Escape")
    page.locator("#atlas-export-dialog").wait_for(state="hidden")
    page.locator(".atlas-source-link").first.click()
    page.locator("#atlas-source-dialog").wait_for(state="visible")
    page.locator("#atlas-source-body *").first.wait_for()
    assert blocking(audit(page)) == [], "source dialog"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ("主题", "年份", "图层", "年份 A（较早）", "卷帘分界")),
        ("en", ("Theme", "Year", "Layers", "Year A (earlier)", "Swipe divider")),
    ],
)
def test_every_group_and_the_slider_has_a_name_in_the_page_language(
    watched: Watched, lang: str, words: tuple[str, ...]
) -> None:
    page = open_page(watched, "?lang=en" if lang == "en" else "")
    groups = {row[0]: row for row in names_of_groups(page)}
    for gid, role, name, inputs in groups.values():
        if inputs > 1:  # a list of choices is a named group; a single checkbox names itself
            assert role in ("radiogroup", "group") and name, (gid, role, name)
    assert groups["atlas-theme"][2] == words[0]
    assert groups["atlas-layers"][2] == words[2]
    slider = [row for row in groups.values() if row[1] == "slider"]
    # in page order: the swipe's divider (on the map, while comparing), the timeline's year and
    # year A of a comparison
    assert [row[2] for row in slider] == [words[4], words[1], words[3]]
    # the names follow the language switch, too
    page.locator("#atlas-lang-button").click()
    other = "Theme" if lang == "zh" else "主题"
    page.wait_for_function(
        f"() => document.getElementById('atlas-theme-label').textContent === '{other}'"
    )
    assert {r[0]: r for r in names_of_groups(page)}["atlas-theme"][2] == other


COUNT_MOVES = """() => {
  window.atlasMoves = 0;
  const fire = L.Map.prototype.fire;
  L.Map.prototype.fire = function (type) {
    if (type === 'move') { window.atlasMoves += 1; }
    return fire.apply(this, arguments);
  };
}"""


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_jumps_to_a_view_instead_of_flying(watched: Watched, motion: str) -> None:
    page = watched.page
    page.emulate_media(reduced_motion=motion)
    open_page(watched, "")
    page.evaluate(COUNT_MOVES)
    page.locator("#atlas-theme label").nth(1).click()  # a theme with its own view
    page.wait_for_function("() => window.atlasMoves > 0")
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim') && window.atlasMoves > 0"
    )
    settle(page)
    moves = page.evaluate("window.atlasMoves")
    if motion == "reduce":
        assert moves <= 2, moves  # one jump (a move, perhaps a resize's)
    else:
        assert moves > 2, moves  # the flight moves the map frame by frame
