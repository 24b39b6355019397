"""The data behind a view: GeoJSON of the visible features, CSV of the indicator rows shown.

Features keep their true coordinates (not the small display offset the map gives places that
share a stand-in point) and every attribute the atlas holds, plus what the view says of them in
that year: ``status`` for places and lines, ``counted`` for flows. Both files carry sources.

The GeoJSON also holds the planner's own layers shown that year: each feature with its file's
attributes and ``feature_type`` ``"user"``, ``layer`` (the layer's name) and ``class`` (its
legend label; null for no value). An attribute of the file named like one of these three is
kept as ``<name>_file``.
"""

from __future__ import annotations

import json
import re

import pandas as pd

import geopandas as gpd

from exports.user import UserLayer, plain_value
from exports.visible import Visible
from geodata.load import Atlas

FEATURE_LAYERS = ("places", "lines", "flows")
USER_PROPERTIES = ("feature_type", "layer", "class")


def visible_features(atlas: Atlas, visible: Visible) -> gpd.GeoDataFrame:
    """One frame (EPSG:4326) of every visible place, line and flow, in drawing order."""
    ids = visible.feature_ids()
    status = dict(
        zip(
            [*visible.places["id"], *visible.lines["id"]],
            [*visible.places.get("status", []), *visible.lines.get("status", [])],
            strict=True,
        )
    )
    arcs = visible.flows[visible.flows["part"] == "arc"] if len(visible.flows) else visible.flows
    counted = dict(zip(arcs["id"], arcs.get("counted", []), strict=True))
    frames = []
    for layer in FEATURE_LAYERS:
        table = atlas.table(layer)
        chosen = table.set_index("id").loc[ids[layer]].reset_index()
        chosen.insert(0, "feature_type", layer[:-1])
        if layer == "flows":
            chosen["counted"] = [bool(counted[i]) for i in chosen["id"]]
        else:
            chosen["status"] = [status[i] for i in chosen["id"]]
        frames.append(chosen)
    merged = pd.concat(frames, ignore_index=True, sort=False)
    merged = merged.rename(columns={"theme": "layer"})
    first = ["feature_type", "id", "layer", "name_zh", "name_en", "status", "counted"]
    order = [c for c in first if c in merged] + [
        c for c in merged.columns if c not in first and c not in ("geometry", "source")
    ]
    merged = merged[[*order, "source", "geometry"]]
    # Text fields the atlas keeps as "" stay ""; status and counted are null where not applicable.
    text = [
        c
        for c in merged.columns
        if merged[c].dtype == object and c not in ("geometry", "status", "counted")
    ]
    merged[text] = merged[text].fillna("")
    for column in ("status", "counted"):
        merged[column] = merged[column].astype(object).where(merged[column].notna(), None)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


def user_features(layer: UserLayer) -> list[dict]:
    """GeoJSON features of a planner's layer as shown (attributes, layer name and class)."""
    if layer.frame.empty:
        return []
    geometries = json.loads(layer.frame.geometry.to_json(to_wgs84=True))["features"]
    names = layer.attributes()
    keys = {n: f"{n}_file" if str(n) in USER_PROPERTIES else str(n) for n in names}
    out = []
    for geometry, cls, row in zip(
        geometries, layer.classes, layer.frame[names].itertuples(index=False), strict=True
    ):
        properties = {
            "feature_type": "user",
            "layer": layer.name,
            "class": layer.class_label(int(cls)),
            **{keys[n]: plain_value(v) for n, v in zip(names, row, strict=True)},
        }
        out.append({"type": "Feature", "properties": properties, "geometry": geometry["geometry"]})
    return out


def geojson_bytes(atlas: Atlas, visible: Visible) -> bytes:
    """RFC 7946 GeoJSON (WGS-84 lon/lat) of :func:`visible_features`, then of the planner's
    layers shown (:func:`user_features`), UTF-8."""
    frame = visible_features(atlas, visible)
    collection = json.loads(frame.to_json(drop_id=True, na="null", to_wgs84=True))
    for layer in visible.user:
        collection["features"] += user_features(layer)
    spec = visible.spec
    collection["name"] = f"{spec.theme}_{spec.year}"
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ... except a plain number ("-12.5", "+3", "4e-3", "-7%"), which it reads as that number.
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?")


def neutralise(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` so it shows as
    text; numbers, plain-number text and other text unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_bytes(visible: Visible) -> bytes:
    """The KPI rows as CSV, UTF-8 with a byte-order mark so spreadsheet programs read Chinese.
    Text cells that a spreadsheet would run as a formula are neutralised (:func:`neutralise`);
    numeric columns are written as they are."""
    frame = visible.indicators.assign(theme=visible.spec.theme, year=visible.spec.year)
    frame = frame[["theme", "year", *visible.indicators.columns]]
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    frame = frame.assign(**{c: frame[c].map(neutralise) for c in text})
    # RFC 4180's CRLF: the writer quotes a cell holding either character, so a stray CR inside
    # a cell cannot end its row (with "\n" alone it did).
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
