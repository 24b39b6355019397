// window.atlas.map.*: the Leaflet filter/style/pointToLayer/onEachFeature functions that
// layout/mapview.py references as {variable: "atlas.map.<name>"}.
import assert from "node:assert/strict";
import {beforeEach, describe, test} from "node:test";
import {loadAssets, plain, stubsOf} from "./load-assets.mjs";
import {ctx, feature} from "./helpers.mjs";

let map;
beforeEach(() => { map = loadAssets().atlas.map; });

// Real timelines from geodata/sources/status.csv (as layers/features.py writes them).
const FENGTAI_STATION_TL = [[1895, "open"], [2010, "closed"], [2018, "under_construction"], [2022, "open"]];
const DAHONGMEN_TL = [[1980, "open"], [2021, "closed"]];

const fengtaiStation = {
  id: "beijing_fengtai", name_zh: "北京丰台站", name_en: "Beijing Fengtai railway station",
  kind: "station", layer: "hubs", location_accuracy: "exact", tl: FENGTAI_STATION_TL,
  display_offset: false,
};
const lizeTerminal = {
  id: "lize_terminal", name_zh: "丽泽城市航站楼", name_en: "Lize City Air Terminal",
  kind: "air_terminal", layer: "hubs", location_accuracy: "site_estimate",
  tl: [[2025, "under_construction"]], display_offset: false,
};
const dahongmen = {
  id: "dahongmen", name_zh: "大红门", name_en: "Dahongmen", kind: "market_area",
  layer: "relocation", location_accuracy: "area_centroid", tl: DAHONGMEN_TL, display_offset: false,
};
const intercity = {
  id: "jingxiong_intercity_bjw_pkx", name_zh: "京雄城际铁路（北京西—大兴机场段）",
  name_en: "Beijing–Xiong'an intercity railway (Beijing West–Daxing Airport)",
  kind: "intercity_rail", layer: "corridor", schematic: true,
  tl: [[2016, "planned"], [2018, "under_construction"], [2019, "open"]], width: 4,
};
const flowCommon = {
  id: "reloc_dahongmen_yunshang", layer: "relocation", kind: "merchants", direction: "outbound",
  from_year: 2017, value_year: 2025, value: 3800, width: 14,
  label_zh: "大红门 → 云裳小镇", label_en: "Dahongmen → Yunshang Town",
};
const flowArc = {...flowCommon, part: "arc"};
const flowHead = {...flowCommon, part: "head"};
const uncountedArc = {
  ...flowCommon, id: "reloc_dahongmen_guan", from_year: 2022, value: null, width: 2, part: "arc",
};

describe("statusAt", () => {
  test("a feature without a timeline is always open", () => {
    assert.equal(map.statusAt(undefined, 2020), "open");
    assert.equal(map.statusAt(null, 1900), "open");
    assert.equal(map.statusAt([], 2020), "open");
  });

  test("before the first change there is no status (null)", () => {
    assert.equal(map.statusAt(FENGTAI_STATION_TL, 1894), null);
    assert.equal(map.statusAt([[2025, "under_construction"]], 2024), null);
  });

  test("the last change in or before the year wins, in timeline order", () => {
    const tl = FENGTAI_STATION_TL;
    assert.equal(map.statusAt(tl, 1895), "open");
    assert.equal(map.statusAt(tl, 2009), "open");
    assert.equal(map.statusAt(tl, 2010), "closed");
    assert.equal(map.statusAt(tl, 2017), "closed");
    assert.equal(map.statusAt(tl, 2018), "under_construction");
    assert.equal(map.statusAt(tl, 2021), "under_construction");
    assert.equal(map.statusAt(tl, 2022), "open");
    assert.equal(map.statusAt(tl, 2100), "open");
  });

  test("several changes in one year: the later entry wins from that year on", () => {
    const tl = [[2016, "planned"], [2016, "under_construction"], [2019, "open"]];
    assert.equal(map.statusAt(tl, 2015), null);
    assert.equal(map.statusAt(tl, 2016), "under_construction");
    assert.equal(map.statusAt(tl, 2018), "under_construction");
    assert.equal(map.statusAt(tl, 2019), "open");
  });
});

