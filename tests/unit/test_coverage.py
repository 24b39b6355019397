"""Every figure printed in the seeds is in a table row or in sources/exclusions.csv with a reason.

A figure (see geodata/seedfigures.py) is covered when a row of indicators.csv, flows.csv or
events.csv cites its line, or the line before (a quoted figure may wrap onto the next line), and
the row's quoted_figure / quoted_date contains the figure as printed. A quote that stops before
the figure's 万/亿 or 余/多 (quoted_figure 4500 for 4500亿, unit_zh 亿元) covers it too.

A figure neither covered nor excluded fails ``test_every_seed_figure_is_covered_or_excluded``
with a list: it is a figure about Fengtai or Jing-Jin-Ji that still needs a row, or a non-figure
that needs an exclusion row saying why. When this module was written, the tables lacked rows
for a handful of such figures (listed in the failure message); the test fails, by design, until
they are added.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from geodata import schema
from geodata.build import SOURCES
from geodata.seedfigures import OUT_OF_SCOPE, SeedFigure, extract

EXCLUSIONS = SOURCES / "exclusions.csv"
EXCLUSION_COLUMNS = ["source", "quoted_figure", "reason_zh", "reason_en"]
CITING_TABLES = {"indicators": "quoted_figure", "flows": "quoted_figure", "events": "quoted_date"}
NEAR_LINES = 1  # a row's quote may run onto the line after the one it cites
NUMERAL = r"\d.,零〇一二两三四五六七八九十百千万亿"
MIN_FIGURES = 150  # fewer means the extractor broke, not that the seeds lost their figures


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _quotes() -> dict[tuple[str, int], tuple[tuple[str, str], ...]]:
    """(seed file, line) -> the (row id, quote) of every table row citing that line."""
    quotes: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for table, column in CITING_TABLES.items():
        for row in _read_csv(SOURCES / f"{table}.csv"):
            match = schema.SEED_SOURCE.match(row["source"] or "")
            if match and (row.get(column) or "").strip():
                key = (match["file"], int(match["line"]))
                quotes.setdefault(key, []).append((f"{table}.{row['id']}", row[column]))
    return {key: tuple(rows) for key, rows in quotes.items()}


def _quote_covers(quote: str, figure: str) -> bool:
    quote, figure = _squash(quote), _squash(figure)
    if quote and figure.startswith(quote) and set(figure[len(quote) :]) <= set("万亿余多"):
        return True  # the quote stops before the multiplier the row keeps in unit_zh
    pattern = rf"(?<![{NUMERAL}]){re.escape(figure)}(?![{NUMERAL}])"
    return re.search(pattern, quote) is not None


def covering_rows(figure: SeedFigure) -> list[str]:
    """The ids of the table rows that cover ``figure``."""
    rows: list[str] = []
    for line in range(figure.line - NEAR_LINES, figure.line + 1):
        for row_id, quote in _quotes().get((figure.file, line), ()):
            if _quote_covers(quote, figure.text):
                rows.append(row_id)
    return rows


@cache
def _exclusion_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv(EXCLUSIONS))


def _excluded(figure: SeedFigure) -> bool:
    key = (figure.source, _squash(figure.text))
    return any((r["source"], _squash(r["quoted_figure"])) == key for r in _exclusion_rows())


def _split(seeds_dir: Path) -> tuple[list[SeedFigure], list[SeedFigure], list[SeedFigure]]:
    """The seed figures as (covered by a row, excluded, neither)."""
    covered, excluded, missing = [], [], []
    for figure in extract(seeds_dir):
        if covering_rows(figure):
            covered.append(figure)
        elif _excluded(figure):
            excluded.append(figure)
        else:
            missing.append(figure)
    return covered, excluded, missing


def _context(seeds_dir: Path, figure: SeedFigure) -> str:
    lines = (seeds_dir / figure.file).read_text(encoding="utf-8").splitlines()
    return lines[figure.line - 1].strip()


# --- the extractor, on made-up lines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["共有 455家，2014年 5月起"], [(1, "455", 455)]),
        (["提供 3500余个岗位，7,000多家"], [(1, "3500余", 3500), (1, "7,000多", 7000)]),
        (
            ["约1200万平方米，超过15%，总值 54.3 亿元"],
            [(1, "约1200万", 1.2e7), (1, "超过15%", 15), (1, "54.3 亿", 5.43e9)],
        ),
        (
            ["一个半小时，十余家，两家，上千吨，数百亿元"],
            [
                (1, "一个半", 1.5),
                (1, "十余", 10),
                (1, "两", 2),
                (1, "上千", 1000),
                (1, "数百亿", 1e10),
            ],
        ),
        (["第一批，一是，一年，“三站一楼”“十四五”，三地，最近五年"], [(1, "五", 5)]),
        (["R1线、7号线，（上接01版），早上 5点多，1-10月，12月 31日，20世纪 80年代"], []),
        (["2018—2020年，电话 010-12345678"], []),
        (
            ["日客流量 10", "", "万人，还有 300", "多户，展示一", "二百件"],
            [(1, "10万", 1e5), (3, "300多", 300), (4, "一二百", 200)],
        ),
        (["至2022", "", "年，园区"], []),
        (
            ["---", "date: 2019-02-21", "---", '<img src="a/2019_08/x.jpg" />', "有 12家"],
            [(5, "12", 12)],
        ),
    ],
)
def test_extract(tmp_path: Path, lines: list[str], expected: list[tuple[int, str, float]]) -> None:
    (tmp_path / "009_0000000000000000.txt").write_text("\n".join(lines), encoding="utf-8")
    found = [(f.line, f.text, f.value) for f in extract(tmp_path)]
    assert found == [(line, text, pytest.approx(value)) for line, text, value in expected]


def test_out_of_scope_articles_are_skipped(seeds_dir: Path) -> None:
    figures = extract(seeds_dir)
    for name, ranges in OUT_OF_SCOPE.items():
        for first, last, article in ranges:
            inside = [f for f in figures if f.file == name and first <= f.line <= last]
            assert not inside, f"{article}: {inside}"


# --- the seeds against the tables and the exclusions -----------------------------------------


def test_every_seed_figure_is_covered_or_excluded(seeds_dir: Path) -> None:
    _, _, missing = _split(seeds_dir)
    listing = "\n".join(f"  {f.source}  {f.text!r}  in: {_context(seeds_dir, f)}" for f in missing)
    if missing:
        pytest.fail(
            f"{len(missing)} seed figures are in no table row and not in {EXCLUSIONS.name}. "
            "A figure about Fengtai or Jing-Jin-Ji needs a row (indicators.csv) citing its line "
            "and quoting it; anything else needs an exclusion row with a reason:\n" + listing
        )


def test_exclusions_file_is_well_formed() -> None:
    with EXCLUSIONS.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == EXCLUSION_COLUMNS
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(_exclusion_rows(), start=2):
        where = f"{EXCLUSIONS.name} row {i} ({row['source']} {row['quoted_figure']!r})"
        assert schema.SEED_SOURCE.match(row["source"]), f"{where}: source is not file:line"
        assert row["quoted_figure"].strip(), f"{where}: no quoted_figure"
        assert row["reason_zh"].strip(), f"{where}: no Chinese reason"
        assert row["reason_en"].strip(), f"{where}: no English reason"
        assert re.search(r"[\u4e00-\u9fff]", row["reason_zh"]), f"{where}: reason_zh not Chinese"
        key = (row["source"], _squash(row["quoted_figure"]))
        assert key not in seen, f"{where}: listed twice"
        seen.add(key)


def test_no_stale_exclusions(seeds_dir: Path) -> None:
    figures = {(f.source, _squash(f.text)): f for f in extract(seeds_dir)}
    for i, row in enumerate(_exclusion_rows(), start=2):
        where = f"{EXCLUSIONS.name} row {i} ({row['source']} {row['quoted_figure']!r})"
        figure = figures.get((row["source"], _squash(row["quoted_figure"])))
        assert figure, f"{where}: no such figure on that line of the seed"
        rows = covering_rows(figure)
        assert not rows, f"{where}: now covered by {rows}; delete the exclusion"


def test_coverage_counts(seeds_dir: Path) -> None:
    covered, excluded, missing = _split(seeds_dir)
    total = len(extract(seeds_dir))
    print(  # shown with pytest -s
        f"seed figures: {total}; covered by table rows: {len(covered)}; "
        f"excluded: {len(excluded)}; neither: {len(missing)}"
    )
    assert total == len(covered) + len(excluded) + len(missing)
    assert total >= MIN_FIGURES, f"only {total} figures extracted: is the extractor broken?"
    assert covered, "no seed figure is covered by a table row: are the tables readable?"
