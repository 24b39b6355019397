"""The scaled deployment (issue 15) when one of its processes dies, and Celery with PostGIS.

Every service is real and private to the test: ``redis-server``, ``atlas worker`` processes,
``atlas serve`` instances and a PostgreSQL + PostGIS cluster. What each test kills, and what a
planner must see then:

- an **app instance** killed mid-job (its gunicorn master and workers, SIGKILL): the proxy sends
  the page's next poll to the other instance, which finishes the job and delivers the file;
- **Redis** killed mid-job (SIGKILL; it comes back empty, as it keeps nothing on disk): the
  panel says the job was lost in one sentence and Export works again, the map and the slider
  keep working meanwhile, ``/ready`` says 503 and once Redis is back the retry succeeds on the
  worker that was running all along;
- **PostgreSQL** stopped while the atlas is served from PostGIS: the map keeps working from what
  the instance loaded, and adding a layer says in one sentence that it was not stored.

(The worker killed mid-job is in ``test_celery_jobs.py``.) The last test runs everything at
once: two instances and a worker on PostGIS and Redis, each instance with an uploads folder of
its own, so a planner's layer added on one reaches the other and the worker through PostGIS.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, Error, Page, Route

import pyogrio

from cli import main
from core.text import t
from tests.browser.test_export_jobs import (
    A4_150,
    WAIT,
    downloaded,
    downloads,
    open_panel,
    png_size,
    run_enabled,
    starts_a_job,
    status_is,
)
from tests.browser.test_user_layers import DISTRICTS, added, choose_file, step_to
from tests.harness import running_server, settle, watching
from tests.postgres import Postgres
from tests.services import (
    Gate,
    RedisServer,
    celery_worker,
    http_get,
    kill_instance,
    started_jobs,
    wait_started,
)

pytestmark = pytest.mark.slow


def failover(page: Page, primary: str, spare: str) -> list[str]:
    """Route the page's Dash requests as a proxy with a spare would: to ``primary`` while it
    answers, else to ``spare``. Returns the URLs the spare served."""
    spared: list[str] = []

    def route(request: Route) -> None:
        path = request.request.url[len(primary) :]
        try:
            request.fulfill(response=request.fetch())
        except Error:  # connection refused: the primary is gone
            spared.append(path)
            request.fulfill(response=request.fetch(url=spare + path))

    page.route("**/_dash-update-component*", route)
    return spared


def test_an_instance_killed_mid_job_the_other_finishes_and_delivers_it(
    browser: Browser, broker: str, tmp_path: Path
) -> None:
    gate = Gate(tmp_path)
    env = {"ATLAS_CELERY_BROKER": broker, "ATLAS_EXPORT_RATE": "1000"}
    with (
        running_server(**env) as a,
        running_server(**env) as b,
        celery_worker(broker, ATLAS_EXPORT_HOLD=str(gate.path)),
        watching(browser, a) as w,
    ):
        page = open_panel(w, "?theme=relocation&year=2021&lang=en")
        files = downloads(page)
        spared = failover(page, a, b)
        with page.expect_response(starts_a_job, timeout=WAIT):
            page.locator("#atlas-export-run").click()
        wait_started(broker)
        kill_instance(a)  # the job runs on the worker, held at the gate; A is gone
        with pytest.raises(OSError):  # refused or reset: nobody serves there
            http_get(a + "/healthz")
        gate.open()
        page.locator("#atlas-export-status").get_by_text("Created relocation_2021").wait_for(
            timeout=WAIT
        )
        assert png_size(page, files, tmp_path) == A4_150
        assert any("cacheKey" in path for path in spared)  # B polled it and delivered it
        w.screenshot("scale-instance-killed")


def test_redis_killed_mid_job_is_reported_and_the_retry_succeeds_once_it_is_back(
    browser: Browser, redis_service: RedisServer, tmp_path: Path
) -> None:
    broker = redis_service.url
    gate = Gate(tmp_path)
    env = {"ATLAS_CELERY_BROKER": broker, "ATLAS_EXPORT_RATE": "1000"}
    with (
        running_server(**env) as url,
        celery_worker(broker, ATLAS_EXPORT_HOLD=str(gate.path)) as worker,
        watching(browser, url) as w,
    ):
        page = open_panel(w, "?theme=corridor&year=2019&lang=en")
        known = started_jobs(broker)
        page.locator("#atlas-export-run").click()
        wait_started(broker, known)
        redis_service.kill()
        status_is(page, t("export.unreachable", "en"))
        run_enabled(page)
        w.screenshot("scale-redis-killed")
        assert http_get(url + "/ready")[0] == 503 and http_get(url + "/healthz") == (200, "ok")
        page.locator("#atlas-export-close").click()
        page.locator("#atlas-export-dialog").wait_for(state="hidden")  # the page is not inert
        step_to(page, 2020)  # the map and the panels do not need Redis
        assert page.locator("#atlas-year-label").inner_text().strip() == "2020"
        redis_service.start()  # empty: the lost job is gone for good
        gate.open()
        assert http_get(url + "/ready") == (200, "ready")
        worker.logged("Connected to redis://", count=2)  # the worker, running all along
        page.locator("#atlas-export-open").click()
        files = downloads(page)
        page.locator("#atlas-export-run").click()
        page.locator("#atlas-export-status").get_by_text("Created corridor_2020").wait_for(
            timeout=WAIT
        )
        assert png_size(page, files, tmp_path) == A4_150
        assert [e for e in w.errors if "/healthz" not in e and "503" not in e] == []


def atlas_db(postgres: Postgres) -> str:
    url = postgres.create_database(f"scale_{os.urandom(4).hex()}")
    assert main(["load-db", url]) == 0
    return url


def test_postgres_stopped_the_map_keeps_working_and_a_new_layer_says_it_was_not_stored(
    browser: Browser, postgres: Postgres
) -> None:
    data = atlas_db(postgres)
    with running_server(ATLAS_DATA=data) as url, watching(browser, url) as w:
        page = w.page
        page.goto(url + "/?lang=en&theme=relocation&year=2021")
        settle(page)
        postgres.stop("immediate")  # as a crash would
        try:
            step_to(page, 2022)
            assert page.locator("#atlas-year-label").inner_text().strip() == "2022"
            choose_file(page, "districts.csv", DISTRICTS)
            notice = page.locator("#atlas-user-message")
            notice.get_by_text("districts.csv was not stored").wait_for(timeout=WAIT)
            assert "try again later" in notice.inner_text()
            assert http_get(url + "/healthz") == (200, "ok")
            w.screenshot("scale-postgres-stopped")
        finally:
            postgres.start()
        choose_file(page, "districts.csv", DISTRICTS)  # the database is back: it is stored
        added(page, 1)


def test_on_postgis_and_celery_a_layer_added_on_one_instance_reaches_the_other_and_the_worker(
    browser: Browser, broker: str, postgres: Postgres, tmp_path: Path
) -> None:
    data = atlas_db(postgres)
    env = {"ATLAS_CELERY_BROKER": broker, "ATLAS_DATA": data, "ATLAS_EXPORT_RATE": "1000"}
    with (
        tempfile.TemporaryDirectory(prefix="atlas-worker-uploads-") as worker_uploads,
        running_server(**env) as a,  # each instance has an uploads folder of its own
        running_server(**env) as b,
        celery_worker(broker, ATLAS_DATA=data, ATLAS_UPLOADS_DIR=worker_uploads) as worker,
    ):
        with watching(browser, a) as first:
            page = first.page
            page.goto(a + "/?lang=en&theme=relocation&year=2021")
            settle(page)
            choose_file(page, "districts.csv", DISTRICTS)
            added(page, 1)
            worker.logged("atlas.layer", "succeeded")  # read on the worker, into PostGIS
            link = page.url
        with psycopg.connect(data) as conn:
            assert conn.execute("SELECT name FROM atlas_user_layers").fetchall() == [
                ("districts.csv",)
            ]
        assert "user=" in link
        with watching(browser, b) as other:
            other.page.goto(b + link[len(a) :])
            added(other.page, 1)
            page = open_panel(other, other.page.url[len(b) + 1 :], fmt="geojson")
            files = downloads(page)
            page.locator("#atlas-export-run").click()
            path = tmp_path / "export.geojson"
            downloaded(page, files)[0].save_as(path)
            assert other.errors == []
    frame = pyogrio.read_dataframe(path)  # as GDAL, and so a GIS, reads it
    mine = frame[frame["feature_type"] == "user"]
    assert len(mine) > 0 and set(mine["layer"]) == {"districts.csv"}
    assert {"place", "flow"} <= set(frame["feature_type"])  # the story's own features too


def test_a_worker_killed_while_reading_a_layer_is_one_sentence_and_the_retry_works(
    browser: Browser, broker: str, tmp_path: Path
) -> None:
    gate = Gate(tmp_path)
    uploads = str(tmp_path / "uploads")
    env = {"ATLAS_CELERY_BROKER": broker, "ATLAS_UPLOADS_DIR": uploads}
    with running_server(**env) as url, watching(browser, url) as w:
        page = w.page
        page.goto(url + "/?lang=en&theme=relocation&year=2021")
        settle(page)
        with celery_worker(
            broker, ATLAS_UPLOADS_DIR=uploads, ATLAS_EXPORT_HOLD=str(gate.path)
        ) as worker:
            choose_file(page, "districts.csv", DISTRICTS)
            wait_started(broker)
            worker.kill()  # mid-read: the file waits at the gate
        # whichever comes first, a sentence or the layer (read here after all), is what it did
        page.wait_for_function(
            """(reading) => {
              const said = document.querySelector('#atlas-user-message').textContent.trim();
              return (said !== '' && said !== reading)
                || document.querySelectorAll('.atlas-user-layer').length > 0;
            }""",
            arg=t("user.reading", "en", file="districts.csv"),
            timeout=WAIT,
        )
        said = page.locator("#atlas-user-message").inner_text()
        assert "districts.csv was not read: the worker reading it stopped" in said
        w.screenshot("scale-upload-worker-killed")
        gate.open()
        with celery_worker(broker, ATLAS_UPLOADS_DIR=uploads) as again:
            choose_file(page, "districts.csv", DISTRICTS)
            added(page, 1)
            again.logged("atlas.layer", "succeeded")
        assert [e for e in w.errors if "status of 400" not in e] == []  # 400: the refusal
