"""Which figure a card shows for a year: the newest one dated in or before it, never a guess."""

from __future__ import annotations

import math
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

    def label(self, lang: str) -> str:
        return pick(lang, self.label_zh, self.label_en)

    def unit(self, lang: str) -> str:
        return pick(lang, self.unit_zh, self.unit_en)


@dataclass(frozen=True)
class Reading:
    """What a card says for ``series`` in ``year``."""

    series: str
    year: int
    state: Literal["current", "stale", "no_data"]
    figure: Figure | None  # the figure shown (None for no_data)
    first: Figure  # the series' earliest figure, for its label and unit
    previous: Figure | None  # the latest figure from an earlier year, for the change
    differing: tuple[Figure, ...]  # same-year figures from other sources with other values


def _figures(rows: pd.DataFrame) -> list[Figure]:
    fields = Figure.__dataclass_fields__
    return [
        Figure(**{k: (float(v) if k == "value" else str(v)) for k, v in r.items() if k in fields})
        for r in rows.to_dict("records")
    ]


def reading(indicators: pd.DataFrame, series: str, year: int) -> Reading:
    """The card for ``series`` in ``year`` (raises KeyError for an unknown series)."""
    rows = indicators[indicators["series"] == series]
    if rows.empty:
        raise KeyError(series)
    # ISO dates sort by time; a more specific date of the same year sorts after the bare year.
    figures = sorted(_figures(rows), key=lambda f: f.as_of)
    known = [f for f in figures if year_of(f.as_of) <= year]
    if not known:
        return Reading(series, year, "no_data", None, figures[0], None, ())
    shown = known[-1]
    shown_year = year_of(shown.as_of)
    earlier = [f for f in known if year_of(f.as_of) < shown_year]
    differing = tuple(f for f in known if year_of(f.as_of) == shown_year and f.value != shown.value)
    state = "current" if shown_year == year else "stale"
    return Reading(
        series, year, state, shown, figures[0], earlier[-1] if earlier else None, differing
    )


def format_number(value: float, lang: str) -> str:
    if math.isclose(value, round(value)):
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_amount(value: float, qualifier: str, lang: str) -> str:
    """A number with its qualifier (3,800+ / 3,800余), without the unit."""
    number = format_number(value, lang)
    return t(f"qualifier.{qualifier}", lang, v=number) if qualifier else number


def format_value(figure: Figure, lang: str) -> str:
    """A figure's number with its qualifier, without the unit."""
    return format_amount(figure.value, figure.qualifier, lang)


def change_text(current: Figure, previous: Figure | None, lang: str) -> str | None:
    """ "+400 vs 2025" — only when both figures are exact or share a qualifier."""
    if previous is None or current.qualifier != previous.qualifier:
        return None
    delta = current.value - previous.value
    sign = "+" if delta > 0 else "±" if delta == 0 else "−"
    return f"{sign}{format_number(abs(delta), lang)} {t('change', lang, as_of=previous.as_of)}"
