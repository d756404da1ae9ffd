"""MkDocs hooks: the thin adapter between MkDocs (or ProperDocs) and the `cchc` package.

All decisions (what is published, which pages exist, what they show) are made in `cchc`;
this module only turns its outputs into MkDocs virtual files and template context.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import html as _html
import logging
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from cchc import incremental, search, session
from cchc.build import SiteBuild
from cchc.content import ArticleCache, load_content
from cchc.attachments import build_labels as attachment_labels
from cchc.convert import BodyStore, MarkdownSetup, article_jobs, convert_for_preview
from cchc.dates import BuildDateError, checked_build_time, to_vn
from cchc.diagnostics import ContentError, format_capped
from cchc.generators.legal import markdown_extension as legal_links
from cchc.outputs import AssetOutput, PageOutput
from cchc.settings import SettingsError, SiteSettings
from cchc.text import heading_slug

log = logging.getLogger("mkdocs.plugins.cchc")

# State of the current build (this module is re-executed for each build).
_build: SiteBuild | None = None
_pages: dict[str, PageOutput] = {}  # virtual source path → page output
_home: PageOutput | None = None
_late_files: list[tuple[File, AssetOutput]] = []  # rendered once every page is converted
_late_dir: Path | None = None  # where late files are rendered to (the engine copies them from there)
_article_dates: dict = {}  # article url → last change (sitemap <lastmod>)
_bodies: BodyStore | None = None  # article bodies, converted once (cchc.convert)
_legal_ext = None  # the citation-linking Markdown extension of this build
# Stands where an article's body goes in its rendered page until the page is written.
BODY_MARKER = "<!--cchc:article-body-->"
# A page whose rendering is already in the page store gets this template (it renders nothing)
# and the stored page is written instead (on_post_page).
CACHED_TEMPLATE = "cchc/cached.html"


def cache_root(config) -> Path:
    """Persistent caches (article bodies, search index): CCHC_CACHE_DIR or .cache beside mkdocs.yml."""
    configured = os.environ.get("CCHC_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(config.config_file_path or ".").resolve().parent / ".cache"


def on_startup(command: str, dirty: bool) -> None:
    logging.getLogger("mkdocs.commands.build").addFilter(_quiet_stored_pages)
    session.preview = command == "serve"
    session.dirty = dirty
    session.incremental = session.preview and dirty
    if session.incremental:
        session.preview_state = incremental.PreviewState()
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """`--dirty` is safe here (cchc.incremental decides what is stale): drop MkDocs' warning."""
    return "'dirty' build" not in record.getMessage()


def _quiet_stored_pages(record: logging.LogRecord) -> bool:
    """A page published from the page store is "skipped" by the engine on purpose."""
    message = record.getMessage()
    return not (message.startswith("Page skipped: '") and message[len("Page skipped: '"):].split("'", 1)[0]
                in _cached_pages)


def on_config(config):
    """Load and check all content before MkDocs touches the output folder.

    Raising here (not later) matters: MkDocs cleans site_dir right after on_config, so an
    error found now leaves the previous build, and the live preview, untouched.
    """
    global _build, _home, _site_key_cache, _legal_ext
    _site_key_cache = None
    try:
        now = checked_build_time()  # CCHC_BUILD_DATE / SOURCE_DATE_EPOCH: a message, not a traceback
    except BuildDateError as exc:
        raise PluginError(str(exc)) from None
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
    if session.article_cache is None:  # read once per process: the preview keeps it in memory
        session.article_cache = ArticleCache(cache_root(config) / "articles.pickle", incremental.code_version())
    content = load_content(settings.content_dir, iframe_hosts=settings.iframe_hosts, cache=session.article_cache)
    warnings = content.diagnostics.warnings
    if warnings:
        log.info(format_capped(warnings))
    if content.diagnostics.errors:
        errors = content.diagnostics.errors
        report = format_capped(errors)  # at most a few hundred lines, then how many more
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
    _build = SiteBuild(content, settings, now)
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
    _legal_ext = legal_links(_build)
    config.markdown_extensions.append(_legal_ext)  # document citations → their pages
    if str(settings.content_dir) not in [str(Path(w)) for w in config.watch]:
        config.watch.append(str(settings.content_dir))  # the preview follows edits to articles
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
                # Material prints navigation labels unescaped: category names are data, escape them.
                children += [{_html.escape(c.name): f"chuyen-muc/{c.id}/index.md"} for c in build.sorted_categories()]
                expanded.append({title: children})
                continue
        expanded.append(item)
    return expanded


