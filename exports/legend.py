"""The export legend: one entry for every visible layer and for each style actually on the map,
from the same style definitions as the screen (``layers.style``); then the planner's own layers,
each a heading (its name) and a row per class, as the dashboard's layer list shows them."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import box

from core import style
from core.text import tx
from core.timeline import attested_at
from exports import user
from exports.user import UserLayer
from exports.visible import Visible

STATUS_ORDER = ("open", "under_construction", "planned", "closed")
NEUTRAL = style.NEUTRAL


@dataclass(frozen=True)
class LegendEntry:
    """One row: ``kind`` is heading, layer (a planner's layer's name), area, line, dot, status,
    rail, road or flow."""

    kind: str
    label: str
    fill: str = "#FFFFFF"
    edge: str = NEUTRAL
    alpha: float = 1.0
    width: float = 1.0  # screen pixels
    dash: str = ""  # Leaflet dashArray
    widths: tuple[float, ...] = ()  # flow samples, screen pixels
    line: bool = False  # a status row also shows the line style (lines of that status shown)


def legend_entries(
    visible: Visible, lang: str, lonlat_box: tuple[float, float, float, float] | None = None
) -> list[LegendEntry]:
    """The legend rows for ``visible``; ``lonlat_box`` drops basemap rows off the map."""
    spec = visible.spec
    frame = box(*lonlat_box) if lonlat_box else None
    rows = [LegendEntry("heading", tx("legend", lang))]
    rows.append(
        LegendEntry(
            "area", tx("legend.fengtai", lang), style.FENGTAI_FILL, style.FENGTAI_EDGE, 0.6, 3
        )
    )
    rows.append(
        LegendEntry("area", tx("legend.basemap", lang), style.BOUNDARY_FILL, style.BOUNDARY_EDGE)
    )
    rows.append(LegendEntry("line", tx("legend.province", lang), edge=style.PROVINCE_EDGE, width=2))
    new_area = visible.boundaries[visible.boundaries["level"] == "new_area"]
    if not new_area.empty and (frame is None or new_area.intersects(frame).any()):
        rows.append(
            LegendEntry(
                "line",
                tx("legend.xiongan", lang),
                edge=style.XIONGAN_EDGE,
                width=2,
                dash=style.XIONGAN_DASH,
            )
        )
    for key in spec.shown_layers:
        rows.append(
            LegendEntry(
                "dot", tx(f"theme.{key}", lang), style.THEME_COLOURS[key], style.EXACT_EDGE, width=2
            )
        )
    place_statuses = set(visible.places.get("status", []))
    line_statuses = set(visible.lines.get("status", []))
    for status in STATUS_ORDER:
        if status not in place_statuses | line_statuses:
            continue
        colour = style.CLOSED_COLOUR if status == "closed" else NEUTRAL
        rows.append(
            LegendEntry(
                "status",
                tx(f"status.{status}", lang),
                fill=colour,
                edge=colour,
                alpha=style.PLACE_FILL_OPACITY[status],
                width=3,
                dash=style.STATUS_DASH[status] if status in line_statuses else "",
                line=status in line_statuses,
            )
        )
    # How a railway and a road are told apart (the white inner stroke), as on the screen.
    line_kinds = set(visible.lines.get("kind", []))
    if line_kinds - set(style.ROAD_KINDS):
        rows.append(LegendEntry("rail", tx("legend.rail", lang), edge=NEUTRAL, width=4))
    if line_kinds & set(style.ROAD_KINDS):
        width = style.LINE_WIDTH[style.ROAD_KINDS[0]]
        rows.append(LegendEntry("road", tx("legend.road", lang), edge=NEUTRAL, width=width))
    arcs = visible.flows[visible.flows["part"] == "arc"] if len(visible.flows) else visible.flows
    if len(arcs):
        counted = arcs[arcs["counted"]]
        widths = (style.FLOW_MIN_WIDTH, max(counted["width"])) if len(counted) else (2.0,)
        rows.append(
            LegendEntry("flow", tx("legend.flow", lang), edge=style.FLOW_NEUTRAL, widths=widths)
        )
        if arcs["dashed"].any():
            rows.append(
                LegendEntry(
                    "flow",
                    tx("legend.flow_uncounted", lang),
                    edge=style.FLOW_NEUTRAL,
                    widths=(2.0,),
                    dash=style.FLOW_UNCOUNTED_DASH,
                )
            )
    if len(visible.places) and (visible.places["location_accuracy"] != "exact").any():
        rows.append(
            LegendEntry(
                "dot",
                tx("legend.estimate", lang),
                style.PAPER,
                style.ESTIMATE_EDGE,
                width=2,
                dash=style.ESTIMATE_DASH,
            )
        )
    if len(visible.places) and any(
        attested_at(tl, att, spec.year)
        for tl, att in zip(visible.places["tl"], visible.places["att"], strict=True)
    ):
        rows.append(
            LegendEntry("dot", tx("legend.attested", lang), style.PAPER, style.NEUTRAL, width=3)
        )
    shown = {i for ids in visible.feature_ids().values() for i in ids}
    if spec.selected and spec.selected in shown:
        rows.append(
            LegendEntry(
                "dot", tx("legend.selected", lang), style.PAPER, style.SELECTED_EDGE, width=4
            )
        )
    for layer in visible.user:
        rows += user_entries(layer, lang)
    return rows


def _user_row(kind: str, label: str, colour: str) -> LegendEntry:
    if kind == "polygon":
        return LegendEntry("area", label, colour, style.PAPER, user.POLYGON_ALPHA, 1)
    if kind == "line":
        return LegendEntry("line", label, edge=colour, alpha=user.LINE_ALPHA, width=user.LINE_WIDTH)
    return LegendEntry("dot", label, colour, style.PAPER, width=1)


def user_entries(layer: UserLayer, lang: str) -> list[LegendEntry]:
    """A planner's layer: its name, a row per class (the one-colour style's row is the layer's
    name again), and "No value" when a shown feature has none."""
    rows = [LegendEntry("layer", layer.name)]
    for cls, colour in enumerate(layer.colors):
        rows.append(_user_row(layer.kind, layer.class_label(cls) or layer.name, colour))
    if layer.missing:
        rows.append(_user_row(layer.kind, tx("user.no_value", lang), layer.colour(-1)))
    return rows
