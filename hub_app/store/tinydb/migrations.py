"""The hub's own schema steps: how the documents of the TinyDB store changed between versions.

The durable layer keeps the version and runs the steps (`hub_app.store.tinydb.schema`). A step works on
documents as stored, never on today's records, so it keeps working however the records change later.
Step 1 -> 2 packs an attempt's drawn items, answers and domain scores into JSON text (`codecs.packed`).
"""

from __future__ import annotations

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
