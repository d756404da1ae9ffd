"""Links to attachments say what citizens download: "Kế hoạch số 12 (PDF, 1,2 MB)".

A citizen on a phone should know before tapping that a link opens a 15 MB Word file, not a page
(WCAG 2.4.4 asks that a link's purpose be clear from its text).  The body converter
(`cchc.convert._Converter`) runs `DocumentLinks.label` over each body's sanitised HTML: every
`<a href>` that leads to an attachment the site publishes (cchc.attachments: PDF, Office and
OpenDocument files, images, CSV) gets its type and size inside the link, after the text:

    <a href="../tai-lieu/ke-hoach.pdf">Kế hoạch số 12<span class="cchc-file-info"> (PDF, 1,2 MB)</span></a>

It works on the sanitiser's output (well-formed, attributes double-quoted, no nested links),
so Markdown links, reference links and links in pasted HTML are treated alike.  The label
depends on the file's size, which the cached body's key does not cover: each label is recorded
with the body's references (`["\\x00file:" + source path, label]`) and a cached body is used
only while every label is still the same (cchc.convert._resolve_ref).
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

LABEL_CLASS = "cchc-file-info"
# A reference recorded for a label (never a real link: a URL cannot contain NUL).
_REF_PREFIX = "\x00file:"
_LINK_RE = re.compile(r'<a\b([^<>]*)>(.*?)</a>', re.S)
_HREF_RE = re.compile(r'\shref="([^"]*)"')


class DocumentLinks:
    """Labels links to attachments; `labels` maps an attachment's source path (also its URL,
    e.g. "tin-tuc/2025/03/tai-lieu/ke-hoach.pdf") to its label ("PDF, 1,2 MB")."""

    NOT_A_LABEL = object()

    def __init__(self, labels: Mapping[str, str]):
        self.labels = labels

    @staticmethod
    def label_now(raw: str, labels: Mapping[str, str]):
        """For a recorded reference: the label it stands for now ("" if the file is no longer an
        attachment), or NOT_A_LABEL when `raw` is an ordinary link."""
        if not raw.startswith(_REF_PREFIX):
            return DocumentLinks.NOT_A_LABEL
        return labels.get(raw[len(_REF_PREFIX):], "")

    def label(self, html: str, page_url: str, refs: list) -> str:
        """`html` with a label in each link to an attachment; each label used is added to `refs`."""
        if not self.labels or "<a " not in html:
            return html
        base = posixpath.dirname(page_url.rstrip("/") + "/index.html")
        recorded: set[str] = set()

        def add(match: re.Match) -> str:
            href = _HREF_RE.search(match.group(1))
            if href is None or LABEL_CLASS in match.group(2):
                return match.group(0)
            target = self.target(html_lib.unescape(href.group(1)), base)
            label = self.labels.get(target) if target else None
            if not label:
                return match.group(0)
            if target not in recorded:
                recorded.add(target)
                refs.append([_REF_PREFIX + target, label])
            info = f'<span class="{LABEL_CLASS}"> ({html_lib.escape(label)})</span>'
            return f"<a{match.group(1)}>{match.group(2)}{info}</a>"

        return _LINK_RE.sub(add, html)

    @staticmethod
    def target(href: str, base: str) -> str | None:
        """The site path a relative link leads to from the folder `base` ("tin-tuc/2025/03/slug")."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or href.startswith(("/", "\\")):
            return None
        joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        return None if joined.startswith("..") else joined


def format_size(size: int) -> str:
    """A file size as Vietnamese readers write it: "850 KB", "1,2 MB" (decimal comma; 1 KB =
    1024 bytes, as Windows shows the file to staff)."""
    kb = size / 1024
    if kb < 1000:
        return f"{max(1, round(kb))} KB"
    mb = kb / 1024
    text = f"{mb:.1f}" if mb < 100 else f"{mb:.0f}"
    return text.replace(".", ",") + " MB"
