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
from typing import Iterable

from .blobs import BlobStore, Entry, Warn
from .files import ensure_folder, remove_abandoned

PACK_SUFFIX = ".pack"
INDEX_KEY = "index"
MAX_PACKS = 8


def entry_digest(key: str, data: bytes) -> str:
    digest = hashlib.sha256(key.encode("utf-8") + b"\0")
    digest.update(data)  # not concatenated: no copy of a large entry
    return digest.hexdigest()


class PackWriter:
    """Appends entries to a new pack file in `folder`; `with` closes it.  Used by worker
    processes too (they report name, offsets, sizes and digests back)."""

    def __init__(self, folder: Path, prefix: str = "bodies-"):
        ensure_folder(folder, folder.parent)
        fd, path = tempfile.mkstemp(prefix=prefix, suffix=PACK_SUFFIX, dir=folder)
        self.name = Path(path).name
        self._file = os.fdopen(fd, "wb")
        self._at = 0

    def append(self, key: str, data: bytes, digest: str | None = None) -> tuple[int, int, str]:
        """(offset, size, digest) of the appended entry; `digest`: its `entry_digest`, made by
        the process that made `data` (cchc_mkdocs.render_helper)."""
        at = self._at
        self._file.write(data)
        self._at += len(data)
        return at, len(data), digest or entry_digest(key, data)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

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
        self._ready = False  # the index has been read
        self._verified: set[tuple] = set()  # entries checked by this store (a preview's later builds)
        remove_abandoned(self.folder)

    # --- index -----------------------------------------------------------------------------
    def load(self) -> None:
        """Start a build: read the index (once; a store kept by a preview reads it only at
        its first build, then holds what it saved)."""
        self.entries = {}
        if self._ready:
            return
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
        self._ready = True

    def lookup(self, key: str) -> dict | None:
        """Metadata of a stored entry whose pack is still there (bytes not read yet)."""
        meta = self._loaded.get(key)
        if meta is None or not self._packs.has(meta["pack"]):
            return None
        return meta

    def verify(self, key: str, meta: dict) -> bool:
        """Are the entry's bytes intact?  (A damaged one is a miss, with a warning.)  Checked
        once per store: `read` checks the bytes again whenever they are used."""
        if (key, meta.get("digest")) in self._verified:
            return True
        data = self._packs.read(meta["pack"], meta["at"], meta["size"])
        if data is not None and entry_digest(key, data) == meta.get("digest"):
            self._verified.add((key, meta.get("digest")))
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
            self._loaded.pop(key, None)
            self._verified.discard((key, meta["digest"]))
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
            self._loaded = dict(self.entries)
        remove_unused_packs(self.folder, in_use)

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


