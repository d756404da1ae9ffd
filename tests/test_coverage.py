"""Coverage against the plan: the counting, the page /ke-hoach/<year>/, coverage.json and coverage.csv.

Every expected number below is written by hand from the fixture corpus described in
tests/fixtures/coverage/README.md (not computed by the code under test).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from support import FIXTURES, ROOT, build_site

from cchc import coverage as cov
from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.generators import coverage as cov_gen
from cchc.settings import SiteSettings

FIXTURE = FIXTURES / "coverage"
VN = dt.timezone(dt.timedelta(hours=7))
BUILD_DATE = "2025-07-01 12:00"
NOW = dt.datetime(2025, 7, 1, 12, 0, tzinfo=VN)
LATER_DATE = "2026-01-10 09:00"
LATER = dt.datetime(2026, 1, 10, 9, 0, tzinfo=VN)
SITE_URL = "https://sgddt.bentre.gov.vn/cchc/"
WINDOWS = ("Q1", "H1", "Q3", "Y")

# Segments: the 2025 year window cut at every boundary of the fixture's windows (reporting.yml).
S1, S2, S3, S4 = ("2024-12-15/2025-03-14", "2025-03-15/2025-06-14", "2025-06-15/2025-09-14", "2025-09-15/2025-12-14")
SEGMENT_LABELS = {S1: "15/12/2024 – 14/03/2025 (Quý I)", S2: "15/03/2025 – 14/06/2025",
                  S3: "15/06/2025 – 14/09/2025 (Quý III)", S4: "15/09/2025 – 14/12/2025"}

# id → ((Q1, H1, Q3, Y), status, latest slug, non-zero months, gaps)  at NOW = 01/07/2025 12:00
# (S1 and S2 have ended at NOW: a row without any article in one of them is "irregular")
CATEGORIES = {
    "chu-truong-chinh-sach": ((1, 2, 0, 2), "covered", "a05-doi-thoai", {"2024-12": 1, "2025-05": 1}, []),
    "van-ban-qppl": ((0, 0, 0, 0), "none", None, {}, [S1, S2]),
    "sang-kien-giai-phap": ((1, 1, 0, 1), "irregular", "a11-gio-utc", {"2025-03": 1}, [S2]),
    "thu-tuc-hanh-chinh": ((1, 3, 0, 3), "covered", "a05-doi-thoai", {"2025-03": 2, "2025-05": 1}, []),
    "ky-luat-ky-cuong": ((0, 0, 0, 0), "none", None, {}, [S1, S2]),
    "chi-so-cchc": ((0, 0, 0, 0), "none", None, {}, [S1, S2]),
    "cai-cach-cong-vu": ((0, 1, 1, 2), "irregular", "a07-dau-quy-3", {"2025-06": 2}, [S1]),
    "chinh-quyen-so": ((1, 1, 2, 3), "irregular", "a08-hoc-ba-so", {"2025-03": 1, "2025-06": 2}, [S2]),
    "co-so-du-lieu": ((0, 0, 1, 1), "irregular", "a10-dung-gio-build", {"2025-07": 1}, [S1, S2]),
    "giam-sat-nguoi-dan": ((0, 0, 0, 0), "none", None, {}, [S1, S2]),
    "bieu-duong-phe-phan": ((0, 0, 0, 0), "none", None, {}, [S1, S2]),
    "ban-chi-dao": ((0, 1, 0, 1), "irregular", "a05-doi-thoai", {"2025-05": 1}, [S1]),
}
# id → articles in (S1, S2, S3, S4) at NOW
CATEGORY_SEGMENTS = {
    "chu-truong-chinh-sach": (1, 1, 0, 0), "van-ban-qppl": (0, 0, 0, 0), "sang-kien-giai-phap": (1, 0, 0, 0),
    "thu-tuc-hanh-chinh": (1, 2, 0, 0), "ky-luat-ky-cuong": (0, 0, 0, 0), "chi-so-cchc": (0, 0, 0, 0),
    "cai-cach-cong-vu": (0, 1, 1, 0), "chinh-quyen-so": (1, 0, 2, 0), "co-so-du-lieu": (0, 0, 1, 0),
    "giam-sat-nguoi-dan": (0, 0, 0, 0), "bieu-duong-phe-phan": (0, 0, 0, 0), "ban-chi-dao": (0, 1, 0, 0),
}
SECTIONS = ["II.1"] + [f"II.2.{i}" for i in range(1, 12)]
# id → ((Q1, H1, Q3, Y), status, latest slug, gaps)  at NOW
UNITS = {
    "van-phong": ((1, 1, 3, 4), "irregular", "a10-dung-gio-build", [S2]),  # nothing 15/3–14/6, though H1 has Q1's
    "thanh-tra": ((1, 2, 0, 2), "covered", "a03-sau-quy-1", []),
    "phong-to-chuc-can-bo": ((1, 2, 0, 2), "covered", "a06-cuoi-6-thang", []),
    "truong-thpt-a": ((0, 1, 0, 1), "irregular", "a05-doi-thoai", [S1]),
    "truong-thpt-b": ((0, 0, 0, 0), "none", None, [S1, S2]),
    "phong-gddt-ba-tri": ((0, 0, 0, 0), "none", None, [S1, S2]),
}
FORMS = {
    "website": ((3, 4, 3, 7), "covered", "a10-dung-gio-build", []),
    "tap-huan": ((1, 2, 0, 2), "covered", "a06-cuoi-6-thang", []),
    "doi-thoai": ((0, 1, 0, 1), "irregular", "a05-doi-thoai", [S1]),
}
COUNTED = ["a01-dau-quy-1", "a11-gio-utc", "a02-cuoi-quy-1", "a03-sau-quy-1", "a05-doi-thoai",
           "a06-cuoi-6-thang", "a07-dau-quy-3", "a08-hoc-ba-so", "a10-dung-gio-build"]
NEVER_COUNTED = ["a00-truoc-nam-ke-hoach", "a04-ban-nhap", "a09-hen-gio", "a12-cuoi-nam", "a13-nam-sau"]
MONTHS = ["2024-12"] + [f"2025-{m:02d}" for m in range(1, 13)]
STATUS_TEXT = {"none": "Chưa có tin", "irregular": "Chưa thường xuyên", "covered": "Đã có tin"}
TRICKY_TITLE = 'Học bạ số <em>thí điểm</em> & "dịch vụ công" | giai đoạn 1'


# --- the counting itself -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def content():
    loaded = load_content(FIXTURE)
    assert loaded.ok, loaded.diagnostics.format()
    return loaded


@pytest.fixture(scope="module")
def coverage(content):
    return cov.compute(content.plans[2025], content.units, content.published(NOW), NOW)


def _windows(tally) -> tuple:
    return tuple(tally.counts[w] for w in WINDOWS)


def test_counted_articles_are_published_and_in_the_year_window(coverage):
    assert [a.slug for a in coverage.articles] == COUNTED
    assert coverage.year.id == "Y"
    assert coverage.year.start == dt.datetime(2024, 12, 15, tzinfo=VN)
    assert coverage.year.end == dt.datetime(2025, 12, 15, tzinfo=VN)


def test_window_states_at_now(coverage):
    assert [(w.id, w.state) for w in coverage.windows] == [
        ("Q1", "ended"), ("H1", "ended"), ("Q3", "current"), ("Y", "current")]
    assert [m.id for m in coverage.months] == MONTHS
    states = {m.id: m.state for m in coverage.months}
    assert states["2025-06"] == "ended" and states["2025-07"] == "current" and states["2025-08"] == "upcoming"
    assert coverage.months[0].start == dt.datetime(2024, 12, 15, tzinfo=VN)
    assert coverage.months[-1].last_day == dt.date(2025, 12, 14)


def test_segments_cut_the_year_at_every_window_boundary(coverage):
    assert [(s.id, s.state, s.windows) for s in coverage.segments] == [
        (S1, "ended", ("Q1", "H1", "Y")), (S2, "ended", ("H1", "Y")),
        (S3, "current", ("Q3", "Y")), (S4, "upcoming", ("Y",))]
    assert coverage.segments[1].start == dt.datetime(2025, 3, 15, tzinfo=VN)
    assert coverage.segments[1].end == dt.datetime(2025, 6, 15, tzinfo=VN)
    assert coverage.segments[1].name == "15/03/2025 – 14/06/2025"


def test_segments_follow_the_windows_of_the_plan_file():
    """Not hard-coded: other windows give other segments (calendar quarters here)."""
    def period(pid, start, end):
        return cov.Period(pid, pid, start, end, cov.ENDED)
    year = period("Y", dt.datetime(2026, 1, 1, tzinfo=VN), dt.datetime(2027, 1, 1, tzinfo=VN))
    windows = [period("Q1", dt.datetime(2026, 1, 1, tzinfo=VN), dt.datetime(2026, 4, 1, tzinfo=VN)),
               period("T9", dt.datetime(2026, 1, 1, tzinfo=VN), dt.datetime(2026, 10, 1, tzinfo=VN)),
               period("X", dt.datetime(2025, 11, 1, tzinfo=VN), dt.datetime(2026, 2, 1, tzinfo=VN)),  # starts before Y
               year]
    now = dt.datetime(2026, 5, 1, tzinfo=VN)
    segments = cov.segment_periods(year, windows, now)
    assert [(s.id, s.state, s.windows) for s in segments] == [
        ("2026-01-01/2026-01-31", "ended", ("Q1", "T9", "X", "Y")),
        ("2026-02-01/2026-03-31", "ended", ("Q1", "T9", "Y")),
        ("2026-04-01/2026-09-30", "current", ("T9", "Y")),
        ("2026-10-01/2026-12-31", "upcoming", ("Y",)),
    ]


def test_category_counts_status_latest_and_months(coverage):
    assert [t.id for t in coverage.categories] == list(CATEGORIES)
    assert [t.section for t in coverage.categories] == SECTIONS
    for tally in coverage.categories:
        windows, status, latest, months, gaps = CATEGORIES[tally.id]
        assert _windows(tally) == windows, tally.id
        assert tally.total == windows[3], tally.id
        assert tuple(tally.segments[s] for s in (S1, S2, S3, S4)) == CATEGORY_SEGMENTS[tally.id], tally.id
        assert tally.status == status, tally.id
        assert (tally.latest.slug if tally.latest else None) == latest, tally.id
        assert {k: v for k, v in tally.months.items() if v} == months, tally.id
        assert list(tally.gaps) == gaps, tally.id


def test_unit_and_form_counts(coverage):
    assert [t.id for t in coverage.units] == list(UNITS)
    for tally in coverage.units:
        windows, status, latest, gaps = UNITS[tally.id]
        assert (_windows(tally), tally.status, tally.latest.slug if tally.latest else None, list(tally.gaps)) == \
            (windows, status, latest, gaps), tally.id
    assert [t.id for t in coverage.forms] == list(FORMS)
    for tally in coverage.forms:
        windows, status, latest, gaps = FORMS[tally.id]
        assert (_windows(tally), tally.status, tally.latest.slug if tally.latest else None, list(tally.gaps)) == \
            (windows, status, latest, gaps), tally.id


def test_units_grouped_as_section_three_of_the_plan(coverage):
    sections = [(s.section, s.name, [(g, [u.id for u in units]) for g, _, units in s.groups]) for s in coverage.unit_sections]
    assert sections == [
        ("III.1", "Văn phòng", [("van-phong", ["van-phong"])]),
        ("III.2", "Các phòng, Thanh tra Sở", [("phong", ["thanh-tra", "phong-to-chuc-can-bo"])]),
        ("III.3", "Các đơn vị trực thuộc Sở, Phòng GD&ĐT các huyện, thành phố",
         [("don-vi-truc-thuoc", ["truong-thpt-a", "truong-thpt-b"]), ("phong-gddt", ["phong-gddt-ba-tri"])]),
    ]


def test_summary(coverage):
    summary = coverage.summary
    assert len(coverage.articles) == 9
    assert (summary["categories"].covered, summary["categories"].total) == (7, 12)
    assert (summary["units"].covered, summary["units"].total) == (4, 6)
    assert (summary["forms"].covered, summary["forms"].total) == (3, 3)


def test_window_boundaries_to_the_minute(content):
    plan = content.plans[2025]
    q1 = plan.window("Q1")
    assert q1.contains(dt.datetime(2025, 3, 14, 23, 59, tzinfo=VN))
    assert not q1.contains(dt.datetime(2025, 3, 15, 0, 0, tzinfo=VN))
    assert q1.contains(dt.datetime(2024, 12, 15, 0, 0, tzinfo=VN))
    assert not q1.contains(dt.datetime(2024, 12, 14, 23, 59, tzinfo=VN))
    # 16:58 UTC on 14/03 is 23:58 on 14/03 in Vietnam: Q1
    assert q1.contains(dt.datetime(2025, 3, 14, 16, 58, tzinfo=dt.timezone.utc))


# At LATER (10/01/2026) every segment has ended; a09 (01/07 12:01, S3) and a12 (14/12 23:59, S4) count.
# id → ((Q1, H1, Q3, Y), status, gaps)
LATER_CATEGORIES = {
    "chu-truong-chinh-sach": ((1, 2, 0, 2), "irregular", [S3, S4]),
    "van-ban-qppl": ((0, 0, 0, 0), "none", [S1, S2, S3, S4]),
    "sang-kien-giai-phap": ((1, 1, 0, 1), "irregular", [S2, S3, S4]),
    "thu-tuc-hanh-chinh": ((1, 3, 0, 3), "irregular", [S3, S4]),
    "ky-luat-ky-cuong": ((0, 0, 0, 0), "none", [S1, S2, S3, S4]),
    "chi-so-cchc": ((0, 0, 0, 0), "none", [S1, S2, S3, S4]),
    "cai-cach-cong-vu": ((0, 1, 1, 2), "irregular", [S1, S4]),
    "chinh-quyen-so": ((1, 1, 2, 3), "irregular", [S2, S4]),  # every window has an article, yet 15/3–14/6 is empty
    "co-so-du-lieu": ((0, 0, 1, 1), "irregular", [S1, S2, S4]),
    "giam-sat-nguoi-dan": ((0, 0, 1, 1), "irregular", [S1, S2, S4]),
    "bieu-duong-phe-phan": ((0, 0, 0, 0), "none", [S1, S2, S3, S4]),
    "ban-chi-dao": ((0, 1, 0, 2), "irregular", [S1, S3]),
}
LATER_UNITS = {
    "van-phong": ((1, 1, 3, 4), "irregular", [S2, S4]),
    "thanh-tra": ((1, 2, 0, 2), "irregular", [S3, S4]),
    "phong-to-chuc-can-bo": ((1, 2, 0, 2), "irregular", [S3, S4]),
    "truong-thpt-a": ((0, 1, 0, 2), "irregular", [S1, S3]),
    "truong-thpt-b": ((0, 0, 0, 0), "none", [S1, S2, S3, S4]),
    "phong-gddt-ba-tri": ((0, 0, 1, 1), "irregular", [S1, S2, S4]),
}
LATER_FORMS = {
    "website": ((3, 4, 4, 9), "covered", []),  # an article in each of the four segments
    "tap-huan": ((1, 2, 0, 2), "irregular", [S3, S4]),
    "doi-thoai": ((0, 1, 0, 1), "irregular", [S1, S3, S4]),
}


def test_later_everything_ended(content):
    later = cov.compute(content.plans[2025], content.units, content.published(LATER), LATER)
    assert [a.slug for a in later.articles] == COUNTED + ["a09-hen-gio", "a12-cuoi-nam"]
    assert all(w.state == "ended" for w in later.windows)
    assert all(s.state == "ended" for s in later.segments)
    for rows, expected in ((later.categories, LATER_CATEGORIES), (later.units, LATER_UNITS), (later.forms, LATER_FORMS)):
        assert {t.id: (_windows(t), t.status, list(t.gaps)) for t in rows} == expected
    assert later.summary["categories"].covered == 8
    assert later.summary["units"].covered == 5
    assert later.summary["forms"].covered == 3


def test_preview_build_still_counts_published_only(content):
    """`mkdocs serve` shows drafts and scheduled articles; the coverage data never counts them."""
    settings = SiteSettings(content_dir=FIXTURE, site_url=SITE_URL, preview=True)
    build = SiteBuild(content, settings, NOW)
    assert any(a.draft for a in build.articles)
    data = json.loads(cov_gen.coverage_json(build, cov.compute(content.plans[2025], content.units, build.published, NOW)))
    assert data["summary"]["articles"] == 9
    outputs = list(cov_gen.generate(build))
    json_asset = next(o for o in outputs if getattr(o, "path", "") == "ke-hoach/2025/coverage.json")
    assert json.loads(json_asset.content)["summary"]["articles"] == 9


# --- the built site --------------------------------------------------------------------------------
class Tables(HTMLParser):
    """Every <table>: its caption and rows of cells (tag, text, attributes, links)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._cell = None
        self._caption = None
        self._hidden = 0  # inside aria-hidden

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden:
            self._hidden += 1 if tag not in ("br",) else 0
            return
        if attrs.get("aria-hidden") == "true" and tag not in ("br",):
            self._hidden = 1
            return
        if tag == "table":
            self._stack.append({"caption": "", "rows": [], "attrs": attrs})
        elif not self._stack:
            return
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._stack[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = {"tag": tag, "text": [], "attrs": attrs, "links": []}
            self._stack[-1]["rows"][-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["links"].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1 if tag not in ("br",) else 0
            return
        if tag == "table" and self._stack:
            table = self._stack.pop()
            for row in table["rows"]:
                for cell in row:
                    cell["text"] = " ".join("".join(cell["text"]).split())
            self.tables.append(table)
        elif tag == "caption" and self._caption is not None:
            self._stack[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._hidden:
            return
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell["text"].append(data)


def tables_of(html: str) -> dict[str, dict]:
    parser = Tables()
    parser.feed(html)
    result = {}
    for table in parser.tables:
        key = table["caption"]
        while key in result:
            key += "+"
        result[key] = table
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("coverage-site"), FIXTURE, build_date=BUILD_DATE)
    assert built.ok, built.output
    return built


@pytest.fixture(scope="module")
def page(site):
    return site.read("ke-hoach/2025/index.html")


def test_pages_exist_only_for_plans_with_a_file(site):
    assert site.exists("ke-hoach/index.html")
    assert site.exists("ke-hoach/2025/index.html")
    assert site.exists("ke-hoach/2025/coverage.json") and site.exists("ke-hoach/2025/coverage.csv")
    assert not site.exists("ke-hoach/2024/index.html")
    assert not site.exists("ke-hoach/2026/index.html")
    index = site.read("ke-hoach/index.html")
    assert 'href="../ke-hoach/2025/"' in index
    assert 'href="../ke-hoach/2025/coverage.json"' in index and 'href="../ke-hoach/2025/coverage.csv"' in index
    assert "Số 45/KH-SGDĐT ngày 10/01/2025; năm kế hoạch 15/12/2024 – 14/12/2025" in index
    years = tables_of(index)["Các năm kế hoạch và tóm tắt kết quả thực hiện"]
    row = [c["text"] for c in years["rows"][1]]
    assert row[0] == "Năm 2025"
    assert row[2:6] == ["9", "7/12", "4/6", "3/3"]


def test_nav_lists_plans_between_archive_and_units(site):
    html = site.read("ke-hoach/2025/index.html")
    tabs = html[html.index('class="md-tabs"'):]
    tabs = tabs[: tabs.index("</nav>")]
    labels = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', tabs)
    assert labels.index("Lưu trữ") + 1 == labels.index("Kế hoạch") == labels.index("Đơn vị") - 1


def test_page_header_and_summary(page):
    assert "Kết quả thực hiện Kế hoạch năm 2025" in page
    assert "Kế hoạch số 45/KH-SGDĐT ngày 10/01/2025 của Sở Giáo dục và Đào tạo" in page
    assert ("Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của Ủy ban nhân dân tỉnh về việc thông tin, "
            "tuyên truyền cải cách hành chính năm 2025.") in page
    assert "Thứ Ba, 01/07/2025, 12:00" in page
    summary = page[page.index('class="cchc-summary"'):]
    summary = re.sub(r"<[^>]+>", " ", summary[: summary.index("</ul>")])
    summary = " ".join(summary.split())
    assert "9 tin, bài đã đăng trong năm kế hoạch" in summary
    assert "7/12 nội dung tuyên truyền có ít nhất một tin" in summary
    assert "4/6 đơn vị đã đăng tin" in summary
    assert "3/3 hình thức tuyên truyền đã sử dụng" in summary


def _row_map(table: dict) -> dict[str, list[dict]]:
    """Body rows keyed by the href of their row header link (or its text)."""
    rows = {}
    for row in table["rows"]:
        header = next((c for c in row if c["tag"] == "th" and c["attrs"].get("scope") == "row"), None)
        if header is None:
            continue
        key = header["links"][0] if header["links"] else header["text"]
        rows[key] = row
    return rows


def _window_numbers(row: list[dict]) -> tuple:
    cells = [c for c in row if c["tag"] == "td"]
    # columns: status, Q1, H1, Q3, Y, latest
    return tuple(cells[i]["text"] for i in range(1, 5))


def _expected_cells(windows: tuple) -> tuple:
    """Q1 and H1 have ended at NOW: a zero there is a gap and says so in words."""
    ended = (True, True, False, False)
    return tuple(f"{n} (không có tin)" if done and n == 0 else str(n) for n, done in zip(windows, ended))


def test_content_items_table(page):
    tables = tables_of(page)
    table = tables["Số tin theo nội dung và kỳ báo cáo"]
    head = [c["text"] for c in table["rows"][0]]
    assert head[0] == "Nội dung" and head[1] == "Tình trạng" and head[-1] == "Tin mới nhất"
    assert head[2].startswith("Quý I 15/12/2024 – 14/03/2025")
    assert head[3].startswith("6 tháng đầu năm 15/12/2024 – 14/06/2025")
    assert head[4] == "Quý III 15/06/2025 – 14/09/2025 đang diễn ra"
    rows = _row_map(table)
    assert list(rows) == [f"../../chuyen-muc/{cid}/" for cid in CATEGORIES]  # plan order, linked
    for cid, (windows, status, latest, _, _) in CATEGORIES.items():
        row = rows[f"../../chuyen-muc/{cid}/"]
        assert _window_numbers(row) == _expected_cells(windows), cid
        status_cell = [c for c in row if c["tag"] == "td"][0]
        assert status_cell["text"].startswith(STATUS_TEXT[status]), cid  # in words, not only colour
        latest_cell = [c for c in row if c["tag"] == "td"][-1]
        if latest:
            assert any(f"/{latest}/" in href for href in latest_cell["links"]), cid
        else:
            assert latest_cell["links"] == [], cid
    first = rows["../../chuyen-muc/chu-truong-chinh-sach/"][0]["text"]
    assert first.startswith("Mục II.1 Chủ trương, chính sách CCHC Tuyên truyền về quan điểm")
    def status_text(cid):
        return [c for c in rows[f"../../chuyen-muc/{cid}/"] if c["tag"] == "td"][0]["text"]
    # the empty, ended segments are named under the status
    assert status_text("cai-cach-cong-vu") == "Chưa thường xuyên Không có tin: 15/12/2024 – 14/03/2025 (Quý I)"
    assert status_text("co-so-du-lieu") == \
        "Chưa thường xuyên Không có tin: 15/12/2024 – 14/03/2025 (Quý I); 15/03/2025 – 14/06/2025"
    # an article in Q1 and in Q3, none from 15/3 to 14/6: H1 is not empty, the row still is not regular
    assert status_text("chinh-quyen-so") == "Chưa thường xuyên Không có tin: 15/03/2025 – 14/06/2025"
    assert status_text("thu-tuc-hanh-chinh") == "Đã có tin"
    assert status_text("van-ban-qppl") == "Chưa có tin"


def test_table_headers_are_accessible(page):
    assert page.count("<caption>") >= 6
    assert '<th scope="col"' in page and '<th scope="row"' in page
    assert 'class="cchc-status cchc-status--none"' in page


def test_tricky_title_is_escaped(page):
    assert "Học bạ số &lt;em&gt;thí điểm&lt;/em&gt; &amp; &#34;dịch vụ công&#34; | giai đoạn 1" in page \
        or "Học bạ số &lt;em&gt;thí điểm&lt;/em&gt; &amp; &quot;dịch vụ công&quot; | giai đoạn 1" in page
    assert "<em>thí điểm</em>" not in page


def test_heat_map(page):
    table = tables_of(page)["Bản đồ nhiệt: số tin theo nội dung và tháng"]
    head = [c["text"] for c in table["rows"][0]]
    assert head[0] == "Nội dung" and head[-1] == "Cả năm"
    assert head[1:-1] == (["12/2024"] + [f"{m}/2025" for m in range(1, 7)] + ["7/2025 (đang diễn ra)"]
                          + [f"{m}/2025" for m in range(8, 13)])
    body = table["rows"][1:]
    assert len(body) == 12
    for row, (cid, (windows, _, _, nonzero, _)) in zip(body, CATEGORIES.items()):
        cells = [c for c in row if c["tag"] == "td"]
        values = [c["text"] for c in cells[:-1]]
        expected = []
        for month in MONTHS:
            if month > "2025-07":
                expected.append("chưa đến")
            else:
                expected.append(str(nonzero.get(month, 0)))
        assert values == expected, cid
        assert cells[-1]["text"] == str(windows[3]), cid
        # colour steps repeat the number; a finished month without articles is marked as a gap
        for cell, month in zip(cells[:-1], MONTHS):
            classes = cell["attrs"]["class"].split()
            if month > "2025-07":
                assert "cchc-heat--future" in classes
            elif nonzero.get(month, 0) == 0:
                assert "cchc-heat--0" in classes
                assert ("cchc-heat--gap" in classes) == (month < "2025-07")
            else:
                assert f"cchc-heat--{1 if nonzero[month] == 1 else 2}" in classes


def test_units_table_highlights_units_without_articles(page):
    tables = tables_of(page)
    unit_rows = {}
    for caption, table in tables.items():
        if caption.startswith("Số tin theo đơn vị và kỳ báo cáo"):
            unit_rows.update(_row_map(table))
    assert list(unit_rows) == [f"../../don-vi/{uid}/" for uid in UNITS]
    for uid, (windows, status, _, _) in UNITS.items():
        row = unit_rows[f"../../don-vi/{uid}/"]
        assert _window_numbers(row) == _expected_cells(windows), uid
        assert [c for c in row if c["tag"] == "td"][0]["text"].startswith(STATUS_TEXT[status]), uid
    assert "Số tin theo đơn vị và kỳ báo cáo (2/3 đơn vị chưa có tin)" in tables
    assert "2/6 đơn vị chưa có tin nào trong năm kế hoạch" in page
    for heading in ("III.1. Văn phòng", "III.2. Các phòng, Thanh tra Sở",
                    "III.3. Các đơn vị trực thuộc Sở, Phòng GD&amp;ĐT các huyện, thành phố"):
        assert heading in page
    assert re.search(r'<tr class="cchc-row cchc-row--none">\s*<th scope="row"><a href="../../don-vi/truong-thpt-b/"', page)


def test_forms_table(page):
    table = tables_of(page)["Số tin theo hình thức và kỳ báo cáo"]
    rows = [r for r in table["rows"][1:]]
    assert len(rows) == 3
    for row, (fid, (windows, status, _, _)) in zip(rows, FORMS.items()):
        assert _window_numbers(row) == _expected_cells(windows), fid
        assert [c for c in row if c["tag"] == "td"][0]["text"].startswith(STATUS_TEXT[status])


def test_counting_rules_are_stated(page):
    rules = page[page.index('id="cach-tinh"'):]
    rules = " ".join(re.sub(r"<[^>]+>", " ", rules[: rules.index("</section>")]).split())
    assert "không tính bản nháp" in rules and "hẹn giờ" in rules
    assert "15/12/2024 đến hết ngày 14/12/2025" in rules
    assert "+07:00" in rules and "từng phút" in rules
    assert "một lần cho mỗi nội dung" in rules
    assert "lấy từ tệp kế hoạch" in rules
    # the regularity rule, with the segments of this plan year and where "now" is
    assert ("không chồng lên nhau, chia năm kế hoạch tại mọi mốc bắt đầu, kết thúc của các kỳ báo cáo: "
            "15/12/2024 – 14/03/2025 (Quý I); 15/03/2025 – 14/06/2025; "
            "15/06/2025 – 14/09/2025 (Quý III) (đang diễn ra); 15/09/2025 – 14/12/2025 (chưa đến).") in rules
    assert "“Chưa thường xuyên” khi có khoảng thời gian nêu trên đã kết thúc mà không có tin nào" in rules


def test_open_data_links(page):
    assert 'href="../../ke-hoach/2025/coverage.json"' in page
    assert 'href="../../ke-hoach/2025/coverage.csv"' in page
    assert 'href="../../du-lieu-mo/"' in page


# Objects of coverage.json whose keys are ids (window, segment, month ids), not field names.
ID_KEYED = {"windows", "segments", "months", "events", "participants"}


def _json_keys(value, parent: str = "") -> set[str]:
    """Every field name of coverage.json, at any depth (keys of the id-keyed count objects excluded)."""
    keys: set[str] = set()
    if isinstance(value, dict):
        if parent in ID_KEYED:  # a row's {"Q1": 3, "H1": 5, …}: the keys are ids, documented as such
            assert all(isinstance(v, int) or v is None for v in value.values()), value
            return keys
        for key, item in value.items():
            keys.add(key)
            keys |= _json_keys(item, key)
    elif isinstance(value, list):
        for item in value:
            keys |= _json_keys(item, parent + "[]")  # items of the windows[] list are objects with fields
    return keys


def test_data_description_page(site, data):
    """Every key of coverage.json, at every depth, is documented on du-lieu-mo/."""
    doc = site.read("du-lieu-mo/index.html")
    keys = _json_keys(data)
    assert len(keys) == 45, sorted(keys)  # written by hand: a new key must be documented and counted here
    for key in sorted(keys):
        assert f"<code>{key}</code>" in doc, f"coverage.json key “{key}” is not described in docs/du-lieu-mo.md"
    assert "hiện là <code>3</code>" in doc  # the version the page describes is the one written
    for column in _csv_rows(site)[0]:
        assert column in doc or column.startswith(("Q1:", "H1:", "Q3:", "Y:", "Tháng ")), column


# --- coverage.json ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(site):
    return json.loads(site.read("ke-hoach/2025/coverage.json"))


def test_json_keys_are_stable(data):
    assert list(data) == ["schema", "version", "as_of", "site_url", "plan", "year_window", "windows", "segments",
                          "months", "summary", "categories", "units", "forms", "articles"]
    assert data["schema"] == "cchc-coverage" and data["version"] == 3
    assert data["as_of"] == "2025-07-01T12:00:00+07:00"
    assert list(data["plan"]) == ["year", "number", "title", "issuer", "date", "implements", "url"]
    assert list(data["categories"][0]) == ["id", "name", "section", "url", "total", "windows", "segments", "months",
                                           "latest", "status", "gaps"]
    assert list(data["units"][0]) == ["id", "name", "section", "group", "group_name", "from", "until", "successors",
                                      "url", "total", "windows", "segments", "months", "latest", "status", "gaps"]
    assert list(data["forms"][0]) == ["id", "name", "section", "total", "windows", "segments", "months", "latest",
                                      "status", "gaps", "has_events", "events", "participants", "events_total",
                                      "participants_total"]


def test_json_plan_and_windows(data):
    assert data["plan"]["number"] == "45/KH-SGDĐT"
    assert data["plan"]["date"] == "2025-01-10"
    assert data["plan"]["implements"]["number"] == "9000/KH-UBND"
    assert data["plan"]["url"] == SITE_URL + "ke-hoach/2025/"
    assert data["windows"][0] == {"id": "Q1", "name": "Quý I", "start": "2024-12-15T00:00:00+07:00",
                                  "end": "2025-03-15T00:00:00+07:00", "first_day": "2024-12-15",
                                  "last_day": "2025-03-14", "state": "ended"}
    assert [w["id"] for w in data["windows"]] == list(WINDOWS)
    assert [w["state"] for w in data["windows"]] == ["ended", "ended", "current", "current"]
    assert data["year_window"]["id"] == "Y"
    assert [m["id"] for m in data["months"]] == MONTHS
    assert data["segments"][1] == {"id": S2, "name": "15/03/2025 – 14/06/2025", "start": "2025-03-15T00:00:00+07:00",
                                   "end": "2025-06-15T00:00:00+07:00", "first_day": "2025-03-15",
                                   "last_day": "2025-06-14", "state": "ended", "windows": ["H1", "Y"]}
    assert [(seg["id"], seg["state"], seg["windows"]) for seg in data["segments"]] == [
        (S1, "ended", ["Q1", "H1", "Y"]), (S2, "ended", ["H1", "Y"]), (S3, "current", ["Q3", "Y"]),
        (S4, "upcoming", ["Y"])]


def test_json_counts(data):
    assert data["summary"] == {"articles": 9, "categories": {"covered": 7, "total": 12},
                               "units": {"covered": 4, "total": 6}, "forms": {"covered": 3, "total": 3},
                               "events": 0, "participants": 0}  # no article of this fixture reports an event
    for row in data["categories"]:
        windows, status, latest, months, gaps = CATEGORIES[row["id"]]
        assert tuple(row["windows"][w] for w in WINDOWS) == windows
        assert row["segments"] == dict(zip((S1, S2, S3, S4), CATEGORY_SEGMENTS[row["id"]]))
        assert row["total"] == windows[3]
        assert row["status"] == status and row["gaps"] == gaps
        assert {k: v for k, v in row["months"].items() if v} == months
        assert list(row["months"]) == MONTHS
        assert row["url"] == SITE_URL + f"chuyen-muc/{row['id']}/"
        if latest:
            assert row["latest"]["url"].endswith(f"/{latest}/")
            assert row["latest"]["url"].startswith(SITE_URL + "tin-tuc/")
        else:
            assert row["latest"] is None
    for row in data["units"]:
        windows, status, _, gaps = UNITS[row["id"]]
        assert (tuple(row["windows"][w] for w in WINDOWS), row["status"], row["gaps"]) == (windows, status, gaps)
    assert data["units"][-1]["group_name"] == "Phòng GD&ĐT các huyện, thành phố"
    assert data["units"][-1]["section"] == "III.3"
    for row in data["forms"]:
        windows, status, _, gaps = FORMS[row["id"]]
        assert (tuple(row["windows"][w] for w in WINDOWS), row["status"], row["gaps"]) == (windows, status, gaps)


def test_json_articles(data):
    assert [a["url"].rstrip("/").rsplit("/", 1)[1] for a in data["articles"]] == COUNTED
    first = data["articles"][0]
    assert first == {"url": SITE_URL + "tin-tuc/2024/12/a01-dau-quy-1/", "title": "Tin đầu tiên của Quý I năm 2025",
                     "date": "2024-12-15T00:00:00+07:00", "unit": "van-phong",
                     "categories": ["chu-truong-chinh-sach"], "forms": ["website"], "events": []}
    utc = next(a for a in data["articles"] if a["url"].endswith("/a11-gio-utc/"))
    assert utc["date"] == "2025-03-14T23:58:00+07:00"
    assert next(a for a in data["articles"] if a["url"].endswith("/a08-hoc-ba-so/"))["title"] == TRICKY_TITLE
    for slug in NEVER_COUNTED:
        assert not any(a["url"].endswith(f"/{slug}/") for a in data["articles"]), slug


def test_open_data_is_byte_identical_across_rebuilds(site, tmp_path):
    again = build_site(tmp_path, FIXTURE, build_date=BUILD_DATE)
    assert again.ok, again.output
    for name in ("coverage.json", "coverage.csv"):
        assert (again.site / "ke-hoach/2025" / name).read_bytes() == (site.site / "ke-hoach/2025" / name).read_bytes()


# --- coverage.csv --------------------------------------------------------------------------------------
MONTH_HEADERS = ["Tháng 12/2024"] + [f"Tháng {m}/2025" for m in range(1, 13)]


def _csv_rows(site) -> list[list[str]]:
    raw = (site.site / "ke-hoach/2025/coverage.csv").read_bytes()
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_bytes_bom_and_crlf(site):
    raw = (site.site / "ke-hoach/2025/coverage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    lines = raw[3:].split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 1 + 21 + 1  # header, 21 rows, nothing after the last CRLF
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # no bare LF or CR


def test_csv(site):
    rows = _csv_rows(site)
    head = rows[0]
    assert head[:5] == ["Loại", "Mục", "Nhóm", "Mã", "Tên"]
    assert head[5:9] == ["Q1: Quý I", "H1: 6 tháng đầu năm", "Q3: Quý III", "Y: Năm"]
    assert head[9:22] == MONTH_HEADERS  # not "2024-12": Excel would turn that header into a date
    assert head[22:] == ["Trạng thái", "Mã trạng thái", "Khoảng thời gian không có tin", "Tin mới nhất: ngày",
                         "Tin mới nhất: tiêu đề", "Tin mới nhất: địa chỉ", "Hoạt động từ ngày", "Hoạt động đến ngày",
                         "Đơn vị kế tiếp", "Số sự kiện", "Số lượt người tham dự"]
    body = rows[1:]
    assert len(body) == 12 + 6 + 3
    assert [r[0] for r in body] == ["Nội dung"] * 12 + ["Đơn vị"] * 6 + ["Hình thức"] * 3
    expected = {**{k: (v[0], v[1]) for k, v in CATEGORIES.items()}, **{k: (v[0], v[1]) for k, v in UNITS.items()},
                **{k: (v[0], v[1]) for k, v in FORMS.items()}}
    for row in body:
        windows, status = expected[row[3]]
        assert tuple(int(x) for x in row[5:9]) == windows, row[3]
        assert row[23] == status and row[22] == STATUS_TEXT[status]
        assert row[17:22] == [""] * 5, row[3]  # August to December 2025 have not started: empty, not 0
    thu_tuc = next(r for r in body if r[3] == "thu-tuc-hanh-chinh")
    assert thu_tuc[1] == "II.2.3" and thu_tuc[4] == "Thủ tục hành chính, một cửa"
    assert thu_tuc[9:22] == ["0", "0", "0", "2", "0", "1", "0", "0", "", "", "", "", ""]
    assert thu_tuc[25:28] == ["2025-05-20", "Đối thoại với phụ huynh về thủ tục hành chính",
                              SITE_URL + "tin-tuc/2025/05/a05-doi-thoai/"]
    assert next(r for r in body if r[3] == "cai-cach-cong-vu")[24] == "15/12/2024 – 14/03/2025 (Quý I)"
    assert next(r for r in body if r[3] == "co-so-du-lieu")[24] == \
        "15/12/2024 – 14/03/2025 (Quý I); 15/03/2025 – 14/06/2025"
    assert next(r for r in body if r[3] == "van-phong")[24] == "15/03/2025 – 14/06/2025"
    assert next(r for r in body if r[3] == "website")[24] == ""
    ba_tri = next(r for r in body if r[3] == "phong-gddt-ba-tri")
    assert ba_tri[2] == "Phòng GD&ĐT các huyện, thành phố" and ba_tri[1] == "III.3"
    chinh_quyen = next(r for r in body if r[3] == "chinh-quyen-so")
    assert chinh_quyen[26] == TRICKY_TITLE
    assert chinh_quyen[25] == "2025-06-30"


def test_csv_leaves_windows_that_have_not_started_empty(content):
    """At 01/05/2025 Q3 has not started: its cells are empty; H1 (current) and Q1 (ended) hold numbers."""
    early = dt.datetime(2025, 5, 1, 9, 0, tzinfo=VN)
    build = SiteBuild(content, SiteSettings(content_dir=FIXTURE, site_url=SITE_URL), early)
    coverage = cov.compute(content.plans[2025], content.units, content.published(early), early)
    rows = list(csv.reader(io.StringIO(cov_gen.coverage_csv(build, coverage).decode("utf-8-sig"), newline="")))
    thu_tuc = next(r for r in rows if r[3] == "thu-tuc-hanh-chinh")
    assert thu_tuc[5:9] == ["1", "2", "", "2"]  # a02 (Q1), a03 (15/03); a05 (20/05) is after 01/05
    assert thu_tuc[9:22] == ["0", "0", "0", "2", "0", "0"] + [""] * 7  # May is current (0 so far), June on: empty
    van_ban = next(r for r in rows if r[3] == "van-ban-qppl")
    assert van_ban[5:9] == ["0", "0", "", "0"]
    assert van_ban[24] == "15/12/2024 – 14/03/2025 (Quý I)"  # 15/3–14/6 has not ended: not a gap yet


def test_safe_cell_follows_owasp():
    assert cov.safe_cell('=HYPERLINK("https://x.example","a")') == '\'=HYPERLINK("https://x.example","a")'
    assert cov.safe_cell("+84 tin") == "'+84 tin"
    assert cov.safe_cell("-1 tin") == "'-1 tin"
    assert cov.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert cov.safe_cell("\tcột") == "'\tcột"
    assert cov.safe_cell("\rdòng") == "'\rdòng"
    assert cov.safe_cell("Tin 1+1=2") == "Tin 1+1=2"  # only the first character matters
    assert cov.safe_cell("2025-05-20") == "2025-05-20"
    assert cov.safe_cell(3) == 3 and cov.safe_cell("") == ""


FORMULA_TITLE = '=HYPERLINK("https://evil.example/","Bấm vào đây")'


@pytest.fixture(scope="module")
def formula_content(tmp_path_factory):
    """The fixture plus an article whose title Excel would run as a formula, and a unit named "+…"."""
    root = tmp_path_factory.mktemp("formula") / "content"
    shutil.copytree(FIXTURE, root)
    (root / "news" / "2025" / "06" / "a14-cong-thuc.md").write_text(
        "---\ntitle: '" + FORMULA_TITLE + "'\nslug: a14-cong-thuc\ndate: 2025-06-20 08:00\n"
        "categories: [bieu-duong-phe-phan]\nunit: truong-thpt-b\n---\n\nNội dung.\n", encoding="utf-8")
    units = root / "units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace('name: "Trường THPT B"', 'name: "+Trường THPT B"'),
                     encoding="utf-8")
    return root


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(formula_content):
    content = load_content(formula_content)
    assert content.ok, content.diagnostics.format()
    build = SiteBuild(content, SiteSettings(content_dir=formula_content, site_url=SITE_URL), NOW)
    coverage = cov.compute(content.plans[2025], content.units, content.published(NOW), NOW)
    rows = list(csv.reader(io.StringIO(cov_gen.coverage_csv(build, coverage).decode("utf-8-sig"), newline="")))
    bieu_duong = next(r for r in rows if r[3] == "bieu-duong-phe-phan")
    assert bieu_duong[26] == "'" + FORMULA_TITLE
    assert next(r for r in rows if r[3] == "truong-thpt-b")[4] == "'+Trường THPT B"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # JSON is not read by spreadsheets: it keeps the text exactly as written
    data = json.loads(cov_gen.coverage_json(build, coverage))
    assert next(r for r in data["categories"] if r["id"] == "bieu-duong-phe-phan")["latest"]["title"] == FORMULA_TITLE
    assert next(r for r in data["units"] if r["id"] == "truong-thpt-b")["name"] == "+Trường THPT B"


def test_sample_site_has_a_coverage_page_for_each_plan_file():
    plans = sorted(p.stem for p in (ROOT / "content" / "plans").glob("*.yml"))
    assert plans, "the sample content has plan files"
    content = load_content(ROOT / "content")
    settings = SiteSettings(content_dir=ROOT / "content", site_url=SITE_URL)
    outputs = list(cov_gen.generate(SiteBuild(content, settings, LATER)))
    pages = sorted(o.url for o in outputs if hasattr(o, "template"))
    assert pages == ["ke-hoach/"] + [f"ke-hoach/{year}/" for year in plans]


# --- a plan file without number and date ----------------------------------------------------------------
@pytest.fixture(scope="module")
def site_without_number(tmp_path_factory):
    """The fixture with `number: null` and no `date:` line, as content/plans/2025.yml ships."""
    tmp = tmp_path_factory.mktemp("no-number")
    root = tmp / "content"
    shutil.copytree(FIXTURE, root)
    plan = root / "plans" / "2025.yml"
    text = plan.read_text(encoding="utf-8")
    assert 'number: "45/KH-SGDĐT"\ndate: 2025-01-10\n' in text
    plan.write_text(text.replace('number: "45/KH-SGDĐT"\ndate: 2025-01-10\n', "number: null\n"), encoding="utf-8")
    built = build_site(tmp, root, build_date=BUILD_DATE)
    assert built.ok, built.output
    return built


def test_page_without_plan_number_or_date_invents_none(site_without_number):
    page = site_without_number.read("ke-hoach/2025/index.html")
    header = page[page.index('<p class="cchc-coverage__plan">'):]
    header = " ".join(re.sub(r"<[^>]+>", " ", header[: header.index("</p>")]).split())
    assert header == ("Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2025 Kế hoạch của Sở Giáo dục và "
                      "Đào tạo. Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của Ủy ban nhân dân tỉnh về việc "
                      "thông tin, tuyên truyền cải cách hành chính năm 2025.")
    assert "45/KH" not in page and "10/01/2025" not in page
    assert not re.search(r"Kế hoạch số\s+(ngày|của|\.)", page)
    index = site_without_number.read("ke-hoach/index.html")
    years = tables_of(index)["Các năm kế hoạch và tóm tắt kết quả thực hiện"]
    assert years["rows"][1][1]["text"] == ("Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2025 "
                                           "Năm kế hoạch 15/12/2024 – 14/12/2025")
    assert "Số " not in years["rows"][1][1]["text"]


def test_json_without_plan_number_or_date_keeps_the_keys_as_null(site_without_number):
    data = json.loads(site_without_number.read("ke-hoach/2025/coverage.json"))
    assert list(data["plan"]) == ["year", "number", "title", "issuer", "date", "implements", "url"]
    assert data["plan"]["number"] is None and data["plan"]["date"] is None
    assert data["plan"]["title"] == "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2025"


# --- in a browser: phones and print -----------------------------------------------------------------------
A4_PORTRAIT_PRINTABLE = 718  # CSS px: 210 mm at 96 dpi (794 px) less Chromium's default margins


@pytest.fixture(scope="module")
def browser_pages(site):
    from browser import chromium, serve_directory

    with serve_directory(site.site) as base, chromium() as browser:
        yield base, browser


@pytest.mark.parametrize("url", ["ke-hoach/2025/", "ke-hoach/"])
def test_phone_page_does_not_scroll_sideways(browser_pages, url):
    """Wide tables scroll inside their box; the page itself stays 390 px wide."""
    base, browser = browser_pages
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(base + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if url == "ke-hoach/2025/":
            # the tables are still wider than the phone: they scroll inside .cchc-table-wrap
            assert page.evaluate("Math.max(...[...document.querySelectorAll('.cchc-table-wrap')]"
                                 ".map(w => w.scrollWidth))") > 390
    finally:
        page.close()


def _table_widths(page) -> list[tuple[str, float]]:
    return page.evaluate("""[...document.querySelectorAll('table')].map(t =>
        [t.caption ? t.caption.textContent.trim() : '', t.getBoundingClientRect().right])""")


@pytest.mark.parametrize("url", ["ke-hoach/2025/", "ke-hoach/"])
def test_printed_tables_fit_a_portrait_a4_page(browser_pages, url):
    """Even where the landscape named page is not honoured, every column is on the paper."""
    base, browser = browser_pages
    page = browser.new_page(viewport={"width": A4_PORTRAIT_PRINTABLE, "height": 1000})
    try:
        page.goto(base + url)
        page.emulate_media(media="print")
        widths = _table_widths(page)
        assert len(widths) == (7 if url == "ke-hoach/2025/" else 1)
        too_wide = [(caption, right) for caption, right in widths if right > A4_PORTRAIT_PRINTABLE]
        assert not too_wide, too_wide
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_PORTRAIT_PRINTABLE
        if url == "ke-hoach/2025/":
            for text in ("Tin mới nhất", "Cả năm", "12/2025"):  # the last columns are laid out, not cut
                cell = page.locator("th", has_text=text).first
                assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= A4_PORTRAIT_PRINTABLE, text
    finally:
        page.close()


def test_coverage_page_prints_on_landscape_a4(browser_pages, tmp_path):
    """The PDF Chromium makes: every sheet is A4 landscape (842 × 595 pt); other pages stay portrait."""
    base, browser = browser_pages
    page = browser.new_page()
    try:
        sizes = {}
        for url in ("ke-hoach/2025/", "tin-tuc/2025/05/a05-doi-thoai/"):
            page.goto(base + url)
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
            boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
            assert boxes, url
            sizes[url] = {(round(float(w)), round(float(h))) for w, h in boxes}
        assert sizes["ke-hoach/2025/"] == {(842, 595)}
        assert sizes["tin-tuc/2025/05/a05-doi-thoai/"] == {(596, 843)}
    finally:
        page.close()
