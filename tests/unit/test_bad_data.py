"""Each class of bad data stops loading with one message naming file, layer, row and field."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from shapely.geometry import Point, Polygon

from geodata import load, schema
from geodata.build import write_gpkg
from geodata.load import Atlas, load_atlas
from geodata.validate import AtlasDataError, plausible_years
from settings import DEFAULT_DATA
from tests.harness import free_port

Frames = dict[str, pd.DataFrame]


def _frames(atlas: Atlas) -> Frames:
    return {name: atlas.table(name) for name in schema.LAYERS}


def _first_id(frames: Frames, layer: str) -> str:
    return str(frames[layer][schema.LAYERS[layer].id_field].iloc[0])


def _set(frames: Frames, layer: str, field: str, value: object) -> str:
    frame = frames[layer]
    frame[field] = frame[field].astype(object)
    frame.at[frame.index[0], field] = value
    return _first_id(frames, layer)


def _broken(atlas: Atlas, tmp_path: Path, mutate: Callable[[Frames], None]) -> AtlasDataError:
    frames = _frames(atlas)
    mutate(frames)
    path = tmp_path / "edited.gpkg"
    write_gpkg(frames, path)
    with pytest.raises(AtlasDataError) as caught:
        load_atlas(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_committed_atlas_is_valid(atlas: Atlas) -> None:
    counts = atlas.counts()
    assert all(counts[name] > 0 for name in schema.LAYERS), counts


def test_wrong_crs(atlas: Atlas, tmp_path: Path) -> None:
    def mutate(frames: Frames) -> None:
        frames["places"] = frames["places"].to_crs("EPSG:3857")

    error = _broken(atlas, tmp_path, mutate)
    assert "layer 'places'" in str(error) and "EPSG:4326" in str(error)


def test_invalid_geometry(atlas: Atlas, tmp_path: Path) -> None:
    bowtie = Polygon([(116.0, 39.0), (116.2, 39.2), (116.2, 39.0), (116.0, 39.2)])
    row = {}

    def mutate(frames: Frames) -> None:
        gdf = frames["boundaries"]
        gdf.loc[gdf.index[0], "geometry"] = type(gdf.geometry.iloc[0])([bowtie])
        row["id"] = _first_id(frames, "boundaries")

    error = _broken(atlas, tmp_path, mutate)
    assert f"row '{row['id']}', field 'geometry': invalid geometry" in str(error)


def test_point_outside_the_region(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        gdf = frames["places"]
        gdf.loc[gdf.index[0], "geometry"] = Point(39.89, 116.31)  # lat/lon swapped
        row["id"] = _first_id(frames, "places")

    error = _broken(atlas, tmp_path, mutate)
    assert f"layer 'places', row '{row['id']}', field 'geometry'" in str(error)
    assert "outside the Beijing–Tianjin–Hebei region" in str(error)


def test_missing_required_field(atlas: Atlas, tmp_path: Path) -> None:
    error = _broken(
        atlas, tmp_path, lambda f: f.__setitem__("events", f["events"].drop(columns=["theme"]))
    )
    assert "layer 'events', row '-', field 'theme': required field is missing" in str(error)


def test_indicator_without_source(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = _broken(
        atlas, tmp_path, lambda f: row.setdefault("id", _set(f, "indicators", "source", ""))
    )
    assert f"layer 'indicators', row '{row['id']}', field 'source'" in str(error)


def test_event_source_that_is_neither_seed_nor_url(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = _broken(
        atlas, tmp_path, lambda f: row.setdefault("id", _set(f, "events", "source", "a friend"))
    )
    assert f"layer 'events', row '{row['id']}', field 'source'" in str(error)
    assert "neither 'seedfile.txt:LINE' nor a URL" in str(error)


@pytest.mark.parametrize("bad", ["2021-13", "2021/05/01", "May 2021", "2023-02-30"])
def test_date_that_does_not_parse(atlas: Atlas, tmp_path: Path, bad: str) -> None:
    row = {}
    error = _broken(atlas, tmp_path, lambda f: row.setdefault("id", _set(f, "events", "date", bad)))
    assert f"layer 'events', row '{row['id']}', field 'date': '{bad}' is not a date" in str(error)


def test_status_outside_the_vocabulary(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = _broken(
        atlas, tmp_path, lambda f: row.setdefault("id", _set(f, "status", "status", "demolished"))
    )
    assert f"layer 'status', row '{row['id']}', field 'status': 'demolished' is not one of" in str(
        error
    )


def test_duplicate_id(atlas: Atlas, tmp_path: Path) -> None:
    def mutate(frames: Frames) -> None:
        places = frames["places"]
        frames["places"] = pd.concat([places, places.iloc[[0]]], ignore_index=True)

    error = _broken(atlas, tmp_path, mutate)
    assert f"row '{_first_id(_frames(atlas), 'places')}', field 'id': duplicate id" in str(error)


def test_reference_that_does_not_resolve(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = _broken(
        atlas, tmp_path, lambda f: row.setdefault("id", _set(f, "flows", "dest_id", "atlantis"))
    )
    assert f"layer 'flows', row '{row['id']}', field 'dest_id': 'atlantis' is not an id" in str(
        error
    )


def test_value_that_is_not_a_number(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        frames["indicators"] = frames["indicators"].astype({"value": object})
        row["id"] = _set(frames, "indicators", "value", "lots")

    error = _broken(atlas, tmp_path, mutate)
    assert f"layer 'indicators', row '{row['id']}', field 'value': 'lots' is not a number" in str(
        error
    )


def test_missing_layer(atlas: Atlas, tmp_path: Path) -> None:
    frames = _frames(atlas)
    path = tmp_path / "partial.gpkg"
    write_gpkg(frames, path)
    with sqlite3.connect(path) as db:  # delete one layer the way a careless edit would
        db.execute("DROP TABLE events")
        db.execute("DELETE FROM gpkg_contents WHERE table_name = 'events'")
    with pytest.raises(
        AtlasDataError, match="layer 'events', row '-', field '-': layer is missing"
    ):
        load_atlas(path)


def test_not_a_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "notes.gpkg"
    path.write_text("this is not a GeoPackage", encoding="utf-8")
    with pytest.raises(AtlasDataError, match="not a readable GeoPackage"):
        load_atlas(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AtlasDataError, match="file does not exist"):
        load_atlas(tmp_path / "nowhere.gpkg")


def test_loaded_frames_cannot_be_corrupted_by_callers(atlas: Atlas) -> None:
    places = atlas.table("places")
    places["name_zh"] = "changed"
    assert (atlas.table("places")["name_zh"] != "changed").all()


@pytest.mark.parametrize(
    ("layer", "emptied", "kept"),
    [("places", "note_en", "note_zh"), ("status", "note_zh", "note_en")],
)
def test_note_in_one_language_only(
    atlas: Atlas, tmp_path: Path, layer: str, emptied: str, kept: str
) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        frame = frames[layer]
        index = frame.index[frame[kept] != ""][0]
        frame.at[index, emptied] = ""
        row["id"] = frame.at[index, schema.LAYERS[layer].id_field]

    error = _broken(atlas, tmp_path, mutate)
    assert (
        f"layer '{layer}', row '{row['id']}', field '{emptied}': {emptied} is empty while "
        f"{kept} is given" in str(error)
    )


def _first_section(frames: Frames) -> tuple[str, int, int]:
    first = frames["sections"].iloc[0]
    return str(first["document"]), int(first["first_line"]), int(first["last_line"])


def test_sections_that_overlap(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        document, first, last = _first_section(frames)
        extra = frames["sections"].iloc[[0]].assign(first_line=last, last_line=last + 5)
        frames["sections"] = pd.concat([frames["sections"], extra], ignore_index=True)
        row.update(document=document, first=first, last=last)

    error = _broken(atlas, tmp_path, mutate)
    d, first, last = row["document"], row["first"], row["last"]
    assert (
        f"layer 'sections', row '{d}:{last}', field 'first_line': lines {last}–{last + 5} overlap "
        f"another section of the same document (lines {first}–{last})" in str(error)
    )


def test_section_that_ends_before_it_begins(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        document, first, _ = _first_section(frames)
        frames["sections"].at[frames["sections"].index[0], "last_line"] = first - 1
        row.update(document=document, first=first)

    error = _broken(atlas, tmp_path, mutate)
    d, first = row["document"], row["first"]
    assert (
        f"layer 'sections', row '{d}:{first}', field 'last_line': last line {first - 1} comes "
        f"before first line {first}" in str(error)
    )


def test_section_of_an_unknown_document(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        _, first, _ = _first_section(frames)
        _set(frames, "sections", "document", "999_0123456789abcdef.txt")
        row["first"] = first

    error = _broken(atlas, tmp_path, mutate)
    assert (
        f"layer 'sections', row '999_0123456789abcdef.txt:{row['first']}', field 'document': "
        "'999_0123456789abcdef.txt' is not an id in documents" in str(error)
    )


def test_section_without_a_publisher(atlas: Atlas, tmp_path: Path) -> None:
    error = _broken(
        atlas,
        tmp_path,
        lambda f: f.__setitem__("sections", f["sections"].drop(columns=["publisher_en"])),
    )
    assert "layer 'sections', row '-', field 'publisher_en': required field is missing" in str(
        error
    )


def test_section_line_that_is_not_a_number(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        frames["sections"] = frames["sections"].astype({"last_line": object})
        document, first, _ = _first_section(frames)
        _set(frames, "sections", "last_line", "end")
        row.update(document=document, first=first)

    error = _broken(atlas, tmp_path, mutate)
    assert (
        f"layer 'sections', row '{row['document']}:{row['first']}', field 'last_line': 'end' is "
        "not a line number" in str(error)
    )


# --- classes that stop the `atlas` command itself (issue 12): damaged file, metadata, dates ---

ATLAS = Path(sys.executable).with_name("atlas")
PAGE = 4096  # SQLite's page size in the committed file (checked below)


def atlas_command(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `atlas` command; a server it starts despite the test's intent is killed."""
    full = {**os.environ, "ATLAS_HOST": "127.0.0.1", "ATLAS_PORT": str(free_port()), **env}
    proc = subprocess.Popen(
        [str(ATLAS), *args], env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def refused(done: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """Exit status 2 and one line on stderr holding every phrase, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    for phrase in phrases:
        assert phrase in done.stderr
    return done.stderr


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
    frames = _frames(atlas)
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
    error = _broken(atlas, tmp_path, lambda f: row.setdefault("id", _set(f, "events", "date", bad)))
    first, last = plausible_years()
    assert (
        f"layer 'events', row '{row['id']}', field 'date': '{bad}' is not a plausible date: "
        f"dates lie from {first} to {last}" in str(error)
    )


def test_the_date_bound_is_inclusive(atlas: Atlas, tmp_path: Path) -> None:
    first, last = plausible_years()
    assert (first, last) == (schema.EARLIEST_YEAR, date.today().year + schema.FUTURE_YEARS)
    frames = _frames(atlas)
    _set(frames, "events", "date", str(last))
    _set(frames, "status", "since", str(first))
    path = tmp_path / "edges.gpkg"
    write_gpkg(frames, path)
    assert load_atlas(path).table("events")["date"].iloc[0] == str(last)


def _future_event(atlas: Atlas, tmp_path: Path) -> Path:
    frames = _frames(atlas)
    _set(frames, "events", "date", "9999-01-01")
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
