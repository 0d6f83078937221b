"""Person-supplied text made inert before it reaches Streamlit Markdown (names, company names, reasons, codes).

Streamlit renders titles, captions, alerts, labels and badges as Markdown with its own directives
(`:green-badge[...]`, `:material/...:`, `$math$`): a name like `[Valid](https://evil.example)` would be a
link, `![x](https://tracker/)` an image that phones home. Every such string goes through `plain()`, which
backslash-escapes what Markdown or Streamlit reads as markup, so it shows as the characters typed.
"""

from __future__ import annotations

import re

# Links, images and Streamlit directives all need brackets; then emphasis, code, math ($), HTML and
# <autolinks>, headings and tables. Parentheses, colons and full stops stay as typed (messages are full of
# them): without brackets they make nothing.
_MARKUP = re.compile(r"([\\`*_\[\]<>#|$~])")
# "https://evil.example" becomes a link by itself (GitHub-flavoured autolinks), and so does "www.evil.example".
_SCHEME = re.compile(r":(?=//)")
# At the start of the text: a heading, list, quote or thematic break; "1." / "1)" would start a list.
_BLOCK_START = re.compile(r"^(\s*|\s*\d+)([-+=>]|[.)])")
_WWW = re.compile(r"(?i)\b(www)\.")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def plain(text: str) -> str:
    """`text` as Markdown that renders exactly as typed, on one line."""
    one_line = _CONTROL.sub(" ", text)
    escaped = _MARKUP.sub(r"\\\1", one_line)
    escaped = _SCHEME.sub(r"\\:", _WWW.sub(r"\1\\.", escaped))
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """What a reader sees of escaped Markdown: backslash escapes removed (for tests and plain-text copies)."""
    return _ESCAPE.sub(r"\1", markdown)
