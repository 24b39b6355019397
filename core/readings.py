"""Which figure a card shows for a year: the newest one dated in or before it, never a guess.

A figure is dated by the period it describes (``as_of``, the end of that period; ``period_zh`` /
``period_en`` name a vague period such as "peak years before the relocation"), not by the report
that recalls it. Figures of one series carry a definition (``definition_zh`` / ``definition_en``,
empty for the series' own): a change is only computed between figures of the same definition and
qualifier, and a figure of another definition is shown beside, not compared.

The rule for choosing between figures of the same series dated in the same year:
1. the more specific figure wins: an exact one (455) over a qualified or rounded one (450多);
2. then the later date, a date meaning the last day it could be (2025 → end of 2025, after
   2025-02), which for our reports is the later publication;
3. then the table's order (stable).
The others are listed as "another source gives …" when their value differs.
"""

from __future__ import annotations

import calendar
import math
import weakref
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.text import pick, t
from core.timeline import year_of


@dataclass(frozen=True)
class Figure:
    id: str
    series: str
    label_zh: str
    label_en: str
    value: float
    qualifier: str
    unit_zh: str
    unit_en: str
    as_of: str
    source: str
    period_zh: str = ""
    period_en: str = ""
    definition_zh: str = ""
    definition_en: str = ""
    quoted_figure: str = ""  # the figure as the report printed it (its qualifier's wording)

    def label(self, lang: str) -> str:
        return pick(lang, self.label_zh, self.label_en)

    def unit(self, lang: str) -> str:
        return pick(lang, self.unit_zh, self.unit_en)

    def period(self, lang: str) -> str:
        """The period the figure describes, when it is not simply its date."""
        return pick(lang, self.period_zh, self.period_en)

    def definition(self, lang: str) -> str:
        return pick(lang, self.definition_zh, self.definition_en)

    def comparable(self, other: Figure) -> bool:
        """Same definition and qualifier: a difference between the two is a change."""
        return (self.definition_zh, self.qualifier) == (other.definition_zh, other.qualifier)


@dataclass(frozen=True)
class Reading:
    """What a card says for ``series`` in ``year``."""

    series: str
    year: int
    state: Literal["current", "stale", "no_data"]
    figure: Figure | None  # the figure shown (None for no_data)
    first: Figure  # the series' earliest figure, for its label and unit
    previous: Figure | None  # the latest comparable figure from an earlier year, for the change
    differing: tuple[Figure, ...]  # same-year figures from other sources with other values
    other_definitions: tuple[Figure, ...] = ()  # latest known figure of each other definition


