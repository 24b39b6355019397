"""As-of selection: current, stale and no-data cards, changes and disagreements."""

from __future__ import annotations

import pandas as pd
import pytest

from core.readings import amount_parts, change_text, format_amount, format_value, reading

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


@pytest.mark.parametrize(("lang", "expected"), [("zh", "超过15"), ("en", "more than 15")])
def test_a_qualified_percentage_reads_naturally(lang: str, expected: str) -> None:
    rows = _rows(("a", "s", 15, "more_than", "2022"))
    rows["unit_zh"], rows["unit_en"] = ["%"], ["%"]
    assert format_value(reading(rows, "s", 2022).figure, lang) == expected


def test_unknown_series_raises() -> None:
    with pytest.raises(KeyError):
        reading(PARK, "nope", 2025)


@pytest.mark.parametrize(
    ("printed", "lang", "expected"),
    [
        ("3800余家", "zh", "3,800余"),
        ("3800多家", "zh", "3,800多"),
        ("超过3800家", "zh", "超过3,800"),
        ("逾3800家", "zh", "超过3,800"),
        ("3800家以上", "zh", "超过3,800"),
        ("", "zh", "超过3,800"),
        ("3800余家", "en", "more than 3,800"),
        ("超过3800家", "en", "more than 3,800"),
    ],
)
def test_qualifier_formatting(printed: str, lang: str, expected: str) -> None:
    rows = _rows(("a", "s", 3800, "more_than", "2025"))
    rows["quoted_figure"] = [printed]
    r = reading(rows, "s", 2025)
    assert format_value(r.figure, lang) == expected
    before, number, after = amount_parts(r.figure, lang)  # a card's small words and number
    assert number == "3,800" and before + number + after == expected


# The word a report used for a qualified figure → the word the atlas shows in Chinese (its
# synonyms read as one word) and the English words; longer words are looked for first.
SHOWN_ZH = {
    "超过": "超过",
    "以上": "超过",
    "上千": "超过",
    "超": "超过",
    "逾": "超过",
    "余": "余",
    "多": "多",
    "左右": "约",
    "约": "约",
    "近": "近",
    "不到": "不到",
    "内": "不到",
}
DEFAULT_ZH = {"more_than": "超过", "about": "约", "nearly": "近", "less_than": "不到"}
SHOWN_EN = {
    "more_than": "more than",
    "about": "about",
    "nearly": "nearly",
    "less_than": "less than",
}
SUFFIXES = {"余", "多"}


def _qualified_rows(atlas) -> list[dict]:
    rows = []
    for name in ("indicators", "flows"):
        frame = atlas.table(name)
        rows += [r for r in frame.to_dict("records") if r["qualifier"] and r["value"] == r["value"]]
    return rows


def test_every_qualified_figure_in_the_data_reads_as_printed(atlas) -> None:
    """Every qualified figure of the indicators and flows tables, in both languages: Chinese
    keeps the report's word (超过/逾 → 超过, 余 → 余, 多 → 多), English says it in words."""
    rows = _qualified_rows(atlas)
    assert len(rows) > 40  # the data has over forty qualified figures
    seen = set()
    for row in rows:
        printed, qualifier = str(row["quoted_figure"]), str(row["qualifier"])
        number = f"{float(row['value']):,.0f}" if float(row["value"]).is_integer() else None
        assert number, row["id"]
        word = next(
            (SHOWN_ZH[w] for w in sorted(SHOWN_ZH, key=len, reverse=True) if w in printed),
            DEFAULT_ZH[qualifier],
        )
        seen.add(word)
        zh = format_amount(float(row["value"]), qualifier, "zh", printed)
        expected_zh = f"{number}{word}" if word in SUFFIXES else f"{word}{number}"
        assert zh == expected_zh, (row["id"], printed, zh)
        en = format_amount(float(row["value"]), qualifier, "en", printed)
        assert en == f"{SHOWN_EN[qualifier]} {number}", (row["id"], en)
    assert seen >= {"超过", "余", "多", "约", "近", "不到"}  # each form occurs in the data
