"""Screen styles that live in ``assets/atlas.js`` rather than ``layers/style.py``, for exports.

Keep these equal to the numbers in atlas.js (placeMarker, flowStyle, boundaryStyle); colours,
widths and status dashes come from ``layers.style`` directly.
"""

from __future__ import annotations

from layers import style

PLACE_FILL_OPACITY = {"planned": 0.15, "under_construction": 0.5, "closed": 0.8, "open": 0.95}
ESTIMATE_DASH = "2 3"  # the ring of a place whose location is not exact
EXACT_EDGE = "#FFFFFF"
ESTIMATE_EDGE = "#222222"
SELECTED_EDGE = "#000000"
FLOW_UNCOUNTED_DASH = "6 6"  # a flow whose count belongs to a later year
XIONGAN_DASH = "8 6"
LINE_OPACITY = 0.9
FLOW_OPACITY = 0.8
HEAD_OPACITY = 0.95
FENGTAI_FILL_OPACITY = 0.6


def colour(layer: str, status: str | None) -> str:
    """``lineStyle`` / ``placeMarker``: the theme's colour, grey once closed."""
    return style.CLOSED_COLOUR if status == "closed" else style.THEME_COLOURS[layer]
