"""MkDocs hooks: the thin adapter between MkDocs (or ProperDocs) and the `cchc` package.

All decisions (what is published, which pages exist, what they show) are made in `cchc`;
this module only turns its outputs into MkDocs virtual files and template context.
"""

from __future__ import annotations

import html as _html
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from cchc import incremental, search, session
from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.dates import build_time, to_vn
from cchc.diagnostics import ContentError
from cchc.generators.legal import markdown_extension as legal_links
from cchc.outputs import AssetOutput, PageOutput
from cchc.sanitize import clean_html
from cchc.settings import SettingsError, SiteSettings
from cchc.text import heading_slug

log = logging.getLogger("mkdocs.plugins.cchc")

# State of the current build (this module is re-executed for each build).
_build: SiteBuild | None = None
_pages: dict[str, PageOutput] = {}  # virtual source path → page output
_home: PageOutput | None = None
_late_files: list[tuple[File, AssetOutput]] = []  # rendered once every page is converted
_article_dates: dict = {}  # article url → last change (sitemap <lastmod>)


def on_startup(command: str, dirty: bool) -> None:
    session.preview = command == "serve"
    session.incremental = session.preview and dirty
    if session.incremental:
        session.preview_state = incremental.PreviewState()
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """`--dirty` is safe here (cchc.incremental decides what is stale): drop MkDocs' warning."""
    return "'dirty' build" not in record.getMessage()


def on_config(config):
    """Load and check all content before MkDocs touches the output folder.

    Raising here (not later) matters: MkDocs cleans site_dir right after on_config, so an
    error found now leaves the previous build, and the live preview, untouched.
    """
    global _build, _home, _site_key_cache
    _site_key_cache = None
    try:
        settings = SiteSettings.from_mapping(
            config.extra.get("cchc", {}) or {},
            base_dir=Path(config.config_file_path or ".").resolve().parent,
            site_url=config.site_url,
            site_name=config.site_name,
            description=config.site_description or "",
            preview=session.preview,
            theme_logo=str(config.theme.get("logo") or ""),
            docs_dir=Path(config.docs_dir),
        )
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    content = load_content(settings.content_dir, iframe_hosts=settings.iframe_hosts,
                           cache=session.article_cache if session.preview else None)
    for diagnostic in content.diagnostics.warnings:
        log.info(diagnostic.format())
    if content.diagnostics.errors:
        errors = [d.format() for d in content.diagnostics.sorted() if d.is_error]
        report = "\n".join(errors)
        if session.preview and session.last_good_content is not None:
            # MkDocs' dev server blocks every request after a failed rebuild; rebuilding
            # from the last good content keeps the preview usable while staff fix the file.
            log.error(report + f"\n\nNội dung có {len(errors)} lỗi: bản xem thử giữ nội dung đúng gần nhất cho đến khi sửa xong.")
            content = session.last_good_content
        else:
            raise PluginError(
                report
                + f"\n\nNội dung có {len(errors)} lỗi; chưa xuất bản gì. Sửa các lỗi trên (hoặc chạy `cchc check`) rồi thử lại."
            )
    else:
        session.last_good_content = content
    _build = SiteBuild(content, settings, build_time())
    try:
        outputs = _build.run()
    except SettingsError as exc:  # e.g. feeds need site_url: fail before site_dir is touched
        raise PluginError(f"mkdocs.yml: {exc}") from None
    except ContentError as exc:  # a data file read by a generator (content/documents.yml)
        raise PluginError(str(exc)) from None
    _pages.clear()
    _late_files.clear()
    _current_prints.clear()
    _article_dates.clear()
    _article_dates.update({a.url: a.updated or a.date for a in _build.articles})
    _home = None
    for output in outputs:
        if isinstance(output, PageOutput):
            if output.context_only and output.url == "":
                _home = output
            else:
                _pages[output.source_uri] = output

    toc = config.mdx_configs.setdefault("toc", {})
    toc["slugify"] = heading_slug
    toc.setdefault("permalink", True)
    config.nav = _expand_nav(config.nav, _build)
    config.markdown_extensions.append(legal_links(_build))  # document citations → their pages
    return config


