"""The page markup. Behaviour lives in ``callbacks/``; text that depends on the language is
filled in by ``callbacks/chrome.py``, so nothing here is tied to one language but the defaults."""

from __future__ import annotations

from dash import dcc, html

import ids
from core.prepared import AppData
from core.themes import DEFAULT_THEME, THEMES, theme_frames
from geodata.load import Atlas
from layout.common import LANG, PLAY_SPEEDS, a11y_config, button
from layout.compare import compare_bar, compare_store, inset, map_a
from layout.controls import side_panel, story_marks, timeline_bar
from layout.dialogs import export_dialog, kiosk_elements, source_dialog
from layout.mapview import hideout, map_view
from layout.texts import building, client_texts, say
from panels.cards import cards
from panels.flowpanel import flow_panel
from panels.legend import legend
from panels.plain import plain_text
from panels.status import map_sentence
from panels.story import year_story
from routes import HEALTH_URL

__all__ = ["PLAY_SPEEDS", "hideout", "page"]


def page(atlas: Atlas, data: AppData, lang: str = LANG) -> html.Div:
    """The whole page in the default view (overview, newest year) in ``lang``."""
    with building(lang):
        return _page(atlas, data, lang)


def _page(atlas: Atlas, data: AppData, lang: str) -> html.Div:
    years, kiosk = data.years, {**data.kiosk.to_json(), "healthUrl": HEALTH_URL}
    theme = THEMES[DEFAULT_THEME]
    year = data.default_years[DEFAULT_THEME]
    kpis = cards(data.tables, theme.series, year, lang)
    events = year_story(data.tables, DEFAULT_THEME, year, lang)
    return html.Div(
        id=ids.PAGE,
        className="atlas-page",
        lang=say(ids.PAGE, "lang"),
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTED, data=None),
            dcc.Store(id=ids.LANG, data=lang),
            dcc.Store(id=ids.PLAYING, data=False),
            dcc.Store(id=ids.URL_SINK),
            dcc.Store(id=ids.SPEEDS, data=PLAY_SPEEDS),
            dcc.Store(id=ids.CLIENT_TEXT, data=client_texts()),
            dcc.Store(id=ids.STORY_YEARS, data=story_marks(data.story_years)),
            dcc.Store(id=ids.A11Y, data=a11y_config()),
            dcc.Store(id=ids.A11Y_SINK),
            dcc.Store(id=ids.USER_LAYERS, data=[]),
            dcc.Store(id=ids.USER_EVENT),
            dcc.Store(id=ids.USER_PICK),
            dcc.Store(id=ids.USER_SINK),
            compare_store(),
            dcc.Interval(id=ids.TICKER, interval=PLAY_SPEEDS["normal"], disabled=True),
            html.Header(
                className="atlas-header",
                children=[
                    html.Div(
                        [
                            html.H1(say(ids.TITLE), id=ids.TITLE),
                            html.P(say(ids.SUBTITLE), id=ids.SUBTITLE),
                        ],
                        className="atlas-titles",
                    ),
                    html.Span(say(ids.THEME_LABEL), id=ids.THEME_LABEL, className="atlas-sr-only"),
                    dcc.RadioItems(
                        id=ids.THEME,
                        options=say(ids.THEME, "options"),
                        value=DEFAULT_THEME,
                        inline=True,
                        className="atlas-pills atlas-themes",
                    ),
                    button(ids.EXPORT_OPEN, say(ids.EXPORT_OPEN), say(ids.EXPORT_OPEN, "title")),
                    button(ids.LANG_BUTTON, say(ids.LANG_BUTTON), say(ids.LANG_BUTTON, "title")),
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
                                            button(
                                                ids.NOTICE_CLOSE,
                                                "×",
                                                say(ids.NOTICE_CLOSE, "title"),
                                            ),
                                        ],
                                    ),
                                    map_view(atlas, year, theme_frames(data.tables)),
                                    *map_a(),
                                    inset(),
                                    html.Div(
                                        id=ids.LEGEND,
                                        className="atlas-legend",
                                        **{"data-plain": plain_text(legend(theme.layers, lang))},
                                    ),
                                    html.P(
                                        map_sentence(
                                            data.tables,
                                            DEFAULT_THEME,
                                            year,
                                            theme.layers,
                                            None,
                                            lang,
                                        ),
                                        id=ids.MAP_STATUS,
                                        className="atlas-sr-only",
                                        role="status",
                                        **{"aria-live": "polite", "aria-atomic": "true"},
                                    ),
                                    html.P(
                                        say(ids.BOUNDARY_NOTICE, notices=data.notices),
                                        id=ids.BOUNDARY_NOTICE,
                                        className="atlas-notice",
                                    ),
                                ],
                            ),
                            timeline_bar(years, year, data.story_years[DEFAULT_THEME]),
                            compare_bar(years, data.story_years[DEFAULT_THEME]),
                        ],
                    ),
                    side_panel(
                        kpis,
                        events,
                        data.layers.limits.max_bytes,
                        flow_panel(data.tables, year, list(theme.layers), lang),
                    ),
                ],
            ),
            *kiosk_elements(kiosk),
            export_dialog(),
            source_dialog(),
        ],
    )
