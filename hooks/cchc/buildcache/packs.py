"""Many small entries (converted article bodies) in a few pack files, verified when read.

Creating thousands of small files costs about a second of a 3000-article build, so each process
that converts appends its entries to one pack file of its own; an index (one verified blob)
says where each entry is, with its hash.  A pack is never changed once written.  Packs no entry
of the index uses are removed, and the live entries are copied into a fresh pack when they are
spread over too many packs or make up less than half of them (the preview writes a small pack on
every save).  Packs are opened when the index is read, so a pack another build removes
meanwhile stays readable to this one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import weakref
from pathlib import Path

from .blobs import BlobStore, Warn
from .files import ensure_folder, remove_abandoned

PACK_SUFFIX = ".pack"
INDEX_KEY = "index"
MAX_PACKS = 8


def entry_digest(key: str, data: bytes) -> str:
    return hashlib.sha256(key.encode("utf-8") + b"\0" + data).hexdigest()


class PackWriter:
    """Appends entries to a new pack file in `folder`; `with` closes it.  Used by worker
    processes too (they report name, offsets, sizes and digests back)."""

    def __init__(self, folder: Path):
        ensure_folder(folder, folder.parent)
        fd, path = tempfile.mkstemp(prefix="bodies-", suffix=PACK_SUFFIX, dir=folder)
        self.name = Path(path).name
        self._file = os.fdopen(fd, "wb")
        self._at = 0

    def append(self, key: str, data: bytes) -> tuple[int, int, str]:
        """(offset, size, digest) of the appended entry."""
        at = self._at
        self._file.write(data)
        self._at += len(data)
        return at, len(data), entry_digest(key, data)

    def __enter__(self) -> "PackWriter":
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


class PackStore:
    """key → bytes in pack files, with per-entry metadata kept in the index.

    `lookup(key)` gives an entry's metadata (from the index) without reading its bytes;
    `read(key)` gives the verified bytes, or None when the pack is gone or the bytes were
    damaged (a miss: the caller converts again)."""

    def __init__(self, folder: Path, base_key: str, warn: Warn):
        self.folder = Path(folder)
        self.base_key = base_key
        self.warn = warn
        self._index_store = BlobStore(self.folder, "mục lục bộ nhớ đệm bài viết", warn)
        self._packs = _OpenPacks(self.folder)
        self.entries: dict[str, dict] = {}  # key → metadata incl. pack, at, size, digest
        self._loaded: dict[str, dict] = {}
        remove_abandoned(self.folder)

    # --- index -----------------------------------------------------------------------------
    def load(self) -> None:
        entry = self._index_store.get(INDEX_KEY)
        index: dict = {}
        if entry is not None:
            try:
                base_key, index = pickle.loads(entry.payload)
            except Exception:  # verified bytes that this code cannot read: an older format
                base_key, index = None, {}
            if base_key != self.base_key:
                index = {}
        self._loaded = index

    def lookup(self, key: str) -> dict | None:
        """Metadata of a stored entry whose pack is still there (bytes not read yet)."""
        meta = self._loaded.get(key)
        if meta is None or not self._packs.has(meta["pack"]):
            return None
        return meta

    def verify(self, key: str, meta: dict) -> bool:
        """Are the entry's bytes intact?  (A damaged one is a miss, with a warning.)"""
        data = self._packs.read(meta["pack"], meta["at"], meta["size"])
        if data is not None and entry_digest(key, data) == meta.get("digest"):
            return True
        self.warn(f"bộ nhớ đệm nội dung bài hỏng ({meta['pack']}): chuyển lại bài này")
        return False

    def use(self, key: str, meta: dict) -> None:
        """This build uses the entry (kept in the index it saves)."""
        self.entries[key] = meta

    def adopt_pack(self, name: str) -> None:
        """A pack a worker process wrote: open it now, it is ours to read from here on."""
        self._packs.has(name)

    def read(self, key: str) -> bytes | None:
        meta = self.entries.get(key)
        if meta is None:
            return None
        data = self._packs.read(meta["pack"], meta["at"], meta["size"])
        if data is None or entry_digest(key, data) != meta["digest"]:
            self.warn(f"bộ nhớ đệm bài viết hỏng ({meta['pack']}): chuyển lại bài này")
            self.entries.pop(key, None)
            return None
        return data

    def save(self) -> None:
        """Write the index of this build's entries; remove packs nothing uses; compact."""
        in_use = {meta["pack"] for meta in self.entries.values()}
        live = sum(meta["size"] for meta in self.entries.values())
        total = sum(self._packs.size(name) for name in in_use)
        if len(in_use) > MAX_PACKS or live * 2 < total:
            self._compact()
            in_use = {meta["pack"] for meta in self.entries.values()}
        if self.entries != self._loaded:
            if not self._index_store.put(INDEX_KEY, pickle.dumps((self.base_key, self.entries),
                                                                 protocol=pickle.HIGHEST_PROTOCOL)):
                return
        try:
            names = [p for p in self.folder.iterdir() if p.suffix == PACK_SUFFIX]
        except OSError:
            return
        for path in names:
            if path.name not in in_use:
                path.unlink(missing_ok=True)

    def _compact(self) -> None:
        try:
            with PackWriter(self.folder) as pack:
                moved = {}
                for key, meta in sorted(self.entries.items(), key=lambda kv: (kv[1]["pack"], kv[1]["at"])):
                    data = self._packs.read(meta["pack"], meta["at"], meta["size"])
                    if data is None:
                        continue
                    at, size, digest = pack.append(key, data)
                    moved[key] = {**meta, "pack": pack.name, "at": at, "size": size, "digest": digest}
        except OSError:
            return  # compaction only saves space; the entries stay where they are
        self._packs.has(pack.name)
        self.entries.update(moved)


class _OpenPacks:
    """Pack files open for reading, one descriptor each for the store's life."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._fds: dict[str, int | None] = {}
        self._finalizer = weakref.finalize(self, _close_all, self._fds)

    def has(self, name: str) -> bool:
        if name not in self._fds:
            try:
                self._fds[name] = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                self._fds[name] = None
        return self._fds[name] is not None

    def size(self, name: str) -> int:
        try:
            return os.fstat(self._fds[name]).st_size if self.has(name) else 0
        except OSError:
            return 0

    def read(self, name: str, at: int, size: int) -> bytes | None:
        if not self.has(name):
            return None
        try:
            data = os.pread(self._fds[name], size, at)
        except OSError:
            return None
        return data if len(data) == size else None


def _close_all(fds: dict[str, int | None]) -> None:
    for fd in fds.values():
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    fds.clear()
