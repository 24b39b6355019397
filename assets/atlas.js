/* Browser-side behaviour of the atlas.
 * window.atlas.map.*: Leaflet callbacks referenced from Python as {variable: "atlas.map.<name>"};
 * they read year, layers, selection, language and style from the map's view (assets/views.js)
 * or the layer's `hideout`, so moving the slider restyles features in the browser, in place.
 * window.dash_clientside.atlas.*: clientside Dash callbacks (view, timeline, URL, hideouts).
 * Text from data is only ever set with textContent, never as HTML. */
(function () {
  "use strict";

  // The status record in force in `year`: the last one dated in or before it (null if none).
  function recordAt(tl, year) {
    let current = null;
    for (let i = 0; i < (tl || []).length; i++) {
      if (tl[i][0] <= year) { current = tl[i]; }
    }
    return current;
  }

  function statusAt(tl, year) {
    if (!tl || !tl.length) { return "open"; }
    const record = recordAt(tl, year);
    return record ? record[1] : null;
  }

  // Whether the status shown in `year` rests on a date that only attests it (`att` lists the
  // years of such records); core/timeline.py attested_at is the Python twin.
  function attestedAt(tl, att, year) {
    const record = recordAt(tl, year);
    return record !== null && (att || []).indexOf(record[0]) >= 0;
  }

  function textNode(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function name(p, lang) {
    return lang === "en" ? (p.name_en || p.label_en) : (p.name_zh || p.label_zh);
  }

  function colour(s, layer, status) { return status === "closed" ? s.closed : s.colours[layer]; }

  function safe(id) { return String(id).replace(/[^A-Za-z0-9_-]/g, "_"); }

  // ---- Names on the map, placed by a collision rule --------------------------------------------
  // The pure part (boxes in, decisions out; tests/js/labels.test.mjs): candidate boxes around a
  // point, beside a line or around an area's centre, and the greedy placement. Boxes are
  // {x, y, w, h} in map-container pixels, x/y their top-left corner.

  function overlap(a, b, pad) {
    return a.x - pad < b.x + b.w && b.x - pad < a.x + a.w
      && a.y - pad < b.y + b.h && b.y - pad < a.y + a.h;
  }

  function within(box, frame) {
    return !frame || (box.x >= frame.x && box.y >= frame.y
      && box.x + box.w <= frame.x + frame.w && box.y + box.h <= frame.y + frame.h);
  }

  // Whether the segment s ({x1, y1, x2, y2}) passes through the box grown by pad (Liang–Barsky).
  function crosses(box, s, pad) {
    const dx = s.x2 - s.x1, dy = s.y2 - s.y1;
    const p = [-dx, dx, -dy, dy];
    const q = [s.x1 - (box.x - pad), box.x + box.w + pad - s.x1,
               s.y1 - (box.y - pad), box.y + box.h + pad - s.y1];
    let t0 = 0, t1 = 1;
    for (let i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) { return false; }
      } else {
        const t = q[i] / p[i];
        if (p[i] < 0) { t0 = Math.max(t0, t); } else { t1 = Math.min(t1, t); }
        if (t0 > t1) { return false; }
      }
    }
    return true;
  }

  function sharedArea(a, b) {
    const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
    const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /* Greedy placement. items: [{key, rank, selected, candidates: [box, ...], force, same, clear}];
   * obstacles: boxes no label may cover (place markers, map controls); frame: the box every label
   * must lie in (null: anywhere); pad: the least gap kept around a label.
   * Items go in order: the selected one first, then by rank (lower first), then as given. Each
   * takes its first candidate that lies in the frame and overlaps no obstacle and no label placed
   * before it (nor crosses a segment of its `clear` list, e.g. the lines a line's name must
   * not sit on); an item with none is hidden ("collides"), one with no candidate in the frame is
   * "outside", and one whose `same` (e.g. its text) a shown label already has is a "repeat". A
   * `force`d item that fits nowhere still shows, at its in-frame candidate that overlaps least.
   * Returns one decision per item, in the items' order: {key, shown, reason, candidate, box}. */
  function placeLabels(items, obstacles, frame, pad) {
    const gap = pad || 0;
    const order = items.map(function (item, i) { return i; });
    order.sort(function (i, j) {
      const a = items[i], b = items[j];
      return (b.selected ? 1 : 0) - (a.selected ? 1 : 0) || (a.rank || 0) - (b.rank || 0) || i - j;
    });
    const placed = [];
    const shownSame = new Set();
    const decisions = new Array(items.length);
    const free = function (box, clear) {
      return !obstacles.some(function (o) { return overlap(box, o, gap); })
        && !placed.some(function (o) { return overlap(box, o, gap); })
        && !(clear || []).some(function (seg) { return crosses(box, seg, gap); });
    };
    order.forEach(function (i) {
      const item = items[i];
      const options = (item.candidates || []).map(function (box, k) { return {box: box, k: k}; })
        .filter(function (c) { return within(c.box, frame); });
      let pick = null;
      let reason = "collides";
      if (!options.length) {
        reason = "outside";
      } else if (item.same && shownSame.has(item.same)) {
        reason = "repeat";
      } else {
        pick = options.find(function (c) { return free(c.box, item.clear); }) || null;
        reason = pick ? "shown" : "collides";
        if (!pick && item.force) {
          const cost = function (box) {
            return obstacles.concat(placed).reduce(function (sum, o) { return sum + sharedArea(box, o); }, 0);
          };
          pick = options.reduce(function (best, c) { return cost(c.box) < cost(best.box) ? c : best; });
          reason = "forced";
        }
      }
      if (pick) {
        placed.push(pick.box);
        if (item.same) { shownSame.add(item.same); }
      }
      decisions[i] = {key: item.key, shown: Boolean(pick), reason: reason,
                      candidate: pick ? pick.k : -1, box: pick ? pick.box : null};
    });
    return decisions;
  }

  // Beside a marker of radius r (stroke included) centred on (x, y), clear of its box: right,
  // left, above, below, then the four corners.
  function aroundPoint(x, y, r, w, h) {
    const g = r + 3;
    return [
      {x: x + g, y: y - h / 2}, {x: x - g - w, y: y - h / 2},
      {x: x - w / 2, y: y - g - h}, {x: x - w / 2, y: y + g},
      {x: x + g, y: y - g - h}, {x: x + g, y: y + g},
      {x: x - g - w, y: y - g - h}, {x: x - g - w, y: y + g}
    ].map(function (b) { return {x: Math.round(b.x), y: Math.round(b.y), w: w, h: h}; });
  }

  // Beside a line drawn `weight` wide through `points` ([[x, y], ...], one part): at points along
  // it (its middle first, then outwards) that lie in `frame`, on either side, the box just clear
  // of the line there (the upper or right side first).
  function alongLine(points, weight, w, h, frame) {
    const lengths = [0];
    for (let i = 1; i < points.length; i++) {
      lengths.push(lengths[i - 1] + Math.hypot(points[i][0] - points[i - 1][0],
                                               points[i][1] - points[i - 1][1]));
    }
    const total = lengths[lengths.length - 1];
    if (!(total > 0)) { return []; }
    const out = [];
    [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9].forEach(function (share) {
      const at = share * total;
      let i = 1;
      while (i < points.length - 1 && lengths[i] < at) { i++; }
      const a = points[i - 1], b = points[i];
      const len = lengths[i] - lengths[i - 1] || 1;
      const t = (at - lengths[i - 1]) / len;
      const px = a[0] + (b[0] - a[0]) * t, py = a[1] + (b[1] - a[1]) * t;
      if (frame && !within({x: px, y: py, w: 0, h: 0}, frame)) { return; }
      const tx = (b[0] - a[0]) / len, ty = (b[1] - a[1]) / len;
      let nx = -ty, ny = tx;  // a normal; made to point up (or right, on an upright line)
      if (ny > 0 || (ny === 0 && nx < 0)) { nx = -nx; ny = -ny; }
      const reach = weight / 2 + 3 + Math.abs(nx) * w / 2 + Math.abs(ny) * h / 2;
      [1, -1].forEach(function (side) {
        out.push({x: Math.round(px + side * nx * reach - w / 2),
                  y: Math.round(py + side * ny * reach - h / 2), w: w, h: h});
      });
    });
    return out;
  }

  // Around an area's centre (x, y): the centre itself, then moved in eight directions by d times
  // its own size (and 2 px) for each d of `rings` (for the district that must always be named).
  function aroundArea(x, y, w, h, rings) {
    const out = [{x: Math.round(x - w / 2), y: Math.round(y - h / 2), w: w, h: h}];
    (rings || []).forEach(function (d) {
      [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]].forEach(function (u) {
        out.push({x: Math.round(x + u[0] * (d * w + 2) - w / 2),
                  y: Math.round(y + u[1] * (d * h + 2) - h / 2), w: w, h: h});
      });
    });
    return out;
  }

  // A line's label: its name without a bracketed section ("（北京段）", "(Hebei section)").
  function lineName(text) {
    return String(text).replace(/\s*[（(][^（()）]*(段|section|—|–)[^（()）]*[）)]\s*$/i, "");
  }

  // A station's name without "railway station" ("Beijing West", as timetables say it), for a
  // map too small for the whole name (the close-up of Fengtai, inset.js); the marker says what
  // it is.
  function shortName(text) {
    return String(text).replace(/\s+railway station$/i, "");
  }

  // Rank by kind (lower is placed first): Fengtai's name, hubs and stations, receiving and
  // successor sites (and the markets they succeed), cities and areas, lines, other districts.
  const RANK = {focus: 1, station: 2, air_terminal: 2, airport: 2, receiving_site: 3,
                successor_site: 3, market: 3, park: 3, government: 3, place: 4, line: 5, area: 6};
  const FOCUS_RINGS = [0.5, 1, 1.5, 2, 3, 4];
  const LABEL_PAD = 2;

  const labels = {
    place: placeLabels, aroundPoint: aroundPoint, alongLine: alongLine, aroundArea: aroundArea,
    crosses: crosses, lineName: lineName, shortName: shortName, rank: RANK
  };

  // The DOM part: one labeller per Leaflet map, run (once per task) after anything that can move
  // labels: the map's move/zoom/resize end, layers added or removed (a year, layer, language or
  // selection change rebuilds the GeoJSON layers), the legend opening or closing.
  const labellers = [];

  function labeller(leafletMap) {
    if (!leafletMap._atlasLabeller) {
      const state = {map: leafletMap, hideout: null, pending: false, els: new Map(), pane: null};
      leafletMap._atlasLabeller = state;
      // While the zoom changes (a fly-to takes many frames) names wait, hidden, for its end.
      leafletMap.on("moveend zoomend", function () {
        state.zooming = false;
        schedule(state);
      });
      leafletMap.on("resize", function () {
        state.els.forEach(function (el) { el.atlasSize = null; });
        leafletMap.eachLayer(function (layer) {
          const tip = layer.feature && layer.getTooltip && layer.getTooltip();
          const el = tip && tip.getElement && tip.getElement();
          if (el) { el.atlasSize = null; }
        });
        schedule(state);
      });
      leafletMap.on("layeradd layerremove", function (event) {
        if (event.layer && event.layer.feature) { schedule(state); }  // not for hover tooltips
      });
      leafletMap.on("atlasview", function () { schedule(state); });  // restyled in place
      leafletMap.on("zoomstart", function () {
        state.zooming = true;
        if (state.pane) { state.pane.classList.add("atlas-labels-moving"); }
      });
      labellers.push(state);
    }
    return leafletMap._atlasLabeller;
  }

  // Called by the layers' functions with their context. The language and selection are read
  // from the story layers' hideout (`own`); the basemap's is taken only until one comes, since
  // the basemap arrives by its own fetch, possibly with the hideout it had when it was asked for.
  function track(context, own) {
    if (!context || !context.map || typeof context.map.on !== "function") { return; }
    const state = labeller(context.map);
    if (context.hideout && (own || !state.hideout)) { state.hideout = context.hideout; }
    schedule(state);
  }

  function schedule(state) {
    if (state.pending) { return; }
    state.pending = true;
    Promise.resolve().then(function () {
      state.pending = false;
      drawLabels(state);
    });
  }

  function relabelAll() { labellers.forEach(schedule); }

  function labelPane(state) {
    if (!state.pane) {
      state.pane = state.map.getPane("atlas-labels") || state.map.createPane("atlas-labels");
      state.pane.classList.add("leaflet-zoom-hide", "atlas-labels");
      state.pane.style.zIndex = 640;  // over lines (620) and flows (630), under places (650)
    }
    return state.pane;
  }

  function ownLabel(state, key, text, cls) {
    let el = state.els.get(key);
    if (!el) {
      el = document.createElement("div");
      state.els.set(key, el);
      state.pane.appendChild(el);
    }
    if (el.atlasText !== text) {
      el.textContent = "";
      el.appendChild(textNode(text));
      el.atlasText = text;
    }
    el.className = cls;
    return el;
  }

  // Boxes (in map-container pixels) of what no label may cover: the map's controls and the
  // panels laid over the map.
  function reservedBoxes(container) {
    const origin = container.getBoundingClientRect();
    const nodes = container.querySelectorAll(".leaflet-control");
    const around = container.parentNode ? container.parentNode.querySelectorAll(
      ".atlas-legend, .atlas-notice, .atlas-notice-banner, .atlas-kiosk-panel, "
      + ".atlas-compare-switch, .atlas-compare-caption, .atlas-inset:not([hidden])") : [];
    return Array.from(nodes).concat(Array.from(around)).map(function (node) {
      const r = node.getBoundingClientRect();
      return {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height};
    }).filter(function (b) { return b.w > 0 && b.h > 0; });
  }

  function drawLabels(state) {
    const lmap = state.map;
    if (!lmap._loaded || state.zooming || lmap._animatingZoom) { return; }  // zoomend runs it
    const started = performance.now();
    const h = lmap._atlasView || state.hideout || {};
    const lang = h.lang, selected = h.selected;
    const pane = labelPane(state);
    const size = lmap.getSize();
    const frame = {x: 0, y: 0, w: size.x, h: size.y};
    const entries = [];
    const seen = new Set();
    const pixel = function (c) { return [c.x, c.y]; };
    const point = function (latlng) { return pixel(lmap.latLngToContainerPoint(latlng)); };
    lmap.eachLayer(function (layer) {
      const p = layer.feature && layer.feature.properties;
      if (!p) { return; }
      if (typeof layer.getRadius === "function") {
        const text = lmap.options.atlasShortNames ? shortName(name(p, lang)) : name(p, lang);
        const key = "place:" + p.id;
        const sel = p.id === selected;
        seen.add(key);
        entries.push({kind: "place", key: key, p: p, text: text, selected: sel,
                      rank: RANK[p.kind] || RANK.place, at: point(layer.getLatLng()),
                      r: layer.options.radius + layer.options.weight / 2,
                      el: ownLabel(state, key, text, "atlas-label atlas-label-place"
                        + (sel ? " atlas-label-selected" : ""))});
      } else if (p.width !== undefined && p.part === undefined && layer.getLatLngs) {
        const text = lineName(name(p, lang));
        const key = "line:" + p.id;
        const sel = p.id === selected;
        seen.add(key);
        const latlngs = layer.getLatLngs();
        const parts = latlngs.length && Array.isArray(latlngs[0]) ? latlngs : [latlngs];
        entries.push({kind: "line", key: key, p: p, text: text, selected: sel, rank: RANK.line,
                      parts: parts.map(function (part) { return part.map(point); }),
                      weight: layer.options.weight,
                      el: ownLabel(state, key, text, "atlas-label atlas-label-line"
                        + (sel ? " atlas-label-selected" : ""))});
      } else if (p.label && layer.getTooltip && layer.getTooltip()) {
        const tooltip = layer.getTooltip();
        const el = tooltip.getElement && tooltip.getElement();
        if (!el || !tooltip.getLatLng()) { return; }
        entries.push({kind: "area", key: "area:" + p.id, p: p, text: el.textContent,
                      selected: p.id === selected, rank: p.focus ? RANK.focus : RANK.area,
                      tooltip: tooltip, el: el,
                      at: pixel(lmap.layerPointToContainerPoint(
                        lmap.latLngToLayerPoint(tooltip.getLatLng())))});
      }
    });
    state.els.forEach(function (el, key) {
      if (!seen.has(key)) { el.remove(); state.els.delete(key); }
    });

    // Measure the labels not measured yet (shown, in one layout for all; a label's size is kept
    // while its text and classes stay), then decide, then write.
    const fresh = entries.filter(function (e) {
      e.sizeKey = e.el.className.replace(" atlas-label-hidden", "") + "|" + e.text;
      return !e.el.atlasSize || e.el.atlasSize.key !== e.sizeKey;
    });
    fresh.forEach(function (e) { e.el.classList.remove("atlas-label-hidden"); });
    const obstacles = reservedBoxes(lmap.getContainer());
    fresh.forEach(function (e) {
      const r = e.el.getBoundingClientRect();
      // Leaflet centres a tooltip by its offset size, rounded (`half`)
      e.el.atlasSize = {key: e.sizeKey, w: Math.ceil(r.width), h: Math.ceil(r.height),
                        half: [Math.round(e.el.offsetWidth / 2), Math.round(e.el.offsetHeight / 2)]};
    });
    entries.forEach(function (e) {
      e.w = e.el.atlasSize.w;
      e.h = e.el.atlasSize.h;
      e.half = e.el.atlasSize.half;
      if (e.kind === "place") {
        obstacles.push({x: e.at[0] - e.r, y: e.at[1] - e.r, w: 2 * e.r, h: 2 * e.r});
      }
    });
    // a map may name only its first ranks (the close-up of Fengtai names its hubs, inset.js)
    const limit = lmap.options.atlasLabelRank || Infinity;
    const items = entries.map(function (e) {
      let candidates;
      if (e.rank > limit && !e.selected) {
        candidates = [];
      } else if (e.kind === "place") {
        candidates = within({x: e.at[0], y: e.at[1], w: 0, h: 0}, frame)
          ? aroundPoint(e.at[0], e.at[1], e.r, e.w, e.h) : [];
      } else if (e.kind === "line") {
        candidates = [].concat.apply([], e.parts.map(function (part) {
          return alongLine(part, e.weight, e.w, e.h, frame);
        }));
      } else {
        const x = e.at[0] - e.half[0] + e.w / 2, y = e.at[1] - e.half[1] + e.h / 2;
        candidates = within({x: e.at[0], y: e.at[1], w: 0, h: 0}, frame)
          ? aroundArea(x, y, e.w, e.h, e.p.focus ? FOCUS_RINGS : []) : [];
      }
      return {key: e.key, rank: e.rank, selected: e.selected, candidates: candidates,
              force: Boolean(e.p.focus), same: e.kind === "line" || e.kind === "place"
                || !e.p.focus ? "name:" + e.text : null};
    });
    // A line's name sits beside it, on no line (its own or another), so it names the right one.
    const segments = [];
    entries.forEach(function (e) {
      (e.parts || []).forEach(function (part) {
        for (let i = 1; i < part.length; i++) {
          segments.push({x1: part[i - 1][0], y1: part[i - 1][1], x2: part[i][0], y2: part[i][1]});
        }
      });
    });
    items.forEach(function (item, i) {
      if (entries[i].kind === "line") { item.clear = segments; }
    });
    const decisions = placeLabels(items, obstacles, frame, LABEL_PAD);

    entries.forEach(function (e, i) {
      const d = decisions[i];
      e.el.dataset.label = d.reason;
      e.el.dataset.id = e.p.id;
      e.el.classList.toggle("atlas-label-hidden", !d.shown);
      if (!d.shown) { return; }
      const at = lmap.containerPointToLayerPoint([d.box.x, d.box.y]);
      if (e.kind === "area") {
        if (e.p.focus && e.el.parentNode && e.el.parentNode.firstChild !== e.el) {
          e.el.parentNode.insertBefore(e.el, e.el.parentNode.firstChild);  // read first
        }
        // Leaflet puts a centred tooltip at its anchor less half its size plus its offset; set the
        // offset that lands it in the chosen box, so Leaflet's own updates (zooming) agree.
        e.tooltip.options.offset = L.point(d.box.x - e.at[0] + e.half[0],
                                           d.box.y - e.at[1] + e.half[1]);
      }
      L.DomUtil.setPosition(e.el, at);
    });
    pane.classList.remove("atlas-labels-moving");
    state.runs = (state.runs || 0) + 1;
    const done = lmap.getContainer().dataset;  // for tests to wait on
    done.labelRuns = String(state.runs);
    done.labelZoom = String(lmap.getZoom());
    done.labelMs = (performance.now() - started).toFixed(1);  // what a run costs
  }

  // The legend folds away (its button says so with aria-expanded); folded by default on narrow
  // screens. The state lives on the legend's box, which Dash keeps while it redraws the rows.
  function syncLegend() {
    const box = document.getElementById("atlas-legend");
    if (!box || !box.dataset) { return; }
    if (box.dataset.collapsed === undefined) {
      const narrow = window.matchMedia && window.matchMedia("(max-width: 699px)").matches;
      box.dataset.collapsed = narrow ? "true" : "false";
      box.addEventListener("click", function (event) {
        if (!event.target.closest(".atlas-legend-toggle")) { return; }
        box.dataset.collapsed = box.dataset.collapsed === "true" ? "false" : "true";
        syncLegend();
        relabelAll();  // the map's free room changed
      });
    }
    const button = box.querySelector(".atlas-legend-toggle");
    const expanded = box.dataset.collapsed === "true" ? "false" : "true";
    if (button && button.getAttribute("aria-expanded") !== expanded) {
      button.setAttribute("aria-expanded", expanded);
    }
  }

  // The view a story layer's style function draws: its map's (assets/views.js), or the layer's
  // own hideout until the map has one.
  function viewOf(context) {
    const views = window.atlas && window.atlas.views;
    return views ? views.viewOf(context) : context.hideout;
  }

  // Keep a story feature's layer, so a view change restyles it in place (assets/views.js).
  function adopt(layer, context, styleName) {
    const views = window.atlas && window.atlas.views;
    if (views) { views.adopt(layer, context, styleName); }
  }

  const map = {
    statusAt: statusAt,
    attestedAt: attestedAt,

    visible: function (feature, context) {
      const p = feature.properties, h = viewOf(context);
      if (h.layers.indexOf(p.layer) < 0) { return false; }
      if (p.from_year !== undefined) { return p.from_year <= h.year; }
      return statusAt(p.tl, h.year) !== null;
    },

    // The style rules. Every colour, width and dash comes from the style specification
    // (core/style.py SPEC, in hideout.style); core/style.py has the Python twin of each rule
    // and tests/unit/test_parity.py proves them equal.
    boundaryStyle: function (feature, context) {
      const p = feature.properties, s = context.hideout.style, b = s.boundary;
      const selected = p.id === context.hideout.selected;
      if (p.level === "province") { return {color: b.province, weight: b.outline, fill: false}; }
      if (p.level === "new_area") {
        return {color: s.xiongan.edge, weight: b.outline, dashArray: s.xiongan.dash, fill: false};
      }
      if (p.focus) {
        return {color: s.fengtai.edge,
                weight: selected ? b.weight.fengtai_selected : b.weight.fengtai,
                fillColor: s.fengtai.fill, fillOpacity: s.fengtai.opacity};
      }
      return {color: selected ? b.selected : b.edge,
              weight: selected ? b.weight.unit_selected : b.weight.unit,
              fillColor: b.fill, fillOpacity: 1};
    },

    boundaryLabel: function (feature, layer, context) {
      const p = feature.properties;
      if (!p.label) { return; }
      track(context, false);  // the labeller decides where (and whether) it shows
      layer.bindTooltip(textNode(name(p, context.hideout.lang)), {
        permanent: true, direction: "center", interactive: false,
        className: "atlas-area-label" + (p.focus ? " atlas-focus" : "")});
    },

    // `inner` is the white second stroke that tells rail from road (lineFeature draws it):
    // ticks along a solid railway, the core of a road's double line (dashed like its status).
    lineStyle: function (feature, context) {
      const p = feature.properties, h = viewOf(context), s = h.style, l = s.line;
      const status = statusAt(p.tl, h.year);
      const attested = attestedAt(p.tl, p.att, h.year);
      const selected = p.id === h.selected;
      const opacity = attested ? l.attestedOpacity : l.opacity;
      const dash = s.dash[status] || null;
      const options = {
        color: colour(s, p.layer, status),
        weight: p.width + (selected ? l.selectedExtra : 0),
        opacity: opacity,
        dashArray: dash,
        className: "atlas-line atlas-line-" + safe(p.id) + " atlas-status-" + status
      };
      if (l.roads.indexOf(p.kind) >= 0) {
        options.lineCap = l.roadCap;
        options.inner = {color: l.inner, weight: l.roadCore, opacity: opacity, dashArray: dash,
                         lineCap: l.roadCap};
      } else if (dash === null) {
        options.inner = {color: l.inner, weight: l.railTicks.weight, opacity: opacity,
                         dashArray: l.railTicks.dashArray, lineCap: "butt"};
      } else {
        options.inner = null;
      }
      return options;
    },

    flowStyle: function (feature, context) {
      const p = feature.properties, h = viewOf(context), f = h.style.flow;
      const fill = h.style.colours[p.layer];
      const selected = p.id === h.selected;
      const cls = "atlas-flow atlas-flow-" + safe(p.id) + " atlas-flow-" + p.part;
      if (p.part === "head") {
        return {stroke: false, fillColor: fill, fillOpacity: f.headOpacity, className: cls};
      }
      const counted = p.value !== null && p.value !== undefined && p.value_year <= h.year;
      return {color: fill, weight: (counted ? p.width : f.minWidth) + (selected ? f.selectedExtra : 0),
              opacity: f.opacity, lineCap: "round", fill: false, className: cls,
              dashArray: counted || p.value === null || p.value === undefined
                ? null : f.uncountedDash};
    },

    placeStyle: function (feature, context) {
      const p = feature.properties, h = viewOf(context), s = h.style.place;
      const status = statusAt(p.tl, h.year);
      const attested = attestedAt(p.tl, p.att, h.year);
      const selected = p.id === h.selected;
      const exact = p.location_accuracy === "exact";
      let edge = selected ? s.edges.selected : (exact ? s.edges.exact : s.edges.estimate);
      if (attested && !selected) { edge = colour(h.style, p.layer, status); }
      return {
        pane: "places",  // layers made here do not inherit the GeoJSON layer's pane
        className: "atlas-place atlas-place-" + safe(p.id) + " atlas-status-" + status,
        radius: s.radius + (selected ? s.selectedExtra : 0),
        weight: selected ? s.selectedWeight : s.weight,
        color: edge,
        dashArray: exact ? null : s.estimateDash,
        fillColor: attested ? s.attestedFill : colour(h.style, p.layer, status),
        fillOpacity: attested ? s.fill.open : (s.fill[status] || s.fill.open)
      };
    },

    // Its name is placed beside it once the layer is drawn (featureTooltip tells the labeller).
    placeMarker: function (feature, latlng, context) {
      return L.circleMarker(latlng, map.placeStyle(feature, context));
    },

    // Every story feature: its tooltip, and it is kept for restyling in place with the style
    // function `styleName` (assets/views.js).
    featureTooltip: function (feature, layer, context, styleName) {
      const p = feature.properties;
      adopt(layer, context, styleName);
      if (p.part === "head") { return; }
      track(context, true);
      layer.bindTooltip(map.nameNode(p, viewOf(context).lang), {direction: "top", sticky: true});
    },

    // A feature's name in `lang`, as a text node (its tooltip, also after a language change).
    nameNode: function (p, lang) { return textNode(name(p, lang)); },

    placeFeature: function (feature, layer, context) {
      map.featureTooltip(feature, layer, context, "placeStyle");
    },

    flowFeature: function (feature, layer, context) {
      map.featureTooltip(feature, layer, context, "flowStyle");
    },

    // A line's tooltip, and its `inner` stroke (lineStyle) drawn on top of it while it is on the
    // map: white ticks on a railway, the white core of a road's double line. views.js keeps the
    // stroke in step when the line is restyled.
    lineFeature: function (feature, layer, context) {
      map.featureTooltip(feature, layer, context, "lineStyle");
      const views = window.atlas && window.atlas.views;
      if (views && layer.options && layer.options.inner && layer.getLatLngs) {
        views.syncInner(layer, layer.options.inner);
      }
      layer.on("add", function () {
        if (layer._map && layer._atlasInner) { layer._atlasInner.addTo(layer._map); }
      });
      layer.on("remove", function () { if (layer._atlasInner) { layer._atlasInner.remove(); } });
    }
  };

  const clientside = {
    view: function (theme, year, layers, selected, lang, center, zoom, keys, compare) {
      // Everything the browser does when the view changes, as one callback (callbacks/map.py):
      // the layers' restyle, the link in the address bar, the year's label and the map
      // keyboard's state. A slider step thus runs one clientside callback instead of four, each
      // of which cost the browser its own round of store updates. Each part runs only when one
      // of its own inputs changed (all of them on the first call). The restyle is no output:
      // window.atlas.views applies the view to the features in place (assets/views.js says why).
      const keep = window.dash_clientside.no_update;
      const context = window.dash_clientside.callback_context || {};
      const fired = (context.triggered || []).map(function (t) {
        return String((t && t.prop_id) || "").split(".")[0];
      }).filter(Boolean);
      const by = function () {
        const ids = Array.prototype.slice.call(arguments);
        return fired.length === 0 || fired.some(function (id) { return ids.indexOf(id) >= 0; });
      };
      const views = window.atlas && window.atlas.views;
      if (views && by("atlas-year", "atlas-layers", "atlas-selected", "atlas-lang")) {
        views.show("atlas-map", {year: year, layers: layers, selected: selected, lang: lang});
      }
      // The close-up of Fengtai follows the page map's view (assets/inset.js).
      const inset = window.atlas && window.atlas.inset;
      if (inset && by("atlas-year", "atlas-layers", "atlas-selected", "atlas-lang")) {
        inset.show({year: year, layers: layers, selected: selected, lang: lang});
      }
      // Year A of a comparison on its own map (assets/compare.js builds and places it).
      const comparing = window.atlas && window.atlas.compare;
      if (comparing && by("atlas-compare", "atlas-layers", "atlas-selected", "atlas-lang")) {
        comparing.show(compare, {layers: layers, selected: selected, lang: lang});
      }
      const view = ["atlas-theme", "atlas-year", "atlas-layers", "atlas-selected", "atlas-lang",
                    "atlas-compare"];
      const url = by.apply(null, view.concat(["atlas-map"]))
        ? clientside.writeUrl(theme, year, layers, selected, lang, center, zoom, compare) : keep;
      const label = by("atlas-year") ? clientside.yearLabel(year) : keep;
      const mapKeys = window.dash_clientside.atlas && window.dash_clientside.atlas.mapKeys;
      const hint = by.apply(null, view.concat(["atlas-map-keys"])) && mapKeys
        ? mapKeys(keys, theme, year, layers, selected, lang) : keep;
      return [url, label, hint];
    },

    boundaryHideout: function (selected, lang, current) {
      if (current && current.selected === (selected || null) && current.lang === lang) {
        return window.dash_clientside.no_update;
      }
      return Object.assign({}, current, {selected: selected || null, lang: lang});
    },

    writeUrl: function (theme, year, layers, selected, lang, center, zoom, compare) {
      const params = new URLSearchParams();
      params.set("theme", theme);
      params.set("year", String(year));
      params.set("layers", (layers || []).join(","));
      params.set("lang", lang);
      if (selected) { params.set("sel", selected); }
      const before = new URLSearchParams(window.location.search);
      if (before.get("kiosk") === "1") {
        params.set("kiosk", "1");  // a kiosk keeps its mode across reloads
      }
      if (center && zoom !== undefined && zoom !== null) {
        const lat = Array.isArray(center) ? center[0] : center.lat;
        const lng = Array.isArray(center) ? center[1] : center.lng;
        params.set("view", lat.toFixed(4) + "," + lng.toFixed(4) + "," + Math.round(zoom));
      }
      if (before.get("user")) {
        params.set("user", before.get("user"));  // planners' layers: assets/userlayers.js
      }
      if (compare && compare.mode && compare.a !== undefined && compare.a !== null) {
        params.set("compare", compare.mode);
        params.set("a", String(compare.a));
        params.set("b", String(year));
      }
      const query = "?" + params.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
      if (window.location.search !== query) {
        window.history.replaceState(null, "", window.location.pathname + query);
      }
      return query;
    },

    timeline: function (ticks, back, forward, year, loop, playing, min, max) {
      const trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
      const noUpdate = window.dash_clientside.no_update;
      if (trigger.indexOf("step-back") >= 0) { return [Math.max(min, year - 1), noUpdate]; }
      if (trigger.indexOf("step-forward") >= 0) { return [Math.min(max, year + 1), noUpdate]; }
      if (!playing) { return [noUpdate, noUpdate]; }
      if (year >= max) {
        return (loop || []).indexOf("loop") >= 0 ? [min, noUpdate] : [noUpdate, false];
      }
      return [year + 1, noUpdate];
    },

    viewBounds: function (clicks, center, zoom) {
      // The map's current extent [west, south, east, north] from its centre, zoom and size
      // (Web Mercator, as Leaflet computes it), for exporting exactly what the screen shows.
      const el = document.getElementById("atlas-map");
      if (!el || !center || zoom === undefined || zoom === null) { return null; }
      const lat = Array.isArray(center) ? center[0] : center.lat;
      const lng = Array.isArray(center) ? center[1] : center.lng;
      const world = 256 * Math.pow(2, zoom);
      const x = (lng + 180) / 360 * world;
      const s = Math.sin(lat * Math.PI / 180);
      const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world;
      const w = el.clientWidth / 2, h = el.clientHeight / 2;
      const lonAt = function (px) { return px / world * 360 - 180; };
      const latAt = function (py) {
        const n = Math.PI - 2 * Math.PI * py / world;
        return 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
      };
      return [lonAt(x - w), latAt(y + h), lonAt(x + w), latAt(y - h)];
    },

    yearLabel: function (year) { return String(year); },

    storyMarks: function (theme, story, min, max) {
      // Twin of layout.controls.year_marks: the theme's years with recorded changes stand out.
      const years = (story && story.years && story.years[theme]) || [];
      const marks = {};
      for (let y = min; y <= max; y += 1) {
        marks[y] = {label: String(y), style: years.indexOf(y) >= 0 ? story.story : story.quiet};
      }
      return marks;
    },

    toggleExport: function (open, close, hidden) {
      // The export button toggles the dialog; its close button (or anything else) hides it.
      const t = window.dash_clientside.callback_context.triggered[0] || {};
      watchExportStatus();
      return (t.prop_id || "").indexOf("atlas-export-open.") === 0 ? !hidden : true;
    },

    togglePlay: function (clicks, playing) {
      return !playing;
    },

    playState: function (playing, speed, lang, speeds, texts) {
      const words = texts[lang === "en" ? "en" : "zh"];
      const label = playing ? words.pause : words.play;
      return [!playing, speeds[speed] || 1200, playing ? "❚❚" : "▶", label, label];
    }
  };

  // A message in the export dialog's status line is scrolled into sight when it comes: on a
  // phone the dialog is taller than the screen, and the line, under the buttons, would arrive
  // out of view. "nearest" scrolls the dialog no further than needed, so the buttons stay.
  let watchedStatus = null;
  function watchExportStatus() {
    const status = document.getElementById("atlas-export-status");
    if (!status || status === watchedStatus || typeof window.MutationObserver === "undefined") {
      return;
    }
    watchedStatus = status;
    new window.MutationObserver(function () {
      if (status.textContent && status.scrollIntoView) {
        status.scrollIntoView({block: "nearest"});
      }
    }).observe(status, {childList: true, characterData: true, subtree: true});
  }

  // A source button asks the server for its source through the source store. One listener for
  // the whole page rather than a callback on the buttons: the panel re-creates its buttons with
  // every update, and a pattern-matching callback would run (and cost the browser a store
  // update) each time, clicked or not. n counts requests, so the same source opens again.
  let sourceRequests = 0;
  function askForSource(event) {
    const target = event.target;
    const button = target && target.closest ? target.closest(".atlas-source-link") : null;
    const dash = window.dash_clientside;
    if (!button || !dash || typeof dash.set_props !== "function") { return; }
    let key = null;
    try {
      key = JSON.parse(button.id).key;
    } catch (err) {
      return;
    }
    if (typeof key !== "string" || !key) { return; }
    sourceRequests += 1;
    dash.set_props("atlas-source-request", {data: {key: key, n: sourceRequests}});
  }
  if (document.addEventListener) { document.addEventListener("click", askForSource); }

  window.atlas = Object.assign({}, window.atlas, {map: map, labels: labels});
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  // Merge, so functions other scripts add to the namespace (kiosk.js) survive any load order.
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, clientside);

  if (window.MutationObserver && document.documentElement) {
    new window.MutationObserver(syncLegend).observe(document.documentElement,
                                                    {childList: true, subtree: true});
  }

  // Escape anywhere returns from a selection to the theme overview.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    const dialogClose = document.getElementById("atlas-source-close");
    const dialog = document.getElementById("atlas-source-dialog");
    if (dialog && !dialog.hidden && dialogClose) { dialogClose.click(); return; }
    const clear = document.getElementById("atlas-clear");
    if (clear) { clear.click(); }
  });
})();
