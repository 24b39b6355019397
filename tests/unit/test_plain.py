"""panels/plain.py: Dash html components as the plain data assets/panels.js draws."""

from __future__ import annotations

import json

import pytest
from dash import dcc, html

import ids
from panels.plain import dash_id, plain, plain_text


def test_a_tree_keeps_tags_classes_attributes_and_text_in_order() -> None:
    tree = html.Li(
        [html.Span("2025", className="atlas-event-date"), " ", 7, html.Br()],
        className="atlas-event",
        title="t",
        hidden=False,
        **{"data-kind": "event", "aria-label": "x"},
    )
    assert plain(tree) == {
        "t": "li",
        "a": {
            "class": "atlas-event",
            "title": "t",
            "hidden": False,
            "data-kind": "event",
            "aria-label": "x",
        },
        "c": [
            {"t": "span", "a": {"class": "atlas-event-date"}, "c": ["2025"]},
            " ",
            "7",
            {"t": "br"},
        ],
    }


def test_dash_bookkeeping_is_dropped_and_react_names_become_html_names() -> None:
    button = html.Button("go", n_clicks=0, className="b", tabIndex=0)
    assert plain(button) == {"t": "button", "a": {"class": "b", "tabindex": "0"}, "c": ["go"]}
    assert plain(html.Span(style={"backgroundColor": "#fff"}))["a"] == {
        "style": {"backgroundColor": "#fff"}
    }


def test_a_dict_id_is_the_dom_id_dash_would_give_it() -> None:
    key = ids.source_button("events", "e1", "story")
    assert dash_id(key) == json.dumps(key, sort_keys=True, separators=(",", ":"))
    assert json.loads(plain(html.Button(id=key))["a"]["id"]) == key
    assert dash_id("atlas-kpis") == "atlas-kpis"


def test_text_stays_text() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    assert plain(html.P(hostile)) == {"t": "p", "c": [hostile]}
    assert plain([None, "a", ["b"]]) == [[], "a", ["b"]]


def test_only_html_components_and_html_attributes_can_be_drawn() -> None:
    with pytest.raises(TypeError, match="Store"):
        plain(html.Div(dcc.Store(id="s")))
    with pytest.raises(ValueError, match=r"Div\.contentEditable"):
        plain(html.Div(contentEditable="true"))


def test_the_attribute_text_is_compact_json_of_the_tree() -> None:
    tree = html.P(["丰台", html.Span("x", className="c")])
    assert json.loads(plain_text(tree)) == plain(tree)
    assert "丰台" in plain_text(tree)  # as itself, not \u-escaped
