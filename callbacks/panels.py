"""Indicator cards, the events list and the selection panel follow theme, year, selection and
language in one request per change, and so do the map's live region and the flow table (which
also follow the layers, so they may say what the map shows); the legend follows the layers and
language.

Cards, events and the flow table that would come out as they already are (their fingerprint,
``data-shown``, is read back as State) are left alone: a slider step through quiet years renders
nothing but the changed parts. The panels and the legend travel as plain data in their box's
``data-plain`` attribute, which the page draws itself (panels/plain.py, assets/panels.js)."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

import ids
from core.prepared import AppData
from core.text import LANGS, pick
from core.themes import DEFAULT_THEME, LAYER_KEYS, THEMES
from panels.cards import cards
from panels.details import details
from panels.flowpanel import flow_panel, shown_layers
from panels.legend import legend, user_rows
from panels.plain import plain_text
from panels.shown import fingerprint
from panels.status import map_sentence
from panels.story import year_story
from panels.userlayers import user_legend

PANEL_OUTPUTS = {
    "kpis": Output(ids.KPIS, "data-plain"),
    "kpis_shown": Output(ids.KPIS, "data-shown"),
    "events": Output(ids.EVENTS, "data-plain"),
    "events_shown": Output(ids.EVENTS, "data-shown"),
    "details": Output(ids.DETAILS, "data-plain"),
    "details_hidden": Output(ids.DETAILS, "hidden"),
    "clear_hidden": Output(ids.CLEAR, "hidden"),
    "overview_hidden": Output(ids.OVERVIEW, "hidden"),
    "status": Output(ids.MAP_STATUS, "children"),  # one sentence: what the map now shows
    "flows": Output(ids.FLOW_TABLE, "data-plain"),  # the visible flows and their totals
    "flows_shown": Output(ids.FLOW_TABLE, "data-shown"),
    "flows_hidden": Output(ids.FLOW_TABLE, "hidden"),  # no flow layer on
}


def panel_update(
    data: AppData,
    triggers: set[Any],
    theme: Any,
    year: Any,
    selected: Any,
    lang: Any,
    shown: tuple[Any, Any] = (None, None),
) -> dict[str, Any]:
    """What the side panel shows; parts no trigger can change, and cards or events equal to
    what is shown (``shown``: their fingerprints), are left as they are (an empty ``triggers``
    updates everything)."""
    lang = pick(lang, "zh", "en")
    try:
        year = int(year)
    except (TypeError, ValueError):
        return dict.fromkeys(PANEL_OUTPUTS, no_update)
    first, last = data.years
    year = min(max(year, first), last)
    chosen = THEMES.get(theme) if isinstance(theme, str) else None
    chosen = chosen or THEMES[DEFAULT_THEME]
    out: dict[str, Any] = dict.fromkeys(PANEL_OUTPUTS, no_update)
    if not triggers or triggers - {ids.SELECTED}:
        parts = (
            ("kpis", cards(data.tables, chosen.series, year, lang)),
            ("events", year_story(data.tables, chosen.key, year, lang)),
        )
        for (name, children), before in zip(parts, shown, strict=True):
            key = _fingerprint(data, name, chosen.key, year, lang, children)
            if key != before:
                out[name] = _plain(data, name, chosen.key, year, lang, children)
                out[f"{name}_shown"] = key
    sel = selected if isinstance(selected, str) else None
    if sel is None and triggers and ids.SELECTED not in triggers:
        pass  # nothing was selected before this change either: the details stay hidden
    elif not triggers or triggers - {ids.THEME}:
        panel = details(data.tables, sel, year, lang)
        shown = panel is not None
        out.update(
            details=plain_text(panel or []),
            details_hidden=not shown,
            clear_hidden=not shown,
            overview_hidden=shown,
        )
    return out


def flow_update(data: AppData, year: Any, layers: Any, lang: Any, shown: Any) -> dict[str, Any]:
    """The flow table's outputs for ``year``, ``layers`` and ``lang``: none when it would come
    out as it is shown (``shown``, its fingerprint) or ``year`` is no year."""
    try:
        year = int(year)
    except (TypeError, ValueError, OverflowError):
        return {}
    first, last = data.years
    year = min(max(year, first), last)
    lang = pick(lang, "zh", "en")
    key = ("flows_plain", year, shown_layers(layers), lang)
    memo = data.tables.memo
    if key not in memo:
        children, hidden = flow_panel(data.tables, year, layers, lang)
        text = plain_text(children)
        memo[key] = (text, fingerprint([text, hidden]), hidden)
    text, digest, hidden = memo[key]  # type: ignore[misc]
    if digest == shown:
        return {}
    return {"flows": text, "flows_shown": digest, "flows_hidden": hidden}


def _fingerprint(
    data: AppData, name: str, theme: str, year: int, lang: str, children: list[Any]
) -> str:
    """The fingerprint of a theme's cards or events in a year and language, computed once."""
    key = ("shown", name, theme, year, lang)
    memo = data.tables.memo
    if key not in memo:
        memo[key] = fingerprint(children)
    return str(memo[key])


