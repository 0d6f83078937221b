"""Partner Hub's settings: read from the environment once, validated, each bad value refused with a hint.

HUB_ROOT        the project folder holding program.yml and courses/ (unset: the caller's default)
HUB_DATA_DIR    where the database, uploads and the generated secret live (default ./data)
HUB_STORE       the store's address: tinydb:<file>, memory: or postgresql://... (default
                tinydb:<HUB_DATA_DIR>/hub.json); handed to `open_store` as the validated string
HUB_SECRET_KEY  the key that signs session cookies, shared by every replica (unset: one is generated
                into the data directory)
HUB_SITE_URL, HUB_APP_URL   public base URLs of the site and the app (unset: program.yml's)
HUB_BLOB_DIR    where uploaded files' bytes are kept by content hash, a directory every replica shares
                (unset: <HUB_DATA_DIR>/uploads)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from hub_app.kernel.errors import DataDirNotWritable, HubError

STORE_SCHEMES = ("tinydb:", "memory:", "postgresql://")
DB_FILE = "hub.json"


class StoreAddressInvalid(HubError):
    """HUB_STORE names no backend the hub has, or no place in it."""

    msgid = (
        "HUB_STORE '{value}' is not a store address. "
        "Hint: write tinydb:data/hub.json, memory: or postgresql://user@host/database, or unset it."
    )

    def __init__(self, value: str):
        super().__init__(value=value)
        self.value = value


class AddressInvalid(HubError):
    """A URL setting is not an http(s) address."""

    msgid = "{name} '{value}' is not a web address. Hint: write it like https://partners.example.com, or unset it."

    def __init__(self, name: str, value: str):
        super().__init__(name=name, value=value)
        self.name, self.value = name, value


class RootNotFound(HubError):
    """HUB_ROOT is not a folder."""

    msgid = "HUB_ROOT '{value}' is not a folder. Hint: point it at the project folder holding program.yml and courses/."

    def __init__(self, value: str):
        super().__init__(value=value)
        self.value = value


class BlobDirInvalid(HubError):
    """HUB_BLOB_DIR names a file, not a directory."""

    msgid = "HUB_BLOB_DIR '{value}' is a file, not a directory. Hint: point it at a directory every replica shares."

    def __init__(self, value: str):
        super().__init__(value=value)
        self.value = value


@dataclass(frozen=True)
class Settings:
    """Every setting, validated; None where the caller (or program.yml) supplies the default."""

    root: Path | None
    data_dir: Path
    store_url: str
    secret_key: str | None
    site_url: str | None
    app_url: str | None
    blob_dir: Path | None = None  # None: <data_dir>/uploads


def read(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings in `environ` (default: the process environment); a HubError with a hint on a bad one."""
    env = os.environ if environ is None else environ
    data_dir = _data_dir(_value(env, "HUB_DATA_DIR") or "data")
    return Settings(
        root=_root(_value(env, "HUB_ROOT")),
        data_dir=data_dir,
        store_url=_store_url(_value(env, "HUB_STORE"), data_dir),
        secret_key=_value(env, "HUB_SECRET_KEY"),
        site_url=_url(env, "HUB_SITE_URL"),
        app_url=_url(env, "HUB_APP_URL"),
        blob_dir=_blob_dir(_value(env, "HUB_BLOB_DIR")),
    )


def _value(env: Mapping[str, str], name: str) -> str | None:
    # An empty or blank variable reads as unset: `HUB_X= partnerhub serve` is how people clear one.
    return (env.get(name) or "").strip() or None


def _root(value: str | None) -> Path | None:
    if value is None:
        return None
    if not Path(value).is_dir():
        raise RootNotFound(value)
    return Path(value)


def _data_dir(value: str) -> Path:
    path = Path(value).resolve()
    if path.exists() and not path.is_dir():
        raise DataDirNotWritable(value)
    return path


def _blob_dir(value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).resolve()
    if path.exists() and not path.is_dir():
        raise BlobDirInvalid(value)
    return path


def _store_url(value: str | None, data_dir: Path) -> str:
    if value is None:
        return f"tinydb:{data_dir / DB_FILE}"
    scheme = next((s for s in STORE_SCHEMES if value.startswith(s)), None)
    rest = value[len(scheme) :] if scheme else ""
    if scheme is None or (scheme != "memory:" and not rest.strip("/")):
        raise StoreAddressInvalid(value)
    return value


def _url(env: Mapping[str, str], name: str) -> str | None:
    value = _value(env, name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AddressInvalid(name, value)
    return value.rstrip("/")
