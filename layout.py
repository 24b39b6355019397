"""The page: header, map and details panel. Markup only; behaviour lives in ``callbacks/``."""

from __future__ import annotations

import dash_leaflet as dl
from dash import html

import ids
from geodata.load import Atlas
from layers.basemap import boundaries_layer
from layers.geojson import to_geobuf
from layers.places import places_layer

DEFAULT_CENTER = (39.35, 116.35)
DEFAULT_ZOOM = 8
LANG = "zh"


def _js(name: str) -> dict[str, str]:
    """A reference to a function in ``assets/atlas.js`` (window.atlas.map.<name>)."""
    return {"variable": f"atlas.map.{name}"}


def map_view(atlas: Atlas) -> dl.MapContainer:
    return dl.MapContainer(
        id=ids.MAP,
        center=DEFAULT_CENTER,
        zoom=DEFAULT_ZOOM,
        minZoom=6,
        maxZoom=14,
        className="atlas-map",
        children=[
            dl.GeoJSON(
                id=ids.BOUNDARIES,
                data=to_geobuf(boundaries_layer(atlas.table("boundaries"), LANG)),
                format="geobuf",
                style=_js("boundaryStyle"),
                onEachFeature=_js("boundaryLabel"),
                interactive=False,
            ),
            dl.Pane(
                dl.GeoJSON(
                    id=ids.PLACES,
                    data=places_layer(atlas.table("places"), LANG),
                    pointToLayer=_js("placeMarker"),
                    onEachFeature=_js("placeTooltip"),
                ),
                name="places",
                style={"zIndex": 650},
            ),
            dl.ScaleControl(position="bottomleft", imperial=False),
        ],
    )


def page(atlas: Atlas) -> html.Div:
    meta = atlas.metadata()
    return html.Div(
        className="atlas-page",
        children=[
            html.Header(
                className="atlas-header",
                children=[html.H1(meta["title_zh"], id=ids.TITLE)],
            ),
            html.Main(
                className="atlas-main",
                children=[
                    html.Div(
                        className="atlas-map-wrap",
                        children=[
                            map_view(atlas),
                            html.P(meta["boundary_notice_zh"], className="atlas-notice"),
                        ],
                    ),
                    html.Aside(
                        id=ids.DETAILS,
                        className="atlas-details",
                        children=html.P("点击地图上的地点查看其来源与状态。"),
                        **{"aria-live": "polite"},
                    ),
                ],
            ),
        ],
    )
