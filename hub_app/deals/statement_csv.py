"""A commission statement as a CSV file: one row per line, then a total row per currency.

Text cells are neutralised as every export is (`hub_app.interchange.csv_exports.inert`, which this floor
cannot import): a deal id or a note starting with ``=`` opens as text in a spreadsheet, never as a
formula; amounts stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hub_app.deals.commissions import StatementView, statement_rows

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "period",
    "line",
    "deal",
    "earned_on",
    "deal_type",
    "tier",
    "rate_pct",
    "base",
    "amount",
    "currency",
    "reverses",
)


def _cell(value: object) -> str:
    if isinstance(value, Decimal):  # numbers stay numbers: a -600.00 reversal is not a formula
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def statement_csv(view: StatementView) -> str:
    """The statement's lines and its totals per currency, as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in statement_rows(view):
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    for currency, amount in view.totals.items():
        writer.writerow([_cell(v) for v in (view.period, "total", "", "", "", "", "", "", amount, currency, "")])
    return out.getvalue()
