"""Images without a text alternative (alt) in an article body: an error, with file line.

A blind reader hears the alt text instead of the image (WCAG 1.1.1; TT 26/2020/TT-BTTTT asks
state websites to be accessible).  The article's front-matter `image` always has one (its
`image_alt`, else the title); images written in the body have no such fallback, so
`![](images/anh.jpg)` and `<img src="...">` without `alt` are refused by `cchc check` and
by the build.  `<img alt="">` is accepted: it is how HTML marks an image as purely decorative.
An alt of only spaces (`alt=" "`, `&nbsp;`, zero-width characters) is neither: a screen reader
says nothing useful, or reads the file name, so it is refused like a missing alt.
Code (fenced and indented blocks, `inline code`, HTML <pre>) and HTML comments are not looked at.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from .diagnostics import MAX_REPORTS, Diagnostics, LineIndex, more_places, short
from .markdown_code import blank_keeping_tags, code_lines, html_code_spans

CODE = "image-alt"

_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
# ![alt](target "title") / ![alt][ref] / ![alt] [ref]; alt may hold one level of [brackets].
_MD_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\][ \t]?(\(|\[)")
_MD_TARGET = re.compile(r"\(\s*<?([^\s()<>\[\]]{0,2000})>?[^()]{0,500}\)(\{[^{}]{0,500}\})?")
_MD_REF = re.compile(r"\[[^\]\n]*\]")
_HTML_IMG = re.compile(r"<img\b([^<>]{0,4000})>", re.I | re.S)  # stops at "<": linear on "<img <img…"
_ALT_ATTR = re.compile(r"""(?:^|\s)alt\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
_SRC_ATTR = re.compile(r"""(?:^|\s)src\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


def _blank(match: re.Match) -> str:
    """The same text with everything but line breaks turned into spaces (offsets are kept)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_code(body: str) -> str:
    """`body` with code and comments blanked out, same length and same lines: fenced and
    indented code blocks, code spans, the text of HTML <pre> (and <code> in raw HTML blocks),
    HTML comments (cchc.markdown_code says what Python-Markdown takes for code)."""
    flags = code_lines(body)
    if flags is None and "`" not in body:  # no code blocks, no code spans
        masked = body
    else:
        lines = body.split("\n")
        for number, line in enumerate(lines):
            if flags is not None and flags[number]:
                lines[number] = " " * len(line)
            elif "`" in line:
                lines[number] = _INLINE_CODE.sub(_blank, line)
        masked = "\n".join(lines)
    if "<" in masked:
        spans = html_code_spans(masked)
        if spans:
            parts, pos = [], 0
            for start, end in spans:
                parts += [masked[pos:start], blank_keeping_tags(masked[start:end])]
                pos = end
            masked = "".join(parts) + masked[pos:]
        if "<!--" in masked:
            masked = _COMMENT.sub(_blank, masked)
    return masked


_mask_code = mask_code  # former name


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" else value


def has_visible_text(text: str) -> bool:
    """True if `text` (HTML entities decoded) has a character a reader can see or hear: not only
    spaces, no-break spaces, zero-width or other invisible characters."""
    if "&" in text:
        text = html.unescape(text)
    return any(not ch.isspace() and unicodedata.category(ch) not in _BLANK for ch in text)


_BLANK = ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")  # invisible, or a lone combining mark


def check_body_images(body: str, body_line: int, path: Path, diags: Diagnostics, masked: str | None = None) -> int:
    """Report every body image without alt text; returns how many were reported.

    `masked`: mask_code(body) when the caller already has it."""
    if masked is None:
        masked = mask_code(body)
    if "![" not in masked and "<img" not in masked.lower():
        return 0
    found = 0
    lines = LineIndex(masked, body_line)
    line_of = lines.line

    for match in _MD_IMAGE.finditer(masked):
        if has_visible_text(match.group(1)):
            continue
        if found == MAX_REPORTS:
            more_places(diags, path, line_of(match.start()), "ảnh không có mô tả (alt)")
            return found
        target, end = "", match.end()
        if match.group(2) == "(":
            link = _MD_TARGET.match(masked, match.end() - 1)
            if link:
                target, end = link.group(1), link.end()
                alt = _ALT_ATTR.search((link.group(2) or "").strip("{}: "))
                if alt and has_visible_text(_unquote(alt.group(1))):
                    continue  # ![](x.png){alt="..."} (attr_list)
        else:
            ref = _MD_REF.match(masked, match.end() - 1)
            end = ref.end() if ref else end
        snippet = short(body[match.start():end])
        diags.error(path, line_of(match.start()),
                    f"ảnh không có mô tả (alt): {snippet}",
                    f"viết mô tả ngắn nội dung ảnh trong ngoặc vuông, ví dụ ![Lãnh đạo Sở phát biểu tại hội nghị]({short(target) or 'images/ten-anh.jpg'}); "
                    "người khiếm thị nghe mô tả này thay cho ảnh",
                    code=CODE)
        found += 1

    for match in _HTML_IMG.finditer(masked):
        attrs = match.group(1)
        alt = _ALT_ATTR.search(attrs)
        # alt="" marks a decorative image; otherwise the alt must have text a reader can hear.
        if alt and (alt.group(1) in ('""', "''") or has_visible_text(_unquote(alt.group(1)))):
            continue
        if found == MAX_REPORTS:
            more_places(diags, path, line_of(match.start()), "ảnh không có mô tả (alt)")
            return found
        src = _SRC_ATTR.search(attrs)
        shown = short(_unquote(src.group(1))) if src else "ảnh"
        problem = "có alt chỉ gồm khoảng trắng" if alt else "thiếu thuộc tính alt"
        diags.error(path, line_of(match.start()),
                    f"ảnh không có mô tả (alt): thẻ <img> “{shown}” {problem}",
                    'thêm alt="Mô tả ngắn nội dung ảnh" vào thẻ <img> (hoặc alt="" nếu ảnh chỉ để trang trí); '
                    "người khiếm thị nghe mô tả này thay cho ảnh",
                    code=CODE)
        found += 1
    return found
