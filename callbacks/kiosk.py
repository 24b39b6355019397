"""Kiosk mode: the scene's cards and the share QR code. The tour runs in the browser
(assets/kiosk.js), which alone writes the scene title, caption and progress dots, so it keeps
going smoothly and survives a server restart. Nothing here runs outside kiosk mode: the scene
store only changes while a tour plays."""

from __future__ import annotations

import math
from typing import Any

import segno
from dash import ClientsideFunction, Dash, Input, Output, html, no_update

import ids
from core.inputs import as_text
from core.prepared import AppData
from core.readings import reading
from core.story import change_text, changes, names_of
from core.text import pick, t
from core.tour import Scene
from panels.cards import cards

# Rows of cards (two to a row) and latest changes of the year the scene panel holds at once.
KIOSK_STORY_ROWS = 3
# The longest view query a QR code is made of. A real one is under 300 characters; a level-M
# code holds at most 2,331 bytes, and a longer query (only a hand-made request) gets no code.
MAX_QR_QUERY = 1000


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
    return kiosk_panel(data, scenes[index], year, pick(lang, "zh", "en"))


def kiosk_panel(data: AppData, scene: Scene, year: int, lang: str) -> list[Any]:
    """The playing scene's panel: its cards that have a figure by ``year`` (a visitor cannot
    act on "no data yet"), then what changed that year — so a scene never shows only blanks."""
    tables = data.tables
    with_figure = tuple(
        s for s in scene.cards if reading(tables.indicators, s, year).state != "no_data"
    )
    shown = cards(tables, with_figure, year, lang)
    told = [c for c in changes(tables, scene.theme, year) if c.kind != "figure"]
    out: list[Any] = [html.Div(shown, className="atlas-cards")] if shown else []
    # the panel's height holds three rows of cards or changes: fewer changes under more cards
    room = max(1, KIOSK_STORY_ROWS - math.ceil(len(shown) / 2))
    if told:
        names = names_of(tables, lang)
        out.append(html.H3(t("events", lang), className="atlas-kiosk-story-title"))
        out.append(
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(c.date, className="atlas-event-date"),
                            " ",
                            change_text(tables, c, lang, names),
                            html.Small(
                                pick(lang, "（", " (")
                                + tables.cite(c.source, lang)
                                + pick(lang, "）", ")"),
                                className="atlas-kiosk-cite",
                            ),
                        ],
                        className="atlas-event",
                    )
                    for c in told[-room:]
                ],
                className="atlas-kiosk-story",
            )
        )
    if not out:
        out.append(html.P(t("story.none", lang, year=year), className="atlas-empty"))
    return out


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
    def share_code(query: Any) -> Any:
        query = as_text(query, MAX_QR_QUERY)
        if query is None or not query.startswith("?"):
            return no_update
        return qr_data_uri(public_url + "/" + query.replace("&kiosk=1", "").replace("kiosk=1", ""))
