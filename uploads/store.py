"""Where planners' layers are kept: one SQLite file, each layer keyed by the SHA-256 of the file
it came from, so a link naming that hash survives a restart and an identical upload is stored
once. The dashboard talks to :class:`LayerStore` only, so another backend stands behind the same
few methods: ``uploads/pgstore.py`` keeps them in PostGIS when the atlas is read from there.

A layer is kept in WGS-84 as FlatGeobuf bytes, a blob in the SQLite file, features in the
order they were read (no spatial index, which would reorder them). GDAL writes and reads
100,000 points that way in ~0.6 s and ~0.4 s; as GeoJSON text it took ~1.8 s each way, and a
GeoPackage per layer weighs at least 96 KB. A size cap refuses a layer that would not fit;
``keep_days`` (None: keep) drops layers older than that whenever a layer is added. The file
is made on first use, so building the app does not touch the disk."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import geopandas as gpd
import pyogrio

from uploads.read import MB, Upload, UploadError

DIGEST = re.compile(r"[0-9a-f]{64}")
INFO = "digest, name, kind, features, notes, added"  # the columns StoredLayer is made from
SCHEMA = """
CREATE TABLE IF NOT EXISTS layers (
    digest TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    features INTEGER NOT NULL,
    notes TEXT NOT NULL,
    added REAL NOT NULL,
    size INTEGER NOT NULL,
    fgb BLOB NOT NULL
)
"""


@dataclass(frozen=True)
class StoredLayer:
    """What the layer list shows of a stored layer (its features come from ``LayerStore.get``)."""

    digest: str
    name: str
    kind: str
    features: int
    notes: tuple[str, ...]
    added: float  # seconds since the epoch


class LayerStore(Protocol):
    def put(self, upload: Upload, name: str) -> StoredLayer: ...

    def get(self, digest: str) -> tuple[StoredLayer, gpd.GeoDataFrame] | None: ...

    def remove(self, digest: str) -> bool: ...

    def layers(self) -> list[StoredLayer]: ...


class SqliteLayerStore:
    """:class:`LayerStore` in the SQLite file ``path`` (its directory is made if missing)."""

    def __init__(self, path: Path, max_bytes: int = 500 * MB, keep_days: float | None = None):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.keep_days = keep_days
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
            try:
                db.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
                db.execute(SCHEMA)
                db.commit()
            finally:
                db.close()
            self._ready = True
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:  # one transaction, committed or rolled back
                yield db
        finally:
            db.close()

    def put(self, upload: Upload, name: str) -> StoredLayer:
        blob = to_blob(upload.frame.to_crs("EPSG:4326"))
        size = len(blob)
        now = time.time()
        with self._db() as db:
            if self.keep_days is not None:
                db.execute("DELETE FROM layers WHERE added < ?", (now - self.keep_days * 86400,))
            row = db.execute("SELECT 1 FROM layers WHERE digest = ?", (upload.digest,)).fetchone()
            if row is None:  # an identical file is stored once, under its first name
                used = db.execute("SELECT COALESCE(SUM(size), 0) FROM layers").fetchone()[0]
                if used + size > self.max_bytes:
                    held, cap = f"{used / MB:.1f}", f"{self.max_bytes / MB:.0f}"
                    raise UploadError(
                        f"{name} does not fit: the layer store holds {held} of its {cap} MB; "
                        "remove a layer first.",
                        f"{name} 放不下：图层库已用 {held} MB，上限 {cap} MB；请先删除一个图层。",
                    )
                db.execute(
                    "INSERT INTO layers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        upload.digest,
                        name,
                        upload.kind,
                        len(upload.frame),
                        json.dumps(upload.notes, ensure_ascii=False),
                        now,
                        size,
                        blob,
                    ),
                )
            info = db.execute(f"SELECT {INFO} FROM layers WHERE digest = ?", (upload.digest,))
            return stored_layer(info.fetchone())

    def get(self, digest: str) -> tuple[StoredLayer, gpd.GeoDataFrame] | None:
        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return None
        with self._db() as db:
            row = db.execute(
                f"SELECT {INFO}, fgb FROM layers WHERE digest = ?", (digest,)
            ).fetchone()
        if row is None:
            return None
        return stored_layer(row[:6]), from_blob(row[6])

    def remove(self, digest: str) -> bool:
        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return False
        with self._db() as db:
            return db.execute("DELETE FROM layers WHERE digest = ?", (digest,)).rowcount > 0

    def layers(self) -> list[StoredLayer]:
        with self._db() as db:
            rows = db.execute(f"SELECT {INFO} FROM layers ORDER BY added").fetchall()
        return [stored_layer(r) for r in rows]


def to_blob(frame: gpd.GeoDataFrame) -> bytes:
    """``frame`` as the store keeps it (FlatGeobuf, features in their order)."""
    out = io.BytesIO()
    pyogrio.write_dataframe(frame, out, driver="FlatGeobuf", layer="layer", SPATIAL_INDEX="NO")
    return out.getvalue()


def from_blob(blob: bytes) -> gpd.GeoDataFrame:
    """The frame ``to_blob`` kept, in EPSG:4326."""
    frame = pyogrio.read_dataframe(io.BytesIO(blob))
    return frame.set_crs("EPSG:4326", allow_override=True)


def stored_layer(row: tuple) -> StoredLayer:
    """A StoredLayer from a row of the ``INFO`` columns (both stores keep the same ones)."""
    digest, name, kind, features, notes, added = row
    return StoredLayer(digest, name, kind, int(features), tuple(json.loads(notes)), float(added))
