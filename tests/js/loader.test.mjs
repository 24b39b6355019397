// The loader itself, the scripts' footprint on `window`, and atlas.js's Escape key.
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {element, loadAssets, NO_UPDATE, ROOT, stubsOf} from "./load-assets.mjs";

/** Names matched by `pattern` (first group) in the Python files under `dirs`. */
function referencedFromPython(dirs, pattern) {
  const names = new Set();
  for (const dir of dirs) {
    for (const file of readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith(".py"))) {
      const text = readFileSync(path.join(ROOT, dir, file), "utf8");
      for (const match of text.matchAll(pattern)) { names.add(match[1]); }
    }
  }
  return [...names].sort();
}

describe("loading the assets", () => {
  test("every function the Python refers to exists after both scripts ran (in Dash's order)", () => {
    const window = loadAssets();
    // ClientsideFunction("atlas", "<name>") in callbacks/ and layout/
    const clientside = referencedFromPython(["callbacks", "layout"],
      /ClientsideFunction\(\s*["']atlas["']\s*,\s*["'](\w+)["']/g);
    // {"variable": "atlas.map.<name>"} (layout/mapview.py _js("<name>")), anywhere in layout/
    const leaflet = referencedFromPython(["layout"], /(?:_js\(\s*["']|atlas\.map\.)(\w+)/g);
    assert.ok(clientside.length >= 10 && clientside.includes("kioskInit"), String(clientside));
    assert.ok(leaflet.length >= 7 && leaflet.includes("placeMarker"), String(leaflet));
    for (const name of clientside) {
      assert.equal(typeof window.dash_clientside.atlas[name], "function", `dash_clientside.atlas.${name}`);
    }
    for (const name of leaflet) {
      assert.equal(typeof window.atlas.map[name], "function", `atlas.map.${name}`);
    }
    assert.equal(typeof window.atlas.map.statusAt, "function");
    assert.equal(typeof window.atlasKiosk.init, "function");
  });

  test("Dash's own dash_clientside members survive the scripts replacing the object", () => {
    const window = loadAssets();
    assert.equal(window.window, window);
    assert.equal(window.dash_clientside.no_update, NO_UPDATE);
    window.dash_clientside.set_props("x", {y: 1});
    assert.deepEqual(stubsOf(window).setProps, [["x", {y: 1}]]);
    assert.deepEqual(Object.keys(window.dash_clientside.callback_context), ["triggered"]);
  });

  test("the scripts add only window.atlas, window.atlasKiosk and dash_clientside.atlas", () => {
    const bare = loadAssets({files: []});
    const before = new Set(Object.getOwnPropertyNames(bare));
    const window = loadAssets();
    const added = Object.getOwnPropertyNames(window).filter((n) => !before.has(n)).sort();
    assert.deepEqual(added, ["atlas", "atlasKiosk"]);
    assert.deepEqual(Object.keys(window.dash_clientside).sort(),
      ["atlas", "callback_context", "no_update", "set_props"]);
    assert.deepEqual(Object.keys(window.atlas).sort(), ["compare", "inset", "labels", "map", "panels", "userLayers", "views"]);
  });

  test("each load is a fresh context", () => {
    const a = loadAssets();
    const b = loadAssets({search: "?kiosk=1"});
    assert.notEqual(a.atlas.map, b.atlas.map);
    a.atlasKiosk.index = 2;
    assert.equal(b.atlasKiosk.index, 0);
    assert.equal(a.location.search, "");
    assert.equal(b.location.search, "?kiosk=1");
  });
});

describe("Escape (atlas.js)", () => {
  test("closes an open source dialog first", () => {
    const close = element({id: "atlas-source-close"});
    const clear = element({id: "atlas-clear"});
    const window = loadAssets({elements: {
      "atlas-source-close": close,
      "atlas-source-dialog": element({id: "atlas-source-dialog", hidden: false}),
      "atlas-clear": clear,
    }});
    stubsOf(window).fire("keydown", {key: "Escape"});
    assert.equal(close.clicks, 1);
    assert.equal(clear.clicks, 0);
  });

  test("otherwise clears the selection", () => {
    const close = element({id: "atlas-source-close"});
    const clear = element({id: "atlas-clear"});
    const window = loadAssets({elements: {
      "atlas-source-close": close,
      "atlas-source-dialog": element({id: "atlas-source-dialog", hidden: true}),
      "atlas-clear": clear,
    }});
    stubsOf(window).fire("keydown", {key: "Escape"});
    assert.equal(close.clicks, 0);
    assert.equal(clear.clicks, 1);
  });

  test("other keys, and pages without the buttons, are left alone", () => {
    const clear = element({id: "atlas-clear"});
    const window = loadAssets({elements: {"atlas-clear": clear}});
    stubsOf(window).fire("keydown", {key: "Enter"});
    assert.equal(clear.clicks, 0);
    assert.doesNotThrow(() => stubsOf(loadAssets()).fire("keydown", {key: "Escape"}));
  });
});
