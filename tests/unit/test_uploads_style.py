"""Styling a planner's layer: columns profiled, classes from mapclassify fixed across years,
categories with an "other" class, the year column tying features to the timeline (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest

import geopandas as gpd

from uploads.style import (
    LayerStyle,
    StyleError,
    check_style,
    classify,
    default_style,
    profile,
)


def layer(n: int = 100) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "value": [float(i) for i in range(n)],
            "kind": [f"k{i % 10}" for i in range(n)],
            "年份": [2014 + i % 10 for i in range(n)],
            "opened": ["2019-05-01"] * (n - 1) + [""],
        },
        geometry=gpd.points_from_xy(np.full(n, 116.3), np.full(n, 39.8)),
        crs="EPSG:4326",
    )


def test_profile_and_default_style() -> None:
    columns = profile(layer())
    assert [(c.name, c.kind) for c in columns] == [
        ("value", "number"),
        ("kind", "text"),
        ("年份", "year"),
        ("opened", "year"),
    ]
    assert default_style(columns) == LayerStyle("classes", "value", "quantiles", 5, "年份")


@pytest.mark.parametrize("method", ["quantiles", "natural_breaks", "equal_interval"])
def test_classes_cover_every_value_and_do_not_change_with_the_year(method: str) -> None:
    frame = layer()
    c = classify(frame, LayerStyle("classes", "value", method, 5, "年份"))
    assert len(c.colors) == len(c.labels) == len(c.counts) == 5
    assert sum(c.counts) == 100 and c.missing == 0
    # classes ascend with the value: a higher value never gets a lower class
    assert all(a <= b for a, b in zip(c.classes, c.classes[1:], strict=False))
    assert c.years[:3] == [2014, 2015, 2016]
    # classed over every year at once: tying the layer to the timeline changes no class
    assert classify(frame, LayerStyle("classes", "value", method, 5)).classes == c.classes


def test_quantiles_split_evenly_and_labels_read_as_ranges() -> None:
    c = classify(layer(), LayerStyle("classes", "value", "quantiles", 4))
    assert c.counts == [25, 25, 25, 25]
    assert c.labels == ["0.00 – 24.75", "24.75 – 49.50", "49.50 – 74.25", "74.25 – 99.00"]


def test_categories_keep_seven_and_group_the_rest() -> None:
    c = classify(layer(), LayerStyle("categories", "kind"))
    assert len(c.colors) == 8 and c.labels[-1] == "…"
    assert sum(c.counts) == 100


def test_dates_give_years_and_empty_cells_none() -> None:
    c = classify(layer(), LayerStyle("single", year_column="opened"))
    assert c.years[0] == 2019 and c.years[-1] is None


def test_a_style_that_does_not_fit_is_refused() -> None:
    columns = profile(layer())
    with pytest.raises(StyleError, match="no numbers"):
        check_style(LayerStyle("classes", "kind"), columns)
    with pytest.raises(StyleError, match="no column"):
        check_style(LayerStyle("categories", "nope"), columns)
    with pytest.raises(StyleError, match="not a year column"):
        check_style(LayerStyle("single", year_column="value"), columns)
    with pytest.raises(StyleError, match="classes must be"):
        check_style(LayerStyle("classes", "value", k=9), columns)


def test_an_identifier_column_is_not_the_default_to_class() -> None:
    frame = layer().assign(id=range(100))[["id", "kind", "value", "geometry"]]
    assert default_style(profile(frame)).column == "value"
    only_ids = layer().assign(编号=range(100))[["编号", "kind", "geometry"]]
    assert default_style(profile(only_ids)).mode == "single"
