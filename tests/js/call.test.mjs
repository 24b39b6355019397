// tests/js/call.mjs: the batch runner a Python parity test drives.
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, describe, test} from "node:test";
import {ROOT} from "./load-assets.mjs";
import {hideout} from "./helpers.mjs";

const CALL = path.join(ROOT, "tests", "js", "call.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "atlas-call-"));
after(() => rmSync(dir, {recursive: true, force: true}));

function run(calls, name = "batch") {
  const input = path.join(dir, `${name}.in.json`);
  const output = path.join(dir, `${name}.out.json`);
  writeFileSync(input, JSON.stringify({calls}));
  const started = performance.now();
  const proc = spawnSync(process.execPath, [CALL, input, output], {encoding: "utf8"});
  const seconds = (performance.now() - started) / 1000;
  assert.equal(proc.status, 0, proc.stderr);
  return {results: JSON.parse(readFileSync(output, "utf8")).results, seconds};
}

const station = {id: "beijing_fengtai", name_zh: "北京丰台站", name_en: "Beijing Fengtai railway station",
  layer: "hubs", location_accuracy: "exact",
  tl: [[1895, "open"], [2010, "closed"], [2018, "under_construction"], [2022, "open"]]};

describe("node tests/js/call.mjs IN.json OUT.json", () => {
  test("one JSON result per call, in order", () => {
    const h = hideout({year: 2015, layers: ["hubs"], selected: "beijing_fengtai", lang: "en"});
    const {results} = run([
      {fn: "map.statusAt", args: [station.tl, 2015]},
      {fn: "map.visible", args: [{properties: station}, {hideout: h}]},
      {fn: "map.visible", args: [{properties: {...station, layer: "corridor"}}, {hideout: h}]},
      {fn: "map.placeMarker", args: [{properties: station}, [39.8498, 116.2946], {hideout: h}]},
      {fn: "map.featureTooltip", args: [{properties: station}, null, {hideout: h}]},
      {fn: "map.featureTooltip", args: [{properties: {...station, part: "head"}}, {}, {hideout: h}]},
      {fn: "map.boundaryLabel", args: [{properties: {name_en: "Fengtai", label: true, focus: true}},
        null, {hideout: h}]},
      {fn: "clientside.writeUrl", args: ["hubs", 2015, ["hubs"], null, "en", [39.86, 116.33], 12]},
      {fn: "clientside.writeUrl", args: ["hubs", 2015, ["hubs"], null, "en"], search: "?kiosk=1"},
      {fn: "clientside.writeUrl", args: ["hubs", 2015, ["hubs"], null, "en"]},  // search reset
      {fn: "clientside.boundaryHideout", args: [null, "zh", {selected: null, lang: "zh"}]},
      {fn: "clientside.timeline", args: [0, 1, 0, 2014, [], false, 2014, 2026],
        triggered: ["atlas-step-back.n_clicks"]},
      {fn: "clientside.timeline", args: [3, 0, 0, 2026, [], true, 2014, 2026]},  // trigger reset
      {fn: "clientside.togglePlay", args: [1, true]},
      {fn: "clientside.viewBounds", args: [1, [39.86, 116.33], 12]},  // no map element here
      {fn: "map.boundaryLabel", args: [{properties: {label: false}}, null, {hideout: h}]},
      {fn: "map.noSuchThing", args: []},
      {fn: "map.lineStyle", args: [{properties: {id: "x"}}, {}]},
    ]);
    assert.deepEqual(results, [
      "closed",
      true,
      false,
      {latlng: [39.8498, 116.2946], options: {
        pane: "places", className: "atlas-place atlas-place-beijing_fengtai atlas-status-closed",
        radius: 12, weight: 4, color: "#000000", dashArray: null, fillColor: "#6E6E6E",
        fillOpacity: 0.8}},
      {text: "Beijing Fengtai railway station", options: {direction: "top", sticky: true}},
      null,
      {text: "Fengtai", options: {permanent: true, direction: "center", interactive: false,
        className: "atlas-area-label atlas-focus"}},
      "?theme=hubs&year=2015&layers=hubs&lang=en&view=39.8600,116.3300,12",
      "?theme=hubs&year=2015&layers=hubs&lang=en&kiosk=1",
      "?theme=hubs&year=2015&layers=hubs&lang=en",
      {no_update: true},
      [2014, {no_update: true}],
      [{no_update: true}, false],
      false,
      null,
      null,
      {error: "Error: unknown function \"map.noSuchThing\" (use map.<name> or clientside.<name>)"},
      results.at(-1),
    ]);
    assert.match(results.at(-1).error, /^TypeError: /);  // a call that throws does not stop the batch
  });

  test("stdin and stdout with -", () => {
    const proc = spawnSync(process.execPath, [CALL, "-", "-"], {
      encoding: "utf8",
      input: JSON.stringify({calls: [{fn: "clientside.playState",
        args: [false, "fast", "en", {fast: 600}, {en: {play: "Play", pause: "Pause"}}]},
      {fn: "map.statusAt", args: [null, 2020]}]}),
    });
    assert.equal(proc.status, 0, proc.stderr);
    assert.deepEqual(JSON.parse(proc.stdout), {results: [[true, 600, "▶", "Play", "Play"], "open"]});
  });

  test("usage error without two arguments", () => {
    const proc = spawnSync(process.execPath, [CALL], {encoding: "utf8"});
    assert.equal(proc.status, 2);
    assert.match(proc.stderr, /usage/);
  });

  test("100,000 calls in a few seconds", (t) => {
    const h = hideout({year: 2020, layers: ["hubs", "relocation"], selected: "p7"});
    const calls = [];
    for (let i = 0; i < 25000; i++) {
      const p = {...station, id: "p" + i, tl: [[2000 + (i % 30), "open"]],
        location_accuracy: i % 2 ? "exact" : "stand_in"};
      calls.push({fn: "map.visible", args: [{properties: p}, {hideout: h}]});
      calls.push({fn: "map.placeMarker", args: [{properties: p}, [39.8, 116.3], {hideout: h}]});
      calls.push({fn: "clientside.writeUrl",
        args: ["hubs", 2000 + (i % 27), ["hubs"], i % 3 ? null : "p" + i, "zh", [39.8, 116.3], 9]});
      calls.push({fn: "clientside.timeline", args: [i, 0, 0, 2000 + (i % 27), ["loop"], true, 2014, 2026]});
    }
    const {results, seconds} = run(calls, "many");
    assert.equal(results.length, 100000);
    assert.equal(results[0], true);   // p0 opened in 2000
    assert.equal(results[4 * 29], false);  // p29 opens in 2029
    assert.equal(results[1].options.color, "#222222");
    assert.equal(results[5].options.color, "#FFFFFF");
    assert.deepEqual(results[4 * 26 + 3], [2014, {no_update: true}]);  // 2026 loops to 2014
    t.diagnostic(`100,000 calls took ${seconds.toFixed(1)} s`);
    // about 3 s on an idle 2-core machine; the bound only catches gross regressions (such as
    // loading the scripts per call) without failing on a busy machine
    assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
  });
});
