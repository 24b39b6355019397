"""Compare pages (issue 14): one page with year A's and year B's maps, their years, one legend
and the change list. The PDF's text layer carries both map captions and every change line (as
``core.compare.lines`` words them, itself checked against the CSVs in test_compare.py), or, when
the list is too long, its first lines and how many more there are; the PNG is paper × dpi and
its two map frames differ where the years do; the SVG is XML that keeps its text. A bad request
gets one clear line: from the spec, from ``atlas export --compare`` and in the export panel,
whose compare store is read as untrusted input."""

from __future__ import annotations

import argparse
import io
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dash._no_update import NoUpdate
from PIL import Image
from pypdf import PdfReader

from callbacks.export import command_line, make_spec, valid_args
from cli import _parser, main
from core import style
from core.compare import compare, lines
from core.tables import Tables
from core.text import t, tx
from exports import ExportError, ExportSpec, export_bytes
from exports.batch import _specs
from exports.compare import LIST_SIZES, YEAR_A_INK, YEAR_B_INK, line_text, set_list
from exports.fonts import cjk_family
from geodata.load import Atlas

ATLAS = Path(sys.executable).with_name("atlas")


def _flat(text: str) -> str:
    """Text without the line breaks and spaces a page's wrapping puts in."""
    return re.sub(r"\s+", "", text)


def _pdf(atlas: Atlas, spec: ExportSpec) -> tuple[str, list[tuple[str, float, float, float]]]:
    """The page's text, and its text runs as (text, size, x, y)."""
    page = PdfReader(io.BytesIO(export_bytes(atlas, spec))).pages[0]
    runs: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list, tm: list, font: Any, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), size, cm[4], cm[5]))

    return page.extract_text(visitor_text=visit), runs


