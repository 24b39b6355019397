"""Planners' layers as the web routes and the exports use them: add a file (read, join, guess
its datum, store), convert a stored layer's datum once the planner confirmed it, and give a
layer's drawing (per feature: geometry, class, year) and one feature's attributes.

Layers are immutable once stored (their id is a content hash), so what was read from the store
is kept in memory (a few layers, least recently used first out)."""

from __future__ import annotations

import hashlib
import math
import os
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np

import geopandas as gpd
import shapely

from geodata.source import is_database_url
from uploads.datum import convert, guess_datum
from uploads.read import MB, Limits, Upload, UploadError, read_upload
from uploads.store import DIGEST, LayerStore, SqliteLayerStore, StoredLayer
from uploads.style import (
    METHODS,
    MODES,
    Classes,
    Column,
    LayerStyle,
    StyleError,
    check_style,
    classify,
    default_style,
    profile,
)

DATUMS = ("gcj02", "bd09")
MAX_TEXT = 500  # characters of one attribute value given to the browser
CACHED = 4  # layers kept in memory


@dataclass(frozen=True)
class Drawing:
    """A layer drawn in one style: what the browser and the exports need."""

    layer: StoredLayer
    frame: gpd.GeoDataFrame
    style: LayerStyle
    classes: Classes