def _expand_nav(nav, build: SiteBuild):
    """Put every category under the "Chuyên mục" entry (categories are data, not config)."""
    if not nav:
        return nav
    expanded = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            if target == "chuyen-muc/index.md":
                children = [{"Tất cả chuyên mục": "chuyen-muc/index.md"}]
                children += [{c.name: f"chuyen-muc/{c.id}/index.md"} for c in build.sorted_categories()]
                expanded.append({title: children})
                continue
        expanded.append(item)
    return expanded


def on_files(files, config):
    for output in _build.outputs:
        if isinstance(output, AssetOutput):
            if output.render is not None:
                file = File.generated(config, output.path, content=b"")
                _late_files.append((file, output))
            elif output.source is not None:
                file = File.generated(config, output.path, abs_src_path=str(output.source))
            else:
                file = File.generated(config, output.path, content=output.content or b"")
        elif output.context_only:
            continue
        else:
            file = File.generated(config, output.source_uri, content="\n" + output.markdown)
            if output.kind == "article":
                # The article keeps its source folder (so relative image links resolve) but is
                # published at its stable date/slug URL.
                file.dest_uri = output.url + "index.html"
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None and existing.generated_by is None:
            raise PluginError(
                f"docs/{file.src_uri} trùng đường dẫn với trang được tạo tự động ({file.url}); đổi tên hoặc xóa tệp trong docs/"
            )
        files.append(file)
        if session.incremental and isinstance(output, PageOutput):
            _mark_changes(file, output, config)
    if session.incremental:
        for file in files.documentation_pages():
            if file.generated_by is None:  # staff pages: the nav, templates or home lists may change
                _mark_changes(file, _home if file.src_uri == "index.md" else None, config)
    return files


_current_prints: dict[str, str] = {}


def _site_key(config) -> str:
    """Everything every page depends on: configuration, navigation, templates, code."""
    root = Path(config.config_file_path or ".").resolve().parent
    folders = [Path(d) for d in config.theme.dirs if Path(d).resolve().is_relative_to(root)]
    folders += [Path(__file__).resolve().parent, Path(config.docs_dir) / "assets"]
    return incremental.digest(config.site_url, config.site_name, dict(config.extra), config.nav,
                              _build.preview, incremental.tree_key(folders))


def _mark_changes(file, output: PageOutput | None, config) -> None:
    """Tell MkDocs' --dirty build whether this page must be rendered again."""
    global _site_key_cache
    if _site_key_cache is None:
        _site_key_cache = _site_key(config)
    if output is not None:
        print_ = incremental.page_fingerprint(output, _site_key_cache)
    else:
        stat = Path(file.abs_src_path).stat()
        print_ = incremental.digest(_site_key_cache, file.src_uri, stat.st_mtime_ns, stat.st_size)
    _current_prints[file.dest_uri] = print_
    state = session.preview_state
    changed = state.page_prints.get(file.dest_uri) != print_ or not Path(file.abs_dest_path).exists()
    file.is_modified = lambda changed=changed: changed


_site_key_cache: str | None = None


def _output_for(page) -> PageOutput | None:
    if page.file.src_uri == "index.md":
        return _home
    return _pages.get(page.file.src_uri)


def on_page_markdown(markdown, page, config, files):
    output = _output_for(page)
    if _build is not None:  # sitemap <lastmod>: from the content and "now", never the wall clock
        page.update_date = _lastmod(output)
    if output is None:
        return markdown
    if not output.context_only:
        # Material prints page.meta.title/description/page.title unescaped (<title>, header,
        # <meta>): they are HTML there, so staff text goes in escaped.
        page.meta["title"] = _html.escape(output.title)
        page.title = _html.escape(output.title)
        page.meta["template"] = output.template
        page.meta["description"] = _html.escape(output.description)
    elif "template" not in page.meta:
        page.meta["template"] = output.template
    return markdown


