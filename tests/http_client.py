"""Plain HTTP from the tests to a running server: many keep-alive POSTs at once (the fuzz
test), one POST, a health check."""

from __future__ import annotations

import http.client
import threading
from typing import Protocol
from urllib.parse import urlsplit

CALLBACK_PATH = "/_dash-update-component"
THREADS = 4


class Request(Protocol):
    path: str
    body: bytes
    headers: dict[str, str]


def host_port(base: str) -> tuple[str, int]:
    url = urlsplit(base)
    return url.hostname or "127.0.0.1", url.port or 80


def send_all(
    base: str, mutants: list[Request], threads: int = THREADS, retried: list[int] | None = None
) -> list[int]:
    """POST every mutant from ``threads`` keep-alive connections; the status of each (-1: the
    connection failed even when opened afresh). A mutant sent again on a fresh connection is
    added to ``retried``: the server may have handled (and logged) the first send too."""
    host, port = host_port(base)
    statuses = [0] * len(mutants)

    def worker(start: int) -> None:
        conn: http.client.HTTPConnection | None = None
        for i in range(start, len(mutants), threads):
            m = mutants[i]
            for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=60)
                try:
                    conn.request("POST", m.path, body=m.body, headers=m.headers)
                    response = conn.getresponse()
                    response.read()
                    statuses[i] = response.status
                    if response.will_close:
                        conn.close()
                        conn = None
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = None
                    statuses[i] = -1 if attempt == 2 else 0
                    if attempt == 1 and retried is not None:
                        retried.append(i)
        if conn is not None:
            conn.close()

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return statuses


def post(base: str, body: bytes, path: str = CALLBACK_PATH, **headers: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(*host_port(base), timeout=60)
    try:
        conn.request(
            "POST", path, body=body, headers={"Content-Type": "application/json", **headers}
        )
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def health(base: str) -> int:
    conn = http.client.HTTPConnection(*host_port(base), timeout=30)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()
