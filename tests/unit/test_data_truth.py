"""Every figure and dated event is really in the seed line it cites, and no prose is copied."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from geodata import schema
from geodata.build import read_table
from geodata.load import Atlas
from geodata.seedfigures import MULTIPLIERS, cited_text, parse_figure, seed_lines
from geodata.validate import parse_date

NEAR_LINES = 1  # the figure may wrap onto the next line of the seed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("455", (455, "")),
        ("7000多", (7000, "")),
        ("3万余", (3, "万")),
        ("1.5小时", (1.5, "")),
        ("7,000", (7000, "")),
        ("近 20", (20, "")),
        ("十年", (10, "")),
        ("三十七", (37, "")),
        ("一个半小时", (1.5, "")),
        ("上千吨", (1000, "")),
        ("590余万", (590, "万")),
    ],
)
def test_figure_parser(text: str, expected: tuple[float, str]) -> None:
    assert parse_figure(text) == expected


def _near(seeds_dir: Path, source: str) -> str:
    match = schema.SEED_SOURCE.match(source)
    assert match, f"{source!r} is not a seed citation"
    assert (seeds_dir / match["file"]).is_file(), f"cited seed {match['file']} does not exist"
    lines = seed_lines(seeds_dir, match["file"])
    line = int(match["line"])
    assert line <= len(lines), f"{source}: the seed has only {len(lines)} lines"
    return cited_text(seeds_dir, source, after=NEAR_LINES)


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _seed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["source"].str.match(schema.SEED_SOURCE.pattern)]


def _assert_value(value: float, quoted: str, unit_zh: str, where: str) -> None:
    number, mult = parse_figure(quoted)
    scaled = number * MULTIPLIERS[mult] if mult and not unit_zh.startswith(mult) else number
    assert value == pytest.approx(scaled), f"{where}: {quoted!r} reads as {scaled}, not {value}"


def test_every_indicator_is_in_its_cited_seed_line(atlas: Atlas, seeds_dir: Path) -> None:
    frame = atlas.table("indicators")
    assert len(frame) >= 30
    for row in frame.itertuples(index=False):
        if not schema.SEED_SOURCE.match(row.source):
            assert schema.URL_SOURCE.match(row.source), row.id
            continue
        text = _squash(_near(seeds_dir, row.source))
        assert row.quoted_figure, f"{row.id}: a seed-sourced figure needs quoted_figure"
        assert _squash(row.quoted_figure) in text, (
            f"{row.id}: {row.quoted_figure!r} not at {row.source}"
        )
        _assert_value(row.value, row.quoted_figure, row.unit_zh, row.id)


def test_every_flow_value_is_in_its_cited_seed_line(atlas: Atlas, seeds_dir: Path) -> None:
    flows = _seed_rows(atlas.table("flows"))
    valued = flows[flows["value"].notna()]
    assert len(valued) >= 6
    for row in valued.itertuples(index=False):
        text = _squash(_near(seeds_dir, row.source))
        assert _squash(row.quoted_figure) in text, f"{row.id}: {row.quoted_figure!r} not there"
        _assert_value(row.value, row.quoted_figure, row.unit_zh, row.id)


RELATIVE_YEARS = {"去年": -1, "今年": 0, "明年": 1}
RECENT = ("最近", "不久前", "目前", "日前", "近日", "近期")


def date_mismatch(date: str, quoted: str, published: str) -> str | None:
    """Why ``date`` is not what ``quoted`` says in a document published on ``published``."""
    year, month, day = parse_date(date)
    pub_year, pub_month, _ = parse_date(published)
    years = [int(y) for y in re.findall(r"(\d{4})年", quoted)]
    months = [int(m) for m in re.findall(r"(\d{1,2})\s*月", quoted)]
    days = [int(d) for d in re.findall(r"(\d{1,2})\s*日", quoted)]
    relative = next((o for w, o in RELATIVE_YEARS.items() if w in quoted), None)
    recent = any(w in quoted for w in RECENT)
    if years:
        if year not in years and not any(year == y // 10 * 10 for y in years if "年代" in quoted):
            return f"year {year} is not in {years}"
    elif relative is not None:
        if year != pub_year + relative:
            return f"year {year} is not {pub_year + relative} (relative to {published})"
    elif recent:
        if year != pub_year:
            return f"year {year} is not the publication year {pub_year}"
    else:
        return "the quote gives no year"
    if month is not None:
        if months:
            if month not in months:
                return f"month {month} is not in {months}"
        elif "年底" in quoted and month == 12:  # "end of the year" is December
            pass
        elif not (recent and month == pub_month):
            return f"month {month} is not stated (publication month {pub_month})"
    if day is not None and day not in days:
        return f"day {day} is not stated in the quote"
    return None


@pytest.mark.parametrize(
    ("date", "quoted", "published", "ok"),
    [
        ("2014-05", "2014年5月", "2025", True),
        ("2014-06", "2014年5月", "2025", False),
        ("2024", "去年", "2025-02", True),
        ("2025", "去年", "2025-02", False),
        ("2019-02", "不久前", "2019-02-21", True),
        ("2019-01", "2019年新年伊始", "2019-02-21", False),
        ("2021-12-31", "12月 31日", "2025", False),  # no year in the quote
        ("1980", "20世纪 80年代初", "2025", False),
        ("2023-12", "2023年底", "2025", True),
    ],
)
def test_date_checker(date: str, quoted: str, published: str, ok: bool) -> None:
    assert (date_mismatch(date, quoted, published) is None) is ok


def test_every_seed_dated_event_is_in_its_cited_seed_line(atlas: Atlas, seeds_dir: Path) -> None:
    events = atlas.table("events")
    docs = atlas.table("documents").set_index("id")["published"]
    assert len(events) >= 15
    for row in _seed_rows(events).itertuples(index=False):
        text = _squash(_near(seeds_dir, row.source))
        assert row.quoted_date, f"{row.id}: a seed-sourced event needs quoted_date"
        assert _squash(row.quoted_date) in text, f"{row.id}: {row.quoted_date!r} not there"
        published = docs[row.source.split(":")[0]]
        why = date_mismatch(row.date, row.quoted_date, published)
        assert why is None, f"{row.id}: {row.date} vs {row.quoted_date!r}: {why}"


@pytest.mark.parametrize("layer", ["indicators", "events", "flows", "status", "places"])
def test_every_row_names_its_source(atlas: Atlas, layer: str) -> None:
    frame = atlas.table(layer)
    assert frame["source"].str.strip().ne("").all()


def test_sources_that_disagree_are_both_kept_and_noted(atlas: Atlas) -> None:
    ind = atlas.table("indicators")
    for series, group in ind.groupby("series"):
        dup = group[group.duplicated("as_of", keep=False)]
        if dup["value"].nunique() > 1:
            for column in ("note_zh", "note_en"):
                noted = dup[column].str.strip().ne("").all()
                assert noted, f"{series}: disagreement without a {column}"


def test_no_sentence_is_copied_from_the_seeds(seeds_dir: Path) -> None:
    seed_text = "".join(_squash(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt"))
    run = 14  # characters of Chinese in a row that would make it a copied sentence
    for name in ("indicators", "events", "places", "lines", "flows", "status"):
        frame = read_table(name)
        for column in frame.columns:
            for i, cell in enumerate(frame[column]):
                text = _squash(cell)
                for start in range(0, max(0, len(text) - run + 1)):
                    piece = text[start : start + run]
                    if re.fullmatch(r"[\u4e00-\u9fff，、“”]+", piece):
                        assert piece not in seed_text, f"{name}.csv row {i + 2} {column}: copied"


def test_document_and_section_titles_are_the_headlines_printed(seeds_dir: Path) -> None:
    """A title is the headline the text prints (a title we supply is in brackets), and a
    section's lines are inside its document."""
    documents, sections = read_table("documents"), read_table("sections")
    text = {d: (seeds_dir / d).read_text(encoding="utf-8") for d in documents["id"]}
    for d in documents.itertuples():
        assert _squash(d.title_zh) in _squash(text[d.id]), f"{d.id}: {d.title_zh!r} not printed"
    assert len(sections) >= 5
    for s in sections.itertuples():
        first, last = int(s.first_line), int(s.last_line)
        assert 1 <= first <= last <= len(text[s.document].splitlines()), (s.document, first)
        if not s.title_zh.startswith("［"):
            assert _squash(s.title_zh) in _squash(text[s.document]), f"{s.title_zh!r} not printed"


def test_a_section_publisher_is_named_in_its_own_lines(seeds_dir: Path) -> None:
    """A section printed first elsewhere names that paper in its lines; one of the page's own
    newspaper says so ('本报讯', or continued from its page 1)."""
    documents = read_table("documents").set_index("id")
    for s in read_table("sections").itertuples():
        lines = seed_lines(seeds_dir, s.document)[int(s.first_line) - 1 : int(s.last_line)]
        own = _squash("".join(lines))
        if s.publisher_zh == documents.loc[s.document, "publisher_zh"]:
            continue
        if s.publisher_zh.startswith("本报"):
            assert "本报讯" in own or "上接01版" in own, (s.document, s.first_line)
        else:
            assert s.publisher_zh in own, (s.document, s.first_line, s.publisher_zh)
