"""The text catalogue: two namespaces without shared keys, both languages everywhere, one helper."""

from __future__ import annotations

import string
from collections import namedtuple

import pandas as pd
import pytest

from core.text import PRINT, UI, html_lang, local, pick, t, tx


def test_screen_and_print_strings_share_no_key() -> None:
    assert not set(UI) & set(PRINT)


@pytest.mark.parametrize("table", [UI, PRINT], ids=["ui", "print"])
def test_every_string_has_both_languages_with_the_same_placeholders(table: dict) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, entry in table.items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
        if key == "cluster":  # "等3处" counts the group, "+2 nearby" the others: both are given
            continue
        assert fields(entry["zh"]) == fields(entry["en"]), key


def test_pick_chooses_english_only_for_en() -> None:
    assert pick("en", "中", "en") == "en"
    for other in ("zh", "", None, "EN", "fr", 1):
        assert pick(other, "中", "en") == "中"  # type: ignore[arg-type]


def test_local_reads_mappings_rows_and_tuples() -> None:
    row = {"name_zh": "丰台区", "name_en": "Fengtai"}
    assert local(row, "name", "en") == "Fengtai"
    assert local(pd.Series(row), "name", "zh") == "丰台区"
    assert local(namedtuple("Row", row)(**row), "name", "en") == "Fengtai"


def test_print_strings_fall_back_to_the_screen_words_and_unknown_keys_fail() -> None:
    assert tx("status.open", "en") == t("status.open", "en") == "Open"
    assert tx("north", "zh") == "北"
    with pytest.raises(KeyError):
        tx("no.such.key", "zh")
    assert html_lang("en") == "en" and html_lang("zh") == "zh-CN"
