"""The map's live-region sentence and the keyboard's words, checked against values read by hand
from the source tables (geodata/sources/*.csv), not from the functions; and the browser's
announcement (assets/mapnav.js) held equal to the Python's for every feature, year and language.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from core.tables import Tables
from core.text import UI
from core.themes import DEFAULT_THEME, LAYER_KEYS
from geodata.load import Atlas
from layers.features import flows_layer, lines_layer, places_layer
from panels.status import feature_text, keyboard_config, map_sentence
from settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def tables(atlas: Atlas) -> Tables:
    return Tables.from_atlas(atlas)


# Relocation, 2021 (places.csv/lines.csv theme relocation, status.csv, flows.csv):
# - markets: dahongmen closed 2021, heyi_market closed 2016, dongpi has no status records;
# - nanzhongzhou_park under construction 2021-12-11 (open only 2022-12);
# - successor sites: gov_service_center open 2021-04-06 (the other three appear in 2025);
# - receiving sites: yunshang_town open 2017, guan_trade_city under construction 2021-10,
#   cangzhou_mingzhu open 2014-08 (yongqing_xinhai only in 2025);
# - xiqing, a district without status records;
# - flows begun by 2021: to yunshang_town (2017), cangzhou_mingzhu (2016), xiqing (2016);
#   to guan_trade_city (2022) and yongqing_xinhai (2025) not yet;
# - changes that year: three status lines (nanzhongzhou, gov_service_center, guan_trade_city;
#   dahongmen's closing is stood for by ev_dahongmen_garment_wholesale_ends), three relocation
#   events dated 2021 (events.csv) and one relocation figure dated 2021
#   (dahongmen_last_garment_markets_2021): 7.
RELOCATION_2021 = {
    "zh": "2021 · 大红门疏解：3个批发市场（已关闭/疏解2）、1个产业园区在建、1个腾退空间新项目运营、"
    "3个承接地（运营2、在建1）、1个区县；流向云裳小镇、沧州明珠国际商贸城、天津市西青区；"
    "本年有7项记录的变化。",
    "en": "2021 · Dahongmen relocation: 3 wholesale markets (2 closed or relocated), "
    "1 business park under construction, 1 successor site open, "
    "3 receiving sites (2 open, 1 under construction), 1 district or county — "
    "flows to Yunshang Town, Yongqing; Cangzhou Mingzhu International Trade City; "
    "Xiqing District, Tianjin — 7 changes recorded this year.",
}

# Transport hubs, 2025, Beijing Fengtai station selected: beijing_west (1996), beijing_south
# (2008) and beijing_fengtai (open again 2022-06-20) open; lize_terminal under construction
# since 2020-12-18, caoqiao_terminal reported under construction in 2025; cangzhou, a city
# without status records; lines all open: jingjin_intercity, jinghu_hsr and jingguang_hsr,
# jingjiu_rail and jingguang_rail. No hubs flows. Changes: caoqiao_terminal's status line, no
# hubs event in 2025, and the figures dated 2025 of the theme's three card series
# (traffic_circle_hours, travel_time_fengtai_xiongan_r1_planned,
# travel_time_daxing_airport_xiongan): 4.
HUBS_2025_FENGTAI = {
    "zh": "2025 · 三站一楼：3个车站运营、2个城市航站楼在建、1个城市、1条城际铁路运营、"
    "2条高速铁路运营、2条普速铁路运营；本年有4项记录的变化；已选中：北京丰台站 · 车站 · 运营。",
    "en": "2025 · Transport hubs: 3 railway stations open, 2 city air terminals under "
    "construction, 1 city, 1 intercity railway open, 2 high-speed railways open, "
    "2 conventional railways open — 4 changes recorded this year — selected: "
    "Beijing Fengtai railway station · railway station · open.",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_relocation_2021_says_what_the_tables_hold(tables: Tables, lang: str) -> None:
    assert (
        map_sentence(tables, "relocation", 2021, ["relocation"], None, lang)
        == (RELOCATION_2021[lang])
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hubs_2025_with_a_selection(tables: Tables, lang: str) -> None:
    sentence = map_sentence(tables, "hubs", 2025, ["hubs"], "beijing_fengtai", lang)
    assert sentence == HUBS_2025_FENGTAI[lang]


def test_the_year_layers_and_selection_change_the_sentence(tables: Tables) -> None:
    # 2022: guan_trade_city opens (2022-08-18) and its flow begins; nanzhongzhou opens (2022-12)
    later = map_sentence(tables, "relocation", 2022, ["relocation"], None, "zh")
    assert "3个承接地运营" in later and "1个产业园区运营" in later
    assert "流向云裳小镇、固安国际商贸城、沧州明珠国际商贸城、天津市西青区" in later
    # the hubs layer added to the relocation theme's map: its stations are counted too
    both = map_sentence(tables, "relocation", 2021, ["relocation", "hubs"], None, "en")
    assert both.startswith("2021 · Dahongmen relocation: 3 railway stations (2 open, 1 under")
    # a flow selected before it begins, and a basemap prefecture
    flow = map_sentence(tables, "relocation", 2021, ["relocation"], "reloc_dahongmen_guan", "en")
    assert flow.endswith(
        " — selected: Dahongmen / Muxiyuan garment wholesale district → Gu'an International "
        "Trade City · merchant flow · not yet present in 2021."
    )
    boundary = tables.boundaries.iloc[0]
    named = map_sentence(tables, "hubs", 2025, ["hubs"], str(boundary["id"]), "zh")
    assert named.endswith(f"；已选中：{boundary['name_zh']}。")


def test_nothing_shown_is_said(tables: Tables) -> None:
    assert map_sentence(tables, "relocation", 2021, [], None, "zh") == (
        "2021 · 大红门疏解：图上没有要素；本年有7项记录的变化。"
    )
    assert map_sentence(tables, "relocation", 2021, None, None, "en") == (
        "2021 · Dahongmen relocation: nothing on the map — 7 changes recorded this year."
    )


def test_unknown_inputs_fall_back_or_are_left_out(tables: Tables) -> None:
    base = map_sentence(tables, "hubs", 2025, ["hubs"], None, "zh")
    assert map_sentence(tables, "hubs", "2025", ["hubs", "nope", 3], "no_such_id", "fr") == base
    assert map_sentence(tables, "hubs", 2025, ("hubs",), 7, None) == base
    first, last = tables.years
    assert map_sentence(tables, "no-theme", 1900, [], None, "en") == map_sentence(
        tables, DEFAULT_THEME, first, [], None, "en"
    )
    assert map_sentence(tables, "hubs", 10**6, ["hubs"], None, "zh").startswith(f"{last} · ")
    for year in (None, "", "soon", [2020], {"y": 1}, float("inf"), float("nan")):
        assert map_sentence(tables, "hubs", year, ["hubs"], None, "zh") == ""


@pytest.mark.parametrize(
    ("feature", "year", "lang", "expected"),
    [
        ("beijing_fengtai", 2016, "zh", "北京丰台站 · 车站 · 已关闭/疏解"),  # closed 2010–2018
        (
            "beijing_fengtai",
            2019,
            "en",
            "Beijing Fengtai railway station · railway station · under construction",
        ),
        ("caoqiao_terminal", 2024, "zh", "草桥城市航站楼 · 城市航站楼 · 运营"),
        # 2025's record is only "attested" (basis column): said so
        (
            "caoqiao_terminal",
            2025,
            "zh",
            "草桥城市航站楼 · 城市航站楼 · 在建（见于记录，起始不详）",
        ),
        (
            "hesheng_plaza",
            2024,
            "en",
            "Hesheng Plaza (former Xinyahui garment market) · "
            "successor site · not yet present in 2024",
        ),
        ("cangzhou", 2020, "en", "Cangzhou · city"),  # no status records: no status
        ("jingjiu_rail", 2014, "zh", "京九铁路 · 普速铁路 · 运营"),
        (
            "reloc_dahongmen_yunshang",
            2020,
            "zh",
            "大红门（木樨园）服装商贸区 → 云裳小镇 · 商户外迁流向 · 2017年起",
        ),
        (
            "syn_in_jinji_2025",
            2025,
            "en",
            "Tianjin、Hebei Province → Fengtai District, Beijing · branch-office flow · since 2025",
        ),
        ("no_such_id", 2020, "zh", ""),
    ],
)
def test_feature_text(tables: Tables, feature: str, year: int, lang: str, expected: str) -> None:
    assert feature_text(tables, feature, year, lang) == expected


def test_every_kind_in_the_data_has_its_words(tables: Tables) -> None:
    kinds = {*tables.places["kind"], *tables.lines["kind"], *tables.flows["kind"]}
    missing = [k for k in kinds if f"map.kind.{k}" not in UI or f"map.kinds.{k}" not in UI]
    assert not missing
    config = keyboard_config()
    assert config["layers"] == list(LAYER_KEYS)
    assert config["views"]["hubs"] == {"center": [39.87, 116.34], "zoom": 12}
    assert config["words"]["en"]["kinds"]["station"] == "railway station"
    assert config["words"]["zh"]["focus"] == "{feature}（第{n}个，共{total}个）"


# The browser's announcement for every feature of the map, year and language, from the
# GeoJSON properties the map is drawn from, through assets/mapnav.js's describe().
DESCRIBE = """
import {loadAssets} from './tests/js/load-assets.mjs';
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const {features, years, config} = JSON.parse(input);
  const w = loadAssets({search: ''});
  const nav = w.dash_clientside.atlas.mapKeys.nav;
  const out = {};
  for (const lang of ['zh', 'en']) {
    for (const year of years) {
      for (const p of features) {
        out[[p.id, year, lang].join('|')] = nav.describe(p, year, lang, config.words[lang]);
      }
    }
  }
  console.log(JSON.stringify(out));
});
"""


def test_the_browser_announces_every_feature_as_the_server_says_it(
    atlas: Atlas, tables: Tables
) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make test`, which installs Debian's nodejs")
    places, status = atlas.table("places"), atlas.table("status")
    layers = [
        places_layer(places, status),
        lines_layer(atlas.table("lines"), status),
        flows_layer(atlas.table("flows"), places),
    ]
    features = [
        f["properties"]
        for layer in layers
        for f in layer["features"]
        if f["properties"].get("part") != "head"
    ]
    first, last = tables.years
    years = list(range(first, last + 1))
    done = subprocess.run(
        [node, "--input-type=module", "-e", DESCRIBE],
        input=json.dumps({"features": features, "years": years, "config": keyboard_config()}),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    said = json.loads(done.stdout)
    assert len(said) == len(features) * len(years) * 2 > 1000
    wrong = []
    for key, text in said.items():
        feature, year, lang = key.split("|")
        expected = feature_text(tables, feature, int(year), lang)
        if text != expected:
            wrong.append((key, text, expected))
    assert not wrong, wrong[:5]
