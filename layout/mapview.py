"""The map: vector basemap and the feature layers, styled in the browser. The story layers'
``hideout`` is the style specification and the first view; later views are applied to the
features in place (``assets/views.js``); the basemap's ``hideout`` follows selection and language.

The map is one Tab stop for keyboards (``assets/mapnav.js`` names it, takes its feature
elements out of the Tab order and steps through the features with the arrow keys); what it
needs rides inside the map: its words and views (a store), the key hint its description points
to, and the live region that announces the feature the keyboard is on."""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import dcc, html

import ids
from core import style
from core.text import t
from core.themes import DEFAULT_THEME, THEMES
from geodata.load import Atlas
from layers.features import flows_layer, lines_layer, places_layer
from layout.texts import page_lang
from panels.status import keyboard_config
from routes import BASEMAP_URL


def _js(name: str) -> dict[str, str]:
    """A reference to a function in ``assets/atlas.js`` (window.atlas.map.<name>)."""
    return {"variable": f"atlas.map.{name}"}


def hideout(year: int, layers: tuple[str, ...], selected: str | None, lang: str) -> dict[str, Any]:
    return {
        "year": year,
        "layers": list(layers),
        "selected": selected,
        "lang": lang,
        "style": style.SPEC,
    }


def _feature_layer(
    component_id: str, data: dict[str, Any], pane: str, z: int, h: dict[str, Any], **kw: Any
) -> dl.Pane:
    return dl.Pane(
        dl.GeoJSON(
            id=component_id,
            data=data,
            hideout=h,
            bubblingMouseEvents=False,
            **kw,
        ),
        name=pane,
        style={"zIndex": z},
    )


def map_view(atlas: Atlas, year: int, frames: Any = None) -> dl.MapContainer:
    theme = THEMES[DEFAULT_THEME]
    lang = page_lang()
    h = hideout(year, theme.layers, None, lang)
    places, status = atlas.table("places"), atlas.table("status")
    return dl.MapContainer(
        id=ids.MAP,
        center=theme.center,
        zoom=theme.zoom,
        minZoom=6,
        maxZoom=15,
        className="atlas-map",
        keyboard=True,  # Leaflet's keys: + and − zoom, Shift+arrows pan (mapnav.js takes arrows)
        children=[
            dcc.Store(id=ids.MAP_KEYS, data=keyboard_config(frames)),
            html.P(t("map.keys", lang), id=ids.MAP_HINT, className="atlas-sr-only"),
            html.P(
                id=ids.MAP_FOCUS,
                className="atlas-sr-only",
                **{"aria-live": "assertive", "aria-atomic": "true"},
            ),
            dl.GeoJSON(
                id=ids.BOUNDARIES,
                url=BASEMAP_URL,  # fetched in parallel with the page, cached by the browser
                format="geobuf",
                hideout=h,
                style=_js("boundaryStyle"),
                onEachFeature=_js("boundaryLabel"),
                bubblingMouseEvents=False,
            ),
            _feature_layer(
                ids.LINES,
                lines_layer(atlas.table("lines"), status),
                "lines",
                620,
                h,
                style=_js("lineStyle"),
                onEachFeature=_js("lineFeature"),
            ),
            _feature_layer(
                ids.FLOWS,
                flows_layer(atlas.table("flows"), places),
                "flows",
                630,
                h,
                style=_js("flowStyle"),
                onEachFeature=_js("flowFeature"),
            ),
            _feature_layer(
                ids.PLACES,
                places_layer(places, status),
                "places",
                650,
                h,
                pointToLayer=_js("placeMarker"),
                onEachFeature=_js("placeFeature"),
            ),
            dl.ScaleControl(position="bottomleft", imperial=False),
        ],
    )
