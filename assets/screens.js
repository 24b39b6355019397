/* A theme's view is framed in the part of the map nothing covers, at any screen size.
 *
 * The server asks for a theme's view as the box of its features (callbacks/view.py: bounds,
 * transition fitBounds or flyToBounds, options.keepClear). Here, as Leaflet fits such a box,
 * what lies over the map (the legend, Leaflet's zoom buttons, attribution and scale, a notice
 * drawn over it) becomes padding, each on the side that leaves the features the most room, so
 * no feature of the theme starts under the legend, on a phone as on a wall. Views given as a centre and zoom (a
 * shared link's, the kiosk's scenes) are left as they are. */
(function () {
  "use strict";

  const PAD = 16;  // pixels kept clear around the features
  const COVERS = ".leaflet-control, .atlas-legend, .atlas-notice, .atlas-notice-banner";

  function box(el) {
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }

  // The legend's widest extent, not today's: its rows change with the theme's layers, which
  // may arrive just after the view.
  function coverBox(el) {
    const b = box(el);
    if (el.classList.contains("atlas-legend") && el.dataset.collapsed !== "true") {
      const widest = parseFloat(window.getComputedStyle(el).maxWidth);
      if (widest > b.right - b.left) { b.left = b.right - widest; }
    }
    return b;
  }

  // Pixels to keep clear at each edge of the map so that ``bounds`` shows as large as it can:
  // each covering box is taken off one edge of the map (left, right, top or bottom), the
  // combination that leaves the box of features the most room wins (a wide box on an upright
  // phone gives up height, not width). A box that would take more than half the map either way
  // (an open legend on a phone) is left alone: its button folds it.
  function insets(map, bounds) {
    const container = map.getContainer();
    const m = box(container);
    const width = m.right - m.left, height = m.bottom - m.top;
    const scope = container.parentNode || container;
    const ways = [];
    Array.prototype.forEach.call(scope.querySelectorAll(COVERS), function (el) {
      if (!el.getClientRects().length || el.closest("[hidden]")) { return; }
      const b = coverBox(el);
      const left = Math.max(b.left, m.left), right = Math.min(b.right, m.right);
      const top = Math.max(b.top, m.top), bottom = Math.min(b.bottom, m.bottom);
      if (right - left < 1 || bottom - top < 1) { return; }
      const sides = [
        {side: "left", size: right - m.left, room: width},
        {side: "right", size: m.right - left, room: width},
        {side: "top", size: bottom - m.top, room: height},
        {side: "bottom", size: m.bottom - top, room: height}
      ].filter(function (c) { return c.size <= c.room / 2; });
      if (sides.length) { ways.push(sides); }
    });
    const sw = map.project(bounds.getSouthWest(), 0), ne = map.project(bounds.getNorthEast(), 0);
    const bw = Math.max(Math.abs(ne.x - sw.x), 1e-9), bh = Math.max(Math.abs(sw.y - ne.y), 1e-9);
    let best = null;
    const edge = {left: 0, top: 0, right: 0, bottom: 0};
    (function choose(i) {
      if (i === ways.length) {
        const w = width - edge.left - edge.right - 2 * PAD;
        const h = height - edge.top - edge.bottom - 2 * PAD;
        if (w <= 0 || h <= 0) { return; }
        const scale = Math.min(w / bw, h / bh);
        if (!best || scale > best.scale * 1.000001 ||
            (scale > best.scale / 1.000001 && w * h > best.area)) {
          best = {scale: scale, area: w * h, edge: Object.assign({}, edge)};
        }
        return;
      }
      ways[i].forEach(function (c) {
        const before = edge[c.side];
        edge[c.side] = Math.max(before, c.size);
        choose(i + 1);
        edge[c.side] = before;
      });
    })(0);
    return best ? best.edge : edge;
  }

  function keepClear(map, bounds, options) {
    if (!options || !options.keepClear) { return options; }
    const e = insets(map, window.L.latLngBounds(bounds));
    const out = Object.assign({}, options, {
      paddingTopLeft: [e.left + PAD, e.top + PAD],
      paddingBottomRight: [e.right + PAD, e.bottom + PAD]
    });
    delete out.keepClear;
    return out;
  }

  // Leaflet reads its container's size once, and again only on a window resize; the layout
  // changes it at other times too (the notice under the map takes two lines in English).
  function followSize(map) {
    if (typeof window.ResizeObserver !== "function") { return; }
    new window.ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
  }

  // Leaflet's two ways to fit a box, the flight (or, with reduced motion, the jump that
  // assets/a11y.js puts in its place) and the fit.
  function hook() {
    const L = window.L;
    if (!L || !L.Map || L.Map.prototype.atlasScreens) { return; }
    const proto = L.Map.prototype;
    if (typeof L.Map.addInitHook === "function") {
      L.Map.addInitHook(function () { followSize(this); });
    }
    ["fitBounds", "flyToBounds"].forEach(function (name) {
      const original = proto[name];
      proto[name] = function (bounds, options) {
        return original.call(this, bounds, keepClear(this, bounds, options));
      };
    });
    keepFlying(L, proto);
    proto.atlasScreens = true;
  }

  /* Flights that land where they were sent.
   * - A flight asked for while a zoom is starting or animating (Minus, then at once Escape)
   *   starts when the zoom has ended: Leaflet starts a zoom's animation a frame after it is
   *   asked for and ends it a quarter second later, whatever moved the map meanwhile, so the
   *   zoom's end put the map where the zoom was heading, over or after the flight.
   * - dash-leaflet reports the map's centre and zoom on every moveend and, when those props
   *   change, sets them back on the map if the map is elsewhere (setZoom(z), setView(c): one
   *   argument each). Such a report set back mid-flight stopped the flight where it was. So
   *   while a flight is on its way, a one-argument call that only repeats a position the map
   *   reported is let go; anything else that moves the map (a drag, a key, a new view) still
   *   does, and the flight's own end reports where the map stands. */
  function keepFlying(L, proto) {
    const flyTo = proto.flyTo, stop = proto._stop;
    const tryZoom = proto._tryAnimatedZoom, animateZoom = proto._animateZoom;
    proto._tryAnimatedZoom = function () {
      const started = tryZoom.apply(this, arguments);
      if (started) { this._atlasZoomSoon = true; }
      return started;
    };
    proto._animateZoom = function () {
      this._atlasZoomSoon = false;
      return animateZoom.apply(this, arguments);
    };
    proto.flyTo = function (center, zoom) {
      const args = arguments;
      if (this._atlasZoomSoon || this._animatingZoom) {
        this.once("zoomend", function () { this.flyTo.apply(this, args); }, this);
        return this;
      }
      this._atlasNext = {center: L.latLng(center), zoom: zoom === undefined ? this._zoom : zoom};
      return flyTo.apply(this, arguments);
    };
    proto._stop = function () {
      this._atlasFlight = this._atlasNext || null;  // flyTo stops what moved before it
      this._atlasNext = null;
      return stop.apply(this, arguments);
    };
    const echo = {
      setZoom: function (map, zoom) {
        return map._atlasReports.some(function (r) { return r.zoom === zoom; });
      },
      setView: function (map, center) {
        const at = L.latLng(center);
        return map._atlasReports.some(function (r) { return r.center.equals(at); });
      }
    };
    Object.keys(echo).forEach(function (name) {
      const original = proto[name];
      proto[name] = function (value) {
        if (this._atlasFlight && arguments.length === 1 && this._atlasReports
            && echo[name](this, value)) {
          return this;
        }
        return original.apply(this, arguments);
      };
    });
    if (typeof L.Map.addInitHook === "function") {
      L.Map.addInitHook(function () {
        this._atlasReports = [];
        this.on("moveend", function () {
          const here = {zoom: this.getZoom(), center: this.getCenter()};
          this._atlasReports = this._atlasReports.slice(-3).concat([here]);
          const f = this._atlasFlight;
          if (f && here.zoom === f.zoom && here.center.distanceTo(f.center) < 1) {
            this._atlasFlight = null;  // landed
          }
        });
      });
    }
  }

  hook();  // dash-leaflet's bundle, which sets window.L, runs before the assets

  // A short screen (a phone on its side) starts with the legend folded, as a narrow one does
  // (assets/atlas.js folds it by width and keeps the state on the legend's box; its button
  // unfolds it). Done once per legend box, before anyone could have pressed its button.
  const SHORT = "(max-height: 500px)";
  const folded = new WeakSet();

  function foldOnShortScreens() {
    const legend = document.getElementById("atlas-legend");
    if (!legend || folded.has(legend) || legend.dataset.collapsed === undefined) { return; }
    folded.add(legend);
    const kiosk = new URLSearchParams(window.location.search).get("kiosk") === "1";
    if (kiosk || !window.matchMedia || !window.matchMedia(SHORT).matches) { return; }
    legend.dataset.collapsed = "true";
    const button = legend.querySelector(".atlas-legend-toggle");
    if (button) { button.setAttribute("aria-expanded", "false"); }
  }

  if (window.MutationObserver && document.documentElement) {
    new window.MutationObserver(foldOnShortScreens).observe(document.documentElement,
                                                           {childList: true, subtree: true});
  }
})();
