"""Python-Markdown extension: link each document reference in prose to the document's page.

"Nghị định số 06/2023/NĐ-CP" in a paragraph becomes a link to the page of 06/2023/NĐ-CP.
Code (spans and blocks), existing links and headings are left alone, and only documents in
`targets` (those that have a page) are linked, so no link can point at a missing page.

Runs on the element tree after inline parsing, so it sees exactly what the reader sees as
text: Markdown and HTML syntax, raw HTML blocks and code are already out of the way.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .legal import Detector
from .text import nfc

# Nothing inside these is linked: code, existing links, headings (and non-prose elements).
SKIP_TAGS = frozenset({
    "a", "code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "button",
    "h1", "h2", "h3", "h4", "h5", "h6",
})
LINK_CLASS = "cchc-doc-ref"
# After attr_list (8), which reads `{: …}` at the end of text; before toc (5) and before the
# engine resolves links (MkDocs' "relpath", 0).
PRIORITY = 7


@dataclass(frozen=True)
class LinkTarget:
    href: str
    title: str = ""  # shown as a tooltip: the document's title


class LegalLinksTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, detector: Detector, targets: Mapping[str, LinkTarget]):
        super().__init__(md)
        self.detector = detector
        self.targets = targets

    def run(self, root: etree.Element) -> None:
        if self.targets:
            self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if not isinstance(element.tag, str) or element.tag in SKIP_TAGS:
            return
        if element.text and not isinstance(element.text, AtomicString):
            head, links = self._split(element.text)
            if links:
                element.text = head
                for position, link in enumerate(links):
                    element.insert(position, link)
        for child in list(element):  # a snapshot: links are inserted as we go
            self._walk(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                head, links = self._split(child.tail)
                if links:
                    child.tail = head
                    position = list(element).index(child) + 1
                    for offset, link in enumerate(links):
                        element.insert(position + offset, link)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """(text before the first link, links each carrying the text after it as tail)."""
        refs = [r for r in self.detector.find(text) if r.id in self.targets]
        if not refs:
            return text, []
        text = nfc(text)  # the spans are in the NFC text
        links: list[etree.Element] = []
        for i, ref in enumerate(refs):
            target = self.targets[ref.id]
            link = etree.Element("a", {"href": target.href, "class": LINK_CLASS})
            if target.title:
                link.set("title", target.title)
            link.text = AtomicString(text[ref.start:ref.end])
            end = refs[i + 1].start if i + 1 < len(refs) else len(text)
            link.tail = text[ref.end:end]
            links.append(link)
        return text[: refs[0].start], links


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
