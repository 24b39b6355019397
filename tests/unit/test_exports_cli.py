"""`atlas export`: one file per year, and one line plus exit status 2 for every bad argument."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse usage errors
        return int(stop.code or 0)


def test_year_range_writes_one_file_per_year_into_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures"
    argv = ["export", "--theme", "relocation", "--years", "2019-2021", "--format", "csv"]
    assert _run([*argv, "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"relocation_{y}_zh.csv" for y in (2019, 2020, 2021)]
    assert capsys.readouterr().out.count("wrote ") == 3


def test_year_range_with_a_name_pattern(tmp_path: Path) -> None:
    pattern = tmp_path / "maps" / "reloc_{year}.geojson"
    argv = ["export", "--theme", "relocation", "--years", "2020-2021", "--format", "geojson"]
    assert _run([*argv, "--lang", "en", "--out", str(pattern)]) == 0
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == [
        "reloc_2020.geojson",
        "reloc_2021.geojson",
    ]


def test_single_png(tmp_path: Path) -> None:
    out = tmp_path / "relocation.png"
    argv = ["export", "--theme", "relocation", "--year", "2021", "--format", "png"]
    assert _run([*argv, "--dpi", "150", "--title", "测试", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("*.part"))


BASE = ["export", "--theme", "relocation", "--year", "2021", "--format", "csv"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["export", "--theme", "nope", "--year", "2021", "--format", "csv"],
            "theme must be one of",
        ),
        (
            ["export", "--theme", "relocation", "--year", "2031", "--format", "csv"],
            "outside the data",
        ),
        (
            ["export", "--theme", "relocation", "--years", "2010-2016", "--format", "csv"],
            "year 2010",
        ),
        (["export", "--theme", "relocation", "--years", "2021-2019", "--format", "csv"], "FIRST"),
        (["export", "--theme", "relocation", "--year", "20x1", "--format", "csv"], "--year"),
        ([*BASE[:-1], "tiff"], "format must be one of"),
        ([*BASE, "--dpi", "72"], "dpi must be one of 150, 300, 600"),
        ([*BASE, "--dpi", "high"], "--dpi"),
        ([*BASE, "--paper", "letter"], "paper must be one of a4, a3"),
        ([*BASE, "--orientation", "diagonal"], "orientation must be one of"),
        ([*BASE, "--lang", "fr"], "lang must be one of"),
        ([*BASE, "--bbox", "116,39,115,40"], "bbox"),
        ([*BASE, "--layers", "hubs,nope"], "unknown layer 'nope'"),
        ([*BASE, "--select", "nowhere"], "'nowhere' is not in the data"),
        (BASE, "required: --out"),
        (["export", "--theme", "relocation", "--format", "csv"], "--year"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--out" not in argv and message != "required: --out":
        argv = [*argv, "--out", str(tmp_path / "out.csv")]
    assert _run(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_unwritable_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert _run([*BASE, "--out", str(blocker / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "is not a directory" in err
    years = ["export", "--theme", "relocation", "--years", "2020-2021", "--format", "csv"]
    assert _run([*years, "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "needs a directory" in err
    assert blocker.read_text() == "not a directory"
