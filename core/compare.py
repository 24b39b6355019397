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

from core.readings import Figure, format_number, format_value, reading, with_unit
from core.story import Change, change_text, changes, names_of, status_key, theme_series
from core.tables import Tables
from core.text import t
from core.timeline import year_of


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


@dataclass(frozen=True)
class Line:
    """One line of the change list as a reader sees it, in one language: what changed, the
    date and source of the state in A (when it is part of the line) and of B, and the map
    feature the line is about (selected on both maps when the line is clicked)."""

    kind: str  # a core.story kind: open … closed, flow, event, figure
    text: str
    dates: tuple[str, ...]  # A's date first when the line has one
    sources: tuple[tuple[str, str], ...]  # (source-dialog key, citation), one per date
    feature: str | None = None
    comparable: bool = True  # False for two figures of different definitions or qualifiers


def lines(tables: Tables, comparison: Comparison, lang: str) -> list[Line]:
    """The change list of ``comparison`` as text in ``lang``: events, status changes and flows
    by date, then one line per indicator series."""
    names = names_of(tables, lang)
    out = [_change_line(tables, comparison.a, c, lang, names) for c in comparison.changes]
    out += [_figure_line(tables, fc, lang) for fc in comparison.figures]
    return out


def _cite(tables: Tables, key: str, source: str, lang: str) -> tuple[str, str]:
    return key, tables.cite(source, lang)


def _change_line(tables: Tables, a: int, c: Change, lang: str, names: dict[str, str]) -> Line:
    text = change_text(tables, c, lang, names)
    here = _cite(tables, c.source_key, c.source, lang)
    if c.kind == "flow":
        return Line(c.kind, text, (c.date,), (here,), c.subject)
    feature: str | None = c.subject
    if c.kind == "event":  # about the feature whose status it marks, if any
        row = tables.events[tables.events["id"] == c.subject].iloc[0]
        marks = [m.partition(":")[0].strip() for m in str(row.marks or "").split(";")]
        feature = next((m for m in marks if m in names), None)
        if feature is None:
            return Line(c.kind, text, (c.date,), (here,))
    assert feature is not None
    # with the status the feature had in A (or that it had none)
    before = tables.status[tables.status["feature_id"].astype(str) == feature]
    before = before[before["since"].map(year_of) <= a]
    if before.empty:
        was = t("compare.was_none", lang, year=a)
        return Line(c.kind, _with(text, was, lang), (c.date,), (here,), feature)
    row = before.iloc[-1]
    was = t("compare.was", lang, year=a, status=t(f"status.{row.status}", lang))
    key = status_key(feature, str(row.status), str(row.since))
    dates = (str(row.since), c.date)
    sources = (_cite(tables, key, str(row.source), lang), here)
    return Line(c.kind, _with(text, was, lang), dates, sources, feature)


def _with(text: str, was: str, lang: str) -> str:
    """A change and, in brackets, what was so in year A."""
    return f"{text}（{was}）" if lang == "zh" else f"{text} ({was})"


def _amount(figure: Figure, lang: str) -> str:
    return with_unit(format_value(figure, lang), figure.unit(lang), lang)


def _figure_line(tables: Tables, fc: FigureChange, lang: str) -> Line:
    fb = fc.b
    assert fb is not None  # compare() keeps only series with a figure by B
    sep = "：" if lang == "zh" else ": "
    after = _cite(tables, f"indicators:{fb.id}", fb.source, lang)
    if fc.a is None:
        text = fb.label(lang) + sep + t("compare.figure_new", lang, b=_amount(fb, lang))
        return Line("figure", text, (fb.as_of,), (after,))
    fa = fc.a
    before = _cite(tables, f"indicators:{fa.id}", fa.source, lang)
    dates = (fa.as_of, fb.as_of)
    if fc.delta is None:
        text = (
            fb.label(lang)
            + sep
            + t("compare.figure_other", lang, a=_amount(fa, lang), b=_amount(fb, lang))
        )
        return Line("figure", text, dates, (before, after), comparable=False)
    sign = "+" if fc.delta > 0 else "±" if fc.delta == 0 else "−"
    text = (
        fb.label(lang)
        + sep
        + t(
            "compare.figure",
            lang,
            a=_amount(fa, lang),
            b=_amount(fb, lang),
            delta=f"{sign}{format_number(abs(fc.delta), lang)}",
        )
    )
    return Line("figure", text, dates, (before, after))
