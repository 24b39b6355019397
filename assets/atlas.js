/* Browser-side behaviour of the atlas.
 * window.atlas.map.*: Leaflet callbacks referenced from Python as {variable: "atlas.map.<name>"};
 * they read year, layers, selection, language and style from the layer's `hideout`, so moving
 * the slider restyles/filters features in the browser without resending geometry.
 * window.dash_clientside.atlas.*: clientside Dash callbacks (timeline, URL, hideouts).
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

  const map = {
    statusAt: statusAt,
    attestedAt: attestedAt,

    visible: function (feature, context) {
      const p = feature.properties, h = context.hideout;
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
      layer.bindTooltip(textNode(name(p, context.hideout.lang)), {
        permanent: true, direction: "center", interactive: false,
        className: "atlas-area-label" + (p.focus ? " atlas-focus" : "")});
    },

    // `inner` is the white second stroke that tells rail from road (lineFeature draws it):
    // ticks along a solid railway, the core of a road's double line (dashed like its status).
    lineStyle: function (feature, context) {
      const p = feature.properties, h = context.hideout, s = h.style, l = s.line;
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
      const p = feature.properties, h = context.hideout, f = h.style.flow;
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

    placeMarker: function (feature, latlng, context) {
      const p = feature.properties, h = context.hideout, s = h.style.place;
      const status = statusAt(p.tl, h.year);
      const attested = attestedAt(p.tl, p.att, h.year);
      const selected = p.id === h.selected;
      const exact = p.location_accuracy === "exact";
      let edge = selected ? s.edges.selected : (exact ? s.edges.exact : s.edges.estimate);
      if (attested && !selected) { edge = colour(h.style, p.layer, status); }
      return L.circleMarker(latlng, {
        pane: "places",  // layers made here do not inherit the GeoJSON layer's pane
        className: "atlas-place atlas-place-" + safe(p.id) + " atlas-status-" + status,
        radius: s.radius + (selected ? s.selectedExtra : 0),
        weight: selected ? s.selectedWeight : s.weight,
        color: edge,
        dashArray: exact ? null : s.estimateDash,
        fillColor: attested ? s.attestedFill : colour(h.style, p.layer, status),
        fillOpacity: attested ? s.fill.open : (s.fill[status] || s.fill.open)
      });
    },

    featureTooltip: function (feature, layer, context) {
      const p = feature.properties;
      if (p.part === "head") { return; }
      layer.bindTooltip(textNode(name(p, context.hideout.lang)), {direction: "top", sticky: true});
    },

    // A line's tooltip, and its `inner` stroke (lineStyle) drawn on top of it while it is on the
    // map: white ticks on a railway, the white core of a road's double line.
    lineFeature: function (feature, layer, context) {
      map.featureTooltip(feature, layer, context);
      const inner = layer.options && layer.options.inner;
      if (!inner || !layer.getLatLngs) { return; }
      const stroke = L.polyline(layer.getLatLngs(), Object.assign(
        {pane: layer.options.pane, interactive: false, className: "atlas-line-inner"}, inner));
      layer.on("add", function () { if (layer._map) { stroke.addTo(layer._map); } });
      layer.on("remove", function () { stroke.remove(); });
    }
  };

  const clientside = {
    hideouts: function (year, layers, selected, lang, current) {
      const h = Object.assign({}, current, {year: year, layers: layers || [],
                                            selected: selected || null, lang: lang});
      return [h, h, h];
    },

    boundaryHideout: function (selected, lang, current) {
      if (current && current.selected === (selected || null) && current.lang === lang) {
        return window.dash_clientside.no_update;
      }
      return Object.assign({}, current, {selected: selected || null, lang: lang});
    },

    writeUrl: function (theme, year, layers, selected, lang, center, zoom) {
      const params = new URLSearchParams();
      params.set("theme", theme);
      params.set("year", String(year));
      params.set("layers", (layers || []).join(","));
      params.set("lang", lang);
      if (selected) { params.set("sel", selected); }
      if (new URLSearchParams(window.location.search).get("kiosk") === "1") {
        params.set("kiosk", "1");  // a kiosk keeps its mode across reloads
      }
      if (center && zoom !== undefined && zoom !== null) {
        const lat = Array.isArray(center) ? center[0] : center.lat;
        const lng = Array.isArray(center) ? center[1] : center.lng;
        params.set("view", lat.toFixed(4) + "," + lng.toFixed(4) + "," + Math.round(zoom));
      }
      const query = "?" + params.toString().replace(/%2C/g, ",");
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

    sourceRequest: function (clicks, current) {
      // Source buttons are re-created (n_clicks 0) whenever a panel updates; only a real click
      // asks the server for a source. n counts requests, so the same source opens again.
      const hit = (window.dash_clientside.callback_context.triggered || []).filter(
        function (t) { return t.value; })[0];
      if (!hit) { return window.dash_clientside.no_update; }
      let key = null;
      try {
        key = JSON.parse(hit.prop_id.slice(0, hit.prop_id.lastIndexOf("."))).key;
      } catch (err) {
        return window.dash_clientside.no_update;
      }
      if (typeof key !== "string") { return window.dash_clientside.no_update; }
      return {key: key, n: ((current && current.n) || 0) + 1};
    },

    toggleExport: function (open, close, hidden) {
      // The export button toggles the dialog; its close button (or anything else) hides it.
      const t = window.dash_clientside.callback_context.triggered[0] || {};
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

  window.atlas = Object.assign({}, window.atlas, {map: map});
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  // Merge, so functions other scripts add to the namespace (kiosk.js) survive any load order.
  window.dash_clientside.atlas = Object.assign({}, window.dash_clientside.atlas, clientside);

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
