"""Kiosk mode: the scene caption and cards, the share QR code and a health check the page
polls to show a calm reconnecting state. The tour itself runs in the browser
(assets/kiosk.js), so it keeps going smoothly and survives a server restart."""

from __future__ import annotations

from typing import Any

import segno
from dash import ClientsideFunction, Dash, Input, Output, html, no_update
from flask import Response

import ids
from core.prepared import AppData
from core.text import t
from panels.cards import cards


def qr_data_uri(url: str) -> str:
    """An SVG QR code of ``url`` as a data URI, generated locally."""
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2)


def register(app: Dash, data: AppData) -> None:
    scenes = data.kiosk.scenes
    public_url = data.kiosk.public_url

    def health() -> Response:
        response = Response("ok", mimetype="text/plain")
        response.headers["Cache-Control"] = "no-store"
        return response

    app.server.add_url_rule("/healthz", "atlas_health", health)

    app.clientside_callback(
        ClientsideFunction("atlas", "kioskInit"),
        Output(ids.KIOSK_SINK, "data"),
        Input(ids.KIOSK_CONFIG, "data"),
    )

    @app.callback(
        Output(ids.KIOSK_TITLE, "children"),
        Output(ids.KIOSK_CAPTION, "children"),
        Output(ids.KIOSK_CARDS, "children"),
        Output(ids.KIOSK_DOTS, "children"),
        Output(ids.KIOSK_EXPLORE_TEXT, "children"),
        Output(ids.KIOSK_RESUME, "children"),
        Output(ids.RECONNECT_TEXT, "children"),
        Input(ids.KIOSK_SCENE, "data"),
        Input(ids.YEAR, "value"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def scene_panel(scene: dict | None, year: int, lang: str) -> tuple[Any, ...]:
        index = scene.get("index") if isinstance(scene, dict) else None
        if not isinstance(index, int) or not 0 <= index < len(scenes):
            return (no_update,) * 7
        s = scenes[index]
        dots = [
            html.Span(className="atlas-kiosk-dot" + (" active" if i == index else ""))
            for i in range(len(scenes))
        ]
        dots.append(
            html.Span(
                t("kiosk.scene", lang, n=index + 1, total=len(scenes)),
                className="atlas-kiosk-count",
            )
        )
        return (
            s.title_en if lang == "en" else s.title_zh,
            s.caption_en if lang == "en" else s.caption_zh,
            cards(data.tables.indicators, s.cards, int(year), lang),
            dots,
            t("kiosk.exploring", lang),
            t("kiosk.resume", lang),
            t("reconnecting", lang),
        )

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
