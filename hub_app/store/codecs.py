"""Records <-> plain JSON documents, for stores that keep documents (the one place dicts meet records).

A document holds a record's fields by name. Each kind declares its `Codec` in its context's
``records.py`` from the conversions here: datetimes become ISO strings with their offset (`WHEN`), tuples
and frozensets become lists (`TUPLE`, `SET`: sorted, so a document is stable), large nested values can be
kept as JSON text (`packed`). Fields holding their default are left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, TypeVar

import orjson

R = TypeVar("R")
Doc = dict[str, Any]
Convert = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to the document, back to the record)
_NO_DEFAULT = object()


class Codec(Generic[R]):
    """Turns one record class into documents and back; fields not named in ``special`` pass through."""

    def __init__(self, cls: type[R], special: Mapping[str, Convert]):
        self.cls = cls
        self.special = dict(special)
        self._backs = [(name, back) for name, (_, back) in self.special.items()]
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        self.names = [f.name for f in fields]
        self.defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        for f in fields:
            if f.default_factory is not dataclasses.MISSING:
                self.defaults[f.name] = f.default_factory()

    def to_doc(self, record: R) -> Doc:
        """The record as a JSON-ready dict, without the fields that hold their default."""
        # Leaner documents: most ledger entries and certificates carry no reason, reversal or revocation,
        # and every byte is parsed again by each cold start. from_doc fills the defaults back in.
        values = record.__dict__
        doc = {name: values[name] for name in self.names if not self._is_default(name, values[name])}
        for name, (out, _) in self.special.items():
            if name in doc:
                doc[name] = out(doc[name])
        return doc

    def _is_default(self, name: str, value: Any) -> bool:
        default = self.defaults.get(name, _NO_DEFAULT)
        return value is default or (type(value) is type(default) and value == default)

    def from_doc(self, doc: Mapping[str, Any]) -> R:
        """The record a document holds (fields missing from an older document take their defaults)."""
        # Records are frozen dataclasses without __post_init__: filling __dict__ skips one
        # object.__setattr__ per field, 40% of the time a cold start spends turning documents into records.
        record = object.__new__(self.cls)
        values = record.__dict__
        values.update(self.defaults)
        values.update(doc)
        for name, back in self._backs:
            values[name] = back(values[name])
        return record

    def field_value(self, doc: Mapping[str, Any], name: str) -> Any:
        """One field of a document as the record holds it (its default when the document leaves it out)."""
        if name not in doc:
            return self.defaults.get(name)
        special = self.special.get(name)
        return doc[name] if special is None else special[1](doc[name])

    def field_doc(self, name: str, value: Any) -> Any:
        """One field's value in document form."""
        special = self.special.get(name)
        return value if special is None or value is None else special[0](value)

    def project(self, records: list[R], fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """``fields`` of each record, in document form (what `project_docs` reads from documents)."""
        return [tuple(self.field_doc(name, record.__dict__[name]) for name in fields) for record in records]

    def project_docs(self, docs: list[Doc], fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
        """``fields`` of each document as stored (defaults filled in), without building records."""
        get = itemgetter(*fields)
        single = len(fields) == 1
        try:  # in C: a cold start's tallies read half a million ledger documents this way
            found = list(map(get, docs))
        except KeyError:  # a field holding its default is left out of the document
            return [tuple(doc.get(n, self._doc_default(n)) for n in fields) for doc in docs]
        return [(value,) for value in found] if single else found

    def _doc_default(self, name: str) -> Any:
        return self.field_doc(name, self.defaults.get(name))


def _when(value: datetime) -> str:
    return value.isoformat()


def _maybe(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


WHEN: Convert = (_when, datetime.fromisoformat)
MAYBE_WHEN: Convert = (_maybe(_when), _maybe(datetime.fromisoformat))
TUPLE: Convert = (list, tuple)
SET: Convert = (sorted, frozenset)


def packed(convert: Convert) -> Convert:
    """``convert``, with the value held in the document as JSON text (an older, unpacked one still reads).

    An attempt's items and answers are dozens of small lists and values: as one string each, a cold
    start parses and keeps 100,000 attempts with a tenth of the objects.
    """
    out, back = convert
    return (lambda value: orjson.dumps(out(value)).decode(), lambda text: back(_unpacked(text)))


def _unpacked(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str) else value
