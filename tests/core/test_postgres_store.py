"""What only the PostgreSQL backend does: schema checks at open, migrations, its constraints, other processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from postgres_server import migrated_database
from typer.testing import CliRunner

from hub_app.cli.main import app
from hub_app.kernel.ids import new_id
from hub_app.partners.records import USERS, User, user_by_email
from hub_app.recognition.records import LEDGER, LedgerEntry
from hub_app.store import open_store
from hub_app.store.base import Index, Kind
from hub_app.store.postgres import PostgresStore
from hub_app.store.postgres.backend import StoreUnreachable
from hub_app.store.postgres.schema import LATEST, KindTableOutdated, SchemaAhead, SchemaBehind

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def url(postgres_server) -> str:
    return migrated_database()


def _where(url: str) -> str:
    return url.split("@", 1)[1].split("?", 1)[0]  # host:port/database, as messages name it


def _user(email: str = "ana@example.com") -> User:
    return User(new_id(), email, "Ana", "c1", frozenset({"partner_user"}), "sales", "h", T0)


def test_a_database_never_migrated_is_refused_with_a_hint(postgres_database):
    with pytest.raises(SchemaBehind) as caught:
        open_store(postgres_database)
    assert str(caught.value) == (
        f"The PostgreSQL store {_where(postgres_database)} is at schema 0; this Partner Hub needs schema {LATEST}. "
        "Hint: run `partnerhub migrate`."
    )


def test_a_database_of_a_newer_partner_hub_is_refused(url):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE hub_meta SET value = %s WHERE key = 'schema_version'", (str(LATEST + 1),))
    with pytest.raises(SchemaAhead) as caught:
        open_store(url)
    assert str(caught.value) == (
        f"The PostgreSQL store {_where(url)} is at schema {LATEST + 1}, newer than this Partner Hub "
        f"(schema {LATEST}). Hint: upgrade Partner Hub, or set HUB_STORE to another database."
    )


def test_partnerhub_migrate_applies_the_migrations_once(postgres_database, monkeypatch):
    monkeypatch.setenv("HUB_STORE", postgres_database)
    first = CliRunner().invoke(app, ["migrate"])
    again = CliRunner().invoke(app, ["migrate"])
    assert first.exit_code == 0 and first.output == "Applied migrations 0001, 0002; the store is up to date.\n"
    assert again.exit_code == 0 and again.output == "The store is up to date; no migration to apply.\n"
    with psycopg.connect(postgres_database) as conn:
        tables = {row[0] for row in conn.execute("SELECT table_name FROM hub_kinds")}
    assert {"users", "companies", "ledger", "attempts", "certificates", "kpis", "proposals"} <= tables
    open_store(postgres_database).close()


def test_a_server_that_does_not_answer_is_named_with_a_hint(postgres_server):
    from postgres_server import free_port

    url = f"postgresql://hub@127.0.0.1:{free_port()}/nowhere"
    with pytest.raises(StoreUnreachable, match=r"^Cannot connect to the PostgreSQL store 127\.0\.0\.1:\d+/nowhere: "):
        open_store(url)


def test_unique_indexes_are_constraints_named_after_kind_and_index(url):
    store = PostgresStore(url)
    store.add(USERS, _user())
    store.append(LEDGER, LedgerEntry(new_id(), "u1", "c1", "course_first_pass", 10, T0, "k"))
    store.close()
    with psycopg.connect(url) as conn:
        names = {row[0] for row in conn.execute("SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u')")}
    assert {"users__key", "users__email", "ledger__key", "ledger__idempotency_key"} <= names


def test_a_kind_declared_with_new_indexes_is_refused_until_migrate_rebuilds_its_table(url):
    store = PostgresStore(url)
    ana = _user("Ana@Example.com")
    store.add(USERS, ana)
    store.close()
    by_name = Kind("user", "users", USERS.codec, indexes=(*USERS.indexes, Index("name", ("display_name",))))
    store = PostgresStore(url)
    with pytest.raises(KindTableOutdated) as caught:
        store.select(by_name, "name", "Ana")
    assert str(caught.value) == (
        f"The PostgreSQL store {_where(url)} keeps user records in table 'users' made for another declaration "
        "of its key or indexes. Hint: run `partnerhub migrate`."
    )
    store.close()
    from hub_app.store import migrate

    assert migrate(url, [by_name]) == []
    store = PostgresStore(url)
    assert store.select(by_name, "name", "Ana") == [ana] and user_by_email(store, "ana@example.com") == ana
    store.close()


WRITER = """
import sys
from datetime import UTC, datetime
from hub_app.kernel.ids import new_id
from hub_app.recognition.records import LEDGER, LedgerEntry
from hub_app.store.postgres import PostgresStore
store = PostgresStore(sys.argv[1])
for i in range(int(sys.argv[3])):
    at = datetime(2026, 1, 1, tzinfo=UTC)
    entry = LedgerEntry(new_id(), "u1", "c1", "course_first_pass", 1, at, f"{sys.argv[2]}:{i}")
    with store.transaction():
        store.append(LEDGER, entry)
