"""The export callback's inputs are checked at the boundary: a payload of the wrong types
(what the panel never sends: a fuzzer's or a forged request) gets no update and never becomes
a job or an exception; right types with wrong values get the panel's one-sentence message."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from dash._no_update import NoUpdate

from app import create_app
from callbacks.export import valid_args
from core.text import t
from settings import Settings

# n_clicks, fmt, paper, orientation, dpi, title, lang, theme, year, layers, selected, bbox
GOOD = [1, "png", "a4", "landscape", "300", "标题", "en", "relocation", 2021, None, None, None]
FULL = [
    3, "csv", "a3", "portrait", "600", None, "zh", "hubs", 2022,
    ["stations", "lines"], "fengtai_station", [116.1, 39.7, 116.5, 39.95],
]  # fmt: skip
POSITION = {n: i for i, n in enumerate(
    ["clicks", "fmt", "paper", "orientation", "dpi", "title", "lang", "theme", "year",
     "layers", "selected", "bbox"]
)}  # fmt: skip
WRONG_TYPES = [
    ("clicks", "1"), ("clicks", True), ("fmt", None), ("fmt", ["png"]), ("fmt", "x" * 1000),
    ("paper", 4), ("orientation", {"a": 1}), ("dpi", None), ("dpi", True), ("dpi", "³"),
    ("dpi", [300]), ("dpi", 30.5), ("title", 5), ("title", ["t"]), ("lang", None),
    ("theme", 1), ("year", None), ("year", "2021"), ("year", True), ("year", 2021.5),
    ("year", "²"), ("layers", "places"), ("layers", [1]), ("layers", {"a": 1}),
    ("layers", ["x"] * 1000), ("selected", {"id": "x"}), ("selected", 7),
    ("bbox", [1, 2, 3]), ("bbox", "1,2,3,4"), ("bbox", ["a", 2, 3, 4]),
    ("bbox", [math.nan, 2, 3, 4]), ("bbox", [True, 2, 3, 4]), ("bbox", {"w": 1}),
]  # fmt: skip


def nothing(outputs: Any) -> bool:
    """No update of any of the callback's three outputs."""
    return len(outputs) == 3 and all(NoUpdate.is_no_update(o) for o in outputs)


def with_(field: str, value: Any) -> list[Any]:
    args = list(GOOD)
    args[POSITION[field]] = value
    return args


def test_what_the_panel_sends_is_accepted() -> None:
    assert valid_args(GOOD) and valid_args(FULL) and valid_args(with_("clicks", None))
    assert valid_args(with_("dpi", 300))


@pytest.mark.parametrize(("field", "value"), WRONG_TYPES)
def test_wrong_types_are_refused(field: str, value: Any) -> None:
    assert not valid_args(with_(field, value))


def test_a_huge_whole_number_is_checked_without_overflow() -> None:
    # math.isfinite(10**400) raises OverflowError; an int is the right type (its value is for
    # ExportSpec to name), and the check must not become an exception
    assert valid_args(with_("bbox", [10**400, 2, 3, 4]))


@pytest.mark.parametrize("args", [None, {}, "x", GOOD[:-1], [*GOOD, None], [None] * 12])
def test_malformed_argument_lists_are_refused(args: Any) -> None:
    assert not valid_args(args)


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    cache = tmp_path_factory.mktemp("jobs")
    app = create_app(Settings(cache_dir=Path(cache)))
    manager = app.jobs
    manager.client = lambda: "test"
    yield manager


@pytest.mark.parametrize(("field", "value"), WRONG_TYPES[::4])
def test_a_malformed_request_becomes_no_job_and_no_update(
    manager: Any, field: str, value: Any
) -> None:
    children = {p.pid for p in psutil.Process().children()}
    args = with_(field, value)
    [job_fn] = manager.func_registry.values()
    key = manager.build_cache_key(lambda: None, args, [], None)
    handle = manager.call_job_fn(key, job_fn, args, {})
    assert handle.startswith("f:invalid:")
    assert nothing(manager.get_result(key, handle))
    assert manager.jobs() == {"queue": [], "running": {}}
    assert {p.pid for p in psutil.Process().children()} <= children  # nothing was started


def test_the_callback_itself_gives_no_update_for_wrong_types(manager: Any) -> None:
    """(Celery runs the callback without the manager's check.)"""
    [job_fn] = manager.func_registry.values()
    job_fn("direct", "direct-progress", with_("layers", "places"), {})
    assert nothing(manager.handle.get("direct"))


def test_right_types_with_wrong_values_get_a_sentence(manager: Any) -> None:
    [job_fn] = manager.func_registry.values()
    job_fn("unknown-theme", "unknown-theme-progress", with_("theme", "atlantis"), {})
    download, status, command = manager.handle.get("unknown-theme")
    assert NoUpdate.is_no_update(download) and command == ""
    assert status.startswith(t("export.failed", "en", error=""))
    assert "atlantis" in status
