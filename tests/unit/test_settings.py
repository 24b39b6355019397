from __future__ import annotations

from pathlib import Path

import pytest

from settings import DEFAULT_DATA, Settings, SettingsError


def test_defaults_serve_locally_on_8050() -> None:
    s = Settings.from_env({})
    assert (s.host, s.port, s.data_path, s.debug) == ("127.0.0.1", 8050, DEFAULT_DATA, False)


def test_environment_overrides() -> None:
    s = Settings.from_env(
        {"ATLAS_HOST": "0.0.0.0", "ATLAS_PORT": "9000", "ATLAS_DATA": "/x/y.gpkg"}
    )
    assert (s.host, s.port, s.data_path) == ("0.0.0.0", 9000, Path("/x/y.gpkg"))


@pytest.mark.parametrize(
    "url", ["postgresql://atlas@db:5432/atlas", "postgres://u:pw@h/db", "postgresql+psycopg://h/d"]
)
def test_a_database_url_stays_a_url(url: str) -> None:
    """Path() would fold its two slashes into one."""
    assert Settings.from_env({"ATLAS_DATA": url}).data_path == url


@pytest.mark.parametrize(("value", "words"), [("eighty", "whole number"), ("70000", "between")])
def test_bad_port_is_named(value: str, words: str) -> None:
    with pytest.raises(SettingsError, match=f"ATLAS_PORT.*{words}"):
        Settings.from_env({"ATLAS_PORT": value})


def test_settings_are_frozen() -> None:
    s = Settings.from_env({})
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "policy"),
    [
        ("", "'self'"),
        ("'none'", "'none'"),
        ("'self' https://portal.example.org", "'self' https://portal.example.org"),
        ("https://*.corp.example:8443 'self'", "https://*.corp.example:8443 'self'"),
    ],
)
def test_frame_ancestors_take_self_none_or_origins(value: str, policy: str) -> None:
    assert Settings.from_env({"ATLAS_FRAME_ANCESTORS": value}).frame_ancestors == policy


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "self",
        "javascript:alert(1)",
        "https://a.example; script-src *",
        "'none' 'self'",
        "portal.example.org",
        "https://a.example/path",
    ],
)
def test_nonsense_frame_ancestors_is_one_sentence(value: str) -> None:
    with pytest.raises(SettingsError, match=r"^ATLAS_FRAME_ANCESTORS must be 'none', or 'self'"):
        Settings.from_env({"ATLAS_FRAME_ANCESTORS": value})


def test_a_secret_key_signs_job_handles_alike_on_every_instance(tmp_path: Path) -> None:
    """ATLAS_SECRET_KEY: two instances whose job stores do not share Dash's stored secret (as
    after Redis restarted empty between their starts) still sign job handles alike; without it
    each signs with its own store's secret. The key never shows in the settings' repr."""
    from app import create_app

    def signing(name: str, key: str | None) -> bytes:
        folder = tmp_path / name
        settings = Settings(cache_dir=folder / "jobs", uploads_dir=folder / "up", secret_key=key)
        return create_app(settings)._get_signing_secret()

    assert signing("a", "one key") == signing("b", "one key") == b"one key"
    assert signing("c", None) != signing("d", None)
    env = Settings.from_env({"ATLAS_SECRET_KEY": " s3cret "})
    assert env.secret_key == "s3cret" and "s3cret" not in repr(env)
