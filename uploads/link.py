"""Planners' layers in a shareable link: ``user=ID:MODE:METHOD:K:COLUMN:YEAR[,…]``.

``ID`` is the layer's content hash (64 hex digits); MODE ``s`` (one colour), ``c`` (classes) or
``t`` (categories); METHOD ``q`` (quantiles), ``n`` (natural breaks) or ``e`` (equal interval);
K the number of classes; COLUMN and YEAR the index of the styled column and of the year column
among the layer's columns as ``uploads.style.profile`` lists them, or ``-``. Indices rather than
names keep the link short and free of escaping; a layer never changes, so neither do they.
The browser's twin is ``encode``/``decode`` in assets/userlayers.js."""

from __future__ import annotations

import re
from dataclasses import dataclass

from uploads.style import K_RANGE, Column, LayerStyle

MAX_LAYERS = 5
MODES = {"s": "single", "c": "classes", "t": "categories"}
METHODS = {"q": "quantiles", "n": "natural_breaks", "e": "equal_interval"}
_ENTRY = re.compile(r"([0-9a-f]{64}):([sct]):([qne]):([0-9]):(-|[0-9]{1,3}):(-|[0-9]{1,3})")


@dataclass(frozen=True)
class LayerRef:
    digest: str
    mode: str
    method: str
    k: int
    column: int | None
    year: int | None

    def text(self) -> str:
        """This reference as the link writes it."""
        mode = {v: k for k, v in MODES.items()}[self.mode]
        method = {v: k for k, v in METHODS.items()}[self.method]

        def index(i: int | None) -> str:
            return "-" if i is None else str(i)

        return f"{self.digest}:{mode}:{method}:{self.k}:{index(self.column)}:{index(self.year)}"

    def style(self, columns: list[Column]) -> LayerStyle | None:
        """The style this reference names for a layer with ``columns`` (None: an index or a
        column kind that does not fit)."""

        def name(index: int | None, kinds: tuple[str, ...]) -> str | bool | None:
            if index is None:
                return None
            if index >= len(columns) or columns[index].kind not in kinds:
                return False
            return columns[index].name

        year = name(self.year, ("year",))
        column = name(self.column, ("number",) if self.mode == "classes" else ("number", "text"))
        if year is False or column is False or (self.mode != "single" and column is None):
            return None
        return LayerStyle(self.mode, column or None, self.method, self.k, year or None)


def parse(text: str) -> list[LayerRef] | None:
    """The references in a ``user`` parameter, or None when any part is malformed."""
    parts = [p for p in text.split(",") if p]
    if not parts or len(parts) > MAX_LAYERS:
        return None
    refs = []
    for part in parts:
        m = _ENTRY.fullmatch(part)
        if m is None:
            return None
        digest, mode, method, k, column, year = m.groups()
        if not K_RANGE[0] <= int(k) <= K_RANGE[1]:
            return None
        refs.append(
            LayerRef(
                digest,
                MODES[mode],
                METHODS[method],
                int(k),
                None if column == "-" else int(column),
                None if year == "-" else int(year),
            )
        )
    if len({r.digest for r in refs}) != len(refs):
        return None
    return refs


def encode(digest: str, style: LayerStyle, columns: list[Column]) -> str:
    names = [c.name for c in columns]

    def index(name: str | None) -> str:
        return "-" if name is None or name not in names else str(names.index(name))

    mode = {v: k for k, v in MODES.items()}[style.mode]
    method = {v: k for k, v in METHODS.items()}[style.method]
    column = index(style.column) if style.mode != "single" else "-"
    return f"{digest}:{mode}:{method}:{style.k}:{column}:{index(style.year_column)}"


def from_entries(entries: object) -> tuple[str, ...]:
    """The ``user=`` references of the dashboard's USER_LAYERS entries (malformed ones left out:
    the browser sends them, so they are checked here like any input)."""
    if not isinstance(entries, list):
        return ()
    refs = []
    for e in entries[:MAX_LAYERS]:
        try:
            columns = [Column(str(c["name"]), str(c["kind"])) for c in e["columns"]]
            style = LayerStyle(**e["style"])
            text = encode(str(e["id"]), style, columns)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if parse(text) is not None:
            refs.append(text)
    return tuple(refs)
