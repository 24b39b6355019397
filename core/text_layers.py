"""Screen words of planners' own layers (My layers), in Chinese and English; merged into
``core.text.UI``."""

from __future__ import annotations

LAYER_WORDS: dict[str, dict[str, str]] = {
    "user.title": {"zh": "我的图层", "en": "My layers"},
    "user.add": {
        "zh": "添加图层（GeoPackage、GeoJSON、Shapefile 压缩包、KML、CSV、XLSX）",
        "en": "Add a layer (GeoPackage, GeoJSON, zipped Shapefile, KML, CSV, XLSX)",
    },
    "user.drop": {"zh": "也可把文件拖到地图上。", "en": "Or drop a file on the map."},
    "user.reading": {"zh": "正在读取 {file}…", "en": "Reading {file}…"},
    "user.added": {"zh": "已添加“{name}”：{n} 个要素。", "en": "Added {name}: {n} features."},
    "user.choose": {
        "zh": "{file} 含多个图层，请选择一个：",
        "en": "{file} has several layers; pick one:",
    },
    "user.unmatched": {
        "zh": "{n} 行未能对应到图集中的区域：",
        "en": "{n} rows matched no atlas area:",
    },
    "user.unmatched.one": {
        "zh": "1 行未能对应到图集中的区域：",
        "en": "1 row matched no atlas area:",
    },
    "user.unmatched.row": {
        "zh": "第 {row} 行，{field}“{value}”：{reason}",
        "en": "Row {row}, {field} {value!r}: {reason}",
    },
    "user.datum": {
        "zh": (
            "坐标看起来是 {datum}：按 {datum} 读取时，{n} 个点与图集地点重合"
            "（按 WGS-84 读取时 {wgs} 个）。要转换为 WGS-84 吗？"
        ),
        "en": (
            "The coordinates look like {datum}: read as {datum}, {n} points fall on atlas "
            "places ({wgs} when read as WGS-84). Convert to WGS-84?"
        ),
    },
    "user.datum.convert": {"zh": "从 {datum} 转换", "en": "Convert from {datum}"},
    "user.datum.keep": {"zh": "保持原样", "en": "Keep as is"},
    "user.datum.kept": {"zh": "坐标保持原样。", "en": "The coordinates are kept as they are."},
    "user.datum.ok": {
        "zh": "坐标与图集的 WGS-84 地点一致。",
        "en": "The coordinates agree with the atlas's WGS-84 places.",
    },
    "user.too_many": {
        "zh": "最多同时显示 {n} 个自己的图层；请先移除一个。",
        "en": "At most {n} own layers show at once; remove one first.",
    },
    "user.features": {"zh": "{n} 个要素", "en": "{n} features"},
    "user.remove": {"zh": "移除图层“{name}”", "en": "Remove layer {name}"},
    "user.mode": {"zh": "样式", "en": "Style"},
    "user.mode.single": {"zh": "单一颜色", "en": "One colour"},
    "user.mode.classes": {"zh": "分级（数值）", "en": "Classes (numbers)"},
    "user.mode.categories": {"zh": "分类", "en": "Categories"},
    "user.column": {"zh": "字段", "en": "Column"},
    "user.method": {"zh": "分级方法", "en": "Classification"},
    "user.method.quantiles": {"zh": "分位数", "en": "Quantiles"},
    "user.method.natural_breaks": {"zh": "自然断点", "en": "Natural breaks"},
    "user.method.equal_interval": {"zh": "等间距", "en": "Equal interval"},
    "user.k": {"zh": "级数", "en": "Classes"},
    "user.year": {"zh": "年份字段（随时间轴显示）", "en": "Year column (follows the timeline)"},
    "user.none": {"zh": "（无）", "en": "(none)"},
    "user.bad_style": {
        "zh": "此样式不适用于该图层：{reason}",
        "en": "That style does not fit this layer: {reason}",
    },
    "user.no_value": {"zh": "无数值", "en": "No value"},
    "user.by_year": {
        "zh": "要素自其“{column}”年份起显示；分级在各年份间保持不变。",
        "en": "Features show from their year in {column}; classes stay the same across years.",
    },
    "user.details": {"zh": "要素属性：{name}", "en": "Feature attributes: {name}"},
    "user.missing": {
        "zh": "链接中的图层已不在图层库中（{id}…）。",
        "en": "A layer in the link is no longer in the store ({id}…).",
    },
    "user.single": {"zh": "全部要素", "en": "All features"},
    "user.browse": {"zh": "要素列表（{n} 个）", "en": "Feature list ({n})"},
    "user.browse.first": {
        "zh": "列出前 {shown} 个，共 {n} 个；其余可在地图上点击查看。",
        "en": "The first {shown} of {n}; click the map for the others.",
    },
}
