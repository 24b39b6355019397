"""Shared pieces of the page markup: the default language, buttons, radio pills."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

LANG = "zh"
PLAY_SPEEDS = {"slow": 2000, "normal": 1200, "fast": 600}  # milliseconds per year


def button(component_id: str, text: str, label: str, **kw: Any) -> html.Button:
    return html.Button(
        text,
        id=component_id,
        title=label,
        className="atlas-button",
        n_clicks=0,
        **{"aria-label": label},
        **kw,
    )


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
