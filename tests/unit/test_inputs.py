"""The boundary validators (core/inputs.py): what the app would send passes, anything else is
``None`` — and nothing raises, whatever JSON value comes in."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.inputs import (
    as_count,
    as_digits,
    as_feature_id,
    as_int,
    as_lang,
    as_layers,
    as_text,
    as_theme,
    as_year,
)
from core.themes import LAYER_KEYS, THEMES

YEARS = (2014, 2026)
IDS = frozenset({"beijing_fengtai", "xiongan_station"})

# any value JSON can carry (what a request's "value" may be), with the odd numbers Python keeps
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["2019", "²", "①", "³", "١٢", "２０２０", "en", "zh", "hubs", ""]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


@pytest.mark.parametrize(("value", "year"), [(2019, 2019), ("2019", 2019), (2019.0, 2019)])
def test_a_year_of_the_data_passes(value: Any, year: int) -> None:
    assert as_year(value, YEARS) == year


@pytest.mark.parametrize(
    "value",
    [
        "²", "①", "³", "١٢", "२०२०", "２０２０", "٢٠١٩", "2019.5", " 2019", "2019 ", "+2019",
        "-2019", "", "1_999", "0x7e3", "20l9", "99999999999999999999", "2013", "2027",
        True, False, None, 2019.5, 10**30, -1, math.nan, math.inf, [2019], {"year": 2019},
    ],
)  # fmt: skip
def test_anything_else_is_not_a_year(value: Any) -> None:
    assert as_year(value, YEARS) is None


def test_python_would_have_taken_unicode_digits() -> None:
    """Why as_digits exists: isdigit() passes '²' and '①' (on which int() then raised: the
    500 of issue 12), and int() takes '١٢' as 12 — digits no link of ours contains."""
    assert "²".isdigit() and "①".isdigit() and int("١٢") == 12
    with pytest.raises(ValueError):
        int("²")
    assert as_digits("١٢") is None and as_digits("²") is None and as_digits("①") is None
    assert as_digits("12") == 12


def test_ints_in_a_range() -> None:
    assert as_int(5, 0, 10) == 5 and as_int(5.0, 0, 10) == 5
    assert as_int(11, 0, 10) is None and as_int(True, 0, 10) is None
    assert as_int(math.nan, 0, 10) is None and as_int("5", 0, 10) is None


def test_click_counts() -> None:
    assert as_count(None) == 0 and as_count(3) == 3
    assert as_count(-1) is None and as_count(True) is None and as_count("3") is None


def test_languages_themes_and_ids() -> None:
    assert as_lang("en") == "en" and as_lang("zh") == "zh"
    assert as_lang("EN") is None and as_lang(["en"]) is None and as_lang(None) is None
    assert as_theme("corridor") == "corridor" and as_theme("nope") is None
    assert as_theme({"corridor": 1}) is None
    assert as_feature_id("beijing_fengtai", IDS) == "beijing_fengtai"
    assert as_feature_id(["beijing_fengtai"], IDS) is None and as_feature_id("x", IDS) is None


def test_layers_are_a_list_of_known_keys_in_canonical_order() -> None:
    assert as_layers([]) == ()
    assert as_layers(["corridor", "hubs"]) == ("hubs", "corridor")
    assert as_layers(["hubs", "hubs"]) == ("hubs",)
    assert as_layers("hubs,corridor") is None  # a string is not iterated as layers
    assert as_layers(["hubs", "ufo"]) is None and as_layers(["hubs", None]) is None
    assert as_layers(["hubs"] * (len(LAYER_KEYS) + 1)) is None  # refused before it is read


def test_text_has_a_length_cap() -> None:
    assert as_text("?year=2019") == "?year=2019"
    assert as_text("x" * 5000) is None and as_text("x" * 5000, 6000) == "x" * 5000
    assert as_text(5) is None and as_text(None) is None


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(JSON)
def test_no_validator_raises_and_each_returns_its_type_or_none(value: Any) -> None:
    year = as_year(value, YEARS)
    assert year is None or (type(year) is int and YEARS[0] <= year <= YEARS[1])
    count = as_count(value)
    assert count is None or (type(count) is int and count >= 0)
    assert as_lang(value) in (None, "zh", "en")
    assert as_theme(value) in (None, *THEMES)
    layers = as_layers(value)
    assert layers is None or set(layers) <= set(LAYER_KEYS)
    assert as_feature_id(value, IDS) in (None, *IDS)
    text = as_text(value)
    assert text is None or isinstance(text, str)
