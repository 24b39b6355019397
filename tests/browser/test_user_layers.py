"""Planners' own layers in the browser (issue 13): uploaded through the page's own file picker,
drawn with the story, classed in the legend, filtered by the timeline, clickable, restored by a
shared link in a fresh browser, exported, escaped, and every bad file refused with its message
while the layer already on the map stays. Files are made here."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon

from geodata.datum import wgs84_to_gcj02
from tests.harness import Watched, settle, watching

# A table keyed by district names in mixed forms: six match, 河北 fits two areas (row 5).
DISTRICTS = (
    "区县,人口,year\n丰台,201,2015\n朝阳区,345,2016\nHaidian,313,2018\n河北,1,2019\n"
    "保定,1150,2020\nDongcheng,70,2014\n西城,110,2017\n"
).encode()
HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"
# Beijing West and Beijing South railway stations, WGS-84 (tests/unit/test_uploads_read.py)
STATIONS = {"北京西站": (116.3151, 39.8937), "北京南站": (116.3724, 39.8635)}


def choose_file(page: Page, name: str, data: bytes) -> None:
    """Upload through the page: the "Add a layer" button opens the file picker."""
    with page.expect_file_chooser() as chooser:
        page.locator("#atlas-user-file").click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/octet-stream",
                                    "buffer": data}])  # fmt: skip


def added(page: Page, count: int) -> None:
    """Until ``count`` layers are listed and the map has drawn them."""
    page.wait_for_function(
        """(n) => document.querySelectorAll('.atlas-user-layer').length === n
          && document.querySelectorAll('#atlas-map .atlas-user-dots, #atlas-map .atlas-user-shape')
             .length > 0""",
        arg=count,
    )
    settle(page)


def message(page: Page) -> str:
    return page.locator("#atlas-user-message").inner_text()


def shapes(page: Page) -> int:
    return page.locator("#atlas-map path.atlas-user-shape").count()


def step_to(page: Page, year: int) -> None:
    slider = page.locator("#atlas-year [role=slider]")
    slider.focus()
    expect(slider).to_be_focused()  # not behind an open dialog (the page is inert then)
    page.keyboard.press("Home")
    for _ in range(year - 2014):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(y) => document.querySelector('#atlas-year-label').textContent.trim() === String(y)",
        arg=year,
    )
    settle(page)


def click_shape(page: Page) -> None:
    """Click a point of the map where a planner's shape is the topmost element."""
    point = page.evaluate(
        """() => {
          for (const el of document.querySelectorAll('#atlas-map path.atlas-user-shape')) {
            const r = el.getBoundingClientRect();
            for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
              const x = r.left + r.width * i / 10, y = r.top + r.height * j / 10;
              if (document.elementFromPoint(x, y) === el) return [x, y];
            }
          }
          return null;
        }"""
    )
    assert point is not None, "no planner's shape can be clicked"
    page.mouse.click(*point)


def test_a_district_table_draws_classes_follows_the_timeline_and_opens_attributes(
    watched: Watched,
) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=en&theme=overview&year=2025")
    settle(page)
    choose_file(page, "districts.csv", DISTRICTS)
    added(page, 1)
    # the join: six polygons, the ambiguous row reported with its row, field and reason
    assert shapes(page) == 6
    text = message(page)
    assert "Added districts.csv: 6 features." in text
    assert "1 row matched no atlas area" in text
    assert "Row 5, 区县 '河北': it fits more than one area (河北区、河北省)" in text
    # the legend: five quantile classes of 人口 over all years, counts adding up to 6
    rows = page.locator(".atlas-user-legend-rows li").all_inner_texts()
    assert len(rows) == 5 and sum(int(re.search(r"\((\d+)\)$", r)[1]) for r in rows) == 6
    assert rows[-1].startswith("345 – 1,150")
    # the timeline: features appear from their year (Dongcheng 2014, 丰台 2015, 朝阳 2016…)
    for year, expected in ((2014, 1), (2016, 3), (2020, 6)):
        step_to(page, year)
        assert shapes(page) == expected, year
    # a click opens the feature's attributes
    click_shape(page)
    page.locator("#atlas-user-details:not([hidden])").wait_for()
    cells = page.locator("#atlas-user-details td").all_inner_texts()
    assert len(cells) == 3 and cells[2] in {"2014", "2015", "2016", "2017", "2018", "2020"}
    assert watched.external_requests() == [] and watched.errors == []


