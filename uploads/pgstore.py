"""Planners' layers in PostGIS, when the atlas itself is read from there (``ATLAS_DATA`` is a
``postgresql://`` URL): one deployment, one database to back up, and every gunicorn worker and
host behind a balancer sees the same layers.

Same behaviour as :class:`uploads.store.SqliteLayerStore`, which stays the reference: keyed by
the SHA-256 digest of the uploaded file, FlatGeobuf bytes (here a ``bytea``; a geometry column
would reorder and retype what the planner's file held), a size cap over all layers and
``keep_days``. The table is made on first use. Postgres lets writers run side by side where
SQLite queues them, so ``put`` locks the table for its transaction: the size it checks is the
size it adds to, and an identical file arriving twice at once is stored once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import geopandas as gpd

from geodata.postgis import engine_for
from uploads.read import MB, Upload, UploadError
from uploads.store import DIGEST, INFO, StoredLayer, from_blob, stored_layer, to_blob

TABLE = "atlas_user_layers"  # beside the atlas's own tables; none of them is called so
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    digest TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    features INTEGER NOT NULL,
    notes TEXT NOT NULL,
    added DOUBLE PRECISION NOT NULL,
    size BIGINT NOT NULL,
    fgb BYTEA NOT NULL
)
"""
# Serialises first-use table creation: two workers' CREATE TABLE IF NOT EXISTS can otherwise
# collide in Postgres' catalogue.
CREATE_LOCK = 0x61746C73  # "atls"


class PostgisLayerStore:
    """:class:`uploads.store.LayerStore` in the database at ``url``."""

    def __init__(self, url: str, max_bytes: int = 500 * MB, keep_days: float | None = None):
        self.url = url
        self.max_bytes = max_bytes
        self.keep_days = keep_days
        self._engine: Any = None  # made on first use: building the app opens no connection

    @contextmanager
    def _db(self) -> Iterator[Any]:
        """One transaction, committed or rolled back."""
        from sqlalchemy import text

        if self._engine is None:
            engine = engine_for(self.url)
            with engine.begin() as db:
                db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CREATE_LOCK})
                db.execute(text(SCHEMA))
            self._engine = engine
        with self._engine.begin() as db:
            yield db

    def put(self, upload: Upload, name: str) -> StoredLayer:
        """Store ``upload`` (once per digest); a database that cannot be reached is the
        planner's one sentence too, not a server error."""
        from sqlalchemy.exc import OperationalError

        try:
            return self._put(upload, name)
        except OperationalError:
            raise UploadError(
                f"{name} was not stored: the layer store's database cannot be reached now; "
                "try again later.",
                f"{name} 未能保存：暂时无法连接图层库所在的数据库，请稍后再试。",
            ) from None

    def _put(self, upload: Upload, name: str) -> StoredLayer:
        from sqlalchemy import text

        blob = to_blob(upload.frame.to_crs("EPSG:4326"))
        size = len(blob)
        now = time.time()
        with self._db() as db:
            db.execute(text(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE"))
            if self.keep_days is not None:
                db.execute(
                    text(f"DELETE FROM {TABLE} WHERE added < :t"),
                    {"t": now - self.keep_days * 86400},
                )
            found = db.execute(
                text(f"SELECT 1 FROM {TABLE} WHERE digest = :d"), {"d": upload.digest}
            )
            if found.first() is None:  # an identical file is stored once, under its first name
                used = db.execute(text(f"SELECT COALESCE(SUM(size), 0) FROM {TABLE}")).scalar()
                if int(used) + size > self.max_bytes:
                    held, cap = f"{int(used) / MB:.1f}", f"{self.max_bytes / MB:.0f}"
                    raise UploadError(
                        f"{name} does not fit: the layer store holds {held} of its {cap} MB; "
                        "remove a layer first.",
                        f"{name} 放不下：图层库已用 {held} MB，上限 {cap} MB；请先删除一个图层。",
                    )
                db.execute(
                    text(
                        f"INSERT INTO {TABLE} VALUES "
                        "(:digest, :name, :kind, :features, :notes, :added, :size, :fgb)"
                    ),
                    {
                        "digest": upload.digest,
                        "name": name,
                        "kind": upload.kind,
                        "features": len(upload.frame),
                        "notes": json.dumps(upload.notes, ensure_ascii=False),
                        "added": now,
                        "size": size,
                        "fgb": blob,
                    },
                )
            row = db.execute(
                text(f"SELECT {INFO} FROM {TABLE} WHERE digest = :d"), {"d": upload.digest}
            ).one()
            return stored_layer(tuple(row))

    def get(self, digest: str) -> tuple[StoredLayer, gpd.GeoDataFrame] | None:
        from sqlalchemy import text

        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return None
        with self._db() as db:
            row = db.execute(
                text(f"SELECT {INFO}, fgb FROM {TABLE} WHERE digest = :d"), {"d": digest}
            ).first()
        if row is None:
            return None
        return stored_layer(tuple(row[:6])), from_blob(bytes(row[6]))

    def remove(self, digest: str) -> bool:
        from sqlalchemy import text

        if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
            return False
        with self._db() as db:
            done = db.execute(text(f"DELETE FROM {TABLE} WHERE digest = :d"), {"d": digest})
            return done.rowcount > 0

    def layers(self) -> list[StoredLayer]:
        from sqlalchemy import text

        with self._db() as db:
            rows = db.execute(text(f"SELECT {INFO} FROM {TABLE} ORDER BY added")).all()
        return [stored_layer(tuple(r)) for r in rows]
