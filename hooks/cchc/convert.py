"""Article bodies: Markdown → safe HTML, once per article, cached on disk, spread over the cores.

Why not let the engine convert articles like any other page: it converts every page with a
new Markdown instance, holds every page's HTML in memory until the last page is written, and
does it again on the next build even when nothing changed.  Here each article body is converted
once per change (keyed by its text and by everything that shapes the HTML), the result is kept
in a pack file under the cache folder, and the build holds only where it is: the page template
gets a marker that the adapter swaps for the stored HTML when it writes the page, and feeds
read the same stored HTML.  Cache misses are converted by worker processes (one per core).

The HTML is what the engine would produce: the site's Markdown extensions and their options,
document citations linked (`markdown_legal`), relative links and images resolved against the
files the site publishes exactly as MkDocs resolves them, then sanitised (`sanitize`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html as html_lib
import json
import os
import pickle
import posixpath
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from . import time_limit
from .buildcache import PackWriter
from .buildcache import code_version as _code_version
from .markdown_figures import FiguresExtension
from .diagnostics import ContentError, Diagnostics
from .document_links import DocumentLinks
from .markdown_hazards import likely_cause
from .markdown_legal import LegalLinksExtension
from .picture_markup import expand_pictures
from .sanitize import clean_html
from .tables import wrap_tables
from .workers import available_cores, start_module

CACHE_FORMAT = 4  # 4: <picture> and figures; 3: verified pack entries (2: pack files, 1: a compressed file per body)
# Below this many conversions the worker processes cost more to start than they save.
POOL_THRESHOLD = 64
MEMO_LIMIT = 20000  # entries of a preview's memos of bodies (then it starts afresh)

_ANCHOR_RE = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def relative_url(url: str, other: str) -> str:
    """`url` relative to the page at `other`, the way MkDocs writes it (mkdocs.utils.get_relative_url)."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts = _norm_parts(other)
    dest_parts = _norm_parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


def _norm_parts(path: str) -> list[str]:
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return path.split("/") if path else []


@dataclass(frozen=True)
class Job:
    """One article body to convert: its Markdown, where its source sits and where it is published."""

    url: str  # site-relative page URL (tin-tuc/yyyy/mm/slug/)
    src_uri: str  # virtual source path; relative links resolve from its folder
    markdown: str
    summary: str = ""  # the listing summary: is it already visible in the body text?
    # For messages only (not part of the cache key): the article file as staff know it
    # ("content/news/2025/03/x.md") and the file line of the body's first line.
    source: str = ""
    first_line: int = 1
    cover: bool = False  # the page shows the article's image above the body: no body image loads first


@dataclass
class Converted:
    """What the build keeps of a converted body (the HTML itself stays in the cache file)."""

    key: str
    toc: list  # Python-Markdown toc tokens
    anchors: list[str]  # ids present in the body (for anchor checks)
    summary_in_body: bool
    refs: list  # [raw link, resolved link or None] for every relative link, to revalidate hits
    problems: list[str] = field(default_factory=list)  # relative links that resolve to nothing


class _SiteLinks(Treeprocessor):
    """Relative links and images → the published file's URL relative to the page (MkDocs' `relpath`)."""

    def __init__(self, md, targets: Mapping[str, str], pictures: Mapping[str, dict] | None = None):
        super().__init__(md)
        self.targets = targets
        self.pictures = pictures or {}  # original's virtual path → picture data (cchc.picture_library)
        self.src_uri = ""
        self.url = ""
        self.refs: list = []
        self.shown: dict[str, str] = {}  # resolved <img> src → original's virtual path (a <picture> later)

    def run(self, root):
        for element in root.iter():
            if element.tag == "a":
                key = "href"
            elif element.tag == "img":
                key = "src"
            else:
                continue
            value = element.get(key)
            if value is None:
                continue
            resolved = resolve_link(value, self.src_uri, self.url, self.targets)
            if resolved is not value:
                self.refs.append([value, resolved])
                if resolved is not None:
                    element.set(key, resolved)
                    if key == "src":
                        self.picture(value, resolved)
        return root

    def picture(self, value: str, resolved: str) -> None:
        """Remember that the image `value` (resolved to `resolved`) is a site picture."""
        if not self.pictures:
            return
        uri = target_uri(value, self.src_uri)
        if uri in self.pictures:
            self.shown[resolved] = uri


