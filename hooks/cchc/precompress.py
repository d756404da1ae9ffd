"""Pre-compressed copies of a built site: `page.html.gz` beside `page.html`, for the web server
to send as they are (nginx `gzip_static`), so no page is compressed again on every request.

    precompress_tree(site_dir, cache_dir) -> PrecompressStats

Only text formats that compress well (HTML, CSS, JS, XML, JSON, SVG) get a copy, and only
when the copy is smaller.  Each copy is deterministic (gzip level 9, modification time 0, no
file name in the header): the same file always gives the same bytes, so publishing hard-links
an unchanged page's copy from the live release instead of sending it again.

Copies are kept in `cache_dir` by the SHA-256 of the original, so a second build compresses
only the files that changed; entries this build did not use are removed afterwards (the cache
holds one site's copies, never grows with every edit).  Deleting the cache is always safe.

No Brotli (`.br`): measured on the sample site, Brotli at a speed like gzip's (quality 5)
makes files only 4 % smaller; the 14 % of quality 11 costs about 60 times gzip level 6's time
(minutes for a first build of thousands of articles), and nginx sends `.br` files only with a
module that Debian's nginx does not include (notes/publishing.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

COMPRESSIBLE_SUFFIXES = frozenset({".html", ".htm", ".css", ".js", ".mjs", ".xml", ".xsl", ".json", ".svg"})
# Level 6 (zlib's default): on the sample site its files are 0.3 % larger than level 9's, made
# in a third of the time.
GZIP_LEVEL = 6
# Bumped when the way copies are made changes: cached copies of another version are not used.
FORMAT = f"gzip-{GZIP_LEVEL}-{zlib.ZLIB_VERSION}-1"


@dataclass
class PrecompressStats:
    files: int = 0  # compressible files looked at
    written: int = 0  # .gz copies now beside their file
    compressed: int = 0  # of those, compressed now (the rest came from the cache)
    skipped: int = 0  # not smaller when compressed: no copy
    original_bytes: int = 0
    compressed_bytes: int = 0


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no name and modification time 0 (zlib's gzip header: OS "Unix", flags 0)."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31, 9)
    return compressor.compress(data) + compressor.flush()


def _compressible(site: Path):
    for folder, dirs, files in os.walk(site):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):  # dot-files (the build manifest) are not published
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in COMPRESSIBLE_SUFFIXES:
                path = Path(folder) / name
                if not path.is_symlink():
                    yield path


class _Cache:
    """Compressed copies by digest of the original: <digest[:2]>/<digest>.gz (or .none)."""

    def __init__(self, folder: Path | None):
        self.folder = folder / FORMAT if folder is not None else None
        self.used: set[str] = set()
        self.lock = threading.Lock()
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                self.folder = None  # no cache: everything is compressed, nothing is lost

    def entry(self, digest: str, kind: str) -> Path | None:
        if self.folder is None:
            return None
        with self.lock:
            self.used.add(f"{digest}{kind}")
        return self.folder / digest[:2] / f"{digest}{kind}"

    def store(self, entry: Path | None, data: bytes) -> None:
        if entry is None:
            return
        try:
            entry.parent.mkdir(exist_ok=True)
            temp = entry.with_name(f".{entry.name}.{os.getpid()}.{threading.get_ident()}")
            temp.write_bytes(data)
            os.replace(temp, entry)
        except OSError:
            pass  # a cache that cannot be written only costs time on the next build

    def prune(self) -> None:
        """Remove the copies of files this build no longer has."""
        if self.folder is None:
            return
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for entry in sub.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
        for old in self.folder.parent.iterdir():  # copies made by another version of this code
            if old.is_dir() and old.name != FORMAT:
                shutil.rmtree(old, ignore_errors=True)


def _place(cached: Path, target: Path) -> None:
    """Put the cached copy at target: a hard link (no copy of the bytes), else a copy.
    FileNotFoundError: not cached; FileExistsError: target exists."""
    try:
        os.link(cached, target)
    except (FileNotFoundError, FileExistsError):
        raise
    except OSError:  # another file system, or no hard links there
        with open(target, "xb") as handle:
            handle.write(cached.read_bytes())


def _one(path: Path, cache: _Cache) -> tuple[int, int, int, bool]:
    """(original size, copy size or 0, compressed now?, skipped?) for one file."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    target = path.with_name(path.name + ".gz")
    entry = cache.entry(digest, ".gz")
    none_entry = cache.entry(digest, ".none")
    if entry is not None:
        try:
            _place(entry, target)  # the usual case on a second build: one hard link
            return len(data), os.stat(target).st_size, False, False
        except FileExistsError:  # MkDocs' own sitemap.xml.gz, or a copy left by an earlier run
            target.unlink()
            _place(entry, target)
            return len(data), os.stat(target).st_size, False, False
        except FileNotFoundError:
            if none_entry is not None and none_entry.exists():
                return len(data), 0, False, True
    packed = gzip_bytes(data)
    if len(packed) >= len(data):
        cache.store(none_entry, b"")
        return len(data), 0, True, True
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_bytes(packed)
    os.replace(temp, target)
    if entry is not None:
        try:
            os.link(target, entry)  # the cache shares the copy's bytes
        except FileExistsError:
            pass  # the same file twice in this build
        except OSError:
            cache.store(entry, packed)
    return len(data), len(packed), True, False


def precompress_tree(site_dir: Path, cache_dir: Path | None = None, *, workers: int | None = None) -> PrecompressStats:
    """Write `<file>.gz` beside every compressible file of `site_dir` (see the module's docstring).

    zlib releases the GIL while it compresses, so threads use every core.
    """
    site_dir = Path(site_dir)
    cache = _Cache(Path(cache_dir) if cache_dir is not None else None)
    stats = PrecompressStats()
    paths = list(_compressible(site_dir))
    stats.files = len(paths)
    if cache.folder is not None:  # the two-letter folders, made once rather than per file
        for i in range(256):
            (cache.folder / f"{i:02x}").mkdir(exist_ok=True)
    count = workers or min(8, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        for original, packed, fresh, skipped in pool.map(lambda p: _one(p, cache), paths, chunksize=1):
            stats.original_bytes += original
            if skipped:
                stats.skipped += 1
                continue
            stats.written += 1
            stats.compressed += int(fresh)
            stats.compressed_bytes += packed
    finally:
        # An interrupted build (Ctrl-C) stops at once: queued files are dropped, not compressed.
        pool.shutdown(wait=True, cancel_futures=True)
    cache.prune()
    return stats
