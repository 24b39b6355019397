"""Real services for the Celery tests and the bench: ``redis-server`` on a free loopback port
(a temp dir, nothing saved) and ``atlas worker`` subprocesses, each stopped by PID. A missing
``redis-server`` or Celery is a failure that says how to install it, never a skip."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
import redis

from tests.harness import free_port

ATLAS = Path(sys.executable).with_name("atlas")
INSTALL = "run `sh scripts/install-system-deps.sh` (and `make check` for the 'scale' extra)"
START = 120.0  # seconds a service may take to say it is ready (a condition, not a threshold)


class MissingServiceError(RuntimeError):
    """redis-server or Celery is not installed."""


def _lines(proc: subprocess.Popen[bytes], marker: bytes, log: list[str]) -> threading.Event:
    """Pass the process's output through to ours (kept in ``log``); the event is set once a
    line holds ``marker``, or when the output ends (the process died)."""
    seen = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stderr.buffer.write(line)
            sys.stderr.flush()
            log.append(line.decode("utf-8", "replace").rstrip("\n"))
            if marker in line:
                seen.set()
        seen.set()

    threading.Thread(target=pump, daemon=True).start()
    return seen


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process and whatever it started (a worker's pool), by PID."""
    try:
        family = [proc.pid, *(c.pid for c in psutil.Process(proc.pid).children(recursive=True))]
    except psutil.NoSuchProcess:
        family = [proc.pid]
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for pid in family[1:]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextmanager
def redis_server() -> Iterator[str]:
    """A private ``redis-server`` (no RDB, no AOF, its own temp dir); yields its URL."""
    exe = shutil.which("redis-server")
    if exe is None:
        raise MissingServiceError(f"redis-server is not installed: {INSTALL}")
    port = free_port()
    folder = tempfile.mkdtemp(prefix="atlas-redis-")
    cmd = [exe, "--port", str(port), "--bind", "127.0.0.1", "--dir", folder]
    cmd += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log: list[str] = []
    try:
        if not _lines(proc, b"Ready to accept connections", log).wait(START) or proc.poll():
            raise RuntimeError(f"redis-server did not start: {log[-1:] or proc.poll()}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(proc)
        shutil.rmtree(folder, ignore_errors=True)


class Worker:
    """One ``atlas worker`` process (prefork pool) and its log."""

    def __init__(self, proc: subprocess.Popen[bytes], log: list[str]) -> None:
        self.proc = proc
        self.log = log

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once, as a dead machine would leave it."""
        family = [self.proc.pid]
        with suppress(psutil.NoSuchProcess):
            family += [c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)]
        for pid in family:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
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
    log: list[str] = []
    try:
        if not _lines(proc, b" ready.", log).wait(START) or proc.poll() is not None:
            raise RuntimeError(f"the Celery worker did not start: {log[-3:] or proc.poll()}")
        yield Worker(proc, log)
    finally:
        _stop(proc)


def until(condition: Callable[[], bool], what: str, seconds: float = START) -> None:
    """Until ``condition()`` holds (checked every 50 ms), else fail saying ``what``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


class Gate:
    """A file this process holds an exclusive lock on; a worker started with
    ``ATLAS_EXPORT_HOLD`` pointing at it keeps each job waiting mid-way until :meth:`open`."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"gate-{uuid.uuid4().hex}"
        self.file = self.path.open("wb")
        fcntl.lockf(self.file, fcntl.LOCK_EX)

    def open(self) -> None:
        fcntl.lockf(self.file, fcntl.LOCK_UN)


def started_jobs(broker: str) -> list[bytes]:
    """The heartbeats of the export jobs a worker is running now."""
    return list(redis.Redis.from_url(broker).scan_iter(match="atlas:atlas-jobs:beat:*"))
