"""Every numeric figure printed in the seed documents, line by line, for the coverage check.

``extract(seeds_dir)`` reads each seed line and returns the figures in it: the text as printed
(qualifier, number, multiplier, percent sign) and the number it reads as. The rules are few and
fixed, so the same seeds always give the same list:

* Arabic numbers (``455``, ``2009.7``, ``7,000``) are figures wherever they stand; Chinese
  numerals (``十余``, ``两``, ``一个半``, ``上千``) only when a measure word follows (家, 个, 年,
  小时 …), since most of them in prose are words (一批, 三地, “三站一楼”).
* Qualifiers stay with the figure: 近/超过/超/约/逾/不到/不足 before it, 余/多/以上/左右 after it,
  上 and 数 before a Chinese 百/千/万/亿 (上千吨, 数百亿元); so do 万/亿 and %.
* A figure broken over two lines of the seed is read across the break (the next non-blank
  line) and belongs to the line where it starts; its text is joined without the line break.
* Not figures of the story, so left out: dates and years (2014年, 2018—2020年, 5月, 1-10月,
  28日, 20世纪, 80年代), clock times (6点), numbered names (7号线, R1线, 01版), phone numbers,
  ordinals and list numbers (第一, 一是), a bare 一 (the article “a”: 一批, 一年), Chinese
  numerals opening a quoted label (“三站一楼”, “十四五”), article metadata (front matter, HTML
  lines, editor credits), and the articles in ``OUT_OF_SCOPE``.

Everything else is kept, including labels such as 4+5+X and numbers inside names (1897科创城):
the coverage test decides, and ``sources/exclusions.csv`` says why such a figure is no row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@cache
def seed_lines(seeds_dir: Path, file: str) -> tuple[str, ...]:
    """The lines of one seed document (read once per run)."""
    return tuple((seeds_dir / file).read_text(encoding="utf-8").splitlines())


def cited_text(seeds_dir: Path, source: str, before: int = 0, after: int = 0) -> str:
    """The text of a ``file:line`` citation, with ``before``/``after`` lines around it (a figure
    may wrap onto the next line; a sentence may begin on the line before)."""
    file, _, line = source.partition(":")
    lines = seed_lines(seeds_dir, file)
    n = int(line)
    return "".join(lines[max(0, n - 1 - before) : n + after])


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}


def _cn_number(text: str) -> float | None:
    total, digit, found = 0, 0, False
    for ch in text:
        if ch in CN_DIGITS:
            digit, found = CN_DIGITS[ch], True
        elif ch in CN_UNITS:
            total += (digit or 1) * CN_UNITS[ch]
            digit, found = 0, True
        elif found:
            break
    return float(total + digit) if found else None


def parse_figure(text: str) -> tuple[float, str]:
    """The number in a quoted figure and the multiplier character after it ('' if none)."""
    compact = re.sub(r"[,，\s]", "", text)
    match = re.search(r"\d+(?:\.\d+)?", compact)
    if match:
        number, rest = float(match.group()), compact[match.end() :]
    else:
        start = next((i for i, ch in enumerate(compact) if ch in CN_DIGITS or ch in CN_UNITS), -1)
        parsed = _cn_number(compact[start:]) if start >= 0 else None
        if parsed is None:
            raise ValueError(f"no number in {text!r}")
        number = parsed
        rest = compact[start:].lstrip("".join(CN_DIGITS) + "".join(CN_UNITS))
        if rest.startswith(("个半", "半")):  # 一个半小时: one and a half
            number += 0.5
    mult = next((m for m in MULTIPLIERS if rest.startswith(m) or rest[1:2] == m), "")
    return number, mult


# The figure parser the data-truth test checks the tables with: one reading of 一个半, 3万余 …

# Articles printed in a seed file that are not about Fengtai or Jing-Jin-Ji: (first, last) line.
OUT_OF_SCOPE: dict[str, tuple[tuple[int, int, str], ...]] = {
    "003_d0f259d1e3138b33.txt": (
        # 丰台区党政代表团赴内蒙古对接东西部协作工作: the Inner Mongolia trip, headline ...
        (173, 174, "Fengtai delegation to Inner Mongolia (headline)"),
        # 坚定信心 守望相助 (来源：北京日报): the COVID-19 commentary, headline and text.
        (176, 261, "COVID-19 commentary"),
        # ... and the Inner Mongolia trip's text (12月9日-12日, 林西县, 扎赉特旗) to the end.
        (262, 478, "Fengtai delegation to Inner Mongolia"),
    ),
}

_QUALIFIER = r"(?:(?<!最)近|超过|超|约|逾|不到|不足)"  # 最近 is “recently”, not “nearly”
_ARABIC = re.compile(
    rf"(?:{_QUALIFIER}\s*)?(?<![A-Za-z\d.])"
    r"(?P<num>\d+(?:,\d{3}(?!\d))*(?:\.\d+)?)(?![A-Za-z])"
    r"(?:\s*[余多](?![少元]))?(?:\s*[万亿])?[余多]?(?:\s*[%％])?(?:以上|左右)?"
)
_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_MEASURES = "家|个|项|所|座|人|名|户|件|倍|年|小时|分钟|天|吨|米|公里|平方米|元"
_CHINESE = re.compile(
    rf"(?:(?:{_QUALIFIER}|上(?=[百千])|数(?=[十百千]))\s*)?"
    rf"(?P<num>[{_CN_DIGITS}]+(?:个半)?)"
    rf"(?:[余多]?[万亿][余多]?|[余多]?(?=\s*(?:{_MEASURES})))"
)
# What follows a number that makes it a date, a time or a numbered name rather than a figure.
_NOT_A_FIGURE_AFTER = re.compile(r"\s*(?:[-—–~～至到]\s*\d+\s*)?(?:月|日|号|点|世纪|年代|版)")
_YEAR_AFTER = re.compile(r"\s*(?:[-—–~～至到]\s*\d{4}\s*)?年")
_PHONE = re.compile(r"\d{3,4}-\d{7,8}")
_LABEL_OPENERS = "“‘《「"
_METADATA = re.compile(r"^\s*(?:<|\[责任编辑)")


@dataclass(frozen=True)
class SeedFigure:
    """One figure as printed on one line of a seed document."""

    file: str
    line: int  # 1-based
    text: str  # as printed (whitespace kept), joined across a line break
    value: float  # what it reads as, 万/亿 applied; a percentage as its number

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"


def _read_value(text: str) -> float:
    number, mult = parse_figure(text)
    return number * MULTIPLIERS[mult] if mult else number


def _is_figure(match: re.Match[str], joined: str, chinese: bool) -> bool:
    num = match["num"]
    before = joined[: match.start()]
    after = joined[match.end("num") :]
    if before.endswith("第") or _NOT_A_FIGURE_AFTER.match(after):
        return False
    if chinese:
        if num == "一":  # the article “a”: 一批, 一个, 一年
            return False
        return not before.endswith(tuple(_LABEL_OPENERS))
    digits = num.replace(",", "")
    if len(digits) == 4 and "." not in digits and _YEAR_AFTER.match(after):
        return False
    if "," not in num and len(digits) >= 7:  # a phone number, not a count
        return False
    return not _PHONE.match(joined, match.start("num"))


def _scope_lines(path: Path) -> list[str | None]:
    """The file's lines, with None for front matter, metadata and out-of-scope articles."""
    raw = path.read_text(encoding="utf-8").splitlines()
    lines: list[str | None] = list(raw)
    in_front_matter = False
    for i, text in enumerate(raw):
        if text.strip() == "---":
            in_front_matter = not in_front_matter
        if text.strip() == "---" or in_front_matter or _METADATA.match(text):
            lines[i] = None
    for first, last, _article in OUT_OF_SCOPE.get(path.name, ()):
        for i in range(first - 1, min(last, len(lines))):
            lines[i] = None
    return lines


