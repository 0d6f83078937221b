"""Schema version of the database (kept in the ``_meta`` table) and the migrations between versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tinydb.table import Document

from hub_app.kernel.errors import MigrationMissing, SchemaTooNew

if TYPE_CHECKING:
    from hub_app.store.tinydb.durable import DurableDB

META_TABLE = "_meta"
Migration = Callable[["DurableDB"], None]


class Migrations:
    """A registry of steps: the step registered for version n turns a schema-n database into n+1."""

    def __init__(self) -> None:
        self._steps: dict[int, Migration] = {}

    @property
    def current(self) -> int:
        """The schema this Partner Hub writes: one past the last registered step (1 with none)."""
        return max(self._steps, default=0) + 1

    def register(self, from_version: int, fn: Migration | None = None) -> Any:
        """Register ``fn`` as the step from ``from_version``; without ``fn``, works as a decorator."""
        if fn is None:
            return lambda f: self.register(from_version, f)
        if from_version in self._steps:
            raise ValueError(f"A migration from schema {from_version} is already registered.")
        self._steps[from_version] = fn
        return fn

    def step(self, from_version: int, path: str) -> Migration:
        """The step from ``from_version``, or MigrationMissing naming the database."""
        try:
            return self._steps[from_version]
        except KeyError:
            raise MigrationMissing(path, from_version) from None


MIGRATIONS = Migrations()
register_migration = MIGRATIONS.register


def schema_of(tables: dict[str, Any]) -> int | None:
    """The schema version stored in raw tables, or None if none is stored."""
    return tables.get(META_TABLE, {}).get("1", {}).get("schema")


def upgrade(db: DurableDB, migrations: Migrations = MIGRATIONS) -> None:
    """Bring ``db`` to ``migrations.current``: every step in order, in one transaction, under the lock."""
    if schema_of(db.storage.read()) == migrations.current:
        return
    with db.transaction():
        found = _stored_or_assumed(db, migrations)
        if found > migrations.current:
            raise SchemaTooNew(db.path, found, migrations.current)
        for version in range(found, migrations.current):
            migrations.step(version, db.path)(db)
        db.table(META_TABLE).upsert(Document({"schema": migrations.current}, doc_id=1))


def _stored_or_assumed(db: DurableDB, migrations: Migrations) -> int:
    """A new, empty database starts at the current schema; data without a stamp predates versions."""
    found = schema_of(db.storage.tables)
    if found is not None:
        return found
    return 1 if db.storage.tables else migrations.current
