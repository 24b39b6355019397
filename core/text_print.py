"""What printed exports (pages, standalone HTML) say besides the screen's words, in Chinese
and English (``core.text.tx``)."""

from __future__ import annotations

PRINT: dict[str, dict[str, str]] = {
    "title.default": {"zh": "{theme}（{year}年）", "en": "{theme}, {year}"},
    "page_subtitle": {"zh": "{atlas} · 数据截至 {as_of}", "en": "{atlas} · data as of {as_of}"},
    "page_subtitle.none": {
        "zh": "{atlas} · {year}年之前暂无数据",
        "en": "{atlas} · no data up to {year}",
    },
    "generated": {"zh": "生成日期 {date}", "en": "Generated {date}"},
    "sources.documents": {"zh": "文献", "en": "Documents"},
    "sources.web": {"zh": "网页", "en": "Web"},
    "sources.locations": {"zh": "位置与其他", "en": "Locations and other"},
    "sources.boundaries": {"zh": "行政区界线", "en": "Boundaries"},
    "doc_entry": {
        "zh": "《{title}》（{publisher}，{published}；第{lines}行）",
        "en": "“{title}” ({publisher}, {published}; lines {lines})",
    },
    "doc_entry.one": {
        "zh": "《{title}》（{publisher}，{published}；第{lines}行）",
        "en": "“{title}” ({publisher}, {published}; line {lines})",
    },
    "list_sep": {"zh": "；", "en": "; "},
    "number_sep": {"zh": "、", "en": ", "},
    "heading": {"zh": "{heading}：{body}", "en": "{heading}: {body}"},
    "north": {"zh": "北", "en": "N"},
    "km": {"zh": "公里", "en": "km"},
    "m": {"zh": "米", "en": "m"},
    "legend.flow_uncounted": {
        "zh": "流向（当年尚无数量）",
        "en": "Flow (no count yet this year)",
    },
    "cluster": {"zh": "等{total}处", "en": " +{n} nearby"},
    "legend.selected": {"zh": "选中要素", "en": "Selected feature"},
    "legend.basemap": {"zh": "其他行政区", "en": "Other districts / prefectures"},
    "legend.province": {"zh": "省级界线", "en": "Province-level boundary"},
    "legend.place": {"zh": "{theme}：地点", "en": "{theme}: place"},
    "legend.line": {"zh": "{theme}：线路（示意）", "en": "{theme}: line (schematic)"},
    "legend.flow_theme": {"zh": "{theme}：流向", "en": "{theme}: flow"},
    "legend.status": {"zh": "状态", "en": "Status"},
    "legend.counted": {
        "zh": "流向（线宽∝数量，最大 {value}）",
        "en": "Flow (width ∝ count, max {value})",
    },
    "closeup.caption": {"zh": "丰台特写", "en": "Fengtai close-up"},
    "schematic.note": {
        "zh": "线路与流向为示意，非实际走向。",
        "en": "Lines and flows are schematic, not real alignments.",
    },
}
