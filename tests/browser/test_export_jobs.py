"""Bounded, speaking export jobs (issue 12) on a real server with real browsers: more requests
than the cap wait and see their place while at most <cap> job processes exist; a killed job, a
full or read-only store and a client over its rate each end in one sentence with Run usable
again; two identical requests from two browsers both get their file."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from PIL import Image
from playwright.sync_api import Browser, Download, Page, Response

from core.text import t
from tests.baddata import tmpfs
from tests.harness import Watched, running_server, watching

WAIT = 120_000  # ms; generous waits on state, not timing thresholds


def server_process(url: str) -> psutil.Process:
    """The gunicorn master listening on ``url``'s port."""
    port = urlsplit(url).port
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            proc = psutil.Process(conn.pid)
            while (parent := proc.parent()) and parent.cmdline()[-1:] == ["serve"]:
                proc = parent  # a worker: its master is the server
            return proc
    raise AssertionError(f"nothing listens on {port}")


def job_processes(master: psutil.Process) -> list[psutil.Process]:
    """Live export processes: what the gunicorn workers have forked."""
    out = []
    for worker in master.children():
        for proc in worker.children(recursive=True):
            try:
                if proc.status() != psutil.STATUS_ZOMBIE:
                    out.append(proc)
            except psutil.NoSuchProcess:
                continue
    return out


class Counter(threading.Thread):
    """Counts export processes until stopped; ``peak`` is the most seen at once."""

    def __init__(self, master: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, len(job_processes(self.master)))


@contextmanager
def server(**env: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="atlas-jobs-") as cache:
        env.setdefault("ATLAS_CACHE_DIR", cache)
        with running_server(**env) as url:
            yield url


@pytest.fixture(scope="module")
def capped() -> Iterator[str]:
    with server(ATLAS_EXPORT_JOBS="1", ATLAS_EXPORT_RATE="1000") as url:
        yield url


def open_panel(w: Watched, query: str, fmt: str = "png", dpi: str = "150") -> Page:
    page = w.page
    page.goto(w.base + "/" + query, wait_until="networkidle", timeout=WAIT)
    page.wait_for_selector(".atlas-card", state="attached")
    page.locator("#atlas-export-open").click()
    page.locator("#atlas-export-dialog").wait_for(state="visible")
    page.locator(f"#atlas-export-format input[value='{fmt}']").check()
    if fmt == "png":
        page.locator(f"#atlas-export-dpi input[value='{dpi}']").check()
    return page


def downloads(page: Page) -> list[Download]:
    got: list[Download] = []
    page.on("download", lambda d: got.append(d))
    return got


def downloaded(page: Page, files: list[Download]) -> list[Download]:
    """``files`` once the page's download has arrived. The sync API delivers events only
    inside its calls, so one that has not arrived by now is caught by waiting for it."""
    if not files:
        page.wait_for_event("download", timeout=WAIT)
    return files


A4_150 = (1754, 1240)  # A4 landscape at 150 dpi, in pixels


def png_size(page: Page, files: list[Download], folder: Path) -> tuple[int, int]:
    """The pixel size of the page's downloaded PNG (saved into ``folder`` and opened)."""
    path = folder / "export.png"
    downloaded(page, files)[0].save_as(path)
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def starts_a_job(response: Response) -> bool:
    """The export callback's first answer: by then the server has queued (or started) its job."""
    request = response.request
    return (
        request.method == "POST"
        and urlsplit(response.url).path.endswith("/_dash-update-component")
        and "cacheKey" not in response.url  # polls carry the job's handles in the query
        and "atlas-export-run.n_clicks" in (request.post_data or "")
    )


def status_is(page: Page, text: str) -> None:
    page.wait_for_function(
        "(t) => document.getElementById('atlas-export-status').textContent === t",
        arg=text,
        timeout=WAIT,
    )


def run_enabled(page: Page) -> None:
    page.wait_for_function(
        "() => !document.getElementById('atlas-export-run').disabled", timeout=WAIT
    )


def test_more_requests_than_the_cap_queue_show_their_place_and_all_finish(
    browser: Browser, capped: str
) -> None:
    master = server_process(capped)
    with (
        watching(browser, capped) as a,
        watching(browser, capped) as b,
        watching(browser, capped) as c,
    ):
        pages = [
            open_panel(a, "?theme=overview&year=2020", dpi="600"),
            open_panel(b, "?theme=relocation&year=2021&lang=en"),
            open_panel(c, "?theme=hubs&year=2022"),
        ]
        got = [downloads(p) for p in pages]
        counter = Counter(master)
        counter.start()
        for page in pages:
            page.locator("#atlas-export-run").click()
        # while the first (a slow A4 600 dpi page) runs, the others wait and say where they are
        status_is(pages[1], "Waiting: 1 ahead of you.")
        status_is(pages[2], t("export.waiting", "zh", n=2))
        c.screenshot("export-queued")
        for page, files in zip(pages, got, strict=True):
            page.wait_for_function(
                "() => document.getElementById('atlas-export-status').textContent"
                ".match(/^(已生成|Created)/)",
                timeout=WAIT * 3,
            )
            run_enabled(page)
            assert len(downloaded(page, files)) == 1
        counter.done.set()
        counter.join()
        assert counter.peak == 1  # the cap: never more than one export process at once
        assert [f[0].suggested_filename.split("_")[0] for f in got] == [
            "overview",
            "relocation",
            "hubs",
        ]
        for w in (a, b, c):  # (a /healthz poll the page gives up on is load, not an error)
            assert [e for e in w.errors if "/healthz" not in e] == []
    # no finished job lingers as a zombie
    zombies = [
        p
        for worker in master.children()
        for p in worker.children(recursive=True)
        if p.status() == psutil.STATUS_ZOMBIE
    ]
    assert zombies == []


