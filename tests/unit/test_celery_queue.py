"""``atlas export --queue`` and ``/ready`` against real services (issue 15): a private
``redis-server``, a real ``atlas worker`` and a real ``atlas serve``. The queued export writes
the same kind of file the local mode writes; with no worker alive, or a worker killed mid-job,
the command ends with one line and status 2 instead of waiting; ``/ready`` says 503 with its
reason once Redis is gone while ``/healthz`` stays 200."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.harness import running_server
from tests.services import (
    Gate,
    MissingServiceError,
    celery_worker,
    redis_server,
    started_jobs,
    until,
)

pytestmark = pytest.mark.slow

ATLAS = Path(sys.executable).with_name("atlas")
EXPORT = ["export", "--theme", "relocation", "--year", "2021", "--format", "png", "--dpi", "150"]


@pytest.fixture
def broker() -> Iterator[str]:
    try:
        with redis_server() as url:
            yield url
    except MissingServiceError as exc:
        pytest.fail(str(exc))


def atlas(broker: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ATLAS_CELERY_BROKER": broker}
    return subprocess.Popen(
        [str(ATLAS), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_queued_export_is_rendered_by_a_worker_and_written(broker: str, tmp_path: Path) -> None:
    out = tmp_path / "queued.png"
    with celery_worker(broker) as worker:
        done = atlas(broker, *EXPORT, "--queue", "--out", str(out))
        stdout, stderr = done.communicate(timeout=300)
        assert done.returncode == 0, stderr
        assert stdout.startswith(f"wrote {out} (")
        until(lambda: any("atlas.export_file" in x and "succeeded" in x for x in worker.log),
              "the worker logged the export")  # fmt: skip
    with Image.open(out) as image:
        assert (image.format, image.size) == ("PNG", (1754, 1240))


def test_a_queued_export_without_a_worker_or_with_a_killed_one_ends_in_one_line(
    broker: str, tmp_path: Path
) -> None:
    lonely = atlas(broker, *EXPORT, "--queue", "--out", str(tmp_path / "never.png"))
    _, stderr = lonely.communicate(timeout=300)
    assert lonely.returncode == 2
    assert stderr == "atlas: no export worker is running (start one with `atlas worker`)\n"
    gate = Gate(tmp_path)
    with celery_worker(broker, ATLAS_EXPORT_HOLD=str(gate.path)) as worker:
        killed = atlas(broker, *EXPORT, "--queue", "--out", str(tmp_path / "killed.png"))
        until(lambda: started_jobs(broker), "the worker started the export")
        worker.kill()
        _, stderr = killed.communicate(timeout=300)
    gate.open()
    assert killed.returncode == 2
    assert stderr == "atlas: the export worker stopped before it finished; run the export again\n"
    assert not (tmp_path / "killed.png").exists()


def test_queue_needs_a_broker(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_CELERY_BROKER"}
    run = subprocess.run(
        [str(ATLAS), *EXPORT, "--queue", "--out", str(tmp_path / "x.png")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr == (
        "atlas: --queue needs ATLAS_CELERY_BROKER (redis://HOST:PORT/DB) to be set\n"
    )


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_ready_says_503_with_its_reason_once_redis_is_gone(tmp_path: Path) -> None:
    try:
        redis = redis_server()
        broker = redis.__enter__()
    except MissingServiceError as exc:
        pytest.fail(str(exc))
    try:
        with running_server(ATLAS_CELERY_BROKER=broker) as url:
            assert get(url + "/ready") == (200, "ready")
            redis.__exit__(None, None, None)
            redis = None
            status, text = get(url + "/ready")
            assert status == 503
            assert text.startswith("the export job store (Redis) does not answer: ")
            assert "\n" not in text
            assert get(url + "/healthz") == (200, "ok")  # alive, only not ready
    finally:
        if redis is not None:
            redis.__exit__(None, None, None)
