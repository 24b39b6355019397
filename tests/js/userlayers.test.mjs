// window.atlas.userLayers (assets/userlayers.js): the link's `user=` parameter (twin of
// uploads/link.py, checked against Python's output in tests/unit/test_uploads_link.py), the
// drawing URL, and the year filter of the point canvas (buckets sorted by year, a prefix shown).
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {loadAssets, plain} from "./load-assets.mjs";

const ID = "a".repeat(64);
const COLUMNS = [{name: "人口", kind: "number"}, {name: "kind", kind: "text"},
                 {name: "year", kind: "year"}];

describe("user layers", () => {
  test("encode writes the link's references, decode reads them", () => {
    const {atlas} = loadAssets();
    const entries = [
      {id: ID, columns: COLUMNS, style: {mode: "classes", column: "人口", method: "natural_breaks",
                                         k: 4, year_column: "year"}},
      {id: "b".repeat(64), columns: COLUMNS, style: {mode: "single", column: "kind",
                                                     method: "quantiles", k: 5, year_column: null}},
    ];
    const text = atlas.userLayers.encode(entries);
    assert.equal(text, `${ID}:c:n:4:0:2,${"b".repeat(64)}:s:q:5:-:-`);
    assert.deepEqual(plain(atlas.userLayers.decode(text))[0],
                     {id: ID, mode: "c", method: "n", k: "4", column: "0", year: "2"});
  });

  test("the drawing URL names the style by column name, escaped", () => {
    const {atlas} = loadAssets();
    const url = atlas.userLayers.drawingUrl({id: ID, style: {mode: "categories", column: "a&b=c",
                                                             method: "quantiles", k: 3}});
    assert.equal(url, `/_atlas/layers/${ID}?mode=categories&column=a%26b%3Dc&method=quantiles&k=3`);
  });

  test("points are bucketed by class and sorted by year; a year shows a prefix", () => {
    const {atlas} = loadAssets();
    const data = {x: [116, 116.1, 116.2, 116.3, 116.4], y: [39.8, 39.8, 39.9, 39.9, 40],
                  c: [0, 1, 0, 0, -1], t: [2020, 2015, null, 2016, 2030],
                  legend: {colors: ["#111111", "#222222"]}};
    const groups = atlas.userLayers.buckets(data);
    const zero = groups.find((g) => g.color === "#111111");
    assert.deepEqual(Array.from(zero.index), [2, 3, 0]);  // undated first, then 2016, 2020
    assert.equal(atlas.userLayers.upTo(zero.years, 2015), 1);
    assert.equal(atlas.userLayers.upTo(zero.years, 2016), 2);
    assert.equal(atlas.userLayers.upTo(zero.years, 2026), 3);
    const none = groups.find((g) => g.color === "#bdbdbd");  // no value: grey
    assert.equal(atlas.userLayers.upTo(none.years, 2026), 0);  // dated 2030: not yet
    // Web Mercator of a 256-pixel world: 116°E is at x = 256 * 296 / 360
    assert.ok(Math.abs(zero.mx[0] - 256 * (116.2 + 180) / 360) < 1e-9);
  });
});
