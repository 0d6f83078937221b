"""Tables generated from program.yml for the site (tiers, points, partner types): never typed by hand."""

from __future__ import annotations

import posixpath

from hub_app.catalog import Catalog
from hub_app.catalog.models import Program, Tier
from hub_app.kernel.i18n import fmt_list, fmt_number, t
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
        part = t("{people} × {names}", lang, people=req.people, names=names)
        if req.partner_types:
            kinds = fmt_list(_type_names(catalog.program, req.partner_types, lang), lang)
            part += " " + t("({types})", lang, types=kinds)
        parts.append(part)
    return "<br>".join(parts)


def _type_names(program: Program, ids: list[str], lang: str) -> list[str]:
    return [program.partner_type(i).name.get(lang) for i in ids]


def _marketplace_cell(tier: Tier, lang: str) -> str:
    need = tier.requirements.marketplace
    if need is None:
        return "—"
    return "<br>".join(
        [
            t("{count} Exchange listing(s)", lang, count=need.listings),
            t("{count} active installs", lang, count=fmt_number(need.installs, lang)),
            t("{count} joint customers", lang, count=need.joint_customers),
        ]
    )


def _protection_cell(program: Program, tier: Tier, lang: str) -> str:
    days = program.deals.protection_days[tier.id]
    return t("{days} days, one {extension}-day extension", lang, days=days, extension=program.deals.extension_days)


def _vouchers_cell(tier: Tier, lang: str) -> str:
    count = tier.benefits.exam_vouchers_per_quarter
    return t("{count} per quarter", lang, count=count) if count else "—"


def _perks_cell(program: Program, index: int, lang: str) -> str:
    """A tier's perks, cumulative: 'Everything in Silver, plus' then what this tier adds."""
    own = [p.get(lang) for p in program.tiers[index].benefits.perks]
    if index == 0:
        return "<br>".join(f"• {p}" for p in own) or "—"
    below = program.tiers[index - 1].name.get(lang)
    return "<br>".join([f"*{t('Everything in {tier}, plus:', lang, tier=below)}*", *(f"• {p}" for p in own)])


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
    """The benefits matrix: what each tier gives (cumulative), then what it takes, tiers side by side."""
    program = catalog.program
    tiers = program.tiers
    on_marketplace = fmt_list(_type_names(program, program.tier_credit.marketplace_partner_types, lang), lang)
    benefits: list[tuple[str, list[str]]] = [
        (t("Resale discount", lang), [f"{x.benefits.discount_pct:g} %" for x in tiers]),
        (t("Resale rebate", lang), [_pct(program.commissions.rate("resale", x.id)) for x in tiers]),
        (t("Referral commission", lang), [_pct(program.commissions.rate("referral", x.id)) for x in tiers]),
        (t("Market development funds", lang), [_allocation(program, x.id, lang) for x in tiers]),
        (t("Deal registration protection", lang), [_protection_cell(program, x, lang) for x in tiers]),
        (t("Lead priority", lang), [t(x.benefits.lead_priority.capitalize(), lang) for x in tiers]),
        (t("Certification exam vouchers", lang), [_vouchers_cell(x, lang) for x in tiers]),
        (t("Also included", lang), [_perks_cell(program, i, lang) for i in range(len(tiers))]),
    ]
    requirements: list[tuple[str, list[str]]] = [
        (t("Certified people", lang), [_cert_cell(catalog, tier, lang, page_path) for tier in tiers]),
        (t("Revenue, trailing 12 months", lang), [_money(x.requirements.revenue_12m, program, lang) for x in tiers]),
        (t("Customers", lang), [str(x.requirements.customers or "—") for x in tiers]),
        (
            t("Or, for {types}: instead of revenue and customers", lang, types=on_marketplace),
            [_marketplace_cell(x, lang) for x in tiers],
        ),
        (
            t("Customer satisfaction (CSAT, 1–5)", lang),
            [f"≥ {x.requirements.csat}" if x.requirements.csat else "—" for x in tiers],
        ),
    ]
    if not program.tier_credit.marketplace_partner_types:
        requirements = [row for i, row in enumerate(requirements) if i != 3]
    head = "| | " + " | ".join(f"**{x.name.get(lang)}**" for x in tiers) + " |"
    lines = [head, "|---" * (len(tiers) + 1) + "|"]
    lines.append(f"| **{t('What you get', lang)}** |" + " |" * len(tiers))
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in benefits]
    lines.append(f"| **{t('What it takes', lang)}** |" + " |" * len(tiers))
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in requirements]
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


def exam_fees_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """What a certification exam attempt costs by level, and the vouchers each tier receives."""
    program = catalog.program
    fees = program.exams.fee_usd
    lines = [f"| {t('Exam level', lang)} | {t('Fee per attempt', lang)} |", "|---|---|"]
    for level in ("foundation", "professional", "expert"):
        fee = fees.get(level, 0)
        lines.append(f"| {t(level.capitalize(), lang)} | {_money(fee, program, lang) if fee else t('Free', lang)} |")
    lines += ["", f"| {t('Your tier', lang)} | {t('Certification exam vouchers', lang)} |", "|---|---|"]
    lines += [f"| {x.name.get(lang)} | {_vouchers_cell(x, lang)} |" for x in program.tiers]
    lines += [
        "",
        t(
            "A voucher pays one attempt at any certification exam and is valid for {days} days. "
            "Practice exams are always free.",
            lang,
            days=program.exams.voucher_validity_days,
        ),
    ]
    return "\n".join(lines)


def revenue_credit_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """Which revenue counts towards a tier, by partner type (program.yml ``tier_credit``)."""
    program = catalog.program
    credit = program.tier_credit
    head = f"| {t('Partner type', lang)} | {t('Resold and referred', lang)} | "
    head += f"{t('Implemented', lang)} | {t('Influenced', lang)} | {t('Exchange track', lang)} |"
    lines = [head, "|---|---:|---:|---:|---|"]
    for pt in program.partner_types:
        cells = [
            "100 %",
            *(
                f"{share.credit_pct} %" if pt.id in share.partner_types else "—"
                for share in (credit.implemented_revenue, credit.influenced_revenue)
            ),
            t("Yes", lang) if pt.id in credit.marketplace_partner_types else "—",
        ]
        lines.append(f"| {pt.name.get(lang)} | " + " | ".join(cells) + " |")
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
    "exam-fees": exam_fees_table,
    "revenue-credit": revenue_credit_table,
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
