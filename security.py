"""Response headers every answer carries: a strict Content-Security-Policy and its companions.

The policy allows only what the atlas loads, all from its own origin: Dash's bundles, dash-leaflet
and ``assets/*.js`` (clientside callbacks are ``ClientsideFunction``s in those files, so nothing is
``eval``-ed), plus the one inline script Dash writes into the index page (the renderer's start),
allowed by its hash: no ``unsafe-eval`` and no inline script. Styles do allow ``unsafe-inline``:
Dash 4's components, dash-leaflet and Leaflet inject ``<style>`` elements at run time. ``data:``
images are the kiosk's QR code (an SVG data URI). The browser test ``tests/browser/test_csp.py``
drives the dashboard, the kiosk and an export under this policy and expects zero violations.
"""

from __future__ import annotations

from dash import Dash
from flask import Response

from settings import Settings

# Same-origin requests keep their full referrer: the page's layout request carries the page's
# ``?lang=`` in it (``routes.request_lang``); links to sources (other sites) get none.
REFERRER_POLICY = "same-origin"


def content_security_policy(script_hashes: list[str], frame_ancestors: str) -> str:
    """The policy, given the hashes of the index page's inline scripts (``Dash.csp_hashes``)."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def headers(app: Dash, settings: Settings) -> dict[str, str]:
    """Every header :func:`register` adds, for ``app`` as built (call after its callbacks)."""
    policy = content_security_policy(list(app.csp_hashes()), settings.frame_ancestors)
    out = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
    }
    # For browsers that predate frame-ancestors; an origin list has no equivalent here.
    legacy = {"'self'": "SAMEORIGIN", "'none'": "DENY"}.get(settings.frame_ancestors)
    if legacy:
        out["X-Frame-Options"] = legacy
    return out


def register(app: Dash, settings: Settings) -> None:
    """Add the security headers to every response of ``app.server`` and keep the Python
    version out of the index page. Call once the app's callbacks are registered: the policy
    hashes the inline scripts the index page will carry. ``ATLAS_SECRET_KEY``, when set,
    signs the export job handles (else Dash keeps a random one in the job store)."""
    if settings.secret_key:
        app.server.secret_key = settings.secret_key
    fixed = headers(app, settings)

    def add_headers(response: Response) -> Response:
        for name, value in fixed.items():
            response.headers.setdefault(name, value)
        return response

    app.server.after_request(add_headers)

    # Dash's page config announces the exact Python build (``python_version``); only its dev
    # tools read it, and they are off in ``atlas serve``.
    page_config = app._config

    def config_without_version() -> dict:
        config = page_config()
        config.pop("python_version", None)
        return config

    app._config = config_without_version  # type: ignore[method-assign]
