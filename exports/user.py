"""Planners' own layers in an export: the layers a spec names (``ExportSpec.user``, the link's
``user=`` references), each drawn in its style by the layer service (``uploads.service``) and cut
to the features shown in the spec's year — what the dashboard draws for that year.

A reference the store does not have, or whose style does not fit the layer, is an
:class:`ExportError` with one line, raised before anything is rendered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from exports.spec import ExportError, ExportSpec
from uploads.style import NO_VALUE, StyleError, profile

if TYPE_CHECKING:
    from uploads.service import LayerService

MAX_NAME = 80  # characters of a layer's name printed in a legend or an error
MAX_TEXT = 500  # characters of one attribute value shown in the HTML export (as on screen)

# How the dashboard draws them (assets/userlayers.js), in screen pixels.
POLYGON_ALPHA = 0.75
LINE_WIDTH = 4.0
LINE_ALPHA = 0.9
DOT_RADIUS = 4.0  # a sparse point layer, with a dark rim that keeps its palest class visible
DOT_EDGE = "#333333"
DENSE_DOT_RADIUS = 2.0  # a layer of more than DENSE points, no ring
DENSE = 5000


def one_line(text: object, most: int = MAX_NAME) -> str:
    """``text`` on one line (control characters and runs of spaces as one space), shortened."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


@dataclass(frozen=True)
class UserLayer:
    """One planner's layer as an export draws it: only the features shown in the year."""

    digest: str
    name: str  # one line, shortened: what legends print
    kind: str  # "point", "line" or "polygon"
    frame: gpd.GeoDataFrame  # the shown features, WGS-84, with the file's attribute columns
    classes: np.ndarray  # per shown feature: index into ``colors``, -1 for no value
    colors: tuple[str, ...]
    labels: tuple[str, ...]  # one per colour; the one-colour style's "" is the layer's name

    @property
    def missing(self) -> int:
        """Shown features without a value (drawn grey)."""
        return int((self.classes < 0).sum())

    @property
    def dense(self) -> bool:
        return self.kind == "point" and len(self.frame) > DENSE

    def colour(self, cls: int) -> str:
        return self.colors[cls] if 0 <= cls < len(self.colors) else NO_VALUE

    def groups(self) -> list[tuple[str, np.ndarray]]:
        """(colour, indices of the shown features of that class): no value first, so the
        coloured features lie on top of the grey ones."""
        out = []
        for cls in [-1, *range(len(self.colors))]:
            chosen = np.flatnonzero(self.classes == cls)
            if len(chosen):
                out.append((self.colour(cls), chosen))
        return out

    def class_label(self, cls: int) -> str | None:
        """The legend's label of a class (None for no value)."""
        if not 0 <= cls < len(self.labels):
            return None
        return self.labels[cls] or self.name

    def points(self) -> np.ndarray:
        """(n, 2) lon/lat of the shown features of a point layer (a multipoint's centroid, as
        the dashboard draws it)."""
        if not len(self.frame):
            return np.empty((0, 2))
        return shapely.get_coordinates(shapely.centroid(self.frame.geometry.values))

    def attributes(self) -> list[str]:
        """The attribute columns, in the file's order."""
        return [c for c in self.frame.columns if c != self.frame.geometry.name]


def plain_value(value: Any) -> Any:
    """An attribute value as JSON can hold it: numbers and booleans as they are, no value as
    None (NaN, NaT, None), anything else as text."""
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    try:
        if pd.isna(value) is True:  # NaT, pd.NA
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _not_in_store(digest: str) -> ExportError:
    return ExportError(f"user layer {digest} is not in the layer store (removed or expired?)")


def resolve(spec: ExportSpec, service: LayerService | None) -> tuple[UserLayer, ...]:
    """The planner's layers ``spec`` names, as shown in ``spec.year``.

    Raises
    ------
    ExportError
        When a layer is named but there is no layer store, the store does not have it, or its
        style does not fit it.
    """
    refs = spec.user_refs
    if not refs:
        return ()
    if service is None:
        raise ExportError("user layers were asked for, but no layer store is available")
    out = []
    for ref in refs:
        found = service.get(ref.digest)
        if found is None:
            raise _not_in_store(ref.digest)
        stored, frame = found
        name = one_line(stored.name) or ref.digest[:12]
        style = ref.style(profile(frame))
        if style is None:
            raise ExportError(
                f"the style {ref.text()!r} does not fit user layer {name!r}: "
                "its column or year column is missing or of the wrong kind"
            )
        try:
            drawing = service.drawing(ref.digest, style)
        except StyleError as exc:
            reason = one_line(exc, 200)
            raise ExportError(f"the style of user layer {name!r} does not fit: {reason}") from None
        if drawing is None:
            raise _not_in_store(ref.digest)
        c = drawing.classes
        years = c.years or [None] * len(drawing.frame)
        shown = np.array([y is None or y <= spec.year for y in years], dtype=bool)
        classes = np.asarray(c.classes, dtype=int)
        if len(classes) != len(drawing.frame):  # a style without values: nothing classed
            classes = np.full(len(drawing.frame), -1, dtype=int)
        frame = drawing.frame[shown].reset_index(drop=True)
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        out.append(
            UserLayer(
                digest=stored.digest,
                name=name,
                kind=stored.kind,
                frame=frame,
                classes=classes[shown],
                colors=tuple(c.colors),
                labels=tuple(one_line(label, 200) for label in c.labels),
            )
        )
    return tuple(out)
