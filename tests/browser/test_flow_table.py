"""The flow table beside the map (panels/flows.py, assets/flows.js) in headless Chromium against
the real server: what it lists, the row ↔ arc highlight both ways, the keyboard, sorting by
count without a request, and axe on the page with the table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.test_a11y import audit, blocking
from tests.browser.test_dashboard import clean, open_view, set_year
from tests.harness import Watched, settle

TABLE = "#atlas-flow-table"
GROUPS = f"{TABLE} tbody[data-flow]"
RELOCATION_2021 = [  # flows.csv: began by 2021, in the order they began
    "reloc_dahongmen_cangzhou",
    "reloc_dahongmen_xiqing",
    "reloc_dahongmen_yunshang",
]
HOT_ARCS = """() => [...document.querySelectorAll('path.atlas-flow.atlas-flow-hot')]
  .map((p) => [...p.classList].find((c) => /^atlas-flow-(?!arc$|head$|hot$)/.test(c))
              + (p.classList.contains('atlas-flow-head') ? ':head' : ':arc'))"""
HOT_ROWS = f"""() => [...document.querySelectorAll('{GROUPS}.atlas-flow-row-hot')]
  .map((g) => g.dataset.flow)"""
ORDER = f"() => [...document.querySelectorAll('{GROUPS}')].map((g) => g.dataset.flow)"
SORT_HEAD = f"{TABLE} th.atlas-flow-sort-head"

# A point on an arc's stroke, in the page's pixels, where the arc is what the pointer hits
# (a curved arc's box centre is off the stroke): along the path until one is found.
POINT_ON = """(cls) => {
  const path = document.querySelector('#atlas-map path.atlas-flow-arc.' + cls);
  const length = path.getTotalLength();
  const m = path.getScreenCTM();
  for (const share of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const p = path.getPointAtLength(length * share).matrixTransform(m);
    if (document.elementFromPoint(p.x, p.y) === path) { return [p.x, p.y]; }
  }
  return null;
}"""


def open_table(w: Watched, query: str) -> Page:
    page = open_view(w, query)
    page.wait_for_selector(f"{GROUPS}", state="attached", timeout=20_000)
    settle(page)
    return page


def test_relocation_2021_lists_the_flows_the_map_shows(watched: Watched) -> None:
    page = open_table(watched, "?theme=relocation&year=2021")
    assert page.evaluate(ORDER) == RELOCATION_2021
    arcs = page.evaluate(
        "() => [...document.querySelectorAll('#atlas-map path.atlas-flow-arc')]"
        ".map((p) => [...p.classList].find((c) => c.startsWith('atlas-flow-reloc')))"
    )
    assert sorted(arcs) == sorted(f"atlas-flow-{f}" for f in RELOCATION_2021)
    names = page.locator(f"{GROUPS} .atlas-flow-select").all_inner_texts()
    assert names == [
        "大红门（木樨园）服装商贸区 → 沧州明珠国际商贸城",
        "大红门（木樨园）服装商贸区 → 天津市西青区",
        "大红门（木樨园）服装商贸区 → 云裳小镇",
    ]
    counts = page.locator(f"{GROUPS} .atlas-flow-count").all_inner_texts()
    assert counts == ["来源未给出数量", "来源未给出数量", "该年尚无数量（2025年才有数字）"]
    assert page.locator(f"{TABLE} caption").inner_text().startswith("2021年地图上的流向")
    assert "流出：未计数（3条" in page.locator(f"{TABLE} .atlas-flow-totals").inner_text()
    # the table's source button opens the source dialog, as the cards' do
    page.locator(f"{GROUPS} .atlas-source-link").first.click()
    page.locator("#atlas-source-dialog").wait_for(state="visible")
    page.locator("#atlas-source-body *").first.wait_for()
    assert "凤凰网" in page.locator("#atlas-source-body").inner_text()
    # without the flow layer there is no flow on the map, and no table
    page.keyboard.press("Escape")
    page.locator("#atlas-layers input[value='relocation']").uncheck()
    page.wait_for_function("() => document.getElementById('atlas-flow-table').hidden")
    page.locator("#atlas-layers input[value='relocation']").check()
    page.wait_for_function("() => !document.getElementById('atlas-flow-table').hidden")
    clean(watched)


def test_a_row_in_focus_marks_its_arc_only_and_selects_it(watched: Watched) -> None:
    page = open_table(watched, "?theme=relocation&year=2021")
    assert page.evaluate(HOT_ARCS) == []
    page.locator(f"{TABLE} .atlas-flow-sort").focus()
    page.keyboard.press("Tab")  # to the first flow's button
    focused = page.evaluate("() => document.activeElement.dataset.flow")
    assert focused == RELOCATION_2021[0]
    hot = page.evaluate(HOT_ARCS)
    assert sorted(hot) == [f"atlas-flow-{focused}:arc", f"atlas-flow-{focused}:head"]
    assert page.evaluate(HOT_ROWS) == [focused]
    # the mark is drawn: a wider stroke than the arc's own
    widths = page.evaluate(
        f"""() => {{ const p = document.querySelector('path.atlas-flow-arc.atlas-flow-{focused}');
          return [parseFloat(p.getAttribute('stroke-width')),
                  parseFloat(getComputedStyle(p).strokeWidth)]; }}"""
    )
    assert widths[1] >= widths[0] + 5, widths
    page.keyboard.press("Tab")  # its source button: still this flow
    assert page.evaluate(HOT_ARCS) == hot
    page.keyboard.press("Tab")  # the next flow's button
    nxt = RELOCATION_2021[1]
    assert sorted(page.evaluate(HOT_ARCS)) == [f"atlas-flow-{nxt}:arc", f"atlas-flow-{nxt}:head"]
    assert page.evaluate(HOT_ROWS) == [nxt]
    # activating the button selects the flow, as a click on its arc does
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.search.includes('sel={nxt}')")
    page.locator("#atlas-details .atlas-flow-amount").wait_for()
    assert page.evaluate("() => document.activeElement.dataset.flow") == nxt
    page.locator(f"{TABLE} caption").click()  # focus leaves the table
    page.wait_for_function(f"() => ({HOT_ARCS})().length === 0")
    clean(watched)


def test_a_row_marks_its_arc_on_every_map(watched: Watched) -> None:
    """Comparing years puts a second map on the page (#atlas-map-a): both mark the arc."""
    # 2017 against 2021, side by side: the first flows (2016) are on both maps
    page = open_table(watched, "?theme=relocation&compare=side&a=2017&b=2021")
    page.wait_for_selector("#atlas-map-a path.atlas-flow-arc", state="attached")
    settle(page)
    page.locator(f"{GROUPS} .atlas-flow-select").first.focus()
    flow = RELOCATION_2021[0]
    hot = page.evaluate(
        """(flow) => [...document.querySelectorAll('path.atlas-flow-hot')].map((p) =>
             p.closest('.leaflet-container').id + ' ' + (p.classList.contains('atlas-flow-head')
               ? 'head' : 'arc') + ' ' + p.classList.contains('atlas-flow-' + flow))""",
        flow,
    )
    assert sorted(hot) == [
        "atlas-map arc true",
        "atlas-map head true",
        "atlas-map-a arc true",
        "atlas-map-a head true",
    ]
    clean(watched)


def test_hovering_an_arc_marks_its_row(watched: Watched) -> None:
    page = open_table(watched, "?theme=relocation&year=2021")
    flow = "reloc_dahongmen_yunshang"
    point = page.evaluate(POINT_ON, f"atlas-flow-{flow}")
    assert point is not None, "no point of the arc is under the pointer's reach"
    scroll = page.evaluate(f"() => document.querySelector('{TABLE}').closest('aside').scrollTop")
    page.mouse.move(point[0], point[1])
    page.wait_for_function(f"() => ({HOT_ROWS})().length > 0")
    assert page.evaluate(HOT_ROWS) == [flow]
    assert sorted(page.evaluate(HOT_ARCS)) == [f"atlas-flow-{flow}:arc", f"atlas-flow-{flow}:head"]
    after = page.evaluate(f"() => document.querySelector('{TABLE}').closest('aside').scrollTop")
    assert after == scroll  # nothing scrolled
    # hovering a row marks its arc; leaving it unmarks both
    page.locator(f"{GROUPS}[data-flow='{RELOCATION_2021[1]}'] .atlas-flow-count").hover()
    assert page.evaluate(HOT_ROWS) == [RELOCATION_2021[1]]
    assert {h.split(":")[0] for h in page.evaluate(HOT_ARCS)} == {
        f"atlas-flow-{RELOCATION_2021[1]}"
    }
    page.locator("#atlas-title").hover()
    assert page.evaluate(HOT_ROWS) == [] and page.evaluate(HOT_ARCS) == []
    clean(watched)


def _sort(page: Page) -> str:
    """Press the count header's sort button once; the header's aria-sort after it."""
    page.locator(f"{TABLE} .atlas-flow-sort").click()
    return str(page.locator(SORT_HEAD).get_attribute("aria-sort"))


def test_sort_by_count_in_the_browser(watched: Watched) -> None:
    page = open_table(watched, "?theme=relocation&year=2021")
    assert page.locator(SORT_HEAD).get_attribute("aria-sort") == "none"
    # relocation 2021: no flow is counted yet, so every order is the table's
    for expected in ("descending", "ascending", "none"):
        assert _sort(page) == expected
        assert page.evaluate(ORDER) == RELOCATION_2021

    # synergy 2025 (flows.csv): Tianjin 246, Hebei 513, Baoding 149, Shijiazhuang 100,
    # Langfang 76, Tianjin and Hebei → Fengtai 161
    page = open_table(watched, "?theme=synergy&year=2025")
    table = [
        "syn_out_tianjin",
        "syn_out_hebei",
        "syn_out_baoding",
        "syn_out_shijiazhuang",
        "syn_out_langfang",
        "syn_in_jinji_2025",
    ]
    assert page.evaluate(ORDER) == table
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    largest = [
        "syn_out_hebei",
        "syn_out_tianjin",
        "syn_in_jinji_2025",
        "syn_out_baoding",
        "syn_out_shijiazhuang",
        "syn_out_langfang",
    ]
    assert _sort(page) == "descending"
    assert page.evaluate(ORDER) == largest
    assert _sort(page) == "ascending"
    assert page.evaluate(ORDER) == largest[::-1]
    assert _sort(page) == "none"
    assert page.evaluate(ORDER) == table
    assert posts == []  # sorting asked the server nothing
    # the order outlives a redraw: a step to 2026 adds the 415 of 2026-03 (at the table's
    # end, since it began last) after Hebei's 513
    assert _sort(page) == "descending"
    set_year(page, 2026)
    page.wait_for_function(f"() => ({ORDER})().length === 7")
    settle(page)
    assert page.evaluate(ORDER) == [largest[0], "syn_in_jinji_2026", *largest[1:]]
    assert page.locator(SORT_HEAD).get_attribute("aria-sort") == "descending"
    clean(watched)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_no_serious_violation_with_the_table(watched: Watched, lang: str) -> None:
    query = "?theme=relocation&year=2021" + ("&lang=en" if lang == "en" else "")
    page = open_table(watched, query)
    title = page.locator("#atlas-flow-table-title").inner_text()
    assert title == ("Flows on the map" if lang == "en" else "流向一览")
    assert blocking(audit(page)) == [], "table"
    page.locator(f"{TABLE} .atlas-flow-sort").click()
    page.locator(f"{GROUPS} .atlas-flow-select").first.focus()  # a marked row and arc
    settle(page)
    assert blocking(audit(page)) == [], "sorted, a row in focus"
    clean(watched)
