"""Export job admission (exports.jobs): the cap and queue, one result per request, a message
for every way a job ends without a result, the rate limit, expiry and reaping — with real job
processes, driven the way Dash's polling drives them."""

from __future__ import annotations

import fcntl
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import diskcache
import psutil
import pytest

from exports.jobs import JobManager
from settings import Settings, SettingsError

WAIT = 60.0  # generous: a condition, not a timing threshold


class Gate:
    """What gated jobs wait for: a file this process holds an exclusive POSIX lock on. A job
    blocks taking a shared lock until :meth:`open` releases it; the kernel wakes it (no poll),
    and a job killed while it waits leaves nothing behind (unlike a multiprocessing Event,
    whose ``set`` then waits forever for the dead waiter)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"gate-{uuid.uuid4().hex}"
        self.file = self.path.open("wb")
        fcntl.lockf(self.file, fcntl.LOCK_EX)  # POSIX locks are per process: forks do not share

    def open(self) -> None:
        fcntl.lockf(self.file, fcntl.LOCK_UN)

    def __str__(self) -> str:
        return str(self.path)


def gated(set_progress: Any, gate: str, value: Any, lang: str) -> Any:
    """A job that waits for its gate to open, then returns ``value``."""
    with open(gate, "rb") as file:
        fcntl.lockf(file, fcntl.LOCK_SH)  # blocks while the gate is closed
    if value == "boom":
        raise RuntimeError("unexpected")
    if value == "unstorable":
        return Unstorable()
    return value


class Launches:
    """Every job process the manager starts and every one it reaps, as they happen (wrapping
    the admission layer's launch and reap), so tests wait on these events, not on a poll."""

    def __init__(self, manager: JobManager, before: set[int]) -> None:
        self.changed = threading.Condition()
        self.processes: dict[str, Any] = {}  # result key → its process
        self.reaped: set[str] = set()  # result keys whose process was joined (and accounted for)
        self.peak = 0  # most live job processes right after any start (the only time it grows)
        launch, reap = manager.admission.launch, manager.admission._reap

        def launched(info: dict[str, Any]) -> Any:
            process = launch(info)
            with self.changed:
                if process is not None:
                    self.processes[info["key"]] = process
                    self.peak = max(self.peak, len(live_processes(before)))
                self.changed.notify_all()
            return process

        def reaped(process: Any, key: str) -> None:
            reap(process, key)
            with self.changed:
                self.reaped.add(key)
                self.changed.notify_all()

        manager.admission.launch = launched
        manager.admission._reap = reaped  # type: ignore[method-assign]

    def process(self, key: str) -> Any:
        """The job process of ``key``, once started."""
        with self.changed:
            assert self.changed.wait_for(lambda: key in self.processes, WAIT), "never started"
            return self.processes[key]

    def ended(self, key: str) -> None:
        """Until the job process of ``key`` has ended and its worker has reaped it. (Waiting on
        the process's sentinel alone is not enough: a killed job's pipes close a moment before
        it is a zombie the manager can tell is dead, and its poll found no result yet.)"""
        self.process(key)
        with self.changed:
            assert self.changed.wait_for(lambda: key in self.reaped, WAIT), "never reaped"

    def all_reaped(self) -> None:
        with self.changed:
            done = self.changed.wait_for(lambda: self.reaped == set(self.processes), WAIT)
            assert done, "a job process was not reaped"


class Unstorable:
    """A result the store cannot take (as when the disk is full or read-only)."""

    def __reduce__(self) -> Any:
        raise OSError(28, "No space left on device")


def failure(reason: str, lang: str, **values: Any) -> tuple:
    return ("failed", reason, lang, values)


def waiting(ahead: int, lang: str) -> tuple:
    return ("waiting", ahead, lang)


def live_processes(before: set[int]) -> list[psutil.Process]:
    """The job processes that are running (not zombies) now."""
    live = []
    for process in job_processes(before):
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                live.append(process)
        except psutil.NoSuchProcess:
            continue
    return live


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
        manager.launches = Launches(manager, before)  # type: ignore[attr-defined]
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

    def __init__(self, manager: JobManager, gate: Gate, value: Any, lang: str = "en") -> None:
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
        """The result, polled once more after the job process has ended if not yet there."""
        value = self.poll()
        if value is self.manager.UNDEFINED and self.job.startswith("t:"):
            self.manager.launches.ended(self.key)  # type: ignore[attr-defined]
            value = self.poll()
        assert value is not self.manager.UNDEFINED, "no result after the job ended"
        return value


def test_at_most_max_jobs_run_the_rest_wait_and_see_their_place(
    make, tmp_path: Path, before: set[int]
) -> None:
    manager = make(max_jobs=2)
    gate = Gate(tmp_path)
    clients = [Client(manager, gate, f"file {i}") for i in range(5)]
    # admitted jobs are started while their request is handled
    assert all(manager.jobs()["running"].values())
    assert len(manager.jobs()["running"]) == 2 and len(manager.jobs()["queue"]) == 3
    assert len(job_processes(before)) == 2  # only the admitted ones are processes
    for client in clients:
        client.poll()
    assert [c.progress for c in clients[2:]] == [["waiting", n, "en"] for n in (1, 2, 3)]
    gate.open()
    assert [c.result() for c in clients] == [f"file {i}" for i in range(5)]
    assert manager.launches.peak == 2  # measured at every start: never more than the cap


def test_each_request_gets_its_own_result_even_when_identical(make, tmp_path: Path) -> None:
    manager = make()
    gate = Gate(tmp_path)
    gate.open()
    first, second = Client(manager, gate, "same"), Client(manager, gate, "same")
    assert first.key != second.key
    assert first.result() == "same" and second.result() == "same"


def test_a_killed_job_is_reported_and_its_slot_freed(make, tmp_path: Path) -> None:
    manager = make(max_jobs=1)
    gate = Gate(tmp_path)
    victim, queued = Client(manager, gate, "never"), Client(manager, gate, "after")
    os.kill(manager.launches.process(victim.key).pid, signal.SIGKILL)
    assert victim.result() == ("failed", "killed", "en", {})
    gate.open()
    assert queued.result() == "after"


@pytest.mark.parametrize(("value", "reason"), [("boom", "error"), ("unstorable", "storage")])
def test_an_exception_or_a_result_the_store_refuses_is_reported(
    make, tmp_path: Path, value: str, reason: str
) -> None:
    manager = make()
    gate = Gate(tmp_path)
    gate.open()
    assert Client(manager, gate, value, lang="zh").result() == ("failed", reason, "zh", {})


def test_a_store_that_cannot_be_written_is_reported(make, tmp_path: Path) -> None:
    manager = make()

    def refuse(*_: Any, **__: Any) -> None:
        raise OSError(30, "Read-only file system")

    manager.handle.set = refuse  # type: ignore[method-assign]
    client = Client(manager, Gate(tmp_path), "x")
    assert client.job == "f:storage:en"
    assert client.poll() == ("failed", "storage", "en", {})


def test_a_client_over_its_rate_is_told_when_to_come_back(make, tmp_path: Path) -> None:
    manager = make(rate=2)
    gate = Gate(tmp_path)
    gate.open()
    assert [Client(manager, gate, "ok").result() for _ in range(2)] == ["ok", "ok"]
    refused = Client(manager, gate, "ok").result()
    assert refused[:3] == ("failed", "rate", "en") and 1 <= int(refused[3]["seconds"]) <= 60


def test_a_cancelled_queued_job_leaves_the_queue(make, tmp_path: Path) -> None:
    manager = make(max_jobs=1)
    gate = Gate(tmp_path)
    Client(manager, gate, "running")
    queued = Client(manager, gate, "queued")
    manager.terminate_job(queued.job)
    assert manager.jobs()["queue"] == [] and not manager.job_running(queued.job)


def test_cancelling_a_job_that_ends_at_that_moment_is_quiet(
    make, tmp_path: Path, before: set[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dash's terminate_job asks whether the process exists, then lists its children: a job
    ending in between made psutil raise NoSuchProcess out of the cancel (seen in a full run)."""
    manager = make(max_jobs=1)
    running = Client(manager, Gate(tmp_path), "running")
    process = manager.launches.process(running.key)
    process.kill()
    process.join()  # gone, not even a zombie
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: True)  # it existed at the check
    manager.terminate_job(running.job)
    assert not manager.jobs()["running"]


def test_uncollected_results_expire_and_leftovers_are_cleared(make, tmp_path: Path) -> None:
    manager = make(expire=120.0)
    gate = Gate(tmp_path)
    gate.open()
    client = Client(manager, gate, "never collected")
    manager.launches.ended(client.key)
    assert manager.handle.get(client.key) == "never collected"  # stored before its process ended
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
    gate = Gate(tmp_path)
    gate.open()
    for client in [Client(manager, gate, i) for i in range(3)]:
        client.result()
    manager.launches.all_reaped()
    assert len(manager.launches.processes) == 3
    assert job_processes(before) == []  # no child process, zombie or not


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
