"""The "what changed this year" list: one line per change, each with its date and source."""

from __future__ import annotations

from typing import Any

from dash import html

from core.story import Change, change_text, changes, names_of
from core.tables import Tables
from core.text import t
from panels.cards import source_link


def _item(tables: Tables, change: Change, lang: str, names: dict[str, str]) -> html.Li:
    layer, _, row = change.source_key.partition(":")
    return html.Li(
        [
            html.Span(change.date, className="atlas-event-date"),
            " ",
            html.Span(t(f"kind.{change.kind}", lang), className="atlas-change-kind"),
            " ",
            html.Span(change_text(tables, change, lang, names), className="atlas-change-text"),
            " ",
            source_link(layer, row, tables.cite(change.source, lang), lang, where="story"),
        ],
        className="atlas-event",
        **{"data-kind": change.kind, "data-subject": change.subject},
    )


def year_story(tables: Tables, theme: str, year: int, lang: str) -> list[Any]:
    """The year's changes for ``theme``; an empty year says so in one line. Built once per
    theme, year and language (the tables never change; Dash only reads the components)."""
    key = ("year_story", theme, year, lang)
    if key not in tables.memo:
        tables.memo[key] = _year_story(tables, theme, year, lang)
    return list(tables.memo[key])  # type: ignore[call-overload]


def _year_story(tables: Tables, theme: str, year: int, lang: str) -> list[Any]:
    found = changes(tables, theme, year)
    if not found:
        return [html.P(t("story.none", lang, year=year), className="atlas-empty")]
    names = names_of(tables, lang)
    told = [c for c in found if c.kind != "figure"]
    figures = [c for c in found if c.kind == "figure"]
    out: list[Any] = []
    if told:
        out.append(html.Ol([_item(tables, c, lang, names) for c in told], className="atlas-story"))
    if figures:  # a group of its own, open when nothing else happened that year
        out.append(
            html.Details(
                [
                    html.Summary(
                        t(
                            "story.figures" + (".one" if len(figures) == 1 else ""),
                            lang,
                            n=len(figures),
                            year=year,
                        )
                    ),
                    html.Ol(
                        [_item(tables, c, lang, names) for c in figures], className="atlas-story"
                    ),
                ],
                className="atlas-story-figures",
                open=not told,
            )
        )
    return out