def on_files(files, config):
    for output in _build.outputs:
        if isinstance(output, AssetOutput):
            if output.render is not None:
                file = File.generated(config, output.path, abs_src_path=str(_late_path(output.path)))
                _late_files.append((file, output))
            elif output.source is not None:
                file = File.generated(config, output.path, abs_src_path=str(output.source))
            else:
                file = File.generated(config, output.path, content=output.content or b"")
        elif output.context_only:
            continue
        else:
            # Article bodies are converted by cchc.convert, not by the engine: it gets no copy.
            file = File.generated(config, output.source_uri,
                                  content="\n" if output.kind == "article" else "\n" + output.markdown)
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
    _convert_bodies(files, config)
    _fingerprint_pages(config)
    if session.incremental:
        for file in files.documentation_pages():
            output = _pages.get(file.src_uri)
            if file.generated_by is not None and output is not None:
                _mark_changes(file, _prints[file.src_uri])
            elif file.generated_by is None:  # staff pages: the nav, templates or home lists may change
                _mark_changes(file, _staff_print(file, config))
    return files


_prints: dict[str, str] = {}  # virtual source path → fingerprint of the page (cchc.incremental)
_cached_pages: dict[str, str] = {}  # source path → fingerprint, for pages read from the page store
_page_store: incremental.PageStore | None = None


def _fingerprint_pages(config) -> None:
    """A fingerprint for every generated page: what it shows, its article body, and the site."""
    global _page_store
    key = _site_key(config)
    _prints.clear()
    _cached_pages.clear()
    for src, output in _pages.items():
        body = None
        if output.kind == "article":
            converted = _bodies.converted[output.url]
            body = (converted.key, converted.refs)
        _prints[src] = incremental.page_fingerprint(output, key, body)
    _rendered.clear()
    # Not in the preview: it rewrites files in place (--dirty), which would change stored pages
    # linked to them; it skips unchanged pages by itself.
    _page_store = None if session.preview else incremental.PageStore(cache_root(config) / "pages")


def _convert_bodies(files, config) -> None:
    """Convert every article body now (cached, in worker processes), before pages are read."""
    global _bodies
    setup = MarkdownSetup(
        extensions=tuple(e for e in config.markdown_extensions if isinstance(e, str)),
        configs=dict(config.mdx_configs or {}),
        legal=_legal_ext,
        iframe_hosts=_build.settings.iframe_hosts,
        targets={f.src_uri: f.url for f in files},
        documents=attachment_labels(_build),  # links to attachments show "PDF, 1,2 MB"
        time_limit=_build.settings.conversion_time_limit,
    )
    _bodies = BodyStore(setup, cache_root(config) / "bodies")
    articles = [o for o in _pages.values() if o.kind == "article"]
    jobs = article_jobs(_build, articles)
    if session.preview:  # a body that cannot be converted shows a notice; the preview keeps answering
        problems = convert_for_preview(_bodies, jobs)
        if problems:
            log.error(problems)
    else:
        try:
            _bodies.convert_all(jobs)
        except ContentError as exc:  # a body over its time budget, or its conversion helper killed
            raise PluginError(str(exc)) from None
    for output in articles:
        for link in _bodies.converted[output.url].problems:
            log.warning(f"{output.source}: liên kết “{link}” không trỏ tới tệp nào của trang; để nguyên.")
    _build.article_html = _bodies.by_url()
    if not session.preview:  # nothing reads the Markdown again; at thousands of articles it is tens of MB
        for output in articles:
            output.markdown = ""
        for article in _build.content.articles:
            article.body = ""


def on_pre_page(page, config, files):
    """Articles and generated listings need no Markdown conversion by the engine."""
    output = _pages.get(page.file.src_uri)
    if output is not None:
        page.render = _article_render(page) if output.kind == "article" else _no_render(page)
    return page


def _article_render(page):
    def render(config, files):
        converted = _bodies.converted[_pages[page.file.src_uri].url]
        page.content = BODY_MARKER
        page.toc = get_toc(converted.toc)
        page.present_anchor_ids = set(converted.anchors)
        page.links_to_anchors = None
    return render


def _no_render(page):
    def render(config, files):
        page.content = ""
        page.toc = get_toc([])
        page.present_anchor_ids = set()
        page.links_to_anchors = None
    return render


_current_prints: dict[str, str] = {}


