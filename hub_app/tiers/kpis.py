"""Company KPIs per quarter (trailing-12-month revenue, customers, CSAT): recorded by hand or imported.

Besides the required columns an import may carry OPTIONAL ones (empty or absent: 0): implemented and
influenced revenue (credited to SIs and consultancies) and Exchange listings, installs and joint customers
(the ISV and technology-partner track), as program.yml `tier_credit` says.

An import is all or nothing: every bad row is reported at once, as FILE:LINE: column: message, and
nothing is written while any row is bad.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hub_app.kernel import calendar
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Items, Lines, Message, Number
from hub_app.kernel.problems import ContentProblem
from hub_app.partners.companies import UnknownCompany
from hub_app.partners.permissions import administers_team, is_program_admin, manages, require
from hub_app.partners.records import CHANNEL_MANAGER, COMPANIES, Company, User
from hub_app.store.base import Store
from hub_app.tiers import records as tier_records
from hub_app.tiers.records import KpiRecord, record_kpi

COLUMNS = ("company_id", "period", "revenue_12m", "customers", "csat")
FIRST_YEAR = 2000
# float() also takes "1_000", "1e3", "inf" and digits of other scripts: a KPI number is plain ASCII digits.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
OPTIONAL_COLUMNS = ("implemented_revenue_12m", "influenced_revenue_12m", "listings", "installs", "joint_customers")


class InvalidKpi(HubError):
    """One bad KPI field: the column it is in and the problem (worded in any language)."""

    msgid = "{column}: {problem}"

    def __init__(self, column: str, problem: Message):
        super().__init__(column=column, problem=problem)
        self.column, self.problem = column, problem


class ImportRejected(HubError):
    msgid = "Nothing was imported: {count} problem(s). Fix them and import again.\n{lines}"

    def __init__(self, problems: list[ContentProblem]):
        super().__init__(count=Number(len(problems)), lines=Lines(problems))
        self.problems = problems


# --- validation ------------------------------------------------------------------------------------


def parse_period(text: str, now: datetime | None = None) -> str:
    """A quarter like '2026-Q3' (case and spaces forgiven), from 2000; with `now`, not after the current one."""
    period = text.strip().upper()
    if not period:
        raise InvalidKpi("period", Message("is empty; write the quarter like 2026-Q3"))
    match = calendar.QUARTER_LABEL.match(period)
    if not match:
        raise InvalidKpi("period", Message("'{text}' is not a quarter; write it like 2026-Q3", text=text))
    if int(match[1]) < FIRST_YEAR:
        raise InvalidKpi("period", Message("{period} is before {year}", period=period, year=str(FIRST_YEAR)))
    if now is not None:
        current = calendar.quarter_label(now)
        # The tier engine takes the latest quarter: a future one would win over every real one, for ever.
        if period > current:  # "YYYY-Qn" labels sort as the quarters do
            said = Message("{period} has not begun; the current quarter is {current}", period=period, current=current)
            raise InvalidKpi("period", said)
    return period


def parse_revenue(text: str | float) -> float:
    """Trailing-12-month revenue: a number of 0 or more."""
    value = _number("revenue_12m", text)
    if value < 0:
        raise InvalidKpi("revenue_12m", Message("must be 0 or more (got {text})", text=text))
    return value


def parse_customers(text: str | int) -> int:
    """Customers: a whole number of 0 or more."""
    return _count("customers", text)


def _count(column: str, text: str | int) -> int:
    value = _number(column, text)
    if value != int(value):
        raise InvalidKpi(column, Message("must be a whole number (got {text})", text=text))
    if value < 0:
        raise InvalidKpi(column, Message("must be 0 or more (got {text})", text=text))
    return int(value)


def _optional_amount(column: str) -> Callable[[Any], float]:
    def parse(text: str | float | None) -> float:
        if text is None or (isinstance(text, str) and not text.strip()):
            return 0.0
        value = _number(column, text)
        if value < 0:
            raise InvalidKpi(column, Message("must be 0 or more (got {text})", text=text))
        return value

    return parse


def _optional_count(column: str) -> Callable[[Any], int]:
    def parse(text: str | int | None) -> int:
        if text is None or (isinstance(text, str) and not text.strip()):
            return 0
        return _count(column, text)

    return parse


def parse_csat(text: str | float | None) -> float | None:
    """CSAT from 1 to 5; empty means not measured."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value = _number("csat", text)
    if not 1 <= value <= 5:
        raise InvalidKpi("csat", Message("must be between 1 and 5 (got {text})", text=text))
    return value


def _number(column: str, text: str | float) -> float:
    if isinstance(text, bool):
        raise InvalidKpi(column, Message("'{text}' is not a number", text=text))
    if isinstance(text, str) and not text.strip():
        raise InvalidKpi(column, Message("is empty; give a number"))
    if isinstance(text, str) and not _PLAIN_NUMBER.fullmatch(text.strip()):
        raise InvalidKpi(column, Message("'{text}' is not a number", text=text))
    try:
        value = float(text.strip()) if isinstance(text, str) else float(text)
    except ValueError:
        raise InvalidKpi(column, Message("'{text}' is not a number", text=text)) from None
    if not math.isfinite(value):
        raise InvalidKpi(column, Message("'{text}' is not a number", text=text))
    return value


