"""What the map says without being seen: the one sentence of the map's live region after a
change of theme, year, layers or selection, and the words the keyboard (``assets/mapnav.js``)
announces for a focused feature.

Everything is read from the tables with the rules the map itself follows (``is_visible``,
``status_at`` and ``attested_at`` in core/timeline.py; ``changes`` in core/story.py, which the
"this year" panel lists), so the sentence says what the map and panel show, never more.

The sentence: ``{year} · {theme}: {features}; {flows}; {changes}; {selection}.`` where
- features: the visible places and lines counted by kind (in the order the layers and tables
  give), each with its statuses that year ("4 receiving sites open",
  "6 railway stations (4 open, 2 under construction)"); a kind with no status records
  (cities, districts) is only counted;
- flows: where the visible flows go (each destination once, in the table's order);
- changes: how many changes the year's list has for the theme;
- selection: the selected feature as the keyboard announces it (name · kind · status).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.story import changes, names_of
from core.tables import Tables
from core.text import LANGS, UI, local, pick, t, tx
from core.themes import DEFAULT_THEME, LAYER_KEYS, THEMES
from core.timeline import attested_at, attested_years, is_visible, status_at, year_of

T = TypeVar("T")
STATUS_ORDER = ("open", "under_construction", "planned", "closed")
SEP = " · "  # between a feature's name, kind and status (as the keyboard announces it)


def _kind(kind: str, lang: str, plural: bool = False) -> str:
    key = f"map.{'kinds' if plural else 'kind'}.{kind}"
    return t(key if key in UI else f"map.{'kinds' if plural else 'kind'}.feature", lang)


def _memo(tables: Tables, key: tuple[object, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per key (the tables never change; a slider step then costs
    the sentence nothing but a join)."""
    key = ("map.status", *key)
    if key not in tables.memo:
        tables.memo[key] = make()
    return tables.memo[key]  # type: ignore[return-value]


def _attested(tables: Tables) -> dict[str, list[int]]:
    return _memo(tables, ("attested",), lambda: attested_years(tables.status))


def status_words(tables: Tables, feature_id: str, year: int, lang: str) -> str:
    """A place's or line's status in ``year`` in words ("" if it has no status records)."""
    timeline = tables.timelines.get(feature_id)
    if not timeline:
        return ""
    now = status_at(timeline, year)
    if now is None:
        return t("map.not_yet", lang, year=year)
    word = t(f"map.status.{now}", lang)
    if attested_at(timeline, _attested(tables).get(feature_id), year):
        return t("map.attested", lang, status=word)
    return word


def flow_name(tables: Tables, flow: Any, lang: str) -> str:
    """A flow as its tooltip and panel heading name it: "origin、origin → destination"."""
    names = names_of(tables, lang)
    origins = [o for o in str(flow.origin_ids).split(";") if o]
    return "、".join(names.get(o, o) for o in origins) + " → " + names.get(flow.dest_id, "")


def feature_text(tables: Tables, feature_id: str, year: int, lang: str) -> str:
    """What the keyboard announces for a feature: name · kind · status that year (a flow: the
    year it began); ``""`` for an id that is no place, line or flow."""
    for frame in (tables.places, tables.lines):
        match = frame[frame["id"] == feature_id]
        if not match.empty:
            row = match.iloc[0]
            parts = [str(local(row, "name", lang)), _kind(str(row["kind"]), lang)]
            status = status_words(tables, feature_id, year, lang)
            return SEP.join([*parts, status] if status else parts)
    match = tables.flows[tables.flows["id"] == feature_id]
    if not match.empty:
        flow = next(match.itertuples(index=False))
        began = year_of(str(flow.year_from))
        since = (
            t("map.since", lang, year=began) if began <= year else t("map.not_yet", lang, year=year)
        )
        return SEP.join([flow_name(tables, flow, lang), _kind(str(flow.kind), lang), since])
    return ""


def _selected_text(tables: Tables, selected: Any, year: int, lang: str) -> str:
    if not isinstance(selected, str) or not selected:
        return ""
    text = feature_text(tables, selected, year, lang)
    if not text:  # a prefecture or district of the basemap: its name
        match = tables.boundaries[tables.boundaries["id"] == selected]
        text = str(local(match.iloc[0], "name", lang)) if not match.empty else ""
    return t("map.selected", lang, feature=text) if text else ""


def _counted(kind: str, n: int, lang: str, line: bool) -> str:
    noun = _kind(kind, lang, plural=n != 1)
    return t("map.count.line" if line else "map.count", lang, n=n, kind=noun)


