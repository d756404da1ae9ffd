"""Problems found in content, reported as `path:line: message` for staff, in Vietnamese."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "lỗi"
WARNING = "cảnh báo"
MAX_SHOWN = 60  # characters of a staff-written value quoted in a message


def short(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` as quoted in a message: invisible characters made visible, cut to `limit`.

    A 5,000-character title or a value full of control characters must not flood the
    terminal or hide the message; "U+001B" tells staff what to look for.
    """
    text = value if isinstance(value, str) else str(value)
    head = text[: limit * 2]
    if not head.isprintable():
        head = "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE else ch for ch in head)
    if len(text) > limit or len(head) > limit:
        return head[: limit - 1].rstrip() + "…"
    return head


_INVISIBLE = ("Cc", "Cf", "Zl", "Zp")

# A check reports at most this many places per file; the next one says how many more there are
# (a 2 MB file with the same mistake on every line must not print 100,000 messages).
MAX_REPORTS = 20


class LineIndex:
    """File line of an offset in `text` (whose first line is `first_line`): one scan of the
    text on first use, then a binary search, so reporting many places stays linear."""

    def __init__(self, text: str, first_line: int = 1):
        self.text = text
        self.first_line = first_line
        self._breaks: list[int] | None = None

    def line(self, offset: int) -> int:
        if self._breaks is None:
            self._breaks = [m.start() for m in re.finditer("\n", self.text)]
        return self.first_line + bisect_right(self._breaks, offset - 1)


def more_places(diags: "Diagnostics", path, line: int, what: str) -> None:
    """The message after MAX_REPORTS places of the same problem in one file."""
    diags.error(path, line, f"còn {what} ở các dòng sau (chỉ liệt kê {MAX_REPORTS} chỗ đầu)",
                "sửa các chỗ trên rồi chạy lại cchc check để xem tiếp")


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR
    code: str = field(default="", compare=False)
    # Diagnostics of one group with the same message and hint are said once, naming every
    # place (e.g. "no plan for 2026" on 8 articles): see format_items.
    group: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    → Cách sửa: {self.hint}"
        return text


class Diagnostics:
    """Collects every problem so staff see them all at once, not one per run."""

    def __init__(self, root: Path | None = None):
        self.root = root
        self.items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()
        self._root: Path | None = None
        self._resolved: dict[Path, Path] = {}  # folder → resolved folder

    def relative(self, path: Path | str) -> str:
        """`path` as messages show it (relative to the project folder)."""
        return self._rel(path)

    def _rel(self, path: Path | str) -> str:
        """The path as staff see it, relative to the project: a symbolic link is named as the
        link, not as what it points to (only its folder is resolved)."""
        path = Path(path)
        if self.root is not None:
            try:
                if path.name in ("", ".", ".."):
                    resolved = path.resolve()
                else:  # folders resolved once each (thousands of articles share a few dozen)
                    folder = self._resolved.get(path.parent)
                    if folder is None:
                        folder = self._resolved[path.parent] = path.parent.resolve()
                    resolved = folder / path.name
                if self._root is None:
                    self._root = self.root.resolve()
                return resolved.relative_to(self._root).as_posix()
            except (ValueError, OSError, RuntimeError):
                pass
        return path.as_posix()

    def _add(self, diagnostic: Diagnostic) -> None:
        # The same problem found twice (e.g. content/reporting.yml read for each plan year) is
        # shown once.
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, path, line: int, message: str, hint: str = "", code: str = "", group: str = "") -> None:
        self._add(Diagnostic(self._rel(path), line, message, hint, ERROR, code, group))

    def warning(self, path, line: int, message: str, hint: str = "", code: str = "", group: str = "") -> None:
        self._add(Diagnostic(self._rel(path), line, message, hint, WARNING, code, group))

    def extend(self, other: "Diagnostics") -> None:
        for diagnostic in other.items:
            self._add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.severity != ERROR, d.message))

    def format(self, severity: str | None = None) -> str:
        """Every diagnostic (or those of one `severity`) as staff read them, a repeated one once."""
        items = [d for d in self.sorted() if severity is None or d.severity == severity]
        return format_items(items)


# A group's places listed in full up to this many; then "và N tệp khác".
MAX_GROUP_PLACES = 6


