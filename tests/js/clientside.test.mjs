// window.dash_clientside.atlas.*: the clientside callbacks registered in callbacks/*.py.
import assert from "node:assert/strict";
import {beforeEach, describe, test} from "node:test";
import {element, loadAssets, NO_UPDATE, plain, stubsOf} from "./load-assets.mjs";
import {fixture, hideout} from "./helpers.mjs";

const PLAY_SPEEDS = {slow: 2000, normal: 1200, fast: 600};  // layout/common.py
const TEXTS = fixture("client-text.json");  // layout/texts.py client_texts()

let window, cs, stubs;
beforeEach(() => {
  window = loadAssets();
  cs = window.dash_clientside.atlas;
  stubs = stubsOf(window);
});

describe("boundaryHideout", () => {
  test("no_update when neither the selection nor the language changed", () => {
    const current = {...hideout({lang: "zh"}), selected: null};
    assert.equal(cs.boundaryHideout(null, "zh", current), NO_UPDATE);
    assert.equal(cs.boundaryHideout(undefined, "zh", current), NO_UPDATE);
    assert.equal(cs.boundaryHideout("", "zh", current), NO_UPDATE);
    const chosen = {...current, selected: "110106"};
    assert.equal(cs.boundaryHideout("110106", "zh", chosen), NO_UPDATE);
  });

  test("a new hideout when the selection or the language changed", () => {
    const current = hideout({year: 2020, lang: "zh"});
    assert.deepEqual(plain(cs.boundaryHideout("110106", "zh", current)),
      {...hideout({year: 2020, lang: "zh"}), selected: "110106"});
    assert.deepEqual(plain(cs.boundaryHideout(null, "en", current)),
      {...hideout({year: 2020, lang: "zh"}), lang: "en"});
    const chosen = {...current, selected: "110106"};
    assert.equal(plain(cs.boundaryHideout("", "zh", chosen)).selected, null);
    assert.equal(current.selected, null);  // not mutated
  });

  test("without a current hideout", () => {
    assert.deepEqual(plain(cs.boundaryHideout("110106", "en", null)), {selected: "110106", lang: "en"});
    assert.deepEqual(plain(cs.boundaryHideout(undefined, "zh", undefined)), {selected: null, lang: "zh"});
  });
});

