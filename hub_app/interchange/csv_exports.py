"""Exports: partners, certificates and the points ledger as CSV files, for spreadsheets and audits."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.partners.permissions import is_program_admin, require
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.recognition.records import LedgerEntry, ledger
from hub_app.store.base import Store

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):  # numbers stay numbers: -25 points is not a formula
        return str(value)
    if isinstance(value, tuple | frozenset | list):
        return inert(";".join(str(v) for v in value))
    return inert(str(value))


def inert(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(path: Path, kind: type, records: Iterable[object]) -> int:
    """Write records of a dataclass `kind` to `path`, one column per field; the number of rows."""
    names = [f.name for f in fields(kind)]
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        for record in records:
            writer.writerow([_cell(getattr(record, n)) for n in names])
            count += 1
    return count


def export_all(actor: User, store: Store, directory: Path) -> dict[str, int]:
    """partners.csv, certificates.csv and ledger.csv into `directory` (program admins); rows per file."""
    require(is_program_admin(actor), actor, "export the hub's data")
    directory.mkdir(parents=True, exist_ok=True)
    tables: list[tuple[str, type, Iterable[Any]]] = [
        ("partners.csv", Company, store.select(COMPANIES)),
        ("certificates.csv", Certificate, store.select(CERTIFICATES)),
        ("ledger.csv", LedgerEntry, ledger(store)),
    ]
    return {name: write_csv(directory / name, kind, rows) for name, kind, rows in tables}
