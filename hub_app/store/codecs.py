"""Records <-> plain JSON documents, for stores that keep documents (the one place dicts meet records).

A document holds a record's fields by name. Datetimes become ISO strings with their offset, tuples and
frozensets become lists (frozensets sorted, so a document is stable), a drawn item becomes
``[item_id, item_version, option_order]``; an attempt's items, answers and domain scores are kept as
JSON text (`packed`). Fields holding their default are left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, TypeVar

import orjson

from hub_app.certification.records import Certificate
from hub_app.learning.records import Attempt, DrawnItem
from hub_app.partners.records import Company, User
from hub_app.recognition.records import LedgerEntry
from hub_app.tiers.records import KpiRecord, TierProposal

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


def _answer_back(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _answers_out(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


def _answers_back(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _answer_back(v) for k, v in answers.items()}


def _items_out(items: tuple[DrawnItem, ...]) -> list[list[Any]]:
    return [[d.item_id, d.item_version, list(d.option_order)] for d in items]


def _items_back(items: list[list[Any]]) -> tuple[DrawnItem, ...]:
    return tuple(DrawnItem(i, v, tuple(order)) for i, v, order in items)


COMPANY = Codec(Company, {"joined": WHEN, "industries": TUPLE})
USER = Codec(User, {"created": WHEN, "locked_until": MAYBE_WHEN, "roles": SET})
ATTEMPT = Codec(
    Attempt,
    {
        "started_at": WHEN,
        "deadline": WHEN,
        "submitted_at": MAYBE_WHEN,
        "items": packed((_items_out, _items_back)),
        "answers": packed((_answers_out, _answers_back)),
        "domain_scores": packed((dict, dict)),
    },
)
CERTIFICATE = Codec(
    Certificate, {"issued": WHEN, "expires": WHEN, "revoked_at": MAYBE_WHEN, "recertify_by": MAYBE_WHEN}
)
LEDGER = Codec(LedgerEntry, {"at": WHEN})


KPI = Codec(KpiRecord, {"recorded_at": WHEN})
PROPOSAL = Codec(TierProposal, {"created": WHEN, "decided_at": MAYBE_WHEN, "below_since": MAYBE_WHEN})


_POINTS = itemgetter("at", "user_id", "company_id", "points")


def ledger_points(docs: list[Doc]) -> list[tuple[str, str, str | None, int]]:
    """(at, user_id, company_id, points) of each ledger document, ``at`` left as the ISO text it is stored as."""
    try:
        return list(map(_POINTS, docs))  # in C: a cold start reads half a million
    except KeyError:  # a company_id holding its default (None) is left out of the document
        return [(doc["at"], doc["user_id"], doc.get("company_id"), doc["points"]) for doc in docs]