describe("writeUrl", () => {
  test("a canonical query, written with replaceState under the page's path", () => {
    window.location.pathname = "/atlas/";
    const q = cs.writeUrl("hubs", 2022, ["hubs", "corridor"], "beijing_fengtai", "en",
      [39.8612345, 116.33], 12);
    assert.equal(q, "?theme=hubs&year=2022&layers=hubs,corridor&lang=en&sel=beijing_fengtai"
      + "&view=39.8612,116.3300,12");
    assert.deepEqual(stubs.history, [[null, "", "/atlas/" + q]]);
    assert.equal(window.location.search, q);
  });

  test("no selection, no layers, no view", () => {
    const q = cs.writeUrl("overview", 2014, null, null, "zh", null, null);
    assert.equal(q, "?theme=overview&year=2014&layers=&lang=zh");
    assert.equal(cs.writeUrl("overview", 2014, [], "", "zh", [39, 116], undefined),
      "?theme=overview&year=2014&layers=&lang=zh");
  });

  test("view: 4 decimals, zoom rounded, {lat, lng} centres, zoom 0 kept", () => {
    assert.equal(cs.writeUrl("hubs", 2020, ["hubs"], null, "zh", {lat: 39.25, lng: 116.45}, 8.6),
      "?theme=hubs&year=2020&layers=hubs&lang=zh&view=39.2500,116.4500,9");
    assert.equal(cs.writeUrl("hubs", 2020, ["hubs"], null, "zh", [-33.86786, 151.20732], 0),
      "?theme=hubs&year=2020&layers=hubs&lang=zh&view=-33.8679,151.2073,0");
    assert.equal(cs.writeUrl("hubs", 2020, ["hubs"], null, "zh", [39.9, 116.4], 12.4),
      "?theme=hubs&year=2020&layers=hubs&lang=zh&view=39.9000,116.4000,12");
  });

  test("kiosk=1 in the current address is kept (before the view); other kiosk values are not", () => {
    window.location.search = "?kiosk=1&theme=overview";
    assert.equal(cs.writeUrl("hubs", 2026, ["hubs"], "beijing_west", "zh", [39.86, 116.33], 12),
      "?theme=hubs&year=2026&layers=hubs&lang=zh&sel=beijing_west&kiosk=1&view=39.8600,116.3300,12");
    // the new address still says kiosk=1, so it is kept on the next write too
    assert.equal(cs.writeUrl("hubs", 2025, ["hubs"], null, "zh", null, null),
      "?theme=hubs&year=2025&layers=hubs&lang=zh&kiosk=1");

    const other = loadAssets({search: "?kiosk=0"});
    assert.equal(other.dash_clientside.atlas.writeUrl("hubs", 2025, ["hubs"], null, "zh"),
      "?theme=hubs&year=2025&layers=hubs&lang=zh");
  });

  test("values are URL-encoded (commas between layers stay readable)", () => {
    assert.equal(cs.writeUrl("hubs", 2020, ["hubs"], "a&b c,d", "zh"),
      "?theme=hubs&year=2020&layers=hubs&lang=zh&sel=a%26b+c,d");
  });

  test("replaceState only when the address changes", () => {
    const args = ["hubs", 2022, ["hubs"], null, "zh", [39.86, 116.33], 12];
    const q = cs.writeUrl(...args);
    assert.equal(stubs.history.length, 1);
    assert.equal(cs.writeUrl(...args), q);
    assert.equal(stubs.history.length, 1);
    cs.writeUrl("hubs", 2023, ["hubs"], null, "zh", [39.86, 116.33], 12);
    assert.equal(stubs.history.length, 2);

    const fresh = loadAssets({search: q, pathname: "/x"});
    assert.equal(fresh.dash_clientside.atlas.writeUrl(...args), q);
    assert.deepEqual(stubsOf(fresh).history, []);
  });
});

describe("timeline", () => {
  // timeline(ticks, back, forward, year, loop, playing, min, max)
  test("step back: one year, clamped at min, also while playing", () => {
    stubs.trigger("atlas-step-back.n_clicks");
    assert.deepEqual(plain(cs.timeline(0, 1, 0, 2020, [], false, 2014, 2026)), [2019, NO_UPDATE]);
    assert.deepEqual(plain(cs.timeline(0, 1, 0, 2014, [], false, 2014, 2026)), [2014, NO_UPDATE]);
    assert.deepEqual(plain(cs.timeline(5, 2, 0, 2020, ["loop"], true, 2014, 2026)), [2019, NO_UPDATE]);
  });

  test("step forward: one year, clamped at max", () => {
    stubs.trigger("atlas-step-forward.n_clicks");
    assert.deepEqual(plain(cs.timeline(0, 0, 1, 2020, [], false, 2014, 2026)), [2021, NO_UPDATE]);
    assert.deepEqual(plain(cs.timeline(0, 0, 1, 2026, [], false, 2014, 2026)), [2026, NO_UPDATE]);
  });

  test("a tick while paused changes nothing", () => {
    stubs.trigger("atlas-ticker.n_intervals");
    assert.deepEqual(plain(cs.timeline(3, 0, 0, 2020, ["loop"], false, 2014, 2026)),
      [NO_UPDATE, NO_UPDATE]);
    assert.deepEqual(plain(cs.timeline(3, 0, 0, 2020, [], undefined, 2014, 2026)),
      [NO_UPDATE, NO_UPDATE]);
  });

  test("a tick while playing advances one year", () => {
    stubs.trigger("atlas-ticker.n_intervals");
    assert.deepEqual(plain(cs.timeline(3, 0, 0, 2014, [], true, 2014, 2026)), [2015, NO_UPDATE]);
    assert.deepEqual(plain(cs.timeline(3, 0, 0, 2025, [], true, 2014, 2026)), [2026, NO_UPDATE]);
  });

  test("at the end: back to the start when looping, otherwise stop playing", () => {
    stubs.trigger("atlas-ticker.n_intervals");
    assert.deepEqual(plain(cs.timeline(9, 0, 0, 2026, ["loop"], true, 2014, 2026)), [2014, NO_UPDATE]);
    assert.deepEqual(plain(cs.timeline(9, 0, 0, 2026, [], true, 2014, 2026)), [NO_UPDATE, false]);
    assert.deepEqual(plain(cs.timeline(9, 0, 0, 2026, null, true, 2014, 2026)), [NO_UPDATE, false]);
    assert.deepEqual(plain(cs.timeline(9, 0, 0, 2030, undefined, true, 2014, 2026)), [NO_UPDATE, false]);
  });

  test("no trigger at all is treated as a tick", () => {
    stubs.trigger();
    assert.deepEqual(plain(cs.timeline(1, 0, 0, 2020, [], true, 2014, 2026)), [2021, NO_UPDATE]);
  });
});

