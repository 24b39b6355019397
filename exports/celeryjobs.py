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

``atlas export --queue`` takes its ticket in the same queue (:func:`run_queued`): whichever
process frees a slot sends the next ticket to the workers by task name (:func:`send`). Redis
that stops answering loses the jobs with it; the panel says so (``UNREACHABLE``).
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

from exports.admission import STORAGE, UNREACHABLE, Admission, failure_key, ticket_key
from exports.jobs import JobManager, _Expiring
from exports.redisstore import RedisCache
from exports.store import STORE_ERRORS

log = logging.getLogger(__name__)

BEAT = 2.0  # seconds between a running job's (and a live worker's) heartbeats
BEAT_TTL = 10.0  # a heartbeat older than this: its job (or worker) is gone
FILE_TASK = "atlas.export_file"  # ``atlas export --queue``: one file from an ExportSpec
TASK_PREFIX = "atlas.background."  # + Dash's key of a background callback


def beat_key(ticket: str) -> str:
    return f"atlas-jobs:beat:{ticket}"


def started_key(ticket: str) -> str:
    return f"atlas-jobs:started:{ticket}"


def worker_key(name: str) -> str:
    return f"atlas-workers:{name}"


def progress_key(key: str) -> str:
    """Where Dash's job function writes a job's progress (its manager's own rule)."""
    return BaseBackgroundCallbackManager._make_progress_key(key)


def send(celery: Celery, info: dict[str, Any]) -> Any:
    """Send a ticket that has a slot to the workers, by task name, from any process: a
    background callback's job (``fn``: Dash's key of the callback, the task's name) or an
    ``atlas export --queue`` file (``spec``)."""
    if "spec" in info:
        return celery.send_task(FILE_TASK, args=[info["spec"]], task_id=info["ticket"])
    key = info["key"]
    args = [key, progress_key(key), info["args"], info["context"]]
    return celery.send_task(f"{TASK_PREFIX}{info['fn']}", args=args, task_id=info["ticket"])


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
        # one transaction: a process killed between two writes would leave a beat without
        # "started", which once the beat expires reads as "never started" (and an upload would
        # be read again in the web process instead of the planner hearing the worker stopped)
        beat = [(self.key, os.getpid(), BEAT_TTL)]
        started = [(self.started, time.time(), BEAT_TTL * 60)] if self.started else []
        self.cache.set_all(beat + started)
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
    return live_workers(cache) > 0


def hold(path: Path | None) -> None:
    """``ATLAS_EXPORT_HOLD``: wait while another process holds an exclusive lock on the file
    (tests and rehearsals keep a job mid-way this way, deterministically)."""
    if path is None:
        return
    with open(path, "rb") as file:
        fcntl.lockf(file, fcntl.LOCK_SH)


def live_workers(cache: RedisCache) -> int:
    """How many ``atlas worker`` processes beat now."""
    return sum(1 for _ in cache.redis.scan_iter(match="atlas:" + worker_key("*"), count=100))


def check_broker(broker: str) -> str:
    """One line on the shared job store for ``atlas check-data``: Redis answers, and how many
    workers are alive; :class:`settings.SettingsError` in one line when it does not answer."""
    from geodata.postgis import public_url
    from settings import SettingsError

    shown = public_url(broker)  # never print a password
    cache = RedisCache(broker)
    try:
        cache.ping()
        workers = live_workers(cache)
    except STORE_ERRORS as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        message = f"the export job store (Redis) at {shown} does not answer: {first}"
        raise SettingsError(message) from None
    alive = f"{workers} export worker{'s' if workers != 1 else ''} alive"
    if not workers:
        alive = "no export worker alive yet (start one with `atlas worker`)"
    return f"export jobs on Redis {shown}: answers; {alive}"


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

        @self.celery.task(name=f"{TASK_PREFIX}{key}", bind=True)
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
        if "spec" not in info and info["fn"] not in self.func_registry:
            return None  # a callback this version does not have
        return send(self.celery, info)

    def _kill(self, ticket: str, pid: Any) -> None:
        self.celery.control.revoke(ticket, terminate=True, signal="SIGKILL")

    def store_failure(self, exc: BaseException) -> str:
        """Redis gone (refused, timed out): the job and its queue place are lost with it."""
        from redis.exceptions import ConnectionError as Refused
        from redis.exceptions import TimeoutError as TimedOut

        return UNREACHABLE if isinstance(exc, (Refused, TimedOut)) else STORAGE

    def ping(self) -> None:
        """Raise Redis's error unless it answers (the readiness check)."""
        self.handle.ping()


