"""Planners' own layers in the dashboard: what an upload came to, the layer list with its style
controls and legends, removing a layer, and a picked feature's attributes (drawn by
panels/userlayers.py). The upload itself and the drawing are in the browser
(assets/userlayers.js) and on the layer routes (uploads/web.py)."""

from __future__ import annotations

from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

import ids
from core.inputs import as_lang
from core.prepared import AppData
from core.text import t
from panels.userlayers import entry, layer_card, legend_rows, message, valid_entries
from uploads.link import MAX_LAYERS


def register(app: Dash, data: AppData) -> None:
    service = data.layers

    @app.callback(
        Output(ids.USER_LAYERS, "data", allow_duplicate=True),
        Output(ids.USER_MESSAGE, "children"),
        Input(ids.USER_EVENT, "data"),
        Input(ids.LANG, "data"),
        State(ids.USER_LAYERS, "data"),
        prevent_initial_call=True,
    )
    def on_event(event: Any, lang_value: Any, current: Any) -> tuple[Any, Any]:
        lang = as_lang(lang_value) or "zh"
        entries = valid_entries(current, service)
        if ctx.triggered_id == ids.LANG or not isinstance(event, dict):
            return no_update, message(event, lang, service)
        kind = event.get("kind")
        layer = event.get("layer")
        if kind not in ("added", "converted") or not isinstance(layer, dict):
            return no_update, message(event, lang, service)
        found = service.get(str(layer.get("id")))
        if found is None:
            raise PreventUpdate
        info = service.describe(*found)
        if kind == "converted":
            old = next((e for e in entries if e["id"] == event.get("replaces")), None)
            new = entry(info, old["style"] if old else None)
            entries = [new if e["id"] == event.get("replaces") else e for e in entries]
            if old is None:
                entries.append(new)
            return entries, message(event, lang, service)
        if any(e["id"] == info["id"] for e in entries):
            return no_update, message(event, lang, service)
        if len(entries) >= MAX_LAYERS:
            return no_update, [html.P(t("user.too_many", lang, n=MAX_LAYERS))]
        return [*entries, entry(info)], message(event, lang, service)

    # A style control or a remove button changes the entries in the browser (atlas.userEdit): a
    # pattern-matching input fires again whenever its components are re-created, so only
    # clientside callbacks take one (tests/unit/test_wiring.py).
    app.clientside_callback(
        ClientsideFunction("atlas", "userEdit"),
        Output(ids.USER_LAYERS, "data", allow_duplicate=True),
        Input({"type": ids.USER_REMOVE_TYPE, "id": ALL}, "n_clicks"),
        Input({"type": ids.USER_STYLE_TYPE, "id": ALL, "field": ALL}, "value"),
        State(ids.USER_LAYERS, "data"),
        prevent_initial_call=True,
    )

    # The list is drawn again only when its layers or the language change, so a style control
    # keeps its focus while the planner tries styles; the legends follow every style change.
    @app.callback(
        Output(ids.USER_LIST, "children"),
        Output(ids.USER_LIST, "data-shown"),
        Input(ids.USER_LAYERS, "data"),
        Input(ids.LANG, "data"),
        State(ids.USER_LIST, "data-shown"),
    )
    def render_list(current: Any, lang_value: Any, shown: Any) -> tuple[Any, Any]:
        lang = as_lang(lang_value) or "zh"
        entries = valid_entries(current, service)
        key = lang + ":" + ",".join(e["id"] for e in entries)
        if key == shown:
            raise PreventUpdate
        return [layer_card(service, e, lang) for e in entries], key

    @app.callback(
        Output({"type": ids.USER_LEGEND_TYPE, "id": ALL}, "children"),
        Output({"type": ids.USER_STYLE_TYPE, "id": ALL, "field": "column"}, "value"),
        Input(ids.USER_LAYERS, "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def render_legends(current: Any, lang_value: Any) -> tuple[list[Any], list[Any]]:
        lang = as_lang(lang_value) or "zh"
        by_id = {e["id"]: e for e in valid_entries(current, service)}
        legends, columns = [], []
        for spec in ctx.outputs_list[0]:
            item = by_id.get(spec["id"]["id"])
            legends.append(legend_rows(service, item, lang) if item else no_update)
        for spec in ctx.outputs_list[1]:  # a mode switch may have chosen a column (userEdit)
            item = by_id.get(spec["id"]["id"])
            columns.append((item["style"].get("column") or "") if item else no_update)
        return legends, columns

    @app.callback(
        Output(ids.USER_DETAILS_BODY, "children"),
        Output(ids.USER_DETAILS, "hidden"),
        Input(ids.USER_PICK, "data"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def details(picked: Any, lang_value: Any) -> tuple[Any, Any]:
        lang = as_lang(lang_value) or "zh"
        if not isinstance(picked, dict):
            raise PreventUpdate
        index = picked.get("i")
        if isinstance(index, bool) or not isinstance(index, int):
            raise PreventUpdate
        found = service.feature(str(picked.get("id")), index)
        if found is None:
            raise PreventUpdate
        rows = [html.Tr([html.Th(k, scope="row"), html.Td(v)]) for k, v in found["fields"]]
        return [
            html.H3(t("user.details", lang, name=found["layer"])),
            html.Table(html.Tbody(rows), className="atlas-user-attributes"),
        ], False

    @app.callback(
        Output(ids.USER_DETAILS, "hidden", allow_duplicate=True),
        Input(ids.USER_DETAILS_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
    def close_details(clicks: Any) -> bool:
        if not clicks:
            raise PreventUpdate
        return True

    app.clientside_callback(
        ClientsideFunction("atlas", "userPick"),
        Output(ids.USER_SINK, "data", allow_duplicate=True),
        Input(ids.USER_FILE, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "userAction"),
        Output(ids.USER_SINK, "data", allow_duplicate=True),
        Input(ids.user_action(ALL, ALL, ALL), "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "userFeature"),
        Output(ids.USER_PICK, "data", allow_duplicate=True),
        Input({"type": ids.USER_FEATURE_TYPE, "id": ALL, "i": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "userLayers"),
        Output(ids.USER_SINK, "data"),
        Input(ids.USER_LAYERS, "data"),
        Input(ids.YEAR, "value"),
    )


__all__ = ["register"]
