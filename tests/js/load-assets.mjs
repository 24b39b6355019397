// Loads the browser scripts (assets/atlas.js, assets/kiosk.js) into a fresh node:vm context with
// just enough of a browser around them: `window` (the context's global), a `document` stub, a
// Leaflet stub, `location`/`history`, fake timers and a stub of Dash's `window.dash_clientside`.
//
//   const window = loadAssets({search: "?kiosk=1"});
//   window.atlas.map.lineStyle(feature, {hideout});
//   window.dash_clientside.atlas.writeUrl(...);
//   const stubs = stubsOf(window);  // recorded calls, fake clock, elements, listeners
//
// Values the scripts build belong to the context's realm (its own Object.prototype), so compare
// them with assert.deepStrictEqual(plain(value), expected).
import {readFileSync, readdirSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import vm from "node:vm";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

// Dash serves a folder's scripts in alphabetical order, so atlas.js runs before kiosk.js.
// Every script in assets/, in the order Dash serves them (by name).
export const ASSET_FILES = readdirSync(path.join(ROOT, "assets"))
  .filter((name) => name.endsWith(".js"))
  .sort()
  .map((name) => "assets/" + name);

// window.dash_clientside.no_update: one frozen object, shared by every load, compared by identity.
export const NO_UPDATE = Object.freeze({description: "dash_clientside.no_update (test stub)"});

// The fake clock starts here (Date.now() inside the context).
export const EPOCH_MS = Date.UTC(2026, 0, 1);

const STUBS = new WeakMap();
const sources = new Map();

function source(file) {
  if (!sources.has(file)) {
    sources.set(file, readFileSync(path.join(ROOT, file), "utf8"));
  }
  return sources.get(file);
}

/** The recorded state of a window returned by loadAssets. */
export function stubsOf(window) {
  const stubs = STUBS.get(window);
  if (!stubs) { throw new Error("not a window made by loadAssets()"); }
  return stubs;
}

/** A deep copy of `value` in this realm, so assert.deepStrictEqual can compare it with literals.
 *  The no_update sentinel stays NO_UPDATE; functions are not expected in results. */
export function plain(value) {
  if (value === NO_UPDATE || value === null || typeof value !== "object") {
    if (typeof value === "function") { throw new TypeError("plain(): unexpected function"); }
    return value;
  }
  if (Array.isArray(value)) { return Array.from(value, (item) => plain(item)); }
  const out = {};
  for (const key of Object.keys(value)) { out[key] = plain(value[key]); }
  return out;
}

/** A minimal element: click() counts, closest(selector) matches "#id" of itself or its parents. */
export function element(props = {}) {
  const el = {
    id: "",
    hidden: false,
    clicks: 0,
    parent: null,
    click() { el.clicks += 1; },
    closest(selector) {
      for (let node = el; node; node = node.parent) {
        if (selector === "#" + node.id) { return node; }
      }
      return null;
    },
    ...props,
  };
  return el;
}

/** A keyboard/pointer event stub recording preventDefault/stopPropagation. */
export function event(init = {}) {
  const ev = {
    target: null,
    defaultPrevented: false,
    propagationStopped: false,
    preventDefault() { ev.defaultPrevented = true; },
    stopPropagation() { ev.propagationStopped = true; },
    ...init,
  };
  return ev;
}

function fakeClock() {
  let now = EPOCH_MS;
  let seq = 0;
  const timers = new Map();
  const clock = {
    get now() { return now; },
    /** Timers not yet run: [{id, delay, repeat}]. */
    pending() {
      return [...timers.values()].map((t) => ({id: t.id, delay: t.delay, repeat: t.every > 0}));
    },
    add(fn, delay, repeat, args) {
      const ms = Math.max(0, Number(delay) || 0);
      seq += 1;
      timers.set(seq, {id: seq, fn, args, delay: ms, at: now + ms, every: repeat ? Math.max(1, ms) : 0});
      return seq;
    },
    clear(id) { timers.delete(id); },
    /** Move time forward by `ms`, running every timer that falls due, in time order. */
    advance(ms = 0) {
      const end = now + ms;
      for (;;) {
        let next = null;
        for (const t of timers.values()) {
          if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) {
            next = t;
          }
        }
        if (!next) { break; }
        now = next.at;
        if (next.every) { next.at += next.every; } else { timers.delete(next.id); }
        next.fn(...next.args);
      }
      now = end;
    },
  };
  return clock;
}

/**
 * Evaluate the asset scripts in a fresh context and return its global (`window`).
 * options.search / options.pathname: the page's location (e.g. "?kiosk=1").
 * options.elements: {id: element} answered by document.getElementById (see element()).
 * options.fetch: (url, init) => Promise, replacing the default (an ok response).
 * options.files: the scripts to run, relative to the project root (default ASSET_FILES).
 */
