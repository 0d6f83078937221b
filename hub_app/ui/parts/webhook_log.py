"""The console's webhook section (program admins): subscriptions with their last deliveries and retry state."""

from __future__ import annotations

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.notifications.delivery_log import Delivery, delivery_log
from hub_app.partners.permissions import is_program_admin
from hub_app.partners.records import User
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt


def state_label(delivery: Delivery, lang: str) -> str:
    """Delivered, skipped, or retrying with the time of the next try."""
    if delivery.state == "delivered":
        return t("Delivered", lang)
    if delivery.state == "skipped":
        return t("Skipped", lang)
    assert delivery.next_try is not None
    when = fmt.moment(delivery.next_try, lang, session.timezone())
    return t("Retrying: next try {when}", lang, when=when)


def webhook_log_section(actor: User, lang: str) -> None:
    """Shown to program admins only, below the console's tabs."""
    if not is_program_admin(actor):
        return
    backoff = context.catalog().program.notifications.retry_backoff_seconds
    subscriptions = delivery_log(actor, context.store(), backoff, context.now())
    with st.expander(t("Webhooks and their deliveries", lang), icon=":material/webhook:"):
        if not subscriptions:
            st.info(t("No webhooks yet. Add one with: partnerhub webhooks add URL --type TYPE", lang))
        tz = session.timezone()
        for sub in subscriptions:
            kinds = ", ".join(sub.webhook.types)
            st.code(sub.webhook.url, language=None)  # shown whole and copyable, never turned into a link
            st.caption(t("Sent for: {types}", lang, types=kinds))
            if not sub.deliveries:
                st.caption(t("Nothing sent yet.", lang))
                continue
            rows = [
                {
                    t("Event type", lang): d.event_type or d.event_id,
                    t("Last try", lang): fmt.moment(d.last_at, lang, tz),
                    t("Tries", lang): d.attempts,
                    t("Response code", lang): str(d.code) if d.code is not None else d.error,
                    t("Delivery state", lang): state_label(d, lang),
                }
                for d in sub.deliveries
            ]
            st.dataframe(rows, hide_index=True, width="stretch")
