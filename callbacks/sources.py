"""A source button opens a dialog saying what the source is and what it says, in our words."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

import ids
from core.prepared import AppData
from panels.details import source_details


def register(app: Dash, data: AppData) -> None:
    @app.callback(
        Output(ids.SOURCE_DIALOG, "hidden"),
        Output(ids.SOURCE_BODY, "children"),
        Input({"type": ids.SOURCE_BUTTON_TYPE, "key": ALL}, "n_clicks"),
        Input(ids.SOURCE_CLOSE, "n_clicks"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def open_source(clicks: list[int | None], _: int, lang: str) -> tuple[Any, Any]:
        trigger = ctx.triggered_id
        if trigger == ids.SOURCE_CLOSE:
            return True, no_update
        # Buttons are re-created with every panel update; only a real click opens the dialog.
        if not isinstance(trigger, dict) or not any(c for c in clicks if c):
            return no_update, no_update
        value = next((t["value"] for t in ctx.triggered if t.get("value")), None)
        if not value:
            return no_update, no_update
        return False, source_details(data.tables, str(trigger.get("key", "")), lang)