describe("visible (GeoJSON filter)", () => {
  test("a feature whose layer is switched off is hidden, whatever its dates", () => {
    const c = ctx({year: 2026, layers: ["corridor", "synergy"]});
    assert.equal(map.visible(feature(fengtaiStation), c), false);
    assert.equal(map.visible(feature(flowArc), c), false);
    assert.equal(map.visible(feature(intercity), c), true);
    assert.equal(map.visible(feature(intercity), ctx({layers: []})), false);
  });

  test("flows follow from_year (and ignore any timeline)", () => {
    const f = feature({...flowArc, tl: [[2030, "planned"]]});
    assert.equal(map.visible(f, ctx({year: 2016})), false);
    assert.equal(map.visible(f, ctx({year: 2017})), true);
    assert.equal(map.visible(f, ctx({year: 2026})), true);
    assert.equal(map.visible(feature(flowHead), ctx({year: 2016})), false);
    assert.equal(map.visible(feature(flowHead), ctx({year: 2017})), true);
  });

  test("places and lines are shown from their first status on, closed ones included", () => {
    assert.equal(map.visible(feature(fengtaiStation), ctx({year: 1894})), false);
    assert.equal(map.visible(feature(fengtaiStation), ctx({year: 1895})), true);
    assert.equal(map.visible(feature(fengtaiStation), ctx({year: 2012})), true);  // closed
    assert.equal(map.visible(feature(lizeTerminal), ctx({year: 2024})), false);
    assert.equal(map.visible(feature(lizeTerminal), ctx({year: 2025})), true);
    assert.equal(map.visible(feature(intercity), ctx({year: 2015})), false);
    assert.equal(map.visible(feature(intercity), ctx({year: 2016})), true);
  });

  test("a place without status records is always shown", () => {
    const city = {...fengtaiStation, id: "xiongan", tl: []};
    assert.equal(map.visible(feature(city), ctx({year: 1900})), true);
  });
});

describe("lineStyle", () => {
  test("under construction: theme colour, status dash", () => {
    assert.deepEqual(plain(map.lineStyle(feature(intercity), ctx({year: 2018}))), {
      color: "#009E73",
      weight: 4,
      opacity: 0.9,
      dashArray: "2 5",
      className: "atlas-line atlas-line-jingxiong_intercity_bjw_pkx atlas-status-under_construction",
      inner: null,  // a dashed railway has no ticks: its status dash stays readable
    });
  });

  test("planned dash; open is solid (empty dash becomes null)", () => {
    assert.equal(map.lineStyle(feature(intercity), ctx({year: 2016})).dashArray, "8 6");
    assert.deepEqual(plain(map.lineStyle(feature(intercity), ctx({year: 2020}))), {
      color: "#009E73",
      weight: 4,
      opacity: 0.9,
      dashArray: null,
      className: "atlas-line atlas-line-jingxiong_intercity_bjw_pkx atlas-status-open",
      inner: {color: "#FFFFFF", weight: 1.5, opacity: 0.9, dashArray: "5 5", lineCap: "butt"},
    });
  });

  test("selected lines are 4 px wider; the feature's own width is the base", () => {
    const conventional = {...intercity, id: "jingguang_conv", kind: "conventional_rail", width: 3};
    const c = ctx({year: 2020, selected: "jingguang_conv"});
    assert.equal(map.lineStyle(feature(conventional), c).weight, 7);
    assert.equal(map.lineStyle(feature(intercity), c).weight, 4);
    assert.equal(map.lineStyle(feature(intercity), ctx({year: 2020, selected: intercity.id})).weight, 8);
  });

  test("closed lines are grey with the closed dash", () => {
    const closed = {...intercity, tl: [[2000, "open"], [2015, "closed"]]};
    assert.deepEqual(plain(map.lineStyle(feature(closed), ctx({year: 2016}))), {
      color: "#6E6E6E",
      weight: 4,
      opacity: 0.9,
      dashArray: "1 4",
      className: "atlas-line atlas-line-jingxiong_intercity_bjw_pkx atlas-status-closed",
      inner: null,
    });
  });

  test("a road is a wide double line: a white core dashed like its status, square ends", () => {
    const road = {...intercity, id: "jingxiong_expwy_beijing", kind: "expressway", width: 7};
    assert.deepEqual(plain(map.lineStyle(feature(road), ctx({year: 2018}))), {
      color: "#009E73",
      weight: 7,
      opacity: 0.9,
      dashArray: "2 5",
      className: "atlas-line atlas-line-jingxiong_expwy_beijing atlas-status-under_construction",
      lineCap: "butt",
      inner: {color: "#FFFFFF", weight: 3, opacity: 0.9, dashArray: "2 5", lineCap: "butt"},
    });
    const open = map.lineStyle(feature(road), ctx({year: 2020}));
    assert.equal(open.dashArray, null);
    assert.equal(open.inner.dashArray, null);
    assert.equal(open.inner.weight, 3);
  });

  test("ids are made safe for class names; a missing status prints as null", () => {
    const odd = {...intercity, id: "京雄 line/1.a", tl: [[2030, "planned"]]};
    const style = map.lineStyle(feature(odd), ctx({year: 2020}));
    assert.equal(style.className, "atlas-line atlas-line-___line_1_a atlas-status-null");
    assert.equal(style.dashArray, null);
  });
});