def format_items(items: list[Diagnostic]) -> str:
    """`items` (in their order) as text: a group (same group, severity, message and hint) said
    once where its first member is, with how many places and which, e.g.

        cảnh báo: chưa có kế hoạch năm 2026: bài được kiểm tra theo kế hoạch năm 2025 … (4 tệp)
            Các tệp: content/news/2026/01/a.md:4, content/news/2026/03/b.md:4, …
            → Cách sửa: thêm tệp content/plans/2026.yml khi có kế hoạch năm 2026

    The build and the preview can print their diagnostics the same way."""
    groups: dict[tuple, list[Diagnostic]] = {}
    order: list[Diagnostic | tuple] = []
    for item in items:
        if not item.group:
            order.append(item)
            continue
        key = (item.group, item.severity, item.message, item.hint)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(item)
    blocks = []
    for entry in order:
        if isinstance(entry, Diagnostic):
            blocks.append(entry.format())
            continue
        members = groups[entry]
        if len(members) == 1:
            blocks.append(members[0].format())
            continue
        first = members[0]
        places = [f"{d.path}:{d.line}" if d.line else d.path for d in members]
        shown = ", ".join(places[:MAX_GROUP_PLACES])
        if len(places) > MAX_GROUP_PLACES:
            shown += f" và {len(places) - MAX_GROUP_PLACES} tệp khác"
        text = f"{first.severity}: {first.message} ({len(members)} tệp)\n    Các tệp: {shown}"
        if first.hint:
            text += f"\n    → Cách sửa: {first.hint}"
        blocks.append(text)
    return "\n".join(blocks)


# `cchc check` (and the build's list of errors) shows at most this many messages per file and in
# all, errors before warnings, then says how many it did not show: 30,000 unknown categories in
# one article must not print 60,000 lines.
MAX_SHOWN_PER_FILE = 30
MAX_SHOWN_TOTAL = 300


def capped(items: list["Diagnostic"], per_file: int = MAX_SHOWN_PER_FILE,
           total: int = MAX_SHOWN_TOTAL) -> tuple[list["Diagnostic"], int, int]:
    """(the diagnostics to show, in file and line order; errors not shown; warnings not shown).

    Within each file errors come first, so a file's warnings never push its errors out."""
    by_path: dict[str, list[Diagnostic]] = {}
    for item in items:
        by_path.setdefault(item.path, []).append(item)
    shown: list[Diagnostic] = []
    for path in sorted(by_path):
        if len(shown) >= total:
            break
        own = sorted(by_path[path], key=lambda d: (not d.is_error, d.line, d.message))
        shown += own[: min(per_file, total - len(shown))]
    chosen = set(map(id, shown))
    hidden_errors = sum(1 for d in items if d.is_error and id(d) not in chosen)
    hidden_warnings = sum(1 for d in items if not d.is_error and id(d) not in chosen)
    shown.sort(key=lambda d: (d.path, d.line, d.severity != ERROR, d.message))
    return shown, hidden_errors, hidden_warnings


def format_capped(items: list["Diagnostic"], per_file: int = MAX_SHOWN_PER_FILE,
                  total: int = MAX_SHOWN_TOTAL) -> str:
    """The diagnostics as `cchc check` prints them, capped (see `capped`)."""
    shown, hidden_errors, hidden_warnings = capped(items, per_file, total)
    text = format_items(shown)  # a repeated message once, with its files
    if hidden_errors or hidden_warnings:
        parts = [f"{hidden_errors:,} lỗi".replace(",", ".")] if hidden_errors else []
        parts += [f"{hidden_warnings:,} cảnh báo".replace(",", ".")] if hidden_warnings else []
        text += (f"\n… còn {' và '.join(parts)} không hiện ở đây (mỗi tệp hiện tối đa {per_file} mục, "
                 f"tổng cộng tối đa {total} mục).\n    → Cách sửa: sửa các lỗi trên rồi chạy lại lệnh để xem tiếp")
    return text


class ContentError(Exception):
    """Raised when content has errors; carries every diagnostic for display."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        count = sum(1 for d in diagnostics if d.is_error)
        lines = format_capped(list(diagnostics))
        super().__init__(f"{lines}\n\nNội dung có {count} lỗi; chưa xuất bản gì. Sửa các lỗi trên rồi chạy lại.")
