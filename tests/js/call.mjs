#!/usr/bin/env node
// Batch runner for Python↔JS parity tests: call functions of the browser scripts with JSON
// arguments and write their JSON results, loading the scripts once.
//
//   node tests/js/call.mjs IN.json OUT.json      ("-" for stdin / stdout)
//
// IN.json:  {"calls": [{"fn": "map.placeMarker", "args": [feature, latlng, context]}, ...]}
//   fn "map.X"        → window.atlas.map.X
//      "clientside.X" → window.dash_clientside.atlas.X
//   optional per call (each call starts from these defaults, so calls are independent):
//      "triggered": ["atlas-step-back.n_clicks", ...]  callback_context.triggered (default [])
//      "search": "?kiosk=1", "pathname": "/"           window.location (default "" and "/")
// OUT.json: {"results": [...]}, one per call, in order:
//   the return value as JSON; undefined → null (also inside objects); NaN/±Infinity → null;
//   dash_clientside.no_update → {"no_update": true};
//   map.placeMarker → the Leaflet stub's {"latlng": ..., "options": {...}};
//   map.boundaryLabel / map.featureTooltip (which bind a tooltip to their `layer` argument, whatever
//     is passed there) → {"text": <tooltip text>, "options": {...}}, or null when none is bound;
//   a call that throws → {"error": "TypeError: ..."}.
import {readFileSync, writeFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {loadAssets, NO_UPDATE, stubsOf} from "./load-assets.mjs";

const TOOLTIP_FUNCTIONS = new Set(["map.boundaryLabel", "map.featureTooltip"]);

function resolver(window) {
  const cache = new Map();
  return function resolve(name) {
    let fn = cache.get(name);
    if (fn) { return fn; }
    const dot = name.indexOf(".");
    const scope = name.slice(0, dot);
    const key = name.slice(dot + 1);
    const table = scope === "map" ? window.atlas.map
      : scope === "clientside" ? window.dash_clientside.atlas : null;
    if (!table || dot < 0 || !Object.prototype.hasOwnProperty.call(table, key)
        || typeof table[key] !== "function") {
      throw new Error(`unknown function ${JSON.stringify(name)} (use map.<name> or clientside.<name>)`);
    }
    fn = table[key];
    cache.set(name, fn);
    return fn;
  };
}

/** Run `calls` against a window made by loadAssets() (made here when not given). */
export function runCalls(calls, window = loadAssets()) {
  if (!Array.isArray(calls)) { throw new TypeError("\"calls\" must be a list"); }
  const stubs = stubsOf(window);
  const resolve = resolver(window);
  const results = new Array(calls.length);
  let triggered = true;  // whether callback_context may hold a trigger from the previous call
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i] || {};
    try {
      const fn = resolve(String(call.fn));
      const args = Array.isArray(call.args) ? call.args.slice() : [];
      stubs.location.search = call.search || "";
      stubs.location.pathname = call.pathname || "/";
      if (triggered || (call.triggered && call.triggered.length)) {
        const ids = (call.triggered || []).map((t) => (typeof t === "string" ? t : t.prop_id));
        stubs.trigger(...ids);
        triggered = ids.length > 0;
      }
      if (TOOLTIP_FUNCTIONS.has(call.fn)) {
        let bound = null;
        args[1] = {bindTooltip(content, options) { bound = {text: content.textContent, options}; }};
        fn(...args);
        results[i] = bound;
      } else {
        results[i] = fn(...args);
      }
    } catch (error) {
      results[i] = {error: `${error && error.name ? error.name : "Error"}: ${error && error.message}`};
    }
  }
  return results;
}

/** JSON text of {"results": results}, with the conventions described above. */
export function serialise(results) {
  return JSON.stringify({results}, (key, value) => {
    if (value === undefined) { return null; }
    if (value === NO_UPDATE) { return {no_update: true}; }
    if (typeof value === "function") { return null; }
    return value;
  });
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write("usage: node tests/js/call.mjs IN.json OUT.json  (\"-\" for stdin/stdout)\n");
    return 2;
  }
  const [input, output] = argv;
  const request = JSON.parse(readFileSync(input === "-" ? 0 : input, "utf8"));
  const text = serialise(runCalls(request.calls));
  if (output === "-") { process.stdout.write(text + "\n"); } else { writeFileSync(output, text); }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
