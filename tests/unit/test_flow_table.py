"""The flow table (panels/flows.py) and its place in the side panel's one request.

Expected rows and totals are written out by hand from geodata/sources/flows.csv and
places.csv (the rows quoted in the comments), not taken from the functions under test."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest

import ids
from callbacks.panels import PANEL_OUTPUTS, flow_update
from core.prepared import AppData
from geodata.load import Atlas
from panels.flowpanel import flow_panel
from panels.flows import Side, combined, flow_rows, inside, place_totals, side_text
from panels.legend import legend
from panels.plain import plain
from settings import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "geodata" / "sources"

# places.csv: name_zh / name_en of the places the relocation flows join
DAHONGMEN = ("大红门（木樨园）服装商贸区", "Dahongmen / Muxiyuan garment wholesale district")
CANGZHOU_MINGZHU = ("沧州明珠国际商贸城", "Cangzhou Mingzhu International Trade City")
XIQING = ("天津市西青区", "Xiqing District, Tianjin")
YUNSHANG = ("云裳小镇", "Yunshang Town, Yongqing")
GUAN = ("固安国际商贸城", "Gu'an International Trade City")
XINHAI = ("永清鑫海鞋城", "Xinhai Shoe City, Yongqing")


@pytest.fixture(scope="module")
def data(atlas: Atlas) -> AppData:
    return AppData.from_atlas(atlas)


def _csv(name: str) -> dict[str, dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def test_the_hand_written_facts_are_those_of_the_csv() -> None:
    """What the expectations below rest on, as flows.csv and places.csv say it."""
    flows = _csv("flows.csv")
    relocation = {k: v for k, v in flows.items() if v["theme"] == "relocation"}
    facts = {
        k: (v["year_from"], v["value"], v["qualifier"], v["as_of"]) for k, v in relocation.items()
    }
    assert facts == {
        "reloc_dahongmen_yunshang": ("2017", "3800", "more_than", "2025"),
        "reloc_dahongmen_yongqing_xinhai": ("2025", "", "", "2025"),
        "reloc_dahongmen_guan": ("2022", "", "", "2025"),
        "reloc_dahongmen_cangzhou": ("2016", "", "", "2019-02-21"),
        "reloc_dahongmen_xiqing": ("2016", "", "", "2025"),
    }  # fmt: skip
    places = _csv("places.csv")
    for pid, names in {
        "dahongmen": DAHONGMEN,
        "cangzhou_mingzhu": CANGZHOU_MINGZHU,
        "xiqing": XIQING,
        "yunshang_town": YUNSHANG,
    }.items():
        assert (places[pid]["name_zh"], places[pid]["name_en"]) == names


# Relocation at 2021: flows that began by 2021 (year_from ≤ 2021) are cangzhou (2016), xiqing
# (2016) and yunshang (2017); guan (2022) and yongqing_xinhai (2025) come later. Only yunshang
# has a count, 3800 more_than, dated 2025: in 2021 it is not yet the map's width, so the table
# says a figure comes in 2025 and adds nothing. Order: the year a flow began, then the CSV's.
NO_COUNT = "No count given by the sources"
RELOCATION_2021 = [
    ("reloc_dahongmen_cangzhou", 0, 2016, "none", "来源未给出数量", NO_COUNT),
    ("reloc_dahongmen_xiqing", 1, 2016, "none", "来源未给出数量", NO_COUNT),
    ("reloc_dahongmen_yunshang", 2, 2017, "later",
     "该年尚无数量（2025年才有数字）", "No count yet (2025 figure)"),
]  # fmt: skip
DESTINATIONS_2021 = [CANGZHOU_MINGZHU, XIQING, YUNSHANG]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_relocation_2021_rows_are_the_flows_the_map_shows(data: AppData, lang: str) -> None:
    i = 0 if lang == "zh" else 1
    rows = flow_rows(data.tables, 2021, ("relocation",), lang)
    got = [(r.id, r.origin, r.destination, r.since, r.state, r.amount, r.as_of) for r in rows]
    assert got == [
        (fid, DAHONGMEN[i], DESTINATIONS_2021[n][i], since, state, (zh, en)[i], "")
        for fid, n, since, state, zh, en in RELOCATION_2021
    ]
    assert all(r.value is None and not r.attested for r in rows)
    assert [r.source for r in rows] == [
        "004_a649c06edbbb450c.txt:23",
        "000_3e33269af313f2dd.txt:188",
        "000_3e33269af313f2dd.txt:135",
    ]


def test_relocation_2021_totals_add_nothing_and_list_the_uncounted(data: AppData) -> None:
    rows = flow_rows(data.tables, 2021, ("relocation",), "zh")
    totals = {p.key: p for p in place_totals(data.tables, rows, "zh")}
    assert list(totals) == [("dahongmen",), ("cangzhou_mingzhu",), ("xiqing",), ("yunshang_town",)]
    (out,) = totals[("dahongmen",)].sides
    assert (out.direction, out.sums, out.counted) == ("out", (), ())
    assert out.not_counted == (
        "reloc_dahongmen_cangzhou",
        "reloc_dahongmen_xiqing",
        "reloc_dahongmen_yunshang",
    )
    for key, fid in [
        (("cangzhou_mingzhu",), "reloc_dahongmen_cangzhou"),
        (("xiqing",), "reloc_dahongmen_xiqing"),
        (("yunshang_town",), "reloc_dahongmen_yunshang"),
    ]:
        (side,) = totals[key].sides
        assert (side.direction, side.sums, side.not_counted) == ("in", (), (fid,))
    by_id = {r.id: r for r in rows}
    assert (
        side_text(out, by_id, "zh")
        == "流出：未计数（3条：沧州明珠国际商贸城、天津市西青区、云裳小镇）"
    )
    en_rows = flow_rows(data.tables, 2021, ("relocation",), "en")
    assert side_text(out, {r.id: r for r in en_rows}, "en") == (
        "Out: not counted (3: Cangzhou Mingzhu International Trade City; Xiqing District, "
        "Tianjin; Yunshang Town, Yongqing)"
    )
    (one,) = totals[("xiqing",)].sides
    assert side_text(one, by_id, "zh") == "流入：未计数"


@pytest.mark.parametrize(
    ("lang", "amount", "total"),
    [
        # 3800 more_than: 3800多 in the source; "多" in Chinese, "more than" in English
        ("zh", "3,800多家", "流出：3,800多家；另有4条未计数："),
        ("en", "more than 3,800 merchants", "Out: more than 3,800 merchants; 4 more not counted: "),
    ],
)
def test_relocation_2025_counts_yunshang_with_its_qualifier(
    data: AppData, lang: str, amount: str, total: str
) -> None:
    rows = flow_rows(data.tables, 2025, ("relocation",), lang)
    by_id = {r.id: r for r in rows}
    # 2016, 2016, 2017, 2022, 2025 (attested: first reported)
    assert list(by_id) == [
        "reloc_dahongmen_cangzhou",
        "reloc_dahongmen_xiqing",
        "reloc_dahongmen_yunshang",
        "reloc_dahongmen_guan",
        "reloc_dahongmen_yongqing_xinhai",
    ]
    yunshang = by_id["reloc_dahongmen_yunshang"]
    assert (yunshang.state, yunshang.value, yunshang.qualifier, yunshang.as_of) == (
        "counted",
        3800.0,
        "more_than",
        "2025",
    )
    assert yunshang.amount == amount
    assert by_id["reloc_dahongmen_yongqing_xinhai"].attested
    out = place_totals(data.tables, rows, lang)[0].sides[0]
    assert out.sums == ((3800.0, "more_than", "家" if lang == "zh" else "merchants", "3800多"),)
    assert side_text(out, by_id, lang).startswith(total)
    i = 0 if lang == "zh" else 1
    for name in (CANGZHOU_MINGZHU, XIQING, GUAN, XINHAI):
        assert name[i] in side_text(out, by_id, lang)


def test_synergy_totals_do_not_add_a_figure_twice(data: AppData) -> None:
    """flows.csv: Fengtai → Tianjin 246 and → Hebei 513 (759 in all, as the note says); Baoding
    149, Shijiazhuang 100 and Langfang 76 are inside Hebei's 513 ("do not add them to it").
    Tianjin and Hebei → Fengtai: 161 (2025-02), then 415 (2026-03), one flow counted twice."""
    rows = flow_rows(data.tables, 2025, ("synergy",), "zh")
    totals = {p.key: p for p in place_totals(data.tables, rows, "zh")}
    out, into = totals[("fengtai",)].sides
    assert out.sums == ((759.0, "", "家", ""),)
    assert out.counted == ("syn_out_tianjin", "syn_out_hebei")
    assert set(out.nested) == {
        ("syn_out_baoding", "syn_out_hebei"),
        ("syn_out_shijiazhuang", "syn_out_hebei"),
        ("syn_out_langfang", "syn_out_hebei"),
    }
    assert into.sums == ((161.0, "", "家", "161"),)
    by_id = {r.id: r for r in rows}
    assert (
        side_text(out, by_id, "zh") == "流出：759家；保定市、石家庄市、廊坊市已含在河北省的数字内"
    )
    assert totals[("tianjin", "hebei")].name == "天津市、河北省"

    rows = flow_rows(data.tables, 2026, ("synergy",), "en")
    totals = {p.key: p for p in place_totals(data.tables, rows, "en")}
    _, into = totals[("fengtai",)].sides
    assert into.sums == ((415.0, "", "subsidiaries", "415"),)
    assert into.superseded == ("syn_in_jinji_2025",)
    assert side_text(into, {r.id: r for r in rows}, "en") == (
        "In: 415 subsidiaries; same flow: latest figure only, 2025-02 not added"
    )
    assert totals[("tianjin", "hebei")].name == "Tianjin and Hebei Province"


def test_codes_nest_by_province_and_prefecture() -> None:
    assert inside("130600", "130000") and inside("130681", "130600")
    assert not inside("130000", "130000") and not inside("120111", "130000")
    assert not inside("131023", "131022") and not inside("", "130000")


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        (["more_than"], "more_than"),  # one count keeps its own words
        (["", ""], ""),
        (["more_than", ""], "at_least"),
        (["at_least", "more_than"], "at_least"),
        (["less_than", "nearly"], "less_than"),
        (["about", ""], "about"),
        (["more_than", "less_than"], "about"),
    ],
)
def test_a_sum_of_qualified_counts_says_so(qualifiers: list[str], expected: str) -> None:
    assert combined(qualifiers) == expected


@pytest.mark.parametrize(
    ("qualifier", "zh", "en"),
    [
        ("at_least", "流出：至少3,900家", "Out: at least 3,900 merchants"),
        ("about", "流出：约3,900家", "Out: about 3,900 merchants"),
        ("nearly", "流出：近3,900家", "Out: nearly 3,900 merchants"),
        ("more_than", "流出：超过3,900家", "Out: more than 3,900 merchants"),
    ],
)
def test_totals_read_right_in_both_languages(qualifier: str, zh: str, en: str) -> None:
    for lang, unit, expected in (("zh", "家", zh), ("en", "merchants", en)):
        side = Side("out", sums=((3900.0, qualifier, unit, ""),), counted=("a", "b"))
        assert side_text(side, {}, lang) == expected


def _nodes(tree: Any) -> list[dict[str, Any]]:
    """Every element of a plain tree, in document order."""
    if isinstance(tree, list):
        return [n for node in tree for n in _nodes(node)]
    if isinstance(tree, dict):
        return [tree, *_nodes(tree.get("c", []))]
    return []


def test_the_section_is_a_real_table_hidden_without_flow_layers(data: AppData) -> None:
    children, hidden = flow_panel(data.tables, 2021, ["relocation"], "en")
    assert hidden is False
    nodes = _nodes(plain(children))
    tags = {n["t"] for n in nodes}
    assert {"h2", "table", "caption", "thead", "tbody", "tr", "th", "td", "h3", "ul"} <= tags
    (title,) = [n for n in nodes if n["t"] == "h2"]
    assert title["a"]["id"] == ids.FLOW_TABLE_TITLE and title["c"] == ["Flows on the map"]
    heads = [n for n in nodes if n["t"] == "th"]
    # four column heads; each flow's from → to heads its row group across the four columns
    assert [n["a"]["scope"] for n in heads] == ["col"] * 4 + ["rowgroup"] * 3
    assert [n["a"]["colspan"] for n in heads[4:]] == ["4"] * 3
    (sort,) = [n for n in heads if "aria-sort" in n.get("a", {})]
    assert sort["a"]["aria-sort"] == "none"
    rows = [n for n in nodes if n["t"] == "tbody" and "data-flow" in n.get("a", {})]
    assert {r["a"]["data-flow"]: r["a"]["data-flow-class"] for r in rows} == {
        "reloc_dahongmen_cangzhou": "atlas-flow-reloc_dahongmen_cangzhou",
        "reloc_dahongmen_xiqing": "atlas-flow-reloc_dahongmen_xiqing",
        "reloc_dahongmen_yunshang": "atlas-flow-reloc_dahongmen_yunshang",
    }
    assert all(r["a"]["data-count"] == "" for r in rows)  # nothing counted in 2021
    sources = [
        json.loads(n["a"]["id"])
        for n in nodes
        if "atlas-source-link" in n.get("a", {}).get("class", "")
    ]
    # the table's own source buttons: distinct from the flow's panel's (no "@table")
    assert [s["key"] for s in sources] == [
        "flows:reloc_dahongmen_cangzhou@table",
        "flows:reloc_dahongmen_xiqing@table",
        "flows:reloc_dahongmen_yunshang@table",
    ]
    assert flow_panel(data.tables, 2021, ["hubs", "services"], "en")[1] is True
    quiet, hidden = flow_panel(data.tables, 2015, ["relocation"], "zh")  # no flow before 2016
    assert hidden is False
    assert [n["c"] for n in _nodes(plain(quiet)) if n["t"] == "p"] == [["2015年地图上还没有流向。"]]


def test_the_table_rides_on_the_panels_one_request(data: AppData) -> None:
    outputs = {(o.component_id, o.component_property) for o in PANEL_OUTPUTS.values()}
    assert {(ids.FLOW_TABLE, "data-plain"), (ids.FLOW_TABLE, "hidden")} <= outputs
    first = flow_update(data, "2021", ["relocation"], "en", None)
    assert set(first) == {"flows", "flows_shown", "flows_hidden"}
    assert first["flows_hidden"] is False and "Flows on the map in 2021" in first["flows"]
    # what is already shown is not sent again; a new year is
    assert flow_update(data, 2021, ["relocation"], "en", first["flows_shown"]) == {}
    assert flow_update(data, 2025, ["relocation"], "en", first["flows_shown"])["flows"]
    for junk in (None, "x", [], {"a": 1}):  # what a forged request may carry
        assert flow_update(data, junk, junk, junk, junk) in ({},)
        assert flow_update(data, 2020, junk, junk, junk)["flows_hidden"] is True


@pytest.mark.parametrize(
    ("layers", "lang", "text"),
    [
        (("relocation",), "zh", "流向：宽度 = 商户数（截至所示年份的最新数字）"),
        (("relocation", "synergy"), "zh",
         "流向：宽度 = 商户/企业分支机构数（截至所示年份的最新数字）"),
        (("synergy",), "en",
         "Flow: width = number of branches (latest figure up to the year shown)"),
    ],
)  # fmt: skip
def test_the_legend_says_what_width_counts_and_as_of_when(
    layers: tuple[str, ...], lang: str, text: str
) -> None:
    rows = [n for n in _nodes(plain(legend(layers, lang))) if n.get("a", {}).get("data-flow")]
    texts = [n["c"][-1]["c"][0] for n in rows]
    assert texts[0] == text and len(texts) == 2  # and the dashed, later-counted flow
    assert not [
        n for n in _nodes(plain(legend(("hubs",), lang))) if n.get("a", {}).get("data-flow")
    ]
