"""Timeline playback in the browser: play/pause, step, speed, loop. Only the year goes back to
the server (for the panels); map restyling happens clientside."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

import ids
from core.prepared import AppData


def register(app: Dash, data: AppData) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "timeline"),
        Output(ids.YEAR, "value", allow_duplicate=True),
        Output(ids.PLAYING, "data", allow_duplicate=True),
        Input(ids.TICKER, "n_intervals"),
        Input(ids.STEP_BACK, "n_clicks"),
        Input(ids.STEP_FORWARD, "n_clicks"),
        State(ids.YEAR, "value"),
        State(ids.LOOP, "value"),
        State(ids.PLAYING, "data"),
        State(ids.YEAR, "min"),
        State(ids.YEAR, "max"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "togglePlay"),
        Output(ids.PLAYING, "data", allow_duplicate=True),
        Input(ids.PLAY, "n_clicks"),
        State(ids.PLAYING, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "playState"),
        Output(ids.TICKER, "disabled"),
        Output(ids.TICKER, "interval"),
        Output(ids.PLAY, "children"),
        Output(ids.PLAY, "title"),
        Output(ids.PLAY, "aria-label"),
        Input(ids.PLAYING, "data"),
        Input(ids.SPEED, "value"),
        Input(ids.LANG, "data"),
        State(ids.SPEEDS, "data"),
        State(ids.CLIENT_TEXT, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "storyMarks"),
        Output(ids.YEAR, "marks"),
        Input(ids.THEME, "value"),
        State(ids.STORY_YEARS, "data"),
        State(ids.YEAR, "min"),
        State(ids.YEAR, "max"),
        prevent_initial_call=True,  # the layout holds the default theme's marks
    )
