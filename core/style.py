"""The one style specification: colours, widths, dashes and status symbols for the screen, the
page exports and the standalone HTML, and the rules that turn a feature into its style.

The browser gets :data:`SPEC` once, inside each map layer's ``hideout``; ``assets/atlas.js``
applies the same rules (``boundaryStyle``, ``lineStyle``, ``flowStyle``, ``placeMarker``) reading
every number from it, and ``tests/unit/test_parity.py`` proves the two agree for every feature,
year, theme and selection. Page exports convert the same Leaflet path options to matplotlib.

Theme colours are the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness.
"""

from __future__ import annotations

import re
from typing import Any

from core.timeline import attested_at, status_at

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
NEUTRAL = "#333333"  # legend swatches that stand for "any theme"
FLOW_NEUTRAL = "#555555"
INK = "#1A1A1A"  # printed text, scale bar and north arrow
MUTED_INK = "#555555"  # printed subtitle, sources and dates
PAPER = "#FFFFFF"

# Leaflet dashArray strings (also parsed for matplotlib in exports).
STATUS_DASH = {"planned": "8 6", "under_construction": "2 5", "open": "", "closed": "1 4"}
LINE_WIDTH = {"intercity_rail": 4, "high_speed_rail": 4, "conventional_rail": 3, "expressway": 7}
LINE_WIDTH_DEFAULT = 4
LINE_SELECTED_EXTRA = 4
# Rail and road differ in symbol, not only in name: a second, white stroke is drawn on the line.
# A railway is one line with white ticks along its middle ("railway" casing), drawn while the line
# itself is solid so a status dash stays readable; a road is a wider double line (a white core
# between two coloured edges), dashed like its status, with square ends so the dashes stay apart.
ROAD_KINDS = ("expressway",)
RAIL_TICKS = {"weight": 1.5, "dashArray": "5 5"}
ROAD_CORE_WEIGHT = 3
ROAD_CAP = "butt"
FLOW_MIN_WIDTH = 2.0
FLOW_MAX_WIDTH = 14.0
FLOW_SELECTED_EXTRA = 3
PLACE_RADIUS = 8
PLACE_SELECTED_EXTRA = 4
PLACE_WEIGHT = 2
PLACE_SELECTED_WEIGHT = 4
ATTESTED_LINE_OPACITY = 0.5  # a line known to be in its status by then, not since then
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
BOUNDARY_WEIGHT = {"unit": 1, "unit_selected": 3, "fengtai": 3, "fengtai_selected": 4}
OUTLINE_WEIGHT = 2  # provinces and the Xiong'an outline

# Everything above that the browser needs, serialised once into the page.
SPEC: dict[str, Any] = {
    "colours": THEME_COLOURS,
    "closed": CLOSED_COLOUR,
    "dash": STATUS_DASH,
    "boundary": {
        "fill": BOUNDARY_FILL,
        "edge": BOUNDARY_EDGE,
        "province": PROVINCE_EDGE,
        "selected": SELECTED_EDGE,
        "weight": BOUNDARY_WEIGHT,
        "outline": OUTLINE_WEIGHT,
    },
    "fengtai": {"fill": FENGTAI_FILL, "edge": FENGTAI_EDGE, "opacity": FENGTAI_FILL_OPACITY},
    "xiongan": {"edge": XIONGAN_EDGE, "dash": XIONGAN_DASH},
    "line": {
        "opacity": LINE_OPACITY,
        "attestedOpacity": ATTESTED_LINE_OPACITY,
        "selectedExtra": LINE_SELECTED_EXTRA,
        "roads": list(ROAD_KINDS),
        "railTicks": RAIL_TICKS,
        "roadCore": ROAD_CORE_WEIGHT,
        "roadCap": ROAD_CAP,
        "inner": PAPER,
    },
    "flow": {
        "opacity": FLOW_OPACITY,
        "headOpacity": HEAD_OPACITY,
        "minWidth": FLOW_MIN_WIDTH,
        "selectedExtra": FLOW_SELECTED_EXTRA,
        "uncountedDash": FLOW_UNCOUNTED_DASH,
    },
    "place": {
        "radius": PLACE_RADIUS,
        "selectedExtra": PLACE_SELECTED_EXTRA,
        "weight": PLACE_WEIGHT,
        "selectedWeight": PLACE_SELECTED_WEIGHT,
        "fill": PLACE_FILL_OPACITY,
        "edges": {"exact": EXACT_EDGE, "estimate": ESTIMATE_EDGE, "selected": SELECTED_EDGE},
        "estimateDash": ESTIMATE_DASH,
        "attestedFill": PAPER,
    },
}


def colour(layer: str, status: str | None) -> str:
    """A feature's colour: its theme's, grey once closed."""
    return CLOSED_COLOUR if status == "closed" else THEME_COLOURS[layer]


def flow_width(value: float | None, max_value: float) -> float:
    """Stroke width in pixels, proportional to ``value``; the minimum when there is no count."""
    if value is None or value != value or max_value <= 0:  # None or NaN
        return FLOW_MIN_WIDTH
    share = max(0.0, min(1.0, value / max_value))
    return FLOW_MIN_WIDTH + share * (FLOW_MAX_WIDTH - FLOW_MIN_WIDTH)


def _status_class(status: str | None) -> str:
    return f"atlas-status-{'null' if status is None else status}"  # as JS prints it


