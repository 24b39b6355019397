"""What the callbacks need from the atlas, prepared once at start-up and never mutated."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from geodata import schema
from geodata.load import Atlas
from kiosk.tour import KioskSetup, load_tour
from layers.basemap import boundaries_layer
from layers.geojson import to_geobuf
from layers.timeline import year_span
from panels.details import Tables
from settings import Settings


@dataclass(frozen=True)
class AppData:
    tables: Tables
    years: tuple[int, int]
    known_ids: frozenset[str]
    notices: dict[str, str]  # lang → boundary notice
    kiosk: KioskSetup
    data_path: Path
    basemap: bytes  # the boundaries as geobuf, served at layout.mapview.BASEMAP_URL

    @classmethod
    def from_atlas(cls, atlas: Atlas, settings: Settings | None = None) -> AppData:
        """Tables and the kiosk tour (raises TourError if the tour file is unusable)."""
        settings = settings or Settings()

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
        years = year_span(dates)
        known_ids = tables.feature_ids()
        scenes = load_tour(
            settings.tour_path, years, known_ids, frozenset(tables.indicators["series"])
        )
        if settings.tour_scene_seconds:
            scenes = tuple(replace(s, duration=settings.tour_scene_seconds) for s in scenes)
        meta = atlas.metadata()
        return cls(
            tables,
            years,
            known_ids,
            {"zh": meta["boundary_notice_zh"], "en": meta["boundary_notice_en"]},
            KioskSetup(scenes, settings.kiosk_idle_seconds, settings.public_url),
            atlas.path,
            to_geobuf(boundaries_layer(atlas.table("boundaries"))),
        )
