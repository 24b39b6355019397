"""Places, lines and flows as GeoJSON whose properties let the browser show and style them by
year, layer and language (``assets/views.js``) without the geometry being sent again."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

import geopandas as gpd
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from core import style
from core.timeline import attested_years, timelines, year_of
from layers.geojson import GeoJSON, to_geojson

JITTER_DEG = 0.0035  # ~300 m: separates places that share one stand-in point, for display only
ARROW_SHARE = 0.07  # arrowhead length as a share of the arc's chord


def _spread_shared_points(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Places that share a stand-in point are set on a small ring around it (display only)."""
    keys = [(round(p.x, 6), round(p.y, 6)) for p in places.geometry]
    totals = Counter(keys)
    seen: Counter[tuple[float, float]] = Counter()
    points, moved = [], []
    for key in keys:
        n = totals[key]
        if n == 1:
            points.append(Point(key))
            moved.append(False)
            continue
        angle = 2 * math.pi * seen[key] / n
        seen[key] += 1
        lat_scale = math.cos(math.radians(key[1]))
        dx, dy = JITTER_DEG * math.cos(angle) / lat_scale, JITTER_DEG * math.sin(angle)
        points.append(Point(key[0] + dx, key[1] + dy))
        moved.append(True)
    return places.assign(geometry=points, display_offset=moved)


def _timeline_prop(feature_ids: pd.Series, status: pd.DataFrame) -> list[list[list[object]]]:
    tl = timelines(status)
    return [[[y, s] for y, s in tl.get(str(i), [])] for i in feature_ids]


def _attested_prop(feature_ids: pd.Series, status: pd.DataFrame) -> list[list[int]]:
    attested = attested_years(status)
    return [attested.get(str(i), []) for i in feature_ids]


def places_layer(places: gpd.GeoDataFrame, status: pd.DataFrame) -> GeoJSON:
    frame = _spread_shared_points(places)
    frame = frame.assign(
        layer=frame["theme"],
        tl=_timeline_prop(frame["id"], status),
        att=_attested_prop(frame["id"], status),
    )
    props = ["id", "name_zh", "name_en", "kind", "layer", "location_accuracy", "tl", "att"]
    return to_geojson(frame, [*props, "display_offset"])


def lines_layer(lines: gpd.GeoDataFrame, status: pd.DataFrame) -> GeoJSON:
    frame = lines.assign(
        layer=lines["theme"],
        tl=_timeline_prop(lines["id"], status),
        att=_attested_prop(lines["id"], status),
        width=[style.LINE_WIDTH.get(k, style.LINE_WIDTH_DEFAULT) for k in lines["kind"]],
    )
    return to_geojson(
        frame, ["id", "name_zh", "name_en", "kind", "layer", "schematic", "tl", "att", "width"]
    )


def _arrowhead(arc: LineString) -> Polygon:
    coords = np.asarray(arc.coords)
    (x0, y0), (x1, y1) = coords[-2], coords[-1]
    scale = math.cos(math.radians(y1))
    chord = math.hypot((coords[-1][0] - coords[0][0]) * scale, coords[-1][1] - coords[0][1])
    size = max(0.01, min(0.12, chord * ARROW_SHARE))
    ang = math.atan2(y1 - y0, (x1 - x0) * scale)
    left = (x1 - size * math.cos(ang - 0.45) / scale, y1 - size * math.sin(ang - 0.45))
    right = (x1 - size * math.cos(ang + 0.45) / scale, y1 - size * math.sin(ang + 0.45))
    return Polygon([(x1, y1), left, right])


def flows_layer(flows: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> GeoJSON:
    """Flow arcs (width ∝ value) plus an arrowhead polygon per arc, so direction is visible."""
    names = places.set_index("id")[["name_zh", "name_en"]]
    values = pd.to_numeric(flows["value"], errors="coerce")
    widest = {theme: float(v.max()) for theme, v in values.groupby(flows["theme"])}
    rows = []
    for row, value in zip(flows.itertuples(index=False), values, strict=True):
        origins = [o for o in str(row.origin_ids).split(";") if o]
        label = {
            lang: "、".join(names.loc[o, f"name_{lang}"] for o in origins)
            + " → "
            + names.loc[row.dest_id, f"name_{lang}"]
            for lang in ("zh", "en")
        }
        common = {
            "id": row.id,
            "layer": row.theme,
            "kind": row.kind,
            "direction": row.direction,
            "from_year": year_of(row.year_from),
            "value_year": year_of(row.as_of),
            "value": None if math.isnan(value) else value,
            "width": style.flow_width(value, widest.get(row.theme, 0.0)),
            "label_zh": label["zh"],
            "label_en": label["en"],
        }
        arcs = list(row.geometry.geoms) if isinstance(row.geometry, MultiLineString) else []
        rows.append({**common, "part": "arc", "geometry": row.geometry})
        for arc in arcs:
            rows.append({**common, "part": "head", "geometry": _arrowhead(arc)})
    frame = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    return to_geojson(frame, [c for c in frame.columns if c != "geometry"])
