"""Tour scenes from a YAML file staff can edit; every mistake is named by scene and field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from core.text import UI
from core.themes import LAYER_KEYS, THEMES

MAX_SCENE_SECONDS = 600


class TourError(ValueError):
    """The tour file is unusable; the message names the file, scene and field."""


@dataclass(frozen=True)
class Scene:
    id: str
    title_zh: str
    title_en: str
    caption_zh: str
    caption_en: str
    theme: str
    layers: tuple[str, ...]
    years: tuple[int, int]  # the same year twice for a still scene
    center: tuple[float, float]
    zoom: int
    # [[south, west], [north, east]] of the features the scene is about (``focus``); the kiosk
    # fits them into the part of the map nothing covers. None: the fixed ``view`` is used.
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    focus: tuple[str, ...]  # the ids framed by ``bounds``
    highlight: str | None
    cards: tuple[str, ...]
    duration: float
    # "swipe" or "side": the scene compares its first year (A) with its last (B) instead of
    # stepping through them (a swipe sweeps across once, then holds in the middle)
    compare: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


TEXT_FIELDS = ("id", "title_zh", "title_en", "caption_zh", "caption_en")
KNOWN_FIELDS = {
    *TEXT_FIELDS,
    "theme",
    "layers",
    "year",
    "years",
    "view",
    "focus",
    "highlight",
    "cards",
    "duration",
    "compare",
}
COMPARE_MODES = ("swipe", "side")


Coords = Mapping[str, Sequence[tuple[float, float]]]  # feature id → its (lat, lon) points


def _scene(
    raw: Any,
    where: str,
    years: tuple[int, int],
    known_ids: frozenset[str],
    series: frozenset[str],
    coords: Coords,
) -> Scene:
    def fail(field: str, message: str) -> TourError:
        return TourError(f"{where}, field '{field}': {message}")

    if not isinstance(raw, dict):
        raise TourError(f"{where}: a scene must be a mapping of fields, got {type(raw).__name__}")
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise fail(unknown[0], f"unknown field (known: {', '.join(sorted(KNOWN_FIELDS))})")
    for field in TEXT_FIELDS:
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise fail(field, "required text is missing")
    theme = raw.get("theme")
    if theme not in THEMES:
        raise fail("theme", f"{theme!r} is not one of {', '.join(THEMES)}")
    preset = THEMES[theme]

    layers = raw.get("layers", list(preset.layers))
    if not isinstance(layers, list) or any(layer not in LAYER_KEYS for layer in layers):
        raise fail("layers", f"{layers!r}: use a list of {', '.join(LAYER_KEYS)}")

    if "year" in raw and "years" in raw:
        raise fail("years", "give either 'year' or 'years', not both")
    span = raw.get("years", [raw.get("year", years[1])] * 2)
    if (
        not isinstance(span, list)
        or len(span) != 2
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in span)
    ):
        raise fail("years" if "years" in raw else "year", f"{span!r} is not a year or [from, to]")
    if not (years[0] <= span[0] <= span[1] <= years[1]):
        raise fail(
            "years" if "years" in raw else "year",
            f"{span} must lie within {years[0]}–{years[1]}, first year first",
        )

    view = raw.get("view", {"lat": preset.center[0], "lon": preset.center[1], "zoom": preset.zoom})
    try:
        lat, lon, zoom = float(view["lat"]), float(view["lon"]), int(view["zoom"])
    except (TypeError, KeyError, ValueError):
        raise fail("view", f"{view!r}: give lat, lon and zoom") from None
    if not (36.0 <= lat <= 42.7 and 113.3 <= lon <= 120.0 and 5 <= zoom <= 16):
        raise fail("view", f"lat {lat}, lon {lon}, zoom {zoom} is outside the region or zoom 5–16")

    highlight = raw.get("highlight")
    if highlight is not None and highlight not in known_ids:
        raise fail("highlight", f"{highlight!r} is not the id of a place, line, flow or boundary")

    bounds, focus = None, []
    if "focus" in raw:
        if "view" in raw:
            raise fail("focus", "give either 'focus' (features to frame) or 'view', not both")
        focus = raw["focus"]
        if not isinstance(focus, list) or not focus:
            raise fail("focus", f"{focus!r}: give a list of place, line or flow ids")
        unknown = [f for f in focus if f not in coords]
        if unknown:
            raise fail("focus", f"{unknown[0]!r} is not the id of a place, line or flow")
        points = [pt for f in focus for pt in coords[f]]
        lats, lons = [pt[0] for pt in points], [pt[1] for pt in points]
        bounds = ((min(lats), min(lons)), (max(lats), max(lons)))
        lat, lon = (bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2

    cards = raw.get("cards", list(preset.series))
    if not isinstance(cards, list) or not cards:
        raise fail("cards", "give a list of indicator series")
    missing = [c for c in cards if c not in series]
    if missing:
        raise fail("cards", f"{missing[0]!r} is not an indicator series in the data")

    duration = raw.get("duration")
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        raise fail("duration", f"{duration!r} is not a number of seconds")
    if not 0 < duration <= MAX_SCENE_SECONDS:
        raise fail("duration", f"{duration} must be between 0 and {MAX_SCENE_SECONDS} seconds")

    compare = raw.get("compare")
    if compare is not None:
        if compare not in COMPARE_MODES:
            raise fail("compare", f"{compare!r} is not one of {', '.join(COMPARE_MODES)}")
        if not span[0] < span[1]:
            raise fail("compare", "a compare scene needs 'years: [A, B]' with A before B")

    return Scene(
        id=raw["id"],
        title_zh=raw["title_zh"],
        title_en=raw["title_en"],
        caption_zh=raw["caption_zh"],
        caption_en=raw["caption_en"],
        theme=theme,
        layers=tuple(k for k in LAYER_KEYS if k in layers),
        years=(span[0], span[1]),
        center=(lat, lon),
        zoom=zoom,
        bounds=bounds,
        focus=tuple(focus),
        highlight=highlight,
        cards=tuple(cards),
        duration=float(duration),
        compare=compare,
    )


def load_tour(
    path: Path,
    years: tuple[int, int],
    known_ids: frozenset[str],
    series: frozenset[str],
    coords: Coords | None = None,
) -> tuple[Scene, ...]:
    """Read and validate the tour file at ``path``; raises :class:`TourError`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TourError(f"{path}: cannot read the tour file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise TourError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    scenes = raw.get("scenes") if isinstance(raw, dict) else None
    if not isinstance(scenes, list) or not scenes:
        raise TourError(f"{path}: expected a top-level 'scenes:' list with at least one scene")
    out = []
    seen: set[str] = set()
    for n, item in enumerate(scenes, start=1):
        label = item.get("id") if isinstance(item, dict) else None
        where = f"{path}: scene {n}" + (f" ('{label}')" if label else "")
        scene = _scene(item, where, years, known_ids, series, coords or {})
        if scene.id in seen:
            raise TourError(f"{where}, field 'id': duplicate scene id")
        seen.add(scene.id)
        out.append(scene)
    return tuple(out)


@dataclass(frozen=True)
class KioskSetup:
    """What the kiosk page needs: the scenes and the presenter settings."""

    scenes: tuple[Scene, ...]
    idle_seconds: float
    public_url: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "scenes": [s.to_json() for s in self.scenes],
            "idleSeconds": self.idle_seconds,
            "share": self.public_url is not None,
            "sceneLabel": dict(UI["kiosk.scene"]),
        }
