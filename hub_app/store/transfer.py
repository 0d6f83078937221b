"""Copy every declared kind from one store to another, all-or-nothing, and prove the copy equal.

`copy_store(source, target, kinds)` refuses a target that holds any record of any kind (`TargetNotEmpty`),
then writes everything inside one transaction on the target: records of plain kinds with `add`, log
entries with `append` in the source's ``after`` order (so the target's cursors read them in the same
order, idempotency keys included as fields). Anything failing mid-copy rolls the transaction back, and
the target is left as empty as it was. Afterwards `checksums` of both sides are compared per kind
(`CopyMismatch` if any differs): a count and a sha256 over the kind's codec documents (key-sorted JSON)
in sorted order for plain kinds and in log order for logs, so a reordered log is caught too.

Backends are reached only through the `Store` protocol, so any pair of them works (TinyDB to
PostgreSQL and back, memory for tests).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Items
from hub_app.store.base import Kind, Store

Progress = Callable[[Kind[Any], int, int], None]  # (kind, copied so far, of how many)


@dataclass(frozen=True)
class KindSum:
    """What a store holds of one kind: how many records and a sha256 of their documents."""

    table: str
    count: int
    sha256: str


class TargetNotEmpty(HubError):
    """copy-store only writes into a store that holds nothing yet."""

    msgid = (
        "The target store already holds records ({tables}); copy-store only copies into an empty store. "
        "Hint: point --to at a new, empty database or file."
    )

    def __init__(self, tables: Sequence[str]):
        super().__init__(tables=Items(tables))
        self.tables = list(tables)


class CopyMismatch(HubError):
    """After copying, a kind's count or checksum differs between the two stores."""

    msgid = "The copy differs from the source in {tables}. Hint: do not use the target; copy again into an empty store."

    def __init__(self, tables: Sequence[str]):
        super().__init__(tables=Items(tables))
        self.tables = list(tables)


def records_of(store: Store, kind: Kind[Any]) -> list[Any]:
    """Every record of ``kind``: a log's entries in append order, other kinds in the declared order."""
    return store.after(kind, None).entries if kind.is_log else store.select(kind)


def checksum(store: Store, kind: Kind[Any]) -> KindSum:
    """The count and sha256 of ``kind`` in ``store`` (logs hashed in log order, other kinds sorted)."""
    docs = [orjson.dumps(kind.codec.to_doc(r), option=orjson.OPT_SORT_KEYS) for r in records_of(store, kind)]
    if not kind.is_log:
        docs.sort()
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(doc)
        digest.update(b"\n")
    return KindSum(kind.table, len(docs), digest.hexdigest())


def checksums(store: Store, kinds: Iterable[Kind[Any]]) -> list[KindSum]:
    """`checksum` of every kind, in the order given."""
    return [checksum(store, kind) for kind in kinds]


def copy_store(
    source: Store, target: Store, kinds: Sequence[Kind[Any]], progress: Progress | None = None
) -> tuple[list[KindSum], list[KindSum]]:
    """Copy every record of ``kinds`` from ``source`` into the empty ``target`` in one transaction; the
    checksums of both sides, verified equal (`TargetNotEmpty`, `CopyMismatch`)."""
    taken = [kind.table for kind in kinds if target.count(kind)]
    if taken:
        raise TargetNotEmpty(taken)
    with target.transaction():
        taken = [kind.table for kind in kinds if target.count(kind)]  # checked again under the write lock
        if taken:
            raise TargetNotEmpty(taken)
        for kind in kinds:
            records = records_of(source, kind)
            write = target.append if kind.is_log else target.add
            for done, record in enumerate(records, 1):
                write(kind, record)
                if progress is not None and (done % 500 == 0 or done == len(records)):
                    progress(kind, done, len(records))
            if progress is not None and not records:
                progress(kind, 0, 0)
    before, after = checksums(source, kinds), checksums(target, kinds)
    differ = [a.table for a, b in zip(before, after, strict=True) if a != b]
    if differ:
        raise CopyMismatch(differ)
    return before, after
