"""`PostgresStore`: the `Store` protocol over one PostgreSQL database (design: postgres/__init__.py)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import orjson
import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Json, set_json_dumps, set_json_loads
from psycopg_pool import ConnectionPool

from hub_app.kernel.errors import HubError
from hub_app.store.base import Batch, Changes, DuplicateRecord, Kind, RecordNotFound, probe, shown
from hub_app.store.postgres.schema import LOCK_KEY, KindTable, check_schema, constraint, migrate, text

R = TypeVar("R")
Conn = psycopg.Connection[Any]


class StoreUnreachable(HubError):
    """The PostgreSQL server named by the store URL does not answer or refuses the connection."""

    msgid = (
        "Cannot connect to the PostgreSQL store {where}: {reason}. "
        "Hint: check that the server runs and HUB_STORE names its host, port, database and user."
    )

    def __init__(self, where: str, reason: str):
        super().__init__(where=where, reason=reason)
        self.where, self.reason = where, reason


def where_of(url: str) -> str:
    """host:port/database of a URL, without its password (for messages)."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unparsable URL)"
    return f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


def _configure(conn: Conn) -> None:
    set_json_loads(orjson.loads, conn)
    set_json_dumps(orjson.dumps, conn)


class _Local(threading.local):
    """The thread's open transaction: its connection, depth, serial, and what it wrote."""

    conn: Conn | None = None
    depth = 0
    serial = 0
    touched: set[str]
    first_seq: dict[str, int]
    made: set[str]


