"""Screen styles as the exports use them; every number comes from ``layers.style``, which the
browser reads through each layer's ``hideout``."""

from __future__ import annotations

from layers import style

# One source for screen and export: these live in layers.style and reach atlas.js via hideout.
PLACE_FILL_OPACITY = style.PLACE_FILL_OPACITY
ESTIMATE_DASH = style.ESTIMATE_DASH
EXACT_EDGE = style.EXACT_EDGE
ESTIMATE_EDGE = style.ESTIMATE_EDGE
SELECTED_EDGE = style.SELECTED_EDGE
FLOW_UNCOUNTED_DASH = style.FLOW_UNCOUNTED_DASH
XIONGAN_DASH = style.XIONGAN_DASH
LINE_OPACITY = style.LINE_OPACITY
FLOW_OPACITY = style.FLOW_OPACITY
HEAD_OPACITY = style.HEAD_OPACITY
FENGTAI_FILL_OPACITY = style.FENGTAI_FILL_OPACITY


def colour(layer: str, status: str | None) -> str:
    """``lineStyle`` / ``placeMarker``: the theme's colour, grey once closed."""
    return style.CLOSED_COLOUR if status == "closed" else style.THEME_COLOURS[layer]
