"""Bounded export jobs: Dash's diskcache background-callback manager on an admission layer.

Dash's :class:`~dash.DiskcacheManager` starts one process per request at once, keys results by
the callback's arguments (two identical requests share, and race for, one result), keeps results
forever and leaves finished processes as zombies. :class:`JobManager` keeps Dash's polling
protocol and its job function and adds:

- admission (:mod:`exports.admission`): a cap on job processes across every gunicorn worker
  with a FIFO queue whose position is reported through the callback's progress outputs, a
  per-client rate limit, expiry and reaping;
- one result key per request (a random nonce in the key), so identical requests never share;
- a failure value for every way a job can end without a result, built by the caller's
  ``failure(reason, lang, **values)`` so the panel always gets a sentence;
- a check of the request's arguments (``valid``) before anything is stored or started: a
  malformed one is answered with ``failure(INVALID, lang)`` and never becomes a job.

Job handles given to the browser (Dash signs them) are strings: ``t:<ticket>:<lang>`` for a
queued or running job (the language too, so a store that stops answering is still reported in
the panel's language), ``r:<lang>:<seconds>`` for a refused (rate-limited) request and
``f:<reason>:<lang>`` for one that could not be queued (the store is full or read-only, or
the arguments are malformed).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
import uuid
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

import diskcache
import psutil
from dash import DiskcacheManager
from dash.background_callback.managers.diskcache_manager import _make_job_fn

from exports.admission import (
    ERROR,
    KILLED,
    RATE,
    STORAGE,
    STORAGE_EXIT,
    UNREACHABLE,
    Admission,
    by_key,
    failure_key,
    ticket_key,
)
from exports.store import STORE_ERRORS

__all__ = ["ERROR", "INVALID", "KILLED", "RATE", "STORAGE", "UNREACHABLE", "JobManager"]

log = logging.getLogger(__name__)

SIGNING_KEY = DiskcacheManager.SIGNING_SECRET_KEY
INVALID = "invalid"  # the request's arguments are malformed: no job, no update

Failure = Callable[..., Any]  # (reason, lang, **values) -> the callback's output
Waiting = Callable[[int, str], Sequence[Any]]  # (jobs ahead, lang) -> progress values


F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Run under the admission lock (see :class:`exports.admission.Admission`)."""

    @wraps(method)
    def run(self: JobManager, *args: Any, **kwargs: Any) -> Any:
        with self.admission.lock:
            return method(self, *args, **kwargs)

    return run  # type: ignore[return-value]


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

    admission_class = Admission  # the Celery manager's jobs run elsewhere (exports.celeryjobs)

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
        valid: Callable[[Any], bool] | None = None,
    ) -> None:
        self._open(cache, expire)
        self.admission = self.admission_class(
            cache,
            max_jobs=max_jobs,
            rate=rate,
            expire=expire,
            launch=self._launch,
            progress_key=self._make_progress_key,
        )
        self.failure = failure
        self.waiting = waiting
        self.lang_of = lang_of
        self.client = client or _remote_address
        self.valid = valid or (lambda args: True)
        self.clear_leftovers()

    def _open(self, cache: Any, expire: float) -> None:
        """Take the store and register Dash's job functions (through :meth:`make_job_fn`)."""
        DiskcacheManager.__init__(self, cache, expire=expire)

    @property
    def max_jobs(self) -> int:
        return self.admission.max_jobs

    @max_jobs.setter
    def max_jobs(self, value: int) -> None:
        self.admission.max_jobs = value

    # --- Dash's manager interface -----------------------------------------------------------

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered) -> str:
        """Dash's key plus a nonce: one result per request, never shared by identical ones."""
        try:
            key = super().build_cache_key(fn, args, cache_args_to_ignore, triggered)
        except (RecursionError, ValueError, TypeError):  # arguments too odd to hash
            key = "malformed"
        return f"{key}-{uuid.uuid4().hex}"

    def make_job_fn(self, fn, progress, key=None):
        job = _make_job_fn(fn, _Expiring(self.handle, self.expire), progress)

        def run(result_key: str, progress_key: str, args: Any, context: Any) -> None:
            try:
                job(result_key, progress_key, args, context)
            except STORE_ERRORS as exc:  # the result could not be stored
                log.error("export job %s could not store its result: %s", result_key, exc)
                try:
                    self.handle.set(failure_key(result_key), STORAGE, expire=self.expire)
                finally:
                    os._exit(STORAGE_EXIT)

        return run

    @_locked
    def call_job_fn(self, key: str, job_fn: Any, args: Any, context: Any) -> str:
        """Queue the job (it starts now if a slot is free); refuse it if the client is over
        its rate; report a store that cannot be written; never queue malformed arguments."""
        lang = self._lang(args)
        if not self._valid(args):
            return f"f:{INVALID}:{lang}"
        try:
            wait = self.admission.rate_wait(self.client())
            if wait:
                return f"r:{lang}:{wait}"
            fn_key = next(k for k, f in self.func_registry.items() if f is job_fn)
            ticket = uuid.uuid4().hex
            info = {
                "key": key, "fn": fn_key, "args": args, "context": dict(context), "lang": lang,
                "ticket": ticket,
            }  # fmt: skip
            self.admission.admit(info, ticket)
        except STORE_ERRORS as exc:
            log.error("export job not queued, the job store is not writable: %s", exc)
            return f"f:{self.store_failure(exc)}:{lang}"
        return f"t:{ticket}:{lang}"

    @_locked
    def job_running(self, job: Any) -> bool:
        """True while the job has not delivered its result (queued, running, or ended and not
        yet reported): Dash stops polling when this is False and the result is not there."""
        ticket = _ticket(job)
        if ticket is None:
            return False
        try:
            return self.handle.get(ticket_key(ticket)) is not None
        except STORE_ERRORS:
            return False

    @_locked
    def terminate_job(self, job: Any) -> None:
        """Cancel: drop a queued job, kill a running one."""
        ticket = _ticket(job)
        if ticket is None:
            return
        try:
            pid = self.admission.cancel(ticket)
        except STORE_ERRORS:
            return
        if pid:
            self._kill(ticket, pid)
        self.pump()

    def _kill(self, ticket: str, pid: Any) -> None:
        """Stop a running job (what the admission's ``running`` holds for it: here a pid)."""
        # a job ending between Dash's "does it exist" and its kill has nothing left to stop
        with contextlib.suppress(psutil.NoSuchProcess):
            DiskcacheManager.terminate_job(self, pid)

    def terminate_unhealthy_job(self, job: Any) -> bool:
        return False

    @_locked
    def get_progress(self, key: str) -> Any:
        """The job's own progress, or for a queued job its place in the queue."""
        try:
            ticket = self.handle.get(by_key(key))
            if ticket is not None:
                self.admission.touch(ticket)
                self.pump()
                waiting = self.admission.position(ticket)
                if waiting is not None:
                    ahead, info = waiting
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
        if handle.startswith(("r:", "f:")):
            return self._refused(handle)
        ticket = _ticket(job)
        if ticket is None:
            return self.UNDEFINED
        lang = _handle_lang(job)
        try:
            info = self.handle.get(ticket_key(ticket))
            if info is None:
                return self.UNDEFINED  # delivered or cancelled
            lang = info.get("lang", lang)
            result = self.handle.get(key, self.UNDEFINED)
            if result is self.UNDEFINED and self.admission.waiting_or_alive(ticket):
                return self.UNDEFINED
            if result is self.UNDEFINED:  # ended, left nothing: why?
                result = self.failure(self.admission.why_ended(key), lang)
            elif isinstance(result, dict) and "background_callback_error" in result:
                log.error("export job failed: %s", result["background_callback_error"]["tb"])
                result = self.failure(ERROR, lang)
            self.admission.forget(ticket, key)
            return result
        except STORE_ERRORS as exc:
            log.error("export job store failed: %s", exc)
            self.admission.forget(ticket, key)
            return self.failure(self.store_failure(exc), lang)

    def store_failure(self, exc: BaseException) -> str:
        """The reason told for a store error: here a local folder that cannot be written."""
        return STORAGE

    @_locked
    def get_updated_props(self, key: str) -> dict:
        try:
            return super().get_updated_props(key)
        except STORE_ERRORS:
            return {}

    # --- admission (exports.admission) ------------------------------------------------------

    def pump(self) -> None:
        """Free ended jobs' slots, drop abandoned ones, start queued jobs, expire entries."""
        self.admission.pump()

    def _launch(self, info: dict[str, Any]) -> Any:
        """Start the job process of a ticket that has a slot (``None``: its function is gone)."""
        from multiprocess import Process  # what Dash's DiskcacheManager uses

        job_fn = self.func_registry.get(info["fn"])
        if job_fn is None:
            return None
        key = info["key"]
        process = Process(
            target=_job_process,
            args=(job_fn, key, self._make_progress_key(key), info["args"], info["context"]),
        )
        process.start()
        return process

    def _refused(self, handle: str) -> Any:
        """The answer to a request that never became a job (signed ``r:``/``f:`` handles)."""
        kind, _, rest = handle.partition(":")
        first, _, second = rest.partition(":")
        if kind == "r":
            return self.failure(RATE, first, seconds=second)
        return self.failure(first, second)

    def _lang(self, args: Any) -> str:
        try:
            return self.lang_of(args)
        except Exception:
            return "zh"

    def _valid(self, args: Any) -> bool:
        try:
            return bool(self.valid(args))
        except Exception:
            return False

    def clear_leftovers(self) -> None:
        """Remove what older runs left without expiry; the shared signing secret stays."""
        self.admission.clear_leftovers(keep=(SIGNING_KEY,))

    def jobs(self) -> dict[str, Any]:
        """The queue and the running jobs (for tests and the probe)."""
        return self.admission.state()


def _ticket(job: Any) -> str | None:
    """The ticket of a ``t:<ticket>:<lang>`` handle (``None`` for any other)."""
    handle = str(job or "")
    return handle[2:].partition(":")[0] if handle.startswith("t:") else None


def _handle_lang(job: Any) -> str:
    """The language of a ``t:<ticket>:<lang>`` handle (older handles have none: zh)."""
    return str(job or "")[2:].partition(":")[2] or "zh"


def _remote_address() -> str:
    from flask import request

    return request.remote_addr or "-"


def _job_process(job_fn: Any, *args: Any) -> None:
    """The body of a job's process, forked from a server worker: Dash's job function, then
    ``os._exit``. The usual exit (``threading._shutdown``) trips over gevent's patched thread
    state in a forked child and printed "Exception ignored … Semaphore released too many times"
    after every job; what the job wrote (the result store is SQLite) is committed by then."""
    code = 0
    try:
        job_fn(*args)
    except BaseException:  # reported like multiprocessing would, as exit code 1
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
