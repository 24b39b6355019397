"""The change list between two years (issue 14), checked against lists written here from the
source tables (geodata/sources/*.csv), not from the function: a status change of one of the
theme's places or lines dated after A up to B (left out when an event of events.csv marks it:
the event stands for it), every flow whose year_from lies in that span, every event of the theme
dated in it; and per series, the figures a card shows in A and in B."""

from __future__ import annotations

import pytest

from core.compare import compare
from core.tables import Tables
from geodata.load import load_atlas
from settings import DEFAULT_DATA


@pytest.fixture(scope="module")
def tables() -> Tables:
    return Tables.from_atlas(load_atlas(DEFAULT_DATA))


def lines(tables: Tables, theme: str, a: int, b: int) -> list[tuple[str, str, str]]:
    return [(c.date, c.kind, c.subject) for c in compare(tables, theme, a, b).changes]


def test_relocation_2014_to_2021(tables: Tables) -> None:
    # status.csv: dahongmen closed 2021, heyi_market closed 2016 and yunshang_town open 2017 are
    # marked by events (ev_dahongmen_garment_wholesale_ends, ev_heyi_market_closed,
    # ev_yunshang_receives_merchants), so only three status lines remain
    assert sorted(lines(tables, "relocation", 2014, 2021)) == sorted(
        [
            ("2021-04-06", "open", "gov_service_center"),
            ("2021-10", "under_construction", "guan_trade_city"),
            ("2021-12-11", "under_construction", "nanzhongzhou_park"),
            # flows.csv, relocation, year_from 2015-2021
            ("2016", "flow", "reloc_dahongmen_cangzhou"),
            ("2016", "flow", "reloc_dahongmen_xiqing"),
            ("2017", "flow", "reloc_dahongmen_yunshang"),
            # events.csv, relocation, 2015-2021
            ("2016", "event", "ev_heyi_market_closed"),
            ("2017", "event", "ev_yunshang_receives_merchants"),
            ("2018-04", "event", "ev_dongpi_fintech_proposal"),
            ("2018-07", "event", "ev_heyi_demolition_start"),
            ("2018-11", "event", "ev_dahongmen_37_closed_8_upgraded"),
            ("2021", "event", "ev_dahongmen_garment_wholesale_ends"),
            ("2021-09-01", "event", "ev_final_markets_push_start"),
            ("2021-12-31", "event", "ev_final_markets_vacated"),
        ]
    )
    # in date order
    dates = [d for d, _, _ in lines(tables, "relocation", 2014, 2021)]
    assert dates == sorted(dates)


def test_corridor_2018_to_2026(tables: Tables) -> None:
    # status.csv 2019-2026 of the corridor's places and lines; the openings of xiongan_station,
    # both intercity sections and both expressway sections are marked by their events
    assert sorted(lines(tables, "corridor", 2018, 2026)) == sorted(
        [
            ("2019-02", "under_construction", "daxing_airport"),  # basis: attested
            ("2019-09-25", "open", "daxing_airport"),
            ("2019-09-26", "open", "daxing_airport_station"),
            ("2019-09-26", "open", "beijing_daxing_station"),
            ("2020-12-27", "open", "guan_east_station"),
            ("2020-12-27", "open", "bazhou_north_station"),
            ("2022-07-27", "under_construction", "jingxiong_r1"),
            ("2022-12-31", "under_construction", "jingxiong_expwy_beijing"),
            # events.csv, corridor, 2019-2026 (flows.csv has no corridor flow)
            ("2019-09-26", "event", "ev_jingxiong_intercity_phase1"),
            ("2020-12-27", "event", "ev_jingxiong_intercity_phase2"),
            ("2020-12-27", "event", "ev_xiongan_station_opened"),
            ("2021-05-29", "event", "ev_jingxiong_expwy_hebei_open"),
            ("2022-12-31", "event", "ev_jingxiong_expwy_6th_ring_border"),
            ("2023-12-28", "event", "ev_jingxiong_expwy_beijing_complete"),
            ("2025", "event", "ev_fengxiong_first_batch_2025"),
            ("2025-02", "event", "ev_fengtai_xiongan_talent_agreement"),
        ]
    )
    attested = [c for c in compare(tables, "corridor", 2018, 2026).changes if c.attested]
    assert [(c.kind, c.subject) for c in attested] == [("under_construction", "daxing_airport")]
    # indicators.csv: no corridor figure is dated 2018 or before, so each line has no A figure
    figures = compare(tables, "corridor", 2018, 2026).figures
    assert {f.series for f in figures} == {
        "travel_time_sw5ring_xiongan_road",  # sw5ring_xiongan_drive_2023
        "travel_time_fengtai_xiongan_r1_planned",  # r1_fengtai_xiongan_2025
        "travel_time_daxing_airport_xiongan",  # daxing_airport_xiongan_2025_02
        "fengtai_xiongan_remote_matters",  # xiongan_remote_matters_2026_03
    }
    assert all(f.a is None and f.delta is None for f in figures)