def target_uri(value: str, src_uri: str) -> str | None:
    """The virtual path a relative link names (None for other links)."""
    scheme, netloc, path, _query, _anchor = urlsplit(value)
    if scheme or netloc or AMP_SUBSTITUTE in value or not path:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(path)).lstrip("/"))


def resolve_link(value: str, src_uri: str, page_url: str, targets: Mapping[str, str]) -> str | None:
    """The rewritten link; `value` itself (same object) when it is not a link to a site file,
    None when it is a relative link to a file the site does not publish."""
    scheme, netloc, path, query, anchor = urlsplit(value)
    if scheme or netloc or AMP_SUBSTITUTE in value or not path:
        return value
    target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(path)).lstrip("/"))
    target_url = targets.get(target_uri)
    if target_url is None:
        return None
    return urlunsplit(("", "", relative_url(target_url, page_url), query, anchor))


# src/href/poster attributes in raw HTML that staff paste into an article.
_RAW_LINK_RE = re.compile(r"""(<[A-Za-z][^<>]*?\s(?:src|href|poster)\s*=\s*)(["'])([^"'<>]*)\2""")


class _RawHtmlLinks(Postprocessor):
    """Relative links in raw HTML blocks, resolved like the Markdown ones.

    MkDocs leaves raw HTML as it is; here an article is published one folder below its source
    (tin-tuc/yyyy/mm/slug/), so a pasted <img src="images/a.jpg"> would point at nothing.
    Runs before the raw HTML is put back into the page (Python-Markdown's "raw_html", 30)."""

    def __init__(self, md, links: "_SiteLinks"):
        super().__init__(md)
        self.links = links
        self.done: set[int] = set()  # blocks already rewritten (postprocessors may run again)

    def run(self, text):
        blocks = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(blocks):
            if i in self.done:
                continue
            self.done.add(i)
            if isinstance(block, str) and ("src" in block or "href" in block or "poster" in block):
                blocks[i] = _RAW_LINK_RE.sub(self._rewrite, block)
        return text

    def _rewrite(self, match: re.Match) -> str:
        value = html_lib.unescape(match.group(3))
        resolved = resolve_link(value, self.links.src_uri, self.links.url, self.links.targets)
        if resolved is value:
            return match.group(0)
        self.links.refs.append([value, resolved])
        if resolved is None:
            return match.group(0)
        if match.group(1)[:4].lower() == "<img" and re.search(r"\ssrc\s*=\s*$", match.group(1), re.I):
            self.links.picture(value, resolved)
        return match.group(1) + match.group(2) + html_lib.escape(resolved, quote=True) + match.group(2)


class _SiteLinksExtension(Extension):
    def __init__(self, targets: Mapping[str, str], pictures: Mapping[str, dict] | None = None):
        super().__init__()
        self.targets = targets
        self.pictures = pictures
        self.processor: _SiteLinks | None = None

    def extendMarkdown(self, md):
        self.processor = _SiteLinks(md, self.targets, self.pictures)
        md.treeprocessors.register(self.processor, "cchc_site_links", 0)  # MkDocs' "relpath" slot
        self.raw = _RawHtmlLinks(md, self.processor)
        md.postprocessors.register(self.raw, "cchc_raw_links", 35)


@dataclass(frozen=True)
class MarkdownSetup:
    """Everything that shapes an article's HTML besides its own text (picklable: sent to workers)."""

    extensions: tuple[str, ...]  # extension names, as configured for the site
    configs: Mapping[str, Any]
    legal: LegalLinksExtension | None  # document citations → their pages
    iframe_hosts: tuple[str, ...]
    targets: Mapping[str, str]  # source path → URL of every file the site publishes
    # Original image's virtual path → its published picture (picture_library.Picture.data): an
    # <img> of a site image becomes a <picture> (cchc.picture_markup).
    pictures: Mapping[str, dict] = field(default_factory=dict)
    # Published attachments by source path → what a link to one shows citizens ("PDF, 1,2 MB");
    # like `targets`, not in the fingerprint: each cached body's labels are revalidated
    # (`_resolve_ref`).  See cchc.document_links.
    documents: Mapping[str, str] = field(default_factory=dict)
    # CPU seconds one body may take to convert (extra.cchc.conversion_time_limit); not in the
    # fingerprint: it never changes the HTML, only whether there is any.
    time_limit: float = time_limit.DEFAULT_SECONDS

    def fingerprint(self) -> str:
        """Everything but `targets` and `pictures` (links and pictures are revalidated one by one
        on a cache hit)."""
        legal = None
        if self.legal is not None:
            legal = (sorted((k, v.href, v.title) for k, v in self.legal.targets.items()),
                     _plain(self.legal.detector))
        return _digest(self.extensions, _plain(self.configs), legal, self.iframe_hosts)