def _lastmod(output: PageOutput | None) -> str:
    article = _article_dates.get(output.url) if output is not None else None
    return to_vn(article or _build.now).date().isoformat()


def on_page_content(html, page, config, files):
    output = _pages.get(page.file.src_uri)
    if output is not None and output.kind == "article":
        html = clean_html(html, _build.settings.iframe_hosts)  # before feeds reuse it
        _build.article_html[output.url] = html
        if session.incremental:
            session.preview_state.article_html[output.url] = html
    return html


def on_env(env, config, files):
    """Every page is converted now: render the files that reuse the pages' HTML."""
    if session.incremental:  # pages skipped by --dirty: their HTML from the previous build
        for url, html in session.preview_state.article_html.items():
            _build.article_html.setdefault(url, html)
    for file, output in _late_files:
        file.content_bytes = output.render()
    return env


def on_page_context(context, page, config, nav):
    output = _output_for(page)
    site = {
        "preview": _build.preview if _build else False,
        "feeds": [
            {"type": "application/rss+xml", "title": "RSS – " + config.site_name, "href": "rss.xml"},
            {"type": "application/atom+xml", "title": "Atom – " + config.site_name, "href": "atom.xml"},
        ],
        "site_url": _build.settings.site_url if _build else "",
        "department": _build.settings.department if _build else "",
        "province": _build.settings.province if _build else "",
    }
    context["cchc_site"] = site
    if output is not None:
        context["cchc"] = output.context
        context["cchc_page"] = {
            "kind": output.kind,
            "image": output.image,
            "feeds": output.feeds,
            "noindex": output.noindex,
        }
    else:
        context["cchc_page"] = {"kind": "doc", "image": "", "feeds": [], "noindex": False}
    return context


def on_post_build(config):
    """Index the written article pages for the search box (Pagefind; see cchc.search)."""
    if session.incremental:
        if not _finish_incremental(config):
            return
    cache = Path(config.config_file_path or ".").resolve().parent / ".cache" / "cchc-search"
    try:
        result = search.build_index(Path(config.site_dir), len(_build.articles) if _build else 0,
                                    cache / ("preview" if session.preview else "site"))
    except search.SearchIndexError as exc:
        if session.preview:  # keep the preview usable; the search box says it found nothing
            log.error(str(exc))
            return
        raise PluginError(str(exc)) from None
    if _build and result.pages != len(_build.articles):
        log.warning(f"Tìm kiếm: đã lập chỉ mục {result.pages} trang, nhưng có {len(_build.articles)} bài viết.")
    else:
        log.info(f"Tìm kiếm: đã lập chỉ mục {result.pages} bài viết ({result.bytes // 1024} KB"
                 f"{', bài viết không đổi: dùng lại chỉ mục trước' if result.cached else ''}).")


def _finish_incremental(config) -> bool:
    """Remove what the previous preview build wrote and this one no longer produces.

    Returns whether the search index should be rebuilt: only on the first preview build, so
    saving an article shows the change at once (search in the preview may lag behind).
    """
    state = session.preview_state
    site_dir = Path(config.site_dir).resolve()
    current = {out.path for out in _build.outputs if isinstance(out, AssetOutput)}
    current |= set(_current_prints)
    for rel in sorted(state.stale(current)):
        target = (site_dir / rel).resolve()
        if target.is_relative_to(site_dir) and target.is_file():
            target.unlink()
    known_urls = {a.url for a in _build.articles}
    for url in [u for u in state.article_html if u not in known_urls]:
        del state.article_html[url]
    state.written = current
    state.page_prints = dict(_current_prints)
    first = not state.indexed_once
    state.indexed_once = True
    return first
