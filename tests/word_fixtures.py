"""Word documents made by the tests with python-docx, as an officer's documents look.

`sample_news(path)` writes the news item most tests import: a date line, a title typed in a
TCVN3 font, headings (one of them in the capitals-only .VnTimeH font), a paragraph mixing
Unicode and VNI runs, Word's real bulleted and numbered lists with nesting (numbering
definitions, not typed "-"), a table with merged cells, three photos (with a description,
without one, with Word's automatic one), two captions, a hyperlink and Word clutter.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from cchc.legacy_encodings import TCVN3, TCVN3_CAPITALS, VNI, VPS, encode

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def png_bytes(width: int = 320, height: int = 200, tint: tuple[int, int, int] = (40, 110, 170)) -> bytes:
    """A real PNG (a coloured gradient), written without an imaging library."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes((min(255, tint[0] + x * 80 // width), min(255, tint[1] + y * 60 // height), tint[2]))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


def add_numbering(document, levels: list[tuple[str, str]]) -> str:
    """A numbering definition (abstractNum + num) with the given (numFmt, lvlText) per level; its numId."""
    numbering = document.part.numbering_part.element
    existing = [int(e.get(qn("w:abstractNumId"))) for e in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(existing, default=0) + 1
    nums = [int(e.get(qn("w:numId"))) for e in numbering.findall(qn("w:num"))]
    num_id = max(nums, default=0) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="hybridMultilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # the schema wants every abstractNum before the nums
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return str(num_id)


def list_item(document, text: str, num_id: str, level: int = 0):
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def legacy_run(paragraph, text: str, font: str, encoding: str, *, bold: bool = False):
    """A run typed in a legacy font: the bytes the font needs, the font named on the run."""
    run = paragraph.add_run(encode(text, encoding))
    run.font.name = font
    run.bold = bold or None
    return run


def add_hyperlink(paragraph, url: str, text: str):
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)
    return link


def picture(document, data: bytes, *, descr: str | None = None, title: str | None = None, width_cm: float = 12):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(data), width=Cm(width_cm))
    doc_pr = run._r.xpath(".//wp:docPr")[0]
    if descr is not None:
        doc_pr.set("descr", descr)
    if title is not None:
        doc_pr.set("title", title)
    return paragraph


PHOTO_HALL = png_bytes(360, 220, (30, 90, 150))
PHOTO_DESK = png_bytes(300, 200, (150, 60, 40))
PHOTO_AUTO = png_bytes(240, 160, (60, 140, 60))

TITLE = "Hội nghị tổng kết công tác cải cách hành chính năm 2024"


def sample_news(path: Path, *, title_property: str | None = None) -> Path:
    document = docx.Document()
    if title_property is not None:
        document.core_properties.title = title_property

    date = document.add_paragraph("Bến Tre, ngày 15 tháng 3 năm 2025")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("")  # empty paragraphs typed for spacing

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    legacy_run(title, TITLE, ".VnTime", TCVN3, bold=True)
    document.add_paragraph("")

    lead = document.add_paragraph()
    lead.add_run("Sáng 14/3/2025, Sở Giáo dục và Đào tạo tổ chức ")
    lead.add_run("hội nghị tổng kết").bold = True
    lead.add_run("\u00a0công tác cải cách hành chính (CCHC) năm 2024 và triển khai nhiệm vụ năm 2025 trên hệ thống e\u00admail công vụ.\u200b")
    lead.add_run().add_break()  # a manual line break inside the paragraph
    lead.add_run("Dự hội nghị có lãnh đạo các phòng, đơn vị trực thuộc và ")
    lead.add_run("Phòng GD&ĐT các huyện").italic = True
    lead.add_run(".")

    mixed = document.add_paragraph()
    mixed.add_run("Theo báo cáo, ngành đã đẩy mạnh ")
    legacy_run(mixed, "cải cách hành chính", "VNI-Times", VNI)
    mixed.add_run(" gắn với chuyển đổi số, thực hiện Nghị định số 73/2023/NĐ-CP của Chính phủ; ")
    legacy_run(mixed, "tỷ lệ hồ sơ đúng hạn đạt 100%", "VPS Times", VPS)
    mixed.add_run(".")

    heading = document.add_heading(level=1)
    legacy_run(heading, "Kết quả nổi bật", ".VnTimeH", TCVN3_CAPITALS)

    bullets = add_numbering(document, [("bullet", "•"), ("bullet", "o")])
    list_item(document, "Tiếp nhận 1.250 hồ sơ trực tuyến", bullets, 0)
    list_item(document, "Hồ sơ cấp bản sao văn bằng", bullets, 1)
    list_item(document, "Hồ sơ chuyển trường", bullets, 1)
    list_item(document, "Không có hồ sơ trễ hạn", bullets, 0)

    document.add_heading("Chi tiết theo đơn vị", level=3)  # Word skips level 2: the site must not

    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    cells = [["Đơn vị", "Hồ sơ", "Ghi chú"],
             ["Văn phòng Sở", "820", "Đúng hạn"],
             ["", "310", ""],
             ["Phòng GD&ĐT", "120", ""]]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge: one unit over two rows
    table.cell(1, 2).merge(table.cell(2, 2))
    table.cell(3, 1).merge(table.cell(3, 2))  # horizontal merge

    picture(document, PHOTO_HALL, descr="Quang cảnh hội nghị tổng kết công tác CCHC")
    document.add_paragraph("Ảnh: Quang cảnh hội nghị")
    picture(document, PHOTO_DESK)  # no description
    caption = document.add_paragraph("Bộ phận một cửa tiếp nhận hồ sơ", style="Caption")
    del caption
    picture(document, PHOTO_AUTO, descr="A picture containing person. Description automatically generated")

    document.add_heading("Nhiệm vụ năm 2025", level=1)
    numbers = add_numbering(document, [("decimal", "%1."), ("lowerLetter", "%2)")])
    list_item(document, "Đẩy mạnh dịch vụ công trực tuyến toàn trình", numbers, 0)
    list_item(document, "Hướng dẫn phụ huynh nộp hồ sơ qua Cổng Dịch vụ công", numbers, 1)
    list_item(document, "Rút ngắn thời gian giải quyết", numbers, 1)
    list_item(document, "Nâng cao chỉ số hài lòng của người dân", numbers, 0)

    link = document.add_paragraph("Người dân tra cứu hồ sơ tại ")
    add_hyperlink(link, "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html", "Cổng Dịch vụ công quốc gia")
    link.add_run(".")
    document.add_paragraph("\u00a0")  # a paragraph of one non-breaking space: empty
    document.save(str(path))
    return path
