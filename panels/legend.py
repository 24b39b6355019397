"""The legend: always exactly the visible layers, drawn from the shared style definitions."""

from __future__ import annotations

from typing import Any

from dash import html

from core import style
from core.text import t


def _swatch(kind: str, colour: str, dash: str = "") -> html.Span:
    css: dict[str, str] = {"borderColor": colour}
    if kind == "line":
        css["borderTopStyle"] = (
            "dashed" if dash == style.STATUS_DASH["planned"] else "dotted" if dash else "solid"
        )
    else:
        css["backgroundColor"] = style.PAPER if kind == "hollow" else colour
    return html.Span(className=f"atlas-swatch atlas-swatch-{kind}", style=css)


def legend(layers: tuple[str, ...] | list[str], lang: str) -> list[Any]:
    rows: list[Any] = [html.Div(t("legend", lang), className="atlas-legend-title")]
    rows.append(
        html.Div(
            [_swatch("area", style.FENGTAI_FILL), t("legend.fengtai", lang)],
            className="atlas-legend-row",
        )
    )
    for key in layers:
        rows.append(
            html.Div(
                [_swatch("dot", style.THEME_COLOURS[key]), t(f"theme.{key}", lang)],
                className="atlas-legend-row",
                **{"data-layer": key},
            )
        )
    if any(k in layers for k in ("hubs", "corridor")):
        for status in ("open", "under_construction", "planned"):
            rows.append(
                html.Div(
                    [
                        _swatch("line", style.NEUTRAL, style.STATUS_DASH[status]),
                        t(f"status.{status}", lang),
                    ],
                    className="atlas-legend-row",
                )
            )
    if any(k in layers for k in ("relocation", "synergy")):
        rows.append(
            html.Div(
                [_swatch("flow", style.FLOW_NEUTRAL), t("legend.flow", lang)],
                className="atlas-legend-row",
            )
        )
    if layers:
        rows.append(
            html.Div(
                [
                    _swatch("line", style.CLOSED_COLOUR, style.STATUS_DASH["closed"]),
                    t("status.closed", lang),
                ],
                className="atlas-legend-row",
            )
        )
        rows.append(
            html.Div(
                [_swatch("ring", style.NEUTRAL), t("legend.estimate", lang)],
                className="atlas-legend-row",
            )
        )
        rows.append(
            html.Div(
                [_swatch("hollow", style.NEUTRAL), t("legend.attested", lang)],
                className="atlas-legend-row",
            )
        )
    rows.append(
        html.Div(
            [_swatch("line", style.XIONGAN_EDGE, style.XIONGAN_DASH), t("legend.xiongan", lang)],
            className="atlas-legend-row",
        )
    )
    return rows
