"""The "what changed this year" list, checked against lists read by hand from the source CSVs
(geodata/sources/status.csv, flows.csv, events.csv, indicators.csv), not from the function."""

from __future__ import annotations

import pytest

from core.readings import reading
from core.story import changes, default_year, story_years
from core.tables import Tables
from core.themes import THEMES
from panels.story import year_story
from tests.components import texts as _texts

# Relocation, 2018: no relocation place or line changes status in 2018 (status.csv: heyi_market
# closes 2016, yunshang_town opens 2017, the next are 2021), no relocation flow starts in 2018
# (flows.csv year_from: 2016, 2017, 2022, 2025); three relocation events are dated 2018
# (events.csv); four relocation series have a figure dated "2018" and two dated "2018-11"
# (indicators.csv, theme relocation).
RELOCATION_2018 = sorted(
    [
        ("2018", "figure", "beijing_mfg_exited_2018"),
        ("2018", "figure", "beijing_markets_logistics_2018"),
        ("2018", "figure", "beijing_land_cleared_2018"),
        ("2018", "figure", "beijing_land_regreened_2018"),
        ("2018-04", "event", "ev_dongpi_fintech_proposal"),
        ("2018-07", "event", "ev_heyi_demolition_start"),
        ("2018-11", "event", "ev_dahongmen_37_closed_8_upgraded"),
        ("2018-11", "figure", "dahongmen_markets_closed_2018_11"),
        ("2018-11", "figure", "dahongmen_markets_upgraded_2018_11"),
    ]
)

# Corridor, 2020: on 2020-12-27 four corridor features open (status.csv): guan_east_station,
# bazhou_north_station, xiongan_station and jingxiong_intercity_pkx_xiongan; the last two are
# marked by that day's events (events.csv marks), which stand for them. No corridor flows, no
# corridor figure dated 2020.
CORRIDOR_2020 = sorted(
    [
        ("2020-12-27", "open", "guan_east_station"),
        ("2020-12-27", "open", "bazhou_north_station"),
        ("2020-12-27", "event", "ev_jingxiong_intercity_phase2"),
        ("2020-12-27", "event", "ev_xiongan_station_opened"),
    ]
)


def _triples(found: list) -> list[tuple[str, str, str]]:
    return [(c.date, c.kind, c.subject) for c in found]


@pytest.mark.parametrize(
    ("theme", "year", "expected"),
    [("relocation", 2018, RELOCATION_2018), ("corridor", 2020, CORRIDOR_2020)],
)
def test_year_changes_match_the_tables(tables: Tables, theme, year, expected) -> None:
    found = changes(tables, theme, year)
    assert sorted(_triples(found)) == expected
    dates = [c.date for c in found]
    assert dates == sorted(dates), "the list is in date order"
    assert all(c.source for c in found), "every line has a source"


def test_an_attested_status_says_so(tables: Tables) -> None:
    # status.csv: hesheng_plaza,open,2025,attested — known open by 2025, opening date unknown.
    found = {c.subject: c for c in changes(tables, "relocation", 2025)}
    assert found["hesheng_plaza"].attested
    html_text = str(year_story(tables, "relocation", 2025, "en"))
    assert "reported in use (opening date not known)" in html_text


def test_an_empty_year_says_so_in_one_line(tables: Tables) -> None:
    empty = [y for y in range(*tables.years) if y not in story_years(tables, "hubs")]
    assert empty, "the hubs theme has quiet years (e.g. 2014)"
    out = year_story(tables, "hubs", empty[0], "en")
    assert len(out) == 1
    assert f"Nothing recorded for {empty[0]}" in str(out[0].children)


def test_default_year_is_the_latest_with_a_current_card(tables: Tables) -> None:
    last = tables.years[1]
    for key, theme in THEMES.items():
        year = default_year(tables, key)
        states = {reading(tables.indicators, s, year).state for s in theme.series}
        assert "current" in states, key
        later = range(year + 1, last + 1)
        assert all(
            reading(tables.indicators, s, y).state != "current" for y in later for s in theme.series
        ), key
    # the overview's cards have no figure dated 2026 (the newest are 2025)
    assert default_year(tables, "overview") == 2025


def test_story_lines_read_in_both_languages(tables: Tables) -> None:
    # names from places.csv (guan_east_station: 固安东站 / Gu'an East railway station)
    en = " ".join(_texts(year_story(tables, "corridor", 2020, "en")))
    zh = " ".join(_texts(year_story(tables, "corridor", 2020, "zh")))
    assert "Gu'an East railway station opens" in en
    assert "固安东站投入使用" in zh
    for text in (en, zh):
        assert "{" not in text and "}" not in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en), "English lines carry no Chinese"


@pytest.fixture(scope="module")
def tables(atlas) -> Tables:
    return Tables.from_atlas(atlas)


def test_slider_marks_in_the_browser_equal_the_layout_marks(tables: Tables) -> None:
    """``atlas.storyMarks`` (run in Node) marks the same years, the same way, as the layout's
    ``year_marks`` — for every theme — and the marked years are the story years."""
    from core.story import story_years as years_of
    from layout.controls import story_marks, year_marks
    from tests.unit.test_parity import run_js

    story = {key: years_of(tables, key) for key in THEMES}
    first, last = tables.years
    calls = [
        {"fn": "clientside.storyMarks", "args": [key, story_marks(story), first, last]}
        for key in THEMES
    ]
    for key, marks in zip(THEMES, run_js(calls), strict=True):
        expected = year_marks(tables.years, story[key])
        assert marks == {str(y): m for y, m in expected.items()}, key
        marked = [int(y) for y, m in marks.items() if m["style"].get("textDecoration")]
        assert marked == list(story[key]) and marked, key


def test_a_flow_only_attested_by_then_is_first_reported_not_begun(tables: Tables) -> None:
    # flows.csv: syn_out_baoding has basis "attested" (a cumulative 2025 count, start unknown);
    # reloc_dahongmen_cangzhou begins in 2016 (first Beijing merchants opened there that year).
    synergy = {c.subject: c for c in changes(tables, "synergy", 2025) if c.kind == "flow"}
    assert synergy["syn_out_baoding"].attested
    relocation = {c.subject: c for c in changes(tables, "relocation", 2016) if c.kind == "flow"}
    assert not relocation["reloc_dahongmen_cangzhou"].attested
    en = " ".join(_texts(year_story(tables, "synergy", 2025, "en")))
    assert "Flow first reported:" in en and "Flow begins:" not in en
    en = " ".join(_texts(year_story(tables, "relocation", 2016, "en")))
    assert "Flow begins:" in en


def test_story_years_are_the_years_with_a_non_empty_list(tables: Tables) -> None:
    """The slider's marked years, read off the date columns, are exactly the years whose list
    of changes is not empty."""
    first, last = tables.years
    for key in THEMES:
        expected = tuple(y for y in range(first, last + 1) if changes(tables, key, y))
        assert story_years(tables, key) == expected, key
