"""A certificate as a printable HTML page: holder, certification, dates, code and where to verify it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from hub_app.kernel.i18n import t


@dataclass(frozen=True)
class CertificateFacts:
    """What the printed certificate says, already formatted for its language."""

    program: str
    vendor: str
    holder: str
    certification: str
    issued: str
    expires: str
    code: str
    verify_url: str


def printable(facts: CertificateFacts, lang: str) -> str:
    """A self-contained HTML page styled for A4/Letter landscape, with a Print button hidden in print."""
    e = {k: escape(v) for k, v in vars(facts).items()}
    # Worded outside the template, so the string extractor (and the translation test) sees every msgid.
    words = {
        "print": t("Print", lang),
        "certifies": t("This certifies that", lang),
        "passed": t("has passed the certification exam of {vendor}.", lang, vendor=facts.vendor),
        "issued": t("Issued", lang),
        "until": t("Valid until", lang),
        "code": t("Verification code", lang),
        "verify": t("Verify at", lang),
    }
    w = {k: escape(v) for k, v in words.items()}
    return f"""<!doctype html>
<html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e["certification"]} — {e["holder"]}</title>
<style>
@page {{ size: landscape; margin: 12mm; }}
body {{ font-family: Georgia, "Noto Serif CJK SC", "Songti SC", serif; color: #1b1f24; margin: 0;
       background: #f3f4f6; }}
.sheet {{ max-width: 960px; margin: 24px auto; background: #fff; border: 10px double #3f51b5; padding: 48px 56px;
         text-align: center; box-sizing: border-box; }}
.program {{ letter-spacing: .2em; text-transform: uppercase; color: #3f51b5; font-size: 14px; }}
h1 {{ font-size: 34px; margin: 28px 0 8px; }}
.lead {{ color: #555; margin: 0; }}
.holder {{ font-size: 40px; margin: 18px 0; border-bottom: 1px solid #ccc; display: inline-block;
          padding: 0 24px 8px; }}
.dates {{ display: flex; justify-content: center; gap: 48px; margin-top: 28px; flex-wrap: wrap; }}
.dates div span {{ display: block; color: #666; font-size: 13px; }}
.verify {{ margin-top: 36px; font-family: ui-monospace, Menlo, monospace; font-size: 14px; color: #333;
          word-break: break-all; }}
.actions {{ text-align: center; margin: 16px; }}
button {{ font-size: 16px; padding: 8px 20px; }}
@media print {{ body {{ background: #fff; }} .actions {{ display: none; }} .sheet {{ margin: 0 auto; }} }}
</style></head>
<body>
<div class="actions"><button onclick="window.print()">{w["print"]}</button></div>
<div class="sheet">
  <div class="program">{e["program"]}</div>
  <h1>{e["certification"]}</h1>
  <p class="lead">{w["certifies"]}</p>
  <div class="holder">{e["holder"]}</div>
  <p class="lead">{w["passed"]}</p>
  <div class="dates">
    <div><span>{w["issued"]}</span>{e["issued"]}</div>
    <div><span>{w["until"]}</span>{e["expires"]}</div>
    <div><span>{w["code"]}</span>{e["code"]}</div>
  </div>
  <div class="verify">{w["verify"]} {e["verify_url"]}</div>
</div>
</body></html>
"""
