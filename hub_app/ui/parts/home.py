"""The sections of the home page, each rendering part of `overview.Standing`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.i18n import t
from hub_app.tiers.evaluation import Gap
from hub_app.ui.views import overview
from hub_app.ui.web import nav
from hub_app.ui.words import fmt, labels
from hub_app.ui.words.markup import plain

EXAM = nav.PAGES_DIR / "exam.py"


def metrics(mine: overview.Standing, lang: str) -> None:
    """Points and rank this quarter, and valid certificates, side by side (stacked on a phone)."""
    valid = sum(1 for h in mine.certificates if h.status in ("active", "expiring"))
    # A horizontal container wraps instead of stacking, so on a phone the figures take one or two rows.
    with st.container(horizontal=True):
        st.metric(t("Points this quarter", lang), fmt.number(mine.points_quarter, lang), border=True)
        # The rank comes from hub_app.recognition.leaderboards; the Leaderboards page has the full boards.
        st.metric(t("My rank this quarter", lang), f"#{fmt.number(mine.rank, lang)}" if mine.rank else "—", border=True)
        st.metric(t("Valid certificates", lang), fmt.number(valid, lang), border=True)


def next_steps(mine: overview.Standing, catalog: Catalog, lang: str, tz: ZoneInfo) -> str | None:
    """Renewals due, exams in progress and recommended courses; returns the course whose Renew was pressed."""
    st.subheader(t("What to do next", lang))
    pressed = None
    for held in mine.renewals:
        course = held.course
        if course is None:
            continue
        name = course.certification.name.get(lang) if course.certification else course.id
        with st.container(border=True):
            when = fmt.day(held.certificate.expires, lang, tz)
            text = (
                t("{name} expires on {date}.", lang, name=name, date=when)
                if held.status == "expiring"
                else t("{name} expired on {date}.", lang, name=name, date=when)
            )
            st.markdown(f"{labels.certificate_status(held.status, lang)} {text}")
            if st.button(t("Renew", lang), key=f"renew-{course.id}", type="primary", icon=":material/autorenew:"):
                pressed = course.id
    for attempt, course in mine.in_progress:
        with st.container(border=True):
            st.markdown(
                labels.course_state("in_progress", lang)
                + " "
                + t(
                    "{course}: exam in progress, submit by {time}.",
                    lang,
                    course=course.title.get(lang),
                    time=fmt.moment(attempt.deadline, lang, tz),
                )
            )
            st.page_link(EXAM, label=t("Resume exam", lang), icon=":material/quiz:", query_params={"course": course.id})
    if mine.recommended:
        st.caption(t("Recommended for you: courses that help your company reach its next tier come first.", lang))
    for course in mine.recommended:
        with st.container(border=True):
            st.markdown(f"**{course.title.get(lang)}** · {labels.level(course.meta.level, lang)}")
            st.caption(course.meta.summary.get(lang))
            st.page_link(EXAM, label=t("Start exam", lang), icon=":material/quiz:", query_params={"course": course.id})
    if not (mine.renewals or mine.in_progress or mine.recommended):
        st.success(t("You are up to date: nothing to renew and no course waiting for you.", lang))
    return pressed


def tier(view: overview.TierView, catalog: Catalog, lang: str, tz: ZoneInfo, risk: str | None = None) -> None:
    """My company's tier, what it lacks for the next one, and any tier at risk before the review.

    `risk` replaces the anonymous at-risk warning (a partner admin is told whose certificate lapses)."""
    st.subheader(t("{company}: {tier} tier", lang, company=plain(view.company.name), tier=view.tier.name.get(lang)))
    if risk is not None:
        st.warning(risk)
    elif view.at_risk_on is not None:
        st.warning(
            t(
                "Your company's tier is at risk on {date}: a certificate lapses before the next review on "
                "{review}. Renew in time.",
                lang,
                date=fmt.day(view.at_risk_on, lang, tz),
                review=fmt.day(view.next_review, lang, tz),
            )
        )
    if view.target is None:
        st.success(t("Your company holds the highest tier.", lang))
        return
    needs = tier_needs(view, catalog, lang)
    target = view.target.name.get(lang)
    if view.below:
        st.error(
            t(
                "Your company no longer meets {tier}. Before the review on {review} it needs:",
                lang,
                tier=target,
                review=fmt.day(view.next_review, lang, tz),
            )
        )
    elif needs:
        st.markdown(t("To reach **{tier}**, your company needs:", lang, tier=target))
    else:
        st.success(
            t(
                "Your company meets every requirement of {tier}; it moves up at the review on {review}.",
                lang,
                tier=target,
                review=fmt.day(view.next_review, lang, tz),
            )
        )
    if needs:
        st.markdown("\n".join(f"- {n}" for n in needs))


def tier_needs(view: overview.TierView, catalog: Catalog, lang: str) -> list[str]:
    """What the company still lacks for its target tier, one line each, in `lang`."""
    gap, needs = view.gap, list[str]()
    if gap is None:
        return needs
    for requirement, have in gap.certifications:
        names = t(" or ", lang).join(_certification(catalog, c, lang) for c in requirement.courses)
        needs.append(
            t("people certified as {names}: {have} of {need}", lang, names=names, have=have, need=requirement.people)
        )
    if gap.revenue_short > 0:
        needs.append(
            t(
                "{amount} {currency} more revenue over the last 12 months",
                lang,
                amount=fmt.number(round(gap.revenue_short), lang),
                currency=catalog.program.program.currency,
            )
        )
    if gap.customers_short > 0:
        needs.append(t("{count} more customers", lang, count=gap.customers_short))
    needs += marketplace_needs(gap, lang)
    if gap.csat_needed is not None:
        needs.append(t("customer satisfaction of {needed} or more", lang, needed=fmt.number(gap.csat_needed, lang)))
    return needs


def marketplace_needs(gap: Gap, lang: str) -> list[str]:
    """The ISV and technology-partner track's shortfalls: Exchange listings, installs, joint customers."""
    wanted = (
        (gap.listings_short, "{count} more Exchange listings"),
        (gap.installs_short, "{count} more active installs"),
        (gap.joint_customers_short, "{count} more joint customers"),
    )
    return [t(msgid, lang, count=short) for short, msgid in wanted if short > 0]


def _certification(catalog: Catalog, course_id: str, lang: str) -> str:
    course = catalog.courses.get(course_id)
    return course.certification.name.get(lang) if course and course.certification else course_id


def certificates(mine: overview.Standing, lang: str, tz: ZoneInfo) -> None:
    """My certificates with status and expiry."""
    st.subheader(t("My certificates", lang))
    if not mine.certificates:
        st.caption(t("No certificates yet. Pass a certification exam to earn one.", lang))
        return
    for held in sorted(mine.certificates, key=lambda h: h.certificate.expires, reverse=True):
        course = held.course
        name = course.certification.name.get(lang) if course and course.certification else held.certificate.course_id
        st.markdown(
            f"{labels.certificate_status(held.status, lang)} **{name}** · "
            + t("valid until {date}", lang, date=fmt.day(held.certificate.expires, lang, tz))
        )
    st.page_link(
        nav.PAGES_DIR / "certificates.py",
        label=t("Codes and printable certificates", lang),
        icon=":material/workspace_premium:",
    )
