"""The map: restyle/filter layers in the browser when the year, layers, selection or language
change, and turn clicks into a selection (click empty map or press Escape to clear it).

The same clientside callback writes the view into the address bar, labels the year and keeps
the map keyboard (assets/mapnav.js) in step: what the map says to those who do not see it is
its key hint, set here, and the live region's sentence, which rides on the side panel's request
(callbacks/panels.py), so a slider step stays one request."""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, no_update

import ids
from core.inputs import as_feature_id
from core.prepared import AppData

FEATURE_LAYERS = (ids.PLACES, ids.LINES, ids.FLOWS)


def selection_from_click(data: AppData, trigger: str | None, click: dict | None) -> Any:
    """The new selection for a click on ``trigger`` carrying ``click`` (a GeoJSON feature)."""
    if trigger in (ids.MAP, ids.CLEAR):
        return None
    props = click.get("properties") if isinstance(click, dict) else None
    feature_id = as_feature_id(props.get("id"), data.known_ids) if isinstance(props, dict) else None
    if feature_id is None:
        return no_update
    if trigger == ids.BOUNDARIES:
        # A prefecture that stands for a place (Baoding, Langfang…) selects that place;
        # any other boundary click is a click on "empty" map.
        return data.tables.place_for_boundary(feature_id)
    return feature_id


def register(app: Dash, data: AppData) -> None:
    # Everything the browser does when the view changes, in one callback (atlas.view): the three
    # feature layers' restyle, the link in the address bar (ids.URL_SINK), the year's label and
    # the map keyboard's state and key hint (assets/mapnav.js). One callback, not four: each
    # callback a slider step runs costs the browser a round of store updates. The restyle is no
    # output: assets/views.js restyles the features in place, because a new ``hideout`` makes
    # dash-leaflet clear and re-add every feature of the layer.
    app.clientside_callback(
        ClientsideFunction("atlas", "view"),
        Output(ids.URL_SINK, "data"),
        Output(ids.YEAR_LABEL, "children"),
        Output(ids.MAP_HINT, "children"),
        Input(ids.THEME, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.LAYERS, "value"),
        Input(ids.SELECTED, "data"),
        Input(ids.LANG, "data"),
        Input(ids.MAP, "center"),
        Input(ids.MAP, "zoom"),
        Input(ids.MAP_KEYS, "data"),
        Input(ids.COMPARE, "data"),
    )
    # The basemap does not depend on the year: it is restyled only for selection and language,
    # so a slider step never rebuilds the boundary polygons and their labels.
    app.clientside_callback(
        ClientsideFunction("atlas", "boundaryHideout"),
        Output(ids.BOUNDARIES, "hideout"),
        Input(ids.SELECTED, "data"),
        Input(ids.LANG, "data"),
        State(ids.BOUNDARIES, "hideout"),
    )

    clickable = (*FEATURE_LAYERS, ids.BOUNDARIES)

    @app.callback(
        Output(ids.SELECTED, "data", allow_duplicate=True),
        *(Input(c, "n_clicks") for c in clickable),
        Input(ids.MAP, "n_clicks"),
        Input(ids.CLEAR, "n_clicks"),
        *(State(c, "clickData") for c in clickable),
        prevent_initial_call=True,
    )
    def select(*args: Any) -> Any:
        clicks = dict(zip(clickable, args[len(clickable) + 2 :], strict=True))
        trigger = ctx.triggered_id
        return selection_from_click(data, trigger, clicks.get(trigger))
