"""Reading a Word document (.docx) into blocks an article can be written from.

python-docx opens the package (parts, relationships, core properties, styles); the body is
walked as WordprocessingML because what an article needs is below python-docx's API: the
font each run inherits (legacy Vietnamese fonts are converted by it), the numbering
definitions behind Word's real lists, merged table cells, image descriptions, hyperlink
fields.  Nothing here writes files or knows Markdown (`word_markdown` does).

Word clutter is dropped on the way: non-breaking, zero-width and soft-hyphen characters,
manual line breaks and tabs inside paragraphs, empty paragraphs, and formatting Markdown
cannot carry (fonts, sizes, colours, underline, highlighting).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .legacy_encodings import NAMES as ENCODING_NAMES
from .legacy_encodings import convert as convert_legacy
from .legacy_encodings import encoding_for_font
from .text import fold, legacy_encoding_words, nfc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


class WordError(Exception):
    """A document that cannot be read; the message says why and what to do (Vietnamese)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


# --- The model ---------------------------------------------------------------------------------
@dataclass
class Inline:
    text: str = ""
    bold: bool = False
    italic: bool = False
    href: str | None = None
    image: int | None = None  # index in WordDocument.images (an image inside a paragraph or cell)
    line_break: bool = False  # a separation kept inside a table cell (one cell, several paragraphs)


@dataclass
class ListInfo:
    num_id: str
    level: int  # Word's level (ilvl), 0-based
    kind: str  # "bullet", "number" (Markdown can number it) or "label" (the label is written as text)
    label: str = ""  # for "label": what Word shows ("a)", "1.2.", "II.")
    number: int = 1  # the item's number at its level


@dataclass
class Block:
    kind: str  # "paragraph", "heading", "table", "skipped"
    inlines: list[Inline] = field(default_factory=list)
    heading: int = 0  # Word's heading level (1 = Heading 1), for kind == "heading"
    listing: ListInfo | None = None
    rows: list[list[list[Inline]]] = field(default_factory=list)  # kind == "table": rows of cells
    caption_style: bool = False
    centered: bool = False
    bold: bool = False  # every character bold (the title of many Word documents)
    title_style: bool = False

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines if i.image is None).strip()

    @property
    def images(self) -> list[int]:
        return [i.image for i in self.inlines if i.image is not None]


@dataclass
class WordImage:
    name: str  # file name chosen for the article's image folder ("anh1.jpg")
    data: bytes
    content_type: str
    alt: str  # the drawing's description (descr, else title); "" when Word has none
    alt_note: str = ""  # why the description was not taken as it is (Word's automatic text…)
    caption: str = ""
    usable: bool = True  # a format browsers show (JPEG, PNG, GIF, WebP)


@dataclass
class WordDocument:
    source: Path
    blocks: list[Block]
    images: list[WordImage]
    title_property: str  # the document's Title property, "" when unset or unusable
    notices: list[str]  # what the officer must look at, in Vietnamese
    legacy_runs: dict[str, int]  # encoding name → runs converted


# --- Styles --------------------------------------------------------------------------------------
_TRUE = {"1", "true", "on"}


def _on(element) -> bool | None:
    """A Word on/off property (<w:b/>, <w:b w:val="0"/>): True, False, or None when absent."""
    if element is None:
        return None
    value = element.get(_w("val"))
    return value is None or value.lower() in _TRUE


