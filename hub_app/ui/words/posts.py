"""Community posts (a person's Markdown) as safe HTML: no raw HTML, no images, links rel="nofollow".

markdown-it-py in CommonMark mode with ``html`` off escapes every tag a person types, and its link check
refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` URLs. Images are off (one shows as a link),
so a post cannot make readers' browsers fetch from a tracker; every link gets ``rel="nofollow ugc noopener"``
and opens in a new tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def _link_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "nofollow ugc noopener")
    tokens[idx].attrSet("target", "_blank")
    return str(renderer.renderToken(tokens, idx, options, env))


_md.add_render_rule("link_open", _link_open)


def post_html(markdown: str) -> str:
    """The post rendered as HTML that carries nothing but the person's text, its formatting and links."""
    return _md.render(markdown)
