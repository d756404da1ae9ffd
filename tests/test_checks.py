"""Every check of `cchc check` on article files: one bad input per case, with its Vietnamese
message and the exact file line staff must fix.

Each case is a small content folder (the real plans, units and reporting windows) with one
article written into news/; the article under test is always content/news/<name>.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest

from cchc.content import load_content
from cchc.dates import VN_TZ

from support import ARTICLE_FIELDS, article_text, image_bytes, make_content, pdf_bytes, write_article

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
    case("utf-16-le-without-bom", article_text().encode("utf-16-le"), 1, "mã UTF-16 (không có dấu BOM)", "UTF-8"),
    case("utf-16-be-without-bom", article_text().encode("utf-16-be"), 1, "mã UTF-16 (không có dấu BOM)"),
    case("tcvn3-capitals", article_text(body="Hội nghị\nHéI NGHÞ TRIÓN KHAI C¤NG T¸C\n"), BODY_LINE + 1, "bảng mã cũ"),
    case("vni-capitals", replaced("Hội nghị triển khai công tác cải cách hành chính", "CAÛI CAÙCH HAØNH CHÍNH"), 2,
         "bảng mã cũ"),
    # --- invisible characters: controls, bidi overrides, line separators
    case("title-escape-control", replaced('"Hội nghị triển khai công tác cải cách hành chính"', '"\\x1b"'), 2,
         "“title” có ký tự điều khiển vô hình U+001B", "xóa ký tự này"),
    case("title-raw-control", replaced("Hội nghị triển khai", "Hội nghị\x01 triển khai"), 2,
         "có ký tự điều khiển vô hình U+0001", "xóa ký tự này"),
    case("title-only-zero-width", replaced('"Hội nghị triển khai công tác cải cách hành chính"', '"\\u200b\\u200d"'), 2,
         "tiêu đề đang trống"),
    case("title-bidi-override", replaced("Hội nghị triển khai", "Hội nghị \u202e triển khai"), 2,
         "có ký tự đảo chiều chữ U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    case("title-escaped-bidi-isolate", replaced("Hội nghị triển khai", "Hội nghị \\u2066 triển khai"), 2,
         "“title” có ký tự đảo chiều chữ U+2066"),
    case("title-line-separator", replaced("Hội nghị triển khai", "Hội nghị\u2028triển khai"), 2,
         "có ký tự ngắt dòng đặc biệt U+2028", "nhấn Enter"),
    case("title-over-two-lines", replaced('"Hội nghị triển khai công tác cải cách hành chính"', "|\n  Hội nghị\n  triển khai"),
         2, "“title” phải nằm trên một dòng", "title: >-"),
    case("author-tab", with_lines('author: "Văn phòng\\tSở"'), 7, "“author” phải nằm trên một dòng"),
    case("tag-control", with_lines('tags: [một cửa, "dịch\\x00vụ"]'), 7, "“tags” có ký tự điều khiển vô hình U+0000"),
    case("body-control", article_text(body="Dòng một.\n\nDòng \x07hai.\n"), BODY_LINE + 2, "có ký tự điều khiển vô hình U+0007"),
    case("body-c1-control", article_text(body="Dòng \x9b một.\n"), BODY_LINE, "có ký tự điều khiển vô hình U+009B"),
    case("body-bidi", article_text(body="Dòng một.\nGiá \u202e 000.01 đồng\n"), BODY_LINE + 1, "có ký tự đảo chiều chữ U+202E"),
    # --- YAML anchors/aliases ("billion laughs") and nesting
    case("yaml-alias", with_lines("tags: &a [một cửa]", "summary: *a"), 7, "neo/tham chiếu (&tên, *tên)",
         "đặt cả giá trị trong ngoặc kép"),
    case("yaml-alias-bomb", with_lines("tags: &a [x, x, x, x, x, x, x, x, x]", "author: &b [*a, *a, *a, *a, *a, *a, *a]",
                                       "image_alt: [*b, *b, *b, *b, *b, *b, *b, *b, *b]"), 7, "neo/tham chiếu"),
    case("title-starting-with-star", replaced('"Hội nghị triển khai công tác cải cách hành chính"', "*Thông báo* lịch tiếp dân"),
         2, "giá trị bắt đầu bằng “*”", 'title: "*Thông báo* về lịch tiếp dân"'),
    case("tags-nested-300", with_lines("tags: " + "[" * 300 + "]" * 300), 7,
         "cấu trúc lồng nhau quá sâu (quá 20 mức", "tags: [một cửa, dịch vụ công]"),
    case("tags-nested-1200", with_lines("tags: " + "[" * 1200 + "]" * 1200), 7, "cấu trúc lồng nhau quá sâu"),
    case("tags-block-nested-400", with_lines("tags:", *("  " * (n + 1) + "-" for n in range(400))), 7 + 21,
         "cấu trúc lồng nhau quá sâu"),
    case("body-list-nested-300", article_text(body="".join("    " * n + "- mục\n" for n in range(300))), BODY_LINE + 20,
         "nội dung lồng nhau quá sâu (21 mức", "danh sách chỉ nên lồng 2–3 mức"),
    case("body-quote-nested-300", article_text(body="Mở đầu.\n\n" + ">" * 300 + " trích\n"), BODY_LINE + 2,
         "nội dung lồng nhau quá sâu (300 mức"),
    case("body-list-markers-on-one-line", article_text(body="- " * 200 + "x\n"), BODY_LINE, "nội dung lồng nhau quá sâu"),
    case("body-html-nested-100", article_text(body="<div>\n" * 100 + "x\n" + "</div>\n" * 100), BODY_LINE + 40,
         "mã HTML lồng nhau quá sâu", "<div>"),
    # --- categories written as one string, near-miss ids
    case("categories-comma-string", replaced("[thu-tuc-hanh-chinh]", "thu-tuc-hanh-chinh, chinh-quyen-so"), 5,
         "“categories” phải là danh sách, không phải một chuỗi", "categories: [thu-tuc-hanh-chinh, chinh-quyen-so]"),
    case("categories-semicolon-names", replaced("[thu-tuc-hanh-chinh]", "Thủ tục hành chính; chính quyền số"), 5,
         "phải là danh sách", "categories: [thu-tuc-hanh-chinh, chinh-quyen-so]"),
    case("category-prefix", replaced("[thu-tuc-hanh-chinh]", "[thu-tuc]"), 5,
         "chuyên mục “thu-tuc” không có trong kế hoạch", "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    case("unit-prefix", replaced("unit: van-phong", "unit: van"), 6, "đơn vị “van” không có", "có phải ý bạn là “van-phong”"),
    # --- dates: wrong time, years that are typos
    case("time-24", replaced("date: 2025-03-17 08:30", "date: 2025-03-17 24:00"), 4, "giờ “24:00” không hợp lệ"),
    case("time-minute-60", replaced("date: 2025-03-17 08:30", "date: 2025-03-17 07:60"), 4, "giờ “07:60” không hợp lệ"),
    case("year-0225", replaced("date: 2025-03-17 08:30", "date: 0225-03-17"), 4, "năm 0225 có lẽ gõ nhầm",
         "viết đủ 4 chữ số"),
    case("year-0001", replaced("date: 2025-03-17 08:30", "date: 0001-01-01 00:00"), 4, "năm 0001 có lẽ gõ nhầm"),
    case("year-1900", replaced("date: 2025-03-17 08:30", "date: 1900-03-17"), 4, "năm 1900 có lẽ gõ nhầm"),
    case("year-9999", replaced("date: 2025-03-17 08:30", "date: 9999-12-31 23:59"), 4, "năm 9999 có lẽ gõ nhầm",
         "từ 2000 đến 2030"),
    case("updated-year-typo", with_lines("updated: 2205-03-18"), 7, "ngày cập nhật (updated) sai: năm 2205 có lẽ gõ nhầm"),
    case("date-empty", replaced("date: 2025-03-17 08:30", "date:"), 4, "ngày đăng (date) đang trống"),
    # --- images and links in the body
    case("body-image-missing", article_text(body="![Quang cảnh hội nghị](images/khong-co.jpg)\n"), BODY_LINE,
         "không tìm thấy tệp ảnh “images/khong-co.jpg” (không có content/news/2025/03/images/khong-co.jpg)",
         "phân biệt chữ hoa/thường"),
    case("body-image-escapes", article_text(body="Mở đầu.\n\n![Mật khẩu](../../../../etc/passwd)\n"), BODY_LINE + 2,
         "ảnh “../../../../etc/passwd” trỏ ra ngoài thư mục content/"),
    case("body-html-image-missing", article_text(body='<img src="images/khong-co.png" alt="Ảnh">\n'), BODY_LINE,
         "không tìm thấy tệp ảnh “images/khong-co.png”"),
    case("body-reference-image-missing", article_text(body="![Ảnh][a]\n\n[a]: images/khong-co.webp\n"), BODY_LINE + 2,
         "không tìm thấy tệp ảnh “images/khong-co.webp”"),
    case("body-link-missing-article", article_text(body="Xem [bài trước](../02/khong-co.md#ket-qua).\n"), BODY_LINE,
         "liên kết tới bài “../02/khong-co.md#ket-qua” không tồn tại (không có content/news/2025/02/khong-co.md)",
         "[Tên bài](../04/ten-bai.md)"),
    case("body-link-missing-file", article_text(body="Tải [kế hoạch](tai-lieu/ke-hoach.pdf).\n"), BODY_LINE,
         "không tìm thấy tệp “tai-lieu/ke-hoach.pdf” mà liên kết trỏ tới"),
    case("body-link-escapes", article_text(body='<a href="../../../../../etc/passwd">x</a>\n'), BODY_LINE,
         "liên kết “../../../../../etc/passwd” trỏ ra ngoài thư mục content/"),
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
    return load_one_with_body(tmp_path, text, **kwargs)[0]


def load_one_with_body(tmp_path, text, **kwargs):
    """The one article of a content folder, and its body as the build converts it."""
    content = make_content(tmp_path)
    write_article(content, NAME, text, **kwargs)
    loaded = load_content(content)
    assert loaded.diagnostics.items == [], loaded.diagnostics.format()
    assert len(loaded.articles) == 1
    return loaded.articles[0], loaded.bodies.text(loaded.articles[0])


def test_good_article_fields(tmp_path):
    article, body = load_one_with_body(tmp_path, None)
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"
    assert article.slug == ARTICLE_FIELDS["slug"]
    assert article.date == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ) and article.has_time
    assert article.categories == ("thu-tuc-hanh-chinh",)
    assert article.unit == "van-phong"
    assert article.forms == ("website",)  # the plan's default_form
    assert article.url == f"tin-tuc/2025/03/{ARTICLE_FIELDS['slug']}/"
    assert article.body_line == BODY_LINE and body == "Nội dung bài viết.\n"
    assert article.plan_year == 2025 and not article.draft


def test_utf8_bom_is_accepted(tmp_path):
    article = load_one(tmp_path, article_text().encode("utf-8-sig"))
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"


def test_crlf_is_accepted(tmp_path):
    article, body = load_one_with_body(tmp_path, article_text().replace("\n", "\r\n").encode("utf-8"))
    assert article.slug == ARTICLE_FIELDS["slug"] and body == "Nội dung bài viết.\n"


def test_nfd_text_is_accepted_and_normalised_to_nfc(tmp_path):
    text = article_text(body="Đường dây nóng về thủ tục hành chính.\n", tags="[hoà giải]")
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    article, body = load_one_with_body(tmp_path, nfd)
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"
    assert unicodedata.is_normalized("NFC", article.title)
    assert body == "Đường dây nóng về thủ tục hành chính.\n"
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
    (content / "news/2025/03/images/anh.jpg").write_bytes(image_bytes())
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


# --- Accepted with a warning, or accepted as they are ---------------------------------------------
def load_with_warnings(tmp_path, text, name=NAME, setup=None):
    content = make_content(tmp_path)
    if setup is not None:
        setup(content)
    write_article(content, name, text)
    loaded = load_content(content)
    assert loaded.diagnostics.errors == [], loaded.diagnostics.format()
    assert len(loaded.articles) == 1
    return loaded.articles[0], [(w.path, w.line, w.message, w.hint) for w in loaded.diagnostics.warnings]


def test_zero_width_characters_are_removed_from_the_title_with_a_warning(tmp_path):
    article, warnings = load_with_warnings(tmp_path, replaced("Hội nghị triển khai", "Hội nghị\u200b triển\u00ad khai\ufeff"))
    assert article.title == "Hội nghị triển khai công tác cải cách hành chính"
    assert [(line, message) for _p, line, message, _h in warnings] == [
        (2, "đã bỏ ký tự vô hình U+200B (ZERO WIDTH SPACE), U+00AD (SOFT HYPHEN), U+FEFF (ZERO WIDTH NO-BREAK SPACE) trong “title”")]


def test_zero_width_characters_are_removed_from_tags(tmp_path):
    article, warnings = load_with_warnings(tmp_path, with_lines("tags: [\"một\u200d cửa\", dịch vụ công]"))
    assert article.tags == ("một cửa", "dịch vụ công")
    assert [(line, "“tags”" in message) for _p, line, message, _h in warnings] == [(7, True)]


def test_updated_in_the_future_is_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_BUILD_DATE", "2025-04-01 09:00")
    article, warnings = load_with_warnings(tmp_path, with_lines("updated: 2025-05-02 10:00"))
    assert article.updated == dt.datetime(2025, 5, 2, 10, 0, tzinfo=VN_TZ)
    assert [(p, line, message) for p, line, message, _h in warnings] == [
        (f"content/news/{NAME}", 7, "ngày cập nhật ở tương lai (2025-05-02 10:00, sau thời điểm dựng trang)")]
    assert "hẹn giờ đăng thì dùng date:" in warnings[0][3]


def test_updated_before_now_is_not_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_BUILD_DATE", "2025-06-01 09:00")
    _article, warnings = load_with_warnings(tmp_path, with_lines("updated: 2025-05-02 10:00"))
    assert warnings == []


def test_anchor_to_no_heading_is_a_warning_with_the_headings(tmp_path):
    body = ("## Kết quả đạt được\n\nXem [kết quả](#ket-qua-dat-duoc), [mục sai](#khong-co-muc),\n"
            "[chú thích](#fn:1) và <a href=\"#ket-qua-dat-duoc\">lại</a>.\n\n### Đường dây nóng {#duong-day}\n\n"
            "[Gọi](#duong-day)\n")
    article, warnings = load_with_warnings(tmp_path, article_text(body=body))
    assert [(line, message) for _p, line, message, _h in warnings] == [
        (BODY_LINE + 2, "liên kết “#khong-co-muc” không trỏ tới đề mục nào trong bài")]
    assert "#duong-day, #ket-qua-dat-duoc" in warnings[0][3]


def test_repeated_headings_get_numbered_anchors(tmp_path):
    body = "## Kết quả\n\nA\n\n## Kết quả\n\n[thứ hai](#ket-qua_1) [thứ ba](#ket-qua_2)\n"
    _article, warnings = load_with_warnings(tmp_path, article_text(body=body))
    assert [message for _p, _l, message, _h in warnings] == ["liên kết “#ket-qua_2” không trỏ tới đề mục nào trong bài"]


def test_links_to_existing_files_and_articles_pass(tmp_path):
    def setup(content):
        (content / "news/2025/03/images").mkdir(parents=True)
        (content / "news/2025/03/images/anh hoi nghi.jpg").write_bytes(image_bytes())
        (content / "news/2025/03/tai-lieu").mkdir()
        (content / "news/2025/03/tai-lieu/ke-hoach.pdf").write_bytes(pdf_bytes())
        write_article(content, "2025/02/bai-truoc.md", slug="bai-truoc", title='"Bài trước"', date="2025-02-10")
    body = ("![Ảnh hội nghị](images/anh%20hoi%20nghi.jpg)\n\n"
            "[Bài trước](../02/bai-truoc.md#ket-qua) · [Kế hoạch](tai-lieu/ke-hoach.pdf?v=2)\n\n"
            "[Trang chủ](../../../index.md) · [Cổng](https://dichvucong.gov.vn/a.md) · [Thư](mailto:vp@example.gov.vn)\n\n"
            "`![x](images/khong-co.jpg)`\n\n```\n[y](khong-co.md)\n```\n")
    content = make_content(tmp_path)
    setup(content)
    write_article(content, NAME, article_text(body=body))
    loaded = load_content(content)
    assert loaded.diagnostics.items == [], loaded.diagnostics.format()
    assert len(loaded.articles) == 2


def test_body_image_through_a_symlink_out_of_the_repository_is_refused(tmp_path):
    content = make_content(tmp_path / "repo")
    outside = tmp_path / "ngoai.jpg"
    outside.write_bytes(image_bytes())
    (content / "news/2025/03/images").mkdir(parents=True)
    (content / "news/2025/03/images/anh.jpg").symlink_to(outside)
    write_article(content, NAME, article_text(body="![Ảnh](images/anh.jpg)\n"))
    errors = load_content(content).diagnostics.errors
    assert sorted((e.path, e.line, e.message) for e in errors) == [
        ("content/news/2025/03/bai-viet.md", BODY_LINE,
         "ảnh “images/anh.jpg” trỏ tới tệp nằm ngoài kho nội dung (qua liên kết symlink)"),
        ("content/news/2025/03/images/anh.jpg", 0,
         "tệp là liên kết (symlink) trỏ ra ngoài kho nội dung: không được phép")]


def test_non_string_title_keeps_the_text_as_written(tmp_path):
    article, _ = load_with_warnings(tmp_path, replaced('"Hội nghị triển khai công tác cải cách hành chính"', "1.10"))
    assert article.title == "1.10"  # not the float 1.1


def test_date_with_a_space_before_the_offset(tmp_path):
    article, _ = load_with_warnings(tmp_path, replaced("date: 2025-03-17 08:30", "date: 2025-03-17 08:30 +07:00"))
    assert article.date == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)


def test_foreign_names_and_symbols_are_not_taken_for_legacy_fonts(tmp_path):
    body = ("Ông Hans Müller (Zürich) và bà Renée Noël thăm façade trường; một ý tưởng naïve.\n\n"
            "Liều 5 µg/ml, Nº 12, 25 °C, 3 m², © 2025 Sở GD&ĐT, Søren Kierkegaard, Gödel, España.\n")
    content = make_content(tmp_path)
    write_article(content, NAME, article_text(body=body))
    loaded = load_content(content)
    assert [w for w in loaded.diagnostics.items] == [] and loaded.bodies.text(loaded.articles[0]) == body


# --- Files under news/ that are not named *.md --------------------------------------------------------
@pytest.mark.parametrize(("name", "fixed"), [("Bai-Viet.MD", "Bai-Viet.md"), ("bai-viet.md.txt", "bai-viet.md"),
                                             ("bai-viet.markdown", "bai-viet.md"), ("bai-viet.Md", "bai-viet.md")])
def test_misnamed_article_file_is_an_error(tmp_path, name, fixed):
    content = make_content(tmp_path)
    write_article(content, f"2025/03/{name}", article_text())
    loaded = load_content(content)
    assert [(e.path, e.line, e.message) for e in loaded.diagnostics.errors] == [
        (f"content/news/2025/03/{name}", 0, f"tệp “{name}” không có đuôi .md nên không được đọc như bài viết")]
    assert f"đổi tên thành {fixed}" in loaded.diagnostics.errors[0].hint


def test_files_that_look_like_articles_are_refused_attachments_are_checked(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/ghi-chu.txt", article_text())  # front matter: an article saved as .txt
    write_article(content, "2025/03/bai-viet", article_text())  # no extension at all
    write_article(content, "2025/03/loi-nhan.txt", "Nhớ gửi ảnh cho Văn phòng.\n")  # plain text: not published
    write_article(content, "2025/03/tai-lieu/ban-nhap.txt", article_text())  # an article, wherever it is
    write_article(content, "2025/03/ke-hoach.pdf", pdf_bytes())
    write_article(content, "2025/03/anh.JPG", image_bytes())
    write_article(content, "2025/03/.bai-nhap.md.swp", b"---\n")  # hidden editor file
    loaded = load_content(content)
    message = "là bài viết (bắt đầu bằng ---) nhưng không có đuôi .md nên không được đọc như bài viết"
    assert sorted((e.path, e.line, e.message) for e in loaded.diagnostics.errors) == [
        ("content/news/2025/03/bai-viet", 0, f"tệp “bai-viet” {message}"),
        ("content/news/2025/03/ghi-chu.txt", 0, f"tệp “ghi-chu.txt” {message}"),
        ("content/news/2025/03/loi-nhan.txt", 0, "tệp văn bản .txt không được đăng kèm bài"),
        ("content/news/2025/03/tai-lieu/ban-nhap.txt", 0, f"tệp “ban-nhap.txt” {message}"),
    ]
    hints = {e.path: e.hint for e in loaded.diagnostics.errors}
    assert hints["content/news/2025/03/ghi-chu.txt"].startswith("đổi tên thành ghi-chu.md")
    assert "lưu thành PDF" in hints["content/news/2025/03/loi-nhan.txt"]
    assert loaded.diagnostics.warnings == []
    assert sorted(a.path.name for a in loaded.attachments) == ["anh.JPG", "ke-hoach.pdf"]


# --- Hostile sizes: a mistake repeated on every line of a big file ------------------------------------
@pytest.mark.parametrize(("body", "first", "message", "more"), [
    ("Dòng\x07 lỗi.\n" * 120_000, BODY_LINE, "có ký tự điều khiển vô hình U+0007", "còn ký tự vô hình"),
    ("![Ảnh](images/khong-co.jpg)\n" * 60_000, BODY_LINE, "không tìm thấy tệp ảnh", "còn ảnh hoặc liên kết hỏng"),
    ("![](images/anh.jpg)\n" * 60_000, BODY_LINE, "ảnh không có mô tả (alt)", "còn ảnh không có mô tả (alt)"),
    ("c¶i c¸ch hµnh chÝnh\n" * 80_000, BODY_LINE, "bảng mã cũ", "còn văn bản dùng bảng mã cũ"),
])
def test_a_mistake_on_every_line_is_listed_twenty_times(tmp_path, body, first, message, more):
    # (how its time grows with the text is measured by scripts/measure_markdown.py --stage check)
    content = make_content(tmp_path)
    (content / "news/2025/03/images").mkdir(parents=True)
    (content / "news/2025/03/images/anh.jpg").write_bytes(image_bytes())
    write_article(content, NAME, article_text(body=body))
    assert (content / "news" / NAME).stat().st_size < 2 * 1024 * 1024
    loaded = load_content(content)
    errors = [e for e in loaded.diagnostics.errors if message in e.message and not e.message.startswith("còn ")]
    assert len(errors) == 20 and [e.line for e in errors[:3]] == [first, first + 1, first + 2]
    assert [(e.line, e.message) for e in loaded.diagnostics.errors if e.message.startswith(more)] == [
        (first + 20, f"{more} ở các dòng sau (chỉ liệt kê 20 chỗ đầu)")]


@pytest.mark.parametrize("body", [
    "`" + "x" * 100 + "` là mã lệnh mẫu.\n",  # inline code at the start of a line is not indentation
    "```\n" + " " * 120 + "mã thụt lề sâu\n```\n",  # neither is code in a fence
    "- " + "-" * 40 + "\n",  # a rule of dashes after a list marker
    "> " * 5 + "trích dẫn lồng 5 mức\n",
])
def test_ordinary_structure_is_not_taken_for_deep_nesting(tmp_path, body):
    load_one(tmp_path, article_text(body=body))


# --- Plan, units and reporting files: a staff value is quoted shortened, never at full length ---------
LONG = "X" * 3000


@pytest.mark.parametrize(("rel", "old", "new", "line_of", "message"), [
    ("units.yml", "  - id: thanh-tra\n", f"  - id: Thanh-{LONG}\n", f"Thanh-{LONG}", "mã “Thanh-XXX"),
    ("units.yml", "    group: phong\n    short_name: \"Thanh tra\"", f"    group: nhom-{LONG}\n    short_name: \"Thanh tra\"",
     f"nhom-{LONG}", "nhóm “nhom-XXX"),
    ("reporting.yml", "    start: {month: 6, day: 15}", f"    start: {{month: 2, day: 30, note: \"{LONG}\"}}",
     "month: 2, day: 30", "mốc “start” của kỳ báo cáo là ngày không tồn tại: {"),
    ("plans/2025.yml", "date: null\n", f"date: \"ngày {LONG}\"\n", f"ngày {LONG}", "“date” không phải ngày hợp lệ: ngày XXX"),
    ("plans/2025.yml", "default_form: website\n", f"default_form: web-{LONG}\n", f"web-{LONG}", "default_form “web-XXX"),
    ("plans/2025.yml", '    documents: ["76/NQ-CP", "23/CT-TTg", "02/CT-UBND"]', f'    documents: ["76/{LONG}"]',
     f"76/{LONG}", "văn bản “76/XXX"),
    ("plans/2025.yml", "year: 2025\n", "year: 2025" + "0" * 1000 + "\n", "year: 2025000", "năm kế hoạch “2025000"),
    ("reporting.yml", "    start: {month: 6, day: 15}", "    start: {month: 6, day: 15, year: 1" + "0" * 1000 + "}",
     "year: 1000", "mốc “start” của kỳ báo cáo là ngày không tồn tại: {"),
])
def test_plan_and_units_files_quote_long_values_shortened(tmp_path, rel, old, new, line_of, message):
    """A 3,000-character value pasted into a data file: the message names it, cut short ("…"),
    on its line, instead of flooding the terminal."""
    content = make_content(tmp_path)
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.split("\n"), start=1) if line_of in t)
    diags = load_content(content).diagnostics
    found = [e for e in diags.errors if e.message.startswith(message)]
    assert found, diags.format()[:2000]
    assert (found[0].path, found[0].line) == (f"content/{rel}", line)
    assert "…" in found[0].message and len(found[0].message) < 200
    for item in diags.items:  # no message or hint carries the long value
        assert "X" * 100 not in item.message + item.hint and "0" * 100 not in item.message + item.hint


# --- Links to drafts and scheduled articles: broken on the public site until those appear ---------------
DRAFT_LINKS_NOW = dt.datetime(2025, 4, 15, 9, 0, tzinfo=VN_TZ)
PUBLIC_BODY = """Tin đã đăng.