def _plain(data: AppData, name: str, theme: str, year: int, lang: str, children: list[Any]) -> str:
    """A theme's cards or events in a year and language as plain data, converted once."""
    key = ("plain", name, theme, year, lang)
    memo = data.tables.memo
    if key not in memo:
        memo[key] = plain_text(children)
    return str(memo[key])


def warm(data: AppData) -> None:
    """Build every theme's panel for every year and language now, so that no visitor's slider
    step waits for one (cold, one took up to 60 ms; all of them take about 1.5 s). Called
    before the server forks its workers, which then share what was built."""
    first, last = data.years
    for lang in LANGS:
        for key, theme in THEMES.items():
            for year in range(first, last + 1):
                panel_update(data, set(), key, year, None, lang)
                map_sentence(data.tables, key, year, list(theme.layers), None, lang)
                flow_update(data, year, list(theme.layers), lang, None)


def register(app: Dash, data: AppData) -> None:
    @app.callback(
        output=PANEL_OUTPUTS,
        inputs={
            "theme": Input(ids.THEME, "value"),
            "year": Input(ids.YEAR, "value"),
            "selected": Input(ids.SELECTED, "data"),
            "lang": Input(ids.LANG, "data"),
            "layers": Input(ids.LAYERS, "value"),
            "kpis_shown": State(ids.KPIS, "data-shown"),
            "events_shown": State(ids.EVENTS, "data-shown"),
            "flows_shown": State(ids.FLOW_TABLE, "data-shown"),
        },
        prevent_initial_call=True,  # the layout holds the default view's cards and events
    )
    def side_panel(
        theme: Any,
        year: Any,
        selected: Any,
        lang: Any,
        layers: Any,
        kpis_shown: Any,
        events_shown: Any,
        flows_shown: Any,
    ) -> dict[str, Any]:
        triggers = {key.split(".")[0] for key in ctx.triggered_prop_ids}
        shown = (kpis_shown, events_shown)
        out = (  # the layers alone change neither the cards nor the details
            panel_update(data, triggers - {ids.LAYERS}, theme, year, selected, lang, shown)
            if triggers != {ids.LAYERS}
            else dict.fromkeys(PANEL_OUTPUTS, no_update)
        )
        out["status"] = map_sentence(data.tables, theme, year, layers, selected, lang)
        if triggers - {ids.SELECTED}:  # the table follows year, layers and language only
            out.update(flow_update(data, year, layers, lang, flows_shown))
        return out

    @app.callback(
        Output(ids.LEGEND, "data-plain"),
        Input(ids.LAYERS, "value"),
        Input(ids.LANG, "data"),
        Input(ids.USER_LAYERS, "data"),
        prevent_initial_call=True,  # the layout holds the default layers' legend
    )
    def show_legend(layers: Any, lang: Any, user: Any) -> str:
        chosen = tuple(k for k in (layers if isinstance(layers, list) else ()) if k in LAYER_KEYS)
        language = pick(lang, "zh", "en")
        own = user_legend(data.layers, user)
        return plain_text(legend(chosen, language) + user_rows(own, language))
