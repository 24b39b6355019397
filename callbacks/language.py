"""Every piece of UI text switches language together, from the one table in layout/texts.py."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output
from dash.exceptions import PreventUpdate

import ids
from core.inputs import as_lang
from core.prepared import AppData
from layout.texts import TEXTS, all_texts


def register(app: Dash, data: AppData) -> None:
    @app.callback(
        output={text.key: Output(text.component_id, text.prop) for text in TEXTS},
        inputs={"lang": Input(ids.LANG, "data")},
        prevent_initial_call=True,  # the layout is already in the default language
    )
    def switch(lang: Any) -> dict[str, Any]:
        chosen = as_lang(lang)
        if chosen is None:
            raise PreventUpdate
        return all_texts(chosen, data.notices)
