"""`cchc plan import` and `cchc plan new`: a new year's plan file from the signed text, or from last year's.

Fixtures (tests/fixtures/plan-import/):
- ke-hoach-2025.txt: the text of the department's signed 2025 plan, as extracted from the PDF (a copy
  of the shared source of content/plans/2025.yml; the project never reads ../shared).
- ke-hoach-2026-vinh-long.txt: a differently laid-out plan written for these tests: two-column header
  with "Số: …" and "…, ngày … tháng … năm …", "Căn cứ"/"Thực hiện" openings, topics numbered under II
  (one with lettered points), forms as a part of their own (III) with the unit duties after them (IV),
  a part the plan file has no place for (V. KINH PHÍ), a signature block beside the recipients, PDF
  line breaks. Expected values below are written by hand from that text.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from support import FIXTURES, ROOT, copy_plan, make_content, run_cchc

from cchc.diagnostics import Diagnostics
from cchc.plan_import import Known, import_plan, paragraphs, read_source

PLANS = FIXTURES / "plan-import"
TEXT_2025 = PLANS / "ke-hoach-2025.txt"
TEXT_2026 = PLANS / "ke-hoach-2026-vinh-long.txt"
SHIPPED_2025 = yaml.safe_load((ROOT / "content" / "plans" / "2025.yml").read_text(encoding="utf-8"))


def content_with(tmp_path: Path, *, last_year: bool = False, plan_years=(2025,)) -> Path:
    """A content folder with the sample units.yml, reporting.yml, documents.yml and the chosen plans;
    `last_year`: the shipped 2025 plan as if it were 2024's (the usual case: last year's plan exists)."""
    content = make_content(tmp_path, plan_years=() if last_year else plan_years)
    shutil.copy2(ROOT / "content" / "documents.yml", content / "documents.yml")
    if last_year:
        shutil.copy2(ROOT / "content" / "plans" / "2025.yml", content / "plans" / "2025.yml")
        copy_plan(content, 2024)
        (content / "plans" / "2025.yml").unlink()
    return content


def known(content: Path) -> Known:
    diags = Diagnostics(content.parent)
    result = Known.from_content(content, diags)
    assert [d for d in diags.errors if d.path != "content/plans"] == [], diags.format()  # (an empty plans/ is fine)
    return result


def _documents(plan: dict) -> dict:
    return {d["number"]: {k: d.get(k) for k in ("type", "date", "issuer", "title")} for d in plan["documents"]}


# --- the shared 2025 text ------------------------------------------------------------------------------
def test_import_of_the_2025_text_reproduces_the_shipped_plan(tmp_path):
    """With last year's plan (the shipped one, as 2024) the draft has the same ids, sections, names,
    forms, documents and duties as content/plans/2025.yml."""
    draft = import_plan(read_source(TEXT_2025), known(content_with(tmp_path, last_year=True))).plan
    shipped = SHIPPED_2025
    assert draft["year"] == 2025 and draft["number"] is None and draft["date"] is None
    for key in ("title", "issuer", "signer", "implements"):
        assert draft[key] == shipped[key], key
    assert len(draft["purposes"]) == len(shipped["purposes"]) == 6
    assert len(draft["requirements"]) == len(shipped["requirements"]) == 4
    assert [d["number"] for d in draft["documents"]] == [d["number"] for d in shipped["documents"]]
    assert _documents(draft) == _documents(shipped)
    fields = ("id", "section", "name", "description", "documents")
    assert [{k: c.get(k) for k in fields} for c in draft["categories"]] == \
        [{k: c.get(k) for k in fields} for c in shipped["categories"]]
    # points and their items, as the plan writes them
    assert [(p["label"], len(p.get("items", []))) for p in draft["categories"][0]["points"]] == \
        [(p["label"], len(p.get("items", []))) for p in shipped["categories"][0]["points"]] == [("a", 0), ("b", 0), ("c", 2)]
    assert draft["forms"] == shipped["forms"]
    assert draft["default_form"] == shipped["default_form"]
    assert [(u["section"], u["name"], u["groups"], [d.get("label") for d in u["duties"]]) for u in draft["units"]] == \
        [(u["section"], u["name"], u["groups"], [d.get("label") for d in u["duties"]]) for u in shipped["units"]]
    # the plan text as written (not the shipped file's edited wording), PDF line breaks undone
    assert draft["categories"][3]["plan_text"].startswith(
        "Tình hình, kết quả thực hiện cải cách TTHC; thực hiện các quy định về TTHC, về trách nhiệm của CBCCVC trong "
        "giải quyết công việc liên quan đến tổ chức, doanh nghiệp, người dân;")
    assert draft["units"][2]["duties"] == shipped["units"][2]["duties"]
    review = draft["review"]
    assert review == ["Văn bản nhập chưa có số và ngày ban hành của Kế hoạch: điền number và date khi có bản đã ký "
                      "(để null đến lúc đó)."]


def test_import_without_an_earlier_plan_gives_new_ids_and_the_same_structure(tmp_path):
    draft = import_plan(read_source(TEXT_2025), known(content_with(tmp_path, plan_years=()))).plan
    shipped = SHIPPED_2025
    assert [c["section"] for c in draft["categories"]] == [c["section"] for c in shipped["categories"]]
    assert [c["documents"] for c in draft["categories"]] == [c["documents"] for c in shipped["categories"]]
    assert {n: {k: v for k, v in d.items() if k != "title"} for n, d in _documents(draft).items()} == \
        {n: {k: v for k, v in d.items() if k != "title"} for n, d in _documents(shipped).items()}
    # titles the text gives after the number; 76/NQ-CP has none there (its title is before it)
    titles = {n: d["title"] for n, d in _documents(draft).items()}
    for number in ("02/CT-UBND", "26/CT-TTg", "06/2023/NĐ-CP", "73/2023/NĐ-CP", "9000/KH-UBND"):
        assert titles[number] == _documents(shipped)[number]["title"], number
    assert titles["76/NQ-CP"] is None
    assert [(f["section"], f["plan_text"]) for f in draft["forms"]] == [(f["section"], f["plan_text"]) for f in shipped["forms"]]
    ids = [c["id"] for c in draft["categories"]]
    assert len(set(ids)) == 12 and not set(ids) & {c["id"] for c in shipped["categories"]}
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)
    assert ids[3] == "tinh-hinh-ket-qua-thuc-hien" and draft["categories"][3]["name"] == "Tình hình, kết quả thực hiện cải cách TTHC"
    review = "\n".join(draft["review"])
    assert "Chuyên mục mục II.2.3: đã đặt id “tinh-hinh-ket-qua-thuc-hien”" in review
    assert "Văn bản 76/NQ-CP: chưa có trích yếu; điền title." in review
    assert [u["groups"] for u in draft["units"]] == [["van-phong"], ["phong"], ["don-vi-truc-thuoc", "phong-gddt"]]


# --- a differently laid-out plan ----------------------------------------------------------------------
EXPECTED_2026 = {
    "year": 2026, "number": "38/KH-SGDĐT", "date": dt.date(2026, 1, 12),
    "title": "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2026", "issuer": "Sở Giáo dục và Đào tạo",
    "signer": {"name": "Nguyễn Văn Minh", "position": "Phó Giám đốc"},
    "implements": {"ref": "Kế hoạch số 125/KH-UBND", "number": "125/KH-UBND", "date": dt.date(2026, 1, 5),
                   "issuer": "Ủy ban nhân dân tỉnh",
                   "title": "Về thông tin, tuyên truyền cải cách hành chính năm 2026 trên địa bàn tỉnh Vĩnh Long"},
}
CATEGORIES_2026 = [  # (id, section, documents): new topics get new ids, the others keep 2025's
    ("chu-truong-chinh-sach", "II.1", ["76/NQ-CP"]),
    ("thu-tuc-hanh-chinh", "II.2", []),
    ("ky-luat-ky-cuong", "II.3", ["26/CT-TTg"]),
    ("chi-so-cchc", "II.4", []),
    ("chinh-quyen-so", "II.5", []),
    ("sap-xep-to-chuc-bo-may", "II.6", []),  # new: "Sắp xếp tổ chức bộ máy: …"
    ("co-so-du-lieu", "II.7", []),
    ("bieu-duong-phe-phan", "II.8", []),
    ("phong-trao-binh-dan-hoc-vu", "II.9", ["210/KH-UBND"]),  # new
]
UNITS_2026 = [
    ("IV.1", "Văn phòng", ["van-phong"], 2),
    ("IV.2", "Các phòng, Thanh tra Sở", ["phong"], 1),
    ("IV.3", "Các đơn vị trực thuộc Sở", ["don-vi-truc-thuoc"], 2),
    ("IV.4", "Ủy ban nhân dân các xã, phường (Phòng Văn hóa - Xã hội)", ["ubnd-xa-phuong"], 1),
]


def test_import_of_a_differently_laid_out_plan(tmp_path):
    draft = import_plan(read_source(TEXT_2026), known(content_with(tmp_path))).plan
    for key, value in EXPECTED_2026.items():
        assert draft[key] == value, key
    assert [(c["id"], c["section"], c["documents"]) for c in draft["categories"]] == CATEGORIES_2026
    new = draft["categories"][5]
    assert new["name"] == "Sắp xếp tổ chức bộ máy" and "description" not in new
    assert [p["label"] for p in draft["categories"][7]["points"]] == ["a", "b"]
    assert draft["categories"][7]["name"] == "Biểu dương, phê phán"  # a matched topic keeps its name
    assert [d["number"] for d in draft["documents"]] == ["76/NQ-CP", "26/CT-TTg", "210/KH-UBND", "125/KH-UBND"]
    assert _documents(draft)["210/KH-UBND"] == {"type": "Kế hoạch", "date": dt.date(2025, 8, 20),
                                               "issuer": "Ủy ban nhân dân tỉnh",
                                               "title": "Về triển khai Phong trào “Bình dân học vụ số” trên địa bàn tỉnh"}
    # forms are part III here; matched forms keep their ids and that they are events
    assert [(f["id"], f["section"], f.get("events", False)) for f in draft["forms"]] == [
        ("website", "III", False), ("tap-huan", "III", True), ("doi-thoai", "III", True),
        ("to-chuc-cuoc-thi-tim-hieu", "III", False)]
    assert [(u["section"], u["name"], u["groups"], len(u["duties"])) for u in draft["units"]] == UNITS_2026
    assert draft["units"][2]["duties"] == [{"text": "Triển khai Kế hoạch tại đơn vị, gắn với nhiệm vụ chính trị của đơn vị."},
                                           {"text": "Báo cáo kết quả cùng báo cáo CCHC định kỳ."}]
    assert len(draft["purposes"]) == 2 and len(draft["requirements"]) == 2
    review = draft["review"]
    assert review[0] == "Phần V. “KINH PHÍ THỰC HIỆN” (dòng 167) không thuộc phần nào của tệp kế hoạch: chưa được đưa vào."
    assert sum("Chuyên mục mới" in r for r in review) == 2
    assert any(r.startswith("Hình thức mới “Tổ chức cuộc thi tìm hiểu") for r in review)
    assert not any("số và ngày ban hành" in r for r in review)  # both are in the header


def test_pdf_line_breaks_are_undone_and_headings_kept():
    lines = [
        "2. Tuyên truyền về các hoạt động và kết quả thực hiện trong công tác ", "", "CCHC ", "",
        "Một số nội dung cụ thể và chủ yếu cần tập trung tuyên truyền bao gồm: ", "",
        "- Tình hình triển khai và kết quả thực hiện chính sách phát triển kinh tế ", "", "- xã hội của tỉnh; ", "",
        "3. Các đơn vị trực thuộc Sở, Phòng GD&ĐT các huyện, thành phố ", "",
        "Triển khai, tổ chức thực hiện tại 100% các cơ quan, đơn vị, gắn với nhiệm ", "", "vụ chính trị. ", "",
        " - Thông qua các lớp tập huấn, bồi dưỡng, quán triệt nội dung, kế hoạch ", "",
        "thực hiện nhiệm vụ CCHC cho đội ngũ công chức, viên chức. ", "",
    ]
    found = [(p.kind, p.marker, p.text) for p in paragraphs(lines)]
    assert found == [
        ("number", "2", "Tuyên truyền về các hoạt động và kết quả thực hiện trong công tác CCHC"),
        ("text", "", "Một số nội dung cụ thể và chủ yếu cần tập trung tuyên truyền bao gồm:"),
        ("dash", "-", "Tình hình triển khai và kết quả thực hiện chính sách phát triển kinh tế - xã hội của tỉnh;"),
        ("number", "3", "Các đơn vị trực thuộc Sở, Phòng GD&ĐT các huyện, thành phố"),
        ("text", "", "Triển khai, tổ chức thực hiện tại 100% các cơ quan, đơn vị, gắn với nhiệm vụ chính trị."),
        ("dash", "-", "Thông qua các lớp tập huấn, bồi dưỡng, quán triệt nội dung, kế hoạch thực hiện nhiệm vụ CCHC "
                      "cho đội ngũ công chức, viên chức."),
    ]


# --- a .docx made by Word (here: by python-docx) ---------------------------------------------------------
def _plan_docx(path: Path) -> None:
    """A 2027 plan as a Word file: the header in a two-column table, topics in Word's own numbered
    list (the numbers are not in the text), forms as lettered points typed by hand, a soft line break
    inside a sentence, the signature in a table."""
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 05/KH-SGDĐT"
    header.cell(1, 1).text = "Vĩnh Long, ngày 06 tháng 01 năm 2027"
    for cell in (header.cell(0, 0), header.cell(0, 1)):  # Word's Shift+Enter: w:br inside one paragraph
        paragraph = cell.paragraphs[0]
        first, second = paragraph.text.split("\n")
        paragraph.text = first
        run = paragraph.add_run()
        run._r.append(OxmlElement("w:br"))
        paragraph.add_run(second)
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Thông tin, tuyên truyền cải cách hành chính năm 2027")
    document.add_paragraph("Thực hiện Kế hoạch số 7/KH-UBND ngày 04/01/2027 của Ủy ban nhân dân tỉnh về thông tin, "
                           "tuyên truyền cải cách hành chính năm 2027, Sở Giáo dục và Đào tạo ban hành Kế hoạch như sau:")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Nâng cao nhận thức của cán bộ, công chức, viên chức về cải cách hành chính.", style="List Bullet")
    document.add_paragraph("II. NỘI DUNG TUYÊN TRUYỀN")
    topic = document.add_paragraph("Tình hình, kết quả cải cách thủ tục hành chính; thực hiện cơ chế một cửa, một cửa "
                                   "liên thông và hoạt động của Trung tâm Phục vụ", style="List Number")
    topic.add_run()._r.append(OxmlElement("w:br"))
    topic.add_run("hành chính công tỉnh.")
    document.add_paragraph("Kết quả Chỉ số CCHC và Chỉ số đo lường sự hài lòng của người dân, tổ chức (SIPAS); giải "
                           "pháp nâng cao các chỉ số.", style="List Number")
    document.add_paragraph("Hình thức tuyên truyền", style="List Number")
    document.add_paragraph("a) Đăng tin, bài trên Trang thông tin điện tử (Website) của Sở và phương tiện thông tin đại chúng.")
    document.add_paragraph("b) Các lớp tập huấn, bồi dưỡng, quán triệt nội dung CCHC cho công chức, viên chức.")
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("1. Văn phòng")
    document.add_paragraph("Tham mưu triển khai Kế hoạch; tổng hợp, báo cáo kết quả.")
    document.add_paragraph("Trên đây là Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2027 của Sở Giáo dục "
                           "và Đào tạo./.")
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:"
    signature.cell(0, 0).add_paragraph("- Như trên;")
    signature.cell(0, 1).text = "GIÁM ĐỐC"
    signature.cell(0, 1).add_paragraph("")
    signature.cell(0, 1).add_paragraph("Trần Thị Lan")
    document.save(str(path))


def test_import_of_a_word_file(tmp_path):
    source = tmp_path / "ke-hoach-2027.docx"
    _plan_docx(source)
    draft = import_plan(read_source(source), known(content_with(tmp_path))).plan
    assert (draft["year"], draft["number"], draft["date"]) == (2027, "05/KH-SGDĐT", dt.date(2027, 1, 6))
    assert draft["issuer"] == "Sở Giáo dục và Đào tạo"
    assert draft["signer"] == {"name": "Trần Thị Lan", "position": "Giám đốc"}
    assert draft["implements"]["number"] == "07/KH-UBND" and draft["implements"]["date"] == dt.date(2027, 1, 4)
    assert [(c["id"], c["section"]) for c in draft["categories"]] == [("thu-tuc-hanh-chinh", "II.1"), ("chi-so-cchc", "II.2")]
    assert draft["categories"][0]["plan_text"].endswith("Trung tâm Phục vụ hành chính công tỉnh.")
    assert [(f["id"], f["section"]) for f in draft["forms"]] == [("website", "II.3"), ("tap-huan", "II.3")]
    assert [(u["section"], u["groups"]) for u in draft["units"]] == [("III.1", ["van-phong"])]
    assert draft["purposes"] == ["Nâng cao nhận thức của cán bộ, công chức, viên chức về cải cách hành chính."]


# --- the commands --------------------------------------------------------------------------------------
def plan_cmd(content: Path, *args: str, cwd: Path | None = None):
    return run_cchc("--content", str(content), "plan", *args, cwd=cwd)


def test_plan_import_writes_a_draft_that_cchc_check_reads(tmp_path):
    content = content_with(tmp_path)
    result = plan_cmd(content, "import", str(TEXT_2026))
    assert result.returncode == 0, result.stderr
    target = content / "plans" / "2026.yml"
    assert ("Đã ghi bản nháp content/plans/2026.yml: 9 chuyên mục (7 giữ mã của kế hoạch trước, 2 mới), 4 hình thức, "
            "4 nhóm nhiệm vụ đơn vị, 4 văn bản.") in result.stderr
    assert "Cần xem lại 6 mục" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Kế hoạch thông tin, tuyên truyền CCHC năm 2026: BẢN NHÁP do lệnh `cchc plan import`")
    written = yaml.safe_load(text)
    assert [c["id"] for c in written["categories"]] == [c for c, _, _ in CATEGORIES_2026]
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 0, check.stderr
    assert "content/plans/2026.yml:6: cảnh báo: kế hoạch còn 6 mục cần xem lại (review)" in check.stdout
    # staff review it: a better name, the review list done
    reviewed = text.replace('name: "Sắp xếp tổ chức bộ máy"', 'name: "Sắp xếp bộ máy, chính quyền hai cấp"')
    reviewed = reviewed[:reviewed.index("# Cần xem lại")] + reviewed[reviewed.index("year: 2026"):]
    target.write_text(reviewed, encoding="utf-8")
    # never overwritten without --force
    again = plan_cmd(content, "import", str(TEXT_2026))
    assert again.returncode == 1 and "đã có; không ghi đè" in again.stderr and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == reviewed
    # --force replaces the file with a new draft, matched against the reviewed one: its names stay
    forced = plan_cmd(content, "import", str(TEXT_2026), "--force")
    assert forced.returncode == 0, forced.stderr
    replaced = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert replaced["review"] and replaced["categories"][5]["name"] == "Sắp xếp bộ máy, chính quyền hai cấp"
    assert sorted(p.name for p in (content / "plans").iterdir()) == ["2025.yml", "2026.yml"]  # no temporary file left


def test_plan_import_to_another_file_and_unreadable_sources(tmp_path):
    content = content_with(tmp_path)
    out = tmp_path / "nhap.yml"
    result = plan_cmd(content, "import", str(TEXT_2025), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["year"] == 2025
    assert not (content / "plans" / "2025.yml").read_text(encoding="utf-8").startswith("# Kế hoạch thông tin, tuyên truyền CCHC năm 2025: BẢN NHÁP")
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    refused = plan_cmd(content, "import", str(pdf))
    assert refused.returncode == 1 and refused.stderr.startswith("Lỗi: tệp ke-hoach.pdf là PDF")
    legacy = tmp_path / "cu.txt"
    legacy.write_text("KÕ ho¹ch th«ng tin, tuyªn truyÒn c¶i c¸ch hµnh chÝnh n¨m 2026\n", encoding="utf-8")
    old = plan_cmd(content, "import", str(legacy))
    assert old.returncode == 1 and "bảng mã cũ" in old.stderr and "Traceback" not in old.stderr
    missing = plan_cmd(content, "import", str(tmp_path / "khong-co.txt"))
    assert missing.returncode == 2 and "không tìm thấy tệp" in missing.stderr
    no_parts = tmp_path / "thu.txt"
    no_parts.write_text("Kính gửi các đơn vị.\n", encoding="utf-8")
    result = plan_cmd(content, "import", str(no_parts))
    assert result.returncode == 1 and "không tìm thấy các phần đánh số La Mã" in result.stderr
    no_topics = tmp_path / "bao-cao.txt"
    no_topics.write_text("BÁO CÁO\nKết quả năm 2026\nI. MỤC ĐÍCH, YÊU CẦU\n- Nắm tình hình.\n", encoding="utf-8")
    result = plan_cmd(content, "import", str(no_topics), "--year", "2026")
    assert result.returncode == 1 and "không tìm thấy phần nội dung tuyên truyền" in result.stderr
    assert sorted(p.name for p in (content / "plans").iterdir()) == ["2025.yml"]  # nothing written


def test_plan_new_starts_a_year_from_an_earlier_plan(tmp_path):
    content = content_with(tmp_path)
    result = plan_cmd(content, "new", "2027")
    assert result.returncode == 0, result.stderr
    assert "Đã tạo content/plans/2027.yml từ kế hoạch năm 2025: 12 chuyên mục, 3 hình thức, 3 nhóm nhiệm vụ đơn vị." in result.stderr
    text = (content / "plans" / "2027.yml").read_text(encoding="utf-8")
    written = yaml.safe_load(text)
    assert written["year"] == 2027 and written["number"] is None and written["date"] is None
    assert "# CẦN ĐIỀN: số của Kế hoạch năm này khi đã ký" in text and "# CẦN ĐIỀN: ngày ban hành khi đã ký" in text
    assert written["title"] == "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2027"
    assert [c["id"] for c in written["categories"]] == [c["id"] for c in SHIPPED_2025["categories"]]
    assert [(f["id"], f.get("events", False)) for f in written["forms"]] == [("website", False), ("tap-huan", True),
                                                                           ("doi-thoai", True)]
    assert [u["groups"] for u in written["units"]] == [u["groups"] for u in SHIPPED_2025["units"]]
    assert "9000/KH-UBND" not in [d["number"] for d in written["documents"]]  # last year's upper plan is not this year's
    assert written["review"][0].startswith("Điền số (number) và ngày ban hành (date) của Kế hoạch năm 2027")
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 0 and "content/plans/2027.yml:6: cảnh báo: kế hoạch còn 3 mục cần xem lại" in check.stdout
    # an existing year is never replaced; a year without an earlier plan needs --from
    assert plan_cmd(content, "new", "2027").returncode == 1
    early = plan_cmd(content, "new", "2020")
    assert early.returncode == 1 and "chưa có kế hoạch nào trước năm 2020" in early.stderr
    assert plan_cmd(content, "new", "2020", "--from", "2025").returncode == 0
    assert plan_cmd(content, "new", "2030", "--from", "2019").returncode == 1
    bad = plan_cmd(content, "new", "27")
    assert bad.returncode == 2 and "không phải năm" in bad.stderr


def test_plan_file_mistakes_are_reported_like_articles(tmp_path):
    content = content_with(tmp_path)
    plan = content / "plans" / "2025.yml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("default_form: website", "default_from: website", 1)
    text = text.replace("    events: true\n", "    events: có\n", 1)
    plan.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    default_line = lines.index("default_from: website") + 1
    events_line = lines.index("    events: có") + 1
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 1
    assert (f"content/plans/2025.yml:{default_line}: lỗi: mục “default_from” không đúng tên\n"
            "    → Cách sửa: có phải ý bạn là “default_form”?") in check.stderr
    assert (f"content/plans/2025.yml:{events_line}: lỗi: “events” của hình thức “tap-huan” phải là true hoặc false") in check.stderr
