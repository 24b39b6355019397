"""Text from data is shown as text: a script payload in the GeoPackage executes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from geodata import schema
from geodata.build import write_gpkg
from geodata.load import Atlas
from tests.harness import images_done, running_server, settle, watching

PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'


def _poison(frame, id_field: str, row_id: str, field: str) -> None:
    index = frame.index[frame[id_field] == row_id][0]
    frame.at[index, field] = PAYLOAD + str(frame.at[index, field])


@pytest.fixture(scope="module")
def hostile_server(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    frames = {name: atlas.table(name) for name in schema.LAYERS}
    _poison(frames["places"], "id", "beijing_west", "name_zh")
    _poison(frames["places"], "id", "beijing_west", "note_zh")
    _poison(frames["boundaries"], "id", "110106", "name_zh")
    _poison(frames["indicators"], "series", "fengtai_firm_branches_jinji", "label_zh")
    _poison(frames["events"], "id", frames["events"]["id"].iloc[-1], "title_zh")
    path: Path = tmp_path_factory.mktemp("hostile") / "hostile.gpkg"
    write_gpkg(frames, path)
    with running_server(ATLAS_DATA=str(path)) as url:
        yield url


def test_script_payload_in_data_is_shown_as_text(browser: Browser, hostile_server: str) -> None:
    with watching(browser, hostile_server) as w:
        page = w.page
        page.goto(hostile_server + "/?theme=hubs&year=2026", wait_until="networkidle")
        page.wait_for_selector("#atlas-map .atlas-place-beijing_west", state="attached")
        marker = page.locator("#atlas-map .atlas-place-beijing_west")
        marker.dispatch_event("mouseover")
        tooltip = page.locator(".leaflet-tooltip", has_text="北京西站").first
        tooltip.wait_for()
        assert PAYLOAD in tooltip.inner_text()
        marker.dispatch_event("click")
        heading = page.locator("#atlas-details h2")
        heading.wait_for()
        assert heading.inner_text() == PAYLOAD + "北京西站"
        labels = page.locator(".atlas-area-label").all_inner_texts()
        assert PAYLOAD + "丰台区" in labels
        page.goto(hostile_server + "/?theme=overview&year=2025", wait_until="networkidle")
        page.wait_for_selector(".atlas-card", state="attached")
        assert PAYLOAD in page.locator("#atlas-kpis").inner_text()
        # every callback has landed and every image has loaded or failed, so a payload that had
        # become an <img> would have run its onerror by now
        settle(page)
        images_done(page)
        assert page.evaluate("window.__xss") is None
        assert page.locator("img[src='x']").count() == 0
        assert w.external_requests() == []
        assert w.errors == []
