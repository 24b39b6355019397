"""No 5xx from client input (issue 12): fuzzing the callback endpoint with mutants of real
requests, one test per class of malformed request, and odd years in a shared link.

The corpus is recorded first: a real headless Chromium walks the dashboard (theme, year, layers,
map clicks, notice, language, source dialog, both export runs, the kiosk) against the real
server, and every ``POST /_dash-update-component`` it sends is kept. The test then checks that
every server callback the app declares was recorded, and sends a seeded, deterministic set of
mutants of those bodies (wrong types, nulls, huge numbers, Unicode digits, deep nesting, missing
keys, unknown ids, broken envelopes, broken JSON, forged background handles) from a few
keep-alive connections. ``fuzz_mutants`` and ``send_all`` are plain functions, so the same
corpus can be sent to another server (an older checkout) to compare.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from tests.fuzzing import Recorded, fuzz_mutants, record, server_callbacks
from tests.harness import running_server, settle, watching
from tests.http_client import CALLBACK_PATH, health, host_port, post, send_all

# the server the fuzz test talks to: its own, so its log can be read and its exports kept apart
FUZZ_ENV = {"ATLAS_PUBLIC_URL": "http://atlas.example.org", "ATLAS_TOUR_SCENE_SECONDS": "600"}


# --- a server whose log we keep ----------------------------------------------------------------


@dataclass
class LoggedServer:
    url: str
    lines: list[str] = field(default_factory=list)

    def tracebacks(self) -> int:
        """Tracebacks in the log, a process's exit noise ("Exception ignored in") included."""
        return sum("Traceback (most recent call last)" in line for line in self.lines)


@contextmanager
def logged_server(cwd: Path | None = None, **env_extra: str) -> Iterator[LoggedServer]:
    """``atlas serve`` (gunicorn, 2 workers) with its log kept line by line (and passed on to
    ours); stopped by PID. ``cwd`` serves another checkout with this venv."""
    lines: list[str] = []
    with running_server(log=lines, cwd=cwd, **env_extra) as url:
        yield LoggedServer(url, lines)


# --- the tests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedServer]:
    cache = tmp_path_factory.mktemp("fuzz-cache")
    with logged_server(ATLAS_CACHE_DIR=str(cache), **FUZZ_ENV) as server:
        yield server


@pytest.fixture(scope="module")
def corpus(browser: Browser, fuzz_server: LoggedServer) -> list[Recorded]:
    return record(browser, fuzz_server.url)


def _body_of(corpus: list[Recorded], prefix: str) -> dict[str, Any]:
    """A recorded body of the callback whose output starts with ``prefix`` (a fresh copy)."""
    return json.loads(next(r.body for r in corpus if r.output.startswith(prefix)))


def test_the_walk_records_every_server_callback(
    corpus: list[Recorded], fuzz_server: LoggedServer
) -> None:
    declared = server_callbacks(fuzz_server.url)
    assert len(declared) >= 11  # view (3), map, panels (2), language, source, kiosk (2), export
    assert declared - {r.output for r in corpus} == set()


def test_mutated_callback_requests_never_get_a_5xx(
    browser: Browser, corpus: list[Recorded], fuzz_server: LoggedServer
) -> None:
    mutants = fuzz_mutants(corpus)
    assert len(mutants) >= 2000 and mutants == fuzz_mutants(corpus)  # deterministic
    logged_before = len(fuzz_server.lines)
    retried: list[int] = []
    statuses = send_all(fuzz_server.url, mutants, retried=retried)
    failed = [
        f"{status} {m.kind} {m.path[:60]} {m.body[:300]!r}"
        for m, status in zip(mutants, statuses, strict=True)
        if not 100 <= status < 500
    ]
    assert failed == [], f"{len(failed)} of {len(mutants)}:\n" + "\n".join(failed[:20])
    counts = Counter(statuses)
    # both the refused (malformed envelopes) and the answered (odd values, real updates) occur
    assert counts[400] > 200 and counts[200] > 200 and counts[204] > 20, counts
    assert health(fuzz_server.url) == 200
    logged = fuzz_server.lines[logged_before:]
    assert fuzz_server.tracebacks() == 0
    # export jobs the mutants started end quietly: their process is not a server worker
    assert not [line for line in logged if "Parent changed" in line or "Exception ignored" in line]
    # at most one short line per refused request, and nothing for the rest; a request sent
    # again after its kept-alive connection failed may have been logged twice
    assert len(retried) < len(mutants) // 100, len(retried)
    refused = sum(n for status, n in counts.items() if status >= 400)
    assert len(logged) <= refused + len(retried), logged[:5]
    assert all(len(line) < 300 for line in logged)
    with watching(browser, fuzz_server.url) as w:  # and the real page still works
        w.page.goto(fuzz_server.url + "/", wait_until="networkidle")
        w.page.wait_for_selector(".atlas-card", state="attached", timeout=20_000)
        w.page.wait_for_selector(".atlas-area-label", timeout=20_000)
        settle(w.page)
        assert w.page.locator("path.atlas-place").count() >= 30
        assert w.errors == []


