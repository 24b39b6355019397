"""What the callbacks need from the atlas, prepared once at start-up and never mutated."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geodata import schema
from geodata.load import Atlas
from layers.timeline import year_span
from panels.details import Tables


@dataclass(frozen=True)
class AppData:
    tables: Tables
    years: tuple[int, int]
    known_ids: frozenset[str]
    notices: dict[str, str]  # lang → boundary notice

    @classmethod
    def from_atlas(cls, atlas: Atlas) -> AppData:
        def plain(name: str) -> pd.DataFrame:
            frame = atlas.table(name)
            if schema.LAYERS[name].geometry is not None:
                frame = pd.DataFrame(frame.drop(columns="geometry"))
            return frame

        tables = Tables(
            **{
                name: plain(name)
                for name in (
                    "places",
                    "lines",
                    "flows",
                    "status",
                    "indicators",
                    "events",
                    "boundaries",
                    "documents",
                )
            }
        )
        dates = [*tables.indicators["as_of"], *tables.events["date"]]
        meta = atlas.metadata()
        return cls(
            tables,
            year_span(dates),
            tables.feature_ids(),
            {"zh": meta["boundary_notice_zh"], "en": meta["boundary_notice_en"]},
        )
