"""The export panel: a background job with progress and cancel that exports what the screen
shows, the same map the CLI makes."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from tests.harness import Watched

ATLAS = Path(sys.executable).with_name("atlas")


def open_panel(w: Watched, query: str) -> None:
    w.page.goto(w.base + "/" + query, wait_until="networkidle")
    w.page.wait_for_selector(".atlas-card", state="attached")
    w.page.locator("#atlas-export-open").click()
    w.page.locator("#atlas-export-dialog").wait_for(state="visible")


def test_ui_export_matches_the_cli_export_of_the_same_view(
    watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    open_panel(watched, "?theme=relocation&year=2021")
    page.locator("#atlas-export-dpi input[value='150']").check()
    with page.expect_download(timeout=90_000) as download:
        page.locator("#atlas-export-run").click()
    ui_file = tmp_path / "ui.png"
    download.value.save_as(ui_file)
    assert download.value.suggested_filename == "relocation_2021_zh_a4-landscape_150dpi.png"
    page.locator("#atlas-export-status").get_by_text("relocation_2021").wait_for()
    command = shlex.split(page.locator("#atlas-export-command").inner_text())
    assert command[:2] == ["atlas", "export"] and "--bbox" in command
    command[command.index("--out") + 1] = str(tmp_path / "cli.png")
    subprocess.run([str(ATLAS), *command[1:]], check=True, timeout=120)
    ui = np.asarray(Image.open(ui_file).convert("RGB"))
    cli = np.asarray(Image.open(tmp_path / "cli.png").convert("RGB"))
    assert ui.shape == cli.shape == (1240, 1754, 3)  # A4 landscape at 150 dpi
    assert np.mean(np.any(ui != cli, axis=2)) < 0.001  # the same map, pixel for pixel
    assert watched.external_requests() == [] and watched.errors == []


def test_export_runs_in_the_background_and_can_be_cancelled(watched: Watched) -> None:
    page = watched.page
    open_panel(watched, "?theme=overview&year=2020")
    page.locator("#atlas-export-paper input[value='a3']").check()
    page.locator("#atlas-export-dpi input[value='600']").check()
    page.locator("#atlas-export-run").click()
    progress = page.locator("#atlas-export-progress")
    progress.wait_for(state="visible", timeout=10_000)
    assert page.locator("#atlas-export-run").is_disabled()
    # the dashboard stays responsive while the job runs
    page.locator("#atlas-export-close").click()
    page.locator("#atlas-step-forward").click()
    page.wait_for_function("() => location.search.includes('year=2021')")
    page.locator("#atlas-export-open").click()
    page.locator("#atlas-export-cancel").click()
    progress.wait_for(state="hidden", timeout=15_000)
    assert page.locator("#atlas-export-run").is_enabled()
    assert page.locator("#atlas-export-status").inner_text() == ""
    assert watched.external_requests() == []


def test_data_export_downloads_the_indicator_csv(watched: Watched) -> None:
    page = watched.page
    open_panel(watched, "?theme=hubs&year=2022&lang=en")
    page.locator("#atlas-export-format input[value='csv']").check()
    page.locator("#atlas-export-title").fill("x" * 120)
    with page.expect_download(timeout=60_000) as download:
        page.locator("#atlas-export-run").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert watched.errors == []


def test_on_a_phone_the_status_line_is_scrolled_into_the_dialog(watched: Watched) -> None:
    """At 390×844 the dialog is taller than the screen and scrolls; the status line sits under
    the buttons, below the fold. When its message comes it is brought into sight, and the
    Create button stays in sight above it."""
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    open_panel(watched, "?theme=hubs&year=2022")
    page.locator("#atlas-export-dpi input[value='150']").check()  # a page: every option shown
    with page.expect_download(timeout=90_000):
        page.locator("#atlas-export-run").click()
    status = page.locator("#atlas-export-status")
    status.get_by_text("hubs_2022").wait_for()
    page.wait_for_function(
        """() => {
          const s = document.getElementById('atlas-export-status').getBoundingClientRect();
          const box = document.querySelector('#atlas-export-dialog .atlas-dialog-box')
            .getBoundingClientRect();
          return s.height > 0 && s.top >= box.top && s.bottom <= box.bottom;
        }"""
    )
    run = page.locator("#atlas-export-run").bounding_box()
    box = page.locator("#atlas-export-dialog .atlas-dialog-box").bounding_box()
    assert run is not None and box is not None
    assert run["y"] >= box["y"] and run["y"] + run["height"] <= box["y"] + box["height"]
    assert watched.errors == []
