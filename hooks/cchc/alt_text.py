"""Images without a text alternative (alt) in an article body: an error, with file line.

A blind reader hears the alt text instead of the image (WCAG 1.1.1; TT 26/2020/TT-BTTTT asks
state websites to be accessible).  The article's front-matter `image` always has one (its
`image_alt`, else the title); images written in the body have no such fallback, so
`![](images/anh.jpg)` and `<img src="...">` without `alt` are refused by `cchc check` and
by the build.  `<img alt="">` is accepted: it is how HTML marks an image as purely decorative.
Code (fenced blocks, `inline code`) and HTML comments are not looked at.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostics

CODE = "image-alt"

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
# ![alt](target "title") / ![alt][ref] / ![alt] [ref]; alt may hold one level of [brackets].
_MD_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\][ \t]?(\(|\[)")
_MD_TARGET = re.compile(r"\(\s*<?([^\s)>]*)>?[^)]*\)(\{[^}]*\})?")
_MD_REF = re.compile(r"\[[^\]\n]*\]")
_HTML_IMG = re.compile(r"<img\b([^>]*)>", re.I | re.S)
_ALT_ATTR = re.compile(r"""(?:^|\s)alt\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
_SRC_ATTR = re.compile(r"""(?:^|\s)src\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


def _blank(match: re.Match) -> str:
    """The same text with everything but line breaks turned into spaces (offsets are kept)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_code(body: str) -> str:
    """`body` with code and comments blanked out, same length and same lines."""
    lines = body.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is None:
            if opening:
                fence = opening.group(1)
                lines[number] = " " * len(line)
            else:
                lines[number] = _INLINE_CODE.sub(_blank, line)
        else:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            lines[number] = " " * len(line)
    return _COMMENT.sub(_blank, "\n".join(lines))


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" else value


def check_body_images(body: str, body_line: int, path: Path, diags: Diagnostics) -> int:
    """Report every body image without alt text; returns how many were reported."""
    masked = _mask_code(body)
    found = 0

    def line_of(offset: int) -> int:
        return body_line + masked.count("\n", 0, offset)

    for match in _MD_IMAGE.finditer(masked):
        if match.group(1).strip():
            continue
        target, end = "", match.end()
        if match.group(2) == "(":
            link = _MD_TARGET.match(masked, match.end() - 1)
            if link:
                target, end = link.group(1), link.end()
                alt = _ALT_ATTR.search((link.group(2) or "").strip("{}: "))
                if alt and _unquote(alt.group(1)).strip():
                    continue  # ![](x.png){alt="..."} (attr_list)
        else:
            ref = _MD_REF.match(masked, match.end() - 1)
            end = ref.end() if ref else end
        snippet = body[match.start():end]
        if len(snippet) > 80:
            snippet = snippet[:79] + "…"
        diags.error(path, line_of(match.start()),
                    f"ảnh không có mô tả (alt): {snippet}",
                    f"viết mô tả ngắn nội dung ảnh trong ngoặc vuông, ví dụ ![Lãnh đạo Sở phát biểu tại hội nghị]({target or 'images/ten-anh.jpg'}); "
                    "người khiếm thị nghe mô tả này thay cho ảnh",
                    code=CODE)
        found += 1

    for match in _HTML_IMG.finditer(masked):
        attrs = match.group(1)
        if _ALT_ATTR.search(attrs):
            continue
        src = _SRC_ATTR.search(attrs)
        shown = _unquote(src.group(1)) if src else "ảnh"
        diags.error(path, line_of(match.start()),
                    f"ảnh không có mô tả (alt): thẻ <img> “{shown}” thiếu thuộc tính alt",
                    'thêm alt="Mô tả ngắn nội dung ảnh" vào thẻ <img> (hoặc alt="" nếu ảnh chỉ để trang trí); '
                    "người khiếm thị nghe mô tả này thay cho ảnh",
                    code=CODE)
        found += 1
    return found