class Styles:
    """Paragraph and character styles with their `basedOn` chains, and the document defaults."""

    def __init__(self, styles_element):
        self.by_id: dict[str, object] = {}
        self.default_paragraph: str | None = None
        self.defaults_rpr = None
        self.defaults_ppr = None
        if styles_element is None:
            return
        for style in styles_element.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id:
                self.by_id[style_id] = style
                if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true"):
                    self.default_paragraph = style_id
        defaults = styles_element.find(_w("docDefaults"))
        if defaults is not None:
            self.defaults_rpr = defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
            self.defaults_ppr = defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}")

    def chain(self, style_id: str | None):
        """The style and those it is based on, nearest first (cycles cut)."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                return
            yield style
            based = style.find(_w("basedOn"))
            style_id = based.get(_w("val")) if based is not None else None

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        if style is None:
            return ""
        name = style.find(_w("name"))
        return (name.get(_w("val")) or "") if name is not None else ""

    def paragraph_style(self, p) -> str | None:
        ppr = p.find(_w("pPr"))
        pstyle = ppr.find(_w("pStyle")) if ppr is not None else None
        if pstyle is not None:
            return pstyle.get(_w("val"))
        return self.default_paragraph

    def ppr_chain(self, p):
        """pPr elements that apply to paragraph `p`: direct, then its style chain, then defaults."""
        ppr = p.find(_w("pPr"))
        if ppr is not None:
            yield ppr
        for style in self.chain(self.paragraph_style(p)):
            style_ppr = style.find(_w("pPr"))
            if style_ppr is not None:
                yield style_ppr
        if self.defaults_ppr is not None:
            yield self.defaults_ppr

    def rpr_chain(self, r, p, *, paragraph_style: bool = True):
        """rPr elements that apply to run `r` in paragraph `p`, nearest first."""
        rpr = r.find(_w("rPr")) if r is not None else None
        if rpr is not None:
            yield rpr
            rstyle = rpr.find(_w("rStyle"))
            if rstyle is not None:
                for style in self.chain(rstyle.get(_w("val"))):
                    style_rpr = style.find(_w("rPr"))
                    if style_rpr is not None:
                        yield style_rpr
        if paragraph_style and p is not None:
            for style in self.chain(self.paragraph_style(p)):
                style_rpr = style.find(_w("rPr"))
                if style_rpr is not None:
                    yield style_rpr
            if self.defaults_rpr is not None:
                yield self.defaults_rpr

    def run_flag(self, r, p, tag: str, *, paragraph_style: bool = False) -> bool:
        for rpr in self.rpr_chain(r, p, paragraph_style=paragraph_style):
            value = _on(rpr.find(_w(tag)))
            if value is not None:
                return value
        return False

    def run_font(self, r, p) -> str | None:
        """The font a run is drawn in (hAnsi: the font of the characters above ASCII, where the
        Vietnamese letters of legacy fonts are; else ascii)."""
        for rpr in self.rpr_chain(r, p):
            fonts = rpr.find(_w("rFonts"))
            if fonts is None:
                continue
            for attribute in ("hAnsi", "ascii"):
                value = fonts.get(_w(attribute))
                if value:
                    return value
        return None

    def heading_level(self, p) -> tuple[int, bool]:
        """(heading level 1–9 or 0, is the Title style) of a paragraph."""
        for style in self.chain(self.paragraph_style(p)):
            name = self.name(style.get(_w("styleId"))).lower()
            if name == "title":
                return 0, True
            match = re.fullmatch(r"heading (\d)", name)
            if match:
                return int(match.group(1)), False
        for ppr in self.ppr_chain(p):
            outline = ppr.find(_w("outlineLvl"))
            if outline is not None:
                try:
                    level = int(outline.get(_w("val"), "9"))
                except ValueError:
                    break
                return (level + 1, False) if 0 <= level < 9 else (0, False)
        return 0, False

    def is_caption(self, p) -> bool:
        return any((self.name(s.get(_w("styleId"))) or "").lower() == "caption"
                   for s in self.chain(self.paragraph_style(p)))

    def alignment(self, p) -> str:
        for ppr in self.ppr_chain(p):
            jc = ppr.find(_w("jc"))
            if jc is not None:
                return jc.get(_w("val")) or ""
        return ""

    def numbering(self, p) -> tuple[str, int] | None:
        """(numId, ilvl) of a numbered or bulleted paragraph, direct or from its style."""
        num_id = ilvl = None
        for ppr in self.ppr_chain(p):
            numpr = ppr.find(_w("numPr"))
            if numpr is None:
                continue
            if ilvl is None and numpr.find(_w("ilvl")) is not None:
                ilvl = numpr.find(_w("ilvl")).get(_w("val"))
            if num_id is None and numpr.find(_w("numId")) is not None:
                num_id = numpr.find(_w("numId")).get(_w("val"))
            if num_id is not None:
                break
        if not num_id or num_id == "0":
            return None
        try:
            level = int(ilvl or 0)
        except ValueError:
            level = 0
        return num_id, max(0, min(level, 8))


# --- Numbering ------------------------------------------------------------------------------------
_DECIMAL_FORMATS = {"decimal", "decimalZero", "decimalEnclosedFullstop", "decimalEnclosedParen",
                    "decimalFullWidth", "decimalHalfWidth", "ordinal", "cardinalText", "ordinalText"}


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


class Numbering:
    """Word's numbering definitions (numbering.xml): what each (numId, level) shows, and the
    counters a document's list paragraphs advance, as Word numbers them."""

    def __init__(self, numbering_element, styles: Styles):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_links: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.styles = styles
        self.counters: dict[str, list[int | None]] = {}
        if numbering_element is None:
            return
        for abstract in numbering_element.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.findall(_w("lvl")):
                levels[int(lvl.get(_w("ilvl"), "0"))] = self._level(lvl)
            abstract_id = abstract.get(_w("abstractNumId"))
            self.abstract[abstract_id] = levels
            link = abstract.find(_w("numStyleLink"))
            if link is not None and not levels:
                self.abstract_links[abstract_id] = link.get(_w("val"))
        for num in numbering_element.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            overrides: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in num.findall(_w("lvlOverride")):
                level = int(override.get(_w("ilvl"), "0"))
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    overrides[level] = self._level(lvl)
                start = override.find(_w("startOverride"))
                if start is not None:
                    starts[level] = _int(start.get(_w("val")), 1)
            self.nums[num.get(_w("numId"))] = (ref.get(_w("val")) if ref is not None else "", overrides, starts)

    @staticmethod
    def _level(lvl) -> _Level:
        fmt = lvl.find(_w("numFmt"))
        text = lvl.find(_w("lvlText"))
        start = lvl.find(_w("start"))
        return _Level(
            fmt=(fmt.get(_w("val")) if fmt is not None else "decimal") or "decimal",
            text=(text.get(_w("val")) if text is not None else "") or "",
            start=_int(start.get(_w("val")) if start is not None else None, 1),
        )

    def level(self, num_id: str, ilvl: int, _depth: int = 0) -> _Level:
        abstract_id, overrides, starts = self.nums.get(num_id, ("", {}, {}))
        if ilvl in overrides:
            return overrides[ilvl]
        levels = self.abstract.get(abstract_id, {})
        if not levels and abstract_id in self.abstract_links and _depth < 3:
            style = self.styles.by_id.get(self.abstract_links[abstract_id])
            numpr = style.find(f"{_w('pPr')}/{_w('numPr')}") if style is not None else None
            linked = numpr.find(_w("numId")) if numpr is not None else None
            if linked is not None:
                return self.level(linked.get(_w("val")), ilvl, _depth + 1)
        level = levels.get(ilvl, _Level(fmt="bullet" if not levels else "decimal"))
        if ilvl in starts:
            level = _Level(level.fmt, level.text, starts[ilvl])
        return level

    def advance(self, num_id: str, ilvl: int) -> ListInfo:
        """The list item a paragraph with (numId, ilvl) is, advancing Word's counters."""
        counters = self.counters.setdefault(num_id, [None] * 9)
        level = self.level(num_id, ilvl)
        counters[ilvl] = (level.start if counters[ilvl] is None else counters[ilvl] + 1)
        for deeper in range(ilvl + 1, 9):  # a higher-level item restarts the levels under it
            counters[deeper] = None
        if level.fmt == "bullet":
            return ListInfo(num_id, ilvl, "bullet")
        if level.fmt == "none" or not level.text:
            return ListInfo(num_id, ilvl, "label", label="")
        referenced = [int(n) - 1 for n in re.findall(r"%(\d)", level.text)]
        label = re.sub(r"%(\d)", lambda m: self._format(num_id, int(m.group(1)) - 1, counters), level.text)
        simple = (level.fmt in _DECIMAL_FORMATS and referenced == [ilvl]
                  and re.fullmatch(r"%\d[.)]?", level.text) is not None)
        if simple:
            return ListInfo(num_id, ilvl, "number", number=counters[ilvl] or 1)
        return ListInfo(num_id, ilvl, "label", label=label.strip(), number=counters[ilvl] or 1)

    def _format(self, num_id: str, ilvl: int, counters: list[int | None]) -> str:
        if not 0 <= ilvl < 9:
            return ""
        value = counters[ilvl]
        level = self.level(num_id, ilvl)
        if value is None:
            value = level.start
        return format_number(value, level.fmt)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        n = max(1, value)
        letters = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)  # past z Word writes aa, bb…
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    if value <= 0 or value >= 4000:
        return str(value)
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out


