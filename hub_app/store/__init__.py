"""The storage seam. `open_store(url)` opens a backend: ``tinydb:<file>`` (the default), ``memory:`` or
``postgresql://user@host:port/database``.

The URL comes from ``HUB_STORE`` (default ``tinydb:data/hub.json``); `tinydb_url(data_dir)` names the
default file in a data directory. Backends are imported when opened: the domain imports
``hub_app.store.base``, and should not pay for TinyDB to do so.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hub_app.kernel.errors import DataDirNotWritable
from hub_app.store.base import Kind, Maintenance, MaintenanceRefused, Store, StoreUrlInvalid

DB_FILE = "hub.json"
DEFAULT_URL = f"tinydb:data/{DB_FILE}"
SCHEMES = ("tinydb", "memory", "postgresql")


def check_data_dir(data_dir: Path | str) -> Path:
    """Create ``data_dir`` if needed and prove it writable, or DataDirNotWritable with a hint."""
    path = Path(data_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as e:
        raise DataDirNotWritable(str(data_dir)) from e
    return path


def tinydb_url(data_dir: Path | str) -> str:
    """The URL of the default TinyDB file in a data directory."""
    return f"tinydb:{Path(data_dir) / DB_FILE}"


def store_url() -> str:
    """The store's URL from ``HUB_STORE`` (default ``tinydb:data/hub.json``)."""
    return os.environ.get("HUB_STORE") or DEFAULT_URL


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: `store_url()`): ``tinydb:<file>``, ``memory:`` or ``postgresql://...``;
    a bad URL gets a hint."""
    url = store_url() if url is None else url
    scheme, colon, rest = url.partition(":")
    if scheme in ("postgresql", "postgres") and rest.startswith("//"):
        from hub_app.store.postgres import PostgresStore

        return PostgresStore(url)
    if scheme == "memory" and colon and not rest:
        from hub_app.store.memory import MemoryStore

        return MemoryStore()
    if scheme == "tinydb" and colon and rest:
        from hub_app.store.tinydb.backend import TinyDBStore

        path = Path(rest)
        check_data_dir(path.parent)
        return TinyDBStore(path)
    raise StoreUrlInvalid(url, SCHEMES)


def migrate(url: str, kinds: Iterable[Kind[Any]]) -> list[int]:
    """Bring the database at ``url`` to this Partner Hub's schema; the numbers of the migrations applied.

    TinyDB files migrate themselves when opened (and memory has nothing to migrate): for them this opens
    and closes the store. ``kinds`` are every declared kind, whose PostgreSQL tables it makes or rebuilds.
    """
    scheme = url.partition(":")[0]
    if scheme in ("postgresql", "postgres"):
        from hub_app.store.postgres.backend import migrate_database

        return migrate_database(url, kinds)
    open_store(url).close()
    return []


_NOBODY = "\0warm-up"  # a value no index holds


def warm(store: Store, kinds: Iterable[Kind[Any]]) -> None:
    """Have the store build what it derives per kind and index on first use, now (at start-up) instead of
    in the first write or read that needs it: a lookup of a value no record holds, through every index.

    The embedded backend keys its in-memory indexes on first use; a server that warms them before its
    first visitor answers the first exam submit as fast as the hundredth. Other backends only run a few
    cheap queries."""
    for kind in kinds:
        store.get(kind, _NOBODY if len(kind.key) == 1 else (_NOBODY,) * len(kind.key))
        for index in kind.indexes:
            value = _NOBODY if len(index.fields) == 1 else (_NOBODY,) * len(index.fields)
            if index.unique:
                store.find(kind, index.name, value)
            else:
                store.count(kind, index.name, value)


def maintenance(store: Store, what: str) -> Maintenance:
    """The store's `Maintenance`, or MaintenanceRefused naming what it cannot do."""
    if isinstance(store, Maintenance):
        return store
    backend = type(store).__name__.removesuffix("Store").lower()
    raise MaintenanceRefused(
        what, backend, "set HUB_STORE to a backend that keeps files, such as tinydb:data/hub.json."
    )


def backup(url: str, dest: Path | str) -> None:
    """Write a consistent copy of the database at ``url`` to the file ``dest``."""
    store = open_store(url)
    try:
        maintenance(store, "back up").backup(os.fspath(dest))
    finally:
        store.close()


def restore(url: str, source: Path | str) -> None:
    """Replace the database at ``url`` with the backup ``source``, after validating all of it."""
    store = open_store(url)
    try:
        maintenance(store, "restore").restore(os.fspath(source))
    finally:
        store.close()
