"""Kiosk soak: run the tour in headless Chromium and report the JS heap over time.

    .venv/bin/python scripts/soak.py [--minutes 10] [--scene-seconds 6] [--url URL]

Samples the JS heap (after a forced garbage collection) and the DOM node count every minute,
so growth without bound shows as a rising series. Without --url it starts its own server.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.harness import launch_browser, running_server


def soak(url: str, minutes: int) -> None:
    with sync_playwright() as p:
        browser = launch_browser(p.chromium)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url + "/?kiosk=1", wait_until="networkidle")
        start = time.monotonic()
        scenes = set()
        for minute in range(1, minutes + 1):
            while time.monotonic() - start < minute * 60:
                scenes.add(page.evaluate("document.documentElement.dataset.kioskScene"))
                page.wait_for_timeout(1000)
            cdp.send("HeapProfiler.collectGarbage")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            print(
                f"minute {minute:>2}: JS heap {metrics['JSHeapUsedSize'] / 1e6:6.1f} MB, "
                f"DOM nodes {int(metrics['Nodes']):>6}, scenes seen {len(scenes)}",
                flush=True,
            )
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--scene-seconds", default="6")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.url:
        soak(args.url, args.minutes)
    else:
        with running_server(ATLAS_TOUR_SCENE_SECONDS=args.scene_seconds) as url:
            soak(url, args.minutes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
