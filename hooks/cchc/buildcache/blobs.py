"""Entries of bytes kept between builds, one file each, verified whenever they are read.

An entry file is `MAGIC`, a SHA-256, the length of a small metadata part, the metadata and the
payload.  The hash covers the entry's own key as well as its bytes: a truncated, garbled or
swapped file (another entry's bytes under this key) fails the check, is removed and counts
as a miss (with a one-line warning), so damaged cache files are never published.  Entries are
written under a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .files import ensure_folder, remove_abandoned, write_atomic

MAGIC = b"CCHC-CACHE-1\n"
_HEADER = len(MAGIC) + 32 + 4
KEEP_SECONDS = 7 * 24 * 3600  # entries unused for longer are removed
TOUCH_AFTER = 24 * 3600  # an entry in use is marked used (mtime) at most once a day

Warn = Callable[[str], None]


def entry_hash(key: str, meta: bytes, payload: bytes | memoryview) -> bytes:
    digest = hashlib.sha256(key.encode("utf-8"))
    digest.update(b"\0" + struct.pack(">I", len(meta)) + meta)
    digest.update(payload)
    return digest.digest()


@dataclass(frozen=True)
class Entry:
    payload: bytes
    meta: bytes = b""


class BlobStore:
    """key → (payload, meta).  `name` is what warnings call the store (Vietnamese)."""

    def __init__(self, folder: Path, name: str, warn: Warn, keep_seconds: float = KEEP_SECONDS):
        self.folder = Path(folder)
        self.name = name
        self.warn = warn
        self.keep_seconds = keep_seconds
        self.writable = True
        self._folders: set[Path] = set()  # folders made by this store's writes (write_atomic)
        try:
            ensure_folder(self.folder, self.folder.parent, warn)
        except OSError:
            pass  # reads miss, the first write says why
        remove_abandoned(self.folder)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def has(self, key: str) -> bool:
        """An entry file exists (not verified: `get` is)."""
        return self.path(key).is_file()

    def get(self, key: str) -> Entry | None:
        """The verified entry, or None (missing, unreadable, or damaged: then removed)."""
        path = self.path(key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return None
        except NotADirectoryError:  # a file where the entry's folder should be: a miss, repaired on write
            return None
        except OSError as exc:
            self.warn(f"không đọc được {self.name} ({path}): {exc.strerror}; dựng lại phần này")
            return None
        entry = self._parse(key, data)
        if entry is None:
            self.warn(f"{self.name} hỏng ({path.name[:12]}…): bỏ qua và dựng lại")
            try:
                path.unlink()
            except OSError:
                pass
            return None
        self._touch(path)
        return entry

    def read_meta(self, key: str) -> bytes | None:
        """The metadata part only, NOT verified (for decisions that a later check confirms)."""
        try:
            with open(self.path(key), "rb") as handle:
                head = handle.read(_HEADER)
                if len(head) != _HEADER or not head.startswith(MAGIC):
                    return None
                (size,) = struct.unpack(">I", head[-4:])
                meta = handle.read(size)
                return meta if len(meta) == size else None
        except OSError:
            return None

    @staticmethod
    def _parse(key: str, data: bytes) -> Entry | None:
        if len(data) < _HEADER or not data.startswith(MAGIC):
            return None
        expected = data[len(MAGIC):len(MAGIC) + 32]
        (size,) = struct.unpack(">I", data[_HEADER - 4:_HEADER])
        if _HEADER + size > len(data):
            return None
        view = memoryview(data)
        meta = bytes(view[_HEADER:_HEADER + size])
        payload = view[_HEADER + size:]
        if entry_hash(key, meta, payload) != expected:
            return None
        return Entry(payload=bytes(payload), meta=meta)

    def put(self, key: str, payload: bytes, meta: bytes = b"") -> bool:
        """Store an entry (atomically); False if the cache cannot be written (only costs time)."""
        if not self.writable:
            return False
        header = MAGIC + entry_hash(key, meta, payload) + struct.pack(">I", len(meta))
        try:
            write_atomic(self.path(key), header, meta, payload, within=self.folder, warn=self.warn,
                         folders=self._folders)
        except OSError as exc:
            self.writable = False
            self.warn(f"không ghi được {self.name} vào {self.folder} ({exc.strerror}): bản dựng vẫn tiếp tục, "
                      "lần sau chậm hơn")
            return False
        return True

    def _touch(self, path: Path) -> None:
        try:
            if path.stat().st_mtime < time.time() - TOUCH_AFTER:
                os.utime(path)  # still in use: keep it
        except OSError:
            pass

    def retain(self, used: Iterable[str] = ()) -> None:
        """Remove entries not used for `keep_seconds` (the ones in `used` are kept)."""
        keep = set(used)
        limit = time.time() - self.keep_seconds
        try:
            subfolders = [p for p in self.folder.iterdir() if p.is_dir() and len(p.name) == 2]
        except OSError:
            return
        for sub in subfolders:
            try:
                entries = list(sub.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.name in keep:
                    continue
                try:
                    if entry.stat().st_mtime < limit:
                        entry.unlink()
                except OSError:
                    pass
