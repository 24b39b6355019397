"""As-of selection: current, stale and no-data cards, changes and disagreements."""

from __future__ import annotations

import pandas as pd
import pytest

from core.readings import change_text, format_value, reading

COLUMNS = ["id", "series", "label_zh", "label_en", "value", "qualifier", "unit_zh", "unit_en"]


def _rows(*rows: tuple[str, str, float, str, str]) -> pd.DataFrame:
    records = [
        dict(
            zip(
                [*COLUMNS, "as_of", "source"],
                [i, s, "标签", "label", v, q, "家", "firms", d, "x.txt:1"],
                strict=True,
            )
        )
        for i, s, v, q, d in rows
    ]
    return pd.DataFrame(records)


PARK = _rows(("a", "park", 300, "more_than", "2025"), ("b", "park", 700, "more_than", "2026-03"))
FIRMS = _rows(
    ("c", "firms", 455, "", "2025"),
    ("d", "firms", 450, "more_than", "2025-02"),
    ("e", "firms", 455, "", "2026-03"),
)


def test_before_the_first_figure_there_is_no_data() -> None:
    r = reading(PARK, "park", 2020)
    assert r.state == "no_data" and r.figure is None and r.first.id == "a"


def test_in_the_year_of_a_figure_it_is_current() -> None:
    r = reading(PARK, "park", 2025)
    assert (r.state, r.figure.id, r.previous) == ("current", "a", None)


def test_a_later_figure_replaces_an_earlier_one_and_gives_a_change() -> None:
    r = reading(PARK, "park", 2026)
    assert (r.state, r.figure.id, r.previous.id) == ("current", "b", "a")
    assert change_text(r.figure, r.previous, "en") == "+400 vs 2025"


def test_past_the_newest_figure_the_card_is_stale_not_current() -> None:
    r = reading(_rows(("a", "s", 37, "", "2018-11")), "s", 2021)
    assert r.state == "stale" and r.figure.as_of == "2018-11"


def test_no_interpolation_between_years() -> None:
    r = reading(PARK, "park", 2025)
    assert r.figure.value == 300  # not a value between 300 and 700


def test_disagreeing_sources_in_the_same_year_are_both_kept() -> None:
    r = reading(FIRMS, "firms", 2025)
    assert r.figure.id == "d"  # the more specific date of the two 2025 figures
    assert [f.id for f in r.differing] == ["c"]


def test_change_is_not_claimed_between_differently_qualified_figures() -> None:
    r = reading(FIRMS, "firms", 2026)
    assert r.previous.id == "d" and change_text(r.figure, r.previous, "zh") is None


def test_unknown_series_raises() -> None:
    with pytest.raises(KeyError):
        reading(PARK, "nope", 2025)


@pytest.mark.parametrize(("lang", "expected"), [("zh", "3,800余"), ("en", "3,800+")])
def test_qualifier_formatting(lang: str, expected: str) -> None:
    r = reading(_rows(("a", "s", 3800, "more_than", "2025")), "s", 2025)
    assert format_value(r.figure, lang) == expected
