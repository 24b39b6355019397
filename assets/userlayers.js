/* Planners' own layers on the map (issue 13): upload, draw, filter by year, pick a feature.
 *
 * The server reads, checks and stores an uploaded file (uploads/web.py) and gives each layer's
 * drawing in the chosen style: per feature its class (a colour of the legend, -1 for no value)
 * and year (null: always shown). Here:
 *   - points are drawn on one canvas (DotLayer): a layer of 100,000 points is one array of
 *     numbers, bucketed by class and sorted by year, so a year step draws a prefix of each
 *     bucket and no Leaflet layer per point exists;
 *   - lines and polygons are Leaflet vectors, kept and put on or taken off the map per year;
 *   - a click finds the nearest point (or the clicked shape) and asks the server for its
 *     attributes (ids.USER_PICK); the side panel shows them as text.
 * Every layer sits in its own pane under the story's lines, flows and places.
 *
 *   show(mapId, entries, year)  draw the USER_LAYERS store's entries for `year`
 *   upload(file, layer)         POST a file; the answer goes to ids.USER_EVENT
 *   encode(entries)/decode(s)   the link's `user=` parameter (twin of uploads/link.py)
 * Text from files never reaches HTML here: the panel is drawn by Dash, which escapes it. */
(function () {
  "use strict";

  const PREFIX = "/_atlas/layers";
  const PANE = "atlas-user";
  const EVENT = "atlas-user-event";
  const PICK = "atlas-user-pick";
  const FILE = "atlas-user-file";  // the "Add a layer" button: data-max-bytes is the cap
  const ACCEPT = ".gpkg,.geojson,.json,.zip,.kml,.csv,.xlsx";
  const MODES = {single: "s", classes: "c", categories: "t"};
  const METHODS = {quantiles: "q", natural_breaks: "n", equal_interval: "e"};
  const maps = new Map();  // map element id -> Leaflet map
  const payloads = new Map();  // drawing URL -> Promise of its JSON
  const drawn = new Map();  // map element id -> Map(layer id -> {url, layer})
  const wanted = new Map();  // map element id -> {entries, year}: shown before the map existed
  let events = 0;
  let pending = null;  // the last file uploaded (a GeoPackage's layer is picked from it)

  function setProps(id, props) {
    const dash = window.dash_clientside;
    if (dash && typeof dash.set_props === "function") { dash.set_props(id, props); }
  }

  function tell(kind, body) {
    events += 1;
    setProps(EVENT, {data: Object.assign({kind: kind, n: events}, body)});
  }

  // ---- the link ----------------------------------------------------------------------------

  function index(columns, name) {
    const i = (columns || []).map(function (c) { return c.name; }).indexOf(name);
    return name === null || name === undefined || i < 0 ? "-" : String(i);
  }

  function encode(entries) {
    return (entries || []).map(function (e) {
      const s = e.style || {};
      return [e.id, MODES[s.mode] || "s", METHODS[s.method] || "q", String(s.k || 5),
              s.mode === "single" ? "-" : index(e.columns, s.column),
              index(e.columns, s.year_column)].join(":");
    }).join(",");
  }

  function decode(text) {
    return String(text || "").split(",").filter(Boolean).map(function (part) {
      const p = part.split(":");
      return {id: p[0], mode: p[1], method: p[2], k: p[3], column: p[4], year: p[5]};
    });
  }

  function writeLink(entries) {
    if (!window.history || !window.location) { return; }
    const params = new URLSearchParams(window.location.search);
    const value = encode(entries);
    if (value) { params.set("user", value); } else { params.delete("user"); }
    const query = "?" + params.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
    if (query !== window.location.search) {
      window.history.replaceState(null, "", window.location.pathname + query);
    }
  }

  // ---- drawing -----------------------------------------------------------------------------

  function drawingUrl(entry) {
    const s = entry.style || {};
    const q = new URLSearchParams();
    q.set("mode", s.mode || "single");
    if (s.column) { q.set("column", s.column); }
    q.set("method", s.method || "quantiles");
    q.set("k", String(s.k || 5));
    if (s.year_column) { q.set("year", s.year_column); }
    return PREFIX + "/" + entry.id + "?" + q.toString();
  }

  function fetchJson(url, options) {
    return window.fetch(url, Object.assign({credentials: "same-origin"}, options || {}))
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            const error = (body && body.error) || {
              en: "The server answered " + response.status + ".",
              zh: "服务器返回 " + response.status + "。"
            };
            throw Object.assign(new Error(error.en), {atlas: error, body: body});
          }
          return body;
        });
      });
  }

  function payload(url) {
    if (!payloads.has(url)) {
      const p = fetchJson(url);
      p.catch(function () { payloads.delete(url); });
      payloads.set(url, p);
    }
    return payloads.get(url);
  }

  const WORLD = 256;

  // Points bucketed by class, each bucket in year order (undated first), in Web Mercator
  // units of a 256-pixel world at zoom 0, so drawing is multiply, subtract, arc.
  function buckets(data) {
    const n = data.x.length;
    const byClass = new Map();
    for (let i = 0; i < n; i += 1) {
      const c = data.c[i];
      if (!byClass.has(c)) { byClass.set(c, []); }
      byClass.get(c).push(i);
    }
    const out = [];
    byClass.forEach(function (list, c) {
      const year = function (i) { return data.t[i] === null ? -Infinity : data.t[i]; };
      list.sort(function (a, b) { return year(a) - year(b); });
      const mx = new Float64Array(list.length);
      const my = new Float64Array(list.length);
      const years = new Float64Array(list.length);
      list.forEach(function (i, j) {
        const lat = Math.max(-85, Math.min(85, data.y[i])) * Math.PI / 180;
        mx[j] = WORLD * (data.x[i] + 180) / 360;
        my[j] = WORLD * (0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI));
        years[j] = year(i);
      });
      const colors = data.legend.colors;
      const color = c >= 0 && c < colors.length ? colors[c] : "#bdbdbd";
      out.push({index: Int32Array.from(list), mx: mx, my: my, years: years, color: color,
                packed: packed(color)});
    });
    return out;
  }

  // the number of a bucket's points shown in `year` (years sorted ascending)
  function upTo(years, year) {
    let lo = 0;
    let hi = years.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (years[mid] <= year) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  // A dense layer's dots written straight into the canvas's pixels, one disc "stamp" per point:
  // 100,000 arcs in a path took ~120 ms to fill; this takes a few. Dots whose disc would cross
  // the canvas's edge are left out (they are within a dot's width of it). Returns how many
  // points the year shows.
  function stamp(ctx, canvas, groups, scale, origin, radius, ratio, year) {
    const W = canvas.width;
    const H = canvas.height;
    const image = ctx.createImageData(W, H);
    const pixels = new Uint32Array(image.data.buffer);
    const R = Math.ceil(radius);
    const offsets = [];
    for (let dy = -R; dy <= R; dy += 1) {
      for (let dx = -R; dx <= R; dx += 1) {
        if (dx * dx + dy * dy <= radius * radius + 0.5) { offsets.push(dy * W + dx); }
      }
    }
    const k = offsets.length;
    let shown = 0;
    groups.forEach(function (g) {
      const n = upTo(g.years, year);
      shown += n;
      const color = g.packed;
      for (let j = 0; j < n; j += 1) {
        const x = Math.round((g.mx[j] * scale - origin.x) * ratio);
        const y = Math.round((g.my[j] * scale - origin.y) * ratio);
        if (x < R || y < R || x >= W - R || y >= H - R) { continue; }
        const at = y * W + x;
        for (let i = 0; i < k; i += 1) { pixels[at + offsets[i]] = color; }
      }
    });
    ctx.putImageData(image, 0, 0);
    return shown;
  }

  // "#rrggbb" as one opaque pixel of a Uint32Array over RGBA bytes (little-endian: ABGR)
  function packed(hex) {
    const v = parseInt(String(hex).slice(1, 7), 16);
    return ((255 << 24) | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
  }

  function dotLayer(L, data, id) {
    const groups = buckets(data);
    const total = data.x.length;
    const Dots = L.Layer.extend({
      onAdd: function (lmap) {
        this._map = lmap;
        this._canvas = L.DomUtil.create("canvas", "atlas-user-dots leaflet-zoom-hide");
        this._canvas.setAttribute("aria-hidden", "true");
        lmap.getPane(PANE).appendChild(this._canvas);
        lmap.on("moveend zoomend resize viewreset", this._redraw, this);
        lmap.on("click", this._click, this);
        this._redraw();
      },
      onRemove: function (lmap) {
        lmap.off("moveend zoomend resize viewreset", this._redraw, this);
        lmap.off("click", this._click, this);
        L.DomUtil.remove(this._canvas);
      },
      setYear: function (year) {
        if (this._year === year) { return; }
        this._year = year;
        if (this._map) { this._redraw(); }
      },
      _radius: function () {
        const z = this._map.getZoom();
        return total > 5000 ? Math.max(1.5, Math.min(4, z - 7)) : Math.max(3, Math.min(6, z - 4));
      },
      _origin: function () {
        const lmap = this._map;
        return lmap.project(lmap.containerPointToLatLng([0, 0]), lmap.getZoom());
      },
      _redraw: function () {
        const lmap = this._map;
        if (!lmap) { return; }
        const size = lmap.getSize();
        const ratio = window.devicePixelRatio || 1;
        const canvas = this._canvas;
        canvas.width = Math.round(size.x * ratio);
        canvas.height = Math.round(size.y * ratio);
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
        L.DomUtil.setPosition(canvas, lmap.containerPointToLayerPoint([0, 0]));
        const ctx = canvas.getContext("2d");
        if (!ctx) { return; }
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        const scale = Math.pow(2, lmap.getZoom());
        const origin = this._origin();
        const r = this._radius();
        const year = this._year === undefined ? Infinity : this._year;
        const outline = total <= 5000;
        ctx.lineWidth = 0.75;
        ctx.strokeStyle = "#333333";  // a dark rim keeps the palest class visible
        let shown = 0;
        if (!outline) {
          shown = stamp(ctx, canvas, groups, scale, origin, r * ratio, ratio, year);
          canvas.setAttribute("data-year", String(year));
          canvas.setAttribute("data-shown", String(shown));
          return;
        }
        groups.forEach(function (g) {
          const n = upTo(g.years, year);
          shown += n;
          ctx.fillStyle = g.color;
          ctx.beginPath();
          for (let j = 0; j < n; j += 1) {
            const x = g.mx[j] * scale - origin.x;
            const y = g.my[j] * scale - origin.y;
            if (x < -r || y < -r || x > size.x + r || y > size.y + r) { continue; }
            ctx.moveTo(x + r, y);
            ctx.arc(x, y, r, 0, 2 * Math.PI);
          }
          ctx.fill();
          if (outline) { ctx.stroke(); }
        });
        // what the canvas shows, for those who read the page rather than its pixels (tests)
        canvas.setAttribute("data-year", String(year));
        canvas.setAttribute("data-shown", String(shown));
      },
      // the point under a click, if any: the nearest shown point within its radius plus 4 px
      _click: function (event) {
        const lmap = this._map;
        const p = event.containerPoint;
        const scale = Math.pow(2, lmap.getZoom());
        const origin = this._origin();
        const year = this._year === undefined ? Infinity : this._year;
        const reach = this._radius() + 4;
        let best = -1;
        let bestD = reach * reach;
        groups.forEach(function (g) {
          const n = upTo(g.years, year);
          for (let j = 0; j < n; j += 1) {
            const dx = g.mx[j] * scale - origin.x - p.x;
            const dy = g.my[j] * scale - origin.y - p.y;
            const d = dx * dx + dy * dy;
            if (d <= bestD) { bestD = d; best = g.index[j]; }
          }
        });
        if (best >= 0) { pick(id, best); }
      }
    });
    const dots = new Dots();
    dots.pointOf = function (i) {
      return i >= 0 && i < data.x.length ? [data.y[i], data.x[i]] : null;
    };
    return dots;
  }

  function shapeLayer(L, data, id) {
    const colors = data.legend.colors;
    const polygon = data.kind === "polygon";
    const group = L.featureGroup();
    const parts = [];
    L.geoJSON(data.geojson, {
      pane: PANE,
      style: function (feature) {
        const c = feature.properties.c;
        const color = c >= 0 && c < colors.length ? colors[c] : "#bdbdbd";
        return polygon
          ? {color: "#ffffff", weight: 1, fillColor: color, fillOpacity: 0.75,
             className: "atlas-user-shape"}
          : {color: color, weight: 4, opacity: 0.9, className: "atlas-user-shape"};
      },
      onEachFeature: function (feature, layer) {
        layer.on("click", function (event) {
          if (event.originalEvent) { L.DomEvent.stopPropagation(event.originalEvent); }
          pick(id, feature.properties.i);
        });
        parts.push({layer: layer, year: feature.properties.t, index: feature.properties.i});
      }
    });
    group.setYear = function (year) {
      parts.forEach(function (part) {
        const shown = part.year === null || part.year === undefined || part.year <= year;
        if (shown && !group.hasLayer(part.layer)) { group.addLayer(part.layer); }
        if (!shown && group.hasLayer(part.layer)) { group.removeLayer(part.layer); }
      });
    };
    group.boundsOf = function (i) {
      const part = parts.filter(function (p) { return p.index === i; })[0];
      return part && part.layer.getBounds ? part.layer.getBounds() : null;
    };
    return group;
  }

  // Bring feature `i` of layer `id` into view.
  function focus(mapId, id, i) {
    const lmap = maps.get(mapId);
    const slot = drawn.has(mapId) && drawn.get(mapId).get(id);
    if (!lmap || !slot || !slot.layer) { return; }
    if (slot.layer.pointOf) {
      const at = slot.layer.pointOf(i);
      if (at) { lmap.flyTo(at, Math.max(lmap.getZoom(), 11)); }
    } else if (slot.layer.boundsOf) {
      const bounds = slot.layer.boundsOf(i);
      if (bounds) { lmap.flyToBounds(bounds, {maxZoom: 12, padding: [24, 24]}); }
    }
  }

  function pick(id, i) {
    events += 1;
    setProps(PICK, {data: {id: id, i: i, n: events}});
  }

  function ensurePane(lmap) {
    if (!lmap.getPane(PANE)) {
      const pane = lmap.createPane(PANE);
      pane.style.zIndex = 610;  // over the basemap, under lines (620), flows and places
    }
  }

  function draw(mapId, entries, year) {
    const L = window.L;
    const lmap = maps.get(mapId);
    if (!L || !lmap) {
      wanted.set(mapId, {entries: entries, year: year});
      return;
    }
    ensurePane(lmap);
    if (!drawn.has(mapId)) { drawn.set(mapId, new Map()); }
    const mine = drawn.get(mapId);
    const keep = new Set();
    (entries || []).forEach(function (entry) {
      const url = drawingUrl(entry);
      keep.add(entry.id);
      const now = mine.get(entry.id);
      if (now && now.url === url) {
        if (now.layer) { now.layer.setYear(year); }
        now.year = year;
        return;
      }
      const slot = {url: url, layer: null, year: year};
      mine.set(entry.id, slot);
      payload(url).then(function (data) {
        if (mine.get(entry.id) !== slot) { return; }  // replaced meanwhile
        if (now && now.layer) { lmap.removeLayer(now.layer); }
        const layer = data.kind === "point" ? dotLayer(L, data, entry.id)
          : shapeLayer(L, data, entry.id);
        slot.layer = layer;
        layer.setYear(slot.year);
        layer.addTo(lmap);
        lmap.getContainer().setAttribute("data-user-drawn", String(Date.now()));
        lmap.fire("atlasuserdrawn", {id: entry.id});
      }).catch(function (error) {
        if (mine.get(entry.id) === slot) {  // the drawing before stays, as it was
          if (now) { mine.set(entry.id, now); } else { mine.delete(entry.id); }
        }
        tell("error", {error: error.atlas || {en: String(error), zh: String(error)}});
      });
    });
    mine.forEach(function (slot, id) {
      if (!keep.has(id)) {
        if (slot.layer) { lmap.removeLayer(slot.layer); }
        mine.delete(id);
      }
    });
  }

  // ---- uploading ---------------------------------------------------------------------------

  function upload(file, layer) {
    if (!file) { return Promise.resolve(null); }
    pending = file;
    const button = document.getElementById(FILE);
    const cap = button ? Number(button.getAttribute("data-max-bytes")) : 0;
    if (cap && file.size > cap) {
      const mb = (file.size / 1048576).toFixed(1);
      const capMb = Math.round(cap / 1048576);
      tell("error", {file: file.name, error: {
        en: file.name + " is " + mb + " MB, over the " + capMb + " MB limit.",
        zh: file.name + " 大小为 " + mb + " MB，超过 " + capMb + " MB 的上限。"}});
      return Promise.resolve(null);
    }
    tell("reading", {file: file.name});
    const q = new URLSearchParams({name: file.name});
    if (layer) { q.set("layer", layer); }
    return fetchJson(PREFIX + "?" + q.toString(), {
      method: "POST", body: file, headers: {"Content-Type": "application/octet-stream"}
    }).then(function (body) {
      // fetched now, while Dash adds the layer to the list: the drawing is then on its way
      if (body && body.id && body.style) { payload(drawingUrl(body)); }
      tell("added", {file: file.name, layer: body});
      const lmap = maps.get("atlas-map");
      if (lmap && body.bounds) { lmap.flyToBounds(body.bounds, {maxZoom: 12, padding: [24, 24]}); }
    }).catch(function (error) {
      const body = error.body || {};
      if (body.layers) {
        tell("choose", {file: file.name, layers: body.layers, error: body.error});
      } else {
        tell("error", {file: file.name, error: error.atlas || {en: String(error), zh: String(error)}});
      }
    });
  }

  // "Add a layer": a file picker (the button is the keyboard's and screen reader's way in)
  function choose() {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = ACCEPT;
    input.addEventListener("change", function () {
      if (input.files && input.files.length) { upload(input.files[0]); }
    });
    input.click();
  }

  function convert(id, datum) {
    return fetchJson(PREFIX + "/" + id + "/convert?datum=" + encodeURIComponent(datum),
                     {method: "POST"})
      .then(function (body) { tell("converted", {replaces: id, layer: body}); })
      .catch(function (error) {
        tell("error", {error: error.atlas || {en: String(error), zh: String(error)}});
      });
  }

  // A file dropped on the map is uploaded; the map shows where it may be dropped. The
  // listeners sit on the map's own element (the buttons go through Dash: userAction).
  function listenForDrops(container) {
    const hasFiles = function (event) {
      const types = event.dataTransfer && event.dataTransfer.types;
      return Boolean(types) && Array.prototype.indexOf.call(types, "Files") >= 0;
    };
    container.addEventListener("dragover", function (event) {
      if (!hasFiles(event)) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      container.classList.add("atlas-drop");
    });
    container.addEventListener("dragleave", function (event) {
      if (!container.contains(event.relatedTarget)) { container.classList.remove("atlas-drop"); }
    });
    container.addEventListener("drop", function (event) {
      if (!hasFiles(event)) { return; }
      event.preventDefault();
      container.classList.remove("atlas-drop");
      if (event.dataTransfer.files.length) { upload(event.dataTransfer.files[0]); }
    });
  }

  // A button of the upload's message (callbacks/userlayers.py): a GeoPackage's layer, a datum
  // conversion, or keeping the coordinates as they are.
  function act(action) {
    if (!action) { return; }
    if (action.action === "layer" && pending) { upload(pending, action.layer); }
    if (action.action === "convert") { convert(action.layer, action.datum); }
    if (action.action === "keep") { tell("kept", {}); }
  }

  function hook() {
    const L = window.L;
    if (L && L.Map && typeof L.Map.addInitHook === "function" && !L.Map.prototype.atlasUser) {
      L.Map.prototype.atlasUser = true;
      L.Map.addInitHook(function () {
        const lmap = this;
        const id = lmap.getContainer && lmap.getContainer().id;
        if (!id) { return; }
        maps.set(id, lmap);
        drawn.delete(id);
        listenForDrops(lmap.getContainer());
        if (wanted.has(id)) {
          const w = wanted.get(id);
          wanted.delete(id);
          lmap.whenReady(function () { draw(id, w.entries, w.year); });
        }
      });
    }
  }

  hook();

  // The entries after a remove button (`id.type` ends "remove") or a style control changed
  // `id.field` to `value`; no_update when nothing changes.
  function edit(entries, id, value) {
    const none = window.dash_clientside.no_update;
    if (/remove$/.test(id.type)) {
      return value ? entries.filter(function (e) { return e.id !== id.id; }) : none;
    }
    const fields = ["mode", "column", "method", "k", "year_column"];
    const item = entries.filter(function (e) { return e.id === id.id; })[0];
    if (!item || fields.indexOf(id.field) < 0) { return none; }
    const style = Object.assign({}, item.style);
    style[id.field] = value === "" ? null : value;
    const kinds = {};
    (item.columns || []).forEach(function (c) { kinds[c.name] = c.kind; });
    const fits = function (name) {
      return style.mode === "classes" ? kinds[name] === "number"
        : kinds[name] === "number" || kinds[name] === "text";
    };
    if (style.mode !== "single" && !fits(style.column)) {
      // a mode that needs a column takes the first that fits it
      const first = (item.columns || []).filter(function (c) { return fits(c.name); })[0];
      style.column = first ? first.name : null;
    }
    if (JSON.stringify(style) === JSON.stringify(item.style)) { return none; }
    return entries.map(function (e) {
      return e.id === id.id ? Object.assign({}, e, {style: style}) : e;
    });
  }

  // The pattern-matching id and value of the input that fired a clientside callback (Dash
  // writes the id as JSON before ".prop"); null without one.
  function firedPattern() {
    const context = window.dash_clientside.callback_context || {};
    const fired = (context.triggered || [])[0];
    if (!fired || fired.value === null || fired.value === undefined) { return null; }
    const text = String(fired.prop_id);
    try {
      return {id: JSON.parse(text.slice(0, text.lastIndexOf("."))), value: fired.value};
    } catch (e) {
      return null;  // not a pattern-matching id
    }
  }

  const userLayers = {encode: encode, edit: edit, decode: decode, drawingUrl: drawingUrl, upload: upload,
                      convert: convert, upTo: upTo, buckets: buckets,
                      show: function (mapId, entries, year) {
                        draw(mapId, entries || [], Number(year));
                      }};
  window.atlas = Object.assign({}, window.atlas, {userLayers: userLayers});

  // The clientside callback (callbacks/userlayers.py): draw the entries for the year and keep
  // them in the link.
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, {
    userLayers: function (entries, year) {
      draw("atlas-map", entries || [], Number(year));
      writeLink(entries || []);
      return window.dash_clientside.no_update;
    },
    // A style control or a remove button of the layer list (callbacks/userlayers.py)
    userEdit: function (removes, values, entries) {
      const fired = firedPattern();
      if (!fired) { return window.dash_clientside.no_update; }
      return userLayers.edit(Array.isArray(entries) ? entries : [], fired.id, fired.value);
    },
    // A feature's button in a layer's list: its attributes, and the map shows it
    userFeature: function () {
      const fired = firedPattern();
      if (!fired || !fired.value) { return window.dash_clientside.no_update; }
      focus("atlas-map", fired.id.id, Number(fired.id.i));
      events += 1;
      return {id: fired.id.id, i: Number(fired.id.i), n: events};
    },
    // "Add a layer" (its click is the user's gesture the file picker needs)
    userPick: function (clicks) {
      if (clicks) { choose(); }
      return window.dash_clientside.no_update;
    },
    userAction: function () {
      const fired = firedPattern();
      if (fired && fired.value) { act(fired.id); }
      return window.dash_clientside.no_update;
    }
  });
})();
