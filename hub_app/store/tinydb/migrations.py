"""The hub's own schema steps: how the documents of the TinyDB store changed between versions.

The durable layer keeps the version and runs the steps (`hub_app.store.tinydb.schema`). A step works on
documents as stored, never on today's records, so it keeps working however the records change later.
Step 1 -> 2 packs an attempt's drawn items, answers and domain scores into JSON text (`codecs.packed`).
Step 2 -> 3 turns a tier proposal's English `reason` sentence into the facts it was written from
(`below_since`, `grace_days`, the decider's `note`); the words are chosen when the proposal is shown.
Step 3 -> 4 stores a company's and an application's region as a code ("Greater China" -> "china").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from hub_app.store.tinydb.schema import Migrations

if TYPE_CHECKING:
    from hub_app.store.tinydb.durable import DurableDB

HUB_MIGRATIONS = Migrations()
_PACKED = ("items", "answers", "domain_scores")


@HUB_MIGRATIONS.register(1)
def _pack_attempts(db: DurableDB) -> None:
    storage = db.storage
    attempts: dict[str, dict[str, Any]] = storage.tables.get("attempts", {})
    storage.stage([["set", "attempts", int(key), _packed(doc)] for key, doc in attempts.items()])


def _packed(doc: dict[str, Any]) -> dict[str, Any]:
    # Schema 1 held these fields as JSON values, in the same shape the packed text holds them.
    packed = {n: orjson.dumps(doc[n]).decode() for n in _PACKED if n in doc and not isinstance(doc[n], str)}
    return {**doc, **packed}


# The sentences tiers.reviews wrote before proposals kept facts (schema 2), a rejection's note appended.
_DEMOTED = re.compile(r"^Below .* since (\d{4}-\d{2}-\d{2}) \(\d+ days; the grace period is (\d+) days\)\.")
_PROMOTED = re.compile(r"^Meets every requirement of .* \(evaluated \d{4}-\d{2}-\d{2}\)\.")
_REJECTED = " Rejected: "


def proposal_facts(doc: dict[str, Any]) -> dict[str, Any]:
    """A schema-2 proposal document with its `reason` sentence turned into facts."""
    new = {k: v for k, v in doc.items() if k != "reason"}
    reason = str(doc.get("reason", ""))
    said, _, note = reason.partition(_REJECTED)
    demoted = _DEMOTED.match(said)
    if demoted is not None:
        since = datetime.strptime(demoted.group(1), "%Y-%m-%d").replace(tzinfo=UTC)
        new["below_since"], new["grace_days"] = since.isoformat(), int(demoted.group(2))
    elif _PROMOTED.match(said) is None and reason:
        note = reason  # not a sentence the hub wrote: keep it whole, as a note
    if note:
        new["note"] = note
    return new


@HUB_MIGRATIONS.register(2)
def _proposal_facts(db: DurableDB) -> None:
    storage = db.storage
    proposals: dict[str, dict[str, Any]] = storage.tables.get("proposals", {})
    ops = [["set", "proposals", int(key), proposal_facts(doc)] for key, doc in proposals.items() if "reason" in doc]
    storage.stage(ops)


# The region names the first version stored, by the code that replaces them (as partners.regions had it
# when this step was written: a step never follows later changes).
_REGION_CODES = {
    "apac": "apac",
    "asia pacific": "apac",
    "greater china": "china",
    "china": "china",
    "emea": "emea",
    "europe, middle east and africa": "emea",
    "americas": "amer",
    "amer": "amer",
    "north america": "na",
    "latin america": "latam",
}


def region_coded(doc: dict[str, Any]) -> dict[str, Any]:
    """A document whose `region` name is replaced by its code (unknown text stays as it is)."""
    region = doc.get("region")
    code = _REGION_CODES.get(region.strip().casefold()) if isinstance(region, str) else None
    return doc if code is None or code == region else {**doc, "region": code}


@HUB_MIGRATIONS.register(3)
def _region_codes(db: DurableDB) -> None:
    storage = db.storage
    ops = []
    for table in ("companies", "applications"):
        docs: dict[str, dict[str, Any]] = storage.tables.get(table, {})
        ops += [["set", table, int(key), region_coded(doc)] for key, doc in docs.items() if region_coded(doc) != doc]
    storage.stage(ops)
