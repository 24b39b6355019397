"""A source button opens a dialog saying what the source is and what it says, in our words.

A click on any source button (one listener for the page, in assets/atlas.js) writes the
button's source into the source store; nothing runs when the panel merely re-creates buttons."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

import ids
from core.prepared import AppData
from core.text import pick
from panels.details import source_details


def source_dialog(data: AppData, trigger: Any, request: Any, lang: Any) -> tuple[Any, Any]:
    """Whether the dialog is hidden, and its body, after ``trigger``."""
    if trigger == ids.SOURCE_CLOSE:
        return True, no_update
    key = request.get("key") if isinstance(request, dict) else None
    if not isinstance(key, str) or not key:
        return no_update, no_update
    return False, source_details(data.tables, key, pick(lang, "zh", "en"))


def register(app: Dash, data: AppData) -> None:
    @app.callback(
        Output(ids.SOURCE_DIALOG, "hidden"),
        Output(ids.SOURCE_BODY, "children"),
        Input(ids.SOURCE_REQUEST, "data"),
        Input(ids.SOURCE_CLOSE, "n_clicks"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def open_source(request: Any, _: Any, lang: Any) -> tuple[Any, Any]:
        return source_dialog(data, ctx.triggered_id, request, lang)
