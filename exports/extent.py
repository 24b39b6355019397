"""The map extent on paper: the screen's Web Mercator view, fitted to the page's map frame.

The dashboard draws in Web Mercator (EPSG:3857), so exports do too: a printed map has the shape
the screen showed. A theme's centre and zoom become the box a reference screen viewport shows
at that zoom, reshaped (same area) to the frame's aspect; an explicit lon/lat box is widened —
never cropped — to that aspect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Transformer

EARTH_RADIUS_M = 6_371_008.8  # mean radius, for great-circle distances
WEB_MERCATOR_HALF = math.pi * 6_378_137.0  # EPSG:3857 x at 180°
TILE_PX = 256
# The dashboard's map pane at its design size (1440×900 window): about 1000×700 CSS px.
REFERENCE_VIEW_PX = (1000.0, 700.0)

_TO_MERC = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_TO_LONLAT = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class Extent:
    """A map box in EPSG:3857 metres, ``(x0, y0, x1, y1)``."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def aspect(self) -> float:
        return (self.x1 - self.x0) / (self.y1 - self.y0)

    def lonlat(self) -> tuple[float, float, float, float]:
        """The box as ``(lon_min, lat_min, lon_max, lat_max)``."""
        west, south = _TO_LONLAT.transform(self.x0, self.y0)
        east, north = _TO_LONLAT.transform(self.x1, self.y1)
        return float(west), float(south), float(east), float(north)

    def centre_lonlat(self) -> tuple[float, float]:
        lon, lat = _TO_LONLAT.transform((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)
        return float(lon), float(lat)

    def width_m(self) -> float:
        """Ground distance across the box along its centre latitude (haversine)."""
        west, _, east, _ = self.lonlat()
        _, lat = self.centre_lonlat()
        return haversine_m(west, lat, east, lat)


def _box(cx: float, cy: float, width: float, height: float) -> Extent:
    return Extent(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def from_view(center: tuple[float, float], zoom: float, aspect: float) -> Extent:
    """The box a screen shows at ``center`` (lat, lon) and ``zoom``, reshaped to ``aspect``.

    The reference viewport's area is kept, so portrait and landscape show about as much.
    """
    lat, lon = center
    cx, cy = _TO_MERC.transform(lon, lat)
    metres_per_px = 2 * WEB_MERCATOR_HALF / (TILE_PX * 2**zoom)
    area_px = REFERENCE_VIEW_PX[0] * REFERENCE_VIEW_PX[1]
    width_px = math.sqrt(area_px * aspect)
    return _box(cx, cy, width_px * metres_per_px, width_px / aspect * metres_per_px)


def from_bbox(bbox: tuple[float, float, float, float], aspect: float) -> Extent:
    """``bbox`` (lon_min, lat_min, lon_max, lat_max) widened about its centre to ``aspect``."""
    west, south, east, north = bbox
    x0, y0 = _TO_MERC.transform(west, south)
    x1, y1 = _TO_MERC.transform(east, north)
    width, height = x1 - x0, y1 - y0
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    return _box((x0 + x1) / 2, (y0 + y1) / 2, width, height)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def nice_length(limit_m: float) -> float:
    """The longest 1, 2 or 5 × 10ⁿ metres not above ``limit_m``."""
    if limit_m <= 0:
        raise ValueError("limit must be positive")
    exponent = math.floor(math.log10(limit_m))
    for step in (5, 2, 1):
        if step * 10**exponent <= limit_m:
            return float(step * 10**exponent)
    return float(10 ** (exponent - 1) * 5)  # unreachable: 1 × 10ⁿ ≤ limit by construction
