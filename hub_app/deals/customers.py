"""The vendor's existing customers, matched by the conflict pre-check like active registrations.

They come two ways: a program admin or channel manager imports the vendor's direct customers from CSV
(every bad row reported at once as FILE:LINE: column: message, nothing written while any row is bad), and
a won deal's end customer becomes one. Phone numbers are kept as typed and matched in E.164 form
(`phonenumbers`, with the customer's country as the region for a number without a country code).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import phonenumbers

from hub_app.deals.records import CUSTOMERS, Customer, Deal
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Items, Lines, Message, Number
from hub_app.kernel.problems import ContentProblem
from hub_app.partners.permissions import is_program_admin, require
from hub_app.partners.records import CHANNEL_MANAGER, User
from hub_app.store.base import Store

COLUMNS = ("name", "website", "country", "phone", "contact_email")


class CustomersRejected(HubError):
    msgid = "Nothing was imported: {count} problem(s). Fix them and import again.\n{lines}"

    def __init__(self, problems: list[ContentProblem]):
        super().__init__(count=Number(len(problems)), lines=Lines(problems))
        self.problems = problems


def phone_key(phone: str, country: str) -> str:
    """The number in E.164 ("+6561234567"), or "" when it is not a possible phone number."""
    text = phone.strip()
    if not text:
        return ""
    code = country.strip().upper()
    region = code if code in phonenumbers.SUPPORTED_REGIONS else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def existing_customers(store: Store) -> list[Customer]:
    """Every existing customer, oldest first."""
    return store.select(CUSTOMERS)


def remember_won(store: Store, deal: Deal, now: datetime) -> None:
    """A won deal's end customer becomes an existing customer (once per deal)."""
    key = f"customer:{deal.id}"
    customer = Customer(
        new_id(),
        deal.customer,
        deal.website,
        deal.country,
        deal.contact_phone,
        deal.contact_email,
        "won_deal",
        now,
        deal.id,
        key,
    )
    store.append(CUSTOMERS, customer)


def import_customers_csv(actor: User, store: Store, name: str, text: str, now: datetime) -> list[Customer]:
    """Import name,website,country,phone,contact_email rows: all of them, or none (CustomersRejected)."""
    require(is_program_admin(actor) or actor.has_role(CHANNEL_MANAGER), actor, "import existing customers")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("name",) if c not in (reader.fieldnames or [])]
    if missing:
        said = Message(
            "missing column(s) {missing}; the first line must be {header}",
            missing=Items(missing),
            header=",".join(COLUMNS),
        )
        raise CustomersRejected([ContentProblem.of(name, 1, "header", said)])
    found: list[Customer] = []
    problems: list[ContentProblem] = []
    for row in reader:
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        row_problems = _row_problems(values)
        problems += [ContentProblem.of(name, reader.line_num, column, said) for column, said in row_problems]
        if not row_problems:
            cid = new_id()
            found.append(Customer(cid, source="direct", created=now, idempotency_key=f"customer:{cid}", **values))
    if not found and not problems:
        problems.append(ContentProblem.of(name, 1, "rows", Message("the file has no customers after its header")))
    if problems:
        raise CustomersRejected(problems)
    with store.transaction():
        for customer in found:
            store.append(CUSTOMERS, customer)
    return found


def _row_problems(values: dict[str, str]) -> list[tuple[str, Message]]:
    problems: list[tuple[str, Message]] = []
    if not values["name"]:
        problems.append(("name", Message("is empty; give the customer's company name")))
    if not (values["website"] or values["contact_email"] or values["phone"]):
        problems.append(("website", Message("give a website, a contact email or a phone number to match on")))
    if values["phone"] and not phone_key(values["phone"], values["country"]):
        problems.append(("phone", bad_phone(values["phone"])))
    email = values["contact_email"]
    if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1]):
        problems.append(("contact_email", Message("'{email}' is not an email address", email=email)))
    return problems


def bad_phone(phone: str) -> Message:
    """The problem of a phone number that is not one."""
    return Message("'{phone}' is not a phone number; write it with its country code, like +65 6123 4567", phone=phone)
