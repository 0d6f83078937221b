"""Email templates per event type, in English and Chinese: a subject and a body with {placeholders}.

A template is a declaration: another context adds ``TEMPLATES["deal.approved"] = Template(...)``. Values
come from the event's facts and the catalog (a certification's or tier's name in the reader's language);
the HTML part escapes every value, so a person's note or name cannot inject markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from string import Formatter

from hub_app.catalog import Catalog
from hub_app.kernel import events
from hub_app.kernel.events import DomainEvent
from hub_app.kernel.i18n import fmt_date


@dataclass(frozen=True)
class Template:
    """Subject and body of one event type's mail, per language (``en`` is the fallback)."""

    subject: dict[str, str]
    body: dict[str, str]


TEMPLATES: dict[str, Template] = {
    events.CERTIFICATE_ISSUED: Template(
        {"en": "Your {certification} certificate", "zh": "您的{certification}证书"},
        {
            "en": "Congratulations, {name}: you are certified as {certification} until {expires}.\n"
            "Verification code: {verification_code}",
            "zh": "恭喜，{name}：您已获得{certification}认证，有效期至{expires}。\n验证码：{verification_code}",
        },
    ),
    events.CERTIFICATE_REVOKED: Template(
        {"en": "Your {certification} certificate was revoked", "zh": "您的{certification}证书已被撤销"},
        {
            "en": "{name}, your {certification} certificate ({verification_code}) was revoked: {reason}",
            "zh": "{name}，您的{certification}证书（{verification_code}）已被撤销：{reason}",
        },
    ),
    events.CERTIFICATE_EXPIRING: Template(
        {
            "en": "Your {certification} certificate expires on {expires}",
            "zh": "您的{certification}证书将于{expires}到期",
        },
        {
            "en": "{name}, your {certification} certificate expires on {expires} (in {days} days). "
            "Pass the exam again to renew it.",
            "zh": "{name}，您的{certification}证书将于{expires}到期（还有{days}天）。请重新通过考试以续期。",
        },
    ),
    events.CERTIFICATE_EXPIRED: Template(
        {"en": "Your {certification} certificate has expired", "zh": "您的{certification}证书已到期"},
        {
            "en": "{name}, your {certification} certificate expired on {expires}. Pass the exam again to be certified.",
            "zh": "{name}，您的{certification}证书已于{expires}到期。请重新通过考试以获得认证。",
        },
    ),
    events.TIER_PROPOSED: Template(
        {"en": "A tier change to {to_tier} is proposed", "zh": "已提议将级别调整为{to_tier}"},
        {
            "en": "{name}, a change of your company's tier from {from_tier} to {to_tier} is proposed; "
            "your channel manager decides.",
            "zh": "{name}，已提议将贵公司的级别从{from_tier}调整为{to_tier}，由您的渠道经理决定。",
        },
    ),
    events.TIER_CHANGED: Template(
        {"en": "Your company is now {to_tier}", "zh": "贵公司现为{to_tier}级别"},
        {
            "en": "{name}, your company moved from {from_tier} to {to_tier}.",
            "zh": "{name}，贵公司已从{from_tier}调整为{to_tier}。",
        },
    ),
    events.TIER_AT_RISK: Template(
        {"en": "Your {tier} tier is at risk", "zh": "贵公司的{tier}级别面临风险"},
        {
            "en": "{name}, on {on} {holder}'s {certification} lapses and your company would fall below {tier} "
            "before the review on {next_review}. Renew it in time.",
            "zh": "{name}，{holder}的{certification}将于{on}失效，贵公司将在{next_review}评审前低于{tier}级别。"
            "请及时续期。",
        },
    ),
    events.QUESTION_ANSWERED: Template(
        {"en": "New answer to your question: {question}", "zh": "您的问题有新回答：{question}"},
        {
            "en": '{name}, {answerer} answered your community question "{question}". '
            "Open the Community page of the hub to read it and accept the answer that helped.",
            "zh": "{name}，{answerer}回答了您在社区提出的问题“{question}”。"
            "请打开合作伙伴中心的社区页面查看，并采纳有帮助的回答。",
        },
    ),
    events.MANAGER_CONTACTED: Template(
        {"en": "Message from {from_name} ({company})", "zh": "来自{from_name}（{company}）的留言"},
        {
            "en": "{name}, {from_name} of {company} ({from_email}) wrote to you through the partner hub:\n\n"
            "{message}\n\nReply to {from_email}.",
            "zh": "{name}，{company}的{from_name}（{from_email}）通过合作伙伴中心给您留言：\n\n"
            "{message}\n\n请回复至 {from_email}。",
        },
    ),
    events.FUNDS_EXPIRING: Template(
        {"en": "{available} of MDF expires on {expires}", "zh": "{available} 的 MDF 将于{expires}到期"},
        {
            "en": "{name}, your company's market development funds for {quarter} still have {available} "
            "available. What is neither paid, approved nor pending expires on {expires} (in {days} days): "
            "request an activity before then.",
            "zh": "{name}，贵公司 {quarter} 的市场发展基金仍有 {available} 可用。未支付、未批准且未在审批中的"
            "额度将于{expires}到期（还有 {days} 天），请在此之前提交活动申请。",
        },
    ),
}


@dataclass(frozen=True)
class Mail:
    """A rendered mail: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def values_for(catalog: Catalog, event: DomainEvent, name: str, lang: str) -> dict[str, str]:
    """The template's values: the event's facts, dates and names worded in ``lang``."""
    values = {**event.payload, "name": name}
    for field in ("expires", "issued", "on", "next_review"):
        if values.get(field):
            values[field] = fmt_date(datetime.fromisoformat(values[field]), lang)
    course = catalog.courses.get(values.get("course_id", ""))
    if course is not None and course.certification is not None:
        values["certification"] = course.certification.name.get(lang)
    for field in ("tier", "from_tier", "to_tier"):
        if values.get(field):
            values[field] = catalog.program.tier(values[field]).name.get(lang)
    return values


def render(catalog: Catalog, event: DomainEvent, name: str, lang: str, unsubscribe_url: str) -> Mail:
    """The mail for ``event`` to a person called ``name`` reading ``lang``."""
    template = TEMPLATES[event.type]
    values = values_for(catalog, event, name, lang)
    subject = _fill(template.subject.get(lang, template.subject["en"]), values)
    body = template.body.get(lang, template.body["en"])
    footer = {"en": "Stop these emails", "zh": "退订这些邮件"}.get(lang, "Stop these emails")
    text = f"{_fill(body, values)}\n\n-- \n{footer}: {unsubscribe_url}\n"
    escaped = {k: html.escape(v) for k, v in values.items()}
    paragraphs = "".join(f"<p>{line}</p>" for line in _fill(html.escape(body), escaped).split("\n"))
    link = f'<p><a href="{html.escape(unsubscribe_url)}">{footer}</a></p>'
    return Mail(subject, text, f'<!doctype html><html lang="{lang}"><body>{paragraphs}{link}</body></html>')


def _fill(template: str, values: dict[str, str]) -> str:
    # A fact an older event lacks shows as empty rather than failing the delivery.
    wanted = {f for _, f, _, _ in Formatter().parse(template) if f}
    return template.format(**{f: values.get(f, "") for f in wanted})
