"""The whole content folder: plans, units, and every article, checked together.

`load_content` is the single entry point used by the CLI and the site build, so `cchc check`
and the build always agree on what is an error.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import attachments, output_limits, sanitize
from .article import Article, ArticleFile
from .body_checks import draft_link_warnings
from .dates import VN_TZ, BuildDateError, build_time
from .diagnostics import Diagnostics, short
from .legal import DATA_FILE as LEGAL_DATA_FILE
from .legal import LegalData, load_legal_data
from .catalog import PLANS_DIR, REPORTING_FILE, UNITS_FILE, Catalog, load_catalog
from .content_walk import check_root, walk_news
from .organisation import Units
from .plan import Plan
from .plan_checks import report_missing_categories
from .picture_checks import check_pictures
from .reader import decode, read_article, split_front_matter
from .text import normalize
from .workers import available_cores, start_module

NEWS_DIR = "news"


class BodyTexts:
    """The body of each article, for the steps that need the Markdown (conversion, checks
    across articles, citations).  Holds the bodies read with the content; once a build has
    converted them it calls `release()` (tens of MB at thousands of articles), after which a
    body is read again from its file if ever asked for (and must still be the same text)."""

    def __init__(self, bodies: dict[Path, str]):
        self._bodies = bodies

    def text(self, article: Article) -> str:
        body = self._bodies.get(article.source)
        if body is None:
            body = self._reread(article)
        return body

    @staticmethod
    def _reread(article: Article) -> str:
        import hashlib

        diags = Diagnostics()
        try:
            text = decode(article.source.read_bytes(), article.source, diags)
        except OSError:
            text = None
        parts = split_front_matter(text, article.source, diags) if text is not None else None
        body = parts[1] if parts else None
        if body is None or hashlib.sha256(body.encode("utf-8")).hexdigest() != article.body_digest:
            raise ContentChanged(article.source)
        return body

    def release(self) -> None:
        self._bodies = {}


class ContentChanged(Exception):
    """An article file changed while the build was using it (its body is asked for again)."""


@dataclass
class Content:
    root: Path
    catalog: Catalog
    articles: list[Article]  # every valid article (drafts and scheduled included), newest first
    diagnostics: Diagnostics
    legal: LegalData | None = None  # documents.yml, checked with everything else
    bodies: BodyTexts = field(default_factory=lambda: BodyTexts({}))
    # Document citations of each article (by source file), found when it was read with
    # documents.yml: compact tuples (cchc.legal.Citation) for the document index.
    citations: dict[Path, tuple] = field(default_factory=dict)
    # The files under news/ that may be published (cchc.attachments), the only ones the build
    # publishes besides the articles.
    attachments: list = field(default_factory=list)

    @property
    def plans(self) -> dict[int, Plan]:
        return self.catalog.plans

    @property
    def units(self) -> Units:
        return self.catalog.units

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors

    def published(self, now: dt.datetime) -> list[Article]:
        return [a for a in self.articles if a.is_published(now)]

    def visible(self, now: dt.datetime, preview: bool) -> list[Article]:
        """What a build shows: everything in preview, only published articles otherwise."""
        return list(self.articles) if preview else self.published(now)


# Files under news/ that are not articles are attachments (cchc.attachments decides which may be
# published).  A file whose name says Markdown but not exactly ".md" (a.MD, b.markdown, c.md.txt),
# or that starts like an article (---), is an article the site would skip: an error that says
# to rename it.
MARKDOWN_LIKE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext")


def _misnamed_article(path: Path, diags: Diagnostics) -> bool:
    """Report a file that looks like an article but is not named *.md; True if reported."""
    name = path.name
    lower = name.lower()
    stem = name[: -len(path.suffix)] if path.suffix else name
    for suffix in MARKDOWN_LIKE_SUFFIXES:
        for ending in (suffix, suffix + ".txt"):
            if lower.endswith(ending) and lower != ending:
                base = name[: -len(ending)]
                diags.error(path, 0, f"tệp “{short(name)}” không có đuôi .md nên không được đọc như bài viết",
                            f"đổi tên thành {short(base)}.md (chữ thường, không thêm đuôi khác)")
                return True
    if path.suffix.lower() in attachments.SUFFIXES:
        return False  # checked by content as an attachment
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # the attachment check reports it
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith((b"---\n", b"---\r")):
        diags.error(path, 0, f"tệp “{short(name)}” là bài viết (bắt đầu bằng ---) nhưng không có đuôi .md "
                    "nên không được đọc như bài viết", f"đổi tên thành {short(stem)}.md")
        return True
    return False


def news_files(news_dir: Path, root: Path, diags: Diagnostics) -> tuple[list[Path], list[Path]]:
    """(article files, other files to check as attachments) under news/, in a stable order.

    Every entry that cannot be used is reported (cchc.content_walk): an unreadable folder, a
    broken symbolic link, a link leaving the repository, a misnamed article."""
    articles, others = walk_news(news_dir, root.resolve().parent, diags)
    return articles, [path for path in others if not _misnamed_article(path, diags)]


def article_files(news_dir: Path, root: Path, diags: Diagnostics) -> list[Path]:
    """Markdown files under news/, in a stable order (see news_files)."""
    return news_files(news_dir, root, diags)[0]


def check_duplicates(articles: list[Article], diags: Diagnostics) -> list[Article]:
    """Slugs and URLs must be unique: a second article with the same one is an error."""
    by_slug: dict[str, Article] = {}
    by_title: dict[str, Article] = {}
    keep = []
    for article in sorted(articles, key=lambda a: a.rel_path):
        first = by_slug.get(article.slug)
        if first is not None:
            diags.error(article.source, article.lines.get("slug", 1),
                        f"slug “{article.slug}” trùng với bài {first.rel_path}: hai bài sẽ có cùng đường dẫn",
                        f"đổi slug của một bài, ví dụ slug: {article.slug}-2")
            continue
        by_slug[article.slug] = article
        title_key = normalize(article.title).casefold()
        if title_key in by_title:
            diags.warning(article.source, article.lines.get("title", 1),
                          f"tiêu đề trùng với bài {by_title[title_key].rel_path}",
                          "nếu là hai bài khác nhau, hãy đặt tiêu đề phân biệt")
        else:
            by_title[title_key] = article
        keep.append(article)
    return keep


def _catalog_key(root: Path) -> tuple:
    """Changes when any data file articles are checked against changes."""
    files = [root / UNITS_FILE, root / REPORTING_FILE, root / LEGAL_DATA_FILE]
    if (root / PLANS_DIR).is_dir():
        files += sorted((root / PLANS_DIR).glob("*.yml"))
    key = []
    for path in files:
        try:
            stat = path.stat()
            key.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            key.append((str(path), None, None))
    return tuple(key)


def _data_files_key(root: Path) -> tuple:
    """Every entry of content/plans/ (not only the plan files: a misnamed one is reported) and
    the other data files, with their stats."""
    key = []
    for path in (root / UNITS_FILE, root / REPORTING_FILE, root / LEGAL_DATA_FILE):
        try:
            stat = os.stat(path)
            key.append((stat.st_mode, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size))
        except OSError:
            key.append(None)
    try:
        with os.scandir(root / PLANS_DIR) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                stat = entry.stat(follow_symlinks=False)
                key.append((entry.name, stat.st_mode, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size))
    except OSError:
        key.append(None)
    return tuple(key)


def _load_data_files(root: Path, diags: Diagnostics, cache) -> tuple[Catalog, LegalData]:
    """The plans, units and documents.  A RecordCache kept by the preview keeps them in memory
    (never on disk) while no entry of the data files changes: parsing the plans costs ~0.1 s
    per save."""
    key = _data_files_key(root) if isinstance(cache, RecordCache) else None
    held = cache.data_files if key is not None else None
    if held is not None and held[0] == key:
        diags.items.extend(held[3])
        return held[1], held[2]
    start = len(diags.items)
    catalog = load_catalog(root, diags)
    legal = load_legal_data(root / LEGAL_DATA_FILE, diags)  # documents.yml is content too
    if key is not None:
        cache.data_files = (key, catalog, legal, tuple(diags.items[start:]))
    return catalog, legal


def _read(path: Path, root: Path, catalog: Catalog, diags: Diagnostics, iframe_hosts: tuple[str, ...],
          legal: LegalData | None = None) -> tuple[ArticleFile | None, tuple]:
    """Read and check one article file: what only depends on the file, the data files and the
    site's settings (never on "now"), so the result can be kept while none of them changes.
    Returns the article with its body, and its document citations."""
    citations: tuple = ()
    try:
        read = read_article(path, root, catalog, diags)
        if read is not None and legal is not None:
            citations = legal.citations(read.article.title, read.body)
            cited = {citation.base_id or citation.id for citation in citations}
            if len(cited) > output_limits.MAX_CITED_DOCUMENTS:  # each cited document gets a page
                diags.error(path, read.article.body_line,
                            f"bài nhắc tới quá nhiều văn bản ({len(cited)} số hiệu khác nhau, tối đa "
                            f"{output_limits.MAX_CITED_DOCUMENTS}): mỗi văn bản được nhắc có một trang riêng",
                            "chỉ ghi số hiệu các văn bản chính; danh sách dài thì đính kèm thành tệp PDF")
                return None, ()
    except RecursionError:  # last resort: the reader's nesting checks should have refused it
        diags.error(path, 0, "nội dung lồng nhau quá sâu: không đọc được bài",
                    "bớt các mức danh sách, trích dẫn “>” hoặc thẻ HTML lồng nhau")
        return None, ()
    if read is not None:
        sanitize.check_body(read.article, read.body, diags, iframe_hosts)
    return read, citations


# Below this many files to read, a second process costs more to start than it saves.
PARALLEL_READ_THRESHOLD = 400


def _read_missing(paths: list[Path], root: Path, catalog: Catalog, iframe_hosts: tuple[str, ...],
                  legal: LegalData | None, catalog_key, cache: dict) -> None:
    """Read into `cache` every file it has no current entry for: (key, article file, citations,
    diagnostics).

    With many files (the first build of a large site) the last part of them is read by a second
    process (`python -m cchc.content`) while this one reads the first: reading and checking
    3000 articles takes ~1.5 s on one core, and the build has nothing else for the other core
    to do yet."""
    missing: list[tuple[Path, tuple]] = []
    for path in paths:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size, catalog_key)
        hit = cache.get(path)
        if hit is None or hit[0] != key:
            missing.append((path, key))
    worker = None
    own_share = missing
    if len(missing) >= PARALLEL_READ_THRESHOLD and available_cores() > 1:
        split = len(missing) * 11 // 20  # this process starts at once; the other must start Python first
        own_share, other_share = missing[:split], missing[split:]
        worker = _start_reader(root, iframe_hosts, [path for path, _ in other_share])
    for path, key in own_share:
        own = Diagnostics(root.parent)
        cache[path] = (key, *_read(path, root, catalog, own, iframe_hosts, legal), own.items)
    if worker is not None:
        for (path, key), (read, citations, items) in zip(other_share, _finish_reader(worker, len(other_share))):
            cache[path] = (key, read, citations, items)


def _start_reader(root: Path, iframe_hosts: tuple[str, ...], paths: list[Path]):
    """`python -m cchc.content` (cchc.workers), its request written by a thread beside this
    process's own reading (a full pipe would block)."""
    proc = start_module("cchc.content")
    request = pickle.dumps((str(root), iframe_hosts, [str(p) for p in paths]), protocol=5)

    def send():
        try:
            proc.stdin.write(request)
            proc.stdin.close()
        except OSError:
            pass  # the worker died: _finish_reader reports it
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    return proc, sender


