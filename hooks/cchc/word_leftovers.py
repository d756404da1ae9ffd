"""What pasting from Word (and leaving the tools' starter text) does to an article, found with
its file line and the fix; the safe fixes are made by `cchc check --fix` (cchc.fixes).

Front matter:
- a value wrapped in Word's curly quotes (title: “…”): YAML keeps the quotes, so the page
  title, the browser tab and the feeds show them (error; fixed to straight quotes);
- non-breaking and zero-width characters (warning; fixed to a space / removed).
Body (code and HTML comments are not looked at):
- lines starting with Word's bullets (•, ◦, ▪, "-" and a tab) and lists glued to the
  paragraph above: they run into one paragraph (warning; fixed to "- " and a blank line);
- a pipe table without its |---| row under the first row, or glued to the paragraph above:
  the page shows the raw pipes (error; the row or the blank line is added);
- a "# " heading (the page title is already the h1) and skipped heading levels (## → ####)
  (warnings; the message says what to write);
- image or file names with spaces: ![…](images/anh 1.jpg) (error; fixed to <…> when the
  file exists);
- the starter text of `cchc new` (✎ …) or the missing-description placeholder of
  `cchc import` in an article that is not a draft (errors: they would be published).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .alt_text import mask_code
from .diagnostics import ERROR, MAX_REPORTS, WARNING, Diagnostics, LineIndex, short
from .placeholders import MARK, MISSING_ALT, missing_alt_offsets, starter_lines
from .text import char_label, fold

CODE = "word-leftover"


@dataclass(frozen=True)
class Edit:
    """Replace file line `line` (1-based) by `lines` (several: lines inserted; none: deleted)."""

    line: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Leftover:
    line: int
    severity: str
    message: str
    hint: str
    edit: Edit | None = None
    what: str = ""  # the fix in a few words, as `--fix` reports it
    silent: bool = False  # reported by another check (reader: zero-width characters in text fields); fixed here


@dataclass
class Found:
    items: list[Leftover] = field(default_factory=list)

    def add(self, line, severity, message, hint, edit=None, what="", silent=False):
        self.items.append(Leftover(line, severity, message, hint, edit, what, silent))


# --- Front matter -----------------------------------------------------------------------------------
_CURLY = re.compile(r"^([A-Za-z_][\w-]*:[ \t]+)([“„«‘‚])(.*)([”“»’‘])([ \t]*(?:#.*)?)$")
_CLOSERS = {"“": "”", "„": "“", "«": "»", "‘": "’", "‚": "‘"}
_FM_INVISIBLE = re.compile("[\u00a0\u2007\u202f\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_LIKE = "\u00a0\u2007\u202f"


def _yaml_double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Fields whose zero-width characters the reader already removes with a warning of its own.
_CLEANED_KEYS = frozenset({"title", "slug", "unit", "summary", "author", "image", "image_alt", "tags"})


def front_matter(fm_text: str, fm_line: int) -> Found:
    """Leftovers of the front matter (its first line is file line `fm_line`)."""
    found = Found()
    key = None
    for offset, line in enumerate(fm_text.split("\n")):
        number = fm_line + offset
        starts = re.match(r"([A-Za-z_][\w-]*)[ \t]*:", line)
        if starts:
            key = starts.group(1)
        invisible = list(dict.fromkeys(_FM_INVISIBLE.findall(line)))
        if invisible:
            space_like = [c for c in invisible if c in _SPACE_LIKE]
            labels = ", ".join(char_label(c) for c in invisible[:3])
            fixed = _FM_INVISIBLE.sub(lambda m: " " if m.group() in _SPACE_LIKE else "", line)
            found.add(number, WARNING,
                      f"thông tin đầu bài có {'khoảng trắng không ngắt' if space_like else 'ký tự vô hình'} {labels} "
                      "(thường lẫn vào khi dán từ Word): không thấy được nhưng làm sai tiêu đề, mã chuyên mục hoặc cả dòng",
                      "gõ lại dòng này, hoặc chạy cchc check --fix (thay bằng dấu cách thường, xóa ký tự vô hình)",
                      Edit(number, (fixed,)), "thay khoảng trắng không ngắt, bỏ ký tự vô hình",
                      silent=not space_like and key in _CLEANED_KEYS)
            line = fixed
        match = _CURLY.match(line)
        if match:
            opener, inner, closer = match.group(2), match.group(3), match.group(4)
            if closer == _CLOSERS.get(opener) and closer not in inner and opener not in inner:
                key = match.group(1).split(":")[0]
                replacement = match.group(1) + _yaml_double_quoted(inner) + match.group(5)
                found.add(number, ERROR,
                          f"giá trị “{key}” nằm trong dấu ngoặc kép cong {opener}…{closer} (của Word): trang web hiện cả "
                          "dấu ngoặc" + (" trong tiêu đề trang, thẻ trình duyệt và nguồn tin RSS" if key == "title" else ""),
                          f"dùng ngoặc kép thẳng: {short(replacement, 100)} (hoặc chạy cchc check --fix); nếu muốn hiện dấu "
                          f"ngoặc thật, đặt cả giá trị trong ngoặc thẳng: {key}: \"{opener}…{closer}\"",
                          Edit(number, (replacement,)), "đổi ngoặc kép cong thành ngoặc kép thẳng")
    return found


# --- Body -----------------------------------------------------------------------------------------------
_WORD_BULLET = re.compile("^([ \t]*)([•◦▪▫●○■□►▸➢➤✓✔❖\uf0b7\uf0a7\uf076\uf0d8\uf0fc]|-\t)[ \t]*(.*)$")
_SUBLEVEL_BULLETS = "◦○▫□\uf0a7"
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_TABLE_ROW = re.compile(r"^ {0,3}\|")
_TABLE_SEPARATOR = re.compile(r"^ {0,3}\|?[ \t]*:?-{1,}:?[ \t]*(?:\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_SPECIAL_STARTS = frozenset("•◦▪▫●○■□►▸➢➤✓✔❖\uf0b7\uf0a7\uf076\uf0d8\uf0fc-*+|#=")
# ![alt](path with spaces.ext "title") / [text](tai lieu.pdf): a target with a space in it.
_SPACED_TARGET = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([ \t]*([^<\s()\"'][^()\"'\n]*?[ \t][^()\"'\n]*?\.[A-Za-z0-9]{2,5})"
    r"([ \t]+\"[^\"\n]*\")?[ \t]*\)")


def _spaced_targets(masked: str):
    """_SPACED_TARGET matches, the regular expression run only on lines with a "](…)" that has
    a space inside (a quick scan first: most articles have none)."""
    position = masked.find("](")
    lines_seen: set[int] = set()
    while position >= 0:
        close = masked.find(")", position)
        end_of_line = masked.find("\n", position)
        end_of_line = len(masked) if end_of_line < 0 else end_of_line
        if 0 <= close < end_of_line and (" " in masked[position + 2:close].strip() or "\t" in masked[position + 2:close]):
            start = masked.rfind("\n", 0, position) + 1
            if start not in lines_seen:
                lines_seen.add(start)
                yield from _SPACED_TARGET.finditer(masked, start, end_of_line)
        position = masked.find("](", position + 2)


def _cells(row: str) -> int:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return len(re.split(r"(?<!\\)\|", inner))


def body(body_text: str, body_line: int, *, draft: bool, title: str, article_dir: Path | None = None,
         masked: str | None = None) -> Found:
    """Leftovers of the body (its first line is file line `body_line`)."""
    found = Found()
    masked = mask_code(body_text) if masked is None else masked
    originals = body_text.split("\n")
    # Word bullets indented with a Tab are what Markdown takes for a code block (so they are
    # masked as code): they are exactly what this check looks for, so it sees them as written.
    lines = [original if not line.strip() and _INDENTED.match(original) and _WORD_BULLET.match(original) else line
             for line, original in zip(masked.split("\n"), originals)]

    # Bullets, lists glued to a paragraph, pipe tables.
    paragraph_open = False  # the line before is paragraph text (not blank, not a list, heading, table)
    block_has_list = False  # a list item (Markdown's, or a Word bullet) since the last blank line
    real_list = False  # a Markdown list item since the last blank line
    bullet_indent = 0
    bullets = tables = glued = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        number = body_line + i
        first = line.lstrip(" \t")[:1]
        if not first:
            paragraph_open = block_has_list = real_list = False
            i += 1
            continue
        if first not in _SPECIAL_STARTS and not first.isdigit():  # the usual line: paragraph text
            paragraph_open = not _INDENTED.match(line)
            i += 1
            continue
        bullet = _WORD_BULLET.match(line)
        # "-" and a Tab is a Markdown list item too; only a Tab-indented one that is not inside a
        # Markdown list breaks (it becomes a code block): the others are left to the "glued to a
        # paragraph" check below.
        if bullet and bullet.group(2) == "-\t" and not (_INDENTED.match(line) and not real_list):
            bullet = None
        if bullet:
            indent = len(bullet.group(1).expandtabs(4))
            sub = block_has_list and (bullet.group(2) in _SUBLEVEL_BULLETS or indent > bullet_indent)
            bullet_indent = indent if not block_has_list else min(bullet_indent, indent)
            fixed = ("    " if sub else "") + "- " + originals[i][bullet.end(2):].lstrip(" \t")
            edit_lines = (fixed,)
            if paragraph_open and not block_has_list:
                edit_lines = ("", fixed)  # a blank line first: Markdown needs it before a list
            effect = ("các dòng dính thành một đoạn" if not _INDENTED.match(line)
                      else "dòng thụt vào bằng phím Tab hiện thành khung mã")
            if bullets < MAX_REPORTS:
                found.add(number, WARNING,
                          f"dòng bắt đầu bằng dấu đầu dòng của Word “{bullet.group(2).strip() or '- và Tab'}”: "
                          f"trang web không hiện thành danh sách ({effect})",
                          "viết mỗi mục là một dòng bắt đầu bằng “- ” (gạch ngang và dấu cách), trước danh sách để "
                          "một dòng trống; hoặc chạy cchc check --fix",
                          Edit(number, edit_lines), "đổi dấu đầu dòng của Word thành “- ”")
            bullets += 1
            block_has_list = True
            paragraph_open = False
            i += 1
            continue
        if _LIST_ITEM.match(line):
            if paragraph_open and not block_has_list and glued < MAX_REPORTS:
                glued += 1
                found.add(number, WARNING,
                          "danh sách dính vào đoạn văn phía trên (không có dòng trống): trang web hiện các mục "
                          "thành một đoạn liền",
                          "thêm một dòng trống trước mục đầu tiên của danh sách (hoặc chạy cchc check --fix)",
                          Edit(number, ("", originals[i])), "thêm dòng trống trước danh sách")
            block_has_list = real_list = True
            paragraph_open = False
            i += 1
            continue
        if _TABLE_ROW.match(line):
            start = i
            while i < len(lines) and _TABLE_ROW.match(lines[i]):
                i += 1
            rows = lines[start:i]
            if len(rows) >= 2 and tables < MAX_REPORTS:
                separator_at = next((k for k, row in enumerate(rows) if _TABLE_SEPARATOR.match(row)), None)
                if separator_at != 1:
                    tables += 1
                    columns = _cells(rows[0])
                    row_text = "|" + "---|" * columns
                    where = ("dòng phân cách nằm sai chỗ (phải ngay dưới dòng đầu)" if separator_at is not None
                             else "thiếu dòng phân cách")
                    edit = None if separator_at is not None else Edit(body_line + start, (originals[start], row_text))
                    if edit is not None and paragraph_open:
                        edit = Edit(body_line + start, ("", originals[start], row_text))
                    found.add(body_line + start, ERROR,
                              f"bảng {where} {row_text} ngay dưới dòng tiêu đề bảng: trang web hiện nguyên các dấu |",
                              f"thêm dòng {row_text} ngay dưới dòng đầu của bảng (dòng {body_line + start}); "
                              "trước bảng để một dòng trống" + ("; hoặc chạy cchc check --fix" if edit else ""),
                              edit, "thêm dòng phân cách của bảng")
                elif paragraph_open:
                    tables += 1
                    found.add(body_line + start, ERROR,
                              "bảng dính vào đoạn văn phía trên (không có dòng trống): trang web hiện nguyên các dấu |",
                              "thêm một dòng trống trước bảng (hoặc chạy cchc check --fix)",
                              Edit(body_line + start, ("", originals[start])), "thêm dòng trống trước bảng")
            paragraph_open = False
            block_has_list = False
            continue
        heading = _ATX.match(line)
        paragraph_open = not heading and not _INDENTED.match(line)
        i += 1

    # Headings: no "# " (the page title is the h1), no skipped level.
    previous = 1
    shown_title = fold(" ".join(title.split()))
    for i, line in enumerate(lines):
        heading = _ATX.match(line)
        level = text = None
        number = body_line + i
        if heading and heading.group(2) is not None:
            level, text = len(heading.group(1)), heading.group(2)
        elif _SETEXT_H1.match(line) and i > 0 and lines[i - 1].strip() and not _TABLE_ROW.match(lines[i - 1]):
            level, text, number = 1, lines[i - 1].strip(), number - 1
        if level is None:
            continue
        if level == 1:
            if fold(" ".join(text.split())) == shown_title:
                found.add(number, WARNING, f"đề mục “# {short(text)}” lặp lại tiêu đề bài (trang đã hiện tiêu đề ở đầu)",
                          "xóa dòng này")
            else:
                found.add(number, WARNING,
                          f"đề mục cấp 1 “# {short(text)}” trong nội dung: tiêu đề bài đã là đề mục cấp 1 của trang",
                          f"đề mục trong bài bắt đầu từ cấp 2: viết “## {short(text)}” (và các mục con ###)")
            previous = 2
            continue
        if level > previous + 1:
            wanted = "#" * (previous + 1)
            found.add(number, WARNING,
                      f"đề mục “{'#' * level} {short(text)}” nhảy từ cấp {previous} xuống cấp {level}, bỏ qua cấp "
                      f"{previous + 1}: mục lục và trình đọc màn hình hiểu sai cấu trúc bài",
                      f"viết “{wanted} {short(text)}”" + (" (đề mục đầu tiên của bài là ##)" if previous == 1 else ""))
        previous = level

    # File names with spaces.
    index = LineIndex(masked, body_line)
    spaced = 0
    for match in _spaced_targets(masked):
        if spaced == MAX_REPORTS:
            break
        spaced += 1
        target = match.group(3).strip()
        is_image = match.group(1) == "!"
        what = "ảnh" if is_image else "tệp"
        exists = article_dir is not None and any(
            (article_dir / name).is_file() for name in dict.fromkeys((target, unquote(target))))
        dashed = re.sub(r"\s+", "-", target)
        edit = None
        number = index.line(match.start())
        if exists and "\n" not in match.group(0):
            original = originals[number - body_line]
            rewritten = original.replace(f"]({target}", f"](<{target}>", 1)
            if rewritten != original:
                edit = Edit(number, (rewritten,))
        found.add(number, ERROR,
                  f"tên {what} “{short(target)}” có khoảng trắng: đường dẫn bị cắt ở dấu cách"
                  + ("" if exists or article_dir is None else f" (và không có tệp {what} này cạnh bài)"),
                  f"đổi tên tệp thành “{short(dashed)}” (không dấu cách) rồi sửa đường dẫn; hoặc giữ tên và viết "
                  f"đường dẫn trong ngoặc nhọn <{short(target)}> hay thay dấu cách bằng %20: "
                  f"{short(target.replace(' ', '%20'))}" + ("; hoặc chạy cchc check --fix" if edit else ""),
                  edit, "đặt đường dẫn có khoảng trắng trong <…>")

    # Text the tools wrote for staff to replace.
    starters = starter_lines(masked)
    if starters and not draft:
        for i in starters[:MAX_REPORTS]:
            found.add(body_line + i, ERROR,
                      f"còn đoạn hướng dẫn của cchc new “{short(originals[i].strip())}”: bài không còn là bản nháp "
                      "nên đoạn này sẽ được đăng",
                      f"thay đoạn này bằng nội dung bài (xóa mọi đoạn bắt đầu bằng {MARK}), hoặc để lại dòng draft: true")
    for offset in missing_alt_offsets(masked)[:MAX_REPORTS]:
        found.add(index.line(offset), WARNING if draft else ERROR,
                  f"ảnh chưa có mô tả: còn chữ “{MISSING_ALT}” do cchc import ghi thay cho mô tả"
                  + ("" if draft else "; bài không còn là bản nháp nên sẽ đăng chữ này"),
                  "thay bằng mô tả ngắn nội dung ảnh, ví dụ ![Lãnh đạo Sở trao giấy khen cho công chức một cửa](…); "
                  "người khiếm thị nghe mô tả này thay cho ảnh")
    return found


def report(found: Found, path, diags: Diagnostics) -> set[int]:
    """Add the leftovers to `diags`; returns their lines."""
    for item in found.items:
        if item.silent:
            continue
        if item.severity == ERROR:
            diags.error(path, item.line, item.message, item.hint, code=CODE)
        else:
            diags.warning(path, item.line, item.message, item.hint, code=CODE)
    return {item.line for item in found.items if not item.silent}


def article_dir_of(path: Path) -> Path:
    return Path(os.path.dirname(os.path.abspath(path)))
