// assets/mapnav.js: the map as one keyboard stop. The words here are a trimmed copy of
// panels/status.py keyboard_config(); tests/unit/test_status.py holds the announcement equal to
// the Python's for every feature with the real words.
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {ASSET_FILES, element, event, loadAssets, plain, stubsOf} from "./load-assets.mjs";

const WORDS = {
  zh: {name: "地图", role: "交互地图", keys: "方向键逐个浏览图上要素", focus: "{feature}（第{n}个，共{total}个）",
       none: "图上没有可浏览的要素", since: "{year}年起", attested: "{status}（见于记录，起始不详）",
       notYet: "{year}年尚未出现", sep: " · ",
       status: {open: "运营", under_construction: "在建", planned: "规划中", closed: "已关闭/疏解"},
       kinds: {feature: "要素", station: "车站", air_terminal: "城市航站楼", merchants: "商户外迁流向",
               intercity_rail: "城际铁路", city: "城市"}},
  en: {name: "Map", role: "interactive map", keys: "Arrow keys step through the features",
       focus: "{feature} ({n} of {total})", none: "No features on the map", since: "since {year}",
       attested: "{status} (reported; start unknown)", notYet: "not yet present in {year}", sep: " · ",
       status: {open: "open", under_construction: "under construction", planned: "planned",
                closed: "closed or relocated"},
       kinds: {feature: "feature", station: "railway station", air_terminal: "city air terminal",
               merchants: "merchant flow", intercity_rail: "intercity railway", city: "city"}},
};
const CONFIG = {
  words: WORDS,
  layers: ["hubs", "relocation", "corridor", "synergy", "services"],
  views: {overview: {center: [39.25, 116.45], zoom: 8}, hubs: {center: [39.8, 116.36], zoom: 10}},
};

// GeoJSON properties as layers/features.py writes them (real rows of geodata/sources).
const WEST = {id: "beijing_west", name_zh: "北京西站", name_en: "Beijing West railway station",
              kind: "station", layer: "hubs", tl: [[1996, "open"]], att: []};
const FENGTAI = {id: "beijing_fengtai", name_zh: "北京丰台站", name_en: "Beijing Fengtai railway station",
                 kind: "station", layer: "hubs",
                 tl: [[1895, "open"], [2010, "closed"], [2018, "under_construction"], [2022, "open"]], att: []};
const CAOQIAO = {id: "caoqiao_terminal", name_zh: "草桥城市航站楼", name_en: "Caoqiao City Air Terminal",
                 kind: "air_terminal", layer: "hubs", tl: [[2019, "open"], [2025, "under_construction"]],
                 att: [2025]};
const CANGZHOU = {id: "cangzhou", name_zh: "沧州市", name_en: "Cangzhou", kind: "city", layer: "hubs",
                  tl: [], att: []};
const JINGJIN = {id: "jingjin_intercity", name_zh: "京津城际铁路", name_en: "Beijing–Tianjin intercity railway",
                 kind: "intercity_rail", layer: "hubs", tl: [[2008, "open"]], att: [], width: 4};
const YUNSHANG = {id: "yunshang_town", name_zh: "云裳小镇", name_en: "Yunshang Town, Yongqing",
                  kind: "receiving_site", layer: "relocation", tl: [[2017, "open"]], att: []};
const FLOW = {id: "reloc_dahongmen_yunshang", layer: "relocation", kind: "merchants", from_year: 2017, part: "arc",
              label_zh: "大红门（木樨园）服装商贸区 → 云裳小镇",
              label_en: "Dahongmen / Muxiyuan garment wholesale district → Yunshang Town, Yongqing"};
const BOUNDARY = {id: "110106", name_zh: "丰台区", name_en: "Fengtai District", level: "district"};

function nav(window) { return window.dash_clientside.atlas.mapKeys.nav; }

