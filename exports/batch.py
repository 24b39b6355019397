"""``atlas export``: one file per year, from the command line.

Every problem — a bad value, a year outside the data, a path that cannot be written — becomes an
:class:`ExportError` with a one-line message before anything is rendered where possible.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exports.spec import (
    FORMATS,
    ExportError,
    ExportSpec,
    parse_bbox,
    parse_compare,
    parse_years,
)
from geodata.source import DataSource, data_source

if TYPE_CHECKING:
    from settings import Settings

YEAR_FIELD = "{year}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``atlas export``."""
    parser.add_argument("--theme", required=True, help="overview, hubs, relocation, corridor, …")
    years = parser.add_mutually_exclusive_group(required=True)
    years.add_argument("--year", type=int, help="one year")
    years.add_argument("--years", help="a range FIRST-LAST, one file per year")
    years.add_argument(
        "--compare",
        metavar="A,B",
        help="two years: one page (png/pdf/svg) with both maps, one legend and the change list",
    )
    parser.add_argument("--format", dest="fmt", required=True, help=" | ".join(FORMATS))
    parser.add_argument("--lang", default="zh", help="zh (default) or en")
    parser.add_argument("--paper", default="a4", help="a4 (default) or a3")
    parser.add_argument("--orientation", default="landscape", help="landscape or portrait")
    parser.add_argument("--dpi", type=int, default=300, help="PNG resolution: 150, 300, 600")
    parser.add_argument("--title", help="the printed title (default: theme and year)")
    parser.add_argument("--layers", help="comma-separated layers (default: the theme's)")
    parser.add_argument("--select", help="id of the feature to highlight")
    parser.add_argument("--bbox", help="lon_min,lat_min,lon_max,lat_max (default: theme view)")
    parser.add_argument(
        "--user",
        metavar="REFS",
        help="the planner's own layers: comma-separated layer references "
        "ID:MODE:METHOD:K:COLUMN:YEAR, as in the page link's user= (from ATLAS_UPLOADS_DIR)",
    )
    parser.add_argument(
        "--data", type=data_source, help="GeoPackage or postgresql:// URL (default: ATLAS_DATA)"
    )
    parser.add_argument(
        "--queue",
        action="store_true",
        help="render on the Celery workers (ATLAS_CELERY_BROKER) and wait for each file",
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        help="file; for --years a directory or a name containing {year}",
    )


def _specs(args: argparse.Namespace) -> list[ExportSpec]:
    pair = parse_compare(args.compare) if getattr(args, "compare", None) else None
    if pair is not None:
        first = last = pair[1]
    elif args.year is not None:
        first, last = args.year, args.year
    else:
        first, last = parse_years(args.years)
    layers = None
    if args.layers is not None:
        layers = tuple(k.strip() for k in args.layers.split(",") if k.strip())
    base = ExportSpec(
        theme=args.theme,
        year=first,
        lang=args.lang,
        fmt=args.fmt,
        paper=args.paper,
        orientation=args.orientation,
        dpi=args.dpi,
        title=args.title,
        bbox=parse_bbox(args.bbox) if args.bbox else None,
        layers=layers,
        selected=args.select,
        user=parse_user(args.user),
        compare=pair,
    )
    return [replace(base, year=y) for y in range(first, last + 1)]


def parse_user(text: str | None) -> tuple[str, ...]:
    """``--user``'s comma-separated references (checked by :class:`ExportSpec`)."""
    if text is None:
        return ()
    return tuple(part.strip() for part in text.split(",") if part.strip())


def targets(out: Path, specs: list[ExportSpec], many: bool) -> list[Path]:
    """Where each spec's file goes.

    ``out`` containing ``{year}`` is a pattern; otherwise, for a range (or an existing
    directory), a directory holding files with default names; otherwise the file itself.
    """
    text = str(out)
    if YEAR_FIELD in text:
        return [Path(text.replace(YEAR_FIELD, str(s.year))) for s in specs]
    if many or out.is_dir():
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out} is a file; a year range needs a directory or a {{year}} name")
        return [out / s.filename() for s in specs]
    return [out]


def _check_writable(paths: list[Path]) -> None:
    for directory in dict.fromkeys(p.parent for p in paths):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ExportError(f"cannot write into {directory}: it is not a directory") from None
        except OSError as exc:
            raise ExportError(f"cannot create directory {directory}: {exc.strerror}") from None
        if not os.access(directory, os.W_OK):
            raise ExportError(f"cannot write to directory {directory}: permission denied")
    for path in paths:
        if path.is_dir():
            raise ExportError(f"{path} is a directory, not a file name")


def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None


def _queue(args: argparse.Namespace, settings: Settings | None) -> Any:
    """With ``--queue``: a function sending one spec to the Celery workers and returning its
    file, in the panels' queue under their cap (ATLAS_EXPORT_JOBS); the workers draw from their
    own ATLAS_DATA, so ``--data`` cannot go with it."""
    if not getattr(args, "queue", False):
        return None
    from settings import Settings

    settings = settings or Settings.from_env()
    if not settings.celery_broker:
        raise ExportError("--queue needs ATLAS_CELERY_BROKER (redis://HOST:PORT/DB) to be set")
    if args.data is not None:
        raise ExportError("--queue renders with the workers' data; leave out --data")
    from exports.celeryjobs import run_queued

    broker, jobs, expire = settings.celery_broker, settings.export_jobs, settings.export_expire

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    return lambda spec: run_queued(broker, spec, max_jobs=jobs, expire=expire, say=say)


def run(
    args: argparse.Namespace, default_data: DataSource, settings: Settings | None = None
) -> int:
    """Validate everything, then render and write one file per year; prints what it wrote.
    User layers come from the layer store of ``settings`` (default: the environment's)."""
    from exports import export_bytes
    from exports.visible import data_years
    from geodata.load import load_atlas

    specs = _specs(args)
    queue = _queue(args, settings)
    atlas = load_atlas(args.data or default_data)
    first, last = data_years(atlas)
    for year in (specs[0].year, specs[-1].year, *(specs[0].compare or ())):
        if not first <= year <= last:
            raise ExportError(f"year {year} is outside the data ({first}–{last})")
    service = None
    if specs[0].user:
        from exports.user import resolve
        from settings import Settings
        from uploads.service import from_settings

        service = from_settings(settings or Settings.from_env(), atlas)
        resolve(specs[0], service)  # every named layer is there and its style fits it
    paths = targets(args.out, specs, many=args.years is not None)
    _check_writable(paths)
    for spec, path in zip(specs, paths, strict=True):
        data = queue(spec) if queue else export_bytes(atlas, spec, user_layers=service)
        _write(path, data)
        print(f"wrote {path} ({len(data):,} bytes)", file=sys.stdout, flush=True)
    return 0
