"""The PostgreSQL backend (``HUB_STORE=postgresql://user@host:port/db``), with psycopg 3 and psycopg-pool.

Tables: one per kind, derived from its declaration (postgres/schema.py): the record's document as JSONB
(the same documents the TinyDB backend keeps, through the kind's codec, so a new field or kind needs no
DDL) plus real text columns for the key and each declared index. The index columns hold the value
as Python computes it (``Kind.value_of``: case-folded with ``str.casefold`` where the index folds case,
JSON text for several fields or non-text values), so equality and uniqueness in SQL are exactly what the
memory and TinyDB backends enforce; PostgreSQL's ``lower()`` would disagree with ``casefold`` beyond
ASCII. Unique indexes are constraints named ``<table>__<index>`` (the key ``<table>__key``), mapped back
to `DuplicateRecord` with the other backends' wording.

Transactions: each outermost transaction takes ``pg_advisory_xact_lock`` (one key per database), so
writers queue as they do in TinyDB, the domain's check-then-write is serializable without retries, and
positions drawn from one sequence while the lock is held follow commit order: a log cursor is the last
position read, and never skips an entry committed later with a smaller one. Every write runs in a
savepoint, so a refused write (`DuplicateRecord`) leaves the outer transaction usable, as in memory.
Measured against SERIALIZABLE with retries: bench/postgres_contention.py.

Not here yet: derived figures (tallies) kept in SQL, replicas' web sessions, copy-store, the large-scale
benchmark.
"""

from hub_app.store.postgres.backend import PostgresStore

__all__ = ["PostgresStore"]