def safe_id(feature_id: object) -> str:
    """An id usable in a CSS class name (``safe`` in assets/atlas.js)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(feature_id))


# The rules. Each takes a feature's GeoJSON properties (as ``layers.features`` writes them) and
# returns Leaflet path options; ``assets/atlas.js`` has the twin of each.


def boundary_style(props: dict[str, Any], selected: str | None) -> dict[str, Any]:
    """Units filled, Fengtai emphasised, Xiong'an dashed, provinces as outlines."""
    chosen = selected is not None and props.get("id") == selected
    weight = BOUNDARY_WEIGHT
    if props.get("level") == "province":
        return {"color": PROVINCE_EDGE, "weight": OUTLINE_WEIGHT, "fill": False}
    if props.get("level") == "new_area":
        return {
            "color": XIONGAN_EDGE,
            "weight": OUTLINE_WEIGHT,
            "dashArray": XIONGAN_DASH,
            "fill": False,
        }
    if props.get("focus"):
        return {
            "color": FENGTAI_EDGE,
            "weight": weight["fengtai_selected" if chosen else "fengtai"],
            "fillColor": FENGTAI_FILL,
            "fillOpacity": FENGTAI_FILL_OPACITY,
        }
    return {
        "color": SELECTED_EDGE if chosen else BOUNDARY_EDGE,
        "weight": weight["unit_selected" if chosen else "unit"],
        "fillColor": BOUNDARY_FILL,
        "fillOpacity": 1,
    }


def line_style(props: dict[str, Any], year: int, selected: str | None) -> dict[str, Any]:
    """Theme colour (grey when closed), dash by status, wider when selected; ``inner`` is the
    white second stroke that tells rail (ticks on a solid line) from road (a double line)."""
    status = status_at(props.get("tl"), year)
    attested = attested_at(props.get("tl"), props.get("att"), year)
    opacity = ATTESTED_LINE_OPACITY if attested else LINE_OPACITY
    dash = STATUS_DASH.get(str(status)) or None
    options: dict[str, Any] = {
        "color": colour(props["layer"], status),
        "weight": props["width"] + (LINE_SELECTED_EXTRA if props["id"] == selected else 0),
        "opacity": opacity,
        "dashArray": dash,
        "className": f"atlas-line atlas-line-{safe_id(props['id'])} {_status_class(status)}",
    }
    if props.get("kind") in ROAD_KINDS:
        options["lineCap"] = ROAD_CAP
        options["inner"] = {
            "color": PAPER,
            "weight": ROAD_CORE_WEIGHT,
            "opacity": opacity,
            "dashArray": dash,
            "lineCap": ROAD_CAP,
        }
    elif dash is None:
        options["inner"] = {
            "color": PAPER,
            "weight": RAIL_TICKS["weight"],
            "opacity": opacity,
            "dashArray": RAIL_TICKS["dashArray"],
            "lineCap": "butt",
        }
    else:
        options["inner"] = None
    return options


def _count(props: dict[str, Any]) -> float | None:
    value = props.get("value")
    return None if value is None or value != value else value  # NaN (pandas) is no count


def flow_counted(props: dict[str, Any], year: int) -> bool:
    """A flow's width shows its count only once the count's year has come."""
    return _count(props) is not None and props["value_year"] <= year


def flow_style(props: dict[str, Any], year: int, selected: str | None) -> dict[str, Any]:
    """Arcs with width ∝ counted value, dashed before the count's year; filled arrowheads."""
    fill = THEME_COLOURS[props["layer"]]
    cls = f"atlas-flow atlas-flow-{safe_id(props['id'])} atlas-flow-{props['part']}"
    if props["part"] == "head":
        return {"stroke": False, "fillColor": fill, "fillOpacity": HEAD_OPACITY, "className": cls}
    counted = flow_counted(props, year)
    width = props["width"] if counted else FLOW_MIN_WIDTH
    return {
        "color": fill,
        "weight": width + (FLOW_SELECTED_EXTRA if props["id"] == selected else 0),
        "opacity": FLOW_OPACITY,
        "lineCap": "round",
        "fill": False,
        "className": cls,
        "dashArray": None if counted or _count(props) is None else FLOW_UNCOUNTED_DASH,
    }


def place_style(props: dict[str, Any], year: int, selected: str | None) -> dict[str, Any]:
    """Fill by theme and status; white ring if exact, dashed dark ring if estimated; hollow (a
    ring of the theme's colour) while its status rests on a date that only attests it."""
    status = status_at(props.get("tl"), year)
    attested = attested_at(props.get("tl"), props.get("att"), year)
    chosen = props["id"] == selected
    exact = props.get("location_accuracy") == "exact"
    edge = SELECTED_EDGE if chosen else (EXACT_EDGE if exact else ESTIMATE_EDGE)
    if attested and not chosen:
        edge = colour(props["layer"], status)
    return {
        "pane": "places",
        "className": f"atlas-place atlas-place-{safe_id(props['id'])} {_status_class(status)}",
        "radius": PLACE_RADIUS + (PLACE_SELECTED_EXTRA if chosen else 0),
        "weight": PLACE_SELECTED_WEIGHT if chosen else PLACE_WEIGHT,
        "color": edge,
        "dashArray": None if exact else ESTIMATE_DASH,
        "fillColor": PAPER if attested else colour(props["layer"], status),
        "fillOpacity": PLACE_FILL_OPACITY["open"]
        if attested
        else PLACE_FILL_OPACITY.get(str(status)) or PLACE_FILL_OPACITY["open"],
    }