# --- recording -------------------------------------------------------------------------------------


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "period": parse_period,
    "revenue_12m": parse_revenue,
    "customers": parse_customers,
    "csat": parse_csat,
}
_OPTIONAL_PARSERS: dict[str, Callable[[Any], Any]] = {
    "implemented_revenue_12m": _optional_amount("implemented_revenue_12m"),
    "influenced_revenue_12m": _optional_amount("influenced_revenue_12m"),
    "listings": _optional_count("listings"),
    "installs": _optional_count("installs"),
    "joint_customers": _optional_count("joint_customers"),
}


def field_problems(
    *,
    period: str,
    revenue_12m: str | float,
    customers: str | int,
    csat: str | float | None,
    now: datetime | None = None,
    **optional: Any,
) -> list[InvalidKpi]:
    """Every bad value of one company's KPIs at once, by column (empty when all of them are good).

    With `now`, a quarter after the current one is refused too (as `record_kpis` and the import do).
    `optional` takes the OPTIONAL_COLUMNS by name; one left out counts as 0."""
    values = {"period": period, "revenue_12m": revenue_12m, "customers": customers, "csat": csat, **optional}
    problems = []
    for column, parse in (_parsers(now) | _OPTIONAL_PARSERS).items():
        try:
            parse(values.get(column))
        except InvalidKpi as e:
            problems.append(e)
    return problems


def _parsers(now: datetime | None) -> dict[str, Callable[[Any], Any]]:
    return {**_PARSERS, "period": lambda text: parse_period(text, now)}


def optional_figures(**optional: Any) -> dict[str, Any]:
    """The OPTIONAL_COLUMNS parsed (0 for one not given); raises InvalidKpi on the first bad value."""
    unknown = set(optional) - set(_OPTIONAL_PARSERS)
    if unknown:
        raise TypeError(f"unknown KPI field(s): {', '.join(sorted(unknown))}")
    return {column: parse(optional.get(column)) for column, parse in _OPTIONAL_PARSERS.items()}


def record_kpis(
    actor: User,
    store: Store,
    company_id: str,
    *,
    period: str,
    revenue_12m: str | float,
    customers: str | int,
    csat: str | float | None,
    now: datetime,
    **optional: str | float | None,
) -> KpiRecord:
    """Record (or replace) a company's KPIs for a quarter: its channel manager or a program admin.

    `optional`: any of OPTIONAL_COLUMNS (implemented and influenced revenue, listings, installs, joint
    customers); one left out is 0."""
    company = store.get(COMPANIES, company_id)
    if company is None:
        raise UnknownCompany(company_id)
    require(manages(actor, company), actor, "record KPIs for {company}", company=company.name)
    kpi = KpiRecord(
        company_id,
        parse_period(period, now),
        parse_revenue(revenue_12m),
        parse_customers(customers),
        parse_csat(csat),
        actor.id,
        now,
        **optional_figures(**optional),
    )
    record_kpi(store, kpi)
    return kpi


def kpis_of(actor: User, store: Store, company_id: str) -> list[KpiRecord]:
    """A company's KPI records by period, for its manager, its partner admin or a program admin."""
    company = store.get(COMPANIES, company_id)
    if company is None:
        raise UnknownCompany(company_id)
    require(administers_team(actor, company), actor, "see the KPIs of {company}", company=company.name)
    return tier_records.kpis_of(store, company_id)


def latest_kpi(store: Store, company_id: str) -> KpiRecord | None:
    """The company's KPIs of its latest period, if any (no permission check: for the domain's own use)."""
    records = tier_records.kpis_of(store, company_id)
    return records[-1] if records else None


# --- import ----------------------------------------------------------------------------------------


def import_kpis_csv(
    actor: User,
    store: Store,
    path_or_text: Path | str | bytes,
    now: datetime,
    *,
    on_row: Callable[[int, int], None] | None = None,
    name: str | None = None,
) -> list[KpiRecord]:
    """Import company_id,period,revenue_12m,customers,csat rows (and any OPTIONAL_COLUMNS); all of them, or
    none with ImportRejected.

    A file (`Path`) or uploaded bytes must be UTF-8 (a BOM is fine); `name` is what problems call it
    (an upload's own file name, never a path on the server)."""
    require(is_program_admin(actor) or actor.has_role(CHANNEL_MANAGER), actor, "import KPIs")
    name, text = _source(path_or_text, name)
    records, problems = _parse(actor, store, name, text, now)
    if problems:
        raise ImportRejected(problems)
    with store.transaction():
        for i, kpi in enumerate(records, start=1):
            record_kpi(store, kpi)
            if on_row is not None:
                on_row(i, len(records))
    return records


