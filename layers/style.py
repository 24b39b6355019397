"""One source of colours, widths and dash patterns for the screen (via ``hideout``) and exports.

Theme colours are the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness.
"""

from __future__ import annotations

from typing import Any

THEME_COLOURS = {
    "hubs": "#0072B2",
    "relocation": "#D55E00",
    "corridor": "#009E73",
    "synergy": "#CC79A7",
    "services": "#E69F00",
}
CLOSED_COLOUR = "#6E6E6E"
FENGTAI_FILL = "#F4A582"
FENGTAI_EDGE = "#B2182B"
BOUNDARY_FILL = "#F5F3EE"
BOUNDARY_EDGE = "#9E9E9E"
PROVINCE_EDGE = "#4A4A4A"
XIONGAN_EDGE = "#7A3E9D"
WATER = "#DFE8EF"

# Leaflet dashArray strings (also parsed for matplotlib in exports).
STATUS_DASH = {"planned": "8 6", "under_construction": "2 5", "open": "", "closed": "1 4"}
LINE_WIDTH = {"intercity_rail": 4, "high_speed_rail": 4, "conventional_rail": 3}
LINE_WIDTH_DEFAULT = 4
FLOW_MIN_WIDTH = 2.0
FLOW_MAX_WIDTH = 14.0
PLACE_RADIUS = 8
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


def flow_width(value: float | None, max_value: float) -> float:
    """Stroke width in pixels, proportional to ``value``; the minimum when there is no count."""
    if value is None or value != value or max_value <= 0:  # None or NaN
        return FLOW_MIN_WIDTH
    share = max(0.0, min(1.0, value / max_value))
    return FLOW_MIN_WIDTH + share * (FLOW_MAX_WIDTH - FLOW_MIN_WIDTH)


def hideout_style() -> dict[str, Any]:
    """The style part of every GeoJSON layer's ``hideout``, read by ``assets/atlas.js``."""
    return {
        "colours": THEME_COLOURS,
        "closed": CLOSED_COLOUR,
        "dash": STATUS_DASH,
        "radius": PLACE_RADIUS,
        "fengtai": {"fill": FENGTAI_FILL, "edge": FENGTAI_EDGE},
        "boundary": {"fill": BOUNDARY_FILL, "edge": BOUNDARY_EDGE, "province": PROVINCE_EDGE},
        "xiongan": XIONGAN_EDGE,
        "xionganDash": XIONGAN_DASH,
        "placeFill": PLACE_FILL_OPACITY,
        "edges": {"exact": EXACT_EDGE, "estimate": ESTIMATE_EDGE, "selected": SELECTED_EDGE},
        "estimateDash": ESTIMATE_DASH,
        "uncountedDash": FLOW_UNCOUNTED_DASH,
        "opacity": {
            "line": LINE_OPACITY,
            "flow": FLOW_OPACITY,
            "head": HEAD_OPACITY,
            "fengtai": FENGTAI_FILL_OPACITY,
        },
    }
