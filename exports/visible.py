"""What a view shows: the same features, statuses and widths the browser draws, as frames.

The features come from the very GeoJSON the dashboard sends (``layers.features``), filtered and
styled by the rules of ``core`` that the browser's twins are proven equal to; so an export cannot
differ from the screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

import geopandas as gpd

from core import style
from core.readings import reading
from core.tables import Tables
from core.timeline import is_visible, status_at, year_of
from exports.spec import ExportSpec
from exports.user import UserLayer, resolve
from geodata.load import Atlas
from layers.basemap import boundaries_layer
from layers.features import flows_layer, lines_layer, places_layer

if TYPE_CHECKING:
    from uploads.service import LayerService

INDICATOR_COLUMNS = [
    "series",
    "state",
    "role",
    "id",
    "label_zh",
    "label_en",
    "value",
    "qualifier",
    "unit_zh",
    "unit_en",
    "as_of",
    "period_zh",
    "period_en",
    "definition_zh",
    "definition_en",
    "scope",
    "source",
    "quoted_figure",
    "note_zh",
    "note_en",
]


@dataclass(frozen=True)
class Visible:
    """Everything one export draws or lists. Frames are this object's own copies."""

    spec: ExportSpec
    boundaries: gpd.GeoDataFrame  # basemap levels with ``focus`` and ``label`` flags
    places: gpd.GeoDataFrame  # display points (shared stand-ins spread as on screen), status
    lines: gpd.GeoDataFrame  # status, width (px)
    flows: gpd.GeoDataFrame  # arcs and arrowheads: part, counted, width (px), dashed
    indicators: pd.DataFrame  # the rows the theme's KPI cards show for the year
    status_rows: pd.DataFrame  # the status record behind each visible feature's status
    as_of: str | None  # the newest date of anything shown, not after the year
    sources: tuple[str, ...]  # every source cited by what is shown, first use first
    documents: pd.DataFrame  # the seed documents, to name cited files by title and date
    metadata: dict[str, str]
    sections: pd.DataFrame | None = None  # articles inside a document, with their own title
    user: tuple[UserLayer, ...] = ()  # the planner's own layers, as shown in the year

    def feature_ids(self) -> dict[str, list[str]]:
        """Visible ids per kind: ``{"places": [...], "lines": [...], "flows": [...]}``."""
        arcs = self.flows[self.flows["part"] == "arc"] if len(self.flows) else self.flows
        return {
            "places": [str(i) for i in self.places["id"]],
            "lines": [str(i) for i in self.lines["id"]],
            "flows": [str(i) for i in arcs["id"]],
        }


def _frame(collection: dict[str, Any], keep: list[bool]) -> gpd.GeoDataFrame:
    features = [f for f, k in zip(collection["features"], keep, strict=True) if k]
    if not features:
        return gpd.GeoDataFrame({"id": pd.Series([], dtype=object)}, geometry=[], crs="EPSG:4326")
    return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")


def _filtered(collection: dict[str, Any], spec: ExportSpec) -> gpd.GeoDataFrame:
    layers = spec.shown_layers
    keep = [is_visible(f["properties"], spec.year, layers) for f in collection["features"]]
    return _frame(collection, keep)


def _with_status(frame: gpd.GeoDataFrame, year: int) -> gpd.GeoDataFrame:
    if frame.empty:
        return frame.assign(status=pd.Series([], dtype=object))
    return frame.assign(status=[status_at(tl, year) for tl in frame["tl"]])


def _flow_style(frame: gpd.GeoDataFrame, year: int) -> gpd.GeoDataFrame:
    """``flowStyle``: the width counts only once the figure's year has come."""
    if frame.empty:
        return frame.assign(counted=pd.Series([], dtype=bool))
    values = [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in frame["value"]
    ]
    counted = [
        style.flow_counted({"value": v, "value_year": int(y)}, year)
        for v, y in zip(values, frame["value_year"], strict=True)
    ]
    width = [
        float(w) if c else style.FLOW_MIN_WIDTH
        for w, c in zip(frame["width"], counted, strict=True)
    ]
    dashed = [v is not None and not c for v, c in zip(values, counted, strict=True)]
    return frame.assign(value=values, counted=counted, width=width, dashed=dashed)