class PostgresStore:
    """A `Store` in one PostgreSQL database, shared by threads, processes and replicas."""

    def __init__(self, url: str, max_connections: int = 10):
        self.url, self.where = url, where_of(url)
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                check_schema(conn, self.where)
                row = conn.execute("SELECT value FROM hub_meta WHERE key = 'database_id'").fetchone()
        except psycopg.OperationalError as e:
            raise StoreUnreachable(self.where, str(e).strip().splitlines()[0]) from e
        self._database_id = row[0] if row else ""
        self._pool = ConnectionPool(
            url, min_size=1, max_size=max_connections, kwargs={"autocommit": True}, configure=_configure, open=True
        )
        self._local = _Local()
        self._tables: dict[str, KindTable] = {}
        self._serials = itertools.count(1)
        self._undone: set[int] = set()  # transactions that rolled back after issuing a cursor over their entries

    # --- transactions and revisions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: the outermost one holds the database's advisory lock until it ends."""
        local = self._local
        if local.conn is not None:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        with self._pool.connection() as conn:
            local.conn, local.depth, local.serial = conn, 1, next(self._serials)
            local.touched, local.first_seq, local.made = set(), {}, set()
            try:
                with conn.transaction():
                    self._begin(conn)
                    yield
            except BaseException:
                self._rolled_back(conn, local)
                raise
            finally:
                local.conn, local.depth = None, 0

    def _begin(self, conn: Conn) -> None:
        """Serialize the transaction: queue behind every other writer of the database."""
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))

    def _rolled_back(self, conn: Conn, local: _Local) -> None:
        for table in local.made:
            self._tables.pop(table, None)
        self._undone.add(local.serial)
        if local.touched and not conn.closed:
            # A token seen inside the transaction is never given again, and readers learn of the rollback.
            conn.execute(
                "UPDATE hub_versions SET version = nextval('hub_revision') WHERE table_name = ANY(%s)",
                (sorted(local.touched),),
            )

    @contextmanager
    def _reading(self) -> Iterator[Conn]:
        conn = self._local.conn
        if conn is not None:
            yield conn
            return
        with self._pool.connection() as conn:
            yield conn

    def _table(self, kind: Kind[Any]) -> KindTable:
        table = self._tables.get(kind.table)
        if table is None:
            table = KindTable(kind)
            with self.transaction():
                local = self._local
                assert local.conn is not None
                table.ensure(local.conn, self.where)
                local.made.add(kind.table)
            self._tables[kind.table] = table
        return table

    def revision(self, kinds: Iterable[Kind[Any]]) -> Hashable:
        """The kinds' versions: each write (and each rollback) draws a fresh one from a sequence."""
        names = [self._table(kind).kind.table for kind in kinds]
        with self._reading() as conn:
            rows = dict(
                conn.execute(
                    "SELECT table_name, version FROM hub_versions WHERE table_name = ANY(%s)", (names,)
                ).fetchall()
            )
        return tuple(rows.get(name) for name in names)

    # --- reading
    def get(self, kind: Kind[R], key: Hashable) -> R | None:
        """The record with this key, or None."""
        table = self._table(kind)
        with self._reading() as conn:
            row = conn.execute(
                sql.SQL("SELECT doc FROM {} WHERE key = %s").format(table.table), (text(key),)
            ).fetchone()
        return None if row is None else kind.codec.from_doc(row[0])

    def find(self, kind: Kind[R], index: str, value: Hashable) -> R | None:
        """The record holding ``value`` under a unique index, or None."""
        found = self._rows(kind, index, value, "doc")
        return kind.codec.from_doc(found[0][0]) if found else None

    def select(self, kind: Kind[R], index: str | None = None, value: Hashable = None) -> list[R]:
        """Records (all, or those holding ``value`` under ``index``) in the declared order."""
        from_doc = kind.codec.from_doc
        return kind.ordered(from_doc(row[0]) for row in self._rows(kind, index, value, "doc"))

    def count(self, kind: Kind[Any], index: str | None = None, value: Hashable = None) -> int:
        """How many records `select` would return."""
        return int(self._rows(kind, index, value, "count(*)", ordered=False)[0][0])

    def _rows(self, kind: Kind[Any], index: str | None, value: Hashable, what: str, ordered: bool = True) -> list[Any]:
        table = self._table(kind)
        query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(what), table.table)
        params: tuple[Any, ...] = ()
        if index is not None:
            ix = kind.index(index)
            query += sql.SQL(" WHERE {} = %s").format(sql.Identifier(f"ix_{ix.name}"))
            params = (text(probe(ix, value)),)
        if ordered:
            query += sql.SQL(" ORDER BY seq")
        with self._reading() as conn:
            return conn.execute(query, params).fetchall()

    # --- writing
    def add(self, kind: Kind[R], record: R) -> None:
        """Store a new record; DuplicateRecord if its key or a unique value is taken."""
        self._insert(kind, record, idempotent=False)

    def append(self, kind: Kind[R], record: R) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING on the idempotency constraint: False when the key is there."""
        assert kind.idempotency is not None, f"{kind.name} is not a log"
        return self._insert(kind, record, idempotent=True)

    def _insert(self, kind: Kind[Any], record: Any, idempotent: bool) -> bool:
        table = self._table(kind)
        query = self._bumped(table, table.insert())
        if idempotent:
            assert kind.idempotency is not None
            on = sql.Identifier(constraint(kind, kind.index(kind.idempotency)))
            query += sql.SQL(" ON CONFLICT ON CONSTRAINT {} DO NOTHING").format(on)
        query += sql.SQL(" RETURNING seq")
        row = self._write(kind, record, query, (kind.table, *table.values(record), Json(kind.codec.to_doc(record))))
        if row is not None and kind.is_log:
            first = self._local.first_seq
            first.setdefault(kind.table, row[0])
        return row is not None

    def replace(self, kind: Kind[R], record: R) -> None:
        """Store a new version of a stored record; RecordNotFound if there is none."""
        table = self._table(kind)
        sets = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in [*table.columns, "doc"])
        update = sql.SQL("UPDATE {} SET {} WHERE key = %s RETURNING seq").format(table.table, sets)
        key, *columns = table.values(record)
        row = self._write(
            kind, record, self._bumped(table, update), (kind.table, *columns, Json(kind.codec.to_doc(record)), key)
        )
        if row is None:
            raise RecordNotFound(kind.name, shown(kind.key_of(record)))

    def remove(self, kind: Kind[Any], key: Hashable) -> None:
        """Delete the record with this key; RecordNotFound if there is none."""
        if kind.is_log:
            raise TypeError(f"{kind.name} is an append-only log: correct it with a new entry")
        table = self._table(kind)
        delete = self._bumped(table, sql.SQL("DELETE FROM {} WHERE key = %s RETURNING seq").format(table.table))
        if self._write(kind, None, delete, (kind.table, text(key))) is None:
            raise RecordNotFound(kind.name, shown(key))

    @staticmethod
    def _bumped(table: KindTable, statement: sql.Composable) -> sql.Composed:
        # The kind's version moves in the same statement as the write: one round trip.
        bump = sql.SQL(
            "WITH bump AS (UPDATE hub_versions SET version = nextval('hub_revision') WHERE table_name = %s) "
        )
        return bump + statement  # type: ignore[return-value]

    def _write(self, kind: Kind[Any], record: Any, query: sql.Composed, params: tuple[Any, ...]) -> Any:
        with self.transaction():
            local = self._local
            assert local.conn is not None
            local.touched.add(kind.table)
            try:
                if local.depth == 1:  # the write is the whole transaction: nothing to keep usable
                    return local.conn.execute(query, params).fetchone()
                with local.conn.transaction():  # a savepoint: a refused write leaves the transaction usable
                    return local.conn.execute(query, params).fetchone()
            except errors.UniqueViolation as e:
                raise self._duplicate(kind, record, e.diag.constraint_name) from None

    def _duplicate(self, kind: Kind[Any], record: Any, name: str | None) -> DuplicateRecord:
        index = self._table(kind).constraints.get(name or "")
        if index is None:
            return DuplicateRecord(kind.name, shown(kind.key_of(record)))
        return DuplicateRecord(f"{kind.name} with {index.name}", shown(kind.value_of(index, record)))

    # --- logs
    def after(self, kind: Kind[Any], cursor: Hashable = None, fields: tuple[str, ...] | None = None) -> Batch:
        """Entries past ``cursor``'s position, in position (= commit) order; the cursor is
        (database id, last position read, the transaction whose own entries it covers or 0)."""
        table = self._table(kind)
        seen, fresh = 0, True
        ours = isinstance(cursor, tuple) and len(cursor) == 3 and cursor[0] == self._database_id
        if ours and cursor[2] not in self._undone:  # type: ignore[index]
            seen, fresh = cursor[1], False  # type: ignore[index]
        query = sql.SQL("SELECT seq, doc FROM {} WHERE seq > %s ORDER BY seq").format(table.table)
        with self._reading() as conn:
            rows = conn.execute(query, (seen,)).fetchall()
        last = rows[-1][0] if rows else seen
        local = self._local
        first_own = local.first_seq.get(kind.table) if local.conn is not None else None
        owner = local.serial if first_own is not None and last >= first_own else 0
        docs = [row[1] for row in rows]
        entries = kind.codec.project_docs(docs, fields) if fields is not None else list(map(kind.codec.from_doc, docs))
        return Batch(entries, (self._database_id, last, owner), fresh)

    def changes(self, kind: Kind[Any], since: Hashable) -> Changes | None:
        """None: this backend keeps no change log yet, so what is derived from a kind is derived again
        when its revision moves (the database answers those queries; a log table is the next step)."""
        return None

    def close(self) -> None:
        """Close the connection pool."""
        self._pool.close()


def migrate_database(url: str, kinds: Iterable[Kind[Any]]) -> list[int]:
    """Apply the migrations the database at ``url`` lacks and make the tables of ``kinds``."""
    where = where_of(url)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            return migrate(conn, where, kinds)
    except psycopg.OperationalError as e:
        raise StoreUnreachable(where, str(e).strip().splitlines()[0]) from e
