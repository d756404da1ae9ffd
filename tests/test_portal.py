"""The public site as a government portal citizens trust (issue 18).

Who is responsible (contact block from extra.cchc.contact on every page and on the about page),
the staff guide kept off the public site, documents with their facts, tables a phone can read,
feeds without XSLT, a news front page with pinned articles, and no failed request, console
error or axe violation on any page of the built sample, in Debian's chromium at a phone
(390×844) and a desktop (1366×768) viewport.  Screenshots go to test-artifacts/portal-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html

from browser import ARTIFACTS, VIEWPORTS, chromium, serve_directory
from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.contact import parse_contact
from cchc.dates import VN_TZ
from cchc.diagnostics import Diagnostics
from cchc.generators import home as home_generator
from cchc.generators import legal as legal_generator
from cchc.legal import load_legal_data
from cchc.settings import SettingsError, SiteSettings
from cchc.tables import wrap_tables
from support import (DEFAULT_BUILD_DATE, ROOT, SAMPLE_CONTENT, article_text, build_site, copy_content, make_content,
                     write_article)

PORTAL_VIEWPORTS = VIEWPORTS  # 390×844 and 1366×768
PREFIX = "cchc/"  # site_url's path: the 404 page's links are absolute
SITE = "https://sgddt.bentre.gov.vn/cchc/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ)  # support.DEFAULT_BUILD_DATE

PINNED = "tin-tuc/2026/01/so-giao-duc-va-dao-tao-trien-khai-nhiem-vu-cai-cach-hanh-chinh-nam-2026/"  # pin: 2026-12-31
NEWEST = "tin-tuc/2026/09/ket-qua-giai-quyet-thu-tuc-hanh-chinh-9-thang-nam-2026/"
TABLE_ARTICLE = "tin-tuc/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025/"
EMPTY_CATEGORY = "giam-sat-nguoi-dan"  # the sample has no article in it
EMPTY_CATEGORY_NAME = "Giám sát của người dân"


def page_html(site, rel: str):
    return lxml_html.fromstring(site.read(rel))


def html_pages(site) -> list[str]:
    return sorted(p.relative_to(site.site).as_posix() for p in site.site.rglob("*.html")
                  if not p.relative_to(site.site).as_posix().startswith("pagefind/"))


# --- Contact and responsibility ---------------------------------------------------------------
GOOD_CONTACT = {
    "address": "Số 12 đường Lê Thái Tổ, phường Thanh Đức, tỉnh Vĩnh Long",
    "phone": ["0270 3822 418", "+84 270 3822 419"],
    "email": "sgddt@vinhlong.gov.vn",
    "responsible": {"name": "Trần Văn Hùng", "position": "Phó Giám đốc Sở"},
    "one_stop": {"hours": "Sáng 7 giờ – 11 giờ 30"},
    "licence": "Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp ngày 01/02/2024",
    "website": "https://sgddt.vinhlong.gov.vn/",
}


def settings_with(contact, **options) -> SiteSettings:
    return SiteSettings.from_mapping({"contact": contact, "department": "Sở Giáo dục và Đào tạo",
                                      "province": "tỉnh Vĩnh Long", **options},
                                     base_dir=ROOT, site_url=SITE)


def test_contact_is_read_and_the_agency_defaults_to_department_and_province():
    contact = settings_with(GOOD_CONTACT).contact
    assert contact.agency == "Sở Giáo dục và Đào tạo tỉnh Vĩnh Long"
    assert [(p.text, p.tel) for p in contact.phones] == [("0270 3822 418", "02703822418"),
                                                          ("+84 270 3822 419", "+842703822419")]
    assert contact.responsible == "Trần Văn Hùng, Phó Giám đốc Sở"
    assert contact.one_stop_name == "Bộ phận Một cửa" and contact.one_stop_hours == ("Sáng 7 giờ – 11 giờ 30",)
    assert settings_with({**GOOD_CONTACT, "agency": "Sở GD&ĐT Vĩnh Long"}).contact.agency == "Sở GD&ĐT Vĩnh Long"
    assert settings_with(None).contact is None


@pytest.mark.parametrize("change, key, message", [
    ({"email": "sgddt.vinhlong.gov.vn"}, "contact.email", "không phải địa chỉ thư điện tử"),
    ({"email": None}, "contact.email", "Nghị định 42/2022/NĐ-CP"),
    ({"phone": "gọi 0270 3822 418"}, "contact.phone", "không phải số điện thoại"),
    ({"phone": "12"}, "contact.phone", "chữ số"),
    ({"address": None}, "contact.address", "chưa được khai báo"),
    ({"responsible": None}, "contact.responsible", "người chịu trách nhiệm nội dung"),
    ({"responsible": {"position": "Phó Giám đốc"}}, "contact.responsible.name", "đang trống"),
    ({"website": "http://sgddt.vinhlong.gov.vn/"}, "contact.website", "https"),
    ({"one_stop": {"name": "Bộ phận Một cửa"}}, "contact.one_stop.hours", "giờ tiếp nhận"),
    ({"emial": "x@y.vn"}, "contact", "có phải ý bạn là “email”"),
    ({"address": ["a", "b"]}, "contact.address", "một dòng văn bản"),
])
def test_contact_mistakes_are_vietnamese_errors_naming_the_key(change, key, message):
    contact = {**GOOD_CONTACT, **change}
    contact = {k: v for k, v in contact.items() if v is not None or k not in change}
    with pytest.raises(SettingsError) as error:
        settings_with(contact)
    text = str(error.value)
    assert f"extra.cchc.{key}" in text and message in text and "Cách sửa" in text, text


def test_contact_that_is_not_a_mapping_is_an_error():
    with pytest.raises(SettingsError, match="extra.cchc.contact phải gồm"):
        settings_with("Sở Giáo dục")
    assert parse_contact(None) is None


def test_bad_contact_stops_the_build_before_anything_is_written(tmp_path):
    built = build_site(tmp_path, extra={"contact": {**GOOD_CONTACT, "email": "không có"}})
    assert not built.ok
    assert "mkdocs.yml: extra.cchc.contact.email “không có” không phải địa chỉ thư điện tử" in built.output
    assert "Traceback" not in built.output
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("portal"))
    assert built.ok, built.output
    return built


def test_every_page_has_the_contact_block_in_its_footer(site):
    import yaml

    # the project's own values, read the way the build reads them
    options = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["cchc"]
    contact = parse_contact(options["contact"], default_agency=f"{options['department']} {options['province']}")
    pages = html_pages(site)
    assert len(pages) > 100
    for rel in pages:
        footer = page_html(site, rel).xpath("//footer[contains(@class, 'md-footer')]//address[contains(@class, 'cchc-contact')]")
        assert len(footer) == 1, rel
        text = " ".join(footer[0].text_content().split())
        for fact in (contact.agency, contact.address, contact.email, contact.responsible, *contact.one_stop_hours):
            assert fact in text, (rel, fact)
        hrefs = footer[0].xpath(".//a/@href")
        assert f"mailto:{contact.email}" in hrefs and f"tel:{contact.phones[0].tel}" in hrefs, rel
        assert "Chịu trách nhiệm nội dung" in text, rel


def test_footer_shows_licence_and_link_to_about_page(tmp_path):
    """A licence line, when configured, is in the footer; the footer links the about page."""
    built = build_site(tmp_path, extra={"contact": GOOD_CONTACT})
    assert built.ok, built.output
    doc = page_html(built, "luu-tru/index.html")
    footer = doc.xpath("//footer")[0]
    assert GOOD_CONTACT["licence"] in footer.text_content()
    links = {a.text_content().strip(): urljoin("luu-tru/", a.get("href")) for a in footer.xpath(".//a")}
    assert links["Giới thiệu"] == "gioi-thieu/" and links["Nhận tin qua RSS/Atom"] == "nhan-tin/"
    about = page_html(built, "gioi-thieu/index.html")
    contact = about.xpath("//section[contains(@class, 'cchc-about__contact')]")[0]
    assert GOOD_CONTACT["website"] in contact.xpath(".//a/@href") and GOOD_CONTACT["licence"] in contact.text_content()


def test_about_page_says_what_is_published_under_which_plan_and_how_to_subscribe(site):
    doc = page_html(site, "gioi-thieu/index.html")
    article = doc.xpath("//article[contains(@class, 'md-content__inner')]")[0]
    text = " ".join(article.text_content().split())
    assert "Chuyên mục đăng:" in text  # the staff text of docs/gioi-thieu.md
    # the build is in 2026: the plan of 2026, with its number and date, and the plan it implements
    assert ("Tin được đăng theo Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2026 (số 38/KH-SGDĐT "
            "ngày 12/01/2026) của Sở Giáo dục và Đào tạo") in text
    assert "Thực hiện Kế hoạch số 125/KH-UBND ngày 05/01/2026" in text
    assert "chưa được cập nhật" not in text
    links = {a.text_content().strip(): urljoin("gioi-thieu/", a.get("href")) for a in article.xpath(".//a")}
    assert links["Nhận tin qua RSS/Atom"] == "nhan-tin/"
    assert links["Kết quả thực hiện Kế hoạch năm 2026"] == "ke-hoach/2026/"
    assert links["Thủ tục hành chính, một cửa"] == "chuyen-muc/thu-tuc-hanh-chinh/"
    # a category of the 2026 plan without any article yet: named, not linked to an empty page
    assert "Bình dân học vụ số (chưa có tin)" in text and "Bình dân học vụ số" not in links
    contact = article.xpath(".//section[contains(@class, 'cchc-about__contact')]//dl")[0]
    labels = [d.text_content() for d in contact.xpath(".//dt")]
    assert labels[:4] == ["Cơ quan", "Địa chỉ", "Điện thoại", "Thư điện tử"] and "Người chịu trách nhiệm nội dung" in labels


# --- The staff guide --------------------------------------------------------------------------
def test_staff_guide_is_not_published_nor_linked(site):
    assert (ROOT / "docs" / "huong-dan.md").is_file()  # it stays in the repository
    assert not site.exists("huong-dan/index.html")
    assert "huong-dan/<" not in site.read("sitemap.xml") and "/huong-dan/" not in site.read("sitemap.xml")
    for rel in html_pages(site):
        doc = page_html(site, rel)
        for href in doc.xpath("//a/@href"):
            target = urljoin("https://x/" + rel, href)
            assert not target.rstrip("/").endswith("/huong-dan") and "huong-dan/index" not in target, (rel, href)
        assert "Hướng dẫn" not in [a.text_content().strip() for a in doc.xpath("//a[contains(@class, 'md-tabs__link')]")]


# --- Home page --------------------------------------------------------------------------------
def test_home_has_a_lead_with_picture_then_thumbnails_pinned_first(site):
    doc = page_html(site, "index.html")
    lead = doc.xpath("//article[contains(@class, 'cchc-lead')]")[0]
    assert urljoin(SITE, lead.xpath(".//h3/a/@href")[0]) == SITE + PINNED  # pinned until 2026-12-31
    assert lead.xpath(".//p[@class='cchc-pinned']")[0].text_content() == "Tin nổi bật"
    picture = lead.xpath(".//img")[0]
    # the lead's picture: a published copy of the article's image (cchc.pictures), which exists
    assert re.search(r"/images/trien-khai-cchc-2026-[0-9a-f]{10}-\d+\.(png|jpg)$", picture.get("src")), picture.get("src")
    assert site.exists(urljoin(".", picture.get("src")).lstrip("./"))
    assert "95% hồ sơ thủ tục hành chính" in lead.xpath(".//p[@class='cchc-lead__summary']")[0].text_content()
    following = [urljoin(SITE, h) for h in doc.xpath("//li[@class='cchc-next__item']//h3/a/@href")]
    assert following[0] == SITE + NEWEST and len(following) == home_generator.FRONT_COUNT - 1
    # newest first after the pinned one
    dates = [t for t in doc.xpath("//li[@class='cchc-next__item']//time/@datetime")]
    assert dates == sorted(dates, reverse=True)
    thumbs = doc.xpath("//li[@class='cchc-next__item'][.//img]")
    assert thumbs and all(t.xpath(".//img/@width")[0] == "160" for t in thumbs)


def test_home_lists_each_category_with_articles_and_no_empty_one(site):
    doc = page_html(site, "index.html")
    sections = doc.xpath("//section[contains(@class, 'cchc-section-box')]")
    names = [s.xpath("string(.//h3)").strip() for s in sections]
    assert len(names) >= 8 and EMPTY_CATEGORY_NAME not in names
    for section in sections:
        headlines = section.xpath(".//ul[@class='cchc-headlines']/li")
        assert 1 <= len(headlines) <= home_generator.HEADLINES
    text = doc.text_content()
    assert "(0 tin)" not in text
    assert not [h for h in doc.xpath("//a/@href") if EMPTY_CATEGORY in h]


def test_empty_category_is_not_advertised_in_navigation_or_index(site):
    for rel in ("index.html", "chuyen-muc/index.html", TABLE_ARTICLE + "index.html"):
        doc = page_html(site, rel)
        assert not [h for h in doc.xpath("//a/@href") if f"chuyen-muc/{EMPTY_CATEGORY}" in h], rel
    index = page_html(site, "chuyen-muc/index.html")
    empty = index.xpath("//section[contains(@class, 'cchc-groups-empty')]")[0]
    assert EMPTY_CATEGORY_NAME in empty.text_content() and not empty.xpath(".//a")
    assert site.exists(f"chuyen-muc/{EMPTY_CATEGORY}/index.html")  # its page and feeds still exist
    assert site.exists(f"chuyen-muc/{EMPTY_CATEGORY}/rss.xml")


def _sample_build(now: dt.datetime) -> SiteBuild:
    content = load_content(SAMPLE_CONTENT)
    assert not content.diagnostics.errors
    return SiteBuild(content, SiteSettings(content_dir=SAMPLE_CONTENT.resolve(), site_url=SITE), now)


def test_pinned_article_goes_back_to_its_place_after_its_pin_date():
    pinned = home_generator.context(_sample_build(dt.datetime(2026, 12, 31, 23, 59, tzinfo=VN_TZ)))
    assert pinned["lead"]["url"] == PINNED and pinned["lead"]["pinned"]
    after = home_generator.context(_sample_build(dt.datetime(2027, 1, 1, 0, 0, tzinfo=VN_TZ)))
    assert after["lead"]["url"] == NEWEST and not after["lead"]["pinned"]
    # back in its date order: after the articles of September, July, March and February 2026
    assert [c["url"][8:15] for c in after["next"]][:4] == ["2026/07", "2026/03", "2026/02", "2026/01"]
    assert after["next"][3]["url"] == PINNED and not after["next"][3]["pinned"]


PIN_CASES = [
    ("pin: true", "“pin” cần ngày hết ghim"),
    ("pin: 2025-02-30", "ngày hết ghim (pin) sai"),
    ("pin: 2025-03-16", "không sau ngày đăng"),
    ("pin: mai", "ngày hết ghim (pin) sai"),
]


@pytest.mark.parametrize("line, message", PIN_CASES)
def test_bad_pin_is_an_error_at_its_line(tmp_path, line, message):
    content = make_content(tmp_path)
    write_article(content, text=article_text().replace("unit: van-phong\n", f"unit: van-phong\n{line}\n"))
    loaded = load_content(content)
    assert loaded.articles == []
    [error] = loaded.diagnostics.errors
    assert (error.path, error.line) == ("content/news/2025/03/bai-viet.md", 7), error.format()
    assert message in error.message and "→ Cách sửa:" in error.format()


def test_pin_until_a_date_or_a_moment(tmp_path):
    content = make_content(tmp_path)
    write_article(content, text=article_text().replace("unit: van-phong\n", "unit: van-phong\npin: 2025-03-31\n"))
    write_article(content, "2025/03/khac.md", text=article_text(slug="khac").replace(
        "unit: van-phong\n", "unit: van-phong\npin: 2025-03-20 17:00\n"))
    loaded = load_content(content)
    assert not loaded.diagnostics.errors, loaded.diagnostics.format()
    by_slug = {a.slug: a for a in loaded.articles}
    day = by_slug["hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh"]
    assert day.is_pinned(dt.datetime(2025, 3, 31, 23, 59, tzinfo=VN_TZ))
    assert not day.is_pinned(dt.datetime(2025, 4, 1, 0, 0, tzinfo=VN_TZ))
    moment = by_slug["khac"]
    assert moment.is_pinned(dt.datetime(2025, 3, 20, 16, 59, tzinfo=VN_TZ))
    assert not moment.is_pinned(dt.datetime(2025, 3, 20, 17, 0, tzinfo=VN_TZ))


# --- Documents --------------------------------------------------------------------------------
def _facts(site, doc_id: str) -> tuple[dict, dict]:
    doc = page_html(site, f"van-ban/{doc_id}/index.html")
    facts = {}
    links = {}
    for item in doc.xpath("//dl[@class='cchc-document__facts']/div"):
        name = item.xpath("string(dt)").strip()
        facts[name] = " ".join(item.xpath("string(dd)").split())
        links[name] = [urljoin(f"van-ban/{doc_id}/", h) for h in item.xpath("dd//a/@href")]
    return facts, links


def test_document_page_shows_every_fact_and_what_replaced_it(site):
    facts, links = _facts(site, "61-2018-nd-cp")
    assert facts["Loại văn bản"] == "Nghị định" and facts["Số hiệu"] == "61/2018/NĐ-CP"
    assert facts["Ngày ban hành"] == "23/04/2018" and facts["Cơ quan ban hành"] == "Chính phủ"
    assert facts["Trích yếu"].startswith("Về thực hiện cơ chế một cửa, một cửa liên thông")
    assert facts["Ngày có hiệu lực"] == "21/06/2018"
    assert facts["Tình trạng"] == "Hết hiệu lực từ ngày 01/07/2025; được thay thế bởi Nghị định số 118/2025/NĐ-CP"
    assert links["Tình trạng"] == ["van-ban/118-2025-nd-cp/"] and site.exists("van-ban/118-2025-nd-cp/index.html")
    assert links["Được sửa đổi, bổ sung bởi"] == ["van-ban/107-2021-nd-cp/"]
    replacement, back = _facts(site, "118-2025-nd-cp")
    assert replacement["Ngày ban hành"] == "09/06/2025" and replacement["Tình trạng"] == "Còn hiệu lực"
    assert back["Thay thế cho"] == ["van-ban/107-2021-nd-cp/", "van-ban/61-2018-nd-cp/"]  # newest first
    in_force, _ = _facts(site, "76-nq-cp-2021")
    assert in_force["Tình trạng"] == "Còn hiệu lực" and in_force["Ngày ban hành"] == "15/07/2021"


def test_official_text_links_are_https(site):
    facts, links = _facts(site, "22-2023-tt-btttt")
    assert links["Toàn văn"] and all(link.startswith("https://") for link in links["Toàn văn"])
    for rel in html_pages(site):
        if rel.startswith("van-ban/"):
            for href in page_html(site, rel).xpath("//a[contains(@class, 'cchc-document__official')]/@href"):
                assert href.startswith("https://"), (rel, href)


def test_status_depends_on_the_build_date():
    def status(now, doc_id):
        pages = {p.url: p for p in legal_generator.generate(_sample_build(now))}
        return pages[f"van-ban/{doc_id}/"].context["document"]["status"]

    before = status(dt.datetime(2025, 6, 1, tzinfo=VN_TZ), "61-2018-nd-cp")
    assert before["text"] == "Còn hiệu lực" and before["note"] == "hết hiệu lực từ ngày 01/07/2025"
    after = status(dt.datetime(2025, 7, 1, tzinfo=VN_TZ), "61-2018-nd-cp")
    assert after["text"] == "Hết hiệu lực từ ngày 01/07/2025" and after["replaced_by"]["url"] == "van-ban/118-2025-nd-cp/"
    pending = status(dt.datetime(2025, 6, 20, tzinfo=VN_TZ), "118-2025-nd-cp")
    assert pending["text"] == "Chưa có hiệu lực" and pending["note"] == "có hiệu lực từ ngày 01/07/2025"


def test_documents_browsable_by_type_and_year_without_javascript(site):
    index = page_html(site, "van-ban/index.html")
    assert not index.xpath("//article//script")
    browse = index.xpath("//nav[contains(@class, 'cchc-doc-browse')]")[0]
    targets = {a.text_content().strip(): urljoin("van-ban/", a.get("href")) for a in browse.xpath(".//a")}
    assert targets["Nghị định (6)"] == "van-ban/loai/nghi-dinh/" and targets["2025 (2)"] == "van-ban/nam/2025/"
    for label, target in targets.items():
        assert site.exists(target + "index.html"), label
    by_type = page_html(site, "van-ban/loai/nghi-dinh/index.html")
    labels = [a.text_content() for a in by_type.xpath("//li[@class='cchc-doc']/a")]
    assert len(labels) == 6 and all(label.startswith("Nghị định số ") for label in labels)
    assert [h.text_content().split(" (")[0] for h in by_type.xpath("//section[@class='cchc-doc-group']/h2")] == \
        ["Năm 2025", "Năm 2023", "Năm 2021", "Năm 2018"]
    by_year = page_html(site, "van-ban/nam/2025/index.html")
    assert sorted(a.text_content() for a in by_year.xpath("//li[@class='cchc-doc']/a")) == \
        ["Nghị định số 118/2025/NĐ-CP", "Nghị định số 170/2025/NĐ-CP"]
    assert by_year.xpath("//nav[contains(@class, 'cchc-doc-browse')]//span[@aria-current='page']")[0].text_content() == "2025 (2)"


def _legal(tmp_path, documents: str):
    path = tmp_path / "documents.yml"
    path.write_text(documents, encoding="utf-8")
    diags = Diagnostics(tmp_path)
    data = load_legal_data(path, diags)
    return data, [(d.line, d.message, d.format()) for d in diags.sorted()]


TYPES = 'types:\n  - {name: "Nghị định", code: "NĐ"}\nissuers:\n  - {code: "CP", name: "Chính phủ"}\ndocuments:\n'


@pytest.mark.parametrize("entry, line, message", [
    ('  - number: "61/2018/NĐ-CP"\n    status: "hiệu lực một phần"\n', 7, "tình trạng “hiệu lực một phần” không dùng được"),
    ('  - number: "61/2018/NĐ-CP"\n    status: "còn hiệu lực"\n    replaced_by: "118/2025/NĐ-CP"\n', 7,
     "ghi “còn hiệu lực” nhưng lại có văn bản thay thế"),
    ('  - number: "61/2018/NĐ-CP"\n    date: 2018-04-23\n    effective: 2018-01-01\n', 8, "ngày có hiệu lực 01/01/2018 trước ngày ban hành"),
    ('  - number: "61/2018/NĐ-CP"\n    effective: 2018-06-21\n    expired: 2018-06-01\n', 8, "ngày hết hiệu lực 01/06/2018 không sau"),
    ('  - number: "61/2018/NĐ-CP"\n    replaced_by: "Nghị định mới"\n', 7, "“replaced_by”: “Nghị định mới” không đúng dạng số hiệu"),
    ('  - number: "61/2018/NĐ-CP"\n    replaced_by: "61/2018/ND-CP"\n', 7, "không thể tự thay thế chính nó"),
    ('  - number: "61/2018/NĐ-CP"\n    amended_by: ["61/2018/NĐ-CP"]\n', 7, "không thể tự sửa đổi chính nó"),
    ('  - number: "61/2018/NĐ-CP"\n    date: 2018-04-23\n    replaced_by: "05/2017/NĐ-CP"\n'
     '  - number: "05/2017/NĐ-CP"\n    date: 2017-01-10\n', 8, "văn bản thay thế ban hành ngày 10/01/2017, trước văn bản bị thay thế"),
    ('  - number: "61/2018/NĐ-CP"\n    replaced_by: "118/2025/NĐ-CP"\n  - number: "118/2025/NĐ-CP"\n    replaced_by: "61/2018/NĐ-CP"\n',
     7, "thay thế nhau thành vòng"),
    ('  - number: "61/2018/NĐ-CP"\n    url: "http://vanban.chinhphu.vn/?docid=1"\n', 7, "địa chỉ toàn văn “http://vanban.chinhphu.vn/?docid=1” không hợp lệ"),
])
def test_document_status_mistakes_are_reported_at_their_line(tmp_path, entry, line, message):
    _, problems = _legal(tmp_path, TYPES + entry)
    assert any(p_line == line and message in p_message for p_line, p_message, _ in problems), problems
    assert all("→ Cách sửa:" in shown for _, _, shown in problems)


def test_document_status_fields_are_read(tmp_path):
    data, problems = _legal(tmp_path, TYPES + '  - number: "61/2018/ND-CP"\n    date: 2018-04-23\n    effective: 2018-06-21\n'
                            '    amended_by: "107/2021/NĐ-CP"\n    expired: 2025-07-01\n    replaced_by: "118/2025/ND-CP"\n')
    assert problems == []
    info = data.documents["61-2018-nd-cp"]
    assert (info.effective, info.expired) == (dt.date(2018, 6, 21), dt.date(2025, 7, 1))
    assert info.status == "expired" and info.replaced_by == "118/2025/NĐ-CP" and info.amended_by == ("107/2021/NĐ-CP",)


def test_bad_document_status_stops_the_build(tmp_path):
    content = copy_content(tmp_path)
    path = content / "documents.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('  - number: "76/NQ-CP"\n    status: "còn hiệu lực"',
                                 '  - number: "76/NQ-CP"\n    status: "con hieu luc tam thoi"'), encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index('    status: "con hieu luc tam thoi"') + 1
    built = build_site(tmp_path, content)
    assert not built.ok
    assert f"content/documents.yml:{line}: lỗi: tình trạng “con hieu luc tam thoi” không dùng được" in built.output


# --- Tables -----------------------------------------------------------------------------------
def test_tables_are_wrapped_in_named_focusable_regions():
    body = ("<p>a</p><table><thead><tr><th>Đơn vị</th><th>Số &amp; tỷ lệ</th></tr></thead><tbody><tr><td>x"
            "<table><tr><td>lồng</td></tr></table></td><td>1</td></tr></tbody></table>"
            "<table><caption>Kết quả \"quý I\"</caption><tr><td>1</td></tr></table>")
    wrapped = lxml_html.fragment_fromstring(wrap_tables(body), create_parent="div")
    regions = wrapped.xpath("./div[@role='region']")
    assert [r.get("aria-label") for r in regions] == ["Bảng 1: Đơn vị, Số & tỷ lệ", 'Bảng 2: Kết quả "quý I"']
    assert all(r.get("tabindex") == "0" and "cchc-table-wrap" in r.get("class") for r in regions)
    assert len(wrapped.xpath("//table")) == 3 and len(regions) == 2  # a table inside a table stays inside
    assert wrap_tables("<p>không có bảng</p>") == "<p>không có bảng</p>"


def test_article_tables_are_regions_in_the_built_site(site):
    doc = page_html(site, TABLE_ARTICLE + "index.html")
    [region] = doc.xpath("//div[contains(@class, 'cchc-table-wrap')]")
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    assert region.get("aria-label") == "Bảng 1: Đơn vị, Hồ sơ tiếp nhận, Nộp trực tuyến, Đúng hạn"


# --- Feeds ------------------------------------------------------------------------------------
def test_feeds_have_no_stylesheet_and_visible_feed_links_open_the_subscribe_page(site):
    feeds = sorted(site.site.rglob("*.xml"))
    assert len([f for f in feeds if f.name in ("rss.xml", "atom.xml")]) > 20
    for feed in feeds:
        assert b"xml-stylesheet" not in feed.read_bytes()[:500], feed
    assert not site.exists("assets/feed.xsl")
    for rel in html_pages(site):
        for anchor in page_html(site, rel).xpath("//body//a[@href]"):
            href = anchor.get("href").split("#")[0]
            assert not href.endswith(".xml"), (rel, anchor.get("href"))


# --- In Chromium: every page, both viewports --------------------------------------------------
@pytest.fixture(scope="module")
def served(site):
    root = site.site.parent / "served"
    root.mkdir(exist_ok=True)
    link = root / PREFIX.strip("/")
    if not link.exists():
        link.symlink_to(site.site, target_is_directory=True)
    with serve_directory(root) as base, chromium() as browser:
        yield base + PREFIX, browser


@pytest.fixture(params=sorted(PORTAL_VIEWPORTS))
def tab(request, served):
    base, browser = served
    context = browser.new_context(viewport=PORTAL_VIEWPORTS[request.param], locale="vi-VN")
    page = context.new_page()
    page.base = base
    page.viewport_name = request.param
    yield page
    context.close()


def _url(rel: str) -> str:
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def test_every_page_loads_cleanly_and_passes_axe(site, tab):
    """Every page of the sample: no failed request, no error status, no console error, no page
    error, no sitemap fetched (Material's language selector, see docs/assets/feed-links.js), no
    sideways scrolling of the page itself, and axe-core finds no WCAG 2.1 A/AA violation."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make test` (scripts/ensure-test-tools.sh runs npm ci)")
    problems: list[str] = []
    current = {"page": ""}

    def note(kind):
        return lambda detail: problems.append(f"{current['page']}: {kind}: {detail}")

    tab.on("requestfailed", lambda r: note("failed request")(f"{r.url} {r.failure}"))
    tab.on("response", lambda r: r.status >= 400 and note("HTTP " + str(r.status))(r.url))
    tab.on("request", lambda r: "sitemap" in r.url and note("sitemap request")(r.url))
    tab.on("console", lambda m: m.type == "error" and note("console error")(m.text))
    tab.on("pageerror", lambda e: note("page error")(str(e)))
    violations: dict[str, list[str]] = {}
    width = PORTAL_VIEWPORTS[tab.viewport_name]["width"]
    pages = html_pages(site)
    for rel in pages:
        current["page"] = rel
        # "load": every request the page makes on loading (a sitemap, at DOMContentLoaded) has been
        # sent; answers arriving later still reach the handlers above (during axe's run)
        tab.goto(tab.base + _url(rel), wait_until="load")
        if tab.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{rel}: the page scrolls sideways at {width} px")
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                              "resultTypes: ['violations']})", AXE_TAGS)
        for v in result["violations"]:
            targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
            violations.setdefault(f"{v['id']}: {v['help']} ({targets})", []).append(rel)
    assert len(pages) > 100
    assert not problems, f"{tab.viewport_name}:\n" + "\n".join(problems[:40])
    assert not violations, f"axe, {tab.viewport_name}:\n" + "\n".join(
        f"{text}\n    on {len(where)} page(s): {', '.join(where[:4])}" for text, where in violations.items())


