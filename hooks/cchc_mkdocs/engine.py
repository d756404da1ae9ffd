"""The few places the adapter relies on MkDocs' internals rather than its public events.

Each exists because no public event can do it without a large cost, and each is checked by
tests/test_engine.py against the installed engine (MkDocs and ProperDocs), so an engine upgrade
that changes them fails a test instead of silently building a different site.
"""

from __future__ import annotations

import importlib

from mkdocs.structure.toc import get_toc

from .facts import engine_name

# MkDocs prints this on every `--dirty` rebuild; the preview is dirty on purpose (cchc decides
# which pages are stale), so `cchc serve` leaves the line out (cchc.engine_output).
DIRTY_WARNING_START = "A 'dirty' build is being performed"

# A build that is not --dirty empties the site folder first, except for hidden entries: the
# plugin sets the previous pages aside in a hidden folder meanwhile (cchc_mkdocs.site_in_place).
CLEAN_SKIPS_HIDDEN = "if entry.startswith('.'):"

# The engine does not write a page whose output is empty, and says so on its build module's
# logger: a page already in place is given no output, and that line is left out (site_in_place).
SKIPPED_PAGE = "Page skipped: '{src}'. Generated empty output."
BUILD_LOGGERS = ("mkdocs.commands.build", "properdocs.commands.build")


def skipped_page(message: str) -> str | None:
    """The source path in the engine's line about a page it skipped (`SKIPPED_PAGE`), else None."""
    start, end = SKIPPED_PAGE.split("{src}")
    if message.startswith(start) and message.endswith(end):
        return message[len(start):len(message) - len(end)]
    return None


def use_converted_body(page, content: str, toc_tokens: list, anchors) -> None:
    """Let `page` skip the engine's Markdown conversion: its HTML is ready (cchc.convert).

    MkDocs' `Page.render(config, files)` builds a new Markdown instance for every page (about a
    millisecond with the site's extensions: seconds over thousands of articles) and sets
    `content`, `toc`, `_title_from_render`, `present_anchor_ids` and `links_to_anchors`; this
    sets the same five (the title comes from the page's metadata, never from its body).
    """
    def render(config, files):
        page.content = content
        page._title_from_render = None
        page.toc = get_toc(toc_tokens)
        page.present_anchor_ids = set(anchors)
        page.links_to_anchors = None

    page.render = render


def set_modified(file, changed: bool) -> None:
    """In a `--dirty` build MkDocs writes a page only if `file.is_modified()`; for generated
    pages that compares no file dates, so say it from the page's fingerprint."""
    file.is_modified = lambda: changed


def render_page(page, config, doc_files, nav, env) -> str:
    """A page's template HTML, made as the engine's `_build_page` makes it before `on_post_page`
    (for cchc_mkdocs.render_helper, in its own process): the page marked active, the engine's
    context, the plugins' `on_page_context`, the page's template."""
    get_context = importlib.import_module(f"{engine_name()}.commands.build").get_context
    config._current_page = page
    try:
        page.active = True
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    finally:
        page.active = False
        config._current_page = None
