"""Clicking a place shows what it is, how exact its location is, its status and sources."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, html, no_update

import ids
from geodata.load import Atlas

KIND_ZH = {
    "station": "火车站",
    "air_terminal": "城市航站楼",
    "airport": "机场",
    "market": "市场",
    "successor_site": "疏解腾退空间再利用",
    "receiving_site": "承接地",
    "city": "城市",
    "province": "省级区域",
    "district": "区",
    "area": "区域",
    "park": "园区",
    "government": "政府机构",
}
ACCURACY_ZH = {
    "exact": "精确点位",
    "site_estimate": "位置估计",
    "stand_in": "替代点位（附近地标）",
    "area_centroid": "区域代表点",
}
STATUS_ZH = {"planned": "规划", "under_construction": "在建", "open": "运营", "closed": "关闭"}


def _source(text: str) -> html.Span | html.A:
    if text.startswith(("http://", "https://")):
        return html.A(text, href=text, target="_blank", rel="noopener noreferrer")
    return html.Span(text, className="atlas-source")


def place_details(places: pd.DataFrame, status: pd.DataFrame, place_id: str) -> list[Any]:
    """The details panel for one place (Dash components escape every string)."""
    match = places[places["id"] == place_id]
    if match.empty:
        return [html.P(f"未知地点：{place_id}")]
    place = match.iloc[0]
    history = status[status["feature_id"] == place_id]
    items = [
        html.Li([f"{STATUS_ZH[row.status]} {row.since} — ", _source(row.source)])
        for row in history.itertuples(index=False)
    ]
    return [
        html.H2(place["name_zh"]),
        html.P(place["name_en"], className="atlas-name-en"),
        html.P(f"类型：{KIND_ZH.get(place['kind'], place['kind'])}"),
        html.P(
            f"位置精度：{ACCURACY_ZH[place['location_accuracy']]}",
            className=f"atlas-accuracy atlas-accuracy-{place['location_accuracy']}",
        ),
        html.P(["坐标来源：", _source(place["source"])]),
        html.H3("状态"),
        html.Ul(items) if items else html.P("无状态记录"),
    ]


def register(app: Dash, atlas: Atlas) -> None:
    places = atlas.table("places")
    status = atlas.table("status")

    @app.callback(Output(ids.DETAILS, "children"), Input(ids.PLACES, "clickData"))
    def show_place(click: dict | None) -> Any:
        if not click or not isinstance(click.get("properties"), dict):
            return no_update
        return place_details(places, status, str(click["properties"].get("id", "")))