def indicator_rows(indicators: pd.DataFrame, series: tuple[str, ...], year: int) -> pd.DataFrame:
    """The rows the KPI cards show for ``year`` (``core.readings.reading``).

    One ``shown`` row per card with a figure, ``differs`` rows for same-year figures from other
    sources that the card mentions, and a ``no_data`` row (no value, no source) for a card that
    has nothing yet.
    """
    by_id = indicators.set_index("id")
    rows: list[dict[str, Any]] = []
    for name in series:
        r = reading(indicators, name, year)
        if r.figure is None:
            rows.append(
                {
                    "series": name,
                    "state": r.state,
                    "role": "none",
                    "label_zh": r.first.label_zh,
                    "label_en": r.first.label_en,
                    "unit_zh": r.first.unit_zh,
                    "unit_en": r.first.unit_en,
                }
            )
            continue
        others = [
            *(("differs", f) for f in r.differing),
            *(("other_definition", f) for f in r.other_definitions),
        ]
        for role, figure in [("shown", r.figure), *others]:
            record = by_id.loc[figure.id]
            rows.append(
                {
                    "series": name,
                    "state": r.state,
                    "role": role,
                    "id": figure.id,
                    **{c: record[c] for c in INDICATOR_COLUMNS[4:] if c in record.index},
                }
            )
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    text = [c for c in INDICATOR_COLUMNS if c != "value"]
    frame[text] = frame[text].astype(object).fillna("")
    return frame  # value stays numeric: empty (NaN) for a card with no data


def _status_rows(status: pd.DataFrame, ids: list[str], year: int) -> pd.DataFrame:
    """The record that sets each feature's status in ``year`` (the latest dated in or before)."""
    mine = status[status["feature_id"].astype(str).isin(ids)]
    mine = mine[mine["since"].map(year_of) <= year]
    mine = mine.assign(_d=mine["since"].astype(str)).sort_values("_d", kind="stable")
    return mine.groupby("feature_id", sort=False).tail(1).drop(columns="_d")


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (str(x).strip() for x in values) if v))


_BASEMAPS: dict[int, tuple[Atlas, gpd.GeoDataFrame]] = {}


def basemap(atlas: Atlas) -> gpd.GeoDataFrame:
    """The dashboard's basemap layer as a frame (a copy), computed once per loaded atlas."""
    cached = _BASEMAPS.get(id(atlas))
    if cached is None or cached[0] is not atlas:
        frame = gpd.GeoDataFrame.from_features(
            boundaries_layer(atlas.table("boundaries"))["features"], crs="EPSG:4326"
        )
        if len(_BASEMAPS) >= 4:
            _BASEMAPS.clear()
        cached = _BASEMAPS[id(atlas)] = (atlas, frame)
    return cached[1].copy()


def collect(atlas: Atlas, spec: ExportSpec, user_layers: LayerService | None = None) -> Visible:
    """What ``spec`` shows, computed from ``atlas`` exactly as the dashboard computes it; the
    planner's layers ``spec.user`` names come from ``user_layers`` (ExportError when it does
    not have them or their style does not fit)."""
    user = resolve(spec, user_layers)
    places_table, status = atlas.table("places"), atlas.table("status")
    places = _with_status(_filtered(places_layer(places_table, status), spec), spec.year)
    lines = _with_status(_filtered(lines_layer(atlas.table("lines"), status), spec), spec.year)
    flows = _flow_style(_filtered(flows_layer(atlas.table("flows"), places_table), spec), spec.year)
    boundaries = basemap(atlas)
    indicators = indicator_rows(atlas.table("indicators"), spec.theme_def.series, spec.year)
    ids = [*places["id"], *lines["id"]]
    status_rows = _status_rows(status, [str(i) for i in ids], spec.year)

    source_of = {
        "places": places_table.set_index("id")["source"],
        "lines": atlas.table("lines").set_index("id")["source"],
        "flows": atlas.table("flows").set_index("id")["source"],
    }
    arc_ids = list(flows.loc[flows["part"] == "arc", "id"]) if len(flows) else []
    shown_figures = indicators[indicators["role"] != "none"]
    counted = flows[(flows["part"] == "arc") & flows["counted"]] if len(flows) else flows
    flow_dates = atlas.table("flows").set_index("id").loc[list(counted["id"]), "as_of"]
    dates = [*shown_figures["as_of"], *status_rows["since"], *flow_dates]
    dates = [str(d) for d in dates if str(d).strip() and year_of(str(d)) <= spec.year]
    sources = _unique(
        [
            *shown_figures["source"],
            *source_of["places"].loc[list(places["id"])],
            *source_of["lines"].loc[list(lines["id"])],
            *source_of["flows"].loc[arc_ids],
            *status_rows["source"],
        ]
    )
    return Visible(
        spec=spec,
        boundaries=boundaries,
        places=places,
        lines=lines,
        flows=flows,
        indicators=indicators,
        status_rows=status_rows,
        as_of=max(dates) if dates else None,
        sources=sources,
        documents=atlas.table("documents"),
        metadata=atlas.metadata(),
        sections=atlas.table("sections"),
        user=user,
    )


def data_years(atlas: Atlas) -> tuple[int, int]:
    """The timeline's years, as the dashboard has them."""
    return Tables.from_atlas(atlas).years
