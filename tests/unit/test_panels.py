"""Panel builders and callback helpers, without a browser."""

from __future__ import annotations

import json

import plotly.utils
import pytest

import ids
from callbacks.map import selection_from_click
from core.prepared import AppData
from core.themes import THEMES
from geodata.load import Atlas
from panels.cards import cards, events_in_year
from panels.details import details, source_details
from panels.legend import legend


@pytest.fixture(scope="module")
def data(atlas: Atlas) -> AppData:
    return AppData.from_atlas(atlas)


def _text(component: object) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_every_theme_series_exists_in_the_data(data: AppData) -> None:
    known = set(data.tables.indicators["series"])
    for theme in THEMES.values():
        assert set(theme.series) <= known, theme.key


def test_cards_for_each_theme_and_year_build(data: AppData) -> None:
    for theme in THEMES.values():
        for year in range(data.years[0], data.years[1] + 1):
            built = cards(data.tables, theme.series, year, "en")
            assert len(built) == len(theme.series)


def test_events_in_year_filters_by_theme(data: AppData) -> None:
    all_2021 = events_in_year(data.tables.events, 2021, "overview")
    reloc_2021 = events_in_year(data.tables.events, 2021, "relocation")
    assert len(all_2021) >= len(reloc_2021) >= 1
    assert set(reloc_2021["theme"]) == {"relocation"}


def test_details_of_a_place_show_status_for_the_year_and_sources(data: AppData) -> None:
    text = _text(details(data.tables, "beijing_fengtai", 2015, "en"))
    assert "Closed / relocated (2015)" in text and "people.cn" in text
    text = _text(details(data.tables, "lize_terminal", 2019, "zh"))
    assert "2019年尚未出现" in text


def test_details_of_a_flow_do_not_show_a_count_before_its_date(data: AppData) -> None:
    before = _text(details(data.tables, "reloc_dahongmen_yunshang", 2018, "en"))
    after = _text(details(data.tables, "reloc_dahongmen_yunshang", 2025, "en"))
    assert "No count yet for this year" in before and "more than 3,800" in after


def test_unknown_selection_gives_no_panel(data: AppData) -> None:
    assert details(data.tables, "atlantis", 2020, "zh") is None
    assert details(data.tables, None, 2020, "zh") is None


def test_source_details_name_document_line_and_quote(data: AppData) -> None:
    text = _text(source_details(data.tables, "indicators:nanzhongzhou_firms_2026_03", "en"))
    assert "002_a8140e59c69e35bd.txt:93" in text and "Mar 2026" in text
    assert "?" in _text(source_details(data.tables, "indicators:nope", "en"))


def test_legend_lists_exactly_the_visible_layers() -> None:
    rows = [r for r in legend(("corridor",), "en") if "data-layer" in r.to_plotly_json()["props"]]
    assert [r.to_plotly_json()["props"]["data-layer"] for r in rows] == ["corridor"]


@pytest.mark.parametrize(
    ("trigger", "click", "expected"),
    [
        (ids.PLACES, {"properties": {"id": "beijing_west"}}, "beijing_west"),
        (ids.MAP, {"latlng": [39, 116]}, None),
        (ids.CLEAR, None, None),
        (ids.BOUNDARIES, {"properties": {"id": "130600"}}, "baoding"),
        (ids.BOUNDARIES, {"properties": {"id": "110101"}}, None),
    ],
)
def test_clicks_become_selections(data: AppData, trigger: str, click: dict, expected: str) -> None:
    assert selection_from_click(data, trigger, click) == expected


@pytest.mark.parametrize("payload", [None, {}, {"properties": "x"}, {"properties": {"id": 5}}])
def test_malformed_click_payloads_change_nothing(data: AppData, payload: object) -> None:
    from dash import no_update

    assert selection_from_click(data, ids.PLACES, payload) is no_update
