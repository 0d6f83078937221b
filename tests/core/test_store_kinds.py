"""Every declared kind, on every backend: generated records come back equal (also through a second handle),
unique indexes refuse a taken value, `select` keeps the declared order, logs are idempotent and read by cursor.

Kinds are found in each context's ``records.py`` (its ``KINDS``), so a new concept gets these tests by
declaring its kinds. Records are generated from the dataclasses' type hints.
"""

from __future__ import annotations

import importlib
import pkgutil
import tempfile
import types
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from store_backends import STORE_FACTORIES

import hub_app
from hub_app.store import warm
from hub_app.store.base import DuplicateRecord, Kind, Store, fold
from hub_app.store.tinydb.backend import KEY, TinyDBStore


def declared_kinds() -> list[Kind[Any]]:
    """The KINDS of every context's records module."""
    found: list[Kind[Any]] = []
    for package in pkgutil.iter_modules(hub_app.__path__):
        if package.ispkg and importlib.util.find_spec(f"hub_app.{package.name}.records") is not None:
            found += importlib.import_module(f"hub_app.{package.name}.records").KINDS
    return found


KINDS = declared_kinds()
KIND_IDS = [kind.table for kind in KINDS]
LOG_KINDS = [kind for kind in KINDS if kind.is_log]
EXAMPLES = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_every_context_declares_kinds_with_distinct_tables():
    tables = [kind.table for kind in KINDS]
    assert len(tables) == len(set(tables))
    assert {"companies", "users", "attempts", "certificates", "ledger", "kpis", "proposals", "web_sessions"} <= set(
        tables
    )


# --- records from type hints --------------------------------------------------------------------------
TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=12)


def strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a field's type, as a store must keep them (UTC datetimes, JSON-sized numbers)."""
    origin, args = get_origin(hint), get_args(hint)
    simple = {
        datetime: st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
        date: st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
        Decimal: st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
        str: TEXT,
        bool: st.booleans(),
        int: st.integers(-(2**31), 2**31),
        float: st.floats(allow_nan=False, allow_infinity=False, width=32),
        type(None): st.none(),
    }
    if hint in simple:
        return simple[hint]
    if origin in (Union, types.UnionType):
        return st.one_of([strategy(a) for a in args])
    if origin is Literal:
        return st.sampled_from(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(strategy(args[0]), max_size=3).map(tuple)
        return st.tuples(*map(strategy, args))
    if origin is frozenset:
        return st.frozensets(strategy(args[0]), max_size=3)
    if origin in (dict, Mapping):
        return st.dictionaries(TEXT, strategy(args[1]), max_size=3)
    if is_dataclass(hint):
        return records_of(hint)
    raise TypeError(f"no strategy for {hint!r}: teach tests/core/test_store_kinds.py this type")


def records_of(cls: Any) -> st.SearchStrategy[Any]:
    hints = get_type_hints(cls)
    return st.builds(cls, **{f.name: strategy(hints[f.name]) for f in fields(cls)})


# --- one store per example ----------------------------------------------------------------------------
@pytest.fixture(params=sorted(STORE_FACTORIES))
def backend(request):
    """Opens (store, second handle or None) on a fresh database per call; closes them all at the end."""
    opened: list[Store] = []
    directories: list[tempfile.TemporaryDirectory[str]] = []

    def fresh() -> tuple[Store, Store | None]:
        directories.append(tempfile.TemporaryDirectory())
        store, opener = STORE_FACTORIES[request.param](Path(directories[-1].name))
        other = opener() if opener is not None else None
        opened.extend(s for s in (store, other) if s is not None)
        return store, other

    yield fresh
    for store in opened:
        store.close()
    for directory in directories:
        directory.cleanup()


def _put(store: Store, kind: Kind[Any], record: Any) -> None:
    if kind.is_log:
        assert store.append(kind, record) is True
    else:
        store.add(kind, record)


def _distinct(kind: Kind[Any], records: list[Any]) -> list[Any]:
    """Records with distinct keys and distinct unique values (as a store would accept them all)."""
    seen: set[Any] = set()
    kept = []
    for record in records:
        marks = {("key", kind.key_of(record))} | {
            (ix.name, kind.value_of(ix, record)) for ix in kind.indexes if ix.unique
        }
        if not marks & seen:
            seen |= marks
            kept.append(record)
    return kept


def _other_case(value: Any) -> Any:
    """The same text in upper case, where case folding takes it back to the same value."""
    if isinstance(value, str) and fold(value.upper()) == fold(value):
        return value.upper()
    return value


def _order(kind: Kind[Any], records: list[Any]) -> list[Any]:
    if not kind.order:
        return records
    key = [(lambda r, f=f: fold(getattr(r, f)) if kind.fold_order else getattr(r, f)) for f in kind.order]
    return sorted(records, key=lambda r: tuple(k(r) for k in key))


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@EXAMPLES
@given(data=st.data())
def test_a_generated_record_comes_back_equal_here_and_through_another_handle(backend, kind, data):
    record = data.draw(records_of(kind.codec.cls))
    store, other = backend()
    _put(store, kind, record)
    assert store.get(kind, kind.key_of(record)) == record
    assert store.select(kind) == [record] and store.count(kind) == 1
    for ix in kind.indexes:
        value = kind.value_of(ix, record)
        if ix.unique:
            assert store.find(kind, ix.name, value) == record
        else:
            assert store.select(kind, ix.name, value) == [record] and store.count(kind, ix.name, value) == 1
    if other is not None:
        assert other.get(kind, kind.key_of(record)) == record and other.select(kind) == [record]


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@EXAMPLES
@given(data=st.data())
def test_a_taken_key_or_unique_value_is_refused_and_nothing_is_written(backend, kind, data):
    first, second = data.draw(records_of(kind.codec.cls)), data.draw(records_of(kind.codec.cls))
    store, other = backend()
    _put(store, kind, first)
    same_key = replace(second, **{f: getattr(first, f) for f in kind.key})
    with pytest.raises(DuplicateRecord, match=f"^A {kind.name} '.*' already exists"):
        store.add(kind, same_key)
    for ix in kind.indexes:
        if not ix.unique:
            continue
        taken = {f: getattr(first, f) for f in ix.fields}
        if ix.fold_case:
            taken = {f: _other_case(v) for f, v in taken.items()}
        clash = replace(second, **taken)
        assume(kind.key_of(clash) != kind.key_of(first))
        if ix.name == kind.idempotency:
            assert store.append(kind, clash) is False
        else:
            with pytest.raises(DuplicateRecord, match=f"^A {kind.name} with {ix.name} '.*' already exists"):
                (other or store).add(kind, clash)
    assert store.select(kind) == [first]


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
@EXAMPLES
@given(data=st.data())
def test_select_returns_records_in_the_declared_order(backend, kind, data):
    records = _distinct(kind, data.draw(st.lists(records_of(kind.codec.cls), min_size=2, max_size=6)))
    store, other = backend()
    with store.transaction():
        for record in records:
            _put(store, kind, record)
    assert store.select(kind) == _order(kind, records)
    for ix in kind.indexes:
        if not ix.unique:
            value = kind.value_of(ix, records[0])
            held = [r for r in records if kind.value_of(ix, r) == value]
            assert store.select(kind, ix.name, value) == _order(kind, held)
    if other is not None:
        assert other.select(kind) == _order(kind, records)


@pytest.mark.parametrize("kind", LOG_KINDS, ids=[kind.table for kind in LOG_KINDS])
@EXAMPLES
@given(data=st.data())
def test_a_log_is_idempotent_and_its_cursor_shows_each_entry_once_in_append_order(backend, kind, data):
    entries = _distinct(kind, data.draw(st.lists(records_of(kind.codec.cls), min_size=2, max_size=6)))
    store, other = backend()
    reader = other or store
    start = reader.after(kind)
    for entry in entries[:-1]:
        assert store.append(kind, entry) is True
        assert store.append(kind, entry) is False
    seen = reader.after(kind, start.cursor)
    assert seen.entries == entries[:-1] and not seen.fresh
    store.append(kind, entries[-1])
    assert reader.after(kind, seen.cursor).entries == entries[-1:]
    assert store.count(kind) == len(entries)


# --- warming up at start-up ---------------------------------------------------------------------------
@EXAMPLES
@given(data=st.data())
def test_warming_every_index_of_every_kind_changes_nothing(backend, data):
    store, _ = backend()
    kind = LOG_KINDS[0]
    record = data.draw(records_of(kind.codec.cls))
    _put(store, kind, record)
    before = store.revision(KINDS)
    warm(store, KINDS)  # every kind, every index: none refuses the lookup of a value nobody holds
    assert store.revision(KINDS) == before
    assert store.select(kind) == [record]


def test_the_embedded_store_has_built_every_index_after_warming(tmp_path):
    store = TinyDBStore(tmp_path / "hub.json")
    warm(store, KINDS)
    indexes = store._ix  # noqa: SLF001 - what the first submit would otherwise build on its way
    assert set(indexes) == {kind.table for kind in KINDS}
    for kind in KINDS:
        built = indexes[kind.table]
        assert set(built.unique) == {KEY} | {ix.name for ix in kind.indexes if ix.unique}, kind.table
        assert set(built.groups) == {ix.name for ix in kind.indexes if not ix.unique}, kind.table
    store.close()


# --- what changed since a revision ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [k for k in KINDS if not k.is_log][:6] + LOG_KINDS[:1], ids=lambda k: k.table)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_changes_name_every_key_written_after_a_revision_or_say_they_cannot(backend, kind, data):
    store, other = backend()
    pair = _distinct(kind, data.draw(st.lists(records_of(kind.codec.cls), min_size=2, max_size=2)))
    assume(len(pair) == 2)
    first, second = pair
    _put(store, kind, first)
    token = store.revision([kind])
    found = store.changes(kind, token)
    assert found is None or found == (frozenset(), token)
    _put(store, kind, second)
    if not kind.is_log:
        store.replace(kind, first)
    for handle in (store, other) if other is not None else (store,):
        seen = handle.changes(kind, token if handle is store else handle.revision([kind]))
        if handle is store and seen is not None:
            expected = {kind.key_of(second)} | (set() if kind.is_log else {kind.key_of(first)})
            assert seen.keys == frozenset(expected)
            assert seen.revision == store.revision([kind])
    if not kind.is_log:
        with pytest.raises(RuntimeError), store.transaction():
            store.remove(kind, kind.key_of(second))
            raise RuntimeError("rolled back")
        after = store.changes(kind, store.revision([kind]))
        assert after is None or after.keys == frozenset()
        assert store.get(kind, kind.key_of(second)) == second


def test_changes_of_a_token_from_elsewhere_are_unknown(backend):
    store, _ = backend()
    kind = KINDS[0]
    assert store.changes(kind, ("not", "a", "token")) is None
