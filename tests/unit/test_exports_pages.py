"""Page exports: pixel size, a drawn (not blank) map, searchable PDF text with an embedded CJK
font, SVG with real text."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import numpy as np
import pytest
from matplotlib.transforms import Bbox
from PIL import Image
from pypdf import PdfReader

from core import style
from exports import ExportSpec, export_bytes
from geodata.load import Atlas

MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


@pytest.fixture(scope="module")
def png_zh(atlas: Atlas) -> Image.Image:
    spec = ExportSpec("relocation", 2021, fmt="png", dpi=150)
    return Image.open(io.BytesIO(export_bytes(atlas, spec, generated=date(2025, 1, 1))))


@pytest.fixture(scope="module")
def pdf_zh(atlas: Atlas) -> PdfReader:
    spec = ExportSpec("relocation", 2021, fmt="pdf", title="大红门疏解 测试标题 2021")
    return PdfReader(io.BytesIO(export_bytes(atlas, spec)))


def test_png_is_paper_times_dpi(png_zh: Image.Image) -> None:
    assert png_zh.size == (round(297 / MM_PER_INCH * 150), round(210 / MM_PER_INCH * 150))
    assert png_zh.size == (1754, 1240)


def test_a4_portrait_png_at_300_dpi(atlas: Atlas) -> None:
    spec = ExportSpec("hubs", 2026, fmt="png", dpi=300, orientation="portrait")
    image = Image.open(io.BytesIO(export_bytes(atlas, spec)))
    assert image.size == (2480, 3508)
    assert image.info.get("dpi", (300, 300))[0] == pytest.approx(300, abs=1)


def test_map_area_is_drawn_and_fengtai_is_filled(png_zh: Image.Image) -> None:
    pixels = np.asarray(png_zh.convert("RGB"), dtype=float)
    h, w, _ = pixels.shape
    frame = pixels[int(h * 0.15) : int(h * 0.8), int(w * 0.05) : int(w * 0.75)]
    colours = {tuple(p) for p in frame.reshape(-1, 3)[::7].astype(int)}
    assert len(colours) > 200  # boundaries, fills, labels, flows: far from a blank frame
    background = (frame == 255).all(axis=2).mean()
    assert background < 0.05  # the frame is filled by the basemap and water, not paper white
    # Fengtai: its fill at the screen's opacity over the map background.
    fengtai = 0.6 * _rgb(style.FENGTAI_FILL) + 0.4 * _rgb(style.WATER)
    near = np.abs(frame - fengtai).max(axis=2) <= 4
    assert near.sum() > 500
    theme = np.abs(frame - _rgb(style.THEME_COLOURS["relocation"])).max(axis=2) <= 12
    assert theme.sum() > 200  # the relocation places and flows


def test_pdf_text_is_searchable_and_the_cjk_font_embedded(pdf_zh: PdfReader) -> None:
    assert len(pdf_zh.pages) == 1
    page = pdf_zh.pages[0]
    text = page.extract_text()
    assert "大红门疏解 测试标题 2021" in text
    assert "图例" in text and "丰台区" in text
    assert "铁路" not in text and "高速公路" not in text  # no lines in this view, no line rows
    assert "仅供示意，非标准地图" in text.replace("\n", "")
    # sources read like a report's: titles and lines, no file names, notes or template text
    assert "第" in text and "行" in text
    assert ".txt" not in text and "FACTS" not in text and "{" not in text
    # free-text location sources in the reader's language (no English "estimate", "Wikipedia")
    assert "estimate" not in text and "Wikipedia" not in text and "维基百科" in text
    fonts = page["/Resources"]["/Font"]
    names = [str(f.get_object()["/BaseFont"]) for f in fonts.values()]
    assert names and all("NotoSansCJK" in n for n in names)
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # embedded, and (see pdffont) really TrueType
        embedded = descriptor["/FontFile2"].get_object().get_data()
        assert embedded[:4] == b"\x00\x01\x00\x00"


def test_pdf_page_is_a4_landscape_in_points(pdf_zh: PdfReader) -> None:
    box = pdf_zh.pages[0].mediabox
    assert float(box.width) == pytest.approx(297 * POINTS_PER_MM, abs=0.5)
    assert float(box.height) == pytest.approx(210 * POINTS_PER_MM, abs=0.5)


def test_a3_portrait_pdf_in_english(atlas: Atlas) -> None:
    spec = ExportSpec("corridor", 2023, lang="en", fmt="pdf", paper="a3", orientation="portrait")
    reader = PdfReader(io.BytesIO(export_bytes(atlas, spec)))
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(297 * POINTS_PER_MM, abs=0.5)
    assert float(box.height) == pytest.approx(420 * POINTS_PER_MM, abs=0.5)
    text = reader.pages[0].extract_text()
    assert "Beijing–Xiong'an corridor, 2023" in text
    assert "not an official standard map" in text.replace("\n", " ")
    # the corridor draws a railway and an expressway: the legend says how they differ
    assert "Railway: one line, white ticks when open" in text.replace("\n", " ")
    assert "Expressway: wide double line" in text.replace("\n", " ")


def test_svg_is_xml_with_the_title_as_text(atlas: Atlas) -> None:
    spec = ExportSpec("relocation", 2021, lang="en", fmt="svg", title="Relocation & <test>")
    root = ET.fromstring(export_bytes(atlas, spec))
    texts = ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Relocation & <test>" in texts
    assert any("Legend" in t for t in texts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_two_texts_of_the_legend_and_furniture_overlap(atlas: Atlas, lang: str) -> None:
    """The overview's page (the longest legend: wrapped two-line rows) in each language: every
    text outside the map, measured as drawn, stays clear of every other (before, a wrapped
    row's second line ran into the row under it)."""
    from exports.render import build_figure
    from exports.visible import collect

    visible = collect(atlas, ExportSpec("overview", 2025, fmt="png", dpi=150, lang=lang))
    fig = build_figure(visible, date(2025, 1, 1))
    renderer = fig.canvas.get_renderer()
    measured: list[str] = []
    # the page map and the close-up of Fengtai: their names have their own collision rule
    for ax in [ax for ax in fig.axes[1:] if ax.get_label() != "closeup"]:
        boxes = [
            (t.get_text(), t.get_window_extent(renderer))
            for t in ax.texts
            if t.get_visible() and t.get_text().strip()
        ]
        for i, (first, a) in enumerate(boxes):
            for second, b in boxes[i + 1 :]:
                assert not a.overlaps(b), f"{first!r} overlaps {second!r}"
        measured += [text for text, _ in boxes]
    assert len(measured) > 12 and any("\n" in text for text in measured)  # wrapped rows too


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_no_place_marker_hides_under_the_scale_bar(atlas: Atlas, orientation: str) -> None:
    """Each theme's opening page: the scale bar takes the first corner (bottom left, bottom
    right, top left) that is clear of every marker. Before, it sat bottom left always, and on the
    overview covered Shijiazhuang's marker."""
    from core.story import default_year
    from core.tables import Tables
    from core.themes import THEMES
    from exports.mapdraw import place_xy
    from exports.render import build_figure
    from exports.visible import collect

    tables = Tables.from_atlas(atlas)
    corners = {}
    for theme in THEMES:
        year = default_year(tables, theme)
        spec = ExportSpec(theme, year, fmt="png", dpi=150, lang="en", orientation=orientation)
        visible = collect(atlas, spec)
        fig = build_figure(visible, date(2025, 1, 1))
        ax = fig.axes[0]
        [bar] = [p for p in ax.patches if p.get_zorder() == 8]  # the scale bar's box
        box = bar.get_window_extent()
        markers = ax.transData.transform(place_xy(visible.places))
        under = [
            name
            for name, (x, y) in zip(visible.places["name_en"], markers, strict=True)
            if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1
        ]
        assert under == [], f"{theme}: {under} under the scale bar"
        frame = ax.get_window_extent()
        corners[theme] = ("bottom" if box.y0 < frame.y0 + frame.height / 2 else "top") + (
            " left" if box.x0 < frame.x0 + frame.width / 2 else " right"
        )
    assert "bottom left" in corners.values()  # the first choice, where it is free


def _closeup_page(atlas: Atlas, theme: str, lang: str, orientation: str) -> Any:
    from exports.render import build_figure
    from exports.visible import collect

    spec = ExportSpec(theme, 2025, fmt="png", dpi=150, lang=lang, orientation=orientation)
    visible = collect(atlas, spec)
    return visible, build_figure(visible, date(2025, 1, 1))


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_overview_has_a_close_up_of_fengtai_that_names_its_hubs(
    atlas: Atlas, orientation: str
) -> None:
    """At the overview, Fengtai is a few millimetres wide and its hubs share one label on the
    page map; the close-up names the three stations of 三站一楼 apart, and sits where it covers
    no marker, no name of the page map and not Fengtai."""
    from exports.mapdraw import place_xy

    visible, fig = _closeup_page(atlas, "overview", "en", orientation)
    renderer = fig.canvas.get_renderer()
    main = fig.axes[0]
    [closeup] = [ax for ax in fig.axes if ax.get_label() == "closeup"]
    named = {t.get_text() for t in closeup.texts if t.get_visible()}
    assert {"Beijing West", "Beijing South", "Beijing Fengtai", "Fengtai close-up"} <= named
    on_page = {t.get_text() for t in main.texts if t.get_visible()}
    assert not {"Beijing West", "Beijing South", "Beijing Fengtai"} & on_page  # one label there
    caption = next(t for t in closeup.texts if t.get_text() == "Fengtai close-up")
    box = Bbox.union([closeup.get_window_extent(renderer), caption.get_window_extent(renderer)])
    markers = main.transData.transform(place_xy(visible.places))
    x, y = markers[:, 0], markers[:, 1]
    assert not ((box.x0 <= x) & (x <= box.x1) & (box.y0 <= y) & (y <= box.y1)).any()
    fengtai = visible.boundaries[visible.boundaries["focus"]].to_crs("EPSG:3857").total_bounds
    assert not box.overlaps(Bbox(main.transData.transform([fengtai[:2], fengtai[2:]])))
    for text in main.texts:
        if text.get_visible() and text.get_text().strip():
            assert not box.overlaps(text.get_window_extent(renderer)), text.get_text()


def test_a_theme_that_shows_fengtai_large_has_no_close_up(atlas: Atlas) -> None:
    _, fig = _closeup_page(atlas, "hubs", "en", "landscape")
    assert [ax.get_label() for ax in fig.axes].count("closeup") == 0
    _, fig = _closeup_page(atlas, "overview", "en", "landscape")
    assert [ax.get_label() for ax in fig.axes].count("closeup") == 1


def test_the_close_up_caption_is_in_the_pdf_text_layer(atlas: Atlas) -> None:
    spec = ExportSpec("overview", 2025, fmt="pdf", lang="zh")
    text = PdfReader(io.BytesIO(export_bytes(atlas, spec))).pages[0].extract_text()
    assert "丰台特写" in text and "北京南站" in text
    assert text.count("北京南站") == 1  # its halo is no text: names are searchable, once


def test_haloed_map_names_are_real_text_in_a_pdf(atlas: Atlas) -> None:
    """Names with a halo were glyph outlines in a PDF (matplotlib draws text with path effects
    as paths), so a reader could not search a page for a place; now the halo is drawn apart."""
    spec = ExportSpec("relocation", 2021, fmt="pdf", lang="en")
    text = PdfReader(io.BytesIO(export_bytes(atlas, spec))).pages[0].extract_text()
    assert "Yunshang Town, Yongqing" in text and "Gu'an International Trade City" in text
