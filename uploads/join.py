"""A table of figures per district joined to the atlas's own boundaries by name or code.

Planners' spreadsheets name places as they please: 丰台, 丰台区, Fengtai, Fengtai District,
110106. A name is matched after folding case and spaces and dropping the administrative suffix
(区, 县, 市, 省, 新区; District, County, City, New Area); a six-digit code is matched with the
boundary's adcode. A name that fits two boundaries (河北: the province and Tianjin's 河北区) is
matched only when it is one boundary's full name. The key column is the one whose values match
most boundaries, whatever it is called. Rows that do not match are kept in the report with the
reason, never dropped silently: the planner sees row, field, value and why."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

import geopandas as gpd

SUFFIXES_ZH = ("自治县", "新区", "区", "县", "市", "省")
SUFFIXES_EN = (" new area", " new district", " district", " county", " city", " province")
LEVELS = ("district", "prefecture", "province")
CODE = re.compile(r"[1-6][0-9]{5}")


@dataclass(frozen=True)
class Unmatched:
    """A row that names no atlas boundary: ``row`` as a spreadsheet counts it (header = 1)."""

    row: int
    field: str
    value: str
    reason_en: str
    reason_zh: str


@dataclass
class Joined:
    frame: gpd.GeoDataFrame  # one polygon per matched row, the row's other columns kept
    key: str  # the column that was joined
    unmatched: list[Unmatched]


def fold(text: str) -> str:
    """A name as it is compared: no spaces, case folded, full-width letters made ASCII."""
    text = "".join(str(text).split()).casefold()
    return text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})


def _stem(name: str) -> str:
    folded = fold(name)
    for suffix in SUFFIXES_ZH + tuple(s.replace(" ", "") for s in SUFFIXES_EN):
        if folded.endswith(suffix) and len(folded) > len(suffix) + (0 if folded.isascii() else 1):
            return folded[: -len(suffix)]
    return folded


class _Index:
    """Boundary ids by full name, by stem and by adcode."""

    def __init__(self, boundaries: pd.DataFrame) -> None:
        units = boundaries[boundaries["level"].isin(LEVELS)]
        self.full: dict[str, set[str]] = {}
        self.stem: dict[str, set[str]] = {}
        self.code: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for row in units.itertuples():
            uid = str(row.id)
            self.names[uid] = str(row.name_zh)
            self.code[str(row.adcode)] = uid
            for name in (row.name_zh, row.name_en):
                if isinstance(name, str) and name.strip():
                    self.full.setdefault(fold(name), set()).add(uid)
                    self.stem.setdefault(_stem(name), set()).add(uid)

    def match(self, value: str) -> tuple[str | None, set[str]]:
        """(the boundary id, or None with the candidates that made it ambiguous)."""
        text = str(value).strip()
        if CODE.fullmatch(text):
            return self.code.get(text), set()
        exact = self.full.get(fold(text), set())
        if len(exact) == 1:
            return next(iter(exact)), set()
        found = self.stem.get(_stem(text), set())
        if len(found) == 1:
            return next(iter(found)), set()
        return None, found


def _key_column(table: pd.DataFrame, index: _Index) -> tuple[str | None, int]:
    best, best_hits = None, 0
    for col in table.columns:
        values = table[col].astype(str).str.strip()
        hits = sum(index.match(v)[0] is not None for v in values.head(500))
        if hits > best_hits:
            best, best_hits = col, hits
    return best, best_hits


def join_districts(table: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> Joined | None:
    """``table``'s rows on the boundaries they name; None when no column names any boundary."""
    index = _Index(boundaries)
    key, hits = _key_column(table, index)
    if key is None or hits == 0:
        return None
    geometry = boundaries.set_index(boundaries["id"].astype(str)).geometry
    rows, shapes, unmatched = [], [], []
    for i, value in enumerate(table[key].astype(str)):
        uid, candidates = index.match(value)
        if uid is not None:
            rows.append(i)
            shapes.append(geometry[uid])
            continue
        text = value.strip()
        if not text:
            en, zh = "the cell is empty", "单元格为空"
        elif candidates:
            both = "、".join(sorted(index.names[c] for c in candidates))
            en = f"it fits more than one area ({both}); write the full name"
            zh = f"可对应多个区域（{both}），请写全称"
        elif CODE.fullmatch(text):
            en, zh = "no atlas area has this code", "图集中没有此代码的区域"
        else:
            en = (
                "no atlas area has this name (the atlas has Beijing's and Tianjin's districts "
                "and Hebei's prefectures)"
            )
            zh = "图集中没有此名称的区域（图集包含京津两市的区和河北省的地级市）"
        unmatched.append(Unmatched(i + 2, str(key), text, en, zh))
    matched = table.iloc[rows].reset_index(drop=True)
    frame = gpd.GeoDataFrame(matched, geometry=list(shapes), crs=boundaries.crs)
    return Joined(frame, str(key), unmatched)