def _site_key(config) -> str:
    """Everything every page depends on: configuration, navigation, templates, code, engine."""
    global _site_key_cache
    if _site_key_cache is None:
        # Theme folders (the overrides), except installed packages' (keyed by their versions).
        installed = Path(sysconfig.get_paths()["purelib"]).resolve()
        folders = [Path(d) for d in config.theme.dirs if not Path(d).resolve().is_relative_to(installed)]
        folders += [Path(__file__).resolve().parent, Path(config.docs_dir) / "assets"]
        try:
            config_text = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        except OSError:
            config_text = b""
        engine = "properdocs" if "properdocs" in sys.modules else "mkdocs"
        _site_key_cache = incremental.digest(
            config.site_url, config.site_name, dict(config.extra), config.nav, _build.preview,
            sorted((str(k), repr(v)) for k, v in dict(config.theme).items()),
            incremental.tree_key(folders), hashlib.sha256(config_text).hexdigest(), engine,
            incremental.code_version((engine, "mkdocs", "mkdocs-material", "jinja2", "markdown",
                                      "pymdown-extensions", "nh3", "markupsafe", "babel")),
        )
    return _site_key_cache


def _staff_print(file, config) -> str:
    stat = Path(file.abs_src_path).stat()
    return incremental.digest(_site_key(config), file.src_uri, stat.st_mtime_ns, stat.st_size,
                              _prints.get("index.md") if file.src_uri == "index.md" else None,
                              _home.context if file.src_uri == "index.md" and _home else None)


def _mark_changes(file, print_: str) -> None:
    """Tell MkDocs' --dirty build whether this page must be rendered again."""
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
        if id(page) not in _nav_pages:  # a page in the navigation keeps its label there
            page.title = _html.escape(output.title)
        page.meta["template"] = output.template
        page.meta["description"] = _html.escape(output.description)
        print_ = _prints.get(page.file.src_uri)
        if print_ is not None and _page_store is not None and _page_store.has(print_):
            page.meta["template"] = CACHED_TEMPLATE  # the stored page is written instead
            _cached_pages[page.file.src_uri] = print_
    elif "template" not in page.meta:
        page.meta["template"] = output.template
    return markdown


def _lastmod(output: PageOutput | None) -> str:
    article = _article_dates.get(output.url) if output is not None else None
    return to_vn(article or _build.now).date().isoformat()


def on_nav(nav, config, files):
    global _nav_pages, _nav_links
    _nav_pages = {id(p) for p in nav.pages}
    _nav_links = _flat_links(nav.items)
    _nav_keys.clear()
    _rendered_once.clear()
    return nav


_nav_pages: set[int] = set()
_nav_links: list[str] = []
_rendered_once: dict = {}


def _flat_links(items) -> list[str]:
    links = []
    for item in items:
        if getattr(item, "url", None) is not None:
            links.append(item.url)
        links += _flat_links(getattr(item, "children", None) or [])
    return links


def nav_key(page):
    """Pages outside the navigation show it identically when every link in it is written the same
    (links are relative to the page): render it once per such key.  None: render as usual."""
    if id(page) in _nav_pages:
        return None
    url = page.url
    folder, slash, _ = url.rstrip("/").rpartition("/")
    if not url.endswith("/") or any((link + "/").startswith(url) for link in _nav_links):
        return tuple(get_relative_url(link, url) for link in _nav_links)
    # No link is at or below this page's folder: every link is written as from any other page
    # folder of the same parent (e.g. all articles of a month), so compute it once per parent.
    key = _nav_keys.get(folder + slash)
    if key is None:
        key = _nav_keys[folder + slash] = tuple(get_relative_url(link, url) for link in _nav_links)
    return key


_nav_keys: dict[str, tuple] = {}  # parent folder → nav_key of its page folders (see nav_key)


def _render_once(name, key, caller):
    """Template helper: `{% call cchc_once(name, key) %}…{% endcall %}` renders the body once per key."""
    if key is None:
        return caller()
    cached = _rendered_once.get((name, key))
    if cached is None:
        cached = _rendered_once[(name, key)] = caller()
    return cached


class _Translations:
    """The theme's `lang` (partials/language.html), made once per build instead of once per page:
    each page imported it with its context and called its macros ~6 times (~0.8 s of template
    time at 3000 articles).  `lang.t(key)` gives exactly what the macro gives, remembered."""

    def __init__(self, env, config):
        self._macro = env.get_template("partials/language.html").make_module({"config": config}).t
        self._known: dict[str, str] = {}

    def t(self, key):
        text = self._known.get(key)
        if text is None:
            text = self._known[key] = self._macro(key)
        return text


