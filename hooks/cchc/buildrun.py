"""One build of the site from start to finish, whatever engine drives it.

The engine adapter (hooks/cchc_mkdocs/) creates a `BuildRun` per build and calls its steps in
the engine's order; a `PreviewSession` outlives the builds of one `mkdocs serve`.  Everything
here is plain data and files: which pages and files exist (`SiteBuild`), their article bodies
(`convert.BodyStore`), what can be reused from the build cache (`buildcache`), the search index
(`search.ShardedIndexer`), the feeds and other late files.  State lives in these two objects
and nowhere else.

Order of a build (the engine's events in brackets):
1. `BuildRun.load()` [config]: read and check the content, make every output;
2. `convert_bodies(targets)` [files]: convert the article bodies (cached), fingerprint pages;
3. `start_search()` and `index_articles(render)` [env]: the search index (Pagefind on the other core)
   gets the pages kept in the cache now, the others as they are written (5.);
4. `late_files()` [env]: feeds, rendered once every body is converted;
5. per page [page context / post page]: `stored_page()` gives a page kept from an earlier build
   (verified), else the engine renders it and `page_written()` keeps it;
6. `finish()` [post build]: search index, cache housekeeping, preview bookkeeping.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import failures, search
from .build import SiteBuild
from .buildcache import BuildCache, code_version, data_digest, digest
from .buildcache.files import read_own_file
from .buildcache.packs import entry_digest
from .content import Content, RecordCache, load_content
from .convert import BodyStore, ConversionFailed, MarkdownSetup, article_jobs, convert_for_preview
from .dates import to_vn
from .diagnostics import ContentError, Diagnostic, Diagnostics, format_capped
from .outputs import AssetOutput, PageOutput
from .picture_library import PictureLibrary, PictureMemo, derivative_collisions, picture_uses
from .pictures import picture_settings
from .settings import SettingsError, SiteSettings

# Stands where an article's body goes in its rendered page until the page is written.
BODY_MARKER = "<!--cchc:article-body-->"
LATE_PREFIX = "cchc-late-"
PREVIEW_SCRIPT = "xem-thu/bang-loi.js"  # preview only: the error panel
PREVIEW_ERRORS = "xem-thu/loi.json"
PANEL_ERRORS = 50  # errors listed in the panel (the rest are counted)
TRIM_EVERY = 500  # rendered pages between two returns of free heap to the system (peak memory)
# Site folders whose unchanged files a build leaves in place, removing itself what it no longer
# makes (the search bundle: cchc.search); a build that rewrites the site in place keeps them.
KEPT_IN_PLACE = (search.BUNDLE_DIR,)


@dataclass(frozen=True)
class FinishedPage:
    """A generated page as the build writes it, made in another process (`finished_page`)."""
    data: bytes  # the page's bytes: UTF-8, character references for what UTF-8 cannot hold
    searchable: bytes = b""  # an article's searchable part (cchc.search.searchable_digest)
    search_digest: str = ""
    store_digest: str = ""  # the page cache's entry digest of `data` (cchc.buildcache.packs)


class BuildFailure(Exception):
    """A problem that stops the build; the message is for staff (Vietnamese)."""


@dataclass
class PreviewSession:
    """What `mkdocs serve` keeps from one build to the next (one per serve process)."""

    dirty: bool = False  # the engine writes only changed pages into the existing folder
    records: RecordCache | None = None  # articles already read and checked, in memory
    pictures: "PictureMemo | None" = None  # what the image files were found to be, in memory
    last_good: Content | None = None  # the last content without errors (shown while errors stay)
    errors: list[Diagnostic] = field(default_factory=list)  # content errors of the latest build
    page_prints: dict[str, str] = field(default_factory=dict)  # dest path → fingerprint written there
    written: set[str] = field(default_factory=set)  # generated files of the previous build
    late_files: dict = field(default_factory=dict)  # served path → (key, stat) of the late file written there
    stores: dict = field(default_factory=dict)  # name → (identity, cache store): indexes kept in memory
    _job: threading.Thread | None = field(default=None, repr=False)  # the search index, after a build
    _after: list = field(default_factory=list, repr=False)  # steps waiting for that job to end
    _cancel: Callable[[], None] | None = field(default=None, repr=False)  # stops that job early
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _collector_paused: bool = field(default=False, repr=False)
    _hurry: bool = field(default=False, repr=False)  # a new build waits: the job's extra steps are put off

    def pause_collector(self) -> None:
        """A save's build runs without Python's cycle collector (its passes over the heap the
        preview keeps cost ~0.25 s a save at 1000 articles); `resume_collector` collects once
        the pages are served.  Not the first build: the largest, it keeps its collections."""
        if self.records is not None and gc.isenabled():
            gc.disable()
            self._collector_paused = True

    def resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()
            if not self._hurry:  # (else at the end of a later save: the new build is waiting)
                gc.collect()

    def unless_hurried(self, step: Callable[[], None]) -> Callable[[], None]:
        """`step` as a step after the background job that is skipped when a new build is
        waiting for the job to end (it must be safe to skip: done at a later save)."""
        return lambda: None if self._hurry else step()

    def changed(self, dest: str, print_: str, exists: bool) -> bool:
        return self.page_prints.get(dest) != print_ or not exists

    def kept(self, name: str, identity, make: Callable[[], object]):
        """The cache store `name`, kept open from one build to the next while `identity` (its
        folder and key) stays the same: its index is read once, not at every save.  Entries are
        still verified when read, so another build changing the cache meanwhile only costs time."""
        held = self.stores.get(name)
        if held is None or held[0] != identity:
            held = self.stores[name] = (identity, make())
        return held[1]

    def in_background(self, job: Callable[[], None], cancel: Callable[[], None] | None = None) -> None:
        """Run `job` once the build has returned: the engine serves the new pages at once and the
        search index follows (Pagefind and its shards take a second or two).  The next build
        starts only after it (`wait`), or stops it first (`cancel`: a save during the first
        build's indexing need not wait for all of it); steps given to `when_idle` meanwhile run
        after it.  The job reports its own errors (BuildRun._finish_search)."""
        def run() -> None:
            try:
                job()
            finally:
                with self._guard:
                    steps, self._after, self._job = self._after, [], None
                for step in steps:
                    step()

        thread = threading.Thread(target=run, name="cchc-preview-search", daemon=True)
        with self._guard:
            self._job, self._cancel = thread, cancel
        thread.start()

    def when_idle(self, *steps: Callable[[], None]) -> None:
        """Run `steps` (releasing the build's lock and cache) now, or after the background job."""
        with self._guard:
            if self._job is not None:
                self._after.extend(steps)
                return
        for step in steps:
            step()

    def wait(self, cancel: bool = False, hurry: bool = False) -> None:
        """Until the previous build's background job (and the steps after it) has ended;
        with `cancel`, stop it first (its work is redone by the next build where needed);
        with `hurry` (a new build waits), skip the steps that can be put off."""
        with self._guard:
            job, stop = self._job, self._cancel
        if job is None:
            return
        self._hurry = hurry
        if cancel and stop is not None:
            stop()
        try:
            job.join()
        finally:
            self._hurry = False


def when_idle(preview: PreviewSession | None, *steps: Callable[[], None]) -> None:
    """Run the end-of-build `steps` now, or in a preview after its background job (and then
    collect the build's garbage: PreviewSession.pause_collector)."""
    if preview is not None:
        preview.when_idle(*steps, preview.resume_collector)
        return
    for step in steps:
        step()


@dataclass(frozen=True)
class SiteFacts:
    """What every page depends on beyond its own data, as the engine's configuration says it:
    plain values for the site key (templates, configuration file, navigation, engine)."""

    config_dir: Path
    site_dir: Path
    docs_dir: Path
    parts: tuple  # anything else that changes every page (site_url, nav, theme options, …)
    template_folders: tuple[Path, ...]
    engine: str


class BuildRun:
    def __init__(self, settings: SiteSettings, now, cache: BuildCache, facts: SiteFacts,
                 log: Callable[[str, str], None], preview: PreviewSession | None = None):
        self.settings = settings
        self.now = now
        self.cache = cache
        self.facts = facts
        self.log = log  # log(level, message): "info", "warning", "error"
        self.preview = preview
        if preview is not None:
            preview.pause_collector()
        self.build: SiteBuild | None = None
        self.pages: dict[str, PageOutput] = {}  # virtual source path → page
        self.staff: dict[str, PageOutput] = {}  # context for staff pages in docs/ (index.md: the home page)
        self.prints: dict[str, str] = {}  # virtual source path → page fingerprint
        self.bodies: BodyStore | None = None
        self.indexer: search.ShardedIndexer | None = None
        self.rendered = 0
        self.reused = 0
        self._site_key: str | None = None
        self._pages_store = self._kept("pages", (cache.root,), lambda: cache.packed_blobs("pages"))
        self._files_store = cache.blobs("files")
        self._late_dir: Path | None = None
        self._index_later: Callable[[PageOutput], str] | None = None  # the preview's index_articles
        self._current_prints: dict[str, str] = {}  # dest → fingerprint (preview bookkeeping)

    def _kept(self, name: str, identity, make: Callable[[], object]):
        return self.preview.kept(name, identity, make) if self.preview is not None else make()

    # --- 1. content and outputs ------------------------------------------------------------
    def load(self) -> SiteBuild:
        """Read and check the content and make every output; BuildFailure with the report of
        every error (nothing has been written yet)."""
        if self.preview is None:  # (the preview's server threads would wait on one heap's lock)
            limit_heap_arenas()  # before the build starts its threads
        records = self._records()
        content = load_content(self.settings.content_dir, iframe_hosts=self.settings.iframe_hosts, cache=records,
                               pictures=self._picture_memo())
        warnings = content.diagnostics.warnings
        if warnings:  # a repeated warning said once, with its files; a few hundred lines at most
            self.log("info", format_capped(warnings))
        errors = [d for d in content.diagnostics.sorted() if d.is_error]
        if self.preview is not None:
            self.preview.errors = errors
        if errors:
            report = format_capped(errors)
            if self.preview is not None:
                # MkDocs' dev server blocks every request after a failed rebuild: the preview
                # builds the last good content (or, before there is one, the articles without
                # errors) and every page shows the errors in a panel (data/preview-errors.js).
                self.log("error", report + f"\n\nNội dung có {len(errors)} lỗi: bản xem thử giữ nội dung đúng gần "
                                           "nhất cho đến khi sửa xong (mỗi trang hiện bảng lỗi ở trên cùng).")
                content = self.preview.last_good or content
            else:
                raise BuildFailure(report + f"\n\nNội dung có {len(errors)} lỗi; chưa xuất bản gì. Sửa các lỗi trên "
                                            "(hoặc chạy `cchc check`) rồi thử lại.")
        elif self.preview is not None:
            self.preview.last_good = content
        build = SiteBuild(content, self.settings, self.now)
        build.pictures = self._prepare_pictures(build)
        try:
            outputs = build.run()
        except SettingsError as exc:  # e.g. feeds need site_url: fail before anything is written
            raise BuildFailure(f"mkdocs.yml: {exc}") from None
        except ContentError as exc:  # a data file read by a generator
            raise BuildFailure(str(exc)) from None
        self.build = build
        for output in outputs:
            if isinstance(output, PageOutput):
                (self.staff if output.context_only else self.pages)[output.source_uri] = output
        return build

    # --- pictures (cchc.picture_library) -----------------------------------------------------
    def _picture_memo(self) -> PictureMemo:
        """What each image file was found to be, by file stat: kept in memory by a preview,
        else in the build cache."""
        if self.preview is not None and self.preview.pictures is not None:
            return self.preview.pictures
        memo = PictureMemo(self.cache.blobs("picture-facts"))
        if self.preview is not None:
            self.preview.pictures = memo
        return memo

    def _prepare_pictures(self, build: SiteBuild) -> PictureLibrary:
        """The derivatives of every image the shown articles use, from the cache or made now
        (before any page: cards and bodies show their sizes).  An image that cannot be made
        stops the build with the article lines that use it (the preview says so and goes on)."""
        root = self.settings.content_dir
        library = PictureLibrary(picture_settings(self.settings), root, store=self.cache.trees("images"),
                                 memo=self._picture_memo(), warn=lambda m: self.log("warning", m))
        uses = picture_uses(build.articles, root)
        problems = library.prepare(uses)
        library.memo.save({use.path for use in picture_uses(build.content.articles, root)})
        diags = Diagnostics(root.parent)
        for use in uses:
            if use.path in problems:
                problem = problems[use.path]
                diags.error(use.article, use.line, f"ảnh “{_shown(use.path, root)}”: {problem.message}", problem.hint)
        for url, first, second in derivative_collisions(library):
            diags.error(second, 0, f"ảnh này và ảnh {_shown(first, root)} sẽ được đăng cùng một tên {url}",
                        "đổi tên một trong hai tệp ảnh (và sửa tên trong bài cho khớp)")
        errors = diags.sorted()
        if errors:
            if self.preview is None:
                raise BuildFailure(format_capped(errors) + f"\n\nCó {len(errors)} lỗi ảnh; chưa xuất bản gì. Sửa các "
                                                          "lỗi trên rồi thử lại.")
            self.preview.errors = self.preview.errors + errors
            self.log("error", format_capped(errors))
        return library

    def _records(self) -> RecordCache:
        """Articles already read: kept in memory by a preview, else read from the cache."""
        if self.preview is not None and self.preview.records is not None:
            return self.preview.records
        records = RecordCache(self.cache.blobs("articles"), code_version())
        if self.preview is not None:
            records.deferred = True  # written after the save's pages are served (finish)
            self.preview.records = records
        return records

    @property
    def assets(self) -> list[AssetOutput]:
        assets = [o for o in self.build.outputs if isinstance(o, AssetOutput)]
        if self.preview is not None:
            assets += self._preview_assets()
        return assets

    def _preview_assets(self) -> list[AssetOutput]:
        """The preview's error panel: its script, and the current errors (none: an empty list)."""
        errors = self.preview.errors
        data = {
            "note": "Trang bên dưới là bản đúng gần nhất; sửa các lỗi này rồi lưu tệp, trang tự cập nhật.",
            "errors": [{"where": f"{d.path}:{d.line}" if d.line else d.path, "message": d.message, "hint": d.hint}
                       for d in errors[:PANEL_ERRORS]],
            "more": max(0, len(errors) - PANEL_ERRORS),
        }
        return [AssetOutput(path=PREVIEW_SCRIPT, source=Path(__file__).resolve().parent / "data" / "preview-errors.js"),
                AssetOutput(path=PREVIEW_ERRORS, content=json.dumps(data, ensure_ascii=False).encode("utf-8"))]

    def output_for(self, src_uri: str) -> PageOutput | None:
        return self.pages.get(src_uri) or self.staff.get(src_uri)

    def site_context(self) -> dict:
        """What every page's template may use of the site (`cchc_site`)."""
        settings = self.settings
        return {
            "preview": settings.preview,
            "feeds": [
                {"type": "application/rss+xml", "title": "RSS – " + settings.site_name, "href": "rss.xml"},
                {"type": "application/atom+xml", "title": "Atom – " + settings.site_name, "href": "atom.xml"},
            ],
            "site_url": settings.site_url,
            "department": settings.department,
            "province": settings.province,
            "owner": self.build.owner() if self.build else "",  # the department's name in force now
        }

    def page_extras(self, output: PageOutput | None) -> dict:
        """What the page frame needs of a page (`cchc_page`): kind, sharing image, feeds, noindex."""
        if output is None:
            return {"kind": "doc", "image": "", "feeds": [], "noindex": False}
        extras = {"kind": output.kind, "image": output.image, "feeds": output.feeds, "noindex": output.noindex}
        if output.kind == "article":
            extras["summary_in_body"] = self.summary_in_body(output.url)
        return extras

    # --- 2. article bodies and fingerprints --------------------------------------------------
    def convert_bodies(self, setup: MarkdownSetup) -> None:
        """Convert every article body now (cached, spread over the cores), then fingerprint
        every generated page."""
        library = self.build.picture_library()
        # An original image is not published: links to it go to its largest derivative, and an
        # <img> of it becomes a <picture> of its derivatives (cchc.picture_markup).
        setup = replace(setup, targets={**setup.targets, **library.targets()}, pictures=library.markup())
        self.bodies = BodyStore(setup, self.cache, warn=lambda m: self.log("warning", m),
                                kept=self.preview.kept if self.preview is not None else None)
        articles = [o for o in self.pages.values() if o.kind == "article"]
        jobs = article_jobs(self.build, articles)
        if self.preview is not None:  # a body that cannot be converted shows a notice on its page
            problems = convert_for_preview(self.bodies, jobs)
            if problems:
                self.log("error", problems)
        else:
            try:
                self.bodies.convert_all(jobs)
            except ConversionFailed as exc:  # over its time budget, or its helper killed
                raise BuildFailure(str(exc)) from None
        del jobs
        for output in articles:
            for link in self.bodies.converted[output.url].problems:
                self.log("warning", f"{output.source}: liên kết “{link}” không trỏ tới tệp nào của trang; để nguyên.")
        if self.preview is None:  # nothing reads the Markdown again; at thousands of articles it is tens of MB
            self.bodies.release_markdown()
            self.build.content.bodies.release()
        key = self.site_key()
        for src, output in self.pages.items():
            body = None
            if output.kind == "article":
                converted = self.bodies.converted[output.url]
                body = (converted.key, converted.refs)
            self.prints[src] = data_digest((key, output.url, output.title, output.template, output.kind,
                                            output.description, output.markdown, output.context, output.feeds,
                                            output.image, output.noindex, body))

    def site_key(self) -> str:
        """Everything every page depends on: configuration, navigation, templates, code, engine."""
        if self._site_key is None:
            from .buildcache import tree_key

            folders = list(self.facts.template_folders) + [Path(__file__).resolve().parent,
                                                            self.facts.docs_dir / "assets"]
            self._site_key = digest(
                self.facts.parts, self.settings.preview, self.build.owner(),  # the name in every header
                tree_key(folders), self.facts.engine,
                code_version((self.facts.engine, "mkdocs", "mkdocs-material", "jinja2", "markdown",
                              "pymdown-extensions", "nh3", "markupsafe", "babel")),
            )
        return self._site_key

    def body_html(self, url: str) -> str:
        return self.bodies.html(url) if self.bodies is not None else ""

    def summary_in_body(self, url: str) -> bool:
        converted = self.bodies.converted.get(url) if self.bodies is not None else None
        return bool(converted and converted.summary_in_body)

    # --- preview: which pages the engine must write again ----------------------------------
    def page_changed(self, src: str, dest: str, exists: bool, staff_print: str | None = None) -> bool:
        """In a preview that writes into the previous folder: must this page be written again?"""
        print_ = self.prints.get(src) if staff_print is None else staff_print
        self._current_prints[dest] = print_
        return self.preview.changed(dest, print_, exists)

    def staff_page_print(self, src: str, path: Path) -> str:
        """Fingerprint of a staff page (docs/): the file, the site, and what the build adds to it
        (the home page's lists)."""
        stat = path.stat()
        extra = self.staff.get(src)
        return digest(self.site_key(), src, stat.st_mtime_ns, stat.st_size, extra.context if extra else None)

    # --- 3. search ----------------------------------------------------------------------------
    def start_search(self) -> None:
        """Index article pages as they are written (see cchc.search)."""
        if self.preview is None:  # (the preview keeps its heap: collecting costs each save ~0.2 s)
            release_free_memory()
        site_dir = self.facts.site_dir
        if not self.build.articles:
            shutil.rmtree(site_dir / search.BUNDLE_DIR, ignore_errors=True)
            return
        shards = self._kept("search", (self.cache.root,), lambda: self.cache.trees("search"))
        self.indexer = search.ShardedIndexer(site_dir, [a.url for a in self.build.articles], shards,
                                             self.settings.search_shard_size, self.settings.search_step,
                                             cached_last=self.preview is not None)

    def index_articles(self, render_element: Callable[[PageOutput], str]) -> None:
        """Give the search indexer every article whose page is kept in the cache now (the digest
        of its searchable part is stored with it; its HTML is read, verified, or rendered again
        with `render_element` only if its shard must be indexed); the others are given as their
        pages are written (`finish_page`), so Pagefind works on the other core meanwhile.
        tests/test_search.py checks the index equals Pagefind's of the pages."""
        if self.indexer is None:
            return
        if self.preview is not None:  # after the pages are served (finish: the background job)
            self._index_later = render_element
            return
        self._index_kept(self.indexer, render_element)

    def _index_kept(self, indexer: search.ShardedIndexer, render_element: Callable[[PageOutput], str]) -> None:
        for src, output in self.pages.items():
            if output.kind != "article":
                continue
            print_ = self.prints[src]
            meta = self._pages_store.read_meta(print_)
            if meta:
                indexer.add_page(output.url, digest=meta.decode("ascii", "replace"),
                                 read=lambda p=print_, o=output: self._stored_or_rendered(p, o, render_element))

    def _stored_or_rendered(self, print_: str, output: PageOutput, render_element) -> str:
        entry = self._pages_store.get(print_)
        return entry.payload.decode("utf-8") if entry is not None else render_element(output)

    # --- 4. late files --------------------------------------------------------------------------
    def late_path(self, path: str) -> Path:
        """Where a late file is written for the engine to copy: a private temporary folder; in a
        preview, the served folder itself (the engine copies nothing then, and a feed none of
        whose inputs changed is not written again)."""
        if self.preview is not None:
            return self.facts.site_dir / path
        if self._late_dir is None:
            _remove_orphaned_late_dirs()
            self._late_dir = Path(tempfile.mkdtemp(prefix=f"{LATE_PREFIX}{os.getpid()}-"))
        return self._late_dir / path

    def write_late_files(self, files: list[tuple[Path, AssetOutput]]) -> None:
        """Render each late file (feeds) to its path, one at a time (feeds are large): reused from
        the cache while none of its inputs changed (verified), else rendered and kept."""
        page_prints = {o.url: self.prints[src] for src, o in self.pages.items() if o.kind == "article"}
        in_place = self.preview.late_files if self.preview is not None else None
        for path, output in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = None
            if output.inputs is not None:
                key = digest(self.site_key(), output.path, output.inputs,
                             [page_prints.get(url) for url in output.inputs.get("articles", [])])
                if in_place is not None and in_place.get(path) == (key, _stat_signature(path)):
                    continue  # the preview's file from the previous save is still this one
                entry = self._files_store.get(key)
                data = entry.payload if entry is not None else None
            if key is None or data is None:
                data = output.render(self.bodies)
                if key is not None:
                    self._files_store.put(key, data)
            if in_place is None:
                path.write_bytes(data)
                continue
            in_place.pop(path, None)
            _replace_file(path, data)  # (served meanwhile: never half written)
            if key is not None:
                in_place[path] = (key, _stat_signature(path))

    # --- 5. pages ---------------------------------------------------------------------------
    def page_in_place(self, src: str, path: str) -> bool:
        """Is the page this build makes for `src` already at `path`, byte for byte?  (A second
        build rewriting the previous site in place need not write it again.)  Checked against
        the hash kept with the stored page; only a regular file with no other name counts."""
        print_ = self.prints.get(src)
        if print_ is None:
            return False
        data = read_own_file(path)
        if data is None or not self._pages_store.matches(print_, data):
            return False
        self.reused += 1
        return True

    def renders(self, src: str) -> bool:
        """Will the engine render the page for `src`: a generated page no cache holds?"""
        print_ = self.prints.get(src)
        return print_ is not None and not self._pages_store.has(print_)

    def stored_page(self, src: str) -> str | None:
        """The page as an earlier build rendered it, verified; None: render it."""
        print_ = self.prints.get(src)
        if print_ is None:
            return None
        entry = self._pages_store.get(print_)
        if entry is None:
            return None
        self.reused += 1
        return entry.payload.decode("utf-8")

    def finish_page(self, src: str, html: str) -> str:
        """The engine rendered a generated page: put the article body in, keep the page."""
        output = self.pages.get(src)
        if output is None:
            return html
        digest = None
        if output.kind == "article":
            html = html.replace(BODY_MARKER, self.body_html(output.url), 1)
            if self.indexer is not None:
                digest = self.indexer.add_page(output.url, html)
        self._keep_page(src, html, digest)
        return html

    def finished_page(self, src: str, html: str) -> FinishedPage:
        """What `finish_page` makes of the engine's HTML, made without changing this run: in
        the render helper's process (cchc_mkdocs.render_helper).  `keep_finished` then does
        here what `finish_page` does with it."""
        output = self.pages.get(src)
        searchable, search_digest = b"", ""
        if output is not None and output.kind == "article":
            html = html.replace(BODY_MARKER, self.body_html(output.url), 1)
            searchable, search_digest = search.searchable_digest(html)
        data = html.encode("utf-8", errors="xmlcharrefreplace")
        print_ = self.prints.get(src) if output is not None else None
        return FinishedPage(data, searchable, search_digest, entry_digest(print_, data) if print_ else "")

    def keep_finished(self, src: str, page: FinishedPage) -> None:
        output = self.pages.get(src)
        if output is None:
            return
        digest = None
        if output.kind == "article" and self.indexer is not None:
            digest = self.indexer.add_page(output.url, searchable=page.searchable, digest=page.search_digest)
        self._keep_page(src, page.data, digest, page.store_digest)

    def _keep_page(self, src: str, page: str | bytes, search_digest: str | None, store_digest: str | None = None) -> None:
        print_ = self.prints.get(src)
        if print_ is not None:
            data = page.encode("utf-8", errors="xmlcharrefreplace") if isinstance(page, str) else page
            self._pages_store.put(print_, data, (search_digest or "").encode("ascii"), store_digest)
        self.rendered += 1
        if self.rendered % TRIM_EVERY == 0:
            trim_heap()

    # --- 6. the end -----------------------------------------------------------------------------
    def finish(self, helped: int = 0) -> None:
        """`helped`: how many of the pages rendered were rendered by a second process."""
        self.remove_late_dir()
        prints = set(self.prints.values())
        if self.preview is None:
            self._pages_store.retain(prints)
        if self.bodies is not None:
            helper = f" ({helped} trang do tiến trình thứ hai dựng)" if helped else ""
            self.log("info", f"Bộ nhớ đệm: {self.rendered} trang dựng mới{helper}, {self.reused} trang không đổi được dùng "
                             f"lại; {self.bodies.stats['converted']} bài chuyển Markdown, "
                             f"{self.bodies.stats['hits']} bài dùng lại.")
        library = self.build.pictures if self.build is not None else None
        if library is not None:
            library.retain()
            stats = library.stats
            self.log("info", f"Ảnh: {stats.made} ảnh xử lý mới ({stats.seconds:.1f} giây), {stats.reused} ảnh dùng lại "
                             f"từ bộ nhớ đệm; {stats.files} tệp ảnh được đăng.")
        if self.preview is not None and self.preview.dirty:
            self._finish_preview()
        indexer, self.indexer = self.indexer, None
        if self.preview is not None:  # the edited page is served while its search shard is indexed
            if indexer is not None:
                render, self._index_later = self._index_later, None
                self.preview.in_background(lambda: self._finish_search(indexer, render), cancel=indexer.cancel)
            # The cache indexes are saved once the pages are served (before the lock is released),
            # or by a later save's build when a new one is already waiting: they only spare time
            # at the next start, and saving one can mean copying its live entries (compaction).
            steps = [lambda: self._pages_store.retain(prints)]
            if self.bodies is not None:
                steps.append(self.bodies.packs.save)
            if self.preview.records is not None:  # the articles read, for the next start
                steps.append(self.preview.records.flush)
            self.preview.when_idle(*map(self.preview.unless_hurried, steps))
            return
        if indexer is None:
            return
        release_free_memory()  # the last shards run now, beside this process at its largest
        self._finish_search(indexer)

    def _finish_search(self, indexer: search.ShardedIndexer, render_element=None) -> None:
        try:
            if render_element is not None:  # the preview: the pages kept from earlier saves, now
                self._index_kept(indexer, render_element)
            result = indexer.finish()
        except search.SearchIndexError as exc:
            if indexer.cancelled:  # the preview saved again: its build makes the index
                return
            if self.preview is not None:  # keep the preview usable; the search box says it found nothing
                self.log("error", str(exc))
                return
            raise BuildFailure(str(exc)) from None
        except Exception as exc:  # the preview's background job: say it, the next save tries again
            if self.preview is None:
                raise
            where = None if self.cache.temporary else failures.write_log(exc, self.cache.root)
            self.log("error", "Chỉ mục tìm kiếm của bản xem thử chưa cập nhật được (lỗi không mong đợi: "
                              f"{type(exc).__name__}: {str(exc)[:200]})"
                              + (f"; chi tiết kỹ thuật đã ghi vào {where}" if where else "")
                              + ". Các trang vẫn xem được → Cách sửa: lưu lại tệp để dựng lại; nếu vẫn lỗi, gửi tệp "
                                "chi tiết đó cho người phụ trách kỹ thuật.")
            return
        self.log("info", f"Tìm kiếm: đã lập chỉ mục {result.pages} bài viết ({result.bytes // 1024} KB, "
                         f"{result.shards} phần{', bài viết không đổi: dùng lại chỉ mục trước' if result.cached else ''}).")

    def _finish_preview(self) -> None:
        """Remove what the previous preview build wrote and this one no longer produces."""
        state = self.preview
        site_dir = self.facts.site_dir.resolve()
        current = {out.path for out in self.assets} | set(self._current_prints)
        for rel in sorted(state.written - current):
            target = (site_dir / rel).resolve()
            if target.is_relative_to(site_dir) and target.is_file():
                target.unlink()
        state.written = current
        state.page_prints = dict(self._current_prints)

    def abort(self) -> None:
        """The build failed: stop the search index, remove temporary files."""
        self.remove_late_dir()
        indexer, self.indexer = self.indexer, None
        if indexer is not None:
            indexer.abort()

    def remove_late_dir(self) -> None:
        if self._late_dir is not None:
            shutil.rmtree(self._late_dir, ignore_errors=True)
            self._late_dir = None


def _stat_signature(path: Path) -> tuple | None:
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return stat.st_mode, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _replace_file(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _shown(path: Path, content_root: Path) -> str:
    try:
        return Path(path).relative_to(Path(content_root).resolve() / "news").as_posix()
    except ValueError:
        return Path(path).name


M_ARENA_MAX = -8  # glibc mallopt parameter


def limit_heap_arenas(count: int = 1) -> None:
    """Let the build's threads (search, article readers) allocate from one heap: glibc gives
    each thread its own arena otherwise, and memory freed in one is never reused by another
    (13 MiB less at the peak of a 3000-article build, notes/performance.md).  Process-wide;
    a no-op where libc has no mallopt."""
    try:
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, count)
    except (OSError, AttributeError):
        pass


def trim_heap() -> None:
    """Hand free heap back to the system (glibc's malloc_trim; a no-op elsewhere)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def release_free_memory() -> None:
    """Hand the memory the Markdown conversions left free back to the system before the pages
    are rendered (glibc keeps freed heap otherwise): about 10 MiB less at the build's peak
    with 3000 articles (notes/performance.md).  A no-op where libc has no malloc_trim."""
    gc.collect()
    trim_heap()


def _remove_orphaned_late_dirs() -> None:
    """Late folders of builds that were killed (a preview stopped mid-build never finishes):
    their process no longer exists, so nothing else can be using them."""
    from .buildcache.files import pid_alive

    for folder in Path(tempfile.gettempdir()).glob(LATE_PREFIX + "*-*"):
        pid = folder.name[len(LATE_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def lastmod(output: PageOutput | None, build: SiteBuild) -> str:
    """sitemap <lastmod> of a page: its article's last change, else "now" (never the wall clock)."""
    article = build.articles_by_url.get(output.url) if output is not None else None
    moment = (article.updated or article.date) if article is not None else build.now
    return to_vn(moment).date().isoformat()


def plain(value) -> object:
    """Engine configuration values as plain data for the site key."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return repr(value)