def _source(path_or_text: Path | str | bytes, name: str | None) -> tuple[str, str]:
    if isinstance(path_or_text, str):
        return name or "<text>", path_or_text
    shown = name or ("<upload>" if isinstance(path_or_text, bytes) else str(path_or_text))
    try:
        data = path_or_text if isinstance(path_or_text, bytes) else path_or_text.read_bytes()
    except OSError as e:
        said = Message("cannot be read ({reason})", reason=e.strerror or type(e).__name__)
        raise ImportRejected([ContentProblem.of(shown, 1, "file", said)]) from e
    return shown, decoded(shown, data)


def decoded(name: str, data: bytes) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM), or ImportRejected saying where it is not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        said = Message("the file is UTF-16 text; save it as CSV (UTF-8) and import again")
        raise ImportRejected([ContentProblem.of(name, 1, "encoding", said)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        said = Message("byte {offset} is not UTF-8; save the file as CSV (UTF-8) and import again", offset=e.start)
        raise ImportRejected([ContentProblem.of(name, line, "encoding", said)]) from None


def _parse(
    actor: User, store: Store, name: str, text: str, now: datetime
) -> tuple[list[KpiRecord], list[ContentProblem]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _parse_rows(actor, store, name, reader, now)
    except csv.Error as e:  # a field over the csv module's limit, a NUL byte, an unclosed quote
        limit = csv.field_size_limit()
        if "field larger" in str(e):
            said = Message("a field is longer than {limit} characters", limit=Number(limit))
        else:
            said = Message("this line is not CSV ({reason})", reason=str(e))
        return [], [ContentProblem.of(name, reader.line_num + 1, "csv", said)]  # the line it failed to read


def _parse_rows(
    actor: User, store: Store, name: str, reader: csv.DictReader, now: datetime
) -> tuple[list[KpiRecord], list[ContentProblem]]:
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS and c not in OPTIONAL_COLUMNS]
    if missing or extra:
        columns = ",".join(COLUMNS)
        if missing:
            said = Message(
                "missing column(s) {missing}; the first line must be {header}", missing=Items(missing), header=columns
            )
        else:
            said = Message(
                "unknown column(s) {extra}; the first line must be {header}", extra=Items(extra), header=columns
            )
        return [], [ContentProblem.of(name, 1, "header", said)]
    records: list[KpiRecord] = []
    problems: list[ContentProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            said = Message("has more fields than the {count} columns", count=len(header))
            problems.append(ContentProblem.of(name, line, "row", said))
            continue
        kpi, row_problems = _parse_row(actor, store, row, now)
        problems += [ContentProblem.of(name, line, column, said) for column, said in row_problems]
        if kpi is not None:
            first = seen.setdefault((kpi.company_id, kpi.period), line)
            if first != line:
                said = Message("{period} is already given on line {first}", period=kpi.period, first=first)
                problems.append(ContentProblem.of(name, line, "period", said))
            records.append(kpi)
    return records, problems


def _company(actor: User, store: Store, id_or_name: str) -> Company | None:
    """The company by id, else the one of the actor's partners with that name (case ignored)."""
    found = store.get(COMPANIES, id_or_name)
    if found is not None:
        return found
    named = [c for c in store.select(COMPANIES) if c.name.casefold() == id_or_name.casefold() and manages(actor, c)]
    return named[0] if len(named) == 1 else None


def template(actor: User, store: Store, now: datetime) -> str:
    """A CSV to fill in: the header and one row per partner the actor manages, for the last closed quarter."""
    last = calendar.quarter_label(calendar.quarter_start(now) - timedelta(days=1))
    mine = sorted((c for c in store.select(COMPANIES) if c.active and manages(actor, c)), key=lambda c: c.name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for company in mine:
        writer.writerow([company.name, last, "", "", ""])
    return out.getvalue()


def _parse_row(
    actor: User, store: Store, row: dict, now: datetime
) -> tuple[KpiRecord | None, list[tuple[str, Message]]]:
    problems: list[tuple[str, Message]] = []
    company_id = (row.get("company_id") or "").strip()
    company = _company(actor, store, company_id) if company_id else None
    if company is not None:
        company_id = company.id
    if company is None:
        problems.append(("company_id", Message("no partner company '{company_id}'", company_id=company_id)))
    elif not manages(actor, company):
        problems.append(("company_id", Message("{company} is not one of your partners", company=company.name)))
    values = {column: row.get(column) or "" for column in (*_PARSERS, *_OPTIONAL_PARSERS)}
    problems += [(e.column, e.problem) for e in field_problems(**values, now=now)]
    if problems:
        return None, problems
    parsed = {column: parse(values[column]) for column, parse in (_parsers(now) | _OPTIONAL_PARSERS).items()}
    return KpiRecord(company_id, recorded_by=actor.id, recorded_at=now, **parsed), []
