"""Indicator cards and the events list for a theme and year."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from dash import html

import ids
from core.readings import (
    Figure,
    Reading,
    amount_parts,
    change_text,
    format_value,
    reading,
    with_unit,
)
from core.tables import Tables
from core.text import local, pick, t
from core.timeline import year_of


def source_link(layer: str, row_id: str, cited: str, lang: str, where: str = "") -> html.Button:
    """A button naming the source as a report would (``cited``: see ``Tables.cite``); it opens
    the source details dialog, where the document's line and the figure as printed are."""
    text = f"{t('source', lang)}{pick(lang, '：', ': ')}{cited}"
    return html.Button(
        text,
        id=ids.source_button(layer, row_id, where),
        className="atlas-source-link",
        n_clicks=0,
        title=text,
    )


Cite = Callable[[str], str]  # a source → how a report names it, in the card's language


def when(f: Figure, lang: str) -> str:
    """The period a figure describes: its own words for a vague one, else "as of <date>"."""
    return f.period(lang) or f"{t('as_of', lang)} {f.as_of}"


def _number(f: Figure, lang: str) -> list[Any]:
    """The figure's number set large, its qualifier's words ("more than", 超过, 余) small."""
    before, number, after = amount_parts(f, lang)
    parts: list[Any] = [html.Span(number, className="atlas-card-number")]
    if before:
        parts.insert(0, html.Span(before, className="atlas-card-qualifier"))
    if after:
        parts.append(html.Span(after, className="atlas-card-qualifier"))
    return parts


def card(r: Reading, lang: str, cite: Cite) -> html.Div:
    """One KPI card: value, unit, as-of date, change and source — or an honest no-data."""
    label = r.first.label(lang)
    if r.figure is None:
        return html.Div(
            className="atlas-card atlas-card-nodata",
            children=[
                html.Div(label, className="atlas-card-label"),
                html.Div("—", className="atlas-card-value"),
                html.Div(t("no_data", lang), className="atlas-card-asof"),
            ],
            **{"data-series": r.series, "data-state": r.state},
        )
    f = r.figure
    children: list[Any] = [
        html.Div(label, className="atlas-card-label"),
        html.Div(
            [
                *_number(f, lang),
                html.Span(f" {f.unit(lang)}", className="atlas-card-unit"),
            ],
            className="atlas-card-value",
        ),
        html.Div(when(f, lang), className="atlas-card-asof"),
    ]
    if f.definition(lang):
        children.append(
            html.Div(
                t("definition", lang, definition=f.definition(lang)), className="atlas-card-def"
            )
        )
    # An older figure just says its date ("as of 2018-11"): no warning, the card's grey edge and
    # data-state tell it apart; the warning colour is kept for sources that disagree.
    if (change := change_text(f, r.previous, lang)) is not None:
        children.append(html.Div(change, className="atlas-card-change"))
    for other in r.differing:
        children.append(
            html.Div(
                t("differs", lang, value=format_value(other, lang), source=cite(other.source)),
                className="atlas-card-differs",
            )
        )
    for other in r.other_definitions:
        children.append(
            html.Div(
                t(
                    "other_definition",
                    lang,
                    definition=other.definition(lang) or r.first.label(lang),
                    value=with_unit(format_value(other, lang), other.unit(lang), lang),
                    when=when(other, lang),
                ),
                className="atlas-card-other",
            )
        )
    children.append(source_link("indicators", f.id, cite(f.source), lang))
    return html.Div(
        className=f"atlas-card atlas-card-{r.state}",
        children=children,
        **{"data-series": r.series, "data-state": r.state},
    )


def cards(tables: Tables, series: tuple[str, ...], year: int, lang: str) -> list[Any]:
    """The cards of ``series`` in ``year``, built once per (series, year, language)."""
    key = ("cards", tuple(series), year, lang)
    if key not in tables.memo:

        def cite(source: str) -> str:
            return tables.cite(source, lang)

        tables.memo[key] = [card(reading(tables.indicators, s, year), lang, cite) for s in series]
    return list(tables.memo[key])  # type: ignore[call-overload]


def events_in_year(events: pd.DataFrame, year: int, theme: str) -> pd.DataFrame:
    """Events dated in ``year`` (for a theme other than the overview, only that theme's)."""
    years = events["date"].map(year_of)
    chosen = events[(years == year) & ((events["theme"] == theme) | (theme == "overview"))]
    return chosen.sort_values("date", kind="stable")


def event_items(tables: Tables, events: pd.DataFrame, lang: str) -> list[Any]:
    if events.empty:
        return [html.P(t("no_events", lang), className="atlas-empty")]
    return [
        html.Li(
            [
                html.Span(row.date, className="atlas-event-date"),
                " ",
                html.Span(local(row, "title", lang)),
                " ",
                source_link("events", row.id, tables.cite(row.source, lang), lang),
            ],
            className="atlas-event",
            **{"data-event": row.id},
        )
        for row in events.itertuples(index=False)
    ]
