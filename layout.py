"""The page markup. Behaviour lives in ``callbacks/``; text that depends on the language is
filled in by ``callbacks/chrome.py``, so nothing here is tied to one language but the defaults."""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import dcc, html

import ids
from geodata.load import Atlas
from i18n import t
from layers import style
from layers.basemap import boundaries_layer
from layers.features import flows_layer, lines_layer, places_layer
from layers.geojson import to_geobuf
from layers.themes import DEFAULT_THEME, LAYER_KEYS, THEMES

LANG = "zh"
PLAY_SPEEDS = {"slow": 2000, "normal": 1200, "fast": 600}  # milliseconds per year


def _js(name: str) -> dict[str, str]:
    """A reference to a function in ``assets/atlas.js`` (window.atlas.map.<name>)."""
    return {"variable": f"atlas.map.{name}"}


def hideout(year: int, layers: tuple[str, ...], selected: str | None, lang: str) -> dict[str, Any]:
    return {
        "year": year,
        "layers": list(layers),
        "selected": selected,
        "lang": lang,
        **style.hideout_style(),
    }


def _feature_layer(
    component_id: str, data: dict[str, Any], pane: str, z: int, h: dict[str, Any], **kw: Any
) -> dl.Pane:
    return dl.Pane(
        dl.GeoJSON(
            id=component_id,
            data=data,
            hideout=h,
            filter=_js("visible"),
            bubblingMouseEvents=False,
            **kw,
        ),
        name=pane,
        style={"zIndex": z},
    )


def map_view(atlas: Atlas, year: int) -> dl.MapContainer:
    theme = THEMES[DEFAULT_THEME]
    h = hideout(year, theme.layers, None, LANG)
    places, status = atlas.table("places"), atlas.table("status")
    return dl.MapContainer(
        id=ids.MAP,
        center=theme.center,
        zoom=theme.zoom,
        minZoom=6,
        maxZoom=15,
        className="atlas-map",
        keyboard=True,
        children=[
            dl.GeoJSON(
                id=ids.BOUNDARIES,
                data=to_geobuf(boundaries_layer(atlas.table("boundaries"))),
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
                onEachFeature=_js("featureTooltip"),
            ),
            _feature_layer(
                ids.FLOWS,
                flows_layer(atlas.table("flows"), places),
                "flows",
                630,
                h,
                style=_js("flowStyle"),
                onEachFeature=_js("featureTooltip"),
            ),
            _feature_layer(
                ids.PLACES,
                places_layer(places, status),
                "places",
                650,
                h,
                pointToLayer=_js("placeMarker"),
                onEachFeature=_js("featureTooltip"),
            ),
            dl.ScaleControl(position="bottomleft", imperial=False),
        ],
    )


def _button(component_id: str, text: str, label: str, **kw: Any) -> html.Button:
    return html.Button(
        text,
        id=component_id,
        title=label,
        className="atlas-button",
        n_clicks=0,
        **{"aria-label": label},
        **kw,
    )


def timeline_bar(years: tuple[int, int]) -> html.Div:
    first, last = years
    return html.Div(
        className="atlas-timeline",
        children=[
            _button(ids.STEP_BACK, "◀", t("step_back", LANG)),
            _button(ids.PLAY, "▶", t("play", LANG)),
            _button(ids.STEP_FORWARD, "▶|", t("step_forward", LANG)),
            html.Div(
                dcc.Slider(
                    id=ids.YEAR,
                    min=first,
                    max=last,
                    step=1,
                    value=last,
                    marks={y: {"label": str(y)} for y in range(first, last + 1)},
                    included=True,
                    updatemode="drag",
                    allow_direct_input=False,
                ),
                className="atlas-slider",
            ),
            html.Output(
                str(last),
                id=ids.YEAR_LABEL,
                className="atlas-year-label",
                **{"aria-live": "polite"},
            ),
            html.Span(t("speed", LANG), id=ids.SPEED_LABEL, className="atlas-control-label"),
            dcc.RadioItems(
                id=ids.SPEED,
                options=[{"label": t(f"speed.{k}", LANG), "value": k} for k in PLAY_SPEEDS],
                value="normal",
                inline=True,
                className="atlas-pills atlas-speed",
            ),
            dcc.Checklist(
                id=ids.LOOP,
                options=[{"label": t("loop", LANG), "value": "loop"}],
                value=["loop"],
                className="atlas-pills atlas-loop",
            ),
        ],
    )


def side_panel(atlas: Atlas) -> html.Aside:
    return html.Aside(
        className="atlas-side",
        children=[
            html.H2(t("layers", LANG), id=ids.LAYERS_LABEL, className="atlas-side-title"),
            dcc.Checklist(
                id=ids.LAYERS,
                options=[{"label": t(f"theme.{k}", LANG), "value": k} for k in LAYER_KEYS],
                value=list(THEMES[DEFAULT_THEME].layers),
                className="atlas-pills atlas-layer-list",
            ),
            html.Div(
                id=ids.DETAILS,
                className="atlas-details",
                hidden=True,
                **{"aria-live": "polite"},
            ),
            _button(ids.CLEAR, "×", t("back_to_overview", LANG), hidden=True),
            html.Section(
                id=ids.OVERVIEW,
                className="atlas-overview",
                children=[
                    html.H2(t("indicators", LANG), id=ids.KPIS_TITLE, className="atlas-side-title"),
                    html.Div(id=ids.KPIS, className="atlas-cards"),
                    html.H2(t("events", LANG), id=ids.EVENTS_TITLE, className="atlas-side-title"),
                    html.Ul(id=ids.EVENTS, className="atlas-events"),
                ],
            ),
        ],
    )


