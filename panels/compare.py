"""The change list between year A and year B (issue 14), as the side panel shows it: what
happened (status changes, flows, events), then the figures compared; each line with its dates
and sources. A line about a feature is a button that selects it on both maps
(``assets/compare.js`` listens; it carries the feature's id in ``data-feature``)."""

from __future__ import annotations

from typing import Any

from dash import html

from core.compare import Line, compare, lines
from core.tables import Tables
from core.text import t
from panels.cards import source_link


def _sources(line: Line, n: int, lang: str) -> list[Any]:
    out: list[Any] = []
    for k, ((key, cited), date) in enumerate(zip(line.sources, line.dates, strict=True)):
        layer, _, row = key.partition(":")
        if k:
            out.append(html.Span(" → ", className="atlas-change-arrow", **{"aria-hidden": "true"}))
        out += [
            html.Span(date, className="atlas-event-date"),
            " ",
            source_link(layer, row, cited, lang, where=f"compare{n}-{k}"),
        ]
    return out


def _item(line: Line, n: int, lang: str) -> html.Li:
    if line.feature:
        what: Any = html.Button(
            line.text,
            className="atlas-change-select",
            title=t("compare.select", lang),
            n_clicks=0,
            **{"data-feature": line.feature},
        )
    else:
        what = html.Span(line.text, className="atlas-change-text")
    return html.Li(
        [
            html.Span(t(f"kind.{line.kind}", lang), className="atlas-change-kind"),
            " ",
            what,
            html.Div(_sources(line, n, lang), className="atlas-change-sources"),
        ],
        className="atlas-event atlas-change" + ("" if line.comparable else " atlas-change-other"),
        **{"data-kind": line.kind, "data-feature": line.feature or ""},
    )


def change_list(tables: Tables, theme: str, a: int, b: int, lang: str) -> tuple[str, str, list]:
    """(title, note, list) of the change list of ``theme`` from ``a`` to ``b`` in ``lang``;
    years out of order give a note asking for an earlier A and no list."""
    if not a < b:
        return t("compare.label", lang), t("compare.order", lang, b=b), []
    key = ("change_list", theme, a, b, lang)
    if key not in tables.memo:
        tables.memo[key] = _change_list(tables, theme, a, b, lang)
    title, note, items = tables.memo[key]  # type: ignore[misc]
    return title, note, list(items)


def _change_list(tables: Tables, theme: str, a: int, b: int, lang: str) -> tuple[str, str, list]:
    found = lines(tables, compare(tables, theme, a, b), lang)
    title = t("compare.title", lang, a=a, b=b)
    if not found:
        return title, t("compare.none", lang, a=a, b=b), []
    happened = [line for line in found if line.kind != "figure"]
    figures = [line for line in found if line.kind == "figure"]
    out: list[Any] = []
    n = 0
    for heading, group in (("compare.events", happened), ("compare.figures", figures)):
        if not group:
            continue
        out.append(html.H3(t(heading, lang), className="atlas-changes-group"))
        items = []
        for line in group:
            items.append(_item(line, n, lang))
            n += 1
        out.append(html.Ol(items, className="atlas-story atlas-change-list"))
    return title, t("compare.how", lang, a=a, b=b), out
