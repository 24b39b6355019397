"""What the atlas data must look like: layers, fields, vocabularies and the region."""

from __future__ import annotations

import re
from dataclasses import dataclass

THEMES = ("hubs", "relocation", "corridor", "synergy", "services")
STATUSES = ("planned", "under_construction", "open", "closed")
# How a status date is known: "" the date of the change itself; "attested" the date a source
# first shows the feature in that status (it may have been so earlier).
STATUS_BASES = ("", "attested")
ACCURACIES = ("exact", "site_estimate", "stand_in", "area_centroid")
QUALIFIERS = ("", "more_than", "about", "nearly", "less_than", "at_least")
DIRECTIONS = ("outbound", "inbound")
BOUNDARY_LEVELS = ("province", "prefecture", "district", "county", "new_area")
PLACE_KINDS = (
    "station",
    "air_terminal",
    "airport",
    "market",
    "successor_site",
    "receiving_site",
    "city",
    "province",
    "district",
    "area",
    "park",
    "government",
)
LINE_KINDS = (
    "intercity_rail",
    "high_speed_rail",
    "conventional_rail",
    "expressway",
    "suburban_rail",
)
# Scope ids an indicator may use besides place ids.
EXTRA_SCOPES = ("jingjinji",)

# Beijing + Tianjin + Hebei with a small margin (lon_min, lat_min, lon_max, lat_max).
REGION_BOUNDS = (113.3, 36.0, 120.0, 42.7)

SEED_SOURCE = re.compile(r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt):(?P<line>[1-9]\d*)$")
URL_SOURCE = re.compile(r"^https?://[^\s/]+\.[^\s/]+/\S*$")
DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
# A plausible date: from 1850 (before Fengtai station, 1895, the oldest record of the story)
# to FUTURE_YEARS after today (plans run to 2035 and 2050). A date outside (9999 typed for
# 2025) would stretch the timeline to thousands of years.
EARLIEST_YEAR = 1850
FUTURE_YEARS = 25
# Metadata the app reads: the boundary notice every page and export prints.
REQUIRED_METADATA = ("boundary_notice_zh", "boundary_notice_en")


# A note a reader sees, in both languages: both filled or both empty.
NOTE_FIELDS = ("note_zh", "note_en")


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the GeoPackage."""

    name: str
    id_field: str
    required: tuple[str, ...]
    geometry: str | None = None  # None: a plain attribute table
    optional: tuple[str, ...] = ()
    unique_id: bool = True  # False: id_field only names the row in messages
    label: tuple[str, ...] = ()  # fields joined with ':' to name a row in messages, if not id_field


LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "boundaries",
            "id",
            ("id", "name_zh", "name_en", "level"),
            geometry="MultiPolygon",
            optional=("adcode", "parent_id"),
        ),
        LayerSpec(
            "places",
            "id",
            ("id", "name_zh", "name_en", "kind", "theme", "location_accuracy", "source"),
            geometry="Point",
            optional=("adcode", "within", *NOTE_FIELDS),
        ),
        LayerSpec(
            "lines",
            "id",
            ("id", "name_zh", "name_en", "kind", "theme", "schematic", "source"),
            geometry="LineString",
            optional=NOTE_FIELDS,
        ),
        LayerSpec(
            "flows",
            "id",
            (
                "id",
                "origin_ids",
                "dest_id",
                "theme",
                "kind",
                "unit_zh",
                "unit_en",
                "year_from",
                "as_of",
                "direction",
                "source",
            ),
            geometry="MultiLineString",
            optional=("basis", "value", "qualifier", "quoted_figure", *NOTE_FIELDS),
        ),
        LayerSpec(
            "status",
            "feature_id",
            ("feature_id", "status", "since", "source"),
            optional=("basis", *NOTE_FIELDS),
            unique_id=False,
        ),
        LayerSpec(
            "indicators",
            "id",
            (
                "id",
                "series",
                "label_zh",
                "label_en",
                "value",
                "unit_zh",
                "unit_en",
                "as_of",
                "scope",
                "theme",
                "source",
            ),
            optional=(
                "qualifier",
                "period_zh",
                "period_en",
                "definition_zh",
                "definition_en",
                "quoted_figure",
                *NOTE_FIELDS,
            ),
        ),
        LayerSpec(
            "events",
            "id",
            ("id", "date", "title_zh", "title_en", "theme", "source"),
            optional=("place_ids", "marks", "quoted_date", *NOTE_FIELDS),
        ),
        LayerSpec(
            "documents",
            "id",
            ("id", "published", "title_zh", "title_en", "publisher_zh", "publisher_en", "basis"),
        ),
        # Articles inside a document (a newspaper page carries several) whose title or
        # publisher differ from the document's: cite lines first_line..last_line by these.
        LayerSpec(
            "sections",
            "document",
            (
                "document",
                "first_line",
                "last_line",
                "title_zh",
                "title_en",
                "publisher_zh",
                "publisher_en",
                "basis",
            ),
            unique_id=False,
            label=("document", "first_line"),
        ),
        LayerSpec("metadata", "key", ("key", "value")),
    )
}

DATE_FIELDS = {
    "documents": ("published",),
    "status": ("since",),
    "indicators": ("as_of",),
    "events": ("date",),
    "flows": ("as_of", "year_from"),
}
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("boundaries", "level"): BOUNDARY_LEVELS,
    ("places", "kind"): PLACE_KINDS,
    ("places", "theme"): THEMES,
    ("places", "location_accuracy"): ACCURACIES,
    ("lines", "kind"): LINE_KINDS,
    ("lines", "theme"): THEMES,
    ("flows", "theme"): THEMES,
    ("flows", "direction"): DIRECTIONS,
    ("flows", "qualifier"): QUALIFIERS,
    ("status", "status"): STATUSES,
    ("status", "basis"): STATUS_BASES,
    ("flows", "basis"): STATUS_BASES,  # attested: year_from is when a source first shows it
    ("indicators", "theme"): THEMES,
    ("indicators", "qualifier"): QUALIFIERS,
    ("events", "theme"): THEMES,
}
SOURCED_LAYERS = ("places", "lines", "flows", "status", "indicators", "events")
# Text a reader sees in one language or the other: where one of a pair is given, so is the other.
BILINGUAL_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    name: (NOTE_FIELDS,) for name in SOURCED_LAYERS
} | {
    "indicators": (
        NOTE_FIELDS,
        ("period_zh", "period_en"),
        ("definition_zh", "definition_en"),
    )
}
