"""MkDocs hook: publishes the course catalog and the program tables from courses/ and program.yml.

Thin on purpose: the pages come from hub_app.publishing.courses and hub_app.publishing.tables, which know
nothing of MkDocs. Answer keys never pass through here (only item counts and the attempt policy).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from hub_app.catalog import Catalog, ContentError, load_catalog
from hub_app.catalog.announcements import load_announcements
from hub_app.kernel import settings
from hub_app.kernel.errors import HubError
from hub_app.publishing import hall_of_fame
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


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    lang = getattr(page.file, "locale_alternate_of", None) or "en"
    return expand_markers(markdown, _state["catalog"], lang, page.file.src_uri)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = _root(config)
    server.watch(str(root / "courses"))
    server.watch(str(root / "program.yml"))
    return server
