"""CSV export: cells a spreadsheet would run as formulas are neutralised (a leading ``'``,
OWASP), numbers are not: the numeric value column and plain-number text stay as they are."""

from __future__ import annotations

import csv
import io

import pytest

from exports import ExportSpec, export_bytes
from exports.data import neutralise
from geodata.load import Atlas, load_atlas
from tests.hostile import FORMULA_ROW, FORMULAS, PLAIN_NUMBER, write_formula_hostile


def rows(raw: bytes) -> list[dict[str, str]]:
    """The file as a spreadsheet program's CSV reader sees it."""
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def hostile_rows(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    path = write_formula_hostile(atlas, tmp_path_factory.mktemp("csv") / "formulas.gpkg")
    return rows(export_bytes(load_atlas(path), ExportSpec("relocation", 2021, fmt="csv")))


def test_formula_cells_are_neutralised(hostile_rows: list[dict[str, str]]) -> None:
    row = next(r for r in hostile_rows if r["id"] == FORMULA_ROW)
    assert {field: row[field] for field in FORMULAS} == {
        field: "'" + payload for field, payload in FORMULAS.items()
    }


def test_numbers_are_left_as_numbers(atlas: Atlas, hostile_rows: list[dict[str, str]]) -> None:
    row = next(r for r in hostile_rows if r["id"] == FORMULA_ROW)
    assert row[PLAIN_NUMBER[0]] == PLAIN_NUMBER[1]  # a negative number, not a formula
    original = atlas.table("indicators").set_index("id").at[FORMULA_ROW, "value"]
    assert float(row["value"]) == original and row["year"] == "2021"


def test_no_cell_of_the_file_starts_a_formula(hostile_rows: list[dict[str, str]]) -> None:
    for row in hostile_rows:
        for field, cell in row.items():
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell.rstrip("%"))  # only plain numbers may start so
                assert field == PLAIN_NUMBER[0] or field == "value", (field, cell)


def test_the_committed_atlas_exports_unchanged_text(atlas: Atlas) -> None:
    exported = rows(export_bytes(atlas, ExportSpec("relocation", 2021, fmt="csv")))
    labels = atlas.table("indicators").set_index("id")["label_zh"]
    assert all(r["label_zh"] == labels[r["id"]] for r in exported if r["id"])


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-7%", "-7%"),
        ("4e-3", "4e-3"),
        (-5.0, -5.0),
        ("=1+1", "'=1+1"),
        ("-1+1", "'-1+1"),
        ("-", "'-"),
        ("@A1", "'@A1"),
        ("\t1", "'\t1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise(cell: object, written: object) -> None:
    assert neutralise(cell) == written