def last_day(date: str) -> str:
    """The last day a ``YYYY[-MM[-DD]]`` date could mean, as ``YYYY-MM-DD``."""
    parts = [int(p) for p in str(date).split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def preference(figure: Figure) -> tuple[bool, str]:
    """The sort key of the choosing rule: exact first, then the later date."""
    return (figure.qualifier == "", last_day(figure.as_of))


def _figures(rows: pd.DataFrame) -> list[Figure]:
    fields = Figure.__dataclass_fields__
    return [
        Figure(
            **{
                k: (float(v) if k == "value" else "" if v is None or v != v else str(v))
                for k, v in r.items()
                if k in fields
            }
        )
        for r in rows.to_dict("records")
    ]


def _best(figures: list[Figure]) -> Figure:
    """The figure shown among figures of one year (``max`` keeps the first of equals)."""
    return max(figures, key=preference)


# Each indicators table's figures by series, in date order, made once per table: a cold
# panel (a theme's cards and year story) asks for dozens of readings, and filtering the frame
# and converting its rows every time made one take up to 150 ms. Tables are never changed
# after loading; an entry lives as long as its table (keyed by id, checked by a weak ref).
_SERIES: dict[int, tuple[weakref.ref[pd.DataFrame], dict[str, tuple[Figure, ...]]]] = {}


def series_figures(indicators: pd.DataFrame) -> dict[str, tuple[Figure, ...]]:
    """``indicators``' figures by series, each in date order (the last day they could mean)."""
    entry = _SERIES.get(id(indicators))
    if entry is None or entry[0]() is not indicators:
        by_series: dict[str, list[Figure]] = {}
        for figure, series in zip(
            _figures(indicators), indicators["series"].astype(str), strict=True
        ):
            by_series.setdefault(series, []).append(figure)
        ordered = {
            s: tuple(sorted(found, key=lambda f: last_day(f.as_of)))
            for s, found in by_series.items()
        }
        entry = (weakref.ref(indicators), ordered)
        _SERIES[id(indicators)] = entry
        weakref.finalize(indicators, _SERIES.pop, id(indicators), None)
    return entry[1]


def reading(indicators: pd.DataFrame, series: str, year: int) -> Reading:
    """The card for ``series`` in ``year`` (raises KeyError for an unknown series)."""
    figures = series_figures(indicators).get(series)
    if not figures:
        raise KeyError(series)
    first = min(figures, key=lambda f: f.as_of)  # the earliest start: label and unit
    known = [f for f in figures if year_of(f.as_of) <= year]
    if not known:
        return Reading(series, year, "no_data", None, first, None, ())
    shown_year = max(year_of(f.as_of) for f in known)
    same_year = [f for f in known if year_of(f.as_of) == shown_year]
    shown = _best(same_year)
    earlier = [f for f in known if year_of(f.as_of) < shown_year and f.comparable(shown)]
    previous = None
    if earlier:  # the best figure of the latest earlier year
        previous_year = max(year_of(f.as_of) for f in earlier)
        previous = _best([f for f in earlier if year_of(f.as_of) == previous_year])
    differing = tuple(
        f
        for f in same_year
        if f is not shown and f.definition_zh == shown.definition_zh and f.value != shown.value
    )
    others: dict[str, Figure] = {}
    for f in known:
        if f.definition_zh != shown.definition_zh:
            others[f.definition_zh] = f  # known is in date order: the latest of each stays
    state = "current" if shown_year == year else "stale"
    return Reading(series, year, state, shown, first, previous, differing, tuple(others.values()))


def format_number(value: float, lang: str) -> str:
    if math.isclose(value, round(value)):
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# The word a report put after a "more than" figure, which Chinese keeps (3800多家 → 3,800多,
# 120余家 → 120余); any other wording (超过, 超, 逾, 以上, 上千) reads 超过.
PRINTED_SUFFIX = {"more_than": (("余", "yu"), ("多", "duo"))}


def qualifier_key(qualifier: str, printed: str = "") -> str:
    """The catalogue entry for ``qualifier`` as ``printed`` (the figure as the report printed
    it) words it; "" for an exact figure."""
    if not qualifier:
        return ""
    key = f"qualifier.{qualifier}"
    for word, form in PRINTED_SUFFIX.get(qualifier, ()):
        if word in printed:
            return f"{key}.{form}"
    return key


def format_amount(value: float, qualifier: str, lang: str, printed: str = "") -> str:
    """A number with its qualifier, without the unit: one formatter for every figure. Chinese
    keeps the report's own word (超过300, 3,800余, 3,800多); English says "more than", "about",
    "nearly", "less than", "at least"."""
    number = format_number(value, lang)
    key = qualifier_key(qualifier, printed)
    return t(key, lang, v=number) if key else number


def amount_parts(figure: Figure, lang: str) -> tuple[str, str, str]:
    """``format_value`` as (words before, number, words after), for a card that sets the number
    large and the qualifier's words small ("more than" | "3,800"; "3,800" | "余")."""
    number = format_number(figure.value, lang)
    key = qualifier_key(figure.qualifier, figure.quoted_figure)
    if not key:
        return "", number, ""
    before, _, after = t(key, lang, v="\0").partition("\0")
    return before, number, after


def format_value(figure: Figure, lang: str) -> str:
    """A figure's number with its qualifier, without the unit."""
    return format_amount(figure.value, figure.qualifier, lang, figure.quoted_figure)


def with_unit(amount: str, unit: str, lang: str) -> str:
    """An amount and its unit: 3,800余家 in Chinese, "more than 3,800 merchants" in English."""
    if not unit:
        return amount
    return f"{amount}{unit}" if lang == "zh" else f"{amount} {unit}"


def change_text(current: Figure, previous: Figure | None, lang: str) -> str | None:
    """ "+400 vs 2025" — only between figures of the same definition and qualifier."""
    if previous is None or not current.comparable(previous):
        return None
    delta = current.value - previous.value
    sign = "+" if delta > 0 else "±" if delta == 0 else "−"
    return f"{sign}{format_number(abs(delta), lang)} {t('change', lang, as_of=previous.as_of)}"
