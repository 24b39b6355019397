"""Requests refused before they reach Dash, with a one-line reason and one short log line.

- Every request body has a cap: ``CALLBACK_BODY_LIMIT`` on the callback route, the upload cap
  (``ATLAS_UPLOAD_MAX_MB``) on the route that takes planners' files, ``BODY_LIMIT`` on every
  other route; over it, 413. The largest real callback
  request is a map click on a province's outline, whose ``clickData`` state carries the whole
  polygon: ~245 KB for Hebei (a prefecture ~65 KB; a theme or year change ~1-2 KB), so 1 MiB
  leaves four times that.
- A callback request Dash's dispatcher cannot take gets 400 (415 when it is not declared JSON):
  a body that is not strict JSON (``NaN``, ``Infinity``, ``1e999``, a 5,000-digit number, bad
  UTF-8), nested deeper than ``MAX_DEPTH``, not an object, or whose ``output``, ``outputs``,
  ``inputs``, ``state`` or ``changedPropIds`` are not those of a callback the app has. Without
  this, each of them raised inside Dash (a 500 and ~3 KB of traceback in the log).

What passes is well-formed for the dispatcher; the *values* in it are still anything, and each
callback checks its own at its boundary (``core.inputs``).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from typing import Any

from dash import Dash
from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

log = logging.getLogger(__name__)

CALLBACK_BODY_LIMIT = 1024 * 1024  # bytes: 4x the largest real callback request (see above)
BODY_LIMIT = 16 * 1024  # bytes: any other route
MAX_DEPTH = 32  # levels of JSON nesting; a real request has at most ~10 (a polygon in clickData)
WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])  # pattern-matching ids, as Dash writes them


class RefusedError(Exception):
    """A request answered with ``status`` and one line saying why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _short(value: Any, length: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= length else text[: length - 1] + "…"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is out of range")
    return value


def parse_json(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Strict JSON (what a browser's ``JSON.stringify`` writes) at most ``max_depth`` deep."""
    try:
        value = json.loads(data, parse_constant=_reject_constant, parse_float=_finite)
    except RecursionError:
        raise RefusedError(400, f"JSON nested deeper than {max_depth} levels") from None
    except ValueError as exc:  # also bad UTF-8 and integers over Python's 4,300 digits
        raise RefusedError(400, f"body is not JSON ({str(exc).splitlines()[0][:80]})") from None
    if depth_over(value, max_depth):
        raise RefusedError(400, f"JSON nested deeper than {max_depth} levels")
    return value


def depth_over(value: Any, max_depth: int) -> bool:
    """Whether ``value`` nests lists/objects more than ``max_depth`` deep (the top is 1)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if depth > max_depth:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)
    return False


def _pattern(dep_id: str) -> dict[str, Any] | None:
    """The id of a pattern-matching dependency as a dict (Dash keeps it as JSON text)."""
    if not dep_id.startswith("{"):
        return None
    parsed = json.loads(dep_id)
    return parsed if isinstance(parsed, dict) else None


def _matches_pattern(sent_id: Any, pattern: dict[str, Any]) -> bool:
    if not isinstance(sent_id, dict) or set(sent_id) != set(pattern):
        return False
    for key, want in pattern.items():
        got = sent_id[key]
        if want in WILDCARDS:
            if not isinstance(got, (str, int, float)) or isinstance(got, bool):
                return False
        elif got != want:
            return False
    return True


def _fills(item: Any, dep: Mapping[str, Any]) -> bool:
    """Whether ``item`` (from a request) is what the renderer sends for dependency ``dep``."""
    pattern = _pattern(dep["id"])
    if pattern is None:
        return (
            isinstance(item, dict)
            and item.get("id") == dep["id"]
            and (item.get("property") == dep["property"])
        )
    items = item if isinstance(item, list) else [item]
    return all(
        isinstance(x, dict)
        and x.get("property") == dep["property"]
        and _matches_pattern(x.get("id"), pattern)
        for x in items
    )


def _prop_ids(items: list[Any]) -> set[str]:
    """The ``id.property`` names of the items sent (as Dash's ``changedPropIds`` writes them)."""
    out: set[str] = set()
    for item in items:
        for x in item if isinstance(item, list) else [item]:
            sent_id = x["id"]
            if isinstance(sent_id, dict):
                sent_id = json.dumps(sent_id, sort_keys=True, separators=(",", ":"))
            out.add(f"{sent_id}.{x['property']}")
    return out


def _expected_outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    """The ``outputs`` a renderer sends for the callback keyed ``output`` (Dash's own split:
    a list for a multi-output callback, one object otherwise)."""
    if output.startswith(".."):
        return [_expected_outputs(o) for o in output[2:-2].split("...")]  # type: ignore[misc]
    id_, prop = output.rsplit(".", 1)
    return {"id": id_, "property": prop}


def _outputs_ok(sent: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return (
            isinstance(sent, list)
            and len(sent) == len(expected)
            and all(_outputs_ok(s, e) for s, e in zip(sent, expected, strict=True))
        )
    if _pattern(expected["id"]) is None:
        return sent == expected
    return _fills(sent, expected)


def check_callback_body(body: Any, callbacks: Mapping[str, Any]) -> None:
    """Raise RefusedError unless ``body`` is shaped as the renderer sends it for a server callback
    in ``callbacks`` (Dash's ``callback_map``)."""
    if not isinstance(body, dict):
        raise RefusedError(400, "body is not a JSON object")
    output = body.get("output")
    if not isinstance(output, str):
        raise RefusedError(400, "'output' is not a string")
    spec = callbacks.get(output)
    if not isinstance(spec, dict) or "callback" not in spec:
        raise RefusedError(400, f"no callback has the output {_short(output)}")
    if not spec.get("no_output") and not _outputs_ok(
        body.get("outputs"), _expected_outputs(output)
    ):
        raise RefusedError(400, "'outputs' are not the callback's outputs")
    for key in ("inputs", "state"):
        declared = spec.get(key) or []
        sent = body.get(key, [] if key == "state" else None)
        if not isinstance(sent, list) or len(sent) != len(declared):
            count = len(declared)
            raise RefusedError(400, f"'{key}' is not a list of the callback's {count} {key}")
        for item, dep in zip(sent, declared, strict=True):
            if not _fills(item, dep):
                raise RefusedError(400, f"'{key}' are not the callback's {key}")
    changed = body.get("changedPropIds", [])
    allowed = _prop_ids(body["inputs"])
    if not isinstance(changed, list) or not all(
        isinstance(c, str) and c in allowed for c in changed
    ):
        raise RefusedError(400, "'changedPropIds' names something that is not an input")


def register(app: Dash, uploads: tuple[str, int] | None = None) -> None:
    """Cap request bodies and refuse malformed callback requests on ``app``'s server;
    ``uploads``: (path, cap in bytes) of the one route that takes files (uploads.web)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = BODY_LIMIT
    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"

    def guard() -> Response | None:
        is_callback = request.path == callback_path
        limit = CALLBACK_BODY_LIMIT if is_callback else BODY_LIMIT
        if uploads is not None and request.path == uploads[0] and request.method == "POST":
            limit = uploads[1]
        request.max_content_length = limit  # also caps a chunked body while it is read
        try:
            if request.content_length is not None and request.content_length > limit:
                raise RefusedError(413, f"body over {limit} bytes")
            if not is_callback or request.method != "POST":
                return None
            if not request.is_json:
                raise RefusedError(415, "callback requests are Content-Type: application/json")
            try:
                data = request.get_data(cache=True)  # kept for Dash's own request.get_json()
            except RequestEntityTooLarge:
                raise RefusedError(413, f"body over {limit} bytes") from None
            # app.callback_map, read now: Dash adds its cancel callbacks at the first request
            check_callback_body(parse_json(data), app.callback_map)
        except RefusedError as refused:
            log.warning(
                "refused %s %s (%d): %s", request.method, request.path, refused.status, refused
            )
            return Response(refused.reason + "\n", refused.status, mimetype="text/plain")
        return None

    server.before_request(guard)