# one test per class of malformed request, each with its status


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not JSON"),
        (b"{", "not JSON"),
        (b"\xff\xfe{}", "not JSON"),
        (b'{"output": NaN}', "not JSON"),
        (b'{"output": 1e999}', "not JSON"),
        (b'{"output": ' + b"9" * 5000 + b"}", "not JSON"),
        (b"null", "not a JSON object"),
        (b"[]", "not a JSON object"),
        (b'"x"', "not a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "nested deeper"),
    ],
)
def test_a_body_the_dispatcher_cannot_parse_gets_400(
    fuzz_server: LoggedServer, body: bytes, reason: str
) -> None:
    status, text = post(fuzz_server.url, body)
    assert status == 400 and reason in text and text.count("\n") == 1


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("output", "x", "no callback has the output"),
        ("output", None, "'output' is not a string"),
        ("output", "atlas-export-bbox.data", "no callback"),  # a clientside callback's output
        ("outputs", "x", "'outputs'"),
        ("outputs", [], "'outputs'"),
        ("inputs", "x", "'inputs'"),
        ("inputs", None, "'inputs'"),
        ("inputs", [{"id": "atlas-nowhere", "property": "value"}] * 5, "'inputs'"),
        ("state", {"id": "atlas-lang"}, "'state'"),
        ("changedPropIds", "atlas-year.value", "'changedPropIds'"),
        ("changedPropIds", ["{bad.prop"], "'changedPropIds'"),
        ("changedPropIds", ["atlas-nowhere.value"], "'changedPropIds'"),
    ],
)
def test_a_body_of_the_wrong_shape_gets_400(
    corpus: list[Recorded], fuzz_server: LoggedServer, field: str, value: Any, reason: str
) -> None:
    body = _body_of(corpus, "..atlas-kpis")
    body[field] = value
    status, text = post(fuzz_server.url, json.dumps(body).encode())
    assert (status, reason in text) == (400, True), text


def test_a_missing_key_gets_400(corpus: list[Recorded], fuzz_server: LoggedServer) -> None:
    for key in ("output", "outputs", "inputs"):
        body = _body_of(corpus, "..atlas-kpis")
        del body[key]
        assert post(fuzz_server.url, json.dumps(body).encode())[0] == 400, key


def test_a_body_not_declared_json_gets_415(
    corpus: list[Recorded], fuzz_server: LoggedServer
) -> None:
    body = json.dumps(_body_of(corpus, "..atlas-kpis")).encode()
    assert post(fuzz_server.url, body, **{"Content-Type": "text/plain"})[0] == 415


def test_a_body_over_the_cap_gets_413_before_it_is_sent(fuzz_server: LoggedServer) -> None:
    """The 300 MB POST of the issue: refused from its Content-Length, before any body."""
    host, port = host_port(fuzz_server.url)
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(
            f"POST {CALLBACK_PATH} HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {300 * 2**20}\r\n\r\n".encode()
        )
        head = sock.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head
    assert health(fuzz_server.url) == 200


def test_a_sent_body_just_over_the_cap_gets_413(fuzz_server: LoggedServer) -> None:
    from requestguard import CALLBACK_BODY_LIMIT

    body = b'{"output":"' + b"x" * CALLBACK_BODY_LIMIT + b'"}'
    assert post(fuzz_server.url, body)[0] == 413


def test_other_routes_take_a_small_body_only(fuzz_server: LoggedServer) -> None:
    from requestguard import BODY_LIMIT

    assert post(fuzz_server.url, b"x" * (BODY_LIMIT + 1), path="/")[0] == 413
    assert post(fuzz_server.url, b"x" * 100, path="/")[0] == 405  # the page is GET only


