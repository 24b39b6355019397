// window.atlas.labels: the pure part of the map's names (assets/atlas.js): candidate boxes and
// the greedy collision rule that decides which names show. Boxes are {x, y, w, h} in pixels.
import assert from "node:assert/strict";
import {beforeEach, describe, test} from "node:test";
import {loadAssets, plain} from "./load-assets.mjs";

let labels;
beforeEach(() => { labels = loadAssets().atlas.labels; });

const box = (x, y, w = 40, h = 16) => ({x, y, w, h});
const FRAME = box(0, 0, 800, 600);

function shown(decisions) {
  return plain(decisions).filter((d) => d.shown).map((d) => d.key);
}

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe("placeLabels: the collision rule", () => {
  test("of two overlapping labels the lower rank (placed first) shows, the other hides", () => {
    const items = [
      {key: "city", rank: 4, candidates: [box(100, 100)]},
      {key: "station", rank: 2, candidates: [box(110, 105)]},
    ];
    const decisions = plain(labels.place(items, [], FRAME, 0));
    assert.deepEqual(decisions.map((d) => [d.key, d.shown, d.reason]),
      [["city", false, "collides"], ["station", true, "shown"]]);
    assert.deepEqual(decisions[1].box, box(110, 105));
    assert.equal(decisions[0].candidate, -1);
    assert.equal(decisions[0].box, null);
  });

  test("equal ranks go in the given order; labels apart both show", () => {
    const items = [
      {key: "a", rank: 3, candidates: [box(0, 0)]},
      {key: "b", rank: 3, candidates: [box(20, 0)]},
      {key: "c", rank: 3, candidates: [box(200, 0)]},
    ];
    assert.deepEqual(shown(labels.place(items, [], FRAME, 0)), ["a", "c"]);
  });

  test("the selected feature's label wins over every rank, Fengtai's included", () => {
    const items = [
      {key: "fengtai", rank: 1, force: true, candidates: [box(100, 100), box(300, 300)]},
      {key: "station", rank: 2, candidates: [box(100, 100)]},
      {key: "chosen line", rank: 5, selected: true, candidates: [box(105, 100)]},
    ];
    const decisions = plain(labels.place(items, [], FRAME, 0));
    assert.deepEqual(shown(decisions), ["fengtai", "chosen line"]);
    assert.equal(decisions[0].candidate, 1);  // Fengtai moved to its free second position
    assert.deepEqual(decisions[2].box, box(105, 100));
  });

  test("a label takes its first candidate that is free: a later one when the first is taken", () => {
    const items = [
      {key: "first", rank: 1, candidates: [box(100, 100)]},
      {key: "second", rank: 2, candidates: [box(110, 100), box(70, 100), box(100, 130)]},
    ];
    const decisions = plain(labels.place(items, [], FRAME, 0));
    assert.equal(decisions[1].shown, true);
    assert.equal(decisions[1].candidate, 2);  // right and left overlap "first"; below is free
    assert.deepEqual(decisions[1].box, box(100, 130));
  });

  test("no label covers a marker box (its own or another's): it moves, or hides", () => {
    const markers = [box(95, 95, 18, 18), box(150, 95, 18, 18)];
    const items = [
      {key: "boxed in", rank: 2, candidates: [box(110, 96), box(100, 100)]},
      {key: "free below", rank: 2, candidates: [box(120, 100), box(90, 120)]},
    ];
    const decisions = plain(labels.place(items, markers, FRAME, 0));
    assert.deepEqual(decisions.map((d) => [d.key, d.reason, d.candidate]),
      [["boxed in", "collides", -1], ["free below", "shown", 1]]);
  });

  test("pad keeps a gap: touching boxes collide when a pad is asked for", () => {
    const items = [
      {key: "a", rank: 1, candidates: [box(0, 0)]},
      {key: "b", rank: 2, candidates: [box(41, 0)]},
    ];
    assert.deepEqual(shown(labels.place(items, [], FRAME, 0)), ["a", "b"]);
    assert.deepEqual(shown(labels.place(items, [], FRAME, 2)), ["a"]);
  });

  test("labels stay inside the frame; no candidate inside means 'outside'", () => {
    const items = [
      {key: "edge", rank: 1, candidates: [box(790, 10), box(740, 10)]},
      {key: "away", rank: 1, candidates: [box(-100, -100)]},
    ];
    const decisions = plain(labels.place(items, [], FRAME, 0));
    assert.deepEqual(decisions.map((d) => [d.reason, d.candidate]), [["shown", 1], ["outside", -1]]);
  });

  test("a repeated name (same `same`) shows once", () => {
    const items = [
      {key: "line:1", rank: 5, same: "name:京雄城际铁路", candidates: [box(0, 0)]},
      {key: "line:2", rank: 5, same: "name:京雄城际铁路", candidates: [box(300, 300)]},
      {key: "place", rank: 4, same: "name:保定市", candidates: [box(500, 500)]},
    ];
    assert.deepEqual(plain(labels.place(items, [], FRAME, 0)).map((d) => d.reason),
      ["shown", "repeat", "shown"]);
  });

  test("a label never sits on the segments it must keep clear of (a line's name)", () => {
    const line = [{x1: 0, y1: 108, x2: 400, y2: 108}];  // horizontal, through y = 108
    const items = [{key: "line", rank: 5, clear: line,
      candidates: [box(100, 100), box(100, 80), box(100, 112)]}];
    const decisions = plain(labels.place(items, [], FRAME, 2));
    assert.equal(decisions[0].candidate, 1);  // above the line, 12 px clear of it
  });

  test("a forced label (Fengtai) shows even boxed in, where it overlaps least", () => {
    const markers = [box(100, 100, 40, 16), box(300, 300, 10, 10)];
    const items = [{key: "fengtai", rank: 1, force: true,
      candidates: [box(100, 100), box(295, 295), box(-50, 0)]}];
    const [d] = plain(labels.place(items, markers, FRAME, 0));
    assert.deepEqual([d.shown, d.reason, d.candidate], [true, "forced", 1]);
  });

  test("decisions never overlap, whatever the input (a dense random field)", () => {
    let seed = 7;
    const rand = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const markers = Array.from({length: 120}, () => box(rand() * 780, rand() * 580, 18, 18));
    const items = markers.map((m, i) => ({
      key: "p" + i, rank: 2 + (i % 4), selected: i === 17,
      candidates: labels.aroundPoint(m.x + 9, m.y + 9, 9, 40 + rand() * 80, 16),
    }));
    const decisions = plain(labels.place(items, markers, FRAME, 2));
    const boxes = decisions.filter((d) => d.shown).map((d) => d.box);
    assert.ok(boxes.length > 10 && boxes.length < markers.length, `${boxes.length} shown`);
    assert.equal(decisions[17].shown, true);
    for (let i = 0; i < boxes.length; i++) {
      for (const m of markers) { assert.ok(!overlaps(boxes[i], m)); }
      for (let j = i + 1; j < boxes.length; j++) { assert.ok(!overlaps(boxes[i], boxes[j])); }
    }
  });
});

