"""Company KPIs per quarter (trailing-12-month revenue, customers, CSAT): recorded by hand or imported.

An import is all or nothing: every bad row is reported at once, as FILE:LINE: column: message, and
nothing is written while any row is bad.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_app.kernel.errors import HubError
from hub_app.kernel.problems import ContentProblem
from hub_app.partners.permissions import administers_team, is_program_admin, manages, require
from hub_app.partners.records import CHANNEL_MANAGER, User
from hub_app.store.base import HubStore
from hub_app.tiers.records import KpiRecord

COLUMNS = ("company_id", "period", "revenue_12m", "customers", "csat")
PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class InvalidKpi(HubError):
    def __init__(self, column: str, message: str):
        super().__init__(f"{column}: {message}")
        self.column, self.problem = column, message


class ImportRejected(HubError):
    def __init__(self, problems: list[ContentProblem]):
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"Nothing was imported: {len(problems)} problem(s). Fix them and import again.\n{lines}")
        self.problems = problems


class UnknownCompanyId(HubError):
    def __init__(self, company_id: str):
        super().__init__(f"No partner company '{company_id}'. Use the id from the partner list or export.")
        self.company_id = company_id


# --- validation ------------------------------------------------------------------------------------


FIRST_YEAR = 2000


def parse_period(text: str, now: datetime | None = None) -> str:
    """A quarter like '2026-Q3' (case and spaces forgiven); with ``now``, not after the current quarter."""
    period = text.strip().upper()
    if not period:
        raise InvalidKpi("period", "is empty; write the quarter like 2026-Q3")
    match = PERIOD.match(period)
    if not match:
        raise InvalidKpi("period", f"'{text}' is not a quarter; write it like 2026-Q3")
    if int(match[1]) < FIRST_YEAR:
        raise InvalidKpi("period", f"{period} is before {FIRST_YEAR}")
    if now is not None:
        current = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
        # The tier engine takes the latest quarter: a future one would win over every real one.
        if (int(match[1]), int(match[2])) > (now.year, (now.month - 1) // 3 + 1):
            raise InvalidKpi("period", f"{period} has not begun; the current quarter is {current}")
    return period


def parse_revenue(text: str | float) -> float:
    """Trailing-12-month revenue: a number of 0 or more."""
    value = _number("revenue_12m", text)
    if value < 0:
        raise InvalidKpi("revenue_12m", f"must be 0 or more (got {text})")
    return value


def parse_customers(text: str | int) -> int:
    """Customers: a whole number of 0 or more."""
    value = _number("customers", text)
    if value != int(value):
        raise InvalidKpi("customers", f"must be a whole number (got {text})")
    if value < 0:
        raise InvalidKpi("customers", f"must be 0 or more (got {text})")
    return int(value)


def parse_csat(text: str | float | None) -> float | None:
    """CSAT from 1 to 5; empty means not measured."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value = _number("csat", text)
    if not 1 <= value <= 5:
        raise InvalidKpi("csat", f"must be between 1 and 5 (got {text})")
    return value


