"""Exports use the atlas the dashboard loaded (issue 12): the export callback never reads the
data file again, so an export matches the screen even when the file is edited during start-up
or broken while the server runs; a changed file takes effect for both at the next restart."""

from __future__ import annotations

import base64
import csv
import io
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from core.prepared import AppData
from settings import DEFAULT_DATA, Settings

ROW = "dahongmen_markets_closed_2018_11"  # shown by the relocation theme's first card in 2021
ARGS = [1, "csv", "a4", "landscape", "300", None, "en", "relocation", 2021, None, None, None]


def export_csv(app: Any, key: str) -> list[dict[str, str]]:
    """Run the export callback's job function in this process, as a job process would."""
    manager = app.jobs
    [job] = manager.func_registry.values()
    job(key, f"{key}-progress", ARGS, {})
    download, status, _ = manager.handle.get(key)
    assert status.startswith("Created"), status
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def shown_value(rows: list[dict[str, str]]) -> float:
    return float(next(r for r in rows if r["id"] == ROW)["value"])


def test_exports_use_the_dashboards_atlas_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_file = tmp_path / "atlas.gpkg"
    shutil.copyfile(DEFAULT_DATA, data_file)
    prepare = AppData.from_atlas.__func__  # type: ignore[attr-defined]
    dashboard: list[AppData] = []

    def edited_once_read(cls: type[AppData], atlas: Any, settings: Any = None) -> AppData:
        """The dashboard's data is prepared; then someone saves an edit to the file."""
        dashboard.append(prepare(cls, atlas, settings))
        with sqlite3.connect(data_file) as db:
            db.execute("UPDATE indicators SET value = 999 WHERE id = ?", (ROW,))
        stat = data_file.stat()
        os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        return dashboard[-1]

    monkeypatch.setattr(AppData, "from_atlas", classmethod(edited_once_read))
    app = create_app(Settings(data_path=data_file, cache_dir=tmp_path / "jobs"))
    indicators = dashboard[0].tables.indicators
    on_screen = float(indicators.loc[indicators["id"] == ROW, "value"].iloc[0])
    assert on_screen != 999
    assert shown_value(export_csv(app, "edited")) == on_screen

    data_file.write_bytes(b"broken while the server runs")
    assert shown_value(export_csv(app, "broken")) == on_screen
