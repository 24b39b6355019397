"""Export job admission (exports.jobs): the cap and queue, one result per request, a message
for every way a job ends without a result, the rate limit, expiry and reaping — with real job
processes, driven the way Dash's polling drives them."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import diskcache
import psutil
import pytest

from exports.jobs import JobManager
from settings import Settings, SettingsError

WAIT = 60.0  # generous: a condition, not a timing threshold


def until(condition: Callable[[], Any], what: str) -> Any:
    """Poll ``condition`` until it is truthy (or fail after WAIT seconds)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def gated(set_progress: Any, gate: str, value: Any, lang: str) -> Any:
    """A job that waits for ``gate`` to exist, then returns ``value``."""
    while not os.path.exists(gate):
        time.sleep(0.01)
    if value == "boom":
        raise RuntimeError("unexpected")
    if value == "unstorable":
        return Unstorable()
    return value


class Unstorable:
    """A result the store cannot take (as when the disk is full or read-only)."""

    def __reduce__(self) -> Any:
        raise OSError(28, "No space left on device")


def failure(reason: str, lang: str, **values: Any) -> tuple:
    return ("failed", reason, lang, values)


def waiting(ahead: int, lang: str) -> tuple:
    return ("waiting", ahead, lang)


def job_processes(before: set[int]) -> list[psutil.Process]:
    """This process's children that were not there before the test (in a full run the test
    process also has the browser tests' servers and Playwright's driver as children)."""
    return [p for p in psutil.Process().children() if p.pid not in before]


@pytest.fixture
def before() -> set[int]:
    return {p.pid for p in psutil.Process().children()}


@pytest.fixture
def make(tmp_path: Path, before: set[int]) -> Iterator[Callable[..., JobManager]]:
    made: list[JobManager] = []

    def _make(**options: Any) -> JobManager:
        options = {"max_jobs": 2, "rate": 100, "expire": 600.0, **options}
        manager = JobManager(
            diskcache.Cache(str(tmp_path / f"cache{len(made)}")),
            failure=failure,
            waiting=waiting,
            lang_of=lambda args: args[2],
            client=lambda: "client",
            **options,
        )
        manager.register("fn", gated, progress=True)
        made.append(manager)
        return manager

    yield _make
    for manager in made:
        manager.max_jobs = 0  # cleaning up must not start the queued jobs
        state = manager.jobs()
        for ticket in [*state["queue"], *state["running"]]:
            manager.terminate_job(f"t:{ticket}")
    for process in job_processes(before):  # nothing a test started outlives it
        process.kill()


class Client:
    """One browser: starts a job and polls it like Dash's renderer (progress, then result)."""

    def __init__(self, manager: JobManager, gate: Path, value: Any, lang: str = "en") -> None:
        self.manager = manager
        args = [str(gate), value, lang]
        self.key = manager.build_cache_key(gated, args, [], None)
        self.job = manager.call_job_fn(self.key, manager.func_registry["fn"], args, {})
        self.progress: Any = None

    def poll(self) -> Any:
        progress = self.manager.get_progress(self.key)
        if progress is not None:
            self.progress = progress
        result = self.manager.get_result(self.key, self.job)
        if result is self.manager.UNDEFINED:
            assert self.manager.job_running(self.job), "Dash would stop polling with no result"
        return result

    def result(self) -> Any:
        return until(lambda: _defined(self.manager, self.poll()), "a result")[1]


def _defined(manager: JobManager, value: Any) -> Any:
    return (True, value) if value is not manager.UNDEFINED else None


def test_at_most_max_jobs_run_the_rest_wait_and_see_their_place(
    make, tmp_path: Path, before: set[int]
) -> None:
    manager = make(max_jobs=2)
    gate = tmp_path / "gate"
    clients = [Client(manager, gate, f"file {i}") for i in range(5)]
    until(lambda: all(manager.jobs()["running"].values()), "two job processes")
    assert len(manager.jobs()["running"]) == 2 and len(manager.jobs()["queue"]) == 3
    assert len(job_processes(before)) == 2  # only the admitted ones are processes
    for client in clients:
        client.poll()
    assert [c.progress for c in clients[2:]] == [["waiting", n, "en"] for n in (1, 2, 3)]
    results: dict[int, Any] = {}
    peak = 0

    def all_done() -> bool:
        nonlocal peak
        live = [p for p in job_processes(before) if p.status() != psutil.STATUS_ZOMBIE]
        peak = max(peak, len(live))
        for i, client in enumerate(clients):
            if i not in results and (value := client.poll()) is not manager.UNDEFINED:
                results[i] = value
        return len(results) == len(clients)

    gate.touch()
    until(all_done, "every result")
    assert [results[i] for i in range(5)] == [f"file {i}" for i in range(5)]
    assert peak <= 2


