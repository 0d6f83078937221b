"""`partnerhub copy-store`: every declared kind moves between stores, all or nothing, verified per kind."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hub_cast import real_catalog
from test_store_kinds import declared_kinds
from typer.testing import CliRunner

from hub_app.cli.main import app
from hub_app.cli.migrate import ALL_KINDS
from hub_app.demo import seed as demo
from hub_app.partners.records import COMPANIES
from hub_app.recognition.records import LEDGER
from hub_app.store import migrate, open_store
from hub_app.store.base import Kind
from hub_app.store.memory import MemoryStore
from hub_app.store.transfer import TargetNotEmpty, checksums, copy_store

NOW = datetime(2026, 11, 28, 10, 22, tzinfo=UTC)
runner = CliRunner()


@functools.cache
def demo_world() -> MemoryStore:
    store = MemoryStore()
    demo.seed_demo(store, real_catalog(), NOW, seed=1)
    return store


def seeded_file(tmp_path: Path) -> str:
    url = f"tinydb:{tmp_path / 'source' / 'hub.json'}"
    target = open_store(url)
    try:
        copy_store(demo_world(), target, ALL_KINDS)
    finally:
        target.close()
    return url


def sums_at(url: str) -> list[Any]:
    store = open_store(url)
    try:
        return checksums(store, ALL_KINDS)
    finally:
        store.close()


def test_copy_covers_every_declared_kind():
    assert {kind.table for kind in ALL_KINDS} == {kind.table for kind in declared_kinds()}


def test_demo_world_goes_to_postgresql_and_back_equal_per_kind(tmp_path, postgres_database):
    original = seeded_file(tmp_path)
    back = f"tinydb:{tmp_path / 'back' / 'hub.json'}"

    there = runner.invoke(app, ["copy-store", "--from", original, "--to", postgres_database])
    again = runner.invoke(app, ["copy-store", "--from", postgres_database, "--to", back])

    assert there.exit_code == 0, there.output
    assert again.exit_code == 0, again.output
    assert "every count and checksum matches." in again.output
    assert "Verified copy" in again.output
    expected = sums_at(original)
    assert sums_at(postgres_database) == expected
    assert sums_at(back) == expected
    assert {s.table: s.count for s in expected}["ledger"] > 100


def test_log_order_survives_the_copy(tmp_path):
    source = demo_world()
    target = open_store(f"tinydb:{tmp_path / 'hub.json'}")
    try:
        copy_store(source, target, ALL_KINDS)
        assert target.after(LEDGER).entries == source.after(LEDGER).entries
    finally:
        target.close()


def test_a_target_holding_records_is_refused_and_left_as_it_was(tmp_path):
    original = seeded_file(tmp_path)
    target = f"tinydb:{tmp_path / 'target' / 'hub.json'}"
    runner.invoke(app, ["copy-store", "--from", original, "--to", target])
    before = sums_at(target)

    result = runner.invoke(app, ["copy-store", "--from", original, "--to", target])

    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("The target store already holds records (companies, users, ")
    assert result.output.rstrip().endswith(
        "copy-store only copies into an empty store. Hint: point --to at a new, empty database or file."
    )
    assert sums_at(target) == before


class Breaks(Exception):
    pass


def failing_after(store: Any, writes: int) -> Any:
    """``store`` whose writes fail after ``writes`` of them, as a full disk or a lost connection would."""
    count = [0]

    def wrap(method: Any) -> Any:
        def write(kind: Kind[Any], record: Any) -> Any:
            count[0] += 1
            if count[0] > writes:
                raise Breaks("the disk is full")
            return method(kind, record)

        return write

    store.add, store.append = wrap(store.add), wrap(store.append)
    return store


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
def test_a_failure_mid_copy_leaves_the_target_empty(tmp_path, request, backend):
    url = f"tinydb:{tmp_path / 'hub.json'}" if backend == "tinydb" else request.getfixturevalue("postgres_database")
    migrate(url, ALL_KINDS)
    target = failing_after(open_store(url), 2_000)
    try:
        with pytest.raises(Breaks):
            copy_store(demo_world(), target, ALL_KINDS)
    finally:
        target.close()
    assert [s.count for s in sums_at(url)] == [0] * len(ALL_KINDS)


def test_a_target_refusal_names_the_tables_in_use():
    target = MemoryStore()
    target.add(COMPANIES, demo_world().select(COMPANIES)[0])
    with pytest.raises(TargetNotEmpty) as refused:
        copy_store(demo_world(), target, ALL_KINDS)
    assert refused.value.tables == ["companies"]
