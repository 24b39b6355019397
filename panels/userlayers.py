"""Planners' own layers as the side panel and the legend show them: what an upload came to,
each layer's card (style controls, legend, feature list) and its row in the map's legend, and
the USER_LAYERS entries rebuilt from the layer store. Everything from a file reaches the page as
Dash text (escaped by React), never as markup. Wired by callbacks/userlayers.py."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dash import dcc, html

import ids
from core.text import pick, t
from uploads.link import MAX_LAYERS, LayerRef
from uploads.service import LayerService
from uploads.style import METHODS, MODES, LayerStyle, StyleError, check_style

MAX_UNMATCHED_SHOWN = 20
LISTED = 100  # features a layer's list offers to keyboards and screen readers
DATUM_NAMES = {"gcj02": "GCJ-02", "bd09": "BD-09", "wgs84": "WGS-84"}


def entry(info: dict[str, Any], style: dict[str, Any] | None = None) -> dict[str, Any]:
    """A USER_LAYERS entry: what the list, the drawing and the link need of a layer."""
    keys = ("id", "name", "kind", "features", "columns", "bounds")
    return {**{k: info[k] for k in keys}, "style": style or info["style"]}


def entries_from_refs(service: LayerService, refs: list[LayerRef]) -> tuple[list[dict], list[str]]:
    """The entries a link's ``user=`` names, and the ids the store does not have."""
    out, missing = [], []
    for ref in refs:
        found = service.get(ref.digest)
        if found is None:
            missing.append(ref.digest)
            continue
        info = service.describe(*found)
        columns = service.columns(*found)
        style = ref.style(columns)
        out.append(entry(info, asdict(style) if style is not None else None))
    return out, missing


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _str(value: Any, most: int = 200) -> str:
    return "" if value is None else str(value)[:most]


def message(event: Any, lang: str, service: LayerService) -> list[Any]:
    """What the last upload came to, in ``lang``."""
    if not isinstance(event, dict):
        return []
    kind = event.get("kind")
    file = str(event.get("file") or "")[:200]
    if kind == "reading":
        return [html.P(t("user.reading", lang, file=file))]
    if kind == "kept":
        return [html.P(t("user.datum.kept", lang))]
    error = event.get("error")
    text = pick(lang, "zh", "en")
    if kind == "error" and isinstance(error, dict):
        return [html.P(_str(error.get(text) or error.get("en"), 500), className="atlas-user-error")]
    if kind == "choose":
        layers = [_str(x) for x in _list(event.get("layers"))][:50]
        return [
            html.P(t("user.choose", lang, file=file)),
            html.Div(
                [
                    html.Button(
                        name, id=ids.user_action("layer", layer=name), className="atlas-button"
                    )
                    for name in layers
                ],
                className="atlas-user-choices",
            ),
        ]
    layer = _dict(event.get("layer"))
    found = service.get(str(layer.get("id"))) if kind in ("added", "converted") else None
    if found is None:
        return []
    stored = found[0]  # name, count and notes as the store has them, not as the page says
    parts: list[Any] = [
        html.P(t("user.added", lang, name=stored.name[:200], n=f"{stored.features:,}"))
    ]
    for note in stored.notes:
        if isinstance(note, dict):
            parts.append(html.P(_str(note.get(text) or note.get("en"))))
    unmatched = [u for u in _list(layer.get("unmatched")) if isinstance(u, dict)]
    if unmatched:
        rows: list[Any] = [
            html.Li(
                t(
                    "user.unmatched.row",
                    lang,
                    row=_int(u.get("row")),
                    field=_str(u.get("field")),
                    value=_str(u.get("value")),
                    reason=_str(u.get(f"reason_{text}")),
                )
            )
            for u in unmatched[:MAX_UNMATCHED_SHOWN]
        ]
        if len(unmatched) > MAX_UNMATCHED_SHOWN:
            rows.append(html.Li("…"))
        parts += [
            html.P(
                t("user.unmatched.one", lang)
                if len(unmatched) == 1
                else t("user.unmatched", lang, n=len(unmatched)),
                className="atlas-user-warning",
            ),
            html.Ul(rows, className="atlas-user-unmatched"),
        ]
    datum = _dict(layer.get("datum"))
    guess = datum.get("guess")
    if kind == "added" and guess in ("gcj02", "bd09"):
        name = DATUM_NAMES[guess]
        matches = _dict(datum.get("matches"))
        parts += [
            html.P(
                t(
                    "user.datum",
                    lang,
                    datum=name,
                    n=_int(matches.get(guess)),
                    wgs=_int(matches.get("wgs84")),
                ),
                className="atlas-user-warning",
            ),
            html.Div(
                [
                    html.Button(
                        t("user.datum.convert", lang, datum=name),
                        id=ids.user_action("convert", layer=stored.digest, datum=guess),
                        className="atlas-button",
                    ),
                    html.Button(
                        t("user.datum.keep", lang),
                        id=ids.user_action("keep"),
                        className="atlas-button",
                    ),
                ],
                className="atlas-user-choices",
            ),
        ]
    elif kind == "added" and guess == "wgs84":
        parts.append(html.P(t("user.datum.ok", lang)))
    return parts


