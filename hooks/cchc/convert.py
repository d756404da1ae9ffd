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

import concurrent.futures
import hashlib
import html as html_lib
import json
import pickle
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from .buildcache import PackWriter
from .buildcache import code_version as _code_version
from .markdown_legal import LegalLinksExtension
from .sanitize import clean_html
from .tables import wrap_tables
from .workers import available_cores, start_module

CACHE_FORMAT = 3  # 3: verified pack entries (2: pack files, 1: a compressed file per body)
# Below this many conversions the worker processes cost more to start than they save.
POOL_THRESHOLD = 64

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

    def __init__(self, md, targets: Mapping[str, str]):
        super().__init__(md)
        self.targets = targets
        self.src_uri = ""
        self.url = ""
        self.refs: list = []

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
        return root


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
        return match.group(1) + match.group(2) + html_lib.escape(resolved, quote=True) + match.group(2)


class _SiteLinksExtension(Extension):
    def __init__(self, targets: Mapping[str, str]):
        super().__init__()
        self.targets = targets
        self.processor: _SiteLinks | None = None

    def extendMarkdown(self, md):
        self.processor = _SiteLinks(md, self.targets)
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

    def fingerprint(self) -> str:
        """Everything but `targets` (links are revalidated one by one on a cache hit)."""
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


class _Converter:
    """A Markdown instance reused for many articles (creating one costs ~1 ms)."""

    def __init__(self, setup: MarkdownSetup):
        self.setup = setup
        self.links = _SiteLinksExtension(setup.targets)
        extensions: list = list(setup.extensions)
        if setup.legal is not None:
            extensions.append(setup.legal)
        extensions.append(self.links)
        self.md = markdown.Markdown(extensions=extensions, extension_configs=dict(setup.configs))

    def convert(self, job: Job) -> tuple[str, dict]:
        processor = self.links.processor
        processor.src_uri, processor.url, processor.refs = job.src_uri, job.url, []
        self.links.raw.done = set()
        self.md.reset()
        html = self.md.convert(job.markdown)
        toc = getattr(self.md, "toc_tokens", [])
        html = wrap_tables(clean_html(html, self.setup.iframe_hosts))  # tables: named scrolling regions
        text = Markup(html).striptags()
        meta = {
            "toc": toc,
            "anchors": sorted({next(g for g in m.groups() if g is not None) for m in _ANCHOR_RE.finditer(html)}),
            "summary_in_body": bool(job.summary) and job.summary in text,
            "refs": processor.refs,
            "problems": [raw for raw, resolved in processor.refs if resolved is None],
        }
        return html, meta


