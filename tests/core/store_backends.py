"""Every store backend the contract runs against: the one place a backend joins the contract suites.

Each factory takes a fresh directory and returns a store and how to open another handle on the same
database (as another process or replica holds it), or None when the backend has no shared database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from postgres_server import migrated_database

from hub_app.store.base import Store
from hub_app.store.memory import MemoryStore
from hub_app.store.postgres import PostgresStore
from hub_app.store.tinydb.backend import TinyDBStore

Opener = Callable[[], Store]


def _tinydb(directory: Path) -> tuple[Store, Opener | None]:
    path = directory / "hub.json"
    return TinyDBStore(path), lambda: TinyDBStore(path)


def _postgres(directory: Path) -> tuple[Store, Opener | None]:
    url = migrated_database()  # a new database on the session's throwaway server (tests/postgres_server.py)
    return PostgresStore(url), lambda: PostgresStore(url)


STORE_FACTORIES: dict[str, Callable[[Path], tuple[Store, Opener | None]]] = {
    "memory": lambda directory: (MemoryStore(), None),
    "tinydb": _tinydb,
    "postgres": _postgres,
}
