"""Typed, cached loaders for the GeoPackage.

The file is read and validated once per (path, modification time). Callers get copies, so no
caller can change what another caller — or the next request — sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataSourceError

from geodata import schema
from geodata.validate import AtlasDataError, Problem, ensure_valid


@dataclass(frozen=True)
class Atlas:
    """A validated atlas: one frame per layer, handed out as copies."""

    path: Path
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
    # GDAL gives NULL for empty text cells; treat them as empty strings like the source tables.
    text_columns = [c for c in frame.columns if frame[c].dtype == object and c != "geometry"]
    return frame.fillna({c: "" for c in text_columns})


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> Atlas:
    name = str(path)
    try:
        listed = {str(row[0]) for row in pyogrio.list_layers(path)}
    except DataSourceError as exc:
        raise AtlasDataError(
            [Problem(name, "-", "-", "-", f"not a readable GeoPackage: {exc}")]
        ) from None
    missing = [n for n in schema.LAYERS if n not in listed]
    if missing:
        raise AtlasDataError(
            [Problem(name, n, "-", "-", "layer is missing from the file") for n in missing]
        )
    frames = {n: _normalise(_read_layer(path, spec)) for n, spec in schema.LAYERS.items()}
    ensure_valid(frames, name)
    return Atlas(path, MappingProxyType(frames))


def load_atlas(path: Path | str) -> Atlas:
    """Load and validate the GeoPackage at ``path``; raises :class:`AtlasDataError`."""
    path = Path(path).resolve()
    if not path.is_file():
        raise AtlasDataError([Problem(str(path), "-", "-", "-", "file does not exist")])
    return _load(path, path.stat().st_mtime_ns)
