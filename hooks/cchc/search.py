"""Site search: a Pagefind index of the article pages, built in shards while the site is written.

Pagefind (PyPI `pagefind[bin]`, the binary ships inside the wheel) reads finished HTML, indexes
only the element marked `data-pagefind-body` (the article in `cchc/article.html`) and writes a
static index that the browser loads in small chunks, only those a query needs.

Why shards: Pagefind keeps about 0.26 MB per page in memory while it indexes (850 MB for 3000
articles), so the articles are indexed in shards of `SHARD_SIZE` pages (consecutive in URL
order, i.e. by date), one Pagefind run at a time, in a background thread while the engine is
still writing other pages: the second core does the indexing.  The newest shard is the primary
index at `pagefind/` (with Pagefind's code); the others sit in `pagefind/<digest>/` and are
listed in `pagefind/cchc-shards.json`, which the search box merges (`mergeIndex`; merged
indexes reuse the primary's WebAssembly) newest first, a step of `SEARCH_STEP` articles at a
time: each merged shard costs the browser index chunks for every query word.  Each shard is cached under a digest of its pages,
so a build where a few articles changed re-indexes only their shards.

Vietnamese: Pagefind 1.5 indexes words with their combining marks folded ("cải" under "cai",
with the exact form kept for ranking), which covers tones, ă/â/ê/ô/ơ/ư and NFD/NFC.  It does not
fold "đ" (a letter of its own, not a combining mark); the search box (docs/assets/search.js)
adds the đ and tone-placement variants of each query word.  See notes/search.md.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

from .buildcache import TreeStore
from .buildcache.files import copy_out, read_own_file
from .workers import die_with_parent

# The bundle folder, relative to the site root (the search box loads `<root>/pagefind/pagefind.js`).
BUNDLE_DIR = "pagefind"
SHARDS_FILE = "cchc-shards.json"  # the shards the search box merges into the primary index
# Only article pages are searched: they live under tin-tuc/ (and carry data-pagefind-body).
ARTICLE_ROOT = "tin-tuc"
ARTICLE_GLOB = "tin-tuc/**/*.html"
LANGUAGE = "vi"
# Pages per Pagefind run.  Pagefind holds ~15 MB + ~0.26 MB per page while it runs, beside the
# build: 100 pages keep it at ~40 MB (250 took ~80 MB) for ~8 % more download per search at
# 3000 articles (notes/performance.md).
SHARD_SIZE = 100
# A search first covers the newest SEARCH_STEP articles, then older ones step by step (on
# "Xem thêm kết quả", or at once when it found too little): each shard costs the browser a few
# index chunks per query word, so searching every shard of a large site at once would not.
SEARCH_STEP = 1000
CACHE_FORMAT = 3  # bump when what is stored in the cache changes
# Files Pagefind always writes for its own ready-made UIs; the site uses the low-level API
# (pagefind.js + its worker and wasm), so these are never loaded and are not published.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# A merged shard needs only its entry, meta, index and fragments: the code comes from the primary.
CODE_FILES = ("pagefind.js", "pagefind-worker.js")
VOCABULARY_FILE = ".cchc-words.json"  # kept with a cached shard, never published
_WORD_RE = re.compile(r"[^\W_]+")


_BODY_RE = re.compile(r"<article\b[^>]*\sdata-pagefind-body\b.*?</article>", re.S)


def searchable_part(html: str) -> str:
    """What Pagefind reads of an article page, as a small document: the element marked
    data-pagefind-body.  Indexing this gives the same index as the whole page (Pagefind indexes
    only that element, and takes the result title from its h1) for a quarter less work, and the
    shard's cache key changes only when the searchable text does, not when the page chrome does."""
    body = _BODY_RE.search(html)
    if body is None:
        return html
    return '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>' + body.group(0) + "</body></html>"


def searchable_digest(html: str) -> tuple[bytes, str]:
    """The searchable part of an article page as Pagefind is given it, and its digest (a
    shard's cache key is made of its pages' digests)."""
    data = searchable_part(html).encode("utf-8", errors="xmlcharrefreplace")
    return data, hashlib.sha256(data).hexdigest()


