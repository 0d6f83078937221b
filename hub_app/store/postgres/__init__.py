"""The PostgreSQL backend (``HUB_STORE=postgresql://user@host:port/db``), with psycopg 3 and psycopg-pool.

Tables: one per kind, derived from its declaration (postgres/schema.py): the record's document (the
same document the TinyDB backend keeps, through the kind's codec, so a new field needs no DDL) plus
real text columns for the key and each declared index.
- The document is ``json``, not ``jsonb``: the store never queries inside it (lookups use the index
  columns), and ``jsonb`` turns numbers into ``numeric``, so a float such as 6.0e16 came back as an int.
- Index columns hold the value as Python computes it (``Kind.value_of``: ``str.casefold`` where the
  index folds case, JSON text for several fields or non-text values), so equality and uniqueness in SQL
  are exactly what the memory and TinyDB backends enforce (PostgreSQL's ``lower()`` differs beyond ASCII).
- Unique indexes are constraints named ``<table>__<index>`` (the key: ``<table>__key``), mapped back to
  `DuplicateRecord` with the other backends' wording.
- The declared order is applied in Python after ``ORDER BY seq`` (a stable sort, as the other backends
  do); sorting in SQL by typed columns is for the large-scale work.

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
