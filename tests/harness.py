"""Helpers shared by the browser tests and the scripts: a real server (``atlas serve``:
gunicorn) on a loopback port, Debian's headless Chromium, a page whose requests and console
errors are recorded, and waits on page state (never on a fixed delay)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserType, ConsoleMessage, Page, Request

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("ATLAS_SCREENSHOTS", "/tmp/atlas-screenshots"))
# Page time (on Playwright's fake clock, ``page.clock.run_for``) given to a map fly-to to land:
# Leaflet's flyTo runs on requestAnimationFrame and Date.now, and the atlas's flights (the
# kiosk's scene changes included) take under 2 s. Kept under the 2.5 s after which the page
# gives up on a /healthz poll, so no poll is started and abandoned within one run.
FLIGHT_MS = 2000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_server(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Until ``url`` answers 200, the server process exits, or ``seconds`` have passed.

    Waits on conditions, not a poll: the server's log saying its socket is bound (read by
    :class:`Log`), then one request, which the socket's backlog holds until a worker
    takes it.
    """
    deadline = time.monotonic() + seconds
    server_log: Log = proc.log  # type: ignore[attr-defined]
    if not server_log.wait_for("Listening at:", seconds=seconds) or proc.poll() is not None:
        raise RuntimeError(f"server at {url} did not start (exit status {proc.poll()})")
    try:
        with urllib.request.urlopen(url, timeout=max(0.1, deadline - time.monotonic())) as r:
            if r.status == 200:
                return
    except OSError as exc:
        raise RuntimeError(f"server at {url} did not answer within {seconds} s: {exc}") from exc
    raise RuntimeError(f"server at {url} answered {r.status}")


class Log:
    """The lines a process writes to ``stream``, passed through to our stderr as they come and
    kept in ``lines``; :meth:`wait_for` wakes on each new line (no polling)."""

    def __init__(self, stream: IO[bytes], lines: list[str] | None = None) -> None:
        self.lines = lines if lines is not None else []
        self.changed = threading.Condition()
        self.ended = False
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[bytes]) -> None:
        for line in stream:
            sys.stderr.buffer.write(line)
            sys.stderr.flush()
            with self.changed:
                self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def has(self, *parts: str, count: int = 1) -> bool:
        """Whether ``count`` lines so far hold every one of ``parts``."""
        return sum(all(part in line for part in parts) for line in self.lines) >= count

    def wait_for(self, *parts: str, seconds: float, count: int = 1) -> bool:
        """Whether ``count`` lines holding every one of ``parts`` came within ``seconds``
        (``False`` at once when the output ends without them: the process died)."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.has(*parts, count=count) or self.ended, timeout=seconds
            )
            return self.has(*parts, count=count)


@contextmanager
def running_server(
    port: int | None = None,
    *,
    log: list[str] | None = None,
    cwd: Path | None = None,
    **env_extra: str,
) -> Iterator[str]:
    """``atlas serve`` (gunicorn) on a loopback port (free one by default), stopped by PID.
    ``log`` keeps the server's log lines; ``cwd`` serves another checkout with this venv."""
    port = port or free_port()
    env = {**os.environ, "ATLAS_HOST": "127.0.0.1", "ATLAS_PORT": str(port), "ATLAS_WORKERS": "2"}
    uploads = tempfile.mkdtemp(prefix="atlas-test-uploads-")  # planners' layers: the test's own
    env["ATLAS_UPLOADS_DIR"] = uploads
    env.update(env_extra)
    if cwd is not None:
        env["PYTHONPATH"] = str(cwd)
        cmd = [sys.executable, "-m", "cli", "serve"]
    else:
        cmd = [str(Path(sys.executable).with_name("atlas")), "serve"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, cwd=cwd)
    assert proc.stderr is not None
    proc.log = Log(proc.stderr, log)  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url + "/", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(uploads, ignore_errors=True)


def launch_browser(chromium: BrowserType) -> Browser:
    """Debian's Chromium, headless (Playwright's own browser builds are never downloaded)."""
    return chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@dataclass
