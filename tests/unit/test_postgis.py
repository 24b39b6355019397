"""PostGIS as the atlas's source, against a real PostgreSQL + PostGIS (tests/postgres.py):
``atlas load-db`` writes the GeoPackage's layers (twice gives the same tables), ``load_atlas``
reads them back equal, a broken table stops loading with the same one line a broken
GeoPackage gives, and ``check-data`` and ``serve`` take the URL."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg
import pytest

from geopandas.testing import assert_geodataframe_equal

from cli import main
from geodata import schema
from geodata.load import Atlas, load_atlas
from geodata.postgis import public_url
from geodata.validate import AtlasDataError
from tests.baddata import Frames, atlas_command, broken, put, refused
from tests.harness import free_port, running_server
from tests.postgres import Postgres
from uploads.pgstore import TABLE
from uploads.web import PREFIX

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def atlas_db(postgres: Postgres) -> str:
    """A database that load-db filled from the committed GeoPackage (tests only read it)."""
    url = postgres.create_database(f"atlas_{uuid.uuid4().hex[:8]}")
    assert main(["load-db", url]) == 0
    return url


@pytest.fixture
def atlas_copy(postgres: Postgres, atlas_db: str) -> str:
    """A copy of ``atlas_db`` this test may break."""
    name = f"copy_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres.url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{atlas_db.rsplit("/", 1)[1]}"')
    return postgres.url(name)


def _sql(url: str, *statements: str) -> None:
    with psycopg.connect(url) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def _tables(url: str) -> dict[str, tuple[list[str], int]]:
    """Every table of the public schema: its columns and row count."""
    with psycopg.connect(url) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        out = {}
        for name in names:
            columns = [
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = %s ORDER BY ordinal_position",
                    (name,),
                )
            ]
            count = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[index]
            out[name] = (columns, int(count))
    return out


def _refused(url: str) -> str:
    """load_atlas(url) fails with one line naming the URL; that line."""
    with pytest.raises(AtlasDataError) as caught:
        load_atlas(url)
    text = str(caught.value)
    assert len(text.splitlines()) == 1, text
    assert public_url(url) in text
    return text


def test_load_db_then_load_atlas_gives_the_geopackages_frames(atlas: Atlas, atlas_db: str) -> None:
    loaded = load_atlas(atlas_db)
    assert loaded.path == atlas_db
    assert loaded.counts() == atlas.counts()
    for name, spec in schema.LAYERS.items():
        want, got = atlas.table(name), loaded.table(name)
        if spec.geometry is None:
            pd.testing.assert_frame_equal(got, want)
        else:
            assert_geodataframe_equal(got, want, check_crs=True)
            assert got.geometry.geom_equals_exact(want.geometry, tolerance=0).all(), name
    assert loaded.metadata() == atlas.metadata()


def test_load_db_twice_gives_the_same_tables_and_counts(
    atlas: Atlas, empty_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load-db", empty_db]) == 0
    first = capsys.readouterr().out
    tables = _tables(empty_db)
    assert main(["load-db", empty_db]) == 0
    assert capsys.readouterr().out == first
    assert _tables(empty_db) == tables
    lines = first.splitlines()
    assert lines[0].startswith("wrote ") and lines[0].endswith(f"into {empty_db}")
    printed = {line.split()[0]: int(line.split()[1]) for line in lines[1:]}
    assert printed == atlas.counts()  # one line per table, with its row count
    assert {name: count for name, (_, count) in tables.items() if name in printed} == printed
    with psycopg.connect(empty_db) as conn:  # no duplicates: every id once
        for name, spec in schema.LAYERS.items():
            if spec.unique_id:
                row = conn.execute(
                    f'SELECT count(DISTINCT "{spec.id_field}") = count(*) FROM "{name}"'
                ).fetchone()
                assert row == (True,), name
        srids = conn.execute(
            "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'public'"
        ).fetchall()
    assert sorted(srids) == sorted((n, 4326) for n, s in schema.LAYERS.items() if s.geometry)


def test_load_db_refuses_what_is_not_a_database_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load-db", "atlas.gpkg"]) == 2
    assert "'atlas.gpkg' is not a postgresql:// or postgres:// URL" in capsys.readouterr().err


def test_load_db_says_when_it_cannot_connect(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgres://planner:s3cret@127.0.0.1:{free_port()}/atlas"
    assert main(["load-db", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "planner@127.0.0.1" in err and "cannot write the atlas" in err
    assert "s3cret" not in err and "Traceback" not in err


# A broken table gives the line a GeoPackage broken the same way gives (after the file name).
SAME_AS_GEOPACKAGE: dict[str, tuple[str, Callable[[Frames], Any]]] = {
    "a NULL in a required field": (
        "UPDATE indicators SET source = NULL WHERE fid = 1",
        lambda f: put(f, "indicators", "source", ""),
    ),
    "a value outside the vocabulary": (
        "UPDATE status SET status = 'demolished' WHERE fid = 1",
        lambda f: put(f, "status", "status", "demolished"),
    ),
    "a date that does not parse": (
        "UPDATE events SET date = '2021-13' WHERE fid = 1",
        lambda f: put(f, "events", "date", "2021-13"),
    ),
    "a dropped column": (
        "ALTER TABLE events DROP COLUMN theme",
        lambda f: f.__setitem__("events", f["events"].drop(columns=["theme"])),
    ),
    "a reference that does not resolve": (
        "UPDATE flows SET dest_id = 'atlantis' WHERE fid = 1",
        lambda f: put(f, "flows", "dest_id", "atlantis"),
    ),
    "another CRS": (
        "ALTER TABLE places ALTER COLUMN geometry TYPE geometry(Point, 3857) "
        "USING ST_Transform(geometry, 3857)",
        lambda f: f.__setitem__("places", f["places"].to_crs("EPSG:3857")),
    ),
}


@pytest.mark.parametrize("case", list(SAME_AS_GEOPACKAGE))
def test_a_broken_table_gives_the_line_a_broken_geopackage_gives(
    case: str, atlas: Atlas, atlas_copy: str, tmp_path: Path
) -> None:
    statement, mutate = SAME_AS_GEOPACKAGE[case]
    _sql(atlas_copy, statement)
    from_db = _refused(atlas_copy)
    from_file = str(broken(atlas, tmp_path, mutate))
    assert from_db.replace(atlas_copy, "DATA") == from_file.replace(
        str(tmp_path / "edited.gpkg"), "DATA"
    )
    assert "row '" in from_db and "field '" in from_db


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("DROP TABLE documents", "layer 'documents', row '-', field '-': table is missing"),
        (
            "ALTER TABLE places DROP COLUMN geometry",
            "layer 'places', row '-', field 'geometry': the table has no geometry column",
        ),
        (
            "ALTER TABLE boundaries ALTER COLUMN geometry TYPE geometry(Polygon, 4326) "
            "USING ST_GeometryN(geometry, 1)",
            "layer 'boundaries', row '-', field 'geometry': the geometry column holds POLYGON, "
            "expected MultiPolygon",
        ),
        (
            "ALTER TABLE lines ALTER COLUMN geometry TYPE geometry(Geometry, 4326); "
            "UPDATE lines SET geometry = ST_Centroid(geometry) WHERE fid = 1",
            "field 'geometry': expected LineString, found Point",
        ),
        (
            "UPDATE places SET geometry = NULL WHERE fid = 2",
            "field 'geometry': geometry is missing or empty",
        ),
    ],
    ids=["dropped table", "no geometry", "geometry type", "mixed geometry", "NULL geometry"],
)
def test_what_only_a_database_gets_wrong_is_one_line_too(
    atlas_copy: str, statement: str, expected: str
) -> None:
    _sql(atlas_copy, statement)
    assert expected in _refused(atlas_copy)


def test_connection_failures_are_one_line_without_the_password(postgres: Postgres) -> None:
    closed = f"postgresql://planner:s3cret@127.0.0.1:{free_port()}/atlas"
    text = _refused(closed)
    assert "cannot read the database" in text and "s3cret" not in text
    assert "planner@127.0.0.1" in text
    assert 'database "nope" does not exist' in _refused(postgres.url("nope"))
    bad = _refused(f"postgresql://postgres:s3cret@127.0.0.1:{postgres.port}/x?password=s3cret")
    assert "s3cret" not in bad


def test_a_database_without_postgis_says_so(empty_db: str) -> None:
    assert "the PostGIS extension is not installed here" in _refused(empty_db)


def test_check_data_accepts_the_url(atlas_db: str) -> None:
    done = atlas_command("check-data", atlas_db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{atlas_db}: valid; boundaries 52")
    env_done = atlas_command("check-data", ATLAS_DATA=atlas_db)
    assert env_done.returncode == 0 and env_done.stdout == done.stdout


def test_check_data_and_serve_refuse_a_broken_database_in_one_line(atlas_copy: str) -> None:
    _sql(atlas_copy, "DROP TABLE metadata")
    refused(atlas_command("check-data", atlas_copy), "layer 'metadata'", "table is missing")
    refused(atlas_command("serve", ATLAS_DATA=atlas_copy), "layer 'metadata'", "table is missing")


def test_serve_starts_on_the_url_and_keeps_uploads_in_the_database(atlas_copy: str) -> None:
    csv = "name,经度,纬度\n北京西站,116.3151,39.8937\n".encode()
    with running_server(ATLAS_DATA=atlas_copy) as url:
        with urllib.request.urlopen(url + "/healthz", timeout=30) as answer:
            assert answer.status == 200
        request = urllib.request.Request(f"{url}{PREFIX}?name=west.csv", data=csv, method="POST")
        with urllib.request.urlopen(request, timeout=60) as answer:
            added = json.loads(answer.read())
    with psycopg.connect(atlas_copy) as conn:
        rows = conn.execute(f"SELECT digest, name, features FROM {TABLE}").fetchall()
    assert rows == [(added["id"], "west.csv", 1)]
