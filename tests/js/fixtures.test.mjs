// The JSON fixtures must be what the Python gives the browser today (see python-fixtures.mjs);
// skipped when the project's virtualenv is missing or cannot import the modules.
import assert from "node:assert/strict";
import {test} from "node:test";
import {fixture} from "./helpers.mjs";
import {pythonFixtures} from "./python-fixtures.mjs";

const python = pythonFixtures();
const skip = python.error ? `Python side unavailable: ${python.error}` : false;

for (const name of ["style-spec.json", "client-text.json", "kiosk-config.json"]) {
  test(`fixtures/${name} matches the Python`, {skip}, () => {
    assert.deepEqual(fixture(name), python.fixtures[name],
      `regenerate with: node tests/js/python-fixtures.mjs --write`);
  });
}
