"""UI strings in Chinese (default) and English. Data text comes from the data, not from here.

The screen's words are ``UI``: the general ones below, planners' layers' (``core.text_layers``)
and the map's for keyboards and screen readers (``core.text_map``); print-only words are
``PRINT`` (``core.text_print``). ``t`` and ``tx`` are the only readers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from core.text_layers import LAYER_WORDS
from core.text_map import MAP_WORDS
from core.text_print import PRINT

LANGS = ("zh", "en")
T = TypeVar("T")

_SCREEN: dict[str, dict[str, str]] = {
    "title": {"zh": "丰台 · 京津冀协同发展 地图台", "en": "Fengtai Bridgehead Atlas"},
    "subtitle": {
        "zh": "京津冀协同发展桥头堡",
        "en": "Beijing–Tianjin–Hebei coordinated development, seen from Fengtai",
    },
    "theme": {"zh": "主题", "en": "Theme"},
    "theme.overview": {"zh": "总览", "en": "Overview"},
    "theme.hubs": {"zh": "三站一楼", "en": "Transport hubs"},
    "theme.relocation": {"zh": "大红门疏解", "en": "Dahongmen relocation"},
    "theme.corridor": {"zh": "京雄走廊", "en": "Beijing–Xiong'an corridor"},
    "theme.synergy": {"zh": "产业协同", "en": "Industrial synergy"},
    "theme.services": {"zh": "公共服务", "en": "Public services"},
    "layers": {"zh": "图层", "en": "Layers"},
    "year": {"zh": "年份", "en": "Year"},
    "play": {"zh": "播放", "en": "Play"},
    "pause": {"zh": "暂停", "en": "Pause"},
    "step_back": {"zh": "上一年", "en": "Previous year"},
    "step_forward": {"zh": "下一年", "en": "Next year"},
    "speed": {"zh": "速度", "en": "Speed"},
    "speed.slow": {"zh": "慢", "en": "Slow"},
    "speed.normal": {"zh": "中", "en": "Normal"},
    "speed.fast": {"zh": "快", "en": "Fast"},
    "loop": {"zh": "循环", "en": "Loop"},
    "language": {"zh": "English", "en": "中文"},
    "language.label": {"zh": "切换到英文", "en": "Switch to Chinese"},
    "indicators": {"zh": "指标", "en": "Indicators"},
    "events": {"zh": "当年变化", "en": "What changed this year"},
    "no_events": {"zh": "本年份无记录事件。", "en": "No recorded events in this year."},
    "story.none": {"zh": "{year}年没有记录的变化。", "en": "Nothing recorded for {year}."},
    "story.figures": {"zh": "{n}项数据截至{year}年", "en": "{n} figures dated {year}"},
    "story.figures.one": {"zh": "1项数据截至{year}年", "en": "1 figure dated {year}"},
    "story.years": {
        "zh": "有记录变化的年份：{years}",
        "en": "Years with recorded changes: {years}",
    },
    "compare.label": {"zh": "对比年份", "en": "Compare"},
    "compare.mode": {"zh": "对比方式", "en": "Compare as"},
    "compare.swipe": {"zh": "卷帘对比", "en": "Swipe"},
    "compare.side": {"zh": "并排对比", "en": "Side by side"},
    "compare.year_a": {"zh": "年份 A（较早）", "en": "Year A (earlier)"},
    "compare.title": {"zh": "{a}年 → {b}年的变化", "en": "What changed, {a} → {b}"},
    "compare.how": {
        "zh": "地图左侧为{a}年，右侧为{b}年（时间轴的年份）。点一行可在两幅地图上选中该要素。",
        "en": "The map shows {a} on the left and {b} (the timeline's year) on the right. "
        "Choose a line to select its feature on both maps.",
    },
    "compare.order": {
        "zh": "请选择早于{b}年（时间轴的年份）的年份 A。",
        "en": "Choose a year A before {b} (the timeline's year).",
    },
    "compare.none": {
        "zh": "{a}年至{b}年间没有记录的变化。",
        "en": "Nothing recorded between {a} and {b}.",
    },
    "compare.events": {"zh": "发生的变化", "en": "What happened"},
    "compare.figures": {"zh": "指标对比", "en": "Figures compared"},
    "compare.select": {"zh": "在两幅地图上选中", "en": "Select on both maps"},
    "compare.map_a": {"zh": "{a}年地图（对比）", "en": "Map of {a} (comparison)"},
    "compare.map_b": {"zh": "{b}年", "en": "{b}"},
    "compare.divider": {"zh": "左侧{a}年，右侧{b}年", "en": "{a} on the left, {b} on the right"},
    "compare.divider_name": {"zh": "卷帘分界", "en": "Swipe divider"},
    # the close-up of Fengtai over a regional view (assets/inset.js)
    "inset.caption": {"zh": "丰台特写 · 点击放大", "en": "Fengtai close-up · select to zoom in"},
    "inset.name": {
        "zh": "丰台特写：把地图放大到丰台区（三站一楼与大红门地区）",
        "en": "Fengtai close-up: zoom the map to Fengtai (the hubs and Dahongmen)",
    },
    # A compare page export (exports/compare.py) and why the other formats refuse one.
    "export.compare.title": {
        "zh": "{theme}：{a}年与{b}年对比",
        "en": "{theme}: {a} and {b} compared",
    },
    "export.compare.subtitle": {
        "zh": "{atlas} · 左图{a}年，右图{b}年",
        "en": "{atlas} · left {a}, right {b}",
    },
    "export.compare.year": {"zh": "{year}年", "en": "{year}"},
    "export.compare.changes": {"zh": "{a}年 → {b}年的变化", "en": "What changed, {a} → {b}"},
    "export.compare.none": {
        "zh": "{a}年至{b}年间没有记录的变化。",
        "en": "Nothing recorded between {a} and {b}.",
    },
    "export.compare.line": {
        "zh": "{dates}　{text}（{sources}）",
        "en": "{dates}  {text} ({sources})",
    },
    "export.compare.more": {
        "zh": "……另有{n}项变化未能列出",
        "en": "… and {n} more changes not listed",
    },
    "export.compare.formats": {
        "zh": "两个年份的对比只能导出为 PNG、PDF 或 SVG；HTML、GeoJSON 和 CSV 请单独导出 B 年。",
        "en": "A comparison of two years exports only as PNG, PDF or SVG; "
        "for HTML, GeoJSON or CSV export year B alone.",
    },
    "compare.was": {"zh": "{year}年：{status}", "en": "{year}: {status}"},
    "compare.was_none": {"zh": "{year}年尚无记录", "en": "not recorded in {year}"},
    "compare.figure": {"zh": "{a} → {b}（{delta}）", "en": "{a} → {b} ({delta})"},
    "compare.figure_new": {"zh": "此前无数据 → {b}", "en": "no figure before → {b}"},
    "compare.figure_other": {
        "zh": "{a} → {b}（口径或限定词不同，不构成变化）",
        "en": "{a} → {b} (different definitions or qualifiers: not a change)",
    },
    # The flow table (panels/flows.py) and the legend's flow rows.
    "flows.title": {"zh": "流向一览", "en": "Flows on the map"},
    "flows.caption": {
        "zh": "{year}年地图上的流向（起点 → 终点）。数量为截至该年的最新数字；"
        "点击流向可在地图上选中。",
        "en": "Flows on the map in {year} (from → to). Counts are the latest figure up to "
        "{year}; choose a flow to select it on the map.",
    },
    "flows.empty": {"zh": "{year}年地图上还没有流向。", "en": "No flows on the map in {year}."},
    "flows.col.count": {"zh": "数量", "en": "Count"},
    "flows.col.since": {"zh": "起始年份", "en": "Since"},
    "flows.col.as_of": {"zh": "数字截至", "en": "Count as of"},
    "flows.col.source": {"zh": "来源", "en": "Source"},
    "flows.sort": {
        "zh": "按数量排序（依次：从大到小、从小到大、原顺序）",
        "en": "Sort by count (in turn: largest first, smallest first, table order)",
    },
    "flows.select": {"zh": "在地图上选中此流向", "en": "Select this flow on the map"},
    "flows.attested": {"zh": "{year}（首见于记录）", "en": "{year} (first reported)"},
    "flows.later": {"zh": "该年尚无数量（{year}年才有数字）", "en": "No count yet ({year} figure)"},
    "flows.totals": {"zh": "各地合计", "en": "Totals by place"},
    "flows.totals.note": {
        "zh": "只加已计数的流向；已含在更大地区数字内的流向不重复相加，同一流向只取最新数字。",
        "en": "Only counted flows are added; a flow already inside a larger area's figure is "
        "not added again, and a flow counted twice takes its latest figure.",
    },
    "flows.out": {"zh": "流出", "en": "Out"},
    "flows.in": {"zh": "流入", "en": "In"},
    "flows.side": {"zh": "{dir}：{total}", "en": "{dir}: {total}"},
    "flows.none_counted": {"zh": "未计数（{n}条：{names}）", "en": "not counted ({n}: {names})"},
    "flows.none_counted.one": {"zh": "未计数", "en": "not counted"},
    "flows.more_uncounted": {
        "zh": "另有{n}条未计数：{names}",
        "en": "{n} more not counted: {names}",
    },
    "flows.nested": {"zh": "{inner}已含在{outer}的数字内", "en": "{inner} already in {outer}"},
    "flows.superseded": {
        "zh": "同一流向只取最新数字，未加{dates}的数字",
        "en": "same flow: latest figure only, {dates} not added",
    },
    "flows.legend": {
        "zh": "流向：宽度 = {what}数（截至所示年份的最新数字）",
        "en": "Flow: width = number of {what} (latest figure up to the year shown)",
    },
    "flows.legend.relocation": {"zh": "商户", "en": "merchants"},
    "flows.legend.synergy": {"zh": "企业分支机构", "en": "branches"},
    "flows.legend.later": {
        "zh": "虚线流向：数字晚于所示年份",
        "en": "Dashed flow: counted only in a later year",
    },
    "kind.open": {"zh": "启用", "en": "Opened"},
    "kind.under_construction": {"zh": "开工", "en": "Works"},
    "kind.planned": {"zh": "规划", "en": "Planned"},
    "kind.closed": {"zh": "关闭", "en": "Closed"},
    "kind.flow": {"zh": "流向", "en": "Flow"},
    "kind.event": {"zh": "事件", "en": "Event"},
    "kind.figure": {"zh": "数据", "en": "Figure"},
    "change.open": {"zh": "{name}投入使用", "en": "{name} opens"},
    "change.open.attested": {
        "zh": "{name}已在使用（首见于记录，启用时间不详）",
        "en": "{name} reported in use (opening date not known)",
    },
    "change.under_construction": {"zh": "{name}开工建设", "en": "Construction of {name} starts"},
    "change.under_construction.attested": {
        "zh": "{name}在建（首见于记录）",
        "en": "{name} reported under construction",
    },
    "change.planned": {"zh": "{name}列入规划", "en": "{name} is planned"},
    "change.planned.attested": {
        "zh": "{name}已在规划中（首见于记录）",
        "en": "{name} reported as planned",
    },
    "change.closed": {"zh": "{name}关闭", "en": "{name} closes"},
    "change.closed.attested": {
        "zh": "{name}已关闭（首见于记录）",
        "en": "{name} reported closed",
    },
    "change.flow": {"zh": "流向开始：{origin} → {dest}", "en": "Flow begins: {origin} → {dest}"},
    "change.flow.attested": {
        "zh": "流向首见于记录：{origin} → {dest}",
        "en": "Flow first reported: {origin} → {dest}",
    },
    "as_of": {"zh": "截至", "en": "as of"},
    "source": {"zh": "来源", "en": "Source"},
    "citation": {"zh": "{name}，{date}", "en": "{name}, {date}"},
    "kiosk.cite": {"zh": "（{source}）", "en": " ({source})"},
    "source.unknown": {"zh": "未列出的文献", "en": "an unlisted document"},
    "source.estimate": {"zh": "本图估计的位置", "en": "position estimated by the atlas"},
    "sources": {"zh": "来源", "en": "Sources"},
    "no_data": {"zh": "此年份之前暂无数据", "en": "No data yet for this year"},
    "change": {"zh": "较{as_of}", "en": "vs {as_of}"},
    "other_definition": {
        "zh": "另一口径（{definition}）：{value}（{when}）",
        "en": "By another definition ({definition}): {value} ({when})",
    },
    "definition": {"zh": "口径：{definition}", "en": "Counted as: {definition}"},
    "differs": {
        "zh": "另一来源给出 {value}（{source}）",
        "en": "Another source gives {value} ({source})",
    },
    # a qualified figure reads as the report printed it: 超过/超/逾/以上 → 超过, 余 → 余, 多 → 多
    "qualifier.more_than": {"zh": "超过{v}", "en": "more than {v}"},
    "qualifier.more_than.yu": {"zh": "{v}余", "en": "more than {v}"},
    "qualifier.more_than.duo": {"zh": "{v}多", "en": "more than {v}"},
    "qualifier.about": {"zh": "约{v}", "en": "about {v}"},
    "qualifier.nearly": {"zh": "近{v}", "en": "nearly {v}"},
    "qualifier.less_than": {"zh": "不到{v}", "en": "less than {v}"},
    "qualifier.at_least": {"zh": "至少{v}", "en": "at least {v}"},
    "details": {"zh": "详情", "en": "Details"},
    "back_to_overview": {"zh": "返回主题总览（Esc）", "en": "Back to the theme overview (Esc)"},
    "click_hint": {
        "zh": "点击地图上的站点、线路、流向或地市查看数据与来源。",
        "en": "Click a station, line, flow or prefecture to see its figures and sources.",
    },
    "status": {"zh": "状态", "en": "Status"},
    "status.planned": {"zh": "规划", "en": "Planned"},
    "status.under_construction": {"zh": "在建", "en": "Under construction"},
    "status.open": {"zh": "运营", "en": "Open"},
    "status.closed": {"zh": "关闭/疏解", "en": "Closed / relocated"},
    "status.none": {"zh": "无状态记录", "en": "No status records"},
    "status.not_yet": {"zh": "{year}年尚未出现", "en": "Not yet present in {year}"},
    "accuracy": {"zh": "位置精度", "en": "Location accuracy"},
    "accuracy.exact": {"zh": "精确点位", "en": "Exact point"},
    "accuracy.site_estimate": {"zh": "位置估计", "en": "Site estimate"},
    "accuracy.stand_in": {"zh": "替代点位（附近地标）", "en": "Stand-in (nearby landmark)"},
    "accuracy.area_centroid": {"zh": "区域代表点", "en": "Area representative point"},
    "coord_source": {"zh": "坐标来源", "en": "Coordinate source"},
    "schematic": {"zh": "示意线位，非实际走向", "en": "Schematic: not the real alignment"},
    "flow": {"zh": "流向", "en": "Flow"},
    "flow.no_value": {"zh": "来源未给出数量", "en": "No count given by the sources"},
    "flow.not_yet": {"zh": "该年份尚无数量", "en": "No count yet for this year"},
    "figures": {"zh": "相关数据", "en": "Figures"},
    "no_figures": {"zh": "暂无相关数据", "en": "No figures recorded"},
    "related_events": {"zh": "相关事件", "en": "Related events"},
    "legend": {"zh": "图例", "en": "Legend"},
    "legend.fengtai": {"zh": "丰台区", "en": "Fengtai District"},
    "legend.xiongan": {"zh": "雄安新区（示意范围）", "en": "Xiong'an New Area (approx.)"},
    "legend.estimate": {"zh": "虚线圈：位置为估计/替代", "en": "Dashed ring: estimated position"},
    "legend.flow": {"zh": "流向（线宽∝数量）", "en": "Flow (width ∝ count)"},
    "legend.rail": {
        "zh": "铁路：单线，运营段带白色间断",
        "en": "Railway: one line, white ticks when open",
    },
    "legend.road": {"zh": "高速公路：较宽的双线", "en": "Expressway: wide double line"},
    "legend.attested": {
        "zh": "空心圈：此时已知存在，开始日期不详",
        "en": "Hollow: known to exist by then, start date unknown",
    },
    "status.attested": {
        "zh": "{status}（最迟自此，起始日期不详）",
        "en": "{status} (by this date at the latest; start not known)",
    },
    "notice.bad_param": {
        "zh": "链接中的参数“{name}”无法识别（{value}），已使用默认值。",
        "en": "The link's '{name}' parameter was not understood ({value}); the default is used.",
    },
    "notice.close": {"zh": "知道了", "en": "Dismiss"},
    "source_details": {"zh": "来源详情", "en": "Source details"},
    "source.document": {"zh": "文献", "en": "Document"},
    "source.publisher": {"zh": "刊发", "en": "Publisher"},
    "source.published": {"zh": "发布时间", "en": "Published"},
    "source.line": {"zh": "存档文本位置", "en": "Place in the archived text"},
    "source.quoted": {"zh": "原文数字", "en": "Figure as printed"},
    "source.note": {"zh": "说明", "en": "Note"},
    "source.url": {"zh": "网址", "en": "URL"},
    "close": {"zh": "关闭", "en": "Close"},
    "kiosk.exploring": {
        "zh": "导览已暂停，请自由探索；无操作时将自动继续。",
        "en": "Tour paused: explore freely. It resumes by itself when left alone.",
    },
    "kiosk.resume": {"zh": "继续导览", "en": "Resume tour"},
    "kiosk.scene": {"zh": "第{n}/{total}幕", "en": "Scene {n} of {total}"},
    "kiosk.qr": {"zh": "扫码在手机上查看", "en": "Scan to open this view on your phone"},
    "reconnecting": {
        "zh": "正在重新连接服务器…… 连接恢复后导览将自动继续。",
        "en": "Reconnecting to the server… The tour will resume by itself.",
    },
    "export": {"zh": "导出", "en": "Export"},
    "export.title": {"zh": "导出当前视图", "en": "Export the current view"},
    "export.format": {"zh": "格式", "en": "Format"},
    "export.paper": {"zh": "纸张", "en": "Paper"},
    "export.orientation": {"zh": "方向", "en": "Orientation"},
    "export.landscape": {"zh": "横向", "en": "Landscape"},
    "export.portrait": {"zh": "纵向", "en": "Portrait"},
    "export.dpi": {"zh": "分辨率", "en": "Resolution"},
    "export.map_title": {
        "zh": "标题（留空则用主题与年份）",
        "en": "Title (empty: theme and year)",
    },
    "export.lang": {"zh": "语言", "en": "Language"},
    "export.run": {"zh": "生成并下载", "en": "Create and download"},
    "export.cancel": {"zh": "取消", "en": "Cancel"},
    "export.working": {"zh": "正在生成……", "en": "Working…"},
    "export.done": {"zh": "已生成 {name}（{size}）。", "en": "Created {name} ({size})."},
    "export.failed": {"zh": "无法导出：{error}", "en": "Could not export: {error}"},
    "export.command": {
        "zh": "同样的图也可用命令行批量生成：",
        "en": "The same map from the command line, for batches:",
    },
    # export jobs (issue 12)
    "export.waiting": {"zh": "排队中：前面还有 {n} 个导出。", "en": "Waiting: {n} ahead of you."},
    "export.rate": {
        "zh": "导出请求过于频繁，请 {seconds} 秒后再试。",
        "en": "Too many exports from this computer; please try again in {seconds} s.",
    },
    "export.killed": {
        "zh": "导出任务在完成前被中止，请再试一次。",
        "en": "The export job was stopped before it finished; please try again.",
    },
    "export.unreachable": {
        "zh": "暂时无法连接导出服务，这次导出未能完成，请稍后再试。",
        "en": "The export service cannot be reached just now, so this export did not go "
        "through; please try again in a minute.",
    },
    "export.storage": {
        "zh": "服务器无法保存导出文件（磁盘已满或只读），请稍后再试。",
        "en": "The server could not store the file (its disk is full or read-only); "
        "please try again later.",
    },
    "export.error": {
        "zh": "导出时服务器出错，请再试一次。",
        "en": "The server hit an error while exporting; please try again.",
    },
}


def _merged(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One table of several; a key in two of them is a mistake, found at import."""
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"text keys defined twice: {sorted(twice)}")
        merged.update(table)
    return merged


