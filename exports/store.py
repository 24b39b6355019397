"""The export job store: a diskcache folder (``ATLAS_CACHE_DIR``) checked before use (with a
Celery broker the store is Redis instead: ``exports.redisstore``).

A folder that is a file, cannot be created or cannot be written stops the server at start with
one sentence (:class:`settings.SettingsError`), and ``atlas check-data`` asks the same question
without creating anything.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import diskcache

from settings import SettingsError


def _redis_errors() -> tuple[type[BaseException], ...]:
    """Redis's errors when the optional 'scale' extra is installed (the Celery job store)."""
    try:
        from redis.exceptions import RedisError
    except ImportError:
        return ()
    return (RedisError,)


STORE_ERRORS = (OSError, sqlite3.Error, diskcache.Timeout, *_redis_errors())


def open_cache(folder: Path) -> diskcache.Cache:
    """The job store in ``folder`` (created if missing); :class:`SettingsError` in one sentence
    when it cannot be: ``ATLAS_CACHE_DIR`` names a file, an uncreatable or read-only folder."""
    check_cache_dir(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return diskcache.Cache(str(folder))
    except (*STORE_ERRORS, RuntimeError) as exc:
        raise SettingsError(_unusable(folder, exc)) from None


def check_cache_dir(folder: Path) -> None:
    """Raise :class:`SettingsError` unless ``folder`` is, or can be made, a writable folder
    (``atlas check-data`` asks this without creating anything)."""
    try:
        if folder.is_symlink() and not folder.exists():
            raise SettingsError(
                f"ATLAS_CACHE_DIR {str(folder)!r} is a symbolic link that leads nowhere "
                "(or back to itself); set it to a writable folder"
            )
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            what = "is a file" if existing == folder else f"cannot be created: {existing} is a file"
            raise SettingsError(
                f"ATLAS_CACHE_DIR {str(folder)!r} {what}, not a folder; set it to a writable folder"
            )
        with tempfile.TemporaryFile(dir=existing) as probe:
            probe.write(b"x")
    except (OSError, RuntimeError) as exc:
        raise SettingsError(_unusable(folder, exc)) from None


def _unusable(folder: Path, exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
    return (
        f"ATLAS_CACHE_DIR {str(folder)!r} cannot be used for export jobs ({reason}); "
        "set it to a writable folder"
    )
