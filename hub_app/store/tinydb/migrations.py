"""The hub's own schema steps: how the documents of the TinyDB store changed between versions.

The durable layer keeps the version and runs the steps (`hub_app.store.tinydb.schema`); the steps live here
because only the store knows what its documents hold. Step 1 -> 2 packs an attempt's drawn items,
answers and domain scores into JSON text (see `codecs.packed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub_app.store import codecs
from hub_app.store.tinydb.schema import Migrations

if TYPE_CHECKING:
    from hub_app.store.tinydb.durable import DurableDB

HUB_MIGRATIONS = Migrations()


@HUB_MIGRATIONS.register(1)
def _pack_attempts(db: DurableDB) -> None:
    storage = db.storage
    attempts: dict[str, dict[str, Any]] = storage.tables.get("attempts", {})
    ops = [["set", "attempts", int(key), codecs.ATTEMPT.to_doc(codecs.ATTEMPT.from_doc(doc))]
           for key, doc in attempts.items()]  # fmt: skip
    storage.stage(ops)
