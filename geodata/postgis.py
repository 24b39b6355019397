"""The atlas in PostGIS: read it (``ATLAS_DATA=postgresql://…``) and write it (``atlas load-db``).

Tables carry the GeoPackage's layer names and columns, so the same validation
(:func:`geodata.validate.ensure_valid`) and the same one-line messages apply to both. What only a
database can get wrong (no connection, no PostGIS, a missing table, a geometry column of another
type) is said in one line too, and never with the password. pyogrio's wheel has no PostgreSQL
driver, so frames go through geopandas' ``read_postgis``/``to_postgis`` over SQLAlchemy 2 and
psycopg 3 (the ``postgis`` extra), imported only when a URL is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pandas as pd

import geopandas as gpd

from geodata import schema
from geodata.source import DatabaseError
from geodata.validate import AtlasDataError, Problem

# The row order and primary key load-db writes: rows come back in the GeoPackage's order, and
# QGIS edits only tables that have a key. ogc_fid is ogr2ogr's default key.
FID = "fid"
ORDER_COLUMNS = (FID, "ogc_fid")
CONNECT_TIMEOUT = 10  # seconds; an unreachable host fails at start-up instead of hanging
EXTRA = "pip install -e '.[postgis]'"


def public_url(url: str) -> str:
    """``url`` without its password (in the user part or a ``password=`` parameter)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        name = user.split(":", 1)[0]
        netloc = f"{name}@{host}" if name else host  # redis://:password@host has no user
    kept = [p for p in parts.query.split("&") if p.split("=", 1)[0].lower() != "password"]
    query = "&".join(p for p in kept if p)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _secret(url: str) -> str | None:
    netloc = urlsplit(url).netloc
    if "@" in netloc and ":" in netloc.rsplit("@", 1)[0]:
        return netloc.rsplit("@", 1)[0].split(":", 1)[1] or None
    return dict(parse_qsl(urlsplit(url).query)).get("password") or None


def say(exc: BaseException, url: str) -> str:
    """The first line of a driver's error, with the password (should it appear) masked."""
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).strip().splitlines() if ln.strip()]
    text = lines[0][:300] if lines else type(orig).__name__
    secret = _secret(url)
    return text.replace(secret, "***") if secret else text


