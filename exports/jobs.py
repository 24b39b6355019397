"""Bounded export jobs: Dash's diskcache background-callback manager plus a small admission layer.

Dash's :class:`~dash.DiskcacheManager` starts one process per request at once, keys results by
the callback's arguments (two identical requests share, and race for, one result), keeps results
forever and leaves finished processes as zombies. :class:`JobManager` keeps Dash's polling
protocol and its job function and adds:

- a cap: at most ``max_jobs`` job processes at once, across every gunicorn worker (the queue
  lives in the same diskcache, under its transaction lock); the rest wait in a FIFO queue and
  their position is reported through the callback's progress outputs;
- a per-client rate limit (``rate`` requests per ``RATE_WINDOW`` seconds);
- one result key per request (a random nonce in the key), so identical requests never share;
- expiry: results, progress and tickets are stored with ``expire`` seconds (diskcache removes
  them; :meth:`pump` calls ``Cache.expire``); leftovers of older runs are removed at start;
- reaping: the worker that starts a process joins it in a thread, so it never lingers as a
  zombie, and records why it ended if it left no result (killed, storage, crash);
- a failure value for every way a job can end without a result, built by the caller's
  ``failure(reason, lang, **values)`` so the panel always gets a sentence.

Job handles given to the browser (Dash signs them) are strings: ``t:<ticket>`` for a queued or
running job, ``r:<lang>:<seconds>`` for a refused (rate-limited) request and
``f:<reason>:<lang>`` for one that could not be queued (the store is full or read-only).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

import diskcache
from dash import DiskcacheManager
from dash.background_callback.managers.diskcache_manager import _make_job_fn

log = logging.getLogger(__name__)

RATE_WINDOW = 60.0  # seconds over which ``rate`` requests per client are allowed
ABANDONED = 120.0  # a queued job nobody has polled for this long is dropped (polls: every 1 s)
STORAGE_EXIT = 75  # exit status of a job process that could not store its result
STATE = "atlas-jobs:state"  # {"queue": [ticket, ...], "running": {ticket: pid or 0}}
SIGNING_KEY = DiskcacheManager.SIGNING_SECRET_KEY
STORE_ERRORS = (OSError, sqlite3.Error, diskcache.Timeout)

# why a job ended without a result → the reason passed to ``failure``
KILLED, STORAGE, ERROR, RATE = "killed", "storage", "error", "rate"

Failure = Callable[..., Any]  # (reason, lang, **values) -> the callback's output
Waiting = Callable[[int, str], Sequence[Any]]  # (jobs ahead, lang) -> progress values


F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Run under the manager's lock: no other thread of this process is inside the store
    (SQLite) while a job process is forked, so no child starts with a lock held forever."""

    @wraps(method)
    def run(self: JobManager, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return run  # type: ignore[return-value]


def _ticket_key(ticket: str) -> str:
    return f"atlas-jobs:ticket:{ticket}"


def _by_key(key: str) -> str:
    return f"atlas-jobs:key:{key}"


def _failure_key(key: str) -> str:
    return f"{key}-failure"


class _Expiring:
    """The cache as the job function sees it: every value expires; progress is best effort
    (a full disk must not turn into a crash before the result is even made)."""

    def __init__(self, cache: diskcache.Cache, expire: float) -> None:
        self.cache = cache
        self.expire = expire

    def set(self, key: str, value: Any) -> None:
        try:
            self.cache.set(key, value, expire=self.expire)
        except STORE_ERRORS:
            if key.endswith("-progress"):
                return
            raise


class JobManager(DiskcacheManager):
    """Dash's DiskcacheManager with a job cap, a queue, a rate limit, expiry and reaping."""

    def __init__(
        self,
        cache: diskcache.Cache,
        *,
        max_jobs: int,
        rate: int,
        expire: float,
        failure: Failure,
        waiting: Waiting,
        lang_of: Callable[[Any], str],
        client: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(cache, expire=expire)
        self.max_jobs = max(1, max_jobs)
        self.rate = max(1, rate)
        self.failure = failure
        self.waiting = waiting
        self.lang_of = lang_of
        self.client = client or _remote_address
        self._last_expire = 0.0
        self._lock = threading.RLock()
        self._reasons: dict[str, str] = {}  # result key → why its process (forked here) ended
        self.clear_leftovers()

    # --- Dash's manager interface -----------------------------------------------------------

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered) -> str:
        """Dash's key plus a nonce: one result per request, never shared by identical ones."""
        key = super().build_cache_key(fn, args, cache_args_to_ignore, triggered)
        return f"{key}-{uuid.uuid4().hex}"

    def make_job_fn(self, fn, progress, key=None):
        job = _make_job_fn(fn, _Expiring(self.handle, self.expire), progress)

        def run(result_key: str, progress_key: str, args: Any, context: Any) -> None:
            try:
                job(result_key, progress_key, args, context)
            except STORE_ERRORS as exc:  # the result could not be stored
                log.error("export job %s could not store its result: %s", result_key, exc)
                try:
                    self.handle.set(_failure_key(result_key), STORAGE, expire=self.expire)
                finally:
                    os._exit(STORAGE_EXIT)

        return run

    @_locked
    def call_job_fn(self, key: str, job_fn: Any, args: Any, context: Any) -> str:
        """Queue the job (it starts now if a slot is free); refuse it if the client is over
        its rate; report a store that cannot be written."""
        lang = self._lang(args)
        try:
            wait = self._rate_wait(self.client())
            if wait:
                return f"r:{lang}:{wait}"
            fn_key = next(k for k, f in self.func_registry.items() if f is job_fn)
            ticket = uuid.uuid4().hex
            info = {"key": key, "fn": fn_key, "args": args, "context": dict(context), "lang": lang}
            self.handle.set(_ticket_key(ticket), info, expire=self.expire)
            self.handle.set(_by_key(key), ticket, expire=self.expire)
            self._touch(ticket)
            with self.handle.transact():
                state = self._state()
                state["queue"].append(ticket)
                self.handle.set(STATE, state)
            self.pump()
        except STORE_ERRORS as exc:
            log.error("export job not queued, the job store is not writable: %s", exc)
            return f"f:{STORAGE}:{lang}"
        return f"t:{ticket}"

    @_locked
    def job_running(self, job: Any) -> bool:
        """True while the job has not delivered its result (queued, running, or ended and not
        yet reported): Dash stops polling when this is False and the result is not there."""
        ticket = _ticket(job)
        if ticket is None:
            return False
        try:
            return self.handle.get(_ticket_key(ticket)) is not None
        except STORE_ERRORS:
            return False

    @_locked
    def terminate_job(self, job: Any) -> None:
        """Cancel: drop a queued job, kill a running one."""
        ticket = _ticket(job)
        if ticket is None:
            return
        try:
            with self.handle.transact():
                state = self._state()
                if ticket in state["queue"]:
                    state["queue"].remove(ticket)
                pid = state["running"].pop(ticket, None)
                self.handle.set(STATE, state)
            self.handle.delete(_ticket_key(ticket))
        except STORE_ERRORS:
            return
        if pid:
            super().terminate_job(pid)
        self.pump()

    def terminate_unhealthy_job(self, job: Any) -> bool:
        return False

    @_locked
    def get_progress(self, key: str) -> Any:
        """The job's own progress, or for a queued job its place in the queue."""
        try:
            ticket = self.handle.get(_by_key(key))
            if ticket is not None:
                self._touch(ticket)
                self.pump()
                state = self._state()
                if ticket in state["queue"]:
                    info = self.handle.get(_ticket_key(ticket)) or {}
                    ahead = state["queue"].index(ticket) + 1
                    return list(self.waiting(ahead, info.get("lang", "zh")))
            return super().get_progress(key)
        except STORE_ERRORS:
            return None

    @_locked
    def result_ready(self, key: str) -> bool:
        try:
            return self.handle.get(key) is not None
        except STORE_ERRORS:
            return False

    @_locked
    def get_result(self, key: str, job: Any) -> Any:
        """The job's result, or a failure once the job has ended without one."""
        handle = str(job or "")
        if handle.startswith("r:"):
            _, lang, wait = handle.split(":", 2)
            return self.failure(RATE, lang, seconds=wait)
        if handle.startswith("f:"):
            _, reason, lang = handle.split(":", 2)
            return self.failure(reason, lang)
        ticket = _ticket(job)
        if ticket is None:
            return self.UNDEFINED
        lang = "zh"
        try:
            info = self.handle.get(_ticket_key(ticket))
            if info is None:
                return self.UNDEFINED  # delivered or cancelled
            lang = info.get("lang", lang)
            result = self.handle.get(key, self.UNDEFINED)
            if result is self.UNDEFINED and self._waiting_or_alive(ticket):
                return self.UNDEFINED
            if result is self.UNDEFINED:  # ended, left nothing: why?
                reason = (
                    self.handle.get(_failure_key(key))
                    or self._reasons.pop(key, None)
                    or (KILLED if self._writable() else STORAGE)
                )
                result = self.failure(reason, lang)
            elif isinstance(result, dict) and "background_callback_error" in result:
                log.error("export job failed: %s", result["background_callback_error"]["tb"])
                result = self.failure(ERROR, lang)
            self._forget(ticket, key)
            return result
        except STORE_ERRORS as exc:
            log.error("export job store failed: %s", exc)
            self._forget(ticket, key)
            return self.failure(STORAGE, lang)

    @_locked
    def get_updated_props(self, key: str) -> dict:
        try:
            return super().get_updated_props(key)
        except STORE_ERRORS:
            return {}

    # --- admission --------------------------------------------------------------------------

    @_locked
    def pump(self) -> None:
        """Free the slots of ended jobs, drop abandoned queued ones, start queued jobs while
        fewer than ``max_jobs`` run, and now and then remove expired entries."""
        now = time.time()
        start: list[str] = []
        with self.handle.transact():
            state = self._state()
            for ticket, pid in list(state["running"].items()):
                if pid and not _alive(pid):
                    del state["running"][ticket]
            for ticket in list(state["queue"]):
                seen = self.handle.get(f"atlas-jobs:seen:{ticket}")
                if seen is None or now - seen > ABANDONED:
                    state["queue"].remove(ticket)  # a late poll still hears why
                    info = self.handle.get(_ticket_key(ticket))
                    if info is not None:
                        self.handle.set(_failure_key(info["key"]), KILLED, expire=self.expire)
            while state["queue"] and len(state["running"]) < self.max_jobs:
                ticket = state["queue"].pop(0)
                state["running"][ticket] = 0  # starting
                start.append(ticket)
            self.handle.set(STATE, state)
        for ticket in start:
            self._start(ticket)
        if now - self._last_expire > 10:
            self._last_expire = now
            self.handle.expire()

    def _start(self, ticket: str) -> None:
        from multiprocess import Process  # what Dash's DiskcacheManager uses

        info = self.handle.get(_ticket_key(ticket))
        job_fn = self.func_registry.get(info["fn"]) if info else None
        if job_fn is None:
            pid = None
        else:
            key = info["key"]
            process = Process(
                target=job_fn,
                args=(key, self._make_progress_key(key), info["args"], info["context"]),
            )
            process.start()
            pid = process.pid
            threading.Thread(target=self._reap, args=(process, key), daemon=True).start()
        with self.handle.transact():
            state = self._state()
            if pid is None:
                state["running"].pop(ticket, None)
            elif ticket in state["running"]:
                state["running"][ticket] = pid
            self.handle.set(STATE, state)

    def _reap(self, process: Any, key: str) -> None:
        """Wait for the job process (so it is never a zombie); if it left no result, say why."""
        process.join()
        code = process.exitcode
        with self._lock:
            self._ended(code, key)

    def _ended(self, code: int | None, key: str) -> None:
        try:
            if code and self.handle.get(key) is None and self.handle.get(_failure_key(key)) is None:
                reason = KILLED if code < 0 else STORAGE if code == STORAGE_EXIT else ERROR
                self._reasons[key] = reason  # if the store cannot take it, this worker knows
                self.handle.set(_failure_key(key), reason, expire=self.expire)
            self.pump()
        except STORE_ERRORS as exc:
            log.error("export job store failed after job ended: %s", exc)

    def _waiting_or_alive(self, ticket: str) -> bool:
        state = self._state()
        if ticket in state["queue"]:
            return True
        if ticket not in state["running"]:
            return False
        pid = state["running"][ticket]
        return pid == 0 or _alive(pid)

    def _forget(self, ticket: str, key: str) -> None:
        try:
            with self.handle.transact():
                state = self._state()
                if ticket in state["queue"]:
                    state["queue"].remove(ticket)
                state["running"].pop(ticket, None)
                self.handle.set(STATE, state)
            for k in (
                key,
                self._make_progress_key(key),
                _failure_key(key),
                _by_key(key),
                _ticket_key(ticket),
                f"atlas-jobs:seen:{ticket}",
            ):
                self.handle.delete(k)
        except STORE_ERRORS:
            pass

    def _writable(self) -> bool:
        """Whether the store takes a new file and a new entry now (else: full or read-only)."""
        try:
            with tempfile.NamedTemporaryFile(dir=self.handle.directory) as probe:
                probe.write(b"x" * 4096)
                probe.flush()
                os.fsync(probe.fileno())
            self.handle.set("atlas-jobs:probe", time.time(), expire=60)
        except STORE_ERRORS:
            return False
        return True

    def _touch(self, ticket: str) -> None:
        self.handle.set(f"atlas-jobs:seen:{ticket}", time.time(), expire=self.expire)

    def _state(self) -> dict[str, Any]:
        state = self.handle.get(STATE)
        return state if state is not None else {"queue": [], "running": {}}

    def _rate_wait(self, client: str) -> int:
        """0 if ``client`` may start another job now (and counts it), else seconds to wait."""
        now = time.time()
        key = f"atlas-jobs:rate:{client}"
        with self.handle.transact():
            recent = [s for s in self.handle.get(key, []) if now - s < RATE_WINDOW]
            if len(recent) >= self.rate:
                return max(1, int(RATE_WINDOW - (now - recent[0]) + 0.999))
            self.handle.set(key, [*recent, now], expire=RATE_WINDOW)
        return 0

    def _lang(self, args: Any) -> str:
        try:
            return self.lang_of(args)
        except Exception:
            return "zh"

    @_locked
    def clear_leftovers(self) -> None:
        """Remove what older runs left without expiry (results nobody collected, the queue of
        a server that was killed); the shared signing secret stays."""
        try:
            self.handle.expire()
            for key in list(self.handle.iterkeys()):
                if key == SIGNING_KEY:
                    continue
                _, expire_time = self.handle.get(key, expire_time=True)
                if expire_time is None:
                    self.handle.delete(key)
        except STORE_ERRORS as exc:
            log.error("could not clear the export job store: %s", exc)

    def jobs(self) -> dict[str, Any]:
        """The queue and the running jobs (for tests and the probe)."""
        return self._state()


def _ticket(job: Any) -> str | None:
    handle = str(job or "")
    return handle[2:] if handle.startswith("t:") else None


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _remote_address() -> str:
    from flask import request

    return request.remote_addr or "-"
