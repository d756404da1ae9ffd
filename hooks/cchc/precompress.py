"""Pre-compressed copies of a built site: `page.html.gz` beside `page.html`, for the web server
to send as they are (nginx `gzip_static`), so no page is compressed again on every request.

    precompress_tree(site_dir, cache_dir) -> PrecompressStats

Only text formats that compress well (HTML, CSS, JS, XML, JSON, SVG) get a copy, and only
when the copy is smaller.  Each copy is deterministic (gzip level 9, modification time 0, no
file name in the header): the same file always gives the same bytes, so publishing hard-links
an unchanged page's copy from the live release instead of sending it again.

Copies are kept in the build cache (`gzip/`, verified when read, published as copies) by the
SHA-256 of the original, so a second build compresses only the files that changed; entries this
build did not use are removed afterwards (the cache holds one site's copies, never grows with
every edit).  Deleting the cache is always safe.

No Brotli (`.br`): measured on the sample site, Brotli at a speed like gzip's (quality 5)
makes files only 4 % smaller; the 14 % of quality 11 costs about 60 times gzip level 6's time
(minutes for a first build of thousands of articles), and nginx sends `.br` files only with a
module that Debian's nginx does not include (notes/publishing.md).
"""

from __future__ import annotations

import hashlib
import os
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


NOT_SMALLER = b"none"  # entry metadata: compressing this file makes it no smaller (no copy)


def _key(digest: str) -> str:
    return hashlib.sha256(f"{FORMAT}\0{digest}".encode()).hexdigest()


def _one(path: Path, store) -> tuple[int, int, bool, bool, str]:
    """(original size, copy size or 0, compressed now?, skipped?, cache key) for one file."""
    data = path.read_bytes()
    key = _key(hashlib.sha256(data).hexdigest())
    target = path.with_name(path.name + ".gz")
    entry = store.get(key) if store is not None else None  # verified; a damaged one is a miss
    if entry is not None:
        if entry.meta == NOT_SMALLER:
            return len(data), 0, False, True, key
        _write(target, entry.payload)  # a copy: nothing in the site can change the cache
        return len(data), len(entry.payload), False, False, key
    packed = gzip_bytes(data)
    if len(packed) >= len(data):
        if store is not None:
            store.put(key, b"", NOT_SMALLER)
        return len(data), 0, True, True, key
    _write(target, packed)
    if store is not None:
        store.put(key, packed)
    return len(data), len(packed), True, False, key


def _write(target: Path, data: bytes) -> None:
    temp = target.with_name(f".{target.name}.{threading.get_ident()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, target)


def precompress_tree(site_dir: Path, store=None, *, workers: int | None = None) -> PrecompressStats:
    """Write `<file>.gz` beside every compressible file of `site_dir` (see the module's docstring).

    `store`: the build cache's store for copies (cchc.buildcache.BlobStore; None: no cache).
    zlib releases the GIL while it compresses, so threads use every core.
    """
    site_dir = Path(site_dir)
    stats = PrecompressStats()
    paths = list(_compressible(site_dir))
    stats.files = len(paths)
    used: set[str] = set()
    count = workers or min(8, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        for original, packed, fresh, skipped, key in pool.map(lambda p: _one(p, store), paths, chunksize=1):
            used.add(key)
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
    if store is not None:
        store.retain(used)  # the copies of files this build no longer has go
    return stats
