"""Sources read like a report's citation: publisher or title and date, in the reader's language;
no file names, no template text. The file and line stay inside the source dialog."""

from __future__ import annotations

import re

import pytest

from core.citations import date_text, site_name
from core.story import changes, status_key
from core.tables import Tables
from core.themes import THEMES
from panels.cards import cards
from panels.details import details, source_details
from panels.story import year_story
from tests.components import texts as _texts

INTERNAL = re.compile(r"\.txt|FACTS|\{|\}|\d{3}_[0-9a-f]{16}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _buttons(component) -> list:
    if isinstance(component, (list, tuple)):
        return [b for c in component for b in _buttons(c)]
    found = [component] if getattr(component, "className", "") == "atlas-source-link" else []
    children = getattr(component, "children", None)
    return found + (_buttons(children) if children is not None else [])


@pytest.fixture(scope="module")
def tables(atlas) -> Tables:
    return Tables.from_atlas(atlas)


def _all_sources(tables: Tables) -> set[str]:
    out: set[str] = set()
    for name in ("places", "lines", "flows", "status", "indicators", "events"):
        out.update(str(s) for s in getattr(tables, name)["source"])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_source_in_the_data_has_a_readable_citation(tables: Tables, lang: str) -> None:
    for source in _all_sources(tables):
        cited = tables.cite(source, lang)
        assert cited.strip(), source
        assert not INTERNAL.search(cited), (source, cited)
        if lang == "en":
            assert not CJK.search(cited), (source, cited)


def test_citations_name_site_or_document_and_date(tables: Tables) -> None:
    url = "https://en.wikipedia.org/wiki/Beijing_West_railway_station"
    assert tables.cite(url, "en") == "Wikipedia" and tables.cite(url, "zh") == "维基百科"
    assert site_name("http://www.bjnews.com.cn/detail/1.html", "en") == "bjnews.com.cn"
    # documents.csv: 004_… published 2019-02-21
    assert tables.cite("004_a649c06edbbb450c.txt:24", "en").endswith(", 21 Feb 2019")
    assert tables.cite("004_a649c06edbbb450c.txt:24", "zh").endswith("，2019年2月21日")
    assert (date_text("2022-12", "en"), date_text("2025", "zh")) == ("Dec 2022", "2025年")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_panels_name_sources_like_a_report(tables: Tables, lang: str) -> None:
    """Every card, year list and feature panel, every theme and year: source buttons and the
    text around them carry no file names or template leftovers."""
    first, last = tables.years
    seen = 0
    for key, theme in THEMES.items():
        for year in range(first, last + 1):
            built = [*cards(tables, theme.series, year, lang), *year_story(tables, key, year, lang)]
            for button in _buttons(built):
                seen += 1
                assert not INTERNAL.search(button.children), button.children
            text = " ".join(_texts(built))
            assert not INTERNAL.search(text), (key, year, text[:200])
    for feature in sorted(tables.feature_ids()):
        panel = details(tables, feature, last, lang) or []
        text = " ".join(_texts(panel))
        assert not INTERNAL.search(text), (feature, text[:200])
    assert seen > 100


def test_the_dialog_keeps_the_file_and_line_for_the_curious(tables: Tables) -> None:
    body = " ".join(
        _texts(source_details(tables, "indicators:dahongmen_markets_closed_2018_11", "en"))
    )
    assert "000_3e33269af313f2dd.txt:155" in body and "37" in body
    # a status record (no id of its own) opens by feature|status|since
    change = next(c for c in changes(tables, "corridor", 2020) if c.kind == "open")
    assert change.source_key == "status:" + status_key(change.subject, "open", change.date)[7:]
    body = " ".join(_texts(source_details(tables, change.source_key, "en")))
    assert "Wikipedia" in body and "wikipedia.org" in body
