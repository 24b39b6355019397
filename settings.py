"""The one place the environment is read.

Every default runs offline on a fresh machine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geodata.source import DataSource, data_source

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = PROJECT_ROOT / "geodata" / "atlas.gpkg"
DEFAULT_SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
DEFAULT_TOUR = PROJECT_ROOT / "kiosk" / "default_tour.yaml"


class SettingsError(ValueError):
    """An environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8050
    data_path: DataSource = DEFAULT_DATA  # a GeoPackage or a postgresql:// URL
    debug: bool = False
    workers: int = 2
    tour_path: Path = DEFAULT_TOUR
    kiosk_idle_seconds: float = 60.0
    tour_scene_seconds: float | None = None  # overrides every scene's duration (tests, rehearsal)
    public_url: str | None = None  # when set, the kiosk shows a QR code of the current view
    cache_dir: Path = PROJECT_ROOT / ".cache" / "background"  # diskcache for background exports
    celery_broker: str | None = None  # e.g. redis://localhost:6379/0 to run exports on Celery
    # At most this many export processes at once (the rest queue). A page render is one busy
    # core and up to ~0.55 GB: 2 fits this 2-core, 24 GiB machine (~1.1 GB); more would only
    # share the same 2 cores, make every export slower and hold more memory.
    export_jobs: int = 2
    export_rate: int = 10  # exports a client (IP address) may start per minute
    export_expire: float = 600.0  # seconds an uncollected export result is kept
    # A file: a Celery export job waits while another process holds an exclusive lock on it
    # (tests and rehearsals hold a job mid-way deterministically, e.g. to kill its worker).
    export_hold: Path | None = None
    # Signs the export job handles given to browsers. Unset, Dash keeps a random one in the job
    # store (Redis), read by each instance when it starts; a Redis restarted empty then leaves
    # instances started before and after it with different ones. Set one for every instance.
    secret_key: str | None = field(default=None, repr=False)
    # CSP frame-ancestors: who may show the atlas in a frame ('self', or an intranet portal's
    # origin so it can embed the atlas; 'none' forbids every frame).
    frame_ancestors: str = "'self'"
    # Planners' own layers (issue 13): one SQLite file in this directory, an upload's size cap,
    # the store's size cap, and how many days a layer is kept (None: kept until removed).
    uploads_dir: Path = PROJECT_ROOT / ".data" / "uploads"
    upload_max_mb: int = 50
    uploads_store_mb: int = 500
    uploads_keep_days: float | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        port_text = env.get("ATLAS_PORT", str(cls.port))
        workers_text = env.get("ATLAS_WORKERS", str(cls.workers))
        try:
            port = int(port_text)
        except ValueError:
            raise SettingsError(f"ATLAS_PORT must be a whole number, got {port_text!r}") from None
        if not 0 < port < 65536:
            raise SettingsError(f"ATLAS_PORT must be between 1 and 65535, got {port}")
        try:
            workers = int(workers_text)
        except ValueError:
            raise SettingsError(
                f"ATLAS_WORKERS must be a whole number, got {workers_text!r}"
            ) from None
        idle = _positive(env, "ATLAS_KIOSK_IDLE", cls.kiosk_idle_seconds)
        scene = env.get("ATLAS_TOUR_SCENE_SECONDS")
        public = env.get("ATLAS_PUBLIC_URL", "").strip() or None
        if public is not None and not public.startswith(("http://", "https://")):
            raise SettingsError(
                f"ATLAS_PUBLIC_URL must start with http:// or https://, got {public!r}"
            )
        return cls(
            host=env.get("ATLAS_HOST", cls.host),
            port=port,
            data_path=data_source(env.get("ATLAS_DATA", str(DEFAULT_DATA))),
            debug=env.get("ATLAS_DEBUG", "") in {"1", "true", "yes"},
            workers=max(1, workers),
            tour_path=Path(env.get("ATLAS_TOUR", str(DEFAULT_TOUR))),
            kiosk_idle_seconds=idle,
            tour_scene_seconds=_positive(env, "ATLAS_TOUR_SCENE_SECONDS", 0) if scene else None,
            public_url=public.rstrip("/") if public else None,
            cache_dir=Path(env.get("ATLAS_CACHE_DIR", str(cls.cache_dir))),
            celery_broker=env.get("ATLAS_CELERY_BROKER", "").strip() or None,
            export_jobs=_count(env, "ATLAS_EXPORT_JOBS", cls.export_jobs, 64),
            export_rate=_count(env, "ATLAS_EXPORT_RATE", cls.export_rate, 100_000),
            export_expire=_positive(env, "ATLAS_EXPORT_EXPIRE", cls.export_expire),
            export_hold=Path(env["ATLAS_EXPORT_HOLD"]) if env.get("ATLAS_EXPORT_HOLD") else None,
            secret_key=env.get("ATLAS_SECRET_KEY", "").strip() or None,
            frame_ancestors=_frame_ancestors(env.get("ATLAS_FRAME_ANCESTORS", "")),
            uploads_dir=Path(env.get("ATLAS_UPLOADS_DIR", str(cls.uploads_dir))),
            upload_max_mb=_count(env, "ATLAS_UPLOAD_MAX_MB", cls.upload_max_mb, 1024),
            uploads_store_mb=_count(env, "ATLAS_UPLOADS_STORE_MB", cls.uploads_store_mb, 1_000_000),
            uploads_keep_days=_days(env, "ATLAS_UPLOADS_KEEP_DAYS"),
        )


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {text!r}") from None
    if not 0 < value <= 86_400:
        raise SettingsError(f"{name} must be between 0 and 86400 seconds, got {value}")
    return value


def _days(env: Mapping[str, str], name: str) -> float | None:
    """A number of days (empty: None, keep for ever)."""
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number of days, got {text!r}") from None
    if not 0 < value <= 36_500:
        raise SettingsError(f"{name} must be between 0 and 36500 days, got {value}")
    return value


def _count(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {text!r}") from None
    if not 1 <= value <= most:
        raise SettingsError(f"{name} must be between 1 and {most}, got {value}")
    return value


# One source in a CSP frame-ancestors list: a keyword, or scheme://host[:port] where the host may
# start with "*." (CSP's own grammar, without paths: a frame's ancestor is matched by origin).
_ANCESTOR = re.compile(
    r"'self'|https?://(\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::(?:[0-9]{1,5}|\*))?/?"
)


def _frame_ancestors(text: str) -> str:
    """``ATLAS_FRAME_ANCESTORS``: ``'self'`` (default), ``'none'`` or a space-separated list of
    ``'self'`` and http(s) origins such as ``https://portal.example.org``."""
    sources = text.split()
    if not sources:
        return Settings.frame_ancestors
    if sources == ["'none'"]:
        return "'none'"
    bad = [s for s in sources if not _ANCESTOR.fullmatch(s)]
    if bad:
        raise SettingsError(
            "ATLAS_FRAME_ANCESTORS must be 'none', or 'self' and http(s) origins such as"
            f" https://portal.example.org separated by spaces, got {bad[0]!r}"
        )
    return " ".join(dict.fromkeys(sources))