def note(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def _notes(stored: StoredLayer) -> list[dict[str, str]]:
    return [n if isinstance(n, dict) else note(str(n), str(n)) for n in stored.notes]


def style_from(params: Mapping[str, Any]) -> LayerStyle:
    """A style from query parameters (``mode``, ``column``, ``method``, ``k``, ``year``);
    what is missing takes the default, what is malformed raises StyleError."""
    k_text = str(params.get("k", "5"))
    if not k_text.isascii() or not k_text.isdigit() or len(k_text) > 2:
        raise StyleError(f"k must be a whole number; got {k_text[:20]!r}")
    mode = str(params.get("mode", "single"))
    method = str(params.get("method", "quantiles"))
    if mode not in MODES or method not in METHODS:
        raise StyleError(f"unknown mode {mode[:20]!r} or method {method[:20]!r}")
    column = params.get("column") or None
    year = params.get("year") or None
    return LayerStyle(mode, column and str(column), method, int(k_text), year and str(year))


class LayerService:
    def __init__(
        self,
        store: LayerStore,
        boundaries: gpd.GeoDataFrame,
        reference: gpd.GeoSeries,
        limits: Limits | None = None,
        workdir: Path | None = None,
    ) -> None:
        self.store = store
        self.workdir = workdir  # where a file being read is written (uploads.read)
        self.boundaries = boundaries
        self.reference = reference
        self.limits = limits or Limits()
        self._cache: OrderedDict[str, tuple[StoredLayer, gpd.GeoDataFrame]] = OrderedDict()
        self._columns: dict[str, list[Column]] = {}  # a layer's profile (it never changes)
        self._drawings: OrderedDict[tuple[str, LayerStyle], Drawing] = OrderedDict()
        self._lock = Lock()
        # Export jobs are forks of the server: a lock held by another thread at the fork would
        # stay held in the child for ever, so the child takes a new one.
        me = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: LayerService._new_lock(me()))

    @staticmethod
    def _new_lock(service: LayerService | None) -> None:
        if service is not None:
            service._lock = Lock()

    # ---- adding ----------------------------------------------------------------------------

    def add(self, name: str, data: bytes, layer: str | None = None) -> dict[str, Any]:
        """Read and store ``data``; the layer's description with the datum guess and the rows
        a table join left out. Raises UploadError."""
        upload = read_upload(
            name, data, layer, self.limits, boundaries=self.boundaries, workdir=self.workdir
        )
        label = upload.label or name
        stored = self.store.put(upload, label)
        self._keep(stored, upload.frame)
        guess = guess_datum(upload.frame, self.reference)
        return {
            **self.describe(stored, upload.frame),
            "datum": {"guess": guess.datum, "matches": guess.matches, "sampled": guess.sampled},
            "unmatched": [asdict(u) for u in upload.unmatched],
        }

    def convert(self, digest: str, datum: str) -> dict[str, Any]:
        """The stored layer ``digest`` moved from ``datum`` to WGS-84, stored under its own id."""
        if datum not in DATUMS:
            raise UploadError(
                f"datum must be one of {', '.join(DATUMS)}; got {datum[:20]!r}.",
                f"坐标系须为 {'、'.join(DATUMS)} 之一，收到 {datum[:20]!r}。",
            )
        found = self.get(digest)
        if found is None:
            raise UploadError("That layer is not in the store.", "图层库中没有该图层。")
        stored, frame = found
        moved = convert(frame, datum)
        new_digest = hashlib.sha256(f"{digest}:{datum}->wgs84".encode()).hexdigest()
        label = {"gcj02": "GCJ-02", "bd09": "BD-09"}[datum]
        upload = Upload(
            moved,
            new_digest,
            stored.kind,
            [
                *_notes(stored),
                note(f"Converted from {label} to WGS-84.", f"已从 {label} 转换为 WGS-84。"),
            ],
        )
        new = self.store.put(upload, stored.name)
        self._keep(new, moved)
        return self.describe(new, moved)

    # ---- reading ---------------------------------------------------------------------------

    def _keep(self, stored: StoredLayer, frame: gpd.GeoDataFrame) -> None:
        with self._lock:
            self._cache[stored.digest] = (stored, frame)
            self._cache.move_to_end(stored.digest)
            while len(self._cache) > CACHED:
                self._cache.popitem(last=False)

    def get(self, digest: str) -> tuple[StoredLayer, gpd.GeoDataFrame] | None:
        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return None
        with self._lock:
            if digest in self._cache:
                self._cache.move_to_end(digest)
                return self._cache[digest]
        found = self.store.get(digest)
        if found is not None:
            self._keep(*found)
        return found

    def columns(self, stored: StoredLayer, frame: gpd.GeoDataFrame) -> list[Column]:
        """``uploads.style.profile`` of the layer, computed once per layer."""
        found = self._columns.get(stored.digest)
        if found is None:
            found = self._columns[stored.digest] = profile(frame)
        return found

    def describe(self, stored: StoredLayer, frame: gpd.GeoDataFrame) -> dict[str, Any]:
        columns = self.columns(stored, frame)
        west, south, east, north = (float(v) for v in frame.total_bounds)
        return {
            "id": stored.digest,
            "name": stored.name,
            "kind": stored.kind,
            "features": stored.features,
            "notes": _notes(stored),
            "columns": [asdict(c) for c in columns],
            "style": asdict(default_style(columns)),
            "bounds": [[south, west], [north, east]],
        }

    def drawing(self, digest: str, style: LayerStyle) -> Drawing | None:
        """The layer in ``style`` (None when the store has no such layer; StyleError when the
        style does not fit it)."""
        key = (digest, style)
        with self._lock:
            if key in self._drawings:
                self._drawings.move_to_end(key)
                return self._drawings[key]
        found = self.get(digest)
        if found is None:
            return None
        stored, frame = found
        checked = check_style(style, self.columns(stored, frame))
        drawing = Drawing(stored, frame, checked, classify(frame, checked))
        with self._lock:
            self._drawings[key] = drawing
            while len(self._drawings) > 2 * CACHED:
                self._drawings.popitem(last=False)
        return drawing

    def draw_json(self, drawing: Drawing) -> dict[str, Any]:
        """What assets/userlayers.js draws: points as columns of numbers, lines and polygons as
        GeoJSON whose only properties are the feature's index, class and year."""
        c = drawing.classes
        legend = {"colors": c.colors, "labels": c.labels, "counts": c.counts, "missing": c.missing}
        out: dict[str, Any] = {
            "id": drawing.layer.digest,
            "kind": drawing.layer.kind,
            "style": asdict(drawing.style),
            "legend": legend,
        }
        geoms = drawing.frame.geometry.values
        if drawing.layer.kind == "point":
            xy = shapely.get_coordinates(shapely.centroid(geoms))
            out["x"] = np.round(xy[:, 0], 6).tolist()
            out["y"] = np.round(xy[:, 1], 6).tolist()
            out["c"] = c.classes
            out["t"] = c.years
            return out
        features = []
        for i, geom in enumerate(geoms):
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(geom),
                    "properties": {"i": i, "c": c.classes[i], "t": c.years[i]},
                }
            )
        out["geojson"] = {"type": "FeatureCollection", "features": features}
        return out

    def feature(self, digest: str, index: int) -> dict[str, Any] | None:
        """One feature's attributes as text (None when there is no such layer or feature)."""
        found = self.get(digest)
        if found is None or not 0 <= index < len(found[1]):
            return None
        stored, frame = found
        row = frame.drop(columns=frame.geometry.name).iloc[index]
        fields = []
        for key, value in row.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                text = ""
            else:
                text = str(value)
            fields.append([str(key)[:MAX_TEXT], text[:MAX_TEXT]])
        return {"layer": stored.name, "index": index, "fields": fields}


def store_for(settings: Any) -> LayerStore:
    """The atlas's own database when ``ATLAS_DATA`` is a postgresql:// URL (one place to back
    up, shared by every worker and host), else the SQLite file in ``settings.uploads_dir``."""
    max_bytes, keep_days = settings.uploads_store_mb * MB, settings.uploads_keep_days
    if is_database_url(settings.data_path):
        from uploads.pgstore import PostgisLayerStore

        return PostgisLayerStore(str(settings.data_path), max_bytes, keep_days)
    return SqliteLayerStore(settings.uploads_dir / "layers.sqlite", max_bytes, keep_days)


def from_settings(settings: Any, atlas: Any) -> LayerService:
    """The service over the store :func:`store_for` picks, matched against ``atlas``."""
    store = store_for(settings)
    limits = Limits(max_bytes=settings.upload_max_mb * MB)
    boundaries = atlas.table("boundaries")
    places = atlas.table("places").geometry
    return LayerService(store, boundaries, places, limits, settings.uploads_dir / "incoming")


__all__ = ["LayerService", "StyleError", "UploadError", "style_from"]
