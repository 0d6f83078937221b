"""The site's news page (``news.md`` and ``news.zh.md``) from content/announcements/, pinned first.

Independent of MkDocs, like the course pages: hooks.py adds the pages and leaves the announcement files out
of the site (they are the news page's source, not pages of their own).
"""

from __future__ import annotations

from hub_app.catalog import Catalog
from hub_app.catalog.announcements import FOLDER, Announcement
from hub_app.kernel.i18n import fmt_date, fmt_list
from hub_app.publishing.front_matter import front_matter

NEWS = "news"
SOURCE_DIR = FOLDER.relative_to("content").as_posix()  # "announcements", inside docs_dir
WORDS = {
    "en": {
        "title": "News",
        "description": "Announcements of the Quillstack partner program, newest first.",
        "intro": "Program and product news for partners, newest first. Signed in to the hub, you see the "
        "announcements for your company on your home page, with the ones you have not read marked.",
        "for": "For",
        "pinned": "Pinned",
        "until": "Until",
        "everyone": "every partner",
        "none": "No announcements yet.",
        "colon": ": ",
    },
    "zh": {
        "title": "新闻",
        "description": "Quillstack 合作伙伴计划的公告，最新的在前。",
        "intro": "面向合作伙伴的计划与产品新闻，最新的在前。登录合作伙伴中心后，您的首页会显示与贵公司相关的公告，"
        "并标出您尚未阅读的公告。",
        "for": "面向",
        "pinned": "置顶",
        "until": "有效期至",
        "everyone": "所有合作伙伴",
        "none": "暂无公告。",
        "colon": "：",
    },
}


def _audience(catalog: Catalog, item: Announcement, lang: str) -> str:
    program, audience = catalog.program, item.audience
    names = [program.partner_type(t).name.get(lang) for t in audience.types]
    names += [program.tier(t).name.get(lang) for t in audience.tiers]
    names += list(audience.regions)
    return fmt_list(names, lang) if names else WORDS[lang]["everyone"]


def _entry(catalog: Catalog, item: Announcement, lang: str) -> list[str]:
    words = WORDS[lang]
    colon = words["colon"]
    facts = [fmt_date(item.date, lang), f"{words['for']}{colon}{_audience(catalog, item, lang)}"]
    if item.pinned:
        facts.insert(0, f"**{words['pinned']}**")
    if item.expires is not None:
        facts.append(f"{words['until']}{colon}{fmt_date(item.expires, lang)}")
    body = item.body(lang).replace("\n# ", "\n### ").replace("\n## ", "\n### ")
    return [f"## {item.title(lang)} {{ #{item.id} }}", "", " · ".join(facts), "", body, ""]


def news_pages(catalog: Catalog, announcements: list[Announcement]) -> dict[str, str]:
    """The news page per language, path -> Markdown."""
    pages = {}
    ordered = sorted(announcements, key=lambda a: (a.pinned, a.date), reverse=True)
    for lang, words in WORDS.items():
        lines = [front_matter(words["title"], words["description"])]
        lines += [f"# {words['title']}", "", words["intro"], ""]
        for item in ordered:
            lines += _entry(catalog, item, lang)
        if not ordered:
            lines.append(words["none"])
        pages[f"{NEWS}.md" if lang == "en" else f"{NEWS}.{lang}.md"] = "\n".join(lines)
    return pages
