"""Every piece of page text that follows the language, declared once as (id, property, text).

The layout takes each initial value from here (:func:`say`) and the language callback
(``callbacks/language.py``) sends the whole table again when the language changes, so a text
cannot be in the page and be forgotten by the switch, and no output is matched by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import ids
from core.text import html_lang, t
from core.themes import LAYER_KEYS, THEMES
from layout.common import LANG, PLAY_SPEEDS

Render = Callable[[str, Mapping[str, str]], Any]  # (lang, boundary notices by lang) → value

# The language a page is being built in (``page(…, lang)`` sets it); Chinese by default.
_BUILDING: ContextVar[str] = ContextVar("atlas_layout_lang", default=LANG)


@contextmanager
def building(lang: str) -> Iterator[str]:
    """Build the page markup in ``lang``: every :func:`say` inside answers in it."""
    token = _BUILDING.set(lang)
    try:
        yield lang
    finally:
        _BUILDING.reset(token)


def page_lang() -> str:
    """The language of the page being built."""
    return _BUILDING.get()


@dataclass(frozen=True)
class Text:
    component_id: str
    prop: str
    render: Render

    @property
    def key(self) -> str:
        return f"{self.component_id}.{self.prop}"


def _key(key: str) -> Render:
    return lambda lang, _: t(key, lang)


def _options(values: Any, key: str) -> Render:
    return lambda lang, _: [{"label": t(key.format(v), lang), "value": v} for v in values]


TEXTS: tuple[Text, ...] = (
    Text(ids.PAGE, "lang", lambda lang, _: html_lang(lang)),
    Text(ids.TITLE, "children", _key("title")),
    Text(ids.SUBTITLE, "children", _key("subtitle")),
    Text(ids.THEME_LABEL, "children", _key("theme")),
    Text(ids.THEME, "options", _options(THEMES, "theme.{}")),
    Text(ids.EXPORT_OPEN, "children", _key("export")),
    Text(ids.EXPORT_OPEN, "title", _key("export.title")),
    Text(ids.LANG_BUTTON, "children", _key("language")),
    Text(ids.LANG_BUTTON, "title", _key("language.label")),
    Text(ids.NOTICE_CLOSE, "title", _key("notice.close")),
    Text(ids.NOTICE_CLOSE, "aria-label", _key("notice.close")),
    Text(ids.BOUNDARY_NOTICE, "children", lambda lang, notices: notices.get(lang, "")),
    # timeline
    Text(ids.YEAR_NAME, "children", _key("year")),
    Text(ids.STEP_BACK, "title", _key("step_back")),
    Text(ids.STEP_BACK, "aria-label", _key("step_back")),
    Text(ids.STEP_FORWARD, "title", _key("step_forward")),
    Text(ids.STEP_FORWARD, "aria-label", _key("step_forward")),
    Text(ids.SPEED_LABEL, "children", _key("speed")),
    Text(ids.SPEED, "options", _options(PLAY_SPEEDS, "speed.{}")),
    Text(ids.LOOP, "options", lambda lang, _: [{"label": t("loop", lang), "value": "loop"}]),
    # compare two years
    Text(ids.COMPARE_LABEL, "children", _key("compare.mode")),
    Text(
        ids.COMPARE_ON,
        "options",
        lambda lang, _: [{"label": t("compare.label", lang), "value": "on"}],
    ),
    Text(ids.COMPARE_MODE, "options", _options(("swipe", "side"), "compare.{}")),
    Text(ids.YEAR_A_NAME, "children", _key("compare.year_a")),
    Text(ids.SWIPE, "aria-label", _key("compare.divider_name")),
    # the close-up of Fengtai
    Text(ids.INSET, "aria-label", _key("inset.name")),
    Text(ids.INSET_CAPTION, "children", _key("inset.caption")),
    # side panel
    Text(ids.LAYERS_LABEL, "children", _key("layers")),
    Text(ids.LAYERS, "options", _options(LAYER_KEYS, "theme.{}")),
    Text(ids.CLEAR, "title", _key("back_to_overview")),
    Text(ids.CLEAR, "aria-label", _key("back_to_overview")),
    Text(ids.KPIS_TITLE, "children", _key("indicators")),
    Text(ids.EVENTS_TITLE, "children", _key("events")),
    Text(ids.USER_TITLE, "children", _key("user.title")),
    Text(ids.USER_FILE, "children", _key("user.add")),
    Text(ids.USER_HINT, "children", _key("user.drop")),
    Text(ids.USER_DETAILS_CLOSE, "title", _key("close")),
    Text(ids.USER_DETAILS_CLOSE, "aria-label", _key("close")),
    # dialogs
    Text(ids.SOURCE_HEADING, "children", _key("source_details")),
    Text(ids.SOURCE_CLOSE, "children", _key("close")),
    Text(ids.EXPORT_HEADING, "children", _key("export.title")),
    Text(ids.EXPORT_H_FORMAT, "children", _key("export.format")),
    Text(ids.EXPORT_H_PAPER, "children", _key("export.paper")),
    Text(ids.EXPORT_ORIENTATION, "options", _options(("landscape", "portrait"), "export.{}")),
    Text(ids.EXPORT_H_DPI, "children", _key("export.dpi")),
    Text(ids.EXPORT_H_LANG, "children", _key("export.lang")),
    Text(ids.EXPORT_LANG, "value", lambda lang, _: lang),  # exports default to the screen's
    Text(ids.EXPORT_L_TITLE, "children", _key("export.map_title")),
    Text(ids.EXPORT_RUN, "children", _key("export.run")),
    Text(ids.EXPORT_CANCEL, "children", _key("export.cancel")),
    Text(ids.EXPORT_CLOSE, "children", _key("close")),
    # kiosk
    Text(ids.KIOSK_QR_CAPTION, "children", _key("kiosk.qr")),
    Text(ids.KIOSK_EXPLORE_TEXT, "children", _key("kiosk.exploring")),
    Text(ids.KIOSK_RESUME, "children", _key("kiosk.resume")),
    Text(ids.RECONNECT_TEXT, "children", _key("reconnecting")),
)
_BY_KEY = {text.key: text for text in TEXTS}


def say(component_id: str, prop: str = "children", notices: Mapping[str, str] | None = None) -> Any:
    """The initial value of a language-switched property, in the language being built."""
    return _BY_KEY[f"{component_id}.{prop}"].render(page_lang(), notices or {})


def all_texts(lang: str, notices: Mapping[str, str]) -> dict[str, Any]:
    """Every language-switched property in ``lang``, keyed ``id.prop``."""
    return {text.key: text.render(lang, notices) for text in TEXTS}


def client_texts() -> dict[str, dict[str, str]]:
    """The few strings browser code writes itself (the play button's name; the compare maps'
    and the swipe's names, with {a} and {b} for the years), in both languages."""
    keys = ("play", "pause", "compare.map_a", "compare.map_b", "compare.divider")
    return {lang: {k: t(k, lang, a="{a}", b="{b}") for k in keys} for lang in ("zh", "en")}
