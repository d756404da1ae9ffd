"""The yearly plan as data: content/plans/<year>.yml, units and reporting windows."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from cchc.content import load_content
from cchc.dates import VN_TZ

from support import copy_plan, make_content, write_article

CATEGORY_IDS = [
    "chu-truong-chinh-sach", "van-ban-qppl", "sang-kien-giai-phap", "thu-tuc-hanh-chinh",
    "ky-luat-ky-cuong", "chi-so-cchc", "cai-cach-cong-vu", "chinh-quyen-so", "co-so-du-lieu",
    "giam-sat-nguoi-dan", "bieu-duong-phe-phan", "ban-chi-dao",
]


def vn(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


def line_of(path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line of `path` containing `needle`."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def diagnostics(content) -> list[str]:
    return [d.format() for d in load_content(content).diagnostics.sorted()]


@pytest.fixture
def content(tmp_path):
    return make_content(tmp_path)


@pytest.fixture
def plan(content):
    loaded = load_content(content)
    assert [d.format() for d in loaded.diagnostics.items] == []
    return loaded.plans[2025]


# --- The 2025 plan ---------------------------------------------------------------------------
def test_plan_categories_in_plan_order(plan):
    assert list(plan.categories) == CATEGORY_IDS
    assert [c.order for c in plan.categories.values()] == list(range(12))
    assert plan.categories["thu-tuc-hanh-chinh"].section == "II.2.3"
    assert all(c.name and c.description for c in plan.categories.values())


def test_plan_forms(plan):
    assert list(plan.forms) == ["website", "tap-huan", "doi-thoai"]
    assert plan.default_form == "website"


def test_plan_documents(plan):
    for number in ["76/NQ-CP", "23/CT-TTg", "02/CT-UBND", "26/CT-TTg", "06/2023/NĐ-CP", "73/2023/NĐ-CP"]:
        assert number in plan.documents, number
        assert plan.documents[number].date is not None
    assert plan.documents["76/NQ-CP"].date == dt.date(2021, 7, 15)
    assert plan.categories["chu-truong-chinh-sach"].documents == ("76/NQ-CP", "23/CT-TTg", "02/CT-UBND")
    assert plan.categories["ky-luat-ky-cuong"].documents == ("26/CT-TTg",)
    assert plan.categories["cai-cach-cong-vu"].documents == ("06/2023/NĐ-CP", "73/2023/NĐ-CP")


def test_plan_implements_the_provincial_plan(plan):
    assert plan.implements is not None
    assert plan.implements.number == "9000/KH-UBND"
    assert plan.implements.date == dt.date(2024, 12, 30)
    assert plan.implements_ref == "Kế hoạch số 9000/KH-UBND"
    # the plan's own words: "… của Ủy ban nhân dân tỉnh về việc thông tin, tuyên truyền cải cách hành chính năm 2025"
    assert plan.implements.title == "Về việc thông tin, tuyên truyền cải cách hành chính năm 2025"
    assert plan.implements.title == plan.documents["9000/KH-UBND"].title


def test_sample_plan_has_no_invented_number_or_date(plan):
    """The plan text has no number or date: the plan file leaves them empty and says who fills them."""
    assert plan.number == ""
    assert plan.date is None
    text = plan.path.read_text(encoding="utf-8")
    assert "number: null" in text and "date: null" in text
    assert "45/KH" not in text
    assert "bản đã ký" in text  # the comment tells staff where the real number and date come from


def test_plan_number_and_date_are_read_when_given(content):
    copy_plan(content, 2026, edit=lambda text: text.replace("number: null", 'number: "12/KH-SGDĐT"')
              .replace("date: null", "date: 2026-01-08"))
    loaded = load_content(content)
    assert [d.format() for d in loaded.diagnostics.items] == []
    assert (loaded.plans[2026].number, loaded.plans[2026].date) == ("12/KH-SGDĐT", dt.date(2026, 1, 8))


def test_plan_without_number_and_date_lines_is_valid(content):
    copy_plan(content, 2026, edit=lambda text: text.replace("number: null\n", "").replace("date: null\n", ""))
    loaded = load_content(content)
    assert [d.format() for d in loaded.diagnostics.items] == []
    assert (loaded.plans[2026].number, loaded.plans[2026].date) == ("", None)


def test_plan_point_ii_1_c_keeps_its_focus_bullets(plan):
    """II.1.c ends "trong đó trọng tâm vào các nội dung sau:" and lists two bullets, the first included."""
    point = plan.categories["chu-truong-chinh-sach"].points[2]
    assert point.label == "c"
    assert point.text.endswith("về đẩy mạnh thực hiện Chương trình tổng thể CCHC nhà nước giai đoạn 2021-2030, "
                               "trong đó trọng tâm vào các nội dung sau:")
    assert len(point.items) == 2
    assert point.items[0].startswith("Tập trung tuyên truyền về tầm quan trọng, ý nghĩa, mục tiêu của CCHC đối với "
                                     "sự phát triển kinh tế - xã hội của tỉnh;")
    assert point.items[1].startswith("Tuyên truyền Chỉ thị số 02/CT-UBND ngày 15/3/2019 của UBND tỉnh")
    assert [p.items for p in plan.categories["chu-truong-chinh-sach"].points[:2]] == [(), ()]


def test_reporting_window_descriptions_match_their_dates(plan):
    """Each description names the window's own first and last day (Q3 is 15/6–14/9, not "9 tháng")."""
    descriptions = {w.id: w.description for w in plan.windows}
    assert descriptions["Q3"] == "Báo cáo quý III, số liệu từ ngày 15/6 đến hết ngày 14/9."
    for window in plan.windows:
        first = window.start.date()
        assert f"từ ngày {first.day}/{first.month}" in window.description, window.id
        assert f"đến hết ngày {window.last_day.day}/{window.last_day.month}." in window.description, window.id
        assert "9 tháng" not in window.description, window.id


