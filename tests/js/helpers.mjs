// Shared fixtures for the JS unit tests.
//
// fixtures/style-spec.json is core/style.py SPEC as JSON (what layout/mapview.py hideout() puts
// under hideout.style). Regenerate it after changing core/style.py:
//   .venv/bin/python -c "from core.style import SPEC; import json; \
//     print(json.dumps(SPEC, ensure_ascii=False, indent=2))" > tests/js/fixtures/style-spec.json
// (fixtures.test.mjs fails when it no longer matches the Python.)
//
// fixtures/kiosk-config.json is core/tour.py KioskSetup(...).to_json() for the first three scenes
// of kiosk/default_tour.yaml with idle_seconds=60 and no public URL.
import {readFileSync} from "node:fs";
import path from "node:path";
import {ROOT} from "./load-assets.mjs";

export function fixture(name) {
  return JSON.parse(readFileSync(path.join(ROOT, "tests", "js", "fixtures", name), "utf8"));
}

export const STYLE = fixture("style-spec.json");

/** A layer's hideout as layout/mapview.py hideout() builds it. */
export function hideout({year = 2026, layers = ["hubs", "relocation", "corridor", "synergy", "services"],
  selected = null, lang = "zh"} = {}) {
  return {year, layers: [...layers], selected, lang, style: STYLE};
}

/** The `context` argument dash-leaflet passes to style/filter/pointToLayer functions. */
export function ctx(options) {
  return {hideout: hideout(options)};
}

export function feature(properties, geometry = null) {
  return {type: "Feature", properties, geometry};
}
