"""The timeline bar and the side panel (layers, selection details, cards, events)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

import ids
from core.text import t
from core.themes import DEFAULT_THEME, THEMES
from layout.common import button
from layout.compare import changes_section
from layout.texts import page_lang, say
from panels.plain import plain_text
from panels.shown import fingerprint as shown


def year_marks(years: tuple[int, int], story: tuple[int, ...]) -> dict[int, dict[str, Any]]:
    """Slider marks: the years with recorded changes stand out (dark, underlined), so a
    planner sees where the story is before dragging. Twin of ``atlas.storyMarks``."""
    first, last = years
    return {
        y: {"label": str(y), "style": MARK_STORY if y in story else MARK_QUIET}
        for y in range(first, last + 1)
    }


MARK_STORY = {
    "color": "#1f3b57",
    "textDecoration": "underline",
    "textDecorationThickness": "3px",
    "textUnderlineOffset": "4px",
}
MARK_QUIET = {"color": "#5b6573"}


def story_marks(story_years: dict[str, tuple[int, ...]]) -> dict[str, Any]:
    """What the browser needs to mark a theme's years (``atlas.storyMarks``)."""
    return {"years": story_years, "story": MARK_STORY, "quiet": MARK_QUIET}


def timeline_bar(years: tuple[int, int], year: int, story: tuple[int, ...]) -> html.Div:
    first, last = years
    return html.Div(
        className="atlas-timeline",
        children=[
            button(ids.STEP_BACK, "◀", say(ids.STEP_BACK, "title")),
            button(ids.PLAY, "▶", t("play", page_lang())),
            button(ids.STEP_FORWARD, "▶|", say(ids.STEP_FORWARD, "title")),
            html.Span(say(ids.YEAR_NAME), id=ids.YEAR_NAME, className="atlas-sr-only"),
            html.Div(
                dcc.Slider(
                    id=ids.YEAR,
                    min=first,
                    max=last,
                    step=1,
                    value=year,
                    marks=year_marks(years, story),
                    included=True,
                    updatemode="drag",
                    allow_direct_input=False,
                ),
                className="atlas-slider",
            ),
            html.Output(
                str(year),
                id=ids.YEAR_LABEL,
                className="atlas-year-label",
                **{"aria-live": "polite"},
            ),
            html.Span(say(ids.SPEED_LABEL), id=ids.SPEED_LABEL, className="atlas-control-label"),
            dcc.RadioItems(
                id=ids.SPEED,
                options=say(ids.SPEED, "options"),
                value="normal",
                inline=True,
                className="atlas-pills atlas-speed",
            ),
            dcc.Checklist(
                id=ids.LOOP,
                options=say(ids.LOOP, "options"),
                value=["loop"],
                className="atlas-pills atlas-loop",
            ),
        ],
    )


def user_section(max_bytes: int) -> html.Section:
    """Planners' own layers: the file picker (a file may also be dropped on the map), what the
    last upload came to, the layers with their style controls and legends, and the attributes
    of a picked feature (callbacks/userlayers.py fills it; assets/userlayers.js uploads)."""
    return html.Section(
        className="atlas-user",
        children=[
            html.H2(say(ids.USER_TITLE), id=ids.USER_TITLE, className="atlas-side-title"),
            html.Button(
                say(ids.USER_FILE),
                id=ids.USER_FILE,
                className="atlas-button atlas-user-add",
                n_clicks=0,
                **{"data-max-bytes": str(max_bytes)},
            ),
            html.P(say(ids.USER_HINT), id=ids.USER_HINT, className="atlas-user-hint"),
            html.Div(id=ids.USER_MESSAGE, className="atlas-user-message", role="status"),
            html.Div(id=ids.USER_LIST, className="atlas-user-list", **{"data-shown": ""}),
            html.Div(
                [
                    html.Div(id=ids.USER_DETAILS_BODY),
                    button(ids.USER_DETAILS_CLOSE, "×", say(ids.USER_DETAILS_CLOSE, "title")),
                ],
                id=ids.USER_DETAILS,
                className="atlas-user-details",
                hidden=True,
            ),
        ],
    )


def flow_section(flows: tuple[list[Any], bool]) -> html.Section:
    """The flow table's section (panels/flows.py builds what is in it: ``(children, hidden)``;
    callbacks/panels.py replaces it; assets/flows.js sorts it and ties rows to arcs)."""
    children, hidden = flows
    text = plain_text(children)
    return html.Section(
        id=ids.FLOW_TABLE,
        className="atlas-flows",
        hidden=hidden,
        **{
            "aria-labelledby": ids.FLOW_TABLE_TITLE,
            "data-shown": shown([text, hidden]),  # as callbacks/panels.py flow_update
            "data-plain": text,
        },
    )


def side_panel(
    kpis: list[Any],
    events: list[Any],
    max_bytes: int,
    flows: tuple[list[Any], bool] = ([], True),
) -> html.Aside:
    """The side panel, with the default view's cards, events and flow table already in place
    so that a plain first load needs no server round trip before the panel is complete (the
    page draws each box from its ``data-plain`` attribute: panels/plain.py)."""
    return html.Aside(
        className="atlas-side",
        children=[
            html.H2(say(ids.LAYERS_LABEL), id=ids.LAYERS_LABEL, className="atlas-side-title"),
            dcc.Checklist(
                id=ids.LAYERS,
                options=say(ids.LAYERS, "options"),
                value=list(THEMES[DEFAULT_THEME].layers),
                className="atlas-pills atlas-layer-list",
            ),
            html.Div(
                id=ids.DETAILS,
                className="atlas-details",
                hidden=True,
                **{"aria-live": "polite", "data-plain": "[]"},
            ),
            button(ids.CLEAR, "×", say(ids.CLEAR, "title"), hidden=True),
            changes_section(),
            user_section(max_bytes),
            flow_section(flows),
            html.Section(
                id=ids.OVERVIEW,
                className="atlas-overview",
                children=[
                    html.H2(say(ids.KPIS_TITLE), id=ids.KPIS_TITLE, className="atlas-side-title"),
                    html.Div(
                        id=ids.KPIS,
                        className="atlas-cards",
                        **{"data-shown": shown(kpis), "data-plain": plain_text(kpis)},
                    ),
                    html.H2(
                        say(ids.EVENTS_TITLE), id=ids.EVENTS_TITLE, className="atlas-side-title"
                    ),
                    html.Div(
                        id=ids.EVENTS,
                        className="atlas-events",
                        **{"data-shown": shown(events), "data-plain": plain_text(events)},
                    ),
                ],
            ),
        ],
    )
