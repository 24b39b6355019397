"""Load and export throughput for ``scripts/bench.py`` (issue 15): simulated users replaying real
requests over HTTP against one or more app instances, round-robin, with exports at a realistic
rate; and exports per minute with 1 and 2 Celery workers.

An export is replayed the way the page makes it: the request a real browser sent when Run was
clicked (its body and its ``endId``), then polls with the signed ``cacheKey``/``job`` the
server answered, until the answer carries the file. With several instances a user's requests
go to them in turn, so a job queued on one is polled on the other (they share Redis).
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.harness import running_server
from tests.services import celery_worker, redis_server

DASH = "/_dash-update-component"
EXPORT_QUERY = "/?theme=relocation&year=2021"


@dataclass
class Captured:
    """The export request a browser sends when Run is clicked."""

    query: dict[str, str]  # the renderer's query (its signed endId)
    body: bytes


def capture_export(browser: Browser, base: str) -> Captured:
    """Open the export panel in a real page, click Run, keep the request it sent."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(base + EXPORT_QUERY, wait_until="networkidle")
    page.locator("#atlas-export-open").click()
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    with page.expect_request(
        lambda r: (
            DASH in r.url
            and "cacheKey" not in r.url
            and "atlas-export-run.n_clicks" in (r.post_data or "")
        )
    ) as request:
        page.locator("#atlas-export-run").click()
    page.locator("#atlas-export-status").get_by_text("relocation_2021").wait_for(timeout=300_000)
    url = urlsplit(request.value.url)
    query = dict(p.split("=", 1) for p in url.query.split("&") if "=" in p)
    captured = Captured(query, request.value.post_data_buffer or b"")
    context.close()
    return captured


class Client:
    """One user's keep-alive connections, one per instance, used in turn."""

    def __init__(self, bases: list[str], start: int) -> None:
        self.bases = bases
        self.turn = start
        self.conns: dict[str, http.client.HTTPConnection] = {}

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        conn = self.conns.get(base)
        if conn is None:
            u = urlsplit(base)
            conn = self.conns[base] = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            return response.status, response.read()
        except OSError:
            conn.close()
            del self.conns[base]
            raise

    def export(self, captured: Captured) -> str:
        """Start an export and poll it (once a second, as the page does) until its answer;
        "ok", or what went wrong."""
        status, data = self.request("POST", DASH + "?" + urlencode(captured.query), captured.body)
        if status != 200:
            return f"start {status}"
        handles = json.loads(data)
        if "cacheKey" not in handles:
            return "start: no job"
        signed = {"cacheKey": handles["cacheKey"], "job": handles["job"]}
        query = urlencode({**captured.query, **signed})
        while True:
            time.sleep(1.0)  # the renderer's poll interval
            status, data = self.request("POST", DASH + "?" + query, captured.body)
            if status == 204:
                return "no update"
            if status != 200:
                return f"poll {status}"
            answer = json.loads(data).get("response", {})
            if "atlas-export-download" in answer:
                return "ok"
            if answer.get("atlas-export-status"):
                text = str(answer["atlas-export-status"].get("children", ""))
                if not text.startswith(("排队", "Waiting")):
                    return f"refused: {text[:40]}"

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exports: list[float] = field(default_factory=list)  # seconds from Run to the file
    export_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def load(
    bases: list[str],
    bodies: list[bytes],
    users: int,
    seconds: float,
    captured: Captured | None = None,
    export_every: float = 120.0,
) -> Tally:
    """``users`` clients for ``seconds``: slider-step callbacks and page loads (think time
    0.2–1 s), and with ``captured`` each user starts an export about every ``export_every``
    seconds (first at a random moment), round-robin over ``bases``; prints the figures."""
    deadline = time.monotonic() + seconds
    tally = Tally()

    def user(n: int) -> None:
        client = Client(bases, n)
        i = n
        next_export = time.monotonic() + random.uniform(0, export_every)
        while time.monotonic() < deadline:
            if captured is not None and time.monotonic() >= next_export:
                next_export += export_every
                start = time.perf_counter()
                try:
                    outcome = client.export(captured)
                except OSError as exc:
                    outcome = f"export {type(exc).__name__}"
                with tally.lock:
                    if outcome == "ok":
                        tally.exports.append(time.perf_counter() - start)
                    else:
                        tally.export_errors.append(outcome)
                continue
            i += 1
            body = bodies[i % len(bodies)] if i % 10 else None
            start = time.perf_counter()
            try:
                status, _ = (
                    client.request("GET", "/")
                    if body is None
                    else client.request("POST", DASH, body)
                )
                problem = None if status in (200, 204) else str(status)
            except OSError as exc:
                problem = type(exc).__name__
            elapsed = (time.perf_counter() - start) * 1000
            with tally.lock:
                tally.latencies.append(elapsed)
                if problem:
                    tally.errors.append(problem)
            time.sleep(random.uniform(0.2, 1.0))  # think time between a user's actions
        client.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lat = tally.latencies
    print(
        f"load: {users} users, {len(bases)} instance(s), {seconds:.0f} s: {len(lat):,} requests, "
        f"p50 {pct(lat, 0.5):.1f} ms, p95 {pct(lat, 0.95):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, "
        f"errors {len(tally.errors)} {sorted(set(tally.errors))[:5]}",
        flush=True,
    )
    if captured is not None:
        ex = tally.exports
        print(
            f"exports during load (one per user every ~{export_every:.0f} s): {len(ex)} done, "
            f"Run→file p50 {pct(ex, 0.5):.1f} s, p95 {pct(ex, 0.95):.1f} s, "
            f"p99 {pct(ex, 0.99):.1f} s, failed {len(tally.export_errors)} "
            f"{sorted(set(tally.export_errors))[:5]}",
            flush=True,
        )
    return tally