def test_identical_exports_from_two_browsers_both_get_their_file(
    browser: Browser, capped: str
) -> None:
    with watching(browser, capped) as a, watching(browser, capped) as b:
        pages = [open_panel(w, "?theme=relocation&year=2021") for w in (a, b)]
        got = [downloads(p) for p in pages]
        for page in pages:
            page.locator("#atlas-export-run").click()
        for page, files in zip(pages, got, strict=True):
            page.locator("#atlas-export-status").get_by_text("relocation_2021").wait_for(
                timeout=WAIT
            )
            assert [f.suggested_filename for f in downloaded(page, files)] == [
                "relocation_2021_zh_a4-landscape_150dpi.png"
            ]
        for w in (a, b):  # (a /healthz poll the page gives up on is load, not an error)
            assert [e for e in w.errors if "/healthz" not in e] == []


def test_a_killed_job_says_so_and_run_works_again(browser: Browser, capped: str) -> None:
    master = server_process(capped)
    with watching(browser, capped) as w:
        page = open_panel(w, "?theme=overview&year=2020&lang=en", dpi="600")
        with page.expect_response(starts_a_job, timeout=WAIT):
            page.locator("#atlas-export-run").click()
        page.locator("#atlas-export-progress").wait_for(state="visible", timeout=WAIT)
        victims = job_processes(master)  # a free slot: started while the request was handled
        assert victims
        for proc in victims:
            proc.kill()
        status_is(page, t("export.killed", "en"))
        run_enabled(page)
        assert page.locator("#atlas-export-command").inner_text() == ""
        shot = w.screenshot("export-killed")
        assert shot.exists()
        # Run works again
        page.locator("#atlas-export-format input[value='csv']").check()
        with page.expect_download(timeout=WAIT) as download:
            page.locator("#atlas-export-run").click()
        assert download.value.suggested_filename.endswith(".csv")


def test_a_client_over_its_rate_is_told_to_wait(browser: Browser) -> None:
    with server(ATLAS_EXPORT_RATE="1") as url, watching(browser, url) as w:
        page = open_panel(w, "?theme=hubs&year=2022&lang=en", fmt="csv")
        with page.expect_download(timeout=WAIT):
            page.locator("#atlas-export-run").click()
        page.locator("#atlas-export-status").get_by_text("Created").wait_for(timeout=WAIT)
        page.locator("#atlas-export-run").click()
        page.wait_for_function(
            "() => document.getElementById('atlas-export-status').textContent"
            ".startsWith('Too many exports from this computer; please try again in ')",
            timeout=WAIT,
        )
        run_enabled(page)
        assert page.locator("#atlas-export-command").inner_text() == ""
        w.screenshot("export-rate")


def test_a_full_or_read_only_store_is_reported_and_the_app_keeps_serving(
    browser: Browser,
) -> None:
    with (
        tmpfs("size=8m") as store,
        server(ATLAS_CACHE_DIR=str(store)) as url,
        watching(browser, url) as w,
    ):
        page = open_panel(w, "?theme=relocation&year=2021&lang=en")
        # full: a file takes every free byte
        filler = store / "filler"
        subprocess.run(
            ["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False
        )
        page.locator("#atlas-export-run").click()
        status_is(page, t("export.storage", "en"))
        run_enabled(page)
        w.screenshot("export-store-full")
        filler.unlink()
        # read-only: the folder is mounted again over itself, read-only (what the server
        # has open stays as it was; everything it opens from now on is read-only)
        subprocess.run(["mount", "--bind", str(store), str(store)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(store)], check=True)
            page.locator("#atlas-export-lang input[value='zh']").check()  # a new sentence
            page.locator("#atlas-export-run").click()
            status_is(page, t("export.storage", "zh"))
            run_enabled(page)
            w.screenshot("export-store-read-only")
            # the app keeps serving: pages and the dashboard's callbacks
            with urllib.request.urlopen(url + "/", timeout=60) as r:
                assert r.status == 200
            page.locator("#atlas-export-close").click()
            page.locator("#atlas-step-forward").click()
            page.wait_for_function("() => location.search.includes('year=2022')")
        finally:
            subprocess.run(["umount", "-l", str(store)], check=True)

    assert not os.path.ismount(store)