// A Leaflet layer as the map holds it: its feature, its place and an SVG element.
function layer(p, extra = {}) {
  const el = element({attrs: {}, setAttribute(k, v) { this.attrs[k] = v; },
                      getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }});
  const base = {feature: {properties: p}, options: {weight: 2}, getElement: () => el, el};
  if (p.width !== undefined || p.from_year !== undefined) {
    return Object.assign(base, {getLatLngs: () => [[39.9, 116.3], [39.1, 117.2]],
                                getCenter: () => ({lat: 39.5, lng: 116.75})}, extra);
  }
  return Object.assign(base, {getLatLng: () => ({lat: 39.8, lng: 116.3}), getRadius: () => 6}, extra);
}

const SIDE_BOX = {top: {left: 350, top: 268, width: 200, height: 20},
                  bottom: {left: 350, top: 312, width: 200, height: 20},
                  right: {left: 462, top: 290, width: 200, height: 20},
                  left: {left: 38, top: 290, width: 200, height: 20}};

// Just enough of a Leaflet map and of Leaflet for mapnav.js.
function fakeMap(window, layers) {
  const drawn = [];
  const leaflet = (kind) => function (a, b) {
    const item = {kind, a, b, on: false, options: {...b}, updates: 0,
                  addTo() { item.on = true; drawn.push(item); return item; },
                  // a label 200 × 20 px beside a feature at (450, 300), on the side it is told
                  getElement() { return item.on ? {getBoundingClientRect: () => SIDE_BOX[item.options.direction]} : null; },
                  update() { item.updates += 1; },
                  remove() { item.on = false; },
                  setLatLng(at) { item.at = at; return item; },
                  setContent(el) { item.content = el; return item; }};
    return item;
  };
  window.L = {circleMarker: leaflet("ring"), polyline: leaflet("casing"), tooltip: leaflet("label")};
  const container = element({id: "atlas-map", attrs: {}, listeners: [],
    setAttribute(k, v) { this.attrs[k] = v; },
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; },
    addEventListener(type, fn, capture) { this.listeners.push({type, fn, capture: Boolean(capture)}); },
    getBoundingClientRect: () => ({left: 0, top: 0, width: 900, height: 600}),
    querySelectorAll(selector) { return selector === ".leaflet-interactive" ? layers.map((l) => l.el) : []; }});
  const handlers = {};
  const panes = {};
  const lmap = {
    container, drawn, panned: null, inView: true,
    getContainer: () => container,
    on(type, fn) { handlers[type] = fn; },
    fire(type, ev) { handlers[type](ev); },
    eachLayer(fn) { layers.forEach(fn); },
    getPane: (k) => panes[k],
    createPane(k) { panes[k] = {style: {}}; return panes[k]; },
    getSize: () => ({x: 900, y: 600}),
    latLngToContainerPoint: () => (lmap.inView ? {x: 450, y: 300} : {x: -50, y: 300}),
    panTo(at) { lmap.panned = at; },
    panBy(offset) { lmap.panned = offset; },
  };
  return lmap;
}

function key(lmap, name, extra = {}) {
  const ev = event({key: name, target: lmap.container, ...extra});
  for (const l of lmap.container.listeners.filter((x) => x.type === "keydown")) { l.fn(ev); }
  return ev;
}

function setup({lang = "zh", year = 2025, theme = "hubs", selected = null, layers} = {}) {
  const focus = element({id: "atlas-map-focus", textContent: ""});
  const window = loadAssets({elements: {"atlas-map-focus": focus}});
  const list = layers || [layer(WEST), layer(FENGTAI), layer(CAOQIAO), layer(JINGJIN), layer(CANGZHOU),
                          layer(BOUNDARY)];
  const lmap = fakeMap(window, list);
  nav(window).attach(lmap);
  window.dash_clientside.atlas.mapKeys(CONFIG, theme, year, ["hubs"], selected, lang);
  return {window, lmap, focus, list, stubs: stubsOf(window)};
}

