// The JSON fixtures the JS tests use, as the Python side makes them today.
//
//   node tests/js/python-fixtures.mjs --write   rewrites tests/js/fixtures/*.json from the Python
//   (fixtures.test.mjs fails when a fixture no longer matches the Python; needs .venv)
//
// style-spec.json   core/style.py SPEC: layout/mapview.py hideout() puts it under hideout.style
// client-text.json  layout/texts.py client_texts(): the CLIENT_TEXT store (playState's `texts`)
// kiosk-config.json the KIOSK_CONFIG store as layout/__init__.py builds it (KioskSetup.to_json()
//                   plus healthUrl), for the first three scenes of kiosk/default_tour.yaml and
//                   idle_seconds=60; the kiosk tests rely on those scenes' durations and years.
import {spawnSync} from "node:child_process";
import {existsSync, writeFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {ROOT} from "./load-assets.mjs";

export const PYTHON = path.join(ROOT, ".venv", "bin", "python");
export const FIXTURES = path.join(ROOT, "tests", "js", "fixtures");

const SCRIPT = `
import json
from pathlib import Path
from core.style import SPEC
from core.tables import Tables
from core.tour import KioskSetup, load_tour
from geodata.load import load_atlas
from layout.texts import client_texts
from routes import HEALTH_URL

tables = Tables.from_atlas(load_atlas("geodata/atlas.gpkg"))
scenes = load_tour(Path("kiosk/default_tour.yaml"), (2014, 2026), tables.feature_ids(),
                   frozenset(tables.indicators["series"]), tables.feature_points())
kiosk = {**KioskSetup(scenes[:3], 60.0, None).to_json(), "healthUrl": HEALTH_URL}
print(json.dumps({"style-spec.json": SPEC, "client-text.json": client_texts(),
                  "kiosk-config.json": kiosk}, ensure_ascii=False))
`;

/** {fixture file name: value} from the Python, or {error} when it cannot be run. */
export function pythonFixtures() {
  if (!existsSync(PYTHON)) { return {error: `no ${PYTHON}`}; }
  const proc = spawnSync(PYTHON, ["-c", SCRIPT], {cwd: ROOT, encoding: "utf8"});
  if (proc.status !== 0) {
    return {error: (proc.stderr || "").trim().split("\n").at(-1) || `exit ${proc.status}`};
  }
  return {fixtures: JSON.parse(proc.stdout)};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== "--write") {
    process.stderr.write("usage: node tests/js/python-fixtures.mjs --write\n");
    process.exit(2);
  }
  const {fixtures, error} = pythonFixtures();
  if (error) {
    process.stderr.write(`cannot read the fixtures from Python: ${error}\n`);
    process.exit(1);
  }
  for (const [name, value] of Object.entries(fixtures)) {
    writeFileSync(path.join(FIXTURES, name), JSON.stringify(value, null, 2) + "\n");
    process.stdout.write(`wrote tests/js/fixtures/${name}\n`);
  }
}
