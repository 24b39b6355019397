"""Helpers for the bad-data tests: break a copy of the committed atlas, run the real `atlas`
command, and give a test a small filesystem of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from geodata import schema
from geodata.build import write_gpkg
from geodata.load import Atlas, load_atlas
from geodata.validate import AtlasDataError
from tests.harness import free_port

Frames = dict[str, pd.DataFrame]


def frames_of(atlas: Atlas) -> Frames:
    return {name: atlas.table(name) for name in schema.LAYERS}


def first_id(frames: Frames, layer: str) -> str:
    return str(frames[layer][schema.LAYERS[layer].id_field].iloc[0])


def put(frames: Frames, layer: str, field: str, value: object) -> str:
    """Set ``field`` of ``layer``'s first row to ``value``; that row's id."""
    frame = frames[layer]
    frame[field] = frame[field].astype(object)
    frame.at[frame.index[0], field] = value
    return first_id(frames, layer)


def broken(atlas: Atlas, tmp_path: Path, mutate: Callable[[Frames], None]) -> AtlasDataError:
    frames = frames_of(atlas)
    mutate(frames)
    path = tmp_path / "edited.gpkg"
    write_gpkg(frames, path)
    with pytest.raises(AtlasDataError) as caught:
        load_atlas(path)
    assert str(path) in str(caught.value)
    return caught.value


ATLAS = Path(sys.executable).with_name("atlas")


def atlas_command(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `atlas` command; a server it starts despite the test's intent is killed."""
    full = {**os.environ, "ATLAS_HOST": "127.0.0.1", "ATLAS_PORT": str(free_port()), **env}
    proc = subprocess.Popen(
        [str(ATLAS), *args], env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def refused(done: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """Exit status 2 and one line on stderr holding every phrase, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    for phrase in phrases:
        assert phrase in done.stderr
    return done.stderr


@contextmanager
def tmpfs(options: str) -> Iterator[Path]:
    """A small filesystem of its own (``options`` e.g. ``size=8m`` or ``ro,size=1m``): to fill
    up, or read-only (permissions do not stop root); skips where mounting is not allowed."""
    folder = Path(tempfile.mkdtemp(prefix="atlas-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip("needs a tmpfs mount (root) for a full or read-only folder")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()