def _next_text(lines: list[str | None], i: int) -> str:
    """The next non-blank in-scope line after line index ``i`` ('' if none)."""
    for text in lines[i + 1 :]:
        if text is None:
            return ""
        if text.strip():
            return text
    return ""


def extract_file(path: Path) -> list[SeedFigure]:
    lines = _scope_lines(path)
    carried: dict[int, int] = {}  # line index -> characters already read as a previous figure
    prev_tail = ""
    figures: list[SeedFigure] = []
    for i, text in enumerate(lines):
        if text is None or not text.strip():
            prev_tail = "" if text is None else prev_tail
            continue
        nxt = _next_text(lines, i)
        joined = prev_tail + text + nxt
        start, end = len(prev_tail) + carried.get(i, 0), len(prev_tail) + len(text)
        found: list[tuple[int, int, str]] = []
        for pattern, chinese in ((_ARABIC, False), (_CHINESE, True)):
            for match in pattern.finditer(joined):
                if start <= match.start() < end and _is_figure(match, joined, chinese):
                    found.append((match.start(), match.end(), match.group()))
        for _, m_end, figure in sorted(found):
            figures.append(SeedFigure(path.name, i + 1, figure, _read_value(figure)))
            if m_end > end:  # it runs onto the next non-blank line
                j = next(k for k in range(i + 1, len(lines)) if (lines[k] or "").strip())
                carried[j] = max(carried.get(j, 0), m_end - end)
        prev_tail = text[-1]
    return figures


def extract(seeds_dir: Path) -> list[SeedFigure]:
    """Every figure in every seed ``*.txt`` of ``seeds_dir``, in file and line order."""
    figures: list[SeedFigure] = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        figures.extend(extract_file(path))
    return figures
