"""The build cache: everything builds keep between runs, in one folder.

`.cache/` beside mkdocs.yml (or `CCHC_CACHE_DIR`).  Deleting it is always safe: it only makes
the next build slower.  Every store follows the same rules:

- keys come from `keys.digest` (what an entry depends on);
- every entry is verified when read (a hash recorded at write and bound to its key, checked
  before use; a failed check is a miss plus a one-line warning, never published);
- entries are written under a process-unique temporary name and renamed into place;
- one build at a time per cache folder (`lock.BuildLock`; a second build waits and says so);
- what is published from the cache is copied, never hard-linked.

Stores: `blobs.BlobStore` (one file per entry: read articles, feeds, compiled templates),
`packs.PackedBlobStore` (rendered pages: the entries of a build in one pack file),
`packs.PackStore` (article bodies, many small entries in pack files) and
`trees.TreeStore` (search index shards, folders of files).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .blobs import BlobStore, Entry
from .keys import code_version, data_digest, digest, tree_key
from .lock import BuildLock, CacheBusy
from .packs import PackedBlobStore, PackStore, PackWriter
from .trees import TreeStore, copy_tree

__all__ = ["BuildCache", "BlobStore", "Entry", "PackedBlobStore", "PackStore", "PackWriter", "TreeStore", "BuildLock", "CacheBusy",
           "code_version", "data_digest", "digest", "tree_key", "copy_tree", "default_root"]

# Store folders under the cache root, with what warnings call them.
STORES = {
    "articles": "bộ nhớ đệm bài đã đọc",
    "bodies": "bộ nhớ đệm nội dung bài",
    "pages": "bộ nhớ đệm trang",
    "files": "bộ nhớ đệm nguồn tin",
    "search": "bộ nhớ đệm chỉ mục tìm kiếm",
    "jinja": "bộ nhớ đệm mẫu trang",
    "images": "bộ nhớ đệm ảnh",
    "picture-facts": "bộ nhớ đệm thông tin tệp ảnh",
    "gzip": "bộ nhớ đệm bản nén .gz",
}


def default_root(config_dir: Path) -> Path:
    """CCHC_CACHE_DIR, else .cache beside mkdocs.yml."""
    configured = os.environ.get("CCHC_CACHE_DIR")
    return Path(configured) if configured else Path(config_dir) / ".cache"


class BuildCache:
    """The cache folder of one build (or of one preview session).

    `root` None, or a folder that cannot be used (read-only, not a folder): a private
    temporary folder is used for this build only and removed by `close()` (the build still
    keeps converted bodies on disk instead of in memory) and a warning says why.
    """

    def __init__(self, root: Path | None, warn: Callable[[str], None]):
        self.warn = warn
        self.temporary = False
        self.root = self._usable_root(Path(root) if root is not None else None)

    def _usable_root(self, root: Path | None) -> Path:
        if root is not None:
            try:
                if root.exists() and not root.is_dir():
                    self.warn(f"{root} không phải thư mục bộ nhớ đệm: đã xóa và tạo lại")
                    root.unlink()
                root.mkdir(parents=True, exist_ok=True)
                probe = root / f".probe-{os.getpid()}"
                probe.write_bytes(b"")
                probe.unlink()
                return root
            except OSError as exc:
                self.warn(f"không dùng được thư mục bộ nhớ đệm {root} ({exc.strerror}): dựng không có bộ nhớ đệm")
        self.temporary = True
        return Path(tempfile.mkdtemp(prefix="cchc-cache-"))

    def folder(self, name: str) -> Path:
        """A store's folder, made if missing; a file in its place is removed first."""
        path = self.root / name
        try:
            if (path.exists() or path.is_symlink()) and not path.is_dir():
                self.warn(f"{STORES.get(name, name)} hỏng ({path} không phải thư mục): đã xóa và tạo lại")
                path.unlink()
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # the store's own reads and writes report it (as misses / a warning)
        return path

    def blobs(self, name: str, keep_seconds: float | None = None) -> BlobStore:
        """`keep_seconds`: how long an entry no build uses is kept (default: a week)."""
        store = BlobStore(self.folder(name), STORES.get(name, name), self.warn)
        if keep_seconds is not None:
            store.keep_seconds = keep_seconds
        return store

    def packed_blobs(self, name: str) -> PackedBlobStore:
        """A `BlobStore` for thousands of entries a build writes at once (pages)."""
        return PackedBlobStore(self.folder(name), STORES.get(name, name), self.warn, prefix=f"{name}-")

    def packs(self, name: str, base_key: str) -> PackStore:
        return PackStore(self.folder(name), base_key, self.warn)

    def trees(self, name: str) -> TreeStore:
        return TreeStore(self.folder(name), STORES.get(name, name), self.warn)

    def lock(self, say: Callable[[str], None]) -> BuildLock:
        return BuildLock(self.root, say)

    def close(self) -> None:
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)