describe("what a feature is called (mapnav.js describe)", () => {
  const say = (p, year, lang) => loadAssets().dash_clientside.atlas.mapKeys.nav.describe(p, year, lang, WORDS[lang]);

  test("name · kind · status in that year, in both languages", () => {
    assert.equal(say(FENGTAI, 2016, "zh"), "北京丰台站 · 车站 · 已关闭/疏解");
    assert.equal(say(FENGTAI, 2019, "en"), "Beijing Fengtai railway station · railway station · under construction");
    assert.equal(say(FENGTAI, 1800, "en"), "Beijing Fengtai railway station · railway station · not yet present in 1800");
  });

  test("a status known only by a later report says so; no records, no status", () => {
    assert.equal(say(CAOQIAO, 2025, "zh"), "草桥城市航站楼 · 城市航站楼 · 在建（见于记录，起始不详）");
    assert.equal(say(CAOQIAO, 2024, "zh"), "草桥城市航站楼 · 城市航站楼 · 运营");
    assert.equal(say(CANGZHOU, 2020, "en"), "Cangzhou · city");
  });

  test("a flow says the year it began; an unknown kind is a feature", () => {
    assert.equal(say(FLOW, 2020, "zh"), "大红门（木樨园）服装商贸区 → 云裳小镇 · 商户外迁流向 · 2017年起");
    assert.equal(say({...FLOW, kind: "new_kind"}, 2016, "en"),
      "Dahongmen / Muxiyuan garment wholesale district → Yunshang Town, Yongqing · feature · not yet present in 2016");
  });
});

describe("the order of the features (mapnav.js ordered)", () => {
  const names = (items) => plain(items.map((f) => f.id));

  test("layer by layer, then by name in the language, each feature once, no basemap", () => {
    const order = nav(loadAssets()).ordered;
    const layers = [layer(FLOW), layer({...FLOW}, {}), layer({...FLOW, part: "head"}), layer(YUNSHANG),
                    layer(WEST), layer(FENGTAI), layer(CAOQIAO), layer(BOUNDARY), {options: {}}];
    // zh by pinyin: Beijing Fengtai, Beijing Xi, Caoqiao; then relocation: Dahongmen…, Yunshang
    assert.deepEqual(names(order(layers, CONFIG.layers, "zh")),
      ["beijing_fengtai", "beijing_west", "caoqiao_terminal", "reloc_dahongmen_yunshang", "yunshang_town"]);
    assert.deepEqual(names(order(layers, CONFIG.layers, "en")),
      ["beijing_fengtai", "beijing_west", "caoqiao_terminal", "reloc_dahongmen_yunshang", "yunshang_town"]);
    // a layer the map does not step through (not in the order) is left out
    assert.deepEqual(names(order(layers, ["relocation"], "en")), ["reloc_dahongmen_yunshang", "yunshang_town"]);
  });

  test("English order is by the English name", () => {
    const order = nav(loadAssets()).ordered;
    const a = {...WEST, id: "a", name_zh: "乙", name_en: "Zeta"};
    const b = {...WEST, id: "b", name_zh: "甲", name_en: "Alpha"};
    assert.deepEqual(names(order([layer(a), layer(b)], ["hubs"], "en")), ["b", "a"]);
    assert.deepEqual(names(order([layer(b), layer(a)], ["hubs"], "zh")), ["b", "a"]);  // jiǎ < yǐ
  });
});

