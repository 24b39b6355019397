"""Export jobs on Celery workers, with the admission rules of :mod:`exports.jobs` kept in Redis.

With ``ATLAS_CELERY_BROKER=redis://…`` the export panel's jobs run on Celery workers (``atlas
worker``, or ``celery -A worker worker``) instead of processes forked by the web server. What
the diskcache manager keeps in its folder — the queue and the running jobs, each client's rate,
progress, results and why a job failed — lives in that Redis (:class:`exports.redisstore
.RedisCache`), every entry with an expiry, so any number of app instances share one queue and
a job started through one is polled, and its file downloaded, through another.

A worker that dies mid-job (a SIGKILL, the OOM killer, a machine gone) is noticed by a
heartbeat, not by Celery's ``acks_late``/``reject_on_worker_lost``: a running job refreshes
``atlas-jobs:beat:<ticket>`` every ``BEAT`` seconds with a ``BEAT_TTL`` expiry, and a job that
started and has no heartbeat any more is reported as stopped (``export.killed``) at the next
poll. ``acks_late`` is off on purpose: with it Redis would hand the dead worker's message to
another worker only after the broker's visibility timeout (an hour by default), long after the
user was told to try again, and render a file nobody collects; and a job that kills its worker
(a page too large for memory) would be retried into the next worker. The user's retry is the
retry. A job no worker has started yet stays queued while any worker is alive (each worker
refreshes ``atlas-workers:<name>`` the same way) and is reported as stopped once none is.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import fcntl
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from celery import Celery
from dash.background_callback.managers import BaseBackgroundCallbackManager
from dash.background_callback.managers.diskcache_manager import _make_job_fn

from exports.admission import STORAGE, Admission, failure_key, ticket_key
from exports.jobs import JobManager, _Expiring
from exports.redisstore import RedisCache
from exports.store import STORE_ERRORS

log = logging.getLogger(__name__)

BEAT = 2.0  # seconds between a running job's (and a live worker's) heartbeats
BEAT_TTL = 10.0  # a heartbeat older than this: its job (or worker) is gone
FILE_TASK = "atlas.export_file"  # ``atlas export --queue``: one file from an ExportSpec


def beat_key(ticket: str) -> str:
    return f"atlas-jobs:beat:{ticket}"


def started_key(ticket: str) -> str:
    return f"atlas-jobs:started:{ticket}"


def worker_key(name: str) -> str:
    return f"atlas-workers:{name}"


def make_celery(broker: str, expire: float) -> Celery:
    """The Celery app of the web instances, the workers and ``atlas export --queue`` (Redis is
    broker and result store; JSON only; early acks, see the module's docstring)."""
    app = Celery("atlas", broker=broker, backend=broker)
    app.conf.update(
        task_acks_late=False,
        task_reject_on_worker_lost=False,
        worker_prefetch_multiplier=1,  # a worker takes a job only when it has a free process
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=int(expire),
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


class Heartbeat:
    """While a job (or a worker) lives, ``key`` exists: set every ``BEAT`` seconds with a
    ``BEAT_TTL`` expiry from a thread, deleted on a clean exit; a killed process leaves it to
    expire. ``started`` (if given) is set once, so a missing beat can mean "ended"."""

    def __init__(self, cache: RedisCache, key: str, started: str | None = None) -> None:
        self.cache, self.key, self.started = cache, key, started
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Heartbeat:
        self.cache.set(self.key, os.getpid(), expire=BEAT_TTL)
        if self.started:
            self.cache.set(self.started, time.time(), expire=BEAT_TTL * 60)
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stop.wait(BEAT):
            try:
                self.cache.set(self.key, os.getpid(), expire=BEAT_TTL)
            except STORE_ERRORS as exc:  # Redis away for a moment: the next beat may reach it
                log.warning("export heartbeat not written: %s", exc)

    def __exit__(self, *_: Any) -> None:
        self.stop.set()
        self.thread.join()
        with contextlib.suppress(*STORE_ERRORS):
            self.cache.delete(self.key)


def job_alive(cache: RedisCache, ticket: str) -> bool:
    """Whether the Celery job ``ticket`` runs or may still run: its heartbeat is there, or it
    has not started and some worker is alive to start it."""
    if cache.get(beat_key(ticket)) is not None:
        return True
    if cache.get(started_key(ticket)) is not None:
        return False  # started, and its heartbeat is gone: ended (or killed)
    return any(True for _ in cache.redis.scan_iter(match="atlas:" + worker_key("*"), count=100))


def hold(path: Path | None) -> None:
    """``ATLAS_EXPORT_HOLD``: wait while another process holds an exclusive lock on the file
    (tests and rehearsals keep a job mid-way this way, deterministically)."""
    if path is None:
        return
    with open(path, "rb") as file:
        fcntl.lockf(file, fcntl.LOCK_SH)


class RedisAdmission(Admission):
    """The admission on Redis: a started job is a Celery task, alive while it beats."""

    def started(self, process: Any, info: dict[str, Any]) -> Any:
        return time.time()  # any non-zero handle; liveness is the heartbeat

    def running(self, ticket: str, handle: Any) -> bool:
        return job_alive(self.cache, ticket)

    def writable(self) -> bool:
        try:
            self.cache.set("atlas-jobs:probe", time.time(), expire=60)
        except STORE_ERRORS:
            return False
        return True

    def clear_leftovers(self, keep: Any = ()) -> None:
        """Nothing: every entry expires by itself, and the queue is every instance's."""


class CeleryJobManager(JobManager):
    """:class:`JobManager` whose jobs are Celery tasks and whose store is Redis."""

    admission_class = RedisAdmission

    def __init__(self, url: str, *, hold_path: Path | None = None, **options: Any) -> None:
        self.celery = make_celery(url, options["expire"])
        self.hold_path = hold_path
        super().__init__(RedisCache(url), **options)  # type: ignore[arg-type]

    def _open(self, cache: Any, expire: float) -> None:
        # DiskcacheManager's own __init__ only insists on a diskcache; this store speaks its part
        self.handle = cache
        self.expire = expire
        BaseBackgroundCallbackManager.__init__(self, None)

    def make_job_fn(self, fn, progress, key=None):
        """A Celery task per background callback (named by Dash's hash of it, the same in the
        web instances and the workers): heartbeat, then Dash's job function on the store."""
        store, expire, hold_path = self.handle, self.expire, self.hold_path
        job = _make_job_fn(fn, _Expiring(store, expire), progress)

        @self.celery.task(name=f"atlas.background.{key}", bind=True)
        def run(task: Any, result_key: str, progress_key: str, args: Any, context: Any) -> None:
            ticket = task.request.id
            if store.get(ticket_key(ticket)) is None:
                return  # cancelled or given up on while it waited: nobody will collect it
            with Heartbeat(store, beat_key(ticket), started_key(ticket)):
                hold(hold_path)
                try:
                    job(result_key, progress_key, args, context)
                except STORE_ERRORS as exc:
                    log.error("export job %s could not store its result: %s", result_key, exc)
                    store.set(failure_key(result_key), STORAGE, expire=expire)

        return run

    def _launch(self, info: dict[str, Any]) -> Any:
        task = self.func_registry.get(info["fn"])
        if task is None:
            return None
        key = info["key"]
        args = (key, self._make_progress_key(key), info["args"], info["context"])
        return task.apply_async(args=args, task_id=info["ticket"])

    def _kill(self, ticket: str, pid: Any) -> None:
        self.celery.control.revoke(ticket, terminate=True, signal="SIGKILL")

    def ping(self) -> None:
        """Raise Redis's error unless it answers (the readiness check)."""
        self.handle.ping()


# --- atlas export --queue --------------------------------------------------------------------


def register_file_task(celery: Celery, render: Callable[[Any], bytes]) -> None:
    """The task behind ``atlas export --queue``: ``render`` an ExportSpec (as a dict) in the
    worker; the file comes back base64-encoded, an ExportError as its sentence."""
    from exports.spec import ExportError

    store = RedisCache(str(celery.conf.broker_url))

    @celery.task(name=FILE_TASK, bind=True)
    def export_file(task: Any, spec: dict[str, Any]) -> dict[str, str]:
        ticket = task.request.id
        if store.get(ticket_key(ticket)) is None:
            return {"error": "nobody waits for this export any more"}  # the command gave up
        with Heartbeat(store, beat_key(ticket), started_key(ticket)):
            try:
                content = render(spec)
            except ExportError as exc:
                return {"error": str(exc)}
        return {"content": base64.b64encode(content).decode("ascii")}


def spec_dict(spec: Any) -> dict[str, Any]:
    return dataclasses.asdict(spec)


def spec_from_dict(values: dict[str, Any]) -> Any:
    """The ExportSpec :func:`spec_dict` sent (JSON made its tuples lists)."""
    from exports.spec import ExportSpec

    return ExportSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


def run_queued(broker: str, spec: Any, expire: float) -> bytes:
    """Send one export to the workers and wait for its file; ExportError in one line when the
    worker refused it or died (heartbeat gone) or no worker is alive to take it."""
    from celery.exceptions import TimeoutError as NotYet

    from exports.spec import ExportError

    celery = make_celery(broker, expire)
    store = RedisCache(broker)
    ticket = uuid.uuid4().hex
    store.set(ticket_key(ticket), {"cli": True}, expire=expire)  # deleted if we give up
    result = celery.send_task(FILE_TASK, args=[spec_dict(spec)], task_id=ticket)
    try:
        while True:
            try:
                answer = result.get(timeout=BEAT, propagate=False)
                break
            except NotYet:
                if not job_alive(store, result.id):
                    raise ExportError(_gone(store, result.id)) from None
        if result.failed() or not isinstance(answer, dict):
            raise ExportError(f"the export worker failed: {answer}")
        if "error" in answer:
            raise ExportError(answer["error"])
        return base64.b64decode(answer["content"])
    finally:
        store.delete(ticket_key(ticket))  # a worker that takes it later skips it
        result.forget()


def _gone(store: RedisCache, ticket: str) -> str:
    if store.get(started_key(ticket)) is not None:
        return "the export worker stopped before it finished; run the export again"
    return "no export worker is running (start one with `atlas worker`)"
