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

# id → ((Q1, H1, Q3, Y), status, latest slug, non-zero months, gaps)  at NOW = 01/07/2025 12:00
CATEGORIES = {
    "chu-truong-chinh-sach": ((1, 2, 0, 2), "covered", "a05-doi-thoai", {"2024-12": 1, "2025-05": 1}, []),
    "van-ban-qppl": ((0, 0, 0, 0), "none", None, {}, ["Q1", "H1"]),
    "sang-kien-giai-phap": ((1, 1, 0, 1), "covered", "a11-gio-utc", {"2025-03": 1}, []),
    "thu-tuc-hanh-chinh": ((1, 3, 0, 3), "covered", "a05-doi-thoai", {"2025-03": 2, "2025-05": 1}, []),
    "ky-luat-ky-cuong": ((0, 0, 0, 0), "none", None, {}, ["Q1", "H1"]),
    "chi-so-cchc": ((0, 0, 0, 0), "none", None, {}, ["Q1", "H1"]),
    "cai-cach-cong-vu": ((0, 1, 1, 2), "irregular", "a07-dau-quy-3", {"2025-06": 2}, ["Q1"]),
    "chinh-quyen-so": ((1, 1, 2, 3), "covered", "a08-hoc-ba-so", {"2025-03": 1, "2025-06": 2}, []),
    "co-so-du-lieu": ((0, 0, 1, 1), "irregular", "a10-dung-gio-build", {"2025-07": 1}, ["Q1", "H1"]),
    "giam-sat-nguoi-dan": ((0, 0, 0, 0), "none", None, {}, ["Q1", "H1"]),
    "bieu-duong-phe-phan": ((0, 0, 0, 0), "none", None, {}, ["Q1", "H1"]),
    "ban-chi-dao": ((0, 1, 0, 1), "irregular", "a05-doi-thoai", {"2025-05": 1}, ["Q1"]),
}
SECTIONS = ["II.1"] + [f"II.2.{i}" for i in range(1, 12)]
UNITS = {
    "van-phong": ((1, 1, 3, 4), "covered", "a10-dung-gio-build"),
    "thanh-tra": ((1, 2, 0, 2), "covered", "a03-sau-quy-1"),
    "phong-to-chuc-can-bo": ((1, 2, 0, 2), "covered", "a06-cuoi-6-thang"),
    "truong-thpt-a": ((0, 1, 0, 1), "irregular", "a05-doi-thoai"),
    "truong-thpt-b": ((0, 0, 0, 0), "none", None),
    "phong-gddt-ba-tri": ((0, 0, 0, 0), "none", None),
}
FORMS = {
    "website": ((3, 4, 3, 7), "covered", "a10-dung-gio-build"),
    "tap-huan": ((1, 2, 0, 2), "covered", "a06-cuoi-6-thang"),
    "doi-thoai": ((0, 1, 0, 1), "irregular", "a05-doi-thoai"),
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


def test_category_counts_status_latest_and_months(coverage):
    assert [t.id for t in coverage.categories] == list(CATEGORIES)
    assert [t.section for t in coverage.categories] == SECTIONS
    for tally in coverage.categories:
        windows, status, latest, months, gaps = CATEGORIES[tally.id]
        assert _windows(tally) == windows, tally.id
        assert tally.total == windows[3], tally.id
        assert tally.status == status, tally.id
        assert (tally.latest.slug if tally.latest else None) == latest, tally.id
        assert {k: v for k, v in tally.months.items() if v} == months, tally.id
        assert list(tally.gaps) == gaps, tally.id


def test_unit_and_form_counts(coverage):
    assert [t.id for t in coverage.units] == list(UNITS)
    for tally in coverage.units:
        windows, status, latest = UNITS[tally.id]
        assert (_windows(tally), tally.status, tally.latest.slug if tally.latest else None) == (windows, status, latest), tally.id
    assert [t.id for t in coverage.forms] == list(FORMS)
    for tally in coverage.forms:
        windows, status, latest = FORMS[tally.id]
        assert (_windows(tally), tally.status, tally.latest.slug if tally.latest else None) == (windows, status, latest), tally.id


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


def test_later_everything_ended(content):
    later = cov.compute(content.plans[2025], content.units, content.published(LATER), LATER)
    assert [a.slug for a in later.articles] == COUNTED + ["a09-hen-gio", "a12-cuoi-nam"]
    assert all(w.state == "ended" for w in later.windows)
    by_id = {t.id: t for t in later.categories}
    assert (_windows(by_id["chu-truong-chinh-sach"]), by_id["chu-truong-chinh-sach"].status) == ((1, 2, 0, 2), "irregular")
    assert list(by_id["chu-truong-chinh-sach"].gaps) == ["Q3"]
    assert (_windows(by_id["giam-sat-nguoi-dan"]), by_id["giam-sat-nguoi-dan"].status) == ((0, 0, 1, 1), "irregular")
    assert (_windows(by_id["ban-chi-dao"]), list(by_id["ban-chi-dao"].gaps)) == ((0, 1, 0, 2), ["Q1", "Q3"])
    assert (_windows(by_id["chinh-quyen-so"]), by_id["chinh-quyen-so"].status) == ((1, 1, 2, 3), "covered")
    units = {t.id: t for t in later.units}
    assert (_windows(units["phong-gddt-ba-tri"]), units["phong-gddt-ba-tri"].status) == ((0, 0, 1, 1), "irregular")
    assert units["truong-thpt-b"].status == "none"
    assert later.summary["categories"].covered == 8
    assert later.summary["units"].covered == 5


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
    assert "45/KH-SGDĐT" in index
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
    assert "Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của Ủy ban nhân dân tỉnh" in page
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
    assert "Quý I không có tin" in [c for c in rows["../../chuyen-muc/cai-cach-cong-vu/"] if c["tag"] == "td"][0]["text"]
    assert "Quý I, 6 tháng đầu năm không có tin" in [c for c in rows["../../chuyen-muc/co-so-du-lieu/"] if c["tag"] == "td"][0]["text"]


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
    for uid, (windows, status, _) in UNITS.items():
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
    for row, (fid, (windows, status, _)) in zip(rows, FORMS.items()):
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


def test_open_data_links(page):
    assert 'href="../../ke-hoach/2025/coverage.json"' in page
    assert 'href="../../ke-hoach/2025/coverage.csv"' in page
    assert 'href="../../du-lieu-mo/"' in page


def test_data_description_page(site):
    doc = site.read("du-lieu-mo/index.html")
    for key in ("schema", "as_of", "windows", "months", "summary", "categories", "units", "forms", "gaps", "latest"):
        assert f"<code>{key}</code>" in doc, key


# --- coverage.json ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data(site):
    return json.loads(site.read("ke-hoach/2025/coverage.json"))


def test_json_keys_are_stable(data):
    assert list(data) == ["schema", "version", "as_of", "site_url", "plan", "year_window", "windows", "months",
                          "summary", "categories", "units", "forms", "articles"]
    assert data["schema"] == "cchc-coverage" and data["version"] == 1
    assert data["as_of"] == "2025-07-01T12:00:00+07:00"
    assert list(data["categories"][0]) == ["id", "name", "section", "url", "total", "windows", "months", "latest",
                                           "status", "gaps"]
    assert list(data["units"][0]) == ["id", "name", "section", "group", "group_name", "url", "total", "windows",
                                      "months", "latest", "status", "gaps"]
    assert list(data["forms"][0]) == ["id", "name", "section", "total", "windows", "months", "latest", "status", "gaps"]


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


def test_json_counts(data):
    assert data["summary"] == {"articles": 9, "categories": {"covered": 7, "total": 12},
                               "units": {"covered": 4, "total": 6}, "forms": {"covered": 3, "total": 3}}
    for row in data["categories"]:
        windows, status, latest, months, gaps = CATEGORIES[row["id"]]
        assert tuple(row["windows"][w] for w in WINDOWS) == windows
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
        windows, status, _ = UNITS[row["id"]]
        assert (tuple(row["windows"][w] for w in WINDOWS), row["status"]) == (windows, status)
    assert data["units"][-1]["group_name"] == "Phòng GD&ĐT các huyện, thành phố"
    assert data["units"][-1]["section"] == "III.3"
    for row in data["forms"]:
        windows, status, _ = FORMS[row["id"]]
        assert (tuple(row["windows"][w] for w in WINDOWS), row["status"]) == (windows, status)


def test_json_articles(data):
    assert [a["url"].rstrip("/").rsplit("/", 1)[1] for a in data["articles"]] == COUNTED
    first = data["articles"][0]
    assert first == {"url": SITE_URL + "tin-tuc/2024/12/a01-dau-quy-1/", "title": "Tin đầu tiên của Quý I năm 2025",
                     "date": "2024-12-15T00:00:00+07:00", "unit": "van-phong",
                     "categories": ["chu-truong-chinh-sach"], "forms": ["website"]}
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
def test_csv(site):
    raw = (site.site / "ke-hoach/2025/coverage.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = rows[0]
    assert head[:5] == ["Loại", "Mục", "Nhóm", "Mã", "Tên"]
    assert head[5:9] == ["Q1: Quý I", "H1: 6 tháng đầu năm", "Q3: Quý III", "Y: Năm"]
    assert head[9:22] == MONTHS
    assert head[22:] == ["Trạng thái", "Mã trạng thái", "Kỳ không có tin", "Tin mới nhất: ngày",
                         "Tin mới nhất: tiêu đề", "Tin mới nhất: địa chỉ"]
    body = rows[1:]
    assert len(body) == 12 + 6 + 3
    assert [r[0] for r in body] == ["Nội dung"] * 12 + ["Đơn vị"] * 6 + ["Hình thức"] * 3
    expected = {**{k: (v[0], v[1]) for k, v in CATEGORIES.items()}, **{k: (v[0], v[1]) for k, v in UNITS.items()},
                **{k: (v[0], v[1]) for k, v in FORMS.items()}}
    for row in body:
        windows, status = expected[row[3]]
        assert tuple(int(x) for x in row[5:9]) == windows, row[3]
        assert row[23] == status and row[22] == STATUS_TEXT[status]
    thu_tuc = next(r for r in body if r[3] == "thu-tuc-hanh-chinh")
    assert thu_tuc[1] == "II.2.3" and thu_tuc[4] == "Thủ tục hành chính, một cửa"
    assert [int(x) for x in thu_tuc[9:22]] == [0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert thu_tuc[25:] == ["20/05/2025", "Đối thoại với phụ huynh về thủ tục hành chính",
                            SITE_URL + "tin-tuc/2025/05/a05-doi-thoai/"]
    cai_cach = next(r for r in body if r[3] == "cai-cach-cong-vu")
    assert cai_cach[24] == "Q1"
    ba_tri = next(r for r in body if r[3] == "phong-gddt-ba-tri")
    assert ba_tri[2] == "Phòng GD&ĐT các huyện, thành phố" and ba_tri[1] == "III.3"
    chinh_quyen = next(r for r in body if r[3] == "chinh-quyen-so")
    assert chinh_quyen[26] == TRICKY_TITLE


def test_sample_site_has_a_coverage_page_for_each_plan_file():
    plans = sorted(p.stem for p in (ROOT / "content" / "plans").glob("*.yml"))
    assert plans, "the sample content has plan files"
    content = load_content(ROOT / "content")
    settings = SiteSettings(content_dir=ROOT / "content", site_url=SITE_URL)
    outputs = list(cov_gen.generate(SiteBuild(content, settings, LATER)))
    pages = sorted(o.url for o in outputs if hasattr(o, "template"))
    assert pages == ["ke-hoach/"] + [f"ke-hoach/{year}/" for year in plans]
