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

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.harness import free_port, settle, wait_for_server, watching

CALLBACK_PATH = "/_dash-update-component"
SEED = 20261204
N_MUTANTS = 2400
THREADS = 4
# the server the fuzz test talks to: its own, so its log can be read and its exports kept apart
FUZZ_ENV = {"ATLAS_PUBLIC_URL": "http://atlas.example.org", "ATLAS_TOUR_SCENE_SECONDS": "600"}


# --- a server whose log we keep ----------------------------------------------------------------


@dataclass
class LoggedServer:
    url: str
    lines: list[str] = field(default_factory=list)

    def tracebacks(self) -> int:
        """Tracebacks of requests. An "Exception ignored in" block is a process's exit noise
        (an export job's fork ending), whatever the input: reported, but not counted here."""
        return sum(
            "Traceback (most recent call last)" in line
            and not (i and self.lines[i - 1].startswith("Exception ignored in"))
            for i, line in enumerate(self.lines)
        )


@contextmanager
def logged_server(cwd: Path | None = None, **env_extra: str) -> Iterator[LoggedServer]:
    """``atlas serve`` (gunicorn, 2 workers) on a loopback port, its stderr kept line by line
    (and passed on to ours); stopped by PID. ``cwd`` serves another checkout with this venv."""
    port = free_port()
    env = {**os.environ, "ATLAS_HOST": "127.0.0.1", "ATLAS_PORT": str(port), "ATLAS_WORKERS": "2"}
    env.update(env_extra)
    if cwd is not None:
        env["PYTHONPATH"] = str(cwd)
        cmd = [sys.executable, "-m", "cli", "serve"]
    else:
        cmd = [str(Path(sys.executable).with_name("atlas")), "serve"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, cwd=cwd)
    server = LoggedServer(f"http://127.0.0.1:{port}")
    listening = threading.Event()

    def pump() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            server.lines.append(line)
            sys.stderr.write(line + "\n")
            if "Listening at:" in line:
                listening.set()
        listening.set()

    threading.Thread(target=pump, daemon=True).start()
    proc.listening = listening  # type: ignore[attr-defined]
    try:
        wait_for_server(server.url + "/", proc)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- recording real requests -----------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    query: str  # the request's query string (endId; cacheKey/job when polling an export)
    body: str  # the JSON body as the browser sent it

    @property
    def output(self) -> str:
        return json.loads(self.body)["output"]


def _walk_dashboard(page: Page, base: str) -> None:
    """Every server callback of the plain dashboard, as a user would fire them."""
    page.goto(base + "/?year=2019&sel=beijing_fengtai&bogus=1", wait_until="networkidle")
    settle(page)
    page.locator("#atlas-notice-close").click()  # the bad parameter's notice
    settle(page)
    page.locator(".atlas-themes input[value='relocation']").check()
    settle(page)
    page.locator("#atlas-step-forward").click()
    settle(page)
    page.locator(".atlas-layer-list input").first.click()
    settle(page)
    page.locator(".atlas-flow-arc").first.dispatch_event("click")
    settle(page)
    page.locator(".atlas-place-dahongmen").dispatch_event("click")
    settle(page)
    page.locator("#atlas-clear").click()
    settle(page)
    box = page.locator("#atlas-map").bounding_box()
    assert box is not None
    for fx, fy in ((0.5, 0.5), (0.3, 0.7)):  # a district or prefecture, or empty map
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        settle(page)
    page.locator(".atlas-themes input[value='corridor']").check()
    settle(page)
    page.locator(".atlas-line-jingxiong_r1").dispatch_event("click")
    settle(page)
    page.locator("#atlas-lang-button").click()
    settle(page)
    page.locator(".atlas-source-link").first.click()
    settle(page)
    page.locator("#atlas-source-close").click()
    settle(page)
    page.locator("#atlas-export-open").click()
    settle(page)
    page.locator("#atlas-export-format input[value='csv']").check()
    with page.expect_download():
        page.locator("#atlas-export-run").click()
    settle(page)
    # a slow export, cancelled: Dash's own cancel callback
    page.locator("#atlas-export-format input[value='png']").check()
    page.locator("#atlas-export-run").click()
    page.wait_for_selector("#atlas-export-cancel:not([disabled])", timeout=30_000)
    page.locator("#atlas-export-cancel").click()
    page.wait_for_selector("#atlas-export-run:not([disabled])", timeout=30_000)
    settle(page)


