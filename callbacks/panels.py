"""Indicator cards, the events list, the selection panel and the legend follow theme, year,
selection, layers and language."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

import ids
from core.prepared import AppData
from core.themes import THEMES
from panels.cards import cards, event_items, events_in_year
from panels.details import details
from panels.legend import legend


def register(app: Dash, data: AppData) -> None:
    tables = data.tables

    @app.callback(
        Output(ids.KPIS, "children"),
        Output(ids.EVENTS, "children"),
        Input(ids.THEME, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the default view's cards and events
    )
    def overview(theme: str, year: int, lang: str) -> tuple[Any, Any]:
        chosen = THEMES.get(theme) or THEMES["overview"]
        year = int(year)
        return (
            cards(tables.indicators, chosen.series, year, lang),
            event_items(events_in_year(tables.events, year, chosen.key), lang),
        )

    @app.callback(
        Output(ids.DETAILS, "children"),
        Output(ids.DETAILS, "hidden"),
        Output(ids.CLEAR, "hidden"),
        Output(ids.OVERVIEW, "hidden"),
        Input(ids.SELECTED, "data"),
        Input(ids.YEAR, "value"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,  # nothing is selected in the default view
    )
    def selection(selected: str | None, year: int, lang: str) -> tuple[Any, ...]:
        panel = details(tables, selected, int(year), lang)
        shown = panel is not None
        return panel or [], not shown, not shown, shown

    @app.callback(
        Output(ids.LEGEND, "children"),
        Input(ids.LAYERS, "value"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,  # the layout holds the default layers' legend
    )
    def show_legend(layers: list[str] | None, lang: str) -> list[Any]:
        return legend(tuple(layers or ()), lang)
