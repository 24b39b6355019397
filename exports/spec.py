"""What one export is: theme, year, language, format, paper, extent — validated once, up front.

Every check here raises :class:`ExportError` (a ``ValueError``) with a one-line message that
names the bad value and what would be accepted, so the CLI and the dashboard can show it as is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.text import LANGS, tx
from core.themes import LAYER_KEYS, THEMES, Theme

if TYPE_CHECKING:
    from uploads.link import LayerRef

FORMATS = ("png", "pdf", "svg", "html", "geojson", "csv")
PAGE_FORMATS = ("png", "pdf", "svg")  # rendered on paper with matplotlib
PAPERS_MM = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}  # ISO 216, portrait (width, height)
ORIENTATIONS = ("landscape", "portrait")
DPIS = (150, 300, 600)
MAX_TITLE = 120
COMPARE_FORMATS = "export.compare.formats"  # why HTML, GeoJSON and CSV refuse a comparison
# A box (lon_min, lat_min, lon_max, lat_max) must lie in this window: the region, generously.
BBOX_LIMITS = (108.0, 30.0, 126.0, 48.0)

BBox = tuple[float, float, float, float]


class ExportError(ValueError):
    """An export was asked for with a value it cannot use; the message is one line. ``key``
    names the same sentence in ``core.text`` when the panel can be asked for it (so it shows
    in the panel's language; the message is its English)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def _choice(name: str, value: object, allowed: tuple[object, ...]) -> None:
    if value not in allowed:
        listed = ", ".join(str(a) for a in allowed)
        raise ExportError(f"{name} must be one of {listed}; got {value!r}")


def _shown(value: object, most: int = 80) -> str:
    """``repr(value)`` shortened for a one-line message."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"


def _check_user(user: tuple[str, ...]) -> None:
    """Each reference on its own (so the message names the bad one), then all together."""
    # uploads.link imports mapclassify, which loads matplotlib: only when there is a reference
    from uploads.link import MAX_LAYERS, parse

    for ref in user:
        if not isinstance(ref, str) or "," in ref or parse(ref) is None:
            raise ExportError(
                f"user layer {_shown(ref)} is not a layer reference ID:MODE:METHOD:K:COLUMN:YEAR "
                "(as in the page's link, e.g. <64 hex digits>:c:q:5:2:-)"
            )
    if len(user) > MAX_LAYERS:
        raise ExportError(f"at most {MAX_LAYERS} user layers; got {len(user)}")
    if parse(",".join(user)) is None:
        raise ExportError("user layers name the same layer twice")


def _check_bbox(bbox: BBox) -> None:
    if len(bbox) != 4 or not all(isinstance(v, int | float) for v in bbox):
        raise ExportError(f"bbox must be four numbers lon_min,lat_min,lon_max,lat_max; got {bbox}")
    if not all(math.isfinite(v) for v in bbox):
        raise ExportError(f"bbox must be finite numbers; got {bbox}")
    west, south, east, north = bbox
    if not (west < east and south < north):
        raise ExportError(f"bbox must have lon_min < lon_max and lat_min < lat_max; got {bbox}")
    lw, ls, le, ln = BBOX_LIMITS
    if not (lw <= west and east <= le and ls <= south and north <= ln):
        raise ExportError(
            f"bbox {bbox} reaches outside the mapped region ({lw}–{le}°E, {ls}–{ln}°N)"
        )


@dataclass(frozen=True)
class ExportSpec:
    """One export of one view.

    Parameters
    ----------
    theme
        A key of :data:`layers.themes.THEMES`; sets the default layers, extent and KPI series.
    year
        The timeline year shown.
    lang
        ``"zh"`` or ``"en"``: every label, legend entry and note.
    fmt
        One of :data:`FORMATS`.
    paper, orientation, dpi
        Page size and raster resolution (PNG); PDF and SVG use paper and orientation only.
    title
        The title printed on the page; ``None`` for the default made from theme and year.
    bbox
        ``(lon_min, lat_min, lon_max, lat_max)`` to show (the dashboard's current view);
        ``None`` for the theme's centre and zoom. Either is widened to fit the paper's aspect.
    layers
        The visible layers; ``None`` for the theme's layers.
    selected
        The selected feature id (highlighted as on screen), or ``None``.
    user
        The planner's own layers shown, as layer references ``ID:MODE:METHOD:K:COLUMN:YEAR``
        (``uploads.link``, the page link's ``user=``); drawn from the layer store.
    compare
        ``(A, B)``: a page comparing year A with year B (``year`` is B): both maps side by
        side, one legend and the change list between them (``exports.compare``); page formats
        only.
    """

    theme: str
    year: int
    lang: str = "zh"
    fmt: str = "png"
    paper: str = "a4"
    orientation: str = "landscape"
    dpi: int = 300
    title: str | None = None
    bbox: BBox | None = None
    layers: tuple[str, ...] | None = field(default=None)
    selected: str | None = None
    user: tuple[str, ...] = ()
    compare: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        _choice("theme", self.theme, tuple(THEMES))
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise ExportError(f"year must be a whole number; got {self.year!r}")
        _choice("lang", self.lang, LANGS)
        _choice("format", self.fmt, FORMATS)
        _choice("paper", self.paper, tuple(PAPERS_MM))
        _choice("orientation", self.orientation, ORIENTATIONS)
        _choice("dpi", self.dpi, DPIS)
        if self.title is not None:
            if len(self.title) > MAX_TITLE:
                raise ExportError(f"title is longer than {MAX_TITLE} characters")
            if any(ord(c) < 32 for c in self.title):
                raise ExportError("title must be one line of text without control characters")
        if self.bbox is not None:
            _check_bbox(self.bbox)
        if self.layers is not None:
            unknown = [k for k in self.layers if k not in LAYER_KEYS]
            if unknown:
                raise ExportError(
                    f"unknown layer {unknown[0]!r}; layers are {', '.join(LAYER_KEYS)}"
                )
            # Canonical order, as the dashboard's layer list has it.
            object.__setattr__(self, "layers", tuple(k for k in LAYER_KEYS if k in self.layers))
        if isinstance(self.user, str) or not isinstance(self.user, tuple | list):
            raise ExportError(f"user must be a list of layer references; got {_shown(self.user)}")
        object.__setattr__(self, "user", tuple(self.user))
        if self.user:
            _check_user(self.user)
        if self.compare is not None:
            self._check_compare()

    def _check_compare(self) -> None:
        pair = self.compare
        if (
            not isinstance(pair, tuple | list)
            or len(pair) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in pair)
        ):
            raise ExportError(f"compare must be two years A,B; got {_shown(pair)}")
        a, b = pair
        if not a < b:
            raise ExportError(f"compare needs year A before year B; got {a},{b}")
        if b != self.year:
            raise ExportError(f"compare's year B ({b}) must be the export's year ({self.year})")
        if self.fmt not in PAGE_FORMATS:
            raise ExportError(tx(COMPARE_FORMATS, "en"), key=COMPARE_FORMATS)
        object.__setattr__(self, "compare", (a, b))

    @property
    def user_refs(self) -> list[LayerRef]:
        """The planner's layers named by :attr:`user`, parsed."""
        if not self.user:
            return []
        from uploads.link import parse

        return parse(",".join(self.user)) or []

    @property
    def theme_def(self) -> Theme:
        return THEMES[self.theme]

    @property
    def shown_layers(self) -> tuple[str, ...]:
        return self.layers if self.layers is not None else self.theme_def.layers

    @property
    def paper_mm(self) -> tuple[float, float]:
        """(width, height) of the page in millimetres, after orientation."""
        short, long = PAPERS_MM[self.paper]
        return (long, short) if self.orientation == "landscape" else (short, long)

    @property
    def paper_inches(self) -> tuple[float, float]:
        width, height = self.paper_mm
        return width / 25.4, height / 25.4

    def filename(self) -> str:
        """A default file name, e.g. ``relocation_2021_zh_a4-landscape.png``."""
        when = f"{self.compare[0]}-{self.compare[1]}" if self.compare else str(self.year)
        stem = f"{self.theme}_{when}_{self.lang}"
        if self.fmt in PAGE_FORMATS:
            stem += f"_{self.paper}-{self.orientation}"
        if self.fmt == "png":
            stem += f"_{self.dpi}dpi"
        return f"{stem}.{self.fmt}"

    def check_data(self, years: tuple[int, int], known_ids: frozenset[str]) -> None:
        """Check what needs the data: the year lies in the timeline, the selection exists."""
        first, last = years
        for year in self.compare or (self.year,):
            if not first <= year <= last:
                raise ExportError(f"year {year} is outside the data ({first}–{last})")
        if self.selected is not None and self.selected not in known_ids:
            raise ExportError(f"selected feature {self.selected!r} is not in the data")


def parse_years(text: str) -> tuple[int, int]:
    """``"2014-2021"`` → ``(2014, 2021)``; a single ``"2021"`` → ``(2021, 2021)``."""
    parts = text.replace("–", "-").split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ExportError(f"years must look like 2014-2021; got {text!r}") from None
    if len(numbers) == 1:
        numbers *= 2
    if len(numbers) != 2 or numbers[0] > numbers[1]:
        raise ExportError(f"years must be FIRST-LAST with FIRST <= LAST; got {text!r}")
    return numbers[0], numbers[1]


def parse_compare(text: str) -> tuple[int, int]:
    """``"2014,2021"`` → ``(2014, 2021)``: year A, then the later year B."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ExportError(f"compare must be two years A,B such as 2014,2021; got {text!r}")
    a, b = int(parts[0]), int(parts[1])
    if not a < b:
        raise ExportError(f"compare needs year A before year B; got {text!r}")
    return a, b


def parse_bbox(text: str) -> BBox:
    """``"115.5,38.5,117.5,40.2"`` → a checked box."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise ExportError(f"bbox must be lon_min,lat_min,lon_max,lat_max; got {text!r}") from None
    if len(values) != 4:
        raise ExportError(
            f"bbox must be four numbers lon_min,lat_min,lon_max,lat_max; got {text!r}"
        )
    _check_bbox(values)  # type: ignore[arg-type]
    return values  # type: ignore[return-value]
