"""Kiosk mode: the scene's cards and the share QR code. The tour runs in the browser
(assets/kiosk.js), which alone writes the scene title, caption and progress dots, so it keeps
going smoothly and survives a server restart. Nothing here runs outside kiosk mode: the scene
store only changes while a tour plays."""

from __future__ import annotations

from typing import Any

import segno
from dash import ClientsideFunction, Dash, Input, Output, no_update

import ids
from core.prepared import AppData
from core.text import pick
from panels.cards import cards


def qr_data_uri(url: str) -> str:
    """An SVG QR code of ``url`` as a data URI, generated locally."""
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2)


def scene_cards(data: AppData, scene: Any) -> Any:
    """The cards of the playing scene for the tour's year and language (from ``kiosk.js``)."""
    if not isinstance(scene, dict):
        return no_update
    index, year, lang = scene.get("index"), scene.get("year"), scene.get("lang")
    scenes = data.kiosk.scenes
    valid = isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(scenes)
    first, last = data.years
    if not valid or not isinstance(year, int) or not first <= year <= last:
        return no_update
    return cards(data.tables, scenes[index].cards, year, pick(lang, "zh", "en"))


def register(app: Dash, data: AppData) -> None:
    public_url = data.kiosk.public_url

    # Starts the tour engine once (kiosk pages only) and tells it the language.
    app.clientside_callback(
        ClientsideFunction("atlas", "kioskInit"),
        Output(ids.KIOSK_SINK, "data"),
        Input(ids.KIOSK_CONFIG, "data"),
        Input(ids.LANG, "data"),
    )

    @app.callback(
        Output(ids.KIOSK_CARDS, "children"),
        Input(ids.KIOSK_SCENE, "data"),
        prevent_initial_call=True,
    )
    def kiosk_cards(scene: Any) -> Any:
        return scene_cards(data, scene)

    if public_url is None:
        return  # no QR code, and no callback that would only answer "nothing to do"

    @app.callback(
        Output(ids.KIOSK_QR, "src"),
        Input(ids.URL_SINK, "data"),
        prevent_initial_call=True,
    )
    def share_code(query: str | None) -> Any:
        if not isinstance(query, str) or not query.startswith("?"):
            return no_update
        return qr_data_uri(public_url + "/" + query.replace("&kiosk=1", "").replace("kiosk=1", ""))
