"""File operations every cache store shares: atomic writes, copies out of the cache, and the
clean-up of what killed builds left behind."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path
from stat import S_ISREG

TMP_PREFIX = ".tmp-"  # + pid + "-" …: a file or folder being written by that process


def ensure_folder(path: Path, within: Path, warn=None) -> None:
    """`path` (inside the cache folder `within`) is a folder afterwards: a file left in its
    place, or in the place of a folder between it and `within`, is removed first (with a
    warning).  Raises OSError when it cannot be made."""
    path, within = Path(path), Path(within)
    chain = [path, *path.parents]
    for candidate in reversed(chain[:chain.index(within)] if within in chain else [path]):
        if candidate.exists() and not candidate.is_dir():
            if warn is not None:
                warn(f"bộ nhớ đệm hỏng ({candidate} không phải thư mục): đã xóa và tạo lại")
            candidate.unlink()
    path.mkdir(parents=True, exist_ok=True)


def write_atomic(path: Path, *chunks: bytes, within: Path | None = None, warn=None,
                 folders: set | None = None) -> None:
    """Write `chunks` to `path` in one step: readers see the old file or the whole new one,
    never a part.  Raises OSError (the caller decides whether that matters).

    `folders` (kept by the caller for one build) holds the folders already made: a write into
    one of them skips the checks of `ensure_folder` (a few system calls per file, which add up
    to seconds over thousands of pages on a slow disk); a folder removed meanwhile is made again."""
    parent = path.parent
    if folders is None or parent not in folders:
        ensure_folder(parent, within or parent, warn)
        if folders is not None:
            folders.add(parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=parent)
    except FileNotFoundError:
        if folders is None:
            raise
        folders.discard(parent)
        ensure_folder(parent, within or parent, warn)
        folders.add(parent)
        fd, name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:  # the file mkstemp made, not opened a second time
            for chunk in chunks:
                handle.write(chunk)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def copy_out(source: Path, target: Path) -> None:
    """A copy of a cache file at `target` (never a hard link: nothing written into the site may
    change the cache, and nothing in the cache may change the published site)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() or target.is_symlink():
        target.unlink()
    shutil.copyfile(source, target)


def read_own_file(path: str | Path) -> bytes | None:
    """The bytes of a regular file that has no other name (no symbolic link followed, no hard
    link to it elsewhere that could change it later); None otherwise or when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        stat = os.fstat(fd)
        if not S_ISREG(stat.st_mode) or stat.st_nlink != 1:
            return None
        chunks, size = [], stat.st_size
        while size > 0:
            chunk = os.read(fd, size)
            if not chunk:
                break
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Process `pid` exists and is not a zombie (a killed build's helper whose parent died is a
    zombie until an init reaps it; in a container nothing may ever reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True  # no /proc: trust kill()
    state = stat[stat.rfind(")") + 2:][:1]  # the field after "(command name)"
    return state not in ("Z", "X")


def remove_abandoned(folder: Path) -> None:
    """Temporary files and folders of processes that no longer exist (a build killed while it
    wrote into the cache): nothing can finish them now."""
    try:
        entries = list(Path(folder).glob(TMP_PREFIX + "*"))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(TMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or pid_alive(int(pid)):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        except OSError:
            pass


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
