"""Incremental preview: knowing which pages changed since the previous build of this process.

`mkdocs serve` rebuilds the whole site on every save.  With `--dirty` it skips pages whose
file says it is unchanged; generated pages always say "changed", so we give each one a
fingerprint of everything it shows (page data, site configuration, templates and code) and
compare it with the previous build.  Only the edited article and the listings that show it
are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable

from .outputs import PageOutput


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts (dates and paths as text)."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_key(folders: Iterable[Path]) -> str:
    """Changes whenever any file under `folders` is added, removed or modified."""
    entries = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(names):
                path = Path(root) / name
                try:
                    stat = path.stat()
                except OSError:
                    continue
                entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return digest(entries)


def page_fingerprint(output: PageOutput, site_key: str) -> str:
    return digest(site_key, output.url, output.title, output.template, output.kind, output.description,
                  output.markdown, output.context, output.feeds, output.image, output.noindex)


class PreviewState:
    """What the previous preview build produced (kept for the life of the `serve` process)."""

    def __init__(self):
        self.page_prints: dict[str, str] = {}  # dest path → fingerprint of the page written there
        self.written: set[str] = set()  # dest paths of generated files of the previous build
        self.indexed_once = False

    def stale(self, current: set[str]) -> set[str]:
        """Generated files of the previous build that this build no longer produces."""
        return self.written - current