describe("flowStyle", () => {
  test("arrowheads are filled, unstroked, in the theme colour; selection does not change them", () => {
    const expected = {
      stroke: false,
      fillColor: "#D55E00",
      fillOpacity: 0.95,
      className: "atlas-flow atlas-flow-reloc_dahongmen_yunshang atlas-flow-head",
    };
    assert.deepEqual(plain(map.flowStyle(feature(flowHead), ctx({year: 2026}))), expected);
    assert.deepEqual(
      plain(map.flowStyle(feature(flowHead), ctx({year: 2026, selected: flowHead.id}))), expected);
  });

  test("a counted arc (its count's year has come) has its own width and no dash", () => {
    assert.deepEqual(plain(map.flowStyle(feature(flowArc), ctx({year: 2025}))), {
      color: "#D55E00",
      weight: 14,
      opacity: 0.8,
      lineCap: "round",
      fill: false,
      className: "atlas-flow atlas-flow-reloc_dahongmen_yunshang atlas-flow-arc",
      dashArray: null,
    });
  });

  test("a count from a later year: minimum width, dashed", () => {
    assert.deepEqual(plain(map.flowStyle(feature(flowArc), ctx({year: 2024}))), {
      color: "#D55E00",
      weight: 2,
      opacity: 0.8,
      lineCap: "round",
      fill: false,
      className: "atlas-flow atlas-flow-reloc_dahongmen_yunshang atlas-flow-arc",
      dashArray: "6 6",
    });
  });

  test("a flow without any count: minimum width, solid", () => {
    const style = plain(map.flowStyle(feature(uncountedArc), ctx({year: 2026})));
    assert.equal(style.weight, 2);
    assert.equal(style.dashArray, null);
    assert.equal(style.className, "atlas-flow atlas-flow-reloc_dahongmen_guan atlas-flow-arc");
  });

  test("selected arcs are 3 px wider, counted or not", () => {
    const c = ctx({year: 2025, selected: flowArc.id});
    assert.equal(map.flowStyle(feature(flowArc), c).weight, 17);
    assert.equal(map.flowStyle(feature(flowArc), ctx({year: 2020, selected: flowArc.id})).weight, 5);
    assert.equal(map.flowStyle(feature(uncountedArc), ctx({selected: uncountedArc.id})).weight, 5);
  });

  test("a count of 0 still counts (not treated as missing)", () => {
    const zero = {...flowArc, value: 0, width: 2};
    const style = map.flowStyle(feature(zero), ctx({year: 2025}));
    assert.equal(style.dashArray, null);
    assert.equal(map.flowStyle(feature(zero), ctx({year: 2024})).dashArray, "6 6");
  });
});