def test_plan_unit_duties(plan, content):
    assert [(u.section, u.groups) for u in plan.units] == [
        ("III.1", ("van-phong",)),
        ("III.2", ("phong",)),
        ("III.3", ("don-vi-truc-thuoc", "phong-gddt")),
    ]
    assert all(u.duties and all(d.text for d in u.duties) for u in plan.units)
    units = load_content(content).units
    assert set(units.groups) == {"van-phong", "phong", "don-vi-truc-thuoc", "phong-gddt", "ubnd-xa-phuong"}
    assert units.get("van-phong").group == "van-phong"


def test_reporting_windows_of_2025(plan):
    assert [w.id for w in plan.windows] == ["Q1", "H1", "Q3", "Q4", "Y"]
    q1, h1, q3, q4, year = (plan.window(i) for i in ("Q1", "H1", "Q3", "Q4", "Y"))
    assert (q4.start, q4.last_day) == (vn(2025, 9, 15), dt.date(2025, 12, 14))
    assert q1.start == vn(2024, 12, 15, 0, 0)
    assert q1.start.utcoffset() == dt.timedelta(hours=7)
    assert q1.last_day == dt.date(2025, 3, 14)
    assert (h1.start, h1.last_day) == (vn(2024, 12, 15), dt.date(2025, 6, 14))
    assert (q3.start, q3.last_day) == (vn(2025, 6, 15), dt.date(2025, 9, 14))
    assert (year.start, year.last_day) == (vn(2024, 12, 15), dt.date(2025, 12, 14))
    assert plan.year_window.id == "Y"


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (vn(2024, 12, 14, 23, 59, 59), False),
        (vn(2024, 12, 15, 0, 0), True),
        (vn(2025, 3, 14, 23, 59), True),
        (vn(2025, 3, 14, 23, 59, 59), True),
        (vn(2025, 3, 15, 0, 0), False),
        # 16:30 UTC on 14/3 is 23:30 in Vietnam (inside); 17:00 UTC is 15/3 00:00 (outside).
        (dt.datetime(2025, 3, 14, 16, 30, tzinfo=dt.timezone.utc), True),
        (dt.datetime(2025, 3, 14, 17, 0, tzinfo=dt.timezone.utc), False),
    ],
)
def test_q1_window_edges(plan, moment, inside):
    assert plan.window("Q1").contains(moment) is inside


def test_a_2026_plan_is_just_another_file(content):
    copy_plan(content, 2026)
    loaded = load_content(content)
    assert [d.format() for d in loaded.diagnostics.items] == []
    assert sorted(loaded.plans) == [2025, 2026]
    plan = loaded.plans[2026]
    assert list(plan.categories) == CATEGORY_IDS
    q1 = plan.window("Q1")
    assert (q1.start, q1.last_day) == (vn(2025, 12, 15), dt.date(2026, 3, 14))
    assert plan.window("Y").last_day == dt.date(2026, 12, 14)
    assert q1.contains(vn(2026, 3, 14, 23, 59)) and not q1.contains(vn(2026, 3, 15))


