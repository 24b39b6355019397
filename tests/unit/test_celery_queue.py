"""``atlas export --queue``, ``atlas check-data`` and ``/ready`` against real services (issue
15): a private ``redis-server``, a real ``atlas worker`` and a real ``atlas serve``. The queued
export writes the same kind of file the local mode writes, waiting in the panels' queue under
their cap; with no worker alive, or a worker killed mid-job, the command ends with one line and
status 2 instead of waiting; ``check-data`` says whether Redis answers and how many workers
live; ``/ready`` says 503 with its reason once Redis is gone while ``/healthz`` stays 200."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from exports.admission import STATE
from exports.celeryjobs import Heartbeat, beat_key, started_key
from exports.redisstore import RedisCache
from tests.harness import running_server
from tests.services import (
    Gate,
    RedisServer,
    celery_worker,
    http_get,
    started_jobs,
    wait_for_keys,
    wait_started,
)

pytestmark = pytest.mark.slow

ATLAS = Path(sys.executable).with_name("atlas")
EXPORT = ["export", "--theme", "relocation", "--year", "2021", "--format", "png", "--dpi", "150"]


def atlas(broker: str, *args: str, **env_extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ATLAS_CELERY_BROKER": broker, **env_extra}
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
        worker.logged("atlas.export_file", "succeeded")
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
        wait_started(broker)
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


def test_ready_says_503_with_its_reason_once_redis_is_gone(redis_service: RedisServer) -> None:
    with running_server(ATLAS_CELERY_BROKER=redis_service.url) as url:
        assert http_get(url + "/ready") == (200, "ready")
        redis_service.kill()
        status, text = http_get(url + "/ready")
        assert status == 503
        assert text.startswith("the export job store (Redis) does not answer: ")
        assert "\n" not in text
        assert http_get(url + "/healthz") == (200, "ok")  # alive, only not ready


def test_queued_exports_wait_in_the_panels_queue_under_its_cap(broker: str, tmp_path: Path) -> None:
    """ATLAS_EXPORT_JOBS=1: the second command's export waits in the shared queue although the
    worker has a free process, says its place, and runs once the first is done."""
    gate = Gate(tmp_path)
    out = [tmp_path / "first.png", tmp_path / "second.png"]
    with celery_worker(broker, concurrency=2, ATLAS_EXPORT_HOLD=str(gate.path)):
        first = atlas(broker, *EXPORT, "--queue", "--out", str(out[0]), ATLAS_EXPORT_JOBS="1")
        wait_started(broker)
        second = atlas(broker, *EXPORT, "--queue", "--out", str(out[1]), ATLAS_EXPORT_JOBS="1")
        assert second.stderr is not None
        said = second.stderr.readline()
        assert said == "waiting for a free export worker: 1 ahead in the queue\n"
        state = RedisCache(broker).get(STATE)
        assert (len(state["running"]), len(state["queue"])) == (1, 1)  # what the panels see
        assert len(started_jobs(broker)) == 1
        gate.open()
        for proc, path in zip((first, second), out, strict=True):
            stdout, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr
            assert stdout.startswith(f"wrote {path} (")
    for path in out:
        with Image.open(path) as image:
            assert (image.format, image.size) == ("PNG", (1754, 1240))
    assert RedisCache(broker).get(STATE) == {"queue": [], "running": {}}


def check_data(broker: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATLAS_CELERY_BROKER": broker}
    return subprocess.run(
        [str(ATLAS), "check-data"], env=env, capture_output=True, text=True, timeout=300
    )


def test_check_data_says_whether_redis_answers_and_how_many_workers_live(
    redis_service: RedisServer,
) -> None:
    broker = redis_service.url
    done = check_data(broker)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith(
        f"; export jobs on Redis {broker}: answers; "
        "no export worker alive yet (start one with `atlas worker`)"
    )
    with celery_worker(broker):
        wait_for_keys(broker, "atlas:atlas-workers:*", "the worker's heartbeat")
        done = check_data(broker)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith(f"{broker}: answers; 1 export worker alive")
    # a password in the URL (any password opens a Redis without one) is never printed
    secret = broker.replace("redis://", "redis://:s3cret-pass@")
    done = check_data(secret)
    assert done.returncode == 0, done.stderr
    assert f"export jobs on Redis {broker}: answers" in done.stdout
    assert "s3cret" not in done.stdout + done.stderr
    redis_service.kill()
    for url in (broker, secret):
        done = check_data(url)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith(
            f"atlas: the export job store (Redis) at {broker} does not answer: "
        )
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert "s3cret" not in done.stderr


def test_a_jobs_first_beat_and_started_mark_are_one_transaction(broker: str) -> None:
    """A worker killed between two separate writes would leave a beat without "started": once
    the beat expired, the web would take the job for never started (and read an upload again
    itself instead of saying the worker stopped). Redis's MONITOR shows what reached it."""
    import redis

    store = RedisCache(broker)
    with redis.Redis.from_url(broker).monitor() as monitor:
        with Heartbeat(store, beat_key("t1"), started_key("t1")):
            assert store.get(started_key("t1")) is not None
        seen: list[list[str]] = []
        while not seen or seen[-1][0] != "DEL":  # the clean exit's, the last write
            command = monitor.next_command()["command"].split()[:2]
            if command[0] in {"MULTI", "SET", "EXEC", "DEL"}:  # not the connection's own
                seen.append(command)
    assert seen[:4] == [
        ["MULTI"],
        ["SET", "atlas:" + beat_key("t1")],
        ["SET", "atlas:" + started_key("t1")],
        ["EXEC"],
    ]
