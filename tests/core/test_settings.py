"""Settings: read once from the environment, defaults filled in, each bad value refused with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub_app.kernel import settings
from hub_app.kernel.errors import DataDirNotWritable
from hub_app.kernel.i18n import t
from hub_app.kernel.settings import AddressInvalid, RootNotFound, StoreAddressInvalid


def test_unset_settings_fall_back_to_the_data_folder_and_the_callers_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = settings.read({})
    assert found == settings.Settings(
        root=None,
        data_dir=tmp_path / "data",
        store_url=f"tinydb:{tmp_path / 'data' / 'hub.json'}",
        secret_key=None,
        site_url=None,
        app_url=None,
    )


def test_the_default_store_lives_in_the_data_directory(tmp_path):
    found = settings.read({"HUB_DATA_DIR": str(tmp_path / "hub")})
    assert found.store_url == f"tinydb:{tmp_path / 'hub' / 'hub.json'}"


def test_blank_values_read_as_unset(tmp_path):
    found = settings.read({"HUB_DATA_DIR": str(tmp_path), "HUB_SECRET_KEY": "  ", "HUB_APP_URL": "", "HUB_ROOT": " "})
    assert (found.secret_key, found.app_url, found.root) == (None, None, None)


def test_given_settings_are_kept_and_urls_lose_their_trailing_slash(tmp_path):
    found = settings.read(
        {
            "HUB_ROOT": str(tmp_path),
            "HUB_DATA_DIR": str(tmp_path / "data"),
            "HUB_STORE": "postgresql://hub@db.internal/hub",
            "HUB_SECRET_KEY": " s3cret ",
            "HUB_SITE_URL": "https://partners.example.com/",
            "HUB_APP_URL": "http://127.0.0.1:8501",
        }
    )
    assert found == settings.Settings(
        root=tmp_path,
        data_dir=tmp_path / "data",
        store_url="postgresql://hub@db.internal/hub",
        secret_key="s3cret",
        site_url="https://partners.example.com",
        app_url="http://127.0.0.1:8501",
    )


@pytest.mark.parametrize("url", ["tinydb:data/hub.json", "tinydb:/srv/hub/hub.json", "memory:", "postgresql:///hub"])
def test_every_store_backend_is_accepted(url, tmp_path):
    assert settings.read({"HUB_DATA_DIR": str(tmp_path), "HUB_STORE": url}).store_url == url


@pytest.mark.parametrize("url", ["sqlite:hub.db", "tinydb:", "postgresql://", "data/hub.json", "mysql://db/hub"])
def test_a_store_address_of_no_known_backend_is_refused_with_the_ones_there_are(url, tmp_path):
    with pytest.raises(StoreAddressInvalid) as refused:
        settings.read({"HUB_DATA_DIR": str(tmp_path), "HUB_STORE": url})
    assert str(refused.value) == (
        f"HUB_STORE '{url}' is not a store address. "
        "Hint: write tinydb:data/hub.json, memory: or postgresql://user@host/database, or unset it."
    )


@pytest.mark.parametrize("name", ["HUB_SITE_URL", "HUB_APP_URL"])
@pytest.mark.parametrize("url", ["partners.example.com", "ftp://partners.example.com", "https://"])
def test_a_url_setting_must_be_a_web_address(name, url, tmp_path):
    with pytest.raises(AddressInvalid) as refused:
        settings.read({"HUB_DATA_DIR": str(tmp_path), name: url})
    assert str(refused.value) == (
        f"{name} '{url}' is not a web address. Hint: write it like https://partners.example.com, or unset it."
    )


def test_a_root_that_is_no_folder_is_refused(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(RootNotFound) as refused:
        settings.read({"HUB_DATA_DIR": str(tmp_path), "HUB_ROOT": str(missing)})
    assert str(refused.value) == (
        f"HUB_ROOT '{missing}' is not a folder. Hint: point it at the project folder holding program.yml and courses/."
    )


def test_a_data_directory_that_is_a_file_is_refused(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("")
    with pytest.raises(DataDirNotWritable) as refused:
        settings.read({"HUB_DATA_DIR": str(taken)})
    assert str(refused.value) == f"HUB_DATA_DIR '{taken}' is not writable. Hint: create it or set HUB_DATA_DIR."


@pytest.mark.parametrize("error", [StoreAddressInvalid, AddressInvalid, RootNotFound])
def test_settings_errors_read_in_chinese(error):
    assert t(error.msgid, "zh") != error.msgid


def test_the_process_environment_is_read_when_no_mapping_is_given(monkeypatch, tmp_path):
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HUB_STORE", "memory:")
    assert settings.read().store_url == "memory:"
    assert Path(settings.read().data_dir) == tmp_path


def test_the_content_root_is_hub_root_else_the_working_directory(tmp_path):
    (tmp_path / "program.yml").write_text("program: {}\n", encoding="utf-8")
    assert settings.content_root(settings.read({"HUB_ROOT": str(tmp_path)})) == tmp_path.resolve()
    assert settings.content_root(settings.read({}), cwd=tmp_path) == tmp_path.resolve()


def test_a_content_root_without_program_yml_is_refused_with_a_hint(tmp_path):
    with pytest.raises(settings.ContentRootInvalid) as refused:
        settings.content_root(settings.read({}), cwd=tmp_path)
    assert str(refused.value) == (
        f"'{tmp_path.resolve()}' holds no program.yml, so it is not a Partner Hub content folder. Hint: start "
        "Partner Hub in your content folder (the one with program.yml and courses/), or set HUB_ROOT to it."
    )