def _plain(value: Any) -> Any:
    """Configuration values as text for hashing (functions by qualified name)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if isinstance(value, re.Pattern):
        return [value.pattern, value.flags]
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if hasattr(value, "__dict__"):  # e.g. the citation detector: its data, never its address or caches
        caches = getattr(type(value), "CACHE_ATTRIBUTES", ())
        return [type(value).__qualname__, _plain({k: v for k, v in vars(value).items() if k not in caches})]
    return repr(value)


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_version() -> str:
    return _code_version()


# An article's converted body may be at most this large: a 2 MB article of ordinary text makes
# 2.3 MB of HTML, but a few characters of Markdown can make a hundred ("# a" lines become
# headings with anchors and permalinks, "|" rows become table cells) and fill the disk.
MAX_HTML_BYTES = 8 * 1024 * 1024


class ConversionFailed(ContentError):
    """Article bodies that could not be converted, each reported on its file (Vietnamese)."""

    def __init__(self, failures: list[tuple["Job", str, str, int]]):
        self.failures = failures  # (job, message, hint, character offset within the body or -1)
        diags = Diagnostics()
        for job, message, hint, offset in failures:
            line = job.first_line + job.markdown.count("\n", 0, offset) if offset >= 0 else 0
            diags.error(job.source or job.src_uri, line, message, hint)
        super().__init__(diags.sorted())


def _failure(job: Job, kind: str, setup: "MarkdownSetup", detail: str = "") -> tuple[Job, str, str, int]:
    """(job, message, hint, offset in the body of the likely cause or -1) of a body that could
    not be converted.

    `kind`: "time" (over its CPU budget), "stalled" (the helper process stopped responding and
    was killed), "died" (the helper process ended while converting it: `detail` says how),
    "size" (the HTML is too large: `detail` is its size), "error" (an exception: `detail`)."""
    cause = likely_cause(job.markdown)  # (offset, what) of a known slow shape, or None
    offset = cause[0] if cause else -1
    because = f"; nguyên nhân có thể: {cause[1]}" if cause else ""
    limit = f"{setup.time_limit:g}".replace(".", ",")
    slow_hint = ("sửa chỗ được chỉ ra (thường do dán nhầm hoặc lặp ký tự [ ( < * # quá nhiều lần); "
                 "bài dài bình thường chỉ mất dưới một giây" if cause else
                 "tìm đoạn có nhiều ký tự [ ( < * # lặp lại hoặc cấu trúc lồng nhau bất thường (thường do dán nhầm) "
                 "và sửa lại; bài quá dài thì tách thành nhiều bài")
    if kind == "time":
        message = (f"chuyển nội dung bài sang HTML mất quá {limit} giây (giới hạn "
                   f"extra.cchc.conversion_time_limit) nên đã bị dừng{because}")
        return job, message, slow_hint, offset
    if kind == "stalled":
        message = (f"tiến trình chuyển bài sang HTML không phản hồi khi đang chuyển bài này "
                   f"nên đã bị dừng{because}")
        return job, message, slow_hint, offset
    if kind == "died":
        message = f"tiến trình chuyển bài sang HTML bị dừng đột ngột ({detail}) khi đang chuyển bài này{because}"
        return job, message, ("chạy lại lệnh; nếu lỗi lặp lại ở cùng bài, có thể máy thiếu bộ nhớ (đóng bớt "
                              "chương trình khác) hoặc bài có cấu trúc bất thường: " + slow_hint), offset
    if kind == "size":
        message = (f"nội dung bài sau khi chuyển sang HTML quá lớn ({detail}, tối đa "
                   f"{MAX_HTML_BYTES // 1024 // 1024} MB){because}")
        return job, message, ("bớt số đề mục, số dòng bảng hoặc tách thành nhiều bài; "
                              "đưa tài liệu dài thành tệp PDF đính kèm"), offset
    return job, f"lỗi khi chuyển nội dung bài sang HTML ({detail})", (
        "kiểm tra đoạn vừa sửa trong bài; nếu không tìm ra, gửi tệp bài này cho người quản trị kỹ thuật"), offset


class _Converter:
    """A Markdown instance reused for many articles (creating one costs ~1 ms).

    `convert` keeps to the setup's CPU-time budget (cchc.time_limit) in the main thread; in any
    other thread, where no timer can interrupt it, the body is converted by a helper process
    under the watchdog instead.  A body that cannot be converted raises ConversionFailed."""

    def __init__(self, setup: MarkdownSetup):
        self.setup = setup
        self._build()

    def _build(self) -> None:
        setup = self.setup
        self.links = _SiteLinksExtension(setup.targets, setup.pictures)
        self.documents = DocumentLinks(setup.documents)
        extensions: list = list(setup.extensions)
        if setup.legal is not None:
            extensions.append(setup.legal)
        extensions += [FiguresExtension(), self.links]
        self.md = markdown.Markdown(extensions=extensions, extension_configs=dict(setup.configs))

    def convert(self, job: Job) -> tuple[str, dict]:
        if not time_limit.active():
            return _convert_in_helper(self.setup, job)
        try:
            with time_limit.cpu_time_limit(self.setup.time_limit):
                html, meta = self._convert(job)
        except time_limit.TimeLimitExceeded:
            self._build()  # the Markdown instance stopped half-way through its state
            raise ConversionFailed([_failure(job, "time", self.setup)]) from None
        except Exception as exc:  # an extension's bug, RecursionError, MemoryError: a message, not a traceback
            self._build()
            raise ConversionFailed([_failure(job, "error", self.setup, f"{type(exc).__name__}: {exc}"[:300])]) from None
        if len(html) > MAX_HTML_BYTES:
            size = f"{len(html) / 1024 / 1024:.1f} MB".replace(".", ",")
            raise ConversionFailed([_failure(job, "size", self.setup, size)])
        return html, meta

    def _convert(self, job: Job) -> tuple[str, dict]:
        processor = self.links.processor
        processor.src_uri, processor.url, processor.refs, processor.shown = job.src_uri, job.url, [], {}
        self.links.raw.done = set()
        self.md.reset()
        html = self.md.convert(job.markdown)
        toc = getattr(self.md, "toc_tokens", [])
        html = wrap_tables(clean_html(html, self.setup.iframe_hosts))  # tables: named scrolling regions
        html = self.documents.label(html, job.url, processor.refs)
        pictures = self.setup.pictures
        if processor.shown:  # after the sanitiser: srcset and sizes are the site's own markup
            html = expand_pictures(html, {src: pictures[uri] for src, uri in processor.shown.items()},
                                   lambda url: relative_url(url, job.url), first_eager=not job.cover)
        text = Markup(html).striptags()
        meta = {
            "toc": toc,
            "anchors": sorted({next(g for g in m.groups() if g is not None) for m in _ANCHOR_RE.finditer(html)}),
            "summary_in_body": bool(job.summary) and job.summary in text,
            "refs": processor.refs,
            "problems": [raw for raw, resolved in processor.refs if resolved is None],
            # what the <picture> markup depends on: revalidated on a cache hit (BodyStore._still_valid)
            "pictures": sorted([uri, pictures[uri]["token"], pictures[uri]["width"], pictures[uri]["height"]]
                               for uri in set(processor.shown.values())),
        }
        return html, meta


def _resolve_ref(raw: str, job: Job, setup: MarkdownSetup) -> str | None:
    """What a cached body's recorded reference resolves to now: a link's target, or the label
    a link to an attachment showed (cchc.document_links records those as references too)."""
    label = DocumentLinks.label_now(raw, setup.documents)
    if label is not DocumentLinks.NOT_A_LABEL:
        return label
    return resolve_link(raw, job.src_uri, job.url, setup.targets)


def convert_for_preview(store: "BodyStore", jobs: list[Job]) -> str | None:
    """Convert every body; one that cannot be converted shows a notice instead (in Vietnamese,
    on its page) so the live preview keeps working.  Returns the errors to print, or None.

    The public build never does this: there, ConversionFailed stops it (nothing broken is
    published)."""
    failures: list = []
    for _ in range(len(jobs) + 1):
        try:
            store.convert_all(jobs)
            break
        except ConversionFailed as failed:
            failures += failed.failures
            notices = {job.url: _notice(message, hint) for job, message, hint, _offset in failed.failures}
            jobs = [dataclasses.replace(job, markdown=notices[job.url])
                    if job.url in notices else job for job in jobs]
    return str(ConversionFailed(failures)) if failures else None


def _notice(message: str, hint: str) -> str:
    text = html_lib.escape(f"{message}. Cách sửa: {hint}.", quote=False)
    return f'<div class="admonition failure"><p class="admonition-title">Bài này chưa hiển thị được</p><p>{text}</p></div>\n'


def article_jobs(build, outputs) -> list[Job]:
    """The conversion job of each article page output of `build` (cchc.outputs.PageOutput with
    kind "article"): its body (from the content's body texts), and the file and line its
    messages point at."""
    by_url = build.articles_by_url
    bodies = build.content.bodies
    shown = Diagnostics(build.settings.content_dir.parent)
    jobs = []
    for output in outputs:
        article = by_url[output.url]
        jobs.append(Job(url=output.url, src_uri=output.source_uri, markdown=bodies.text(article),
                        summary=output.context["article"]["summary"],
                        source=shown.relative(article.source),
                        first_line=article.body_line,
                        cover=bool(output.context["article"].get("picture") or output.context["article"]["image"])))
    return jobs


class BodyStore:
    """Converted article bodies of one build, kept in the build cache's pack files.

    `convert_all` finds each body in the cache (by a key of its text and of everything that
    shapes its HTML) or converts it; `html(url)` reads the stored HTML back, verified: a damaged
    entry is converted again on the spot (with a one-line warning), never published.  The
    build holds only where each body is, never all the HTML at once.
    """

    def __init__(self, setup: MarkdownSetup, cache, version: str | None = None, warn=None, kept=None):
        self.setup = setup
        self.base_key = _digest(CACHE_FORMAT, version or code_version(), setup.fingerprint())
        # cchc.buildcache.PackStore; `kept(name, identity, make)`: a preview's, kept between its
        # builds (with the memos below: a build has none)
        make = lambda: cache.packs("bodies", self.base_key)  # noqa: E731
        self.packs = kept("bodies", (cache.root, self.base_key), make) if kept is not None else make()
        self.warn = warn or (lambda message: None)
        # A preview's bodies as made ready for the feeds (`for_feed`), by body key: kept between saves.
        self.feed_memo: dict | None = kept("feed-bodies", (cache.root, self.base_key), dict) \
            if kept is not None else None
        # A preview's job keys by the job's text objects (kept between saves: the unchanged
        # articles' Markdown is the same string, so a save need not digest it again).
        self._keys: dict | None = kept("body-keys", (cache.root, self.base_key), dict) if kept is not None else None
        self.save_later = kept is not None  # the preview saves the index (`packs.save()`) once its pages are served
        # A preview's checks of cached bodies' links (`_still_valid`), while the site's files and
        # attachments are those of the previous save.
        self._links: dict | None = kept("link-checks", (cache.root, self.base_key), dict) if kept is not None else None
        self.converted: dict[str, Converted] = {}  # page URL → converted body
        self._jobs: dict[str, Job] = {}  # page URL → job (to convert again a damaged entry)
        self._converter: _Converter | None = None
        self.stats = {"hits": 0, "converted": 0, "workers": 0}

    # --- conversion ----------------------------------------------------------------------
    def job_key(self, job: Job) -> str:
        if self._keys is None:
            return _digest(self.base_key, job.url, job.src_uri, job.markdown, job.summary, job.cover)[:40]
        parts = (job.url, job.src_uri, job.markdown, job.summary, job.cover)
        key = self._keys.get(parts)
        if key is None:
            if len(self._keys) >= MEMO_LIMIT:
                self._keys.clear()
            key = self._keys[parts] = _digest(self.base_key, *parts)[:40]
        return key

    def convert_all(self, jobs: Iterable[Job], workers: int | None = None) -> dict[str, Converted]:
        """Convert what is not cached yet (in worker processes when there is much to do).
        Raises ConversionFailed naming every body that could not be converted within its
        budget (the others are converted and kept)."""
        self.packs.load()
        if self._links is not None and (self._links.get("targets") != self.setup.targets
                                        or self._links.get("documents") != self.setup.documents):
            self._links.clear()
            self._links.update(targets=dict(self.setup.targets), documents=dict(self.setup.documents), results={})
        missing: list[tuple[str, Job]] = []
        for job in jobs:
            key = self.job_key(job)
            self._jobs[job.url] = job
            meta = self.packs.lookup(key)
            if meta is not None and self._still_valid(meta, job) and self.packs.verify(key, meta):
                self.packs.use(key, meta)
                self.converted[job.url] = _converted(key, meta)
                self.stats["hits"] += 1
            else:
                missing.append((key, job))
        failures: list = []
        if missing:
            workers = workers if workers is not None else available_cores()
            if not time_limit.active():
                # Not the main thread (the preview's builds): no timer can stop a conversion here,
                # so helper processes convert every body, each in its own main thread.
                self._convert_in_workers(missing, max(1, min(workers, len(missing))), failures, here=False)
            elif workers > 1 and len(missing) >= POOL_THRESHOLD:
                self._convert_in_workers(missing, workers, failures)
            else:
                self._convert_share(missing, failures)
            self.stats["converted"] += len(missing) - len(failures)
        if not self.save_later:
            self.packs.save()
        if failures:
            raise ConversionFailed(failures)
        return self.converted

    def _local(self) -> _Converter:
        if self._converter is None:
            self._converter = _Converter(self.setup)
        return self._converter

    def _convert_share(self, share: list[tuple[str, Job]], failures: list) -> None:
        """Convert bodies in this process, within the budget; a failure is collected, not raised."""
        with PackWriter(self.packs.folder) as pack:
            for key, job in share:
                try:
                    html, meta = self._local().convert(job)
                except ConversionFailed as exc:
                    failures += exc.failures
                    continue
                self._store(pack.name, key, job.url, meta, *pack.append(key, html.encode("utf-8")))
        self.packs.adopt_pack(pack.name)

    def _convert_in_workers(self, missing: list[tuple[str, Job]], workers: int, failures: list,
                            here: bool = True) -> None:
        """Spread the conversions over `workers` processes: this one (`here`) and
        `python -m cchc.convert` helpers (cchc.workers), each converting one body at a time
        within the CPU-time budget.

        A watchdog kills a helper that stops reporting (a conversion its own timer could not
        stop); the body it was converting is reported, and the rest of its share is converted
        (here, or in a new helper), so every other slow body is reported too."""
        self.stats["workers"] = workers
        shares = [missing[i::workers] for i in range(workers)]
        # This process converts the first share itself (it would only wait otherwise): one
        # process fewer in memory for the same speed.
        own, others = (shares[0], shares[1:]) if here else ([], shares)
        runs = [_WorkerRun(self.setup, self.packs.folder, share) for share in others]
        watchdog = _Watchdog(runs, self.setup.time_limit)
        try:
            if own:
                self._convert_share(own, failures)
            leftover: list[tuple[str, Job]] = []
            for run in runs:
                run.finish()
                if run.pack is not None:
                    self.packs.adopt_pack(run.pack)  # open it now: it is ours to read from here on
                for key, job, meta, at, size, digest in run.done:
                    self._store(run.pack, key, job.url, meta, at, size, digest)
                failures += run.failures
                leftover += run.unfinished()
        finally:
            watchdog.stop()
            for run in runs:
                run.kill()
        if leftover:  # the rest of a killed helper's share
            if here:
                self._convert_share(leftover, failures)
            else:
                self._convert_in_workers(leftover, 1, failures, here=False)

    def _store(self, pack: str, key: str, url: str, meta: dict, at: int, size: int, digest: str) -> None:
        entry = {**meta, "pack": pack, "at": at, "size": size, "digest": digest}
        self.packs.use(key, entry)
        self.converted[url] = _converted(key, entry)

    def _still_valid(self, meta: dict, job: Job) -> bool:
        """A cached body stays valid while each of its relative links resolves as before (and
        each link to an attachment shows the same type and size)."""
        results = self._links["results"] if self._links is not None else None
        for raw, resolved in meta.get("refs", []):
            if results is None:
                now = _resolve_ref(raw, job, self.setup)
            else:
                where = (raw, job.src_uri, job.url)
                now = results[where] if where in results else results.setdefault(where, _resolve_ref(raw, job, self.setup))
            if now != resolved:
                return False
        return pictures_unchanged(meta.get("pictures", []), self.setup.pictures)

    def release_markdown(self) -> None:
        """The Markdown of the jobs is no longer needed (a full build drops it: tens of MB at
        thousands of articles); a damaged stored body then stops the build instead."""
        self._jobs.clear()

    # --- reading -----------------------------------------------------------------------------
    def for_feed(self, url: str, base_url: str, make: Callable[[str, str], str]) -> str:
        """`make(html, base_url)` of the body of `url` (cchc.feeds.feed_html), remembered in a
        preview: a save re-renders the feeds of the edited article's categories, whose other
        entries did not change.  A body's key names its text and everything that shapes its HTML."""
        converted = self.converted.get(url)
        if self.feed_memo is None or converted is None:
            return make(self.html(url), base_url)
        key = (converted.key, base_url)
        text = self.feed_memo.get(key)
        if text is None:
            if len(self.feed_memo) >= MEMO_LIMIT:
                self.feed_memo.clear()
            text = self.feed_memo[key] = make(self.html(url), base_url)
        return text

    def html(self, url: str) -> str:
        """The body HTML of the article published at `url` ("" if it was not converted)."""
        converted = self.converted.get(url)
        if converted is None:
            return ""
        data = self.packs.read(converted.key)
        if data is None:  # damaged or removed since it was found: convert it again now
            job = self._jobs.get(url)
            if job is None:
                raise BodyUnavailable(url)
            html, _ = self._local().convert(job)
            self.warn(f"đã chuyển lại nội dung bài {url} (bộ nhớ đệm hỏng)")
            return html
        return data.decode("utf-8")

    def by_url(self) -> "BodyHtml":
        return BodyHtml(self)


class BodyUnavailable(Exception):
    """A stored body was damaged after it was found, and its Markdown is no longer held."""


class BodyHtml(Mapping[str, str]):
    """Read-only mapping page URL → body HTML, read from the store when asked (feeds)."""

    def __init__(self, store: BodyStore):
        self.store = store

    def __getitem__(self, url: str) -> str:
        if url not in self.store.converted:
            raise KeyError(url)
        return self.store.html(url)

    def __iter__(self):
        return iter(self.store.converted)

    def __len__(self) -> int:
        return len(self.store.converted)


def pictures_unchanged(used: list, pictures: Mapping[str, dict]) -> bool:
    """The pictures a cached body shows are still the same images at the same sizes (a replaced
    image has another digest: its <picture> must be made again)."""
    for uri, token, width, height in used:
        data = pictures.get(uri)
        if data is None or (data["token"], data["width"], data["height"]) != (token, width, height):
            return False
    return True


def _converted(key: str, meta: dict) -> Converted:
    return Converted(key=key, toc=meta["toc"], anchors=meta["anchors"], summary_in_body=meta["summary_in_body"],
                     refs=meta["refs"], problems=meta.get("problems", []))


# --- worker processes -------------------------------------------------------------------------
class _NoPack:
    """Where a helper's bodies go without a pack folder: back in its records (one-off helpers)."""

    name = ""

    def __enter__(self) -> "_NoPack":
        return self

    def __exit__(self, *exc) -> None:
        pass


# A helper reports after each body, one pickled record at a time on its standard output:
#   ("pack", name)                     the pack file its bodies go to (None: HTML in the records)
#   ("done", index, meta, at, size, digest)  body `index` is converted (place and hash in the pack)
#   ("done", index, meta, html)        … without a cache folder
#   ("failed", index, failure)         body `index` could not be converted (_failure's tuple)
#   ("end",)                           every body of the share is done
# so the build knows which body it is converting at any moment, and a watchdog can see it stall.


def _worker_main() -> None:
    """`python -m cchc.convert`: read (setup, cache folder or None, [(key, job)]) pickled on stdin,
    convert each body within the CPU-time budget (its own main thread: cchc.time_limit), append
    it to a pack of its own, and report each one on stdout (records above)."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # anything an extension prints must not corrupt the records
    setup, cache_dir, share = pickle.load(sys.stdin.buffer)

    def report(record) -> None:
        pickle.dump(record, out, protocol=5)
        out.flush()

    converter = _Converter(setup)
    with (PackWriter(Path(cache_dir)) if cache_dir else _NoPack()) as pack:
        report(("pack", pack.name or None))
        for index, (_key, job) in enumerate(share):
            try:
                html, meta = converter.convert(job)
            except ConversionFailed as exc:
                report(("failed", index, exc.failures[0]))
                continue
            if cache_dir:
                report(("done", index, meta, *pack.append(_key, html.encode("utf-8"))))
            else:
                report(("done", index, meta, html))
    report(("end",))
    out.close()


def _signal_name(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        why = " — thường do máy hết bộ nhớ hoặc tiến trình bị tắt" if name == "SIGKILL" else ""
        return f"tín hiệu {name}{why}"
    return f"mã thoát {returncode}"


class _WorkerRun:
    """One helper process converting a share of the bodies, read by a thread of this process."""

    def __init__(self, setup: MarkdownSetup, cache_dir: Path | None, share: list[tuple[str, Job]]):
        self.setup = setup
        self.share = share
        self.pack: str | None = None
        self.done: list[tuple] = []  # (key, job, meta, at, size, digest) or (key, job, meta, html)
        self.failures: list = []
        self.finished = 0  # bodies of the share reported so far (done or failed)
        self.ended = False
        self.killed = False  # by the watchdog
        self.last_report = time.monotonic()
        self.proc = start_module("cchc.convert")
        request = pickle.dumps((setup, str(cache_dir) if cache_dir is not None else None, share), protocol=5)
        self._stderr_tail = b""  # its last words (a full pipe would stop it: read as it comes)
        self._sender = threading.Thread(target=self._send, args=(request,), daemon=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        for thread in (self._sender, self._reader, self._drainer):
            thread.start()

    def _send(self, request: bytes) -> None:
        try:
            self.proc.stdin.write(request)
            self.proc.stdin.close()
        except OSError:
            pass  # the helper died: finish() reports it

    def _drain(self) -> None:
        try:
            for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
                self._stderr_tail = (self._stderr_tail + chunk)[-4096:]
        except (OSError, ValueError):
            pass

    def _read(self) -> None:
        while True:
            try:
                record = pickle.load(self.proc.stdout)
            except Exception:  # end of stream (the helper ended or was killed), or garbage
                return
            self.last_report = time.monotonic()
            kind = record[0]
            if kind == "pack":
                self.pack = record[1]
            elif kind == "done":
                key, job = self.share[record[1]]
                self.done.append((key, job, *record[2:]))
                self.finished = record[1] + 1
            elif kind == "failed":
                self.failures.append(record[2])
                self.finished = record[1] + 1
            elif kind == "end":
                self.ended = True
                return

    def stalled(self, seconds: float) -> bool:
        return not self.ended and self.proc.poll() is None and time.monotonic() - self.last_report > seconds

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass
        self.proc.wait()

    def finish(self) -> None:
        """Wait for the helper's end; if it died first, the body it was converting is a failure."""
        self._reader.join()
        self.proc.wait()
        self._sender.join()
        self._drainer.join()
        stderr = self._stderr_tail
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        if self.ended or self.finished >= len(self.share):
            return
        job = self.share[self.finished][1]
        if self.killed:
            self.failures.append(_failure(job, "stalled", self.setup))
        else:
            detail = _signal_name(self.proc.returncode)
            lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
            if self.proc.returncode > 0 and lines:  # e.g. "MemoryError" as a traceback's last line
                detail += f": {lines[-1][:200]}"
            self.failures.append(_failure(job, "died", self.setup, detail))

    def unfinished(self) -> list[tuple[str, Job]]:
        """The bodies after the failed one that the helper never reached."""
        if self.ended:
            return []
        return self.share[self.finished + 1:]


class _Watchdog:
    """Kills a helper that has reported nothing for longer than any body may take: its own
    CPU-time budget stops a slow conversion, so silence means it is stuck where no timer reaches
    (or stopped).  Wall-clock seconds, with room for a busy machine and the helper's start."""

    def __init__(self, runs: list[_WorkerRun], seconds: float):
        self.runs = runs
        self.patience = stall_seconds(seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        if runs:
            self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.25):
            for run in self.runs:
                if run.stalled(self.patience):
                    run.killed = True
                    run.kill()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def stall_seconds(limit: float) -> float:
    """How long (wall clock) a helper may stay silent before the watchdog kills it: far more than
    the CPU budget, because a busy machine gives a helper only part of a core (and it must start
    Python first); a helper that is stuck stays silent for ever."""
    return 6 * max(limit, 0.1) + 30


def _convert_in_helper(setup: MarkdownSetup, job: Job) -> tuple[str, dict]:
    """Convert one body in a helper process under the watchdog (for threads other than the main
    one, where no timer can stop a conversion)."""
    run = _WorkerRun(setup, None, [("", job)])
    watchdog = _Watchdog([run], setup.time_limit)
    try:
        run.finish()
    finally:
        watchdog.stop()
        run.kill()
    if run.failures:
        raise ConversionFailed(run.failures)
    _key, _job, meta, html = run.done[0]
    return html, meta


if __name__ == "__main__":
    _worker_main()
