"""Awards in the app: the reader's own on home, a closed quarter's winners on the leaderboards page, and the
program admin's period close in the console (preview, then close)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.catalog.models import Program, Reward
from hub_app.deals import results
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import COMPANIES, USERS, User
from hub_app.publishing.hall_of_fame import TIE_RULE
from hub_app.recognition import awards
from hub_app.recognition.records import PERIODS_CLOSED, Award
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain


def award_name(program: Program, award_id: str, lang: str) -> str:
    """An award program's or leaderboard reward's name in ``lang`` (its id when program.yml dropped it)."""
    names = {a.id: a.name for a in program.awards.programs} | {r.id: r.name for r in program.awards.leaderboard_rewards}
    return names[award_id].get(lang) if award_id in names else award_id


def _measure(program: Program, award_id: str) -> str:
    return next((a.measure for a in program.awards.programs if a.id == award_id), "points")


def score_text(program: Program, award_id: str, score: Decimal, lang: str) -> str:
    """What the winner ranked on, as the reader reads it."""
    measure = _measure(program, award_id)
    if measure == "won_value":
        return f"{fmt.number(float(score), lang)} {program.program.currency}"
    if measure == "partner_score":
        return t("{score} of 100", lang, score=f"{float(score):g}")
    return t("{points} points", lang, points=fmt.number(float(score), lang))


def reward_text(program: Program, reward: Reward, lang: str) -> str:
    """Points, an MDF bonus and a badge, as far as the reward has them."""
    parts = []
    if reward.points:
        parts.append(t("{points} points", lang, points=fmt.number(reward.points, lang)))
    if reward.mdf:
        amount = f"{fmt.number(reward.mdf, lang)} {program.program.currency}"
        parts.append(t("{amount} MDF bonus", lang, amount=amount))
    if reward.badge:
        parts.append(t("a badge", lang))
    return (", " if lang == "en" else "、").join(parts) or "—"


def _reward_of(award: Award) -> Reward:
    return Reward(points=award.points, mdf=int(award.mdf), badge=award.badge or None)


def _place(award: Award, program: Program, lang: str) -> str:
    name = award_name(program, award.award_id, lang)
    return name if award.kind == "award" else t("{award}: place {place}", lang, award=name, place=award.place)


def home_awards(user: User, catalog: Catalog, lang: str) -> None:
    """The reader's awards and their company's, newest first (nothing when there are none)."""
    found = awards.awards_seen_by(user, context.store())
    if not found:
        return
    program = catalog.program
    st.subheader(t("My awards", lang))
    for award in found[:6]:
        whose = t("your company", lang) if award.user_id is None else t("you", lang)
        with st.container(border=True):
            st.markdown(f":material/emoji_events: **{_place(award, program, lang)}** · {award.period}")
            st.caption(
                t(
                    "Won by {whose} with {score}. Reward: {reward}.",
                    lang,
                    whose=whose,
                    score=score_text(program, award.award_id, award.score, lang),
                    reward=reward_text(program, _reward_of(award), lang),
                )
            )


def leaderboard_winners(user: User, catalog: Catalog, lang: str) -> None:
    """The latest closed quarter's winners, under the boards."""
    store = context.store()
    period = awards.latest_period(store)
    if period is None:
        return
    program = catalog.program
    rows = []
    for shown in awards.winners_seen_by(user, store, period):
        a = shown.award
        who = " · ".join(plain(x) for x in (shown.person, shown.company) if x) or t("Anonymous", lang)
        rows.append(
            {
                t("Award", lang): award_name(program, a.award_id, lang),
                t("Place", lang): fmt.number(a.place, lang),
                t("Winner", lang): ("★ " if shown.you else "") + who,
                t("Score", lang): score_text(program, a.award_id, a.score, lang),
                t("Reward", lang): reward_text(program, _reward_of(a), lang),
            }
        )
    st.subheader(t("Winners of {period}", lang, period=period))
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="lb_winners", column_config=_widths(lang))
    st.caption(t(TIE_RULE, lang))


def _widths(lang: str) -> dict[str, Any]:
    """The place stays narrow; the other columns size to their text."""
    return {t("Place", lang): st.column_config.TextColumn(width="small")}


# --- console: period close ------------------------------------------------------------------------


def _periods(program: Program, now: datetime) -> list[str]:
    last = awards.last_finished(program, now)
    found = [last]
    for _ in range(5):
        found.append(awards.previous_period(program, found[-1]))
    return found


def _closing_table(closing: awards.Closing, catalog: Catalog, lang: str) -> pd.DataFrame:
    store, program = context.store(), catalog.program
    rows = []
    for result in closing.results:
        name = result.name.get(lang)
        if not result.winners:
            rows.append({t("Award", lang): name, t("Place", lang): "—", t("Winner", lang): t("Nobody scored", lang)})
        for w in result.winners:
            user = store.get(USERS, w.user_id) if w.user_id else None
            company = store.get(COMPANIES, w.company_id) if w.company_id else None
            who = " · ".join(x for x in (user.display_name if user else "", company.name if company else "") if x)
            rows.append(
                {
                    t("Award", lang): name,
                    t("Place", lang): fmt.number(w.place, lang),
                    t("Winner", lang): who,
                    t("Score", lang): score_text(program, result.award_id, w.score, lang),
                    t("Reward", lang): reward_text(program, w.reward, lang),
                }
            )
    return pd.DataFrame(rows)


def period_close_section(user: User, catalog: Catalog, lang: str) -> None:
    """Pick a finished quarter, preview its winners, then close it (a program admin; once per quarter)."""
    store, program, now = context.store(), catalog.program, context.now()
    st.subheader(t("Close a quarter", lang))
    st.caption(t("Closing a quarter records its awards and credits their points; it is done once.", lang))
    period = st.selectbox(t("Quarter", lang), _periods(program, now), key="awards_period")
    left, right = st.columns(2)
    previewed = left.button(t("Preview the winners", lang), key="awards_preview", icon=":material/visibility:")
    closed = right.button(t("Close the quarter", lang), key="awards_close", type="primary", icon=":material/lock:")
    if not (previewed or closed):
        done = store.get(PERIODS_CLOSED, period)
        if done is not None:
            st.info(
                t(
                    "{period} was closed on {date}.",
                    lang,
                    period=period,
                    date=fmt.day(done.closed_at, lang, session.timezone()),
                )
            )
        return
    try:
        facts = results.period_facts(store, program, period)
        run = awards.close_period if closed else awards.preview
        closing = run(user, store, program, period, facts, now)
    except HubError as e:
        shown_error(e, lang)
        return
    if closing.already:
        st.info(t("{period} was already closed: nothing changed.", lang, period=period))
    elif closing.closed is not None and closed:
        st.success(
            t("{period} is closed: {count} award(s) recorded.", lang, period=period, count=closing.closed.awards)
        )
    elif closing.closed is None:
        st.info(t("A preview: nothing is recorded until you close the quarter.", lang))
    else:
        when = fmt.day(closing.closed.closed_at, lang, session.timezone())
        st.info(t("{period} was closed on {date}.", lang, period=period, date=when))
    for currency in closing.unconverted:
        st.warning(
            t("Won deals in {currency} are left out: program.yml has no exchange rate for it.", lang, currency=currency)
        )
    st.dataframe(
        _closing_table(closing, catalog, lang), hide_index=True, key="awards_table", column_config=_widths(lang)
    )
    st.caption(t(TIE_RULE, lang))
