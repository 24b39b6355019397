"""The HTTP routes the atlas serves besides Dash's own, registered in one place, and the Dash
whose index page speaks the language the page was asked in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dash import Dash
from flask import Flask, Response, has_request_context, request

from core.text import html_lang, pick, t
from geodata.load import Atlas
from layers.basemap import boundaries_layer
from layers.geojson import to_geobuf

BASEMAP_URL = "/_atlas/basemap.pbf"  # the boundaries as geobuf, fetched by the map
HEALTH_URL = "/healthz"  # polled by the kiosk to show a calm "reconnecting" state (liveness)
READY_URL = "/ready"  # for a reverse proxy: 503 and one line while this instance cannot serve


def request_lang() -> str:
    """The language the page was asked in (``?lang=en``), also for the page's own layout request,
    which carries the page's address as its referrer; Chinese otherwise."""
    if not has_request_context():
        return "zh"
    query = (
        request.query_string.decode("utf-8", "replace") or urlsplit(request.referrer or "").query
    )
    try:
        values = parse_qs(query, max_num_fields=20).get("lang") or ["zh"]
    except ValueError:
        return "zh"
    return pick(values[-1], "zh", "en")


# What every page fetches only once its scripts have run, one after another: the slider's and
# the GeoJSON layer's code (loaded on first render) and geobuf's decoder (loaded when the basemap
# arrives). Preloaded from the index page, they come in parallel with Dash's own scripts instead
# of in a chain after them. The basemap itself is not preloaded: arriving at once, it let
# dash-leaflet draw the boundaries twice now and then (two Fengtai labels one on the other; the
# label test failed 2 times in about 9 runs under load with it, 0 in 5 without).
PRELOAD_SCRIPTS = (
    "_dash-component-suites/dash/dcc/async-slider.js",
    "_dash-component-suites/dash_leaflet/async-GeoJSON.js",
    "_dash-component-suites/dash_leaflet/async-geobuf.js",
)


def preload_links(prefix: str) -> str:
    """``<link rel=preload>`` tags for :data:`PRELOAD_SCRIPTS` under ``prefix`` (Dash's requests
    path prefix, ending in ``/``)."""
    return "".join(
        f'<link rel="preload" as="script" href="{prefix}{path}">' for path in PRELOAD_SCRIPTS
    )


class AtlasDash(Dash):
    """Dash whose index page carries the asked-for language (``<html lang>``, ``<title>``) and
    preloads what the first screen needs (:func:`preload_links`). ``jobs`` is the export job
    manager given to Dash as its background-callback manager (the worker takes its Celery app
    from it)."""

    def __init__(self, name: str, jobs: Any, assets: Path) -> None:
        super().__init__(
            name,
            title=t("title", "zh"),
            assets_folder=str(assets),
            serve_locally=True,
            update_title=None,
            compress=True,  # gzip/brotli the JS bundles: first load well under 1.5 MB
            enable_mcp=False,  # no DASH_MCP_ENABLED in the environment opens an MCP endpoint
            background_callback_manager=jobs,
        )
        self.jobs = jobs

    def register_scripts(self) -> None:
        """Dash registers the script paths it may serve only while rendering the index page:
        render it once, before gunicorn forks, so that every worker serves every script even
        if another worker served the page."""
        self.server.test_client().get("/")

    def interpolate_index(self, **kwargs: Any) -> str:
        lang = request_lang()
        kwargs["title"] = t("title", lang)
        kwargs["css"] = preload_links(self.config.requests_pathname_prefix) + kwargs["css"]
        page = super().interpolate_index(**kwargs)
        return page.replace("<html>", f'<html lang="{html_lang(lang)}">', 1)


def unready(atlas: Atlas, ping: Callable[[], Any] | None) -> str | None:
    """Why this instance should get no traffic (one line), or ``None``: the atlas holds no
    rows, or the shared export job store (``ping``: Redis, when configured) does not answer."""
    counts = atlas.counts()
    empty = [name for name, n in counts.items() if not n]
    if not counts or empty:
        return f"the atlas data is not loaded ({', '.join(empty) or 'no layers'} empty)"
    if ping is not None:
        try:
            ping()
        except Exception as exc:  # whatever the client raises, the answer is "not ready"
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            return f"the export job store (Redis) does not answer: {first}"
    return None


def register(server: Flask, atlas: Atlas, ping: Callable[[], Any] | None = None) -> None:
    """Add the basemap, liveness and readiness routes to ``server``; ``ping`` raises unless
    the shared job store answers (Celery mode)."""
    basemap = to_geobuf(boundaries_layer(atlas.table("boundaries")))

    def serve_basemap() -> Response:
        response = Response(basemap, mimetype="application/x-protobuf")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    def health() -> Response:
        response = Response("ok", mimetype="text/plain")
        response.headers["Cache-Control"] = "no-store"
        return response

    def ready() -> Response:
        reason = unready(atlas, ping)
        response = Response(reason or "ready", status=503 if reason else 200)
        response.mimetype = "text/plain"
        response.headers["Cache-Control"] = "no-store"
        return response

    server.add_url_rule(BASEMAP_URL, "atlas_basemap", serve_basemap)
    server.add_url_rule(HEALTH_URL, "atlas_health", health)
    server.add_url_rule(READY_URL, "atlas_ready", ready)
    mimetypes = server.config.get("COMPRESS_MIMETYPES")
    if isinstance(mimetypes, list) and "application/x-protobuf" not in mimetypes:
        mimetypes.append("application/x-protobuf")  # geobuf still gzips to ~70 %