UI = _merged(_SCREEN, LAYER_WORDS, MAP_WORDS)


def pick(lang: str, zh: T, en: T) -> T:
    """``en`` for English, ``zh`` for anything else: the one place a language is chosen."""
    return en if lang == "en" else zh


def local(record: Any, name: str, lang: str) -> Any:
    """``record``'s ``name_zh`` or ``name_en`` (a mapping, a pandas row or a named tuple)."""
    key = f"{name}_{pick(lang, 'zh', 'en')}"
    return (
        record[key]
        if isinstance(record, Mapping) or hasattr(record, "loc")
        else getattr(record, key)
    )


def html_lang(lang: str) -> str:
    """The page's ``lang`` attribute for ``lang``."""
    return pick(lang, "zh-CN", "en")


def t(key: str, lang: str, **values: object) -> str:
    """The screen string ``key`` in ``lang`` with ``values`` filled in."""
    text = pick(lang, *_pair(UI[key]))
    return text.format(**values) if values else text


def tx(key: str, lang: str, **values: object) -> str:
    """A print string (or, failing that, the screen's string of that key) in ``lang``."""
    table = PRINT if key in PRINT else UI
    if key not in table:
        raise KeyError(key)
    text = pick(lang, *_pair(table[key]))
    return text.format(**values) if values else text


def _pair(entry: dict[str, str]) -> tuple[str, str]:
    return entry["zh"], entry["en"]
