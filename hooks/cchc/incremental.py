"""Knowing what changed: page fingerprints, for the preview and for the page cache.

Each generated page gets a fingerprint of everything it shows (its data, its article body, the
site configuration, navigation, templates, code and engine).  `mkdocs serve --dirty` (the
preview) renders only pages whose fingerprint changed since the previous build of the process;
every build keeps rendered pages in a `PageStore` under their fingerprint, so a build where a
few articles changed renders only the pages that show them.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import pickle
import shutil
import tempfile
import time
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


def code_version(packages: Iterable[str] = ("markdown", "pymdown-extensions", "nh3", "markupsafe")) -> str:
    """Changes with this package's code and the given libraries' versions."""
    package = Path(__file__).resolve().parent
    result = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        result.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in packages:
        try:
            result.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            result.update(name.encode())
    return result.hexdigest()


def page_fingerprint(output: PageOutput, site_key: str, body: Any = None) -> str:
    """`body`: what the page's article body depends on beyond `output` (its conversion).

    Pickled rather than JSON-dumped (several times faster), without the pickler's memo: equal
    data pickles the same whether its parts are one object or equal copies (a citation read now
    shares its strings with the detector, one read from the article cache does not); data built
    in another order only costs a needless re-render."""
    data = (site_key, output.url, output.title, output.template, output.kind, output.description,
            output.markdown, output.context, output.feeds, output.image, output.noindex, body)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    try:
        pickler.fast = True  # no memo (page data holds no cycles)
    except AttributeError:  # a Python without fast mode: sharing then only costs re-renders
        pass
    pickler.dump(data)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


class PageStore:
    """Rendered pages kept between builds under their fingerprint (one file each).

    A build asks `has()` before rendering a page.  A page it renders is kept with `keep()`,
    which hard-links the file the engine wrote (no copy; the engine never rewrites a file in
    place outside the preview, which does not use the store); a stored page is published with
    `publish()`, a link the other way.  Entries unused for `keep_seconds` go in `prune()`.
    `digests` remembers, per fingerprint, the digest of what search indexes of the page.
    """

    INDEX = "digests.pickle"

    def __init__(self, folder: Path, keep_seconds: float = 7 * 24 * 3600):
        self.folder = Path(folder)
        self.keep_seconds = keep_seconds
        self.hits = 0
        self.stored = 0
        self.digests: dict[str, str] = {}
        self._digests_changed = False
        try:
            with open(self.folder / self.INDEX, "rb") as handle:
                self.digests = dict(pickle.load(handle))
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass

    def path(self, fingerprint: str) -> Path:
        return self.folder / fingerprint[:2] / f"{fingerprint}.html"

    _path = path

    def has(self, fingerprint: str) -> bool:
        return self._path(fingerprint).is_file()

    def read(self, fingerprint: str) -> str:
        return self._path(fingerprint).read_text(encoding="utf-8")

    def publish(self, fingerprint: str, target: Path) -> bool:
        """Put the stored page at `target`; False if it is gone (then render it)."""
        source = self._path(fingerprint)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
            if source.stat().st_mtime < time.time() - 24 * 3600:
                os.utime(source)  # still in use: keep it
        except OSError:
            return False
        self.hits += 1
        return True

    def keep(self, fingerprint: str, written: Path) -> None:
        path = self._path(fingerprint)
        if path.exists():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            try:
                os.link(written, tmp)
            except OSError:
                shutil.copyfile(written, tmp)
            os.replace(tmp, path)
            self.stored += 1
        except OSError:  # a cache that cannot be written only costs time on the next build
            pass

    def remember_digest(self, fingerprint: str, digest_: str) -> None:
        if self.digests.get(fingerprint) != digest_:
            self.digests[fingerprint] = digest_
            self._digests_changed = True

    def finish(self, used: set[str]) -> None:
        """Save the digests of the pages in use; remove entries unused for a while."""
        limit = time.time() - self.keep_seconds
        if self.folder.is_dir():
            for sub in self.folder.iterdir():
                for entry in sub.iterdir() if sub.is_dir() else ():
                    try:
                        if entry.stat().st_mtime < limit:
                            entry.unlink()
                    except OSError:
                        pass
        kept = {fp: d for fp, d in self.digests.items() if fp in used}
        if not self._digests_changed and len(kept) == len(self.digests):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / self.INDEX)
        except OSError:
            pass


class PreviewState:
    """What the previous preview build produced (kept for the life of the `serve` process)."""

    def __init__(self):
        self.page_prints: dict[str, str] = {}  # dest path → fingerprint of the page written there
        self.written: set[str] = set()  # dest paths of generated files of the previous build
        self.indexed_once = False

    def stale(self, current: set[str]) -> set[str]:
        """Generated files of the previous build that this build no longer produces."""
        return self.written - current
