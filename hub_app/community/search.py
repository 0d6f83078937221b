"""Searching the community's questions in English and Chinese.

Chinese is written without spaces, so a query is cut into words with jieba (already the site search's
segmenter; its search mode also yields the shorter words inside long ones), English into words by spaces;
common words are dropped and every remaining word must occur in the question (title, text or tags), compared
case-folded as substrings, so "商机" finds "报备商机" and "deal" finds "deals". Titles rank above texts.
"""

from __future__ import annotations

import logging
import re

import jieba

from hub_app.community.records import Question

jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" banner on the page's log

_WORD = re.compile(r"\w", re.UNICODE)
_EN_STOP = "a an and are can do does for how i in is it my of on or the to what when where which who why with"
_ZH_STOP = "我 我们 的 了 吗 呢 是 在 和 与 如何 怎么 怎样 什么 哪些 为什么 可以 吧 请问"
STOP_WORDS = frozenset(_EN_STOP.split(" ") + _ZH_STOP.split(" "))


def terms(query: str) -> list[str]:
    """The words of ``query`` a question must contain (case-folded, common words dropped, each once)."""
    found: list[str] = []
    for word in jieba.cut_for_search(query.casefold()):
        word = word.strip()
        if word and _WORD.search(word) and word not in STOP_WORDS and word not in found:
            found.append(word)
    return _longest(found)


def _longest(words: list[str]) -> list[str]:
    # Search mode yields "合作伙伴" and also "合作", "伙伴": a word inside a longer one adds nothing to AND.
    return [w for w in words if not any(w != other and w in other for other in words)]


def search(questions: list[Question], query: str) -> list[Question]:
    """The questions containing every term of ``query``, best first (title matches, then newest)."""
    wanted = terms(query)
    if not wanted:
        return sorted(questions, key=lambda q: q.created, reverse=True)
    ranked = []
    for question in questions:
        title = question.title.casefold()
        text = f"{title}\n{question.body.casefold()}\n{' '.join(question.tags).casefold()}"
        if all(term in text for term in wanted):
            ranked.append((sum(term in title for term in wanted), question.created, question))
    ranked.sort(key=lambda found: (found[0], found[1]), reverse=True)
    return [question for _, _, question in ranked]
