"""The shareable view: what the URL carries, parsed strictly and written canonically."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from core.inputs import as_year
from core.text import LANGS
from core.themes import DEFAULT_THEME, LAYER_KEYS, THEMES
from uploads import link
from uploads.link import LayerRef

MAX_PARAM_LENGTH = 200
MAX_USER_LENGTH = 400  # five planners' layers in ``user`` (uploads.link) take up to 394
# a number in a link: ASCII digits only (float() and int() also take '²', '١٢', '1_0' and 'nan')
_NUMBER = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", re.ASCII)


@dataclass(frozen=True)
class ViewState:
    theme: str
    year: int
    layers: tuple[str, ...]
    selected: str | None = None
    lang: str = "zh"
    center: tuple[float, float] | None = None  # lat, lon
    zoom: int | None = None
    user: tuple[LayerRef, ...] = ()  # planners' layers (uploads.link)
    compare: str | None = None  # "swipe" or "side": year ``a`` beside ``year`` (B)
    a: int | None = None  # year A of a comparison


COMPARE_MODES = ("swipe", "side")


@dataclass(frozen=True)
class BadParam:
    name: str
    value: str


def default_state(year: int) -> ViewState:
    """The first view: the overview in ``year`` (its default year, see core.story)."""
    theme = THEMES[DEFAULT_THEME]
    return ViewState(DEFAULT_THEME, year, theme.layers, None, "zh", theme.center, theme.zoom)


def parse_query(
    search: str | None,
    years: tuple[int, int],
    known_ids: frozenset[str],
    default_years: Mapping[str, int] | None = None,
) -> tuple[ViewState, list[BadParam]]:
    """Parse ``?theme=…&year=…&layers=…&sel=…&lang=…&view=lat,lon,zoom[&compare=…&a=…&b=…]``.

    ``compare=swipe|side`` shows year ``a`` beside year ``b`` (``b`` is the timeline's year and
    wins over ``year``); ``a`` must come before it (else it is reported and, without a usable
    ``a``, the first year is taken; a comparison needs some earlier year).

    Without ``year``, the view opens on its theme's default year (``default_years``; the last
    year when not given). Every parameter that is malformed or unknown falls back to its
    default and is reported, so the page can say so politely, and every other parameter of the
    link is kept; nothing here raises on user input. A repeated parameter takes its last value.
    Numbers are ASCII digits: ``year=²``, ``year=١٢`` or ``year=２０２０`` is not understood.
    """
    defaults = default_years or {}
    state = default_state(defaults.get(DEFAULT_THEME, years[1]))
    bad: list[BadParam] = []
    if not isinstance(search, str):
        search = None
    try:
        params = parse_qs((search or "").lstrip("?"), keep_blank_values=True, max_num_fields=20)
    except ValueError:
        return state, [BadParam("?", (search or "")[:MAX_PARAM_LENGTH])]
    known = {"theme", "year", "layers", "sel", "lang", "view", "kiosk", "user", "compare", "a", "b"}
    for name in params:
        if name not in known:
            bad.append(BadParam(name, params[name][0][:MAX_PARAM_LENGTH]))

    def first(name: str) -> str | None:
        values = params.get(name)
        most = MAX_USER_LENGTH if name == "user" else MAX_PARAM_LENGTH
        return values[-1][:most] if values else None

    if (theme := first("theme")) is not None:
        if theme in THEMES:
            t = THEMES[theme]
            state = replace(state, theme=theme, layers=t.layers, center=t.center, zoom=t.zoom)
            state = replace(state, year=defaults.get(theme, years[1]))
        else:
            bad.append(BadParam("theme", theme))
    if (year := first("year")) is not None:
        if (number := as_year(year, years)) is not None:
            state = replace(state, year=number)
        else:
            bad.append(BadParam("year", year))
    if (layers := first("layers")) is not None:
        chosen = tuple(k for k in LAYER_KEYS if k in layers.split(","))
        unknown = [k for k in layers.split(",") if k and k not in LAYER_KEYS]
        if unknown:
            bad.append(BadParam("layers", layers))
        else:
            state = replace(state, layers=chosen)
    if (sel := first("sel")) is not None:
        if sel in known_ids:
            state = replace(state, selected=sel)
        elif sel:
            bad.append(BadParam("sel", sel))
    if (lang := first("lang")) is not None:
        if lang in LANGS:
            state = replace(state, lang=lang)
        else:
            bad.append(BadParam("lang", lang))
    if (view := first("view")) is not None:
        parsed = _parse_view(view)
        if parsed is None:
            bad.append(BadParam("view", view))
        else:
            state = replace(state, center=parsed[0], zoom=parsed[1])
    if (mode := first("compare")) is not None:
        if mode in COMPARE_MODES:
            state = replace(state, compare=mode)
        elif mode:
            bad.append(BadParam("compare", mode))
    if (b := first("b")) is not None:  # year B of a comparison is the timeline's year
        if (number := as_year(b, years)) is not None:
            state = replace(state, year=number)
        else:
            bad.append(BadParam("b", b))
    if (a := first("a")) is not None:
        number = as_year(a, years)
        if number is not None and number < state.year:
            state = replace(state, a=number)
        else:
            bad.append(BadParam("a", a))
    if state.compare and state.a is None:  # a comparison needs an earlier year A
        if state.year > years[0]:
            state = replace(state, a=years[0])
        else:
            state = replace(state, compare=None)
    if (user := first("user")) is not None:
        refs = link.parse(user)
        if refs is None:
            bad.append(BadParam("user", user[:MAX_PARAM_LENGTH]))
        else:
            state = replace(state, user=tuple(refs))
    return state, bad


def _parse_view(text: str) -> tuple[tuple[float, float], int] | None:
    parts = text.split(",")
    if len(parts) != 3 or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    if not parts[2].lstrip("-").isdigit():
        return None
    lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    if not (30.0 <= lat <= 48.0 and 108.0 <= lon <= 126.0 and 5 <= zoom <= 16):
        return None
    return (lat, lon), zoom


def to_query(state: ViewState) -> str:
    """The canonical query string for ``state`` (what the address bar shows)."""
    params: dict[str, str] = {
        "theme": state.theme,
        "year": str(state.year),
        "layers": ",".join(state.layers),
        "lang": state.lang,
    }
    if state.selected:
        params["sel"] = state.selected
    if state.center is not None and state.zoom is not None:
        params["view"] = f"{state.center[0]:.4f},{state.center[1]:.4f},{state.zoom}"
    if state.user:
        params["user"] = ",".join(r.text() for r in state.user)
    if state.compare and state.a is not None:
        params.update(compare=state.compare, a=str(state.a), b=str(state.year))
    return "?" + urlencode(params, safe=",:")
