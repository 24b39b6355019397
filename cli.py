"""The ``atlas`` command: build the data, load it into PostGIS, check it, serve the app, export
views."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from core.tour import TourError
from exports.spec import ExportError
from geodata.source import DatabaseError, data_source, is_database_url
from geodata.validate import AtlasDataError
from settings import DEFAULT_DATA, Settings, SettingsError


def _build_data(args: argparse.Namespace) -> int:
    from geodata.build import build

    counts = build(out=args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size:,} bytes)")
    for name, count in counts.items():
        print(f"  {name:<11} {count:>4} rows")
    return 0


def _load_db(args: argparse.Namespace) -> int:
    """Validate the GeoPackage, then replace the atlas tables in the database in one
    transaction (twice gives the same tables); one line per table with its row count."""
    from geodata.load import load_atlas
    from geodata.postgis import public_url, write_frames

    if not is_database_url(args.url):
        raise DatabaseError(f"{args.url!r} is not a postgresql:// or postgres:// URL")
    atlas = load_atlas(args.source)
    counts = write_frames(args.url, {name: atlas.table(name) for name in atlas.counts()})
    print(f"wrote {atlas.path} into {public_url(args.url)}")
    for name, count in counts.items():
        print(f"  {name:<11} {count:>4} rows")
    return 0


def _check_data(args: argparse.Namespace) -> int:
    """Everything ``serve`` reads before it listens: settings, the GeoPackage, what the app
    prepares from it (metadata, timeline, the kiosk tour), the pages, the export job store
    (a folder, or with ATLAS_CELERY_BROKER the Redis every instance shares, and its workers)."""
    import layout
    from core.prepared import AppData
    from core.text import LANGS
    from exports.store import check_cache_dir
    from geodata.load import load_atlas

    settings = Settings.from_env()
    path = args.path or settings.data_path
    atlas = load_atlas(path)
    data = AppData.from_atlas(atlas, settings)
    for lang in LANGS:
        layout.page(atlas, data, lang)
    if settings.celery_broker:
        from exports.celeryjobs import check_broker

        jobs = check_broker(settings.celery_broker)
    else:
        check_cache_dir(settings.cache_dir)
        jobs = f"export store {settings.cache_dir}: usable"
    shown = atlas.path if is_database_url(path) else path  # never print a password
    print(f"{shown}: valid; " + ", ".join(f"{k} {v}" for k, v in atlas.counts().items()))
    first, last = data.years
    print(
        f"  timeline {first}–{last}; tour {settings.tour_path.name}: "
        f"{len(data.kiosk.scenes)} scenes; {jobs}"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from server import serve

    serve(access_log=args.access_log, debug=args.debug)
    return 0


def _worker(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.celery_broker:
        raise SettingsError("ATLAS_CELERY_BROKER is not set; a worker needs redis://HOST:PORT/DB")
    from worker import run

    run(concurrency=args.concurrency or settings.export_jobs)
    return 0


def _export(args: argparse.Namespace) -> int:
    from exports.batch import run

    settings = Settings.from_env()
    return run(args, settings.data_path, settings)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes end with one line on stderr and exit status 2, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="atlas", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-data", help="build geodata/atlas.gpkg from geodata/sources")
    from geodata.build import DEFAULT_OUT

    build.add_argument("--out", type=Path, default=DEFAULT_OUT)
    build.set_defaults(func=_build_data)
    load_db = sub.add_parser(
        "load-db", help="write the GeoPackage's layers into PostGIS (replacing them)"
    )
    load_db.add_argument("url", help="postgresql://user@host:port/db")
    load_db.add_argument(
        "--from", dest="source", type=Path, default=DEFAULT_DATA, help="GeoPackage to load"
    )
    load_db.set_defaults(func=_load_db)
    check = sub.add_parser(
        "check-data", help="validate a GeoPackage or postgresql:// URL (default: ATLAS_DATA)"
    )
    check.add_argument("path", nargs="?", type=data_source)
    check.set_defaults(func=_check_data)
    serve = sub.add_parser("serve", help="serve the app with gunicorn (ATLAS_HOST/ATLAS_PORT)")
    serve.add_argument("--access-log", action="store_true")
    serve.add_argument(
        "--debug", action="store_true", help="Dash dev tools on (never for a served atlas)"
    )
    serve.set_defaults(func=_serve)
    work = sub.add_parser("worker", help="a Celery worker for export jobs (ATLAS_CELERY_BROKER)")
    work.add_argument(
        "--concurrency", type=int, help="export processes (default: ATLAS_EXPORT_JOBS)"
    )
    work.set_defaults(func=_worker)
    from exports.batch import add_arguments

    export = sub.add_parser("export", help="export a view: png/pdf/svg/html/geojson/csv")
    add_arguments(export)
    export.set_defaults(func=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (AtlasDataError, SettingsError, TourError, ExportError, DatabaseError) as exc:
        print(f"atlas: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
