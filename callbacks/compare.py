"""Compare two years: the compare state from the bar (clientside, so a step of either slider
restyles both maps in the browser without a request) and the change list (one request when A,
B, the theme or the language changes while comparing)."""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

import ids
from core.inputs import as_lang, as_theme, as_year
from core.prepared import AppData
from panels.compare import change_list


def register(app: Dash, data: AppData) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "compareState"),
        Output(ids.COMPARE, "data"),
        Output(ids.COMPARE_BAR, "className"),
        Output(ids.YEAR_A_LABEL, "children"),
        Input(ids.COMPARE_ON, "value"),
        Input(ids.COMPARE_MODE, "value"),
        Input(ids.YEAR_A, "value"),
        Input(ids.YEAR, "value"),
        State(ids.COMPARE, "data"),
        State(ids.CLIENT_TEXT, "data"),
    )

    @app.callback(
        Output(ids.CHANGES, "hidden"),
        Output(ids.CHANGES_TITLE, "children"),
        Output(ids.COMPARE_NOTE, "children"),
        Output(ids.CHANGES_LIST, "children"),
        Input(ids.COMPARE, "data"),
        Input(ids.THEME, "value"),
        Input(ids.LANG, "data"),
    )
    def changes(state: Any, theme: Any, lang: Any) -> tuple[Any, ...]:
        """The change list of the compared years; hidden when one year is shown. What the page
        sends is checked: anything but two known years, a known theme and language hides it."""
        key, language = as_theme(theme), as_lang(lang)
        if not isinstance(state, dict) or key is None or language is None:
            return True, no_update, no_update, no_update
        a, b = as_year(state.get("a"), data.years), as_year(state.get("b"), data.years)
        if a is None or b is None or state.get("mode") not in ("swipe", "side"):
            return True, no_update, no_update, no_update
        title, note, items = change_list(data.tables, key, a, b, language)
        return False, title, note, items
