/* Leaflet callbacks referenced from Python as {variable: "atlas.map.<name>"}.
 * Text from data is only ever set with textContent, never as HTML. */
window.atlas = Object.assign({}, window.atlas, {
  map: {
    boundaryStyle: function (feature) {
      const p = feature.properties;
      if (p.level === "province") {
        return {color: "#4a4a4a", weight: 2, fill: false};
      }
      if (p.level === "new_area") {
        return {color: "#7a3e9d", weight: 2, dashArray: "6 4", fill: false};
      }
      if (p.focus) {
        return {color: "#b2182b", weight: 3, fillColor: "#f4a582", fillOpacity: 0.55};
      }
      return {color: "#9e9e9e", weight: 1, fillColor: "#f5f3ee", fillOpacity: 1};
    },
    boundaryLabel: function (feature, layer) {
      const p = feature.properties;
      if (p.level !== "district" && p.level !== "prefecture") { return; }
      const label = document.createElement("span");
      label.textContent = p.name;
      layer.bindTooltip(label, {permanent: true, direction: "center",
                                className: "atlas-area-label" + (p.focus ? " atlas-focus" : "")});
    },
    placeMarker: function (feature, latlng) {
      const colours = {hubs: "#0072b2", relocation: "#d55e00", corridor: "#009e73",
                       synergy: "#cc79a7", services: "#e69f00"};
      const estimate = feature.properties.location_accuracy !== "exact";
      const safeId = String(feature.properties.id).replace(/[^A-Za-z0-9_-]/g, "_");
      return L.circleMarker(latlng, {
        className: "atlas-place atlas-place-" + safeId,
        pane: "places",  // layers made here do not inherit the GeoJSON layer's pane
        radius: 7, weight: 2, color: "#ffffff",
        fillColor: colours[feature.properties.theme] || "#555555", fillOpacity: 0.95,
        dashArray: estimate ? "2 2" : null
      });
    },
    placeTooltip: function (feature, layer) {
      const label = document.createElement("span");
      label.textContent = feature.properties.name;
      layer.bindTooltip(label, {direction: "top", offset: [0, -6]});
    }
  }
});