def test_feed_links_stay_in_the_page_for_feed_readers(tab):
    tab.goto(tab.base + "chuyen-muc/thu-tuc-hanh-chinh/")
    tab.wait_for_load_state("networkidle")
    feeds = tab.evaluate("[...document.querySelectorAll('link[rel=alternate]')].map(l => l.getAttribute('href'))")
    assert sorted(feeds) == sorted(["../../rss.xml", "../../atom.xml", "../../chuyen-muc/thu-tuc-hanh-chinh/rss.xml",
                                    "../../chuyen-muc/thu-tuc-hanh-chinh/atom.xml"])


def test_one_search_control_in_the_header(tab):
    tab.goto(tab.base)
    tab.wait_for_load_state("networkidle")
    shown = """s => { const e = document.querySelector(s); if (!e) return false;
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= innerWidth || r.bottom <= 0) return false;
        for (let n = e; n; n = n.parentElement) {
          const c = getComputedStyle(n);
          if (c.display === 'none' || c.visibility === 'hidden' || c.opacity === '0') return false;
        }
        return true; }"""
    controls = [s for s in (".cchc-search-open", "#cchc-search-input", "label.md-header__button[for=__search]")
                if tab.evaluate(shown, s)]
    expected = ".cchc-search-open" if tab.viewport_name == "phone" else "#cchc-search-input"
    assert controls == [expected]
    icons = tab.evaluate("""() => [...document.querySelectorAll('.md-header svg')].filter(svg => {
        const r = svg.getBoundingClientRect(); const s = getComputedStyle(svg);
        return r.width > 0 && r.height > 0 && s.visibility === 'visible' && svg.closest('[hidden]') === null
          && svg.innerHTML.includes('M9.5 3A6.5');  /* the magnifier's path */
      }).length""")
    assert icons == 1


