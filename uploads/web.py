"""The HTTP routes of planners' layers (assets/userlayers.js is their client).

    POST /_atlas/layers?name=FILE[&layer=L]     the file's bytes as the body → the layer
    POST /_atlas/layers/ID/convert?datum=D      the layer moved from GCJ-02/BD-09 to WGS-84
    GET  /_atlas/layers/ID?mode=&column=&…      the layer drawn in a style (see uploads.style)
    GET  /_atlas/layers/ID/features/N           one feature's attributes

A refusal is JSON ``{"error": {"en": …, "zh": …}}`` with a 4xx status: 400 for a file or
parameter the atlas cannot use, 404 for an id the store does not have, 413 over the size cap
(set by requestguard before the body is read). Answers are JSON; nothing from a file is ever
interpreted as markup here (the browser puts it in text nodes)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from uploads.read import LayerChoiceError, UploadError
from uploads.service import LayerService, style_from
from uploads.style import StyleError

log = logging.getLogger(__name__)

Run = Callable[..., dict[str, Any]]  # uploads.remote: ("add", name, data, layer) | ("convert", …)

PREFIX = "/_atlas/layers"
MAX_NAME = 200


def _json(value: Any, status: int = 200, cache: bool = False) -> Response:
    response = Response(
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
        status,
        mimetype="application/json",
    )
    # a layer's id is the hash of its content: what it names never changes
    response.headers["Cache-Control"] = "private, max-age=86400" if cache else "no-store"
    return response


def _error(en: str, zh: str, status: int = 400, **extra: Any) -> Response:
    return _json({"error": {"en": en, "zh": zh}, **extra}, status)


def _missing() -> Response:
    return _error(
        "That layer is not in the store (it may have been removed).",
        "图层库中没有该图层（可能已被删除）。",
        404,
    )


def register(
    server: Flask, service: LayerService, jobs: Any = None, hold_path: Path | None = None
) -> None:
    """The routes. With a Celery job manager (``jobs``: a broker is set) files are read and
    layers converted on the workers (``uploads.remote``; ``hold_path`` as for exports)."""
    remote: Run | None = None
    if hasattr(jobs, "celery"):
        from uploads.remote import register as on_workers

        remote = on_workers(jobs.celery, service, hold_path)

    def add_layer(name: str, data: bytes, layer: str | None) -> dict[str, Any]:
        return remote("add", name, data, layer) if remote else service.add(name, data, layer)

    def convert_layer(digest: str, datum: str) -> dict[str, Any]:
        return remote("convert", digest, datum) if remote else service.convert(digest, datum)

    def add() -> Response:
        name = request.args.get("name", "")[:MAX_NAME].strip()
        if not name:
            return _error("The upload names no file.", "上传未提供文件名。")
        layer = request.args.get("layer") or None
        data = request.get_data(cache=False)
        try:
            return _json(add_layer(name, data, layer))
        except LayerChoiceError as exc:
            return _error(exc.text("en"), exc.text("zh"), layers=exc.layers)
        except UploadError as exc:
            log.info("upload refused: %s", exc)
            return _error(exc.text("en"), exc.text("zh"))

    def convert(digest: str) -> Response:
        try:
            return _json(convert_layer(digest, request.args.get("datum", "")))
        except UploadError as exc:
            return _error(exc.text("en"), exc.text("zh"))

    def draw(digest: str) -> Response:
        try:
            drawing = service.drawing(digest, style_from(request.args))
        except StyleError as exc:
            return _error(f"{exc}.", f"样式参数有误：{exc}。")
        if drawing is None:
            return _missing()
        return _json(service.draw_json(drawing), cache=True)

    def feature(digest: str, index: int) -> Response:
        found = service.feature(digest, index)
        return _missing() if found is None else _json(found, cache=True)

    def info(digest: str) -> Response:
        found = service.get(digest)
        return _missing() if found is None else _json(service.describe(*found), cache=True)

    server.add_url_rule(PREFIX, "atlas_layer_add", add, methods=["POST"])
    server.add_url_rule(
        f"{PREFIX}/<digest>/convert", "atlas_layer_convert", convert, methods=["POST"]
    )
    server.add_url_rule(f"{PREFIX}/<digest>", "atlas_layer_draw", draw)
    server.add_url_rule(f"{PREFIX}/<digest>/info", "atlas_layer_info", info)
    server.add_url_rule(f"{PREFIX}/<digest>/features/<int:index>", "atlas_layer_feature", feature)
