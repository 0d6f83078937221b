"""The storage seam. `open_store` opens the hub's default backend (TinyDB) in a data directory."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hub_app.kernel.errors import DatabaseCorrupt, DataDirNotWritable

if TYPE_CHECKING:
    from hub_app.store.base import HubStore
    from hub_app.store.tinydb.backend import TinyDBStore

DB_FILE = "hub.json"


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


def open_store(data_dir: Path | str) -> HubStore:
    """The hub's store in ``data_dir`` (created if missing): the TinyDB backend, file ``hub.json``."""
    return _open(data_dir)


def _open(data_dir: Path | str) -> TinyDBStore:
    # Imported here: the domain imports hub_app.store.base, and should not pay for TinyDB to do so.
    from hub_app.store.tinydb.backend import TinyDBStore

    return TinyDBStore(check_data_dir(data_dir) / DB_FILE)


def backup(data_dir: Path | str, dest: Path | str) -> None:
    """Write a consistent copy of the database in ``data_dir`` to the file ``dest``."""
    store = _open(data_dir)
    try:
        store.backup(os.fspath(dest))
    finally:
        store.close()


def restore(data_dir: Path | str, source: Path | str) -> None:
    """Replace the database in ``data_dir`` with the backup ``source``, after validating all of it.

    A damaged database (the very case for a restore) is put aside as ``hub.json.damaged-<time>``, kept
    for inspection, once the backup has been checked.
    """
    try:
        store = _open(data_dir)
    except DatabaseCorrupt:
        _read_backup(source)  # refuse a bad backup before touching anything
        database = Path(data_dir) / DB_FILE
        database.rename(database.with_name(f"{DB_FILE}.damaged-{datetime.now(UTC):%Y%m%d-%H%M%S}"))
        store = _open(data_dir)
    try:
        store.restore(os.fspath(source))
    finally:
        store.close()


def _read_backup(source: Path | str) -> None:
    from hub_app.store.tinydb.durable import read_backup

    read_backup(source)
