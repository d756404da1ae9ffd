"""`mkdocs build` rewrites the previous site in place instead of emptying the folder first.

MkDocs empties `site_dir` before a (not `--dirty`) build and writes every file again.  On a
disk where creating a file is slow, removing 6000 pages and creating them again costs several
times what overwriting them does (notes/performance.md: a second build of 3000 articles spent
half its time there).  So the plugin moves the site's folders aside before MkDocs empties the
folder (MkDocs leaves hidden entries alone: `engine.CLEAN_SKIPS_HIDDEN`), puts them back after,
and when the build has finished removes every file it did not write (and folders left empty):
the result is the folder a clean build gives, byte for byte (tests/test_caches.py).

A page whose bytes are already in place (the hash kept with the stored page, cchc.buildrun
`page_in_place`) is not written at all: the plugin gives the engine an empty page, which it
skips, and the line the engine logs about it is left out (`keep`).

A file counts as written when its inode or its status-change time (ctime, which no copy of
timestamps can set) differs from what it was when the folders were put back.  Top-level files
are left to MkDocs to remove: moving them would change their ctime.  A build that fails after
the folders were put back leaves a mixed folder, as MkDocs' own failed builds leave a partial
one; `cchc build` builds into a new folder and never publishes either.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from cchc.buildcache.files import pid_alive

from .engine import BUILD_LOGGERS, skipped_page

ASIDE_PREFIX = ".cchc-kept-"


class SiteInPlace:
    def __init__(self, site_dir: Path):
        self.site_dir = Path(site_dir)
        self.aside: Path | None = None
        self.moved: list[str] = []
        self.before: dict[str, tuple[int, int]] | None = None  # path → (inode, ctime) when put back
        self.folders: list[str] = []  # the folders put back, and the folders in them
        self.kept: set[str] = set()  # pages already in place, not written (their source paths)

    def set_aside(self) -> None:
        """Before the engine empties the site folder: move its folders into a hidden one."""
        _remove_abandoned(self.site_dir)
        try:
            names = sorted(e.name for e in os.scandir(self.site_dir)
                           if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
        except OSError:
            return  # no site yet (or unreadable: the engine reports it)
        if not names:
            return
        aside = self.site_dir / f"{ASIDE_PREFIX}{os.getpid()}"
        try:
            aside.mkdir()
            for name in names:
                os.rename(self.site_dir / name, aside / name)
                self.moved.append(name)
        except OSError:
            self.aside = aside
            self.put_back(snapshot=False)  # whatever moved goes back; the engine cleans as usual
            return
        self.aside = aside

    def put_back(self, snapshot: bool = True) -> None:
        """After the engine emptied the folder: the previous folders back, and what is in them."""
        if not snapshot:
            self._quiet(False)
        aside, self.aside = self.aside, None
        if aside is None:
            return
        for name in self.moved:
            target = self.site_dir / name
            try:
                if target.exists() or target.is_symlink():  # something made it meanwhile: keep that
                    shutil.rmtree(aside / name, ignore_errors=True)
                else:
                    os.rename(aside / name, target)
            except OSError:
                shutil.rmtree(aside / name, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)
        if snapshot:
            self.before, self.folders = {}, []
            for name in self.moved:
                _walk(self.site_dir / name, self.before, self.folders)
            self._quiet(True)
        self.moved = []

    def keep(self, src: str, path: str, in_place: Callable[[str, str], bool]) -> bool:
        """Is the page for `src` already at `path` as this build makes it (`in_place`)?  Then it
        is neither written (the caller gives the engine no output) nor removed as stale."""
        path = os.path.normpath(path)
        if self.before is None or path not in self.before or not in_place(src, path):
            return False
        del self.before[path]
        self.kept.add(src)
        return True

    def filter(self, record: logging.LogRecord) -> bool:
        """The engine's line for a page skipped because it was kept is left out."""
        return skipped_page(str(record.msg)) not in self.kept

    def _quiet(self, on: bool) -> None:
        for name in BUILD_LOGGERS:
            (logging.getLogger(name).addFilter if on else logging.getLogger(name).removeFilter)(self)

    def remove_stale(self, keep: tuple[str, ...] = ()) -> int:
        """After a successful build: remove the files it did not write, except in the folders
        `keep` (relative to the site), which the build brought up to date itself; the number
        removed."""
        self._quiet(False)
        before, self.before = self.before, None
        if before is None:
            return 0
        removed = 0
        kept = tuple(os.path.join(self.site_dir, folder) + os.sep for folder in keep)
        for path, state in before.items():
            if kept and path.startswith(kept):
                continue
            try:
                stat = os.lstat(path)
            except OSError:
                continue
            if (stat.st_ino, stat.st_ctime_ns) == state:
                try:
                    os.unlink(path)
                    removed += 1
                except OSError:
                    pass
        for folder in reversed(self.folders):  # deepest first
            try:
                os.rmdir(folder)  # only if it is empty now
            except OSError:
                pass
        self.folders = []
        return removed


def _walk(folder: Path, files: dict[str, tuple[int, int]], folders: list[str]) -> None:
    """Every file (and link) under `folder` with its (inode, ctime); its folders, parents first."""
    for root, dirs, names in os.walk(folder):
        folders.append(root)
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue
            files[path] = (stat.st_ino, stat.st_ctime_ns)


def _remove_abandoned(site_dir: Path) -> None:
    """Folders set aside by builds that were killed before putting them back: old output."""
    try:
        entries = [e for e in os.scandir(site_dir) if e.name.startswith(ASIDE_PREFIX)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(ASIDE_PREFIX):]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)
