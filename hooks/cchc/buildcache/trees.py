"""Folders of files kept between builds (search index shards), verified before use.

A tree is committed only once it is complete: written under a temporary name beside the
store, its manifest (every file's size and SHA-256, as one verified blob bound to the tree's key)
written, then renamed into place.  `get` checks every file against the manifest; a folder with
no manifest, a missing, extra-short, zero-filled or garbled file makes the whole tree a miss (it
is removed, with a one-line warning).  Published by copying (`copy_into`), never by linking.

A store kept open by the preview remembers the files it has verified by their full stat
(inode, size, mtime and ctime: no write leaves all four unchanged), so a save does not read
and hash every unchanged shard again; nothing of that memory is ever written to disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Iterable

from .blobs import KEEP_SECONDS, TOUCH_AFTER, BlobStore, Warn
from .files import TMP_PREFIX, copy_out, ensure_folder, remove_abandoned


def file_digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as handle:
        data = handle.read()
    return len(data), hashlib.sha256(data).hexdigest()


def _signature(folder: Path) -> tuple | None:
    """Every file under `folder` with its inode, size, mtime and ctime (None: unreadable)."""
    try:
        found = []
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                stat = os.lstat(os.path.join(root, name))
                found.append((root, name, stat.st_mode, stat.st_ino, stat.st_size, stat.st_mtime_ns,
                              stat.st_ctime_ns))
        return tuple(found)
    except OSError:
        return None


class TreeStore:
    def __init__(self, folder: Path, name: str, warn: Warn, keep_seconds: float = KEEP_SECONDS):
        self.folder = Path(folder)
        self.name = name
        self.warn = warn
        self.keep_seconds = keep_seconds
        self.trees = self.folder / "trees"
        self.manifests = BlobStore(self.folder / "manifests", name, warn, keep_seconds)
        self.writable = True
        self._verified: dict[str, tuple] = {}  # key → stat signature of the tree when verified
        remove_abandoned(self.trees)

    def path(self, key: str) -> Path:
        return self.trees / key

    def get(self, key: str) -> Path | None:
        """The verified tree's folder, or None."""
        folder = self.path(key)
        if not folder.is_dir():
            if folder.exists():  # a file in its place
                folder.unlink(missing_ok=True)
            return None
        entry = self.manifests.get(key)
        manifest = None
        if entry is not None:
            try:
                manifest = json.loads(entry.payload)
            except ValueError:
                manifest = None
        signature = _signature(folder)
        if manifest is None or (self._verified.get(key) != (signature, entry.payload)
                                and not self._matches(folder, manifest)):
            self._verified.pop(key, None)
            self.warn(f"{self.name} hỏng ({key[:12]}…): bỏ qua và lập lại")
            shutil.rmtree(folder, ignore_errors=True)
            return None
        if signature is not None:
            self._verified[key] = (signature, entry.payload)
        try:
            if folder.stat().st_mtime < time.time() - TOUCH_AFTER:
                os.utime(folder)
        except OSError:
            pass
        return folder

    @staticmethod
    def _matches(folder: Path, manifest: dict) -> bool:
        try:
            present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
            if present != set(manifest):
                return False
            for rel, (size, digest) in manifest.items():
                if file_digest(folder / rel) != (size, digest):
                    return False
        except OSError:
            return False
        return True

    def begin(self, key: str) -> Path:
        """An empty folder to write a new tree into (same file system as the store)."""
        ensure_folder(self.trees, self.folder, self.warn)
        folder = self.trees / f"{TMP_PREFIX}{os.getpid()}-{key[:16]}-{time.monotonic_ns()}"
        folder.mkdir()
        return folder

    def commit(self, key: str, written: Path) -> Path:
        """Make the complete folder `written` the tree of `key`; returns where it now is (the
        store's folder, or `written` itself when the cache cannot keep it)."""
        manifest = {p.relative_to(written).as_posix(): list(file_digest(p))
                    for p in sorted(written.rglob("*")) if p.is_file()}
        if not self.writable:
            return written
        target = self.path(key)
        payload = json.dumps(manifest, sort_keys=True).encode("utf-8")
        if not self.manifests.put(key, payload):
            self.writable = False
            return written
        try:
            if target.exists():
                shutil.rmtree(target)
            os.rename(written, target)
        except OSError:
            return written
        signature = _signature(target)  # (the files the manifest was just made from)
        if signature is not None:
            self._verified[key] = (signature, payload)
        return target

    def discard(self, written: Path) -> None:
        shutil.rmtree(written, ignore_errors=True)

    def retain(self, used: Iterable[str] = ()) -> None:
        keep = set(used)
        limit = time.time() - self.keep_seconds
        try:
            entries = list(self.trees.iterdir()) if self.trees.is_dir() else []
        except OSError:
            entries = []
        for entry in entries:
            if entry.name in keep or entry.name.startswith(TMP_PREFIX):
                continue
            try:
                if entry.stat().st_mtime < limit:
                    shutil.rmtree(entry, ignore_errors=True)
            except OSError:
                pass
        self.manifests.retain(keep)


def copy_tree(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """Copy a (verified) tree into `target`, which may already hold other trees' folders."""
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name in skip:
            continue
        if item.is_dir():
            copy_tree(item, target / item.name, skip)
        else:
            copy_out(item, target / item.name)
