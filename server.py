"""``atlas serve``: the app under gunicorn (embedded through its documented ``BaseApplication``).

Worker model: gevent. Every connection is a greenlet, so a client that sends half a header (or
trickles a request body) holds one greenlet out of ``worker_connections`` per worker instead of
one of the 8 threads that served everything under gthread; under gevent gunicorn also gives each
request's header ``KEEPALIVE`` seconds to arrive in full. Callbacks are short CPU work (one at a
time per worker, as the GIL made them anyway); exports run in processes forked by
``exports.jobs``, which the monkey-patched ``os.fork``/``waitpid`` watch cooperatively. gevent
patches the standard library here, before the app and its locks exist, so every lock and
"thread" in the app is a greenlet one.
"""

from __future__ import annotations

import os
from typing import Any

KEEPALIVE = 5  # seconds: an idle kept-alive connection, and the whole header of each request
IDLE_TIMEOUT = 30.0  # seconds a connection may stay silent while its body is being read
WORKER_CONNECTIONS = 1000  # per worker


def serve(*, access_log: bool = False, debug: bool = False) -> None:
    """Validate the data, build the app and serve it until gunicorn is stopped."""
    from gevent import monkey

    monkey.patch_all()  # first: the app's locks and threads must be gevent's

    import gunicorn.http.wsgi
    from gunicorn.app.base import BaseApplication

    from app import create_app
    from settings import Settings

    settings = Settings.from_env()
    # validates the data and builds every panel before any worker starts (they share them)
    dash_app = create_app(settings, warm=True)
    _dev_tools(dash_app, debug)
    _hide_server_header(gunicorn.http.wsgi.Response)

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for name, value in gunicorn_config(settings, access_log=access_log).items():
                self.cfg.set(name, value)

        def load(self) -> Any:
            return dash_app.server

    print(f"Fengtai Bridgehead Atlas on http://{settings.host}:{settings.port}", flush=True)
    _Server().run()


def gunicorn_config(settings: Any, *, access_log: bool = False) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "server.GeventWorker",
        "worker_connections": WORKER_CONNECTIONS,
        "keepalive": KEEPALIVE,
        # A stopping worker waits this long for open connections (a trickling upload may hold
        # one up to IDLE_TIMEOUT) before closing them: restarts stay prompt.
        "graceful_timeout": 10,
        # gunicorn >= 25 opens a control socket at one fixed path per user: two atlases (or
        # the tests' servers) would take it from each other. Nothing here uses gunicornc.
        "control_socket_disable": True,
        "accesslog": "-" if access_log else None,
    }


def _dev_tools(dash_app: Any, debug: bool) -> None:
    """Dash's dev tools (debug menu, tracebacks in the browser, dev bundles) only when asked for
    with ``--debug``: explicit values, so DASH_DEBUG and friends in the environment cannot."""
    if debug:
        # create_app rendered the page once (before the fork); Flask then refuses the hooks the
        # dev tools add. Only for a developer's --debug run.
        dash_app.server._got_first_request = False
    dash_app.enable_dev_tools(
        debug=debug,
        dev_tools_ui=debug,
        dev_tools_props_check=debug,
        dev_tools_serve_dev_bundles=debug,
        dev_tools_hot_reload=False,
        dev_tools_prune_errors=not debug,
        dev_tools_validate_callbacks=debug,
        dev_tools_disable_version_check=True,
    )
    if debug:
        dash_app.server.test_client().get("/")  # register the dev bundles before the fork


def _hide_server_header(response_class: type) -> None:
    """gunicorn writes ``Server: gunicorn`` on every response and has no setting for it; drop
    the line where it builds the status line and default headers."""
    if getattr(response_class, "_atlas_no_server", False):
        return
    default_headers = response_class.default_headers

    def without_server(self: Any) -> list[str]:
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    response_class.default_headers = without_server
    response_class._atlas_no_server = True


def _worker_class() -> type:
    from gunicorn.workers.ggevent import GeventWorker as Base

    class Worker(Base):
        """gunicorn's gevent worker, with a silence limit on each connection: a client that
        stops sending in the middle of a request body is closed after ``IDLE_TIMEOUT``; and
        quiet in the export job processes forked from it."""

        def notify(self) -> None:
            # The worker's loop greenlet lives on in a process forked from the worker (an export
            # job) and calls this every second. There its parent is the worker, not the
            # arbiter, so gunicorn's notify logged "Parent changed, shutting down" and raised
            # SystemExit, which gevent throws into the job: the job process is not the worker.
            if os.getpid() == self.pid:
                super().notify()

        def handle(self, listener: Any, client: Any, addr: Any) -> None:
            client.settimeout(IDLE_TIMEOUT)
            # past GeventWorker.handle, whose only step is client.setblocking(1), which would
            # undo the timeout, to the async worker's request loop
            super(Base, self).handle(listener, client, addr)

    return Worker


def __getattr__(name: str) -> Any:
    # gunicorn loads "server.GeventWorker" in the worker; importing gevent's worker only then
    # keeps ``import server`` free of gevent for the tests and tools that only read the config.
    if name == "GeventWorker":
        return _worker_class()
    raise AttributeError(name)
