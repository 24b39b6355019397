"""The shareable view: restore it from the URL on load, apply a theme in one step, keep the
address bar in sync (clientside, with history.replaceState, so it never reloads the page)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

import ids
from core.inputs import as_lang, as_text, as_theme
from core.prepared import AppData
from core.text import pick, t
from core.themes import DEFAULT_THEME, THEMES, Bounds, theme_frames
from core.view import BadParam, default_state, parse_query
from panels.userlayers import entries_from_refs


def notice_text(bad: list[BadParam], lang: str) -> str:
    return " ".join(t("notice.bad_param", lang, name=b.name, value=b.value) for b in bad)


def viewport(center: tuple[float, float] | None, zoom: int | None) -> dict[str, Any] | Any:
    if center is None or zoom is None:
        return no_update
    return {"center": list(center), "zoom": zoom, "transition": "flyTo"}


def framed(bounds: Bounds, zoom: int, transition: str = "flyToBounds") -> dict[str, Any]:
    """A theme's view: its box as large as the map shows it, up to the theme's zoom, in the part
    of the map the legend and controls leave free (``keepClear``: assets/screens.js). A
    ``fitBounds`` jumps there (a page just drawn); ``flyToBounds`` flies."""
    options: dict[str, Any] = {"maxZoom": zoom, "keepClear": True}
    if transition == "fitBounds":
        options["animate"] = False
    return {
        "bounds": [list(bounds[0]), list(bounds[1])],
        "transition": transition,
        "options": options,
    }


def is_kiosk(search: str | None) -> bool:
    """A kiosk page (``?kiosk=1``, as assets/kiosk.js reads it), whose tour sets its views."""
    query = (search if isinstance(search, str) else "").lstrip("?")
    try:
        return parse_qs(query, max_num_fields=20).get("kiosk", [""])[0] == "1"
    except ValueError:  # more fields than any link of ours
        return False


def kiosk_set(scene: Any, theme: Any, layers: Any) -> bool:
    """Whether the kiosk tour itself just set this theme with its scene's layers: then the
    scene's own year, layers and view stand (the pill only names the scene's theme)."""
    return (
        isinstance(scene, dict)
        and scene.get("theme") == theme
        and isinstance(layers, list)
        and scene.get("layers") == layers
    )


def register(app: Dash, data: AppData) -> None:
    frames = theme_frames(data.tables)

    @app.callback(
        Output(ids.THEME, "value"),
        Output(ids.LAYERS, "value"),
        Output(ids.YEAR, "value", allow_duplicate=True),
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Output(ids.LANG, "data", allow_duplicate=True),
        Output(ids.MAP, "viewport"),
        Output(ids.NOTICE, "hidden"),
        Output(ids.NOTICE_TEXT, "children"),
        Output(ids.USER_LAYERS, "data", allow_duplicate=True),
        Output(ids.COMPARE_ON, "value"),
        Output(ids.COMPARE_MODE, "value"),
        Output(ids.YEAR_A, "value"),
        Input(ids.URL, "search"),
        Input(ids.THEME, "value"),
        State(ids.LANG, "data"),
        State(ids.LAYERS, "value"),
        State(ids.KIOSK_SCENE, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def apply_view(
        search: str | None, theme: str | None, page_lang: Any, layers: Any, scene: Any
    ) -> tuple[Any, ...]:
        if ctx.triggered_id == ids.THEME:
            key = as_theme(theme)
            if key is None or kiosk_set(scene, theme, layers):
                raise PreventUpdate
            chosen = THEMES[key]
            view = framed(frames[chosen.key], chosen.zoom)
            return (
                no_update,
                list(chosen.layers),
                data.default_years[chosen.key],  # the theme opens on its default year
                None,
                no_update,
                view,
                no_update,
                no_update,
                no_update,
                no_update,
                no_update,
                no_update,
            )
        if search is not None and as_text(search) is None:
            raise PreventUpdate  # not an address bar's query: nothing to restore from
        state, bad = parse_query(search, data.years, data.known_ids, data.default_years)
        # what the layout already shows (it is served in the asked-for language)
        initial = replace(
            default_state(data.default_years[DEFAULT_THEME]), lang=pick(page_lang, "zh", "en")
        )

        def changed(new: Any, old: Any) -> Any:
            # Unchanged values are not sent, so a plain first load fires no chain of updates.
            return no_update if new == old else new

        theme = THEMES[state.theme]
        if is_kiosk(search) or (state.center, state.zoom) != (theme.center, theme.zoom):
            # the kiosk's tour frames its own scenes; a view in the link is kept as it is
            view = changed(
                viewport(state.center, state.zoom), viewport(initial.center, initial.zoom)
            )
        else:  # the theme's own view, framed for this screen (at once: the page is just drawn)
            view = framed(frames[theme.key], theme.zoom, "fitBounds")

        user: Any = no_update
        missing: list[str] = []
        if state.user:
            user, missing = entries_from_refs(data.layers, list(state.user))
        notice = " ".join(
            [notice_text(bad, state.lang)]
            + [t("user.missing", state.lang, id=m[:12]) for m in missing]
        ).strip()
        return (
            changed(state.theme, initial.theme),
            changed(list(state.layers), list(initial.layers)),
            changed(state.year, initial.year),
            changed(state.selected, initial.selected),
            changed(state.lang, initial.lang),
            view,
            not notice,
            notice,
            user,
            changed(["on"] if state.compare else [], []),
            changed(state.compare or "swipe", "swipe"),
            changed(state.a if state.a is not None else data.years[0], data.years[0]),
        )

    @app.callback(
        Output(ids.NOTICE, "hidden", allow_duplicate=True),
        Input(ids.NOTICE_CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
    def close_notice(_: int) -> bool:
        return True

    @app.callback(
        Output(ids.LANG, "data", allow_duplicate=True),
        Input(ids.LANG_BUTTON, "n_clicks"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def toggle_language(_: int, lang: Any) -> str:
        current = as_lang(lang)
        if current is None:
            raise PreventUpdate
        return pick(current, "en", "zh")