def test_plan_can_override_reporting_windows(content):
    override = (
        "reporting_windows:\n"
        "  - id: Q1\n"
        "    name: \"Quý I\"\n"
        "    start: {month: 1, day: 1}\n"
        "    end: {month: 3, day: 31}\n"
        "  - id: \"Y\"\n"
        "    name: \"Năm\"\n"
        "    start: {month: 1, day: 1}\n"
        "    end: {month: 12, day: 31}\n"
    )
    copy_plan(content, 2026, edit=lambda text: text + override)
    loaded = load_content(content)
    assert [d.format() for d in loaded.diagnostics.items] == []
    plan = loaded.plans[2026]
    assert [w.id for w in plan.windows] == ["Q1", "Y"]
    assert (plan.window("Q1").start, plan.window("Q1").last_day) == (vn(2026, 1, 1), dt.date(2026, 3, 31))
    # The other plan keeps the default windows of content/reporting.yml.
    assert [w.id for w in loaded.plans[2025].windows] == ["Q1", "H1", "Q3", "Q4", "Y"]


# --- Which plan checks an article -----------------------------------------------------------------
def _with_new_category(text: str) -> str:
    return text.replace(
        "# II.3. Hình thức",
        "  - id: chuyen-muc-moi\n    section: \"II.2.12\"\n    name: \"Chuyên mục mới\"\n\n# II.3. Hình thức",
    )


def test_article_is_checked_against_the_plan_of_its_year(content):
    copy_plan(content, 2026, edit=_with_new_category)
    write_article(content, "2026/03/moi.md", slug="moi", date="2026-03-17", categories="[chuyen-muc-moi]")
    old = write_article(content, "2025/03/cu.md", slug="cu", date="2025-03-17", categories="[chuyen-muc-moi]")
    loaded = load_content(content)
    assert [a.slug for a in loaded.articles] == ["moi"]
    assert loaded.articles[0].plan_year == 2026
    errors = [d.format() for d in loaded.diagnostics.sorted()]
    assert len(errors) == 2
    assert errors[0].startswith(f"content/news/2025/03/{old.name}:5: lỗi: chuyên mục “chuyen-muc-moi” không có trong kế hoạch "
                                "năm 2025 (content/plans/2025.yml)")
    assert "chuyên mục này có trong kế hoạch năm 2026: thêm nó vào content/plans/2025.yml" in errors[0]
    # the plan file is told too, at its categories: line: removing or renaming a category shows there
    assert errors[1].startswith("content/plans/2025.yml:82: lỗi: 1 bài của năm kế hoạch 2025 dùng chuyên mục "
                                f"“chuyen-muc-moi” không có trong kế hoạch này (content/news/2025/03/{old.name})")
    assert "chép chuyên mục “chuyen-muc-moi” từ content/plans/2026.yml" in errors[1]
    assert loaded.diagnostics.warnings == []


def test_article_after_the_reporting_year_belongs_to_the_next_plan(content):
    copy_plan(content, 2026)
    write_article(content, "2025/12/a.md", slug="a", date="2025-12-20 08:00")
    write_article(content, "2025/12/b.md", slug="b", title='"Bài b"', date="2025-12-14 23:59")
    loaded = load_content(content)
    assert loaded.diagnostics.items == []
    assert {a.slug: a.plan_year for a in loaded.articles} == {"a": 2026, "b": 2025}


@pytest.mark.parametrize(
    ("date", "plan_year", "missing_year"),
    [
        ("2026-03-17", 2025, 2026),  # latest earlier plan
        ("2028-03-17", 2027, 2028),  # latest earlier plan
        ("2024-03-17", 2025, 2024),  # no earlier plan: the earliest
    ],
)
def test_article_without_its_plan_uses_the_nearest_with_a_warning(content, date, plan_year, missing_year):
    copy_plan(content, 2027)
    path = write_article(content, f"{date[:4]}/03/bai.md", date=date)
    loaded = load_content(content)
    assert loaded.diagnostics.errors == []
    assert [a.plan_year for a in loaded.articles] == [plan_year]
    warnings = [d.format() for d in loaded.diagnostics.warnings]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"content/news/{date[:4]}/03/{path.name}:4: cảnh báo: chưa có kế hoạch năm {missing_year}")
    assert f"kế hoạch năm {plan_year}" in warnings[0]
    assert "Cách sửa" in warnings[0]