describe("play button and year label", () => {
  test("togglePlay flips the playing flag", () => {
    assert.equal(cs.togglePlay(1, false), true);
    assert.equal(cs.togglePlay(2, true), false);
    assert.equal(cs.togglePlay(1, undefined), true);
    assert.equal(cs.togglePlay(1, null), true);
  });

  test("playState: ticker on/off, interval by speed, icon and label by language", () => {
    assert.deepEqual(plain(cs.playState(true, "fast", "en", PLAY_SPEEDS, TEXTS)),
      [false, 600, "❚❚", "Pause", "Pause"]);
    assert.deepEqual(plain(cs.playState(false, "slow", "en", PLAY_SPEEDS, TEXTS)),
      [true, 2000, "▶", "Play", "Play"]);
    assert.deepEqual(plain(cs.playState(true, "normal", "zh", PLAY_SPEEDS, TEXTS)),
      [false, 1200, "❚❚", "暂停", "暂停"]);
    assert.deepEqual(plain(cs.playState(false, "normal", "zh", PLAY_SPEEDS, TEXTS)),
      [true, 1200, "▶", "播放", "播放"]);
  });

  test("playState: the words come from the CLIENT_TEXT store; other languages read Chinese", () => {
    const texts = {zh: {play: "P-zh", pause: "S-zh"}, en: {play: "P-en", pause: "S-en"}};
    assert.deepEqual(plain(cs.playState(false, "fast", "en", PLAY_SPEEDS, texts)),
      [true, 600, "▶", "P-en", "P-en"]);
    assert.deepEqual(plain(cs.playState(true, "fast", "fr", PLAY_SPEEDS, texts)),
      [false, 600, "❚❚", "S-zh", "S-zh"]);
  });

  test("playState: an unknown speed falls back to 1200 ms", () => {
    assert.equal(cs.playState(true, "warp", "zh", PLAY_SPEEDS, TEXTS)[1], 1200);
    assert.equal(cs.playState(true, undefined, "zh", {}, TEXTS)[1], 1200);
  });

  test("yearLabel is the year as text", () => {
    assert.equal(cs.yearLabel(2026), "2026");
    assert.equal(cs.yearLabel(2014), "2014");
  });
});

