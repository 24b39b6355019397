"""A standalone interactive map (folium) that opens offline and requests nothing from any host.

folium's CDN links (Leaflet, jQuery, Bootstrap, Font Awesome) are dropped; Leaflet 1.9.4 from the
npm package, vendored in ``exports/vendor/leaflet`` with its licence, is inlined instead (its CSS
images as data: URIs). Data reaches the page as JSON through Jinja's ``tojson`` (which escapes
``<``, ``>``, ``&``, ``'``); folium's tooltips build HTML, so every text they show is escaped here
with :func:`html.escape`, as is every text in the title, legend and source panel.

The planner's own layers are drawn by ``exports.htmllayers``.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from core import style
from core.text import html_lang, local, tx
from exports.htmllayers import USER_PANE, USER_Z, add_user, collection, tooltip
from exports.legend import LegendEntry, legend_entries
from exports.text import default_title, source_blocks, subtitle
from exports.visible import Visible

VENDOR = Path(__file__).parent / "vendor" / "leaflet"
# Panes (as the dashboard's): the basemap, then the planner's layers (``exports.htmllayers``),
# under the story's features in Leaflet's overlay pane (400).
BASE_PANE, BASE_Z = "atlas-base", 350
PANEL_CSS = """
html, body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; }
.leaflet-container { background: %(water)s; }
.atlas-panel { position: absolute; top: 10px; right: 10px; z-index: 1000; width: 300px;
  max-height: calc(100%% - 40px); overflow-y: auto; padding: 10px 12px; background: #fff;
  border: 1px solid #b0b0b0; border-radius: 6px; font-size: 13px; color: #1a1a1a; }
.atlas-panel h1 { font-size: 17px; margin: 0 0 4px; }
.atlas-panel p { margin: 0 0 6px; color: #555; }
.atlas-panel ul { list-style: none; margin: 4px 0 8px; padding: 0; }
.atlas-panel li { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
.atlas-panel details { margin-top: 6px; font-size: 11px; color: #444; }
.atlas-panel details p { color: #444; overflow-wrap: anywhere; }
.leaflet-tooltip.atlas-area-label { background: transparent; border: none; box-shadow: none;
  color: #444; font-size: 11px; padding: 0; }
.leaflet-tooltip.atlas-area-label.atlas-focus { color: #8b0000; font-weight: 700; }
.atlas-panel li.atlas-user-layer { margin-top: 6px; font-weight: 700; overflow-wrap: anywhere; }
.atlas-user-popup { max-height: 240px; overflow-y: auto; font-size: 12px; }
.atlas-user-popup th { text-align: left; padding-right: 6px; color: #555; font-weight: 400; }
"""


# ``boundaryLabel`` of assets/atlas.js: a permanent label per area, its text set as text.
AREA_LABEL_JS = """function (feature, layer) {
  const span = document.createElement("span");
  span.textContent = feature.properties.name;
  layer.bindTooltip(span, {permanent: true, direction: "center", interactive: false,
    className: "atlas-area-label" + (feature.properties.focus ? " atlas-focus" : "")});
}"""


class _MapExtras(MacroElement):
    """A metric scale bar, and the boundary notice as plain-text attribution instead of
    Leaflet's linked prefix."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = html.escape(text)


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """(js, css) of the vendored Leaflet, ready to inline: no source-map comment, no file URLs."""
    js = (VENDOR / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)
    css = (VENDOR / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode((VENDOR / match[1]).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("vendored Leaflet cannot be inlined safely")
    return js, css


def _name(row: Any, lang: str) -> str:
    return str(local(row, "name", lang))


def _add_basemap(m: folium.Map, visible: Visible, lang: str) -> None:
    b = visible.boundaries
    sel = visible.spec.selected

    props = [
        {
            "style": style.boundary_style({"id": r.id, "level": r.level, "focus": r.focus}, sel),
            "label": html.escape(_name(r, lang)),
        }
        for r in b.itertuples(index=False)
    ]
    folium.GeoJson(
        collection(b, props, "b"),
        name="boundaries",
        style_function=lambda f: f["properties"]["style"],
        control=False,
        pane=BASE_PANE,
    ).add_to(m)
    labelled = b[b["label"]].copy()
    labelled["geometry"] = labelled.geometry.representative_point()
    # Raw names: the label script below sets them with textContent, never as HTML.
    props = [{"name": _name(r, lang), "focus": bool(r.focus)} for r in labelled.itertuples()]
    folium.GeoJson(
        collection(labelled, props, "lb"),
        marker=folium.CircleMarker(radius=0, opacity=0, fill=False, interactive=False),
        on_each_feature=folium.JsCode(AREA_LABEL_JS),
        control=False,
    ).add_to(m)


def _props(row: Any) -> dict[str, Any]:
    """A visible feature's GeoJSON properties again, for the shared style rules."""
    return row._asdict()


def _leaflet_only(options: dict[str, Any], keep_class: bool = False) -> dict[str, Any]:
    """Path options without what only the dashboard has: its map panes, and (unless kept as a
    hook for tests and readers of the file) its CSS classes."""
    screen_only = {"pane"} if keep_class else {"pane", "className"}
    return {k: v for k, v in options.items() if k not in screen_only}


def _status_text(status: str | None, lang: str) -> str:
    return tx(f"status.{status}", lang) if status else ""


def _add_features(m: folium.Map, visible: Visible, lang: str) -> None:
    sel, year = visible.spec.selected, visible.spec.year
    lines = visible.lines
    if len(lines):
        styles = [style.line_style(_props(r), year, sel) for r in lines.itertuples(index=False)]
        props = [
            {
                "style": _leaflet_only({k: v for k, v in s.items() if k != "inner"}),
                "label": html.escape(_name(r, lang)),
                "detail": html.escape(f"{_status_text(r.status, lang)} · {tx('schematic', lang)}"),
            }
            for r, s in zip(lines.itertuples(index=False), styles, strict=True)
        ]
        folium.GeoJson(
            collection(lines, props, "ln"),
            style_function=lambda f: f["properties"]["style"],
            tooltip=tooltip(["label", "detail"]),
        ).add_to(m)
        # Each line's white inner stroke on top of it, as the dashboard draws it: ticks on an
        # open railway, the core of a road's double line.
        drawn = [i for i, s in enumerate(styles) if s["inner"]]
        if drawn:
            folium.GeoJson(
                collection(
                    lines.iloc[drawn],
                    [{"style": {**styles[i]["inner"], "interactive": False}} for i in drawn],
                    "li",
                ),
                style_function=lambda f: f["properties"]["style"],
                control=False,
            ).add_to(m)
    flows = visible.flows
    if len(flows):
        props = []
        for r in flows.itertuples(index=False):
            label = local(r, "label", lang)
            s = _leaflet_only(style.flow_style(_props(r), year, sel))
            props.append({"style": s, "label": html.escape(str(label))})
        folium.GeoJson(
            collection(flows, props, "fl"),
            style_function=lambda f: f["properties"]["style"],
            tooltip=tooltip(["label"]),
        ).add_to(m)
    places = visible.places
    if len(places):
        props = []
        for r in places.itertuples(index=False):
            detail = (
                f"{_status_text(r.status, lang)} · {tx(f'accuracy.{r.location_accuracy}', lang)}"
            )
            props.append(
                {
                    "style": {
                        **_leaflet_only(style.place_style(_props(r), year, sel), keep_class=True),
                        "fill": True,
                    },
                    "label": html.escape(_name(r, lang)),
                    "detail": html.escape(detail),
                }
            )
        folium.GeoJson(
            collection(places, props, "pl"),
            marker=folium.CircleMarker(radius=style.PLACE_RADIUS),
            style_function=lambda f: f["properties"]["style"],
            tooltip=tooltip(["label", "detail"]),
        ).add_to(m)


def _swatch_svg(e: LegendEntry) -> str:
    """A small inline SVG for a legend row (no external resource)."""
    dash = f' stroke-dasharray="{html.escape(e.dash)}"' if e.dash else ""
    fill, edge = html.escape(e.fill), html.escape(e.edge)
    if e.kind == "area":
        shape = (
            f'<rect x="2" y="3" width="20" height="10" fill="{fill}" fill-opacity="{e.alpha}"'
            f' stroke="{edge}" stroke-width="{min(e.width, 2)}"/>'
        )
    elif e.kind in ("rail", "road"):
        inner = (
            f'stroke-width="{style.ROAD_CORE_WEIGHT}"'
            if e.kind == "road"
            else f'stroke-width="{style.RAIL_TICKS["weight"]}"'
            f' stroke-dasharray="{style.RAIL_TICKS["dashArray"]}"'
        )
        shape = (
            f'<line x1="2" y1="8" x2="22" y2="8" stroke="{edge}" stroke-width="{e.width}"/>'
            f'<line x1="2" y1="8" x2="22" y2="8" stroke="{style.PAPER}" {inner}/>'
        )
    elif e.kind in ("line", "flow"):
        width = max(e.widths) if e.widths else e.width
        shape = (
            f'<line x1="2" y1="8" x2="22" y2="8" stroke="{edge}" stroke-width="{min(width, 6)}"'
            f' stroke-linecap="round"{dash}/>'
        )
    else:
        shape = (
            f'<circle cx="12" cy="8" r="6" fill="{fill}" fill-opacity="{e.alpha}"'
            f' stroke="{edge}" stroke-width="{min(e.width, 3)}"{dash}/>'
        )
    return f'<svg width="24" height="16" aria-hidden="true">{shape}</svg>'


def panel_html(visible: Visible, lang: str, generated: date) -> str:
    spec = visible.spec
    title = spec.title or default_title(spec.theme, spec.year, lang)
    sub = subtitle(tx("title", lang), spec.year, visible.as_of, lang)
    rows = [
        f'<li class="atlas-user-layer">{html.escape(e.label)}</li>'
        if e.kind == "layer"
        else f"<li>{_swatch_svg(e)}<span>{html.escape(e.label)}</span></li>"
        for e in legend_entries(visible, lang)[1:]
    ]
    blocks = source_blocks(
        visible.sources, visible.documents, visible.metadata, lang, visible.sections
    )
    sources = "".join(
        f"<p><strong>{html.escape(h)}</strong> {html.escape(b)}</p>" for h, b in blocks
    )
    return (
        f'<div class="atlas-panel"><h1>{html.escape(title)}</h1><p>{html.escape(sub)}</p>'
        f"<strong>{html.escape(tx('legend', lang))}</strong><ul>{''.join(rows)}</ul>"
        f"<details><summary>{html.escape(tx('sources', lang))}</summary>{sources}</details>"
        f"<p>{html.escape(tx('generated', lang, date=generated.isoformat()))}</p></div>"
    )


def render_html(visible: Visible, generated: date | None = None) -> bytes:
    """The standalone HTML page for ``visible.spec`` as UTF-8 bytes."""
    spec = visible.spec
    lang = spec.lang
    theme = spec.theme_def
    m = folium.Map(
        location=list(theme.center),
        zoom_start=theme.zoom,
        tiles=None,
        min_zoom=6,
        max_zoom=15,
    )
    # No CDN: nothing from folium's default resource lists is linked.
    m.default_js = []
    m.default_css = []
    if spec.bbox is not None:
        west, south, east, north = spec.bbox
        m.fit_bounds([[south, west], [north, east]])
    js, css = leaflet_assets()
    root = m.get_root()
    root.title = html.escape(spec.title or default_title(spec.theme, spec.year, lang))
    root.header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css")
    root.header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js")
    root.header.add_child(
        Element(f"<style>{PANEL_CSS % {'water': style.WATER}}</style>"), name="atlas_css"
    )
    folium.map.CustomPane(BASE_PANE, z_index=BASE_Z, pointer_events=True).add_to(m)
    folium.map.CustomPane(USER_PANE, z_index=USER_Z, pointer_events=True).add_to(m)
    _add_basemap(m, visible, lang)
    add_user(m, visible, lang)
    _add_features(m, visible, lang)
    _MapExtras(visible.metadata.get(f"boundary_notice_{lang}", "")).add_to(m)
    root.html.add_child(Element(panel_html(visible, lang, generated or date.today())))
    page = root.render()
    page = page.replace("<html>", f'<html lang="{html_lang(lang)}">', 1)
    return page.encode("utf-8")
