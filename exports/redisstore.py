"""The export job store on Redis: the part of :class:`diskcache.Cache` that the job manager
(:mod:`exports.jobs`) and its admission (:mod:`exports.admission`) use, so that the queue, the
running jobs, the rate limits, progress and results are shared by every app instance and every
Celery worker that points at the same Redis, and none of them lives in one process's memory or
on one machine's disk.

Values are JSON (Dash's results through Plotly's encoder, as Dash's own Celery manager stores
them), bytes as they are; nothing is unpickled from the network. ``transact`` is a Redis lock:
the admission changes its queue only inside it, as it does inside diskcache's transaction.
Every entry written with ``expire`` is removed by Redis itself, so :meth:`expire` has nothing
to do.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from _plotly_utils.utils import PlotlyJSONEncoder

PREFIX = "atlas:"  # every key this store writes (the Celery broker's own keys stay apart)
LOCK = "atlas:jobs-lock"
LOCK_SECONDS = 10  # a lock whose holder died is free again after this long
_JSON, _BYTES = b"j", b"b"


class RedisCache:
    """A diskcache-like view of one Redis database (``url``: ``redis://host:port/db``)."""

    directory = None  # there is no folder: the admission asks Redis whether it is writable

    def __init__(self, url: str) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
        self._held = threading.local()

    # --- values -----------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        raw = self.redis.get(PREFIX + key)
        return default if raw is None else _decode(raw)

    def set(self, key: str, value: Any, expire: float | None = None) -> bool:
        ms = max(1, int(expire * 1000)) if expire else None
        return bool(self.redis.set(PREFIX + key, _encode(value), px=ms))

    def set_all(self, entries: list[tuple[str, Any, float]]) -> None:
        """Several ``(key, value, expire)`` in one MULTI/EXEC: another process sees all of
        them or none, even when this one dies between them."""
        with self.redis.pipeline(transaction=True) as pipe:
            for key, value, expire in entries:
                pipe.set(PREFIX + key, _encode(value), px=max(1, int(expire * 1000)))
            pipe.execute()

    def add(self, key: str, value: Any) -> bool:
        """Set ``key`` only if it is absent (the first instance's signing secret wins)."""
        return bool(self.redis.set(PREFIX + key, _encode(value), nx=True))

    def delete(self, key: str) -> bool:
        return bool(self.redis.delete(PREFIX + key))

    def touch(self, key: str, expire: float | None = None) -> bool:
        if expire is None:
            return bool(self.redis.persist(PREFIX + key))
        return bool(self.redis.pexpire(PREFIX + key, max(1, int(expire * 1000))))

    def __contains__(self, key: str) -> bool:
        return bool(self.redis.exists(PREFIX + key))

    def iterkeys(self) -> Iterator[str]:
        for key in self.redis.scan_iter(match=PREFIX + "*", count=500):
            yield key.decode()[len(PREFIX) :]

    def expire(self, now: float | None = None) -> int:
        return 0  # Redis removes expired entries itself

    # --- locking ----------------------------------------------------------------------------

    @contextmanager
    def transact(self) -> Iterator[None]:
        """One lock across every process using this Redis (re-entrant within a thread)."""
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        lock = self.redis.lock(LOCK, timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS)
        if not lock.acquire():
            raise redis.exceptions.LockError("the export job store's lock was not free in 10 s")
        self._held.depth = 1
        try:
            yield
        finally:
            self._held.depth = 0
            lock.release()

    def ping(self) -> bool:
        """Whether Redis answers (raises Redis's error when it does not)."""
        return bool(self.redis.ping())


def _encode(value: Any) -> bytes:
    if isinstance(value, bytes):
        return _BYTES + value
    return _JSON + json.dumps(value, cls=PlotlyJSONEncoder, ensure_ascii=False).encode()


def _decode(raw: bytes) -> Any:
    kind, body = raw[:1], raw[1:]
    if kind == _BYTES:
        return body
    return json.loads(body) if kind == _JSON else None