def test_tables_are_readable_on_a_phone(served):
    base, browser = served
    context = browser.new_context(viewport=PORTAL_VIEWPORTS["phone"], locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(base + TABLE_ARTICLE)
        region = page.locator(".cchc-table-wrap").first
        last_head = region.locator("th").last.bounding_box()
        assert last_head["x"] + last_head["width"] <= PORTAL_VIEWPORTS["phone"]["width"]  # every column on screen
        assert region.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        # the coverage page: its tables are wider than a phone; each scrolls by itself, from the keyboard
        page.goto(base + "ke-hoach/2025/")
        wide = page.locator(".cchc-table-wrap:has(.cchc-coverage-table)").first
        assert wide.evaluate("e => e.scrollWidth > e.clientWidth")
        assert page.locator(".cchc-scroll-hint").first.is_visible()
        wide.focus()
        assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("e => e.scrollLeft > 0", arg=wide.element_handle())
        assert page.evaluate("document.documentElement.scrollWidth") <= PORTAL_VIEWPORTS["phone"]["width"]
    finally:
        context.close()


def test_subscribe_page_is_short_on_a_phone_and_opens_at_a_category(served):
    base, browser = served
    context = browser.new_context(viewport=PORTAL_VIEWPORTS["phone"], locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(base + "nhan-tin/")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 3 * PORTAL_VIEWPORTS["phone"]["height"], height
        assert page.locator("#tat-ca-tin code").first.is_visible()
        page.goto(base + "chuyen-muc/thu-tuc-hanh-chinh/")
        with page.expect_navigation():
            page.get_by_role("link", name="Nhận tin của chuyên mục này qua RSS/Atom").click()
        entry = page.locator("#chuyen-muc-thu-tuc-hanh-chinh")
        assert entry.is_visible()  # its collapsed list opened for it
        assert entry.locator("code").all_inner_texts() == [SITE + "chuyen-muc/thu-tuc-hanh-chinh/rss.xml",
                                                           SITE + "chuyen-muc/thu-tuc-hanh-chinh/atom.xml"]
        top = entry.bounding_box()["y"]
        assert 0 <= top < PORTAL_VIEWPORTS["phone"]["height"] / 2
    finally:
        context.close()


SHOTS = {
    "home": "",
    "about": "gioi-thieu/",
    "document": "van-ban/61-2018-nd-cp/",
    "documents": "van-ban/",
    "subscribe": "nhan-tin/",
    "table-article": TABLE_ARTICLE,
    "coverage": "ke-hoach/2025/",
    "category-index": "chuyen-muc/",
}


def test_screenshots_of_the_portal_pages(tab):
    """Full-page screenshots to look at (test-artifacts/portal-<page>-<viewport>.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in SHOTS.items():
        tab.goto(tab.base + url)
        tab.wait_for_load_state("networkidle")
        assert tab.locator("footer address.cchc-contact").is_visible()
        path = ARTIFACTS / f"portal-{name}-{tab.viewport_name}.png"
        tab.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