describe("the map's keys", () => {
  test("nothing is listened to on the document, nothing set, until a map is made", () => {
    const window = loadAssets();
    const without = loadAssets({files: ASSET_FILES.filter((f) => f !== "assets/mapnav.js")});
    assert.equal(stubsOf(window).listeners.length, stubsOf(without).listeners.length);
    assert.deepEqual(stubsOf(window).setProps, []);
  });

  test("the container is named in the page's language and its features leave the Tab order", () => {
    const {window, lmap} = setup();
    assert.deepEqual(plain(lmap.container.attrs), {"role": "application", "aria-label": "地图",
      "aria-roledescription": "交互地图", "aria-describedby": "atlas-map-hint"});
    const late = layer(YUNSHANG);
    lmap.fire("layeradd", {layer: late});
    assert.equal(late.el.getAttribute("tabindex"), "-1");
    window.dash_clientside.atlas.mapKeys(CONFIG, "hubs", 2025, ["hubs"], null, "en");
    assert.equal(lmap.container.attrs["aria-label"], "Map");
  });

  test("the hint is returned when the language changes, not on every step", () => {
    const window = loadAssets();
    const mapKeys = window.dash_clientside.atlas.mapKeys;
    assert.equal(mapKeys(CONFIG, "hubs", 2025, ["hubs"], null, "zh"), WORDS.zh.keys);
    assert.equal(mapKeys(CONFIG, "hubs", 2024, ["hubs"], null, "zh"), stubsOf(window).noUpdate);
    assert.equal(mapKeys(CONFIG, "hubs", 2024, ["hubs"], null, "en"), WORDS.en.keys);
  });

  test("arrows step through the features and say each one; the ring follows", () => {
    const {lmap, focus} = setup({year: 2025});
    const ev = key(lmap, "ArrowDown");
    assert.equal(ev.defaultPrevented, true);
    assert.equal(ev.propagationStopped, true);  // Leaflet's own arrows (document) never see it
    assert.equal(focus.textContent, "北京丰台站 · 车站 · 运营（第1个，共5个）");
    const rings = () => [...new Set(lmap.drawn.filter((d) => d.on))].map((d) => d.kind);
    assert.deepEqual(rings(), ["ring", "ring", "label"]);
    assert.equal(lmap.drawn.find((d) => d.kind === "label").content.textContent, "北京丰台站 · 车站 · 运营");
    key(lmap, "ArrowRight");
    assert.equal(focus.textContent, "北京西站 · 车站 · 运营（第2个，共5个）");
    key(lmap, "End");
    assert.equal(focus.textContent, "京津城际铁路 · 城际铁路 · 运营（第5个，共5个）");
    assert.deepEqual(rings(), ["label", "casing", "casing"]);  // a line gets a casing; one label
    key(lmap, "ArrowDown");  // round to the first
    assert.equal(focus.textContent, "北京丰台站 · 车站 · 运营（第1个，共5个）");
    key(lmap, "ArrowUp");
    assert.equal(focus.textContent, "京津城际铁路 · 城际铁路 · 运营（第5个，共5个）");
    key(lmap, "Home");
    assert.equal(focus.textContent, "北京丰台站 · 车站 · 运营（第1个，共5个）");
  });

  test("the label goes to the first side clear of the panels over the map", () => {
    const {lmap} = setup();
    const panel = (left, top, width, height) => ({getBoundingClientRect: () => ({left, top, width, height})});
    let over = [panel(300, 250, 400, 30)];  // a legend where the label above would be
    lmap.container.parentNode = {querySelectorAll: () => over};
    key(lmap, "ArrowDown");
    const label = lmap.drawn.find((d) => d.kind === "label");
    assert.equal(label.options.direction, "bottom");
    over = [panel(300, 250, 400, 40), panel(300, 311, 400, 30)];  // above and below: right
    key(lmap, "ArrowDown");
    assert.equal(label.options.direction, "right");
    // panels on both sides: no side is clear; the map moves the least it must (58 px right)
    over = [panel(500, 0, 400, 600), panel(0, 0, 200, 600)];
    assert.equal(lmap.panned, null);
    lmap.fire("moveend");
    assert.equal(label.options.direction, "top");
    assert.deepEqual(plain(lmap.panned), [58, 0]);
    lmap.panned = null;
    lmap.fire("moveend");  // once per feature: the fake map did not really move
    assert.equal(lmap.panned, null);
    // nowhere clear at all: the feature is under a panel, so it is brought to the middle; then
    // no move can clear it: the label goes above and the map stays
    over = [panel(0, 0, 900, 600)];
    key(lmap, "ArrowDown");
    assert.deepEqual(plain(lmap.panned), {lat: 39.8, lng: 116.3});
    lmap.panned = null;
    lmap.fire("moveend");
    assert.equal(label.options.direction, "top");
    assert.equal(lmap.panned, null);
  });

  test("a feature out of view is panned to", () => {
    const {lmap} = setup();
    lmap.inView = false;
    key(lmap, "ArrowDown");
    assert.deepEqual(plain(lmap.panned), {lat: 39.8, lng: 116.3});
  });

  test("the first arrow starts from the selected feature", () => {
    const {lmap, focus} = setup({selected: "caoqiao_terminal", lang: "en"});
    key(lmap, "ArrowDown");
    assert.equal(focus.textContent,
      "Caoqiao City Air Terminal · city air terminal · under construction (reported; start unknown) (5 of 5)");
  });

  test("Enter and Space select the feature as a click does", () => {
    const {lmap, stubs} = setup();
    key(lmap, "Enter");
    assert.deepEqual(stubs.setProps, []);  // nothing in focus yet
    key(lmap, "ArrowDown");
    key(lmap, "ArrowDown");
    key(lmap, "Enter");
    key(lmap, " ");
    assert.deepEqual(plain(stubs.setProps), [["atlas-selected", {data: "beijing_west"}],
                                             ["atlas-selected", {data: "beijing_west"}]]);
  });

  test("Escape clears the selection and returns to the theme's view", () => {
    const {lmap, stubs, focus} = setup({selected: "beijing_west"});
    key(lmap, "ArrowDown");
    const ev = key(lmap, "Escape");
    assert.equal(ev.propagationStopped, true);  // atlas.js's document Escape would clear again
    assert.deepEqual(plain(stubs.setProps), [
      ["atlas-selected", {data: null}],
      ["atlas-map", {viewport: {center: [39.8, 116.36], zoom: 10, transition: "flyTo"}}]]);
    assert.equal(focus.textContent, "");
    assert.deepEqual(lmap.drawn.filter((d) => d.on), []);
  });

  test("Shift+arrows, modified keys and keys aimed elsewhere are left to others", () => {
    const {lmap, focus} = setup();
    for (const ev of [key(lmap, "ArrowDown", {shiftKey: true}), key(lmap, "ArrowDown", {ctrlKey: true}),
                      key(lmap, "ArrowDown", {target: element({id: "zoom-in"})}), key(lmap, "+"), key(lmap, "Tab")]) {
      assert.equal(ev.defaultPrevented, false);
      assert.equal(ev.propagationStopped, false);
    }
    assert.equal(focus.textContent, "");
  });

  test("an empty map says so", () => {
    const {lmap, focus} = setup({layers: [layer(BOUNDARY)], lang: "en"});
    key(lmap, "ArrowDown");
    assert.equal(focus.textContent, "No features on the map");
  });

  test("when the layers are rebuilt the ring follows its feature, or goes with it", async () => {
    const {window, lmap, list} = setup();
    lmap.container.listeners.find((l) => l.type === "focus").fn();
    await Promise.resolve();
    assert.equal(list[0].el.getAttribute("tabindex"), "-1");  // swept on focus
    key(lmap, "ArrowDown");  // Beijing Fengtai
    const fresh = layer(FENGTAI, {getLatLng: () => ({lat: 39.85, lng: 116.29})});
    list.splice(1, 1, fresh);
    lmap.fire("layeradd", {layer: fresh});
    await Promise.resolve();
    const ring = lmap.drawn.filter((d) => d.on && d.kind === "ring")[0];
    assert.deepEqual(plain(ring.a), {lat: 39.85, lng: 116.29});
    // the year moves to one before the station existed in the list: it leaves the map
    list.splice(1, 1);
    window.dash_clientside.atlas.mapKeys(CONFIG, "hubs", 2025, ["hubs"], null, "zh");
    await Promise.resolve();
    assert.deepEqual(lmap.drawn.filter((d) => d.on), []);
    assert.equal(nav(window).current(), null);
  });

  test("leaving the map hides the ring; coming back shows it again", async () => {
    const {lmap} = setup();
    const on = (type) => lmap.container.listeners.find((l) => l.type === type).fn();
    on("focus");
    key(lmap, "ArrowDown");
    on("blur");
    assert.deepEqual(lmap.drawn.filter((d) => d.on), []);
    on("focus");
    await Promise.resolve();
    assert.equal(lmap.drawn.filter((d) => d.on && d.kind === "ring").length, 2);
  });
});
