"""The sections of the leaderboards page: filters, a board as a table with my row marked, my points chart,
and my opt-out switch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st
from babel.dates import format_skeleton

from hub_app.catalog.models import Program
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import companies as partners
from hub_app.partners.records import COMPANIES, USERS, User
from hub_app.partners.regions import region_code
from hub_app.recognition import leaderboards
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.messages import error_text

HIGHLIGHT = "background-color: rgba(255, 189, 69, 0.35); font-weight: 600"
OPT_OUT_ERROR_KEY = "lb_opt_out_error"
ROW_CHOICES = (10, 25, 50, 100)
_LOCALE = {"en": "en_US", "zh": "zh_Hans_CN"}


@dataclass(frozen=True)
class Filters:
    """What the reader picked: the window, a partner type, a region (None: all) and how many rows."""

    window: str
    partner_type: str | None
    region: str | None
    top_n: int


def window_label(window: str, lang: str) -> str:
    """'This quarter' and friends."""
    return {
        "month": t("This month", lang),
        "quarter": t("This quarter", lang),
        "year": t("This year", lang),
        "all": t("All time", lang),
    }.get(window, window)


def region_label(region: str, lang: str) -> str:
    """A region code as people read it."""
    return {
        "apac": t("Asia Pacific", lang),
        "emea": t("Europe, Middle East and Africa", lang),
        "amer": t("Americas", lang),
        "na": t("North America", lang),
        "latam": t("Latin America", lang),
        "china": t("Greater China", lang),
    }.get(region_code(region), region)


def filters(program: Program, regions: list[str], lang: str) -> Filters:
    """The window (quarter unless picked), partner type, region and row count widgets."""
    windows = list(program.leaderboards.windows)
    window = st.segmented_control(
        t("Period", lang),
        windows,
        format_func=lambda w: window_label(w, lang),
        default="quarter" if "quarter" in windows else windows[0],
        required=True,
        key="lb_window",
    )
    types = {p.id: p.name.get(lang) for p in program.partner_types}
    left, middle, right = st.columns([2, 2, 1])
    everyone = t("All", lang)
    # "" (not None) stands for all: a None option reads as "nothing chosen" and loses its label.
    partner_type = left.selectbox(
        t("Partner type", lang), ["", *types], format_func=lambda p: types.get(p, everyone), key="lb_type"
    )
    region = middle.selectbox(
        t("Region", lang),
        ["", *regions],
        key="lb_region",
        format_func=lambda r: region_label(r, lang) if r else everyone,
    )
    choices = [n for n in ROW_CHOICES if n <= program.leaderboards.top_n] or [program.leaderboards.top_n]
    top_n = right.selectbox(t("Rows", lang), choices, key="lb_rows")
    return Filters(window or windows[0], partner_type or None, region or None, top_n)


def _name(row: leaderboards.Row, lang: str) -> str:
    name = t("Anonymous", lang) if row.name is None else row.name
    return t("{name} (you)", lang, name=name) if row.you else name


def _company(row: leaderboards.Row, lang: str) -> str:
    if row.company_hidden:
        return t("Anonymous", lang)
    return "—" if row.company is None else row.company


def _lines(board: leaderboards.Board) -> tuple[list[leaderboards.Row | None], set[int]]:
    """The rows to show (None: a gap before my own row) and the positions of mine."""
    lines: list[leaderboards.Row | None] = list(board.rows)
    if board.you is not None and not any(r.you for r in board.rows):
        lines += [None, board.you]
    return lines, {i for i, r in enumerate(lines) if r is not None and r.you}


def board_frame(board: leaderboards.Board, lang: str) -> tuple[pd.DataFrame, set[int]]:
    """A board as a table of text (numbers formatted for the language), and the positions of my rows."""
    lines, mine = _lines(board)
    records = []
    for row in lines:
        if row is None:
            records.append({c: "⋯" for c in _columns(board.kind, lang)})
        elif board.kind == "people":
            records.append(
                dict(
                    zip(
                        _columns("people", lang),
                        (
                            fmt.number(row.rank, lang),
                            _name(row, lang),
                            fmt.number(row.points, lang),
                            _company(row, lang),
                        ),
                        strict=True,
                    )
                )
            )
        else:
            average = "—" if row.average is None else fmt.number(row.average, lang)
            records.append(
                dict(
                    zip(
                        _columns("companies", lang),
                        (
                            fmt.number(row.rank, lang),
                            _name(row, lang),
                            fmt.number(row.points, lang),
                            fmt.number(row.certified_members, lang),
                            average,
                        ),
                        strict=True,
                    )
                )
            )
    return pd.DataFrame(records, columns=_columns(board.kind, lang)), mine


def _columns(kind: str, lang: str) -> list[str]:
    if kind == "people":
        # Points before the company: on a phone they stay in view.
        return [t("Rank", lang), t("Name", lang), t("Points", lang), t("Company", lang)]
    return [
        t("Rank", lang),
        t("Company", lang),
        t("Points", lang),
        t("Certified members", lang),
        t("Points per certified member", lang),
    ]


def board(found: leaderboards.Board, lang: str, key: str) -> None:
    """The board as a table with my row marked, and where I stand when I am not on it."""
    if not found.rows:
        st.info(t("No points in this period yet.", lang))
    else:
        frame, mine = board_frame(found, lang)
        styled = frame.style.apply(lambda r: [HIGHLIGHT if r.name in mine else ""] * len(r), axis=1)
        st.dataframe(
            styled,
            hide_index=True,
            key=key,
            height=min(35 * (len(frame) + 1) + 3, 560),
            column_config={t("Rank", lang): st.column_config.TextColumn(width="small")},
        )
    if found.you is None:
        return
    if found.kind == "people":
        st.caption(
            t(
                "Your rank: {rank} with {points} points.",
                lang,
                rank=fmt.number(found.you.rank, lang),
                points=fmt.number(found.you.points, lang),
            )
        )
    else:
        st.caption(
            t(
                "Your company's rank: {rank} with {points} points.",
                lang,
                rank=fmt.number(found.you.rank, lang),
                points=fmt.number(found.you.points, lang),
            )
        )


def month_label(month: str, lang: str) -> str:
    """'2026-03' as 'Mar 2026' / '2026年3月'."""
    year, number = (int(part) for part in month.split("-"))
    return format_skeleton("yMMM", date(year, number, 1), locale=_LOCALE.get(lang, "en_US"))


def history_chart(history: list[tuple[str, int]], title: str, colour: str, lang: str) -> alt.Chart:
    """Points per month as bars, months in order."""
    labels = [month_label(m, lang) for m, _ in history]
    frame = pd.DataFrame({"month": labels, "points": [p for _, p in history]})
    return (
        alt.Chart(frame, title=title)
        .mark_bar(color=colour)
        .encode(
            x=alt.X("month:N", sort=labels, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("points:Q", title=t("Points", lang)),
            tooltip=[alt.Tooltip("month:N", title=t("Month", lang)), alt.Tooltip("points:Q", title=t("Points", lang))],
        )
        .properties(height=220)
    )


def charts(user: User, program: Program, lang: str) -> None:
    """My points and my company's points per month over the last 12 months."""
    store, now = context.store(), context.now()
    st.subheader(t("Points per month, last 12 months", lang))
    mine = leaderboards.points_history(user, store, program, user_id=user.id, now=now)
    assert user.company_id is not None
    company = store.get(COMPANIES, user.company_id)
    ours = leaderboards.points_history(user, store, program, company_id=user.company_id, now=now)
    left, right = st.columns(2)
    left.altair_chart(history_chart(mine, t("My points", lang), "#1f77b4", lang), width="stretch")
    right.altair_chart(
        history_chart(ours, company.name if company else t("My company", lang), "#ff7f0e", lang), width="stretch"
    )


def _save_opt_out(user_id: str) -> None:
    user = context.store().get(USERS, user_id)
    try:
        assert user is not None
        partners.set_user_leaderboard_opt_out(user, context.store(), user_id, st.session_state["lb_opt_out"])
    except HubError as e:
        st.session_state[OPT_OUT_ERROR_KEY] = e


def opt_out(user: User, lang: str) -> None:
    """The switch that hides my name from others on the people board."""
    st.subheader(t("Privacy", lang))
    st.toggle(
        t("Hide my name on leaderboards", lang),
        value=user.leaderboard_opt_out,
        key="lb_opt_out",
        on_change=_save_opt_out,
        args=(user.id,),
    )
    problem = st.session_state.pop(OPT_OUT_ERROR_KEY, None)
    if problem is not None:
        st.error(error_text(problem, lang, session.timezone(), context.catalog()))
    elif user.leaderboard_opt_out:
        st.caption(t("Others see you as “Anonymous”; you still see your own name and rank.", lang))
    else:
        st.caption(t("Others see your name and company. Switch this on to appear as “Anonymous”.", lang))
