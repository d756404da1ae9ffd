"""Operating-system errors (a full disk, a missing permission…) told to staff in Vietnamese.

`describe(exc)` says what happened in a few words; `advice(exc, path)` adds what to do.  Used
wherever a cchc command reads or writes files, so that a failure ends in a message, never in
Python's English `[Errno 28] No space left on device` or a traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã dùng hết dung lượng được cấp trên ổ đĩa",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép",
    errno.EROFS: "ổ đĩa chỉ cho đọc, không ghi được",
    errno.ENOENT: "không tìm thấy",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "là thư mục, không phải tệp",
    errno.ELOOP: "liên kết symlink vòng lặp",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "hệ thống mở quá nhiều tệp cùng lúc",
    errno.EIO: "lỗi đọc/ghi ổ đĩa (ổ đĩa có thể bị hỏng)",
    errno.EEXIST: "đã tồn tại",
    errno.EBUSY: "đang được chương trình khác dùng",
    errno.ENOMEM: "máy hết bộ nhớ",
    errno.EFBIG: "tệp quá lớn",
}


def describe(exc: OSError) -> str:
    """What went wrong, in Vietnamese ("ổ đĩa đã đầy")."""
    reason = _REASONS.get(exc.errno)
    if reason is None:
        reason = f"lỗi hệ thống: {exc.strerror or exc.__class__.__name__}"
    return reason


def advice(exc: OSError, path: Path | str | None = None, *, writing: bool | None = False) -> str:
    """What to do about it (`writing`: True for a write, False for a read, None when unknown)."""
    where = Path(path) if path is not None else None
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        folder = where.parent if where is not None else Path.cwd()
        free = ""
        try:
            free = f" (còn trống {shutil.disk_usage(_existing(folder)).free // (1024 * 1024)} MB)"
        except OSError:
            pass
        return f"giải phóng chỗ trống trên ổ đĩa chứa {folder}{free} (xóa tệp không cần, thư mục .cache/), rồi chạy lại"
    if exc.errno in (errno.EACCES, errno.EPERM):
        if writing is None:
            return f"cấp quyền đọc và ghi cho tài khoản đang chạy lệnh ({_user()}) trên {where or 'tệp này'}, rồi chạy lại"
        if writing:
            return f"cấp quyền ghi cho tài khoản đang chạy lệnh ({_user()}) vào {where.parent if where else 'thư mục này'}, rồi chạy lại"
        return f"cấp quyền đọc cho tài khoản đang chạy lệnh ({_user()}), ví dụ: chmod -R a+rX {where or 'content/'}"
    if exc.errno == errno.EROFS:
        return "chạy lệnh trên một thư mục ghi được (ổ đĩa đang chỉ cho đọc)"
    if exc.errno in (errno.EIO,):
        return "kiểm tra ổ đĩa; chép nội dung sang ổ khác nếu lỗi lặp lại"
    return "kiểm tra tệp và thư mục được nêu, rồi chạy lại"


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, OSError):
        return "người dùng hiện tại"
