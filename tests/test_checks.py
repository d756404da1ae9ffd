"""Every check of `cchc check` on article files: one bad input per case, with its Vietnamese
message and the exact file line staff must fix.

Each case is a small content folder (the real plans, units and reporting windows) with one
article written into news/; the article under test is always content/news/<name>.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from cchc.content import load_content
from cchc.dates import VN_TZ

from support import ARTICLE_FIELDS, article_text, make_content, write_article

ALL_CATEGORIES = ("chu-truong-chinh-sach, van-ban-qppl, sang-kien-giai-phap, thu-tuc-hanh-chinh, "
                  "ky-luat-ky-cuong, chi-so-cchc, cai-cach-cong-vu, chinh-quyen-so, co-so-du-lieu, "
                  "giam-sat-nguoi-dan, bieu-duong-phe-phan, ban-chi-dao")
NAME = "2025/03/bai-viet.md"
BODY_LINE = 9  # see support.ARTICLE_FIELDS


def without(field: str) -> str:
    return article_text(**{field: None})


def with_lines(*extra: str, body: str = "Nội dung bài viết.\n") -> str:
    """The good article with `extra` front matter lines after `unit:` (line 7 onwards)."""
    return article_text(body=body).replace("unit: van-phong\n", "unit: van-phong\n" + "".join(e + "\n" for e in extra))


def replaced(old: str, new: str) -> str:
    text = article_text()
    assert old in text
    return text.replace(old, new, 1)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Word saves it: base letters (â, ơ…) precomposed, tone marks combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def case(id, text, line, message, *hints, name=NAME):
    return pytest.param(name, text, line, message, hints, id=id)


CASES = [
    # --- front matter structure and YAML syntax
    case("yaml-colon-in-value", replaced('title: "Hội nghị triển khai công tác cải cách hành chính"',
                                         "title: Hội nghị: kết quả quý I"),
         2, "dòng có dấu hai chấm “:” ở vị trí không hợp lệ", 'title: "Hội nghị: kết quả quý I"'),
    case("yaml-unclosed-quote", replaced('title: "Hội nghị triển khai công tác cải cách hành chính"',
                                         'title: "Hội nghị triển khai'),
         2, "thiếu dấu ngoặc kép đóng"),
    case("yaml-unclosed-quote-before-other-quotes", with_lines('summary: "Tóm tắt"').replace(
        'title: "Hội nghị triển khai công tác cải cách hành chính"', 'title: "Hội nghị triển khai'),
         2, "thiếu dấu ngoặc kép đóng"),
    case("yaml-unclosed-list", replaced("categories: [thu-tuc-hanh-chinh]", "categories: [thu-tuc-hanh-chinh"),
         5, "danh sách mở bằng “[” chưa được đóng bằng “]”"),
    case("yaml-not-key-value", with_lines("Bài viết về thủ tục"), 7, "dòng không có dạng “tên: giá trị”"),
    case("yaml-tab-indent", with_lines("forms:", "\t- website"), 8, "có ký tự Tab", "thay Tab bằng dấu cách"),
    case("yaml-tab-before-key", replaced("unit: van-phong", "\tunit: van-phong"), 6, "có ký tự Tab"),
    case("yaml-duplicate-key", with_lines("unit: thanh-tra"), 7, "trường “unit” xuất hiện hai lần (lần đầu ở dòng 6)"),
    case("front-matter-not-closed", article_text().replace("van-phong\n---\n", "van-phong\n"),
         1, "phần thông tin đầu bài chưa được đóng: thiếu dòng --- thứ hai"),
    case("no-front-matter", "Hội nghị triển khai công tác cải cách hành chính.\n",
         1, "thiếu phần thông tin đầu bài (front matter)"),
    case("front-matter-is-a-list", "---\n- title\n- slug\n---\n\nNội dung.\n",
         2, "phần thông tin đầu bài là danh sách"),
    case("empty-file", b"", 1, "tệp rỗng", "cchc new"),
    case("blank-file", "\n  \n", 1, "tệp rỗng"),
    # --- required fields: reported on the closing --- line, where the line is to be added
    case("missing-title", without("title"), 6, "thiếu trường bắt buộc “title”", 'title: "Tiêu đề bài viết"'),
    case("missing-slug", without("slug"), 6, "thiếu đường dẫn cố định (slug)",
         "slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh", "cchc check --fix"),
    case("missing-date", without("date"), 6, "thiếu trường bắt buộc “date”", "date: 2025-03-17 08:30"),
    case("missing-categories", without("categories"), 6, "thiếu trường bắt buộc “categories”"),
    case("missing-unit", without("unit"), 6, "thiếu trường bắt buộc “unit”", "unit: van-phong"),
    case("empty-title", replaced('title: "Hội nghị triển khai công tác cải cách hành chính"', 'title: ""'),
         2, "tiêu đề đang trống"),
    case("mistyped-field-name", replaced("categories:", "categores:"), 5,
         "trường “categores” không đúng tên", "“categories”"),
    case("mistyped-required-slug", replaced("slug:", "slg:"), 3, "trường “slg” không đúng tên", "“slug”"),
    # --- categories, units, forms
    case("unknown-category", replaced("[thu-tuc-hanh-chinh]", "[thu-tuc-hanh-chin]"), 5,
         "chuyên mục “thu-tuc-hanh-chin” không có trong kế hoạch", "“thu-tuc-hanh-chinh”", ALL_CATEGORIES),
    case("category-other-case", replaced("[thu-tuc-hanh-chinh]", "[Thu-Tuc-Hanh-Chinh]"), 5,
         "chuyên mục “Thu-Tuc-Hanh-Chinh” không có trong kế hoạch", "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    case("category-with-diacritics", replaced("[thu-tuc-hanh-chinh]", "[thủ-tục-hành-chính]"), 5,
         "chuyên mục “thủ-tục-hành-chính” không có trong kế hoạch", "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    case("category-nfd-diacritics", replaced("[thu-tuc-hanh-chinh]", unicodedata.normalize("NFD", "[thủ-tục-hành-chính]")),
         5, "chuyên mục “thủ-tục-hành-chính” không có trong kế hoạch", "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    case("categories-as-string", replaced("[thu-tuc-hanh-chinh]", "thu-tuc-hanh-chinh"), 5,
         "“categories” phải là danh sách, không phải một chuỗi", "categories: [thu-tuc-hanh-chinh]"),
    case("categories-empty", replaced("[thu-tuc-hanh-chinh]", "[]"), 5,
         "“categories” đang trống: cần ít nhất một chuyên mục", ALL_CATEGORIES),
    case("unknown-unit", replaced("unit: van-phong", "unit: van-phog"), 6,
         "đơn vị “van-phog” không có trong content/units.yml", "có phải ý bạn là “van-phong”"),
    case("unknown-form", with_lines("forms: [bao-chi]"), 7, "hình thức “bao-chi” không có trong kế hoạch",
         "website, tap-huan, doi-thoai"),
    # --- dates
    case("impossible-date", replaced("date: 2025-03-17 08:30", "date: 2025-02-30"), 4,
         "ngày đăng (date) sai: ngày “2025-02-30” không tồn tại", "kiểm tra lại ngày, tháng"),
    case("date-year-only", replaced("date: 2025-03-17 08:30", "date: 2025"), 4,
         "ngày đăng (date) sai: chỉ có năm (2025), thiếu tháng và ngày", "ví dụ 2025-03-17"),
    case("date-not-a-date", replaced("date: 2025-03-17 08:30", "date: sáng thứ Hai"), 4,
         "ngày đăng (date) sai: “sáng thứ Hai” không phải ngày hợp lệ", "YYYY-MM-DD HH:MM"),
    case("date-day-first", replaced("date: 2025-03-17 08:30", "date: 17/03/2025"), 4,
         "“17/03/2025” không phải ngày hợp lệ"),
    case("updated-impossible", with_lines("updated: 2025-04-31"), 7, "ngày cập nhật (updated) sai"),
    case("draft-not-boolean", with_lines("draft: có"), 7, "“draft” phải là true hoặc false"),
    # --- slugs
    case("slug-parent-path", replaced("slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh", "slug: ../x"), 3,
         "slug “../x” không hợp lệ"),
    case("slug-with-diacritics", replaced("slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh", "slug: Có dấu"), 3,
         "slug “Có dấu” không hợp lệ", "slug: co-dau"),
    case("slug-with-slash", replaced("slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh", "slug: a/b"), 3,
         "slug “a/b” không hợp lệ"),
    case("slug-empty", replaced("slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh", "slug:"), 3,
         "slug “” không hợp lệ", "slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh"),
    # --- images
    case("missing-image", with_lines("image: images/khong-co.jpg"), 7, "không tìm thấy tệp ảnh “images/khong-co.jpg”"),
    case("image-escaping-content", with_lines("image: ../../etc/passwd"), 7,
         "“../../etc/passwd” trỏ ra ngoài thư mục content/", name="bai-viet.md"),
    case("image-escaping-content-deep", with_lines("image: ../../../../../../../../etc/passwd"), 7,
         "trỏ ra ngoài thư mục content/"),
    case("image-absolute", with_lines("image: /etc/passwd"), 7, "phải là đường dẫn tương đối"),
    case("image-url", with_lines("image: https://example.com/a.jpg"), 7, "phải là đường dẫn tương đối"),
    # --- encodings and legacy fonts
    case("windows-1258", article_text(body="").encode("utf-8") + cp1258("cải cách"),
         BODY_LINE, "tệp không phải mã UTF-8", "UTF-8"),
    case("windows-1258-in-title", cp1258(replaced("Hội nghị triển khai công tác cải cách hành chính", "Cải cách")),
         2, "tệp không phải mã UTF-8"),
    case("utf-16-with-bom", article_text().encode("utf-16"), 1, "mã UTF-16"),
    case("tcvn3-text", article_text(body="Hội nghị\nc¶i c¸ch hµnh chÝnh\n"), BODY_LINE + 1, "bảng mã cũ (TCVN3/ABC hoặc VNI",
         "Unikey"),
    case("vni-text", article_text(body="caûi caùch haønh chính\n"), BODY_LINE, "bảng mã cũ (TCVN3/ABC hoặc VNI"),
    case("tcvn3-title", replaced("Hội nghị triển khai công tác cải cách hành chính", "Héi nghÞ c¶i c¸ch"), 2, "bảng mã cũ"),
    case("binary-file", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, "tệp không phải văn bản"),
    case("word-document", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), 1, "tệp không phải văn bản"),
]


@pytest.mark.parametrize(("name", "text", "line", "message", "hints"), CASES)
def test_bad_article_is_reported_at_its_line(tmp_path, name, text, line, message, hints):
    content = make_content(tmp_path)
    write_article(content, name, text)
    loaded = load_content(content)
    errors = loaded.diagnostics.errors
    assert loaded.articles == []  # an article with an error is never published
    assert len(errors) == 1, loaded.diagnostics.format()  # one problem, one message
    error = errors[0]
    assert (error.path, error.line) == (f"content/news/{name}", line), error.format()
    assert message in error.message
    shown = error.format()
    assert shown.startswith(f"content/news/{name}:{line}: lỗi: ")
    assert "\n    → Cách sửa: " in shown  # every error says how to fix it
    for hint in hints:
        assert hint in shown


# --- Inputs that are accepted -----------------------------------------------------------------------
def load_one(tmp_path, text, **kwargs):
    content = make_content(tmp_path)
    write_article(content, NAME, text, **kwargs)
    loaded = load_content(content)
    assert loaded.diagnostics.items == [], loaded.diagnostics.format()
    assert len(loaded.articles) == 1
    return loaded.articles[0]


def test_good_article_fields(tmp_path):
    article = load_one(tmp_path, None)
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"
    assert article.slug == ARTICLE_FIELDS["slug"]
    assert article.date == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ) and article.has_time
    assert article.categories == ("thu-tuc-hanh-chinh",)
    assert article.unit == "van-phong"
    assert article.forms == ("website",)  # the plan's default_form
    assert article.url == f"tin-tuc/2025/03/{ARTICLE_FIELDS['slug']}/"
    assert article.body_line == BODY_LINE and article.body == "Nội dung bài viết.\n"
    assert article.plan_year == 2025 and not article.draft


def test_utf8_bom_is_accepted(tmp_path):
    article = load_one(tmp_path, article_text().encode("utf-8-sig"))
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"


def test_crlf_is_accepted(tmp_path):
    article = load_one(tmp_path, article_text().replace("\n", "\r\n").encode("utf-8"))
    assert article.slug == ARTICLE_FIELDS["slug"] and article.body == "Nội dung bài viết.\n"


def test_nfd_text_is_accepted_and_normalised_to_nfc(tmp_path):
    text = article_text(body="Đường dây nóng về thủ tục hành chính.\n", tags="[hoà giải]")
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    article = load_one(tmp_path, nfd)
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"
    assert unicodedata.is_normalized("NFC", article.title)
    assert article.body == "Đường dây nóng về thủ tục hành chính.\n"
    assert article.tags == ("hòa giải",)
    assert article.summary == "Đường dây nóng về thủ tục hành chính."


def test_correct_vietnamese_capitals_are_not_taken_for_legacy_fonts(tmp_path):
    body = "BÌNH ĐỊNH\n\nĐường dây nóng\n\n## THỦ TỤC HÀNH CHÍNH\n\nNghị định số 06/2023/NĐ-CP – “một cửa”.\n"
    article = load_one(tmp_path, article_text(body=body, title='"ĐẨY MẠNH CẢI CÁCH THỦ TỤC HÀNH CHÍNH"'))
    assert article.title == "ĐẨY MẠNH CẢI CÁCH THỦ TỤC HÀNH CHÍNH"


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-17", dt.datetime(2025, 3, 17, 0, 0, tzinfo=VN_TZ)),
    ('"2025-03-17 08:30"', dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)),
    ("2025-03-17T08:30:00+08:00", dt.datetime(2025, 3, 17, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
])
def test_article_dates(tmp_path, value, expected):
    article = load_one(tmp_path, None, date=value)
    assert article.date == expected
    assert article.date.utcoffset() == expected.utcoffset()


def test_image_next_to_the_article(tmp_path):
    content = make_content(tmp_path)
    (content / "news/2025/03/images").mkdir(parents=True)
    (content / "news/2025/03/images/anh.jpg").write_bytes(b"\xff\xd8\xff")
    write_article(content, NAME, with_lines("image: images/anh.jpg", 'image_alt: "Quang cảnh hội nghị"'))
    loaded = load_content(content)
    assert loaded.diagnostics.items == []
    assert loaded.articles[0].image_path == (content / "news/2025/03/images/anh.jpg").resolve()


def test_unknown_field_far_from_any_name_is_only_a_warning(tmp_path):
    content = make_content(tmp_path)
    write_article(content, NAME, with_lines("nguon: Báo Đồng Khởi"))
    loaded = load_content(content)
    assert loaded.diagnostics.errors == []
    assert [(w.line, w.message) for w in loaded.diagnostics.warnings] == [
        (7, "trường “nguon” không được dùng và sẽ bị bỏ qua")]
    assert len(loaded.articles) == 1


# --- Several files ---------------------------------------------------------------------------------------
def test_duplicate_slug_names_the_other_file(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/a.md", title='"Bài thứ nhất"', slug="trung-slug")
    write_article(content, "2025/04/b.md", title='"Bài thứ hai"', slug="trung-slug", date="2025-04-02")
    loaded = load_content(content)
    assert [e.format().split("\n")[0] for e in loaded.diagnostics.errors] == [
        "content/news/2025/04/b.md:3: lỗi: slug “trung-slug” trùng với bài news/2025/03/a.md: hai bài sẽ có cùng đường dẫn"
    ]
    assert "slug: trung-slug-2" in loaded.diagnostics.errors[0].hint
    assert [a.rel_path for a in loaded.articles] == ["news/2025/03/a.md"]


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/tot.md", slug="tot")
    write_article(content, "2025/03/a.md", slug="a", date="2025-02-30")
    write_article(content, "2025/03/b.md", slug="b", unit="khong-co", categories="[khong-co]")
    write_article(content, "2025/03/c.md", b"")
    write_article(content, "2025/03/d.md", article_text(slug="d", body="c¶i c¸ch\n").encode("utf-16"))
    loaded = load_content(content)
    assert [(e.path, e.line) for e in loaded.diagnostics.sorted() if e.is_error] == [
        ("content/news/2025/03/a.md", 4),
        ("content/news/2025/03/b.md", 5),
        ("content/news/2025/03/b.md", 6),
        ("content/news/2025/03/c.md", 1),
        ("content/news/2025/03/d.md", 1),
    ]
    assert [a.slug for a in loaded.articles] == ["tot"]