Xem [bài nháp](../04/ban-nhap.md) và [lịch hẹn giờ](../05/hen-gio.md#lich).
Bài cũ: [đã đăng](../02/da-dang.md), [trang chuyên mục](../../../chuyen-muc/thu-tuc-hanh-chinh/).

Địa chỉ trang: [nháp](../../04/ban-nhap/), [tuyệt đối](/tin-tuc/2025/04/ban-nhap/index.html)
và [đầy đủ](https://sgd.example.vn/cchc/tin-tuc/2025/05/hen-gio/).

Viết `[x](../04/ban-nhap.md)` là liên kết tới bài khác.

```
[trong khối mã](../04/ban-nhap.md)
```

<p>HTML: <a href="../04/ban-nhap.md">bản nháp</a></p>

[tham chiếu]: ../04/ban-nhap.md
"""
SCHEDULED_BODY = """Tin hẹn giờ.

Liên quan: [nháp](../04/ban-nhap.md), [đăng trước](som-hon.md), [đăng sau](../06/sau-nua.md).
"""


def _draft_link_content(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/02/da-dang.md", slug="da-dang", date="2025-02-10")
    write_article(content, "2025/03/cong-bo.md", body=PUBLIC_BODY, slug="cong-bo", date="2025-03-20")
    write_article(content, "2025/04/ban-nhap.md", body="Nháp: [hẹn giờ](../05/hen-gio.md).\n", slug="ban-nhap",
                  title='"Kế hoạch khảo sát sự hài lòng"', date="2025-04-02", draft="true")
    write_article(content, "2025/05/hen-gio.md", body=SCHEDULED_BODY, slug="hen-gio", date="2025-05-10 08:00")
    write_article(content, "2025/05/som-hon.md", slug="som-hon", date="2025-05-01")
    write_article(content, "2025/06/sau-nua.md", slug="sau-nua", date="2025-06-01")
    loaded = load_content(content)
    assert loaded.diagnostics.errors == [], loaded.diagnostics.format()
    assert len(loaded.articles) == 6
    return loaded


def _line(text: str, needle: str, first: int = BODY_LINE) -> int:
    return first + next(n for n, line in enumerate(text.split("\n")) if needle in line)


def test_links_to_drafts_and_later_scheduled_articles_are_warned(tmp_path):
    from cchc.body_checks import draft_link_warnings
    from cchc.diagnostics import Diagnostics

    loaded = _draft_link_content(tmp_path)
    diags = Diagnostics(loaded.root.parent)
    assert draft_link_warnings(loaded.articles, loaded.bodies, diags, DRAFT_LINKS_NOW) == 9
    draft = ("trỏ tới bài nháp “Kế hoạch khảo sát sự hài lòng” (content/news/2025/04/ban-nhap.md): "
             "trên trang công khai liên kết này sẽ hỏng cho đến khi bài đó được đăng")
    title = "“Hội nghị triển khai công tác cải cách hành chính”"
    scheduled = (f"trỏ tới bài hẹn giờ đăng 10/05/2025 08:00 {title} (content/news/2025/05/hen-gio.md): "
                 "trên trang công khai liên kết này sẽ hỏng cho đến lúc đó")
    later = (f"trỏ tới bài hẹn giờ đăng 01/06/2025 {title} (content/news/2025/06/sau-nua.md): "
             "trên trang công khai liên kết này sẽ hỏng cho đến lúc đó")
    public, scheduled_file = "content/news/2025/03/cong-bo.md", "content/news/2025/05/hen-gio.md"
    assert [(w.path, w.line, w.message) for w in diags.sorted()] == [
        (public, _line(PUBLIC_BODY, "[bài nháp]"), f"liên kết “../04/ban-nhap.md” {draft}"),
        (public, _line(PUBLIC_BODY, "[bài nháp]"), f"liên kết “../05/hen-gio.md#lich” {scheduled}"),
        # page addresses: relative to the article's page, site-absolute, or the full address
        (public, _line(PUBLIC_BODY, "Địa chỉ trang"), f"liên kết “../../04/ban-nhap/” {draft}"),
        (public, _line(PUBLIC_BODY, "Địa chỉ trang"), f"liên kết “/tin-tuc/2025/04/ban-nhap/index.html” {draft}"),
        (public, _line(PUBLIC_BODY, "[đầy đủ]"),
         f"liên kết “https://sgd.example.vn/cchc/tin-tuc/2025/05/hen-gio/” {scheduled}"),
        (public, _line(PUBLIC_BODY, "<a href"), f"liên kết “../04/ban-nhap.md” {draft}"),
        (public, _line(PUBLIC_BODY, "[tham chiếu]"), f"liên kết “../04/ban-nhap.md” {draft}"),
        # a scheduled article: the draft and the article scheduled after it, not the one before it
        (scheduled_file, _line(SCHEDULED_BODY, "Liên quan"), f"liên kết “../04/ban-nhap.md” {draft}"),
        (scheduled_file, _line(SCHEDULED_BODY, "Liên quan"), f"liên kết “../06/sau-nua.md” {later}"),
    ]
    assert all(not w.is_error for w in diags.items)
    hints = {w.message.split("” trỏ tới bài ")[1][:4]: w.hint for w in diags.items}
    assert hints == {"nháp": "đăng bài kia trước (xóa dòng draft: true của bài đó), hoặc tạm bỏ liên kết này "
                             "cho đến khi bài kia được đăng",
                     "hẹn ": "hẹn giờ bài này không sớm hơn bài kia (date:), hoặc tạm bỏ liên kết này "
                             "cho đến khi bài kia được đăng"}


def test_links_to_drafts_are_warned_by_cchc_check(tmp_path, monkeypatch):
    """content.load_content runs the check over all articles: `cchc check` and the build show it."""
    from support import run_cchc

    monkeypatch.setenv("CCHC_BUILD_DATE", "2025-04-15 09:00")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    loaded = _draft_link_content(tmp_path)
    assert any("trỏ tới bài nháp" in w.message for w in loaded.diagnostics.warnings), loaded.diagnostics.format()
    result = run_cchc("--content", str(loaded.root), "check", build_date="2025-04-15 09:00")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (f"content/news/2025/03/cong-bo.md:{_line(PUBLIC_BODY, '[bài nháp]')}: cảnh báo: liên kết "
            "“../04/ban-nhap.md” trỏ tới bài nháp") in result.stdout + result.stderr


def test_links_are_not_warned_once_the_other_article_is_public(tmp_path):
    from cchc.body_checks import draft_link_warnings
    from cchc.diagnostics import Diagnostics

    loaded = _draft_link_content(tmp_path)
    public = [dataclasses.replace(article, draft=False) for article in loaded.articles]
    diags = Diagnostics(loaded.root.parent)
    assert draft_link_warnings(public, loaded.bodies, diags, dt.datetime(2025, 7, 1, tzinfo=VN_TZ)) == 0
    assert diags.items == []
