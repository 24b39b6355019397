"""Benchmarks for the performance targets in PRODUCT.md, measured in headless Chromium.

    .venv/bin/python scripts/bench.py [--steps 20] [--url http://127.0.0.1:8050]

Without --url it starts its own `atlas serve` on a free loopback port and stops it after.
With --load-seconds N it then runs --users concurrent clients (default 50) replaying the
callback requests a real slider step sends, plus page loads, for N seconds through gunicorn.
Prints: first load to interactive map (ms) and bytes transferred; slider step → map repainted
(median and p95 over --steps keyboard steps, timed inside the page from the keydown to the
first animation frame after the map's DOM changed). Timing lives here, never in the tests.
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, running_server

WATCH_REPAINT = """
() => { window.__repaint = new Promise((resolve) => {
  const panes = document.querySelectorAll(
    '.leaflet-places-pane, .leaflet-flows-pane, .leaflet-lines-pane');
  let start = null;
  const keydown = () => { start = performance.now(); };
  document.addEventListener('keydown', keydown, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - start));
  });
  panes.forEach((p) => observer.observe(p, {childList: true, subtree: true, attributes: true}));
  setTimeout(() => { observer.disconnect(); resolve(-1); }, 5000);
}); }
"""


def first_load(browser: Browser, base: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    transferred = []
    cdp.on("Network.loadingFinished", lambda e: transferred.append(e["encodedDataLength"]))
    page.goto(base + "/", wait_until="commit")
    page.wait_for_selector(".atlas-place", state="attached", timeout=30_000)
    page.wait_for_selector(".atlas-card", state="attached", timeout=30_000)
    ms = page.evaluate("() => performance.now()")
    page.wait_for_load_state("networkidle")
    total = sum(transferred)
    context.close()
    return ms, total


def slider_steps(browser: Browser, base: str, steps: int) -> list[float]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(base + "/?year=2014", wait_until="networkidle")
    page.wait_for_selector(".atlas-place", state="attached")
    handle = page.locator("#atlas-year [role=slider]")
    handle.focus()
    times, forward = [], True
    for _ in range(steps):
        year = int(handle.get_attribute("aria-valuenow"))
        if year >= 2026:
            forward = False
        elif year <= 2014:
            forward = True
        page.evaluate(WATCH_REPAINT)
        page.keyboard.press("ArrowRight" if forward else "ArrowLeft")
        times.append(float(page.evaluate("() => window.__repaint")))
        page.wait_for_timeout(150)
    context.close()
    return times


def captured_callbacks(browser: Browser, base: str) -> list[bytes]:
    """The callback requests a browser really sends when the year slider moves."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/", wait_until="networkidle")
    bodies: list[bytes] = []
    page.on(
        "request",
        lambda r: bodies.append(r.post_data_buffer) if "_dash-update-component" in r.url else None,
    )
    page.locator("#atlas-year [role=slider]").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(1500)
    context.close()
    return [b for b in bodies if b]


def load(base: str, bodies: list[bytes], users: int, seconds: float) -> None:
    """``users`` concurrent clients replaying slider-step callbacks (and page loads) for
    ``seconds``; server latency per request, p50/p95, and the error count."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(n: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        i = n
        while time.monotonic() < deadline:
            i += 1
            body = bodies[i % len(bodies)] if i % 10 else None
            start = time.perf_counter()
            try:
                if body is None:
                    conn.request("GET", "/")
                else:
                    headers = {"Content-Type": "application/json"}
                    conn.request("POST", "/_dash-update-component", body, headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 204)
            except OSError as exc:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                response = exc  # type: ignore[assignment]
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(str(getattr(response, "status", response)))
            time.sleep(random.uniform(0.2, 1.0))  # think time between a user's actions
        conn.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p95 = latencies[round(0.95 * (len(latencies) - 1))]
    print(
        f"load: {users} users for {seconds:.0f} s: {len(latencies):,} requests, "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, errors {len(errors)} "
        "(target p95 ≤ 50 ms, zero errors)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--url")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=0, help="0 skips the load test")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with running_server() if not args.url else nullcontext(args.url) as url:
            run(browser, url, args.steps)
            if args.load_seconds > 0:
                bodies = captured_callbacks(browser, url)
                browser.close()
                load(url, bodies, args.users, args.load_seconds)
    return 0


def run(browser: Browser, base: str, steps: int) -> None:
    loads = [first_load(browser, base) for _ in range(3)]
    ms = statistics.median(m for m, _ in loads)
    print(f"first load → interactive map: median {ms:.0f} ms over 3 (target ≤ 1500 ms)")
    print(f"bytes transferred on first load: {loads[0][1]:,} (target ≤ 1,500,000)")
    times = [t for t in slider_steps(browser, base, steps) if t >= 0]
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"slider step → map repainted: median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms over {len(times)} steps (target p95 ≤ 100 ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
