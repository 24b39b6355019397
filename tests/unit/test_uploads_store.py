"""uploads.store: layers kept by content hash, across restarts, once per identical file, within
a size cap and a retention period; ids from outside are checked. Every behaviour is checked on
both stores: the SQLite file and PostGIS (a real server, so those cases are slow)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geodata.load import load_atlas
from settings import DEFAULT_DATA, Settings
from uploads import read
from uploads.pgstore import TABLE, PostgisLayerStore
from uploads.read import Upload, UploadError, read_upload
from uploads.service import from_settings, store_for
from uploads.store import LayerStore, SqliteLayerStore, to_blob

CSV = "name,经度,纬度\n北京西站,116.3151,39.8937\n北京南站,116.3724,39.8635\n".encode()


def _upload(data: bytes = CSV) -> Upload:
    return read_upload("stations.csv", data)


Maker = Callable[..., LayerStore]  # (max_bytes=…, keep_days=…) → a store on the same place


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.slow)])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Maker:
    """Stores of one backend on one place: a second call is what a restart would open."""
    if request.param == "sqlite":
        path = tmp_path / "uploads" / "layers.sqlite"
        return lambda **kw: SqliteLayerStore(path, **kw)
    url = request.getfixturevalue("empty_db")  # a fresh database: starts postgres only here
    return lambda **kw: PostgisLayerStore(url, **kw)


def _age(store: LayerStore, seconds: float) -> None:
    """Make every stored layer ``seconds`` older."""
    if isinstance(store, SqliteLayerStore):
        with store._db() as db:
            db.execute("UPDATE layers SET added = added - ?", (seconds,))
        return
    import psycopg

    assert isinstance(store, PostgisLayerStore)
    with psycopg.connect(store.url) as conn:
        conn.execute(f"UPDATE {TABLE} SET added = added - %s", (seconds,))


def test_a_layer_comes_back_after_a_restart_with_its_features(make_store: Maker) -> None:
    up = _upload()
    stored = make_store().put(up, "stations.csv")
    assert (stored.digest, stored.kind, stored.features) == (up.digest, "point", 2)
    again = make_store()  # a new process would open the store like this
    info, frame = again.get(up.digest)  # type: ignore[misc]
    assert info == stored
    assert list(frame["name"]) == ["北京西站", "北京南站"]
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.x.round(4).tolist() == [116.3151, 116.3724]


def test_identical_uploads_are_stored_once_under_the_first_name(make_store: Maker) -> None:
    store = make_store()
    first = store.put(_upload(), "a.csv")
    second = store.put(_upload(), "b.csv")
    assert second == first and second.name == "a.csv"
    assert [layer.digest for layer in store.layers()] == [first.digest]
    other = store.put(_upload(CSV + "丰台站,116.3000,39.8400\n".encode()), "c.csv")
    assert [layer.name for layer in store.layers()] == ["a.csv", "c.csv"]
    assert store.remove(other.digest) is True and store.remove(other.digest) is False
    assert [layer.name for layer in store.layers()] == ["a.csv"]


def test_a_full_store_refuses_and_keeps_what_it_has(make_store: Maker) -> None:
    one = len(to_blob(_upload().frame))  # what the first layer takes: room for it, not two
    store = make_store(max_bytes=one + one // 2)
    kept = store.put(_upload(), "a.csv")
    with pytest.raises(UploadError, match=r"^c.csv does not fit: the layer store holds 0.0 of"):
        store.put(_upload(CSV + "丰台站,116.3000,39.8400\n".encode()), "c.csv")
    assert store.layers() == [kept]


def test_old_layers_go_when_a_retention_is_set(make_store: Maker) -> None:
    store = make_store(keep_days=1)
    old = store.put(_upload(), "old.csv")
    _age(store, 2 * 86400)
    store.put(_upload(CSV + "丰台站,116.3000,39.8400\n".encode()), "new.csv")
    assert [layer.name for layer in store.layers()] == ["new.csv"]
    assert store.get(old.digest) is None


@pytest.mark.parametrize(
    "bad", ["", "../../etc/passwd", "A" * 64, "0" * 63, None, 5, "0" * 64 + "'"]
)
def test_ids_from_outside_are_checked(make_store: Maker, bad: object) -> None:
    store = make_store()
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


def test_a_postgresql_atlas_keeps_layers_in_its_database(tmp_path: Path) -> None:
    url = "postgresql://planner@db.example:5432/atlas"
    chosen = store_for(Settings(data_path=url, uploads_dir=tmp_path, uploads_keep_days=3))
    assert isinstance(chosen, PostgisLayerStore)
    assert (chosen.url, chosen.keep_days) == (url, 3)
    assert isinstance(store_for(Settings(uploads_dir=tmp_path)), SqliteLayerStore)
    assert not list(tmp_path.iterdir())  # choosing a store touches neither disk nor database


def test_an_unreachable_database_refuses_an_upload_in_one_sentence() -> None:
    from tests.harness import free_port

    store = PostgisLayerStore(f"postgresql://planner:s3cret@127.0.0.1:{free_port()}/atlas")
    with pytest.raises(UploadError, match=r"^stations.csv was not stored: .* cannot be reached"):
        store.put(_upload(), "stations.csv")


@pytest.mark.slow
def test_postgis_stores_an_upload_arriving_twice_at_once_once(empty_db: str) -> None:
    """Two workers storing the same file at the same moment: one row, one name."""
    from concurrent.futures import ThreadPoolExecutor

    up = _upload()
    stores = [PostgisLayerStore(empty_db) for _ in range(4)]
    stores[0].layers()  # the table exists; what races is the put
    with ThreadPoolExecutor(4) as pool:
        results: list[Any] = list(pool.map(lambda s: s.put(up, "a.csv"), stores))
    assert len({r.digest for r in results}) == 1
    assert len(stores[0].layers()) == 1
