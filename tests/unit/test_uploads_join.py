"""A table keyed by district names in mixed forms joins to the atlas's boundaries; the rows that
match nothing are reported with row, field, value and reason (issue 13)."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.load import load_atlas
from settings import DEFAULT_DATA
from uploads.join import join_districts


@pytest.fixture(scope="module")
def boundaries():
    return load_atlas(DEFAULT_DATA).table("boundaries")


def test_names_in_mixed_forms_join_and_the_rest_are_reported(boundaries) -> None:
    table = pd.DataFrame(
        {
            "编号": [f"r{i}" for i in range(12)],
            "区县名称": [
                "丰台", "丰台区", "Fengtai", " fengtai district ", "110105", "朝阳区",
                "河北", "丰泰", "", "涿州市", "Binhai New Area", "保定",
            ],
            "人口": list(range(12)),
        }
    )  # fmt: skip
    joined = join_districts(table, boundaries)
    assert joined is not None and joined.key == "区县名称"
    by_id = dict(zip(joined.frame["编号"], joined.frame.geometry, strict=True))
    ids = boundaries.set_index("id").geometry
    for row in ("r0", "r1", "r2", "r3"):
        assert by_id[row].equals(ids["110106"])  # every form of 丰台 is Fengtai
    assert by_id["r4"].equals(ids["110105"]) and by_id["r5"].equals(ids["110105"])
    assert by_id["r10"].equals(ids["120116"]) and by_id["r11"].equals(ids["130600"])
    # the expected unmatched list, written from the table above: row = index + 2 (header row 1)
    assert [(u.row, u.field, u.value) for u in joined.unmatched] == [
        (8, "区县名称", "河北"),  # 河北省 or Tianjin's 河北区
        (9, "区县名称", "丰泰"),  # a typo
        (10, "区县名称", ""),
        (11, "区县名称", "涿州市"),  # a county: the atlas maps Hebei by prefecture
    ]
    reasons = {u.value: (u.reason_en, u.reason_zh) for u in joined.unmatched}
    assert "河北区" in reasons["河北"][0] and "河北省" in reasons["河北"][1]
    assert "empty" in reasons[""][0] and "空" in reasons[""][1]
    assert len(joined.frame) + len(joined.unmatched) == len(table)  # nothing dropped silently


def test_a_table_naming_no_area_is_not_joined(boundaries) -> None:
    table = pd.DataFrame({"name": ["Paris", "Lyon"], "v": [1, 2]})
    assert join_districts(table, boundaries) is None
