"""Planners' own layers in the browser: every bad file is refused with its message, in the page,
while the layer already on the map stays drawn (issue 13). The files are made here."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon

from tests.browser.test_user_layers import DISTRICTS, added, choose_file, message, shapes
from tests.harness import Watched, running_server, settle, watching
from tests.unit.test_uploads_read import _zip

# --- bad files: each refused with its message, the layer already on the map kept ------------

BIG = 2 * 1024 * 1024  # the test server's upload cap is the default 50 MB; the browser checks


def _bad_files() -> Iterator[tuple[str, bytes, str]]:
    point = Point(116.3, 39.9)
    yield "empty.geojson", b"", "empty.geojson is empty."
    yield "drawing.dwg", b"AC1027", "drawing.dwg is not a supported format"
    yield (
        "nogeom.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"a": 1}, "geometry": None}],
            }
        ).encode(),
        "nogeom.geojson has no features with a geometry.",
    )
    bowtie_only = gpd.GeoDataFrame(
        geometry=[Polygon([(116.3, 39.8), (116.4, 39.9), (116.4, 39.8), (116.3, 39.9)])],
        crs=4326,
    )
    yield "bowtie.geojson", bowtie_only.to_json().encode(), "1 invalid geometries were repaired"
    yield "swapped.csv", b"name,lon,lat\nA,39.89,116.32\n", "longitude and latitude swapped"
    projected = gpd.GeoDataFrame(geometry=[Point(441000, 4416000)]).to_json().encode()
    yield "projected.geojson", projected, "they look projected"
    mixed = gpd.GeoDataFrame(geometry=[point, LineString([(116.3, 39.9), (116.4, 39.8)])])
    yield "mixed.geojson", mixed.set_crs(4326).to_json().encode(), "mixes geometry types"
    yield "gbk.csv", b"name,lon,lat\n\xff\xfe\xfa,116.3,39.9\n", "none of the encodings tried"
    yield "bomb.zip", _zip({"big.shp": b"\0" * (20 * 1024 * 1024)}), "too compressed"
    yield "evil.zip", _zip({"../evil.shp": b"x"}), "a path outside the archive"
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&x;</name>'
        b"<Point><coordinates>116.3,39.9</coordinates></Point></Placemark></kml>"
    )
    yield "xxe.kml", xxe, "declares a DOCTYPE or entities"
    ring = [(116.3 + 0.3 * i / 1_000_001, 39.8 + (i % 2) * 0.001) for i in range(1_000_001)]
    heavy = gpd.GeoDataFrame(geometry=[LineString(ring)], crs=4326)
    out = io.BytesIO()
    heavy.to_file(out, driver="GeoJSON")
    yield "heavy.geojson", out.getvalue(), "1,000,001 vertices, over the 1,000,000 limit"
    yield "cell.csv", "name,lon,lat\nA,116.3,39.9\nB,116.4,北纬\n".encode(), "row 3, field lat"


BAD = list(_bad_files())


@pytest.fixture(scope="module")
def kept(browser: Browser, server: str) -> Iterator[Watched]:
    """A page with one good layer (the district table) on the map."""
    with watching(browser, server) as w:
        w.page.goto(server + "/?lang=en")
        settle(w.page)
        choose_file(w.page, "districts.csv", DISTRICTS)
        added(w.page, 1)
        yield w


@pytest.mark.parametrize(("name", "data", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_refused_and_the_layer_on_the_map_stays(
    kept: Watched, name: str, data: bytes, words: str
) -> None:
    page = kept.page
    choose_file(page, name, data)
    page.locator("#atlas-user-message").get_by_text(words).wait_for(timeout=60_000)
    settle(page)
    if name == "bowtie.geojson":  # repaired, not refused: added, with the repair counted
        assert page.locator(".atlas-user-layer").count() == 2
        page.get_by_role("button", name="Remove layer bowtie.geojson").click()
        page.wait_for_function("() => document.querySelectorAll('.atlas-user-layer').length === 1")
    else:
        assert name in message(page)  # the sentence names the file
    assert page.locator(".atlas-user-layer").count() == 1
    assert "districts.csv" in page.locator(".atlas-user-name").inner_text()
    assert shapes(page) == 6  # still drawn
    # the browser logs each refusal's 400 answer; nothing else went wrong
    assert [e for e in kept.errors if "status of 400" not in e] == []


def test_a_file_over_the_cap_is_refused_before_and_at_the_server(browser: Browser) -> None:
    with running_server(ATLAS_UPLOAD_MAX_MB="1") as url, watching(browser, url) as w:
        page = w.page
        page.goto(url + "/?lang=en")
        settle(page)
        choose_file(page, "districts.csv", DISTRICTS)
        added(page, 1)
        big = b"name,lon,lat\n" + b"A,116.3,39.9\n" * (BIG // 13)
        choose_file(page, "big.csv", big)
        page.locator("#atlas-user-message").get_by_text("over the 1 MB limit").wait_for()
        assert "big.csv is 2.0 MB, over the 1 MB limit." in message(page)
        assert page.locator(".atlas-user-layer").count() == 1 and shapes(page) == 6
        # a client that skips the page's check gets 413 from the server, which keeps serving
        status = page.evaluate(
            """(n) => fetch('/_atlas/layers?name=big.csv', {method: 'POST',
                 body: new Uint8Array(n)}).then((r) => r.status)""",
            BIG,
        )
        assert status == 413
        assert page.evaluate("() => fetch('/healthz').then((r) => r.status)") == 200
