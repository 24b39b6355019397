"""The standalone map's GeoJSON (``exports.html``): features with our own escaped properties,
and the planner's own layers.

The planner's layers lie over the basemap and under the story's lines, flows and places (as on
screen), in a pane of their own. Each feature's attributes show in a popup (names and values
from the file, escaped). A point layer of more than ``exports.user.DENSE`` points is not a
GeoJSON layer of markers but compact columns (coordinates, class, attributes cut short) drawn as
circle markers on one canvas, with a popup built from text nodes when a point is clicked.
"""

from __future__ import annotations

import html
import json
from typing import Any

import folium
import numpy as np
from branca.element import MacroElement
from jinja2 import Template

import geopandas as gpd
import shapely

from core import style
from core.text import tx
from exports import user
from exports.user import UserLayer, plain_value
from exports.visible import Visible

COORD_DECIMALS = 5  # ~1 m, finer than the 100 m boundary simplification (as the dashboard)
USER_PANE, USER_Z = "atlas-user", 380
MAX_COLUMNS = 50  # attributes shown in a user feature's popup
DENSE_TEXT = 80  # characters of an attribute value kept for a dense point layer
DENSE_BUDGET = 2_000_000  # characters of attribute text kept for one dense point layer


def collection(frame: gpd.GeoDataFrame, props: list[dict[str, Any]], prefix: str) -> dict:
    """A FeatureCollection with our own (escaped) properties and unique top-level ids."""
    rounded = frame.geometry.to_crs("EPSG:4326").map(
        lambda g: shapely.transform(g, lambda xy: np.round(xy, COORD_DECIMALS))
    )
    geoms = json.loads(gpd.GeoSeries(rounded).to_json())["features"] if len(frame) else []
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f"{prefix}{i}", "geometry": g["geometry"], "properties": p}
            for i, (g, p) in enumerate(zip(geoms, props, strict=True))
        ],
    }


def tooltip(fields: list[str], **kw: Any) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=fields, labels=False, **kw)


# A dense point layer: circle markers on one canvas in the user pane; the popup is made of text
# nodes when a point is clicked (values are never parsed as HTML). The data comes through
# Jinja's tojson, which escapes <, >, & and '.
DENSE_JS = Template(
    """{% macro script(this, kwargs) %}
    (function () {
      const d = {{ this.data|tojson }};
      const renderer = L.canvas({pane: d.pane, padding: 0.3});
      const group = L.layerGroup();
      function popup(i) {
        const box = document.createElement("div");
        box.className = "atlas-user-popup";
        const head = document.createElement("strong");
        head.textContent = d.name;
        box.appendChild(head);
        const table = document.createElement("table");
        d.columns.forEach(function (name, j) {
          const row = table.insertRow();
          const key = document.createElement("th");
          key.textContent = name;
          row.appendChild(key);
          row.insertCell().textContent = d.values[j][i] === null ? "" : String(d.values[j][i]);
        });
        box.appendChild(table);
        return box;
      }
      for (let i = 0; i < d.x.length; i += 1) {
        const c = d.c[i];
        const dot = L.circleMarker([d.y[i], d.x[i]], {
          renderer: renderer, pane: d.pane, radius: d.radius, stroke: false, fillOpacity: 0.9,
          fillColor: c >= 0 && c < d.colors.length ? d.colors[c] : d.none});
        dot.bindPopup(function () { return popup(i); });
        group.addLayer(dot);
      }
      group.addTo({{ this._parent.get_name() }});
    })();
    {% endmacro %}"""
)


class _DenseDots(MacroElement):
    _template = DENSE_JS

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "DenseDots"
        self.data = data


def _text(value: Any, most: int) -> str:
    plain = plain_value(value)
    text = "" if plain is None else str(plain)
    return text if len(text) <= most else text[: most - 1] + "…"


def _user_popup(layer: UserLayer, row: Any, columns: list[str]) -> str:
    """A feature's attributes as an HTML table, every name and value escaped."""
    cells = "".join(
        f"<tr><th>{html.escape(_text(name, 100))}</th>"
        f"<td>{html.escape(_text(row[name], user.MAX_TEXT))}</td></tr>"
        for name in columns
    )
    return (
        f'<div class="atlas-user-popup"><strong>{html.escape(layer.name)}</strong>'
        f"<table>{cells}</table></div>"
    )


def _user_label(layer: UserLayer, cls: int, lang: str) -> str:
    label = layer.class_label(cls)
    return f"{layer.name} · {label if label is not None else tx('user.no_value', lang)}"


def _user_style(layer: UserLayer, colour: str) -> dict[str, Any]:
    """``assets/userlayers.js``' path options."""
    if layer.kind == "polygon":
        return {
            "color": style.PAPER,
            "weight": 1,
            "fillColor": colour,
            "fillOpacity": user.POLYGON_ALPHA,
        }
    if layer.kind == "line":
        return {"color": colour, "weight": user.LINE_WIDTH, "opacity": user.LINE_ALPHA}
    return {
        "color": user.DOT_EDGE,
        "weight": 0.75,
        "fill": True,
        "fillColor": colour,
        "fillOpacity": 1.0,
        "radius": user.DOT_RADIUS,
        "pane": USER_PANE,  # a marker's options are its style (folium's pointToLayer)
    }


def _dense_data(layer: UserLayer) -> dict[str, Any]:
    """A dense point layer as columns: coordinates, class, and attribute values cut short, as
    many columns as fit in :data:`DENSE_BUDGET` characters."""
    xy = np.round(layer.points(), COORD_DECIMALS)
    columns: list[str] = []
    values: list[list[Any]] = []
    used = 0
    for name in layer.attributes()[:MAX_COLUMNS]:
        column = [plain_value(v) for v in layer.frame[name]]
        column = [v if not isinstance(v, str) else _text(v, DENSE_TEXT) for v in column]
        size = sum(len(str(v)) + 3 for v in column)
        if used + size > DENSE_BUDGET:
            break
        used += size
        columns.append(_text(name, 100))
        values.append(column)
    return {
        "name": layer.name,
        "pane": USER_PANE,
        "radius": user.DENSE_DOT_RADIUS,
        "none": layer.colour(-1),
        "colors": list(layer.colors),
        "x": xy[:, 0].tolist(),
        "y": xy[:, 1].tolist(),
        "c": layer.classes.tolist(),
        "columns": columns,
        "values": values,
    }


def add_user(m: folium.Map, visible: Visible, lang: str) -> None:
    """The planner's layers, in the order the dashboard lists them."""
    for n, layer in enumerate(visible.user):
        if layer.frame.empty:
            continue
        if layer.dense:
            _DenseDots(_dense_data(layer)).add_to(m)
            continue
        columns = layer.attributes()[:MAX_COLUMNS]
        props = [
            {
                "style": _user_style(layer, layer.colour(int(cls))),
                "label": html.escape(_user_label(layer, int(cls), lang)),
                "info": _user_popup(layer, row, columns),
            }
            for cls, (_, row) in zip(layer.classes, layer.frame.iterrows(), strict=True)
        ]
        folium.GeoJson(
            collection(layer.frame, props, f"u{n}-"),
            style_function=lambda f: f["properties"]["style"],
            marker=folium.CircleMarker(radius=user.DOT_RADIUS) if layer.kind == "point" else None,
            tooltip=tooltip(["label"]),
            popup=folium.GeoJsonPopup(fields=["info"], labels=False),
            control=False,
            pane=USER_PANE,
        ).add_to(m)
