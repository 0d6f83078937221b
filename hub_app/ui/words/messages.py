"""Messages in the reader's language: one function words every domain error, reason and field problem.

The domain hands over a msgid and typed params (`hub_app.kernel.messages`); here each param is shown by
its type, in the reader's language and time zone, and the msgid is translated with t().
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hub_app.catalog import Catalog
from hub_app.kernel import messages as said
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import fmt_list, t
from hub_app.kernel.problems import ContentProblem
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

# The hub's own points rules, which program.yml does not name.
_RULES = {"manual_adjustment": "Manual adjustment", "reversal": "Reversal"}


def course_name(catalog: Catalog, course_id: str, lang: str) -> str:
    """The course's title in `lang` (its id when unknown)."""
    course = catalog.courses.get(course_id)
    return course.title.get(lang) if course else course_id


def _tier(catalog: Catalog, tier_id: str, lang: str) -> str:
    found = next((tier for tier in catalog.program.tiers if tier.id == tier_id), None)
    return found.name.get(lang) if found else tier_id


def _partner_type(catalog: Catalog, type_id: str, lang: str) -> str:
    found = next((p for p in catalog.program.partner_types if p.id == type_id), None)
    return found.name.get(lang) if found else type_id


def _rule(catalog: Catalog, rule_id: str, lang: str) -> str:
    found = catalog.program.points.rule(rule_id)
    if found is not None:
        return found.name.get(lang)
    return t(_RULES[rule_id], lang) if rule_id in _RULES else rule_id


def shown(value: object, lang: str, tz: ZoneInfo, catalog: Catalog, markdown: bool = True) -> str:
    """One param as the reader reads it: by its type (see `hub_app.kernel.messages`).

    Anything else is a person's text or input: in Markdown (`markdown`, as alerts render) it goes through
    `plain()`, so a name like `[x](https://evil.example)` shows as typed."""
    match value:
        case said.Message():
            return text(value, lang, tz, catalog, markdown)
        case said.Moment(at):
            return fmt.moment(at, lang, tz)
        case said.Day(day):
            return fmt.day(day, lang, tz)
        case said.Course(course_id):
            return course_name(catalog, course_id, lang)
        case said.Tier(tier_id, _):
            return _tier(catalog, tier_id, lang)
        case said.PartnerType(type_id):
            return _partner_type(catalog, type_id, lang)
        case said.Rule(rule_id):
            return _rule(catalog, rule_id, lang)
        case said.Number(number, signed):
            return ("+" if signed and number > 0 else "") + fmt.number(number, lang)
        case said.Items(values):
            return fmt_list([shown(v, lang, tz, catalog, markdown) for v in values], lang)
        case said.Lines(values):
            return "\n".join(shown(v, lang, tz, catalog, markdown) for v in values)
        case said.Term(msgid):
            return t(msgid, lang)
        case ContentProblem():
            return f"{value.path}:{value.line}: {value.key}: {problem_text(value, lang, tz, catalog, markdown)}"
    return plain(str(value)) if markdown else str(value)


def text(message: said.Message, lang: str, tz: ZoneInfo, catalog: Catalog, markdown: bool = True) -> str:
    """A message in `lang`, each param shown by its type (for Markdown unless `markdown` is False)."""
    return t(message.msgid, lang, **{k: shown(v, lang, tz, catalog, markdown) for k, v in message.params.items()})


def startup_text(error: HubError, lang: str) -> str:
    """A start-up error in `lang`: settings errors carry plain values, and the catalog may be what failed."""
    return t(error.msgid, lang, **{k: plain(str(v)) for k, v in error.params.items()})


def error_text(error: HubError, lang: str, tz: ZoneInfo, catalog: Catalog) -> str:
    """What to show for a domain error."""
    return text(error.message, lang, tz, catalog)


def problem_text(problem: ContentProblem, lang: str, tz: ZoneInfo, catalog: Catalog, markdown: bool = True) -> str:
    """A file problem's message (without its place) in `lang`; English when it carries no msgid."""
    if problem.said is None:
        return plain(problem.message) if markdown else problem.message
    return text(problem.said, lang, tz, catalog, markdown)
