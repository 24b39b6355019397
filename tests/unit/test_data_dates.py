"""Dates mean what the timeline says, each fact has one date, and user-visible text is clean.

Each test is a rule over all rows, so a new row that breaks the rule fails it:
- a figure is dated by the period it describes, not by the report that recalls it;
- a status date that only proves existence is marked "attested";
- an event that records a status change has that status row's very date, and records it once;
- a flow does not begin before the place it goes to exists;
- definitions and periods have both languages; no template leftovers or internal file names.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from core.timeline import year_of
from geodata import schema
from geodata.build import read_table
from geodata.seedfigures import cited_text

# Words that place a figure in the past of the report that gives it.
PAST_MARKERS = re.compile(r"高峰|鼎盛|昔日|当年(?!计划)|曾经|搬之前|疏解前|80年代|上世纪")
# ... unless the sentence comes back to the present before the figure.
PRESENT_MARKERS = re.compile(r"现在|目前|如今|截至目前|已")
# What must never reach a user: template leftovers, our seed file names, internal notes.
TEMPLATE = re.compile(r"[{}]")
INTERNAL = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|FACTS\.md", re.I)
SHORT_TEXT_COLUMNS = {
    "places": ("name_zh", "name_en"),
    "lines": ("name_zh", "name_en"),
    "indicators": (
        "label_zh",
        "label_en",
        "unit_zh",
        "unit_en",
        "period_zh",
        "period_en",
        "definition_zh",
        "definition_en",
    ),
    "flows": ("unit_zh", "unit_en"),
    "events": ("title_zh", "title_en"),
    "documents": ("title_zh", "title_en", "publisher_zh", "publisher_en"),
    "sections": ("title_zh", "title_en", "publisher_zh", "publisher_en"),
    "boundaries": ("name_zh", "name_en"),
}
NOTED = ("places", "lines", "status", "events", "flows", "indicators")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What an English note may quote in Chinese: a name or a figure as printed, in brackets or quotes.
QUOTED = re.compile(r"\([^()]*\)|（[^（）]*）|(?<!\w)'[^']*'(?!\w)|“[^“”]*”|\"[^\"]*\"")


@cache
def table(name: str) -> pd.DataFrame:
    return read_table(name).fillna("")


def _before_figure(seeds: Path, source: str, quoted: str) -> str:
    """The words of the figure's sentence that come before it (the sentence may begin on the
    line before the cited one)."""
    text = _around(seeds, source)
    compact = re.sub(r"\s", "", quoted)
    flat = re.sub(r"\s", "", text)
    at = flat.find(compact) if compact else -1
    head = flat[:at] if at >= 0 else flat
    return re.split(r"[。！？]", head)[-1]


def _in_the_past(seeds: Path, source: str, quoted: str) -> bool:
    words = _before_figure(seeds, source, quoted)
    past = [m.end() for m in PAST_MARKERS.finditer(words)]
    present = [m.end() for m in PRESENT_MARKERS.finditer(words)]
    return bool(past) and (not present or max(past) > max(present))


def _around(seeds: Path, source: str) -> str:
    """The cited seed line with the one before it (a sentence may start there)."""
    return cited_text(seeds, source, before=1)


def _published() -> dict[str, str]:
    return dict(zip(table("documents")["id"], table("documents")["published"], strict=True))


def test_a_figure_about_the_past_is_dated_by_its_period(seeds_dir: Path) -> None:
    rows = table("indicators")
    seeded = rows[rows["source"].str.match(schema.SEED_SOURCE)]
    wrong = [
        r.id
        for r in seeded.itertuples()
        if _in_the_past(seeds_dir, r.source, r.quoted_figure) and not r.period_en
    ]
    assert len(seeded) > 100
    assert not wrong, f"figures about the past dated by their report, without a period: {wrong}"


def test_a_period_is_earlier_than_the_report_and_named_in_both_languages() -> None:
    published = _published()
    rows = table("indicators")
    for r in rows.itertuples():
        assert bool(r.period_zh) == bool(r.period_en), r.id
        assert bool(r.definition_zh) == bool(r.definition_en), r.id
        file = r.source.partition(":")[0]
        if file in published:
            # no figure describes a time after the report that gives it
            assert year_of(r.as_of) <= year_of(published[file]), r.id
            if r.period_en:
                assert year_of(r.as_of) < year_of(published[file]), r.id
    assert (rows["period_en"] != "").sum() >= 7


def test_a_status_dated_by_a_report_is_marked_attested(seeds_dir: Path) -> None:
    published = _published()
    rows = table("status")
    unmarked = []
    for r in rows.itertuples():
        file = r.source.partition(":")[0]
        if file not in published or r.basis == "attested":
            continue
        same_year = year_of(r.since) == year_of(published[file])
        says_year = str(year_of(r.since)) in _around(seeds_dir, r.source)
        if same_year and not says_year:
            unmarked.append((r.feature_id, r.status, r.since))
    assert not unmarked, f"status dates that are only the report's date, not marked: {unmarked}"
    assert (rows["basis"] == "attested").sum() >= 5


def test_an_event_that_records_a_status_change_has_its_date_once() -> None:
    events, status = table("events"), table("status")
    marked = events[events["marks"] != ""]
    assert len(marked) >= 10
    assert not marked["marks"].duplicated().any(), "two events record the same change"
    for r in marked.itertuples():
        feature, _, state = r.marks.partition(":")
        rows = status[(status["feature_id"] == feature) & (status["status"] == state)]
        assert not rows.empty, f"{r.id}: no status row {r.marks}"
        assert r.date in set(rows["since"]), f"{r.id}: {r.date} vs status {list(rows['since'])}"


def test_a_flow_does_not_begin_before_its_destination_exists() -> None:
    status = table("status")
    flows = table("flows")
    first = status.assign(y=status["since"].map(year_of)).groupby("feature_id")["y"].min()
    early = [
        (f.id, f.year_from, int(first[f.dest_id]))
        for f in flows.itertuples()
        if f.dest_id in first.index and year_of(f.year_from) < first[f.dest_id]
    ]
    assert not early, f"flows that begin before their destination exists: {early}"


@pytest.mark.parametrize("name", sorted(SHORT_TEXT_COLUMNS))
def test_user_visible_text_has_no_template_leftovers_or_internal_names(name: str) -> None:
    rows = table(name)
    for column in SHORT_TEXT_COLUMNS[name]:
        bad = [v for v in rows[column] if TEMPLATE.search(v) or INTERNAL.search(v)]
        assert not bad, f"{name}.{column}: {bad[:3]}"
    for column in schema.NOTE_FIELDS:
        if column in rows:
            assert not [v for v in rows[column] if TEMPLATE.search(v)], (name, column)


FREE_TEXT_SOURCE = re.compile(r"(?!\d{3}_[0-9a-f]{16}\.txt:\d+$)(?!https?://)")
INTERNAL_WORDS = re.compile(r"FACTS|\bseeds?\b", re.I)


@pytest.mark.parametrize("name", ["places", "lines", "status", "events", "flows", "indicators"])
def test_notes_and_free_text_sources_cite_like_a_report(name: str) -> None:
    """Notes and place/line coordinate sources are shown to users: they name reports by title,
    never by our file names, and never our internal notes."""
    rows = table(name)
    notes = [v for column in schema.NOTE_FIELDS for v in rows[column]]
    bad = [v for v in notes if INTERNAL.search(v) or INTERNAL_WORDS.search(v)]
    sources = [v for v in rows["source"] if FREE_TEXT_SOURCE.match(v)]
    bad += [v for v in sources if INTERNAL.search(v) or INTERNAL_WORDS.search(v)]
    assert not bad, bad[:3]


def test_a_figure_about_a_place_on_the_map_is_scoped_to_it() -> None:
    places, rows = table("places"), table("indicators")
    names = {
        re.sub(r"^(北京市|天津市)", "", re.sub(r"（.*?）|\(.*?\)", "", p.name_zh)): p.id
        for p in places.itertuples()
    }
    wrong = [
        (r.id, r.scope, place)
        for r in rows.itertuples()
        for name, place in names.items()
        if len(name) >= 2 and name in r.label_zh and r.scope != place
    ]
    assert not wrong, wrong
    assert len(names) > 30  # the check really looked for place names


def test_notes_that_reconcile_figures_exist_in_both_languages() -> None:
    """A note that explains a disagreement or an apparent contradiction is read in both."""
    rows = table("indicators")
    by_series = rows.groupby("series")
    disagreeing = {
        name
        for name, group in by_series
        for _, year in group.groupby(group["as_of"].str[:4])
        if year["value"].nunique() > 1 or year["definition_zh"].nunique() > 1
    } | {name for name, group in by_series if group["definition_zh"].nunique() > 1}
    reconciling = rows["series"].isin(disagreeing) | rows["note_en"].str.contains(
        "contradict|disagree", case=False
    )
    missing = list(rows.loc[reconciling & (rows["note_zh"] == ""), "id"])
    assert reconciling.sum() >= 10
    assert not missing, f"reconciling notes without a Chinese version: {missing}"


# Bookkeeping that is no reader's business: our row ids, extraction remarks, data history.
BOOKKEEPING = re.compile(
    r"quoted_figure|year_from|as_of|\bsyn_\w+|\brow(s)? [a-z_]+\d|wraps onto|not extracted|"
    r"confidence (low|medium|high)|reference confidence|app (jitters|spreads)|adcode|\bline \d+|"
    r"提取|行号|第\d+行",
    re.I,
)


@pytest.mark.parametrize("name", NOTED)
def test_every_note_is_written_for_a_reader_in_both_languages(name: str) -> None:
    """A note is in Chinese and in English, or in neither; each is in its own language, and
    neither carries our bookkeeping."""
    rows = table(name)
    assert "note" not in rows, f"{name}: the one-language 'note' column is back"
    zh, en = rows["note_zh"].str.strip(), rows["note_en"].str.strip()
    half = [i for i, (a, b) in enumerate(zip(zh, en, strict=True)) if bool(a) != bool(b)]
    assert not half, f"{name}: rows {[i + 2 for i in half]} have a note in one language only"
    written = rows[zh != ""]
    not_chinese = [v for v in written["note_zh"] if not CJK.search(v)]
    assert not not_chinese, f"{name}: note_zh without Chinese: {not_chinese[:3]}"
    not_english = [v for v in written["note_en"] if CJK.search(QUOTED.sub("", v))]
    assert not not_english, (
        f"{name}: Chinese outside brackets or quotes in note_en: {not_english[:3]}"
    )
    same = [a for a, b in zip(written["note_zh"], written["note_en"], strict=True) if a == b]
    assert not same, f"{name}: note_en repeats note_zh: {same[:3]}"
    bookkeeping = [v for v in [*written["note_zh"], *written["note_en"]] if BOOKKEEPING.search(v)]
    assert not bookkeeping, f"{name}: internal bookkeeping in a note: {bookkeeping[:3]}"


def test_most_rows_with_a_source_worth_explaining_have_a_note() -> None:
    counts = {name: (table(name)["note_en"] != "").sum() for name in NOTED}
    assert sum(counts.values()) >= 240, counts
