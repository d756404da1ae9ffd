"""One build at a time per cache folder: a second build waits (and says so) instead of
writing into the same cache and site at the same time."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Callable

LOCK_FILE = ".lock"


class CacheBusy(Exception):
    """Another build kept the cache past the wait limit; the message is for staff."""


class BuildLock:
    def __init__(self, folder: Path, say: Callable[[str], None], wait_seconds: float | None = None):
        self.path = Path(folder) / LOCK_FILE
        self.say = say
        if wait_seconds is None:
            configured = os.environ.get("CCHC_LOCK_WAIT", "").strip()
            wait_seconds = float(configured) if configured.replace(".", "", 1).isdigit() else 3600.0
        self.wait_seconds = wait_seconds
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock (waiting for another build if needed); False if the lock file cannot
        be made (then builds are not kept apart: the cache folder is unusable anyway)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            self.say(f"Một bản dựng khác{f' (tiến trình {holder})' if holder else ''} đang dùng bộ nhớ đệm "
                     f"{self.path.parent}: chờ bản dựng đó xong rồi mới dựng tiếp…")
            deadline = time.monotonic() + self.wait_seconds
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        os.close(fd)
                        raise CacheBusy(
                            f"bản dựng khác{f' (tiến trình {holder})' if holder else ''} vẫn đang chạy sau "
                            f"{self.wait_seconds:.0f} giây: chưa dựng gì. Đợi bản dựng đó xong (hoặc dừng nó) rồi "
                            "chạy lại") from None
                    time.sleep(0.2)
        except OSError:
            os.close(fd)
            return False
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError:
            pass
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
