"""Finding the files under content/: nothing is left out without a message.

A folder the build cannot read (no permission), a broken symbolic link, a named pipe, a file
where a folder is expected, an article saved outside news/: each would otherwise be skipped
in silence and the site would lose articles with `cchc check` saying "0 errors".  Here each is
an error (or, for stray files that are not articles, a warning) naming the path and what to do.

Hidden entries (names starting with "."), such as .gitkeep or an editor's swap file, are
skipped on purpose; so is a README at the top of content/.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .diagnostics import Diagnostics, short
from .oserrors import advice, describe

NEWS_DIR = "news"
PLANS_DIR = "plans"
DATA_FILES = ("units.yml", "reporting.yml", "documents.yml")


def _unreadable(diags: Diagnostics, path: Path, exc: OSError, what: str) -> None:
    diags.error(path, 0, f"không đọc được {what} ({describe(exc)}): các tệp bên trong sẽ bị bỏ qua",
                advice(exc, path))


def check_root(root: Path, diags: Diagnostics) -> bool:
    """The content folder itself and its top-level entries; False when it cannot be read."""
    try:
        info = root.stat()
    except OSError as exc:
        diags.error(root, 0, f"không có thư mục nội dung ({describe(exc)})",
                    "chạy lệnh trong thư mục dự án (có mkdocs.yml và content/), hoặc chỉ rõ bằng --content")
        return False
    if not stat.S_ISDIR(info.st_mode):
        diags.error(root, 0, "đây là một tệp, không phải thư mục nội dung", "content/ phải là một thư mục")
        return False
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        _unreadable(diags, root, exc, "thư mục nội dung")
        return False
    for entry in entries:
        name = entry.name
        path = Path(entry.path)
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if name in (NEWS_DIR, PLANS_DIR):
            if entry.is_symlink() and not is_dir:
                diags.error(path, 0, "liên kết symlink hỏng: thư mục mà nó trỏ tới không tồn tại",
                            f"thay liên kết bằng thư mục {name}/ thật")
            elif not is_dir:
                diags.error(path, 0, f"“{name}” phải là thư mục, nhưng đây là một tệp: mọi {'bài viết' if name == NEWS_DIR else 'kế hoạch'} bị bỏ qua",
                            f"đổi tên hoặc xóa tệp này rồi tạo thư mục content/{name}/")
        elif name in DATA_FILES:
            if not is_file:
                diags.error(path, 0, f"“{name}” phải là tệp YAML, nhưng đây là thư mục hoặc liên kết hỏng",
                            f"thay bằng tệp content/{name} (xem Hướng dẫn biên tập)")
        elif name.lower().startswith("readme"):
            continue
        elif name.lower().endswith(".md") or is_dir:
            diags.warning(path, 0, f"“{short(name)}” nằm ngoài content/news/ nên trang web không dùng"
                          + (" (thư mục này không được đọc)" if is_dir else ""),
                          "bài viết để trong content/news/NĂM/THÁNG/, ảnh và tài liệu để cạnh bài; "
                          "nếu không cần, xóa nó đi")
        else:
            diags.warning(path, 0, f"tệp “{short(name)}” không được dùng (content/ chỉ có news/, plans/, "
                          + ", ".join(DATA_FILES) + ")", "chuyển tệp vào đúng chỗ hoặc xóa nó")
    return True


def plan_files(plans_dir: Path, diags: Diagnostics) -> list[Path]:
    """The plan files (*.yml) of content/plans/; any other entry there is reported."""
    if not plans_dir.is_dir():
        return []
    try:
        entries = sorted(os.scandir(plans_dir), key=lambda e: e.name)
    except OSError as exc:
        _unreadable(diags, plans_dir, exc, "thư mục kế hoạch")
        return []
    files = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            regular = entry.is_file()
        except OSError:
            regular = False
        if entry.name.endswith(".yml") and regular:
            files.append(path)
        elif entry.name.lower().endswith((".yml", ".yaml")) and regular:
            diags.error(path, 0, f"tệp kế hoạch “{short(entry.name)}” phải có đuôi .yml (chữ thường) nên chưa được đọc",
                        f"đổi tên thành {short(entry.name.rsplit('.', 1)[0])}.yml")
        elif entry.is_symlink() and not regular:
            diags.error(path, 0, "liên kết symlink hỏng trong content/plans/", "thay bằng tệp kế hoạch thật")
        else:
            diags.error(path, 0, f"“{short(entry.name)}” trong content/plans/ không phải tệp kế hoạch .yml nên không được đọc",
                        "content/plans/ chỉ chứa các tệp NĂM.yml (ví dụ 2025.yml); chuyển hoặc xóa mục này")
    return files


def walk_news(news_dir: Path, repo: Path, diags: Diagnostics) -> tuple[list[Path], list[Path]]:
    """(article files *.md, every other file) under news/, each sorted.

    Errors: a folder that cannot be read, a broken symbolic link, a link to a folder (never
    followed), a link leaving the repository `repo`, an entry that is not a regular file (a
    named pipe would block the build)."""
    articles: list[Path] = []
    others: list[Path] = []
    pending = [news_dir]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as exc:
            _unreadable(diags, folder, exc, "thư mục")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    _symlink(path, repo, articles, others, diags)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                elif entry.is_file(follow_symlinks=False):
                    (articles if entry.name.endswith(".md") else others).append(path)
                else:
                    diags.error(path, 0, "đây không phải tệp thường (có thể là ống dẫn FIFO, socket hoặc thiết bị): "
                                "không đọc được", "xóa mục này khỏi content/news/")
            except OSError as exc:
                diags.error(path, 0, f"không đọc được ({describe(exc)})", advice(exc, path))
    articles.sort()
    others.sort()
    return articles, others


def _symlink(path: Path, repo: Path, articles: list[Path], others: list[Path], diags: Diagnostics) -> None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        diags.error(path, 0, "liên kết symlink hỏng: tệp mà nó trỏ tới không tồn tại (hoặc vòng lặp)",
                    "thay liên kết bằng bản sao thật của tệp, hoặc xóa liên kết")
        return
    if not target.is_relative_to(repo):
        diags.error(path, 0, "tệp là liên kết (symlink) trỏ ra ngoài kho nội dung: không được phép",
                    "thay liên kết bằng một bản sao thật của tệp")
        return
    if target.is_dir():
        diags.error(path, 0, "thư mục là liên kết (symlink): các tệp bên trong không được đọc",
                    "thay liên kết bằng thư mục thật (chép các tệp vào)")
        return
    if not target.is_file():
        diags.error(path, 0, "liên kết trỏ tới mục không phải tệp thường", "xóa liên kết này")
        return
    if path.name.endswith(".md"):
        articles.append(path)
    else:
        others.append(path)