def test_figures_of_different_definitions_are_not_a_change(tables: Tables) -> None:
    # nanzhongzhou_park_firms: "more than 300" 高精尖企业 (2025), "more than 700" 科创企业 (2026-03)
    (line,) = [
        f for f in compare(tables, "relocation", 2025, 2026).figures
        if f.series == "nanzhongzhou_park_firms"
    ]  # fmt: skip
    assert (line.a.id, line.b.id) == ("nanzhongzhou_firms_2025", "nanzhongzhou_firms_2026_03")
    assert line.comparable is False and line.delta is None


def test_figures_of_one_definition_and_qualifier_are_a_change(tables: Tables) -> None:
    # fengtai_tech_firms_with_jinji_branches: 455 (2025, exact; preferred over "more than 450"
    # of 2025-02) and 455 (2026-03): the same figure again, a change of 0
    (line,) = [
        f for f in compare(tables, "synergy", 2025, 2026).figures
        if f.series == "fengtai_tech_firms_with_jinji_branches"
    ]  # fmt: skip
    assert (line.a.id, line.b.id) == (
        "fengtai_tech_firms_jinji_2025",
        "fengtai_tech_firms_jinji_2026_03",
    )
    assert line.comparable is True and line.delta == 0


def test_the_years_must_be_in_order(tables: Tables) -> None:
    with pytest.raises(ValueError, match="must come before"):
        compare(tables, "relocation", 2021, 2014)
    with pytest.raises(KeyError):
        compare(tables, "nope", 2014, 2021)


def test_lines_say_what_changed_in_each_language(tables: Tables) -> None:
    from core.compare import lines

    zh = lines(tables, compare(tables, "relocation", 2025, 2026), "zh")
    en = lines(tables, compare(tables, "relocation", 2025, 2026), "en")
    # the definition change: both figures with their dates and sources, and no difference
    firms = next(line for line in en if line.kind == "figure" and "300" in line.text)
    assert firms.comparable is False
    assert firms.dates == ("2025", "2026-03") and len(firms.sources) == 2
    assert "not a change" in firms.text and "+" not in firms.text.split("(")[-1]
    assert any("不构成变化" in line.text for line in zh)
    # a change of one definition says its difference (455 → 455: ±0)
    same = lines(tables, compare(tables, "synergy", 2025, 2026), "en")
    (jinji,) = [
        line
        for line in same
        if line.text.startswith("Fengtai tech firms") or "455 → 455" in line.text
    ]
    assert jinji.comparable and "±0" in jinji.text and jinji.dates == ("2025", "2026-03")


def test_a_status_line_names_the_state_in_year_a(tables: Tables) -> None:
    from core.compare import lines

    # beijing_fengtai: status.csv rows 6-7 have it under construction from 2018-09 and open on
    # 2022-06-20, an opening events.csv marks (so the event's line stands for it): 2018 → 2022
    # reads "2018: under construction" with both dates
    found = [
        line for line in lines(tables, compare(tables, "hubs", 2018, 2022), "en")
        if line.feature == "beijing_fengtai" and line.kind == "event"
    ]  # fmt: skip
    assert len(found) == 1
    assert "2018: Under construction" in found[0].text
    assert found[0].dates[-1] == "2022-06-20" and len(found[0].dates) == 2
