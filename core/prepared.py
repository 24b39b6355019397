"""What the app needs from the atlas, prepared once at start-up and never mutated."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.story import default_years, story_years
from core.tables import Tables
from core.themes import THEMES
from core.tour import KioskSetup, load_tour
from geodata.load import Atlas
from settings import Settings
from uploads.service import LayerService
from uploads.service import from_settings as layer_service


@dataclass(frozen=True)
class AppData:
    tables: Tables
    years: tuple[int, int]
    known_ids: frozenset[str]
    notices: dict[str, str]  # lang → boundary notice
    kiosk: KioskSetup
    atlas: Atlas  # what was loaded: exports draw from it, so they match the screen
    default_years: dict[str, int]  # theme → the year it opens on (core.story.default_year)
    story_years: dict[str, tuple[int, ...]]  # theme → years with recorded changes
    layers: LayerService  # planners' own layers (uploads/)

    @classmethod
    def from_atlas(cls, atlas: Atlas, settings: Settings | None = None) -> AppData:
        """Tables and the kiosk tour (raises TourError if the tour file is unusable)."""
        settings = settings or Settings()
        tables = Tables.from_atlas(atlas)
        years = tables.years
        known_ids = tables.feature_ids()
        scenes = load_tour(
            settings.tour_path,
            years,
            known_ids,
            frozenset(tables.indicators["series"]),
            tables.feature_points(),
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
            atlas,
            default_years(tables),
            {key: story_years(tables, key) for key in THEMES},
            layer_service(settings, atlas),
        )
