"""The flow table (issue 14): the flows the map shows for a year and layers, with their counts,
and the in/out totals per place, beside the map.

A flow is listed when the map draws it (``core.timeline.is_visible``: its layer is on and it
began by then). Its count is shown as the map's width uses it: only once the count's date has
come (``core.style.flow_counted``); before that the row says a figure comes later, as the
flow's own panel does. The rows are drawn by the page (``panels/plain.py``); ``assets/flows.js``
sorts them by count, ties a row to its arc on every map (hover, focus) and turns a row's button
into a selection, as a click on the arc does.

Totals add only counted flows, and never one figure twice: of two counts of the same
origin → destination the latest is taken, and a flow whose other end lies inside another
flow's other end (Baoding inside Hebei, by administrative code) is already in that figure.
Counts of different units are never added together."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from core.readings import format_amount, last_day, with_unit
from core.tables import Tables
from core.text import local, pick, t
from core.timeline import is_visible, year_of

LOWER = frozenset({"more_than", "at_least"})  # the true number is at least this
UPPER = frozenset({"less_than", "nearly"})  # the true number is under this
State = Literal["counted", "later", "none"]


@dataclass(frozen=True)
class FlowRow:
    """One visible flow as the table shows it in a year."""

    id: str
    origins: tuple[str, ...]  # place ids (a joint origin has several)
    dest: str
    origin: str  # names in the table's language
    destination: str
    state: State  # counted in the year, counted only in a later year, or never counted
    value: float | None  # the count shown (None unless counted)
    qualifier: str
    printed: str  # the count as the report printed it (the wording of its qualifier)
    unit: str
    unit_key: str  # the unit in English: counts are only added within one unit
    amount: str  # the count cell's text
    since: int  # the year the flow began (or was first reported)
    attested: bool  # ``since`` is when a source first shows it, not when it began
    as_of: str  # the count's date ("" unless counted)
    source: str


@dataclass(frozen=True)
class Side:
    """One place's flows in one direction, and what their counts add up to."""

    direction: Literal["out", "in"]
    # (sum, qualifier, unit, the count as printed when the sum is one count) per unit
    sums: tuple[tuple[float, str, str, str], ...] = ()
    counted: tuple[str, ...] = ()  # flow ids added into the sums
    not_counted: tuple[str, ...] = ()  # flows with no count (yet)
    nested: tuple[tuple[str, str], ...] = ()  # (flow, the flow whose figure includes it)
    superseded: tuple[str, ...] = ()  # older counts of a flow counted again later


@dataclass(frozen=True)
class PlaceTotal:
    key: tuple[str, ...]  # place ids (a joint origin is one entry)
    name: str
    sides: tuple[Side, ...] = field(default=())


def _names(tables: Tables, place_ids: tuple[str, ...], lang: str) -> str:
    """A place's name, or a joint origin's names ("天津市、河北省", "Tianjin and Hebei")."""
    names = tables.places.set_index("id")
    return pick(lang, "、", " and ").join(str(local(names.loc[p], "name", lang)) for p in place_ids)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def flow_rows(tables: Tables, year: int, layers: tuple[str, ...], lang: str) -> list[FlowRow]:
    """The flows the map shows in ``year`` with ``layers`` on, in the order they began."""
    rows: list[FlowRow] = []
    for row in tables.flows.to_dict("records"):
        since = year_of(row["year_from"])
        props = {"layer": row["theme"], "from_year": since}
        if not is_visible(props, year, layers):
            continue
        origins = tuple(o for o in str(row["origin_ids"]).split(";") if o)
        dest = str(row["dest_id"])
        value = pd.to_numeric(row["value"], errors="coerce")
        qualifier = _text(row.get("qualifier"))
        unit = _text(local(row, "unit", lang))
        as_of = _text(row["as_of"])
        if pd.isna(value):
            state: State = "none"
            amount = t("flow.no_value", lang)
        elif year_of(as_of) > year:
            state = "later"
            amount = t("flows.later", lang, year=year_of(as_of))
        else:
            state = "counted"
            printed = _text(row.get("quoted_figure"))
            amount = with_unit(format_amount(float(value), qualifier, lang, printed), unit, lang)
        rows.append(
            FlowRow(
                id=str(row["id"]),
                origins=origins,
                dest=dest,
                origin=_names(tables, origins, lang),
                destination=_names(tables, (dest,), lang),
                state=state,
                value=float(value) if state == "counted" else None,
                qualifier=qualifier if state == "counted" else "",
                printed=_text(row.get("quoted_figure")) if state == "counted" else "",
                unit=unit,
                unit_key=_text(row["unit_en"]),
                amount=amount,
                since=since,
                attested=_text(row.get("basis")) == "attested",
                as_of=as_of if state == "counted" else "",
                source=_text(row["source"]),
            )
        )
    return sorted(rows, key=lambda r: r.since)  # stable: the data's order within a year


# ---- totals ---------------------------------------------------------------------------------


def _code(tables: Tables, place: str) -> str:
    """A place's administrative code (its own, else the one it lies in); "" when unknown."""
    found = tables.places[tables.places["id"] == place]
    if found.empty:
        return ""
    row = found.iloc[0]
    return _text(row.get("adcode")) or _text(row.get("within"))


