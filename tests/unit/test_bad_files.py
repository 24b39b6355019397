"""Classes of bad data that stop the `atlas` command itself (issue 12) with one line and exit
status 2: a damaged file, a symbolic link loop, a missing metadata key, an implausible date."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from geodata import load, schema
from geodata.build import write_gpkg
from geodata.load import Atlas, load_atlas
from geodata.validate import AtlasDataError, plausible_years
from settings import DEFAULT_DATA
from tests.baddata import atlas_command, broken, frames_of, put, refused

PAGE = 4096  # SQLite's page size in the committed file (checked below)


def damaged_copy(tmp_path: Path, page: int | None = None) -> Path:
    """A copy of the committed GeoPackage with one page in the middle overwritten."""
    source = DEFAULT_DATA
    with sqlite3.connect(source) as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(source.read_bytes())
    page = page or pages // 2
    data[(page - 1) * PAGE : page * PAGE] = b"\x0d\x00\xff\x07" * (PAGE // 4)
    path = tmp_path / "damaged.gpkg"
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_page_in_the_middle_says_the_file_is_damaged(tmp_path: Path) -> None:
    path = damaged_copy(tmp_path)
    with pytest.raises(AtlasDataError) as caught:
        load_atlas(path)
    text = str(caught.value)
    assert text.startswith(f"atlas data is invalid: {path}: ") and "\n" not in text
    assert "the file is damaged" in text and "rebuild it with 'atlas build-data'" in text


def test_a_damaged_table_root_page_says_the_file_is_damaged(tmp_path: Path) -> None:
    with sqlite3.connect(DEFAULT_DATA) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()
    path = damaged_copy(tmp_path, page=root[0])
    with pytest.raises(AtlasDataError, match=r"the file is damaged .*malformed"):
        load_atlas(path)


def test_damage_gdal_meets_while_reading_a_layer_is_reported_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should SQLite's page check miss it, the error GDAL raises mid-read is caught as well."""
    monkeypatch.setattr(load, "_damage", lambda path: None)
    path = damaged_copy(tmp_path)
    with pytest.raises(AtlasDataError) as caught:
        load_atlas(path)
    text = str(caught.value)
    assert "the file is damaged (GDAL: " in text and "\n" not in text
    assert re.search(r"layer '(\w+)'", text)[1] in schema.LAYERS  # type: ignore[index]


def test_a_symlink_loop_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.gpkg").symlink_to(tmp_path / "b.gpkg")
    (tmp_path / "b.gpkg").symlink_to(tmp_path / "a.gpkg")
    with pytest.raises(AtlasDataError, match=r"a\.gpkg: .*is a symbolic link loop"):
        load_atlas(tmp_path / "a.gpkg")


def _without_metadata_key(atlas: Atlas, tmp_path: Path, key: str) -> Path:
    frames = frames_of(atlas)
    frames["metadata"] = frames["metadata"][frames["metadata"]["key"] != key]
    path = tmp_path / "no-notice.gpkg"
    write_gpkg(frames, path)
    return path


@pytest.mark.parametrize("key", schema.REQUIRED_METADATA)
def test_a_missing_metadata_key_is_named(atlas: Atlas, tmp_path: Path, key: str) -> None:
    with pytest.raises(AtlasDataError) as caught:
        load_atlas(_without_metadata_key(atlas, tmp_path, key))
    assert f"layer 'metadata', row '{key}', field 'key': required key is missing" in str(
        caught.value
    )


@pytest.mark.parametrize("bad", ["9999", "9999-01-01", "1700-05"])
def test_an_implausible_date_is_named_with_the_bound(
    atlas: Atlas, tmp_path: Path, bad: str
) -> None:
    row = {}
    error = broken(atlas, tmp_path, lambda f: row.setdefault("id", put(f, "events", "date", bad)))
    first, last = plausible_years()
    assert (
        f"layer 'events', row '{row['id']}', field 'date': '{bad}' is not a plausible date: "
        f"dates lie from {first} to {last}" in str(error)
    )


def test_the_date_bound_is_inclusive(atlas: Atlas, tmp_path: Path) -> None:
    first, last = plausible_years()
    assert (first, last) == (schema.EARLIEST_YEAR, date.today().year + schema.FUTURE_YEARS)
    frames = frames_of(atlas)
    put(frames, "events", "date", str(last))
    put(frames, "status", "since", str(first))
    path = tmp_path / "edges.gpkg"
    write_gpkg(frames, path)
    assert load_atlas(path).table("events")["date"].iloc[0] == str(last)


def _future_event(atlas: Atlas, tmp_path: Path) -> Path:
    frames = frames_of(atlas)
    put(frames, "events", "date", "9999-01-01")
    path = tmp_path / "future.gpkg"
    write_gpkg(frames, path)
    return path


BAD_FILES: dict[str, tuple[Callable[[Atlas, Path], Path], tuple[str, ...]]] = {
    "damaged page": (lambda atlas, tmp: damaged_copy(tmp), ("damaged.gpkg", "the file is damaged")),
    "metadata key": (
        lambda atlas, tmp: _without_metadata_key(atlas, tmp, "boundary_notice_en"),
        ("layer 'metadata', row 'boundary_notice_en', field 'key': required key is missing",),
    ),
    "date 9999": (_future_event, ("field 'date': '9999-01-01' is not a plausible date",)),
}


@pytest.mark.parametrize("command", ["check-data", "serve"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_command_refuses_the_file_in_one_line(
    atlas: Atlas, tmp_path: Path, case: str, command: str
) -> None:
    """``check-data`` catches what would stop ``serve`` (before: a missing metadata key passed
    check-data and crashed serve; 9999 opened a 7,986-year timeline; a damaged page: traceback)."""
    make, phrases = BAD_FILES[case]
    path = make(atlas, tmp_path)
    done = atlas_command(command, ATLAS_DATA=str(path))
    refused(done, str(path), *phrases)
