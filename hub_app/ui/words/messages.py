"""Domain errors in the reader's language, with times in the reader's zone.

The domain's messages are English and give times in UTC; the errors a partner meets every day are
worded here again through t(). Any other HubError shows its own (English) message.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hub_app.catalog import Catalog
from hub_app.certification import certificates as certification
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.learning import attempt_policy, exams
from hub_app.partners import accounts
from hub_app.partners.permissions import NotAllowed
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain


def course_name(catalog: Catalog, course_id: str, lang: str) -> str:
    """The course's title in `lang` (its id when unknown)."""
    course = catalog.courses.get(course_id)
    return course.title.get(lang) if course else course_id


def error_text(error: HubError, lang: str, tz: ZoneInfo, catalog: Catalog) -> str:
    """What to show for a domain error."""
    if isinstance(error, accounts.SignInFailed):
        return t("Wrong email or password. Check both and try again.", lang)
    if isinstance(error, accounts.AccountLocked):
        return t(
            "Too many failed sign-ins. Try again after {time}, or ask your partner admin to reset your password.",
            lang,
            time=fmt.moment(error.retry_at, lang, tz),
        )
    if isinstance(error, accounts.AccountInactive):
        return t("This account is deactivated. Ask your partner admin if you still need access.", lang)
    if isinstance(error, accounts.EmailTaken):
        return t("An account for {email} already exists. Sign in, or use another email address.", lang,
                 email=plain(error.email))  # fmt: skip
    if isinstance(error, accounts.PasswordTooShort):
        return t("Choose a password of at least {count} characters.", lang, count=accounts.MIN_PASSWORD_LENGTH)
    if isinstance(error, attempt_policy.CoolingDown):
        return t(
            "Take some time to study before retaking {course}. Next attempt from {time}.",
            lang,
            course=course_name(catalog, error.course_id, lang),
            time=fmt.moment(error.retry_at, lang, tz),
        )
    if isinstance(error, attempt_policy.AttemptsExhausted):
        return t(
            "No attempts left for {course}. Next attempt from {time}.",
            lang,
            course=course_name(catalog, error.course_id, lang),
            time=fmt.moment(error.retry_at, lang, tz),
        )
    if isinstance(error, exams.DeadlinePassed):
        return t(
            "Time is up: this attempt closed at {time}; the answers saved by then were graded.",
            lang,
            time=fmt.moment(error.attempt.deadline + exams.GRACE, lang, tz),
        )
    if isinstance(error, exams.PrerequisitesMissing):
        missing = "、" if lang == "zh" else ", "
        return t(
            error.msgid,
            lang,
            course=course_name(catalog, error.course_id, lang),
            missing=missing.join(course_name(catalog, m, lang) for m in error.missing),
        )
    if isinstance(error, exams.AlreadyCertified):
        return t(
            error.msgid,
            lang,
            course=course_name(catalog, error.course_id, lang),
            until=fmt.day(error.until, lang, tz),
            opens=fmt.day(error.opens, lang, tz),
        )
    if isinstance(error, exams.AttemptClosed):
        return t("This attempt was already submitted. Start a new attempt to try again.", lang)
    if isinstance(error, exams.NoExam):
        return t("This course has no exam. Pick a course with an exam from the catalog.", lang)
    if isinstance(error, certification.UnknownCertificate):
        return t(
            "No certificate has the code {code}. Check the code on the certificate (like ABCD-EFGH-JK23).",
            lang,
            code=plain(error.code),
        )
    if isinstance(error, NotAllowed) and lang != "en":  # English keeps the domain's message, which names the action
        return t("You are not allowed to do this. Ask your channel manager or a program admin if you need this.", lang)
    return plain(str(error))  # the domain's English may quote a person's name or input
