"""Every store backend the contract runs against: the one place a backend joins the contract suites.

Each factory takes a fresh directory and returns a store and how to open another handle on the same
database (as another process or replica holds it), or None when the backend has no shared database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hub_app.store.base import Store
from hub_app.store.memory import MemoryStore
from hub_app.store.tinydb.backend import TinyDBStore

Opener = Callable[[], Store]


def _tinydb(directory: Path) -> tuple[Store, Opener | None]:
    path = directory / "hub.json"
    return TinyDBStore(path), lambda: TinyDBStore(path)


STORE_FACTORIES: dict[str, Callable[[Path], tuple[Store, Opener | None]]] = {
    "memory": lambda directory: (MemoryStore(), None),
    "tinydb": _tinydb,
}
