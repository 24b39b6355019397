"""Planners' layers in a link (``user=``): parsed strictly, written canonically, and the same
text as the browser's encoder writes (tests/js/userlayers.test.mjs holds the browser's side of
the example below)."""

from __future__ import annotations

import pytest

from core.view import parse_query, to_query
from uploads.link import from_entries, parse
from uploads.style import Column, LayerStyle

ID = "a" * 64
COLUMNS = [Column("人口", "number"), Column("kind", "text"), Column("year", "year")]


def test_the_browsers_example_reads_back_to_its_styles() -> None:
    text = f"{ID}:c:n:4:0:2,{'b' * 64}:s:q:5:-:-"  # what encode() writes in the JS test
    refs = parse(text)
    assert refs is not None and [r.text() for r in refs] == text.split(",")
    assert refs[0].style(COLUMNS) == LayerStyle("classes", "人口", "natural_breaks", 4, "year")
    assert refs[1].style(COLUMNS) == LayerStyle("single", None, "quantiles", 5, None)
    entries = [
        {
            "id": ID,
            "columns": [{"name": c.name, "kind": c.kind} for c in COLUMNS],
            "style": {"mode": "classes", "column": "人口", "method": "natural_breaks", "k": 4,
                      "year_column": "year"},
        },
        {"id": "<script>", "columns": [], "style": {}},  # malformed: left out
    ]  # fmt: skip
    assert from_entries(entries) == (text.split(",")[0],)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "xyz",
        f"{ID[:-1]}:c:q:5:0:-",  # 63 digits
        f"{ID.upper()}:c:q:5:0:-",
        f"{ID}:x:q:5:0:-",
        f"{ID}:c:q:9:0:-",  # 9 classes
        f"{ID}:c:q:5:0",
        f"{ID}:c:q:5:0:-,{ID}:s:q:5:-:-",  # the same layer twice
        ",".join(f"{str(i) * 64}:s:q:5:-:-" for i in range(6)),  # six layers
    ],
)
def test_malformed_references_are_refused(text: str) -> None:
    assert parse(text) is None


def test_a_reference_whose_column_does_not_fit_has_no_style() -> None:
    (ref,) = parse(f"{ID}:c:q:5:1:-") or []  # classes of a text column
    assert ref.style(COLUMNS) is None
    (ref,) = parse(f"{ID}:s:q:5:-:7") or []  # no 8th column
    assert ref.style(COLUMNS) is None


def test_the_link_keeps_its_layers_and_reports_a_bad_one() -> None:
    state, bad = parse_query(f"?theme=overview&user={ID}:t:q:5:1:2", (2014, 2026), frozenset())
    assert not bad and state.user[0].digest == ID and state.user[0].mode == "categories"
    assert to_query(state).endswith(f"&user={ID}:t:q:5:1:2")
    state, bad = parse_query("?user=<script>", (2014, 2026), frozenset())
    assert state.user == () and [(b.name, b.value) for b in bad] == [("user", "<script>")]