def _finish_reader(worker, count: int) -> list:
    proc, sender = worker
    try:  # unpickled straight from the pipe: no copy of the whole answer in memory at once
        results = pickle.load(proc.stdout)
    except (EOFError, pickle.UnpicklingError):
        results = None
    err = proc.stderr.read()
    proc.wait()
    sender.join()
    if proc.returncode != 0 or results is None:
        raise RuntimeError(f"đọc bài viết thất bại:\n{err.decode('utf-8', 'replace')[-2000:]}")
    if len(results) != count:
        raise RuntimeError("đọc bài viết thất bại: thiếu kết quả")
    return results


def _reader_main() -> None:
    """`python -m cchc.content`: read (content folder, iframe hosts, article paths) pickled on
    stdin; read and check each article as load_content does; write [(article file, citations,
    diagnostics)] pickled on stdout, in the order of the paths."""
    root, iframe_hosts, paths = pickle.load(sys.stdin.buffer)
    root = Path(root)
    ignored = Diagnostics(root.parent)  # the data files' problems are reported by the build itself
    catalog = load_catalog(root, ignored)
    legal = load_legal_data(root / LEGAL_DATA_FILE, ignored)
    results = []
    for path in paths:
        own = Diagnostics(root.parent)
        results.append((*_read(Path(path), root, catalog, own, iframe_hosts, legal), own.items))
    sys.stdout.buffer.write(pickle.dumps(results, protocol=5))


