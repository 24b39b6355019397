"""Probe: N browsers ask for an export at the same moment; how much memory and how many render
processes does the server use?

Starts ``atlas serve`` (gunicorn, 2 workers) on a loopback port, opens N browser contexts in
Debian's headless Chromium, opens the export panel in each (PNG, A4, 300 dpi), clicks
"Create and download" in all of them, and until every panel shows an outcome samples the summed
RSS of the server and all its descendants and the number of export processes (descendants of
the gunicorn workers). Prints one JSON line.

    .venv/bin/python scripts/jobs_probe.py [--clients 24] [--timeout 900] [ENV=VALUE ...]

Extra ``ENV=VALUE`` arguments go to the server (e.g. ``ATLAS_EXPORT_JOBS=4``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.harness import launch_browser, running_server

OUTCOME = "(el) => el.textContent.trim() !== '' && !/^(排队|Waiting)/.test(el.textContent.trim())"


def _server_pid(url: str) -> int:
    port = urlsplit(url).port
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            proc = psutil.Process(conn.pid)
            while proc.parent() and port in _ports(proc.parent()):
                proc = proc.parent()
            return proc.pid
    raise RuntimeError(f"no process listens on {port}")


def _ports(proc: psutil.Process) -> set[int]:
    try:
        return {c.laddr.port for c in proc.net_connections("tcp") if c.status == "LISTEN"}
    except psutil.Error:
        return set()


class Sampler(threading.Thread):
    """Samples the server tree until stopped: peak summed RSS and peak export processes."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(root)
        self.peak_rss = 0
        self.peak_jobs = 0
        self.zombies = 0
        self.stop = threading.Event()

    def sample(self) -> None:
        try:
            workers = self.root.children()
            jobs = [p for w in workers for p in w.children(recursive=True)]
        except psutil.Error:
            return
        rss = 0
        live = 0
        for proc in [self.root, *workers, *jobs]:
            try:
                if proc.status() == psutil.STATUS_ZOMBIE:
                    continue
                rss += proc.memory_info().rss
                live += proc in jobs
            except psutil.Error:
                continue
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_jobs = max(self.peak_jobs, live)

    def zombie_count(self) -> int:
        return sum(
            1
            for w in self.root.children()
            for p in w.children(recursive=True)
            if p.status() == psutil.STATUS_ZOMBIE
        )

    def run(self) -> None:
        while not self.stop.wait(0.1):
            self.sample()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("env", nargs="*", help="ENV=VALUE for the server")
    args = parser.parse_args()
    env = dict(e.split("=", 1) for e in args.env)
    env.setdefault("ATLAS_CACHE_DIR", tempfile.mkdtemp(prefix="atlas-probe-"))
    env.setdefault("ATLAS_EXPORT_RATE", "1000")
    free_before = psutil.virtual_memory().available
    with running_server(**env) as url, sync_playwright() as p:
        browser = launch_browser(p.chromium)
        root = _server_pid(url)
        sampler = Sampler(root)
        baseline = 0
        pages = []
        for _ in range(args.clients):
            context = browser.new_context(viewport={"width": 1280, "height": 860})
            page = context.new_page()
            page.goto(url + "/?theme=relocation&year=2021", wait_until="networkidle")
            page.locator("#atlas-export-open").click()
            page.locator("#atlas-export-dialog").wait_for(state="visible")
            pages.append(page)
        sampler.sample()
        baseline = sampler.peak_rss
        sampler.start()
        started = time.monotonic()
        for page in pages:
            page.locator("#atlas-export-run").click()
        outcomes = []
        for page in pages:
            status = page.locator("#atlas-export-status")
            remaining = max(1.0, args.timeout - (time.monotonic() - started)) * 1000
            try:
                page.wait_for_function(
                    f"() => ({OUTCOME})(document.getElementById('atlas-export-status'))",
                    timeout=remaining,
                )
                outcomes.append(status.inner_text())
            except Exception as exc:
                outcomes.append(f"no outcome: {type(exc).__name__}")
        elapsed = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        zombies = sampler.zombie_count()
        browser.close()
    done = sum(1 for o in outcomes if o.startswith(("已生成", "Created")))
    print(
        json.dumps(
            {
                "clients": args.clients,
                "env": {k: v for k, v in env.items() if k != "ATLAS_CACHE_DIR"},
                "baseline_rss_mb": round(baseline / 1_048_576),
                "peak_rss_mb": round(sampler.peak_rss / 1_048_576),
                "peak_export_processes": sampler.peak_jobs,
                "zombies_after": zombies,
                "done": done,
                "other_outcomes": sorted(
                    {o for o in outcomes if not o.startswith(("已生成", "Created"))}
                ),
                "seconds": round(elapsed, 1),
                "free_mb_before": round(free_before / 1_048_576),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