describe("view", () => {
  // view(theme, year, layers, selected, lang, center, zoom, keys) → [URL query, year label, key
  // hint]: one callback for everything the browser does on a view change, each part only when
  // one of its own inputs changed; the map's restyle goes to window.atlas.views.show.
  const args = ["hubs", 2021, ["hubs"], null, "zh", [39.8, 116.3], 10, null];
  let keyCalls, shown;
  beforeEach(() => {
    keyCalls = [];
    shown = [];
    window.dash_clientside.atlas.mapKeys = (...a) => { keyCalls.push(a); return "HINT"; };
    window.atlas.views.show = (...a) => { shown.push(plain(a)); };
  });

  test("a year step restyles the map, writes the link, labels the year and tells the keys", () => {
    stubs.trigger("atlas-year.value");
    const out = cs.view(...args);
    assert.equal(out.length, 3);
    assert.deepEqual(shown, [["atlas-map", {year: 2021, layers: ["hubs"], selected: null,
      lang: "zh"}]]);
    assert.equal(out[0], "?theme=hubs&year=2021&layers=hubs&lang=zh&view=39.8000,116.3000,10");
    assert.equal(out[1], "2021");
    assert.equal(out[2], "HINT");
    assert.deepEqual(keyCalls, [[null, "hubs", 2021, ["hubs"], null, "zh"]]);
  });

  test("the first call (nothing triggered) runs every part", () => {
    window.dash_clientside.callback_context = {triggered: []};
    const out = cs.view(...args);
    assert.equal(shown.length, 1);
    assert.equal(out[1], "2021");
    assert.equal(keyCalls.length, 1);
  });

  test("a pan only rewrites the link; a theme change leaves the layers' style alone", () => {
    stubs.trigger("atlas-map.center");
    assert.deepEqual(plain(cs.view(...args).map((x) => x === NO_UPDATE)), [false, true, true]);
    assert.equal(keyCalls.length, 0);
    stubs.trigger("atlas-theme.value");
    assert.deepEqual(plain(cs.view(...args).map((x) => x === NO_UPDATE)), [false, true, false]);
    stubs.trigger("atlas-map-keys.data");
    assert.deepEqual(plain(cs.view(...args).map((x) => x === NO_UPDATE)), [true, true, false]);
    assert.equal(shown.length, 0);
    for (const input of ["atlas-layers.value", "atlas-selected.data", "atlas-lang.data"]) {
      stubs.trigger(input);
      cs.view(...args);
    }
    assert.equal(shown.length, 3);
  });
});

describe("toggleExport", () => {
  // toggleExport(openClicks, closeClicks, hidden) → the export dialog's `hidden`
  test("the export button toggles the dialog", () => {
    stubs.trigger("atlas-export-open.n_clicks");
    assert.equal(cs.toggleExport(1, 0, true), false);
    assert.equal(cs.toggleExport(2, 0, false), true);
  });

  test("its close button (or anything else) hides it", () => {
    stubs.trigger("atlas-export-close.n_clicks");
    assert.equal(cs.toggleExport(1, 1, false), true);
    assert.equal(cs.toggleExport(1, 1, true), true);
    stubs.trigger();
    assert.equal(cs.toggleExport(1, 0, false), true);
    stubs.trigger("x-atlas-export-open.n_clicks");  // only the button itself opens it
    assert.equal(cs.toggleExport(1, 0, true), true);
  });
});

describe("source buttons", () => {
  // One click listener for the page (assets/atlas.js) writes the clicked button's source into
  // the source store; buttons re-created by a panel update run nothing.
  const BUTTON = JSON.stringify({key: "indicators:ind_001", type: "atlas-source-button"});
  const button = (id) => ({id, closest: (sel) => (sel === ".atlas-source-link" ? {id} : null)});
  const inside = (id) => ({closest: (sel) => (sel === ".atlas-source-link" ? {id} : null)});

  test("a click asks for that source, counting requests so it can reopen", () => {
    stubs.fire("click", {target: button(BUTTON)});
    stubs.fire("click", {target: inside(BUTTON)});  // on the text inside the button
    assert.deepEqual(plain(stubs.setProps), [
      ["atlas-source-request", {data: {key: "indicators:ind_001", n: 1}}],
      ["atlas-source-request", {data: {key: "indicators:ind_001", n: 2}}],
    ]);
  });

  test("a click elsewhere, or on a button whose id names no source, asks for nothing", () => {
    stubs.fire("click", {target: {closest: () => null}});
    stubs.fire("click", {target: null});
    stubs.fire("click", {target: button("atlas-clear")});
    stubs.fire("click", {target: button(JSON.stringify({type: "atlas-source-button", key: 7}))});
    stubs.fire("click", {target: button(JSON.stringify({type: "atlas-source-button", key: ""}))});
    assert.deepEqual(stubs.setProps, []);
  });

  test("no source request is a callback any more (nothing to run on a panel update)", () => {
    assert.equal(cs.sourceRequest, undefined);
  });
});