def on_env(env, config, files):
    """Every page is converted now: render the files that reuse the pages' HTML."""
    env.globals["cchc_once"] = _render_once
    env.globals["lang"] = _Translations(env, config)
    _release_free_memory()
    # Compiled templates are kept between builds (Jinja checks each template's source).
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(_cache_folder(config, "jinja")))
    _start_search_index(config)
    if _indexer is not None:
        _index_articles(env, config)
    store = incremental.PageStore(cache_root(config) / ("files-preview" if session.preview else "files"))
    page_prints = {o.url: _prints[src] for src, o in _pages.items() if o.kind == "article"}
    kept: set[str] = set()
    for file, output in _late_files:  # one at a time, straight to disk: feeds are large
        print_ = None
        if output.inputs is not None:
            print_ = incremental.digest(_site_key(config), output.path, output.inputs,
                                        [page_prints.get(url) for url in output.inputs.get("articles", [])])
            kept.add(print_)
            if store.has(print_):
                file.abs_src_path = str(store.path(print_))  # the engine copies the stored file
                continue
        Path(file.abs_src_path).parent.mkdir(parents=True, exist_ok=True)
        Path(file.abs_src_path).write_bytes(output.render())
        if print_ is not None:
            store.keep(print_, Path(file.abs_src_path))
    store.finish(kept)
    return env


def _release_free_memory() -> None:
    """Hand the memory the Markdown conversions left free back to the system before the pages
    are rendered (glibc keeps freed heap otherwise): about 10 MiB less at the build's peak
    with 3000 articles (notes/performance.md).  A no-op where libc has no malloc_trim."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _index_articles(env, config) -> None:
    """Give the search indexer every article now, so Pagefind works on the other core while the
    pages are written: the article element (cchc/article_main.html, what search indexes) is
    rendered on its own, and again inside its page (~0.5 s for 3000 articles: cheaper than
    holding 3000 elements until their pages are rendered); an article whose page is in the page
    store gives the digest of its searchable part stored with it (read again only if its shard
    must be indexed).  tests/test_search.py checks the index equals Pagefind's of the pages."""
    template = env.get_template("cchc/article_main.html")
    site = _site_context(config)
    for src, output in _pages.items():
        if output.kind != "article":
            continue
        print_ = _prints[src]
        digest = _page_store.digests.get(print_) if _page_store is not None and _page_store.has(print_) else None
        if digest is not None:
            _page_store.remember_digest(print_, digest)
            _indexer.add_page(output.url, digest=digest, read=lambda p=print_: _page_store.read(p))
            continue
        element = template.render(cchc=output.context, cchc_page=_page_extras(output), cchc_site=site,
                                  base_url=get_relative_url(".", output.url), config=config,
                                  page={"content": _bodies.html(output.url)})
        digest = _indexer.add_page(output.url, element)
        if _page_store is not None:
            _page_store.remember_digest(print_, digest)


def _cache_folder(config, name: str) -> Path:
    folder = cache_root(config) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder



def _site_context(config) -> dict:
    return {
        "preview": _build.preview if _build else False,
        "feeds": [
            {"type": "application/rss+xml", "title": "RSS – " + config.site_name, "href": "rss.xml"},
            {"type": "application/atom+xml", "title": "Atom – " + config.site_name, "href": "atom.xml"},
        ],
        "site_url": _build.settings.site_url if _build else "",
        "department": _build.settings.department if _build else "",
        "province": _build.settings.province if _build else "",
    }


def _page_extras(output: PageOutput) -> dict:
    extras = {"kind": output.kind, "image": output.image, "feeds": output.feeds, "noindex": output.noindex}
    if output.kind == "article":
        extras["summary_in_body"] = _bodies.converted[output.url].summary_in_body
    return extras


def on_page_context(context, page, config, nav):
    if page.file.src_uri in _cached_pages:
        return context  # the stored page is written as it is
    output = _output_for(page)
    context["cchc_site"] = _site_context(config)
    context["cchc_nav_key"] = nav_key(page)
    if output is not None:
        context["cchc"] = output.context
        context["cchc_page"] = _page_extras(output)
    else:
        context["cchc_page"] = {"kind": "doc", "image": "", "feeds": [], "noindex": False}
    return context


