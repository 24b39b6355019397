"""What is different between two years of a theme (issue 14's change list) — computed from the
tables, like the year's story (``core.story``), never written by hand.

Between year A and a later year B:
- every status change, flow begun and event recorded in the years after A up to B
  (``core.story.changes`` of each year, so an event that marks a status change stands for it);
- per indicator series of the theme, the figure a card shows in A and the one it shows in B.
  The difference is a change only when both figures have the same definition and qualifier
  (``Figure.comparable``); otherwise the line says that the two are not comparable. A series
  whose card shows the same figure in both years has no line.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.readings import Figure, reading
from core.story import Change, changes, theme_series
from core.tables import Tables


@dataclass(frozen=True)
class FigureChange:
    """One series between A and B: the figure shown in each (None before its first figure)."""

    series: str
    a: Figure | None
    b: Figure | None

    @property
    def comparable(self) -> bool:
        return self.a is not None and self.b is not None and self.a.comparable(self.b)

    @property
    def delta(self) -> float | None:
        """B's value minus A's, only between comparable figures."""
        if not self.comparable or self.a is None or self.b is None:
            return None
        return self.b.value - self.a.value


@dataclass(frozen=True)
class Comparison:
    theme: str
    a: int
    b: int
    changes: tuple[Change, ...]  # status changes, flows and events after A up to B, by date
    figures: tuple[FigureChange, ...]  # per series, in the theme's card order


def compare(tables: Tables, theme: str, a: int, b: int) -> Comparison:
    """The change list of ``theme`` from year ``a`` to year ``b`` (ValueError unless a < b;
    KeyError for an unknown theme)."""
    if not a < b:
        raise ValueError(f"the first year must come before the second; got {a} and {b}")
    happened = tuple(
        c
        for year in range(a + 1, b + 1)
        for c in changes(tables, theme, year)
        if c.kind != "figure"
    )
    figures = []
    for series in theme_series(tables, theme):
        before, after = reading(tables.indicators, series, a), reading(tables.indicators, series, b)
        fa = before.figure if before.state != "no_data" else None
        fb = after.figure if after.state != "no_data" else None
        if fb is None or (fa is not None and fa.id == fb.id):
            continue  # nothing known by B, or the same figure in both years: no change
        figures.append(FigureChange(series, fa, fb))
    return Comparison(theme, a, b, happened, tuple(figures))
