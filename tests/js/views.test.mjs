// window.atlas.views (assets/views.js): the map's view applied to its features in place. A fake
// Leaflet map and fake layers stand in for Leaflet; the style functions are the real ones.
import assert from "node:assert/strict";
import {beforeEach, describe, test} from "node:test";
import {loadAssets, plain} from "./load-assets.mjs";
import {feature, hideout, STYLE} from "./helpers.mjs";

// A station open from 2019, a flow from 2017 (arc and head), a road under construction in 2018
// and open from 2021.
const station = {id: "daxing_station", name_zh: "大兴站", name_en: "Daxing Station", kind: "station",
  layer: "hubs", location_accuracy: "exact", tl: [[2019, "open"]], att: []};
const arc = {id: "flow_a", layer: "relocation", kind: "relocation", direction: "out",
  from_year: 2017, value_year: 2019, value: 10, width: 6, label_zh: "甲 → 乙",
  label_en: "A → B", part: "arc"};
const road = {id: "jingxiong_expressway", name_zh: "京雄高速", name_en: "Beijing–Xiong'an Expressway",
  kind: "expressway", layer: "corridor", schematic: false, width: 4,
  tl: [[2018, "under_construction"], [2021, "open"]], att: []};

function fakeMap(id = "atlas-map") {
  const on = new Set();
  const fired = [];
  return {
    on, fired,
    getContainer: () => ({id, isConnected: true}),
    hasLayer: (layer) => on.has(layer),
    addLayer(layer) { on.add(layer); layer._map = this; },
    removeLayer(layer) { on.delete(layer); layer._map = null; },
    fire(type) { fired.push(type); },
  };
}

function fakeLayer(properties, lmap) {
  const classes = new Set(["leaflet-interactive"]);
  const layer = {
    feature: feature(properties),
    options: {},
    styles: [],
    tooltip: null,
    _eventParents: {7: {}},  // held by its GeoJSON group
    getElement: () => ({classList: {add: (c) => classes.add(c), remove: (c) => classes.delete(c)}}),
    classes,
    setStyle(o) { layer.styles.push(o); Object.assign(layer.options, o); },
    getTooltip: () => layer.tooltip,
    setTooltipContent(node) { layer.tooltip = node.textContent; },
    getLatLngs: () => [[39, 116], [39.1, 116.1]],
  };
  lmap.addLayer(layer);  // Leaflet adds every feature the GeoJSON makes
  return layer;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

let window, views, lmap;
beforeEach(() => {
  window = loadAssets();
  window.L.polyline = (latlngs, options) => ({
    options, _map: null,
    setStyle(o) { Object.assign(this.options, o); },
    addTo(m) { this._map = m; return this; },
    remove() { this._map = null; },
  });
  views = window.atlas.views;
  lmap = fakeMap();
});

function adopt(properties, styleName, options = {}) {
  const context = {map: lmap, hideout: hideout(options)};
  const layer = fakeLayer(properties, lmap);
  const style = window.atlas.map[styleName](layer.feature, context);
  layer.options = {...style};
  style.className.split(" ").forEach((c) => layer.classes.add(c));
  views.adopt(layer, context, styleName);
  return layer;
}

describe("views (in-place restyle)", () => {
  test("what the first view hides leaves the map in the task that drew it", async () => {
    const s = adopt(station, "placeStyle", {year: 2018});
    const f = adopt(arc, "flowStyle", {year: 2018});
    assert.equal(lmap.hasLayer(s), true);  // Leaflet drew both
    await tick();
    assert.equal(lmap.hasLayer(s), false);  // the station opens in 2019
    assert.equal(lmap.hasLayer(f), true);
    assert.deepEqual(s.styles, []);  // nothing restyled: drawn for the view in force
  });

  test("show() restyles the shown features and moves their status class", async () => {
    const s = adopt(station, "placeStyle", {year: 2018});
    await tick();
    views.show("atlas-map", {year: 2020, layers: hideout().layers, selected: "daxing_station",
      lang: "zh"});
    assert.equal(lmap.hasLayer(s), true);
    assert.equal(s.styles.length, 1);
    assert.equal(s.styles[0].radius, STYLE.place.radius + STYLE.place.selectedExtra);
    assert.ok(s.classes.has("atlas-status-open"));
    assert.ok(!s.classes.has("atlas-status-null"));
    assert.deepEqual(lmap.fired, ["atlasview"]);
    // The same view again restyles nothing.
    views.show("atlas-map", {year: 2020, layers: hideout().layers, selected: "daxing_station",
      lang: "zh"});
    assert.equal(s.styles.length, 1);
  });

  test("a layer switched off leaves the map; switched on, it comes back", async () => {
    const s = adopt(station, "placeStyle", {year: 2026});
    await tick();
    views.show("atlas-map", {year: 2026, layers: ["corridor"], selected: null, lang: "zh"});
    assert.equal(lmap.hasLayer(s), false);
    views.show("atlas-map", {year: 2026, layers: ["hubs"], selected: null, lang: "zh"});
    assert.equal(lmap.hasLayer(s), true);
  });

  test("a road's white core follows its status dash, and goes with its road", async () => {
    const r = adopt(road, "lineStyle", {year: 2019});
    r._atlasInner = window.L.polyline([], {...r.options.inner});
    r._atlasInner.addTo(lmap);
    await tick();
    assert.equal(r._atlasInner.options.dashArray, STYLE.dash.under_construction);
    views.show("atlas-map", {year: 2022, layers: ["corridor"], selected: null, lang: "zh"});
    assert.equal(r._atlasInner.options.dashArray, null);
    assert.equal(r.options.dashArray, null);
    assert.equal(r._atlasInner._map, lmap);
  });

  test("a language change rewrites tooltips as text", async () => {
    const s = adopt(station, "placeStyle", {year: 2026, lang: "zh"});
    s.tooltip = "大兴站";
    await tick();
    views.show("atlas-map", {year: 2026, layers: ["hubs"], selected: null, lang: "en"});
    assert.equal(s.tooltip, "Daxing Station");
  });

  test("a view shown before the map drew anything is taken up when it does", async () => {
    views.show("atlas-map", {year: 2014, layers: ["hubs"], selected: null, lang: "en"});
    const s = adopt(station, "placeStyle", {year: 2026});
    await tick();
    assert.equal(lmap.hasLayer(s), false);  // 2014: not open yet
    assert.deepEqual(plain(views.viewOf({map: lmap, hideout: hideout()})),
      {style: STYLE, year: 2014, layers: ["hubs"], selected: null, lang: "en"});
  });

  test("features their GeoJSON let go (a redraw) are never shown again", async () => {
    const s = adopt(station, "placeStyle", {year: 2026});
    await tick();
    lmap.removeLayer(s);
    s._eventParents = {};
    views.show("atlas-map", {year: 2025, layers: ["hubs"], selected: null, lang: "zh"});
    assert.equal(lmap.hasLayer(s), false);
    assert.deepEqual(s.styles, []);
  });

  test("without a map, the style functions read the layer's own hideout", () => {
    const h = hideout({year: 2019});
    assert.equal(views.viewOf({hideout: h}), h);
    assert.equal(views.viewOf({map: fakeMap("other"), hideout: h}), h);
  });
});
