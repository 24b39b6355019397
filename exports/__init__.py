"""Exports of one dashboard view: pages (PNG/PDF/SVG), standalone HTML, data (GeoJSON/CSV).

``export_bytes(atlas, spec)`` is the one entry point; the renderers are imported lazily, so
importing this package does not load matplotlib or folium.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from exports.spec import ExportError, ExportSpec
from geodata.load import Atlas

if TYPE_CHECKING:
    from uploads.service import LayerService

__all__ = ["ExportError", "ExportSpec", "export_bytes"]


def export_bytes(
    atlas: Atlas,
    spec: ExportSpec,
    generated: date | None = None,
    user_layers: LayerService | None = None,
) -> bytes:
    """The file for ``spec`` as bytes.

    Parameters
    ----------
    atlas
        The loaded, validated atlas.
    spec
        What to export; checked against the data here (year range, selected id, user layers).
    generated
        The generation date printed on pages and HTML (default: today).
    user_layers
        The layer store the planner's layers in ``spec.user`` are drawn from (the app's
        ``AppData.layers``); ``None`` when there is none (then ``spec.user`` must be empty).

    Raises
    ------
    ExportError
        For a year outside the data, an unknown selection, a user layer the store does not
        have or whose style does not fit it, or a missing CJK font.
    """
    from core.tables import Tables
    from exports.visible import collect

    tables = Tables.from_atlas(atlas)
    spec.check_data(tables.years, tables.feature_ids())
    if spec.compare is not None:
        from exports.compare import render_compare

        return render_compare(atlas, tables, spec, user_layers, generated)
    visible = collect(atlas, spec, user_layers)
    if spec.fmt in ("png", "pdf", "svg"):
        from exports.render import render_page

        return render_page(visible, generated)
    if spec.fmt == "html":
        from exports.html import render_html

        return render_html(visible, generated)
    from exports.data import csv_bytes, geojson_bytes

    if spec.fmt == "geojson":
        return geojson_bytes(atlas, visible)
    return csv_bytes(visible)