def _expected(atlas: Atlas, theme: str, a: int, b: int, lang: str) -> list[str]:
    tables = Tables.from_atlas(atlas)
    return [line_text(line, lang) for line in lines(tables, compare(tables, theme, a, b), lang)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_pdf_has_both_years_and_every_change_line(atlas: Atlas, lang: str) -> None:
    spec = ExportSpec("relocation", 2021, lang=lang, fmt="pdf", compare=(2014, 2021))
    text, runs = _pdf(atlas, spec)
    # the captions: each year alone, large, over its map (A left of B, on one line)
    captions = {tx("export.compare.year", lang, year=y): y for y in (2014, 2021)}
    found = {captions[s]: (x, y) for s, size, x, y in runs if s in captions and size >= 12}
    assert set(found) == {2014, 2021}
    assert found[2014][0] < found[2021][0] and found[2014][1] == found[2021][1]
    flat = _flat(text)
    assert _flat(tx("export.compare.changes", lang, a=2014, b=2021)) in flat
    expected = _expected(atlas, "relocation", 2014, 2021, lang)
    assert len(expected) == 26  # 14 status, flow and event lines and 12 figures (test_compare)
    assert [e for e in expected if _flat(e) not in flat] == []  # dates, text, citations
    assert _flat(tx("export.compare.more", lang, n=1)).split("1")[1] not in flat  # not cut
    assert ".txt" not in text and "FACTS" not in text and "{" not in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_change_list_shows_its_first_lines_and_counts_the_rest(
    atlas: Atlas, lang: str
) -> None:
    # the overview from the first year to 2025 has far more changes than an A4 page holds
    spec = ExportSpec("overview", 2025, lang=lang, fmt="pdf", compare=(2014, 2025))
    text, _ = _pdf(atlas, spec)
    flat = _flat(text)
    expected = _expected(atlas, "overview", 2014, 2025, lang)
    shown = [_flat(e) in flat for e in expected]
    k = sum(shown)
    assert 10 < k < len(expected)
    assert shown == [True] * k + [False] * (len(expected) - k)  # the first lines, in order
    assert _flat(tx("export.compare.more", lang, n=len(expected) - k)) in flat


def test_the_list_shrinks_to_the_floor_then_says_how_many_more() -> None:
    family = cjk_family()
    short = [f"2016 item {n} (source)" for n in range(6)]
    listed = set_list(short, family, col_w=300, room=200, k=1)
    assert listed.size == LIST_SIZES[0] and listed.more == 0
    assert sorted(n for col in listed.columns for n in col) == list(range(6))
    assert abs(len(listed.columns[0]) - len(listed.columns[1])) <= 1  # even columns
    # a little more than fits at the largest size: a smaller one, nothing left out
    rows = int(200 // (LIST_SIZES[0] * 1.3))
    listed = set_list(short * (rows // 3 + 1), family, col_w=300, room=200, k=1)
    assert LIST_SIZES[-1] <= listed.size < LIST_SIZES[0] and listed.more == 0
    # far too many: the floor, whole items in order, and one line for the rest
    many = ["2019-09-26 北京大兴国际机场投入使用（2014年尚无记录）（维基百科）" * 2] * 300
    listed = set_list(many, family, col_w=250, room=200, k=1)
    placed = [n for col in listed.columns for n in col]
    assert listed.size == LIST_SIZES[-1] and placed == list(range(len(placed)))
    assert listed.more == 300 - len(placed) > 0
    floor_rows = int(200 // (LIST_SIZES[-1] * 1.3))
    assert sum(len(listed.items[n]) for n in listed.columns[-1]) <= floor_rows - 1


def _frame(pixels: np.ndarray, ink: str) -> np.ndarray:
    """The inside of the map frame drawn in ``ink`` (its spines are that colour)."""
    rgb = np.array([int(ink[i : i + 2], 16) for i in (1, 3, 5)])
    mask = np.abs(pixels - rgb).sum(axis=2) < 40
    rows, cols = mask.sum(axis=1), mask.sum(axis=0)
    top, bottom = np.flatnonzero(rows > rows.max() / 2)[[0, -1]]
    left, right = np.flatnonzero(cols > cols.max() / 2)[[0, -1]]
    return pixels[top + 6 : bottom - 5, left + 6 : right - 5]


@pytest.mark.slow
def test_compare_png_is_paper_times_dpi_and_its_maps_differ(atlas: Atlas) -> None:
    spec = ExportSpec("corridor", 2026, lang="en", fmt="png", dpi=150, compare=(2018, 2026))
    image = Image.open(io.BytesIO(export_bytes(atlas, spec)))
    w_mm, h_mm = spec.paper_mm
    assert image.size == (round(w_mm / 25.4 * 150), round(h_mm / 25.4 * 150)) == (1754, 1240)
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    left, right = _frame(pixels, YEAR_A_INK), _frame(pixels, YEAR_B_INK)
    # two frames of one size over the same extent, side by side, A on the left
    assert left.shape == right.shape and left.shape[1] > 500
    differs = (np.abs(left - right).sum(axis=2) > 60).mean()
    assert 0.005 < differs < 0.5  # same basemap; lines, stations and names of 2026 only
    green = np.array([int(style.THEME_COLOURS["corridor"][i : i + 2], 16) for i in (1, 3, 5)])

    def near(part: np.ndarray) -> int:  # the corridor's colour and shades near it
        return int((np.abs(part - green).sum(axis=2) < 90).sum())

    assert near(right) > 5 * max(1, near(left))  # the stations opened 2019-2020, the railway


@pytest.mark.slow
def test_compare_svg_is_xml_with_both_years_as_text(atlas: Atlas) -> None:
    spec = ExportSpec("relocation", 2021, lang="zh", fmt="svg", compare=(2014, 2021))
    root = ET.fromstring(export_bytes(atlas, spec))
    texts = [" ".join(e.itertext()).strip() for e in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "2014年" in texts and "2021年" in texts  # the two captions, each its own text
    assert "2014年 → 2021年的变化" in texts


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compare": (2021, 2014)}, "compare needs year A before year B; got 2021,2014"),
        ({"compare": (2021, 2021)}, "compare needs year A before year B"),
        ({"compare": (2014, 2020)}, r"year B \(2020\) must be the export's year \(2021\)"),
        ({"compare": (2014,)}, r"compare must be two years A,B; got \(2014,\)"),
        ({"compare": ("2014", 2021)}, "compare must be two years A,B"),
        ({"compare": (True, 2021)}, "compare must be two years A,B"),
        ({"compare": 2014}, "compare must be two years A,B"),
    ],
)
def test_a_bad_comparison_is_named(kwargs: dict, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        ExportSpec("relocation", 2021, fmt="pdf", **kwargs)


@pytest.mark.parametrize("fmt", ["html", "geojson", "csv"])
def test_the_data_formats_refuse_a_comparison_in_one_sentence(fmt: str) -> None:
    with pytest.raises(ExportError) as refused:
        ExportSpec("relocation", 2021, fmt=fmt, compare=(2014, 2021))
    assert str(refused.value) == tx("export.compare.formats", "en")
    assert refused.value.key == "export.compare.formats"  # the panel says it in its language
    assert "PNG、PDF 或 SVG" in t(refused.value.key, "zh")


def test_a_comparison_names_its_file_and_keeps_year_b() -> None:
    spec = ExportSpec("relocation", 2021, fmt="pdf", compare=[2014, 2021])
    assert spec.compare == (2014, 2021) and spec.year == 2021
    assert spec.filename() == "relocation_2014-2021_zh_a4-landscape.pdf"


@pytest.mark.parametrize("pair", [(2001, 2021), (2014, 2040)])
def test_a_year_outside_the_data_is_named(atlas: Atlas, pair: tuple[int, int]) -> None:
    bad = pair[0] if pair[0] == 2001 else pair[1]
    with pytest.raises(ExportError, match=f"year {bad} is outside the data"):
        export_bytes(atlas, ExportSpec("relocation", pair[1], fmt="pdf", compare=pair))


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse usage errors
        return int(stop.code or 0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021,2014", "compare needs year A before year B; got '2021,2014'"),
        ("2014", "compare must be two years A,B such as 2014,2021; got '2014'"),
        ("abc", "compare must be two years A,B such as 2014,2021; got 'abc'"),
        ("2014,,2021", "compare must be two years A,B"),
        ("2014,2040", "year 2040 is outside the data (2014–2026)"),
        ("2001,2021", "year 2001 is outside the data (2014–2026)"),
    ],
)
def test_cli_bad_compare_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    argv = ["export", "--theme", "relocation", "--compare", value, "--format", "pdf"]
    assert _run([*argv, "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"atlas: {message}" or (message in err and len(err.splitlines()) == 1)
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "csv"], tx("export.compare.formats", "en")),
        (["--format", "pdf", "--year", "2021"], "not allowed with argument"),
    ],
)
def test_cli_compare_with_a_data_format_or_a_year_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["export", "--theme", "relocation", "--compare", "2014,2021", *extra]
    assert _run([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_the_atlas_command_says_a_bad_compare_in_one_line(tmp_path: Path) -> None:
    argv = ["export", "--theme", "relocation", "--compare", "2021,2014", "--format", "pdf"]
    done = subprocess.run(
        [str(ATLAS), *argv, "--out", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "atlas: compare needs year A before year B; got '2021,2014'\n"


@pytest.mark.slow
def test_the_atlas_command_writes_the_compare_page(tmp_path: Path) -> None:
    out = tmp_path / "cmp.pdf"
    argv = ["export", "--theme", "corridor", "--compare", "2018,2026", "--format", "pdf"]
    done = subprocess.run(
        [str(ATLAS), *argv, "--lang", "en", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out} (")
    text = _flat(PdfReader(out).pages[0].extract_text())
    assert _flat("Beijing–Xiong'an corridor: 2018 and 2026 compared") in text
    assert _flat("What changed, 2018 → 2026") in text


# The export panel: the page's compare store ({"mode", "a", "b"} or None) is untrusted.
# n_clicks, fmt, paper, orientation, dpi, title, lang, theme, year, layers, selected, bbox, user,
# compare
PANEL = [1, "pdf", "a4", "landscape", "300", None, "en", "relocation", 2021, None, None, None, []]


def _values(compare: Any, fmt: str = "pdf", year: Any = 2021) -> dict[str, Any]:
    names = ["fmt", "paper", "orientation", "dpi", "title", "lang", "theme", "year"]
    names += ["layers", "selected", "bbox", "user", "compare"]
    args = [*PANEL[1:], compare]
    args[0], args[7] = fmt, year
    return dict(zip(names, args, strict=True))


def test_the_panel_exports_a_comparison_while_the_page_compares() -> None:
    for mode in ("swipe", "side"):
        spec = make_spec(_values({"mode": mode, "a": 2014, "b": 2021}))
        assert spec.compare == (2014, 2021) and spec.year == 2021
    # B is the timeline's year, whatever the store's "b" says
    assert make_spec(_values({"mode": "side", "a": 2014, "b": 2019})).compare == (2014, 2021)


@pytest.mark.parametrize(
    "store",
    [
        None,
        {},
        {"mode": None, "a": 2014, "b": 2021},
        {"mode": "off", "a": 2014},
        {"mode": ["side"], "a": 2014},
        {"mode": {"x": 1}, "a": 2014},
        {"mode": "side"},
        {"mode": "side", "a": "2014"},
        {"mode": "side", "a": 2014.0},
        {"mode": "side", "a": True},
        {"mode": "side", "a": None},
        {"mode": "side", "a": [2014]},
        {"mode": "side", "a": 2021},  # not before B: the page shows a notice, not two maps
        {"mode": "side", "a": 10**400},
    ],
)
def test_a_store_that_is_no_comparison_exports_year_b(store: Any) -> None:
    assert valid_args([1, *_values(store).values()])
    assert make_spec(_values(store)).compare is None


@pytest.mark.parametrize("store", ["side", ["side", 2014], 7, True, "x" * 10_000])
def test_a_store_of_another_type_is_no_request(store: Any) -> None:
    assert not valid_args([1, *_values(store).values()])


def test_the_panel_command_names_the_comparison_and_makes_the_same_spec() -> None:
    spec = make_spec(_values({"mode": "swipe", "a": 2016, "b": 2021}, fmt="png"))
    command = command_line(spec)
    assert "--compare 2016,2021" in command and "--year" not in command
    argv = shlex.split(command)
    assert argv[:2] == ["atlas", "export"]
    args = _parser().parse_args(argv[1:])
    assert isinstance(args, argparse.Namespace)
    assert _specs(args) == [spec]


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from app import create_app
    from settings import Settings

    app = create_app(Settings(cache_dir=tmp_path_factory.mktemp("jobs")))
    manager = app.jobs
    manager.client = lambda: "test"
    yield manager


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_panel_refuses_a_data_format_in_its_language(manager: Any, lang: str) -> None:
    [job_fn] = manager.func_registry.values()
    args = [1, *_values({"mode": "side", "a": 2014, "b": 2021}, fmt="csv").values()]
    args[6] = lang
    job_fn(f"csv-{lang}", f"csv-{lang}-progress", args, {})
    download, status, command = manager.handle.get(f"csv-{lang}")
    assert NoUpdate.is_no_update(download) and command == ""
    assert status == t("export.compare.formats", lang)


@pytest.mark.parametrize(
    "store",
    [
        {"mode": "side", "a": -5, "b": 2021},
        {"mode": "side", "a": 2021},
        {"mode": ["side"], "a": 2014},
        ["side", 2014],
    ],
)
def test_a_forged_store_gets_a_sentence_a_file_or_no_update(manager: Any, store: Any) -> None:
    [job_fn] = manager.func_registry.values()
    key = f"forged-{store!r}"
    # a PDF whose year A is outside the data is refused before anything is drawn
    fmt = "pdf" if isinstance(store, dict) and store.get("a") == -5 else "geojson"
    job_fn(key, f"{key}-progress", [1, *_values(store, fmt=fmt).values()], {})
    download, status, command = manager.handle.get(key)
    if not isinstance(store, dict):
        assert all(NoUpdate.is_no_update(o) for o in (download, status, command))
    elif store.get("a") == -5:  # a comparison with a year A outside the data: named
        assert status == t("export.failed", "en", error="year -5 is outside the data (2014–2026)")
    else:  # no comparison: year B's data
        assert download["filename"] == "relocation_2021_en.geojson" and "--year 2021" in command
