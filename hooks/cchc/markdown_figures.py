"""`![Mô tả](images/anh.jpg "Chú thích")` alone in its paragraph → a figure with its caption.

    <figure class="cchc-figure"><img alt="Mô tả" src="…"><figcaption>Chú thích</figcaption></figure>

The description (alt) is what a blind reader hears instead of the picture; the caption is what
everyone reads under it (who, where, when: "Ảnh: Phòng Tổ chức cán bộ").  The title of an image
that shares its paragraph with text stays a title (a tooltip): a caption under half a sentence
would break the sentence.  An image inside a link (`[![…](a.jpg "…")](…)`) alone in its
paragraph becomes a figure too, the link kept around the image.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

FIGURE_CLASS = "cchc-figure"


def _alone(parent: etree.Element) -> etree.Element | None:
    """The only child of `parent` when it is an image (or a link holding only an image) with no
    text around it."""
    if (parent.text or "").strip() or len(parent) != 1:
        return None
    child = parent[0]
    if (child.tail or "").strip():
        return None
    if child.tag == "img":
        return child
    if child.tag == "a" and len(child) == 1 and not (child.text or "").strip() and child[0].tag == "img" \
            and not (child[0].tail or "").strip():
        return child
    return None


class _Figures(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, paragraph in enumerate(list(parent)):
                if paragraph.tag != "p":
                    continue
                content = _alone(paragraph)
                if content is None:
                    continue
                image = content if content.tag == "img" else content[0]
                caption = (image.get("title") or "").strip()
                if not caption:
                    continue
                del image.attrib["title"]
                figure = etree.Element("figure", {"class": FIGURE_CLASS})
                content.tail = None
                figure.append(content)
                figcaption = etree.SubElement(figure, "figcaption")
                figcaption.text = caption
                figure.tail = paragraph.tail
                parent[index] = figure
        return root


class FiguresExtension(Extension):
    def extendMarkdown(self, md):
        # After the inline patterns made the images (20) and attr_list gave them attributes (8).
        md.treeprocessors.register(_Figures(md), "cchc_figures", 5)