def check_updates(articles: list[Article], diags: Diagnostics, now: dt.datetime | None) -> None:
    """Warn about an `updated:` date after the build's "now" (feeds show the publication time
    until then)."""
    if now is None:
        return
    for article in articles:
        if article.updated and article.updated > now:
            local = article.updated.astimezone(VN_TZ)
            written = local.strftime("%Y-%m-%d %H:%M" if article.updated_has_time else "%Y-%m-%d")
            diags.warning(article.source, article.lines.get("updated", 1),
                          f"ngày cập nhật ở tương lai ({written}, sau thời điểm dựng trang)",
                          "ghi ngày đã sửa bài (hôm nay hoặc trước đó); muốn hẹn giờ đăng thì dùng date:")


class RecordCache(dict):
    """Articles already read and checked, by file, kept between builds (one verified cache entry).

    Entries are `path → (key, article file, citations, diagnostics)`, keyed by the file's stat,
    the data files' stats and the iframe hosts; the whole entry is dropped when this package's code changes
    (its `version` is part of the cache key)."""

    def __init__(self, store, version: str):
        super().__init__()
        self.store = store  # cchc.buildcache.BlobStore
        self.key = f"articles-{version}"
        self.changed = False
        self.data_files = None  # (key, catalog, documents, diagnostics): in memory only (_load_data_files)
        self.deferred = False  # `save` only notes what to keep; `flush` writes
        self._keep: set | None = None
        entry = store.get(self.key)
        if entry is not None:
            try:
                self.update(pickle.loads(entry.payload))
            except Exception:  # verified bytes this code cannot read: start afresh
                pass

    def __setitem__(self, key, value):
        self.changed = True
        super().__setitem__(key, value)

    def save(self, keep: set[Path]) -> None:
        """Keep the entries of the files still present (errors only cost time).  Deferred (a
        preview): only noted here, written by `flush()` once the save's pages are served."""
        self._keep = keep
        if not self.deferred:
            self.flush()

    def flush(self) -> None:
        keep, self._keep = self._keep, None
        if keep is None:
            return
        entries = {path: entry for path, entry in self.items() if path in keep}
        if not self.changed and len(entries) == len(self):
            return
        if self.store.put(self.key, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)):
            self.changed = False
            self.store.retain({self.key})


