"""The yearly cycle: units that change (from/until/successor), the department renamed by the 2025
merger, events and participants, and the report section as departments paste it (docx).

Every expected number is written by hand from tests/fixtures/yearly/README.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from support import FIXTURES, ROOT, build_site, run_cchc, write_article

from cchc import coverage as cov
from cchc.content import load_content
from cchc.organisation import department_on

FIXTURE = FIXTURES / "yearly"
VN = dt.timezone(dt.timedelta(hours=7))
BUILD_DATE = "2026-12-20 09:00"
NOW = dt.datetime(2026, 12, 20, 9, 0, tzinfo=VN)
WINDOWS = ("Q1", "H1", "Q3", "Q4", "Y")
S1, S2, S3, S4 = ("2024-12-15/2025-03-14", "2025-03-15/2025-06-14", "2025-06-15/2025-09-14", "2025-09-15/2025-12-14")
BEN_TRE = "Sở Giáo dục và Đào tạo tỉnh Bến Tre"
VINH_LONG = "Sở Giáo dục và Đào tạo tỉnh Vĩnh Long"


@pytest.fixture(scope="module")
def content():
    loaded = load_content(FIXTURE)
    assert loaded.ok, loaded.diagnostics.format()
    return loaded


@pytest.fixture(scope="module")
def year2025(content):
    return cov.compute(content.plans[2025], content.units, content.published(NOW), NOW)


def windows(tally, attr="counts"):
    values = getattr(tally, attr)
    return tuple(values.get(w) if tally.applies(w) else None for w in WINDOWS)


# --- units counted only while they existed -------------------------------------------------------
# id → ((Q1, H1, Q3, Q4, Y) articles, None where the unit did not exist), status, gaps
UNITS_2025 = {
    "van-phong": ((1, 1, 0, 1, 2), "irregular", (S2, S3)),
    # ended 30/6: counted in Q1, H1 and Q3 (it existed 15/6–30/6), not in Q4; S3 is partial: no gap
    "phong-gddt-a": ((1, 2, 0, None, 2), "covered", ()),
    # began 1/7: not in Q1, H1; S3 is partial (not flagged), S4 it existed through, without news
    "xa-a": ((None, None, 1, 0, 1), "irregular", (S4,)),
}


def test_a_unit_counts_only_in_the_windows_it_existed(year2025):
    assert {t.id: (windows(t), t.status, t.gaps) for t in year2025.units} == UNITS_2025
    ended = next(t for t in year2025.units if t.id == "phong-gddt-a")
    assert not ended.applies(S4) and ended.applies(S3)
    assert [m.id for m in year2025.months if not ended.applies(m.id)] == [f"2025-{m:02d}" for m in range(7, 13)]
    began = next(t for t in year2025.units if t.id == "xa-a")
    assert [m.id for m in year2025.months if not began.applies(m.id)] == ["2024-12"] + [f"2025-{m:02d}" for m in range(1, 7)]
    # "100 % of agencies" is out of the agencies that existed in the year
    assert year2025.summary["units"] == cov.Share(3, 3)


def test_a_unit_that_ended_is_no_row_of_a_later_year(content):
    year2026 = cov.compute(content.plans[2026], content.units, content.published(NOW), NOW)
    assert [(t.id, windows(t)) for t in year2026.units] == [("van-phong", (1, 1, 0, 1, 2)),
                                                             ("xa-a", (0, 0, 0, 1, 1))]
    assert year2026.summary["units"] == cov.Share(2, 2)


def test_events_and_participants_per_form_and_window(year2025):
    forms = {t.id: t for t in year2025.forms}
    # y05 (published 01/10, Q4) reports events of 12/09 (Q3) and 30/09 (Q4): events count by the day held
    assert windows(forms["tap-huan"], "events") == (1, 1, 1, 1, 3)
    assert windows(forms["tap-huan"], "participants") == (100, 100, 30, 25, 155)
    assert windows(forms["doi-thoai"], "events") == (0, 1, 1, 0, 2)
    assert windows(forms["doi-thoai"], "participants") == (0, 60, 45, 0, 105)
    assert (forms["website"].events_total, forms["website"].participants_total) == (0, 0)
    assert windows(forms["tap-huan"]) == (1, 1, 0, 1, 2)  # articles still count by their own date
    assert (year2025.events_total, year2025.participants_total) == (5, 260)


def test_drafts_and_future_events_never_count(content):
    year2026 = cov.compute(content.plans[2026], content.units, content.published(NOW), NOW)
    # y06 (16/12/2025: 2026's Q1) and y08; the draft y09 (999 participants) never
    assert (year2026.events_total, year2026.participants_total) == (2, 230)
    before = dt.datetime(2026, 11, 20, 7, 0, tzinfo=VN)  # y08 not yet published, its event not yet held
    early = cov.compute(content.plans[2026], content.units, content.published(before), before)
    assert (early.events_total, early.participants_total) == (1, 80)


def test_event_without_form_takes_the_articles_event_form(content):
    y03 = next(a for a in content.articles if a.slug == "y03-huyen-a-doi-thoai")
    assert [(e.date, e.form, e.participants) for e in y03.events] == [(dt.date(2025, 5, 4), "doi-thoai", 60)]


# --- the department's name on a day ---------------------------------------------------------------
def test_department_name_in_force_on_a_day(content):
    units = content.units
    assert department_on(units, dt.date(2025, 6, 30), "X", "Y") == BEN_TRE
    assert department_on(units, dt.datetime(2025, 7, 1, 0, 0, tzinfo=VN), "X", "Y") == VINH_LONG
    # a 30/6 evening in UTC is already 1/7 in Vietnam
    assert department_on(units, dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.timezone.utc), "X", "Y") == VINH_LONG


def test_department_falls_back_to_mkdocs_settings(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    units = content / "units.yml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text[text.index("groups:"):], encoding="utf-8")  # no department: list
    loaded = load_content(content)
    assert department_on(loaded.units, dt.date(2025, 1, 1), "Sở Giáo dục và Đào tạo", "tỉnh X") == \
        "Sở Giáo dục và Đào tạo tỉnh X"


# --- checking articles and units.yml ---------------------------------------------------------------
def _copy(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    return content


def _errors(content) -> list[str]:
    return [d.format() for d in load_content(content).diagnostics.errors]


def test_article_by_a_unit_after_it_ended_suggests_its_successor(tmp_path):
    content = _copy(tmp_path)
    write_article(content, "2025/07/sau.md", slug="sau", date="2025-07-02 08:00", categories="[thu-tuc-hanh-chinh]",
                  unit="phong-gddt-a")
    errors = _errors(content)
    assert errors == [
        "content/news/2025/07/sau.md:6: lỗi: đơn vị “phong-gddt-a” (Phòng GD&ĐT huyện A) đã kết thúc hoạt động ngày "
        "30/06/2025, trước ngày đăng bài (02/07/2025)\n"
        "    → Cách sửa: ghi đơn vị kế tiếp: unit: xa-a (Ủy ban nhân dân xã A)"]


def test_article_on_the_last_day_of_a_unit_is_fine(tmp_path):
    content = _copy(tmp_path)
    write_article(content, "2025/06/cuoi.md", slug="cuoi", date="2025-06-30 23:59", categories="[thu-tuc-hanh-chinh]",
                  unit="phong-gddt-a")
    assert _errors(content) == []


def test_article_by_a_unit_before_it_began_names_the_unit_before(tmp_path):
    content = _copy(tmp_path)
    write_article(content, "2025/06/som.md", slug="som", date="2025-06-30 10:00", categories="[thu-tuc-hanh-chinh]",
                  unit="xa-a")
    errors = _errors(content)
    assert len(errors) == 1
    assert "đơn vị “xa-a” (Ủy ban nhân dân xã A) bắt đầu hoạt động từ ngày 01/07/2025, sau ngày đăng bài (30/06/2025)" in errors[0]
    assert "bài đăng trước ngày đó ghi đơn vị cũ: unit: phong-gddt-a (Phòng GD&ĐT huyện A)" in errors[0]


def test_new_refuses_a_unit_that_has_ended(tmp_path):
    content = _copy(tmp_path)
    result = run_cchc("--content", str(content), "new", "Tin mới", "--category", "thu-tuc-hanh-chinh",
                      "--unit", "phong-gddt-a", build_date="2026-03-02 08:00")
    assert result.returncode == 1
    assert "đã kết thúc hoạt động ngày 30/06/2025" in result.stderr and "unit: xa-a" in result.stderr
    assert not (content / "news" / "2026" / "03").exists()  # nothing written


DISTRICT = "    group: phong-gddt\n    until: 2025-06-30\n    successor: xa-a\n"  # lines 25–27 of units.yml


@pytest.mark.parametrize("edit, line, message", [
    (lambda t: t.replace(DISTRICT, DISTRICT.replace("xa-a", "xa-b")), 27,
     "đơn vị kế tiếp “xa-b” không có trong danh sách units"),
    (lambda t: t.replace(DISTRICT, "    group: phong-gddt\n    successor: xa-a\n"), 26,
     "đơn vị “phong-gddt-a” có đơn vị kế tiếp nhưng không có ngày kết thúc (until)"),
    (lambda t: t.replace("group: ubnd-xa\n    from: 2025-07-01", "group: ubnd-xa\n    from: 2025-08-01"), 27,
     "đơn vị kế tiếp “xa-a” không hoạt động vào ngày 01/07/2025, ngày sau khi “phong-gddt-a” kết thúc"),
    (lambda t: t.replace(DISTRICT, "    group: phong-gddt\n    from: 2025-07-01\n    until: 2025-06-30\n"), 27,
     "đơn vị “phong-gddt-a” kết thúc (30/06/2025) trước khi bắt đầu (01/07/2025)"),
    (lambda t: t.replace("group: ubnd-xa\n", "group: ubnd-xa\n    sucessor: van-phong\n"), 31,
     "mục “sucessor” của đơn vị “xa-a” không đúng tên"),
    (lambda t: t.replace('    province: "tỉnh Vĩnh Long"\n    from: 2025-07-01\n', '    province: "tỉnh Vĩnh Long"\n    from: 2025-06-01\n'),
     7, "thời gian của tên “Sở Giáo dục và Đào tạo tỉnh Vĩnh Long” trùng với tên “Sở Giáo dục và Đào tạo tỉnh Bến Tre”"),
])
def test_units_file_mistakes_are_reported_at_their_line(tmp_path, edit, line, message):
    content = _copy(tmp_path)
    units = content / "units.yml"
    units.write_text(edit(units.read_text(encoding="utf-8")), encoding="utf-8")
    errors = [d for d in load_content(content).diagnostics.errors if d.path == "content/units.yml"]
    assert [(d.line, d.message) for d in errors][:1] == [(line, message)], [d.format() for d in errors]


@pytest.mark.parametrize("event, message", [
    ("event: {date: 2025-08-20, participants: 10, form: doi-thoai}",
     ":8: lỗi: ngày tổ chức sự kiện (20/08/2025) sau ngày đăng bài (12/08/2025)"),
    ("event: {date: 2025-08-10, participants: 1.200, form: doi-thoai}",
     ":8: lỗi: số lượt người tham dự “1.2” không được có dấu chấm hoặc dấu phẩy"),
    ("event: {date: 2025-08-10, participants: nhiều, form: doi-thoai}",
     ":8: lỗi: số lượt người tham dự “nhiều” phải là một số nguyên"),
    ("event: {date: 2025-08-10, form: doi-thoai}", ":8: lỗi: sự kiện thiếu số lượt người tham dự (participants)"),
    ("event: {participants: 10, form: doi-thoai}", ":8: lỗi: sự kiện thiếu ngày tổ chức (date)"),
    ("event: {date: 2025-08-10, participants: 10, form: website}",
     ":8: lỗi: hình thức “website” (Website của Sở) không phải hội nghị, tập huấn hay đối thoại"),
    ("event: {date: 2025-08-10, participants: 10, form: tap-huan}",
     ":7: lỗi: bài đưa tin sự kiện hình thức “tap-huan” nhưng forms không có “tap-huan”"),
    ("event: {date: 2025-08-10, participants: 10, form: tap-hun}",
     ":8: lỗi: hình thức “tap-hun” của sự kiện không có trong kế hoạch 2025"),
    ("event:\n  date: 2025-08-10\n  participants: 10\n  nguoi: 5", ":11: lỗi: mục “nguoi” của event không dùng được"),
    ("event: hội nghị", ":8: lỗi: “event” phải ghi ngày tổ chức (date)"),
])
def test_event_mistakes_are_reported_at_their_line(tmp_path, event, message):
    content = _copy(tmp_path)
    path = content / "news" / "2025" / "08" / "y04-xa-a-doi-thoai.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^event: .*$", event, text), encoding="utf-8")
    errors = _errors(content)
    assert any(e.startswith("content/news/2025/08/y04-xa-a-doi-thoai.md" + message) for e in errors), errors


# --- reports -------------------------------------------------------------------------------------------
def report(*args: str, cwd=None):
    return run_cchc("--content", str(FIXTURE), "report", *args, build_date=BUILD_DATE, cwd=cwd)


def md_tables(text: str) -> list[list[list[str]]]:
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if current is None:
                current = []
                tables.append(current)
                continue
            if all(re.fullmatch(r"-+:?|:?-+", c) for c in cells):
                continue
            current.append(cells)
        else:
            current = None
    return tables


Q3_PARAGRAPHS = [
    "Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của Ủy ban nhân dân tỉnh về việc thông tin, tuyên truyền cải cách "
    f"hành chính năm 2025, {BEN_TRE} đã ban hành Kế hoạch số 12/KH-SGDĐT ngày 08/01/2025 về thông tin, tuyên truyền cải "
    "cách hành chính năm 2025 và triển khai đến các phòng, đơn vị trong ngành.",
    "Trong kỳ báo cáo, trang tin cải cách hành chính của Sở đã đăng tải 1 tin, bài của 1/3 cơ quan, đơn vị, theo các "
    "nội dung: thủ tục hành chính, một cửa (mục II.1): 1 tin (một tin, bài có thể thuộc nhiều nội dung).",
    "Tổ chức 2 hội nghị, lớp tập huấn, buổi đối thoại với 75 lượt người tham dự, gồm: tập huấn, bồi dưỡng: 1 cuộc, "
    "30 lượt người; đối thoại với người dân: 1 cuộc, 45 lượt người (theo các tin, bài đưa tin sự kiện trên trang).",
    "[CẦN BỔ SUNG: phối hợp với cơ quan báo chí – số tin, bài, phóng sự về cải cách hành chính đăng trên báo, tạp chí "
    "(tên báo, số lượng)]",
    "[CẦN BỔ SUNG: phát thanh, truyền hình – số chương trình, tin, bài phát trên Đài Phát thanh và Truyền hình tỉnh, "
    "hệ thống truyền thanh cơ sở]",
    "[CẦN BỔ SUNG: pa-nô, áp phích, băng rôn, tờ rơi – số lượng, nơi treo, phát; các hình thức khác (mạng xã hội, "
    "nhóm Zalo, họp cơ quan đầu tuần)]",
    # the district office existed 15/6–30/6 of Q3 only: in the table, not flagged
    "Nội dung của Kế hoạch chưa có tin, bài trong kỳ (2/3): chính quyền số (mục II.2); kỷ luật, kỷ cương hành chính "
    "(mục II.3). Cơ quan, đơn vị chưa có tin, bài trong kỳ: Văn phòng Sở.",
]


def test_md_report_counts_units_in_their_windows_and_events_by_day(tmp_path):
    result = report("--period", "2025-Q3")
    assert result.returncode == 0, result.stderr
    categories, units, forms, articles = md_tables(result.stdout)
    assert units == [["1", "Văn phòng Sở", "Văn phòng Sở", "0"],
                     ["2", "Phòng GD&ĐT huyện A (hoạt động đến 30/06/2025)", "Phòng GD&ĐT các huyện", "0"],
                     ["3", "Ủy ban nhân dân xã A (hoạt động từ 01/07/2025)", "Ủy ban nhân dân các xã", "1"]]
    assert forms == [["1", "Website của Sở", "0", "", ""], ["2", "Tập huấn, bồi dưỡng", "0", "1", "30"],
                     ["3", "Đối thoại với người dân", "1", "1", "45"]]
    assert [r[1] for r in articles] == ["12/08/2025"]
    assert "- Hội nghị, lớp tập huấn, buổi đối thoại: 2 (75 lượt người tham dự)." in result.stdout
    assert "- Đơn vị chưa có tin (1): Văn phòng Sở." in result.stdout
    for paragraph in Q3_PARAGRAPHS:  # the prose, Markdown-escaped
        assert re.sub(r"([\[\]])", r"\\\1", paragraph) in result.stdout


def test_any_period_of_a_year_with_a_plan(tmp_path):
    """2026-Q4: the plan has no number or date, so the report asks for them instead of inventing any."""
    out = tmp_path / "q4.docx"
    result = report("--period", "2026-Q4", "--format", "docx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "(Quý IV năm 2026, từ ngày 15/09/2026 đến hết ngày 14/12/2026)"
    assert texts[2] == (f"{VINH_LONG} đã ban hành Kế hoạch [CẦN BỔ SUNG: số, ngày ban hành của Kế hoạch] về thông tin, "
                        "tuyên truyền cải cách hành chính năm 2026 và triển khai đến các phòng, đơn vị trong ngành.")
    assert texts[3].startswith("Trong kỳ báo cáo, trang tin cải cách hành chính của Sở đã đăng tải 2 tin, bài của 2/2 "
                               "cơ quan, đơn vị")
    assert texts[4] == ("Tổ chức 1 hội nghị, lớp tập huấn, buổi đối thoại với 150 lượt người tham dự (theo các tin, bài "
                        "đưa tin sự kiện trên trang).")
    assert texts[8] == ("Nội dung của Kế hoạch chưa có tin, bài trong kỳ (1/3): thủ tục hành chính, một cửa (mục II.1). "
                        "Tất cả cơ quan, đơn vị đều có tin, bài trong kỳ.")
    units = [[c.text for c in row.cells] for row in document.tables[1].rows[1:]]
    assert units == [["1", "Văn phòng Sở", "Văn phòng Sở", "1"], ["2", "Ủy ban nhân dân xã A", "Ủy ban nhân dân các xã", "1"]]
    assert "Phòng GD&ĐT huyện A" not in "\n".join(texts)  # ended before the year: no row, no mention


def _placeholder_runs(document):
    return [r for p in document.paragraphs for r in p.runs if r.text.startswith("[CẦN BỔ SUNG")]


def test_docx_is_the_section_departments_paste(tmp_path):
    out = tmp_path / "q3.docx"
    result = report("--period", "2025-Q3", "--format", "docx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "KẾT QUẢ CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH"
    assert paragraphs[0].alignment == 1 and all(r.bold for r in paragraphs[0].runs)
    assert paragraphs[1].text == "(Quý III năm 2025, từ ngày 15/06/2025 đến hết ngày 14/09/2025)"
    assert [p.text for p in paragraphs[2:9]] == Q3_PARAGRAPHS
    for p in paragraphs[2:9]:  # prose: justified, first line indented 1 cm
        assert p.alignment == 3 and abs(p.paragraph_format.first_line_indent - Mm(10)) < Mm(0.1)
    # what the site cannot know is marked: bracketed, bold, highlighted
    placeholders = _placeholder_runs(document)
    assert len(placeholders) == 3
    assert all(r.bold and r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in placeholders)
    assert not any(r.font.highlight_color for p in paragraphs[2:5] for r in p.runs)  # numbers are not placeholders
    # the tables come after the prose, as an appendix on a page of its own
    breaks = [i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:br"))
              and any(b.get(qn("w:type")) == "page" for b in p._p.iter(qn("w:br")))]
    appendix = next(i for i, p in enumerate(paragraphs) if p.text == "PHỤ LỤC")
    assert breaks and breaks[0] < appendix and appendix > 8
    body = document.element.body
    first_table = list(body).index(document.tables[0]._tbl)
    assert first_table > list(body).index(paragraphs[appendix]._p)
    assert [p.text for p in paragraphs if re.match(r"^\d\. ", p.text)] == [
        "1. Kết quả theo nội dung tuyên truyền (mục II của Kế hoạch)", "2. Kết quả theo cơ quan, đơn vị",
        "3. Kết quả theo hình thức tuyên truyền", "4. Danh sách tin, bài đã đăng trong kỳ"]
    forms = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert forms[0] == ["STT", "Hình thức", "Số tin", "Số sự kiện", "Lượt người tham dự"]
    assert forms[1:] == [["1", "Website của Sở", "0", "", ""], ["2", "Tập huấn, bồi dưỡng", "0", "1", "30"],
                         ["3", "Đối thoại với người dân", "1", "1", "45"]]


def test_docx_layout_follows_decree_30(tmp_path):
    """A4; Times New Roman 13–14; margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm; page
    number centred at the top, not on the first page (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    out = tmp_path / "nam.docx"
    assert report("--period", "2025", "--format", "docx", "--output", str(out)).returncode == 0
    document = docx.Document(str(out))
    assert len(document.sections) == 1
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            assert run.font.size is None or Pt(13) <= run.font.size <= Pt(14), paragraph.text
    # page number: a PAGE field in the header, centred; the first page has its own, empty header
    assert section.different_first_page_header_footer
    header = section.header
    fields = [f.get(qn("w:instr")).strip() for f in header._element.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE"]
    assert header.paragraphs[0].alignment == 1
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert "".join(p.text for p in first.paragraphs) == ""
    assert not list(first._element.iter(qn("w:fldSimple"))) and not list(first._element.iter(qn("w:instrText")))
    assert not list(section.footer._element.iter(qn("w:fldSimple")))  # not at the bottom
    # the year's numbers reach the prose: 5 articles by 3 units, 5 events with 260 participants
    text = "\n".join(p.text for p in document.paragraphs)
    assert "đã đăng tải 5 tin, bài của 3/3 cơ quan, đơn vị" in text
    assert ("Tổ chức 5 hội nghị, lớp tập huấn, buổi đối thoại với 260 lượt người tham dự, gồm: tập huấn, bồi dưỡng: "
            "3 cuộc, 155 lượt người; đối thoại với người dân: 2 cuộc, 105 lượt người") in text


def test_csv_report_has_events(tmp_path):
    out = tmp_path / "q3.csv"
    assert report("--period", "2025-Q3", "--format", "csv", "--output", str(out)).returncode == 0
    import csv
    import io

    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0][-2:] == ["Số sự kiện", "Lượt người tham dự"]
    assert rows[1][4:6] == ["Tổng số tin, bài (Quý III năm 2025)", "1"] and rows[1][-2:] == ["2", "75"]
    forms = [r for r in rows if r[0] == "Hình thức"]
    assert [(r[3], r[5], r[-2], r[-1]) for r in forms] == [("website", "0", "", ""), ("tap-huan", "0", "1", "30"),
                                                           ("doi-thoai", "1", "1", "45")]


# --- the built site: header, feeds, coverage page, unit pages ------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("yearly-site"), FIXTURE, build_date=BUILD_DATE)
    assert built.ok, built.output
    return built


def _owner(html: str) -> str:
    match = re.search(r'class="cchc-site-owner">([^<]+)<', html)
    return match.group(1) if match else ""


def test_header_names_the_department_in_force_now_and_articles_their_own_day(site):
    assert _owner(site.read("index.html")) == VINH_LONG
    assert _owner(site.read("ke-hoach/2025/index.html")) == VINH_LONG
    old = site.read("tin-tuc/2025/01/y01-tap-huan-thang-1/index.html")
    assert f'<p class="cchc-print-header">{BEN_TRE} · ' in old  # published in Bến Tre's time
    new = site.read("tin-tuc/2025/08/y04-xa-a-doi-thoai/index.html")
    assert f'<p class="cchc-print-header">{VINH_LONG} · ' in new
    assert re.search(r'<img src="[^"]*logo\.svg" alt="' + VINH_LONG + '"', site.read("index.html"))


def test_feeds_name_the_department_in_force_at_the_build(site):
    atom = site.read("atom.xml")
    assert re.search(rf"<author>\s*<name>{VINH_LONG}</name>", atom)


def test_header_before_the_merger(tmp_path):
    built = build_site(tmp_path, FIXTURE, build_date="2025-03-01 09:00")
    assert built.ok, built.output
    assert _owner(built.read("index.html")) == BEN_TRE
    assert re.search(rf"<author>\s*<name>{BEN_TRE}</name>", built.read("atom.xml"))


def test_coverage_page_and_open_data_count_units_in_their_windows(site):
    data = json.loads(site.read("ke-hoach/2025/coverage.json"))
    units = {u["id"]: u for u in data["units"]}
    assert units["phong-gddt-a"]["windows"] == {"Q1": 1, "H1": 2, "Q3": 0, "Q4": None, "Y": 2}
    assert (units["phong-gddt-a"]["until"], units["phong-gddt-a"]["successors"]) == ("2025-06-30", ["xa-a"])
    assert units["xa-a"]["segments"] == {S1: None, S2: None, S3: 1, S4: 0}
    assert units["xa-a"]["from"] == "2025-07-01" and units["xa-a"]["gaps"] == [S4]
    assert data["summary"]["units"] == {"covered": 3, "total": 3}
    assert (data["summary"]["events"], data["summary"]["participants"]) == (5, 260)
    forms = {f["id"]: f for f in data["forms"]}
    assert forms["tap-huan"]["events"] == {"Q1": 1, "H1": 1, "Q3": 1, "Q4": 1, "Y": 3}
    assert forms["doi-thoai"]["participants"] == {"Q1": 0, "H1": 60, "Q3": 45, "Q4": 0, "Y": 105}
    assert forms["website"]["has_events"] is False and forms["tap-huan"]["has_events"] is True
    y05 = next(a for a in data["articles"] if a["url"].endswith("/y05-hai-lop-tap-huan/"))
    assert y05["events"] == [{"date": "2025-09-12", "form": "tap-huan", "participants": 30},
                             {"date": "2025-09-30", "form": "tap-huan", "participants": 25}]
    later = json.loads(site.read("ke-hoach/2026/coverage.json"))
    assert [u["id"] for u in later["units"]] == ["van-phong", "xa-a"]  # the ended office is no row of 2026
    rows = (site.site / "ke-hoach/2025/coverage.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    district = next(r for r in rows if ",phong-gddt-a," in r)
    assert ",1,2,0,,2," in district  # Q1, H1, Q3 counts; Q4 empty (did not exist); year
    assert district.endswith(",,2025-06-30,xa-a,,")


def test_coverage_page_shows_when_units_existed_and_the_events(site):
    page = site.read("ke-hoach/2025/index.html")
    row = page[page.index('href="../../don-vi/phong-gddt-a/"'):]
    row = row[: row.index("</tr>")]
    assert "Hoạt động đến 30/06/2025; đơn vị kế tiếp: " in row and 'href="../../don-vi/xa-a/">Ủy ban nhân dân xã A</a>' in row
    assert row.count("đơn vị không hoạt động trong kỳ") == 1  # Q4
    assert "<strong>5</strong> hội nghị, lớp tập huấn, buổi đối thoại với <strong>260</strong> lượt người tham dự" in page
    events = page[page.index('id="su-kien"'):]
    events = events[: events.index("</section>")]
    assert re.findall(r"<th scope=\"row\">([^<]+)</th>", events) == ["Tập huấn, bồi dưỡng", "Đối thoại với người dân"]
    assert "3 <span class=\"cchc-th-sub\">(155 lượt người)</span>" in events


def test_unit_pages_link_predecessors_and_successors(site):
    ended = site.read("don-vi/phong-gddt-a/index.html")
    assert "Hoạt động đến 30/06/2025." in ended and 'Đơn vị kế tiếp: <a href="../../don-vi/xa-a/">' in ended
    began = site.read("don-vi/xa-a/index.html")
    assert "Hoạt động từ 01/07/2025." in began and 'Tiếp nhận công việc của: <a href="../../don-vi/phong-gddt-a/">' in began
    index = site.read("don-vi/index.html")
    assert "Hoạt động đến 30/06/2025; đơn vị kế tiếp: Ủy ban nhân dân xã A" in index


# --- the sample content: a plan for every year, no warning on a fresh clone -----------------------------
def test_sample_content_has_a_plan_for_every_year_and_no_warning():
    result = run_cchc("check", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("4 kế hoạch: 0 lỗi, 0 cảnh báo."), result.stdout + result.stderr
    loaded = load_content(ROOT / "content")
    years = {a.plan_year for a in loaded.articles}
    assert years <= set(loaded.plans) and {2024, 2025, 2026, 2027} <= set(loaded.plans)
    for year in (2024, 2026, 2027):  # marked as samples in their files
        assert (ROOT / "content" / "plans" / f"{year}.yml").read_text(encoding="utf-8").startswith("# MẪU")
    # the 2025 reorganisation: every district office ended on 30/6/2025 and names its successor
    districts = [u for u in loaded.units.units.values() if u.group == "phong-gddt"]
    assert len(districts) == 9
    assert all(u.end == dt.date(2025, 6, 30) and u.successors for u in districts)
    assert all(a.date < dt.datetime(2025, 7, 1, tzinfo=VN) for a in loaded.articles if a.unit in {u.id for u in districts})


# --- in a browser, on a phone and on a desktop ------------------------------------------------------
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_units_over_time_and_events_in_a_browser(site, viewport):
    from browser import VIEWPORTS, chromium, screenshot, serve_directory

    with serve_directory(site.site) as base, chromium() as browser:
        page = browser.new_page(viewport=VIEWPORTS[viewport], locale="vi-VN")
        page.goto(base + "ke-hoach/2025/")
        row = page.locator("tr", has=page.locator('a[href$="don-vi/phong-gddt-a/"]')).first
        note = row.locator(".cchc-lifetime")
        assert note.is_visible()  # on a phone too: when the unit existed is part of reading its row
        assert note.inner_text().startswith("Hoạt động đến 30/06/2025; đơn vị kế tiếp: Ủy ban nhân dân xã A")
        cells = row.locator("td.cchc-num")
        assert [c.inner_text().strip().splitlines()[0] for c in cells.all()] == ["1", "2", "0", "–", "2"]
        q4 = cells.nth(3)
        assert q4.locator(".cchc-sr").inner_text() == "đơn vị không hoạt động trong kỳ"  # what a screen reader says
        assert "cchc-num--gap" not in (q4.get_attribute("class") or "")  # not "no news": it did not exist
        events = page.locator("section[aria-labelledby=su-kien]")
        events.scroll_into_view_if_needed()
        assert events.is_visible()
        assert events.locator("tbody tr").count() == 2
        assert _axe(page) == [], "axe: the coverage page with units over time and events"
        screenshot(page, f"yearly-coverage-{viewport}")
        note.locator("a").click()
        page.wait_for_url("**/don-vi/xa-a/")
        assert page.locator("h1").inner_text().strip() == "Ủy ban nhân dân xã A"
        assert page.locator(".cchc-unit-lifetime").inner_text().startswith("Hoạt động từ 01/07/2025.")
        assert page.locator(".md-header .cchc-site-owner").inner_text().strip() == VINH_LONG
        assert _axe(page) == [], "axe: a unit page with its predecessor"
        screenshot(page, f"yearly-unit-{viewport}")
        page.close()


def _axe(page) -> list[str]:
    """WCAG 2.1 A/AA violations found by axe-core (installed by scripts/ensure-test-tools.sh)."""
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "axe-core is not installed: run `make test` (scripts/ensure-test-tools.sh)"
    page.add_script_tag(path=str(axe))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]]
