"""The MkDocs plugin `cchc`: translates between the engine's events and `cchc.buildrun`.

All decisions (what is published, which pages exist, what they show, what is cached) are made
in the `cchc` package; this class only turns them into MkDocs virtual files, page metadata and
template context, and engine errors into Vietnamese messages.  State: one `BuildRun` per build
(made in `on_config`, dropped when the build ends) and, under `mkdocs serve`, one
`PreviewSession` kept across rebuilds (MkDocs keeps a plugin that has `on_startup`).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from cchc import failures
from cchc.attachments import build_labels as attachment_labels
from cchc.buildcache import BuildCache, CacheBusy, default_root
from cchc.buildrun import BODY_MARKER, KEPT_IN_PLACE, BuildFailure, BuildRun, PreviewSession, SiteFacts, lastmod, \
    plain, when_idle
from cchc.convert import BodyUnavailable, MarkdownSetup
from cchc.dates import BuildDateError, checked_build_time
from cchc.generators.legal import markdown_extension as legal_links
from cchc.outputs import PageOutput
from cchc.settings import SettingsError, SiteSettings
from cchc.text import heading_slug

from . import engine
from .facts import add_file, drop_preview_only, engine_name, expand_nav, file_digest, needed_space, theme_folders
from .page_writer import PageWriter
from .render_helper import RenderHelper
from .site_in_place import SiteInPlace
from .templates import PageTemplates, Translations, VerifiedBytecodeCache

log = logging.getLogger("mkdocs.plugins.cchc")
LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


class CchcPlugin(BasePlugin):
    def __init__(self):
        super().__init__()
        self.preview: PreviewSession | None = None
        self.rewrite_in_place = False  # `mkdocs build` without --dirty (see site_in_place)
        self._reset()

    def _reset(self) -> None:
        self.run: BuildRun | None = None
        self.cache: BuildCache | None = None
        self.lock = None
        self.templates: PageTemplates | None = None
        self.late: list = []  # (File, AssetOutput) rendered in on_env
        self.stored: dict[str, str] = {}  # source path → page kept from an earlier build, until written
        self.legal = None  # the Markdown extension linking document citations
        self.in_place: SiteInPlace | None = None
        self.nav = self.helper = self.writer = None  # a full build's RenderHelper and PageWriter

    # --- lifetime ---------------------------------------------------------------------------
    def on_startup(self, *, command, dirty):
        if command == "serve":
            self.preview = PreviewSession(dirty=dirty)
        self.rewrite_in_place = command == "build" and not dirty

    def on_config(self, config):
        """Load and check all content before MkDocs touches the output folder (an error now
        leaves the previous site, and the live preview, untouched)."""
        self._end()
        if self.preview is not None:  # the previous build's search index, if still being made: stopped
            self.preview.wait(cancel=True, hurry=True)
        try:
            now = checked_build_time()
        except BuildDateError as exc:
            raise PluginError(str(exc)) from None
        base_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            settings = SiteSettings.from_mapping(
                config.extra.get("cchc"), base_dir=base_dir, site_url=config.site_url,
                site_name=config.site_name, description=config.site_description or "",
                preview=self.preview is not None, theme_logo=str(config.theme.get("logo") or ""),
                docs_dir=Path(config.docs_dir))
        except SettingsError as exc:
            raise PluginError(f"mkdocs.yml: {exc}") from None
        self.cache = BuildCache(default_root(base_dir), warn=log.warning)
        self.lock = self.cache.lock(say=log.warning)
        try:
            self.lock.acquire()
        except CacheBusy as exc:
            raise PluginError(str(exc)) from None
        facts = SiteFacts(config_dir=base_dir, site_dir=Path(config.site_dir), docs_dir=Path(config.docs_dir),
                          parts=(), template_folders=(), engine=engine_name())
        self.run = BuildRun(settings, now, self.cache, facts, log=lambda level, text: log.log(LEVELS[level], text), preview=self.preview)
        try:
            build = self.run.load()
        except BuildFailure as exc:
            raise PluginError(str(exc)) from None
        toc = config.mdx_configs.setdefault("toc", {})
        toc["slugify"] = heading_slug
        toc.setdefault("permalink", True)
        config.nav = expand_nav(config.nav, build)
        if self.preview is None:  # the staff guide (draft_docs) is in the preview's navigation only
            config.nav = drop_preview_only(config.nav, config.draft_docs)
        self.legal = legal_links(build)
        config.markdown_extensions.append(self.legal)  # document citations → their pages
        if str(settings.content_dir) not in [str(Path(w)) for w in config.watch]:
            config.watch.append(str(settings.content_dir))  # the preview follows edits to articles
        self.run.facts = SiteFacts(
            config_dir=base_dir, site_dir=Path(config.site_dir), docs_dir=Path(config.docs_dir),
            parts=(config.site_url, config.site_name, plain(dict(config.extra)), plain(config.nav),
                   sorted((str(k), repr(v)) for k, v in dict(config.theme).items()), file_digest(config)),
            template_folders=tuple(theme_folders(config)), engine=engine_name())
        return config

    def on_pre_build(self, config):
        """Before the engine empties the site: set the previous pages aside (site_in_place)."""
        if self.rewrite_in_place and self.preview is None:
            self.in_place = SiteInPlace(Path(config.site_dir))
            self.in_place.set_aside()

    def on_build_error(self, *, error):
        """Stop cleanly; an engine error that is not already a message becomes one (Vietnamese)."""
        if self.run is not None:
            self.run.abort()
        needed = needed_space(self)
        log_dir = self.cache.root if self.cache is not None and not self.cache.temporary else None
        self._end()
        if isinstance(error, (PluginError, BuildError, Abort)):
            return
        if isinstance(error, (BuildFailure, CacheBusy)):
            raise PluginError(str(error)) from None
        if isinstance(error, BodyUnavailable):
            raise PluginError(f"bộ nhớ đệm bị thay đổi trong lúc dựng (nội dung bài {error}): chưa xuất bản gì; "
                              "chạy lại lệnh dựng trang") from None
        raise PluginError(failures.describe(error, needed=needed, log_dir=log_dir)) from None

    def on_shutdown(self):
        self._end()
        if self.preview is not None:
            self.preview.wait(cancel=True)

    def _end(self) -> None:
        for part in filter(None, (self.helper, self.writer)):  # (a build that stopped early)
            part.stop()
        if self.in_place is not None:  # a build that stopped before it put the folders back
            self.in_place.put_back(snapshot=False)
        if self.run is not None:
            self.run.remove_late_dir()
        # (in a preview, once its search index is made: cchc.buildrun.PreviewSession.in_background)
        when_idle(self.preview, *(s for s in (self.lock and self.lock.release, self.cache and self.cache.close) if s))
        self._reset()

    # --- files and navigation ------------------------------------------------------------------
    def on_files(self, files, config):
        if self.in_place is not None:  # the engine has emptied the site folder by now
            self.in_place.put_back()
        run = self.run
        for output in run.assets:
            if output.render is not None:
                file = File.generated(config, output.path, abs_src_path=str(run.late_path(output.path)))
                self.late.append((file, output))
            elif output.source is not None:
                file = File.generated(config, output.path, abs_src_path=str(output.source))
            else:
                file = File.generated(config, output.path, content=output.content or b"")
            add_file(files, file)
        for output in run.pages.values():
            # Article bodies are converted by cchc.convert, not by the engine: it gets no copy.
            file = File.generated(config, output.source_uri,
                                  content="\n" if output.kind == "article" else "\n" + output.markdown)
            if output.kind == "article":  # published at its date/slug URL; relative links as in its folder
                file.dest_uri = output.url + "index.html"
            add_file(files, file)
        run.convert_bodies(MarkdownSetup(
            extensions=tuple(e for e in config.markdown_extensions if isinstance(e, str)),
            configs=dict(config.mdx_configs or {}), legal=self.legal, iframe_hosts=run.settings.iframe_hosts,
            targets={f.src_uri: f.url for f in files},
            documents=attachment_labels(run.build),  # links to attachments show "PDF, 1,2 MB"
            time_limit=run.settings.conversion_time_limit))
        if self.preview is not None and self.preview.dirty:
            for file in files.documentation_pages():
                exists = Path(file.abs_dest_path).exists()
                if file.generated_by is not None and file.src_uri in run.pages:
                    engine.set_modified(file, run.page_changed(file.src_uri, file.dest_uri, exists))
                elif file.generated_by is None:  # staff pages: the nav, templates or home lists may change
                    staff = run.staff_page_print(file.src_uri, Path(file.abs_src_path))
                    engine.set_modified(file, run.page_changed(file.src_uri, file.dest_uri, exists, staff))
        return files

    def on_nav(self, nav, config, files):
        self.templates, self.nav = PageTemplates(nav), nav
        return nav

    # --- pages ---------------------------------------------------------------------------------
    def on_pre_page(self, page, config, files):
        """Articles and generated listings need no Markdown conversion by the engine."""
        output = self.run.pages.get(page.file.src_uri)
        if output is not None:
            converted = self.run.bodies.converted.get(output.url) if output.kind == "article" else None
            body = (BODY_MARKER, converted.toc, converted.anchors) if converted is not None else ("", [], ())
            engine.use_converted_body(page, *body)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        output = self.run.output_for(page.file.src_uri)
        page.update_date = lastmod(output, self.run.build)  # sitemap: from the content, never the clock
        if output is None:
            return markdown
        if not output.context_only:
            # Material prints page.meta.title/description/page.title unescaped (<title>, header,
            # <meta>): they are HTML there, so staff text goes in escaped.
            page.meta["title"] = html.escape(output.title)
            if not self.templates.in_nav(page):  # a page in the navigation keeps its label there
                page.title = html.escape(output.title)
            page.meta["template"] = output.template
            page.meta["description"] = html.escape(output.description)
        elif "template" not in page.meta:
            page.meta["template"] = output.template
        return markdown

    def on_env(self, env, config, files):
        """Every page is read: start the search index, render the late files (feeds)."""
        run = self.run
        env.globals["cchc_once"] = self.templates.render_once
        env.globals["cchc_contact"] = run.settings.contact  # every footer (cchc.contact)
        env.globals["lang"] = Translations(env, config)
        env.bytecode_cache = VerifiedBytecodeCache(self.cache.blobs("jinja"))
        if self.rewrite_in_place:  # a full build: a second process renders pages, a thread writes them
            self.helper, self.writer = RenderHelper.for_build(run, files, config, self.nav, env), PageWriter()
        run.start_search()
        template = env.get_template("cchc/article_main.html")
        site = run.site_context()

        def render_element(output: PageOutput) -> str:
            return template.render(cchc=output.context, cchc_page=run.page_extras(output), cchc_site=site,
                                   base_url=get_relative_url(".", output.url), config=config,
                                   page={"content": run.body_html(output.url)})

        run.index_articles(render_element)
        run.write_late_files([(Path(file.abs_src_path), output) for file, output in self.late])
        return env

    def on_page_context(self, context, page, config, nav):
        src = page.file.src_uri
        kept = self.in_place is not None and self.in_place.keep(src, page.file.abs_dest_path, self.run.page_in_place)
        stored = "" if kept else self.run.stored_page(src)  # "": in place already, the engine skips it
        helped = self.helper.take(src) if stored is None and self.helper is not None else None
        if helped is not None:  # made and written by the render helper: kept here, the engine skips it
            self.run.keep_finished(src, helped)
            stored = self.writer.written_elsewhere(src)
        if stored is not None:  # kept (verified) or the helper's: main.html renders nothing
            self.stored[src] = stored
            context["cchc_stored"] = True
            return context
        output = self.run.output_for(src)
        context["cchc_site"] = self.run.site_context()
        context["cchc_nav_key"] = self.templates.nav_key(page)
        context["cchc_page"] = self.run.page_extras(output)
        if output is not None:
            context["cchc"] = output.context
        return context

    def on_post_page(self, output, page, config):
        """A stored page is written as it was kept; a rendered article gets its body."""
        src = page.file.src_uri
        stored = self.stored.pop(src, None)
        html = stored if stored is not None else self.run.finish_page(src, output)
        return self.writer.write(src, page.file.abs_dest_path, html) if self.writer is not None and html else html

    def on_post_build(self, config):
        self.writer and self.writer.close()  # every page on disk, or the write error (as the engine's)
        try:
            self.run.finish(helped=self.helper.taken if self.helper is not None else 0)
        except BuildFailure as exc:
            raise PluginError(str(exc)) from None
        if self.in_place is not None:  # the files this build did not write (or keep) go
            self.in_place.remove_stale(keep=KEPT_IN_PLACE)
        self._end()
