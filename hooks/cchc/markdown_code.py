"""Where an article's Markdown holds code, which is shown as written and never checked as content.

Python-Markdown shows as code (never as links, images, HTML or citations):
- fenced blocks (``` or ~~~, also inside quotes and lists);
- indented blocks: lines indented 4 columns more than their container (the text of a list
  item, an admonition, a footnote), after a blank line;
- code spans (`…`);
- what stands in raw HTML blocks: a <pre> element, and a <code> element of a block that starts
  with a block-level tag (a <p>, <div>, <table>…).  A <code> element inside a paragraph of text
  is different: Python-Markdown converts the Markdown in it (`a <code>![x](y.png)</code>`
  shows an image), so it is checked like the text around it.

`code_lines` flags the lines of code blocks; `cchc.alt_text.mask_code` blanks all code out of
a body (same length, same lines) for the checks, and `cchc.legal.markdown_prose` for citations.
"""

from __future__ import annotations

import bisect
import re

FENCE_RE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
# Lines that open a container whose content is indented by 4 (Python-Markdown's tab length):
# a list item, an admonition, a footnote definition.
_CONTAINER_RE = re.compile(r"^[ ]{0,3}(?:[-*+][ \t]|[0-9]+[.)][ \t]|!!!|\?\?\?|\[\^[^\]\n]+\]:)")
_MAYBE_CODE_RE = re.compile(r"^(?: {4}|\t|[ \t>]*(?:```|~~~))", re.M)


def _indent(line: str) -> int:
    """Columns of leading white space (a tab counts 4, as Python-Markdown reads it)."""
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4))


def code_lines(text: str) -> list[bool] | None:
    """For each line of `text`, whether it belongs to a fenced or indented code block (fence
    lines included); None when no line can (most articles: nothing indented by 4, no fence)."""
    if not _MAYBE_CODE_RE.search(text):
        return None
    flags: list[bool] = []
    fence = ""
    code = 0  # > 0: inside an indented code block indented at least this much
    container = 0  # content indent of the list item / admonition / footnote the text is in
    blank = True  # the previous line was blank
    for line in text.split("\n"):
        if fence:
            match = FENCE_RE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line[match.end():].strip():
                fence = ""
            flags.append(True)
            continue
        if not line.strip():
            flags.append(bool(code))
            blank = True
            continue
        indent = _indent(line)
        if code and indent >= code:
            flags.append(True)
            continue
        code = 0
        if blank and indent >= container + 4:
            code = container + 4
            flags.append(True)
            continue
        match = FENCE_RE.match(line)
        if match and not (match.group(1)[0] == "`" and "`" in line[match.end():]):
            fence = match.group(1)
            flags.append(True)
            continue
        opener = _CONTAINER_RE.match(line[indent - indent % 4:] if indent >= 4 else line)
        if opener:
            container = indent - indent % 4 + 4
        elif blank and indent < container:
            container = indent - indent % 4
        blank = False
        flags.append(False)
    return flags


# Raw HTML: the text inside these is not Markdown.  Python-Markdown's block-level tags start a
# raw HTML block when a paragraph begins with one.
_PRE_OR_CODE = re.compile(r"<(pre|code)\b[^<>]{0,2000}>", re.I)
_TAG = re.compile(r"<[^<>\n]{0,2000}>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
RAW_HTML_BLOCK = _BLOCK_TAG_AT = re.compile(r"[ ]{0,3}<(?:p|div|table|pre|section|article|aside|blockquote|details|dl|ol|ul|figure|"
                           r"form|header|footer|main|nav|center|address|h[1-6])\b", re.I)


def html_code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the content of each <pre> element, and of each <code> element in a
    paragraph that starts with a block-level tag (a raw HTML block), in linear time; an element
    never closed is left alone."""
    if "<" not in text or not _PRE_OR_CODE.search(text):
        return []
    breaks = [m.end() - 1 for m in _BLANK_LINE.finditer(text)]  # each paragraph starts after one
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        match = _PRE_OR_CODE.search(text, pos)
        if match is None:
            return spans
        name = match.group(1).lower()
        closing = re.compile(rf"</{name}\s*>", re.I).search(text, match.end())
        if closing is None:
            return spans
        if name == "pre":
            spans.append((match.end(), closing.start()))
        else:
            i = bisect.bisect_right(breaks, match.start()) - 1
            paragraph = breaks[i] + 1 if i >= 0 else 0
            if _BLOCK_TAG_AT.match(text, paragraph):
                spans.append((match.end(), closing.start()))
        pos = closing.end()


def blank_keeping_tags(text: str) -> str:
    """`text` with everything but HTML tags and line breaks turned into spaces (a <pre>'s
    content: its tags are still HTML, its text is not Markdown)."""
    out = []
    pos = 0
    for match in _TAG.finditer(text):
        out.append(re.sub(r"[^\n]", " ", text[pos:match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(re.sub(r"[^\n]", " ", text[pos:]))
    return "".join(out)
