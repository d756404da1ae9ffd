"""`cchc report`: the communication results part of the periodic CCHC report (md, csv, docx).

Expected numbers are written by hand from tests/fixtures/coverage/README.md.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from support import BIN, FIXTURES, env, run_cchc

FIXTURE = FIXTURES / "coverage"
BUILD_DATE = "2025-07-01 12:00"
LATER_DATE = "2026-01-10 09:00"
SITE_URL = "https://sgddt.bentre.gov.vn/cchc/"

CATEGORY_NAMES = [
    ("II.1", "Chủ trương, chính sách CCHC"),
    ("II.2.1", "Văn bản quy phạm pháp luật"),
    ("II.2.2", "Sáng kiến, giải pháp CCHC"),
    ("II.2.3", "Thủ tục hành chính, một cửa"),
    ("II.2.4", "Kỷ luật, kỷ cương hành chính"),
    ("II.2.5", "Chỉ số CCHC, SIPAS"),
    ("II.2.6", "Cải cách chế độ công vụ"),
    ("II.2.7", "Chính quyền số, ứng dụng CNTT"),
    ("II.2.8", "Cơ sở dữ liệu"),
    ("II.2.9", "Giám sát của người dân"),
    ("II.2.10", "Biểu dương, phê phán"),
    ("II.2.11", "Hoạt động Ban Chỉ đạo CCHC"),
]
UNIT_NAMES = ["Văn phòng Sở", "Thanh tra Sở", "Phòng Tổ chức cán bộ", "Trường THPT A", "Trường THPT B",
              "Phòng GD&ĐT huyện Ba Tri"]
FORM_NAMES = ["Phương tiện thông tin đại chúng, Website của Sở", "Tập huấn, bồi dưỡng, quán triệt",
              "Họp mặt, đối thoại với người dân, doanh nghiệp"]

# Counts written by hand (category order as CATEGORY_NAMES, units as UNIT_NAMES, forms as FORM_NAMES).
Q1 = {
    "total": 3,
    "categories": [1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0],
    "units": [1, 1, 1, 0, 0, 0],
    "forms": [3, 1, 0],
    "articles": [("15/12/2024", "Tin đầu tiên của Quý I năm 2025", "Văn phòng Sở", "tin-tuc/2024/12/a01-dau-quy-1/"),
                 ("14/03/2025", "Sáng kiến ghi giờ theo UTC", "Phòng Tổ chức cán bộ", "tin-tuc/2025/03/a11-gio-utc/"),
                 ("14/03/2025", "Tin cuối cùng của Quý I", "Thanh tra Sở", "tin-tuc/2025/03/a02-cuoi-quy-1/")],
}
H1 = {
    "total": 6,
    "categories": [2, 0, 1, 3, 0, 0, 1, 1, 0, 0, 0, 1],
    "units": [1, 2, 2, 1, 0, 0],
    "forms": [4, 2, 1],
}
Q3_AT_NOW = {
    "total": 3,
    "categories": [0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0],
    "units": [3, 0, 0, 0, 0, 0],
    "forms": [3, 0, 0],
}
CUSTOM = {  # --from 2025-03-15 --to 2025-06-14
    "total": 3,
    "categories": [1, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 1],
    "units": [0, 1, 1, 1, 0, 0],
    "forms": [1, 1, 1],
    "articles": [("15/03/2025", "Tin đầu tiên sau Quý I", "Thanh tra Sở", "tin-tuc/2025/03/a03-sau-quy-1/"),
                 ("20/05/2025", "Đối thoại với phụ huynh về thủ tục hành chính", "Trường THPT A",
                  "tin-tuc/2025/05/a05-doi-thoai/"),
                 ("14/06/2025", "Tập huấn cải cách chế độ công vụ", "Phòng Tổ chức cán bộ",
                  "tin-tuc/2025/06/a06-cuoi-6-thang/")],
}
YEAR_LATER = {  # --period 2025 at 10/01/2026: a09 and a12 are published by then, a13 is in 2026's year
    "total": 11,
    "categories": [2, 0, 1, 3, 0, 0, 2, 3, 1, 1, 0, 2],
    "units": [4, 2, 2, 2, 0, 1],
    "forms": [9, 2, 1],
}


def report(*args: str, build_date: str = BUILD_DATE, cwd: Path | None = None, content: Path = FIXTURE):
    return run_cchc("--content", str(content), "report", *args, build_date=build_date, cwd=cwd)


# --- Markdown --------------------------------------------------------------------------------------
def md_tables(text: str) -> list[list[list[str]]]:
    """Markdown tables as rows of cells (header and separator rows dropped)."""
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if current is None:
                current = []
                tables.append(current)
                continue  # header
            if all(re.fullmatch(r"-+:?|:?-+", c) for c in cells):
                continue
            current.append(cells)
        else:
            current = None
    return tables


def check_md(text: str, expected: dict) -> None:
    categories, units, forms, *rest = md_tables(text)
    assert [(r[1], r[2]) for r in categories] == CATEGORY_NAMES
    assert [int(r[3]) for r in categories] == expected["categories"]
    assert [r[1] for r in units] == UNIT_NAMES
    assert [int(r[3]) for r in units] == expected["units"]
    assert [r[1] for r in forms] == FORM_NAMES
    assert [int(r[2]) for r in forms] == expected["forms"]
    assert f"- Tổng số tin, bài đã đăng: {expected['total']}." in text
    covered = sum(1 for n in expected["categories"] if n)
    assert f"có tin: {covered}/12." in text
    assert f"- Đơn vị có tin: {sum(1 for n in expected['units'] if n)}/6." in text
    assert f"- Hình thức tuyên truyền đã sử dụng: {sum(1 for n in expected['forms'] if n)}/3." in text
    if expected["total"]:
        articles = rest[0]
        assert len(articles) == expected["total"]
        if "articles" in expected:
            got = [(r[1], r[3], r[4]) for r in articles]
            assert got == [(d, u, SITE_URL + url) for d, _, u, url in expected["articles"]]
            for row, (_, title, _, url) in zip(articles, expected["articles"]):
                assert row[2] == f"[{title}]({SITE_URL + url})"


def test_md_quarter(tmp_path):
    result = report("--period", "2025-Q1")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# KẾT QUẢ CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH")
    assert "Kỳ báo cáo: Quý I năm 2025 (từ ngày 15/12/2024 đến hết ngày 14/03/2025)" in text
    assert ("Thực hiện Kế hoạch số 45/KH-SGDĐT ngày 10/01/2025 của Sở Giáo dục và Đào tạo (Kế hoạch thông tin, "
            "tuyên truyền cải cách hành chính năm 2025), trong kỳ báo cáo, trang tin cải cách hành chính đã đăng tải "
            "3 tin, bài.") in text
    assert "chưa kết thúc" not in text
    check_md(text, Q1)
    missing = {line.split(" (")[0][2:]: line for line in text.splitlines() if line.startswith("- ") and "chưa" in line}
    assert missing["Nội dung chưa có tin"].startswith("- Nội dung chưa có tin (8): II.2.1 Văn bản quy phạm pháp luật; ")
    assert missing["Đơn vị chưa có tin"] == "- Đơn vị chưa có tin (3): Trường THPT A; Trường THPT B; Phòng GD&ĐT huyện Ba Tri."
    assert missing["Hình thức chưa sử dụng"] == "- Hình thức chưa sử dụng (1): Họp mặt, đối thoại với người dân, doanh nghiệp."
    assert list(tmp_path.iterdir()) == []


def test_md_half_year_and_current_quarter():
    h1 = report("--period", "2025-H1")
    assert h1.returncode == 0, h1.stderr
    assert "Kỳ báo cáo: 6 tháng đầu năm 2025 (từ ngày 15/12/2024 đến hết ngày 14/06/2025)" in h1.stdout
    check_md(h1.stdout, H1)
    q3 = report("--period", "2025-q3")  # window ids are not case-sensitive
    assert q3.returncode == 0, q3.stderr
    assert "kỳ báo cáo chưa kết thúc, số liệu tính đến 12:00 ngày 01/07/2025" in q3.stdout
    check_md(q3.stdout, Q3_AT_NOW)


def test_md_custom_window():
    result = report("--from", "2025-03-15", "--to", "2025-06-14")
    assert result.returncode == 0, result.stderr
    assert "Kỳ báo cáo: từ ngày 15/03/2025 đến hết ngày 14/06/2025" in result.stdout
    check_md(result.stdout, CUSTOM)


def test_md_year_later():
    result = report("--period", "2025", build_date=LATER_DATE)
    assert result.returncode == 0, result.stderr
    assert "Kỳ báo cáo: Năm 2025 (từ ngày 15/12/2024 đến hết ngày 14/12/2025)" in result.stdout
    check_md(result.stdout, YEAR_LATER)
    assert "a13-nam-sau" not in result.stdout and "a04-ban-nhap" not in result.stdout


def test_md_escapes_markdown_in_titles():
    result = report("--period", "2025-Q3")
    row = next(line for line in result.stdout.splitlines() if "a08-hoc-ba-so" in line)
    assert r'Học bạ số \<em\>thí điểm\</em\> & "dịch vụ công" \| giai đoạn 1' in row
    assert "<em>" not in row


# --- CSV ---------------------------------------------------------------------------------------------
Q1_ISO_DATES = ["2024-12-15", "2025-03-14", "2025-03-14"]  # the dates of Q1["articles"], as yyyy-mm-dd


def csv_rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_quarter(tmp_path):
    out = tmp_path / "q1.csv"
    result = report("--period", "2025-Q1", "--format", "csv", "--output", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)  # CRLF only
    assert len(lines) == 1 + 1 + 12 + 6 + 3 + 3 + 1  # head, total, categories, units, forms, articles, end
    rows = csv_rows(raw)
    assert rows[0] == ["Phần", "STT", "Mục", "Mã", "Tên", "Số tin", "Ngày đăng", "Đơn vị", "Đường dẫn", "Số sự kiện",
                       "Lượt người tham dự"]
    total = [r for r in rows if r[0] == "Tổng"]
    assert len(total) == 1 and total[0][5] == "3"
    categories = [r for r in rows if r[0] == "Nội dung"]
    assert [(r[2], r[4]) for r in categories] == CATEGORY_NAMES
    assert [int(r[5]) for r in categories] == Q1["categories"]
    units = [r for r in rows if r[0] == "Đơn vị"]
    assert [r[4] for r in units] == UNIT_NAMES and [int(r[5]) for r in units] == Q1["units"]
    forms = [r for r in rows if r[0] == "Hình thức"]
    assert [r[4] for r in forms] == FORM_NAMES and [int(r[5]) for r in forms] == Q1["forms"]
    articles = [r for r in rows if r[0] == "Tin bài"]
    # ISO dates: Excel set to en-US would read 14/03/2025 as text and 03/12/2025 as 12 March
    assert [(r[6], r[4], r[7], r[8]) for r in articles] == \
        [(iso, t, u, SITE_URL + url) for iso, (_, t, u, url) in zip(Q1_ISO_DATES, Q1["articles"])]


def test_csv_of_a_window_that_has_not_started_leaves_counts_empty(tmp_path):
    """On 01/05/2025 Q3 (15/06–14/09) has not started: no count is 0 yet, every count cell is empty."""
    result = report("--period", "2025-Q3", "--format", "csv", build_date="2025-05-01 09:00")
    assert result.returncode == 0, result.stderr
    rows = csv_rows(result.stdout.encode("utf-8"))
    counted = [r for r in rows if r[0] in ("Tổng", "Nội dung", "Đơn vị", "Hình thức")]
    assert len(counted) == 1 + 12 + 6 + 3
    assert all(r[5] == "" for r in counted)
    assert not [r for r in rows if r[0] == "Tin bài"]
    # the same window once it has started: numbers, 0 included
    started = csv_rows(report("--period", "2025-Q3", "--format", "csv").stdout.encode("utf-8"))
    assert [r[5] for r in started if r[0] == "Nội dung"] == [str(n) for n in Q3_AT_NOW["categories"]]


FORMULA_TITLE = '=HYPERLINK("https://evil.example/","Bấm vào đây")'


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "news" / "2025" / "06" / "a14-cong-thuc.md").write_text(
        "---\ntitle: '" + FORMULA_TITLE + "'\nslug: a14-cong-thuc\ndate: 2025-06-20 08:00\n"
        "categories: [bieu-duong-phe-phan]\nunit: truong-thpt-b\n---\n\nNội dung.\n", encoding="utf-8")
    (content / "news" / "2025" / "06" / "a15-tru.md").write_text(
        "---\ntitle: '-1 tin: @thử +2'\nslug: a15-tru\ndate: 2025-06-21 08:00\n"
        "categories: [bieu-duong-phe-phan]\nunit: truong-thpt-b\n---\n\nNội dung.\n", encoding="utf-8")
    result = report("--period", "2025-Q3", "--format", "csv", content=content)
    assert result.returncode == 0, result.stderr
    rows = csv_rows(result.stdout.encode("utf-8"))
    titles = [r[4] for r in rows if r[0] == "Tin bài"]
    assert "'" + FORMULA_TITLE in titles and "'-1 tin: @thử +2" in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # Markdown is not opened by a spreadsheet: the title stays as written there
    md = report("--period", "2025-Q3", content=content).stdout
    assert "[=HYPERLINK(\"https://evil.example/\",\"Bấm vào đây\")]" in md


def test_csv_to_stdout_infers_nothing_and_format_from_extension(tmp_path):
    result = report("--period", "2025-Q1", "--format", "csv")
    assert result.returncode == 0
    assert result.stdout.startswith("\ufeffPhần,STT")
    out = tmp_path / "ket-qua.csv"
    result = report("--from", "2025-03-15", "--to", "2025-06-14", "--output", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [int(r[5]) for r in rows if r[0] == "Nội dung"] == CUSTOM["categories"]


# --- Word --------------------------------------------------------------------------------------------
def table_text(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


Q1_PROSE = [
    # the fixture has no mkdocs.yml of its own: the department's name is the project's (mkdocs.yml)
    "Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của Ủy ban nhân dân tỉnh về việc thông tin, tuyên truyền cải cách "
    "hành chính năm 2025, Sở Giáo dục và Đào tạo tỉnh Vĩnh Long đã ban hành Kế hoạch số 45/KH-SGDĐT ngày 10/01/2025 về "
    "thông tin, tuyên truyền cải cách hành chính năm 2025 và triển khai đến các phòng, đơn vị trong ngành.",
    "Trong kỳ báo cáo, trang tin cải cách hành chính của Sở đã đăng tải 3 tin, bài của 3/6 cơ quan, đơn vị, theo các "
    "nội dung: chủ trương, chính sách CCHC (mục II.1): 1 tin; sáng kiến, giải pháp CCHC (mục II.2.2): 1 tin; thủ tục "
    "hành chính, một cửa (mục II.2.3): 1 tin; chính quyền số, ứng dụng CNTT (mục II.2.7): 1 tin (một tin, bài có thể "
    "thuộc nhiều nội dung).",
    "Trong kỳ, trang tin chưa đưa tin hội nghị, lớp tập huấn, buổi đối thoại nào. [CẦN BỔ SUNG: hội nghị, lớp tập "
    "huấn, buổi đối thoại đã tổ chức mà chưa đưa tin (số cuộc, số lượt người tham dự)]",
]
Q1_GAPS = ("Nội dung của Kế hoạch chưa có tin, bài trong kỳ (8/12): văn bản quy phạm pháp luật (mục II.2.1); kỷ luật, kỷ "
           "cương hành chính (mục II.2.4); chỉ số CCHC, SIPAS (mục II.2.5); cải cách chế độ công vụ (mục II.2.6); cơ sở dữ "
           "liệu (mục II.2.8); giám sát của người dân (mục II.2.9); biểu dương, phê phán (mục II.2.10); hoạt động Ban Chỉ "
           "đạo CCHC (mục II.2.11). Cơ quan, đơn vị chưa có tin, bài trong kỳ: Trường THPT A; Trường THPT B; Phòng GD&ĐT "
           "huyện Ba Tri.")


def test_docx_quarter(tmp_path):
    out = tmp_path / "bao-cao.docx"
    result = report("--period", "2025-Q1", "--format", "docx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "Đã ghi báo cáo" in result.stderr
    document = docx.Document(str(out))

    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(section.top_margin - Cm(2)) < Cm(0.05) and abs(section.bottom_margin - Cm(2)) < Cm(0.05)
    assert abs(section.left_margin - Cm(3)) < Cm(0.05) and abs(section.right_margin - Cm(2)) < Cm(0.05)

    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            assert run.font.size is None or Pt(13) <= run.font.size <= Pt(14)

    title = document.paragraphs[0]
    assert title.text == "KẾT QUẢ CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH"
    assert title.alignment == 1  # centred
    assert all(run.bold for run in title.runs)
    assert document.paragraphs[1].text == "(Quý I năm 2025, từ ngày 15/12/2024 đến hết ngày 14/03/2025)"
    texts = [p.text for p in document.paragraphs]
    assert texts[2:5] == Q1_PROSE
    assert texts[8] == Q1_GAPS
    headings = [p for p in document.paragraphs if re.match(r"^\d\. ", p.text)]
    assert [p.text[:2] for p in headings] == ["1.", "2.", "3.", "4."]
    assert all(run.bold for p in headings for run in p.runs)

    tables = document.tables
    assert len(tables) == 4
    for table in tables:
        assert table.style.name == "Table Grid"
    categories, units, forms, articles = (table_text(t) for t in tables)
    assert categories[0] == ["STT", "Mục", "Nội dung", "Số tin"]
    assert [(r[1], r[2]) for r in categories[1:]] == CATEGORY_NAMES
    assert [int(r[3]) for r in categories[1:]] == Q1["categories"]
    assert units[0] == ["STT", "Đơn vị", "Nhóm", "Số tin"]
    assert [r[1] for r in units[1:]] == UNIT_NAMES and [int(r[3]) for r in units[1:]] == Q1["units"]
    assert [r[2] for r in units[1:]][-1] == "Phòng GD&ĐT các huyện, thành phố"
    assert forms[0] == ["STT", "Hình thức", "Số tin", "Số sự kiện", "Lượt người tham dự"]
    assert [r[1] for r in forms[1:]] == FORM_NAMES and [int(r[2]) for r in forms[1:]] == Q1["forms"]
    assert articles[0] == ["STT", "Ngày đăng", "Tiêu đề", "Đơn vị", "Đường dẫn"]
    assert [tuple(r[1:]) for r in articles[1:]] == [(d, t, u, SITE_URL + url) for d, t, u, url in Q1["articles"]]
    # links are real hyperlinks to the absolute article URL
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert {SITE_URL + url for *_, url in Q1["articles"]} <= targets
    # header row bold and repeated on each page
    assert all(run.bold for cell in tables[0].rows[0].cells for run in cell.paragraphs[0].runs)
    assert tables[3].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


# Column widths of the four tables in twentieths of a point (1 cm = 566.9), written by hand from the
# report's widths in cm: categories 1.2/1.8/11/2, units 1.2/7.3/5.5/2, forms 1.2/8.2/2/2.2/2.4,
# articles 1.1/2.4/5.8/3/3.7; each table is the 16 cm between the margins.
GRID_TWIPS = [[680, 1020, 6236, 1134], [680, 4139, 3118, 1134], [680, 4649, 1134, 1247, 1361],
              [624, 1361, 3288, 1701, 2098]]


def test_docx_table_grid_matches_the_column_widths(tmp_path):
    """LibreOffice and Google Docs lay a table out by its grid (w:gridCol), not by the cell widths."""
    out = tmp_path / "bao-cao.docx"
    assert report("--period", "2025-Q1", "--format", "docx", "--output", str(out)).returncode == 0
    document = docx.Document(str(out))
    grids = [[int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
             for table in document.tables]
    assert grids == GRID_TWIPS
    for table, grid in zip(document.tables, GRID_TWIPS):
        for row in table.rows:  # Word's cell widths agree with the grid
            assert [int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for cell in row.cells] == grid
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_docx_page_number_is_at_the_top_but_not_on_the_first_page(tmp_path):
    """Nghị định 30/2020/NĐ-CP: the page number is centred in the top margin and not shown on page 1."""
    out = tmp_path / "bao-cao.docx"
    assert report("--period", "2025-Q1", "--format", "docx", "--output", str(out)).returncode == 0
    section = docx.Document(str(out)).sections[0]
    header = section.header
    assert not header.is_linked_to_previous
    fields = header._element.findall(".//" + qn("w:fldSimple"))
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]
    assert header.paragraphs[0].alignment == 1  # centred
    fonts = fields[0].find(qn("w:r")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert section.different_first_page_header_footer  # w:titlePg: page 1 uses the first-page header
    assert section._sectPr.find(qn("w:titlePg")) is not None
    assert section.first_page_header._element.findall(".//" + qn("w:fldSimple")) == []
    assert section.footer._element.findall(".//" + qn("w:fldSimple")) == []


def test_docx_default_name_in_current_folder_with_relative_links(tmp_path):
    """Without --output, docx goes to bao-cao-cchc-<period>.docx here; no mkdocs.yml → site-relative links."""
    result = report("--period", "2025-H1", "--format", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "bao-cao-cchc-2025-H1.docx"
    assert out.is_file()
    document = docx.Document(str(out))
    articles = table_text(document.tables[3])
    assert len(articles) == 1 + H1["total"]
    assert articles[1][4] == "tin-tuc/2024/12/a01-dau-quy-1/"
    assert [int(r[3]) for r in table_text(document.tables[0])[1:]] == H1["categories"]
    # a second run refuses to overwrite it
    before = out.read_bytes()
    again = report("--period", "2025-H1", "--format", "docx", cwd=tmp_path)
    assert again.returncode == 1
    assert "đã có" in again.stderr and "--force" in again.stderr
    assert out.read_bytes() == before


def test_docx_custom_window(tmp_path):
    out = tmp_path / "tu-chon.docx"
    result = report("--from", "2025-03-15", "--to", "2025-06-14", "--output", str(out))
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    assert document.paragraphs[1].text == "(Từ ngày 15/03/2025 đến hết ngày 14/06/2025)"
    categories, units, forms, articles = (table_text(t) for t in document.tables)
    assert [int(r[3]) for r in categories[1:]] == CUSTOM["categories"]
    assert [int(r[3]) for r in units[1:]] == CUSTOM["units"]
    assert [int(r[2]) for r in forms[1:]] == CUSTOM["forms"]
    assert [tuple(r[1:]) for r in articles[1:]] == [(d, t, u, SITE_URL + url) for d, t, u, url in CUSTOM["articles"]]


# --- errors: clear message, nothing written ---------------------------------------------------------
@pytest.mark.parametrize("args, status, words", [
    (["--period", "2025-Q2"], 1, ["không có kỳ báo cáo “Q2”", "2025-Q1, 2025-H1, 2025-Q3, 2025"]),
    (["--period", "2024-Q1"], 1, ["không có kế hoạch năm 2024"]),
    (["--period", "quy-1"], 2, ["không đúng dạng"]),
    (["--from", "2024-12-01", "--to", "2024-12-31"], 1, ["không nằm trọn trong năm kế hoạch nào"]),
    (["--from", "2025-12-10", "--to", "2025-12-20"], 1, ["không nằm trọn trong năm kế hoạch nào"]),
    (["--from", "2025-06-14", "--to", "2025-03-15"], 2, ["trước ngày bắt đầu"]),
    (["--from", "2025-02-30", "--to", "2025-03-15"], 2, ["không phải ngày hợp lệ"]),
    (["--from", "2025-03-15"], 2, ["thiếu --to"]),
    ([], 2, ["thiếu --period"]),
    (["--period", "2025-Q1", "--from", "2025-03-15", "--to", "2025-06-14"], 2, ["không dùng cả hai"]),
    (["--period", "2025-Q1", "--format", "pdf"], 2, ["định dạng “pdf” không hỗ trợ"]),
])
def test_errors_write_nothing(tmp_path, args, status, words):
    out = tmp_path / "bao-cao.docx"
    result = report(*args, "--output", str(out), cwd=tmp_path)
    assert result.returncode == status, result.stderr
    assert result.stderr.startswith("Lỗi: ")
    for word in words:
        assert word in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("variables", "message"), [
    ({"CCHC_BUILD_DATE": "hôm-nay"}, "CCHC_BUILD_DATE “hôm-nay” không dùng được: “hôm-nay” không phải ngày hợp lệ"),
    ({"CCHC_BUILD_DATE": "2025-02-30"}, "CCHC_BUILD_DATE “2025-02-30” không dùng được: ngày “2025-02-30” không tồn tại"),
    ({"SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH “abc” không phải số nguyên"),
    ({"SOURCE_DATE_EPOCH": "99999999999999999999"},
     "SOURCE_DATE_EPOCH “99999999999999999999” nằm ngoài khoảng thời gian dùng được"),
])
def test_unusable_build_date_is_a_clean_error(tmp_path, variables, message):
    """"Now" decides which windows have started: a wrong fixed date is reported, not a traceback."""
    out = tmp_path / "bao-cao.docx"
    result = subprocess.run([str(BIN / "cchc"), "--content", str(FIXTURE), "report", "--period", "2025-Q1",
                             "--output", str(out)],
                            capture_output=True, text=True, env={**env(None), **variables}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Lỗi: {message}"), result.stderr
    assert "→ Cách sửa: " in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "bao-cao.md"
    out.write_text("bản cũ", encoding="utf-8")
    result = report("--period", "2025-Q1", "--output", str(out))
    assert result.returncode == 1
    assert "đã có" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "bản cũ"
    forced = report("--period", "2025-Q1", "--output", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_text(encoding="utf-8").startswith("# KẾT QUẢ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.md"]  # no temporary file left


def test_missing_output_folder(tmp_path):
    result = report("--period", "2025-Q1", "--output", str(tmp_path / "khong-co" / "bao-cao.md"))
    assert result.returncode == 1
    assert "không tồn tại" in result.stderr
    assert not (tmp_path / "khong-co").exists()


def test_content_with_errors_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    broken = content / "news" / "2025" / "05" / "a05-doi-thoai.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("unit: truong-thpt-a", "unit: khong-co"), encoding="utf-8")
    out = tmp_path / "bao-cao.md"
    result = report("--period", "2025-Q1", "--output", str(out), content=content)
    assert result.returncode == 1
    assert "khong-co" in result.stderr and "cchc check" in result.stderr
    assert not out.exists()


def test_help_is_vietnamese():
    result = run_cchc("report", "--help")
    assert result.returncode == 0
    assert "--period" in result.stdout and "2025-Q1" in result.stdout and "--force" in result.stdout


def test_report_never_writes_into_content_or_docs(tmp_path):
    """Staff files are never overwritten, even with --force."""
    from support import ROOT, run_cchc

    for target in (ROOT / "content" / "units.yml", ROOT / "docs" / "bao-cao.docx"):
        before = target.read_bytes() if target.exists() else None
        result = run_cchc("report", "--period", "2025-Q1", "--format", "docx", "--output", str(target), "--force")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "không ghi báo cáo vào" in result.stderr
        assert (target.read_bytes() if target.exists() else None) == before


# --- a plan file without number and date -----------------------------------------------------------
def _content_without_number(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    plan = content / "plans" / "2025.yml"
    text = plan.read_text(encoding="utf-8")
    assert 'number: "45/KH-SGDĐT"\ndate: 2025-01-10\n' in text
    plan.write_text(text.replace('number: "45/KH-SGDĐT"\ndate: 2025-01-10\n', "number: null\ndate: null\n"),
                    encoding="utf-8")
    return content


BASIS_WITHOUT_NUMBER = ("Thực hiện Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2025 của Sở Giáo dục và "
                        "Đào tạo, trong kỳ báo cáo, trang tin cải cách hành chính đã đăng tải 3 tin, bài.")


def test_report_without_plan_number_or_date_invents_none(tmp_path):
    content = _content_without_number(tmp_path)
    md = report("--period", "2025-Q1", content=content)
    assert md.returncode == 0, md.stderr
    assert BASIS_WITHOUT_NUMBER in md.stdout.splitlines()
    assert "45/KH" not in md.stdout and "10/01/2025" not in md.stdout
    assert r"đã ban hành Kế hoạch \[CẦN BỔ SUNG: số, ngày ban hành của Kế hoạch\] về thông tin" in md.stdout
    out = tmp_path / "bao-cao.docx"
    assert report("--period", "2025-Q1", "--format", "docx", "--output", str(out), content=content).returncode == 0
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    # the Word section asks for the number and date instead of inventing them
    assert paragraphs[2] == ("Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của Ủy ban nhân dân tỉnh về việc thông "
                             "tin, tuyên truyền cải cách hành chính năm 2025, Sở Giáo dục và Đào tạo tỉnh Vĩnh Long đã "
                             "ban hành Kế hoạch [CẦN BỔ SUNG: số, ngày ban hành của Kế hoạch] về thông tin, tuyên truyền "
                             "cải cách hành chính năm 2025 và triển khai đến các phòng, đơn vị trong ngành.")
    assert not any("45/KH" in p for p in paragraphs)
