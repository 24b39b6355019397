"""The standalone HTML export links nothing outside itself and shows data text as text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core import style
from exports import ExportSpec, export_bytes
from geodata.load import Atlas, load_atlas
from tests.hostile import PAYLOAD, SCRIPT, write_hostile

CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "bootstrapcdn.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "openstreetmap.org",
)


class _Links(HTMLParser):
    """Every URL-valued attribute and every script element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster") and value:
                self.urls.append((tag, name, value))


@pytest.fixture(scope="module")
def page(atlas: Atlas) -> str:
    return export_bytes(atlas, ExportSpec("relocation", 2021, fmt="html")).decode("utf-8")


@pytest.fixture(scope="module")
def hostile_page(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_hostile(atlas, tmp_path_factory.mktemp("hostile") / "hostile.gpkg")
    spec = ExportSpec("relocation", 2021, fmt="html", title="<b>bold</b> title")
    return export_bytes(load_atlas(path), spec).decode("utf-8")


def test_no_resource_from_another_host(page: str) -> None:
    links = _Links()
    links.feed(page)
    for tag, name, value in links.urls:
        parts = urlsplit(value)
        assert parts.scheme in ("", "data") and not parts.netloc, (tag, name, value)
    assert "link" not in links.tags  # CSS is inlined, never linked
    for host in CDN_HOSTS:
        assert host not in page
    assert "sourceMappingURL" not in page


def test_leaflet_is_inlined_with_the_data(page: str) -> None:
    assert "Leaflet 1.9.4" in page  # the vendored build's banner
    assert "L.geoJson(" in page and "大红门" in page
    assert '<html lang="zh-CN">' in page
    assert "仅供示意，非标准地图" in page
    license_file = Path(__file__).parents[2] / "exports" / "vendor" / "leaflet" / "LICENSE"
    assert "BSD 2-Clause" in license_file.read_text(encoding="utf-8")


def test_data_text_cannot_become_markup(hostile_page: str) -> None:
    # Raw payloads appear nowhere: JSON is \\u003c-escaped, panel text is &lt;-escaped.
    assert PAYLOAD not in hostile_page
    assert SCRIPT not in hostile_page
    assert "<img src=x" not in hostile_page
    assert "<b>bold</b>" not in hostile_page
    assert "&lt;b&gt;bold&lt;/b&gt; title" in hostile_page
    links = _Links()
    links.feed(hostile_page)
    assert "img" not in links.tags
    assert all(value != "x" for _, _, value in links.urls)


def test_the_legend_tells_railway_from_road(atlas: Atlas) -> None:
    page = export_bytes(atlas, ExportSpec("corridor", 2023, lang="en", fmt="html")).decode()
    paper = style.PAPER
    for words in ("Railway: one line, white ticks when open", "Expressway: wide double line"):
        row = re.search(rf"<li>(<svg.*?</svg>)<span>{re.escape(words)}</span></li>", page)
        assert row, words
        assert f'stroke="{paper}"' in row.group(1)  # the white inner stroke
    assert "dasharray" in re.search(r"<li>(<svg.*?</svg>)<span>Railway", page).group(1)


def test_lines_carry_their_white_inner_stroke(atlas: Atlas) -> None:
    page = export_bytes(atlas, ExportSpec("corridor", 2023, lang="en", fmt="html")).decode()
    # folium compiles the styles into one switch on the feature ids ("li0", ...)
    start = page.find('case "li0"')
    assert start > 0, "no inner strokes in the export"
    block = page[start : page.index("}\n        }", start)]
    inner = re.findall(r"return (\{.*?\});", block)
    assert inner, "no inner strokes in the export"
    strokes = [json.loads(s) for s in inner]
    assert all(s["color"] == style.PAPER and s["interactive"] is False for s in strokes)
    dashes = {s.get("dashArray") for s in strokes}
    assert style.RAIL_TICKS["dashArray"] in dashes  # an open railway's ticks
    assert any(s["weight"] == style.ROAD_CORE_WEIGHT for s in strokes)  # the expressway's core
