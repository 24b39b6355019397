"""Shared pieces of the page markup: the default language, buttons, radio pills."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

import ids

LANG = "zh"
PLAY_SPEEDS = {"slow": 2000, "normal": 1200, "fast": 600}  # milliseconds per year


def button(component_id: str, text: str, label: str, **kw: Any) -> html.Button:
    """A button whose visible ``text`` is its name; ``label`` is its tooltip. An icon button
    (◀ ▶ ×) is named by ``label`` instead (``aria-label``), switched with the language."""
    icon = not any(ch.isalnum() for ch in text)
    return html.Button(
        text,
        id=component_id,
        title=label,
        className="atlas-button",
        n_clicks=0,
        **({"aria-label": label} if icon else {}),
        **kw,
    )


# Which visible heading or hidden label names each option list, and the year slider
# (assets/a11y.js turns Dash's lists into named radio groups and groups).
GROUP_LABELS = {
    ids.THEME: ids.THEME_LABEL,
    ids.LAYERS: ids.LAYERS_LABEL,
    ids.SPEED: ids.SPEED_LABEL,
    ids.COMPARE_MODE: ids.COMPARE_LABEL,
    ids.EXPORT_FORMAT: ids.EXPORT_H_FORMAT,
    ids.EXPORT_PAPER: ids.EXPORT_H_PAPER,
    ids.EXPORT_ORIENTATION: ids.EXPORT_H_PAPER,
    ids.EXPORT_DPI: ids.EXPORT_H_DPI,
    ids.EXPORT_LANG: ids.EXPORT_H_LANG,
}


def a11y_config() -> dict[str, Any]:
    return {
        "groups": GROUP_LABELS,
        "sliders": [
            {"id": ids.YEAR, "label": ids.YEAR_NAME},
            {"id": ids.YEAR_A, "label": ids.YEAR_A_NAME},
        ],
        "fallback": ids.KPIS,
    }


def radio(
    component_id: str, options: list[tuple[str, str]] | list[dict[str, str]], value: str
) -> dcc.RadioItems:
    """Radio pills; ``options`` as (value, label) pairs or as Dash option dicts."""
    return dcc.RadioItems(
        id=component_id,
        options=[o if isinstance(o, dict) else {"label": o[1], "value": o[0]} for o in options],
        value=value,
        inline=True,
        className="atlas-pills",
    )