# --- Broken plan files -------------------------------------------------------------------------------
def test_duplicate_category_id(content):
    path = content / "plans" / "2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: van-ban-qppl", "  - id: chu-truong-chinh-sach"),
                    encoding="utf-8")
    line = line_of(path, "- id: chu-truong-chinh-sach", occurrence=2)
    errors = diagnostics(content)
    assert errors[0].startswith(f"content/plans/2025.yml:{line}: lỗi: chuyên mục “chu-truong-chinh-sach” bị khai báo hai lần")
    assert "Cách sửa" in errors[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("end: {month: 3, day: 14}", "end: {month: 13, day: 14}", "mốc “end” của kỳ báo cáo là ngày không tồn tại"),
        ("end: {month: 3, day: 14}", "end: {month: 2, day: 30}", "mốc “end” của kỳ báo cáo là ngày không tồn tại"),
        ("end: {month: 3, day: 14}", "end: {day: 14}", "mốc “end” của kỳ báo cáo không hợp lệ"),
        ("end: {month: 9, day: 14}", "end: {month: 5, day: 14}", "kỳ “Q3” kết thúc (14/05/2025) trước khi bắt đầu (15/06/2025)"),
    ],
)
def test_malformed_reporting_window(content, old, new, message):
    path = content / "reporting.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    line = line_of(path, new)
    errors = diagnostics(content)
    assert any(e.startswith(f"content/reporting.yml:{line}: lỗi: {message}") for e in errors), errors


def test_malformed_window_in_plan_override_points_at_the_plan(content):
    path = copy_plan(content, 2025, edit=lambda text: text + (
        "reporting_windows:\n  - id: Q1\n    name: \"Quý I\"\n    start: {month: 1, day: 1}\n    end: {month: 13, day: 31}\n"
    ))
    errors = diagnostics(content)
    line = line_of(path, "end: {month: 13, day: 31}")
    assert any(e.startswith(f"content/plans/2025.yml:{line}: lỗi: mốc “end” của kỳ báo cáo là ngày không tồn tại") for e in errors), errors


def test_missing_plan_folder(content):
    shutil.rmtree(content / "plans")
    errors = diagnostics(content)
    assert errors[0].startswith("content/plans: lỗi: chưa có tệp kế hoạch nào trong content/plans/")
    assert "Cách sửa" in errors[0]


def test_plan_yaml_syntax_error_points_at_the_line(content):
    path = content / "plans" / "2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("default_form: website", "default_form: [website"),
                    encoding="utf-8")
    line = line_of(path, "default_form: [website")
    errors = diagnostics(content)
    assert len(errors) == 1
    assert errors[0].startswith(f"content/plans/2025.yml:{line}: lỗi: danh sách mở bằng “[” chưa được đóng")
    assert "Cách sửa" in errors[0]


def test_plan_unclosed_quote_points_at_the_line(content):
    path = content / "plans" / "2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('issuer: "Sở Giáo dục và Đào tạo"', 'issuer: "Sở Giáo dục'),
                    encoding="utf-8")
    line = line_of(path, 'issuer: "Sở Giáo dục')
    errors = diagnostics(content)
    assert errors[0].startswith(f"content/plans/2025.yml:{line}: lỗi: thiếu dấu ngoặc kép đóng")


def test_plan_year_must_match_file_name(content):
    path = content / "plans" / "2025.yml"
    path.rename(content / "plans" / "2024.yml")
    errors = diagnostics(content)
    line = line_of(content / "plans" / "2024.yml", "year: 2025")
    assert errors[0].startswith(f"content/plans/2024.yml:{line}: lỗi: năm trong tệp (2025) khác tên tệp (2024.yml)")


def test_plan_category_document_must_be_listed(content):
    path = content / "plans" / "2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('documents: ["26/CT-TTg"]', 'documents: ["26/CT-TT"]'),
                    encoding="utf-8")
    line = line_of(path, 'documents: ["26/CT-TT"]')
    errors = diagnostics(content)
    assert errors[0].startswith(f"content/plans/2025.yml:{line}: lỗi: văn bản “26/CT-TT” chưa có trong danh sách documents")


def test_default_window_error_is_reported_once_for_all_plans(content):
    copy_plan(content, 2026)
    copy_plan(content, 2027)
    path = content / "reporting.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("end: {month: 3, day: 14}", "end: {month: 13, day: 14}"),
                    encoding="utf-8")
    line = line_of(path, "end: {month: 13, day: 14}")
    errors = diagnostics(content)
    assert len(errors) == 1
    assert errors[0].startswith(f"content/reporting.yml:{line}: lỗi: mốc “end” của kỳ báo cáo là ngày không tồn tại")


def test_plan_impossible_date_points_at_the_line(content):
    path = content / "plans" / "2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2021-07-15", "date: 2021-02-30"), encoding="utf-8")
    line = line_of(path, "date: 2021-02-30")
    errors = diagnostics(content)
    assert len(errors) == 1
    assert errors[0].startswith(f"content/plans/2025.yml:{line}: lỗi: có ngày không tồn tại: date: 2021-02-30")
