"""Compare two years (issue 14): the timeline's switch that turns it on and the bar that then
shows under the timeline (swipe or side by side, and the slider of year A; year B is the
timeline's year), the place of year A's map beside or under the
main map with the swipe's divider (assets/compare.js builds and moves them), and the change
list's section in the side panel (panels/compare.py fills it)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

import ids
from layout.texts import say

MODES = ("swipe", "side")


def compare_store() -> dcc.Store:
    """{"mode": "swipe" | "side", "a": year A, "b": year B} while comparing, else None."""
    return dcc.Store(id=ids.COMPARE, data=None)


def compare_switch() -> dcc.Checklist:
    """The switch that starts a comparison (its bar then shows under the timeline); it sits
    over the map's top right corner, where it costs the map no height."""
    return dcc.Checklist(
        id=ids.COMPARE_ON,
        options=say(ids.COMPARE_ON, "options"),
        value=[],
        className="atlas-pills atlas-compare-switch",
    )


def compare_bar(years: tuple[int, int], story: tuple[int, ...]) -> html.Div:
    from layout.controls import year_marks  # the timeline's marks (controls holds this module)

    first, last = years
    return html.Div(
        id=ids.COMPARE_BAR,
        className="atlas-compare-bar",
        children=[
            html.Span(
                say(ids.COMPARE_LABEL), id=ids.COMPARE_LABEL, className="atlas-control-label"
            ),
            dcc.RadioItems(
                id=ids.COMPARE_MODE,
                options=say(ids.COMPARE_MODE, "options"),
                value="swipe",
                inline=True,
                className="atlas-pills atlas-compare-modes",
            ),
            html.Div(
                className="atlas-compare-a",
                children=[
                    html.Span("A", className="atlas-year-tag", **{"aria-hidden": "true"}),
                    html.Span(say(ids.YEAR_A_NAME), id=ids.YEAR_A_NAME, className="atlas-sr-only"),
                    html.Output(str(first), id=ids.YEAR_A_LABEL, className="atlas-year-a-label"),
                    html.Div(
                        dcc.Slider(
                            id=ids.YEAR_A,
                            min=first,
                            max=last,
                            step=1,
                            value=first,
                            marks=year_marks(years, story),
                            included=False,
                            updatemode="drag",
                            allow_direct_input=False,
                        ),
                        className="atlas-slider",
                    ),
                ],
            ),
        ],
    )


def map_a() -> list[Any]:
    """The switch over the map's top right corner, and where year A's map and the swipe's
    divider go (both hidden until a comparison starts)."""
    return [
        compare_switch(),
        html.Div(id=ids.MAP_A, className="atlas-map atlas-map-a", hidden=True),
        html.Div(
            id=ids.SWIPE,
            className="atlas-swipe",
            hidden=True,
            role="slider",
            tabIndex=0,
            **{
                "aria-label": say(ids.SWIPE, "aria-label"),
                "aria-valuemin": "0",
                "aria-valuemax": "100",
                "aria-valuenow": "50",
                "aria-orientation": "horizontal",
            },
        ),
    ]


def changes_section() -> html.Section:
    """The change list between A and B (filled while comparing; hidden otherwise)."""
    return html.Section(
        id=ids.CHANGES,
        className="atlas-changes",
        hidden=True,
        **{"aria-labelledby": ids.CHANGES_TITLE},
        children=[
            html.H2(id=ids.CHANGES_TITLE, className="atlas-side-title"),
            html.P(id=ids.COMPARE_NOTE, className="atlas-note"),
            html.Div(id=ids.CHANGES_LIST),
        ],
    )


def inset() -> html.Div:
    """The close-up of Fengtai over a regional view (assets/inset.js shows and places it): a
    button that zooms the map to Fengtai; its map is for the eye only."""
    return html.Div(
        id=ids.INSET,
        className="atlas-inset",
        hidden=True,
        role="button",
        tabIndex=0,
        children=[
            html.Div(id=ids.INSET_MAP, className="atlas-inset-map", **{"aria-hidden": "true"}),
            html.Div(say(ids.INSET_CAPTION), id=ids.INSET_CAPTION, className="atlas-inset-caption"),
        ],
        **{"aria-label": say(ids.INSET, "aria-label")},
    )
