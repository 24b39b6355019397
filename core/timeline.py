"""Years, statuses and "as of" logic: what was true in a given year, without interpolation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

TIMELINE_START = 2014  # the coordinated-development strategy and the Dahongmen relocation begin


def year_of(date: str) -> int:
    """The year of a ``YYYY[-MM[-DD]]`` date string."""
    return int(str(date)[:4])


def year_span(dates: Iterable[str]) -> tuple[int, int]:
    """First and last year of the timeline: from 2014 to the newest dated figure or event."""
    last = max((year_of(d) for d in dates if str(d).strip()), default=TIMELINE_START)
    return TIMELINE_START, max(TIMELINE_START, last)


Timeline = list[tuple[int, str]]


def timelines(status: pd.DataFrame) -> dict[str, Timeline]:
    """Each feature's status changes as ``[(year, status), …]`` in date order."""
    out: dict[str, Timeline] = {}
    ordered = status.assign(_d=status["since"].astype(str)).sort_values("_d", kind="stable")
    for row in ordered.itertuples(index=False):
        out.setdefault(str(row.feature_id), []).append((year_of(row.since), str(row.status)))
    return out


def status_at(timeline: Timeline | None, year: int) -> str | None:
    """The status in ``year`` (the last change dated in or before it); ``None`` if not yet there.

    A feature with no status records is taken as always present (cities, districts).
    """
    if not timeline:
        return "open"
    record = _record_at(timeline, year)
    return record[1] if record else None


def _record_at(timeline: Timeline | None, year: int) -> tuple[int, str] | None:
    """The status record in force in ``year``: the last one dated in or before it."""
    current = None
    for record in timeline or ():
        if record[0] <= year:
            current = record
    return current


def attested_years(status: pd.DataFrame) -> dict[str, list[int]]:
    """Per feature, the years of its status records that only attest it (``basis`` attested):
    a source shows it so by then, and it may have been so earlier."""
    if "basis" not in status:
        return {}
    rows = status[status["basis"].fillna("") == "attested"]
    out: dict[str, list[int]] = {}
    for row in rows.itertuples(index=False):
        out.setdefault(str(row.feature_id), []).append(year_of(row.since))
    return out


def attested_at(timeline: Timeline | None, attested: list[int] | None, year: int) -> bool:
    """Whether the status shown in ``year`` rests on an attested date (``attestedAt`` in JS)."""
    record = _record_at(timeline, year)
    return record is not None and record[0] in (attested or ())


def is_visible(props: dict[str, Any], year: int, layers: Iterable[str]) -> bool:
    """Whether a feature (its GeoJSON properties) is on the map: its layer is on, and it is
    present in ``year`` — a flow from the year it began, a place or line once it has a status.

    ``visible`` in assets/atlas.js is the browser's twin (proven equal by the parity test).
    """
    if props.get("layer") not in tuple(layers):
        return False
    if props.get("from_year") is not None:
        return int(props["from_year"]) <= year
    return status_at(props.get("tl"), year) is not None
