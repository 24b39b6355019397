/* The map as one keyboard stop (issue 11). Leaflet makes every interactive feature focusable;
 * here they leave the Tab order and the map container, named in the page's language, is the one
 * stop. While the container itself has focus:
 *   ArrowDown / ArrowRight   next feature        ArrowUp / ArrowLeft   previous feature
 *   Home / End               first / last feature
 *   Enter / Space            select the feature, as a click does (its details panel opens)
 *   Escape                   clear the selection, back to the theme's own view
 *   Shift+arrows, + and −    pan and zoom (Leaflet's own keyboard handler, left as it is)
 *   Tab                      on to the zoom buttons, then out of the map
 * Features are the places, lines and flows on the map (what the layers' filter let through for
 * the year and layers), visited layer by layer, then by name in the current language. The one
 * in focus is ringed on the map, panned into view, and announced in the MAP_FOCUS live region as
 * the server says it in the status sentence: name · kind · status that year (panels/status.py
 * feature_text; tests/unit/test_status.py holds the two equal).
 * In kiosk mode kiosk.js takes its presenter keys first (document, capture phase), so ArrowLeft,
 * ArrowRight and Space still change scenes there.
 * Data text is only ever set with textContent. */
(function () {
  "use strict";

  const NEXT = ["ArrowDown", "ArrowRight"];
  const PREV = ["ArrowUp", "ArrowLeft"];
  const RING_GAP = 4;  // px between a marker's edge and its focus ring

  const N = {config: null, state: null, maps: [], current: null};

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  function words() {
    const all = N.config && N.config.words;
    return all ? all[N.state && N.state.lang === "en" ? "en" : "zh"] : null;
  }

  // "{feature} ({n} of {total})" with its fields filled in (fields left unknown stay as written).
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function name(p, lang) {
    return lang === "en" ? (p.name_en || p.label_en) : (p.name_zh || p.label_zh);
  }

  /* What the keyboard says for a feature (its GeoJSON properties) in `year`: name · kind · status;
   * a flow says the year it began; a feature with no status records (a city) has no status.
   * The twin of panels/status.py feature_text. */
  function describe(p, year, lang, w) {
    const map = window.atlas.map;
    const parts = [name(p, lang), w.kinds[p.kind] || w.kinds.feature];
    if (p.from_year !== undefined) {  // a flow (as in atlas.js visible)
      parts.push(p.from_year <= year ? fill(w.since, {year: p.from_year}) : fill(w.notYet, {year: year}));
    } else if (p.tl && p.tl.length) {
      const status = map.statusAt(p.tl, year);
      if (status === null) {
        parts.push(fill(w.notYet, {year: year}));
      } else {
        const word = w.status[status] || status;
        parts.push(map.attestedAt(p.tl, p.att, year) ? fill(w.attested, {status: word}) : word);
      }
    }
    return parts.join(w.sep);
  }

  /* The features to step through, in order: [{id, p, layer}] from `layers` (Leaflet layers with
   * a GeoJSON feature), one per id, flows' arrowheads left out; by the layer's place in `order`,
   * then by name in `lang`, then by id. */
  function ordered(layers, order, lang) {
    const seen = new Set();
    const out = [];
    layers.forEach(function (layer) {
      const p = layer.feature && layer.feature.properties;
      if (!p || p.part === "head" || order.indexOf(p.layer) < 0 || seen.has(p.id)) { return; }
      seen.add(p.id);
      out.push({id: p.id, p: p, layer: layer, rank: order.indexOf(p.layer), name: name(p, lang)});
    });
    const collator = new Intl.Collator(lang === "en" ? "en" : "zh-CN");
    out.sort(function (a, b) {
      return a.rank - b.rank || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return out;
  }

  function featuresOf(lmap) {
    const layers = [];
    lmap.eachLayer(function (layer) { layers.push(layer); });
    return ordered(layers, (N.config && N.config.layers) || [], N.state ? N.state.lang : "zh");
  }

  // ---- the map container ----------------------------------------------------------------------

  function named(lmap) {
    const w = words();
    const el = lmap.getContainer();
    if (!w || !el || !el.setAttribute) { return; }
    el.setAttribute("role", "application");
    el.setAttribute("aria-label", w.name);
    el.setAttribute("aria-roledescription", w.role);
    el.setAttribute("aria-describedby", "atlas-map-hint");
  }

  // Leaflet's paths are focusable (their tooltips listen for focus); none may be a Tab stop.
  function untab(layer) {
    const el = layer && typeof layer.getElement === "function" ? layer.getElement() : null;
    if (el && el.setAttribute && el.getAttribute("tabindex") !== "-1") { el.setAttribute("tabindex", "-1"); }
  }

  function untabAll(lmap) {
    const el = lmap.getContainer();
    if (el && el.querySelectorAll) {
      el.querySelectorAll(".leaflet-interactive").forEach(function (node) {
        if (node.getAttribute("tabindex") !== "-1") { node.setAttribute("tabindex", "-1"); }
      });
    }
  }

  function announce(text) {
    const live = document.getElementById("atlas-map-focus");
    if (live) { live.textContent = text; }
  }

  // ---- the focus mark ------------------------------------------------------------------------

  function pane(lmap, key, z) {
    let el = lmap.getPane(key);
    if (!el) {
      el = lmap.createPane(key);
      el.style.zIndex = z;
      el.style.pointerEvents = "none";
    }
    return key;
  }

  function unmark(lmap, keepLabel) {
    const m = lmap._atlasNav;
    m.marks.forEach(function (layer) { layer.remove(); });
    m.marks = [];
    if (m.label && m.labelShown && !keepLabel) {
      m.label.remove();
      m.labelShown = false;
    }
  }

  // Boxes (map-container pixels) of what lies over the map and hides what is under it: its
  // controls and the panels laid over it (the boxes atlas.js keeps the names clear of).
  function covers(lmap) {
    const el = lmap.getContainer();
    const origin = el.getBoundingClientRect();
    const over = Array.from(el.querySelectorAll(".leaflet-control")).concat(el.parentNode
      ? Array.from(el.parentNode.querySelectorAll(
        ".atlas-legend, .atlas-notice, .atlas-notice-banner, .atlas-kiosk-panel"))
      : []);
    return over.map(function (node) {
      const r = node.getBoundingClientRect();
      return {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height};
    }).filter(function (b) { return b.w > 0 && b.h > 0; });
  }

  function hits(box, boxes) {
    return boxes.some(function (b) {
      return box.x < b.x + b.w && b.x < box.x + box.w && box.y < b.y + b.h && b.y < box.y + box.h;
    });
  }

  function inside(box, size) {
    return box.x >= 0 && box.y >= 0 && box.x + box.w <= size.x && box.y + box.h <= size.y;
  }

  // Whether a point of the map is in plain view: a tenth of the map away from its edges and
  // under none of the panels laid over it.
  function inView(lmap, at) {
    const size = lmap.getSize();
    const p = lmap.latLngToContainerPoint(at);
    const edge = {x: size.x * 0.1, y: size.y * 0.1, w: size.x * 0.8, h: size.y * 0.8};
    return inside({x: p.x - edge.x, y: p.y - edge.y, w: 0, h: 0}, {x: edge.w, y: edge.h})
      && !hits({x: p.x - 10, y: p.y - 10, w: 20, h: 20}, covers(lmap));
  }

  /* The label goes on the first side of its feature (above, below, right, left) where it is
   * whole on the map and clear of the panels over it. Where no side is, the map moves the least
   * it must for one to be (a long name beside the legend), once per feature; and where even
   * that cannot be, the label goes above. */
  const SIDES = [["top", [0, -12]], ["bottom", [0, 12]], ["right", [12, 0]], ["left", [-12, 0]]];
  const GAP = 8;  // px kept between the label or its feature and a panel or the map's edge

  function clear(box, point, boxes, size) {
    return inside(box, size) && !hits(box, boxes)
      && inside({x: point.x - GAP, y: point.y - GAP, w: 2 * GAP, h: 2 * GAP}, size)
      && !hits({x: point.x - GAP, y: point.y - GAP, w: 2 * GAP, h: 2 * GAP}, boxes);
  }

  // The smallest move {dx, dy, cost} of the map's content that clears `box` and `point`.
  function leastMove(box, point, boxes, size) {
    const xs = [0, GAP - box.x, size.x - GAP - box.x - box.w];
    const ys = [0, GAP - box.y, size.y - GAP - box.y - box.h];
    boxes.forEach(function (b) {
      xs.push(b.x - GAP - box.x - box.w, b.x + b.w + GAP - box.x);
      ys.push(b.y - GAP - box.y - box.h, b.y + b.h + GAP - box.y);
    });
    let best = null;
    xs.forEach(function (dx) {
      ys.forEach(function (dy) {
        const moved = {x: box.x + dx, y: box.y + dy, w: box.w, h: box.h};
        const cost = Math.abs(dx) + Math.abs(dy);
        if ((!best || cost < best.cost) && clear(moved, {x: point.x + dx, y: point.y + dy}, boxes, size)) {
          best = {dx: dx, dy: dy, cost: cost};
        }
      });
    });
    return best;
  }

  function setSide(label, side) {
    label.options.direction = side[0];
    label.options.offset = side[1];
    label.update();
  }

  function placeLabel(lmap) {
    const m = lmap._atlasNav;
    const el = m.label && m.labelShown ? m.label.getElement() : null;
    if (!el || !m.at) { return; }
    const origin = lmap.getContainer().getBoundingClientRect();
    const size = lmap.getSize();
    const boxes = covers(lmap);
    const point = lmap.latLngToContainerPoint(m.at);
    let best = null;
    for (let i = 0; i < SIDES.length; i++) {
      setSide(m.label, SIDES[i]);
      const r = el.getBoundingClientRect();
      const box = {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height};
      if (clear(box, point, boxes, size)) { return; }
      const move = m.moved ? null : leastMove(box, point, boxes, size);
      if (move && (!best || move.cost < best.move.cost)) { best = {side: SIDES[i], move: move}; }
    }
    setSide(m.label, best ? best.side : SIDES[0]);
    if (best) {
      m.moved = true;
      lmap.panBy([-best.move.dx || 0, -best.move.dy || 0], {animate: !reducedMotion()});  // again at moveend
    }
  }

  // Where a feature is: a marker's point, a line's middle (for the label and the pan).
  function anchorOf(layer) {
    if (typeof layer.getLatLng === "function") { return layer.getLatLng(); }
    try { return layer.getCenter(); } catch (err) { return layer.getBounds().getCenter(); }
  }

  function reducedMotion() {
    return typeof window.matchMedia === "function"
      && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  /* A ring two strokes wide (white under near-black, so it shows on any colour of the map)
   * around a marker, or a casing of the same two colours under a line or flow; and the feature's
   * words beside it, for the sighted keyboard user. */
  function mark(lmap, item, text) {
    unmark(lmap, true);
    const L = window.L;
    const layer = item.layer;
    const marks = lmap._atlasNav.marks;
    const base = {interactive: false, fill: false};
    if (typeof layer.getRadius === "function") {
      const r = layer.getRadius() + (layer.options.weight || 0) / 2 + RING_GAP;
      const opts = Object.assign({}, base, {pane: pane(lmap, "atlas-nav", 660), radius: r});
      marks.push(L.circleMarker(layer.getLatLng(), Object.assign({}, opts, {weight: 6, className: "atlas-nav-halo"})));
      marks.push(L.circleMarker(layer.getLatLng(), Object.assign({}, opts, {weight: 3, className: "atlas-nav-ring"})));
    } else if (typeof layer.getLatLngs === "function") {
      const w = layer.options.weight || 3;
      const opts = Object.assign({}, base, {pane: pane(lmap, "atlas-nav-under", 615), lineCap: "round",
                                            lineJoin: "round"});
      marks.push(L.polyline(layer.getLatLngs(), Object.assign({}, opts, {weight: w + 14, className: "atlas-nav-ring"})));
      marks.push(L.polyline(layer.getLatLngs(), Object.assign({}, opts, {weight: w + 8, className: "atlas-nav-halo"})));
    }
    marks.forEach(function (m) { m.addTo(lmap); });
    // One label, moved and reworded (a removed tooltip fades out for a while in Leaflet).
    const at = anchorOf(layer);
    const state = lmap._atlasNav;
    state.moved = state.at && at.equals && at.equals(state.at) ? state.moved : false;
    state.at = at;
    if (!state.label) {
      state.label = L.tooltip({permanent: true, direction: "top", offset: [0, -12],
                               interactive: false, pane: pane(lmap, "atlas-nav", 660),
                               className: "atlas-nav-label"});
    }
    const span = document.createElement("span");
    span.textContent = text;
    state.label.setLatLng(at).setContent(span);
    if (!state.labelShown) {
      state.label.addTo(lmap);
      state.labelShown = true;
    }
    return at;
  }

  // Mark the i-th feature of `list`, bring it into view and say it.
  function show(lmap, list, i) {
    const w = words();
    const text = describe(list[i].p, N.state.year, N.state.lang, w);
    const at = mark(lmap, list[i], text);
    if (inView(lmap, at)) {
      placeLabel(lmap);
    } else {
      lmap.panTo(at, {animate: !reducedMotion()});  // the label is placed when the map stops
    }
    announce(fill(w.focus, {feature: text, n: i + 1, total: list.length}));
  }

  function step(lmap, delta, to) {
    const list = featuresOf(lmap);
    const w = words();
    if (!list.length) {
      N.current = null;
      unmark(lmap);
      announce(w.none);
      return;
    }
    let i = list.findIndex(function (f) { return f.id === N.current; });
    if (to !== undefined) {
      i = to < 0 ? list.length - 1 : 0;
    } else if (i < 0) {
      // from nothing: the selected feature if it is on the map, else the first (or the last)
      i = list.findIndex(function (f) { return f.id === N.state.selected; });
      if (i < 0) { i = delta > 0 ? 0 : list.length - 1; }
    } else {
      i = (i + delta + list.length) % list.length;
    }
    N.current = list[i].id;
    show(lmap, list, i);
  }

  function select() {
    if (!N.current) { return; }
    setProps("atlas-selected", {data: N.current});  // what a click on the feature stores
  }

  function overview(lmap) {
    N.current = null;
    unmark(lmap);
    announce("");
    setProps("atlas-selected", {data: null});
    const view = N.config && N.config.views && N.config.views[N.state.theme];
    if (view && view.bounds) {  // the theme's framed box, as a theme click shows it
      setProps("atlas-map", {viewport: {bounds: view.bounds, transition: "flyToBounds",
                                        options: {maxZoom: view.zoom, keepClear: true}}});
    } else if (view) {
      setProps("atlas-map", {viewport: {center: view.center, zoom: view.zoom, transition: "flyTo"}});
    }
  }

  // After the layers were rebuilt (year, layers, language or selection changed): the ring
  // follows its feature's new Leaflet layer, or goes when the feature has left the map.
  function refresh(lmap) {
    const m = lmap._atlasNav;
    m.pending = false;
    untabAll(lmap);
    if (!N.current || !m.focused || !N.state) { return; }
    const item = featuresOf(lmap).find(function (f) { return f.id === N.current; });
    if (item) {
      mark(lmap, item, describe(item.p, N.state.year, N.state.lang, words()));
      placeLabel(lmap);
    } else {
      N.current = null;
      unmark(lmap);
    }
  }

  function schedule(lmap) {
    const m = lmap._atlasNav;
    if (m.pending) { return; }
    m.pending = true;
    Promise.resolve().then(function () { refresh(lmap); });
  }

  function onKey(lmap, event) {
    const el = lmap.getContainer();
    if (event.target !== el || event.altKey || event.ctrlKey || event.metaKey || !N.state || !words()) {
      return;
    }
    const key = event.key;
    const arrow = NEXT.indexOf(key) >= 0 || PREV.indexOf(key) >= 0;
    if (arrow && event.shiftKey) { return; }  // Leaflet pans
    if (NEXT.indexOf(key) >= 0) {
      step(lmap, 1);
    } else if (PREV.indexOf(key) >= 0) {
      step(lmap, -1);
    } else if (key === "Home" || key === "End") {
      step(lmap, 0, key === "Home" ? 0 : -1);
    } else if (key === "Enter" || key === " " || key === "Spacebar") {
      select();
    } else if (key === "Escape" || key === "Esc") {
      overview(lmap);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();  // not Leaflet's arrows, nor atlas.js's Escape (it would clear twice)
  }

  /* Take over a Leaflet map (called for every map as it is made, through L.Map's init hook). */
  function attach(lmap) {
    if (lmap._atlasNav) { return; }
    lmap._atlasNav = {marks: [], label: null, labelShown: false, pending: false, focused: false};
    N.maps.push(lmap);
    const el = lmap.getContainer();
    el.addEventListener("keydown", function (event) { onKey(lmap, event); }, true);
    el.addEventListener("focus", function () {
      lmap._atlasNav.focused = true;
      untabAll(lmap);
      schedule(lmap);  // the ring comes back on the feature it was on
    });
    el.addEventListener("blur", function () {
      lmap._atlasNav.focused = false;
      unmark(lmap);
    });
    lmap.on("moveend", function () { placeLabel(lmap); });
    lmap.on("layeradd", function (event) {
      if (event.layer && event.layer.feature) {
        untab(event.layer);
        schedule(lmap);
      }
    });
    named(lmap);
  }

  function hook() {
    const L = window.L;
    if (L && L.Map && typeof L.Map.addInitHook === "function" && !L.Map.prototype.atlasNav) {
      L.Map.prototype.atlasNav = true;
      L.Map.addInitHook(function () { attach(this); });
    }
  }

  hook();  // dash-leaflet's bundle, which sets window.L, runs before the assets

  /* The state the keys act on (theme, year, layers, selection, language) and the words they
   * speak, from the MAP_KEYS store (called by atlas.view, callbacks/map.py); returns the key
   * hint in the current language. Its helpers hang on it as `nav` for the tests: window.atlas is atlas.js's. */
  function mapKeys(config, theme, year, layers, selected, lang) {
    const before = N.state && N.state.lang;
    N.config = config || N.config;
    N.state = {theme: theme, year: Number(year), layers: layers || [], selected: selected || null,
               lang: lang === "en" ? "en" : "zh"};
    N.maps.forEach(function (lmap) { named(lmap); schedule(lmap); });
    const w = words();
    return w && before !== N.state.lang ? w.keys : window.dash_clientside.no_update;
  }
  mapKeys.nav = {describe: describe, ordered: ordered, attach: attach, fill: fill,
                 current: function () { return N.current; }};

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {mapKeys: mapKeys});
})();
