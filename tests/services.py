"""Real services for the Celery tests and the bench: ``redis-server`` on a free loopback port
(a temp dir, nothing saved) and ``atlas worker`` subprocesses, each stopped by PID. A missing
``redis-server`` or Celery is a failure that says how to install it, never a skip.

Every wait here is on an event, never a poll: a line in a process's output (:class:`Log`), a
Redis keyspace notification (:func:`wait_for_keys`), a process's exit."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
import redis

from tests.harness import Log, free_port

ATLAS = Path(sys.executable).with_name("atlas")
INSTALL = "run `sh scripts/install-system-deps.sh` (and `make check` for the 'scale' extra)"
START = 120.0  # seconds a service may take to say it is ready (a condition, not a threshold)
JOB_BEATS = "atlas:atlas-jobs:beat:*"  # a running export job's heartbeat (exports.celeryjobs)


class MissingServiceError(RuntimeError):
    """redis-server or Celery is not installed."""


def _family(pid: int) -> list[int]:
    """``pid`` and every process it started."""
    try:
        return [pid, *(c.pid for c in psutil.Process(pid).children(recursive=True))]
    except psutil.NoSuchProcess:
        return [pid]


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process and whatever it started (a worker's pool), by PID."""
    family = _family(proc.pid)
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    _kill(family[1:])


class RedisServer:
    """A private ``redis-server`` (no RDB, no AOF, its own temp dir) on one port, which can be
    killed and started again on that port (an empty Redis, as after a crash)."""

    def __init__(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise MissingServiceError(f"redis-server is not installed: {INSTALL}")
        self.exe, self.port = exe, free_port()
        self.folder = tempfile.mkdtemp(prefix="atlas-redis-")
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        cmd = [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.folder]
        cmd += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert self.proc.stdout is not None
        log = Log(self.proc.stdout)
        if not log.wait_for("Ready to accept connections", seconds=START) or self.proc.poll():
            raise RuntimeError(f"redis-server did not start: {log.lines[-1:] or self.proc.poll()}")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would leave it."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def close(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    """A started :class:`RedisServer`, stopped and removed after the block."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


class Worker:
    """One ``atlas worker`` process (prefork pool) and its :class:`Log`."""

    def __init__(self, proc: subprocess.Popen[bytes], log: Log) -> None:
        self.proc = proc
        self.log = log

    def logged(self, *parts: str, count: int = 1) -> None:
        """Until the worker has logged ``count`` lines holding every one of ``parts`` (fails
        if it dies first)."""
        seen = self.log.wait_for(*parts, seconds=START, count=count)
        assert seen, f"the worker never logged {parts} {count} time(s)"

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once, as a dead machine would leave it."""
        _kill(_family(self.proc.pid))
        self.proc.wait()


@contextmanager
def celery_worker(broker: str, concurrency: int = 1, **env_extra: str) -> Iterator[Worker]:
    """``atlas worker`` on ``broker`` until it says it is ready; stopped (or found killed)
    after."""
    try:
        import celery  # noqa: F401  (the 'scale' extra)
    except ImportError:
        raise MissingServiceError(f"Celery is not installed: {INSTALL}") from None
    env = {**os.environ, "ATLAS_CELERY_BROKER": broker, **env_extra}
    cmd = [str(ATLAS), "worker", "--concurrency", str(concurrency)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    log = Log(proc.stdout)
    try:
        if not log.wait_for(" ready.", seconds=START) or proc.poll() is not None:
            raise RuntimeError(f"the Celery worker did not start: {log.lines[-3:] or proc.poll()}")
        yield Worker(proc, log)
    finally:
        _stop(proc)


def wait_for_keys(
    broker: str, pattern: str, what: str, count: int = 1, known: Collection[bytes] = ()
) -> list[bytes]:
    """Until at least ``count`` keys not in ``known`` match ``pattern`` in the broker's Redis,
    woken by Redis's keyspace notifications (turned on here) rather than by polling; fails
    saying ``what``."""
    client = redis.Redis.from_url(broker)
    client.config_set("notify-keyspace-events", "Kg$")  # keyspace events: generic, string
    db = client.connection_pool.connection_kwargs.get("db", 0)
    events = client.pubsub(ignore_subscribe_messages=True)
    events.psubscribe(f"__keyspace@{db}__:{pattern}")
    deadline = time.monotonic() + START
    try:
        while len(keys := set(client.scan_iter(match=pattern)) - set(known)) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"never: {what}"
            events.get_message(timeout=left)  # returns on the next change to a matching key
        return sorted(keys)
    finally:
        events.close()
        client.close()


def wait_started(broker: str, known: Collection[bytes] = (), count: int = 1) -> list[bytes]:
    """Until ``count`` export jobs besides those in ``known`` (:func:`started_jobs` before)
    run on workers: their heartbeats are in Redis."""
    what = f"{count} export job(s) started on a worker"
    return wait_for_keys(broker, JOB_BEATS, what, count, known)


def started_jobs(broker: str) -> list[bytes]:
    """The heartbeats of the export jobs workers are running now."""
    return list(redis.Redis.from_url(broker).scan_iter(match=JOB_BEATS))


def kill_instance(url: str) -> None:
    """SIGKILL the app instance serving ``url``: its gunicorn master and every worker, as a
    machine gone away would leave it. (The socket is listed under one of them; the master is
    the topmost ``atlas serve`` above it.)"""
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    listeners = [
        c.pid
        for c in psutil.net_connections("tcp")
        if c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN and c.pid
    ]
    assert listeners, f"no process listens on {url}"
    master = psutil.Process(listeners[0])
    while (parent := master.parent()) is not None and parent.cmdline() == master.cmdline():
        master = parent
    _kill(_family(master.pid))


def http_get(url: str) -> tuple[int, str]:
    """Status and text of a GET, 4xx/5xx included (a refused connection raises OSError)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class Gate:
    """A file this process holds an exclusive lock on; a worker started with
    ``ATLAS_EXPORT_HOLD`` pointing at it keeps each job waiting mid-way until :meth:`open`."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"gate-{uuid.uuid4().hex}"
        self.file = self.path.open("wb")
        fcntl.lockf(self.file, fcntl.LOCK_EX)

    def open(self) -> None:
        fcntl.lockf(self.file, fcntl.LOCK_UN)
