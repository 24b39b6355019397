/* The map's view (year, layers, selection, language) applied to its features in place.
 *
 * dash-leaflet's GeoJSON clears and re-adds every feature of a layer whenever its `hideout`
 * changes; for a slider step that was the largest part of the browser's work. So the story
 * layers' hideout stays as the page gave it (the style specification and the first view) and a
 * view change goes through window.atlas.views.show(mapId, view), called by the `view`
 * clientside callback (assets/atlas.js): each feature's Leaflet layer is kept, restyled with
 * the same style functions (window.atlas.map.*) and taken off or put back on the map as the
 * view shows it. Every feature is created once (the layers have no `filter`); those the view
 * does not show are taken off the map in the task that drew them, before the page paints.
 *
 *   adopt(layer, context, styleName)  from a layer's onEachFeature: keep `layer`, restyled by
 *                                     window.atlas.map[styleName](feature, {hideout: view})
 *   show(mapId, view)                 set the view of the map in the element #mapId
 *   viewOf(context)                   the view a style function draws: the map's, else the
 *                                     layer's own hideout (before any show, in unit tests)
 *   syncInner(layer, inner)           make, restyle or drop a line's white inner stroke
 * Text from data only ever goes in as text nodes. */
(function () {
  "use strict";

  const maps = new Map();  // map element id -> Leaflet map that drew a feature
  const waiting = new Map();  // map element id -> view shown before its map drew a feature

  function viewOf(context) {
    const lmap = context && context.map;
    return (lmap && lmap._atlasView) || (context && context.hideout);
  }

  function keyOf(view) {
    return [view.year, (view.layers || []).join(","), view.selected, view.lang].join("|");
  }

  // A layer still belongs to its GeoJSON while the group holds it (Leaflet's FeatureGroup keeps
  // itself among the layer's event parents); one a redraw cleared is let go.
  function held(layer) {
    return Boolean(layer._eventParents) && Object.keys(layer._eventParents).length > 0;
  }

  // A Path's className is read only when its element is made; move its classes by hand.
  function setClass(layer, className) {
    const before = layer.options.className || "";
    const el = layer.getElement && layer.getElement();
    if (el && before !== className) {
      before.split(/\s+/).filter(Boolean).forEach(function (c) { el.classList.remove(c); });
      (className || "").split(/\s+/).filter(Boolean).forEach(function (c) { el.classList.add(c); });
    }
  }

  // The white second stroke of a line (atlas.map.lineStyle's `inner`) follows its line.
  function syncInner(layer, inner) {
    let stroke = layer._atlasInner;
    if (!inner) {
      if (stroke) { stroke.remove(); }
      layer._atlasInner = null;
      return;
    }
    if (!stroke) {
      stroke = L.polyline(layer.getLatLngs(), Object.assign(
        {pane: layer.options.pane, interactive: false, className: "atlas-line-inner"}, inner));
      layer._atlasInner = stroke;
    } else {
      stroke.setStyle(inner);
    }
    if (layer._map && !stroke._map) { stroke.addTo(layer._map); }
  }

  function restyle(layer, view) {
    const options = window.atlas.map[layer._atlasStyle](layer.feature, {hideout: view});
    setClass(layer, options.className);
    layer.setStyle(options);  // a CircleMarker takes its radius from here too
    if (options.inner !== undefined) { syncInner(layer, options.inner); }
    if (layer._atlasLang !== view.lang && layer.getTooltip && layer.getTooltip()) {
      layer.setTooltipContent(window.atlas.map.nameNode(layer.feature.properties, view.lang));
    }
    layer._atlasLang = view.lang;
  }

  function apply(lmap) {
    lmap._atlasPending = false;
    const view = lmap._atlasView;
    if (!view) { return; }
    const key = keyOf(view);
    const visible = window.atlas.map.visible;
    let restyled = false;
    lmap._atlasFeatures.forEach(function (layer) {
      if (!held(layer)) { lmap._atlasFeatures.delete(layer); return; }
      const shown = visible(layer.feature, {hideout: view});
      if (shown && layer._atlasKey !== key) {
        restyle(layer, view);
        layer._atlasKey = key;
        restyled = true;
      }
      if (shown && !lmap.hasLayer(layer)) {
        lmap.addLayer(layer);
      } else if (!shown && lmap.hasLayer(layer)) {
        lmap.removeLayer(layer);
      }
    });
    // Names move with what changed (the labeller in atlas.js listens); adding or removing a
    // feature tells it by Leaflet's own layeradd/layerremove.
    if (restyled) { lmap.fire("atlasview"); }
  }

  function schedule(lmap) {
    if (lmap._atlasPending) { return; }
    lmap._atlasPending = true;
    Promise.resolve().then(function () { apply(lmap); });
  }

  function setView(lmap, view) {
    lmap._atlasView = Object.assign({style: lmap._atlasStyle}, view);
    apply(lmap);  // now, so the step's repaint is this frame's
  }

  const views = {
    viewOf: viewOf,
    syncInner: syncInner,

    adopt: function (layer, context, styleName) {
      const lmap = context && context.map;
      if (!lmap || typeof lmap.getContainer !== "function") { return; }
      if (!lmap._atlasFeatures) {
        lmap._atlasFeatures = new Set();
        lmap._atlasStyle = context.hideout && context.hideout.style;
      }
      layer._atlasStyle = styleName;
      // Drawn for the view in force (viewOf), so no restyle is due until it changes.
      const view = viewOf(context);
      layer._atlasKey = keyOf(view);
      layer._atlasLang = view.lang;
      lmap._atlasFeatures.add(layer);
      const id = lmap.getContainer().id;
      maps.set(id, lmap);
      if (waiting.has(id)) {
        const early = waiting.get(id);
        waiting.delete(id);
        lmap._atlasView = Object.assign({style: lmap._atlasStyle}, early);
      } else if (!lmap._atlasView) {
        lmap._atlasView = context.hideout;  // the page's first view, until one is shown
      }
      schedule(lmap);  // after the whole layer is drawn: off the map what the view hides
    },

    // Another map drawn from a map's own feature objects (year A's map, assets/compare.js; the
    // close-up of Fengtai, assets/inset.js), so no geometry is fetched or sent again.
    storyFeatures: function (lmap, styles) {
      const out = {};
      styles.forEach(function (s) { out[s] = []; });
      (lmap._atlasFeatures || new Set()).forEach(function (layer) {
        if (out[layer._atlasStyle] && layer.feature) { out[layer._atlasStyle].push(layer.feature); }
      });
      return out;
    },

    basemapFeatures: function (lmap) {
      const out = [];
      lmap.eachLayer(function (layer) {
        const p = layer.feature && layer.feature.properties;
        if (p && p.level && !layer._atlasStyle) { out.push(layer.feature); }
      });
      return out;
    },

    // features {styleName: [...]} drawn on `target` in the panes `layers` names
    // ({styleName: [pane, feature function]}) by window.atlas.map's functions with `context`;
    // `options` add to each GeoJSON's. Returns the GeoJSON layers by style name.
    drawCopies: function (target, features, layers, context, options) {
      const fns = window.atlas.map, drawn = {};
      Object.keys(layers).forEach(function (styleName) {
        const pane = layers[styleName][0], feature = layers[styleName][1];
        const own = Object.assign({
          pane: pane,
          style: function (f) { return fns[styleName](f, context); },
          onEachFeature: function (f, layer) { fns[feature](f, layer, context); }
        }, options);
        if (styleName === "placeStyle") {
          own.pointToLayer = function (f, latlng) { return fns.placeMarker(f, latlng, context); };
        }
        drawn[styleName] = L.geoJSON(features[styleName] || [], own).addTo(target);
      });
      return drawn;
    },

    show: function (mapId, view) {
      const clean = {year: view.year, layers: view.layers || [], selected: view.selected || null,
                     lang: view.lang};
      const lmap = maps.get(mapId);
      if (lmap && lmap.getContainer().isConnected !== false) {
        setView(lmap, clean);
      } else {
        waiting.set(mapId, clean);  // its features are not drawn yet: they take it when they are
      }
    }
  };

  window.atlas = Object.assign({}, window.atlas, {views: views});
})();