def _walk_kiosk(page: Page, base: str) -> None:
    """The kiosk's scene cards and share code (the QR code needs ATLAS_PUBLIC_URL)."""

    def scene_sent(request: Any) -> bool:
        body = request.post_data or ""
        return '"atlas-kiosk-scene","property":"data","value"' in body

    with page.expect_request(scene_sent, timeout=30_000):
        page.goto(base + "/?kiosk=1&lang=en", wait_until="networkidle")
    settle(page)


def record(browser: Browser, base: str) -> list[Recorded]:
    """The callback requests a real browser sends while a user goes through the dashboard."""
    seen: list[Recorded] = []

    def on_request(request: Any) -> None:
        url = urlsplit(request.url)
        if request.method == "POST" and url.path == CALLBACK_PATH and request.post_data:
            seen.append(Recorded(url.query, request.post_data))

    for walk in (_walk_dashboard, _walk_kiosk):
        with watching(browser, base) as w:
            w.page.on("request", on_request)
            walk(w.page, base)
            assert w.errors == [], w.errors
    return seen


def server_callbacks(base: str) -> set[str]:
    """The outputs of every callback the server runs (clientside ones excluded)."""
    conn = http.client.HTTPConnection(*_host_port(base), timeout=30)
    try:
        conn.request("GET", "/_dash-dependencies")
        deps = json.loads(conn.getresponse().read())
    finally:
        conn.close()
    return {d["output"] for d in deps if not d.get("clientside_function")}


def _host_port(base: str) -> tuple[str, int]:
    url = urlsplit(base)
    return url.hostname or "127.0.0.1", url.port or 80


# --- mutants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    kind: str  # which mutation made it (for the report of failures)
    target: str  # the callback output it was built from
    path: str  # path and query
    body: bytes
    headers: dict[str, str]


class Raw(str):
    """JSON text put into a body as it is (numbers Python's json would refuse to write, deep
    nesting that would overflow its recursion)."""


def _deep(depth: int, opener: str = "[", closer: str = "]") -> Raw:
    return Raw(opener * depth + closer * depth)


HOSTILE: list[Any] = [
    None, True, False, 0, -1, 1, 7, 2**31, 2**63, -(2**63), 10**30, 1.5, -0.0, 1e308,
    float("nan"), float("inf"), float("-inf"),
    Raw("9" * 5000), Raw("-" + "9" * 4400), Raw("1e999"), Raw("123456789012345678901234567890"),
    "", " ", "x", "null", "true", "None", "en", "zh", "EN", "fr", "hubs", "hubs,corridor",
    "2019", "²", "①", "³", "١٢", "२०२०", "２０２０", "2019.5", "-2019", "0x7e3", "1e3", "+2020",
    "20" * 300, "\x00", "\ud800", "<script>alert(1)</script>", "x" * 20_000,
    "?year=²", "?year=①&theme=corridor&lang=en", "?year=³", "?year=" + "9" * 400,
    "?year=", "?year=2019&year=2020", "?theme=" + "x" * 5000, "?" + "a=1&" * 500,
    "?kiosk=1&year=１２", "?view=nan,nan,nan", "?view=1e999,1,1",
    "?layers=" + ",".join(["hubs"] * 400),
    "?sel=%00", "?lang=%FF",
    [], [None], [1], [True], ["x"], ["hubs", "hubs"], ["hubs", None, 3, {}], ["x" * 1000],
    list(range(2000)), [[["hubs"]]], ["²"],
    {}, {"key": None}, {"key": 1}, {"key": ["x"]}, {"key": "x" * 3000}, {"key": "nope:nope:1"},
    {"key": "indicators:indicators:"}, {"key": "status:status:|"},
    {"properties": None}, {"properties": []}, {"properties": {"id": ["beijing_fengtai"]}},
    {"properties": {"id": "beijing_fengtai"}}, {"properties": {"id": "110106"}},
    {"properties": {"id": "nowhere"}}, {"properties": {"id": None}},
    {"index": True, "year": 2020, "lang": "en"}, {"index": 0, "year": "2020"},
    {"index": 0, "year": 2020.5}, {"index": 10**9, "year": 2020}, {"index": -1, "year": 2020},
    {"index": 0, "year": 10**30, "lang": []}, {"index": 0, "year": 2020, "lang": {"a": 1}},
    {"theme": "hubs", "layers": "hubs"}, {"theme": ["hubs"], "layers": None},
    {"__proto__": {"x": 1}}, {"x" * 100: "y"},
    _deep(40), _deep(200), _deep(3000), _deep(50_000), _deep(3000, '{"a":', "}"),
]  # fmt: skip

