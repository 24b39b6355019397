"""The callback fuzzer behind tests/browser/test_fuzz.py: record the callback requests a real
browser walk sends, make seeded, deterministic mutants of them (wrong types, nulls, huge
numbers, Unicode digits, deep nesting, missing keys, unknown ids, broken envelopes, broken JSON,
forged background handles) and send them from a few keep-alive connections. Plain functions, so
the same corpus can be sent to another server (an older checkout) to compare.
"""

from __future__ import annotations

import http.client
import json
import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from playwright.sync_api import Browser, Page

from tests.harness import settle, watching
from tests.http_client import CALLBACK_PATH, host_port

SEED = 20261204
N_MUTANTS = 2400


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
    page.locator("#atlas-map .atlas-place-dahongmen").dispatch_event("click")
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
    page.locator("#atlas-map .atlas-line-jingxiong_r1").dispatch_event("click")
    settle(page)
    _walk_own_layer(page)
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


# A planner's layer: two districts named in a table, with a number and a year.
OWN_LAYER = "区县,人口,year\n丰台,201,2015\n朝阳区,345,2016\n".encode()


def _walk_own_layer(page: Page) -> None:
    """Upload a layer, restyle it, open and close a feature's attributes (the upload itself
    goes to the layer routes, not to a callback)."""
    with page.expect_file_chooser() as chooser:
        page.locator("#atlas-user-file").click()
    chooser.value.set_files(
        files=[{"name": "own.csv", "mimeType": "text/csv", "buffer": OWN_LAYER}]
    )
    page.wait_for_selector(".atlas-user-layer")
    settle(page)
    page.locator(".atlas-user-control").first.locator("input").nth(2).check()  # categories
    settle(page)
    page.locator(".atlas-user-browse summary").click()
    page.locator(".atlas-user-feature").first.click()
    page.wait_for_selector("#atlas-user-details:not([hidden])")
    settle(page)
    page.locator("#atlas-user-details-close").click()
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
    conn = http.client.HTTPConnection(*host_port(base), timeout=30)
    try:
        conn.request("GET", "/_dash-dependencies")
        deps = json.loads(conn.getresponse().read())
    finally:
        conn.close()
    return {d["output"] for d in deps if not d.get("clientside_function")}


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
