// assets/kiosk.js: the kiosk tour engine (window.atlasKiosk) started by the clientside callback
// dash_clientside.atlas.kioskInit(config), driven here by the loader's fake clock and events.
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {element, EPOCH_MS, loadAssets, NO_UPDATE, plain, stubsOf} from "./load-assets.mjs";
import {fixture} from "./helpers.mjs";

const CONFIG = fixture("kiosk-config.json");  // bridgehead (14 s), hubs (14 s), dahongmen-before (20 s)
const ALL_LAYERS = ["hubs", "relocation", "corridor", "synergy", "services"];

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A page with the given address, kioskInit(config, lang) called and its deferred start run. */
function start({search = "?kiosk=1", config = CONFIG, lang = "zh", elements = {}, fetch} = {}) {
  const window = loadAssets({search, elements, fetch});
  const stubs = stubsOf(window);
  const returned = window.dash_clientside.atlas.kioskInit(config, lang);
  stubs.clock.advance(0);
  return {window, stubs, K: window.atlasKiosk, returned};
}

function propsFor(stubs, id) {
  return stubs.setProps.filter(([target]) => target === id).map(([, props]) => plain(props));
}

function bar(name, duration, delay, state) {
  return {style: {animationName: name, animationDuration: duration, animationDelay: delay,
    animationPlayState: state}};
}

describe("kioskInit without ?kiosk=1", () => {
  test("returns no_update and schedules nothing when there is no config", () => {
    const window = loadAssets();
    assert.equal(window.dash_clientside.atlas.kioskInit(null, "zh"), NO_UPDATE);
    assert.equal(window.dash_clientside.atlas.kioskInit(undefined, "en"), NO_UPDATE);
    assert.deepEqual(stubsOf(window).clock.pending(), []);
    assert.deepEqual(stubsOf(window).setProps, []);
    assert.equal(window.atlasKiosk.config, null);
    assert.equal(window.atlasKiosk.lang, "en");
  });

  test("returns no_update and starts no tour; only the health poll runs", () => {
    const window = loadAssets({search: "?theme=hubs&year=2020"});
    const stubs = stubsOf(window);
    assert.equal(window.dash_clientside.atlas.kioskInit(CONFIG, "zh"), NO_UPDATE);
    assert.equal(window.atlasKiosk.config, null);  // deferred to a timer, after Dash's render
    stubs.clock.advance(0);

    const K = window.atlasKiosk;
    assert.equal(K.config, CONFIG);
    assert.equal(K.kiosk, false);
    assert.equal(K.state, "stopped");
    assert.deepEqual(stubs.setProps, []);
    assert.deepEqual([...stubs.classes], []);
    assert.deepEqual(plain(window.document.documentElement.dataset), {});
    // only atlas.js's source buttons and Escape handler, compare.js and flows.js listen;
    // kiosk.js added nothing
    assert.deepEqual(stubs.listeners.map((l) => [l.type, l.capture]), [
      ["click", false], ["keydown", false],
      // compare.js: the compare switch, the swipe's divider (pointer, keys), change-list lines
      ["change", false], ["pointerdown", false], ["keydown", false], ["click", false],
      // flows.js: the flow table's rows and the arcs they mark
      ["click", false], ["mouseover", false], ["mouseout", false], ["focusin", false],
      ["focusout", false],
    ]);
    assert.deepEqual(stubs.clock.pending().map((t) => [t.delay, t.repeat]), [[3000, true]]);

    stubs.clock.advance(60000);  // no tour ticks, no scene changes
    assert.deepEqual(stubs.setProps, []);
    assert.equal(stubs.fetches.length, 20);
    assert.equal(stubs.fetches[0][0], "/healthz");  // config.healthUrl
    assert.equal(stubs.fetches[0][1].cache, "no-store");

    assert.equal(window.dash_clientside.atlas.kioskInit(CONFIG, "en"), NO_UPDATE);  // language
    stubs.clock.advance(0);
    assert.equal(K.lang, "en");
    assert.deepEqual(stubs.setProps, []);
  });

  test("the health URL comes from the config", () => {
    const {stubs} = start({search: "", config: {...CONFIG, healthUrl: "/atlas/healthz"}});
    stubs.clock.advance(3000);
    assert.deepEqual(stubs.fetches.map(([url]) => url), ["/atlas/healthz"]);
  });

  test("keys do nothing outside kiosk mode", () => {
    const {window, stubs} = start({search: ""});
    const ev = stubs.fire("keydown", {key: "ArrowRight"});
    assert.equal(ev.defaultPrevented, false);
    assert.equal(ev.propagationStopped, false);
    assert.equal(window.atlasKiosk.index, 0);
    assert.deepEqual(stubs.setProps, []);
  });

  test("a second kioskInit does not start a second engine", () => {
    const {window, stubs} = start({search: ""});
    window.dash_clientside.atlas.kioskInit({...CONFIG, idleSeconds: 1}, "zh");
    stubs.clock.advance(0);
    assert.equal(window.atlasKiosk.config, CONFIG);
    assert.equal(stubs.clock.pending().length, 1);
  });

  test("the reconnect note still shows after two missed health checks", async () => {
    const {window, stubs} = start({search: "", fetch: () => Promise.reject(new TypeError("offline"))});
    stubs.clock.advance(3000);
    await flush();
    assert.deepEqual(stubs.setProps, []);  // one missed beat is not yet an outage
    stubs.clock.advance(3000);
    await flush();
    assert.deepEqual(plain(stubs.setProps), [["atlas-reconnect", {hidden: false}]]);
    assert.equal(window.document.documentElement.dataset.online, "no");
    assert.equal(window.atlasKiosk.online, false);
  });
});

