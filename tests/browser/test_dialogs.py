"""Dialogs are real modals for keyboard users, and controls keep their contrast in every state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.harness import Watched, settle

INSIDE = "(id) => document.getElementById(id).contains(document.activeElement)"
ACTIVE_ID = "() => document.activeElement && document.activeElement.id"


def open_page(w: Watched, query: str = "") -> Page:
    w.page.set_viewport_size({"width": 1280, "height": 800})
    w.page.goto(w.base + "/" + query, wait_until="networkidle")
    w.page.wait_for_selector(".atlas-source-link", timeout=20_000)
    settle(w.page)
    return w.page


def assert_trapped(page: Page, dialog: str, presses: int = 25) -> None:
    for i in range(presses):
        page.keyboard.press("Shift+Tab" if i % 3 == 2 else "Tab")
        assert page.evaluate(INSIDE, dialog), f"focus left {dialog} after {i + 1} presses"


def test_export_dialog_takes_focus_keeps_it_and_gives_it_back(watched: Watched) -> None:
    page = open_page(watched)
    page.locator("#atlas-export-open").focus()
    page.keyboard.press("Enter")
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    page.wait_for_function(INSIDE, arg="atlas-export-dialog")
    assert page.evaluate(ACTIVE_ID) == "atlas-export-dialog-title"  # read first: what it is
    # the page behind is out of reach for keyboards and screen readers while it is open
    assert page.evaluate("document.querySelector('.atlas-main').inert") is True
    assert_trapped(page, "atlas-export-dialog")
    page.keyboard.press("Escape")
    page.locator("#atlas-export-dialog").wait_for(state="hidden")
    page.wait_for_function(f"({ACTIVE_ID})() === 'atlas-export-open'")
    assert page.evaluate("document.querySelector('.atlas-main').inert") is False


def test_source_dialog_returns_focus_to_the_source_button(watched: Watched) -> None:
    page = open_page(watched, "?lang=en")
    button = page.locator(".atlas-source-link").nth(1)
    button.focus()
    opener = page.evaluate(ACTIVE_ID)
    page.keyboard.press("Enter")
    page.locator("#atlas-source-dialog").wait_for(state="visible")
    page.wait_for_function(INSIDE, arg="atlas-source-dialog")
    page.locator("#atlas-source-body *").first.wait_for()
    assert_trapped(page, "atlas-source-dialog", presses=8)
    page.keyboard.press("Escape")
    page.locator("#atlas-source-dialog").wait_for(state="hidden")
    page.wait_for_function(f"({ACTIVE_ID})() === {opener!r}")
    # and the close button does the same as Esc
    page.keyboard.press("Enter")
    page.locator("#atlas-source-dialog").wait_for(state="visible")
    page.locator("#atlas-source-close").click()
    page.locator("#atlas-source-dialog").wait_for(state="hidden")
    page.wait_for_function(f"({ACTIVE_ID})() === {opener!r}")


# WCAG colour arithmetic shared by the two checks below: colours as [r, g, b], the contrast
# ratio of two, and the first solid background at or above an element.
COLOURS = """
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
                            return (a + 0.05) / (b + 0.05); };
  const solid = (c) => c.length === 3 || (c.length === 4 && c[3] > 0.5);
  const backdrop = (n) => {
    for (; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (solid(c)) { return c.slice(0, 3); }
    }
    return [255, 255, 255];
  };
"""

# WCAG 1.4.11: a control's edge (its border, or its own fill where it has one) against what is
# around it, at least 3:1.
BOUNDARY = (
    "(e) => {"
    + COLOURS
    + """
  const around = backdrop(e.parentElement);
  const st = getComputedStyle(e);
  const own = rgb(st.backgroundColor);
  const edge = rgb(st.borderTopColor).slice(0, 3);
  const border = parseFloat(st.borderTopWidth) > 0 ? ratio(edge, around) : 0;
  const fill = solid(own) ? ratio(own.slice(0, 3), around) : 0;
  return Math.max(border, fill);
}"""
)

# Text against the background it is drawn on.
CONTRAST = (
    "(e) => {"
    + COLOURS
    + """
  return ratio(rgb(getComputedStyle(e).color).slice(0, 3), backdrop(e));
}"""
)


@pytest.mark.parametrize("state", ["rest", "hover", "focus"])
def test_header_and_timeline_controls_keep_contrast_in_every_state(
    watched: Watched, state: str
) -> None:
    page = open_page(watched)
    controls = page.locator(
        ".atlas-header .atlas-button, .atlas-header .atlas-pills label, "
        ".atlas-timeline .atlas-button, .atlas-timeline .atlas-pills label"
    )
    assert controls.count() >= 10
    low = []
    for i in range(controls.count()):
        control = controls.nth(i)
        if not control.is_visible():
            continue
        if state == "hover":
            control.hover()
        elif state == "focus":
            control.evaluate("(e) => (e.querySelector('input') || e).focus()")
        ratio = control.evaluate(CONTRAST)
        if ratio < 4.5:
            low.append((control.inner_text(), round(ratio, 2)))
    assert low == [], f"text below 4.5:1 when {state}: {low}"


def test_control_boundaries_stand_out_three_to_one(watched: Watched) -> None:
    page = open_page(watched)
    page.locator("#atlas-export-open").click()
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    controls = page.locator(".atlas-pills label, .atlas-button, .atlas-source-link, .atlas-input")
    checked, faint = 0, []
    for i in range(controls.count()):
        control = controls.nth(i)
        if not control.is_visible():
            continue
        checked += 1
        ratio = control.evaluate(BOUNDARY)
        if ratio < 3:
            faint.append((control.inner_text()[:20], round(ratio, 2)))
    assert checked >= 20
    assert faint == [], f"control edges below 3:1: {faint}"