def load_content(root: Path, *, iframe_hosts: tuple[str, ...] | None = None, cache: dict | None = None,
                 pictures=None) -> Content:
    """Load and check everything under the content folder `root`.

    `iframe_hosts`: video players articles may embed (default: the mkdocs.yml beside `root`);
    raw HTML the site would remove is reported as a warning on its line.
    `cache`: a dict kept between calls (the live preview, or a RecordCache kept between builds)
    so unchanged article files are not read and checked again; keyed by file stat and the
    data files' stats.
    `pictures`: a cchc.picture_library.PictureMemo kept between builds (what the image files
    articles use were found to be, by file stat); default: a fresh one.
    """
    root = Path(root)
    diags = Diagnostics(root.parent)
    check_root(root, diags)
    catalog, legal = _load_data_files(root, diags, cache)
    if iframe_hosts is None:
        from .settings import project_iframe_hosts

        iframe_hosts = project_iframe_hosts(root)
    iframe_hosts = tuple(iframe_hosts)
    articles: list[Article] = []
    bodies: dict[Path, str] = {}
    citations: dict[Path, tuple] = {}
    news_dir = root / NEWS_DIR
    catalog_key = (_catalog_key(root), iframe_hosts) if cache is not None else None
    seen: set = set()
    accepted: list[attachments.Attachment] = []
    if news_dir.is_dir() and catalog.plans:
        paths, others = news_files(news_dir, root, diags)
        accepted = attachments.check_files(others, diags, cache)
        seen.update(("attachment", path) for path in others)
        if cache is not None:
            _read_missing(paths, root, catalog, iframe_hosts, legal, catalog_key, cache)
        for path in paths:
            if cache is None:
                read, found = _read(path, root, catalog, diags, iframe_hosts, legal)
            else:
                seen.add(path)
                _, read, found, items = cache[path]
                diags.items.extend(items)
            if read is not None:
                articles.append(read.article)
                bodies[read.article.source] = read.body
                if found:
                    citations[read.article.source] = found
    if isinstance(cache, RecordCache):
        cache.save(seen)
    articles = check_duplicates(articles, diags)
    refused = check_pictures(articles, diags, root, pictures)  # images articles use: broken, hostile, animated
    if refused:  # a refused image an article uses is reported at that line, not also as a file
        shown = {diags.relative(path) for path in refused}
        diags.items[:] = [d for d in diags.items if not (d.code == attachments.CODE and d.path in shown)]
    report_missing_categories(catalog.plans, diags)
    output_limits.check_site(articles, catalog, legal, diags)
    texts = BodyTexts(bodies)
    try:
        now = build_time()
    except BuildDateError:
        now = None  # the build reports it; checking content does not depend on it
    if now is not None:
        check_updates(articles, diags, now)
        draft_link_warnings(articles, texts, diags, now)
    articles.sort(key=lambda a: a.sort_key)
    return Content(root=root, catalog=catalog, articles=articles, diagnostics=diags, legal=legal, bodies=texts,
                   citations=citations, attachments=accepted)


if __name__ == "__main__":
    _reader_main()
