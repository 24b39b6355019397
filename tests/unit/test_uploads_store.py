"""uploads.store: layers kept by content hash in one SQLite file, across restarts, once per
identical file, within a size cap and a retention period; ids from outside are checked."""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from geodata.load import load_atlas
from settings import DEFAULT_DATA, Settings
from uploads import read
from uploads.read import Upload, UploadError, read_upload
from uploads.service import from_settings
from uploads.store import SqliteLayerStore, to_blob

CSV = "name,经度,纬度\n北京西站,116.3151,39.8937\n北京南站,116.3724,39.8635\n".encode()


def _upload(data: bytes = CSV) -> Upload:
    return read_upload("stations.csv", data)


def test_a_layer_comes_back_after_a_restart_with_its_features(tmp_path: Path) -> None:
    path = tmp_path / "uploads" / "layers.sqlite"
    up = _upload()
    stored = SqliteLayerStore(path).put(up, "stations.csv")
    assert (stored.digest, stored.kind, stored.features) == (up.digest, "point", 2)
    again = SqliteLayerStore(path)  # a new process would open the file like this
    info, frame = again.get(up.digest)
    assert info == stored
    assert list(frame["name"]) == ["北京西站", "北京南站"]
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.x.round(4).tolist() == [116.3151, 116.3724]


def test_identical_uploads_are_stored_once_under_the_first_name(tmp_path: Path) -> None:
    store = SqliteLayerStore(tmp_path / "s.sqlite")
    first = store.put(_upload(), "a.csv")
    second = store.put(_upload(), "b.csv")
    assert second == first and second.name == "a.csv"
    assert [layer.digest for layer in store.layers()] == [first.digest]
    other = store.put(_upload(CSV + "丰台站,116.3000,39.8400\n".encode()), "c.csv")
    assert [layer.name for layer in store.layers()] == ["a.csv", "c.csv"]
    assert store.remove(other.digest) is True and store.remove(other.digest) is False
    assert [layer.name for layer in store.layers()] == ["a.csv"]


def test_a_full_store_refuses_and_keeps_what_it_has(tmp_path: Path) -> None:
    one = len(to_blob(_upload().frame))  # what the first layer takes: room for it, not two
    store = SqliteLayerStore(tmp_path / "s.sqlite", max_bytes=one + one // 2)
    kept = store.put(_upload(), "a.csv")
    with pytest.raises(UploadError, match=r"^c.csv does not fit: the layer store holds 0.0 of"):
        store.put(_upload(CSV + "丰台站,116.3000,39.8400\n".encode()), "c.csv")
    assert store.layers() == [kept]


def test_old_layers_go_when_a_retention_is_set(tmp_path: Path) -> None:
    store = SqliteLayerStore(tmp_path / "s.sqlite", keep_days=1)
    old = store.put(_upload(), "old.csv")
    with store._db() as db:  # age it by two days
        db.execute("UPDATE layers SET added = ?", (time.time() - 2 * 86400,))
    store.put(_upload(CSV + "丰台站,116.3000,39.8400\n".encode()), "new.csv")
    assert [layer.name for layer in store.layers()] == ["new.csv"]
    assert store.get(old.digest) is None


@pytest.mark.parametrize(
    "bad", ["", "../../etc/passwd", "A" * 64, "0" * 63, None, 5, "0" * 64 + "'"]
)
def test_ids_from_outside_are_checked(tmp_path: Path, bad: object) -> None:
    store = SqliteLayerStore(tmp_path / "s.sqlite")
    store.put(_upload(), "a.csv")
    assert store.get(bad) is None  # type: ignore[arg-type]
    assert store.remove(bad) is False  # type: ignore[arg-type]
    assert len(store.layers()) == 1


def test_a_file_being_read_is_written_only_inside_the_upload_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GDAL reads from files: the copies it reads go into the store's own directory (under
    fixed names, whatever the names inside a zip say) and are removed after."""
    shp = tmp_path / "shp"
    shp.mkdir()
    _upload().frame.to_file(shp / "x.shp")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for part in shp.iterdir():
            z.write(part, f"deep/er/{part.name}")
    made: list[Path] = []

    class Recorded(tempfile.TemporaryDirectory):  # type: ignore[type-arg]
        def __enter__(self) -> str:
            name = super().__enter__()
            made.append(Path(name))
            return name

    monkeypatch.setattr(read.tempfile, "TemporaryDirectory", Recorded)
    root = tmp_path / "uploads"
    service = from_settings(Settings(uploads_dir=root), load_atlas(DEFAULT_DATA))
    assert service.add("stations.zip", out.getvalue())["features"] == 2
    assert len(made) == 1 and root in made[0].parents
    assert not made[0].exists()  # removed after reading
