"""Values from the browser, checked where they enter: each ``as_…`` returns the value in the
type the app works with, or ``None`` when it is malformed (the caller then answers "no update").

Anything a client sends may be any JSON value (a fuzzer or a hand-made request does not go
through our components), so nothing here raises, whatever it is given. Only what the app itself
would produce is accepted: a year is an ``int`` (or a string of ASCII digits, as in a link) inside
the data's years — never ``True``, ``2019.5``, ``"²"`` or ``"١٢"``, which Python's ``int`` would
take.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from core.text import LANGS
from core.themes import LAYER_KEYS, THEMES

MAX_TEXT = 4000  # characters: the longest free text a callback reads (a URL query string)
MAX_YEAR_DIGITS = 4  # a year in a link: more digits are never a year of the data


def is_int(value: Any) -> bool:
    """A JSON integer (``bool`` is an ``int`` in Python, but never a count or a year)."""
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value: Any, low: int, high: int) -> int | None:
    """``value`` as an int in ``low..high``: an int, or a float holding a whole number (what
    JavaScript sends for ``2020``); nothing else."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if is_int(value) and low <= value <= high:
        return value
    return None


def as_digits(text: Any, max_digits: int = MAX_YEAR_DIGITS) -> int | None:
    """A string of 1..``max_digits`` ASCII digits as an int. ``str.isdigit`` and ``int`` also
    take superscripts, circled and Arabic-Indic digits ('²', '①', '١٢'); a link's number does
    not."""
    if not isinstance(text, str) or not 0 < len(text) <= max_digits:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def as_year(value: Any, years: tuple[int, int]) -> int | None:
    """A year of the data (``years`` = first, last): an int, or ASCII digits as in a link."""
    number = as_digits(value) if isinstance(value, str) else value
    return as_int(number, years[0], years[1])


def as_count(value: Any) -> int | None:
    """A click count (``n_clicks``): a non-negative int; ``None`` (never clicked) is 0."""
    if value is None:
        return 0
    return as_int(value, 0, 2**53)


def as_text(value: Any, max_len: int = MAX_TEXT) -> str | None:
    """A string of at most ``max_len`` characters."""
    if isinstance(value, str) and len(value) <= max_len:
        return value
    return None


def as_choice(value: Any, choices: Collection[str]) -> str | None:
    """``value`` if it is one of ``choices`` (strings)."""
    return value if isinstance(value, str) and value in choices else None


def as_lang(value: Any) -> str | None:
    """A page language: 'zh' or 'en'."""
    return as_choice(value, LANGS)


def as_theme(value: Any) -> str | None:
    """A theme's key."""
    return as_choice(value, THEMES)


def as_layers(value: Any) -> tuple[str, ...] | None:
    """Chosen layers: a list of known layer keys (no more items than there are layers, so a
    long list is refused before it is read), in the canonical order, each once."""
    if not isinstance(value, list) or len(value) > len(LAYER_KEYS):
        return None
    if not all(isinstance(k, str) and k in LAYER_KEYS for k in value):
        return None
    return tuple(k for k in LAYER_KEYS if k in value)


def as_feature_id(value: Any, known_ids: Collection[str]) -> str | None:
    """The id of a feature of the data."""
    return as_choice(value, known_ids)
