"""Site search: a Pagefind index of the article pages, written after the site is built.

Pagefind (PyPI `pagefind[bin]`, the binary ships inside the wheel) reads the finished HTML,
indexes only the element marked `data-pagefind-body` (the article in `cchc/article.html`) and
writes a static index that the browser loads in small chunks, only those a query needs.

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
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The bundle folder, relative to the site root (the search box loads `<root>/pagefind/pagefind.js`).
BUNDLE_DIR = "pagefind"
# Only article pages are searched: they live under tin-tuc/ (and carry data-pagefind-body).
ARTICLE_GLOB = "tin-tuc/**/*.html"
LANGUAGE = "vi"
CACHE_FORMAT = 1  # bump when what is stored in the cache changes
# Files Pagefind always writes for its own ready-made UIs; the site uses the low-level API
# (pagefind.js + its worker and wasm), so these are never loaded and are not published.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message is for staff (Vietnamese)."""


@dataclass(frozen=True)
class IndexResult:
    pages: int  # article pages indexed
    bundle: Path | None  # the written bundle folder (None: no article to index)
    bytes: int  # size of the bundle folder
    cached: bool = False  # copied from the cache: the article pages had not changed


def pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:  # pragma: no cover - the dependency is declared in pyproject.toml
        raise SearchIndexError(
            "Thiếu công cụ tìm kiếm Pagefind: chạy `make site` (hoặc `pip install -e .`) để cài."
        ) from None
    return Path(get_executable())


def pagefind_command(site_dir: Path) -> list[str]:
    return [
        str(pagefind_executable()),
        "--site", str(site_dir),
        "--output-subdir", BUNDLE_DIR,
        "--glob", ARTICLE_GLOB,
        "--force-language", LANGUAGE,
        "--quiet",
    ]


def build_index(site_dir: Path, article_count: int, cache_dir: Path | None = None) -> IndexResult:
    """Index the article pages of a built site into `site_dir/pagefind/`.

    `article_count` is how many article pages the build wrote.  With none (a new site) no
    bundle is written, since Pagefind refuses an empty index and would otherwise fall back to
    indexing whole pages; the search box then says it found nothing.

    With `cache_dir`, the bundle of the last run is kept there under a digest of everything
    Pagefind reads (the article pages, its version and options): a build whose article pages
    are byte for byte the same copies it instead of running Pagefind again (seconds at
    thousands of articles).
    """
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():  # never mix files of an older index in
        shutil.rmtree(bundle)
    if article_count == 0:
        return IndexResult(pages=0, bundle=None, bytes=0)
    key = inputs_key(site_dir) if cache_dir is not None else ""
    cached = Path(cache_dir) / key if key else None
    if cached is not None and (cached / "pagefind.js").is_file():
        shutil.copytree(cached, bundle)
        return IndexResult(pages=_page_count(bundle), bundle=bundle, bytes=folder_bytes(bundle), cached=True)
    try:
        result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Không chạy được Pagefind để lập chỉ mục tìm kiếm: {exc}") from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"Pagefind không lập được chỉ mục tìm kiếm:\n{detail}")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    if cached is not None:
        _store(bundle, cached)
    return IndexResult(pages=_page_count(bundle), bundle=bundle, bytes=folder_bytes(bundle))


def inputs_key(site_dir: Path) -> str:
    """Digest of what Pagefind reads and how: every HTML file under tin-tuc/, version, options."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\0{_pagefind_version()}\0{ARTICLE_GLOB}\0{LANGUAGE}\0{UNUSED_FILES}".encode())
    root = Path(site_dir) / ARTICLE_GLOB.split("/", 1)[0]
    for path in sorted(root.rglob("*.html")):
        digest.update(b"\0" + path.relative_to(site_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


def _store(bundle: Path, target: Path) -> None:
    """Keep a copy of `bundle` as the cache entry `target` (the only entry: older ones go)."""
    cache = target.parent
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache))
        shutil.copytree(bundle, tmp / "bundle")
        for old in cache.iterdir():
            if old != tmp and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
        (tmp / "bundle").rename(target)
        shutil.rmtree(tmp, ignore_errors=True)
    except OSError:  # a cache that cannot be written only costs time on the next build
        pass


def _page_count(bundle: Path) -> int:
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def read_fragments(bundle: Path) -> list[dict]:
    """The indexed pages as Pagefind stores them (url, content, meta…), for checks and tests.

    A fragment is gzip of b"pagefind_dcd" followed by JSON.
    """
    fragments = []
    for path in sorted(Path(bundle).glob("fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data[len(b"pagefind_dcd"):].decode("utf-8")))
    return fragments
