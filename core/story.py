"""What changed in a year, for a theme — computed from the tables, never written by hand.

A year's changes are, in date order:
- status changes of the theme's places and lines (opened, construction started, planned,
  closed; a change only *attested* by then — ``basis`` attested — is said so);
- flows whose first year is that year (``basis`` attested: first reported, not begun);
- the theme's events;
- the figures dated in that year (one per series: the one its card shows).

An event that marks a status change (``marks`` = ``feature:status``) stands for it: the status
line is not repeated. The overview lists every theme's changes but only its own cards' figures.

The default year of a theme is the latest year in which at least one of its cards shows a
figure dated in that year (not all of them are stale); with no figures, the last year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.readings import format_value, reading, with_unit
from core.tables import Tables
from core.text import local, t
from core.themes import THEMES
from core.timeline import year_of

Kind = Literal["open", "under_construction", "planned", "closed", "flow", "event", "figure"]
KIND_ORDER: tuple[Kind, ...] = (
    "open",
    "under_construction",
    "planned",
    "closed",
    "flow",
    "event",
    "figure",
)


@dataclass(frozen=True)
class Change:
    """One thing that happened (or was first reported, or was counted) in the year."""

    date: str
    kind: Kind
    subject: str  # the row the line is about: feature id, flow id, event id or indicator id
    source_key: str  # ``layer:row`` for the source dialog
    source: str
    attested: bool = False  # known to be so by then; it may have begun earlier
    series: str = ""  # figures only


def _theme_features(tables: Tables, theme: str) -> set[str]:
    ids: set[str] = set()
    for frame in (tables.places, tables.lines):
        rows = frame if theme == "overview" else frame[frame["theme"] == theme]
        ids.update(str(i) for i in rows["id"])
    return ids


def _marked(events: pd.DataFrame, year: int) -> set[tuple[str, str]]:
    """(feature, status) pairs that the year's events stand for."""
    out: set[tuple[str, str]] = set()
    for row in events.itertuples(index=False):
        if year_of(row.date) == year:
            for mark in str(row.marks or "").split(";"):
                feature, _, status = mark.strip().partition(":")
                if feature and status:
                    out.add((feature, status))
    return out


def theme_series(tables: Tables, theme: str) -> tuple[str, ...]:
    """The series whose dated figures a theme's year list shows: the overview its own cards,
    a theme every series of its own (cards first)."""
    chosen = THEMES[theme]
    if theme == "overview":
        return chosen.series
    own = tables.indicators.loc[tables.indicators["theme"] == theme, "series"]
    return tuple(dict.fromkeys([*chosen.series, *own]))


def changes(tables: Tables, theme: str, year: int) -> list[Change]:
    """Everything recorded for ``theme`` in ``year``, in date order (raises KeyError for an
    unknown theme). Computed once per theme and year (the tables never change)."""
    if theme not in THEMES:
        raise KeyError(theme)
    key = ("changes", theme, year)
    if key not in tables.memo:
        tables.memo[key] = tuple(_changes(tables, theme, year))
    return list(tables.memo[key])  # type: ignore[arg-type]


def _changes(tables: Tables, theme: str, year: int) -> list[Change]:
    out: list[Change] = []
    features = _theme_features(tables, theme)
    events = tables.events
    if theme != "overview":
        events = events[events["theme"] == theme]
    marked = _marked(events, year)

    status = tables.status
    for row in status.itertuples(index=False):
        feature = str(row.feature_id)
        if year_of(row.since) != year or feature not in features:
            continue
        if (feature, str(row.status)) in marked:
            continue
        out.append(
            Change(
                str(row.since),
                row.status,
                feature,
                status_key(feature, str(row.status), str(row.since)),
                str(row.source),
                attested=getattr(row, "basis", "") == "attested",
            )
        )

    flows = tables.flows
    if theme != "overview":
        flows = flows[flows["theme"] == theme]
    for row in flows.itertuples(index=False):
        if int(row.year_from) == year:
            out.append(
                Change(
                    str(row.year_from),
                    "flow",
                    str(row.id),
                    f"flows:{row.id}",
                    str(row.source),
                    attested=getattr(row, "basis", "") == "attested",
                )
            )

    for row in events.itertuples(index=False):
        if year_of(row.date) == year:
            out.append(Change(str(row.date), "event", str(row.id), f"events:{row.id}", row.source))

    for series in theme_series(tables, theme):
        shown = reading(tables.indicators, series, year)
        if shown.state == "current" and shown.figure is not None:
            f = shown.figure
            out.append(
                Change(f.as_of, "figure", f.id, f"indicators:{f.id}", f.source, series=series)
            )
    return sorted(out, key=lambda c: (c.date, KIND_ORDER.index(c.kind)))


