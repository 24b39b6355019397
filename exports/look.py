"""Screen colours as exports apply them; every colour, width and dash comes from ``layers.style``,
which the browser reads through each layer's ``hideout``."""

from __future__ import annotations

from layers import style


def colour(layer: str, status: str | None) -> str:
    """``lineStyle`` / ``placeMarker``: the theme's colour, grey once closed."""
    return style.CLOSED_COLOUR if status == "closed" else style.THEME_COLOURS[layer]
