"""A read Word document (`word_reader.WordDocument`) as an article: title, date and Markdown body.

- Title: the document's Title property, else its first heading (Title style, or a heading
  before the body text starts), else its first bold centred paragraph(s); the paragraph it
  came from is not repeated in the body.
- Headings under the page title: the page title is the only h1, so Word's heading levels
  become ##, ###… in order of use, never skipping a level.
- Word's lists: bullets "-", numbers "1.", nesting by four spaces; labels Markdown cannot
  number (a), b), 1.1., II.) are kept as text.  A paragraph between two items of one
  numbered list belongs to the item before it (so the numbering goes on, as in Word).
- Images: `![description](images/<slug>/anh1.jpg "caption")`; a paragraph right under an
  image starting with "Ảnh:" (or in the Caption style) is its caption.
- The stated date ("Bến Tre, ngày 15 tháng 3 năm 2025") and the national heading ("CỘNG HÒA
  XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc") are not body text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .placeholders import MISSING_ALT
from .text import fold
from .word_reader import Block, Inline, WordDocument, WordImage

MAX_TITLE = 250

# "<place>, ngày 15 tháng 3 năm 2025" (or the date alone) as a paragraph of its own: a date
# inside a sentence is not the document's date.
_DATE_LINE = re.compile(
    r"^(?:[^\W\d_][^,\n]{0,80},\s*)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\s*\.?$", re.I)
_NATIONAL = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap – tu do – hanh phuc",
             "doc lap-tu do-hanh phuc")
_RULE_ONLY = re.compile(r"^[\s\-_=*~.·•–—]+$")
_CAPTION = re.compile(r"^ảnh\s*:", re.I)
# Title properties that name no document: Word's and python-docx's defaults.
_GENERIC_TITLES = frozenset({"word document", "document", "tai lieu", "van ban", "untitled", "khong tieu de"})


@dataclass
class ImportedArticle:
    title: str
    title_source: str  # how the title was found, said to the officer
    date: dt.date | None
    body: str  # Markdown
    images: list[WordImage]  # the images to write into the article's folder (usable ones)
    notices: list[str] = field(default_factory=list)
    missing_alt: list[str] = field(default_factory=list)  # file names of images without description


def find_date(text: str) -> dt.date | None | str:
    """The date of a place-date line, None when `text` is not one, "" when it names no real day."""
    match = _DATE_LINE.match(text.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return ""


def _is_national(text: str) -> bool:
    folded = re.sub(r"\s+", " ", fold(text))
    return any(marker in folded for marker in _NATIONAL)


def _block_text(block: Block) -> str:
    if block.kind == "table":
        return " ".join(i.text for row in block.rows for cell in row for i in cell if i.image is None)
    return block.text


# --- Markdown escaping ------------------------------------------------------------------------
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|\d+(?=[.)]\s)|=+\s*$|\|)")


def escape_inline(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;")


def escape_line_start(text: str) -> str:
    """Keep a paragraph that starts like Markdown syntax ("1. ", "- ", "# ") a paragraph."""
    match = _LINE_START.match(text)
    if not match:
        return text
    head = match.group(2)
    if head[0].isdigit():
        return text[: match.end(2)] + "\\" + text[match.end(2):]
    return text[: match.start(2)] + "\\" + text[match.start(2):]


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Renderer:
    def __init__(self, document: WordDocument, image_folder: str):
        self.document = document
        self.folder = image_folder.rstrip("/")
        self.notices: list[str] = []
        self.missing_alt: list[str] = []
        self.used_images: list[int] = []
        self.captions: dict[int, str] = {}

    # -- inline text
    def inline(self, inlines: list[Inline], *, in_table: bool = False) -> str:
        out = []
        for inline in inlines:
            if inline.line_break:
                out.append("<br>" if in_table else " ")
                continue
            if inline.image is not None:
                out.append(self.image(inline.image, caption=""))
                continue
            text = escape_inline(inline.text)
            if in_table:
                text = text.replace("|", "\\|")
            if inline.href and inline.href.lower().startswith(("http://", "https://", "mailto:", "tel:")):
                text = self._emphasis(text, inline.bold, inline.italic)
                target = inline.href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
                out.append(f"[{text.strip()}]({target})" if text.strip() else text)
                continue
            if inline.href and not inline.href.startswith("#"):
                self.notices.append(f"liên kết tới “{_plain(inline.href)[:80]}” không phải địa chỉ web: chỉ giữ chữ")
            out.append(self._emphasis(text, inline.bold, inline.italic))
        return re.sub(r" {2,}", " ", "".join(out))

    @staticmethod
    def _emphasis(text: str, bold: bool, italic: bool) -> str:
        if not (bold or italic) or not text.strip():
            return text
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        mark = "***" if bold and italic else "**" if bold else "*"
        return f"{lead}{mark}{core}{mark}{trail}"

    def image(self, index: int, caption: str) -> str:
        image = self.document.images[index]
        if index not in self.used_images:
            self.used_images.append(index)
        if not image.usable:
            kind = image.name.rsplit(".", 1)[-1].upper()
            self.notices.append(f"ảnh thứ {index + 1} trong tệp Word là định dạng {kind}, trang web không hiển thị được: "
                                f"lưu ảnh đó thành JPG hoặc PNG, chép vào {self.folder}/ rồi chèn vào chỗ "
                                "ghi chú “Ảnh … chưa chuyển được” trong bài")
            return (f"<!-- Ảnh thứ {index + 1} của tệp Word (định dạng {kind}) chưa chuyển được: lưu thành JPG/PNG, "
                    f"chép vào {self.folder}/ rồi chèn ảnh ở đây -->")
        alt = _plain(image.alt).replace("[", "(").replace("]", ")")
        if not alt:
            alt = MISSING_ALT
            if image.name not in self.missing_alt:
                self.missing_alt.append(image.name + (f" ({image.alt_note})" if image.alt_note else ""))
        title = ""
        if caption:
            image.caption = caption
            title = ' "' + caption.replace('"', "”").replace("\\", "/") + '"'
        return f"![{escape_inline(alt)}]({self.folder}/{image.name}{title})"


def _choose_title(document: WordDocument, blocks: list[Block]) -> tuple[str, str, set[int]]:
    """(title, where it came from, indexes of blocks that were the title)."""
    opening: list[int] = []
    for index, block in enumerate(blocks):
        if block.kind == "table":
            if opening:
                break
            continue
        if block.kind == "heading" or block.title_style or (block.bold and block.centered) or block.caption_style:
            opening.append(index)
            continue
        if len(block.text) > 120 or not (block.bold or block.centered):
            break
        opening.append(index)
    title_style = next((i for i, b in enumerate(blocks) if b.title_style and b.text), None)
    headings = [i for i in opening if blocks[i].kind == "heading" and blocks[i].text]
    bold_centred = [i for i in opening if blocks[i].bold and blocks[i].centered and blocks[i].kind == "paragraph"
                    and not blocks[i].images and blocks[i].listing is None]

    prop = document.title_property
    if prop and fold(_plain(prop)) in _GENERIC_TITLES:
        prop = ""
    if prop:
        used = {i for i in opening + ([title_style] if title_style is not None else [])
                if fold(_plain(blocks[i].text)) == fold(_plain(prop))}
        # A Title property the document does not show, beside a visible title, is usually
        # left from the document it was copied from: the visible title wins.
        if used or (title_style is None and not headings and not bold_centred):
            return _plain(prop), "thuộc tính Tiêu đề (Title) của tệp Word", used
    if title_style is not None:
        return _plain(blocks[title_style].text), "đoạn kiểu Tiêu đề (Title) đầu tiên", {title_style}
    if headings:
        return _plain(blocks[headings[0]].text), "đề mục đầu tiên", {headings[0]}
    if bold_centred:
        # A title broken over two or three lines: consecutive bold centred paragraphs.
        run = [bold_centred[0]]
        for index in bold_centred[1:]:
            if index == run[-1] + 1 and len(run) < 3:
                run.append(index)
            else:
                break
        return _plain(" ".join(blocks[i].text for i in run)), "đoạn in đậm căn giữa đầu tiên", set(run)
    for index, block in enumerate(blocks):
        if block.kind == "paragraph" and block.text and len(block.text) <= 160 and block.listing is None:
            return _plain(block.text), "đoạn đầu tiên (tệp Word không có tiêu đề rõ ràng)", {index}
    stem = document.source.stem.replace("_", " ").replace("-", " ")
    return _plain(stem), "tên tệp (tệp Word không có tiêu đề)", set()


def convert(document: WordDocument, image_folder: str) -> ImportedArticle:
    """The article a Word document makes; images referenced under `image_folder` (relative to
    the article, e.g. "images/<slug>")."""
    renderer = _Renderer(document, image_folder)
    blocks = list(document.blocks)
    notices: list[str] = []

    # Not body text: the national heading, rules under it, the stated place and date.
    date: dt.date | None = None
    keep: list[Block] = []
    skipped_national = False
    for block in blocks:
        text = _block_text(block)
        if _is_national(text) and (block.kind == "table" or len(text) < 120):
            skipped_national = True
            if block.kind == "table" and date is None:
                for row in block.rows:
                    for cell in row:
                        for part in re.split(r"\s*<br>\s*", renderer.inline(cell, in_table=True)):
                            found = find_date(re.sub(r"[*\\]", "", part))
                            if found:
                                date = found
            continue
        if block.kind != "table" and not block.images and _RULE_ONLY.match(text or "-"):
            continue
        if block.kind == "paragraph" and block.listing is None:
            found = find_date(text)
            if found is not None:
                if found == "":
                    notices.append(f"ngày trong dòng “{_plain(text)[:80]}” không có thật: bài lấy ngày giờ hiện tại")
                elif date is None:
                    date = found
                continue
        keep.append(block)
    if skipped_national:
        notices.append("đã bỏ phần quốc hiệu, tiêu ngữ (CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM…) ở đầu văn bản")
    blocks = keep

    title, title_source, title_blocks = _choose_title(document, blocks)
    blocks = [b for i, b in enumerate(blocks) if i not in title_blocks]
    if title and title == title.upper() and any(c.isalpha() for c in title):
        notices.append("tiêu đề viết hoa toàn bộ: trên web nên viết hoa chữ đầu câu và tên riêng; sửa dòng title:")

    # Heading levels: ## for the highest level used, one more # per level below, never a skip.
    used_levels = sorted({b.heading for b in blocks if b.kind == "heading"})
    rank = {level: position + 2 for position, level in enumerate(used_levels)}

    body: list[tuple[str, str]] = []  # (Markdown, joiner before it: "\n" tight, "\n\n" new block)
    stack: list[tuple[int, bool, str]] = []  # open list items: (level, real Markdown item, num id)
    previous_heading = 1
    pending_list: tuple[str, int] | None = None  # (kind, depth) of the last real list item written

    def real_depth() -> int:
        return sum(1 for _level, real, _num in stack if real)

    def continues_later(position: int, num_id: str) -> bool:
        for later in blocks[position + 1:]:
            if later.listing is not None:
                return later.listing.num_id == num_id
            if later.kind in ("heading", "table"):
                return False
        return False

    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "heading":
            stack.clear()
            pending_list = None
            level = min(rank[block.heading], previous_heading + 1, 6)
            previous_heading = level
            plain = [Inline(i.text, href=i.href, image=i.image, line_break=i.line_break) for i in block.inlines]
            body.append(("#" * level + " " + renderer.inline(plain).strip(), "\n\n"))  # a heading is bold already
            index += 1
            continue
        if block.kind == "table":
            stack.clear()
            pending_list = None
            table = _table(renderer, block)
            if table:
                body.append((table, "\n\n"))
            index += 1
            continue
        if block.listing is not None:
            info = block.listing
            while stack and stack[-1][0] >= info.level:
                stack.pop()
            level = (stack[-1][0] + 1) if stack else 0
            level = min(level, info.level)
            depth = real_depth()
            indent = "    " * depth
            text = renderer.inline(block.inlines).strip()
            if info.kind == "label":
                line = escape_line_start(f"{info.label} {text}".strip() if info.label else text)
                body.append((indent + line, "\n\n"))
                stack.append((level, False, info.num_id))
                pending_list = None
            else:
                marker = "-" if info.kind == "bullet" else f"{info.number}."
                joiner = "\n"
                if pending_list is None:
                    joiner = "\n\n"
                elif pending_list[1] == depth and pending_list[0] != info.kind:
                    # Python-Markdown joins a bullet list and a numbered list that touch: keep them apart.
                    body.append((indent + "<!-- hết danh sách -->", "\n\n"))
                    joiner = "\n\n"
                body.append((f"{indent}{marker} {text}", joiner))
                stack.append((level, True, info.num_id))
                pending_list = (info.kind, depth)
            index += 1
            continue
        # An ordinary paragraph (text and/or images).
        inside_list = bool(stack) and stack[-1][1] and continues_later(index, stack[-1][2])
        if not inside_list:
            stack.clear()
        indent = "    " * real_depth() if inside_list else ""
        only_images = block.images and not block.text
        if only_images:
            caption = ""
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if (following is not None and following.kind == "paragraph" and following.listing is None
                    and not following.images and (following.caption_style or _CAPTION.match(following.text))):
                caption = _plain(following.text)
                index += 1
            images = block.images
            for position, image_index in enumerate(images):
                markdown = renderer.image(image_index, caption if position == len(images) - 1 else "")
                body.append((indent + markdown, "\n\n"))
        else:
            text = renderer.inline(block.inlines).strip()
            if text:
                body.append((indent + escape_line_start(text), "\n\n"))
        pending_list = None
        index += 1

    markdown = ""
    for chunk, joiner in body:
        markdown += (joiner if markdown else "") + chunk
    images = [document.images[i] for i in renderer.used_images if document.images[i].usable]
    unused = [img for i, img in enumerate(document.images) if i not in renderer.used_images and img.usable]
    if unused:
        notices.append(f"{len(unused)} ảnh trong tệp Word không nằm ở chỗ nào của nội dung (ví dụ ảnh nền, ảnh ở đầu/chân trang): không chép")
    notices.extend(dict.fromkeys(renderer.notices))
    notices = list(dict.fromkeys(document.notices + notices))
    return ImportedArticle(title=title, title_source=title_source, date=date, body=markdown.strip() + "\n",
                           images=images, notices=notices, missing_alt=renderer.missing_alt)


def _table(renderer: _Renderer, block: Block) -> str:
    rows = [[renderer.inline(cell, in_table=True).strip() for cell in row] for row in block.rows]
    rows = [row for row in rows if any(row)] or rows
    if not rows or not any(any(row) for row in rows):
        return ""
    width = max(len(row) for row in rows)
    # Columns empty in every row (layout columns of Word) are dropped.
    keep = [c for c in range(width) if any(c < len(row) and row[c] for row in rows)]
    rows = [[row[c] if c < len(row) else "" for c in keep] for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in keep) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(line.replace("|  |", "| |") for line in lines)