store.close()
"""


def test_a_cursor_misses_no_entry_that_other_processes_commit_while_it_reads(url):
    reader = PostgresStore(url)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, f"w{n}", "150"], env=env, stderr=subprocess.PIPE)
        for n in range(3)
    ]
    seen: list[str] = []
    cursor = None
    while any(w.poll() is None for w in writers):
        batch = reader.after(LEDGER, cursor, fields=("idempotency_key",))
        seen.extend(row[0] for row in batch.entries)
        cursor = batch.cursor
    seen.extend(row[0] for row in reader.after(LEDGER, cursor, fields=("idempotency_key",)).entries)
    assert [w.returncode for w in writers] == [0, 0, 0], [w.stderr.read() for w in writers if w.stderr]
    assert len(seen) == 450 == len(set(seen)) == reader.count(LEDGER)
    reader.close()


CAPPED = """
import sys
from datetime import UTC, datetime
from hub_app.kernel.ids import new_id
from hub_app.recognition.records import LEDGER, LedgerEntry
from hub_app.store.postgres import PostgresStore
store = PostgresStore(sys.argv[1])
for i in range(40):
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with store.transaction():  # check, then write: the cap holds only if transactions are serializable
        if store.count(LEDGER, "user", "u1") < 50:
            store.append(LEDGER, LedgerEntry(new_id(), "u1", "c1", "course_first_pass", 1, at, f"{sys.argv[2]}:{i}"))
store.close()
"""


def test_check_then_write_in_several_processes_never_passes_a_cap(url):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [
        subprocess.Popen([sys.executable, "-c", CAPPED, url, f"p{n}"], env=env, stderr=subprocess.PIPE)
        for n in range(3)
    ]
    assert [r.wait(timeout=120) for r in racers] == [0, 0, 0], [r.stderr.read() for r in racers if r.stderr]
    store = PostgresStore(url)
    assert store.count(LEDGER, "user", "u1") == 50
    store.close()


def test_migration_2_stores_region_names_as_codes(postgres_database, monkeypatch):
    from hub_app.partners.records import COMPANIES, Company

    monkeypatch.setenv("HUB_STORE", postgres_database)
    assert CliRunner().invoke(app, ["migrate"]).exit_code == 0
    named = [("Jade", "Greater China"), ("Gum", "APAC"), ("Elm", "Americas"), ("Odd", "Mars")]
    store = open_store(postgres_database)
    for i, (name, region) in enumerate(named):  # as the first version stored them: names
        store.add(COMPANIES, Company(f"c{i}", name, "si", region, "SG", (), "registered", None, T0))
    store.close()
    with psycopg.connect(postgres_database) as conn:
        conn.execute((ROOT / "hub_app/store/postgres/migrations/0002_region_codes.sql").read_text(encoding="utf-8"))
    store = open_store(postgres_database)
    assert [store.get(COMPANIES, f"c{i}").region for i in range(4)] == ["china", "apac", "amer", "Mars"]
    store.close()
