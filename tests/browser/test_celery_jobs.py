"""Export jobs on Celery + Redis (issue 15) with real services: a private ``redis-server``, real
``atlas worker`` processes and two ``atlas serve`` instances sharing that Redis and one uploads
folder. An export made through the panel runs on a worker and downloads; a worker killed mid-job
is reported as stopped and a retry on a restarted worker succeeds; a job started through one
instance finishes and downloads through the other; a planner's file is read on a worker, and
share links made on one instance open on the other."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from core.text import t
from tests.browser.test_export_jobs import (
    A4_150,
    WAIT,
    downloads,
    open_panel,
    png_size,
    run_enabled,
    starts_a_job,
    status_is,
)
from tests.browser.test_user_layers import DISTRICTS, added, choose_file, shapes
from tests.harness import running_server, settle, watching
from tests.services import Gate, celery_worker, started_jobs, wait_started

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def uploads() -> Iterator[str]:
    """One uploads folder (planners' layers) for both instances and the workers."""
    with tempfile.TemporaryDirectory(prefix="atlas-shared-uploads-") as folder:
        yield folder


@pytest.fixture(scope="module")
def instances(shared_broker: str, uploads: str) -> Iterator[tuple[str, str]]:
    """Two app instances (two gunicorn masters on two ports) on one Redis and one uploads
    folder, as behind a load balancer."""
    env = {
        "ATLAS_CELERY_BROKER": shared_broker,
        "ATLAS_UPLOADS_DIR": uploads,
        "ATLAS_EXPORT_RATE": "1000",
    }
    with running_server(**env) as a, running_server(**env) as b:
        yield a, b


def test_a_panel_export_runs_on_a_celery_worker_and_downloads(
    browser: Browser, shared_broker: str, instances: tuple[str, str], tmp_path: Path
) -> None:
    a, _ = instances
    with celery_worker(shared_broker) as worker, watching(browser, a) as w:
        page = open_panel(w, "?theme=relocation&year=2021")
        files = downloads(page)
        page.locator("#atlas-export-run").click()
        page.locator("#atlas-export-status").get_by_text("relocation_2021").wait_for(timeout=WAIT)
        assert png_size(page, files, tmp_path) == A4_150
        assert files[0].suggested_filename == "relocation_2021_zh_a4-landscape_150dpi.png"
        assert page.locator("#atlas-export-command").inner_text().startswith("atlas export")
        worker.logged("atlas.background.", "succeeded")
        assert [e for e in w.errors if "/healthz" not in e] == []


def test_a_killed_worker_is_reported_and_a_retry_succeeds_on_a_new_worker(
    browser: Browser, shared_broker: str, instances: tuple[str, str], tmp_path: Path
) -> None:
    a, _ = instances
    gate = Gate(tmp_path)
    with watching(browser, a) as w:
        page = open_panel(w, "?theme=overview&year=2020&lang=en")
        with celery_worker(shared_broker, ATLAS_EXPORT_HOLD=str(gate.path)) as worker:
            known = started_jobs(shared_broker)
            page.locator("#atlas-export-run").click()
            wait_started(shared_broker, known)
            worker.kill()  # mid-job: the job waits at the gate
        status_is(page, t("export.killed", "en"))
        run_enabled(page)
        assert page.locator("#atlas-export-command").inner_text() == ""
        w.screenshot("celery-worker-killed")
        gate.open()
        with celery_worker(shared_broker):  # a restarted worker: the user's retry succeeds
            files = downloads(page)
            page.locator("#atlas-export-run").click()
            page.locator("#atlas-export-status").get_by_text("Created").wait_for(timeout=WAIT)
            assert png_size(page, files, tmp_path) == A4_150


def test_the_panel_in_chinese_says_the_worker_stopped(
    browser: Browser, shared_broker: str, instances: tuple[str, str], tmp_path: Path
) -> None:
    _, b = instances
    gate = Gate(tmp_path)
    with watching(browser, b) as w:
        page = open_panel(w, "?theme=hubs&year=2022", fmt="svg")
        with celery_worker(shared_broker, ATLAS_EXPORT_HOLD=str(gate.path)) as worker:
            known = started_jobs(shared_broker)
            page.locator("#atlas-export-run").click()
            wait_started(shared_broker, known)
            worker.kill()
        status_is(page, t("export.killed", "zh"))
        run_enabled(page)
    gate.open()


def test_a_job_started_on_one_instance_finishes_and_downloads_on_the_other(
    browser: Browser, shared_broker: str, instances: tuple[str, str], tmp_path: Path
) -> None:
    a, b = instances
    served_by_b: list[str] = []

    def to_b(route: Route) -> None:
        """The load balancer sends this request to instance B."""
        url = b + route.request.url[len(a) :]
        served_by_b.append(url)
        route.fulfill(response=route.fetch(url=url))

    with celery_worker(shared_broker), watching(browser, a) as w:
        page = open_panel(w, "?theme=corridor&year=2023&lang=en")
        files = downloads(page)
        with page.expect_response(starts_a_job, timeout=WAIT) as first:
            page.locator("#atlas-export-run").click()
        assert first.value.url.startswith(a)  # the job was queued through A
        page.route("**/_dash-update-component*", to_b)  # from now on every request goes to B
        page.locator("#atlas-export-status").get_by_text("Created corridor_2023").wait_for(
            timeout=WAIT
        )
        assert png_size(page, files, tmp_path) == A4_150
        assert any("cacheKey" in u for u in served_by_b)  # B polled it and delivered the file
        assert [e for e in w.errors if "/healthz" not in e] == []


def test_share_links_made_on_one_instance_open_on_the_other(
    browser: Browser, shared_broker: str, uploads: str, instances: tuple[str, str]
) -> None:
    """The planner's file is read by the worker (not by instance A's web process) into the
    shared layer store; the link made on A opens on B with the layer drawn alike."""
    a, b = instances
    with (
        celery_worker(shared_broker, ATLAS_UPLOADS_DIR=uploads) as worker,
        watching(browser, a) as first,
    ):
        page = first.page
        page.goto(a + "/?lang=en&theme=relocation&year=2021")
        settle(page)
        page.locator("#atlas-step-forward").click()
        page.wait_for_function("() => location.search.includes('year=2022')")
        choose_file(page, "districts.csv", DISTRICTS)  # read on the worker, stored for all
        added(page, 1)
        worker.logged("atlas.layer", "succeeded")
        link = page.url
        legend = page.locator(".atlas-user-legend-rows li").all_inner_texts()
    assert link.startswith(a) and "user=" in link and "theme=relocation" in link
    with watching(browser, b) as other:
        other.page.goto(b + link[len(a) :])
        added(other.page, 1)
        assert "theme=relocation" in other.page.url and "year=2022" in other.page.url
        assert other.page.locator("#atlas-year-label").inner_text().strip() == "2022"
        assert other.page.locator(".atlas-user-legend-rows li").all_inner_texts() == legend
        assert shapes(other.page) > 0
        assert other.page.locator("#atlas-notice").is_hidden()
        assert other.errors == []
