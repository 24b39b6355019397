"""URL state: canonical round trip, and every malformed parameter falls back and is named."""

from __future__ import annotations

import pytest

from core.themes import THEMES
from core.view import ViewState, default_state, parse_query, to_query

YEARS = (2014, 2026)
IDS = frozenset({"beijing_fengtai", "xiongan_station"})


def test_empty_query_is_the_default_view() -> None:
    state, bad = parse_query("", YEARS, IDS)
    assert state == default_state(2026) and bad == []


def test_round_trip() -> None:
    state = ViewState(
        "corridor", 2020, ("hubs", "corridor"), "xiongan_station", "en", (39.3, 116.2), 9
    )
    parsed, bad = parse_query(to_query(state), YEARS, IDS)
    assert bad == [] and parsed == state


def test_theme_alone_brings_its_layers_and_view() -> None:
    state, _ = parse_query("?theme=synergy", YEARS, IDS)
    assert state.layers == THEMES["synergy"].layers and state.zoom == THEMES["synergy"].zoom


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("?year=abc", "year"),
        ("?year=1999", "year"),
        ("?year=-1", "year"),
        ("?theme=%3Cscript%3E", "theme"),
        ("?layers=hubs,ufo", "layers"),
        ("?sel=nowhere", "sel"),
        ("?lang=fr", "lang"),
        ("?view=1,2", "view"),
        ("?view=39,116,99", "view"),
        ("?view=nan,116,8", "view"),
        ("?bogus=1", "bogus"),
    ],
)
def test_bad_parameter_falls_back_and_is_named(query: str, name: str) -> None:
    state, bad = parse_query(query, YEARS, IDS)
    assert [b.name for b in bad] == [name]
    default = default_state(2026)
    assert (state.year, state.theme, state.lang, state.selected) == (
        default.year,
        default.theme,
        default.lang,
        default.selected,
    )


def test_huge_parameter_is_cut_short_in_the_notice() -> None:
    _, bad = parse_query("?theme=" + "x" * 10_000, YEARS, IDS)
    assert len(bad[0].value) <= 200


def test_good_parameters_survive_beside_bad_ones() -> None:
    state, bad = parse_query("?year=2019&lang=xx&sel=beijing_fengtai", YEARS, IDS)
    assert state.year == 2019 and state.selected == "beijing_fengtai"
    assert [b.name for b in bad] == ["lang"]


def test_compare_round_trip() -> None:
    state = ViewState(
        "relocation", 2021, ("relocation",), None, "en", (39.3, 116.2), 9, (), "swipe", 2014
    )
    query = to_query(state)
    assert query.endswith("&compare=swipe&a=2014&b=2021")
    parsed, bad = parse_query(query, YEARS, IDS)
    assert bad == [] and parsed == state


def test_compare_b_is_the_timeline_year_and_a_must_come_before_it() -> None:
    state, bad = parse_query("?theme=corridor&compare=side&a=2018&b=2026", YEARS, IDS)
    assert (state.compare, state.a, state.year, bad) == ("side", 2018, 2026, [])
    # A not before B: named, and the comparison starts at the first year instead
    state, bad = parse_query("?compare=swipe&a=2022&b=2020", YEARS, IDS)
    assert (state.compare, state.a, state.year) == ("swipe", 2014, 2020)
    assert [b.name for b in bad] == ["a"]
    state, bad = parse_query("?compare=fold&a=2015", YEARS, IDS)
    assert state.compare is None and [b.name for b in bad] == ["compare"]
    state, bad = parse_query("?compare=side&b=１２", YEARS, IDS)
    assert [b.name for b in bad] == ["b"]
    # no earlier year than the first: nothing to compare with
    state, bad = parse_query("?compare=side&b=2014", YEARS, IDS)
    assert state.compare is None and state.year == 2014
