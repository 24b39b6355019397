"""Measuring and breaking text for print, for Chinese as well as Latin script."""

from __future__ import annotations

import re
from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# A CJK character (with closing punctuation that must not start a line), a Latin word with its
# trailing space, or a run of spaces.
_TOKENS = re.compile(rf"[{_CJK}][）》」』，。；：、]?|[^\s{_CJK}]+\s*|\s+")
_MEASURE = TextToPath()


@lru_cache(maxsize=4096)
def _width(text: str, family: str, size: float, weight: str) -> float:
    prop = FontProperties(family=family, size=size, weight=weight)
    return float(_MEASURE.get_text_width_height_descent(text, prop, ismath=False)[0])


def text_width(text: str, prop: FontProperties) -> float:
    """Advance width of ``text`` in points (no kerning: a slight overestimate, on the safe side)."""
    family = prop.get_family()[0]
    return _width(text, family, float(prop.get_size_in_points()), str(prop.get_weight()))


def wrap(text: str, width_pt: float, prop: FontProperties) -> list[str]:
    """Greedy line breaks by measured width: between words, and between CJK characters."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        trial = line + token
        if not line or text_width(trial.rstrip(), prop) <= width_pt:
            line = trial
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
        while len(line) > 1 and text_width(line.rstrip(), prop) > width_pt:  # an over-long URL
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], prop) > width_pt:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines
