"""Planners' uploads read on the Celery workers (``ATLAS_CELERY_BROKER``), not in the web process.

Reading a file (a 50 MB GeoPackage, a zipped Shapefile, 100,000 CSV rows) is seconds of one
core, and a gevent web worker does nothing else meanwhile: every page it serves waits. With a
broker set, the upload route hands the file to a worker instead (its bytes in Redis under an
expiring key, the task the key) and waits for the answer without holding the core; so does a
datum conversion. The worker stores the layer in the one layer store every process shares
(PostGIS, or the SQLite file in a shared ``ATLAS_UPLOADS_DIR``), so any instance draws it.

The route's answers are unchanged: the layer's description, or the planner's one sentence in
both languages (``UploadError``, ``LayerChoiceError`` with the layers to choose from). A worker
that dies while reading is noticed by the job heartbeat (:mod:`exports.celeryjobs`) and is one
sentence too; with no worker alive (or the last one gone before it took the file) the file is
read here, as without a broker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from celery import Celery

from exports.celeryjobs import (
    Heartbeat,
    WorkerFailedError,
    WorkerGoneError,
    beat_key,
    hold,
    live_workers,
    started_key,
    wait,
)
from exports.redisstore import RedisCache
from uploads.read import LayerChoiceError, UploadError
from uploads.service import LayerService

TASK = "atlas.layer"
KEEP = 600.0  # seconds an upload's bytes wait in Redis for a worker

Run = Callable[..., dict[str, Any]]  # ("add", name, data, layer) | ("convert", digest, datum)


def register(celery: Celery, service: LayerService, hold_path: Path | None = None) -> Run:
    """The task (run by workers) and the function the routes call instead of the service's.
    ``hold_path``: as for export jobs (``ATLAS_EXPORT_HOLD``, tests)."""
    store = RedisCache(str(celery.conf.broker_url))

    @celery.task(name=TASK, bind=True)
    def layer_job(task: Any, op: str, args: list[Any]) -> dict[str, Any]:
        with Heartbeat(store, beat_key(task.request.id), started_key(task.request.id)):
            hold(hold_path)
            try:
                if op == "add":
                    name, key, layer = args
                    data = store.get(key)
                    store.delete(key)
                    if not isinstance(data, bytes):
                        raise _lost(name)
                    return {"layer": service.add(name, data, layer)}
                return {"layer": service.convert(*args)}
            except LayerChoiceError as exc:
                return {"error": {"en": exc.en, "zh": exc.zh}, "layers": exc.layers}
            except UploadError as exc:
                return {"error": {"en": exc.en, "zh": exc.zh}}

    def here(op: str, *args: Any) -> dict[str, Any]:
        return service.add(*args) if op == "add" else service.convert(*args)

    def run(op: str, *args: Any) -> dict[str, Any]:
        if not live_workers(store):  # nobody to hand it to: read it here
            return here(op, *args)
        sent, key = list(args), None
        if op == "add":
            name, data, layer = args
            key = f"atlas-uploads:{uuid.uuid4().hex}"
            store.set(key, data, expire=KEEP)
            sent = [name, key, layer]
        try:
            answer = wait(celery.send_task(TASK, args=[op, sent]), store)
        except WorkerGoneError as gone:
            if gone.started:
                raise _stopped(args[0] if op == "add" else None) from None
            if key is not None:  # the last worker went before taking it: read it here
                store.delete(key)
            return here(op, *args)
        except WorkerFailedError:
            raise _stopped(args[0] if op == "add" else None) from None
        if "error" in answer:
            error = answer["error"]
            if "layers" in answer:
                raise LayerChoiceError(error["en"], error["zh"], answer["layers"])
            raise UploadError(error["en"], error["zh"])
        return answer["layer"]

    return run


def _lost(name: str) -> UploadError:
    return UploadError(
        f"{name} was not read: the file waited too long for a worker; add it again.",
        f"{name} 未能读取：文件等待处理的时间过长，请重新添加。",
    )


def _stopped(name: str | None) -> UploadError:
    if name is None:  # a conversion
        return UploadError(
            "The layer was not converted: the worker converting it stopped; try again.",
            "图层未能转换：处理它的后台进程中止了，请再试一次。",
        )
    return UploadError(
        f"{name} was not read: the worker reading it stopped; add it again.",
        f"{name} 未能读取：处理该文件的后台进程中止了，请重新添加。",
    )
