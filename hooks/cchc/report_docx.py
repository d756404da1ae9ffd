"""`cchc report --format docx`: the section "Kết quả công tác thông tin, tuyên truyền CCHC" as
departments paste it into their quarterly, 6-month and yearly CCHC reports.

Body: a heading, the period, then prose generated from the numbers (cchc.report_prose) with
placeholders for what the site cannot know, bracketed, bold and highlighted so that none is sent
by mistake.  Appendix (new page): the tables (topics, units, forms with events and participants,
articles), each table's grid carrying its column widths (LibreOffice and Google Docs read the grid,
Word the cell widths).

Layout per Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức, kỹ thuật trình bày văn bản hành chính):
A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 20 mm (ranges 20–25, 20–25, 30–35,
15–20); Times New Roman, body 14 pt (13–14), tables 13 pt; paragraphs justified with a 1 cm first-line
indent, at least 6 pt between paragraphs, single line spacing; the page number in Arabic digits,
centred at the top of the page, not shown on the first page.
"""

from __future__ import annotations

import io
import re

from .report import (ARTICLE_HEAD, CATEGORY_HEAD, FORM_HEAD, UNIT_HEAD, Report)
from .report_prose import Placeholder
from .dates import to_vn

FONT = "Times New Roman"
BODY_SIZE = 14
TABLE_SIZE = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 20}
HEADING = "KẾT QUẢ CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH"
APPENDIX = "PHỤ LỤC"
APPENDIX_TITLES = (
    "1. Kết quả theo nội dung tuyên truyền (mục II của Kế hoạch)",
    "2. Kết quả theo cơ quan, đơn vị",
    "3. Kết quả theo hình thức tuyên truyền",
    "4. Danh sách tin, bài đã đăng trong kỳ",
)
# Column widths in cm: each table is the 16 cm between the margins (21 − 3 − 2).
WIDTHS = {
    "categories": [1.2, 1.8, 11.0, 2.0],
    "units": [1.2, 7.3, 5.5, 2.0],
    "forms": [1.2, 8.2, 2.0, 2.2, 2.4],
    "articles": [1.1, 2.4, 5.8, 3.0, 3.7],
}


