"""A Celery worker for export jobs: ``atlas worker`` or ``celery -A worker worker``.

The worker builds the same app as ``atlas serve`` (``create_app``: the data validated and
loaded once, every background callback registered as a Celery task under the name the web
instances send), so an export made by a worker draws the very atlas and code the page shows.
Like ``server.py`` it sits beside ``app.py``: nothing else imports it. Importing it builds the
app, which is what ``celery -A worker`` does; the broker is ``ATLAS_CELERY_BROKER``.

While it runs, the worker's main process refreshes ``atlas-workers:<name>`` in Redis
(``exports.celeryjobs.Heartbeat``): a job that no worker has started yet is failed, rather than
left waiting, only once no worker is alive.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from celery import Celery, signals

from settings import Settings, SettingsError


def _celery() -> Celery:
    from app import create_app

    settings = Settings.from_env()
    if not settings.celery_broker:
        raise SettingsError("ATLAS_CELERY_BROKER is not set; a worker needs redis://HOST:PORT/DB")
    dash_app = create_app(settings)
    return dash_app.jobs.celery  # the manager create_app gave Dash


celery = _celery()
_beat: Any = None


@signals.worker_ready.connect
def _alive(sender: Any = None, **_: Any) -> None:
    """Say this worker is alive for as long as its main process lives."""
    global _beat
    from exports.celeryjobs import Heartbeat, worker_key
    from exports.redisstore import RedisCache

    name = getattr(sender, "hostname", None) or f"{socket.gethostname()}-{os.getpid()}"
    _beat = Heartbeat(RedisCache(str(celery.conf.broker_url)), worker_key(name)).__enter__()


@signals.worker_shutdown.connect
def _gone(**_: Any) -> None:
    if _beat is not None:
        _beat.__exit__(None, None, None)


def run(concurrency: int, loglevel: str = "INFO") -> None:
    """Start one worker (prefork, ``concurrency`` processes) until it is stopped."""
    celery.worker_main(
        [
            "worker",
            f"--loglevel={loglevel}",
            f"--concurrency={concurrency}",
            f"--hostname=atlas-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
        ]
    )