def test_the_largest_real_request_fits_the_cap(
    corpus: list[Recorded], fuzz_server: LoggedServer, atlas: Any
) -> None:
    """A click on Hebei's outline sends the whole province in clickData (~245 KB): the cap
    leaves room for it, and the server answers it as the click it is."""
    from layers.basemap import boundaries_layer
    from requestguard import CALLBACK_BODY_LIMIT

    features = boundaries_layer(atlas.table("boundaries"))["features"]
    largest = max(features, key=lambda f: len(json.dumps(f)))
    body = _body_of(corpus, "atlas-selected.data")
    for item in body["inputs"]:
        if item["id"] == "atlas-boundaries":
            item["value"] = 7
    for item in body["state"]:
        if item["id"] == "atlas-boundaries":
            item["value"] = largest
    body["changedPropIds"] = ["atlas-boundaries.n_clicks"]
    data = json.dumps(body).encode()
    assert 200_000 < len(data) <= CALLBACK_BODY_LIMIT / 2
    assert max(len(r.body.encode()) for r in corpus) < len(data)  # nothing recorded was larger
    assert post(fuzz_server.url, data)[0] in (200, 204)


@pytest.mark.parametrize(
    ("prefix", "slot", "value"),
    [
        ("..atlas-kpis", "atlas-year", "²"),
        ("..atlas-kpis", "atlas-year", None),
        ("..atlas-kpis", "atlas-theme", ["hubs"]),
        ("atlas-legend", "atlas-layers", "hubs,corridor"),
        ("atlas-lang.data", "atlas-lang", True),
        ("..atlas-page.lang", "atlas-lang", {"en": 1}),
        ("..atlas-theme.value", "atlas-url", 12),
        ("..atlas-theme.value", "atlas-url", True),
        ("atlas-selected.data", "atlas-places", {"properties": {"id": ["x"]}}),
        ("..atlas-source-dialog", "atlas-source-request", {"key": 3}),
        ("atlas-kiosk-cards", "atlas-kiosk-scene", {"index": True, "year": 2020}),
        ("atlas-kiosk-qr", "atlas-url-sink", "?theme=" + "x" * 5000),  # more than a QR code holds
    ],
)
def test_a_wrong_typed_value_gets_no_update(
    corpus: list[Recorded], fuzz_server: LoggedServer, prefix: str, slot: str, value: Any
) -> None:
    """A well-formed request carrying a value no component of ours sends: 204 (no update) or
    an answer that leaves the malformed part alone — never an error."""
    body = _body_of(corpus, prefix)
    items = [*body["inputs"], *body.get("state", [])]
    item = next(i for i in items if i["id"] == slot)
    item["value"] = value
    if item in body["inputs"]:
        body["changedPropIds"] = [f"{slot}.{item['property']}"]
    status, text = post(fuzz_server.url, json.dumps(body).encode())
    assert status in (200, 204), text
    if status == 200:
        assert "Traceback" not in text and "Error" not in text


def test_forged_background_handles_are_no_update(
    corpus: list[Recorded], fuzz_server: LoggedServer
) -> None:
    polls = [r for r in corpus if "cacheKey=" in r.query]
    assert polls  # the export's progress polls were recorded
    for params in ("cacheKey=x&job=1", "cacheKey=a~b&job=t:x~y&oldJob=1", "endId=z"):
        status, _ = post(fuzz_server.url, polls[0].body.encode(), CALLBACK_PATH + "?" + params)
        assert status in (200, 204)


@pytest.mark.parametrize(
    "year",
    ["²", "①", "³", "١٢", "２０２０", "2O20", "99999999999999999999", "-2020", "", "2020.0"],
)
def test_a_link_with_a_year_not_understood_keeps_the_rest_of_the_view(
    browser: Browser, fuzz_server: LoggedServer, year: str
) -> None:
    shared = f"?theme=corridor&year={quote(year)}&layers=hubs,corridor&lang=en&sel=xiongan_station"
    with watching(browser, fuzz_server.url) as w:
        page = w.page
        page.goto(fuzz_server.url + "/" + shared, wait_until="networkidle")
        notice = page.locator("#atlas-notice")
        notice.wait_for(state="visible", timeout=20_000)
        assert "'year'" in notice.inner_text()  # the English notice names the parameter
        page.wait_for_selector("#atlas-details h2")
        settle(page)
        assert page.locator("#atlas-details h2").inner_text() == "Xiong'an railway station"
        assert page.locator(".atlas-themes input[value='corridor']").is_checked()
        checked = page.locator(".atlas-layer-list input:checked")
        assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == ["corridor", "hubs"]
        # the theme's default year (core.story.default_year), as a link without a year
        assert page.locator("#atlas-year [role=slider]").get_attribute("aria-valuenow") == "2026"
        assert page.locator("html").get_attribute("lang") == "en"
        assert w.errors == []
