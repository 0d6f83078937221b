"""The throwaway PostgreSQL server the tests start for themselves."""

from __future__ import annotations

import psycopg


def test_session_database_accepts_a_connection_and_a_query(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT current_database(), 6 * 7").fetchone() == (postgres_url.rsplit("/", 1)[1], 42)


def test_each_test_database_starts_empty(postgres_database):
    with psycopg.connect(postgres_database) as conn:
        conn.execute("CREATE TABLE scratch (n int)")
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert tables == (1,)
