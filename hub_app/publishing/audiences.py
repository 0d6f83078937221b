"""The site's two parts: every page is public or for partners, and nothing of the partner part leaks out.

Each page declares `audience: public` or `audience: partners` in its front matter (generated pages get it
from the generator). Front matter rather than a folder: the audience travels with the page in both
languages, URLs partners have bookmarked stay as they are, and one folder can hold both (a course's
overview is public, its lessons are for partners).

After the build this module, knowing every page's audience, writes what keeps the parts apart:

- `.hub/audiences.json`: every partner file (pages, the files beside them such as price-list CSVs, the
  partner search indexes), which the site server and `/hub/auth` gate;
- a search index per language and audience: `search/search_index.json` (English, public),
  `zh/search/search_index.json` (Chinese, public) and `[zh/]search/partners/search_index.json` (public
  and partner pages of that language, served to partners only);
- a sitemap without partner URLs.

Pure: paths, dicts and strings in and out; the MkDocs hook calls it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping
from pathlib import Path

PUBLIC, PARTNERS = "public", "partners"
AUDIENCES = (PUBLIC, PARTNERS)
MANIFEST = ".hub/audiences.json"
LANGS = ("en", "zh")
TAG_BOOST = 50.0  # Material's 1,000,000 let any query with "partner" rank the course pages first


def audience_problem(meta: Mapping[str, object], src: str) -> str | None:
    """What is wrong with a page's declared audience, or None."""
    value = meta.get("audience")
    if value is None:
        return f"{src}: audience: missing; write 'audience: public' or 'audience: partners' in its front matter"
    if value not in AUDIENCES:
        return f"{src}: audience: '{value}' is not one of: {', '.join(AUDIENCES)}"
    return None


def index_path(lang: str, partners: bool) -> str:
    """Where the search index of a language and part is written, relative to the site."""
    return ("zh/" if lang == "zh" else "") + ("search/partners/" if partners else "search/") + "search_index.json"


def _lang_of(location: str) -> str:
    return "zh" if location == "zh/" or location.startswith("zh/") else "en"


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def _with_synonyms(entry: dict, words: list[str], segment: object) -> dict:
    extra = " ".join("\u200b".join(segment(w)) if callable(segment) else w for w in words)  # type: ignore[arg-type]
    return {**entry, "text": f"{entry.get('text', '')} {extra}".strip()}


def search_indexes(
    index: dict, audiences: Mapping[str, str], synonyms: Mapping[str, list[str]] | None = None, segment: object = None
) -> dict[str, dict]:
    """The one index MkDocs writes, split into one per language and part, with each page's synonyms added
    to its own entry. A page whose audience is unknown counts as a partner page (nothing leaks by mistake)."""
    config = dict(index.get("config", {}))
    fields = {**config.get("fields", {})}
    if "tags" in fields:
        fields["tags"] = {**fields["tags"], "boost": TAG_BOOST}
    out: dict[str, dict] = {}
    for lang in LANGS:
        lang_config = {**config, "fields": fields, "lang": [lang] if lang == "en" else ["en", lang]}
        for partners in (False, True):
            docs = []
            for entry in index.get("docs", []):
                location = entry.get("location", "")
                page = _page_of(location)
                if _lang_of(location) != lang or (audiences.get(page, PARTNERS) == PARTNERS and not partners):
                    continue
                words = (synonyms or {}).get(page)
                docs.append(_with_synonyms(entry, words, segment) if words and "#" not in location else entry)
            out[index_path(lang, partners)] = {"config": lang_config, "docs": docs}
    return out


def _nearest_page(rel: str, audiences: Mapping[str, str]) -> str | None:
    parts = rel.split("/")[:-1]
    while parts:
        url = "/".join(parts) + "/"
        if url in audiences:
            return url
        parts.pop()
    return "" if "" in audiences else None


def partner_files(site_dir: Path, audiences: Mapping[str, str]) -> list[str]:
    """Every built file of the partner part: its pages (as `x/` and `x/index.html`), the files beside
    them (their nearest page's audience), and the partner search indexes."""
    found = {index_path(lang, True) for lang in LANGS}
    for path in site_dir.rglob("*"):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or rel.startswith((".hub/", "assets/", "search/", "zh/search/")):
            continue
        if rel.endswith("index.html"):
            url = rel[: -len("index.html")]
            if audiences.get(url, PARTNERS) == PARTNERS:
                found |= {url, rel}
            continue
        if rel.endswith(".html"):
            continue  # 404.html and other theme pages
        page = _nearest_page(rel, audiences)
        if page is not None and page != "" and audiences[page] == PARTNERS:
            found.add(rel)
    return sorted(found)


def write_manifest(site_dir: Path, audiences: Mapping[str, str]) -> list[str]:
    """Write `.hub/audiences.json` (the partner files); return them."""
    files = partner_files(site_dir, audiences)
    target = site_dir / MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"partners": files}, indent=1, ensure_ascii=False), encoding="utf-8")
    return files


_URL = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def public_sitemap(xml: str, site_url: str, audiences: Mapping[str, str]) -> str:
    """The sitemap without the partner part's URLs."""
    base = site_url.rstrip("/") + "/"

    def keep(match: re.Match[str]) -> str:
        loc = _LOC.search(match.group(0))
        url = loc.group(1)[len(base) :] if loc and loc.group(1).startswith(base) else None
        return match.group(0) if url is not None and audiences.get(url) == PUBLIC else ""

    return _URL.sub(keep, xml)


def write_public_sitemap(site_dir: Path, site_url: str, audiences: Mapping[str, str]) -> None:
    """Rewrite sitemap.xml (and its .gz) with public URLs only."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    xml = public_sitemap(sitemap.read_text(encoding="utf-8"), site_url, audiences)
    sitemap.write_text(xml, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode(), mtime=0))
