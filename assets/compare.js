/* Compare two years (issue 14): year A on a second Leaflet map beside the page's map (year B,
 * the timeline's year), either side by side or under a swipe divider.
 *
 * Year A's map (#atlas-map-a) is built here, once, the first time a comparison starts: its
 * layers are copies of the page map's features (the feature objects the page already has, so
 * no geometry is fetched or sent again), drawn by the same style and feature functions
 * (window.atlas.map.*) and restyled in place by window.atlas.views like the page map; a year
 * change on either side is a restyle in the browser. The two maps follow each other's pan and
 * zoom. Swipe: year A's map lies over the page map, clipped to the left of the divider (a
 * clipped-away part takes no pointer events, so the right side is the page map's); the divider
 * is a slider (mouse, touch and keys). Side by side: A left, B right (stacked on a narrow
 * screen). Clicking a feature on either map, or a line of the change list, selects it on both.
 *
 *   window.atlas.compare.show(state, view)  state {mode, a, b} or null; view {layers,
 *                                            selected, lang} — called by atlas.view
 *   window.atlas.compare.swipeTo(share)      put the divider at share (0..1) of the width
 *   dash_clientside.atlas.compareState(switched, mode, a, year, current, words)
 * Text only ever goes in as text nodes. */
(function () {
  "use strict";

  const MAIN = "atlas-map", OTHER = "atlas-map-a", SWIPE = "atlas-swipe";
  const PANES = [["lines", 620], ["flows", 630], ["places", 650]];
  const LAYERS = {lineStyle: ["lines", "lineFeature"], flowStyle: ["flows", "flowFeature"],
                  placeStyle: ["places", "placeFeature"]};
  // whether the page's link named its own map view (then a comparison keeps it as it is)
  const LINK_VIEW = new URLSearchParams(window.location.search).has("view");
  const C = {main: null, other: null, state: null, view: null, at: 0.5, syncing: false,
             boundaries: null, boundaryKey: null, captions: null, waiting: false};

  function atlasMap() { return window.atlas && window.atlas.map; }

  // The compare maps' and divider's names ({a}/{b} templates, layout/texts.py client_texts).
  function texts(lang) {
    const all = window.atlas && window.atlas.clientTexts;
    return (all && all[lang === "en" ? "en" : "zh"]) || {};
  }

  function fill(template, state) {
    return String(template || "").replace("{a}", String(state.a)).replace("{b}", String(state.b));
  }

  function select(id) {
    const dash = window.dash_clientside;
    if (dash && typeof dash.set_props === "function") {
      dash.set_props("atlas-selected", {data: id || null});
    }
  }

  // ---- the page's map ----------------------------------------------------------------------
  function hook() {
    const L = window.L;
    if (!L || !L.Map || typeof L.Map.addInitHook !== "function" || L.Map.prototype.atlasCompare) {
      return;
    }
    L.Map.prototype.atlasCompare = true;
    L.Map.addInitHook(function () {
      const el = this.getContainer && this.getContainer();
      if (el && el.id === MAIN) {
        C.main = this;
        this.on("layeradd", function () { if (C.waiting) { later(); } });
      }
    });
  }
  hook();

  function later() {
    if (C.pending) { return; }
    C.pending = true;
    Promise.resolve().then(function () { C.pending = false; apply(); });
  }

  // ---- year A's map --------------------------------------------------------------------------
  function hideoutOf(view, year) {
    return {year: year, layers: view.layers || [], selected: view.selected || null,
            lang: view.lang, style: C.main._atlasStyle};
  }

  function build() {
    const el = document.getElementById(OTHER);
    const main = C.main;
    const L = window.L;
    const views = window.atlas && window.atlas.views;
    const features = main && views && views.storyFeatures(main, Object.keys(LAYERS));
    if (!el || !L || !features || !main._loaded || !features.placeStyle.length) { return null; }
    el.hidden = false;
    const other = L.map(el, {
      center: main.getCenter(), zoom: main.getZoom(), minZoom: main.getMinZoom(),
      maxZoom: main.getMaxZoom(), zoomSnap: main.options.zoomSnap, keyboard: true,
      attributionControl: false, fadeAnimation: false
    });
    C.other = other;
    PANES.forEach(function (p) { other.createPane(p[0]).style.zIndex = String(p[1]); });
    const context = {map: other, hideout: hideoutOf(C.view, C.state.a)};
    const drawn = window.atlas.views.drawCopies(other, features, LAYERS, context,
                                                {bubblingMouseEvents: false});
    Object.keys(drawn).forEach(function (styleName) {
      drawn[styleName].on("click", function (event) {
        L.DomEvent.stop(event);
        const p = event.layer && event.layer.feature && event.layer.feature.properties;
        if (p && p.id) { select(p.id); }
      });
    });
    L.control.scale({position: "bottomleft", imperial: false}).addTo(other);
    other.on("click", function () { select(null); });
    follow(main, other);
    follow(other, main);
    return other;
  }

  // The basemap of year A's map, made again when the selection or language changes (as the
  // page map's is), once the page map has its own (it is fetched).
  function drawBasemap() {
    const view = C.view || {};
    const key = (view.selected || "") + "|" + view.lang;
    if (C.boundaries && C.boundaryKey === key) { return; }
    const features = window.atlas.views.basemapFeatures(C.main);
    if (!features.length) { C.waiting = true; return; }
    const fns = atlasMap();
    const context = {map: C.other, hideout: hideoutOf(view, C.state.a)};
    if (C.boundaries) { C.boundaries.remove(); }
    C.boundaries = window.L.geoJSON(features, {
      bubblingMouseEvents: false, interactive: false,
      style: function (f) { return fns.boundaryStyle(f, context); },
      onEachFeature: function (f, layer) { fns.boundaryLabel(f, layer, context); }
    }).addTo(C.other);  // the overlay pane, under the story's own panes (620–650)
    C.boundaryKey = key;
  }

  // Pan and zoom of one map move the other (not back again).
  function follow(from, to) {
    from.on("move zoomend moveend", function () {
      if (C.syncing || !C.state || !to.getContainer().offsetWidth) { return; }
      C.syncing = true;
      try {
        to.setView(from.getCenter(), from.getZoom(), {animate: false});
      } finally {
        C.syncing = false;
      }
    });
  }

  // ---- layout: classes, captions, divider ------------------------------------------------------
  function caption(wrap, cls) {
    let el = wrap.querySelector("." + cls);
    if (!el) {
      el = document.createElement("div");
      el.className = "atlas-compare-caption " + cls;
      el.setAttribute("aria-hidden", "true");  // the maps and the divider are named instead
      wrap.appendChild(el);
    }
    return el;
  }

  function place(wrap) {
    const state = C.state;
    const mode = state ? state.mode : null;
    wrap.classList.toggle("atlas-comparing", Boolean(mode));
    wrap.classList.toggle("atlas-compare-swipe", mode === "swipe");
    wrap.classList.toggle("atlas-compare-side", mode === "side");
    document.documentElement.classList.toggle("atlas-comparing", Boolean(mode));
    const other = document.getElementById(OTHER), divider = document.getElementById(SWIPE);
    if (other) { other.hidden = !mode; }
    if (divider) { divider.hidden = mode !== "swipe"; }
    const a = caption(wrap, "atlas-caption-a"), b = caption(wrap, "atlas-caption-b");
    a.hidden = b.hidden = !mode;
    if (!mode) { C.swiping = false; return; }
    const words = texts(C.view && C.view.lang);
    a.textContent = String(state.a);
    b.textContent = String(state.b);
    if (other) {
      other.setAttribute("role", "region");
      other.setAttribute("aria-label", fill(words["compare.map_a"], state));
    }
    if (divider) {
      divider.dataset.years = fill(words["compare.divider"], state);
      if (mode === "swipe" && !C.swiping && !C.moved) { C.at = freeMiddle(wrap); }
      C.swiping = mode === "swipe";
      swipeTo(C.at);
    }
  }

  // Where a swipe starts: the middle of the map's part the legend leaves free (where a theme's
  // view puts its subject), so each year shows part of it; the middle when nothing covers it.
  function freeMiddle(wrap) {
    const legend = wrap.querySelector(".atlas-legend");
    const box = wrap.getBoundingClientRect();
    if (!legend || !box.width) { return 0.5; }
    const r = legend.getBoundingClientRect();
    const free = r.width && r.left > box.left ? r.left - box.left : box.width;
    return Math.min(0.5, Math.max(0.2, free / 2 / box.width));
  }

  // The swipe's divider at `share` of the map's width: year A's map shows left of it.
  function swipeTo(share) {
    const wrap = document.getElementById(MAIN) && document.getElementById(MAIN).parentNode;
    const other = document.getElementById(OTHER), divider = document.getElementById(SWIPE);
    C.at = Math.min(1, Math.max(0, Number(share) || 0));
    if (!wrap || !other || !divider) { return; }
    const width = wrap.clientWidth;
    const x = Math.round(C.at * width);
    if (C.state && C.state.mode === "swipe") {
      other.style.clipPath = "inset(0 " + (width - x) + "px 0 0)";
    } else {
      other.style.clipPath = "";
    }
    divider.style.left = x + "px";
    const percent = String(Math.round(C.at * 100));
    divider.setAttribute("aria-valuenow", percent);
    divider.setAttribute("aria-valuetext", percent + "% · " + (divider.dataset.years || ""));
    divider.dataset.x = String(x);
  }

  function sizes() {
    [C.main, C.other].forEach(function (lmap) {
      if (lmap && lmap.getContainer().offsetWidth) { lmap.invalidateSize({pan: false}); }
    });
    if (C.main && C.other && C.state && C.other.getContainer().offsetWidth) {
      C.syncing = true;
      try {
        C.other.setView(C.main.getCenter(), C.main.getZoom(), {animate: false});
      } finally {
        C.syncing = false;
      }
    }
  }

  // After a planner switches the view, or when a link without a view of its own opens side by
  // side, the maps show what the page map showed before: side by side halves its width. (A
  // link's own view is kept as it was written.)
  function refit(bounds) {
    if (C.main && bounds && C.main.getContainer().offsetWidth) {
      C.main.fitBounds(bounds, {animate: false});
    }
  }

  function apply() {
    const main = document.getElementById(MAIN);
    const wrap = main && main.parentNode;
    if (!wrap) { return; }
    const before = wrap.className;
    const wasSide = wrap.classList.contains("atlas-compare-side");
    // a link without a view of its own opens on its theme's frame: kept in half the width too
    const framed = !C.laidOut && Boolean(C.state) && !LINK_VIEW;
    const seen = (C.toggled || framed) && C.main && C.main._loaded ? C.main.getBounds() : null;
    C.toggled = false;
    if (C.state) { C.laidOut = true; }
    place(wrap);
    const resized = wasSide !== wrap.classList.contains("atlas-compare-side");
    if (!C.state) {
      if (wrap.className !== before) { sizes(); }
      if (resized) { refit(seen); }
      return;
    }
    if (!C.other && !build()) { C.waiting = true; return; }
    C.waiting = false;
    if (window.atlas && window.atlas.views) {
      window.atlas.views.show(OTHER, Object.assign({}, C.view, {year: C.state.a}));
    }
    drawBasemap();
    if (wrap.className !== before) { sizes(); }
    if (resized) { refit(seen); }
    wrap.dataset.compare = C.state.mode + ":" + C.state.a + ":" + C.state.b;  // for tests
  }

  function show(state, view) {
    const ok = state && (state.mode === "swipe" || state.mode === "side")
      && Number.isInteger(state.a) && Number.isInteger(state.b);
    C.state = ok ? {mode: state.mode, a: state.a, b: state.b} : null;
    C.view = view || C.view || {};
    apply();
  }

  // ---- the divider: pointer (mouse, touch, pen) and keys ---------------------------------------
  function onPointer(event) {
    const divider = event.target && event.target.closest && event.target.closest("#" + SWIPE);
    if (!divider || event.type !== "pointerdown") { return; }
    const wrap = divider.parentNode;
    event.preventDefault();
    if (divider.setPointerCapture) { divider.setPointerCapture(event.pointerId); }
    C.moved = true;
    const move = function (e) {
      const box = wrap.getBoundingClientRect();
      swipeTo((e.clientX - box.left) / box.width);
    };
    const up = function () {
      divider.removeEventListener("pointermove", move);
      divider.removeEventListener("pointerup", up);
      divider.removeEventListener("pointercancel", up);
    };
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", up);
    divider.addEventListener("pointercancel", up);
    divider.focus();
  }

  function onKey(event) {
    if (!event.target || event.target.id !== SWIPE) { return; }
    C.moved = true;
    const steps = {ArrowLeft: -0.05, ArrowDown: -0.05, ArrowRight: 0.05, ArrowUp: 0.05,
                   PageDown: -0.2, PageUp: 0.2};
    if (event.key in steps) {
      swipeTo(C.at + steps[event.key]);
    } else if (event.key === "Home") {
      swipeTo(0);
    } else if (event.key === "End") {
      swipeTo(1);
    } else {
      return;
    }
    event.preventDefault();
  }

  // A line of the change list selects its feature on both maps.
  function onClick(event) {
    const line = event.target && event.target.closest
      ? event.target.closest(".atlas-change-select[data-feature]") : null;
    if (line) { select(line.getAttribute("data-feature")); }
  }

  // A planner's own switch of the compare view (see refit).
  function onChange(event) {
    if (event.target && event.target.closest
        && event.target.closest("#atlas-compare-mode, #atlas-compare-on")) {
      C.toggled = true;
    }
  }

  if (document.addEventListener) {
    document.addEventListener("change", onChange);
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
  }
  window.addEventListener("resize", function () { if (C.state) { swipeTo(C.at); } });

  // The kiosk's compare scene: the divider sweeps across once, then holds at `hold` (a share
  // of the width; the middle of the scene's subject), where both years show part of it.
  function sweep(hold) {
    const end = Math.min(0.9, Math.max(0.1, hold === undefined ? 0.5 : Number(hold)));
    const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (reduce || typeof window.requestAnimationFrame !== "function") {
      swipeTo(end);
      return;
    }
    // end → right edge → left edge → end, in four seconds
    const legs = [[end, 0.95], [0.95, 0.05], [0.05, end]];
    const lengths = legs.map(function (l) { return Math.abs(l[1] - l[0]); });
    const total = lengths.reduce(function (a, b) { return a + b; }, 0);
    const start = performance.now(), duration = 4000;
    const frame = function (now) {
      let along = Math.min(1, (now - start) / duration) * total;
      let k = 0;
      while (k < legs.length - 1 && along > lengths[k]) { along -= lengths[k]; k += 1; }
      const leg = legs[k];
      const share = lengths[k] ? leg[0] + (leg[1] - leg[0]) * Math.min(1, along / lengths[k]) : leg[1];
      swipeTo(share);
      if (now - start < duration) { window.requestAnimationFrame(frame); } else { swipeTo(end); }
    };
    window.requestAnimationFrame(frame);
  }

  window.atlas = Object.assign({}, window.atlas, {
    compare: {show: show, swipeTo: swipeTo, sweep: sweep,
              state: function () { return C.state; }, other: function () { return C.other; },
              main: function () { return C.main; }}
  });
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {
    // The compare store from the bar: {mode, a, b} (b the timeline's year) or null; unchanged
    // values are not sent again, so a slider step while not comparing fires nothing more.
    compareState: function (switched, mode, a, year, current, words) {
      const keep = window.dash_clientside.no_update;
      if (words) { window.atlas.clientTexts = words; }
      const on = (switched || []).indexOf("on") >= 0 && (mode === "swipe" || mode === "side")
        && Number.isInteger(a) && Number.isInteger(year);
      const next = on ? {mode: mode, a: a, b: year} : null;
      const same = JSON.stringify(next) === JSON.stringify(current || null);
      const cls = "atlas-compare-bar" + (on ? " atlas-compare-on" : "");
      return [same ? keep : next, cls, Number.isInteger(a) ? String(a) : keep];
    }
  });
})();