def index_fold(text: str) -> str:
    """A word as Pagefind matches it: lower case, combining marks dropped, "đ" kept."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).lower()


def folder_vocabulary(folder: Path) -> set[str]:
    """Every word (index-folded) of the pages indexed in one shard folder."""
    # Words never span white space, nor does folding reach across it: fold each distinct
    # white-space-separated piece once (a shard has a few thousand, in ~1.5 million characters).
    pieces: set[str] = set()
    for path in Path(folder).glob("fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[len(b"pagefind_dcd"):].decode("utf-8"))
        pieces.update(fragment.get("content", "").split())
        for value in (fragment.get("meta") or {}).values():
            pieces.update(str(value).split())
    words: set[str] = set()
    for piece in pieces:
        words.update(_WORD_RE.findall(index_fold(piece)))
    return words


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message is for staff (Vietnamese)."""


@dataclass(frozen=True)
class IndexResult:
    pages: int  # article pages indexed
    bundle: Path | None  # the written bundle folder (None: no article to index)
    bytes: int  # size of the bundle folder
    cached: bool = False  # every shard was copied from the cache: no article page had changed
    shards: int = 0
    indexed: int = 0  # shards Pagefind indexed in this build (the others came from the cache)


def pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:  # pragma: no cover - the dependency is declared in pyproject.toml
        raise SearchIndexError(
            "Thiếu công cụ tìm kiếm Pagefind: chạy `make site` (hoặc `pip install -e .`) để cài."
        ) from None
    return Path(get_executable())


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    return [
        str(pagefind_executable()),
        "--site", str(site_dir),
        "--output-path", str(output),
        "--glob", ARTICLE_GLOB,
        "--force-language", LANGUAGE,
        "--quiet",
    ]


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


def page_path(url: str) -> str:
    """Site-relative file of an article page URL (tin-tuc/yyyy/mm/slug/ → …/index.html)."""
    return url + "index.html" if url.endswith("/") else url


