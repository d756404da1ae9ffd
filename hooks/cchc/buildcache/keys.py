"""Cache keys: one digest function, and the fingerprints built from it.

A key names everything an entry depends on.  Entries are also verified when read (see
`blobs`), so a key only decides *which* entry is wanted; whether the stored bytes are intact is
checked separately.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import json
import os
import pickle
from pathlib import Path
from typing import Any, Iterable

PACKAGE = Path(__file__).resolve().parent.parent  # hooks/cchc


def digest(*parts: Any) -> str:
    """A stable SHA-256 (hex) of JSON-able parts; dates, paths and other objects as text."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Digested(dict):
    """A dict no one changes once made (a listing card: it is on hundreds of pages).
    `data_digest` takes in its digest, computed once, instead of all its items again."""

    __slots__ = ("_digest",)

    def digest(self) -> str:
        try:
            return self._digest
        except AttributeError:
            self._digest = data_digest(dict(self))
            return self._digest


def _digest_of(value: Digested):
    return str, (value.digest(),)


_DIGEST_DISPATCH = {Digested: _digest_of}


def data_digest(data: Any) -> str:
    """SHA-256 of arbitrary picklable data (page contexts: nested dicts, lists, dates).

    Pickled rather than JSON-dumped (several times faster) and without the pickler's memo:
    equal data pickles the same whether its parts are one object or equal copies (a citation
    read now shares its strings with the detector, one read from the article cache does not);
    data built in another order only costs a needless re-render."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=4)
    try:
        pickler.fast = True  # no memo (page data holds no cycles)
    except AttributeError:  # pragma: no cover - a Python without fast mode: only re-renders
        pass
    pickler.dispatch_table = _DIGEST_DISPATCH
    pickler.dump(data)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


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
    return _code_version(tuple(packages))


@functools.lru_cache(maxsize=None)
def _code_version(names: tuple[str, ...]) -> str:
    """Once per process: the code that runs does not change while it runs."""
    result = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        result.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in names:
        try:
            result.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            result.update(name.encode())
    return result.hexdigest()
