"""Benchmarks for the performance targets in PRODUCT.md, measured in headless Chromium.

    .venv/bin/python scripts/bench.py [--steps 40] [--url http://127.0.0.1:8050 [--url ...]]

Without --url it starts its own `atlas serve` on a free loopback port and stops it after.
With --url it measures a server that is already running; give --url more than once to measure
several (say the old code and the new) one after the other in one run, each under its URL.
With --user-points N it also uploads a layer of N points through the page (timed to its first
draw) and times slider steps with and without it. With --load-seconds N it then runs --users
concurrent clients (default 50) replaying the callback requests a real slider step sends, plus
page loads, for N seconds through gunicorn.
Prints: first load to interactive map (ms) and bytes transferred; for --steps keyboard steps of
the year slider, timed inside the page from the keydown:
- map repainted: the first animation frame after the map's DOM changed (median, p95);
- page settled: the animation frame after the last DOM change anywhere in the page (map,
  cards, panels) once the step is over (median, p95);
- server requests: the POSTs to /_dash-update-component the page sent (median, max per step).
A step is over when no such request is in flight, Dash has no callback pending and nothing
has changed in the page or on the network for QUIET_MS (as Playwright's "networkidle").
Timing lives here, never in the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.benchprobe import (
    Step,
    captured_callbacks,
    first_load,
    press_and_measure,
    probed_page,
    slider_steps,
)
from scripts.loadbench import capture_export, load, run_throughput, stack
from tests.harness import launch_browser, running_server


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument(
        "--url",
        action="append",
        help="a running server to measure (repeat to measure several); default: start one",
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=0, help="0 skips the load test")
    parser.add_argument(
        "--export-every",
        type=float,
        default=120,
        help="in the load test each user exports (PNG) about every this many seconds; 0: never",
    )
    parser.add_argument(
        "--instances",
        type=int,
        default=1,
        help="app instances started on one private Redis (with Celery workers), round-robin",
    )
    parser.add_argument(
        "--celery-workers", type=int, default=0, help="start this many Celery workers (Redis)"
    )
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument(
        "--round-robin",
        action="store_true",
        help="the --url servers are one deployment (sharing Redis): load them in turn",
    )
    parser.add_argument("--load-only", action="store_true", help="skip first load and slider steps")
    parser.add_argument(
        "--export-throughput",
        type=float,
        default=0,
        help="seconds of back-to-back exports with 1, then 2 Celery workers (exports/min)",
    )
    parser.add_argument("--export-clients", type=int, default=0, help="default: 2 per worker")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time slider steps while comparing two years (issue 14), swipe and side",
    )
    parser.add_argument(
        "--user-points",
        type=int,
        default=0,
        help="also time a planner's layer of this many points (issue 13: 100000); 0 skips",
    )
    args = parser.parse_args()
    deployments = [args.url] if args.round_robin and args.url else args.url or [None]
    with sync_playwright() as p:
        browser = launch_browser(p.chromium)
        try:
            if args.export_throughput > 0:
                run_throughput(
                    browser, args.export_throughput, args.worker_concurrency, args.export_clients
                )
            for url in deployments:
                with servers(args, url) as bases:
                    base = bases[0]
                    if len(deployments) > 1 or len(bases) > 1:
                        print(f"== {' + '.join(bases)}", flush=True)
                    if not args.load_only:
                        run(browser, base, args.steps)
                    if args.compare:
                        run_compare(browser, base, args.steps)
                    if args.user_points > 0:
                        run_user_points(browser, base, args.steps, args.user_points)
                    if args.load_seconds > 0:
                        bodies = captured_callbacks(browser, base)
                        exports = capture_export(browser, base) if args.export_every else None
                        load(bases, bodies, args.users, args.load_seconds, exports,
                             args.export_every)  # fmt: skip
        finally:
            browser.close()
    return 0


def servers(args: argparse.Namespace, url: str | list[str] | None) -> Any:
    """The deployment to measure: given URLs, or one ``atlas serve`` (diskcache jobs), or
    ``--instances`` on a private Redis with ``--celery-workers``."""
    if isinstance(url, list):
        return nullcontext(url)
    if url is not None:
        return nullcontext([url])
    if args.instances > 1 or args.celery_workers > 0:
        workers = max(1, args.celery_workers)
        return stack(args.instances, workers, args.worker_concurrency)
    return _one(running_server(ATLAS_EXPORT_RATE="100000"))


@contextmanager
def _one(server: Any) -> Iterator[list[str]]:
    with server as base:
        yield [base]


# A planner's layer of N random points over Beijing and Langfang, dated 2014-2026, made in the
# page (so the upload is timed as a planner's would be), then timed until its canvas is drawn.
UPLOAD_AND_DRAW = """async ([n, seed]) => {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ['id,lon,lat,year,value'];
  for (let i = 0; i < n; i++) {
    rows.push(i + ',' + (115.5 + 2 * rand()).toFixed(5) + ',' + (39 + 1.5 * rand()).toFixed(5)
              + ',' + (2014 + Math.floor(13 * rand())) + ',' + Math.floor(1000 * rand()));
  }
  const file = new File([rows.join('\\n')], 'bench-' + seed + '.csv');
  const start = performance.now();
  window.atlas.userLayers.upload(file);
  await new Promise((resolve) => {
    const look = () => (document.querySelector('#atlas-map .atlas-user-dots[data-shown]')
      ? requestAnimationFrame(resolve) : setTimeout(look, 5));
    look();
  });
  const link = new URLSearchParams(location.search).get('user');
  return [performance.now() - start, link];
}"""


def user_points(browser: Browser, base: str, n: int) -> tuple[float, str]:
    """Upload ``n`` points through the page; (ms until drawn, the link's user= value)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(base + "/?year=2026", wait_until="networkidle")
    page.wait_for_selector(".atlas-place", state="attached")
    ms, link = page.evaluate(UPLOAD_AND_DRAW, [n, int(time.time()) % 100_000])
    context.close()
    return float(ms), str(link)


def report_steps(label: str, measured: list[Step]) -> None:
    last = [m.repaint_last for m in measured if m.repaint_last >= 0]
    if last:
        print(
            f"{label}: slider step → map fully repainted (last map change + a frame): "
            f"median {statistics.median(last):.1f} ms, p95 {percentile(last, 0.95):.1f} ms "
            f"over {len(last)} steps",
            flush=True,
        )


def run_user_points(browser: Browser, base: str, steps: int, n: int) -> None:
    """Issue 13's targets: first draw of an N-point layer under 3 s, and a slider step with it
    on within 2x of the step without it (measured interleaved, in one run)."""
    draws = []
    for _ in range(2):
        ms, link = user_points(browser, base, n)
        draws.append(ms)
    print(
        f"{n:,} points: upload → first draw {', '.join(f'{d:.0f}' for d in draws)} ms "
        "(target < 3000 ms)",
        flush=True,
    )
    without, with_layer = [], []
    for _ in range(2):
        without += slider_steps(browser, base, steps // 2)
        with_layer += slider_steps(browser, base, steps // 2, "&user=" + link)
    report_steps("without the layer", without)
    report_steps(f"with {n:,} points", with_layer)


def compare_steps(browser: Browser, base: str, steps: int, mode: str, slider: str) -> list[Step]:
    """Steps of one slider while relocation's 2014 and 2026 are compared (``mode``): year B's
    (``atlas-year``, kept after 2014) or year A's (``atlas-year-a``, kept before 2026)."""
    context, page = probed_page(browser, viewport={"width": 1440, "height": 900})
    page.goto(base + f"/?theme=relocation&compare={mode}&a=2014&b=2026", wait_until="networkidle")
    page.wait_for_selector("#atlas-map-a .atlas-place", state="attached")
    low, high = (2015, 2026) if slider == "atlas-year" else (2014, 2025)
    handle = page.locator(f"#{slider} [role=slider]")
    handle.focus()
    measured, forward = [], slider != "atlas-year"
    for _ in range(steps):
        year = int(handle.get_attribute("aria-valuenow"))
        if year >= high:
            forward = False
        elif year <= low:
            forward = True
        measured.append(press_and_measure(page, "ArrowRight" if forward else "ArrowLeft"))
    context.close()
    return measured


def run_compare(browser: Browser, base: str, steps: int) -> None:
    """Issue 14: a slider step while comparing (both maps restyled in the browser) against a
    step of the one map, the same theme, in one run."""
    runs = {
        "one year (relocation)": lambda: slider_steps(browser, base, steps, "&theme=relocation"),
        "swipe, year B's slider": lambda: compare_steps(
            browser, base, steps, "swipe", "atlas-year"
        ),
        "side by side, year B's slider": lambda: compare_steps(
            browser, base, steps, "side", "atlas-year"
        ),
        "side by side, year A's slider": lambda: compare_steps(
            browser, base, steps, "side", "atlas-year-a"
        ),
    }
    for label, measure in runs.items():
        measured = measure()
        report_steps(label, measured)
        requests = [m.requests for m in measured]
        print(
            f"{label}: server requests per step: median {statistics.median(requests):g}, "
            f"max {max(requests)}",
            flush=True,
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(browser: Browser, base: str, steps: int) -> None:
    loads = [first_load(browser, base) for _ in range(3)]
    ms = statistics.median(m for m, _ in loads)
    print(f"first load → interactive map: median {ms:.0f} ms over 3 (target ≤ 1000 ms)")
    print(f"bytes transferred on first load: {loads[0][1]:,} (target ≤ 1,000,000)", flush=True)
    measured = slider_steps(browser, base, steps)
    repaints = [m.repaint for m in measured if m.repaint >= 0]
    if repaints:
        print(
            f"slider step → map repainted: median {statistics.median(repaints):.1f} ms, "
            f"p95 {percentile(repaints, 0.95):.1f} ms over {len(repaints)} steps "
        )
    else:
        print(f"slider step → map repainted: the map never changed in {len(measured)} steps")
    settled = [m.settled for m in measured if m.settled >= 0]
    if settled:
        print(
            f"slider step → page settled (last DOM change + a frame): "
            f"median {statistics.median(settled):.1f} ms, p95 {percentile(settled, 0.95):.1f} ms "
            f"over {len(settled)} steps (target p95 ≤ 60 ms)"
        )
    requests = [m.requests for m in measured]
    print(
        f"server requests per slider step (POST /_dash-update-component): "
        f"median {statistics.median(requests):g}, max {max(requests)} over {len(requests)} steps "
        "(target ≤ 1)",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
