"""Tables generated from program.yml for the site (tiers, points, partner types): never typed by hand."""

from __future__ import annotations

import posixpath

from hub_app.catalog import Catalog
from hub_app.catalog.models import Program, Tier
from hub_app.kernel.i18n import fmt_number, t
from hub_app.publishing import hall_of_fame
from hub_app.publishing.joining import join_links, screening_tables


def _link(catalog: Catalog, course_id: str, lang: str, page_path: str) -> str:
    course = catalog.course(course_id)
    cert = course.certification
    name = cert.name.get(lang) if cert else course.title.get(lang)
    target = posixpath.relpath(f"courses/{course_id}/index.md", posixpath.dirname(page_path) or ".")
    return f"[{name}]({target})"


def _cert_cell(catalog: Catalog, tier: Tier, lang: str, page_path: str) -> str:
    reqs = tier.requirements.certifications
    if not reqs:
        return "—"
    parts = []
    for req in reqs:
        names = f" {t('or', lang)} ".join(_link(catalog, cid, lang, page_path) for cid in req.courses)
        parts.append(t("{people} × {names}", lang, people=req.people, names=names))
    return "<br>".join(parts)


def _money(value: float, program: Program, lang: str) -> str:
    return f"{fmt_number(value, lang)} {program.program.currency}" if value else "—"


def _pct(value: float) -> str:
    return f"{value:g} %" if value else "—"


def _allocation(program: Program, tier_id: str, lang: str) -> str:
    rule = program.funds.allocation.get(tier_id)
    if rule is None:
        return "—"
    if rule.fixed is not None:
        return t("{amount} per quarter", lang, amount=_money(rule.fixed, program, lang))
    return t(
        "{percent} % of last quarter's won revenue, at most {cap}",
        lang,
        percent=f"{rule.percent:g}",
        cap=_money(rule.cap or 0, program, lang),
    )


def tier_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """The tiers side by side: requirements, then benefits."""
    program = catalog.program
    tiers = program.tiers
    rows: list[tuple[str, list[str]]] = [
        (t("Certified people", lang), [_cert_cell(catalog, tier, lang, page_path) for tier in tiers]),
        (t("Revenue, trailing 12 months", lang), [_money(x.requirements.revenue_12m, program, lang) for x in tiers]),
        (t("Customers", lang), [str(x.requirements.customers or "—") for x in tiers]),
        (
            t("Customer satisfaction (CSAT, 1–5)", lang),
            [f"≥ {x.requirements.csat}" if x.requirements.csat else "—" for x in tiers],
        ),
        (t("Resale discount", lang), [f"{x.benefits.discount_pct:g} %" for x in tiers]),
        (t("Resale rebate", lang), [_pct(program.commissions.rate("resale", x.id)) for x in tiers]),
        (t("Referral commission", lang), [_pct(program.commissions.rate("referral", x.id)) for x in tiers]),
        (t("Market development funds", lang), [_allocation(program, x.id, lang) for x in tiers]),
        (t("Lead priority", lang), [t(x.benefits.lead_priority.capitalize(), lang) for x in tiers]),
        (t("Also included", lang), ["<br>".join(p.get(lang) for p in x.benefits.perks) or "—" for x in tiers]),
    ]
    head = "| | " + " | ".join(f"**{x.name.get(lang)}**" for x in tiers) + " |"
    lines = [head, "|---" * (len(tiers) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    review = program.tier_review
    lines += [
        "",
        t(
            "Tiers are reviewed every {months} months; a company that falls below its tier keeps it for "
            "{grace} days before a demotion is proposed.",
            lang,
            months=review.period_months,
            grace=review.demotion_grace_days,
        ),
    ]
    return "\n".join(lines)


_CAPS = {
    "month": "at most {count} per month",
    "quarter": "at most {count} per quarter",
    "year": "at most {count} per year",
}


def points_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """Every points rule with its award and cap."""
    lines = [f"| {t('Activity', lang)} | {t('Points', lang)} | {t('Limit', lang)} |", "|---|---:|---|"]
    for rule in catalog.program.points.rules:
        cap = t(_CAPS[rule.cap.window], lang, count=rule.cap.count) if rule.cap else "—"
        lines.append(f"| {rule.name.get(lang)} | {rule.points} | {cap} |")
    return "\n".join(lines)


def protection_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """Deal registration protection by tier, with the one extension (program.yml ``deals``)."""
    program = catalog.program
    rules = program.deals
    lines = [f"| {t('Your tier', lang)} | {t('Protection period', lang)} | {t('Extension', lang)} |", "|---|---|---|"]
    extension = t("One extension of {days} days", lang, days=rules.extension_days)
    for tier in program.tiers:
        days = t("{days} days", lang, days=rules.protection_days[tier.id])
        lines.append(f"| {tier.name.get(lang)} | {days} | {extension} |")
    return "\n".join(lines)


def commission_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """Commission rates by tier and deal type, on a won deal's final amount (program.yml ``commissions``)."""
    program = catalog.program
    rules = program.commissions
    lines = [
        f"| {t('Your tier', lang)} | {t('Resale rebate', lang)} | {t('Referral commission', lang)} |",
        "|---|---:|---:|",
    ]
    for tier in program.tiers:
        resale, referral = rules.rate("resale", tier.id), rules.rate("referral", tier.id)
        lines.append(f"| {tier.name.get(lang)} | {_pct(resale)} | {_pct(referral)} |")
    lines += [
        "",
        t(
            "Rates apply to a won deal's final amount at your tier on the close date. Statements close each "
            "quarter and are paid {days} days after a program admin approves them.",
            lang,
            days=rules.payout_days,
        ),
    ]
    return "\n".join(lines)


def mdf_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """The quarterly MDF allocation by tier, co-funding, expiry and claim window (program.yml ``funds``)."""
    program = catalog.program
    rules = program.funds
    lines = [f"| {t('Your tier', lang)} | {t('Allocation', lang)} |", "|---|---|"]
    lines += [f"| {tier.name.get(lang)} | {_allocation(program, tier.id, lang)} |" for tier in program.tiers]
    lines += [
        "",
        t(
            "Quillstack pays up to {share} % of an approved activity's cost; you pay the rest. Claim within "
            "{claim} days after the activity, with the proof of performance named at pre-approval (PDF, PNG, JPG "
            "or CSV, up to {mb} MB each). Funds neither paid, approved nor pending expire {expire} days after "
            "their quarter ends.",
            lang,
            share=rules.max_vendor_share_pct,
            claim=rules.claim_within_days,
            mb=rules.proof_max_mb,
            expire=rules.expire_after_days,
        ),
    ]
    return "\n".join(lines)


MARKERS = {
    "tier-table": tier_table,
    "points-table": points_table,
    "partner-types": screening_tables,
    "protection-table": protection_table,
    "awards-table": hall_of_fame.awards_table,
    "commission-table": commission_table,
    "mdf-table": mdf_table,
}


def expand_markers(markdown: str, catalog: Catalog, lang: str, page_path: str, app_url: str = "") -> str:
    """Replace each `<!-- hub:NAME -->` line with the table generated from program.yml (`<!-- hub:join-links -->`
    with links to the app at `app_url`)."""
    markdown = markdown.replace("<!-- hub:join-links -->", join_links(lang, app_url))
    for name, render in MARKERS.items():
        marker = f"<!-- hub:{name} -->"
        if marker in markdown:
            markdown = markdown.replace(marker, render(catalog, lang, page_path))
    return markdown
