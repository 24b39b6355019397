"""Dialogs and overlays: export panel, kiosk scene panel, reconnecting note."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

import ids
from layout.common import button, radio
from layout.texts import say


def kiosk_elements(config: dict[str, Any]) -> list[Any]:
    """Kiosk-only parts, hidden unless the page runs with ?kiosk=1 (assets/kiosk.js)."""
    return [
        dcc.Store(id=ids.KIOSK_CONFIG, data=config),
        dcc.Store(id=ids.KIOSK_SCENE, data=None),
        dcc.Store(id=ids.KIOSK_SINK),
        html.Section(
            id=ids.KIOSK_PANEL,
            className="atlas-kiosk-panel",
            **{"aria-live": "polite"},
            children=[
                html.Div(
                    html.Div(id=ids.KIOSK_BAR, className="atlas-kiosk-bar"),
                    className="atlas-kiosk-track",
                ),
                html.Div(id=ids.KIOSK_DOTS, className="atlas-kiosk-dots"),
                html.H2(id=ids.KIOSK_TITLE, className="atlas-kiosk-title"),
                html.P(id=ids.KIOSK_CAPTION, className="atlas-kiosk-caption"),
                html.Div(id=ids.KIOSK_CARDS, className="atlas-kiosk-cards"),
                html.Figure(
                    [
                        html.Img(id=ids.KIOSK_QR, alt=""),
                        html.Figcaption(say(ids.KIOSK_QR_CAPTION), id=ids.KIOSK_QR_CAPTION),
                    ],
                    className="atlas-kiosk-share",
                    hidden=not config["share"],
                ),
            ],
        ),
        html.Div(
            id=ids.KIOSK_EXPLORE,
            className="atlas-kiosk-explore",
            hidden=True,
            children=[
                html.Span(say(ids.KIOSK_EXPLORE_TEXT), id=ids.KIOSK_EXPLORE_TEXT),
                button(ids.KIOSK_RESUME, say(ids.KIOSK_RESUME), say(ids.KIOSK_RESUME)),
            ],
        ),
        html.Div(
            id=ids.RECONNECT,
            className="atlas-reconnect",
            role="status",
            hidden=True,
            children=html.P(say(ids.RECONNECT_TEXT), id=ids.RECONNECT_TEXT),
        ),
    ]


def dialog(component_id: str, title: str, box_class: str, children: list[Any]) -> html.Div:
    """A modal dialog (hidden until opened) titled ``title``, its heading id ``<id>-title``."""
    return html.Div(
        id=component_id,
        className="atlas-dialog",
        role="dialog",
        hidden=True,
        **{"aria-modal": "true", "aria-labelledby": ids.heading(component_id)},
        children=html.Div(
            className=f"atlas-dialog-box {box_class}".strip(),
            children=[html.H2(title, id=ids.heading(component_id)), *children],
        ),
    )


def source_dialog() -> html.Div:
    """Where a source button's details appear."""
    return dialog(
        ids.SOURCE_DIALOG,
        say(ids.SOURCE_HEADING),
        "",
        [
            html.Div(id=ids.SOURCE_BODY),
            dcc.Store(id=ids.SOURCE_REQUEST, data=None),
            button(
                ids.SOURCE_CLOSE,
                say(ids.SOURCE_CLOSE),
                say(ids.SOURCE_CLOSE),
                **{"data-dialog-close": "true"},
            ),
        ],
    )


def export_dialog() -> html.Div:
    """The export panel; texts are in Chinese by default and switch with the language."""
    formats = [
        (f, f.upper() if f != "geojson" else "GeoJSON")
        for f in ("png", "pdf", "svg", "html", "geojson", "csv")
    ]
    return dialog(
        ids.EXPORT_DIALOG,
        say(ids.EXPORT_HEADING),
        "atlas-export",
        [
            html.H3(say(ids.EXPORT_H_FORMAT), id=ids.EXPORT_H_FORMAT),
            radio(ids.EXPORT_FORMAT, formats, "png"),
            html.H3(say(ids.EXPORT_H_PAPER), id=ids.EXPORT_H_PAPER),
            radio(ids.EXPORT_PAPER, [("a4", "A4"), ("a3", "A3")], "a4"),
            radio(ids.EXPORT_ORIENTATION, say(ids.EXPORT_ORIENTATION, "options"), "landscape"),
            html.H3(say(ids.EXPORT_H_DPI), id=ids.EXPORT_H_DPI),
            radio(
                ids.EXPORT_DPI,
                [("150", "150 dpi"), ("300", "300 dpi"), ("600", "600 dpi")],
                "300",
            ),
            html.H3(say(ids.EXPORT_H_LANG), id=ids.EXPORT_H_LANG),
            radio(
                ids.EXPORT_LANG, [("zh", "中文"), ("en", "English")], say(ids.EXPORT_LANG, "value")
            ),
            html.Label(
                [
                    html.Span(say(ids.EXPORT_L_TITLE), id=ids.EXPORT_L_TITLE),
                    dcc.Input(
                        id=ids.EXPORT_TITLE,
                        type="text",
                        maxLength=120,
                        debounce=True,
                        className="atlas-input",
                    ),
                ],
                className="atlas-field",
            ),
            html.Div(
                [
                    button(ids.EXPORT_RUN, say(ids.EXPORT_RUN), say(ids.EXPORT_RUN)),
                    button(
                        ids.EXPORT_CANCEL,
                        say(ids.EXPORT_CANCEL),
                        say(ids.EXPORT_CANCEL),
                        disabled=True,
                    ),
                    button(
                        ids.EXPORT_CLOSE,
                        say(ids.EXPORT_CLOSE),
                        say(ids.EXPORT_CLOSE),
                        **{"data-dialog-close": "true"},
                    ),
                ],
                className="atlas-dialog-actions",
            ),
            html.Progress(id=ids.EXPORT_PROGRESS, value="0", max="3", hidden=True),
            html.P(id=ids.EXPORT_STATUS, className="atlas-export-status", role="status"),
            html.Code(id=ids.EXPORT_COMMAND, className="atlas-export-command"),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
            dcc.Store(id=ids.EXPORT_BBOX),
        ],
    )
