"""Where the atlas data lives: a GeoPackage file, or a PostGIS database named by a URL.

``ATLAS_DATA``, ``atlas check-data`` and ``atlas export --data`` take either. A URL must stay
text: ``Path("postgresql://h/db")`` would fold the two slashes into one.
"""

from __future__ import annotations

from pathlib import Path

DATABASE_SCHEMES = ("postgresql", "postgres")  # also postgresql+psycopg://

DataSource = Path | str  # a GeoPackage file, or a database URL


def is_database_url(value: object) -> bool:
    """True for ``postgresql://…``, ``postgres://…`` and ``postgresql+driver://…``."""
    text = str(value) if isinstance(value, str) else ""
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.split("+", 1)[0].lower() in DATABASE_SCHEMES


def data_source(text: str) -> DataSource:
    """A database URL as given, anything else as a file path."""
    return text if is_database_url(text) else Path(text)


class DatabaseError(ValueError):
    """The database cannot be reached or written; one line, without the password."""