# --- Text clean-up -------------------------------------------------------------------------------
# Non-breaking and other fixed-width spaces become spaces; zero-width characters, soft hyphens,
# BOMs and direction marks disappear.
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u180e\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUPERSCRIPT = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def clean_text(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text)


_IMAGE_TYPES = {"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/pjpeg": ".jpg", "image/png": ".png",
                "image/gif": ".gif", "image/webp": ".webp"}
_OTHER_TYPES = {"image/x-emf": "EMF", "image/emf": "EMF", "image/x-wmf": "WMF", "image/wmf": "WMF",
                "image/bmp": "BMP", "image/tiff": "TIFF", "image/svg+xml": "SVG", "image/x-pict": "PICT"}
# Alt text Word writes by itself ("… Description automatically generated", Vietnamese Office:
# "Mô tả được tạo tự động"), or a camera's file name: not a description a person wrote.
_AUTO_ALT = re.compile(r"(\s*(description automatically generated|mô tả được tạo tự động|"
                       r"mô tả được tạo tự động với độ tin cậy \w+)\.?\s*)$", re.I)
_FILE_NAME_ALT = re.compile(r"^(?:[\w\- ()]+\.(?:jpe?g|png|gif|bmp|tiff?|webp|heic|emf|wmf)|"
                            r"(?:picture|image|hình|ảnh|pic|img)[\s_-]*\d*)$", re.I)
