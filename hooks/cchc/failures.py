"""What went wrong, said to staff: every failure of a build in Vietnamese, with what to do.

Used by the engine adapter (an exception during a build becomes one message instead of a
traceback) and by `cchc build` / `cchc serve` (cchc.engine_output) for whatever the engine
itself raises.  The technical detail (the traceback) goes to a log file for developers.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import traceback
from pathlib import Path

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)
LOG_NAME = "loi-gan-nhat.txt"


def folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def existing_parent(path: Path) -> Path:
    path = Path(path)
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def disk_full_message(path: Path | str | None, needed: int | None = None) -> str:
    """Which folder is full, how much is free, about how much the build needs."""
    where = existing_parent(Path(path)) if path else Path.cwd()
    try:
        free = shutil.disk_usage(where).free
    except OSError:
        free = None
    folder = where if where.is_dir() else where.parent
    text = f"hết chỗ trống trên đĩa khi ghi vào {folder}"
    if free is not None:
        text += f" (còn trống {mib(free)})"
    if needed:
        text += f"; bản dựng cần khoảng {mib(needed)}"
    return (text + ". Chưa xuất bản gì, trang cũ giữ nguyên → Cách sửa: giải phóng chỗ trống trên ổ đĩa đó (xóa tệp "
            "không dùng; thư mục .cache/ của dự án xóa được an toàn) rồi chạy lại")


def describe(exc: BaseException, *, needed: int | None = None, log_dir: Path | None = None,
             detail: str | None = None) -> str:
    """One Vietnamese message for `exc`; an unexpected error also writes its traceback (or
    `detail`, a traceback another process printed) to `log_dir`/loi-gan-nhat.txt and says so."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return disk_full_message(exc.filename, needed)
    if isinstance(exc, OSError) and exc.errno in NO_PERMISSION:
        what = "ổ đĩa chỉ cho đọc" if exc.errno == errno.EROFS else "không có quyền ghi/đọc"
        target = exc.filename or "một tệp của bản dựng"
        return (f"{what}: {target}. Chưa xuất bản gì, trang cũ giữ nguyên → Cách sửa: cho phép ghi vào thư mục đó "
                "(hoặc chọn thư mục khác bằng --site-dir), rồi chạy lại")
    if isinstance(exc, MemoryError):
        return "hết bộ nhớ (RAM) trong lúc dựng trang → Cách sửa: đóng bớt chương trình khác rồi chạy lại"
    if isinstance(exc, OSError):
        target = f" ({exc.filename})" if exc.filename else ""
        return f"lỗi đọc/ghi tệp{target}: {exc.strerror or exc}. Chưa xuất bản gì → Cách sửa: kiểm tra ổ đĩa rồi chạy lại"
    where = write_log(exc, log_dir, detail) if log_dir is not None else None
    detail = f"; chi tiết kỹ thuật cho người phát triển đã ghi vào {where}" if where else ""
    return (f"lỗi không mong đợi khi dựng trang ({type(exc).__name__}: {str(exc)[:200]}){detail}. "
            "Chưa xuất bản gì, trang cũ giữ nguyên → Cách sửa: chạy lại; nếu vẫn lỗi, gửi tệp chi tiết đó cho người "
            "phụ trách kỹ thuật")


def write_log(exc: BaseException, log_dir: Path, detail: str | None = None) -> Path | None:
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_NAME
        text = detail or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        path.write_text(f"{dt.datetime.now().isoformat(timespec='seconds')}\n{text}", encoding="utf-8")
        return path
    except OSError:
        return None
