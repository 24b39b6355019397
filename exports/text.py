"""Words on an export: the default title and subtitle, and the source block that names what the
shown data comes from. The strings themselves live in ``core.text`` (its ``PRINT`` namespace)."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import unquote

import pandas as pd

from core.citations import KNOWN_NAMES, article, date_text, site_label
from core.text import pick, t, tx
from geodata import schema


def theme_name(theme: str, lang: str) -> str:
    return t(f"theme.{theme}", lang)


def default_title(theme: str, year: int, lang: str) -> str:
    return tx("title.default", lang, theme=theme_name(theme, lang), year=year)


def subtitle(atlas_title: str, year: int, as_of: str | None, lang: str) -> str:
    if as_of is None:
        return tx("page_subtitle.none", lang, atlas=atlas_title, year=year)
    return tx("page_subtitle", lang, atlas=atlas_title, as_of=as_of)


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
    sources: tuple[str, ...],
    documents: pd.DataFrame,
    metadata: dict[str, str],
    lang: str,
    sections: pd.DataFrame | None = None,
) -> list[tuple[str, str]]:
    """(heading, text) pairs naming every source in ``sources``, grouped for print.

    Seed citations become the article's title, publisher, date and line numbers (an article is
    a section of a document page, or the document); URLs are printed in full (percent-decoded,
    so they stay readable); free-text location notes are reduced to the services they name
    (OpenStreetMap, Wikipedia …), or printed as they are if they name none. The boundary source
    and its notice always close the block.
    """
    seed_lines: dict[tuple[str, int], list[int]] = defaultdict(list)
    articles: dict[tuple[str, int], dict] = {}
    urls: list[str] = []
    named: list[str] = []
    other: list[str] = []
    for source in sources:
        if m := schema.SEED_SOURCE.match(source):
            found = article(documents, sections, source)
            row, line = found if found else ({"published": ""}, int(m["line"]))
            key = (m["file"], int(row.get("first_line") or 0))
            seed_lines[key].append(line)
            articles[key] = row
        elif schema.URL_SOURCE.match(source):
            urls.append(unquote(source))
        else:
            # a free-text location source: the services it names, in the reader's language,
            # or that the atlas estimated the position (the note says how)
            hits = [name for pattern, name in KNOWN_NAMES if pattern.search(source)]
            named.extend(site_label(name, lang) for name in hits)
            if not hits:
                other.append(t("source.estimate", lang))
    blocks: list[tuple[str, str]] = []
    sep = tx("list_sep", lang)
    if seed_lines:
        entries = []
        for key in sorted(seed_lines):
            row = articles[key]
            entries.append(
                tx(
                    "doc_entry.one" if len(set(seed_lines[key])) == 1 else "doc_entry",
                    lang,
                    title=row.get(f"title_{lang}", "") or "",
                    publisher=row.get(f"publisher_{lang}", "") or "",
                    published=date_text(str(row.get("published", "")), lang),
                    lines=_ranges(seed_lines[key], tx("number_sep", lang)),
                )
            )
        blocks.append((tx("sources.documents", lang), sep.join(entries)))
    if urls:
        blocks.append((tx("sources.web", lang), "  ".join(dict.fromkeys(urls))))
    names = list(dict.fromkeys(named))
    names.extend(dict.fromkeys(other))
    if names:
        blocks.append((tx("sources.locations", lang), sep.join(names)))
    notice = metadata.get(f"boundary_notice_{pick(lang, 'zh', 'en')}", "")
    blocks.append((tx("sources.boundaries", lang), notice))
    return blocks
