"""Admission of export jobs: the cap, the queue, the rate limit, expiry and reaping.

Everything lives in one diskcache (SQLite), so every gunicorn worker sees the same queue:

- at most ``max_jobs`` job processes at once; the rest wait in a FIFO queue (``STATE``, changed
  only inside the cache's transaction lock) and :meth:`Admission.position` tells them where;
- a per-client rate limit (``rate`` requests per ``RATE_WINDOW`` seconds);
- expiry: tickets and marks are stored with ``expire`` seconds, :meth:`Admission.pump` calls
  ``Cache.expire`` now and then, and what older runs left without expiry goes at start;
- reaping: the worker that starts a process joins it in a thread, so it never lingers as a
  zombie, and records why it ended if it left no result (killed, storage, crash).

:class:`exports.jobs.JobManager` speaks Dash's background-callback protocol on top of this.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from typing import Any

import diskcache

from exports.store import STORE_ERRORS

log = logging.getLogger(__name__)

RATE_WINDOW = 60.0  # seconds over which ``rate`` requests per client are allowed
ABANDONED = 120.0  # a queued job nobody has polled for this long is dropped (polls: every 1 s)
STORAGE_EXIT = 75  # exit status of a job process that could not store its result
STATE = "atlas-jobs:state"  # {"queue": [ticket, ...], "running": {ticket: pid or 0}}

# why a job ended without a result → the reason passed to the manager's ``failure``
KILLED, STORAGE, ERROR, RATE = "killed", "storage", "error", "rate"
UNREACHABLE = "unreachable"  # the shared store (Redis) does not answer: the job is lost

Launch = Callable[[dict[str, Any]], Any]  # a ticket's info → its started process, or None


def ticket_key(ticket: str) -> str:
    return f"atlas-jobs:ticket:{ticket}"


def by_key(key: str) -> str:
    return f"atlas-jobs:key:{key}"


def failure_key(key: str) -> str:
    return f"{key}-failure"


def seen_key(ticket: str) -> str:
    return f"atlas-jobs:seen:{ticket}"


class Admission:
    """The queue and the running jobs of one cache; ``launch`` starts a ticket's process.

    ``lock`` is held around everything that touches the store: no other thread of this process
    is inside SQLite while a job process is forked, so no child starts with a lock held forever.
    """

    def __init__(
        self,
        cache: diskcache.Cache,
        *,
        max_jobs: int,
        rate: int,
        expire: float,
        launch: Launch,
        progress_key: Callable[[str], str],
    ) -> None:
        self.cache = cache
        self.max_jobs = max(1, max_jobs)
        self.rate = max(1, rate)
        self.expire = expire
        self.launch = launch
        self.progress_key = progress_key
        self.lock = threading.RLock()
        self.reasons: dict[str, str] = {}  # result key → why its process (forked here) ended
        self._last_expire = 0.0

    def admit(self, info: dict[str, Any], ticket: str) -> None:
        """Queue a job (``info`` holds its result ``key``); it starts now if a slot is free."""
        with self.lock:
            self.cache.set(ticket_key(ticket), info, expire=self.expire)
            self.cache.set(by_key(info["key"]), ticket, expire=self.expire)
            self.touch(ticket)
            with self.cache.transact():
                state = self.state()
                state["queue"].append(ticket)
                self.cache.set(STATE, state)
            self.pump()

    def cancel(self, ticket: str) -> int | None:
        """Drop the ticket from the queue and the running jobs; its pid if it was running."""
        with self.lock:
            with self.cache.transact():
                state = self.state()
                if ticket in state["queue"]:
                    state["queue"].remove(ticket)
                pid = state["running"].pop(ticket, None)
                self.cache.set(STATE, state)
            self.cache.delete(ticket_key(ticket))
            return pid

    def position(self, ticket: str) -> tuple[int, dict[str, Any]] | None:
        """(jobs ahead, info) while the ticket waits in the queue; ``None`` otherwise."""
        with self.lock:
            state = self.state()
            if ticket not in state["queue"]:
                return None
            info = self.cache.get(ticket_key(ticket)) or {}
            return state["queue"].index(ticket) + 1, info

    def pump(self) -> None:
        """Free the slots of ended jobs, drop abandoned queued ones, start queued jobs while
        fewer than ``max_jobs`` run, and now and then remove expired entries."""
        with self.lock:
            now = time.time()
            start: list[str] = []
            with self.cache.transact():
                state = self.state()
                for ticket, pid in list(state["running"].items()):
                    if pid and not self.running(ticket, pid):
                        del state["running"][ticket]
                for ticket in list(state["queue"]):
                    seen = self.cache.get(seen_key(ticket))
                    if seen is None or now - seen > ABANDONED:
                        state["queue"].remove(ticket)  # a late poll still hears why
                        info = self.cache.get(ticket_key(ticket))
                        if info is not None:
                            self.cache.set(failure_key(info["key"]), KILLED, expire=self.expire)
                while state["queue"] and len(state["running"]) < self.max_jobs:
                    ticket = state["queue"].pop(0)
                    state["running"][ticket] = 0  # starting
                    start.append(ticket)
                self.cache.set(STATE, state)
            for ticket in start:
                self._start(ticket)
            if now - self._last_expire > 10:
                self._last_expire = now
                self.cache.expire()

    def _start(self, ticket: str) -> None:
        info = self.cache.get(ticket_key(ticket))
        process = self.launch(info) if info else None
        handle = self.started(process, info) if process is not None else None
        with self.cache.transact():
            state = self.state()
            if handle is None:
                state["running"].pop(ticket, None)
            elif ticket in state["running"]:
                state["running"][ticket] = handle
            self.cache.set(STATE, state)

    def started(self, process: Any, info: dict[str, Any]) -> Any:
        """What ``running`` holds for a started job (here its pid; a reaper joins it)."""
        threading.Thread(target=self._reap, args=(process, info["key"]), daemon=True).start()
        return process.pid

    def running(self, ticket: str, handle: Any) -> bool:
        """Whether the started job ``handle`` (what :meth:`started` returned) still runs."""
        return alive(handle)

    def _reap(self, process: Any, key: str) -> None:
        """Wait for the job process (so it is never a zombie); if it left no result, say why."""
        process.join()
        code = process.exitcode
        with self.lock:
            self._ended(code, key)

    def _ended(self, code: int | None, key: str) -> None:
        try:
            if code and self.cache.get(key) is None and self.cache.get(failure_key(key)) is None:
                reason = KILLED if code < 0 else STORAGE if code == STORAGE_EXIT else ERROR
                self.reasons[key] = reason  # if the store cannot take it, this worker knows
                self.cache.set(failure_key(key), reason, expire=self.expire)
            self.pump()
        except STORE_ERRORS as exc:
            log.error("export job store failed after job ended: %s", exc)

    def waiting_or_alive(self, ticket: str) -> bool:
        state = self.state()
        if ticket in state["queue"]:
            return True
        if ticket not in state["running"]:
            return False
        pid = state["running"][ticket]
        return pid == 0 or self.running(ticket, pid)

    def why_ended(self, key: str) -> str:
        """Why a job that left no result ended (its process's exit, else the store's state)."""
        return (
            self.cache.get(failure_key(key))
            or self.reasons.pop(key, None)
            or (KILLED if self.writable() else STORAGE)
        )

    def forget(self, ticket: str, key: str) -> None:
        """Remove every trace of a delivered (or failed) job."""
        try:
            with self.cache.transact():
                state = self.state()
                if ticket in state["queue"]:
                    state["queue"].remove(ticket)
                state["running"].pop(ticket, None)
                self.cache.set(STATE, state)
            for k in (
                key,
                self.progress_key(key),
                failure_key(key),
                by_key(key),
                ticket_key(ticket),
                seen_key(ticket),
            ):
                self.cache.delete(k)
        except STORE_ERRORS:
            pass

    def writable(self) -> bool:
        """Whether the store takes a new file and a new entry now (else: full or read-only)."""
        try:
            with tempfile.NamedTemporaryFile(dir=self.cache.directory) as probe:
                probe.write(b"x" * 4096)
                probe.flush()
                os.fsync(probe.fileno())
            self.cache.set("atlas-jobs:probe", time.time(), expire=60)
        except STORE_ERRORS:
            return False
        return True

    def touch(self, ticket: str) -> None:
        self.cache.set(seen_key(ticket), time.time(), expire=self.expire)

    def state(self) -> dict[str, Any]:
        state = self.cache.get(STATE)
        return state if state is not None else {"queue": [], "running": {}}

    def rate_wait(self, client: str) -> int:
        """0 if ``client`` may start another job now (and counts it), else seconds to wait."""
        now = time.time()
        key = f"atlas-jobs:rate:{client}"
        with self.lock, self.cache.transact():
            recent = [s for s in self.cache.get(key, []) if now - s < RATE_WINDOW]
            if len(recent) >= self.rate:
                return max(1, int(RATE_WINDOW - (now - recent[0]) + 0.999))
            self.cache.set(key, [*recent, now], expire=RATE_WINDOW)
        return 0

    def clear_leftovers(self, keep: Collection[str] = ()) -> None:
        """Remove what older runs left without expiry (results nobody collected, the queue of
        a server that was killed); the keys in ``keep`` stay."""
        with self.lock:
            try:
                self.cache.expire()
                for key in list(self.cache.iterkeys()):
                    if key in keep:
                        continue
                    _, expire_time = self.cache.get(key, expire_time=True)
                    if expire_time is None:
                        self.cache.delete(key)
            except STORE_ERRORS as exc:
                log.error("could not clear the export job store: %s", exc)


def alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
