"""Opaque record ids."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A fresh opaque record id."""
    return uuid.uuid4().hex
