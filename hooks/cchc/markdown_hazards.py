"""Markdown shapes that make Python-Markdown super-linear, found in linear time.

Python-Markdown reads some constructs by scanning forward from each opening mark until its
closing mark, or the end of the text when there is none (measured in notes/hostile-markdown.md):

- each "[" (a link, image, footnote reference) scans its paragraph to the matching "]", and
  each "](" to the matching ")": 8,000 unclosed "[" take 16 s of CPU, 60 KB minutes;
- each "<" that starts a tag scans to the next ">" (the HTML block parser reads the whole body):
  "<a " repeated 8,000 times takes 9 s;
- HTML block elements left open (<div> without </div>) nest inside each other;
- headings: each gets an id that must differ from all others ("a", "a_1", "a_2"…).

`find(body)` estimates the work of each mechanism (characters scanned) from one pass over the
body, and reports a shape whose work passes its threshold (~1 s of CPU on a typical machine),
with the line where it starts and, in Vietnamese, its likely cause.  `cchc check` and the build
refuse such an article before converting it; conversions that still run too long are stopped
by the time budget (cchc.time_limit), and `likely_cause` names the shape in that message.
Code (fenced, indented, inline, <pre>/<code>) is not Markdown and is left out (alt_text.mask_code).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from .markdown_code import RAW_HTML_BLOCK

# Work (characters scanned) at which a shape is reported: about a second of CPU time.  Well-formed
# content stays far below: closed brackets and tags scan only themselves, so the work of a
# legitimate article is at most its length (2 MB).
MAX_BRACKET_WORK = 2_500_000
MAX_TAG_WORK = 5_000_000
MAX_OPEN_BLOCKS = 1500  # HTML block elements (<div>…) never closed
MAX_HEADINGS = 500  # also keeps the table of contents and the page small
MAX_TRIPLE_MARKS = 3000  # runs of *** or ___ in one paragraph (each tries to pair with the rest)
MAX_ADMONITIONS = 2000  # "!!!" blocks
MAX_BACKTICKS = 6000  # "`" in one paragraph (code spans: the masked text no longer shows them)
MAX_INLINE_ITEMS = 8000  # escapes, inline tags, entities, links in one paragraph (each is a placeholder)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Closed links, images and bracket pairs, and complete tags: they scan only themselves, so they
# are blanked out (C speed) before the few remaining marks are followed one by one.
_CLOSED_BRACKETS = re.compile(r"\[[^\[\]\n]{0,2000}\](?:\([^()\s]{0,2000}(?:[ \t]+\"[^\"\n]{0,500}\")?\)|(?!\())")
# A tag opening that reaches another "<" (or the end) before any ">": only these scan far.
_OPEN_TAG = re.compile(r"<[A-Za-z/!?][^<>]*+(?=<|\Z)")
_BRACKETS = re.compile(r"\\.|[\[\]()]", re.S)
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_TAG_CLOSE = re.compile(r">")
_BLOCK_TAG = re.compile(r"<(/?)(div|section|article|aside|details|figure|table|blockquote|ul|ol|dl|form|fieldset|"
                        r"header|footer|main|nav|center|pre)\b[^<>]{0,2000}?(/?)>", re.I)
_HEADING = re.compile(r"(?m)^ {0,3}#{1,6}(?:[ \t]|$)|^ {0,3}(?:=+|-+)[ \t]*$")
_TRIPLE = re.compile(r"\*{3,}|_{3,}")
_INLINE_ITEM = re.compile(r"\\.|<[A-Za-z/!]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|\]\(|\]\[")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|.*$")
_ADMONITION = re.compile(r"(?m)^[ \t]*(?:!!!|\?\?\?)")


@dataclass(frozen=True)
class Hazard:
    offset: int  # in the body
    message: str  # Vietnamese: what, with numbers
    hint: str
    short: str  # the likely cause in a few words, for other messages


def find(body: str, masked: str | None = None, *, scale: float = 1.0) -> list[Hazard]:
    """The slow shapes of `body` (`masked`: body with code blanked, same offsets).

    `scale` lowers the thresholds (the summary, a few thousand characters, must cost almost
    nothing)."""
    if masked is None:
        from .alt_text import mask_code

        masked = mask_code(body)
    found = []
    if "[" in masked:
        hazard = _brackets(masked, MAX_BRACKET_WORK * scale)
        if hazard:
            found.append(hazard)
    if "<" in masked:
        hazard = _tags(masked, MAX_TAG_WORK * scale)
        if hazard:
            found.append(hazard)
        hazard = _open_blocks(masked, max(10, int(MAX_OPEN_BLOCKS * scale)))
        if hazard:
            found.append(hazard)
    if "#" in masked or "==" in masked or "--" in masked:
        hazard = _headings(masked, max(10, int(MAX_HEADINGS * scale)))
        if hazard:
            found.append(hazard)
    if "***" in masked or "___" in masked:
        hazard = _triple_marks(masked, max(10, int(MAX_TRIPLE_MARKS * scale)))
        if hazard:
            found.append(hazard)
    if body.count("`") > max(10, int(MAX_BACKTICKS * scale)):
        hazard = _backticks(body, max(10, int(MAX_BACKTICKS * scale)))
        if hazard:
            found.append(hazard)
    hazard = _inline_items(body, max(10, int(MAX_INLINE_ITEMS * scale)))
    if hazard:
        found.append(hazard)
    if "!!!" in masked or "???" in masked:
        admonitions = [m.start() for m in _ADMONITION.finditer(masked)]
        limit = max(10, int(MAX_ADMONITIONS * scale))
        if len(admonitions) > limit:
            found.append(Hazard(admonitions[limit], f"bài có quá nhiều khối ghi chú “!!!” ({len(admonitions)}, tối đa {limit})",
                                "bớt các khối !!! (thường do dán nhầm hoặc lặp lại); tài liệu dài nên đính kèm thành PDF",
                                "quá nhiều khối ghi chú “!!!”"))
    return sorted(found, key=lambda h: h.offset)


def _at_least(matches, count: int) -> bool:
    """Whether the iterator yields at least `count` items (stops there)."""
    return sum(1 for _ in itertools.islice(matches, count)) >= count


def _inline_items(body: str, limit: int) -> Hazard | None:
    """Thousands of escapes, inline tags, entities or links in one paragraph: each becomes a
    placeholder that the rest of the paragraph is rebuilt around.  Table rows do not count (each
    cell is converted on its own)."""
    if len(body) < limit * 2:
        return None  # each item takes at least two characters
    for start, end in _blocks(body):
        if end - start < limit * 2:
            continue
        if RAW_HTML_BLOCK.match(body, start + 1 if body.startswith("\n", start) else start):
            continue  # a raw HTML block is kept as one piece, not parsed inline
        if _at_least(_INLINE_ITEM.finditer(body, start, end), limit + 1):
            block = _TABLE_ROW.sub("", body[start:end])
            if _at_least(_INLINE_ITEM.finditer(block), limit + 1):
                count = len(_INLINE_ITEM.findall(block))
                first = _INLINE_ITEM.search(body, start, end)
                return Hazard(first.start(), "nội dung làm trang dựng rất chậm: quá nhiều định dạng trong một đoạn "
                              f"({count} thẻ HTML, liên kết, ký tự \\ hoặc &…; — tối đa {limit})",
                              "chia đoạn dài thành nhiều đoạn (để một dòng trống giữa các đoạn), bỏ các thẻ, ký tự thừa "
                              "(thường do dán từ trang web hoặc Word)", "quá nhiều định dạng trong một đoạn")
    return None


def _backticks(body: str, limit: int) -> Hazard | None:
    """Thousands of backticks in one paragraph (code spans opened and closed in a row)."""
    for start, end in _blocks(body):
        if body.count("`", start, end) > limit:
            return Hazard(body.index("`", start), f"nội dung làm trang dựng rất chậm: quá nhiều dấu ` trong một đoạn "
                          f"({body.count('`', start, end)}, tối đa {limit})",
                          "dấu ` dùng để đánh dấu mã (`mã`); xóa các dấu ` thừa (thường do dán nhầm)",
                          "quá nhiều dấu ` trong một đoạn")
    return None


def _triple_marks(text: str, limit: int) -> Hazard | None:
    """Runs of *** (or ___) in one paragraph: each tries the bold-and-italic patterns against the
    rest of the paragraph."""
    for start, end in _blocks(text):
        count = 0
        first = -1
        for match in _TRIPLE.finditer(text, start, end):
            if first < 0:
                first = match.start()
            count += 1
            if count > limit:
                return Hazard(first, f"nội dung làm trang dựng rất chậm: quá nhiều dấu *** (hoặc ___) liên tiếp "
                                     f"trong một đoạn (hơn {limit})",
                              "chữ vừa đậm vừa nghiêng viết ***chữ***; xóa các dấu * thừa (thường do dán nhầm)",
                              "quá nhiều dấu *** trong một đoạn")
    return None


def likely_cause(body: str) -> tuple[int, str] | None:
    """(offset, cause in a few words) of the slowest shape of `body`, for a message about a
    conversion that ran out of time; looks for shapes at a fifth of the thresholds."""
    hazards = find(body, scale=0.2)
    if hazards:
        return hazards[0].offset, hazards[0].short
    if len(body) > 500_000:
        return -1, f"bài rất dài ({len(body) // 1024} KB chữ)"
    return None


def _blocks(text: str):
    """(start, end) of each run of non-blank lines: the text Python-Markdown scans as one."""
    start = 0
    for match in _BLANK_LINE.finditer(text):
        yield start, match.start()
        start = match.end() - 1
    yield start, len(text)


def _brackets(text: str, limit: float) -> Hazard | None:
    """Work of "[" → "]" and "](" → ")" scans, per paragraph (linear; stops once over `limit`)."""
    for _ in range(3):  # innermost pairs first: [a [b] c] is closed after two rounds
        stripped = _CLOSED_BRACKETS.sub(_spaces, text)
        if stripped == text:
            break
        text = stripped
    if "[" not in text:
        return None
    breaks = [m.start() for m in _BLANK_LINE.finditer(text)] + [len(text)]
    work = 0
    block_start, block_end, block_work = -1, -1, 0
    opens: list[int] = []  # positions of "[" not yet closed in this paragraph
    open_sum = 0  # their sum: the work they will cost is at least len(opens) * here - open_sum
    parens: list[tuple[int, bool]] = []  # (position, opened by "](") of "(" inside a link target
    links = link_sum = 0  # "](" not yet closed, and the sum of their positions (same bound)
    heaviest = (0, 0, 0, 0)  # (work, first bracket, unclosed "[", unclosed "](") of the worst paragraph

    def close_block(end: int) -> None:
        nonlocal work, heaviest
        added = len(opens) * end - open_sum
        open_links = [p for p, is_link in parens if is_link] if parens else []
        if open_links:
            added += len(open_links) * end - sum(open_links)
        work += added
        if block_work + added > heaviest[0]:
            heaviest = (block_work + added, block_start, len(opens), len(open_links))

    for match in _BRACKETS.finditer(text):
        pos = match.start()
        if pos >= block_end:
            if block_end >= 0:
                close_block(block_end)
                opens, open_sum, parens, links, link_sum = [], 0, [], 0, 0
            block_start, block_work = pos, 0
            index = bisect.bisect_right(breaks, pos)
            block_end = breaks[index] if index < len(breaks) else len(text)
        char = match.group()
        if char == "[":
            opens.append(pos)
            open_sum += pos
            if work + block_work + len(opens) * pos - open_sum > limit:
                break
        elif char == "]":
            if opens:
                opened = opens.pop()
                open_sum -= opened
                block_work += pos - opened
            if text.startswith("(", pos + 1):
                parens.append((pos, True))
                links += 1
                link_sum += pos
                if work + block_work + links * pos - link_sum > limit:
                    break
        elif char == "(":
            if parens and text[pos - 1] != "]":
                parens.append((pos, False))
        elif char == ")":
            if parens:
                opened, is_link = parens.pop()
                if is_link:
                    block_work += pos - opened
                    links -= 1
                    link_sum -= opened
    if block_end >= 0:
        work += block_work
        close_block(block_end)
    if work <= limit:
        return None
    _, first, unclosed, unclosed_links = heaviest
    if unclosed_links > unclosed:
        what = f"quá nhiều liên kết “](” không có dấu ) đóng (ít nhất {unclosed_links} chỗ trong một đoạn)"
        short = "quá nhiều liên kết “](” không đóng ngoặc"
        hint = "mỗi liên kết viết dạng [chữ](địa chỉ) với đủ dấu ) đóng; xóa các chỗ dán nhầm"
    elif unclosed:
        what = f"quá nhiều dấu [ liên tiếp hoặc không đóng (ít nhất {unclosed} dấu [ chưa có ] trong một đoạn)"
        short = "quá nhiều dấu [ liên tiếp hoặc không đóng"
        hint = ("xóa các dấu [ thừa (thường do dán nhầm); muốn viết dấu [ như chữ thường thì viết \\[ ; "
                "liên kết viết dạng [chữ](https://…)")
    else:
        what = "dấu [ ] lồng vào nhau quá nhiều tầng"
        short = "dấu [ ] lồng nhau quá nhiều tầng"
        hint = "bỏ bớt các cặp [ ] lồng nhau (thường do dán nhầm); liên kết viết dạng [chữ](https://…)"
    return Hazard(first, f"nội dung làm trang dựng rất chậm: {what}", hint, short)


def _spaces(match: re.Match) -> str:
    return " " * len(match.group())


def _tags(text: str, limit: float) -> Hazard | None:
    """Work of the HTML parser: each tag opening "<x" scans to the next ">" (whole body)."""
    first = _OPEN_TAG.search(text)
    if first is None:
        return None
    closes = [m.start() for m in _TAG_CLOSE.finditer(text)]
    work = 0
    count = 0
    for match in _OPEN_TAG.finditer(text, first.start()):
        pos = match.start()
        i = bisect.bisect_left(closes, pos)
        work += (closes[i] if i < len(closes) else len(text)) - pos
        count += 1
        if work > limit:
            return Hazard(first.start(),
                          "nội dung làm trang dựng rất chậm: quá nhiều dấu < mở thẻ HTML mà không có dấu > đóng "
                          f"(ít nhất {count} chỗ)",
                          "xóa các dấu < thừa; muốn viết dấu < như chữ thường thì viết &lt; hoặc để dấu cách sau nó "
                          "(a < b)", "quá nhiều dấu < không đóng bằng >")
    return None


_BLOCK_NAMES = re.compile(r"<(?:div|section|article|aside|details|figure|table|blockquote|ul|ol|dl|form|fieldset|"
                          r"header|footer|main|nav|center|pre)\b", re.I)


def _open_blocks(text: str, limit: int) -> Hazard | None:
    """HTML block elements opened and never closed (each nests the rest of the body)."""
    if not _BLOCK_NAMES.search(text):
        return None
    stack: list[tuple[str, int]] = []
    for match in _BLOCK_TAG.finditer(text):
        closing, name, selfclosing = match.group(1), match.group(2).lower(), match.group(3)
        if selfclosing:
            continue
        if closing:
            for i in range(len(stack) - 1, max(-1, len(stack) - 50), -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        else:
            stack.append((name, match.start()))
    if len(stack) > limit:
        return Hazard(stack[0][1],
                      f"nội dung làm trang dựng rất chậm: {len(stack)} thẻ HTML khối (như <div>) được mở mà không đóng",
                      "đóng mỗi thẻ (<div> … </div>) hoặc xóa các thẻ thừa (thường do dán từ trang web); "
                      "dán lại dạng văn bản thuần (Ctrl+Shift+V) nếu không cần định dạng",
                      "quá nhiều thẻ HTML <div> … không đóng")
    return None


def _headings(text: str, limit: int) -> Hazard | None:
    headings = [m.start() for m in _HEADING.finditer(text)]
    if len(headings) > limit:
        return Hazard(headings[limit],
                      f"bài có quá nhiều đề mục ({len(headings)}, tối đa {limit})",
                      "bớt đề mục (dòng bắt đầu bằng #, hoặc dòng chữ có === / --- bên dưới); "
                      "tài liệu dài nên đính kèm thành PDF", "quá nhiều đề mục")
    return None