describe("candidate boxes", () => {
  test("aroundPoint: right, left, above, below, then the corners, all clear of the marker", () => {
    const c = plain(labels.aroundPoint(100, 100, 9, 40, 16));
    assert.deepEqual(c.slice(0, 4), [box(112, 92), box(48, 92), box(80, 72), box(80, 112)]);
    assert.equal(c.length, 8);
    const marker = box(91, 91, 18, 18);
    for (const b of c) { assert.ok(!overlaps(b, marker), JSON.stringify(b)); }
  });

  test("alongLine: beside the line's middle first, upper side first, clear of the line", () => {
    const c = plain(labels.alongLine([[0, 100], [400, 100]], 4, 60, 14, FRAME));
    assert.deepEqual(c[0], box(170, 81, 60, 14));   // above the middle
    assert.deepEqual(c[1], box(170, 105, 60, 14));  // below it
    for (const b of c) { assert.ok(!labels.crosses(b, {x1: 0, y1: 100, x2: 400, y2: 100}, 2)); }
    const upright = plain(labels.alongLine([[100, 0], [100, 400]], 4, 60, 14, FRAME));
    assert.deepEqual(upright[0], box(105, 193, 60, 14));  // right of an upright line first
  });

  test("alongLine: only points inside the frame, none for a line of no length", () => {
    const c = plain(labels.alongLine([[-600, 100], [200, 100]], 4, 60, 14, FRAME));
    assert.ok(c.length > 0 && c.length < 18);
    assert.deepEqual(plain(labels.alongLine([[5, 5], [5, 5]], 4, 60, 14, FRAME)), []);
  });

  test("aroundArea: the centre, then steps of its own size outwards in eight directions", () => {
    const c = plain(labels.aroundArea(100, 100, 40, 20, [1, 2]));
    assert.deepEqual(c[0], box(80, 90, 40, 20));
    assert.equal(c.length, 17);
    assert.deepEqual(c[1], box(80, 112, 40, 20));  // below, 2 px clear of the centre box
    assert.deepEqual(c[3], box(122, 90, 40, 20));  // right, 2 px clear
    assert.deepEqual(c[9], box(80, 132, 40, 20));  // below, a size further
  });

  test("lineName drops a bracketed section, keeps other brackets", () => {
    assert.equal(labels.lineName("京雄城际铁路（北京西—大兴机场段）"), "京雄城际铁路");
    assert.equal(labels.lineName("京雄高速公路（河北段）"), "京雄高速公路");
    assert.equal(labels.lineName("Beijing–Xiong'an Expressway (Hebei section)"),
      "Beijing–Xiong'an Expressway");
    assert.equal(labels.lineName("Beijing–Xiong'an intercity railway (Beijing West–Daxing Airport)"),
      "Beijing–Xiong'an intercity railway");
    assert.equal(labels.lineName("京雄快线（R1线）"), "京雄快线（R1线）");
    assert.equal(labels.lineName("Beijing–Guangzhou railway (conventional)"),
      "Beijing–Guangzhou railway (conventional)");
  });
});
