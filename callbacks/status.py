"""What the map says to those who do not see it.

- The map's keyboard (``assets/mapnav.js``) learns the state its keys act on (theme, year,
  layers, selection, language) and its words from the MAP_KEYS store here, clientside; it
  returns the key hint (the map's description) in the current language.
- The live region's sentence (``panels.status.map_sentence``) is not sent from here: it rides
  on the side panel's request (callbacks/panels.py), so a slider step stays one request.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output

import ids
from core.prepared import AppData


def register(app: Dash, data: AppData) -> None:
    app.clientside_callback(
        ClientsideFunction("atlas", "mapKeys"),
        Output(ids.MAP_HINT, "children"),
        Input(ids.MAP_KEYS, "data"),
        Input(ids.THEME, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.LAYERS, "value"),
        Input(ids.SELECTED, "data"),
        Input(ids.LANG, "data"),
    )
