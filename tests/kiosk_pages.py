"""What the kiosk browser tests share: the test settings, the shipped tour's scene names and
waits on the scene the kiosk shows."""

from __future__ import annotations

from playwright.sync_api import Page

KIOSK_ENV = {"ATLAS_TOUR_SCENE_SECONDS": "2", "ATLAS_KIOSK_IDLE": "3"}
SCENES = [
    "bridgehead",
    "hubs",
    "dahongmen-before",
    "dahongmen-then-now",
    "dahongmen-after",
    "corridor",
    "synergy",
    "services",
]


def scene(page: Page) -> str | None:
    return page.evaluate("document.documentElement.dataset.kioskScene || null")


def wait_scene(page: Page, name: str, timeout: float = 20_000) -> None:
    page.wait_for_function(
        f"() => document.documentElement.dataset.kioskScene === '{name}'", timeout=timeout
    )


def open_kiosk(page: Page, base: str, width: int = 1920, height: int = 1080) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base + "/?kiosk=1", wait_until="networkidle")
    wait_scene(page, "bridgehead")


def pause_clock(page: Page) -> None:
    """Stop the page's clock (installed with ``page.clock.install()`` before the page opened):
    its timers, among them the tour's ticks, then fire only as ``page.clock.run_for`` moves it on.
    The clock jumps ahead at most 1 s on the way, which fires each timer due by then once."""
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