class BodyStore:
    """Converted article bodies of one build, kept in the build cache's pack files.

    `convert_all` finds each body in the cache (by a key of its text and of everything that
    shapes its HTML) or converts it; `html(url)` reads the stored HTML back, verified: a damaged
    entry is converted again on the spot (with a one-line warning), never published.  The
    build holds only where each body is, never all the HTML at once.
    """

    def __init__(self, setup: MarkdownSetup, cache, version: str | None = None, warn=None):
        self.setup = setup
        self.base_key = _digest(CACHE_FORMAT, version or code_version(), setup.fingerprint())
        self.packs = cache.packs("bodies", self.base_key)  # cchc.buildcache.PackStore
        self.warn = warn or (lambda message: None)
        self.converted: dict[str, Converted] = {}  # page URL → converted body
        self._jobs: dict[str, Job] = {}  # page URL → job (to convert again a damaged entry)
        self._converter: _Converter | None = None
        self.stats = {"hits": 0, "converted": 0, "workers": 0}

    # --- conversion ----------------------------------------------------------------------
    def job_key(self, job: Job) -> str:
        return _digest(self.base_key, job.url, job.src_uri, job.markdown, job.summary)[:40]

    def convert_all(self, jobs: Iterable[Job], workers: int | None = None) -> dict[str, Converted]:
        """Convert what is not cached yet (in worker processes when there is much to do)."""
        self.packs.load()
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
        if missing:
            workers = workers if workers is not None else available_cores()
            if workers > 1 and len(missing) >= POOL_THRESHOLD:
                self._convert_in_workers(missing, workers)
            else:
                self._convert_here(missing)
            self.stats["converted"] += len(missing)
        self.packs.save()
        return self.converted

    def _local(self) -> _Converter:
        if self._converter is None:
            self._converter = _Converter(self.setup)
        return self._converter

    def _convert_here(self, share: list[tuple[str, Job]]) -> None:
        with PackWriter(self.packs.folder) as pack:
            for key, job in share:
                html, meta = self._local().convert(job)
                self._store(pack.name, key, job.url, meta, *pack.append(key, html.encode("utf-8")))
        self.packs.adopt_pack(pack.name)

    def _convert_in_workers(self, missing: list[tuple[str, Job]], workers: int) -> None:
        """Spread the conversions over `workers` processes: this one and `python -m cchc.convert`
        (cchc.workers)."""
        self.stats["workers"] = workers
        shares = [missing[i::workers] for i in range(workers)]
        # This process converts the first share itself (it would only wait otherwise): one
        # process fewer in memory for the same speed.
        procs = [start_module("cchc.convert") for _ in shares[1:]]
        folder = str(self.packs.folder)

        def run(proc, share):
            out, err = proc.communicate(pickle.dumps((self.setup, folder, share), protocol=5))
            if proc.returncode != 0:
                raise RuntimeError(f"chuyển Markdown sang HTML thất bại:\n{err.decode('utf-8', 'replace')[-2000:]}")
            return pickle.loads(out)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(procs))) as threads:
            pending = [threads.submit(run, proc, share) for proc, share in zip(procs, shares[1:])]
            self._convert_here(shares[0])
            for future in pending:
                name, results = future.result()
                self.packs.adopt_pack(name)
                for url, key, meta, at, size, digest in results:
                    self._store(name, key, url, meta, at, size, digest)

    def _store(self, pack: str, key: str, url: str, meta: dict, at: int, size: int, digest: str) -> None:
        entry = {**meta, "pack": pack, "at": at, "size": size, "digest": digest}
        self.packs.use(key, entry)
        self.converted[url] = _converted(key, entry)

    def _still_valid(self, meta: dict, job: Job) -> bool:
        """A cached body stays valid while each of its relative links resolves as before."""
        targets = self.setup.targets
        for raw, resolved in meta.get("refs", []):
            if resolve_link(raw, job.src_uri, job.url, targets) != resolved:
                return False
        return True

    def release_markdown(self) -> None:
        """The Markdown of the jobs is no longer needed (a full build drops it: tens of MB at
        thousands of articles); a damaged stored body then stops the build instead."""
        self._jobs.clear()

    # --- reading -----------------------------------------------------------------------------
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


def _converted(key: str, meta: dict) -> Converted:
    return Converted(key=key, toc=meta["toc"], anchors=meta["anchors"], summary_in_body=meta["summary_in_body"],
                     refs=meta["refs"], problems=meta.get("problems", []))


# --- worker processes -------------------------------------------------------------------------
def _worker_main() -> None:
    """`python -m cchc.convert`: read (setup, pack folder, jobs) pickled on stdin, convert and
    append each body to a pack of its own, write (pack name, [(url, key, meta, offset, size,
    digest)]) pickled on stdout."""
    setup, folder, share = pickle.load(sys.stdin.buffer)
    converter = _Converter(setup)
    results = []
    with PackWriter(Path(folder)) as pack:
        for key, job in share:
            html, meta = converter.convert(job)
            results.append((job.url, key, meta, *pack.append(key, html.encode("utf-8"))))
    sys.stdout.buffer.write(pickle.dumps((pack.name, results), protocol=5))


if __name__ == "__main__":
    _worker_main()
