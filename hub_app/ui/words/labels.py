"""Words for states and statuses, as badges (Streamlit Markdown) in the reader's language."""

from __future__ import annotations

from hub_app.kernel.i18n import t


def certificate_status(status: str, lang: str) -> str:
    """A certificate's status as a coloured badge."""
    text = {
        "active": (t("Active", lang), "green"),
        "expiring": (t("Expiring soon", lang), "orange"),
        "expired": (t("Expired", lang), "red"),
        "revoked": (t("Revoked", lang), "gray"),
        "superseded": (t("Superseded", lang), "gray"),
    }[status]
    return f":{text[1]}-badge[{text[0]}]"


def course_state(state: str, lang: str) -> str:
    """My state in a course as a coloured badge."""
    text = {
        "not_started": (t("Not started", lang), "gray"),
        "in_progress": (t("In progress", lang), "blue"),
        "certified": (t("Certified", lang), "green"),
        "expiring": (t("Expiring", lang), "orange"),
        "expired": (t("Expired", lang), "red"),
    }[state]
    return f":{text[1]}-badge[{text[0]}]"


def level(value: str, lang: str) -> str:
    """A course level."""
    return {"foundation": t("Foundation", lang), "professional": t("Professional", lang), "expert": t("Expert", lang)}[
        value
    ]


def verification_status(status: str, lang: str) -> str:
    """What a verifier needs to know: valid, expired, revoked or superseded (by a renewal)."""
    text = {
        "active": (t("Valid", lang), "green"),
        "expiring": (t("Valid", lang), "green"),
        "expired": (t("Expired", lang), "orange"),
        "revoked": (t("Revoked", lang), "red"),
        "superseded": (t("Superseded", lang), "gray"),
    }[status]
    return f":{text[1]}-badge[{text[0]}]"
