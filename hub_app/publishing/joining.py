"""The site's joining parts generated from program.yml: each partner type's screening (weights, the
evidence asked for, the pass threshold, the onboarding checklist) and the links to the app's public pages."""

from __future__ import annotations

from hub_app.catalog import Catalog
from hub_app.kernel.i18n import t

STEP_WORDS = {
    "agreement": "Accept the partner agreement",
    "profile": "Complete your company profile",
    "first-certification": "Get your first person certified",
    "first-deal": "Register your first deal",
}


def screening_tables(catalog: Catalog, lang: str, page_path: str) -> str:
    """Per partner type: its criteria with weights and the evidence asked for, its pass threshold and checklist."""
    out = []
    for pt in catalog.program.partner_types:
        head = f"| {t('Screening criterion', lang)} | {t('Weight', lang)} | {t('What we look for', lang)} |"
        out += [f"### {pt.name.get(lang)}", "", pt.summary.get(lang), "", head[:-1] + f" {t('Evidence', lang)} |"]
        out.append("|---|---:|---|---|")
        for c in pt.screening:
            evidence = c.evidence.get(lang) if c.evidence else "—"
            out.append(f"| {c.name.get(lang)} | {c.weight} % | {c.guide.get(lang)} | {evidence} |")
        steps = "; ".join(t(STEP_WORDS[s], lang) for s in pt.onboarding.steps)
        out += [
            "",
            t(
                "**Pass threshold:** {threshold} % of the best weighted score (each criterion scored 0–5).",
                lang,
                threshold=pt.pass_threshold,
            ),
            t("**Onboarding checklist:** {steps}.", lang, steps=steps),
            "",
        ]
    return "\n".join(out)


def join_links(lang: str, app_url: str) -> str:
    """Buttons to the app's application form and partner locator."""
    base = app_url.rstrip("/")
    apply, find = t("Apply to become a partner", lang), t("Find a partner", lang)
    return f"[{apply}]({base}/apply){{ .md-button .md-button--primary }} [{find}]({base}/partners){{ .md-button }}"
