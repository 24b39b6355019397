"""The `atlas` command: bad data or settings end with one clear message and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main

ATLAS = Path(sys.executable).with_name("atlas")


def test_check_data_accepts_the_committed_gpkg(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-data"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "indicators" in out


def test_check_data_names_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"\x00not sqlite")
    assert main(["check-data", str(broken)]) == 2
    err = capsys.readouterr().err
    assert str(broken) in err and "not a readable GeoPackage" in err
    assert "Traceback" not in err


def test_serve_refuses_to_start_on_bad_atlas_data(tmp_path: Path) -> None:
    env = {**os.environ, "ATLAS_DATA": str(tmp_path / "missing.gpkg"), "ATLAS_PORT": "1"}
    done = subprocess.run(
        [str(ATLAS), "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "missing.gpkg" in done.stderr and "file does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_names_a_bad_port() -> None:
    env = {**os.environ, "ATLAS_PORT": "http"}
    done = subprocess.run(
        [str(ATLAS), "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "ATLAS_PORT must be a whole number, got 'http'" in done.stderr