def throughput(bases: list[str], captured: Captured, clients: int, seconds: float) -> float:
    """``clients`` users exporting back to back for ``seconds``; exports finished per minute
    (exports still running at the end are waited for and counted in the time they took)."""
    done: list[float] = []
    failed: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def user(n: int) -> None:
        client = Client(bases, n)
        while time.monotonic() < deadline:
            try:
                outcome = client.export(captured)
            except OSError as exc:
                outcome = type(exc).__name__
            with lock:
                (done.append(time.monotonic()) if outcome == "ok" else failed.append(outcome))
        client.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(done[-1] if done else 0, deadline) - started
    rate = len(done) / elapsed * 60
    print(
        f"  {len(done)} exports in {elapsed:.0f} s by {clients} clients: {rate:.1f} exports/min; "
        f"failed {len(failed)} {sorted(set(failed))[:3]}",
        flush=True,
    )
    return rate


@contextmanager
def stack(instances: int, workers: int, concurrency: int, **env: str) -> Iterator[list[str]]:
    """A private Redis, ``instances`` app instances and ``workers`` Celery workers (each with
    ``concurrency`` processes) on it; yields the instances' URLs."""
    with ExitStack() as stack:
        broker = stack.enter_context(redis_server()).url
        env = {
            "ATLAS_CELERY_BROKER": broker,
            "ATLAS_EXPORT_RATE": "100000",  # every simulated user has the same address
            "ATLAS_EXPORT_JOBS": str(max(1, workers * concurrency)),
            **env,
        }
        for _ in range(workers):
            stack.enter_context(celery_worker(broker, concurrency))
        yield [stack.enter_context(running_server(**env)) for _ in range(instances)]


def run_throughput(browser: Browser, seconds: float, concurrency: int, clients: int) -> None:
    """Exports per minute with 1 and with 2 Celery workers (one app instance each time)."""
    rates = {}
    for workers in (1, 2):
        with stack(1, workers, concurrency) as bases:
            captured = capture_export(browser, bases[0])
            print(f"export throughput, {workers} worker(s) × {concurrency}:", flush=True)
            rates[workers] = throughput(bases, captured, clients or 2 * workers, seconds)
    print(f"export throughput: 1 worker {rates[1]:.1f}/min, 2 workers {rates[2]:.1f}/min")