def inside(inner: str, outer: str) -> bool:
    """Whether code ``inner`` lies in the area of code ``outer`` (130600 in 130000)."""
    if len(inner) != 6 or len(outer) != 6 or inner == outer:
        return False
    prefix = outer[:2] if outer.endswith("0000") else outer[:4] if outer.endswith("00") else outer
    return inner.startswith(prefix)


def combined(qualifiers: list[str]) -> str:
    """The qualifier of a sum of counts with these qualifiers: one count keeps its own; lower
    bounds (超过/余, at least) make "at least", upper bounds "under", anything else "about"."""
    if len(qualifiers) == 1:
        return qualifiers[0]
    shown = {q for q in qualifiers if q}
    if not shown:
        return ""
    if shown <= LOWER:
        return "at_least"
    if shown <= UPPER:
        return "less_than"
    return "about"


def _side(tables: Tables, direction: Literal["out", "in"], rows: list[FlowRow]) -> Side:
    def other(r: FlowRow) -> tuple[str, ...]:
        return (r.dest,) if direction == "out" else r.origins

    counted = [r for r in rows if r.state == "counted"]
    not_counted = tuple(r.id for r in rows if r.state != "counted")
    # of two counts of one flow (the same origins and destination) only the latest is added
    latest: dict[tuple[tuple[str, ...], str], FlowRow] = {}
    for r in counted:
        key = (r.origins, r.dest)
        if key not in latest or last_day(r.as_of) >= last_day(latest[key].as_of):
            latest[key] = r
    superseded = tuple(r.id for r in counted if latest[(r.origins, r.dest)] is not r)
    kept = [r for r in counted if latest[(r.origins, r.dest)] is r]
    # a flow to (from) a place inside another counted flow's place is already in its figure
    nested: list[tuple[str, str]] = []
    for r in kept:
        if len(other(r)) != 1:
            continue
        code = _code(tables, other(r)[0])
        for g in kept:
            if g is r or g.unit_key != r.unit_key or len(other(g)) != 1:
                continue
            if inside(code, _code(tables, other(g)[0])):
                nested.append((r.id, g.id))
                break
    inner = {n for n, _ in nested}
    added = [r for r in kept if r.id not in inner]
    sums: list[tuple[float, str, str, str]] = []
    for unit_key in dict.fromkeys(r.unit_key for r in added):
        group = [r for r in added if r.unit_key == unit_key]
        total = sum(r.value or 0.0 for r in group)
        printed = group[0].printed if len(group) == 1 else ""
        sums.append((total, combined([r.qualifier for r in group]), group[0].unit, printed))
    return Side(
        direction,
        tuple(sums),
        tuple(r.id for r in added),
        not_counted,
        tuple(nested),
        superseded,
    )


def place_totals(tables: Tables, rows: list[FlowRow], lang: str) -> list[PlaceTotal]:
    """Per place (origins first, in the table's order): its out- and inflows and their sums."""
    ends: dict[tuple[str, ...], dict[str, list[FlowRow]]] = {}
    for r in rows:
        ends.setdefault(r.origins, {}).setdefault("out", []).append(r)
        ends.setdefault((r.dest,), {}).setdefault("in", []).append(r)
    out: list[PlaceTotal] = []
    for key, by in ends.items():
        sides = tuple(
            _side(tables, direction, by[direction])  # type: ignore[arg-type]
            for direction in ("out", "in")
            if direction in by
        )
        out.append(PlaceTotal(key, _names(tables, key, lang), sides))
    return out


# ---- what the panel shows -------------------------------------------------------------------


def _sep(lang: str) -> str:
    """Between names in a list (English names may hold commas: "Xiqing District, Tianjin")."""
    return pick(lang, "、", "; ")


def side_text(side: Side, by_id: dict[str, FlowRow], lang: str) -> str:
    """One direction of a place's total, as a sentence: "Out: at least 3,800 merchants; …"."""

    def ends(flow_ids: tuple[str, ...] | list[str]) -> str:
        def end(r: FlowRow) -> str:
            return r.destination if side.direction == "out" else r.origin

        return _sep(lang).join(dict.fromkeys(end(by_id[i]) for i in flow_ids))

    parts: list[str] = []
    if side.sums:
        total = pick(lang, "；", "; ").join(
            with_unit(format_amount(value, qualifier, lang, printed), unit, lang)
            for value, qualifier, unit, printed in side.sums
        )
        if side.not_counted:
            parts.append(
                t(
                    "flows.more_uncounted",
                    lang,
                    n=len(side.not_counted),
                    names=ends(side.not_counted),
                )
            )
    elif len(side.not_counted) == 1:
        total = t("flows.none_counted.one", lang)
    else:
        total = t("flows.none_counted", lang, n=len(side.not_counted), names=ends(side.not_counted))
    wholes: dict[str, list[str]] = {}
    for flow, whole in side.nested:
        wholes.setdefault(whole, []).append(flow)
    for whole, flows in wholes.items():
        parts.append(t("flows.nested", lang, inner=ends(flows), outer=ends([whole])))
    if side.superseded:
        dates = _sep(lang).join(by_id[i].as_of for i in side.superseded)
        parts.append(t("flows.superseded", lang, dates=dates))
    head = t("flows.side", lang, dir=t(f"flows.{side.direction}", lang), total=total)
    return pick(lang, "；", "; ").join([head, *parts])
