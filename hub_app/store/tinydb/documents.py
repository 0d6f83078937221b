"""TinyDB tables whose reads come from memory and whose writes become journal operations.

TinyDB's write methods hand an ``updater`` a dict of the whole table to mutate; here that dict is a
:class:`TableView` that copies each document it hands out and reports what changed, so a write costs
what it touches, not the size of the table, and a failed updater leaves nothing behind.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from tinydb.table import Document, Table

if TYPE_CHECKING:
    from hub_app.store.tinydb.durable import JournalStorage


def _copy(doc: Mapping[str, Any]) -> dict[str, Any]:
    # A JSON round trip: memory holds exactly what a reload would, and non-JSON values fail early.
    return json.loads(json.dumps(doc, ensure_ascii=False))


class TableView(MutableMapping[int, dict[str, Any]]):
    """Doc id -> document over a live table, recording changes instead of making them."""

    def __init__(self, live: dict[str, dict[str, Any]]):
        self._live = live
        self._docs: dict[int, dict[str, Any]] = {}  # copies handed out or assigned
        self._gone: set[int] = set()
        self._cleared = False

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self._docs:
            return True
        return not self._cleared and doc_id not in self._gone and str(doc_id) in self._live

    def __getitem__(self, doc_id: int) -> dict[str, Any]:
        if doc_id not in self:
            raise KeyError(doc_id)
        if doc_id not in self._docs:
            self._docs[doc_id] = _copy(self._live[str(doc_id)])
        return self._docs[doc_id]

    def __setitem__(self, doc_id: int, doc: dict[str, Any]) -> None:
        self._docs[doc_id] = _copy(doc)
        self._gone.discard(doc_id)

    def __delitem__(self, doc_id: int) -> None:
        if doc_id not in self:
            raise KeyError(doc_id)
        self._docs.pop(doc_id, None)
        self._gone.add(doc_id)

    def _ids(self) -> list[int]:
        kept = [] if self._cleared else [int(k) for k in self._live if int(k) not in self._gone]
        return kept + [i for i in self._docs if self._cleared or str(i) not in self._live]

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._ids())

    def clear(self) -> None:
        self._cleared = True
        self._docs.clear()
        self._gone.clear()

    def ops(self, table: str) -> list[list[Any]]:
        """The journal operations that turn the live table into this view."""
        ops: list[list[Any]] = [["clear", table]] if self._cleared else []
        ops += [["del", table, i] for i in sorted(self._gone)]
        for doc_id, doc in self._docs.items():
            if self._cleared or doc != self._live.get(str(doc_id)):
                ops.append(["set", table, doc_id, doc])
        return ops


def _guarded(name: str, how: str) -> Callable[..., Any]:
    """Table.<name>, run under the storage's ``reading`` or ``transaction`` context."""
    base = getattr(Table, name)

    @functools.wraps(base)
    def method(self: DurableTable, *args: Any, **kwargs: Any) -> Any:
        with getattr(self._storage, how)():
            self._sync_cache()
            return base(self, *args, **kwargs)

    return method


class DurableTable(Table):
    """A TinyDB table on :class:`JournalStorage`: safe across threads and processes."""

    _storage: JournalStorage
    _seen_version = -1

    def _sync_cache(self) -> None:
        # Another thread, instance or process may have written: TinyDB's query cache would be stale.
        if self._seen_version != self._storage.version:
            self.clear_cache()
            self._seen_version = self._storage.version

    def _read_table(self) -> dict[str, Any]:
        return self._storage.tables.get(self.name, {})

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        with self._storage.transaction():
            view = TableView(self._read_table())
            updater(view)  # type: ignore[arg-type]
            self._storage.stage(view.ops(self.name))
        self.clear_cache()

    def _get_next_id(self) -> int:
        return self._storage.allocate_id(self.name)

    def _matching(self, cond: Any) -> list[int]:
        return [int(k) for k, doc in self._read_table().items() if cond is None or cond(doc)]

    def update(self, fields: Any, cond: Any = None, doc_ids: Any = None) -> list[int]:
        """Table.update, copying only the matching documents."""
        with self._storage.transaction():
            ids = self._matching(cond) if doc_ids is None else doc_ids
            return Table.update(self, fields, doc_ids=ids)

    def remove(self, cond: Any = None, doc_ids: Any = None) -> list[int]:
        """Table.remove, copying only the matching documents."""
        with self._storage.transaction():
            if doc_ids is None and cond is not None:
                doc_ids = self._matching(cond)
            return Table.remove(self, doc_ids=doc_ids)

    def __iter__(self) -> Iterator[Document]:
        with self._storage.reading():
            return iter(list(Table.__iter__(self)))


for _name in ("all", "search", "get", "contains", "count", "__len__"):
    setattr(DurableTable, _name, _guarded(_name, "reading"))
for _name in ("insert", "insert_multiple", "update_multiple", "upsert", "truncate"):
    setattr(DurableTable, _name, _guarded(_name, "transaction"))
