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
    assert r.figure.id == "c"  # the exact 455 over the rounded 450多 of the same year
    assert [f.id for f in r.differing] == ["d"]


def test_a_change_compares_like_with_like() -> None:
    r = reading(FIRMS, "firms", 2026)
    assert r.previous.id == "c"  # the exact 2025 figure, not the rounded one
    assert change_text(r.figure, r.previous, "en") == "±0 vs 2025"


def test_change_is_not_claimed_between_differently_qualified_figures() -> None:
    rows = _rows(("a", "s", 450, "more_than", "2025-02"), ("b", "s", 455, "", "2026-03"))
    r = reading(rows, "s", 2026)
    assert r.previous is None and change_text(r.figure, r.previous, "zh") is None


def test_between_equally_exact_figures_of_a_year_the_later_date_wins() -> None:
    # "2025" may mean any day of 2025, so it can be later than "2025-02"; the rule takes the
    # last day a date could mean.
    rows = _rows(("early", "s", 14, "", "2025-02"), ("year", "s", 16, "", "2025"))
    r = reading(rows, "s", 2025)
    assert r.figure.id == "year" and [f.id for f in r.differing] == ["early"]
    flipped = reading(rows.iloc[::-1], "s", 2025)  # table order does not decide it
    assert flipped.figure.id == "year"


def test_figures_of_another_definition_are_shown_beside_not_compared() -> None:
    rows = _rows(
        ("a", "park", 300, "more_than", "2025"), ("b", "park", 700, "more_than", "2026-03")
    )
    rows["definition_zh"] = ["高精尖企业", "科创企业"]
    rows["definition_en"] = ["high-end firms", "tech firms"]
    r = reading(rows, "park", 2026)
    assert r.figure.id == "b" and r.previous is None
    assert change_text(r.figure, r.previous, "en") is None  # no "+400 vs 2025"
    assert [f.id for f in r.other_definitions] == ["a"]


def test_a_figure_is_dated_by_the_period_it_describes() -> None:
    rows = _rows(("peak", "s", 7000, "more_than", "2014-05"))
    rows["period_zh"], rows["period_en"] = ["疏解前高峰时期"], ["peak years before relocation"]
    assert reading(rows, "s", 2014).state == "current"
    r = reading(rows, "s", 2021)
    assert r.state == "stale" and r.figure.period("en") == "peak years before relocation"
    assert reading(rows, "s", 2013).state == "no_data"


@pytest.mark.parametrize(("lang", "expected"), [("zh", "超过15"), ("en", "over 15")])
def test_a_qualified_percentage_reads_naturally(lang: str, expected: str) -> None:
    rows = _rows(("a", "s", 15, "more_than", "2022"))
    rows["unit_zh"], rows["unit_en"] = ["%"], ["%"]
    assert format_value(reading(rows, "s", 2022).figure, lang) == expected


def test_unknown_series_raises() -> None:
    with pytest.raises(KeyError):
        reading(PARK, "nope", 2025)


@pytest.mark.parametrize(("lang", "expected"), [("zh", "3,800余"), ("en", "3,800+")])
def test_qualifier_formatting(lang: str, expected: str) -> None:
    r = reading(_rows(("a", "s", 3800, "more_than", "2025")), "s", 2025)
    assert format_value(r.figure, lang) == expected
