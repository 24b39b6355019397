"""The atlas tables the app reads (no geometry), taken once at start-up, and their lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

import shapely

from core.citations import citation
from core.timeline import Timeline, timelines, year_span
from geodata import schema
from geodata.load import Atlas

TABLE_NAMES = (
    "places",
    "lines",
    "flows",
    "status",
    "indicators",
    "events",
    "boundaries",
    "documents",
    "sections",
)
FEATURE_TABLES = ("places", "lines", "flows", "boundaries")


@dataclass(frozen=True)
class Tables:
    """The plain tables (no geometry); frames are never mutated after start-up."""

    places: pd.DataFrame
    lines: pd.DataFrame
    flows: pd.DataFrame
    status: pd.DataFrame
    indicators: pd.DataFrame
    events: pd.DataFrame
    boundaries: pd.DataFrame
    documents: pd.DataFrame
    sections: pd.DataFrame  # articles inside a document page, with their own title/publisher
    points: dict[str, list[tuple[float, float]]]  # place/line/flow id → its drawn (lat, lon)s
    # Answers computed from the (never mutated) tables, kept for the next request that asks.
    memo: dict[tuple[object, ...], object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_atlas(cls, atlas: Atlas) -> Tables:
        def plain(name: str) -> pd.DataFrame:
            frame = atlas.table(name)
            if schema.LAYERS[name].geometry is not None:
                frame = pd.DataFrame(frame.drop(columns="geometry"))
            return frame

        points: dict[str, list[tuple[float, float]]] = {}
        for name in ("places", "lines", "flows"):
            frame = atlas.table(name)
            for fid, geom in zip(frame["id"], frame.geometry, strict=True):
                points[str(fid)] = [(y, x) for x, y in shapely.get_coordinates(geom)]
        return cls(**{name: plain(name) for name in TABLE_NAMES}, points=points)

    @cached_property
    def timelines(self) -> dict[str, Timeline]:
        """Every feature's status changes, computed once."""
        return timelines(self.status)

    @cached_property
    def years(self) -> tuple[int, int]:
        """The timeline's first and last year (indicator as-of dates and event dates)."""
        return year_span([*self.indicators["as_of"], *self.events["date"]])

    def cite(self, source: str, lang: str) -> str:
        """``source`` as a report would name it (see core.citations)."""
        key = ("cite", source, lang)
        if key not in self.memo:
            self.memo[key] = citation(self.documents, self.sections, source, lang)
        return str(self.memo[key])

    def feature_points(self) -> dict[str, list[tuple[float, float]]]:
        """(lat, lon) points of every place, line and flow, as drawn (for framing views)."""
        return self.points

    def feature_ids(self) -> frozenset[str]:
        """Every id a selection may name: places, lines, flows and boundaries."""
        return frozenset(str(i) for name in FEATURE_TABLES for i in getattr(self, name)["id"])

    def place_for_boundary(self, boundary_id: str) -> str | None:
        """The place that stands for a clicked prefecture/district, if there is one."""
        match = self.boundaries[self.boundaries["id"] == boundary_id]
        if match.empty or not match["adcode"].iloc[0]:
            return None
        places = self.places[self.places["adcode"] == match["adcode"].iloc[0]]
        return str(places["id"].iloc[0]) if not places.empty else None
