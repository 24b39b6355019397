"""Panels the page draws itself: a tree of Dash html components as plain data.

A slider step replaces the cards and the year's changes, up to about 140 elements. As Dash
components each is a React component subscribed to Dash's store, re-checked on every one of
the 40-odd store updates a step makes, whether it changed or not; that, not the server, was
most of a step's time. The panels therefore travel as plain data (JSON) in their box's
``data-plain`` attribute, and ``assets/panels.js`` draws them with DOM calls as soon as the box
appears or the attribute changes, in the same frame (a store and a clientside callback per box
cost a step more store updates, and drew the legend a beat after the map had framed itself
around the still empty legend): the same elements, classes and attributes, text always as text
nodes. Buttons in them work through listeners on the page
(source buttons, the legend's fold), never through Dash callbacks on the buttons.

A node is a string, or ``{"t": tag, "a": {attribute: value}, "c": [nodes]}``; attributes are
HTML's names (``class``, ``tabindex``) with string or boolean values, except ``style``
(property → value)."""

from __future__ import annotations

import json
from typing import Any

from dash import html
from dash.development.base_component import Component

# Dash prop → HTML attribute, for the props whose names differ.
RENAMED = {"className": "class", "tabIndex": "tabindex", "htmlFor": "for", "colSpan": "colspan"}
# Props that are Dash's bookkeeping, not attributes.
DROPPED = {"n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state"}
ATTRIBUTES = {"class", "id", "title", "role", "tabindex", "href", "target", "rel", "open",
              "hidden", "lang", "for", "style", "disabled", "type", "cite", "datetime",
              "scope", "colspan"}  # fmt: skip


def dash_id(value: str | dict[str, Any]) -> str:
    """The DOM id Dash gives a component ID (a dict ID is JSON with its keys sorted)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plain(node: Any) -> Any:
    """``node`` (components, strings, numbers, lists of them) as plain data; a component other
    than ``dash.html``'s, or a prop with no HTML meaning, is a programming error."""
    if node is None:
        return []
    if isinstance(node, (list, tuple)):
        return [plain(n) for n in node]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return str(node)
    if isinstance(node, str):
        return node
    if not isinstance(node, Component) or node._namespace != html.Div._namespace:
        raise TypeError(f"cannot draw {type(node).__name__} as plain HTML")
    attrs: dict[str, Any] = {}
    children: Any = []
    for prop, value in node.to_plotly_json()["props"].items():
        if prop == "children":
            children = plain(value)
        elif prop in DROPPED or value is None:
            continue
        else:
            name = RENAMED.get(prop, prop)
            if name not in ATTRIBUTES and not name.startswith(("data-", "aria-")):
                raise ValueError(f"{node._type}.{prop} has no plain HTML attribute")
            if name == "id":
                value = dash_id(value)
            elif name != "style" and not isinstance(value, bool):
                value = str(value)
            attrs[name] = value
    out: dict[str, Any] = {"t": node._type.lower()}
    if attrs:
        out["a"] = attrs
    children = children if isinstance(children, list) else [children]
    if children:
        out["c"] = children
    return out


def plain_text(node: Any) -> str:
    """``plain(node)`` as the JSON text a box carries in its ``data-plain`` attribute."""
    return json.dumps(plain(node), ensure_ascii=False, separators=(",", ":"))
