"""The legend: every encoding the map draws for the visible layers, from the shared style
definitions, and nothing for layers that are switched off. It folds away behind its title button
(``assets/atlas.js`` keeps the state, folded by default on narrow screens), so it never has to
cover the map's subject.

The rows are returned flat (the title button first): the callbacks put them straight into the
legend's box, whose ``data-collapsed`` hides every row but the button."""

from __future__ import annotations

from typing import Any

from dash import html

from core import style
from core.text import pick, t

# Which kinds of line each story layer draws (geodata/sources/lines.csv; a unit test checks it).
LINE_KINDS = {
    "hubs": frozenset({"intercity_rail", "high_speed_rail", "conventional_rail"}),
    "corridor": frozenset({"intercity_rail", "suburban_rail", "expressway"}),
}
FLOW_LAYERS = ("relocation", "synergy")

# The legend's own words (kept here, beside the symbols they explain).
WORDS: dict[str, tuple[str, str]] = {
    "places": ("地点（颜色＝主题，填充＝状态）", "Places (colour = theme, fill = status)"),
    "status": ("状态（地点填充）", "Status (place fill)"),
    "status_lines": ("状态（地点填充 · 线路虚线）", "Status (place fill · line dash)"),
    "lines": ("线路（示意）", "Lines (schematic)"),
    "labels": ("地名：位置不足时隐藏，放大可见", "Names: hidden where crowded; zoom in"),
}


def _w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return pick(lang, zh, en)


def _swatch(
    kind: str, colour: str, dash: str = "", alpha: float = style.PLACE_FILL_OPACITY["open"]
) -> html.Span:
    css: dict[str, str] = {"borderColor": colour}
    if kind == "line":
        css["borderTopStyle"] = (
            "dashed" if dash == style.STATUS_DASH["planned"] else "dotted" if dash else "solid"
        )
    elif kind == "rail":
        css["backgroundColor"] = colour
    elif kind == "road":
        pass
    elif kind in ("dot", "ring"):  # a ring is a marker whose position is estimated
        css["backgroundColor"] = _rgba(colour, alpha)
        if kind == "ring":
            css["borderColor"] = style.ESTIMATE_EDGE
    else:
        css["backgroundColor"] = style.PAPER if kind == "hollow" else colour
    return html.Span(className=f"atlas-swatch atlas-swatch-{kind}", style=css)


def _rgba(colour: str, alpha: float) -> str:
    """``#RRGGBB`` at ``alpha`` (a marker's fill opacity), for a swatch's background only."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _row(swatches: html.Span | list[html.Span], text: str, **attrs: Any) -> html.Div:
    marks = swatches if isinstance(swatches, list) else [swatches]
    return html.Div([*marks, html.Span(text)], className="atlas-legend-row", **attrs)


def _heading(text: str) -> html.Div:
    return html.Div(text, className="atlas-legend-heading")


def legend(layers: tuple[str, ...] | list[str], lang: str) -> list[Any]:
    kinds = frozenset().union(*(LINE_KINDS.get(k, frozenset()) for k in layers))
    rows: list[Any] = [
        html.Button(
            t("legend", lang),
            type="button",
            className="atlas-legend-toggle",
            **{"aria-expanded": "true", "aria-controls": "atlas-legend"},
        ),
        _row(_swatch("area", style.FENGTAI_FILL), t("legend.fengtai", lang)),
    ]
    if layers:
        rows.append(_heading(_w("places", lang)))
    for key in layers:
        rows.append(
            _row(
                _swatch("dot", style.THEME_COLOURS[key], alpha=style.PLACE_FILL_OPACITY["open"]),
                t(f"theme.{key}", lang),
                **{"data-layer": key},
            )
        )
    if layers:
        # One row per status: how a place is filled, and (when lines are on) how a line is dashed.
        rows.append(_heading(_w("status_lines" if kinds else "status", lang)))
        # In the first visible theme's colour, as the map draws it (grey once closed), so an
        # open, a half-filled and a closed place tell apart.
        shown = style.THEME_COLOURS[layers[0]]
        for status in ("open", "under_construction", "planned", "closed"):
            colour = style.CLOSED_COLOUR if status == "closed" else shown
            marks = [_swatch("dot", colour, alpha=style.PLACE_FILL_OPACITY[status])]
            if kinds:
                marks.append(_swatch("line", colour, style.STATUS_DASH[status]))
            rows.append(_row(marks, t(f"status.{status}", lang), **{"data-status": status}))
        rows.append(_row(_swatch("hollow", shown), t("legend.attested", lang)))
        rows.append(_row(_swatch("ring", shown), t("legend.estimate", lang)))
    if kinds:
        rows.append(_heading(_w("lines", lang)))
        if kinds - set(style.ROAD_KINDS):
            rows.append(
                _row(
                    _swatch("rail", style.NEUTRAL), t("legend.rail", lang), **{"data-line": "rail"}
                )
            )
        if kinds & set(style.ROAD_KINDS):
            rows.append(
                _row(
                    _swatch("road", style.NEUTRAL), t("legend.road", lang), **{"data-line": "road"}
                )
            )
    flows = [k for k in FLOW_LAYERS if k in layers]
    if flows:
        # What a flow's width counts (merchants, branches) and as of when: the latest figure
        # dated up to the year shown, as in the flow table; a dashed flow's figure is later.
        what = pick(lang, "/", " / ").join(t(f"flows.legend.{k}", lang) for k in flows)
        rows.append(
            _row(
                _swatch("flow", style.FLOW_NEUTRAL),
                t("flows.legend", lang, what=what),
                **{"data-flow": "width"},
            )
        )
        rows.append(
            _row(
                _swatch("line", style.FLOW_NEUTRAL, style.STATUS_DASH["planned"]),  # dashed
                t("flows.legend.later", lang),
                **{"data-flow": "later"},
            )
        )
    rows.append(
        _row(_swatch("line", style.XIONGAN_EDGE, style.XIONGAN_DASH), t("legend.xiongan", lang))
    )
    if layers:
        rows.append(html.Div(_w("labels", lang), className="atlas-legend-note"))
    return rows


def user_rows(layers: list[tuple[str, str, list[str]]], lang: str) -> list[Any]:
    """Rows for planners' own layers: (name, kind, class colours) each, after the story's.
    Their classes are spelled out beside the layer in the side panel (callbacks/userlayers.py);
    here one row says which colours on the map are the planner's."""
    if not layers:
        return []
    rows: list[Any] = [_heading(t("user.title", lang))]
    shape = {"point": "dot", "line": "line", "polygon": "area"}
    for name, kind, colours in layers:
        marks = [_swatch(shape.get(kind, "dot"), c, alpha=1.0) for c in colours[:7]]
        rows.append(_row(marks, name, **{"data-user-layer": "1"}))
    return rows