describe("kiosk tour (?kiosk=1)", () => {
  test("kioskInit starts the tour on the first scene", () => {
    const {window, stubs, K, returned} = start();
    assert.equal(returned, NO_UPDATE);
    assert.equal(K.kiosk, true);
    assert.equal(K.state, "playing");
    assert.equal(K.index, 0);
    assert.equal(K.seq, 1);
    assert.equal(K.year, 2025);
    assert.deepEqual([...stubs.classes], ["atlas-kiosk"]);
    assert.deepEqual(plain(window.document.documentElement.dataset),
      {kioskState: "playing", kioskScene: "bridgehead"});
    const s = CONFIG.scenes[0];
    assert.deepEqual(plain(stubs.setProps), [
      ["atlas-kiosk-explore", {hidden: true}],
      ["atlas-kiosk-bar", bar("atlas-kiosk-fill-b", "14s", "0s", "running")],
      // the scene store first, so the theme pill's callback leaves the scene's view alone
      ["atlas-kiosk-scene", {data: {index: 0, seq: 1, year: 2025, lang: "zh", theme: "overview",
                                    layers: ALL_LAYERS}}],
      ["atlas-theme", {value: "overview"}],
      ["atlas-layers", {value: ALL_LAYERS}],
      ["atlas-selected", {data: null}],
      ["atlas-compare-on", {value: []}],  // a compare scene turns it on (assets/compare.js)
      ["atlas-year", {value: 2025}],
      // no map on this page to measure: the scene's fallback centre and zoom
      ["atlas-map", {viewport: {center: s.center, zoom: s.zoom, transition: "flyTo"}}],
      ["atlas-kiosk-title", {children: s.title_zh}],
      ["atlas-kiosk-caption", {children: s.caption_zh}],
      ["atlas-kiosk-dots", {children: [
        {type: "Span", namespace: "dash_html_components", props: {className: "atlas-kiosk-dot active"}},
        {type: "Span", namespace: "dash_html_components", props: {className: "atlas-kiosk-dot"}},
        {type: "Span", namespace: "dash_html_components", props: {className: "atlas-kiosk-dot"}},
        {type: "Span", namespace: "dash_html_components",
          props: {className: "atlas-kiosk-count", children: "第1/3幕"}},
      ]}],
      ["atlas-kiosk-bar", bar("atlas-kiosk-fill-a", "14s", "0s", "running")],
    ]);
  });

  test("listeners: presenter keys and visitor input are captured", () => {
    const {stubs} = start();
    assert.deepEqual(stubs.listeners.map((l) => [l.type, l.capture]), [
      ["click", false],  // atlas.js (source buttons)
      ["keydown", false],  // atlas.js (Escape)
      // compare.js: the compare switch, the swipe's divider (pointer, keys), change-list lines
      ["change", false], ["pointerdown", false], ["keydown", false], ["click", false],
      // flows.js: the flow table's rows and the arcs they mark
      ["click", false], ["mouseover", false], ["mouseout", false], ["focusin", false],
      ["focusout", false],
      ["keydown", true],
      ["pointerdown", true],
      ["touchstart", true],
      ["wheel", true],
      ["click", true],
    ]);
    for (const l of stubs.listeners.filter((x) => x.capture && ["pointerdown", "touchstart", "wheel"].includes(x.type))) {
      assert.deepEqual(plain(l.options), {capture: true, passive: true});
    }
  });

  test("English captions when the page is in English", () => {
    const {stubs} = start({lang: "en"});
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-title"), [{children: CONFIG.scenes[0].title_en}]);
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-caption"), [{children: CONFIG.scenes[0].caption_en}]);
    const dots = propsFor(stubs, "atlas-kiosk-dots")[0].children;
    assert.equal(dots.at(-1).props.children, "Scene 1 of 3");
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-scene"),
      [{data: {index: 0, seq: 1, year: 2025, lang: "en", theme: "overview", layers: ALL_LAYERS}}]);
  });

  test("switching the language mid-scene rewrites the captions and asks for new cards only", () => {
    const {window, stubs, K} = start();
    stubs.fire("keydown", {key: "ArrowRight"});
    stubs.clock.advance(5000);
    const before = stubs.setProps.length;
    assert.equal(window.dash_clientside.atlas.kioskInit(CONFIG, "en"), NO_UPDATE);
    stubs.clock.advance(0);
    const s = CONFIG.scenes[1];
    assert.deepEqual(plain(stubs.setProps.slice(before)), [
      ["atlas-kiosk-title", {children: s.title_en}],
      ["atlas-kiosk-caption", {children: s.caption_en}],
      ["atlas-kiosk-dots", {children: [
        {type: "Span", namespace: "dash_html_components", props: {className: "atlas-kiosk-dot"}},
        {type: "Span", namespace: "dash_html_components", props: {className: "atlas-kiosk-dot active"}},
        {type: "Span", namespace: "dash_html_components", props: {className: "atlas-kiosk-dot"}},
        {type: "Span", namespace: "dash_html_components",
          props: {className: "atlas-kiosk-count", children: "Scene 2 of 3"}},
      ]}],
      ["atlas-kiosk-scene", {data: {index: 1, seq: 2, year: 2025, lang: "en", theme: "hubs",
                                    layers: ["hubs"]}}],
    ]);
    assert.equal(K.elapsed, 5000);  // the scene goes on
    const again = stubs.setProps.length;
    window.dash_clientside.atlas.kioskInit(CONFIG, "en");  // same language: nothing to do
    assert.equal(stubs.setProps.length, again);
  });

  test("each scene lasts its duration, then the next one is shown, looping", () => {
    const {window, stubs, K} = start();
    stubs.clock.advance(13800);
    assert.equal(K.index, 0);
    stubs.clock.advance(200);
    assert.equal(K.index, 1);
    assert.equal(K.elapsed, 0);
    assert.equal(window.document.documentElement.dataset.kioskScene, "hubs");
    assert.deepEqual(propsFor(stubs, "atlas-map").at(-1),
      {viewport: {center: CONFIG.scenes[1].center, zoom: CONFIG.scenes[1].zoom, transition: "flyTo"}});
    assert.deepEqual(propsFor(stubs, "atlas-theme").at(-1), {value: "hubs"});
    assert.deepEqual(propsFor(stubs, "atlas-selected").at(-1), {data: "beijing_fengtai"});
    assert.deepEqual(propsFor(stubs, "atlas-layers").at(-1), {value: ["hubs"]});
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-scene").at(-1),
      {data: {index: 1, seq: 2, year: 2025, lang: "zh", theme: "hubs", layers: ["hubs"]}});
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-bar").at(-1),
      bar("atlas-kiosk-fill-b", "14s", "0s", "running"));

    stubs.clock.advance(14000 + 20000);
    assert.equal(K.index, 0);  // after the last scene, the first again
    assert.equal(K.seq, 4);
  });

  test("a scene with a span of years animates through them in its first 80%", () => {
    const {stubs, K} = start();
    stubs.fire("keydown", {key: "ArrowLeft"});  // from the first scene back to the last
    assert.equal(K.index, 2);
    assert.equal(K.year, 2014);
    assert.deepEqual(propsFor(stubs, "atlas-year").at(-1), {value: 2014});
    const before = stubs.setProps.length;
    const years = () => stubs.setProps.slice(before)
      .filter(([id]) => id === "atlas-year").map(([, p]) => p.value);

    stubs.clock.advance(1800);
    assert.deepEqual(years(), []);
    stubs.clock.advance(200);
    assert.deepEqual(years(), [2015]);
    stubs.clock.advance(12000);  // 14 s = 70% of 20 s: the last year is reached
    assert.deepEqual(years(), [2015, 2016, 2017, 2018, 2019, 2020, 2021]);
    stubs.clock.advance(5800);   // held until the scene ends
    assert.deepEqual(years(), [2015, 2016, 2017, 2018, 2019, 2020, 2021]);
    assert.equal(K.index, 2);
    stubs.clock.advance(200);
    assert.equal(K.index, 0);
    assert.deepEqual(years(), [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2025]);
    // each new year also asks the server for that year's cards
    const scenes = stubs.setProps.slice(before).filter(([id]) => id === "atlas-kiosk-scene")
      .map(([, p]) => plain(p.data));
    assert.deepEqual(scenes, [
      ...[2015, 2016, 2017, 2018, 2019, 2020, 2021].map((year) => ({index: 2, seq: 2, year, lang: "zh",
        theme: "relocation", layers: ["relocation"]})),
      {index: 0, seq: 3, year: 2025, lang: "zh", theme: "overview", layers: ALL_LAYERS},
    ]);
  });

  test("presenter keys: next/previous scene, wrapping; the slider does not get the key", () => {
    const {stubs, K} = start();
    for (const [key, index] of [["ArrowRight", 1], ["PageDown", 2], ["n", 0], ["N", 1],
      ["ArrowLeft", 0], ["PageUp", 2], ["p", 1], ["P", 0]]) {
      const ev = stubs.fire("keydown", {key});
      assert.equal(K.index, index, key);
      assert.equal(ev.defaultPrevented, true, key);
      assert.equal(ev.propagationStopped, true, key);
    }
    assert.equal(K.state, "playing");
  });

  test("presenter keys: space, b and . pause and resume", () => {
    const {window, stubs, K} = start();
    stubs.clock.advance(5000);
    for (const key of [" ", "b", "B", "."]) {
      stubs.fire("keydown", {key});
      assert.equal(K.state, "paused", key);
      assert.equal(window.document.documentElement.dataset.kioskState, "paused");
      assert.deepEqual(propsFor(stubs, "atlas-kiosk-bar").at(-1),
        bar("atlas-kiosk-fill-a", "14s", "-5s", "paused"));
      stubs.clock.advance(30000);  // a paused tour holds its scene
      assert.equal(K.index, 0);
      assert.equal(K.elapsed, 5000);
      stubs.fire("keydown", {key});
      assert.equal(K.state, "playing", key);
      assert.deepEqual(propsFor(stubs, "atlas-kiosk-bar").at(-1),
        bar("atlas-kiosk-fill-a", "14s", "-5s", "running"));
    }
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-explore").at(-1), {hidden: true});
  });

  test("visitor input pauses the tour; after idleSeconds it moves on by itself", () => {
    const {window, stubs, K} = start();
    stubs.clock.advance(1000);
    stubs.fire("pointerdown", {target: element({id: "atlas-map"})});
    assert.equal(K.state, "exploring");
    assert.equal(K.lastInput, EPOCH_MS + 1000);
    assert.equal(window.document.documentElement.dataset.kioskState, "exploring");
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-explore").at(-1), {hidden: false});
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-bar").at(-1),
      bar("atlas-kiosk-fill-a", "14s", "-1s", "paused"));

    stubs.clock.advance(30000);
    stubs.fire("wheel", {});  // more input postpones the return
    stubs.clock.advance(60000);
    assert.equal(K.state, "exploring");
    assert.equal(K.index, 0);
    stubs.clock.advance(200);
    assert.equal(K.state, "playing");
    assert.equal(K.index, 1);
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-explore").at(-1), {hidden: true});
  });

  test("an ordinary key is visitor input; Escape still reaches atlas.js", () => {
    const clear = element({id: "atlas-clear"});
    const {stubs, K} = start({elements: {"atlas-clear": clear}});
    const ev = stubs.fire("keydown", {key: "Escape"});
    assert.equal(ev.propagationStopped, false);
    assert.equal(ev.defaultPrevented, false);
    assert.equal(K.state, "exploring");
    assert.equal(clear.clicks, 1);
  });

  test("the resume button restarts the current scene; touching it is not visitor input", () => {
    const {stubs, K} = start();
    const resume = element({id: "atlas-kiosk-resume"});
    const label = element({id: "", parent: resume});
    stubs.clock.advance(3000);
    stubs.fire("pointerdown", {target: element({id: "atlas-map"})});
    assert.equal(K.state, "exploring");
    stubs.fire("pointerdown", {target: label});
    assert.equal(K.lastInput, EPOCH_MS + 3000);
    stubs.fire("click", {target: label});
    assert.equal(K.state, "playing");
    assert.equal(K.index, 0);
    assert.equal(K.elapsed, 0);
    assert.equal(K.seq, 2);
    stubs.fire("click", {target: element({id: "elsewhere"})});
    assert.equal(K.seq, 2);
  });

  test("server away: the tour holds and a note shows; it resumes when the server answers", async () => {
    let up = true;
    const {window, stubs, K} = start({
      fetch: () => Promise.resolve(up ? {ok: true, status: 200} : {ok: false, status: 503}),
    });
    stubs.clock.advance(2800);
    up = false;
    stubs.clock.advance(200);  // health check at 3 s fails: not yet an outage
    await flush();
    assert.equal(K.online, true);
    assert.equal(K.failures, 1);
    stubs.clock.advance(3000);  // second failure at 6 s
    await flush();
    assert.equal(K.online, false);
    assert.equal(window.document.documentElement.dataset.online, "no");
    assert.deepEqual(propsFor(stubs, "atlas-reconnect"), [{hidden: false}]);
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-bar").at(-1),
      bar("atlas-kiosk-fill-a", "14s", "-6s", "paused"));

    stubs.clock.advance(30000);  // offline: no progress, no scene change
    await flush();
    assert.equal(K.index, 0);
    assert.equal(K.elapsed, 6000);

    up = true;
    stubs.clock.advance(3000);
    await flush();
    assert.equal(K.online, true);
    assert.equal(K.failures, 0);
    assert.equal(window.document.documentElement.dataset.online, "yes");
    assert.deepEqual(propsFor(stubs, "atlas-reconnect"), [{hidden: false}, {hidden: true}]);
    assert.equal(K.index, 0);  // the scene is shown again from its start
    assert.equal(K.elapsed, 0);
    assert.deepEqual(propsFor(stubs, "atlas-kiosk-scene").at(-1),
      {data: {index: 0, seq: 2, year: 2025, lang: "zh", theme: "overview", layers: ALL_LAYERS}});
  });

  test("a server that comes back does not pull an exploring visitor's map to the scene", async () => {
    let up = true;
    const {stubs, K} = start({
      fetch: () => Promise.resolve(up ? {ok: true, status: 200} : {ok: false, status: 503}),
    });
    stubs.clock.advance(2800);
    stubs.fire("pointerdown", {target: element({id: "atlas-map"})});
    assert.equal(K.state, "exploring");
    up = false;
    stubs.clock.advance(3200);
    await flush();
    stubs.clock.advance(3000);
    await flush();
    assert.equal(K.online, false);
    const views = propsFor(stubs, "atlas-map").length;
    const scenes = propsFor(stubs, "atlas-kiosk-scene").length;
    up = true;
    stubs.clock.advance(3000);
    await flush();
    assert.equal(K.online, true);
    assert.equal(K.state, "exploring");
    assert.equal(propsFor(stubs, "atlas-map").length, views);  // no fly-to back to the scene
    assert.equal(propsFor(stubs, "atlas-kiosk-scene").length, scenes + 1);  // cards refreshed
  });

    test("a health check that hangs is aborted before the next one", async () => {
    const {stubs} = start({fetch: () => new Promise(() => {})});
    stubs.clock.advance(3000);
    const signal = stubs.fetches[0][1].signal;
    assert.equal(signal.aborted, false);
    stubs.clock.advance(2499);
    assert.equal(signal.aborted, false);
    stubs.clock.advance(1);
    assert.equal(signal.aborted, true);
  });

  test("an empty tour does not start", () => {
    const {stubs, K} = start({config: {...CONFIG, scenes: []}});
    assert.equal(K.kiosk, true);
    assert.equal(K.state, "stopped");
    assert.deepEqual([...stubs.classes], []);
    assert.deepEqual(stubs.setProps, []);
    assert.equal(stubs.listeners.length, 11);  // atlas.js's two, compare.js's four, flows.js's five
  });
});

