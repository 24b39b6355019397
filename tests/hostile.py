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
