"""Telling a database URL from a file, and naming a database without its password (no server
needed: the PostGIS tests themselves are in test_postgis*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.postgis import public_url, say
from geodata.source import data_source, is_database_url


@pytest.mark.parametrize(
    ("value", "database"),
    [
        ("postgresql://atlas@db:5432/atlas", True),
        ("postgres://atlas@db/atlas", True),
        ("POSTGRESQL+psycopg://db/atlas", True),
        ("geodata/atlas.gpkg", False),
        ("postgresql.gpkg", False),
        ("mysql://db/atlas", False),
        (Path("postgresql://db/atlas"), False),  # a Path has already lost the URL
    ],
)
def test_is_database_url(value: object, database: bool) -> None:
    assert is_database_url(value) is database


def test_data_source_keeps_urls_as_text_and_files_as_paths() -> None:
    assert data_source("postgres://h/db") == "postgres://h/db"
    assert data_source("x/atlas.gpkg") == Path("x/atlas.gpkg")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://planner:s3cret@db:5432/atlas", "postgresql://planner@db:5432/atlas"),
        ("postgres://planner@db/atlas", "postgres://planner@db/atlas"),
        (
            "postgresql://db/atlas?password=s3cret&sslmode=require",
            "postgresql://db/atlas?sslmode=require",
        ),
        (
            "postgresql://p:s3cret@/atlas?host=/run/postgresql",
            "postgresql://p@/atlas?host=/run/postgresql",
        ),
    ],
)
def test_public_url_drops_the_password(url: str, shown: str) -> None:
    assert public_url(url) == shown


def test_a_driver_message_is_one_line_with_the_password_masked() -> None:
    error = RuntimeError('connection failed: password "s3cret" rejected\n\tmore detail')
    assert say(error, "postgresql://u:s3cret@h/db") == 'connection failed: password "***" rejected'
