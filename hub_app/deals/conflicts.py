"""The conflict pre-check: does this end customer overlap a registration already being decided or protected?

A customer is matched against active registrations and the vendor's existing customers
(`hub_app.deals.customers`) four ways, each a rule named in the channel manager's side-by-side view:
``domain`` (the registered domain of the website or of the contact's address, through the public-suffix
list bundled with tldextract: no network), ``email`` (a free-mail contact address, matched whole, since its
domain says nothing of the company) and ``name`` (the company name casefolded, punctuation and legal
suffixes stripped, compared with rapidfuzz's ratio against program.yml's threshold) and ``phone`` (the
contact's number in E.164 form, through phonenumbers). A rule that matches more records than program.yml's
``too_many_matches`` says nothing and is ignored (the count is kept).

What the partner is told names no partner: "already protected until <date>" or "possible overlap".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Literal

import tldextract
from rapidfuzz import fuzz

from hub_app.catalog.models import Deals as DealRules
from hub_app.deals.customers import Customer, existing_customers, phone_key
from hub_app.deals.records import Deal, active_deals
from hub_app.kernel.messages import Day, Message, Number, Term
from hub_app.store.base import Store

MatchRule = Literal["domain", "email", "name", "phone"]
RULES: tuple[MatchRule, ...] = ("domain", "email", "name", "phone")


@lru_cache(maxsize=1)
def _extract() -> tldextract.TLDExtract:
    # The bundled snapshot, offline; private suffixes too, so acme.github.io and globex.github.io differ.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def registered_domain(website: str) -> str:
    """The registrable domain of a URL, host or address ("https://shop.acme.co.uk/x" -> "acme.co.uk");
    "" when there is none."""
    host = website.strip().casefold().rsplit("@", 1)[-1]
    return _extract()(host).top_domain_under_public_suffix


def email_key(email: str, rules: DealRules) -> tuple[MatchRule, str] | None:
    """What a contact address matches on: the whole address for free mail, else its registered domain."""
    address = email.strip().casefold()
    if "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1]
    if domain in rules.free_mail_domains:
        return ("email", address)
    found = registered_domain(domain)
    return ("domain", found) if found else None


def clean_name(name: str, rules: DealRules) -> str:
    """The company name compared: NFKC, casefolded, punctuation gone, legal suffixes stripped from the end."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    suffixes = sorted(rules.legal_suffixes, key=len, reverse=True)
    changed = True
    while words and changed:
        changed = False
        if len(words) > 1 and words[-1] in suffixes:
            words.pop()
            changed = True
            continue
        for suffix in suffixes:  # CJK names carry their suffix without a space
            if not suffix.isascii() and words[-1].endswith(suffix) and len(words[-1]) > len(suffix):
                words[-1] = words[-1][: -len(suffix)]
                changed = True
                break
    return " ".join(words)


def keys_of(deal: Deal | Customer, rules: DealRules) -> dict[MatchRule, set[str]]:
    """The values a registration or an existing customer is matched on, by rule."""
    keys: dict[MatchRule, set[str]] = {rule: set() for rule in RULES}
    customer = deal.customer if isinstance(deal, Deal) else deal.name
    phone = deal.contact_phone if isinstance(deal, Deal) else deal.phone
    if domain := registered_domain(deal.website) if deal.website.strip() else "":
        keys["domain"].add(domain)
    if found := email_key(deal.contact_email, rules):
        keys[found[0]].add(found[1])
    if name := clean_name(customer, rules):
        keys["name"].add(name)
    if number := phone_key(phone, deal.country):
        keys["phone"].add(number)
    return keys


@dataclass(frozen=True)
class Overlap:
    """Another registration matching this one, and by which rule."""

    deal: Deal
    rule: MatchRule


@dataclass(frozen=True)
class Known:
    """An existing customer of the vendor matching this registration, and by which rule."""

    customer: Customer
    rule: MatchRule


@dataclass(frozen=True)
class Check:
    """The pre-check's findings: overlaps, existing customers, and rules ignored because they matched too
    many (with the count)."""

    overlaps: tuple[Overlap, ...]
    ignored: tuple[tuple[MatchRule, int], ...]
    customers: tuple[Known, ...] = ()


def _matches(rule: MatchRule, mine: set[str], theirs: set[str], threshold: int) -> bool:
    if rule != "name":
        return bool(mine & theirs)
    return any(fuzz.ratio(a, b) >= threshold for a in mine for b in theirs)


def check(store: Store, rules: DealRules, deal: Deal) -> Check:
    """Match ``deal``'s customer against every other active registration and every existing customer."""
    mine = keys_of(deal, rules)
    others: list[Deal | Customer] = [d for d in active_deals(store) if d.id != deal.id]
    others += existing_customers(store)
    found: dict[MatchRule, list[Deal | Customer]] = {rule: [] for rule in RULES}
    for other in others:
        theirs = keys_of(other, rules)
        for rule in found:
            if _matches(rule, mine[rule], theirs[rule], rules.name_match_threshold):
                found[rule].append(other)
    overlaps: list[Overlap] = []
    known: list[Known] = []
    ignored: list[tuple[MatchRule, int]] = []
    seen: set[str] = set()
    for rule, matched in found.items():
        if len(matched) > rules.too_many_matches:
            ignored.append((rule, len(matched)))
            continue
        for other in matched:
            if other.id in seen:
                continue
            seen.add(other.id)
            if isinstance(other, Deal):
                overlaps.append(Overlap(other, rule))
            else:
                known.append(Known(other, rule))
    return Check(tuple(overlaps), tuple(ignored), tuple(known))


def protected_until(found: Check, now: datetime) -> datetime | None:
    """The latest protection an overlapping approved registration holds after ``now`` (None: none)."""
    ends = [
        o.deal.protected_until
        for o in found.overlaps
        if o.deal.status == "approved" and o.deal.protected_until is not None and o.deal.protected_until > now
    ]
    return max(ends) if ends else None


def partner_notice(found: Check, now: datetime) -> list[Message]:
    """What the partner is told before submitting: never which partner, nor which registration."""
    notices: list[Message] = []
    until = protected_until(found, now)
    if until is not None:
        notices.append(Message("This customer is already protected until {day}.", day=Day(until)))
    elif found.overlaps:
        notices.append(Message("Possible overlap — a channel manager will decide."))
    elif found.customers:
        notices.append(Message("This looks like an existing customer — a channel manager will decide."))
    for rule, count in found.ignored:
        notices.append(
            Message(
                "Matching by {rule} was skipped: it matches {count} records, too many to say anything.",
                rule=RULE_WORDS[rule],
                count=Number(count),
            )
        )
    return notices


RULE_WORDS: dict[MatchRule, Term] = {
    "domain": Term("website domain"),
    "email": Term("contact email address"),
    "name": Term("company name"),
    "phone": Term("contact phone number"),
}
