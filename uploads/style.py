"""How a planner's layer is drawn: its columns profiled, a style chosen, each feature classed.

A numeric column draws as a choropleth (polygons) or graduated symbols (points, lines) in
classes the planner picks (quantiles, natural breaks or equal interval, computed with
mapclassify); a text column draws as categories; without a column every feature takes one
colour. A year or date column ties the layer to the timeline: a feature shows from its year on.
Classes are computed once over every feature of every year, so a class means the same on each
step of the timeline (fixed breaks).

The drawing itself needs only, per feature, its class (``-1``: no value) and its year (``None``:
always shown); colours and legend rows come with the style (:class:`Classes`)."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

import geopandas as gpd

MODES = ("single", "classes", "categories")
METHODS = ("quantiles", "natural_breaks", "equal_interval")
K_RANGE = (3, 7)
MAX_CATEGORIES = 8  # the rest are drawn as one "other" class
FISHER_SAMPLE = 500  # natural breaks over at most this many values (evenly spread, sorted):
# mapclassify's Fisher-Jenks without numba takes ~0.6 s for 500, ~10 s for 2,000
YEAR_NAMES = re.compile(r"^(year|yr|年|年份|年度|date|日期|start|开始|建成|opened|开通)", re.I)
YEARS = (1900, 2100)

# Sequential (ColorBrewer PuRd, distinct from the story's own hues) and
# qualitative (ColorBrewer Dark2) palettes; "no value" is drawn grey.
# PuRd without its two palest steps, which vanish on the light basemap
_PURD = ["#d4b9da", "#c994c7", "#df65b0", "#e7298a", "#ce1256", "#980043", "#67001f"]
SEQUENTIAL = {
    k: [_PURD[round(i * (len(_PURD) - 1) / (k - 1))] for i in range(k)] for k in range(2, 8)
}
QUALITATIVE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
OTHER = "#666666"
SINGLE = "#7a0177"
NO_VALUE = "#bdbdbd"


class StyleError(ValueError):
    """A style that does not fit the layer (unknown column, text column for classes...)."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "number", "text" or "year"


@dataclass(frozen=True)
class LayerStyle:
    mode: str = "single"
    column: str | None = None
    method: str = "quantiles"
    k: int = 5
    year_column: str | None = None


@dataclass(frozen=True)
class Classes:
    """The style applied: per feature its class and year; the colours and the legend's rows."""

    classes: list[int]  # index into colors, -1 for no value
    years: list[int | None]
    colors: list[str]
    labels: list[str]  # one per colour, e.g. "12.0 – 30.5" or a category
    counts: list[int]
    missing: int  # features without a value (drawn NO_VALUE)


def _numbers(values: pd.Series) -> pd.Series:
    """A column as numbers (NaN where a cell is none); "1,234" reads as 1234."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    return pd.to_numeric(values.astype(str).str.replace(",", "").str.strip(), errors="coerce")


def _years(values: pd.Series) -> pd.Series:
    """Years from a column of years or dates (None where it holds neither)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        year = values.dt.year.astype(float)
        return year.where(year.between(*YEARS))
    number = _numbers(values)
    whole = number.where((number % 1 == 0) & number.between(*YEARS))
    rest = whole.isna() & values.notna()
    if rest.any():  # dates written as text
        dates = pd.to_datetime(values[rest].astype(str), errors="coerce", format="mixed")
        whole = whole.fillna(dates.dt.year)
    return whole.where(whole.between(*YEARS))


def profile(frame: gpd.GeoDataFrame) -> list[Column]:
    """The columns a style can use: numbers, text (categories) and years."""
    columns = []
    for name in frame.columns:
        if name == frame.geometry.name:
            continue
        values = frame[name]
        filled = values[values.notna() & (values.astype(str).str.strip() != "")]
        if filled.empty:
            continue
        if YEAR_NAMES.search(str(name)) and _years(filled).notna().mean() >= 0.9:
            columns.append(Column(str(name), "year"))
            continue
        numbers = _numbers(filled)
        if numbers.notna().mean() >= 0.9:
            columns.append(Column(str(name), "number"))
        else:
            columns.append(Column(str(name), "text"))
    return columns


ID_NAMES = re.compile(r"^(id|fid|gid|oid|objectid|index|no|序号|编号|代码|adcode|code)$", re.I)


def default_style(columns: list[Column]) -> LayerStyle:
    """The first numeric column that is not an identifier in classes, else one colour; the first
    year column if any."""
    year = next((c.name for c in columns if c.kind == "year"), None)
    number = next(
        (c.name for c in columns if c.kind == "number" and not ID_NAMES.match(c.name.strip())),
        None,
    )
    if number is not None:
        return LayerStyle("classes", number, "quantiles", 5, year)
    return LayerStyle("single", None, "quantiles", 5, year)


