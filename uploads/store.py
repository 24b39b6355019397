"""Where planners' layers are kept: one SQLite file, each layer keyed by the SHA-256 of the file
it came from, so a link naming that hash survives a restart and an identical upload is stored
once. The dashboard will talk to :class:`LayerStore` only, so another backend (PostGIS, issue 15)
can stand behind the same few methods.

A layer is kept as GeoJSON text in WGS-84, its coordinates as they were read. A size cap
refuses a layer that would not fit; ``keep_days`` (None: keep) drops layers older than that
whenever a layer is added."""

from __future__ import annotations

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
    geojson TEXT NOT NULL
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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
            db.execute(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:  # one transaction, committed or rolled back
                yield db
        finally:
            db.close()

    def put(self, upload: Upload, name: str) -> StoredLayer:
        text = upload.frame.to_crs("EPSG:4326").to_json(drop_id=True)
        size = len(text.encode("utf-8"))
        now = time.time()
        with self._db() as db:
            if self.keep_days is not None:
                db.execute("DELETE FROM layers WHERE added < ?", (now - self.keep_days * 86400,))
            row = db.execute("SELECT 1 FROM layers WHERE digest = ?", (upload.digest,)).fetchone()
            if row is None:  # an identical file is stored once, under its first name
                used = db.execute("SELECT COALESCE(SUM(size), 0) FROM layers").fetchone()[0]
                if used + size > self.max_bytes:
                    raise UploadError(
                        f"{name} does not fit: the layer store holds {used / MB:.1f} of its "
                        f"{self.max_bytes / MB:.0f} MB; remove a layer first."
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
                        text,
                    ),
                )
            info = db.execute(f"SELECT {INFO} FROM layers WHERE digest = ?", (upload.digest,))
            return _info(info.fetchone())

    def get(self, digest: str) -> tuple[StoredLayer, gpd.GeoDataFrame] | None:
        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return None
        with self._db() as db:
            row = db.execute(
                f"SELECT {INFO}, geojson FROM layers WHERE digest = ?", (digest,)
            ).fetchone()
        if row is None:
            return None
        features = json.loads(row[6])["features"]
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
        return _info(row[:6]), frame

    def remove(self, digest: str) -> bool:
        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return False
        with self._db() as db:
            return db.execute("DELETE FROM layers WHERE digest = ?", (digest,)).rowcount > 0

    def layers(self) -> list[StoredLayer]:
        with self._db() as db:
            rows = db.execute(f"SELECT {INFO} FROM layers ORDER BY added").fetchall()
        return [_info(r) for r in rows]


def _info(row: tuple) -> StoredLayer:
    digest, name, kind, features, notes, added = row
    return StoredLayer(digest, name, kind, int(features), tuple(json.loads(notes)), float(added))
