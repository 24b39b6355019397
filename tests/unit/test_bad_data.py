"""Each class of bad data stops loading with one message naming file, layer, row and field."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from shapely.geometry import Point, Polygon

from geodata import schema
from geodata.build import write_gpkg
from geodata.load import Atlas, load_atlas
from geodata.validate import AtlasDataError
from tests.baddata import Frames, broken, first_id, frames_of, put


def test_committed_atlas_is_valid(atlas: Atlas) -> None:
    counts = atlas.counts()
    assert all(counts[name] > 0 for name in schema.LAYERS), counts


def test_wrong_crs(atlas: Atlas, tmp_path: Path) -> None:
    def mutate(frames: Frames) -> None:
        frames["places"] = frames["places"].to_crs("EPSG:3857")

    error = broken(atlas, tmp_path, mutate)
    assert "layer 'places'" in str(error) and "EPSG:4326" in str(error)


def test_invalid_geometry(atlas: Atlas, tmp_path: Path) -> None:
    bowtie = Polygon([(116.0, 39.0), (116.2, 39.2), (116.2, 39.0), (116.0, 39.2)])
    row = {}

    def mutate(frames: Frames) -> None:
        gdf = frames["boundaries"]
        gdf.loc[gdf.index[0], "geometry"] = type(gdf.geometry.iloc[0])([bowtie])
        row["id"] = first_id(frames, "boundaries")

    error = broken(atlas, tmp_path, mutate)
    assert f"row '{row['id']}', field 'geometry': invalid geometry" in str(error)


def test_point_outside_the_region(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        gdf = frames["places"]
        gdf.loc[gdf.index[0], "geometry"] = Point(39.89, 116.31)  # lat/lon swapped
        row["id"] = first_id(frames, "places")

    error = broken(atlas, tmp_path, mutate)
    assert f"layer 'places', row '{row['id']}', field 'geometry'" in str(error)
    assert "outside the Beijing–Tianjin–Hebei region" in str(error)


def test_missing_required_field(atlas: Atlas, tmp_path: Path) -> None:
    error = broken(
        atlas, tmp_path, lambda f: f.__setitem__("events", f["events"].drop(columns=["theme"]))
    )
    assert "layer 'events', row '-', field 'theme': required field is missing" in str(error)


def test_indicator_without_source(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = broken(
        atlas, tmp_path, lambda f: row.setdefault("id", put(f, "indicators", "source", ""))
    )
    assert f"layer 'indicators', row '{row['id']}', field 'source'" in str(error)


def test_event_source_that_is_neither_seed_nor_url(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = broken(
        atlas,
        tmp_path,
        lambda f: row.setdefault("id", put(f, "events", "source", "a friend")),
    )
    assert f"layer 'events', row '{row['id']}', field 'source'" in str(error)
    assert "neither 'seedfile.txt:LINE' nor a URL" in str(error)


@pytest.mark.parametrize("bad", ["2021-13", "2021/05/01", "May 2021", "2023-02-30"])
def test_date_that_does_not_parse(atlas: Atlas, tmp_path: Path, bad: str) -> None:
    row = {}
    error = broken(atlas, tmp_path, lambda f: row.setdefault("id", put(f, "events", "date", bad)))
    assert f"layer 'events', row '{row['id']}', field 'date': '{bad}' is not a date" in str(error)


def test_status_outside_the_vocabulary(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = broken(
        atlas,
        tmp_path,
        lambda f: row.setdefault("id", put(f, "status", "status", "demolished")),
    )
    assert f"layer 'status', row '{row['id']}', field 'status': 'demolished' is not one of" in str(
        error
    )


def test_duplicate_id(atlas: Atlas, tmp_path: Path) -> None:
    def mutate(frames: Frames) -> None:
        places = frames["places"]
        frames["places"] = pd.concat([places, places.iloc[[0]]], ignore_index=True)

    error = broken(atlas, tmp_path, mutate)
    assert f"row '{first_id(frames_of(atlas), 'places')}', field 'id': duplicate id" in str(error)


def test_reference_that_does_not_resolve(atlas: Atlas, tmp_path: Path) -> None:
    row = {}
    error = broken(
        atlas,
        tmp_path,
        lambda f: row.setdefault("id", put(f, "flows", "dest_id", "atlantis")),
    )
    assert f"layer 'flows', row '{row['id']}', field 'dest_id': 'atlantis' is not an id" in str(
        error
    )


def test_value_that_is_not_a_number(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        frames["indicators"] = frames["indicators"].astype({"value": object})
        row["id"] = put(frames, "indicators", "value", "lots")

    error = broken(atlas, tmp_path, mutate)
    assert f"layer 'indicators', row '{row['id']}', field 'value': 'lots' is not a number" in str(
        error
    )


def test_missing_layer(atlas: Atlas, tmp_path: Path) -> None:
    frames = frames_of(atlas)
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

    error = broken(atlas, tmp_path, mutate)
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

    error = broken(atlas, tmp_path, mutate)
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

    error = broken(atlas, tmp_path, mutate)
    d, first = row["document"], row["first"]
    assert (
        f"layer 'sections', row '{d}:{first}', field 'last_line': last line {first - 1} comes "
        f"before first line {first}" in str(error)
    )


def test_section_of_an_unknown_document(atlas: Atlas, tmp_path: Path) -> None:
    row = {}

    def mutate(frames: Frames) -> None:
        _, first, _ = _first_section(frames)
        put(frames, "sections", "document", "999_0123456789abcdef.txt")
        row["first"] = first

    error = broken(atlas, tmp_path, mutate)
    assert (
        f"layer 'sections', row '999_0123456789abcdef.txt:{row['first']}', field 'document': "
        "'999_0123456789abcdef.txt' is not an id in documents" in str(error)
    )


def test_section_without_a_publisher(atlas: Atlas, tmp_path: Path) -> None:
    error = broken(
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
        put(frames, "sections", "last_line", "end")
        row.update(document=document, first=first)

    error = broken(atlas, tmp_path, mutate)
    assert (
        f"layer 'sections', row '{row['document']}:{row['first']}', field 'last_line': 'end' is "
        "not a line number" in str(error)
    )
