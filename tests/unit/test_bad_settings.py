"""Settings `atlas serve` cannot use stop it, and `atlas check-data`, with one line and exit
status 2: ATLAS_DATA a symbolic link loop; ATLAS_CACHE_DIR a file, a folder that cannot be
created, or a read-only one. Through the real command; a server that starts is killed."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.store import check_cache_dir, open_cache
from settings import SettingsError
from tests.baddata import atlas_command, refused, tmpfs

COMMANDS = ["check-data", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_atlas_data_that_is_a_symlink_loop(tmp_path: Path, command: str) -> None:
    loop = tmp_path / "atlas.gpkg"
    loop.symlink_to(tmp_path / "other.gpkg")
    (tmp_path / "other.gpkg").symlink_to(loop)
    done = atlas_command(command, ATLAS_DATA=str(loop))
    refused(done, str(loop), "is a symbolic link loop")


@pytest.mark.parametrize("command", COMMANDS)
def test_cache_dir_that_is_a_file(tmp_path: Path, command: str) -> None:
    file = tmp_path / "cache"
    file.write_text("not a folder", encoding="utf-8")
    done = atlas_command(command, ATLAS_CACHE_DIR=str(file))
    refused(done, f"ATLAS_CACHE_DIR '{file}' is a file, not a folder")


@pytest.mark.parametrize("command", COMMANDS)
def test_cache_dir_that_cannot_be_created(tmp_path: Path, command: str) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    folder = tmp_path / "file" / "cache"
    done = atlas_command(command, ATLAS_CACHE_DIR=str(folder))
    refused(done, f"ATLAS_CACHE_DIR '{folder}' cannot be created: {tmp_path / 'file'} is a file")


@pytest.mark.parametrize("command", COMMANDS)
def test_cache_dir_that_is_read_only(command: str) -> None:
    with tmpfs("ro,size=1m") as folder:
        done = atlas_command(command, ATLAS_CACHE_DIR=str(folder / "jobs"))
        refused(done, f"ATLAS_CACHE_DIR '{folder / 'jobs'}'", "(Read-only file system)")
        done = atlas_command(command, ATLAS_CACHE_DIR=str(folder))
        refused(done, f"ATLAS_CACHE_DIR '{folder}'", "(Read-only file system)")


def test_cache_dir_that_is_a_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "cache"
    loop.symlink_to(loop)
    with pytest.raises(SettingsError, match="is a symbolic link that leads nowhere"):
        open_cache(loop)


def test_check_data_does_not_create_the_cache_dir(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    check_cache_dir(folder)
    assert not (tmp_path / "not").exists()
    open_cache(folder).close()  # serve creates it
    assert folder.is_dir()
