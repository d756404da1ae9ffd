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

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# The bundle folder, relative to the site root (the search box loads `<root>/pagefind/pagefind.js`).
BUNDLE_DIR = "pagefind"
# Only article pages are searched: they live under tin-tuc/ (and carry data-pagefind-body).
ARTICLE_GLOB = "tin-tuc/**/*.html"
LANGUAGE = "vi"
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


def build_index(site_dir: Path, article_count: int) -> IndexResult:
    """Index the article pages of a built site into `site_dir/pagefind/`.

    `article_count` is how many article pages the build wrote.  With none (a new site) no
    bundle is written, since Pagefind refuses an empty index and would otherwise fall back to
    indexing whole pages; the search box then says it found nothing.
    """
    site_dir = Path(site_dir)
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():  # never mix files of an older index in
        shutil.rmtree(bundle)
    if article_count == 0:
        return IndexResult(pages=0, bundle=None, bytes=0)
    try:
        result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Không chạy được Pagefind để lập chỉ mục tìm kiếm: {exc}") from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"Pagefind không lập được chỉ mục tìm kiếm:\n{detail}")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    return IndexResult(pages=_page_count(bundle), bundle=bundle, bytes=folder_bytes(bundle))


def _page_count(bundle: Path) -> int:
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