def test_each_request_gets_its_own_result_even_when_identical(make, tmp_path: Path) -> None:
    manager = make()
    gate = tmp_path / "gate"
    gate.touch()
    first, second = Client(manager, gate, "same"), Client(manager, gate, "same")
    assert first.key != second.key
    assert first.result() == "same" and second.result() == "same"


def test_a_killed_job_is_reported_and_its_slot_freed(make, tmp_path: Path) -> None:
    manager = make(max_jobs=1)
    gate = tmp_path / "gate"
    victim, queued = Client(manager, gate, "never"), Client(manager, gate, "after")
    pid = until(lambda: next(iter(manager.jobs()["running"].values())), "the job process")
    os.kill(pid, signal.SIGKILL)
    assert victim.result() == ("failed", "killed", "en", {})
    gate.touch()
    assert queued.result() == "after"


@pytest.mark.parametrize(("value", "reason"), [("boom", "error"), ("unstorable", "storage")])
def test_an_exception_or_a_result_the_store_refuses_is_reported(
    make, tmp_path: Path, value: str, reason: str
) -> None:
    manager = make()
    gate = tmp_path / "gate"
    gate.touch()
    assert Client(manager, gate, value, lang="zh").result() == ("failed", reason, "zh", {})


def test_a_store_that_cannot_be_written_is_reported(make, tmp_path: Path) -> None:
    manager = make()

    def refuse(*_: Any, **__: Any) -> None:
        raise OSError(30, "Read-only file system")

    manager.handle.set = refuse  # type: ignore[method-assign]
    client = Client(manager, tmp_path / "gate", "x")
    assert client.job == "f:storage:en"
    assert client.poll() == ("failed", "storage", "en", {})


def test_a_client_over_its_rate_is_told_when_to_come_back(make, tmp_path: Path) -> None:
    manager = make(rate=2)
    gate = tmp_path / "gate"
    gate.touch()
    assert [Client(manager, gate, "ok").result() for _ in range(2)] == ["ok", "ok"]
    refused = Client(manager, gate, "ok").result()
    assert refused[:3] == ("failed", "rate", "en") and 1 <= int(refused[3]["seconds"]) <= 60


def test_a_cancelled_queued_job_leaves_the_queue(make, tmp_path: Path) -> None:
    manager = make(max_jobs=1)
    gate = tmp_path / "gate"
    Client(manager, gate, "running")
    queued = Client(manager, gate, "queued")
    manager.terminate_job(queued.job)
    assert manager.jobs()["queue"] == [] and not manager.job_running(queued.job)


def test_uncollected_results_expire_and_leftovers_are_cleared(make, tmp_path: Path) -> None:
    manager = make(expire=120.0)
    gate = tmp_path / "gate"
    gate.touch()
    client = Client(manager, gate, "never collected")
    until(lambda: manager.handle.get(client.key) is not None, "the stored result")
    manager.handle.expire(now=time.time() + 121)  # what diskcache does once they are old
    assert manager.handle.get(client.key) is None
    # entries an older server stored without expiry go at start; the signing secret stays
    manager.handle.set("old-result", b"x" * 100_000)
    manager.handle.set(manager.SIGNING_SECRET_KEY, b"secret")
    manager.clear_leftovers()
    assert "old-result" not in manager.handle
    assert manager.handle.get(manager.SIGNING_SECRET_KEY) == b"secret"


def test_finished_job_processes_are_reaped(make, tmp_path: Path, before: set[int]) -> None:
    manager = make()
    gate = tmp_path / "gate"
    gate.touch()
    for client in [Client(manager, gate, i) for i in range(3)]:
        client.result()
    until(lambda: not job_processes(before), "no child process, zombie or not")


def test_job_settings_from_the_environment() -> None:
    defaults = Settings.from_env({})
    assert (defaults.export_jobs, defaults.export_rate, defaults.export_expire) == (2, 10, 600.0)
    s = Settings.from_env(
        {"ATLAS_EXPORT_JOBS": "4", "ATLAS_EXPORT_RATE": "30", "ATLAS_EXPORT_EXPIRE": "60"}
    )
    assert (s.export_jobs, s.export_rate, s.export_expire) == (4, 30, 60.0)
    with pytest.raises(SettingsError, match="ATLAS_EXPORT_JOBS must be between 1"):
        Settings.from_env({"ATLAS_EXPORT_JOBS": "0"})
    with pytest.raises(SettingsError, match="ATLAS_EXPORT_RATE must be a whole number"):
        Settings.from_env({"ATLAS_EXPORT_RATE": "many"})
