"""Typed, cached loaders for the atlas: a GeoPackage, or PostGIS when given a database URL.

The file is read and validated once per (path, modification time); a database is read on each
call (it has no modification time to key a cache by; the app loads once at start-up). Either way
the same validation runs and callers get copies, so no caller can change what another caller —
or the next request — sees.
"""

from __future__ import annotations

import errno
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geodata import schema
from geodata.source import DataSource, is_database_url
from geodata.validate import AtlasDataError, Problem, ensure_valid


@dataclass(frozen=True)
class Atlas:
    """A validated atlas: one frame per layer, handed out as copies."""

    path: Path | str  # the GeoPackage, or the database URL without its password
    _frames: MappingProxyType[str, pd.DataFrame] = field(repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """A copy of a layer; spatial layers are GeoDataFrames in EPSG:4326."""
        return self._frames[name].copy()

    def metadata(self) -> dict[str, str]:
        frame = self._frames["metadata"]
        return dict(zip(frame["key"], frame["value"], strict=True))

    def counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self._frames.items()}


def _read_layer(path: Path, spec: schema.LayerSpec) -> pd.DataFrame:
    if spec.geometry is None:
        frame: Any = pyogrio.read_dataframe(path, layer=spec.name, read_geometry=False)
        return pd.DataFrame(frame)
    return gpd.read_file(path, layer=spec.name, engine="pyogrio")


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    # GDAL gives NULL for empty text cells, and so does PostgreSQL for a cell that load-db's
    # COPY wrote empty; treat them as empty strings like the source tables. Under pandas 3 text
    # columns have the "str" dtype, not object.
    text_columns = [
        c
        for c in frame.columns
        if c != "geometry"
        and (frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype))
    ]
    return frame.fillna({c: "" for c in text_columns})


LOOP = "is a symbolic link loop (it leads back to itself, never to a file)"
DAMAGED = (
    "the file is damaged ({detail}); restore it from a backup or rebuild it with 'atlas build-data'"
)


def _damage(path: Path) -> Problem | None:
    """SQLite's own check of every page (a few ms): a damaged page anywhere, in a table GDAL
    reads or not, is found before any frame is built from the file."""
    name = str(path)
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            rows = [str(row[0]) for row in db.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            return Problem(name, "-", "-", "-", "not a readable GeoPackage: not an SQLite file")
        return Problem(name, "-", "-", "-", DAMAGED.format(detail=f"SQLite: {exc}"))
    if rows == ["ok"]:
        return None
    found = [ln for row in rows for ln in row.splitlines() if ln and not ln.startswith("***")]
    detail = f"SQLite: {(found or rows)[0]}"
    return Problem(name, "-", "-", "-", DAMAGED.format(detail=detail))


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> Atlas:
    name = str(path)
    damage = _damage(path)
    if damage is not None:
        raise AtlasDataError([damage])
    try:
        listed = {str(row[0]) for row in pyogrio.list_layers(path)}
    except DataSourceError as exc:
        raise AtlasDataError(
            [Problem(name, "-", "-", "-", f"not a readable GeoPackage: {_first_line(exc)}")]
        ) from None
    missing = [n for n in schema.LAYERS if n not in listed]
    if missing:
        raise AtlasDataError(
            [Problem(name, n, "-", "-", "layer is missing from the file") for n in missing]
        )
    frames = {}
    for n, spec in schema.LAYERS.items():
        try:
            frames[n] = _normalise(_read_layer(path, spec))
        except (DataSourceError, DataLayerError, OSError, sqlite3.Error) as exc:
            # what GDAL meets reading a page SQLite's check passed (or the file changing under
            # it): the same one sentence, naming the layer it was reading
            detail = f"GDAL: {_first_line(exc)}"
            raise AtlasDataError(
                [Problem(name, n, "-", "-", DAMAGED.format(detail=detail))]
            ) from None
    ensure_valid(frames, name)
    return Atlas(path, MappingProxyType(frames))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _load_database(url: str) -> Atlas:
    from geodata.postgis import read_frames

    name, read = read_frames(url)
    frames = {n: _normalise(frame) for n, frame in read.items()}
    ensure_valid(frames, name)
    return Atlas(name, MappingProxyType(frames))


def load_atlas(path: DataSource) -> Atlas:
    """Load and validate the GeoPackage at ``path`` or, for a ``postgresql://`` URL, the
    PostGIS tables of the same names; raises :class:`AtlasDataError`."""
    if is_database_url(path):
        return _load_database(str(path))
    given = str(path)
    try:
        path = Path(path).resolve(strict=True)
        mtime_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise AtlasDataError([Problem(given, "-", "-", "-", "file does not exist")]) from None
    except RuntimeError:  # Python < 3.13 reports a symlink loop so
        raise AtlasDataError([Problem(given, "-", "-", "-", LOOP)]) from None
    except OSError as exc:
        message = LOOP if exc.errno == errno.ELOOP else f"cannot be read: {exc.strerror}"
        raise AtlasDataError([Problem(given, "-", "-", "-", message)]) from None
    if not path.is_file():
        raise AtlasDataError([Problem(str(path), "-", "-", "-", "is not a file")])
    return _load(path, mtime_ns)
