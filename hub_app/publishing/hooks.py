"""MkDocs hook: publishes the course catalog and the program tables from courses/ and program.yml, and
keeps the public and partner parts of the site apart.

Thin on purpose: the pages come from hub_app.publishing.courses and hub_app.publishing.tables, the parts
from hub_app.publishing.audiences and the chrome from hub_app.publishing.chrome, which know nothing of
MkDocs. Answer keys never pass through here (only item counts and the attempt policy).

The i18n plugin builds English, then (inside its own post-build) Chinese into the same folder: the
hooks below that touch the finished site run at priority -200, after it, and tell the two builds apart
by the plugin's `current_language`.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from hub_app.catalog import Catalog, ContentError, load_catalog
from hub_app.catalog.announcements import load_announcements
from hub_app.kernel import settings
from hub_app.kernel.errors import HubError
from hub_app.publishing import audiences, chrome, hall_of_fame
from hub_app.publishing.courses import course_pages, courses_nav
from hub_app.publishing.news import NEWS, SOURCE_DIR, WORDS, news_pages
from hub_app.publishing.tables import expand_markers

_state: dict[str, Any] = {}


def _root(config: Any) -> Path:
    return Path(config.config_file_path).parent


@event_priority(100)  # before the i18n plugin, which reads the nav and its translations
def on_config(config: Any) -> Any:
    try:
        catalog = load_catalog(_root(config))
        _state["news"] = news_pages(catalog, load_announcements(_root(config), catalog.program))
        app_url = settings.read().app_url
        _state["export"] = settings.read().data_dir / hall_of_fame.EXPORT_FILE
    except (ContentError, HubError) as e:
        raise PluginError(str(e)) from e
    _state["catalog"] = catalog
    if not getattr(config.plugins.get("i18n"), "building", False):  # on_config runs again for each language
        _state["audiences"], _state["synonyms"] = {}, {}
    _state["app_url"] = app_url or catalog.program.program.app_url
    if not any(isinstance(entry, dict) and "Courses" in entry for entry in config.nav or []):
        config.nav = [*(config.nav or []), courses_nav(catalog)]
    if not any(isinstance(entry, dict) and "News" in entry for entry in config.nav or []):
        config.nav = [*(config.nav or []), {"News": f"{NEWS}.md"}]
    _translate_course_titles(config, catalog)
    return config


def _translate_course_titles(config: Any, catalog: Catalog) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    for language in i18n.config.languages:
        if language.locale != "en":
            translations = language.nav_translations or {}
            translations.update({c.title.en: c.title.get(language.locale) for c in catalog.courses.values()})
            translations["News"] = WORDS.get(language.locale, WORDS["en"])["title"]
            language.nav_translations = translations


@event_priority(100)  # before the i18n plugin sorts files into languages
def on_files(files: Files, config: Any) -> Files:
    pages = {**course_pages(_state["catalog"], _state["app_url"]), **_state["news"]}
    pages.update(hall_of_fame.pages(_state["catalog"], _state["export"]))
    _state["pages"] = pages
    for source in [f for f in files if f.src_uri.startswith(f"{SOURCE_DIR}/")]:
        files.remove(source)  # the news page's source, not pages of their own
    for path, markdown in pages.items():
        file = File.generated(config, path, content=markdown)
        # The i18n plugin sorts files by where they would sit in docs_dir and re-creates them from that
        # path, so give each page its would-be path here and its content back once the plugin is done.
        file.abs_src_path = os.path.join(config.docs_dir, path)
        files.append(file)
    return files


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    # The first event after the i18n plugin's on_files: give the re-created pages their content back.
    for file in files:
        markdown = _state["pages"].get(file.src_uri)
        if markdown is not None:
            file.content_string = markdown
    return nav


def _lang(config: Any) -> str:
    i18n = config.plugins.get("i18n")
    return str(getattr(i18n, "current_language", None) or "en")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    problem = audiences.audience_problem(page.meta, page.file.src_uri)
    if problem:
        raise PluginError(problem)
    lang = getattr(page.file, "locale_alternate_of", None) or "en"
    markdown = chrome.app_links(markdown, _state["app_url"])
    return expand_markers(markdown, _state["catalog"], lang, page.file.src_uri, _state["app_url"])


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _state["audiences"][page.url] = page.meta["audience"]
    if page.meta.get("synonyms"):
        _state["synonyms"][page.url] = [str(word) for word in page.meta["synonyms"]]
    return context


def on_env(env: Any, config: Any, files: Files) -> Any:
    # Once per language build: the chrome's strings and links in that language, for every template.
    lang = _lang(config)
    site_name = config.site_name
    root = (config.site_url or "/").rstrip("/").split("://", 1)[-1].partition("/")[2]
    site_root = "/" + (root + "/" if root else "") + ("zh/" if lang == "zh" else "")
    env.globals["hub"] = {
        **chrome.labels(lang, site_name),
        "lang": lang,
        "links": chrome.links(lang, _state["app_url"], site_root),
        "root": site_root,
    }
    return env


def on_post_page(output: str, page: Any, config: Any) -> str:
    return chrome.localise_html(output, _lang(config), config.site_name)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    output = chrome.localise_html(output, _lang(config), config.site_name)
    if template_name == "404.html" and _lang(config) == "en":
        _state["en_404"] = output  # the Chinese build writes 404.html too; the English one goes back at the end
    return output


@event_priority(-200)  # after the i18n plugin's post-build, which builds Chinese and merges the search index
def on_post_build(config: Any) -> None:
    site = Path(config.site_dir)
    if getattr(config.plugins.get("i18n"), "building", False):  # the Chinese build, inside the English one
        (site / "zh").mkdir(exist_ok=True)
        shutil.copyfile(site / "404.html", site / "zh/404.html")  # it just wrote its 404 over the English one
        if "en_404" in _state:
            (site / "404.html").write_text(_state["en_404"], encoding="utf-8")
        return
    _finish(site, config)


def _finish(site: Path, config: Any) -> None:
    page_audiences = _state["audiences"]
    index_file = site / "search/search_index.json"
    if index_file.is_file():
        index = json.loads(index_file.read_text(encoding="utf-8"))
        for path, split in audiences.search_indexes(index, page_audiences, _state["synonyms"], _segmenter()).items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(json.dumps(split, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    audiences.write_public_sitemap(site, config.site_url or "", page_audiences)
    audiences.write_manifest(site, page_audiences)


def _segmenter() -> Any:
    try:
        import jieba  # Material's search plugin segments Chinese with it when installed
    except ImportError:
        return None
    return lambda text: [word for word in jieba.cut(text) if word.strip()]


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = _root(config)
    server.watch(str(root / "courses"))
    server.watch(str(root / "program.yml"))
    return server
