"""Automatic fixes that staff can ask for (`cchc check --fix`).

A missing slug is added as one new line; the safe fixes of what Word leaves behind
(cchc.word_leftovers: curly quotes around a front-matter value, non-breaking and zero-width
characters there, Word bullets, a table's missing |---| row, a blank line before a list or
table, a file name with spaces put in <…>) change only the lines concerned.  Every other byte
of the file stays as it was (line endings, BOM, spacing): staff text is never rewritten.  The new file is written beside the
old one and swapped in with os.replace, so an interruption leaves either the old file or the
new one, never half of it; a file changed since it was read, or reached through a symbolic
link, is left alone with a warning.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import word_leftovers
from .content import NEWS_DIR, article_files
from .diagnostics import Diagnostics
from .oserrors import advice, describe
from .word_leftovers import Edit
from .reader import check_invisible_chars, decode, split_front_matter
from .text import slugify
from .yamlio import YamlProblem, load_mapping


@dataclass
class FixReport:
    added: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, slug)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (path, why, how to fix)
    fixed: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, what was done)

    def __iter__(self):  # `for path, line, slug in add_missing_slugs(root)` keeps working
        return iter(self.added)


class _Changed(Exception):
    pass


def _insert_line(path: Path, raw: bytes, insert_at: int, text: str) -> int:
    """Write `raw` with `text` as a new line before 0-based line `insert_at`; returns its 1-based line."""
    # Same line breaks as `decode` (\r\n, \n or \r), each line keeping its own ending.
    lines = raw.splitlines(keepends=True)
    previous = lines[insert_at - 1]
    newline = previous[len(previous.rstrip(b"\r\n")):] or b"\n"
    lines.insert(insert_at, text.encode("utf-8") + newline)
    _write(path, raw, b"".join(lines))
    return insert_at + 1


def _ending(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")):]


def _rewrite(path: Path, raw: bytes, edits: list[Edit]) -> None:
    """Write `raw` with each edit's line replaced by its lines (one edit per line).  A replaced
    line keeps its own ending; lines added before it get the same one (or the previous line's)."""
    lines = raw.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.line, reverse=True):
        index = edit.line - 1
        old = lines[index]
        own = _ending(old)
        added = own or (_ending(lines[index - 1]) if index else b"") or b"\n"
        new = [text.encode("utf-8") + added for text in edit.lines[:-1]]
        new += [edit.lines[-1].encode("utf-8") + own] if edit.lines else []
        lines[index:index + 1] = new
    _write(path, raw, b"".join(lines))


def _write(path: Path, raw: bytes, data: bytes) -> None:
    """Replace `path` (read as `raw`) by `data` atomically, keeping its mode; _Changed when the
    file was edited meanwhile."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # OSError: reported
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if path.read_bytes() != raw:  # edited while we worked: never overwrite staff's change
            raise _Changed
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _fixable_articles(root: Path) -> Iterator[tuple[Path, bytes, tuple[str, str, int, int]]]:
    """(path, bytes, front-matter parts) of every article under news/ that --fix may edit.  One
    that cannot be read, decoded or split is left out (`cchc check` reports it), and so is one
    with invisible line breaks: YAML's line numbers would not be the file's, so leave it to staff."""
    news = root / NEWS_DIR
    if not news.is_dir():
        return
    scratch = Diagnostics(root.parent)
    for path in article_files(news, root, scratch):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        text = decode(raw, path, scratch)
        if text is None:
            continue
        parts = split_front_matter(text, path, scratch)
        if parts is None:
            continue
        body_line = parts[3]
        if check_invisible_chars(text, body_line, path, scratch):
            continue
        yield path, raw, parts


def add_missing_slugs(root: Path) -> FixReport:
    """Add `slug:` right after the title's value in articles that have none."""
    report = FixReport()
    pending: list[tuple[Path, bytes, int, str]] = []
    used: set[str] = set()
    for path, raw, (fm_text, _body, fm_line, _body_line) in _fixable_articles(root):
        try:
            located = load_mapping(fm_text, start_line=fm_line)
        except YamlProblem:
            continue
        if "slug" in located.values:  # present (even empty or invalid): staff must choose
            used.add(str(located.values["slug"]))
            continue
        title = str(located.values.get("title") or "").strip()
        if not title or "title" not in located.ends:
            continue
        rel = path.relative_to(root.parent).as_posix() if path.is_relative_to(root.parent) else str(path)
        if path.is_symlink():
            report.skipped.append((rel, "tệp là liên kết (symlink): không tự sửa",
                                   "thêm dòng slug: … vào tệp gốc bằng tay"))
            continue
        # After the end of the title's value: a title over several lines (a block scalar,
        # even with blank lines inside) ends where the next key starts (column 0).
        end_line, end_column = located.ends["title"]
        insert_at = end_line - 1 if end_column == 0 else end_line
        pending.append((path, raw, insert_at, title))
    for path, raw, insert_at, title in pending:
        base = slugify(title) or "bai-viet"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        rel = path.relative_to(root.parent).as_posix() if path.is_relative_to(root.parent) else str(path)
        try:
            line = _insert_line(path, raw, insert_at, f"slug: {slug}")
        except _Changed:
            report.skipped.append((rel, "tệp vừa bị sửa trong lúc chạy --fix: không ghi đè",
                                   "lưu tệp rồi chạy lại cchc check --fix"))
            continue
        except OSError as exc:
            report.skipped.append((rel, f"không ghi được tệp ({describe(exc)}); tệp giữ nguyên như cũ",
                                   f"{advice(exc, path, writing=True)}; hoặc thêm dòng slug: {slug} bằng tay"))
            continue
        used.add(slug)
        report.added.append((rel, line, slug))
    return report


def fix_word_leftovers(root: Path) -> FixReport:
    """Make the safe fixes of cchc.word_leftovers in every article."""
    report = FixReport()
    for path, raw, (fm_text, body, fm_line, body_line) in _fixable_articles(root):
        found = word_leftovers.front_matter(fm_text, fm_line).items
        found += word_leftovers.body(body, body_line, draft=True, title="", article_dir=path.parent).items
        by_line: dict[int, word_leftovers.Leftover] = {}
        for item in found:
            if item.edit is not None:
                by_line[item.edit.line] = item  # the later edit of a line already includes the earlier
        if not by_line:
            continue
        rel = path.relative_to(root.parent).as_posix() if path.is_relative_to(root.parent) else str(path)
        if path.is_symlink():
            report.skipped.append((rel, "tệp là liên kết (symlink): không tự sửa", "sửa tệp gốc bằng tay theo các thông báo"))
            continue
        try:
            _rewrite(path, raw, [item.edit for item in by_line.values()])
        except _Changed:
            report.skipped.append((rel, "tệp vừa bị sửa trong lúc chạy --fix: không ghi đè",
                                   "lưu tệp rồi chạy lại cchc check --fix"))
            continue
        except OSError as exc:
            report.skipped.append((rel, f"không ghi được tệp ({exc.strerror})", "kiểm tra quyền ghi thư mục, hoặc sửa bằng tay"))
            continue
        # Lines are counted in the file as it now is: each earlier edit that added lines moves the next ones.
        shift = 0
        for line in sorted(by_line):
            item = by_line[line]
            report.fixed.append((rel, line + shift + len(item.edit.lines) - 1, item.what))
            shift += len(item.edit.lines) - 1
    return report
