"""The export admission on Redis (issue 15), with a private ``redis-server`` and two job managers
standing for two app instances: one cap and one queue for both (a job queued through one sees
its place through the other, and a cancel through either frees it), one rate limit per client
across both, every entry written with an expiry, and a job that no live worker can take is
reported as stopped rather than left waiting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import redis

from exports.celeryjobs import CeleryJobManager, worker_key
from exports.redisstore import PREFIX

pytestmark = pytest.mark.slow


def failure(reason: str, lang: str, **values: Any) -> tuple:
    return ("failed", reason, lang, values)


def waiting(ahead: int, lang: str) -> tuple:
    return ("waiting", ahead, lang)


def job(set_progress: Any, value: Any, lang: str) -> Any:
    return value  # never run here: no worker has this task


@pytest.fixture
def make(broker: str) -> Callable[..., CeleryJobManager]:
    def _make(**options: Any) -> CeleryJobManager:
        options = {"max_jobs": 2, "rate": 100, "expire": 600.0, **options}
        manager = CeleryJobManager(
            broker,
            failure=failure,
            waiting=waiting,
            lang_of=lambda args: args[1],
            client=lambda: "client",
            **options,
        )
        manager.register("fn", job, progress=True)
        return manager

    return _make


def a_worker_lives(broker: str) -> None:
    """What a running ``atlas worker`` keeps in Redis (jobs then wait for it in Celery's queue)."""
    redis.Redis.from_url(broker).set(PREFIX + worker_key("test"), b"j1", ex=60)


def start(manager: CeleryJobManager, value: str, lang: str = "en") -> tuple[str, str]:
    args = [value, lang]
    key = manager.build_cache_key(job, args, [], None)
    return key, manager.call_job_fn(key, manager.func_registry["fn"], args, {})


def test_two_instances_share_one_cap_one_queue_and_cancel(broker: str, make) -> None:
    a_worker_lives(broker)
    one, two = make(max_jobs=2), make(max_jobs=2)
    jobs = [start(one if i % 2 == 0 else two, f"file {i}") for i in range(5)]
    for manager in (one, two):
        state = manager.jobs()
        assert len(state["running"]) == 2 and len(state["queue"]) == 3
    # a job queued through one instance is told its place through the other
    assert [two.get_progress(key) for key, _ in jobs[2:]] == [
        ["waiting", n, "en"] for n in (1, 2, 3)
    ]
    assert all(one.job_running(handle) for _, handle in jobs)
    # cancelling through either instance frees the place for both
    two.terminate_job(jobs[2][1])
    assert not one.job_running(jobs[2][1])
    assert one.get_progress(jobs[3][0]) == ["waiting", 1, "en"]
    one.terminate_job(jobs[0][1])  # a running one: its slot goes to the next in the queue
    assert len(two.jobs()["running"]) == 2 and len(two.jobs()["queue"]) == 1


def test_one_rate_limit_per_client_across_instances(broker: str, make) -> None:
    a_worker_lives(broker)
    one, two = make(rate=2), make(rate=2)
    assert start(one, "a")[1].startswith("t:") and start(two, "b")[1].startswith("t:")
    key, refused = start(one, "c", lang="zh")
    answer = two.get_result(key, refused)
    assert answer[:3] == ("failed", "rate", "zh") and 1 <= int(answer[3]["seconds"]) <= 60


def test_every_entry_expires(broker: str, make) -> None:
    a_worker_lives(broker)
    manager = make(expire=120.0)
    for i in range(3):
        start(manager, f"file {i}")
    r = redis.Redis.from_url(broker)
    forever = {
        k.decode()
        for k in r.scan_iter(match=PREFIX + "*")
        if r.pttl(k) == -1 or r.pttl(k) > 120_000
    }
    # the queue itself (shared, changed under the lock) and Dash's signing secret stay
    assert forever <= {PREFIX + "atlas-jobs:state", PREFIX + manager.SIGNING_SECRET_KEY}


def test_a_job_no_worker_can_take_is_reported_stopped(make) -> None:
    manager = make()
    key, handle = start(manager, "never")
    assert manager.get_result(key, handle) == ("failed", "killed", "en", {})
    assert not manager.job_running(handle) and manager.jobs()["running"] == {}