def engine_for(url: str) -> Any:
    """A SQLAlchemy engine on psycopg 3 without a pool (nothing held across gunicorn's fork);
    raises DatabaseError when the ``postgis`` extra is missing or the URL is malformed."""
    try:
        import psycopg  # noqa: F401  (the driver; SQLAlchemy would name it less plainly)
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError
        from sqlalchemy.pool import NullPool
    except ImportError as exc:
        raise DatabaseError(
            f"{public_url(url)}: reading PostGIS needs the postgis extra ({EXTRA}); "
            f"{exc.name} is not installed"
        ) from None
    try:
        parsed = make_url(url).set(drivername="postgresql+psycopg")
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"{public_url(url)}: not a usable database URL: {say(exc, url)}"
        ) from None
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT}
    return create_engine(parsed, poolclass=NullPool, connect_args=connect_args)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(conn: Any) -> dict[str, dict[str, str]]:
    """Table → column → type name (``geometry`` for PostGIS columns), in column order."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            "SELECT table_name, column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
    )
    tables: dict[str, dict[str, str]] = {}
    for table, column, udt in rows:
        tables.setdefault(str(table), {})[str(column)] = str(udt)
    return tables


def _has_postgis(conn: Any) -> bool:
    from sqlalchemy import text

    found = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"))
    return found.first() is not None


def _read_table(
    conn: Any, spec: schema.LayerSpec, columns: Mapping[str, str], name: str
) -> pd.DataFrame:
    from sqlalchemy import text

    def refuse(field: str, message: str) -> AtlasDataError:
        return AtlasDataError([Problem(name, spec.name, "-", field, message)])

    order = next((c for c in ORDER_COLUMNS if c in columns), None)
    sql = f"SELECT * FROM {_quoted(spec.name)}" + (f" ORDER BY {_quoted(order)}" if order else "")
    if spec.geometry is None:
        frame: pd.DataFrame = pd.read_sql(text(sql), conn)
    else:
        geoms = [c for c, udt in columns.items() if udt == "geometry"]
        if not geoms:
            raise refuse("geometry", "the table has no geometry column")
        if len(geoms) > 1:
            raise refuse("geometry", f"the table has {len(geoms)} geometry columns; keep one")
        held = conn.execute(
            text(
                "SELECT type FROM geometry_columns WHERE f_table_schema = current_schema() "
                "AND f_table_name = :t AND f_geometry_column = :c"
            ),
            {"t": spec.name, "c": geoms[0]},
        ).scalar()
        if held and str(held).upper() not in ("GEOMETRY", spec.geometry.upper()):
            raise refuse("geometry", f"the geometry column holds {held}, expected {spec.geometry}")
        frame = gpd.read_postgis(text(sql), conn, geom_col=geoms[0])
        if geoms[0] != "geometry":
            frame = frame.rename_geometry("geometry")
    if order is not None:
        frame = frame.drop(columns=[order])
    return frame.reset_index(drop=True)


def read_frames(url: str) -> tuple[str, dict[str, pd.DataFrame]]:
    """Every layer of the atlas from the database at ``url``, unvalidated, and the URL without
    its password (the name messages give); raises AtlasDataError with one line per problem."""
    from sqlalchemy.exc import SQLAlchemyError

    name = public_url(url)
    try:
        engine = engine_for(url)
    except DatabaseError as exc:
        detail = str(exc).removeprefix(f"{name}: ")
        raise AtlasDataError([Problem(name, "-", "-", "-", detail)]) from None
    try:
        with engine.connect() as conn:
            if not _has_postgis(conn):
                message = "the PostGIS extension is not installed here ('atlas load-db' adds it)"
                raise AtlasDataError([Problem(name, "-", "-", "-", message)])
            tables = _columns(conn)
            missing = [n for n in schema.LAYERS if n not in tables]
            if missing:
                raise AtlasDataError(
                    [
                        Problem(name, n, "-", "-", "table is missing from the database")
                        for n in missing
                    ]
                )
            frames = {
                n: _read_table(conn, spec, tables[n], name) for n, spec in schema.LAYERS.items()
            }
    except SQLAlchemyError as exc:
        problem = Problem(name, "-", "-", "-", f"cannot read the database: {say(exc, url)}")
        raise AtlasDataError([problem]) from None
    finally:
        engine.dispose()
    return name, frames


def _ensure_postgis(conn: Any, name: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if _has_postgis(conn):
        return
    available = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"))
    if available.first() is None:
        raise DatabaseError(
            f"{name}: the server has no PostGIS to install (on Debian: apt-get install "
            "postgresql-15-postgis-3, or sh scripts/install-system-deps.sh)"
        )
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION postgis"))
    except DBAPIError as exc:
        raise DatabaseError(
            f"{name}: the PostGIS extension is missing and this user cannot create it "
            f"({say(exc, name)}); ask the database's owner to run CREATE EXTENSION postgis"
        ) from None


def write_frames(url: str, frames: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Replace every atlas table in the database at ``url`` with ``frames`` in one transaction
    (running it twice leaves the same tables), adding PostGIS if it is missing; each table's
    row count as the database counts it. Raises DatabaseError."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        import geoalchemy2  # noqa: F401  (to_postgis needs it; say so before connecting)
    except ImportError:
        message = f"{public_url(url)}: writing PostGIS needs the postgis extra ({EXTRA})"
        raise DatabaseError(message) from None
    name = public_url(url)
    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            _ensure_postgis(conn, name)
            where = conn.execute(text("SELECT current_schema()")).scalar()
            if where is None:
                raise DatabaseError(f"{name}: no schema to write to (check search_path)")
            for layer, spec in schema.LAYERS.items():
                frame = frames[layer].reset_index(drop=True)
                frame.index = pd.RangeIndex(1, len(frame) + 1, name=FID)
                if spec.geometry is None:
                    frame.to_sql(layer, conn, schema=where, if_exists="replace", index=True)
                else:
                    frame.to_postgis(layer, conn, schema=where, if_exists="replace", index=True)
                conn.execute(text(f"ALTER TABLE {_quoted(layer)} ADD PRIMARY KEY ({FID})"))
            return {
                layer: int(conn.execute(text(f"SELECT count(*) FROM {_quoted(layer)}")).scalar())
                for layer in schema.LAYERS
            }
    except SQLAlchemyError as exc:
        raise DatabaseError(f"{name}: cannot write the atlas: {say(exc, url)}") from None
    finally:
        engine.dispose()