describe("viewBounds", () => {
  // Leaflet's own EPSG:3857 maths (SphericalMercator + Transformation), written independently.
  const R = 6378137;
  const D = Math.PI / 180;
  function leafletBounds(lat, lng, zoom, width, height) {
    const scale = 256 * Math.pow(2, zoom);
    const k = 0.5 / (Math.PI * R);
    const project = (la, ln) => [
      scale * (k * R * ln * D + 0.5),
      scale * (-k * R * Math.log(Math.tan(Math.PI / 4 + la * D / 2)) + 0.5),
    ];
    const unproject = (x, y) => {
      const mx = (x / scale - 0.5) / k;
      const my = (y / scale - 0.5) / -k;
      return [(2 * Math.atan(Math.exp(my / R)) - Math.PI / 2) / D, mx / R / D];
    };
    const [cx, cy] = project(lat, lng);
    const [south, west] = unproject(cx - width / 2, cy + height / 2);
    const [north, east] = unproject(cx + width / 2, cy - height / 2);
    return [west, south, east, north];
  }

  function close(actual, expected, tolerance = 1e-9) {
    assert.equal(actual.length, expected.length);
    actual.forEach((v, i) => {
      assert.ok(Math.abs(v - expected[i]) < tolerance,
        `coordinate ${i}: ${v} differs from ${expected[i]}`);
    });
  }

  test("the whole world at zoom 0 in a 256 px square", () => {
    stubs.elements["atlas-map"] = element({id: "atlas-map", clientWidth: 256, clientHeight: 256});
    const b = cs.viewBounds(1, [0, 0], 0);
    close(b, [-180, -85.0511287798066, 180, 85.0511287798066]);
  });

  test("Fengtai at zoom 12 in an 800×600 map matches Leaflet's projection", () => {
    stubs.elements["atlas-map"] = element({id: "atlas-map", clientWidth: 800, clientHeight: 600});
    const b = cs.viewBounds(1, [39.86, 116.33], 12);
    close(b, leafletBounds(39.86, 116.33, 12, 800, 600));
    close([b[2] - b[0]], [800 / (256 * 4096) * 360]);  // longitude span is linear in pixels
    assert.ok(b[1] < 39.86 && 39.86 < b[3]);
    close(b, [116.19267, 39.78089, 116.46733, 39.93902], 1e-5);  // rounded by hand
  });

  test("{lat, lng} centres and fractional zoom", () => {
    stubs.elements["atlas-map"] = element({id: "atlas-map", clientWidth: 1280, clientHeight: 720});
    close(cs.viewBounds(3, {lat: 39.25, lng: 116.45}, 8.5), leafletBounds(39.25, 116.45, 8.5, 1280, 720));
  });

  test("null without the map element, a centre or a zoom", () => {
    assert.equal(cs.viewBounds(1, [39.86, 116.33], 12), null);
    stubs.elements["atlas-map"] = element({id: "atlas-map", clientWidth: 800, clientHeight: 600});
    assert.equal(cs.viewBounds(1, null, 12), null);
    assert.equal(cs.viewBounds(1, [39.86, 116.33], null), null);
    assert.equal(cs.viewBounds(1, [39.86, 116.33], undefined), null);
    assert.notEqual(cs.viewBounds(1, [39.86, 116.33], 0), null);
  });
});