describe("placeMarker (pointToLayer)", () => {
  const latlng = {lat: 39.8498, lng: 116.2946};

  test("an exact, open, unselected place: white ring, theme fill, L.circleMarker in the places pane", () => {
    const window = loadAssets();
    const marker = window.atlas.map.placeMarker(feature(fengtaiStation), latlng, ctx({year: 2023}));
    assert.deepEqual(plain(marker), {
      latlng: {lat: 39.8498, lng: 116.2946},
      options: {
        pane: "places",
        className: "atlas-place atlas-place-beijing_fengtai atlas-status-open",
        radius: 8,
        weight: 2,
        color: "#FFFFFF",
        dashArray: null,
        fillColor: "#0072B2",
        fillOpacity: 0.95,
      },
    });
    assert.equal(stubsOf(window).markers.length, 1);
    assert.equal(stubsOf(window).markers[0][0], latlng);  // passed through untouched
  });

  test("selected: bigger, thicker, black ring", () => {
    const marker = map.placeMarker(feature(fengtaiStation), latlng,
      ctx({year: 2023, selected: "beijing_fengtai"}));
    assert.deepEqual(plain(marker.options), {
      pane: "places",
      className: "atlas-place atlas-place-beijing_fengtai atlas-status-open",
      radius: 12,
      weight: 4,
      color: "#000000",
      dashArray: null,
      fillColor: "#0072B2",
      fillOpacity: 0.95,
    });
  });

  test("an estimated location: dark dashed ring (still dashed when selected)", () => {
    const c = ctx({year: 2025});
    assert.deepEqual(plain(map.placeMarker(feature(lizeTerminal), latlng, c).options), {
      pane: "places",
      className: "atlas-place atlas-place-lize_terminal atlas-status-under_construction",
      radius: 8,
      weight: 2,
      color: "#222222",
      dashArray: "2 3",
      fillColor: "#0072B2",
      fillOpacity: 0.5,
    });
    const chosen = map.placeMarker(feature(lizeTerminal), latlng,
      ctx({year: 2025, selected: "lize_terminal"})).options;
    assert.equal(chosen.color, "#000000");
    assert.equal(chosen.dashArray, "2 3");
    for (const accuracy of ["site_estimate", "stand_in", "area_centroid"]) {
      const p = {...fengtaiStation, location_accuracy: accuracy};
      assert.equal(map.placeMarker(feature(p), latlng, ctx({year: 2023})).options.dashArray, "2 3");
    }
  });

  test("closed places are grey with the closed fill opacity", () => {
    const options = plain(map.placeMarker(feature(dahongmen), latlng, ctx({year: 2021})).options);
    assert.deepEqual(options, {
      pane: "places",
      className: "atlas-place atlas-place-dahongmen atlas-status-closed",
      radius: 8,
      weight: 2,
      color: "#222222",
      dashArray: "2 3",
      fillColor: "#6E6E6E",
      fillOpacity: 0.8,
    });
    const station = map.placeMarker(feature(fengtaiStation), latlng, ctx({year: 2015})).options;
    assert.equal(station.fillColor, "#6E6E6E");
    assert.equal(station.className, "atlas-place atlas-place-beijing_fengtai atlas-status-closed");
  });

  test("fill opacity by status; no status yet falls back to open's", () => {
    const planned = {...fengtaiStation, tl: [[2016, "planned"], [2020, "open"]]};
    assert.equal(map.placeMarker(feature(planned), latlng, ctx({year: 2016})).options.fillOpacity, 0.15);
    assert.equal(map.placeMarker(feature(planned), latlng, ctx({year: 2020})).options.fillOpacity, 0.95);
    const early = map.placeMarker(feature(planned), latlng, ctx({year: 2000})).options;
    assert.equal(early.fillOpacity, 0.95);
    assert.equal(early.className, "atlas-place atlas-place-beijing_fengtai atlas-status-null");
  });
});