def _features(tables: Tables, year: int, layers: tuple[str, ...], lang: str) -> str:
    """The visible places and lines, counted by kind with their statuses; kinds in the order of
    their first feature (by layer, then places before lines, then the table's order)."""
    visible = []
    for line, frame in ((False, tables.places), (True, tables.lines)):
        for i, row in enumerate(frame.itertuples(index=False)):
            layer, timeline = str(row.theme), tables.timelines.get(str(row.id))
            if is_visible({"layer": layer, "tl": timeline}, year, layers):
                status = status_at(timeline, year) if timeline else ""
                visible.append(((layers.index(layer), line, i), (line, str(row.kind)), status))
    groups: dict[tuple[bool, str], dict[str, int]] = {}
    for _, key, status in sorted(visible):
        counts = groups.setdefault(key, {})
        counts[status or ""] = counts.get(status or "", 0) + 1
    out = []
    for (line, kind), counts in groups.items():
        count = _counted(kind, sum(counts.values()), lang, line)
        known = [s for s in STATUS_ORDER if counts.get(s)]
        if not known:
            out.append(count)
        elif len(known) == 1 and not counts.get(""):
            status = t(f"map.status.{known[0]}", lang)
            out.append(t("map.group.one", lang, count=count, status=status))
        else:
            parts = tx("number_sep", lang).join(
                t("map.part", lang, n=counts[s], status=t(f"map.status.{s}", lang)) for s in known
            )
            out.append(t("map.group.many", lang, count=count, parts=parts))
    return tx("number_sep", lang).join(out)


def _flows(tables: Tables, year: int, layers: tuple[str, ...], lang: str) -> str:
    names = names_of(tables, lang)
    dests: list[str] = []
    for flow in tables.flows.itertuples(index=False):
        props = {"layer": str(flow.theme), "from_year": year_of(str(flow.year_from))}
        name = names.get(str(flow.dest_id), str(flow.dest_id))
        if is_visible(props, year, layers) and name not in dests:
            dests.append(name)
    return t("map.flows", lang, places=t("map.list", lang).join(dests)) if dests else ""


def _changes(tables: Tables, theme: str, year: int, lang: str) -> str:
    n = len(changes(tables, theme, year))
    return t("map.changes" + (".none" if n == 0 else ".one" if n == 1 else ""), lang, n=n)


def _layers(layers: Any) -> tuple[str, ...]:
    chosen = layers if isinstance(layers, list | tuple) else ()
    return tuple(k for k in LAYER_KEYS if k in chosen)  # the layers' own order


def map_sentence(
    tables: Tables, theme: Any, year: Any, layers: Any, selected: Any, lang: Any
) -> str:
    """The live region's sentence for this state of the map, in ``lang`` (anything but "en" is
    Chinese). An unknown theme is the default theme; a year outside the timeline is clamped to
    it; unknown layers and selections are left out; a year that is no number gives ``""``."""
    lang = pick(lang, "zh", "en")
    try:
        year = int(year)
    except (TypeError, ValueError, OverflowError):
        return ""
    first, last = tables.years
    year = min(max(year, first), last)
    key = theme if isinstance(theme, str) and theme in THEMES else DEFAULT_THEME
    shown = _layers(layers)
    body = [
        _memo(
            tables, ("features", year, shown, lang), lambda: _features(tables, year, shown, lang)
        ),
        _memo(tables, ("flows", year, shown, lang), lambda: _flows(tables, year, shown, lang)),
    ]
    if not any(body):
        body = [t("map.empty", lang)]
    body.append(_changes(tables, key, year, lang))
    if isinstance(selected, str) and selected in _memo(tables, ("ids",), tables.feature_ids):
        sel = ("selected", selected, year, lang)
        body.append(_memo(tables, sel, lambda: _selected_text(tables, selected, year, lang)))
    return t(
        "map.sentence",
        lang,
        year=year,
        theme=t(f"theme.{key}", lang),
        body=t("map.clause", lang).join(part for part in body if part),
    )


def keyboard_words(lang: str) -> dict[str, Any]:
    """The words ``assets/mapnav.js`` needs in ``lang``: the map's name and key hint, the
    announcement's templates (unfilled: ``t`` without values leaves their fields), status and
    kind words."""
    kinds = sorted(k.removeprefix("map.kind.") for k in UI if k.startswith("map.kind."))
    return {
        "name": t("map.name", lang),
        "role": t("map.role", lang),
        "keys": t("map.keys", lang),
        "focus": t("map.focus", lang),
        "none": t("map.focus.none", lang),
        "since": t("map.since", lang),
        "attested": t("map.attested", lang),
        "notYet": t("map.not_yet", lang),
        "status": {s: t(f"map.status.{s}", lang) for s in STATUS_ORDER},
        "kinds": {k: _kind(k, lang) for k in kinds},
        "sep": SEP,
    }


def keyboard_config(frames: Any = None) -> dict[str, Any]:
    """What the map's keyboard needs from Python: the words in both languages, the layers'
    order (features are visited layer by layer) and each theme's view (Esc returns to it): its
    framed box (core.themes.theme_frames, as a theme click shows it) where there is one."""
    frames = frames or {}
    views: dict[str, Any] = {}
    for k, v in THEMES.items():
        views[k] = {"center": list(v.center), "zoom": v.zoom}
        if k in frames:
            views[k]["bounds"] = [list(frames[k][0]), list(frames[k][1])]
    return {
        "words": {lang: keyboard_words(lang) for lang in LANGS},
        "layers": list(LAYER_KEYS),
        "views": views,
    }