def on_post_page(output_html, page, config):
    """Put the stored article body where the template left its marker; hand the page to search."""
    output = _pages.get(page.file.src_uri)
    if output is None:
        return output_html
    print_ = _prints.get(page.file.src_uri)
    if page.file.src_uri in _cached_pages:
        target = Path(page.file.abs_dest_path)
        if not _page_store.publish(print_, target):
            raise PluginError(f"Bộ nhớ đệm trang bị xóa giữa lúc dựng ({page.file.src_uri}): chạy lại lệnh dựng trang.")
        return ""  # already in place: the engine writes nothing (its "Page skipped" note is dropped)
    if output.kind == "article":
        output_html = output_html.replace(BODY_MARKER, _bodies.html(output.url), 1)
    if _page_store is not None:
        written = Path(page.file.abs_dest_path)
        if session.dirty and written.exists():  # never write into a stored page linked there
            written.unlink()
        _rendered.append((print_, written))  # kept once written (on_post_build)
    return output_html


_rendered: list[tuple[str, Path]] = []


_indexer: search.ShardedIndexer | None = None


def _start_search_index(config) -> None:
    """Index article pages as they are written (see cchc.search): not on preview rebuilds."""
    global _indexer
    _stop_search_index()
    if session.incremental and session.preview_state.indexed_once:
        return  # saving an article shows the change at once; search in the preview may lag behind
    site_dir = Path(config.site_dir)
    if not _build.articles:
        shutil.rmtree(site_dir / search.BUNDLE_DIR, ignore_errors=True)
        return
    cache = cache_root(config) / ("search-preview" if session.preview else "search")
    _indexer = search.ShardedIndexer(site_dir, [a.url for a in _build.articles], cache,
                                     _build.settings.search_shard_size, _build.settings.search_step)


def _stop_search_index() -> None:
    global _indexer
    if _indexer is not None:
        _indexer.abort()
    _indexer = None


LATE_PREFIX = "cchc-late-"


def _late_path(path: str) -> Path:
    global _late_dir
    if _late_dir is None:
        _remove_orphaned_late_dirs()
        _late_dir = Path(tempfile.mkdtemp(prefix=f"{LATE_PREFIX}{os.getpid()}-"))
    return _late_dir / path


def _remove_orphaned_late_dirs() -> None:
    """Late folders of builds that were killed (a preview stopped mid-build never reaches
    on_post_build): their process no longer exists, so nothing else can be using them."""
    for folder in Path(tempfile.gettempdir()).glob(LATE_PREFIX + "*-*"):
        pid = folder.name[len(LATE_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # alive (or not ours to signal): leave it


def _remove_late_dir() -> None:
    global _late_dir
    if _late_dir is not None:
        shutil.rmtree(_late_dir, ignore_errors=True)
        _late_dir = None


def on_build_error(error):
    _remove_late_dir()
    _stop_search_index()


def on_shutdown():
    _remove_late_dir()


def on_post_build(config):
    """Finish the search index of the written article pages (Pagefind; see cchc.search)."""
    global _indexer
    _remove_late_dir()
    if _page_store is not None:
        for print_, written in _rendered:
            _page_store.keep(print_, written)
        _page_store.finish(set(_prints.values()))
        log.info(f"Bộ nhớ đệm: {len(_rendered)} trang dựng mới, {_page_store.hits} trang không đổi được dùng lại; "
                 f"{_bodies.stats['converted']} bài chuyển Markdown, {_bodies.stats['hits']} bài dùng lại.")
        _rendered.clear()
    if session.incremental:
        _finish_incremental(config)
    if _indexer is None:
        return
    indexer, _indexer = _indexer, None
    try:
        result = indexer.finish()
    except search.SearchIndexError as exc:
        if session.preview:  # keep the preview usable; the search box says it found nothing
            log.error(str(exc))
            return
        raise PluginError(str(exc)) from None
    log.info(f"Tìm kiếm: đã lập chỉ mục {result.pages} bài viết ({result.bytes // 1024} KB, {result.shards} phần"
             f"{', bài viết không đổi: dùng lại chỉ mục trước' if result.cached else ''}).")


def _finish_incremental(config) -> None:
    """Remove what the previous preview build wrote and this one no longer produces."""
    state = session.preview_state
    site_dir = Path(config.site_dir).resolve()
    current = {out.path for out in _build.outputs if isinstance(out, AssetOutput)}
    current |= set(_current_prints)
    for rel in sorted(state.stale(current)):
        target = (site_dir / rel).resolve()
        if target.is_relative_to(site_dir) and target.is_file():
            target.unlink()
    state.written = current
    state.page_prints = dict(_current_prints)
    state.indexed_once = True