def _options(values: tuple[str, ...], prefix: str, lang: str) -> list[dict[str, str]]:
    return [{"label": t(f"{prefix}.{v}", lang), "value": v} for v in values]


def _select(layer: str, field: str, label: str, options: list[dict], value: Any) -> html.Fieldset:
    """A style control: radio pills in a fieldset that its legend names (Dash's dropdown leaves
    a focusable input under aria-hidden, which axe reports as serious)."""
    return html.Fieldset(
        [
            html.Legend(label, className="atlas-user-field"),
            dcc.RadioItems(
                id=ids.user_style(layer, field),
                options=options,
                value=value,
                inline=True,
                className="atlas-pills atlas-user-pills",
            ),
        ],
        className="atlas-user-control",
    )


def legend_rows(service: LayerService, item: dict[str, Any], lang: str) -> list[Any]:
    """The layer's legend: a swatch, the class's label and its count per class."""
    try:
        drawing = service.drawing(item["id"], LayerStyle(**item["style"]))
    except (StyleError, TypeError) as exc:
        return [html.P(t("user.bad_style", lang, reason=str(exc)), className="atlas-user-error")]
    if drawing is None:
        return []
    c = drawing.classes
    rows = []
    shape = {"point": "dot", "line": "line", "polygon": "area"}[drawing.layer.kind]
    for color, label, count in zip(c.colors, c.labels, c.counts, strict=True):
        text = label or t("user.single", lang)
        rows.append(
            html.Li(
                [
                    html.Span(
                        className=f"atlas-user-swatch atlas-user-{shape}",
                        style={"backgroundColor": color},
                    ),
                    html.Span(f"{text} ({count:,})"),
                ]
            )
        )
    if c.missing:
        rows.append(
            html.Li(
                [
                    html.Span(
                        className=f"atlas-user-swatch atlas-user-{shape}",
                        style={"backgroundColor": "#bdbdbd"},
                    ),
                    html.Span(f"{t('user.no_value', lang)} ({c.missing:,})"),
                ]
            )
        )
    out: list[Any] = [html.Ul(rows, className="atlas-user-legend-rows")]
    if drawing.style.year_column:
        out.append(html.P(t("user.by_year", lang, column=drawing.style.year_column)))
    return out


def user_legend(service: LayerService, value: Any) -> list[tuple[str, str, list[str]]]:
    """(name, kind, class colours) of each layer shown, for the map's legend."""
    out = []
    for item in valid_entries(value, service):
        try:
            drawing = service.drawing(item["id"], LayerStyle(**item["style"]))
        except (StyleError, TypeError, KeyError):
            continue
        if drawing is not None:
            out.append((drawing.layer.name, drawing.layer.kind, drawing.classes.colors))
    return out