describe("kiosk framing", () => {
  // Web Mercator at zoom z, as Leaflet computes it: pixel x, y of a lat/lon.
  const px = (lat, lon, zoom) => {
    const scale = 256 * Math.pow(2, zoom);
    const s = Math.sin(lat * Math.PI / 180);
    return [(lon + 180) / 360 * scale, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale];
  };

  test("fit: the bounds, at the zoom chosen, fill the free area as far as a whole zoom allows", () => {
    const K = loadAssets().atlasKiosk;
    const bounds = [[38.9, 115.9], [39.9, 116.5]];  // Xiong'an to Fengtai
    const area = {left: 0, top: 0, right: 900, bottom: 700, width: 1300, height: 760};
    const view = plain(K.fit(bounds, area, 48, 6, 14));
    const [x0, y1] = px(bounds[0][0], bounds[0][1], view.zoom);
    const [x1, y0] = px(bounds[1][0], bounds[1][1], view.zoom);
    const [cx, cy] = px(view.center[0], view.center[1], view.zoom);
    // on screen, with the map's centre at (width/2, height/2)
    const left = x0 - cx + area.width / 2, right = x1 - cx + area.width / 2;
    const top = y0 - cy + area.height / 2, bottom = y1 - cy + area.height / 2;
    assert.ok(left >= 48 - 1e-6 && right <= 900 - 48 + 1e-6, `${left} ${right}`);
    assert.ok(top >= 48 - 1e-6 && bottom <= 700 - 48 + 1e-6, `${top} ${bottom}`);
    // one zoom more would not fit
    const wider = (x1 - x0) * 2, taller = (y1 - y0) * 2;
    assert.ok(wider > 900 - 96 || taller > 700 - 96);
    // centred in the free area, not in the map
    assert.ok(Math.abs((left + right) / 2 - 450) < 1e-6 && Math.abs((top + bottom) / 2 - 350) < 1e-6);
  });

  test("fit keeps to the zoom limits", () => {
    const K = loadAssets().atlasKiosk;
    const area = {left: 0, top: 0, right: 800, bottom: 600, width: 800, height: 600};
    assert.equal(K.fit([[39.85, 116.39], [39.85, 116.39]], area, 48, 6, 14).zoom, 14);
    assert.equal(K.fit([[20, 80], [50, 140]], area, 48, 6, 14).zoom, 6);
  });
});

