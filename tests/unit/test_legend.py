"""The screen legend explains what the visible layers draw, and nothing else: rail and road
only where such lines are, place and line status, flows; its fold button comes first."""

from __future__ import annotations

from typing import Any

from core import style
from core.themes import LAYER_KEYS
from geodata.load import Atlas
from panels.legend import LINE_KINDS, legend


def _props(rows: list[Any], attr: str) -> list[str]:
    found = [r.to_plotly_json()["props"].get(attr) for r in rows]
    return [f for f in found if f is not None]


def test_line_kinds_per_layer_are_those_of_the_data(atlas: Atlas) -> None:
    lines = atlas.table("lines")
    drawn = {layer: frozenset(group["kind"]) for layer, group in lines.groupby("theme", sort=False)}
    assert drawn == LINE_KINDS


def test_rail_and_road_rows_follow_the_visible_lines() -> None:
    assert _props(legend(("hubs",), "zh"), "data-line") == ["rail"]
    assert _props(legend(("corridor",), "en"), "data-line") == ["rail", "road"]
    assert _props(legend(("relocation", "services"), "en"), "data-line") == []
    assert _props(legend(LAYER_KEYS, "zh"), "data-line") == ["rail", "road"]


def test_place_status_rows_only_with_places() -> None:
    assert _props(legend(("synergy",), "en"), "data-status") == [
        "open",
        "under_construction",
        "planned",
        "closed",
    ]
    assert _props(legend((), "en"), "data-status") == []
    assert _props(legend((), "en"), "data-layer") == []


def test_the_fold_button_comes_first_and_says_it_is_open() -> None:
    first = legend(("hubs",), "en")[0].to_plotly_json()
    assert first["type"] == "Button"
    assert first["props"]["aria-expanded"] == "true"
    assert first["props"]["aria-controls"] == "atlas-legend"
    assert first["props"]["children"] == "Legend"


def test_road_rule_and_legend_agree() -> None:
    assert set(style.ROAD_KINDS) <= LINE_KINDS["corridor"]
