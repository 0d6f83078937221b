"""The PostgreSQL store's schema: numbered SQL migrations, the version check at start-up, tables from kinds.

Migrations are ``migrations/NNNN_name.sql``, applied in order by `migrate` (``partnerhub migrate``), each
in its own transaction under the store's advisory lock; ``hub_meta.schema_version`` says how far a
database is. A kind's table is derived from its declaration (`KindTable`) and made the first time the
kind is used; ``hub_kinds`` keeps the declaration it was made for, and a table made for another
declaration is rebuilt by `migrate` (given the kinds) rather than read wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
import psycopg
from psycopg import sql

from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Term
from hub_app.store.base import Index, Kind

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# One key for the whole database: every write transaction of every process queues on it.
LOCK_KEY = 0x4855_4221  # "HUB!"


class SchemaBehind(HubError):
    """The database is at an older schema than this Partner Hub needs."""

    msgid = (
        "The PostgreSQL store {where} is at schema {found}; this Partner Hub needs schema {needed}. "
        "Hint: run `partnerhub migrate`."
    )

    def __init__(self, where: str, found: int, needed: int):
        super().__init__(where=where, found=found, needed=needed)
        self.where, self.found, self.needed = where, found, needed


class SchemaAhead(HubError):
    """The database was migrated by a newer Partner Hub."""

    msgid = (
        "The PostgreSQL store {where} is at schema {found}, newer than this Partner Hub (schema {supported}). "
        "Hint: upgrade Partner Hub, or set HUB_STORE to another database."
    )

    def __init__(self, where: str, found: int, supported: int):
        super().__init__(where=where, found=found, supported=supported)
        self.where, self.found, self.supported = where, found, supported


class KindTableOutdated(HubError):
    """A kind's table was made for another declaration of the kind (its key or indexes changed)."""

    msgid = (
        "The PostgreSQL store {where} keeps {kind} records in table '{table}' made for another "
        "declaration of its key or indexes. Hint: run `partnerhub migrate`."
    )

    def __init__(self, where: str, kind: str, table: str):
        super().__init__(where=where, kind=Term(kind), table=table)
        self.where, self.kind, self.table = where, kind, table


def migrations() -> list[tuple[int, Path]]:
    """(number, file) of every migration, in order."""
    found = []
    for path in MIGRATIONS_DIR.glob("*.sql"):
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


LATEST = migrations()[-1][0]


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """How far the database is migrated (0: not at all)."""
    row = conn.execute("SELECT to_regclass('hub_meta') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    found = conn.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'").fetchone()
    return int(found[0]) if found else 0


def check_schema(conn: psycopg.Connection[Any], where: str) -> None:
    """SchemaBehind / SchemaAhead unless the database is at the schema this code was written for."""
    found = schema_version(conn)
    if found < LATEST:
        raise SchemaBehind(where, found, LATEST)
    if found > LATEST:
        raise SchemaAhead(where, found, LATEST)


