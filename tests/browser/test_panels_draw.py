"""assets/panels.js draws the side panels and the legend from plain data (panels/plain.py):
the same elements the server built, text only ever as text, nothing that runs code."""

from __future__ import annotations

from tests.harness import Watched, settle

HOSTILE = [
    {"t": "p", "a": {"class": "x", "onclick": "window.__hit = 1", "data-ok": "1"},
     "c": ['<img src=x onerror="window.__hit = 2">']},
    {"t": "script", "c": ["window.__hit = 3"]},
    {"t": "a", "a": {"href": "javascript:window.__hit = 4", "class": "bad"}, "c": ["bad"]},
    {"t": "a", "a": {"href": "//evil.example/x", "class": "bad2"}, "c": ["bad2"]},
    {"t": "a", "a": {"href": "https://example.org/r", "class": "good"}, "c": ["good"]},
    {"t": "span", "a": {"style": {"backgroundColor": "rgb(1, 2, 3)"}, "hidden": True}},
    {"t": "iframe", "a": {"src": "/"}},
]  # fmt: skip

DRAW = """(tree) => {
  const box = document.getElementById('atlas-events');
  window.atlas.panels.draw(box, tree);
  const span = box.querySelector('span');
  return {html: box.innerHTML, text: box.textContent, hit: window.__hit || 0,
          p: box.querySelector('p').getAttributeNames().sort(),
          links: [...box.querySelectorAll('a')].map((a) => [a.className, a.getAttribute('href')]),
          colour: span.style.backgroundColor, hidden: span.hidden,
          scripts: box.querySelectorAll('script, iframe, img').length};
}"""


def test_hostile_plain_data_draws_as_inert_text(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/", wait_until="networkidle")
    page.wait_for_selector(".atlas-event", state="attached")
    seen = page.evaluate(DRAW, HOSTILE)
    assert seen["scripts"] == 0, seen["html"]
    assert seen["p"] == ["class", "data-ok"]  # no event handler attribute
    assert '<img src=x onerror="window.__hit = 2">' in seen["text"]
    assert seen["links"] == [["bad", None], ["bad2", None], ["good", "https://example.org/r"]]
    assert seen["colour"] == "rgb(1, 2, 3)" and seen["hidden"] is True
    page.locator("#atlas-events a.bad").click()
    assert page.evaluate("() => window.__hit || 0") == 0


def test_a_slider_step_redraws_the_year_and_keeps_the_source_buttons_working(
    watched: Watched,
) -> None:
    page = watched.page
    page.goto(watched.base + "/?year=2018&lang=en", wait_until="networkidle")
    page.wait_for_selector(".atlas-event", state="attached")
    before = page.locator("#atlas-events").inner_text()
    page.locator("#atlas-year [role=slider]").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('#atlas-year [role=slider]')"
        ".getAttribute('aria-valuenow') === '2019'"
    )
    settle(page)
    after = page.locator("#atlas-events").inner_text()
    assert after != before and "2019" in after
    dates = page.locator("#atlas-events .atlas-event-date").all_inner_texts()
    assert dates and all(d.startswith("2019") for d in dates), dates
    # the list's buttons are drawn ones; a click still opens the source dialog
    page.locator("#atlas-events .atlas-source-link").first.click()
    page.wait_for_function("() => !document.getElementById('atlas-source-dialog').hidden")
    assert page.locator("#atlas-source-dialog").inner_text().strip()