class PackedBlobStore:
    """key → (payload, meta) like `BlobStore`, for thousands of entries made in one build
    (rendered pages): the entries a build makes go into one pack file of its own instead of a
    file each (on a slow disk, creating 6000 files costs seconds; appending to one costs
    nothing).  An index (a verified `BlobStore` entry) says where each entry is, with its hash
    and its metadata; an entry's bytes are checked against the hash whenever they are read, and
    a failed check is a miss with a one-line warning.  The index a build saves holds the entries
    it was asked to keep (`retain`); packs no kept entry uses are removed, and a pack mostly
    made of entries nobody keeps is copied down to its kept ones."""

    FORMAT = "packed-blobs-1"

    def __init__(self, folder: Path, name: str, warn: Warn, prefix: str = "pages-"):
        self.folder = Path(folder)
        self.name = name
        self.warn = warn
        self.prefix = prefix
        self.writable = True
        self._index_store = BlobStore(self.folder, f"mục lục {name}", warn)
        self._packs = _OpenPacks(self.folder)
        self._writer: PackWriter | None = None
        self._made: dict[str, tuple] = {}  # entries written by this build
        self._loaded = self._load()  # key → (pack, at, size, digest, meta)
        remove_abandoned(self.folder)

    def _load(self) -> dict[str, tuple]:
        entry = self._index_store.get(INDEX_KEY)
        if entry is None:
            return {}
        try:
            fmt, index = pickle.loads(entry.payload)
        except Exception:  # verified bytes this code cannot read: an older format
            return {}
        return index if fmt == self.FORMAT and isinstance(index, dict) else {}

    def _item(self, key: str) -> tuple | None:
        return self._made.get(key) or self._loaded.get(key)

    def has(self, key: str) -> bool:
        """An entry is indexed and its pack is there (bytes not verified: `get` is)."""
        item = self._item(key)
        return item is not None and self._packs.has(item[0])

    def read_meta(self, key: str) -> bytes | None:
        """The entry's metadata (from the verified index), without reading its bytes."""
        item = self._item(key)
        return item[4] if item is not None and self._packs.has(item[0]) else None

    def matches(self, key: str, data: bytes) -> bool:
        """Are `data` exactly the bytes stored under `key` (by the hash in the index), and is
        the entry's pack still there (else the entry is not kept, and must be made again)?"""
        item = self._item(key)
        return item is not None and self._packs.has(item[0]) and entry_digest(key, data) == item[3]

    def get(self, key: str) -> Entry | None:
        """The verified entry, or None (missing, or damaged: then forgotten)."""
        item = self._item(key)
        if item is None:
            return None
        pack, at, size, digest, meta = item
        data = None
        try:
            if self._writer is not None and pack == self._writer.name:
                self._writer.flush()
            data = self._packs.read(pack, at, size)
        except OSError:
            pass
        if data is None or entry_digest(key, data) != digest:
            self.warn(f"{self.name} hỏng ({pack}): bỏ qua và dựng lại")
            self._loaded.pop(key, None)
            self._made.pop(key, None)
            return None
        return Entry(payload=data, meta=meta)

    def put(self, key: str, payload: bytes, meta: bytes = b"", digest: str | None = None) -> bool:
        """Append an entry to this build's pack (`digest`: see `PackWriter.append`); False if
        the cache cannot be written (only costs time)."""
        if not self.writable:
            return False
        try:
            if self._writer is None:
                self._writer = PackWriter(self.folder, prefix=self.prefix)
            at, size, digest = self._writer.append(key, payload, digest)
        except OSError as exc:
            self.writable = False
            self.warn(f"không ghi được {self.name} vào {self.folder} ({exc.strerror}): bản dựng vẫn tiếp tục, "
                      "lần sau chậm hơn")
            return False
        self._made[key] = (self._writer.name, at, size, digest, bytes(meta))
        return True

    def retain(self, used: Iterable[str]) -> None:
        """Save the index of the entries in `used`; remove the packs none of them is in."""
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError as exc:  # the disk filled up: what this build made is not kept
                self.writable = False
                self._made = {}
                self.warn(f"không ghi được {self.name} vào {self.folder} ({exc.strerror}): lần sau chậm hơn")
            self._packs.has(self._writer.name)  # open it for the copies below
            self._writer = None
        keep: dict[str, tuple] = {}
        for key in used:
            item = self._item(key)
            if item is not None and self._packs.has(item[0]):
                keep[key] = item
        if self.writable:
            keep = self._compact(keep)
        if keep != self._loaded:
            blob = pickle.dumps((self.FORMAT, keep), protocol=pickle.HIGHEST_PROTOCOL)
            if not self._index_store.put(INDEX_KEY, blob):
                return  # the previous index stays, with the packs it names
        self._loaded, self._made = keep, {}
        self._index_store.retain([INDEX_KEY])  # entries of an older format, unused for a week
        in_use = {item[0] for item in keep.values()}
        remove_unused_packs(self.folder, in_use)

    def _compact(self, keep: dict[str, tuple]) -> dict[str, tuple]:
        """Copy the kept entries of packs that are mostly dead (less than half kept) into one
        new pack; with more than MAX_PACKS packs, the small ones (under half of the largest)
        too.  The largest pack of a site is written once and stays."""
        live: dict[str, int] = {}
        for pack, _at, size, _digest, _meta in keep.values():
            live[pack] = live.get(pack, 0) + size
        sizes = {pack: self._packs.size(pack) for pack in live}
        largest = max(sizes.values(), default=0)
        move = {pack for pack in live if live[pack] * 2 < sizes[pack]}
        if len(live) > MAX_PACKS:
            move |= {pack for pack in live if sizes[pack] * 2 < largest}
        if not move:
            return keep
        moved = dict(keep)
        try:
            with PackWriter(self.folder, prefix=self.prefix) as writer:
                for key, (pack, at, size, digest, meta) in sorted(keep.items(), key=lambda kv: kv[1][:2]):
                    if pack not in move:
                        continue
                    data = self._packs.read(pack, at, size)
                    if data is None or entry_digest(key, data) != digest:
                        del moved[key]  # damaged: not kept
                        continue
                    new_at, new_size, new_digest = writer.append(key, data)
                    moved[key] = (writer.name, new_at, new_size, new_digest, meta)
        except OSError:
            return keep  # compaction only saves space; the entries stay where they are
        self._packs.has(writer.name)
        return moved


def remove_unused_packs(folder: Path, in_use: set[str]) -> None:
    """Remove the pack files in `folder` that no saved index names."""
    try:
        names = [p for p in folder.iterdir() if p.suffix == PACK_SUFFIX]
    except OSError:
        return
    for path in names:
        if path.name not in in_use:
            path.unlink(missing_ok=True)


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
