"""The flow table's section as the page shows it (issue 14): a sortable table of the flows the
map draws in a year, with their counts and sources, and the in/out totals per place. What the
rows and totals hold comes from ``panels.flows``."""

from __future__ import annotations

from typing import Any

from dash import html

import ids
from core.style import safe_id
from core.tables import Tables
from core.text import t
from panels.cards import source_link
from panels.flows import FlowRow, flow_rows, place_totals, side_text
from panels.legend import FLOW_LAYERS  # the story layers that draw flows


def _source(r: FlowRow, tables: Tables, lang: str) -> html.Button:
    """The cards' source button (it opens the source dialog), naming just the source: the
    column's heading says "Source" (the button's title says it in full)."""
    cited = tables.cite(r.source, lang)
    button = source_link("flows", r.id, cited, lang, "table")
    button.children = cited
    return button


def _row(r: FlowRow, tables: Tables, n: int, lang: str) -> html.Tbody:
    """One flow as a row group: its from → to across the table (the group's header, a button
    that selects it), then its count, start year, count date and source under the columns.
    Two lines fit a side panel where five columns would not; the group sorts as one."""
    since = t("flows.attested", lang, year=r.since) if r.attested else str(r.since)
    return html.Tbody(
        [
            html.Tr(
                html.Th(
                    html.Button(
                        [
                            html.Span(r.origin, className="atlas-flow-from"),
                            " → ",
                            html.Span(r.destination, className="atlas-flow-to"),
                        ],
                        type="button",
                        className="atlas-flow-select",
                        title=t("flows.select", lang),
                        **{"data-flow": r.id},
                    ),
                    scope="rowgroup",
                    colSpan=len(COLUMNS),
                ),
                className="atlas-flow-name",
            ),
            html.Tr(
                [
                    html.Td(r.amount, className=f"atlas-flow-count atlas-flow-{r.state}"),
                    html.Td(since),
                    html.Td(r.as_of or "—"),
                    html.Td(_source(r, tables, lang)),
                ],
                className="atlas-flow-values",
            ),
        ],
        className="atlas-flow-row",
        **{
            "data-flow": r.id,
            "data-flow-class": f"atlas-flow-{safe_id(r.id)}",
            "data-count": "" if r.value is None else repr(r.value),
            "data-order": str(n),
        },
    )


COLUMNS = ("flows.col.count", "flows.col.since", "flows.col.as_of", "flows.col.source")


def _table(rows: list[FlowRow], tables: Tables, year: int, lang: str) -> html.Table:
    sort = html.Th(
        html.Button(
            [
                t("flows.col.count", lang),
                html.Span("↕", className="atlas-flow-sort-mark", **{"aria-hidden": "true"}),
            ],
            type="button",
            className="atlas-flow-sort",
            title=t("flows.sort", lang),
        ),
        scope="col",
        className="atlas-flow-sort-head",
        **{"aria-sort": "none"},
    )
    heads = [sort, *(html.Th(t(key, lang), scope="col") for key in COLUMNS[1:])]
    return html.Table(
        [
            html.Caption(t("flows.caption", lang, year=year)),
            html.Thead(html.Tr(heads)),
            *(_row(r, tables, n, lang) for n, r in enumerate(rows)),
        ],
        className="atlas-flow-list",
    )


def _totals(rows: list[FlowRow], tables: Tables, lang: str) -> list[Any]:
    by_id = {r.id: r for r in rows}
    items = [
        html.Li(
            [
                html.Strong(place.name),
                *(
                    html.Span(side_text(s, by_id, lang), className="atlas-flow-side")
                    for s in place.sides
                ),
            ],
            className="atlas-flow-total",
        )
        for place in place_totals(tables, rows, lang)
    ]
    return [
        html.H3(t("flows.totals", lang), className="atlas-flow-totals-title"),
        html.P(t("flows.totals.note", lang), className="atlas-note"),
        html.Ul(items, className="atlas-flow-totals"),
    ]


def shown_layers(layers: Any) -> tuple[str, ...]:
    """The flow layers among ``layers`` (anything a request may carry)."""
    chosen = layers if isinstance(layers, list | tuple) else ()
    return tuple(k for k in FLOW_LAYERS if k in chosen)


def flow_panel(tables: Tables, year: int, layers: Any, lang: str) -> tuple[list[Any], bool]:
    """(children, hidden) of the flow table's section: hidden while no flow layer is on; one
    line when the map shows no flow yet. Built once per year, flow layers and language."""
    on = shown_layers(layers)
    key = ("flow_panel", year, on, lang)
    if key not in tables.memo:
        tables.memo[key] = _flow_panel(tables, year, on, lang)
    children, hidden = tables.memo[key]  # type: ignore[misc]
    return list(children), bool(hidden)


def _flow_panel(tables: Tables, year: int, on: tuple[str, ...], lang: str) -> tuple[list, bool]:
    title = html.H2(t("flows.title", lang), id=ids.FLOW_TABLE_TITLE, className="atlas-side-title")
    if not on:
        return [title], True
    rows = flow_rows(tables, year, on, lang)
    if not rows:
        return [title, html.P(t("flows.empty", lang, year=year), className="atlas-empty")], False
    return [title, _table(rows, tables, year, lang), *_totals(rows, tables, lang)], False
