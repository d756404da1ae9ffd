"""Python-Markdown extension: link each document reference in prose to the document's page.

"Nghị định số 06/2023/NĐ-CP" in a paragraph becomes a link to the page of 06/2023/NĐ-CP.
Code (spans and blocks), existing links and headings are left alone, and only documents in
`targets` (those that have a page) are linked, so no link can point at a missing page.

Runs on the element tree after inline parsing, so Markdown syntax and raw HTML blocks are
already out of the way.  Inline HTML is not: Python-Markdown keeps each inline tag as a
placeholder in the text ("Xem \\x02wzxhzdk:0\\x03Nghị định …\\x02wzxhzdk:1\\x03"), so the walk looks
the placeholders up in the HTML stash and leaves alone what stands between an opening <a>,
<code>, <pre>, <kbd>, <samp> or <h1>–<h6> and its closing tag.

References are searched in the text of each block (a paragraph, list item, table cell…) as
the reader reads it, across emphasis and other inline elements, so "Kế hoạch số 45/KH-SGDĐT
*ngày 10/3/2025*" still finds its year; a link is made only where the number lies within one
piece of text.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .legal import HINT_RE, Detector, Reference
from .text import nfc

# Nothing inside these is linked: code, existing links, headings (and non-prose elements).
SKIP_TAGS = frozenset({
    "a", "code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "button", "svg", "math",
    "h1", "h2", "h3", "h4", "h5", "h6",
})
# Elements inside a sentence: their text is read together with the text around them.
INLINE_TAGS = frozenset({
    "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "span", "small", "big", "sub", "sup", "abbr",
    "cite", "q", "dfn", "time", "data", "bdi", "bdo", "font", "img", "br", "wbr",
})
LINK_CLASS = "cchc-doc-ref"
# After attr_list (8), which reads `{: …}` at the end of text; before toc (5) and before the
# engine resolves links (MkDocs' "relpath", 0).
PRIORITY = 7
_PLACEHOLDER_RE = re.compile("\x02wzxhzdk:([0-9]+)\x03")
_STASH_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
_GAP = "\x00"  # stands for what is not prose text (code, a link, a block boundary): no match crosses it


@dataclass(frozen=True)
class LinkTarget:
    href: str
    title: str = ""  # shown as a tooltip: the document's title


@dataclass(slots=True)
class _Piece:
    """A run of linkable text: `string[lo:hi]` of holder.text (parent None) or holder.tail."""

    holder: etree.Element
    parent: etree.Element | None
    string: str  # the whole NFC text or tail
    lo: int
    hi: int
    at: int  # where string[lo] is in the block's text


class _Block:
    """The text of one block as read, with where each linkable piece comes from."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.pieces: list[_Piece] = []
        self.starts: list[int] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def gap(self) -> None:
        if not self.parts or self.parts[-1] != _GAP:
            self.add(_GAP)

    def piece(self, holder, parent, string: str, lo: int, hi: int) -> None:
        if hi > lo:
            self.pieces.append(_Piece(holder, parent, string, lo, hi, self.length))
            self.starts.append(self.length)
            self.add(string[lo:hi])

    def piece_at(self, position: int) -> _Piece | None:
        index = bisect.bisect_right(self.starts, position) - 1
        if index < 0:
            return None
        piece = self.pieces[index]
        return piece if position < piece.at + piece.hi - piece.lo else None


class LegalLinksTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, detector: Detector, targets: Mapping[str, LinkTarget]):
        super().__init__(md)
        self.detector = detector
        self.targets = targets

    def run(self, root: etree.Element) -> None:
        if not self.targets:
            return
        blocks = self._link_block(root)
        while blocks:
            element = blocks.pop()
            # All the text in `element`, code and links included: without what every number has
            # (legal.HINT_RE) there is nothing to link in it (most blocks).
            text = "".join(element.itertext()) if len(element) else element.text
            if text and HINT_RE.search(text):
                blocks.extend(self._link_block(element))

    # --- reading a block ---------------------------------------------------------------------
    def _link_block(self, element: etree.Element) -> list[etree.Element]:
        """Link the references in the text of `element`; return its child blocks, to do next."""
        block, children = _Block(), []
        string = element.text
        if not len(element) and string and type(string) is str and "\x02" not in string:
            string = nfc(string)  # plain text only, the most common paragraph
            block.piece(element, None, string, 0, len(string))
        else:
            self._read(element, None, block, children, [0])
        if block.pieces:
            text = "".join(block.parts)
            # (the pieces are NFC; joined, a combining mark that starts one would change the offsets)
            if unicodedata.is_normalized("NFC", text):
                self._link(block, text)
        return children

    def _read(self, element, parent, block: _Block, children: list, depth: list[int]) -> None:
        self._read_string(element, None, block, depth)
        for child in element:
            if not isinstance(child.tag, str) or child.tag in SKIP_TAGS:
                block.gap()
            elif child.tag in INLINE_TAGS:
                self._read(child, element, block, children, depth)
            else:
                block.gap()
                children.append(child)
            self._read_string(child, element, block, depth)

    def _read_string(self, holder, parent, block: _Block, depth: list[int]) -> None:
        """Add holder.text (parent None) or holder.tail to the block, minding inline HTML."""
        string = holder.text if parent is None else holder.tail
        if not string:
            return
        if isinstance(string, AtomicString):
            block.gap()
            return
        string = nfc(string)
        position = 0
        for match in _PLACEHOLDER_RE.finditer(string) if "\x02" in string else ():
            if depth[0] == 0:
                block.piece(holder, parent, string, position, match.start())
            else:
                block.gap()
            self._stashed(int(match.group(1)), block, depth)
            position = match.end()
        if depth[0] == 0:
            block.piece(holder, parent, string, position, len(string))
        else:
            block.gap()

    def _stashed(self, index: int, block: _Block, depth: list[int]) -> None:
        """An inline HTML placeholder: a tag opening or closing a skipped element, or an entity."""
        stash = self.md.htmlStash.rawHtmlBlocks
        raw = stash[index] if index < len(stash) else ""
        if not isinstance(raw, str) or raw.startswith("<!--"):
            block.gap()
            return
        if raw.startswith("&"):  # "&nbsp;", "&amp;": the character, as the reader sees it
            block.add(html.unescape(raw) if len(html.unescape(raw)) == 1 else _GAP)
            return
        block.gap()
        for closing, tag, self_closing in _STASH_TAG_RE.findall(raw):
            if tag.lower() in SKIP_TAGS and not self_closing:
                depth[0] = max(0, depth[0] + (-1 if closing else 1))

    # --- linking -------------------------------------------------------------------------------
    def _target(self, ref: Reference) -> LinkTarget | None:
        return self.targets.get(ref.id)

    def _link(self, block: _Block, text: str) -> None:
        # by string (holder.text or holder.tail; placeholders may cut one string into pieces)
        edits: dict[tuple[int, bool], tuple[_Piece, list[tuple[int, int, LinkTarget]]]] = {}
        for ref in self.detector.find(text):
            target = self._target(ref)
            if target is None:
                continue
            piece = block.piece_at(ref.number_start)
            if piece is None or block.piece_at(ref.end - 1) is not piece:
                continue  # the number is split by markup: left as it is
            start = ref.start if ref.start >= piece.at else ref.number_start  # the type word may be elsewhere
            lo, hi = start - piece.at + piece.lo, ref.end - piece.at + piece.lo
            edits.setdefault((id(piece.holder), piece.parent is None), (piece, []))[1].append((lo, hi, target))
        for piece, spans in edits.values():
            self._apply(piece, spans)

    @staticmethod
    def _apply(piece: _Piece, spans: list[tuple[int, int, LinkTarget]]) -> None:
        """Split the string of `piece` around the links of `spans` (in order)."""
        string = piece.string
        links = []
        for i, (lo, hi, target) in enumerate(spans):
            link = etree.Element("a", {"href": target.href, "class": LINK_CLASS})
            if target.title:
                link.set("title", target.title)
            link.text = AtomicString(string[lo:hi])
            link.tail = string[hi: spans[i + 1][0] if i + 1 < len(spans) else len(string)]
            links.append(link)
        head = string[: spans[0][0]]
        if piece.parent is None:
            piece.holder.text = head
            for offset, link in enumerate(links):
                piece.holder.insert(offset, link)
        else:
            piece.holder.tail = head
            position = list(piece.parent).index(piece.holder) + 1
            for offset, link in enumerate(links):
                piece.parent.insert(position + offset, link)


class LegalLinksExtension(Extension):
    """`LegalLinksExtension(detector, {document id: LinkTarget})`."""

    def __init__(self, detector: Detector, targets: Mapping[str, LinkTarget], **kwargs):
        self.detector = detector
        self.targets = dict(targets)
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(LegalLinksTreeprocessor(md, self.detector, self.targets),
                                   "cchc_legal_links", PRIORITY)
        md.registerExtension(self)
