"""Starts the browser's accessibility glue (assets/a11y.js) with the page's group names."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output

import ids
from core.prepared import AppData


def register(app: Dash, data: AppData) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "a11yInit"),
        Output(ids.A11Y_SINK, "data"),
        Input(ids.A11Y, "data"),
    )
