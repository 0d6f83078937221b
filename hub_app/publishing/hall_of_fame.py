"""The site's hall of fame and awards table: pages generated at build time from program.yml and an export.

`partnerhub close-period` and `seed-demo` write ``<data dir>/hall-of-fame.json`` (winners as the public may
see them: a person or company that opted out of the leaderboards is not named); the MkDocs hook reads it
when the site is built. Without the file the page still builds and says no quarter has been closed yet.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from hub_app.catalog import Catalog
from hub_app.catalog.models import LANGS, Reward
from hub_app.kernel.i18n import fmt_number, t
from hub_app.publishing.front_matter import front_matter

EXPORT_FILE = "hall-of-fame.json"
PAGE = "program/hall-of-fame"
TIE_RULE = (
    "Ties: the higher score wins; on equal scores, whoever reached it first (the earlier moment of the last "
    "deal, certificate or points entry that counted); then the name, from A to Z."
)


@dataclass(frozen=True)
class Entry:
    """One winner as published: names are None when the winner chose not to be named."""

    period: str
    award_id: str
    place: int
    person: str | None
    company: str | None
    score: str  # a Decimal as text
    measure: str


def write_export(path: Path, entries: list[Entry]) -> None:
    """Write the export the site is built from (replacing it whole: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps({"winners": [asdict(e) for e in entries]}, ensure_ascii=False, indent=1), "utf-8")
    part.replace(path)


def read_export(path: Path) -> list[Entry]:
    """The winners of the export at ``path``; none when there is no file (or it is not an export)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Entry(**row) for row in data["winners"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _score(entry: Entry, currency: str, lang: str) -> str:
    value = float(entry.score)
    if entry.measure == "won_value":
        return f"{fmt_number(value, lang)} {currency}"
    if entry.measure == "partner_score":
        return t("{score} of 100", lang, score=f"{value:g}")
    return t("{points} points", lang, points=fmt_number(value, lang))


def _winner(entry: Entry, lang: str) -> str:
    who = [name for name in (entry.person, entry.company) if name]
    return " · ".join(_escaped(n) for n in who) or t("A partner who chose not to be named", lang)


def _escaped(text: str) -> str:
    return "".join(f"\\{c}" if c in "\\`*_{}[]<>()#+-.!|" else c for c in text)


def _award_names(catalog: Catalog, lang: str) -> dict[str, str]:
    awards = catalog.program.awards
    return {a.id: a.name.get(lang) for a in awards.programs} | {
        r.id: r.name.get(lang) for r in awards.leaderboard_rewards
    }


def page(catalog: Catalog, entries: list[Entry], lang: str) -> str:
    """The hall of fame in ``lang``: every closed quarter, newest first, its winners by award."""
    names = _award_names(catalog, lang)
    currency = catalog.program.program.currency
    intro = t("The winners of every closed quarter's awards.", lang)
    lines = [front_matter(t("Hall of fame", lang), intro), f"# {t('Hall of fame', lang)}", "", intro, ""]
    periods = sorted({e.period for e in entries}, reverse=True)
    if not periods:
        lines.append(t("No quarter has been closed yet.", lang))
    for period in periods:
        lines += [f"## {period}", "", f"| {t('Award', lang)} | {t('Winner', lang)} | {t('Score', lang)} |"]
        lines.append("|---|---|---:|")
        for e in (x for x in entries if x.period == period):
            award = names.get(e.award_id, e.award_id)
            label = award if e.place == 1 and e.measure != "points" else f"{award} ({e.place})"
            lines.append(f"| {label} | {_winner(e, lang)} | {_score(e, currency, lang)} |")
        lines.append("")
    lines += ["", t(TIE_RULE, lang)]
    return "\n".join(lines) + "\n"


def pages(catalog: Catalog, export: Path) -> dict[str, str]:
    """{docs path: Markdown} of the hall of fame in every language."""
    entries = read_export(export)
    return {f"{PAGE}{'' if lang == 'en' else '.' + lang}.md": page(catalog, entries, lang) for lang in LANGS}


def _reward(reward: Reward, currency: str, lang: str) -> str:
    parts = []
    if reward.points:
        parts.append(t("{points} points", lang, points=fmt_number(reward.points, lang)))
    if reward.mdf:
        parts.append(t("{amount} MDF bonus", lang, amount=f"{fmt_number(reward.mdf, lang)} {currency}"))
    if reward.badge:
        parts.append(t("a badge", lang))
    return ", ".join(parts) if lang == "en" else "、".join(parts)


_MEASURES = {
    "won_value": "The person with the most won deal value (final amounts of registered deals, in {currency}).",
    "points_gain": "The partner whose points grew most over the quarter before.",
}


def _how(catalog: Catalog, award_id: str, lang: str) -> str:
    award = next(a for a in catalog.program.awards.programs if a.id == award_id)
    currency = catalog.program.program.currency
    if award.measure == "partner_score" and award.weights is not None:
        w = award.weights
        return t(
            "A score of 100: {revenue} % won revenue, {certs} % certifications gained, {csat} % CSAT, each "
            "against the best partner of the quarter (CSAT out of 5).",
            lang,
            revenue=w.won_revenue,
            certs=w.certifications,
            csat=w.csat,
        )
    if award.measure == "won_value" and award.subject == "company":
        return t("The partner with the most won deal value (in {currency}).", lang, currency=currency)
    return t(_MEASURES[award.measure], lang, currency=currency)


def awards_table(catalog: Catalog, lang: str, page_path: str) -> str:
    """The award programs and leaderboard rewards of program.yml, with how each is won and its reward."""
    awards, currency = catalog.program.awards, catalog.program.program.currency
    lines = [f"| {t('Award', lang)} | {t('How it is won', lang)} | {t('Reward', lang)} |", "|---|---|---|"]
    for a in awards.programs:
        lines.append(f"| {a.name.get(lang)} | {_how(catalog, a.id, lang)} | {_reward(a.reward, currency, lang)} |")
    for r in awards.leaderboard_rewards:
        how = t("Places 1 to {top} of the quarter's board.", lang, top=r.top)
        lines.append(f"| {r.name.get(lang)} | {how} | {_reward(r.reward, currency, lang)} |")
    return "\n".join([*lines, "", t(TIE_RULE, lang)])