def _number(column: str, text: str | float) -> float:
    if isinstance(text, bool):
        raise InvalidKpi(column, f"'{text}' is not a number")
    if isinstance(text, str) and not text.strip():
        raise InvalidKpi(column, "is empty; give a number")
    # float() also takes "1_000", "1e3", "inf" and digits of other scripts: a CSV number is plain ASCII.
    if isinstance(text, str) and not _PLAIN_NUMBER.fullmatch(text.strip()):
        raise InvalidKpi(column, f"'{text}' is not a number")
    try:
        value = float(text.strip()) if isinstance(text, str) else float(text)
    except ValueError:
        raise InvalidKpi(column, f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise InvalidKpi(column, f"'{text}' is not a number")
    return value


# --- recording -------------------------------------------------------------------------------------


def record_kpis(
    actor: User,
    store: HubStore,
    company_id: str,
    *,
    period: str,
    revenue_12m: str | float,
    customers: str | int,
    csat: str | float | None,
    now: datetime,
) -> KpiRecord:
    """Record (or replace) a company's KPIs for a quarter: its channel manager or a program admin."""
    company = store.company(company_id)
    if company is None:
        raise UnknownCompanyId(company_id)
    require(manages(actor, company), actor, f"record KPIs for {company.name}")
    kpi = KpiRecord(company_id, parse_period(period, now), parse_revenue(revenue_12m), parse_customers(customers),
                    parse_csat(csat), actor.id, now)  # fmt: skip
    store.record_kpi(kpi)
    return kpi


def kpis_of(actor: User, store: HubStore, company_id: str) -> list[KpiRecord]:
    """A company's KPI records by period, for its manager, its partner admin or a program admin."""
    company = store.company(company_id)
    if company is None:
        raise UnknownCompanyId(company_id)
    require(administers_team(actor, company), actor, f"see the KPIs of {company.name}")
    return store.kpis_of(company_id)


def latest_kpi(store: HubStore, company_id: str) -> KpiRecord | None:
    """The company's KPIs of its latest period, if any (no permission check: for the domain's own use)."""
    records = store.kpis_of(company_id)
    return records[-1] if records else None


# --- import ----------------------------------------------------------------------------------------


def import_kpis_csv(
    actor: User,
    store: HubStore,
    path_or_text: Path | str | bytes,
    now: datetime,
    *,
    on_row: Callable[[int, int], None] | None = None,
) -> list[KpiRecord]:
    """Import company_id,period,revenue_12m,customers,csat rows; all of them, or none with ImportRejected."""
    require(is_program_admin(actor) or actor.has_role(CHANNEL_MANAGER), actor, "import KPIs")
    name, text = _source(path_or_text)
    records, problems = _parse(actor, store, name, text, now)
    if problems:
        raise ImportRejected(problems)
    with store.transaction():
        for i, kpi in enumerate(records, start=1):
            store.record_kpi(kpi)
            if on_row is not None:
                on_row(i, len(records))
    return records


def _source(path_or_text: Path | str | bytes) -> tuple[str, str]:
    if isinstance(path_or_text, str):
        return "<text>", path_or_text
    name = "<upload>" if isinstance(path_or_text, bytes) else str(path_or_text)
    try:
        data = path_or_text if isinstance(path_or_text, bytes) else path_or_text.read_bytes()
    except OSError as e:
        raise ImportRejected([ContentProblem(name, 1, "file", e.strerror or str(e))]) from e
    return name, decoded(name, data)


def decoded(name: str, data: bytes) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM), or ImportRejected saying where it is not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problem = "the file is UTF-16 text; save it as CSV (UTF-8) and import again"
        raise ImportRejected([ContentProblem(name, 1, "encoding", problem)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problem = f"byte {e.start} is not UTF-8; save the file as CSV (UTF-8) and import again"
        raise ImportRejected([ContentProblem(name, line, "encoding", problem)]) from None


def _parse(
    actor: User, store: HubStore, name: str, text: str, now: datetime
) -> tuple[list[KpiRecord], list[ContentProblem]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _parse_rows(actor, store, name, reader, now)
    except csv.Error as e:  # a field over the csv module's limit, a NUL byte, an unclosed quote
        limit = csv.field_size_limit()
        problem = f"a field is longer than {limit} characters" if "field larger" in str(e) else f"not CSV ({e})"
        return [], [ContentProblem(name, reader.line_num + 1, "csv", problem)]  # the line it failed to read


def _parse_rows(
    actor: User, store: HubStore, name: str, reader: csv.DictReader, now: datetime
) -> tuple[list[KpiRecord], list[ContentProblem]]:
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra:
        what = f"missing column(s) {', '.join(missing)}" if missing else f"unknown column(s) {', '.join(extra)}"
        return [], [ContentProblem(name, 1, "header", f"{what}; the first line must be {','.join(COLUMNS)}")]
    records: list[KpiRecord] = []
    problems: list[ContentProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(ContentProblem(name, line, "row", f"has more fields than the {len(COLUMNS)} columns"))
            continue
        kpi, row_problems = _parse_row(actor, store, row, now)
        problems += [ContentProblem(name, line, column, message) for column, message in row_problems]
        if kpi is not None:
            first = seen.setdefault((kpi.company_id, kpi.period), line)
            if first != line:
                problems.append(ContentProblem(name, line, "period", f"{kpi.period} is already given on line {first}"))
            records.append(kpi)
    return records, problems


def _parse_row(
    actor: User, store: HubStore, row: dict, now: datetime
) -> tuple[KpiRecord | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    company_id = (row.get("company_id") or "").strip()
    company = store.company(company_id) if company_id else None
    if company is None:
        problems.append(("company_id", f"no partner company '{company_id}'"))
    elif not manages(actor, company):
        problems.append(("company_id", f"{company.name} is not one of your partners"))
    values: dict[str, Any] = {}
    for column, parse in (("period", lambda text: parse_period(text, now)), ("revenue_12m", parse_revenue),
                          ("customers", parse_customers), ("csat", parse_csat)):  # fmt: skip
        try:
            values[column] = parse(row.get(column) or "")
        except InvalidKpi as e:
            problems.append((e.column, e.problem))
    if problems:
        return None, problems
    return KpiRecord(company_id, recorded_by=actor.id, recorded_at=now, **values), []
