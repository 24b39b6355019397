/* A close-up of Fengtai over the page map (issue 10).
 *
 * At a regional view (the overview's, say) Fengtai is a few dozen pixels wide and its cluster
 * of hubs (三站一楼 and the air terminals) cannot be named apart: the label rule hides most of
 * them. So while Fengtai is narrower than SMALL pixels on the page map and at least two hubs
 * are shown, a small second map shows the cluster close up and names the hubs. Its features are
 * copies of the page map's places and lines (the flows' wide arcs would bury the cluster),
 * drawn by window.atlas.map's functions and restyled in place by window.atlas.views, as year
 * A's map of a comparison is, so it follows the year, layers, selection and language.
 *
 * Where: the first corner on the map's left side (under the zoom buttons, else above the scale)
 * whose box covers no visible place marker and not Fengtai itself; where no corner is free, or
 * the map is narrower than ROOM (a phone), in the kiosk or while comparing, there is none. The
 * page map's names keep off it (atlas.js reservedBoxes).
 *
 * It is one button: a click, a tap, Enter or Space zooms the page map to the cluster it shows
 * (then Fengtai is large enough and the close-up goes). Its map is hidden from screen readers: the page
 * map's keyboard already reaches every feature it shows.
 *
 *   window.atlas.inset.show(view)   view {year, layers, selected, lang} — called by atlas.view
 *   window.atlas.inset.place()      decide again whether and where it shows (tests, resizes)
 * Its words are the page's (layout/texts.py switches them with the language). */