def check_style(style: LayerStyle, columns: list[Column]) -> LayerStyle:
    kinds = {c.name: c.kind for c in columns}
    if style.mode not in MODES:
        raise StyleError(f"mode must be one of {', '.join(MODES)}; got {style.mode!r}")
    if style.method not in METHODS:
        raise StyleError(f"method must be one of {', '.join(METHODS)}; got {style.method!r}")
    if not K_RANGE[0] <= style.k <= K_RANGE[1]:
        raise StyleError(f"classes must be {K_RANGE[0]}–{K_RANGE[1]}; got {style.k}")
    if style.year_column is not None and kinds.get(style.year_column) != "year":
        raise StyleError(f"{style.year_column!r} is not a year column of this layer")
    if style.mode == "single":
        return style
    if style.column not in kinds:
        raise StyleError(f"the layer has no column {style.column!r}")
    if style.mode == "classes" and kinds[style.column] != "number":
        raise StyleError(f"column {style.column!r} holds no numbers to class")
    return style


def _labels(lows: list[float], highs: list[float]) -> list[str]:
    """ "low – high" per class, every number with the same decimals (none for whole numbers or
    ranges over 100, else two)."""
    values = lows + highs
    whole = all(float(v).is_integer() for v in values) or max(abs(v) for v in values) >= 100
    digits = 0 if whole else 2
    return [f"{lo:,.{digits}f} – {hi:,.{digits}f}" for lo, hi in zip(lows, highs, strict=True)]


def _numeric(frame: gpd.GeoDataFrame, style: LayerStyle) -> Classes:
    values = _numbers(frame[style.column])
    y = values.to_numpy(dtype=float)
    ok = np.isfinite(y)
    classes = np.full(len(y), -1, dtype=int)
    distinct = np.unique(y[ok])
    if len(distinct) == 0:
        return Classes(classes.tolist(), [], [], [], [], int((~ok).sum()))
    k = min(style.k, len(distinct))
    if k < 2:
        bins = np.array([distinct[0]])
    elif style.method == "quantiles":
        bins = mapclassify.Quantiles(y[ok], k=k).bins
    elif style.method == "equal_interval":
        bins = mapclassify.EqualInterval(y[ok], k=k).bins
    else:
        sample = np.sort(y[ok])
        if len(sample) > FISHER_SAMPLE:  # evenly spread over the sorted values: deterministic
            sample = sample[np.linspace(0, len(sample) - 1, FISHER_SAMPLE).astype(int)]
        with warnings.catch_warnings():  # "Numba not installed": known, and timed above
            warnings.simplefilter("ignore", UserWarning)
            bins = mapclassify.FisherJenks(sample, k=k).bins
        bins[-1] = max(bins[-1], y[ok].max())
    bins = np.unique(bins)
    classes[ok] = np.minimum(np.searchsorted(bins, y[ok], side="left"), len(bins) - 1)
    colors = SEQUENTIAL[len(bins)] if len(bins) > 1 else [SINGLE]
    lows = [float(y[ok].min()), *bins[:-1].tolist()]
    labels = _labels(lows, bins.tolist())
    counts = [int((classes == i).sum()) for i in range(len(bins))]
    return Classes(classes.tolist(), [], list(colors), labels, counts, int((~ok).sum()))


def _categories(frame: gpd.GeoDataFrame, style: LayerStyle) -> Classes:
    text = frame[style.column].astype(str).str.strip()
    text = text.where(frame[style.column].notna() & (text != ""))
    counts = text.value_counts()
    top = counts.index[: MAX_CATEGORIES - 1 if len(counts) > MAX_CATEGORIES else MAX_CATEGORIES]
    order = {name: i for i, name in enumerate(top)}
    other = len(top) if len(counts) > len(top) else None
    classes = [
        -1 if not isinstance(v, str) else order.get(v, other if other is not None else -1)
        for v in text
    ]
    colors = QUALITATIVE[: len(top)] + ([OTHER] if other is not None else [])
    labels = [str(n) for n in top] + (["…"] if other is not None else [])
    tally = [classes.count(i) for i in range(len(colors))]
    return Classes(classes, [], colors, labels, tally, classes.count(-1))


def classify(frame: gpd.GeoDataFrame, style: LayerStyle) -> Classes:
    """Each feature's class and year under ``style`` (checked with :func:`check_style`)."""
    if style.mode == "classes":
        result = _numeric(frame, style)
    elif style.mode == "categories":
        result = _categories(frame, style)
    else:
        result = Classes([0] * len(frame), [], [SINGLE], [""], [len(frame)], 0)
    years: list[int | None] = [None] * len(frame)
    if style.year_column is not None:
        found = _years(frame[style.year_column])
        years = [None if (v is None or math.isnan(v)) else int(v) for v in found.tolist()]
    return Classes(
        result.classes, years, result.colors, result.labels, result.counts, result.missing
    )
