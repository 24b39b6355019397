"""Checks the atlas data before anything uses it.

Each violation becomes one :class:`Problem` naming file, layer, row id, field and what is
wrong, so that a planner who edited the GeoPackage in QGIS can find the cell to fix.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

import shapely

from geodata import schema


@dataclass(frozen=True)
class Problem:
    file: str
    layer: str
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: layer '{self.layer}', row '{self.row}', field '{self.field}': "
            f"{self.message}"
        )


class AtlasDataError(ValueError):
    """The atlas data failed validation; ``problems`` lists every violation found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        if len(problems) == 1:  # one line, like every other error the command reports
            super().__init__(f"atlas data is invalid: {problems[0]}")
            return
        shown = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"atlas data is invalid ({len(problems)} problems):\n  {shown}{more}")


def parse_date(text: str) -> tuple[int, int | None, int | None] | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` when it is not a real date."""
    match = schema.DATE.match(str(text))
    if not match:
        return None
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return year, month, day


def plausible_years(today: datetime.date | None = None) -> tuple[int, int]:
    """The first and last year a date in the atlas may have (see ``schema.EARLIEST_YEAR``)."""
    today = today or datetime.date.today()
    return schema.EARLIEST_YEAR, today.year + schema.FUTURE_YEARS


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def _row_id(frame: pd.DataFrame, spec: schema.LayerSpec, index: int) -> str:
    if spec.label and all(f in frame.columns for f in spec.label):
        parts = [frame[f].iloc[index] for f in spec.label]
        if not any(_blank(p) for p in parts):
            return ":".join(str(p) for p in parts)
    if spec.id_field in frame.columns:
        value = frame[spec.id_field].iloc[index]
        if not _blank(value):
            return str(value)
    return f"#{index + 1}"


def _ids(frames: Mapping[str, pd.DataFrame], layer: str) -> set[str]:
    frame = frames.get(layer)
    if frame is None or "id" not in frame.columns:
        return set()
    return {str(v) for v in frame["id"] if not _blank(v)}


def _split(value: object) -> list[str]:
    return [] if _blank(value) else [p.strip() for p in str(value).split(";") if p.strip()]


def _check_layer(
    file: str, frames: Mapping[str, pd.DataFrame], spec: schema.LayerSpec
) -> Iterator[Problem]:
    frame = frames[spec.name]
    missing = [f for f in spec.required if f not in frame.columns]
    for field in missing:
        yield Problem(file, spec.name, "-", field, "required field is missing from the layer")
    if missing:
        return

    def at(index: int, field: str, message: str) -> Problem:
        return Problem(file, spec.name, _row_id(frame, spec, index), field, message)

    if spec.unique_id and spec.id_field in frame.columns:
        seen: set[str] = set()
        for i, value in enumerate(frame[spec.id_field]):
            if str(value) in seen:
                yield at(i, spec.id_field, f"duplicate id {value!r}")
            seen.add(str(value))

    for field in spec.required:
        for i, value in enumerate(frame[field]):
            if _blank(value):
                yield at(i, field, "required value is empty")

    for (layer, field), allowed in schema.VOCABULARIES.items():
        if layer != spec.name or field not in frame.columns:
            continue
        for i, value in enumerate(frame[field]):
            text = "" if _blank(value) else str(value)
            if (text or field in spec.required) and text not in allowed:
                yield at(i, field, f"{text!r} is not one of {', '.join(a for a in allowed if a)}")

    first, last = plausible_years()
    for field in schema.DATE_FIELDS.get(spec.name, ()):
        for i, value in enumerate(frame[field]):
            if _blank(value):
                continue
            date = parse_date(str(value))
            if date is None:
                yield at(i, field, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            elif not first <= date[0] <= last:
                yield at(
                    i,
                    field,
                    f"{value!r} is not a plausible date: dates lie from {first} to {last} "
                    f"({schema.FUTURE_YEARS} years after today)",
                )

    if spec.name == "metadata":
        keys = {str(k).strip() for k in frame["key"]}
        for key in schema.REQUIRED_METADATA:
            if key not in keys:
                yield Problem(file, spec.name, key, "key", "required key is missing")

    if spec.name in schema.SOURCED_LAYERS:
        for i, value in enumerate(frame["source"]):
            if _blank(value):
                continue
            text = str(value).strip()
            if spec.name in ("indicators", "events", "flows") and not (
                schema.SEED_SOURCE.match(text) or schema.URL_SOURCE.match(text)
            ):
                yield at(i, "source", f"{text!r} is neither 'seedfile.txt:LINE' nor a URL")

    if spec.name in ("indicators", "flows"):
        for i, value in enumerate(frame["value"]):
            if _blank(value):
                continue  # an empty required value is reported above
            try:
                number = float(value)
            except (TypeError, ValueError):
                yield at(i, "value", f"{value!r} is not a number")
                continue
            if not math.isfinite(number) or number < 0:
                yield at(i, "value", f"{value!r} is not a finite, non-negative number")

    for first, second in schema.BILINGUAL_PAIRS.get(spec.name, ()):
        if first not in frame.columns and second not in frame.columns:
            continue
        given = {f: frame[f] if f in frame.columns else None for f in (first, second)}
        for i in range(len(frame)):
            filled = {f: col is not None and not _blank(col.iloc[i]) for f, col in given.items()}
            if filled[first] != filled[second]:
                present, missing = (first, second) if filled[first] else (second, first)
                yield at(
                    i,
                    missing,
                    f"{missing} is empty while {present} is given: text a reader sees "
                    "needs both languages",
                )

    if spec.name == "sections":
        yield from _check_sections(frame, at)

    if spec.geometry is not None:
        yield from _check_geometry(file, frame, spec, at)


def _line_number(value: object) -> int | None:
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return int(text) if text.isdigit() and int(text) >= 1 else None


def _check_sections(
    frame: pd.DataFrame, at: Callable[[int, str, str], Problem]
) -> Iterator[Problem]:
    """Line ranges are whole numbers, first <= last, and no two of one document overlap."""
    ranges: dict[str, list[tuple[int, int, int]]] = {}
    for i in range(len(frame)):
        first = _line_number(frame["first_line"].iloc[i])
        last = _line_number(frame["last_line"].iloc[i])
        for field, number in (("first_line", first), ("last_line", last)):
            value = frame[field].iloc[i]
            if number is None and not _blank(value):
                yield at(i, field, f"{value!r} is not a line number (a whole number from 1)")
        if first is None or last is None:
            continue
        if last < first:
            yield at(i, "last_line", f"last line {last} comes before first line {first}")
            continue
        ranges.setdefault(str(frame["document"].iloc[i]), []).append((first, last, i))
    for spans in ranges.values():
        spans.sort()
        reach = spans[0]  # the section reaching furthest so far
        for first, last, j in spans[1:]:
            if first <= reach[1]:
                yield at(
                    j,
                    "first_line",
                    f"lines {first}–{last} overlap another section of the same document "
                    f"(lines {reach[0]}–{reach[1]})",
                )
            if last > reach[1]:
                reach = (first, last, j)


def _check_geometry(
    file: str,
    frame: pd.DataFrame,
    spec: schema.LayerSpec,
    at: Callable[[int, str, str], Problem],
) -> Iterator[Problem]:
    crs = getattr(frame, "crs", None)
    if crs is None or crs.to_epsg() != 4326:
        yield Problem(file, spec.name, "-", "geometry", f"CRS must be EPSG:4326, found {crs}")
        return
    lon_min, lat_min, lon_max, lat_max = schema.REGION_BOUNDS
    for i, geom in enumerate(frame.geometry):
        if geom is None or geom.is_empty:
            yield at(i, "geometry", "geometry is missing or empty")
            continue
        if geom.geom_type != spec.geometry:
            yield at(i, "geometry", f"expected {spec.geometry}, found {geom.geom_type}")
            continue
        if not shapely.is_valid(geom):
            yield at(i, "geometry", f"invalid geometry: {shapely.is_valid_reason(geom)}")
            continue
        x0, y0, x1, y1 = geom.bounds
        if x0 < lon_min or y0 < lat_min or x1 > lon_max or y1 > lat_max:
            yield at(
                i,
                "geometry",
                f"lies outside the Beijing–Tianjin–Hebei region "
                f"(bounds {x0:.4f},{y0:.4f},{x1:.4f},{y1:.4f}); are lon/lat swapped or not WGS-84?",
            )


def _check_references(
    file_of: Callable[[str], str], frames: Mapping[str, pd.DataFrame]
) -> Iterator[Problem]:
    places = _ids(frames, "places")
    features = places | _ids(frames, "lines")
    scopes = places | set(schema.EXTRA_SCOPES)
    checks = (
        ("status", "feature_id", features, "places or lines"),
        ("flows", "origin_ids", places, "places"),
        ("flows", "dest_id", places, "places"),
        ("events", "place_ids", places, "places"),
        ("indicators", "scope", scopes, "places (or 'jingjinji')"),
        ("sections", "document", _ids(frames, "documents"), "documents"),
    )
    documents = _ids(frames, "documents")
    for layer in schema.SOURCED_LAYERS:
        frame = frames.get(layer)
        if frame is None or "source" not in frame.columns or not documents:
            continue
        spec = schema.LAYERS[layer]
        for i, value in enumerate(frame["source"]):
            match = schema.SEED_SOURCE.match(str(value).strip())
            if match and match["file"] not in documents:
                yield Problem(
                    file_of(layer),
                    layer,
                    _row_id(frame, spec, i),
                    "source",
                    f"{match['file']!r} is not listed in the documents layer",
                )
    for layer, field, known, where in checks:
        frame = frames.get(layer)
        if frame is None or field not in frame.columns:
            continue
        spec = schema.LAYERS[layer]
        for i, value in enumerate(frame[field]):
            for ref in _split(value):
                if ref not in known:
                    row = _row_id(frame, spec, i)
                    yield Problem(
                        file_of(layer), layer, row, field, f"{ref!r} is not an id in {where}"
                    )


def validate(frames: Mapping[str, pd.DataFrame], file: str | Mapping[str, str]) -> list[Problem]:
    """Every problem with ``frames`` (layer name → frame); ``file`` names where they came from."""

    def file_of(layer: str) -> str:
        return file if isinstance(file, str) else file.get(layer, "?")

    problems: list[Problem] = []
    for name, spec in schema.LAYERS.items():
        if name not in frames:
            problems.append(Problem(file_of(name), name, "-", "-", "layer is missing"))
            continue
        problems.extend(_check_layer(file_of(name), frames, spec))
    problems.extend(_check_references(file_of, frames))
    return problems


def ensure_valid(frames: Mapping[str, pd.DataFrame], file: str | Mapping[str, str]) -> None:
    """Raise :class:`AtlasDataError` listing every problem, if there is any."""
    problems = validate(frames, file)
    if problems:
        raise AtlasDataError(problems)