ENVELOPE_VALUES: list[Any] = [
    None, "x", "", 1, 0, True, [], {}, [1], ["x"], [None], [{}], [[]], {"id": "x"},
    {"id": "atlas-year", "property": "value"}, [{"id": None, "property": None}],
    [{"id": {"type": "x", "index": 1}, "property": "value"}], [{"id": ["x"], "property": 1}],
    _deep(30), _deep(5000),
]  # fmt: skip


def _dumps(value: Any) -> bytes:
    """JSON of ``value`` with each Raw piece inserted as is."""
    raws: list[str] = []

    def swap(v: Any) -> Any:
        if isinstance(v, Raw):
            raws.append(str(v))
            return f"@@RAW{len(raws) - 1}@@"
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        if isinstance(v, list):
            return [swap(x) for x in v]
        return v

    text = json.dumps(swap(value), separators=(",", ":"))
    for i, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{i}@@"', raw)
    return text.encode("utf-8", "surrogatepass")


def _slots(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The input and state items of a body (pattern-matching lists flattened)."""
    out: list[dict[str, Any]] = []
    for key in ("inputs", "state"):
        for item in body.get(key) or []:
            items = item if isinstance(item, list) else [item]
            out.extend(x for x in items if isinstance(x, dict))
    return out


def _mutate_values(rng: random.Random, body: dict[str, Any]) -> str:
    slots = _slots(body)
    if not slots:
        return "none"
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        slot = rng.choice(slots)
        if rng.random() < 0.12:
            slot.pop("value", None)
        else:
            slot["value"] = rng.choice(HOSTILE)
    if rng.random() < 0.5:  # make a mutated input the trigger
        ins = [s for s in body.get("inputs") or [] if isinstance(s, dict)]
        if ins:
            chosen = rng.choice(ins)
            body["changedPropIds"] = [f"{chosen['id']}.{chosen['property']}"]
    return "value"


def _mutate_envelope(rng: random.Random, body: dict[str, Any], outputs: list[str]) -> str:
    key = rng.choice(("output", "outputs", "inputs", "state", "changedPropIds", "items", "drop"))
    if key == "drop":
        body.pop(rng.choice(("output", "outputs", "inputs", "state", "changedPropIds")), None)
    elif key == "output":
        body["output"] = rng.choice(
            [*outputs, "", "x.y", "..a.b...c.d..", str(body.get("output")) + "x", None, 1, []]
        )
    elif key == "changedPropIds":
        body["changedPropIds"] = rng.choice(
            [["x.y"], ["{bad.prop"], ['{"a":1}.prop'], ["atlas-year.value"] * 500, [],
             [None], [1], "atlas-year.value", ["atlas-year"], ["."]]
        )  # fmt: skip
    elif key == "items":  # the inputs/state lists the wrong length, an item of the wrong shape
        which = rng.choice(("inputs", "state", "outputs"))
        items = body.get(which)
        if isinstance(items, list) and items:
            op = rng.choice(("short", "long", "id", "prop", "shape"))
            if op == "short":
                items.pop(rng.randrange(len(items)))
            elif op == "long":
                items.append(dict(items[0]) if isinstance(items[0], dict) else items[0])
            elif op == "id" and isinstance(items[0], dict):
                items[rng.randrange(len(items))] = {
                    **items[0],
                    "id": rng.choice(
                        ["atlas-nowhere", {"type": "atlas-source-button", "key": 1}, None, 5]
                    ),
                }
            elif op == "prop" and isinstance(items[0], dict):
                items[rng.randrange(len(items))] = {
                    **items[0],
                    "property": rng.choice(["nope", "value@zz", None, 3, "__class__"]),
                }
            else:
                items[rng.randrange(len(items))] = rng.choice(ENVELOPE_VALUES)
        elif isinstance(items, dict):
            body[which] = rng.choice([[items], {**items, "property": "nope"}, {"id": items["id"]}])
    else:
        body[key] = rng.choice(ENVELOPE_VALUES)
    return f"envelope:{key}"


RAW_BODIES: list[bytes] = [
    b"", b"null", b"[]", b"1", b'"x"', b"true", b"{", b"{}", b'{"output":', b"\xff\xfe\x00",
    b"NaN", b"[" * 100_000, b'{"a":' * 30_000, b'{"output":"' + b"x" * 50_000 + b'"}',
    b'{"output":1e999}', b'{"output":' + b"9" * 6000 + b"}",
]  # fmt: skip


def _signature(query: str, body: dict[str, Any]) -> str:
    """A request's shape: its callback, what triggered it, the type of each value, and whether
    it polls a background job (signed handles in the query) or starts one."""
    slots = [(s.get("id"), s.get("property"), type(s.get("value")).__name__) for s in _slots(body)]
    poll = "cacheKey=" in query
    return json.dumps([body.get("output"), body.get("changedPropIds"), slots, poll], default=str)


def fuzz_mutants(recorded: list[Recorded], n: int = N_MUTANTS, seed: int = SEED) -> list[Mutant]:
    """``n`` mutants of the recorded requests. One base request per shape, and each mutant
    drawn from its own seed: what varies from walk to walk (the page-load token, how many
    progress polls an export made, the map's position mid-flight in the kiosk's share URL)
    changes at most the base values of a few mutants, never the mutations."""
    shapes: dict[str, tuple[str, str]] = {}
    for r in recorded:
        body = json.loads(r.body)
        key = _signature(r.query, body)
        if key not in shapes or r.body < shapes[key][1]:
            shapes[key] = (r.query, r.body)
    by_output: dict[str, list[tuple[str, str]]] = {}
    for key in sorted(shapes):
        query, text = shapes[key]
        by_output.setdefault(json.loads(text)["output"], []).append((query, text))
    outputs = sorted(by_output)
    json_headers = {"Content-Type": "application/json"}
    mutants: list[Mutant] = []
    while len(mutants) < n:
        rng = random.Random(f"{seed}/{len(mutants)}")
        target = outputs[len(mutants) % len(outputs)]  # every callback as often as the others
        query, text = rng.choice(by_output[target])
        body = json.loads(text)
        headers = dict(json_headers)
        path = CALLBACK_PATH + ("?" + query if query else "")
        roll = rng.random()
        if roll < 0.55:
            kind = _mutate_values(rng, body)
            data = _dumps(body)
        elif roll < 0.85:
            kind = _mutate_envelope(rng, body, outputs)
            data = _dumps(body)
        elif roll < 0.93:
            kind, data = "raw", rng.choice(RAW_BODIES)
            if rng.random() < 0.3:  # the real body cut short
                data = text.encode()[: rng.randrange(1, len(text))]
        elif roll < 0.97:
            kind, data = "headers", _dumps(body)
            headers = rng.choice(
                [{"Content-Type": "text/plain"}, {},
                 {"Content-Type": "application/x-www-form-urlencoded"},
                 {"Content-Type": "application/json; charset=latin-1"}]
            )  # fmt: skip
        else:  # forged or broken background handles and page-load token
            kind, data = "query", _dumps(body)
            params = parse_qsl(query)
            params.append(rng.choice(
                [("cacheKey", "x"), ("job", "1"), ("oldJob", "1"), ("cacheKey", "a~b"),
                 ("job", "t:x~y"), ("endId", "z" * 3000), ("oldJob", "%00")]))  # fmt: skip
            path = CALLBACK_PATH + "?" + urlencode(params, quote_via=quote)
        mutants.append(Mutant(kind, target, path, data, headers))
    return mutants


# --- sending ---------------------------------------------------------------------------------


def send_all(base: str, mutants: list[Mutant], threads: int = THREADS) -> list[int]:
    """POST every mutant from ``threads`` keep-alive connections; the status of each (-1: the
    connection failed even when opened afresh)."""
    host, port = _host_port(base)
    statuses = [0] * len(mutants)

    def worker(start: int) -> None:
        conn: http.client.HTTPConnection | None = None
        for i in range(start, len(mutants), threads):
            m = mutants[i]
            for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=60)
                try:
                    conn.request("POST", m.path, body=m.body, headers=m.headers)
                    response = conn.getresponse()
                    response.read()
                    statuses[i] = response.status
                    if response.will_close:
                        conn.close()
                        conn = None
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = None
                    statuses[i] = -1 if attempt == 2 else 0
        if conn is not None:
            conn.close()

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return statuses


def summary(mutants: list[Mutant], statuses: list[int]) -> dict[str, Counter[int]]:
    """Statuses by the callback each mutant was made from."""
    out: dict[str, Counter[int]] = {}
    for m, status in zip(mutants, statuses, strict=True):
        out.setdefault(m.target.split("@")[0][:60], Counter())[status] += 1
    return out


def _post(base: str, body: bytes, path: str = CALLBACK_PATH, **headers: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(*_host_port(base), timeout=60)
    try:
        conn.request(
            "POST", path, body=body, headers={"Content-Type": "application/json", **headers}
        )
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _health(base: str) -> int:
    conn = http.client.HTTPConnection(*_host_port(base), timeout=30)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()


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
    statuses = send_all(fuzz_server.url, mutants)
    failed = [
        f"{status} {m.kind} {m.path[:60]} {m.body[:300]!r}"
        for m, status in zip(mutants, statuses, strict=True)
        if not 100 <= status < 500
    ]
    assert failed == [], f"{len(failed)} of {len(mutants)}:\n" + "\n".join(failed[:20])
    counts = Counter(statuses)
    # both the refused (malformed envelopes) and the answered (odd values, real updates) occur
    assert counts[400] > 200 and counts[200] > 200 and counts[204] > 20, counts
    assert _health(fuzz_server.url) == 200
    logged = fuzz_server.lines[logged_before:]
    assert fuzz_server.tracebacks() == 0
    # at most one short line per refused request, and nothing for the rest
    assert len(logged) <= sum(n for status, n in counts.items() if status >= 400), logged[:5]
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
    status, text = _post(fuzz_server.url, body)
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
    status, text = _post(fuzz_server.url, json.dumps(body).encode())
    assert (status, reason in text) == (400, True), text


def test_a_missing_key_gets_400(corpus: list[Recorded], fuzz_server: LoggedServer) -> None:
    for key in ("output", "outputs", "inputs"):
        body = _body_of(corpus, "..atlas-kpis")
        del body[key]
        assert _post(fuzz_server.url, json.dumps(body).encode())[0] == 400, key


def test_a_body_not_declared_json_gets_415(
    corpus: list[Recorded], fuzz_server: LoggedServer
) -> None:
    body = json.dumps(_body_of(corpus, "..atlas-kpis")).encode()
    assert _post(fuzz_server.url, body, **{"Content-Type": "text/plain"})[0] == 415


def test_a_body_over_the_cap_gets_413_before_it_is_sent(fuzz_server: LoggedServer) -> None:
    """The 300 MB POST of the issue: refused from its Content-Length, before any body."""
    host, port = _host_port(fuzz_server.url)
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(
            f"POST {CALLBACK_PATH} HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {300 * 2**20}\r\n\r\n".encode()
        )
        head = sock.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head
    assert _health(fuzz_server.url) == 200


def test_a_sent_body_just_over_the_cap_gets_413(fuzz_server: LoggedServer) -> None:
    from requestguard import CALLBACK_BODY_LIMIT

    body = b'{"output":"' + b"x" * CALLBACK_BODY_LIMIT + b'"}'
    assert _post(fuzz_server.url, body)[0] == 413


def test_other_routes_take_a_small_body_only(fuzz_server: LoggedServer) -> None:
    from requestguard import BODY_LIMIT

    assert _post(fuzz_server.url, b"x" * (BODY_LIMIT + 1), path="/")[0] == 413
    assert _post(fuzz_server.url, b"x" * 100, path="/")[0] == 405  # the page is GET only


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
    assert _post(fuzz_server.url, data)[0] in (200, 204)


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
    status, text = _post(fuzz_server.url, json.dumps(body).encode())
    assert status in (200, 204), text
    if status == 200:
        assert "Traceback" not in text and "Error" not in text


def test_forged_background_handles_are_no_update(
    corpus: list[Recorded], fuzz_server: LoggedServer
) -> None:
    polls = [r for r in corpus if "cacheKey=" in r.query]
    assert polls  # the export's progress polls were recorded
    for params in ("cacheKey=x&job=1", "cacheKey=a~b&job=t:x~y&oldJob=1", "endId=z"):
        status, _ = _post(fuzz_server.url, polls[0].body.encode(), CALLBACK_PATH + "?" + params)
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
