"""The panel for a clicked feature: what it is, its status in the year, figures, events, sources."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pandas as pd
from dash import html

import ids
from core.citations import article, date_text, field_text
from core.readings import format_amount, reading, with_unit
from core.story import status_key
from core.tables import Tables
from core.text import local, pick, t
from core.timeline import status_at, year_of
from geodata import schema
from panels.cards import card, event_items, source_link


def _name(row: Any, lang: str) -> str:
    return str(local(row, "name", lang))


def _status_word(row: Any, lang: str) -> str:
    word = t(f"status.{row.status}", lang)
    if getattr(row, "basis", "") == "attested":
        return t("status.attested", lang, status=word)
    return word


def cited(tables: Tables, source: str, lang: str) -> Any:
    """A source named as a report would; a web address is a link opening in a new tab."""
    name = tables.cite(source, lang)
    if schema.URL_SOURCE.match(source):
        return html.A(
            name, href=source, target="_blank", rel="noopener noreferrer", className="atlas-source"
        )
    return html.Span(name, className="atlas-source")


def _status_block(tables: Tables, feature_id: str, year: int, lang: str) -> list[Any]:
    tl = tables.timelines.get(feature_id)
    now = status_at(tl, year)
    head = (
        t(f"status.{now}", lang) if now else t("status.not_yet", lang, year=year)
    ) + f" ({year})"
    rows = tables.status[tables.status["feature_id"] == feature_id]
    history = [
        html.Li(
            [
                f"{row.since} {_status_word(row, lang)} ",
                source_link(
                    "status",
                    status_key(feature_id, str(row.status), str(row.since)),
                    tables.cite(row.source, lang),
                    lang,
                ),
            ]
            + (
                [html.Br(), html.Small(local(row, "note", lang))]
                if local(row, "note", lang)
                else []
            )
        )
        for row in rows.itertuples(index=False)
    ]
    return [
        html.H3(t("status", lang)),
        html.P(head, className="atlas-status-now", **{"data-status": now or "none"}),
        html.Ul(history) if history else html.P(t("status.none", lang)),
    ]


def _figures_block(tables: Tables, scope: str, year: int, lang: str) -> list[Any]:
    series = tables.indicators[tables.indicators["scope"] == scope]["series"].drop_duplicates()
    cards = [
        card(reading(tables.indicators, s, year), lang, lambda src: tables.cite(src, lang))
        for s in series
    ]
    return [html.H3(t("figures", lang)), *(cards or [html.P(t("no_figures", lang))])]


def _events_block(tables: Tables, feature_id: str, lang: str) -> list[Any]:
    mask = tables.events["place_ids"].fillna("").str.split(";").map(lambda ids: feature_id in ids)
    related = tables.events[mask].sort_values("date", kind="stable")
    if related.empty:
        return []
    return [html.H3(t("related_events", lang)), html.Ul(event_items(tables, related, lang))]


def _place(tables: Tables, place: pd.Series, year: int, lang: str) -> list[Any]:
    pid = str(place["id"])
    accuracy = str(place["location_accuracy"])
    return [
        html.H2(_name(place, lang)),
        html.P(_name(place, pick(lang, "en", "zh")), className="atlas-name-alt"),
        html.P(
            f"{t('accuracy', lang)}: {t(f'accuracy.{accuracy}', lang)}",
            className=f"atlas-accuracy atlas-accuracy-{accuracy}",
        ),
        html.P([f"{t('coord_source', lang)}: ", cited(tables, str(place["source"]), lang)]),
        *(
            [html.P(local(place, "note", lang), className="atlas-note")]
            if local(place, "note", lang)
            else []
        ),
        *_status_block(tables, pid, year, lang),
        *_figures_block(tables, pid, year, lang),
        *_events_block(tables, pid, lang),
    ]


def _line(tables: Tables, line: pd.Series, year: int, lang: str) -> list[Any]:
    lid = str(line["id"])
    return [
        html.H2(_name(line, lang)),
        html.P(t("schematic", lang), className="atlas-note") if line["schematic"] else None,
        html.P([f"{t('source', lang)}: ", cited(tables, str(line["source"]), lang)]),
        *_status_block(tables, lid, year, lang),
        *_events_block(tables, lid, lang),
    ]


def _flow(tables: Tables, flow: pd.Series, year: int, lang: str) -> list[Any]:
    names = tables.places.set_index("id")
    origins = [o for o in str(flow["origin_ids"]).split(";") if o]
    title = "、".join(_name(names.loc[o], lang) for o in origins)
    title += " → " + _name(names.loc[flow["dest_id"]], lang)
    value = flow["value"]
    if pd.isna(value):
        amount = t("flow.no_value", lang)
    elif year_of(flow["as_of"]) > year:
        amount = t("flow.not_yet", lang)
    else:
        printed = str(flow.get("quoted_figure") or "")
        shown = format_amount(float(value), str(flow.get("qualifier") or ""), lang, printed)
        shown = with_unit(shown, local(flow, "unit", lang), lang)
        amount = f"{shown} ({t('as_of', lang)} {flow['as_of']})"
    return [
        html.H2(title),
        html.P(t("schematic", lang), className="atlas-note"),
        html.P(amount, className="atlas-flow-amount"),
        *(
            [html.P(local(flow, "note", lang), className="atlas-note")]
            if local(flow, "note", lang)
            else []
        ),
        source_link("flows", str(flow["id"]), tables.cite(str(flow["source"]), lang), lang),
    ]


def details(tables: Tables, selected: str | None, year: int, lang: str) -> list[Any] | None:
    """The details panel for ``selected`` (``None`` when nothing known is selected)."""
    if not selected:
        return None
    for frame, build in ((tables.places, _place), (tables.lines, _line), (tables.flows, _flow)):
        match = frame[frame["id"] == selected]
        if not match.empty:
            return [c for c in build(tables, match.iloc[0], year, lang) if c is not None]
    match = tables.boundaries[tables.boundaries["id"] == selected]
    if not match.empty:
        return [html.H2(_name(match.iloc[0], lang)), html.P(t("no_figures", lang))]
    return None


def source_details(tables: Tables, key: str, lang: str) -> list[Any]:
    """What the source of one row says, in our words: document, date, line, figure, note."""
    layer, row_id = ids.source_row(key)
    frame = {"indicators": tables.indicators, "events": tables.events, "flows": tables.flows}.get(
        layer
    )
    if layer == "status":  # status rows are named by feature|status|since
        feature, status, since = [*row_id.split("|"), "", ""][:3]
        s = tables.status
        frame = s[(s["feature_id"] == feature) & (s["status"] == status) & (s["since"] == since)]
        frame = frame.assign(id=row_id)
    if frame is None or frame[frame["id"] == row_id].empty:
        return [html.P(f"{t('source', lang)}: ?")]
    row = frame[frame["id"] == row_id].iloc[0]
    source = str(row["source"])
    items: list[Any] = [html.P(tables.cite(source, lang), className="atlas-citation")]
    if schema.URL_SOURCE.match(source):
        items.append(
            html.P(
                [
                    f"{t('source.url', lang)}: ",
                    html.A(
                        unquote(source), href=source, rel="noopener noreferrer", target="_blank"
                    ),
                ]
            )
        )
    elif found := article(tables.documents, tables.sections, source):
        doc, _line = found
        title, publisher = field_text(doc, "title", lang), field_text(doc, "publisher", lang)
        if title:
            items.append(html.P(f"{t('source.document', lang)}: {title}"))
        if publisher:
            items.append(html.P(f"{t('source.publisher', lang)}: {publisher}"))
        published = date_text(str(doc.get("published", "")), lang)
        items.append(html.P(f"{t('source.published', lang)}: {published}"))
        # where the figure is, for the curious: the archived text's file and line
        items.append(html.P([f"{t('source.line', lang)}: ", html.Code(source)]))
    else:
        items.append(html.P(source))
    quoted = row.get("quoted_figure") or row.get("quoted_date")
    if quoted:
        items.append(html.P([f"{t('source.quoted', lang)}: ", html.Q(quoted)]))
    note = local(row, "note", lang)
    if note:
        items.append(html.P(f"{t('source.note', lang)}: {note}"))
    return items