# --- atlas export --queue --------------------------------------------------------------------


def register_file_task(
    celery: Celery, render: Callable[[Any], bytes], hold_path: Path | None = None
) -> None:
    """The task behind ``atlas export --queue``: ``render`` an ExportSpec (as a dict) in the
    worker; the file comes back base64-encoded, an ExportError as its sentence. ``hold_path``:
    as for the panels' jobs (``ATLAS_EXPORT_HOLD``)."""
    from exports.spec import ExportError

    store = RedisCache(str(celery.conf.broker_url))

    @celery.task(name=FILE_TASK, bind=True)
    def export_file(task: Any, spec: dict[str, Any]) -> dict[str, str]:
        ticket = task.request.id
        if store.get(ticket_key(ticket)) is None:
            return {"error": "nobody waits for this export any more"}  # the command gave up
        with Heartbeat(store, beat_key(ticket), started_key(ticket)):
            hold(hold_path)
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


class WorkerGoneError(Exception):
    """A task's worker died mid-way (``started``), or no worker is alive to take it."""

    def __init__(self, started: bool) -> None:
        super().__init__("started" if started else "not started")
        self.started = started


class WorkerFailedError(Exception):
    """The task raised (its error as Celery stored it)."""


def wait(result: Any, store: RedisCache, tick: Callable[[], bool] = lambda: False) -> dict:
    """A task's answer (a dict) once the worker has stored it. ``tick`` runs before each
    wait of one heartbeat and says whether the task still waits in the admission queue (and
    so cannot have died). WorkerGoneError once its heartbeat is gone without an answer;
    WorkerFailedError when the task raised."""
    from celery.exceptions import TimeoutError as NotYet

    while True:
        queued = tick()
        try:
            answer = result.get(timeout=BEAT, propagate=False)
        except NotYet:
            if queued or job_alive(store, result.id):
                continue
            try:  # its heartbeat ends just before it stores its answer
                answer = result.get(timeout=BEAT, propagate=False)
            except NotYet:
                raise WorkerGoneError(store.get(started_key(result.id)) is not None) from None
        if result.failed() or not isinstance(answer, dict):
            raise WorkerFailedError(str(answer))
        return answer


def run_queued(
    broker: str,
    spec: Any,
    *,
    max_jobs: int,
    expire: float,
    say: Callable[[str], None] = lambda line: None,
) -> bytes:
    """Send one export to the workers through the web's admission (one cap and one queue with
    the panels' jobs; an operator's command is not rate-limited) and wait for its file;
    ``say`` hears the place in the queue when it changes. ExportError in one line when the
    worker refused it or died (heartbeat gone) or no worker is alive to take it."""
    from exports.spec import ExportError

    celery = make_celery(broker, expire)
    store = RedisCache(broker)
    admission = RedisAdmission(
        store,
        max_jobs=max_jobs,
        rate=1,
        expire=expire,
        launch=lambda info: send(celery, info),
        progress_key=progress_key,
    )
    ticket = uuid.uuid4().hex
    key = f"atlas-cli-{ticket}"
    admission.admit({"key": key, "spec": spec_dict(spec), "ticket": ticket}, ticket)
    result = celery.AsyncResult(ticket)
    said: list[int] = []

    def tick() -> bool:
        admission.touch(ticket)  # a queued ticket nobody polls is dropped (ABANDONED)
        admission.pump()
        waiting = admission.position(ticket)
        if waiting is not None and waiting[0] not in said[-1:]:
            said.append(waiting[0])
            say(f"waiting for a free export worker: {waiting[0]} ahead in the queue")
        return waiting is not None

    try:
        answer = wait(result, store, tick)
    except WorkerGoneError as gone:
        raise ExportError(_gone(gone.started)) from None
    except WorkerFailedError as exc:
        raise ExportError(f"the export worker failed: {exc}") from None
    finally:
        admission.forget(ticket, key)  # a worker that takes it later skips it
        result.forget()
    if "error" in answer:
        raise ExportError(answer["error"])
    return base64.b64decode(answer["content"])


def _gone(started: bool) -> str:
    if started:
        return "the export worker stopped before it finished; run the export again"
    return "no export worker is running (start one with `atlas worker`)"