def feature_list(service: LayerService, item: dict[str, Any], lang: str) -> html.Details | None:
    """The layer's first features as buttons (named by their first text column): what a click
    on the map does, for a keyboard or a screen reader."""
    found = service.get(item["id"])
    if found is None:
        return None
    stored, frame = found
    texts = [c.name for c in service.columns(stored, frame) if c.kind == "text"]
    shown = min(LISTED, len(frame))
    names = frame[texts[0]].head(shown).astype(str).tolist() if texts else []
    buttons = [
        html.Li(
            html.Button(
                (names[i][:80] if names and names[i].strip() else f"#{i + 1}"),
                id=ids.user_feature(item["id"], i),
                className="atlas-button atlas-user-feature",
            )
        )
        for i in range(shown)
    ]
    parts: list[Any] = [html.Summary(t("user.browse", lang, n=f"{len(frame):,}"))]
    if shown < len(frame):
        parts.append(html.P(t("user.browse.first", lang, shown=shown, n=f"{len(frame):,}")))
    parts.append(html.Ul(buttons, className="atlas-user-features"))
    return html.Details(parts, className="atlas-user-browse")


def layer_card(service: LayerService, item: dict[str, Any], lang: str) -> html.Section:
    style, layer = item["style"], item["id"]
    columns = item["columns"]
    styled = [c["name"] for c in columns if c["kind"] in ("number", "text")]
    years = [c["name"] for c in columns if c["kind"] == "year"]
    none = {"label": t("user.none", lang), "value": ""}
    count = t("user.features", lang, n=f"{item['features']:,}")
    heading = f"{item['name']} · {count}"
    return html.Section(
        className="atlas-user-layer",
        children=[
            html.Div(
                [
                    html.H3(heading, className="atlas-user-name"),
                    html.Button(  # as layout.common.button draws an icon button
                        "×",
                        id=ids.user_remove(layer),
                        title=t("user.remove", lang, name=item["name"]),
                        className="atlas-button",
                        n_clicks=0,
                        **{"aria-label": t("user.remove", lang, name=item["name"])},
                    ),
                ],
                className="atlas-user-head",
            ),
            html.Div(
                [
                    _select(
                        layer,
                        "mode",
                        t("user.mode", lang),
                        _options(MODES, "user.mode", lang),
                        style["mode"],
                    ),
                    _select(
                        layer,
                        "column",
                        t("user.column", lang),
                        [none, *({"label": n, "value": n} for n in styled)],
                        style.get("column") or "",
                    ),
                    _select(
                        layer,
                        "method",
                        t("user.method", lang),
                        _options(METHODS, "user.method", lang),
                        style["method"],
                    ),
                    _select(
                        layer,
                        "k",
                        t("user.k", lang),
                        [{"label": str(k), "value": k} for k in range(3, 8)],
                        style["k"],
                    ),
                    _select(
                        layer,
                        "year_column",
                        t("user.year", lang),
                        [none, *({"label": n, "value": n} for n in years)],
                        style.get("year_column") or "",
                    ),
                ],
                className="atlas-user-controls",
            ),
            html.Div(
                legend_rows(service, item, lang),
                id=ids.user_legend(layer),
                className="atlas-user-legend",
            ),
            feature_list(service, item, lang),
        ],
    )


def valid_entries(value: Any, service: LayerService) -> list[dict[str, Any]]:
    """The USER_LAYERS entries rebuilt from the store: the page sends them back, so nothing in
    them but a known id and a style that fits its layer is taken as it is."""
    out: list[dict[str, Any]] = []
    for item in _list(value)[:MAX_LAYERS]:
        found = service.get(str(_dict(item).get("id")))
        if found is None or any(e["id"] == found[0].digest for e in out):
            continue
        info = service.describe(*found)
        try:
            style = asdict(check_style(LayerStyle(**_dict(item["style"])), service.columns(*found)))
        except (KeyError, TypeError, StyleError):
            style = info["style"]
        out.append(entry(info, style))
    return out