(function () {
  "use strict";

  const MAIN = "atlas-map", BOX = "atlas-inset", INNER = "atlas-inset-map";
  const SMALL = 160;  // px: a Fengtai narrower than this on the page map gets a close-up
  const ROOM = 640;  // px: a page map narrower than this has no room for one
  const GAP = 10;  // px between the close-up, the map's edge and its controls
  const PANES = [["lines", 620], ["places", 650]];
  // places and lines; the flows' wide arcs would bury the cluster the close-up is for
  const LAYERS = {lineStyle: ["lines", "lineFeature"], placeStyle: ["places", "placeFeature"]};
  const I = {main: null, map: null, view: null, boundaries: null, boundaryKey: null,
             bounds: null, pending: false, corner: null};

  function atlasMap() { return window.atlas && window.atlas.map; }

  function hook() {
    const L = window.L;
    if (!L || !L.Map || typeof L.Map.addInitHook !== "function" || L.Map.prototype.atlasInset) {
      return;
    }
    L.Map.prototype.atlasInset = true;
    L.Map.addInitHook(function () {
      const el = this.getContainer && this.getContainer();
      if (el && el.id === MAIN) {
        I.main = this;
        this.on("layeradd", function (event) {
          if (event.layer && event.layer.feature) { later(); }
        });
        this.on("moveend zoomend resize", later);
      }
    });
  }
  hook();

  function later() {
    if (I.pending) { return; }
    I.pending = true;
    Promise.resolve().then(function () { I.pending = false; place(); });
  }

  // Fengtai's outline on the page map (the basemap's focus feature), once it has arrived.
  function fengtai(main) {
    let found = null;
    main.eachLayer(function (layer) {
      const p = layer.feature && layer.feature.properties;
      if (!found && p && p.focus && typeof layer.getBounds === "function") { found = layer; }
    });
    return found;
  }

  // What the close-up frames: the page map's visible hubs and stations inside Fengtai's box
  // (三站一楼 and the city air terminals: the cluster a regional view cannot name apart),
  // padded; null when fewer than two are shown (then there is no cluster to show).
  const HUBS = {station: true, air_terminal: true};
  function frame(main, outline) {
    const box = outline.getBounds();
    const hubs = [];
    (main._atlasFeatures || new Set()).forEach(function (layer) {
      if (!main.hasLayer(layer) || typeof layer.getLatLng !== "function") { return; }
      const at = layer.getLatLng();
      if (box.contains(at) && HUBS[layer.feature.properties.kind]) { hubs.push(at); }
    });
    return hubs.length < 2 ? null : window.L.latLngBounds(hubs).pad(0.2);
  }

  function hideout(view) {
    return {year: view.year, layers: view.layers || [], selected: view.selected || null,
            lang: view.lang, style: I.main._atlasStyle};
  }

  // ---- the close-up's map --------------------------------------------------------------------
  function build() {
    const el = document.getElementById(INNER);
    const L = window.L, main = I.main, views = window.atlas && window.atlas.views;
    const features = main && views && views.storyFeatures(main, Object.keys(LAYERS));
    if (!el || !L || !features || !atlasMap() || !I.view || !features.placeStyle.length) {
      return null;
    }
    const lmap = L.map(el, {
      zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, tap: false,
      zoomSnap: 0.25, fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false,
      atlasLabelRank: 2,  // names: Fengtai's, the hubs' (atlas.js RANK) and the selection's
      atlasShortNames: true  // "Beijing West", not "Beijing West railway station"
    });
    lmap.fitBounds(I.frame, {padding: [16, 16], animate: false});
    I.map = lmap;
    PANES.forEach(function (p) { lmap.createPane(p[0]).style.zIndex = String(p[1]); });
    const context = {map: lmap, hideout: hideout(I.view)};
    window.atlas.views.drawCopies(lmap, features, LAYERS, context, {interactive: false});
    return lmap;
  }

  // Its basemap, made again when the selection or language changes (as the page map's is).
  function drawBasemap() {
    const view = I.view || {};
    const key = (view.selected || "") + "|" + view.lang;
    if (I.boundaries && I.boundaryKey === key) { return; }
    const fns = atlasMap();
    const context = {map: I.map, hideout: hideout(view)};
    if (I.boundaries) { I.boundaries.remove(); }
    I.boundaries = window.L.geoJSON(window.atlas.views.basemapFeatures(I.main), {
      interactive: false,  // districts unnamed: the page map names them, this names the hubs
      style: function (f) { return fns.boundaryStyle(f, context); }
    }).addTo(I.map);
    I.boundaryKey = key;
  }

  // ---- whether and where ---------------------------------------------------------------------
  function wanted(main, outline) {
    const root = document.documentElement.classList;
    if (root.contains("atlas-kiosk") || root.contains("atlas-comparing")) { return false; }
    if (!outline || main.getSize().x < ROOM) { return false; }
    const b = outline.getBounds();
    const west = main.latLngToContainerPoint(b.getNorthWest());
    const east = main.latLngToContainerPoint(b.getSouthEast());
    return east.x - west.x < SMALL;
  }

  function boxOf(el, origin) {
    const r = el.getBoundingClientRect();
    return {x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height};
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  // What the close-up may not cover: a visible place marker, Fengtai itself, a panel.
  function blocked(main, outline, box) {
    const grown = {x: box.x - GAP, y: box.y - GAP, w: box.w + 2 * GAP, h: box.h + 2 * GAP};
    const b = outline.getBounds();
    const nw = main.latLngToContainerPoint(b.getNorthWest());
    const se = main.latLngToContainerPoint(b.getSouthEast());
    if (overlaps(grown, {x: nw.x, y: nw.y, w: se.x - nw.x, h: se.y - nw.y})) { return true; }
    let hit = false;
    (main._atlasFeatures || new Set()).forEach(function (layer) {
      if (hit || !main.hasLayer(layer) || typeof layer.getLatLng !== "function") { return; }
      const p = main.latLngToContainerPoint(layer.getLatLng());
      const r = (layer.options.radius || 0) + 2;
      hit = overlaps(grown, {x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r});
    });
    if (hit) { return true; }
    const container = main.getContainer();
    const origin = container.getBoundingClientRect();
    const panels = container.parentNode.querySelectorAll(".atlas-legend, .atlas-compare-switch");
    return Array.prototype.some.call(panels, function (el) {
      const other = boxOf(el, origin);
      return other.w > 0 && overlaps(box, other);
    });
  }

  function corners(main, w, h) {
    const container = main.getContainer();
    const origin = container.getBoundingClientRect();
    const size = main.getSize();
    const zoom = container.querySelector(".leaflet-control-zoom");
    const scale = container.querySelector(".leaflet-control-scale");
    const top = zoom ? boxOf(zoom, origin) : {y: 0, h: 0};
    const bottom = scale ? boxOf(scale, origin).y : size.y - GAP;
    return [
      {name: "top", x: GAP, y: top.y + top.h + GAP, w: w, h: h},
      {name: "bottom", x: GAP, y: bottom - GAP - h, w: w, h: h}
    ].filter(function (c) { return c.y >= 0 && c.y + c.h <= size.y; });
  }

  function hide(box) {
    if (!box.hidden) {
      box.hidden = true;
      I.corner = null;
      box.removeAttribute("data-corner");
      if (I.main) { I.main.fire("atlasview"); }  // names may use its place again
    }
  }

  function place() {
    const box = document.getElementById(BOX);
    const main = I.main;
    if (!box || !main || !main._loaded || !I.view) { return; }
    wire(box);
    const outline = fengtai(main);
    if (!wanted(main, outline)) { hide(box); return; }
    I.bounds = outline.getBounds();
    I.frame = frame(main, outline);
    if (!I.frame) { hide(box); return; }
    const wasHidden = box.hidden;
    box.style.visibility = "hidden";  // measured, not yet seen
    box.hidden = false;
    const w = box.offsetWidth, h = box.offsetHeight;
    const free = corners(main, w, h).filter(function (c) { return !blocked(main, outline, c); });
    if (!free.length) {
      box.style.visibility = "";
      box.hidden = wasHidden;
      hide(box);
      return;
    }
    const corner = free[0];
    box.style.left = corner.x + "px";
    box.style.top = corner.y + "px";
    box.style.visibility = "";
    box.dataset.corner = corner.name;  // for tests
    if (!I.map && !build()) { hide(box); return; }
    I.map.invalidateSize({pan: false});
    I.map.fitBounds(I.frame, {padding: [16, 16], animate: false});
    drawBasemap();
    if (wasHidden || I.corner !== corner.name) { main.fire("atlasview"); }  // names keep off it
    I.corner = corner.name;
  }

  function show(view) {
    I.view = {year: view.year, layers: view.layers || [], selected: view.selected || null,
              lang: view.lang};
    if (I.map && window.atlas && window.atlas.views) { window.atlas.views.show(INNER, I.view); }
    later();
  }

  // ---- the button: zoom the page map to Fengtai ------------------------------------------------
  // to the cluster the close-up shows (the whole district's width would crowd it again)
  function zoomIn() {
    if (!I.main || !I.frame) { return; }
    const reduce = window.matchMedia
      && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // into the part of the map the legend leaves free (it lies over the map's right side)
    const container = I.main.getContainer();
    const legend = container.parentNode.querySelector(".atlas-legend");
    const origin = container.getBoundingClientRect();
    const r = legend ? legend.getBoundingClientRect() : null;
    const right = r && r.width && r.left > origin.left ? origin.right - r.left : 0;
    const options = {paddingTopLeft: [24, 24], paddingBottomRight: [right + 24, 24]};
    if (reduce) { I.main.fitBounds(I.frame, Object.assign({animate: false}, options)); }
    else { I.main.flyToBounds(I.frame, Object.assign({duration: 0.6}, options)); }
    const map = document.getElementById(MAIN);
    if (map && typeof map.focus === "function") { map.focus({preventScroll: true}); }
  }

  // the box's own listeners, added when it is first placed (it is made by the page's layout)
  function wire(box) {
    if (box.atlasWired) { return; }
    box.atlasWired = true;
    box.addEventListener("click", function (event) {
      if (!box.hidden) { event.preventDefault(); zoomIn(); }
    });
    box.addEventListener("keydown", function (event) {
      if (event.target === box && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        zoomIn();
      }
    });
  }

  window.atlas = Object.assign({}, window.atlas, {inset: {show: show, place: place,
                                                          map: function () { return I.map; }}});
})();
