"""A throwaway PostgreSQL 15 + PostGIS for the tests: initdb into a temporary directory, listen
on 127.0.0.1 (a free port) and a unix socket in that directory, trust authentication, and stop
with ``pg_ctl stop -m fast`` afterwards. Postgres refuses to run as root, so as root the server
runs as the ``postgres`` OS user, in a directory of its own under /tmp (pytest's base directory
is root's alone, and postgres could not reach a directory inside it).

Missing binaries fail the test with the command that installs them: a PostGIS test that
skips would let the PostGIS path rot unseen."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.harness import free_port

BIN = Path(os.environ.get("ATLAS_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS = Path("/usr/share/postgresql/15/extension/postgis.control")
INSTALL = "run `sh scripts/install-system-deps.sh` (as root) to install postgresql-15 and postgis"
SUPERUSER = "postgres"


class Postgres:
    """A running server; ``url(db)`` names a database on it."""

    def __init__(self, root: Path, port: int, as_user: list[str]) -> None:
        self.root, self.port, self._as = root, port, as_user
        self.data, self.log = root / "data", root / "server.log"
        self.options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -k {root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database ``name`` (no PostGIS yet: load-db adds it); its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self, mode: str = "fast") -> None:
        """``pg_ctl stop -m mode`` (``immediate``: as a crash leaves it)."""
        done = self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        assert done.returncode == 0, f"postgres did not stop: {done.stderr[-1000:]}"

    def start(self) -> None:
        """Start (again) on the same port and directory; fails the test if it does not."""
        done = self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", self.options,
            "-w", "start",
        )  # fmt: skip
        if done.returncode != 0:
            text = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            pytest.fail(f"postgres did not start: {done.stderr[-1000:]} {text}")

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._as, *args], capture_output=True, text=True, timeout=120, check=False
        )


def _require_binaries() -> None:
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        pytest.fail(f"PostgreSQL 15 is not installed ({BIN}/initdb is missing): {INSTALL}")
    if not POSTGIS.exists():
        pytest.fail(f"PostGIS is not installed ({POSTGIS} is missing): {INSTALL}")


@contextmanager
def running_postgres() -> Iterator[Postgres]:
    """Start a server for the duration of the block; it and its directory are gone after."""
    _require_binaries()
    root = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, SUPERUSER, SUPERUSER)
        as_user = ["runuser", "-u", SUPERUSER, "--"]
    server = Postgres(root, free_port(), as_user)
    started = False
    try:
        done = server._run(
            str(BIN / "initdb"), "-D", str(server.data), "-U", SUPERUSER, "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        assert done.returncode == 0, f"initdb failed: {done.stderr[-2000:]}"
        server.start()
        started = True
        yield server
    finally:
        if started:
            server._run(str(BIN / "pg_ctl"), "-D", str(server.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