def test_a_shared_link_restores_the_layer_in_a_fresh_browser(browser: Browser, server: str) -> None:
    with watching(browser, server) as first:
        first.page.goto(server + "/?lang=en")
        settle(first.page)
        choose_file(first.page, "districts.csv", DISTRICTS)
        added(first.page, 1)
        # a style chosen in the page travels with the link: three classes
        first.page.locator(".atlas-user-control").nth(3).get_by_text("3", exact=True).click()
        first.page.wait_for_function("() => location.search.includes(':c:q:3:')")
        settle(first.page)
        link = first.page.url
        legend = first.page.locator(".atlas-user-legend-rows li").all_inner_texts()
        assert len(legend) == 3
    with watching(browser, server) as fresh:  # a new context: no cookies, no storage
        fresh.page.goto(link)
        added(fresh.page, 1)
        assert fresh.page.locator(".atlas-user-legend-rows li").all_inner_texts() == legend
        assert shapes(fresh.page) == 6
        assert fresh.page.locator("#atlas-notice").is_hidden()
        assert fresh.external_requests() == [] and fresh.errors == []


def test_a_link_to_a_layer_the_store_does_not_have_says_so(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=en&user=" + "f" * 64 + ":s:q:5:-:-")
    page.locator("#atlas-notice:not([hidden])").wait_for()
    assert "no longer in the store (ffffffffffff…)" in page.locator("#atlas-notice").inner_text()
    assert page.locator(".atlas-user-layer").count() == 0


def test_hostile_attributes_render_as_text(watched: Watched) -> None:
    page = watched.page
    frame = gpd.GeoDataFrame(
        {HOSTILE: [HOSTILE], "kind": [HOSTILE]},
        geometry=[Polygon([(116.2, 39.8), (116.4, 39.8), (116.4, 39.95), (116.2, 39.95)])],
        crs="EPSG:4326",
    )
    page.goto(watched.base + "/?lang=en&view=39.87,116.30,10")
    settle(page)
    choose_file(page, HOSTILE + ".geojson", frame.to_json(drop_id=True).encode())
    added(page, 1)
    click_shape(page)
    page.locator("#atlas-user-details:not([hidden])").wait_for()
    assert page.locator("#atlas-user-details th").first.inner_text() == HOSTILE
    assert page.locator("#atlas-user-details td").first.inner_text() == HOSTILE
    assert HOSTILE + ".geojson" in page.locator(".atlas-user-name").inner_text()
    assert page.locator("img[src='x']").count() == 0 and page.title() != "pwned"
    assert watched.errors == []


def test_a_gcj02_table_of_the_stations_is_detected_and_converted(watched: Watched) -> None:
    page = watched.page
    rows = ["name,lng,lat"]
    for name, (lon, lat) in STATIONS.items():
        x, y = wgs84_to_gcj02(lon, lat)
        rows.append(f"{name},{x:.6f},{y:.6f}")
    page.goto(watched.base + "/?lang=en")
    settle(page)
    choose_file(page, "stations_gcj.csv", "\n".join(rows).encode())
    added(page, 1)
    assert "The coordinates look like GCJ-02: read as GCJ-02, 2 points" in message(page)
    before = page.url
    page.get_by_role("button", name="Convert from GCJ-02").click()
    page.wait_for_function("(u) => location.href !== u", arg=before)
    settle(page)
    assert "Converted from GCJ-02 to WGS-84." in message(page)
    assert page.locator(".atlas-user-layer").count() == 1
    old_id = re.search(r"user=([0-9a-f]{64})", before)[1]
    new_id = re.search(r"user=([0-9a-f]{64})", page.url)[1]
    assert new_id != old_id
    # the converted layer lies on the stations: its drawing is within a metre of their truth
    drawn = page.evaluate("(id) => fetch('/_atlas/layers/' + id).then((r) => r.json())", new_id)
    for (lon, lat), x, y in zip(STATIONS.values(), drawn["x"], drawn["y"], strict=True):
        assert abs(x - lon) < 1e-5 and abs(y - lat) < 1e-5


def test_a_geopackage_with_two_layers_asks_which(watched: Watched, tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    points = gpd.GeoDataFrame(
        {"name": list(STATIONS)}, geometry=[Point(p) for p in STATIONS.values()], crs=4326
    )
    points.to_file(path, layer="stations")
    line = gpd.GeoDataFrame({"name": ["link"]}, geometry=[LineString(STATIONS.values())], crs=4326)
    line.to_file(path, layer="link")
    page = watched.page
    page.goto(watched.base + "/?lang=en")
    settle(page)
    choose_file(page, "two.gpkg", path.read_bytes())
    page.get_by_role("button", name="link", exact=True).wait_for()
    assert "two.gpkg has several layers; pick one" in message(page)
    page.get_by_role("button", name="link", exact=True).click()
    added(page, 1)
    assert shapes(page) == 1 and "two.gpkg" in page.locator(".atlas-user-name").inner_text()


def test_a_dense_point_layer_of_100000_points_uploads_and_draws(watched: Watched) -> None:
    rng = np.random.default_rng(13)
    n = 100_000
    lon, lat = 115.5 + rng.random(n) * 2, 39.0 + rng.random(n) * 1.5
    years = 2014 + rng.integers(0, 13, n)
    lines = ["id,lon,lat,year,value"] + [
        f"{i},{lon[i]:.5f},{lat[i]:.5f},{years[i]},{i % 97}" for i in range(n)
    ]
    page = watched.page
    page.goto(watched.base + "/?lang=en&year=2026")
    settle(page)
    choose_file(page, "dense.csv", "\n".join(lines).encode())
    added(page, 1)
    canvas = page.locator("#atlas-map canvas.atlas-user-dots")
    assert canvas.get_attribute("data-shown") == str(n)  # every point is dated by 2026
    step_to(page, 2014)
    assert canvas.get_attribute("data-shown") == str(int((years <= 2014).sum()))
    assert watched.errors == []


def test_a_png_export_includes_the_layer(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=en&theme=overview&year=2025")
    settle(page)
    choose_file(page, "districts.csv", DISTRICTS)
    added(page, 1)
    # one colour (#7a0177, 75 % opaque) for every district of the table
    page.locator(".atlas-user-control").nth(0).get_by_text("One colour").click()
    page.wait_for_function("() => location.search.includes(':s:q:')")
    settle(page)

    def export(name: str) -> np.ndarray:
        page.locator("#atlas-export-open").click()
        page.locator("#atlas-export-dialog").wait_for(state="visible")
        page.locator("#atlas-export-dpi input[value='150']").check()
        with page.expect_download(timeout=90_000) as download:
            page.locator("#atlas-export-run").click()
        download.value.save_as(tmp_path / name)
        page.locator("#atlas-export-close").click()
        return np.asarray(Image.open(tmp_path / name).convert("RGB")).astype(int)

    def purple(image: np.ndarray) -> int:
        # #7a0177 at 75 % over the light basemap: within 45 of (122, 1, 119)·0.75 + 255·0.25
        target = np.array([122, 1, 119]) * 0.75 + np.array([240, 240, 240]) * 0.25
        return int((np.linalg.norm(image - target, axis=2) < 45).sum())

    with_layer = export("with.png")
    page.get_by_role("button", name="Remove layer districts.csv").click()
    page.wait_for_function("() => !location.search.includes('user=')")
    settle(page)
    without = export("without.png")
    assert with_layer.shape == without.shape == (1240, 1754, 3)
    # without the layer, only the story's few purple marks (Xiong'an's outline) come close
    assert purple(with_layer) > 20_000 and purple(without) < 2_000, (
        purple(with_layer),
        purple(without),
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_keyboard_reaches_a_feature_and_axe_finds_nothing_serious(
    watched: Watched, lang: str
) -> None:
    from tests.browser.test_a11y import audit, blocking

    page = watched.page
    page.goto(watched.base + f"/?lang={lang}")
    settle(page)
    choose_file(page, "districts.csv", DISTRICTS)
    added(page, 1)
    # the layer's feature list: a keyboard opens it and picks a feature by its name
    summary = page.locator(".atlas-user-browse summary")
    summary.focus()
    page.keyboard.press("Enter")
    button = page.locator(".atlas-user-feature").first
    assert button.inner_text() == "丰台"  # named by the table's first text column
    button.focus()
    page.keyboard.press("Enter")
    page.locator("#atlas-user-details:not([hidden])").wait_for()
    assert "丰台" in page.locator("#atlas-user-details td").all_inner_texts()
    settle(page)
    assert blocking(audit(page)) == []


def test_a_file_dropped_on_the_map_is_added(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=en")
    page.wait_for_selector("#atlas-map .atlas-place", state="attached")  # Leaflet's map is up
    settle(page)
    over = page.evaluate(
        """(text) => {
          const files = new DataTransfer();
          files.items.add(new File([text], 'dropped.csv', {type: 'text/csv'}));
          const map = document.getElementById('atlas-map');
          const init = {dataTransfer: files, bubbles: true, cancelable: true};
          map.dispatchEvent(new DragEvent('dragover', init));
          const shown = map.classList.contains('atlas-drop');  // where it may be dropped
          map.dispatchEvent(new DragEvent('drop', init));
          return [shown, map.classList.contains('atlas-drop')];
        }""",
        # not the district table's bytes: an identical file is stored once, under its first name
        DISTRICTS.decode() + "石景山,59,2016\n",
    )
    assert over == [True, False]
    added(page, 1)
    assert "dropped.csv" in page.locator(".atlas-user-name").inner_text() and shapes(page) == 7
