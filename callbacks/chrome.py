"""Every piece of UI text switches language together."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

import ids
from core.prepared import AppData
from core.text import t
from core.themes import LAYER_KEYS, THEMES
from layout import PLAY_SPEEDS


def chrome(lang: str, notice: str) -> tuple[Any, ...]:
    return (
        t("title", lang),
        t("subtitle", lang),
        t("language", lang),
        t("language.label", lang),
        [{"label": t(f"theme.{k}", lang), "value": k} for k in THEMES],
        [{"label": t(f"theme.{k}", lang), "value": k} for k in LAYER_KEYS],
        t("layers", lang),
        t("indicators", lang),
        t("events", lang),
        [{"label": t(f"speed.{k}", lang), "value": k} for k in PLAY_SPEEDS],
        t("speed", lang),
        [{"label": t("loop", lang), "value": "loop"}],
        t("step_back", lang),
        t("step_forward", lang),
        t("back_to_overview", lang),
        t("notice.close", lang),
        t("close", lang),
        t("source_details", lang),
        notice,
        "en" if lang == "en" else "zh-CN",
    )


def register(app: Dash, data: AppData) -> None:
    @app.callback(
        Output(ids.TITLE, "children"),
        Output(ids.SUBTITLE, "children"),
        Output(ids.LANG_BUTTON, "children"),
        Output(ids.LANG_BUTTON, "title"),
        Output(ids.THEME, "options"),
        Output(ids.LAYERS, "options"),
        Output(ids.LAYERS_LABEL, "children"),
        Output(ids.KPIS_TITLE, "children"),
        Output(ids.EVENTS_TITLE, "children"),
        Output(ids.SPEED, "options"),
        Output(ids.SPEED_LABEL, "children"),
        Output(ids.LOOP, "options"),
        Output(ids.STEP_BACK, "title"),
        Output(ids.STEP_FORWARD, "title"),
        Output(ids.CLEAR, "title"),
        Output(ids.NOTICE_CLOSE, "title"),
        Output(ids.SOURCE_CLOSE, "children"),
        Output(ids.SOURCE_DIALOG + "-title", "children"),
        Output(ids.BOUNDARY_NOTICE, "children"),
        Output(ids.PAGE, "lang"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,  # the layout is already in the default language
    )
    def switch(lang: str) -> tuple[Any, ...]:
        lang = "en" if lang == "en" else "zh"
        return chrome(lang, data.notices[lang])

    @app.callback(
        Output(ids.EXPORT_OPEN, "children"),
        Output(ids.EXPORT_OPEN, "title"),
        Output(ids.EXPORT_DIALOG + "-title", "children"),
        Output(ids.EXPORT_DIALOG + "-h-format", "children"),
        Output(ids.EXPORT_DIALOG + "-h-paper", "children"),
        Output(ids.EXPORT_DIALOG + "-h-dpi", "children"),
        Output(ids.EXPORT_DIALOG + "-h-lang", "children"),
        Output(ids.EXPORT_DIALOG + "-l-title", "children"),
        Output(ids.EXPORT_ORIENTATION, "options"),
        Output(ids.EXPORT_LANG, "value"),
        Output(ids.EXPORT_RUN, "children"),
        Output(ids.EXPORT_CANCEL, "children"),
        Output(ids.EXPORT_CLOSE, "children"),
        Output(ids.KIOSK_QR + "-caption", "children"),
        Input(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def switch_dialogs(lang: str) -> tuple[Any, ...]:
        lang = "en" if lang == "en" else "zh"
        return (
            t("export", lang),
            t("export.title", lang),
            t("export.title", lang),
            t("export.format", lang),
            t("export.paper", lang),
            t("export.dpi", lang),
            t("export.lang", lang),
            t("export.map_title", lang),
            [
                {"label": t("export.landscape", lang), "value": "landscape"},
                {"label": t("export.portrait", lang), "value": "portrait"},
            ],
            lang,  # exports default to the language on screen
            t("export.run", lang),
            t("export.cancel", lang),
            t("close", lang),
            t("kiosk.qr", lang),
        )
