"""A real server (``atlas serve``: gunicorn) and a real headless Chromium (Debian's)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not answer within {seconds} s")


@contextmanager
def running_server(port: int | None = None, **env_extra: str) -> Iterator[str]:
    """``atlas serve`` (gunicorn) on a loopback port (free one by default), stopped by PID."""
    port = port or free_port()
    env = {**os.environ, "ATLAS_HOST": "127.0.0.1", "ATLAS_PORT": str(port), "ATLAS_WORKERS": "2"}
    env.update(env_extra)
    atlas_cmd = Path(sys.executable).with_name("atlas")
    proc = subprocess.Popen([str(atlas_cmd), "serve"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


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


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    with watching(browser, server) as w:
        yield w


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
    yield w
    context.close()


def _describe(request: Request) -> str:
    return f"{request.method} {request.url} ({request.failure})"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