_URL_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:\\[a-z]\s+(?:"[^"]*"\s+)?)*"([^"]+)"', re.I)


# --- Reading ---------------------------------------------------------------------------------------
class DataReader:
    def __init__(self, document, source: Path):
        self.document = document
        self.source = source
        part = document.part
        self.part = part
        self.styles = Styles(part.styles.element if _has_styles(part) else None)
        numbering = None
        try:
            numbering = part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            numbering = None
        self.numbering = Numbering(numbering, self.styles)
        self.images: list[WordImage] = []
        self._image_by_part: dict[str, int] = {}
        self.notices: list[str] = []
        self.legacy_runs: dict[str, int] = {}
        self.suspect_legacy: list[str] = []
        self.deferred: list[Block] = []  # text boxes met inside a paragraph, read after it
        self.unsupported: dict[str, int] = {}

    # -- body
    def blocks(self) -> list[Block]:
        body = self.document.element.body
        return list(self._container(body))

    def _container(self, element):
        for child in element:
            name = _local(child)
            if _ns(child) == W and name == "p":
                block = self._paragraph(child)
                if block is not None:
                    yield block
                deferred, self.deferred = self.deferred, []
                yield from deferred
            elif _ns(child) == W and name == "tbl":
                yield self._table(child)
            elif _ns(child) == W and name in ("sdt", "customXml", "ins", "moveTo"):
                content = child.find(_w("sdtContent")) if name == "sdt" else child
                if content is not None:
                    yield from self._container(content)
            elif _ns(child) == MC and name == "AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    yield from self._container(choice)

    def _paragraph(self, p) -> Block | None:
        inlines = self._inlines(p, p)
        heading, title_style = self.styles.heading_level(p)
        numbering = self.styles.numbering(p)
        block = Block(
            kind="heading" if heading else "paragraph",
            inlines=_merge(inlines),
            heading=heading,
            caption_style=self.styles.is_caption(p),
            centered=self.styles.alignment(p) == "center",
            title_style=title_style,
        )
        text_inlines = [i for i in block.inlines if i.image is None and i.text.strip()]
        block.bold = bool(text_inlines) and all(i.bold for i in text_inlines)
        if not block.text and not block.images:
            return None  # an empty paragraph (spacing typed with Enter)
        if numbering is not None and not heading and block.text:
            block.listing = self.numbering.advance(*numbering)
        return block

    def _inlines(self, container, p, href: str | None = None) -> list[Inline]:
        """The text and images of a paragraph (or of a hyperlink / content control inside it),
        in order, with complex fields (HYPERLINK, PAGE…) shown as Word shows them."""
        out: list[Inline] = []
        fields: list[dict] = []  # open complex fields: instruction text, state
        for child in container:
            ns, name = _ns(child), _local(child)
            if ns == W and name == "r":
                field_href = next((f["href"] for f in reversed(fields) if f.get("href")), None)
                in_instruction = any(f["state"] == "instruction" for f in fields)
                for kind, value in self._run_parts(child, p):
                    if kind == "fld":
                        if value == "begin":
                            fields.append({"state": "instruction", "instr": "", "href": None})
                        elif value == "separate" and fields:
                            field = fields[-1]
                            field["state"] = "result"
                            match = _HYPERLINK_FIELD.match(field["instr"])
                            if match:
                                field["href"] = match.group(1)
                        elif value == "end" and fields:
                            fields.pop()
                        field_href = next((f["href"] for f in reversed(fields) if f.get("href")), None)
                        in_instruction = any(f["state"] == "instruction" for f in fields)
                    elif kind == "instr":
                        if fields:
                            fields[-1]["instr"] += value
                    elif in_instruction:
                        continue
                    else:
                        inline = value
                        inline.href = inline.href or href or field_href
                        out.append(inline)
            elif ns == W and name == "hyperlink":
                target = None
                rel_id = child.get(f"{{{R}}}id")
                if rel_id and rel_id in self.part.rels:
                    rel = self.part.rels[rel_id]
                    target = rel.target_ref if rel.is_external else None
                out.extend(self._inlines(child, p, href=target or href))
            elif ns == W and name == "fldSimple":
                match = _HYPERLINK_FIELD.match(child.get(_w("instr")) or "")
                out.extend(self._inlines(child, p, href=match.group(1) if match else href))
            elif ns == W and name in ("smartTag", "customXml", "ins", "moveTo", "bdo", "dir"):
                out.extend(self._inlines(child, p, href=href))
            elif ns == W and name == "sdt":
                content = child.find(_w("sdtContent"))
                if content is not None:
                    out.extend(self._inlines(content, p, href=href))
            elif ns == MC and name == "AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    out.extend(self._inlines(choice, p, href=href))
            # w:del, w:moveFrom (deleted text), w:commentRangeStart, w:bookmarkStart…: nothing shown
        return out

    def _run_parts(self, r, p):
        """("text", Inline) / ("fld", begin|separate|end) / ("instr", text) for the content of a run."""
        bold = self.styles.run_flag(r, p, "b")
        italic = self.styles.run_flag(r, p, "i")
        font = self.styles.run_font(r, p)
        encoding = encoding_for_font(font)
        vert = None
        rpr = r.find(_w("rPr"))
        if rpr is not None and rpr.find(_w("vertAlign")) is not None:
            vert = rpr.find(_w("vertAlign")).get(_w("val"))
        hidden = self.styles.run_flag(r, p, "vanish")
        text_parts: list[str] = []

        def flush():
            if not text_parts:
                return None
            raw = "".join(text_parts)
            text_parts.clear()
            if encoding is not None:
                converted = convert_legacy(raw, encoding)
                if converted != raw:
                    label = f"{font} ({ENCODING_NAMES[encoding]})"
                    self.legacy_runs[label] = self.legacy_runs.get(label, 0) + 1
                raw = converted
            raw = nfc(clean_text(raw))
            if vert == "superscript" and raw.strip().isdigit():
                raw = raw.translate(_SUPERSCRIPT)
            elif vert == "subscript" and raw.strip().isdigit():
                raw = raw.translate(_SUBSCRIPT)
            return ("text", Inline(raw, bold=bold, italic=italic))

        for child in r:
            ns, name = _ns(child), _local(child)
            if ns != W and not (ns == MC and name == "AlternateContent"):
                continue
            if name == "t":
                if not hidden:
                    text_parts.append(child.text or "")
            elif name == "tab" or name == "ptab":
                text_parts.append(" ")
            elif name in ("br", "cr"):
                if child.get(_w("type")) not in ("page", "column"):
                    text_parts.append(" ")  # a manual line break inside a paragraph: a space
            elif name == "noBreakHyphen":
                text_parts.append("-")
            elif name == "softHyphen":
                continue
            elif name == "fldChar":
                part = flush()
                if part:
                    yield part
                yield ("fld", child.get(_w("fldCharType")))
            elif name == "instrText":
                part = flush()
                if part:
                    yield part
                yield ("instr", child.text or "")
            elif name in ("drawing", "pict", "object") or name == "AlternateContent":
                part = flush()
                if part:
                    yield part
                for index in self._graphics(child):
                    yield ("text", Inline(image=index))
            elif name in ("footnoteReference", "endnoteReference"):
                self.unsupported["chú thích cuối trang (footnote)"] = self.unsupported.get(
                    "chú thích cuối trang (footnote)", 0) + 1
            elif name == "sym":
                continue  # a Symbol/Wingdings glyph: decoration, nothing to read
        part = flush()
        if part:
            yield part

    # -- images, charts, text boxes
    def _graphics(self, element) -> list[int]:
        """Images of a drawing (DrawingML or VML), in order; text boxes are read as blocks
        after the paragraph; charts and SmartArt are reported."""
        if _ns(element) == MC and _local(element) == "AlternateContent":
            choice = element.find(f"{{{MC}}}Choice")
            return self._graphics(choice) if choice is not None else []
        found: list[int] = []
        for box in element.iter(_w("txbxContent")):
            # Read with a deferred list of its own: the box's paragraphs may hold boxes too.
            outer, self.deferred = self.deferred, []
            inner = list(self._container(box))
            self.deferred = outer + inner
        for graphic_data in element.iter(f"{{{A}}}graphicData"):
            uri = graphic_data.get("uri") or ""
            if uri.endswith("/chart"):
                self.unsupported["biểu đồ (chart)"] = self.unsupported.get("biểu đồ (chart)", 0) + 1
            elif uri.endswith("/diagram"):
                self.unsupported["sơ đồ SmartArt"] = self.unsupported.get("sơ đồ SmartArt", 0) + 1
        for inline in list(element.iter(f"{{{WP}}}inline")) + list(element.iter(f"{{{WP}}}anchor")):
            doc_pr = inline.find(f"{{{WP}}}docPr")
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
            for blip in inline.iter(f"{{{A}}}blip"):
                index = self._image(blip.get(f"{{{R}}}embed"), blip.get(f"{{{R}}}link"), alt)
                if index is not None:
                    found.append(index)
        for shape in element.iter(f"{{{V}}}shape"):
            alt = shape.get("alt") or ""
            for data in shape.iter(f"{{{V}}}imagedata"):
                index = self._image(data.get(f"{{{R}}}id"), None, alt or data.get(f"{{{O}}}title") or "")
                if index is not None:
                    found.append(index)
        return found

    def _image(self, rel_id: str | None, link: str | None, alt: str) -> int | None:
        if not rel_id:
            if link:
                self.notices.append("có ảnh chỉ liên kết tới tệp bên ngoài (không nằm trong tệp Word): "
                                    "chưa chép được; chèn ảnh vào tài liệu (Chèn → Ảnh) hoặc chép ảnh vào thư mục ảnh của bài")
            return None
        rel = self.part.rels.get(rel_id)
        if rel is None or rel.is_external:
            return None
        image_part = rel.target_part
        key = str(image_part.partname)
        if key in self._image_by_part:
            return self._image_by_part[key]
        content_type = (image_part.content_type or "").lower()
        extension = _IMAGE_TYPES.get(content_type)
        number = len(self.images) + 1
        alt = nfc(clean_text(alt)).strip()
        note = ""
        if alt and _AUTO_ALT.search(alt):
            alt, note = "", "mô tả do Word tự tạo"
        elif alt and _FILE_NAME_ALT.match(alt):
            alt, note = "", f"mô tả chỉ là tên tệp “{alt}”"
        alt = re.sub(r"\s+", " ", alt)
        image = WordImage(
            name=f"anh{number}{extension or '.' + _OTHER_TYPES.get(content_type, 'bin').lower()}",
            data=image_part.blob,
            content_type=content_type,
            alt=alt,
            alt_note=note,
            usable=extension is not None,
        )
        self.images.append(image)
        self._image_by_part[key] = len(self.images) - 1
        return len(self.images) - 1

    # -- tables
    def _table(self, tbl) -> Block:
        rows: list[list[list[Inline]]] = []
        merged = False
        for tr in tbl.findall(_w("tr")):
            row: list[list[Inline]] = []
            trpr = tr.find(_w("trPr"))
            before = trpr.find(_w("gridBefore")) if trpr is not None else None
            row.extend([[] for _ in range(_int(before.get(_w("val")) if before is not None else 0, 0))])
            for tc in _cells(tr):
                tcpr = tc.find(_w("tcPr"))
                span = 1
                continued = False
                if tcpr is not None:
                    grid_span = tcpr.find(_w("gridSpan"))
                    span = max(1, _int(grid_span.get(_w("val")) if grid_span is not None else 1, 1))
                    vmerge = tcpr.find(_w("vMerge"))
                    continued = vmerge is not None and (vmerge.get(_w("val")) or "continue") == "continue"
                    merged |= span > 1 or vmerge is not None
                cell = self._cell(tc)
                # A merged cell's text is in its first (top-left) cell; a continuation keeps any
                # text of its own, so nothing Word holds is lost.
                row.append(cell if (not continued or _has_text(cell)) else [])
                row.extend([[] for _ in range(span - 1)])
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            row.extend([[] for _ in range(width - len(row))])
        if merged:
            self.notices.append("bảng có ô gộp: Markdown không gộp được ô, chữ của ô gộp nằm ở ô đầu tiên, "
                                "các ô còn lại để trống; xem lại bảng trong bản xem thử")
        return Block(kind="table", rows=rows)

    def _cell(self, tc) -> list[Inline]:
        out: list[Inline] = []
        for block in self._container(tc):
            if block.kind == "table":  # a table inside a cell: its text, row by row
                for row in block.rows:
                    for cell in row:
                        if _has_text(cell) or any(i.image is not None for i in cell):
                            if out:
                                out.append(Inline(line_break=True))
                            out.extend(cell)
                continue
            if out:
                out.append(Inline(line_break=True))
            if block.listing is not None:
                prefix = "- " if block.listing.kind == "bullet" else (
                    f"{block.listing.number}. " if block.listing.kind == "number" else
                    (block.listing.label + " " if block.listing.label else ""))
                out.append(Inline(prefix))
            out.extend(block.inlines)
        return _merge(out)

    # -- the whole document
    def finish(self, blocks: list[Block]) -> None:
        for label, count in sorted(self.legacy_runs.items()):
            self.notices.append(f"đã chuyển {count} đoạn chữ phông {label} sang Unicode; đọc lại các đoạn này")
        for what, count in sorted(self.unsupported.items()):
            self.notices.append(f"có {count} {what}: chưa chuyển được sang bài viết; "
                                "nếu cần, chụp thành ảnh hoặc gõ lại nội dung trong bài")
        for block in blocks:
            text = block.text if block.kind != "table" else " ".join(
                i.text for row in block.rows for cell in row for i in cell)
            if text and legacy_encoding_words(text):
                self.suspect_legacy.append(text[:60])
        if self.suspect_legacy:
            self.notices.append(
                f"{len(self.suspect_legacy)} đoạn có chữ trông như bảng mã cũ (TCVN3/VNI) nhưng phông chữ khai báo là "
                f"Unicode, nên không tự chuyển được, ví dụ: “{self.suspect_legacy[0]}”; "
                "chuyển mã bằng Unikey (Công cụ chuyển mã) trong Word rồi nhập lại")


def _has_styles(part) -> bool:
    try:
        part.styles  # noqa: B018 - python-docx creates a default styles part when missing
        return True
    except (KeyError, NotImplementedError):
        return False


def _cells(tr):
    for child in tr:
        if _ns(child) == W and _local(child) == "tc":
            yield child
        elif _ns(child) == W and _local(child) in ("sdt", "customXml"):
            content = child.find(_w("sdtContent")) if _local(child) == "sdt" else child
            if content is not None:
                yield from _cells(content)


def _has_text(inlines: list[Inline]) -> bool:
    return any(i.text.strip() for i in inlines if i.image is None)


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Adjacent pieces with the same formatting and link joined (Word splits runs for spelling
    marks and revision ids); spaces collapsed."""
    out: list[Inline] = []
    for inline in inlines:
        if inline.image is None and not inline.line_break and not inline.text:
            continue
        last = out[-1] if out else None
        if (last is not None and inline.image is None and last.image is None and not inline.line_break
                and not last.line_break and (last.bold, last.italic, last.href) == (inline.bold, inline.italic, inline.href)):
            last.text += inline.text
        else:
            out.append(Inline(inline.text, inline.bold, inline.italic, inline.href, inline.image, inline.line_break))
    for inline in out:
        inline.text = re.sub(r" {2,}", " ", inline.text)
    return out


# A .docx is a zip: its parts are limited before anything is unpacked (a 2 MB file can
# unpack to gigabytes).  Real news documents with photos stay far below.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_XML_PART = 60 * 1024 * 1024


def _check_sizes(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx reports it in its own words below
    total = sum(info.file_size for info in infos)
    biggest_xml = max((info.file_size for info in infos if info.filename.endswith(".xml")), default=0)
    if total > MAX_UNPACKED or biggest_xml > MAX_XML_PART:
        raise WordError(f"{shown} quá lớn khi giải nén ({total / 1024 / 1024:.0f} MB; tối đa "
                        f"{MAX_UNPACKED // 1024 // 1024} MB, phần văn bản tối đa {MAX_XML_PART // 1024 // 1024} MB)",
                        "tách tài liệu thành nhiều bài, hoặc giảm cỡ ảnh trong Word (Nén ảnh) rồi lưu lại")


def read_docx(path: Path) -> WordDocument:
    """Read a .docx file; WordError (Vietnamese) when it cannot be read."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    shown = path.name
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise WordError(f"không tìm thấy tệp {shown}", "kiểm tra tên và thư mục của tệp (gõ đường dẫn trong ngoặc kép nếu có khoảng trắng)") from None
    except OSError as exc:
        raise WordError(f"không đọc được tệp {shown} ({exc.strerror})", "kiểm tra quyền đọc tệp") from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WordError(f"{shown} là tệp Word cũ (.doc) hoặc tệp .docx có mật khẩu",
                        "mở tệp bằng Word, bỏ mật khẩu nếu có, rồi Lưu thành (Save As) định dạng .docx")
    if not head.startswith(b"PK"):
        raise WordError(f"{shown} không phải tệp Word .docx",
                        "mở tệp bằng Word rồi Lưu thành (Save As) định dạng Tài liệu Word (.docx)")
    _check_sizes(path, shown)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise WordError(f"{shown} không mở được như tài liệu Word ({type(exc).__name__})",
                        "mở tệp bằng Word rồi Lưu thành (Save As) định dạng Tài liệu Word (.docx); "
                        "nếu là tệp .docm hoặc mẫu .dotx, cũng lưu thành .docx") from None
    except Exception as exc:  # lxml: a damaged document part
        raise WordError(f"{shown} bị hỏng, không đọc được ({type(exc).__name__})",
                        "mở tệp bằng Word (Word sẽ đề nghị sửa), lưu lại thành .docx rồi thử lại") from None
    reader = DataReader(document, path)
    blocks = reader.blocks()
    reader.finish(blocks)
    title = nfc(clean_text(document.core_properties.title or "")).strip()
    if title and (legacy_encoding_words(title) or fold(title).startswith("microsoft word")):
        title = ""
    return WordDocument(source=path, blocks=blocks, images=reader.images, title_property=title,
                        notices=reader.notices, legacy_runs=dict(reader.legacy_runs))