describe("boundaryStyle", () => {
  const province = {id: "130000", name_zh: "河北省", name_en: "Hebei", level: "province"};
  const xiongan = {id: "133100", name_zh: "雄安新区", name_en: "Xiong'an New Area", level: "new_area"};
  const fengtai = {id: "110106", name_zh: "丰台区", name_en: "Fengtai", level: "district",
    focus: true, label: true};
  const haidian = {id: "110108", name_zh: "海淀区", name_en: "Haidian", level: "district"};

  test("provinces: outline only, selected or not", () => {
    const expected = {color: "#4A4A4A", weight: 2, fill: false};
    assert.deepEqual(plain(map.boundaryStyle(feature(province), ctx())), expected);
    assert.deepEqual(plain(map.boundaryStyle(feature(province), ctx({selected: "130000"}))), expected);
  });

  test("the new area (Xiong'an): dashed purple outline", () => {
    assert.deepEqual(plain(map.boundaryStyle(feature(xiongan), ctx())),
      {color: "#7A3E9D", weight: 2, dashArray: "8 6", fill: false});
  });

  test("Fengtai (focus): red edge, salmon fill; thicker when selected", () => {
    assert.deepEqual(plain(map.boundaryStyle(feature(fengtai), ctx())),
      {color: "#B2182B", weight: 3, fillColor: "#F4A582", fillOpacity: 0.6});
    assert.deepEqual(plain(map.boundaryStyle(feature(fengtai), ctx({selected: "110106"}))),
      {color: "#B2182B", weight: 4, fillColor: "#F4A582", fillOpacity: 0.6});
  });

  test("other units: grey edge and paper fill; black and thicker when selected", () => {
    assert.deepEqual(plain(map.boundaryStyle(feature(haidian), ctx({selected: "110106"}))),
      {color: "#9E9E9E", weight: 1, fillColor: "#F5F3EE", fillOpacity: 1});
    assert.deepEqual(plain(map.boundaryStyle(feature(haidian), ctx({selected: "110108"}))),
      {color: "#000000", weight: 3, fillColor: "#F5F3EE", fillOpacity: 1});
  });
});

describe("labels and tooltips (text only, never HTML)", () => {
  function layer() {
    const calls = [];
    return {calls, bindTooltip(content, options) { calls.push([content, options]); }};
  }

  test("boundaryLabel binds a permanent label in the page language, only when asked for", () => {
    const fengtai = {id: "110106", name_zh: "丰台区", name_en: "Fengtai", level: "district",
      focus: true, label: true};
    const l = layer();
    map.boundaryLabel(feature(fengtai), l, ctx({lang: "en"}));
    assert.equal(l.calls.length, 1);
    const [content, options] = l.calls[0];
    assert.equal(content.tagName, "SPAN");
    assert.equal(content.textContent, "Fengtai");
    assert.deepEqual(plain(options), {permanent: true, direction: "center", interactive: false,
      className: "atlas-area-label atlas-focus"});

    const other = layer();
    map.boundaryLabel(feature({...fengtai, id: "x", focus: false, name_zh: "<b>区</b>"}), other,
      ctx({lang: "zh"}));
    assert.equal(other.calls[0][0].textContent, "<b>区</b>");
    assert.equal(other.calls[0][1].className, "atlas-area-label");

    const none = layer();
    map.boundaryLabel(feature({...fengtai, label: false}), none, ctx());
    assert.equal(none.calls.length, 0);
  });

  test("featureTooltip: names for places and lines, labels for flow arcs, nothing for heads", () => {
    const l = layer();
    map.featureTooltip(feature(fengtaiStation), l, ctx({lang: "zh"}));
    map.featureTooltip(feature(flowArc), l, ctx({lang: "en"}));
    map.featureTooltip(feature(flowHead), l, ctx({lang: "en"}));
    assert.deepEqual(l.calls.map(([c, o]) => [c.textContent, plain(o)]), [
      ["北京丰台站", {direction: "top", sticky: true}],
      ["Dahongmen → Yunshang Town", {direction: "top", sticky: true}],
    ]);
  });
});