def kiosk_elements(config: dict[str, Any]) -> list[Any]:
    """Kiosk-only parts, hidden unless the page runs with ?kiosk=1 (assets/kiosk.js)."""
    return [
        dcc.Store(id=ids.KIOSK_CONFIG, data=config),
        dcc.Store(id=ids.KIOSK_SCENE, data=None),
        dcc.Store(id=ids.KIOSK_SINK),
        html.Section(
            id=ids.KIOSK_PANEL,
            className="atlas-kiosk-panel",
            **{"aria-live": "polite"},
            children=[
                html.Div(
                    html.Div(id=ids.KIOSK_BAR, className="atlas-kiosk-bar"),
                    className="atlas-kiosk-track",
                ),
                html.Div(id=ids.KIOSK_DOTS, className="atlas-kiosk-dots"),
                html.H2(id=ids.KIOSK_TITLE, className="atlas-kiosk-title"),
                html.P(id=ids.KIOSK_CAPTION, className="atlas-kiosk-caption"),
                html.Div(id=ids.KIOSK_CARDS, className="atlas-cards atlas-kiosk-cards"),
                html.Figure(
                    [
                        html.Img(id=ids.KIOSK_QR, alt=""),
                        html.Figcaption(t("kiosk.qr", LANG), id=ids.KIOSK_QR + "-caption"),
                    ],
                    className="atlas-kiosk-share",
                    hidden=not config["share"],
                ),
            ],
        ),
        html.Div(
            id=ids.KIOSK_EXPLORE,
            className="atlas-kiosk-explore",
            hidden=True,
            children=[
                html.Span(t("kiosk.exploring", LANG), id=ids.KIOSK_EXPLORE_TEXT),
                _button(ids.KIOSK_RESUME, t("kiosk.resume", LANG), t("kiosk.resume", LANG)),
            ],
        ),
        html.Div(
            id=ids.RECONNECT,
            className="atlas-reconnect",
            role="status",
            hidden=True,
            children=html.P(t("reconnecting", LANG), id=ids.RECONNECT_TEXT),
        ),
    ]


def page(atlas: Atlas, years: tuple[int, int], kiosk: dict[str, Any]) -> html.Div:
    meta = atlas.metadata()
    return html.Div(
        id=ids.PAGE,
        className="atlas-page",
        lang="zh-CN",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTED, data=None),
            dcc.Store(id=ids.LANG, data=LANG),
            dcc.Store(id=ids.PLAYING, data=False),
            dcc.Store(id=ids.URL_SINK),
            dcc.Store(id=ids.SPEEDS, data=PLAY_SPEEDS),
            dcc.Interval(id=ids.TICKER, interval=PLAY_SPEEDS["normal"], disabled=True),
            html.Header(
                className="atlas-header",
                children=[
                    html.Div(
                        [
                            html.H1(t("title", LANG), id=ids.TITLE),
                            html.P(t("subtitle", LANG), id=ids.SUBTITLE),
                        ],
                        className="atlas-titles",
                    ),
                    dcc.RadioItems(
                        id=ids.THEME,
                        options=[{"label": t(f"theme.{k}", LANG), "value": k} for k in THEMES],
                        value=DEFAULT_THEME,
                        inline=True,
                        className="atlas-pills atlas-themes",
                    ),
                    _button(ids.LANG_BUTTON, t("language", LANG), t("language.label", LANG)),
                ],
            ),
            html.Main(
                className="atlas-main",
                children=[
                    html.Div(
                        className="atlas-map-column",
                        children=[
                            html.Div(
                                className="atlas-map-wrap",
                                children=[
                                    html.Div(
                                        id=ids.NOTICE,
                                        className="atlas-notice-banner",
                                        role="status",
                                        hidden=True,
                                        children=[
                                            html.Span(id=ids.NOTICE_TEXT),
                                            _button(ids.NOTICE_CLOSE, "×", t("notice.close", LANG)),
                                        ],
                                    ),
                                    map_view(atlas, years[1]),
                                    html.Div(id=ids.LEGEND, className="atlas-legend"),
                                    html.P(
                                        meta["boundary_notice_zh"],
                                        id=ids.BOUNDARY_NOTICE,
                                        className="atlas-notice",
                                    ),
                                ],
                            ),
                            timeline_bar(years),
                        ],
                    ),
                    side_panel(atlas),
                ],
            ),
            *kiosk_elements(kiosk),
            html.Div(
                id=ids.SOURCE_DIALOG,
                className="atlas-dialog",
                role="dialog",
                hidden=True,
                **{"aria-modal": "true", "aria-labelledby": ids.SOURCE_DIALOG + "-title"},
                children=html.Div(
                    className="atlas-dialog-box",
                    children=[
                        html.H2(t("source_details", LANG), id=ids.SOURCE_DIALOG + "-title"),
                        html.Div(id=ids.SOURCE_BODY),
                        _button(ids.SOURCE_CLOSE, t("close", LANG), t("close", LANG)),
                    ],
                ),
            ),
        ],
    )
