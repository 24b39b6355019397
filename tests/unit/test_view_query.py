"""Odd years and numbers in a shared link (issue 12): the year falls back to the theme's
default and is named in the notice, every other parameter of the link is kept, nothing raises."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callbacks.view import is_kiosk, notice_text
from core.view import BadParam, parse_query

YEARS = (2014, 2026)
IDS = frozenset({"beijing_fengtai", "xiongan_station"})
DEFAULTS = {"overview": 2025, "corridor": 2026}
REST = "theme=corridor&layers=hubs,corridor&lang=en&sel=xiongan_station&view=39.3000,116.2000,9"


@pytest.mark.parametrize(
    "year",
    [
        "²", "①", "³", "١٢", "२०२०", "٢٠١٩", "２０２０", "2O20", "99999999999999999999",
        "9" * 5000, "-2020", "", " 2020", "2020.0", "1_999", "+2020", "2013", "2027", "%00",
    ],
)  # fmt: skip
def test_a_year_not_understood_is_named_and_the_rest_of_the_link_kept(year: str) -> None:
    state, bad = parse_query(f"?{REST}&year={quote(year)}", YEARS, IDS, DEFAULTS)
    assert [b.name for b in bad] == ["year"]
    assert state.year == DEFAULTS["corridor"]  # as a link without a year
    assert (state.theme, state.layers, state.lang, state.selected) == (
        "corridor",
        ("hubs", "corridor"),
        "en",
        "xiongan_station",
    )
    assert (state.center, state.zoom) == ((39.3, 116.2), 9)


def test_a_repeated_parameter_takes_its_last_value() -> None:
    state, bad = parse_query("?year=²&year=2019", YEARS, IDS, DEFAULTS)
    assert (state.year, bad) == (2019, [])
    state, bad = parse_query("?year=2019&year=²", YEARS, IDS, DEFAULTS)
    assert state.year == DEFAULTS["overview"] and bad == [BadParam("year", "²")]


@pytest.mark.parametrize(
    "view",
    ["３９.3,116.2,9", "39.3,116.2,٩", "nan,116.2,9", "39.3,inf,9", "39.3,116.2,9.5",
     "3_9.3,116.2,9", "39.3,116.2", "39.3,116.2,9,1", "1e1,116.2,9", " 39.3,116.2,9"],
)  # fmt: skip
def test_a_view_not_in_ascii_digits_is_not_understood(view: str) -> None:
    state, bad = parse_query(f"?theme=corridor&view={quote(view)}", YEARS, IDS, DEFAULTS)
    assert [b.name for b in bad] == ["view"] and state.theme == "corridor"


def test_a_query_that_is_not_text_is_the_default_view() -> None:
    for search in (None, 5, ["?year=2019"], {"year": 2019}):
        state, bad = parse_query(search, YEARS, IDS, DEFAULTS)  # type: ignore[arg-type]
        assert state.theme == "overview" and bad == []
        assert is_kiosk(search) is False


def test_too_many_fields_is_one_notice_not_an_error() -> None:
    state, bad = parse_query("?" + "a=1&" * 500, YEARS, IDS, DEFAULTS)
    assert state.theme == "overview" and [b.name for b in bad] == ["?"]
    assert is_kiosk("?" + "a=1&" * 500) is False


def test_the_notice_says_the_year_was_not_understood_in_both_languages() -> None:
    bad = [BadParam("year", "²")]
    assert "“year”" in notice_text(bad, "zh") and "²" in notice_text(bad, "zh")
    assert "'year'" in notice_text(bad, "en") and "not understood" in notice_text(bad, "en")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=300) | st.from_regex(r"\?year=[\w²①③]{0,8}(&theme=\w{0,9})?"))
def test_no_query_raises_and_the_year_is_always_one_of_the_data(search: Any) -> None:
    state, bad = parse_query(search, YEARS, IDS, DEFAULTS)
    assert type(state.year) is int and YEARS[0] <= state.year <= YEARS[1]
    assert all(isinstance(b.value, str) and len(b.value) <= 200 for b in bad)