export function loadAssets(options = {}) {
  const clock = fakeClock();
  const elements = {...(options.elements || {})};
  const listeners = [];
  const windowListeners = [];
  const classes = new Set();
  const stubs = {
    noUpdate: NO_UPDATE,
    clock,
    elements,
    listeners,
    windowListeners,  // [type, fn] added on `window` (e.g. resize)
    classes,
    setProps: [],   // [[id, props], ...] from dash_clientside.set_props
    history: [],    // [[state, title, url], ...] from history.replaceState
    fetches: [],    // [[url, init], ...]
    markers: [],    // [latlng, options] of every L.circleMarker
    respond: options.fetch || (() => Promise.resolve({ok: true, status: 200})),
    /** Set window.dash_clientside.callback_context.triggered to these prop ids. */
    trigger(...propIds) {
      stubs.window.dash_clientside.callback_context = {
        triggered: propIds.map((id) => ({prop_id: id, value: 1})),
      };
    },
    /** Deliver an event to document listeners of `type`: capturing ones first; a capturing
     *  listener that stops propagation keeps it from the bubbling ones, as in a browser. */
    fire(type, init = {}) {
      const ev = init.preventDefault ? init : event(init);
      const matching = listeners.filter((l) => l.type === type);
      for (const l of matching.filter((x) => x.capture)) { l.fn.call(stubs.window.document, ev); }
      if (!ev.propagationStopped) {
        for (const l of matching.filter((x) => !x.capture)) { l.fn.call(stubs.window.document, ev); }
      }
      return ev;
    },
  };

  const location = {search: options.search || "", pathname: options.pathname || "/"};
  const history = {
    replaceState(state, title, url) {
      stubs.history.push([state, title, url]);
      const u = new URL(url, "http://atlas.invalid" + location.pathname);
      location.pathname = u.pathname;
      location.search = u.search;
    },
  };
  const document = {
    documentElement: {
      dataset: {},
      classList: {
        add(...names) { names.forEach((n) => classes.add(n)); },
        remove(...names) { names.forEach((n) => classes.delete(n)); },
        contains(name) { return classes.has(name); },
      },
    },
    addEventListener(type, fn, opts) {
      const capture = opts === true || Boolean(opts && typeof opts === "object" && opts.capture);
      listeners.push({type, fn, capture, options: opts});
    },
    removeEventListener(type, fn, opts) {
      const capture = opts === true || Boolean(opts && typeof opts === "object" && opts.capture);
      const i = listeners.findIndex((l) => l.type === type && l.fn === fn && l.capture === capture);
      if (i >= 0) { listeners.splice(i, 1); }
    },
    getElementById(id) {
      return Object.prototype.hasOwnProperty.call(elements, id) ? elements[id] : null;
    },
    createElement(tag) {
      return {tagName: String(tag).toUpperCase(), textContent: "", children: []};
    },
  };
  const performance = {now: () => clock.now - EPOCH_MS};

  const sandbox = {
    document,
    location,
    history,
    navigator: {userAgent: "node-vm"},
    console,
    L: {
      circleMarker(latlng, opts) {
        stubs.markers.push([latlng, opts]);
        return {latlng, options: opts};
      },
    },
    URL,
    URLSearchParams,
    AbortController,
    fetch(url, init) {
      stubs.fetches.push([url, init]);
      return stubs.respond(url, init);
    },
    setTimeout: (fn, ms, ...args) => clock.add(fn, ms, false, args),
    setInterval: (fn, ms, ...args) => clock.add(fn, ms, true, args),
    clearTimeout: (id) => clock.clear(id),
    clearInterval: (id) => clock.clear(id),
    requestAnimationFrame: (fn) => clock.add(() => fn(performance.now()), 16, false, []),
    cancelAnimationFrame: (id) => clock.clear(id),
    performance,
    addEventListener(type, fn) { windowListeners.push([type, fn]); },
    dash_clientside: {
      no_update: NO_UPDATE,
      callback_context: {triggered: []},
      set_props(id, props) { stubs.setProps.push([id, props]); },
    },
  };

  const context = vm.createContext(sandbox, {name: "atlas assets"});
  vm.runInContext("globalThis.window = globalThis; globalThis.self = globalThis;", context);
  vm.runInContext("Date", context).now = () => clock.now;
  const window = vm.runInContext("globalThis", context);
  stubs.window = window;
  stubs.location = location;
  STUBS.set(window, stubs);

  for (const file of options.files || ASSET_FILES) {
    vm.runInContext(source(file), context, {filename: path.join(ROOT, file)});
  }
  return window;
}