def status_key(feature: str, status: str, since: str) -> str:
    """The source-dialog key of one status record (status rows have no id of their own)."""
    return f"status:{feature}|{status}|{since}"


def story_years(tables: Tables, theme: str) -> tuple[int, ...]:
    """The years of the timeline in which ``theme`` has anything recorded (slider marks): the
    years ``changes`` is not empty, read straight off the date columns (no year's list built).
    A status change an event stands for is in its event's year, so it adds no year of its own."""
    first, last = tables.years
    own = (lambda frame: frame) if theme == "overview" else (lambda f: f[f["theme"] == theme])
    features = _theme_features(tables, theme)
    status = tables.status[tables.status["feature_id"].astype(str).isin(features)]
    indicators = tables.indicators[tables.indicators["series"].isin(theme_series(tables, theme))]
    years = {
        *status["since"].map(year_of),
        *own(tables.flows)["year_from"].astype(int),
        *own(tables.events)["date"].map(year_of),
        *indicators["as_of"].map(year_of),
    }
    return tuple(sorted(y for y in years if first <= y <= last))


def default_year(tables: Tables, theme: str) -> int:
    """The latest year in which not all of the theme's cards are stale."""
    first, last = tables.years
    series = THEMES[theme].series
    for year in range(last, first - 1, -1):
        if any(reading(tables.indicators, s, year).state == "current" for s in series):
            return year
    return last


def default_years(tables: Tables) -> dict[str, int]:
    return {key: default_year(tables, key) for key in THEMES}


def names_of(tables: Tables, lang: str) -> dict[str, str]:
    key = ("names", lang)
    if key not in tables.memo:
        tables.memo[key] = _names(tables, lang)
    return tables.memo[key]  # type: ignore[return-value]


def _names(tables: Tables, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for frame in (tables.places, tables.lines):
        for row in frame.itertuples(index=False):
            out[str(row.id)] = str(local(row, "name", lang))
    return out


def change_text(tables: Tables, change: Change, lang: str, names: dict[str, str]) -> str:
    """What one change says, in ``lang`` (names and titles come from the tables)."""
    suffix = ".attested" if change.attested else ""
    if change.kind == "event":
        row = tables.events[tables.events["id"] == change.subject].iloc[0]
        return str(local(row, "title", lang))
    if change.kind == "flow":
        row = tables.flows[tables.flows["id"] == change.subject].iloc[0]
        origins = "、".join(names.get(o, o) for o in str(row.origin_ids).split(";") if o)
        if lang == "en":
            origins = ", ".join(names.get(o, o) for o in str(row.origin_ids).split(";") if o)
        dest = names.get(str(row.dest_id), str(row.dest_id))
        return t(f"change.flow{suffix}", lang, origin=origins, dest=dest)
    if change.kind == "figure":
        shown = reading(tables.indicators, change.series, int(change.date[:4]))
        f = shown.figure
        assert f is not None  # a figure change is only made for a current reading
        sep = "：" if lang == "zh" else ": "
        return f"{f.label(lang)}{sep}{with_unit(format_value(f, lang), f.unit(lang), lang)}"
    name = names.get(change.subject, change.subject)
    return t(f"change.{change.kind}{suffix}", lang, name=name)