def migrate(conn: psycopg.Connection[Any], where: str, kinds: Iterable[Kind[Any]] = ()) -> list[int]:
    """Apply the migrations the database lacks (and rebuild tables of ``kinds`` declared anew); their numbers."""
    applied = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        found = schema_version(conn)
        if found > LATEST:
            raise SchemaAhead(where, found, LATEST)
        for number, path in migrations():
            if number > found:
                conn.execute(path.read_text(encoding="utf-8").encode())
                conn.execute(
                    "INSERT INTO hub_meta (key, value) VALUES ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )
                applied.append(number)
        for kind in kinds:
            KindTable(kind).ensure(conn, where, rebuild=True)
    return applied


def index_column(index: Index) -> str:
    return f"ix_{index.name}"


def constraint(kind: Kind[Any], index: Index | None) -> str:
    """A unique constraint's name: the kind's table and the index (``users__email``; ``users__key``)."""
    return f"{kind.table}__{'key' if index is None else index.name}"[:63]


class KindTable:
    """One kind's table: ``seq`` (position, from hub_seq), ``key`` and one ``ix_<index>`` column per declared
    index holding the value as JSON text (case-folded by Python where the index folds case, so SQL compares
    exactly what the other backends compare), and ``doc``, the record's document as ``json`` text."""

    def __init__(self, kind: Kind[Any]):
        self.kind = kind
        self.table = sql.Identifier(kind.table)
        self.columns = [index_column(ix) for ix in kind.indexes]
        self.layout = {
            "doc": "json",
            "key": list(kind.key),
            "indexes": [[ix.name, list(ix.fields), ix.unique, ix.fold_case] for ix in kind.indexes],
        }
        self.constraints = {constraint(kind, ix): ix for ix in kind.indexes if ix.unique}

    def ensure(self, conn: psycopg.Connection[Any], where: str, rebuild: bool = False) -> None:
        """Make the table if it is missing; KindTableOutdated (or, with ``rebuild``, rebuild it) if it was
        made for another declaration. Runs under the caller's advisory lock."""
        row = conn.execute("SELECT layout FROM hub_kinds WHERE table_name = %s", (self.kind.table,)).fetchone()
        if row is not None and row[0] == self.layout:
            return
        if row is not None and not rebuild:
            raise KindTableOutdated(where, self.kind.name, self.kind.table)
        if row is not None:
            self._set_aside(conn)
            conn.execute("DELETE FROM hub_kinds WHERE table_name = %s", (self.kind.table,))
        self._create(conn)
        if row is not None:
            self._copy_back(conn)
        conn.execute(
            "INSERT INTO hub_kinds (table_name, layout) VALUES (%s, %s)",
            (self.kind.table, orjson.dumps(self.layout).decode()),
        )
        conn.execute(
            "INSERT INTO hub_versions (table_name, version) VALUES (%s, nextval('hub_revision')) "
            "ON CONFLICT (table_name) DO UPDATE SET version = excluded.version",
            (self.kind.table,),
        )

    def _create(self, conn: psycopg.Connection[Any]) -> None:
        parts = [
            sql.SQL("seq bigint NOT NULL DEFAULT nextval('hub_seq')"),
            sql.SQL("key text NOT NULL CONSTRAINT {} PRIMARY KEY").format(sql.Identifier(constraint(self.kind, None))),
        ]
        for ix, column in zip(self.kind.indexes, self.columns, strict=True):
            parts.append(sql.SQL("{} text NOT NULL").format(sql.Identifier(column)))
            if ix.unique:
                parts.append(
                    sql.SQL("CONSTRAINT {} UNIQUE ({})").format(
                        sql.Identifier(constraint(self.kind, ix)), sql.Identifier(column)
                    )
                )
        parts.append(sql.SQL("doc json NOT NULL"))
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(self.table, sql.SQL(", ").join(parts)))
        conn.execute(sql.SQL("CREATE UNIQUE INDEX {} ON {} (seq)").format(self._name("seq"), self.table))
        for ix, column in zip(self.kind.indexes, self.columns, strict=True):
            if not ix.unique:
                conn.execute(
                    sql.SQL("CREATE INDEX {} ON {} ({}, seq)").format(
                        sql.Identifier(constraint(self.kind, ix)), self.table, sql.Identifier(column)
                    )
                )

    def _set_aside(self, conn: psycopg.Connection[Any]) -> None:
        """Rename the table to ``<table>__old`` without its constraints and indexes (their names are reused)."""
        old = f"{self.kind.table}__old"
        conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(self.table, sql.Identifier(old)))
        for (name,) in conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", (old,)
        ).fetchall():
            conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(old), sql.Identifier(name)))
        for (name,) in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND schemaname = current_schema()", (old,)
        ).fetchall():
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

    def _name(self, suffix: str) -> sql.Identifier:
        return sql.Identifier(f"{self.kind.table}__{suffix}"[:63])

    def _copy_back(self, conn: psycopg.Connection[Any]) -> None:
        old = sql.Identifier(f"{self.kind.table}__old")
        rows = conn.execute(sql.SQL("SELECT seq, doc FROM {} ORDER BY seq").format(old)).fetchall()
        for seq, doc in rows:
            record = self.kind.codec.from_doc(doc)
            conn.execute(
                self.insert(with_seq=True),
                (seq, *self.values(record), orjson.dumps(doc).decode()),
            )
        conn.execute(sql.SQL("DROP TABLE {}").format(old))

    def values(self, record: Any) -> list[str]:
        """The key and index columns of ``record``."""
        kind = self.kind
        return [text(kind.key_of(record)), *(text(kind.value_of(ix, record)) for ix in kind.indexes)]

    def insert(self, with_seq: bool = False) -> sql.Composed:
        names = ["key", *self.columns, "doc"]
        if with_seq:
            names.insert(0, "seq")
        return sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            self.table,
            sql.SQL(", ").join(map(sql.Identifier, names)),
            sql.SQL(", ").join(sql.Placeholder() * len(names)),
        )


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"cannot keep {type(value).__name__} in an index column")


def text(value: Any) -> str:
    """A key or index value as the table's text column holds it (JSON: tuples as arrays, datetimes ISO)."""
    return orjson.dumps(value, default=_plain).decode()