class Watched:
    """A page plus every request it made and every console error it logged."""

    page: Page
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def external_requests(self) -> list[str]:
        own = urlsplit(self.base).netloc
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own
        ]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@contextmanager
def watching(browser: Browser, base: str) -> Iterator[Watched]:
    """A fresh browser context whose requests and console errors are recorded."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    w = Watched(page, base)
    page.on("request", lambda r: w.requests.append(r.url))

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            w.errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: w.errors.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda r: w.errors.append(f"request failed: {_describe(r)}"))
    try:
        yield w
    finally:
        context.close()


def _describe(request: Request) -> str:
    return f"{request.method} {request.url} ({request.failure})"


# --- waits on page state ---------------------------------------------------------------------

# Dash is idle when no callback (server or clientside) is requested, running or being applied:
# the renderer's own ``isLoading`` (what draws its ``._dash-loading-callback`` element), read
# from its store; before the renderer has made its store, Dash is not idle either.
DASH_IDLE = """() => {
  const stores = window.dash_stores || (window.store ? [window.store] : []);
  if (!stores.length) { return false; }
  return !stores.some((s) => s.getState().isLoading)
    && document.querySelector('._dash-loading-callback') === null;
}"""

TWO_FRAMES = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))"""


def dash_idle(page: Page, timeout: float = 30_000) -> None:
    """Until Dash has no callback pending."""
    page.wait_for_function(DASH_IDLE, timeout=timeout)


def settle(page: Page, timeout: float = 30_000) -> None:
    """Until Dash is idle and the browser has drawn what it rendered (two animation frames, so
    React commits and Leaflet redraws that follow the last callback are on screen)."""
    dash_idle(page, timeout)
    page.evaluate(TWO_FRAMES)
    dash_idle(page, timeout)


# Where the map is: every Leaflet pane's and vector layer's transform (a flight moves the map
# pane, rescales the vector layers and moves every marker, frame by frame).
MAP_POSE = """() => [...document.querySelectorAll(['.leaflet-pane', '.leaflet-overlay-pane svg',
    '.leaflet-marker-icon'].map((s) => '#atlas-map ' + s).join(', '))]
  .map((e) => e.style.transform).join(';')"""


def landed(page: Page, tries: int = 10) -> None:
    """Until the map's flight has landed: moves the page clock on (installed with
    ``page.clock.install()``) by ``FLIGHT_MS`` and settles, until the map stands where it stood
    one step before. A flight that starts a moment after the step that should have landed it
    (the viewport reaches Leaflet on React's next render) is then still waited for."""
    before = None
    for _ in range(tries):
        page.clock.run_for(FLIGHT_MS)
        settle(page)
        pose = page.evaluate(MAP_POSE)
        if pose == before:
            return
        before = pose
    raise AssertionError(f"the map still moves after {tries} flights' time")


# Whether the map has stood still for STILL_POLLS polls in a row (polled every STILL_POLL_MS):
# for pages whose clock runs in real time, where a flight that starts on React's next render
# cannot be waited for by moving the clock.
STILL_POLLS = 5
STILL_POLL_MS = 100
STILL = f"""() => {{
  const pose = ({MAP_POSE})();
  const s = window.__atlasStill || (window.__atlasStill = {{pose: null, n: 0}});
  if (pose === s.pose) {{ s.n += 1; }} else {{ s.pose = pose; s.n = 0; }}
  return s.n >= {STILL_POLLS};
}}"""


def still(page: Page, timeout: float = 30_000) -> None:
    """Until the map has stopped moving (real time; see ``landed`` for a page whose clock the
    test moves)."""
    page.evaluate("() => { window.__atlasStill = null; }")
    page.wait_for_function(STILL, polling=STILL_POLL_MS, timeout=timeout)


def images_done(page: Page, timeout: float = 30_000) -> None:
    """Until every image in the document has loaded or failed (an ``onerror`` fires in the
    same task that marks a broken image complete)."""
    page.wait_for_function("() => [...document.images].every((i) => i.complete)", timeout=timeout)


def animations_done(page: Page, timeout: float = 30_000) -> None:
    """Until no CSS transition or animation is running (e.g. a tooltip fading in)."""
    page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')",
        timeout=timeout,
    )
