"""The one place the environment is read.

Every default runs offline on a fresh machine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = PROJECT_ROOT / "geodata" / "atlas.gpkg"
DEFAULT_SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


class SettingsError(ValueError):
    """An environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8050
    data_path: Path = DEFAULT_DATA
    debug: bool = False
    workers: int = 2

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
        return cls(
            host=env.get("ATLAS_HOST", cls.host),
            port=port,
            data_path=Path(env.get("ATLAS_DATA", str(DEFAULT_DATA))),
            debug=env.get("ATLAS_DEBUG", "") in {"1", "true", "yes"},
            workers=max(1, workers),
        )
