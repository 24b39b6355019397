"""Builds the Fengtai Bridgehead Atlas Dash app; ``server`` is the WSGI entry point."""

from __future__ import annotations

import sys

from dash import Dash

import layout
import requestguard
import routes
import security
from callbacks import (
    a11y,
    compare,
    export,
    kiosk,
    language,
    panels,
    sources,
    timeline,
    userlayers,
    view,
)
from callbacks import map as map_callbacks
from core.prepared import AppData
from core.text import LANGS
from core.tour import TourError
from geodata.load import load_atlas
from geodata.validate import AtlasDataError
from settings import PROJECT_ROOT, Settings, SettingsError
from uploads import web as uploads_web
from uploads.read import MB

CALLBACKS = (
    view, map_callbacks, compare, timeline, panels, language, sources, kiosk, export, a11y,
    userlayers,
)  # fmt: skip


def create_app(settings: Settings, warm: bool = False) -> Dash:
    """Load and validate the data, then build the app (raises AtlasDataError on bad data).
    ``warm``: build every panel now (``atlas serve``, before its workers fork)."""
    atlas = load_atlas(settings.data_path)
    data = AppData.from_atlas(atlas, settings)
    if warm:
        panels.warm(data)
    jobs = export.background_manager(settings)
    app = routes.AtlasDash(__name__, jobs, PROJECT_ROOT / "assets")
    pages = {lang: layout.page(atlas, data, lang) for lang in LANGS}  # built once
    app.layout = lambda: pages[routes.request_lang()]
    routes.register(app.server, atlas, ping=getattr(jobs, "ping", None))  # Redis, if used
    for module in CALLBACKS:
        module.register(app, data)
    uploads_web.register(app.server, data.layers, jobs, settings.export_hold)
    # 413 over the body caps, 400 for what Dash could not parse
    requestguard.register(app, (uploads_web.PREFIX, settings.upload_max_mb * MB))
    security.register(app, settings)  # after the callbacks: the CSP hashes the inline scripts
    app.register_scripts()
    return app


def __getattr__(name: str):
    if name == "server":
        return create_app(Settings.from_env()).server
    raise AttributeError(name)


if __name__ == "__main__":
    current = Settings.from_env()
    try:
        dash_app = create_app(current)
    except (AtlasDataError, SettingsError, TourError) as exc:
        sys.exit(f"atlas: {exc}")
    dash_app.run(
        host=current.host,
        port=current.port,
        debug=current.debug,
        dev_tools_disable_version_check=True,
    )