class ShardedIndexer:
    """Indexes the article pages of one build, shard by shard, as the pages are written.

    `urls` are every article page the build writes.  Call `add_page(url, html)` for each (in any
    order), then `finish()`.  A shard is handed to the background thread as soon as all its
    pages are in.
    """

    def __init__(self, site_dir: Path, urls: list[str], store: "TreeStore | None" = None,
                 shard_size: int = SHARD_SIZE, step: int = SEARCH_STEP, cached_last: bool = False):
        self.site_dir = Path(site_dir)
        self.bundle = self.site_dir / BUNDLE_DIR
        self.store = store  # verified shard folders kept between builds (cchc.buildcache)
        self.cached: dict[int, Path] = {}  # shard → its verified folder in the store
        ordered = sorted(set(urls))
        self.shards = [ordered[i:i + shard_size] for i in range(0, len(ordered), shard_size)]
        self.step_shards = max(1, -(-step // shard_size))  # shards a search step covers
        self.shard_of = {url: n for n, shard in enumerate(self.shards) for url in shard}
        self.missing = [len(shard) for shard in self.shards]
        self.digests: dict[str, str] = {}
        self.pending: dict[str, object] = {}  # url → searchable bytes (or a reader) until its shard is complete
        self.staging = Path(tempfile.mkdtemp(prefix=".cchc-search-", dir=self._staging_parent()))
        self.queue: queue.Queue = queue.Queue()
        self.results: dict[int, tuple[str, bool, set]] = {}  # shard → (folder under pagefind/, from cache, words)
        self.error: BaseException | None = None
        self.cancelled = False  # `cancel()`: a newer build replaces this index (the preview)
        self._process: subprocess.Popen | None = None  # the Pagefind run in progress
        self._process_lock = threading.Lock()
        self.cpu_seconds = 0.0
        # The preview: shards found in the cache are copied into the site only once `finish()`
        # is called (after the pages are served), not beside the build in this process.
        self.cached_last = cached_last
        self._bundle_cleared = False  # links in the bundle removed
        self._placed: set[str] = set()  # the bundle's files that belong to this index
        self.thread = threading.Thread(target=self._work, name="cchc-search", daemon=True)
        self.thread.start()

    def _staging_parent(self) -> Path:
        """Memory-backed when the system has one (/dev/shm): thousands of small short-lived files."""
        for candidate in (Path("/dev/shm"), self.site_dir.parent):
            if candidate.is_dir() and os.access(candidate, os.W_OK):
                return candidate
        return Path(tempfile.gettempdir())

    # --- feeding ---------------------------------------------------------------------------
    def add_page(self, url: str, html: str | None = None, *, digest: str | None = None,
                 read=None, searchable: bytes | None = None) -> str | None:
        """An article page as published: its HTML text, or its searchable part and digest
        (`searchable_digest`, made in another process), or (a page the build did not render)
        the digest of its searchable part and `read()` giving its HTML should the shard need
        indexing.  Returns the digest.  Staging files are written only for shards that are
        not in the cache."""
        shard = self.shard_of.get(url)
        if shard is None or url in self.digests:
            return self.digests.get(url)
        if searchable is not None and digest is not None:
            self.pending[url] = searchable
        elif html is not None or digest is None:
            data, digest = searchable_digest(html if html is not None else read())
            self.pending[url] = data
        else:
            self.pending[url] = read
        self.digests[url] = digest
        self.missing[shard] -= 1
        if self.missing[shard] == 0:
            self._shard_complete(shard)
        return digest

    def _shard_complete(self, shard: int) -> None:
        """Stage the shard's pages if it must be indexed (not for a cached shard), queue it.
        A cached shard is verified now, file by file (cchc.buildcache.trees)."""
        key = self.shard_key(shard)
        folder = self.store.get(key) if self.store is not None else None
        cached = folder is not None
        if cached:
            self.cached[shard] = folder
        for url in self.shards[shard]:
            data = self.pending.pop(url)
            if cached:
                continue
            if callable(data):
                data = searchable_digest(data())[0]
            target = self.staging / str(shard) / page_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.queue.put(shard)

    def finish(self) -> IndexResult:
        """Index what is left, wait for the thread, write the shard list; clean up."""
        try:
            for url, shard in self.shard_of.items():  # pages the engine wrote without telling us
                if url not in self.digests:
                    path = self.site_dir / page_path(url)
                    if not path.is_file():
                        raise SearchIndexError(f"Thiếu trang {page_path(url)} để lập chỉ mục tìm kiếm.")
                    self.add_page(url, path.read_text(encoding="utf-8"))
            self.queue.put(None)
            self.thread.join()
            if self.error is not None:
                raise self.error
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        if not self.shards:
            return IndexResult(pages=0, bundle=None, bytes=0)
        self._sweep_bundle()
        (self.bundle / SHARDS_FILE).write_text(json.dumps(self._listing(), ensure_ascii=False, separators=(",", ":"))
                                               + "\n", encoding="utf-8")
        if self.store is not None:
            self.store.retain(self.shard_key(n) for n in range(len(self.shards)))
        return IndexResult(pages=len(self.shard_of), bundle=self.bundle, bytes=folder_bytes(self.bundle),
                           cached=all(cached for _, cached, _ in self.results.values()), shards=len(self.shards),
                           indexed=sum(not cached for _, cached, _ in self.results.values()))

    def _listing(self) -> dict:
        """What the search box needs to merge the shards: their folders and, with several, which
        words each holds (shard 0 is the primary, then the folders in order), as a sorted word
        list with a hexadecimal bit mask of shards per word."""
        order = [len(self.shards) - 1, *range(len(self.shards) - 1)]
        listing = {"merge": [self.results[n][0] + "/" for n in order[1:]], "step": self.step_shards}
        if len(order) > 1:
            masks: dict[str, int] = {}
            for bit, shard in enumerate(order):
                for word in self.results[shard][2]:
                    masks[word] = masks.get(word, 0) | (1 << bit)
            words = sorted(masks)
            listing["words"] = words
            listing["shards"] = [format(masks[w], "x") for w in words]
        return listing

    def abort(self) -> None:
        """The build failed: stop after the running shard and remove the staging folder."""
        self.error = self.error or SearchIndexError("đã dừng")
        self.queue.put(None)
        self.thread.join()
        shutil.rmtree(self.staging, ignore_errors=True)

    def cancel(self) -> None:
        """From another thread, while `finish()` may be running: a newer build replaces this
        index (the preview saved again), so stop now: no further shard, the running Pagefind
        stopped; `finish()` then raises SearchIndexError with `cancelled` set.  Shards already
        indexed stay in the cache for the next build."""
        self.cancelled = True
        self.error = self.error or SearchIndexError("đã dừng")
        with self._process_lock:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    # --- the background thread ---------------------------------------------------------------
    def _work(self) -> None:
        later = []
        while True:
            shard = self.queue.get()
            if shard is None:
                break
            if self.cached_last and shard in self.cached:
                later.append(shard)
            else:
                self._work_on(shard)
        for shard in later:
            self._work_on(shard)

    def _work_on(self, shard: int) -> None:
        if self.error is not None:
            return
        try:
            self.results[shard] = self._index(shard)
        except BaseException as exc:  # reported by finish(), in the build's thread
            self.error = exc

    def _into_bundle(self, folder: Path, target: Path) -> None:
        """Put a shard's files into the site's bundle.  A file already there with the same bytes
        is left as it is (a second build finds its unchanged shards in place, and creating files
        is the slowest work on some disks); the others are copied.  `finish` then removes every
        file of the bundle that belongs to no shard of this index (`_sweep_bundle`)."""
        if not self._bundle_cleared:  # only real folders and files: no link is followed
            _remove_links(self.bundle)
            self._bundle_cleared = True
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if rel.as_posix() == VOCABULARY_FILE or not path.is_file():
                continue
            dest = target / rel
            self._placed.add(str(dest))
            if read_own_file(dest) != path.read_bytes():
                _clear_way(self.bundle, dest)
                copy_out(path, dest)

    def _sweep_bundle(self) -> None:
        """Remove what an earlier index left in the bundle (files of shards that are gone)."""
        keep = self._placed | {str(self.bundle / SHARDS_FILE)}
        for root, dirs, names in os.walk(self.bundle, topdown=False):
            for name in names:
                if os.path.join(root, name) not in keep:
                    os.unlink(os.path.join(root, name))
            if root != str(self.bundle):
                try:
                    os.rmdir(root)  # only if it is empty now
                except OSError:
                    pass

    def _run_pagefind(self, command: list[str]) -> tuple[int, str]:
        """Run Pagefind (stoppable by `cancel`); its exit code and its messages."""
        with self._process_lock:
            if self.cancelled:
                return -1, "đã dừng"
            process = self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                       text=True, preexec_fn=die_with_parent)
        try:
            stdout, stderr = process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        finally:
            with self._process_lock:
                self._process = None
        return process.returncode, stderr or stdout

    def shard_key(self, shard: int) -> str:
        digest = hashlib.sha256()
        digest.update(f"{CACHE_FORMAT}\0{_pagefind_version()}\0{ARTICLE_GLOB}\0{LANGUAGE}\0{UNUSED_FILES}".encode())
        digest.update(b"primary" if self._is_primary(shard) else b"merged")
        for url in self.shards[shard]:
            digest.update(f"\0{url}\0{self.digests[url]}".encode())
        return digest.hexdigest()[:32]

    def _is_primary(self, shard: int) -> bool:
        return shard == len(self.shards) - 1  # the newest articles

    def _index(self, shard: int) -> tuple[str, bool, set]:
        key = self.shard_key(shard)
        primary = self._is_primary(shard)
        folder = "" if primary else key[:16]
        target = self.bundle / folder if folder else self.bundle
        cached = self.cached.get(shard)
        if cached is not None:
            self._into_bundle(cached, target)
            try:
                words = set(json.loads((cached / VOCABULARY_FILE).read_text(encoding="utf-8")))
            except (OSError, ValueError):
                words = folder_vocabulary(cached)
            return folder, True, words
        # Pagefind writes its bundle into a new folder of the store (same file system as the
        # entry it becomes), which is committed only once checked complete.
        out = self.store.begin(key) if self.store is not None else self.staging / f"out-{shard}"
        started = time.process_time()
        try:
            returncode, output = self._run_pagefind(pagefind_command(self.staging / str(shard), out))
        except (OSError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(out, ignore_errors=True)
            raise SearchIndexError(f"Không chạy được Pagefind để lập chỉ mục tìm kiếm: {exc}") from None
        if self.cancelled:
            shutil.rmtree(out, ignore_errors=True)
            raise SearchIndexError("đã dừng")
        problem = None if returncode == 0 else output.strip()
        if problem is None:
            problem = bundle_problem(out)
        if problem is not None:
            shutil.rmtree(out, ignore_errors=True)
            raise SearchIndexError(f"Pagefind không lập được chỉ mục tìm kiếm:\n{problem}")
        self.cpu_seconds += time.process_time() - started
        for name in UNUSED_FILES + (() if primary else CODE_FILES):
            (out / name).unlink(missing_ok=True)
        if not primary:
            for wasm in out.glob("wasm.*.pagefind"):
                wasm.unlink()
        words = folder_vocabulary(out)
        (out / VOCABULARY_FILE).write_text(json.dumps(sorted(words), ensure_ascii=False), encoding="utf-8")
        kept = self.store.commit(key, out) if self.store is not None else out
        self._into_bundle(kept, target)
        if kept == out:  # the store could not keep it
            shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(self.staging / str(shard), ignore_errors=True)
        return folder, False, words


def _clear_way(top: Path, dest: Path) -> None:
    """No file where `dest` needs a folder (from `top` down), no folder where it is a file."""
    for folder in reversed(dest.relative_to(top).parents[:-1]):
        if (top / folder).exists() and not (top / folder).is_dir():
            (top / folder).unlink()
    if dest.is_dir():
        shutil.rmtree(dest)


def _remove_links(folder: Path) -> None:
    """`folder` as a real folder (or nothing) holding only real folders and files."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
        return
    for root, dirs, names in os.walk(folder):
        for name in list(dirs):
            if os.path.islink(os.path.join(root, name)):
                os.unlink(os.path.join(root, name))
                dirs.remove(name)
        for name in names:
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path):
                os.unlink(path)


def bundle_problem(folder: Path) -> str | None:
    """Why a bundle Pagefind wrote is not complete (None: it is): its entry file must parse and
    every index file must be whole gzip data (a full disk leaves empty or cut files behind)."""
    entry = folder / "pagefind-entry.json"
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"thiếu hoặc hỏng tệp {entry.name}"
    for path in folder.rglob("*.pf_*"):
        try:
            data = path.read_bytes()
            if not data:
                return f"tệp rỗng {path.relative_to(folder)}"
            gzip.decompress(data)
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error):
            return f"tệp hỏng {path.relative_to(folder)}"
    return None


def article_pages(site_dir: Path) -> list[str]:
    """URLs of the article pages of a built site (the HTML files under tin-tuc/)."""
    root = Path(site_dir) / ARTICLE_ROOT
    return sorted(p.relative_to(site_dir).as_posix()[: -len("index.html")] for p in root.rglob("index.html"))


def build_index(site_dir: Path, article_count: int, store: TreeStore | None = None,
                shard_size: int = SHARD_SIZE, step: int = SEARCH_STEP) -> IndexResult:
    """Index the article pages of a site already written to `site_dir` (same result as the
    live indexing of a build).  With `article_count` 0 (a new site) no bundle is written:
    Pagefind refuses an empty index; the search box then says it found nothing.
    """
    site_dir = Path(site_dir)
    if article_count == 0:
        if (site_dir / BUNDLE_DIR).exists():
            shutil.rmtree(site_dir / BUNDLE_DIR)
        return IndexResult(pages=0, bundle=None, bytes=0)
    urls = article_pages(site_dir) if (site_dir / ARTICLE_ROOT).is_dir() else []
    if not urls:
        raise SearchIndexError("Pagefind không lập được chỉ mục tìm kiếm:\nkhông có trang bài viết nào trong tin-tuc/.")
    indexer = ShardedIndexer(site_dir, urls, store, shard_size, step)
    for url in urls:
        indexer.add_page(url, (site_dir / page_path(url)).read_text(encoding="utf-8"))
    return indexer.finish()


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def shard_folders(bundle: Path) -> list[Path]:
    """The primary bundle and every merged shard folder, as the search box loads them."""
    bundle = Path(bundle)
    folders = [bundle]
    listing = bundle / SHARDS_FILE
    if listing.is_file():
        folders += [bundle / name.rstrip("/") for name in json.loads(listing.read_text(encoding="utf-8"))["merge"]]
    return folders


def page_count(bundle: Path) -> int:
    total = 0
    for folder in shard_folders(bundle):
        try:
            entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        total += sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    return total


def read_fragments(bundle: Path) -> list[dict]:
    """The indexed pages as Pagefind stores them (url, content, meta…), for checks and tests.

    A fragment is gzip of b"pagefind_dcd" followed by JSON.
    """
    fragments = []
    for folder in shard_folders(bundle):
        for path in sorted(folder.glob("fragment/*.pf_fragment")):
            data = gzip.decompress(path.read_bytes())
            fragments.append(json.loads(data[len(b"pagefind_dcd"):].decode("utf-8")))
    return fragments
