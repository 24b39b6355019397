"""Slow clients do not stop others being served: with 64 connections that sent half a header and
16 uploads whose body trickles in, the real server (``atlas serve``) still answers the health
check and a real callback request. (Under the old gthread server, 0 of 25 health checks were
answered with 64 slow headers open.)"""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from urllib.parse import urlsplit

from tests.harness import running_server

SLOW_HEADERS = 64
SLOW_BODIES = 16
ANSWER_TIMEOUT = 20  # seconds: only a server that is not answering gets near it


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=ANSWER_TIMEOUT)


@contextmanager
def slow_clients(url: str) -> Iterator[list[socket.socket]]:
    """64 connections holding half a request header, 16 holding a POST whose declared 1 MB
    body has sent one byte; all left open until the block ends."""
    with ExitStack() as stack:
        socks = []
        for _ in range(SLOW_HEADERS):
            s = stack.enter_context(_connect(url))
            s.sendall(b"GET / HTTP/1.1\r\nHost: atlas\r\nX-Slow: a")
            socks.append(s)
        for _ in range(SLOW_BODIES):
            s = stack.enter_context(_connect(url))
            s.sendall(
                b"POST /_dash-update-component HTTP/1.1\r\nHost: atlas\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"
            )
            socks.append(s)
        yield socks


def trickle(socks: list[socket.socket]) -> None:
    """One more byte on every slow connection the server still holds open (slowloris style)."""
    for s in socks:
        with suppress(OSError):  # the server closed it: what a header-read timeout should do
            s.sendall(b"a")


def lang_callback(url: str) -> tuple[bytes, str]:
    """A real callback request (the language button: zh → en) and the output id it answers."""
    with urllib.request.urlopen(url + "/_dash-dependencies", timeout=ANSWER_TIMEOUT) as r:
        deps = json.load(r)
    output = next(d["output"] for d in deps if d["output"].startswith("atlas-lang.data"))
    body = {
        "output": output,
        "outputs": {"id": "atlas-lang", "property": output.split(".", 1)[1]},
        "inputs": [{"id": "atlas-lang-button", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["atlas-lang-button.n_clicks"],
        "state": [{"id": "atlas-lang", "property": "data", "value": "zh"}],
    }
    return json.dumps(body).encode(), output


def health(url: str) -> bytes:
    with urllib.request.urlopen(url + "/healthz", timeout=ANSWER_TIMEOUT) as r:
        assert r.status == 200
        return r.read()


def call(url: str, body: bytes) -> dict:
    request = urllib.request.Request(
        url + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=ANSWER_TIMEOUT) as r:
        assert r.status == 200
        return json.load(r)


def test_health_and_callbacks_are_served_while_slow_clients_hold_connections() -> None:
    with running_server() as url:
        body, _ = lang_callback(url)
        with slow_clients(url) as socks:
            for _ in range(5):
                assert health(url) == b"ok"
                answer = call(url, body)
                assert answer["response"]["atlas-lang"]["data"] == "en"
                trickle(socks)
        assert health(url) == b"ok"