def _fonts(r_pr) -> None:
    from docx.oxml.ns import qn

    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _run(paragraph, text: str, *, size: int | None = None, bold: bool | None = None, italic: bool | None = None,
         highlight: bool = False):
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = FONT
    _fonts(run._element.get_or_add_rPr())
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A real, clickable link (python-docx has no API for it)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if not re.match(r"^https?://", url):
        _run(paragraph, text, size=TABLE_SIZE)
        return
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    _fonts(r_pr)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0000FF")
    r_pr.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    r_pr.append(underline)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(Pt(TABLE_SIZE).pt * 2)))
    r_pr.append(size)
    run.append(r_pr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _setup(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    for style_name, size in (("Normal", BODY_SIZE), ("Table Grid", TABLE_SIZE)):
        style = document.styles[style_name]
        style.font.name = FONT
        style.font.size = Pt(size)
        r_pr = style.element.get_or_add_rPr()
        _fonts(r_pr)
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = r_pr.makeelement(qn("w:lang"), {})
            r_pr.append(lang)
        lang.set(qn("w:val"), "vi-VN")
    normal = document.styles["Normal"].paragraph_format
    normal.space_before = Pt(0)
    normal.space_after = Pt(6)
    normal.line_spacing = 1.0
    _page_numbers(section)


def _page_numbers(section) -> None:
    """The page number centred at the top (a PAGE field Word and LibreOffice fill in), none on the
    first page: the first page has a header of its own, left empty."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = _run(paragraph, "2", size=BODY_SIZE, bold=False, italic=False)  # shown until the field is updated
    field.append(run._r)
    paragraph._p.append(field)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""
    section.footer.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False


def _paragraph(document, pieces=(), *, bold: bool = False, italic: bool = False, center: bool = False,
               indent: bool = True, size: int = BODY_SIZE, keep_with_next: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1) if indent and not center else Cm(0)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    for piece in ([pieces] if isinstance(pieces, (str, Placeholder)) else pieces):
        if isinstance(piece, Placeholder):
            _run(paragraph, str(piece), size=size, bold=True, italic=True, highlight=True)
        elif piece:
            _run(paragraph, piece, size=size, bold=bold, italic=italic)
    return paragraph


def _table(document, head: list[str], rows: list[list[str]], widths_cm: list[float], numeric: set[int],
           link_column: int | None = None):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(head))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False

    def fill(cell, text: str, *, bold: bool = False, align=None, link: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = Cm(0)
        if align is not None:
            paragraph.alignment = align
        if link:
            _hyperlink(paragraph, text, text)
        else:
            _run(paragraph, text, size=TABLE_SIZE, bold=bold)

    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on each page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for i, text in enumerate(head):
        fill(header.cells[i], text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.CENTER if i in numeric else WD_ALIGN_PARAGRAPH.LEFT
            fill(cells[i], text, align=align, link=(i == link_column))
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
    for row in table.rows:
        for i, width in enumerate(widths_cm):
            row.cells[i].width = Cm(width)
    return table


def to_docx(report: Report) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    _setup(document)
    props = document.core_properties
    props.title = f"Kết quả công tác thông tin, tuyên truyền CCHC – {report.label}"
    props.subject = report.plan.title
    props.language = "vi-VN"
    props.author = report.owner or report.plan.issuer
    fixed = to_vn(report.count.now).replace(tzinfo=None)
    props.created = props.modified = fixed
    props.last_modified_by = report.owner or report.plan.issuer
    props.revision = 1

    _paragraph(document, HEADING, bold=True, center=True, keep_with_next=True)
    _paragraph(document, report.period_line, italic=True, center=True)
    if report.as_of_note:
        _paragraph(document, report.as_of_note, italic=True, center=True)
    for pieces in report.paragraphs():
        _paragraph(document, pieces)

    # The appendix starts on a page of its own.
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, APPENDIX, bold=True, center=True, keep_with_next=True)
    _paragraph(document, f"Số liệu chi tiết của trang tin cải cách hành chính {report.period_line}",
               italic=True, center=True, keep_with_next=True)

    _paragraph(document, APPENDIX_TITLES[0], bold=True, keep_with_next=True)
    _table(document, CATEGORY_HEAD, report.category_rows(), WIDTHS["categories"], {0, 1, 3})
    _paragraph(document, "Một tin thuộc nhiều nội dung được tính cho mỗi nội dung.", italic=True, size=TABLE_SIZE)

    _paragraph(document, APPENDIX_TITLES[1], bold=True, keep_with_next=True)
    _table(document, UNIT_HEAD, report.unit_rows(), WIDTHS["units"], {0, 3})
    _paragraph(document, "Chỉ tính cơ quan, đơn vị hoạt động trong kỳ (theo danh sách đơn vị của trang).",
               italic=True, size=TABLE_SIZE)

    _paragraph(document, APPENDIX_TITLES[2], bold=True, keep_with_next=True)
    _table(document, FORM_HEAD, report.form_rows(), WIDTHS["forms"], {0, 2, 3, 4})
    _paragraph(document, "Sự kiện (hội nghị, lớp tập huấn, buổi đối thoại) tính theo ngày tổ chức ghi trong tin, bài "
               "đưa tin sự kiện.", italic=True, size=TABLE_SIZE)

    _paragraph(document, APPENDIX_TITLES[3], bold=True, keep_with_next=True)
    rows = report.article_rows()
    if rows:
        _table(document, ARTICLE_HEAD, rows, WIDTHS["articles"], {0, 1}, link_column=4)
    else:
        _paragraph(document, "Không có tin, bài nào trong kỳ.")
    _paragraph(document, report.source_line, italic=True, size=TABLE_SIZE)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
