"""`cchc check` catches what Word (and the tools' starter text) leave in an article, with the
file line and the fix; `cchc check --fix` makes the safe fixes and changes nothing else."""

from __future__ import annotations

import re

import pytest

from cchc.content import load_content
from cchc.placeholders import MISSING_ALT, STARTER_BODY

from support import image_bytes, article_text, build_site, make_content, run_cchc, write_article

NAME = "2025/03/bai-viet.md"
FILE = f"content/news/{NAME}"
BODY_LINE = 9  # support.ARTICLE_FIELDS: the body starts on line 9


def check(content, *extra):
    return run_cchc("--content", str(content), "check", *extra, build_date="2025-06-01 08:00")


def problems(content):
    loaded = load_content(content)
    return loaded, [(d.severity, d.line, d.message, d.hint) for d in loaded.diagnostics.sorted()]


def only(items, text):
    found = [item for item in items if text in item[2]]
    assert len(found) == 1, items
    return found[0]


# --- Front matter --------------------------------------------------------------------------------------
def test_curly_quotes_around_the_title_are_an_error_and_fixed(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, title="“Hội nghị triển khai công tác cải cách hành chính”")
    loaded, items = problems(content)
    severity, line, message, hint = only(items, "dấu ngoặc kép cong")
    assert (severity, line) == ("lỗi", 2)
    assert "trang web hiện cả dấu ngoặc trong tiêu đề trang, thẻ trình duyệt và nguồn tin RSS" in message
    assert 'title: "Hội nghị triển khai công tác cải cách hành chính"' in hint
    assert loaded.articles == []  # not published with the quotes

    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    assert f"{FILE}:2: đã sửa: đổi ngoặc kép cong thành ngoặc kép thẳng" in result.stdout
    assert path.read_text(encoding="utf-8").split("\n")[1] == 'title: "Hội nghị triển khai công tác cải cách hành chính"'
    assert load_content(content).articles[0].title == "Hội nghị triển khai công tác cải cách hành chính"


def test_quotes_inside_a_title_are_not_taken_for_wrapping(tmp_path):
    """“Dân vận khéo” và “Một cửa”: two quoted phrases, not a value wrapped in quotes."""
    content = make_content(tmp_path)
    write_article(content, NAME, title="“Dân vận khéo” và “Một cửa” năm 2025")
    loaded, items = problems(content)
    assert items == []
    assert loaded.articles[0].title == "“Dân vận khéo” và “Một cửa” năm 2025"


def test_a_non_breaking_space_in_the_front_matter_is_found_and_fixed(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, unit="\u00a0van-phong", categories="[thu-tuc-hanh-chinh,\u00a0chinh-quyen-so]")
    _loaded, items = problems(content)
    assert [(s, line) for s, line, m, _h in items if "khoảng trắng không ngắt U+00A0 (NO-BREAK SPACE)" in m] == [
        ("cảnh báo", 5), ("cảnh báo", 6)]

    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    assert f"{FILE}:5: đã sửa: thay khoảng trắng không ngắt, bỏ ký tự vô hình" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert "\u00a0" not in text and "categories: [thu-tuc-hanh-chinh, chinh-quyen-so]" in text
    article = load_content(content).articles[0]
    assert article.categories == ("thu-tuc-hanh-chinh", "chinh-quyen-so") and article.unit == "van-phong"


def test_a_zero_width_character_in_a_category_id_is_named_and_fixed(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, categories="[thu-tuc-hanh-chinh\u200b]")
    _loaded, items = problems(content)
    assert any(item[1] == 5 and "ký tự vô hình U+200B (ZERO WIDTH SPACE)" in item[2] for item in items)
    assert check(content, "--fix").returncode == 0
    assert "\u200b" not in path.read_text(encoding="utf-8")


# --- Body ---------------------------------------------------------------------------------------------------
def test_word_bullets_are_found_and_made_a_list(tmp_path):
    content = make_content(tmp_path)
    body = "Kết quả nổi bật:\n•\tTiếp nhận 1.250 hồ sơ\n◦\tBản sao văn bằng\n▪ Không hồ sơ trễ hạn\n-\tĐúng hạn 100%\n"
    # ("-" and a Tab inside the list is a Markdown list item already: left as it is.)
    path = write_article(content, NAME, body=body)
    _loaded, items = problems(content)
    bullets = [item for item in items if "dấu đầu dòng của Word" in item[2]]
    assert [(s, line) for s, line, _m, _h in bullets] == [("cảnh báo", BODY_LINE + n) for n in (1, 2, 3)]
    assert "“•”" in bullets[0][2] and "các dòng dính thành một đoạn" in bullets[0][2]
    assert "bắt đầu bằng “- ”" in bullets[0][3]

    built = build_site(tmp_path / "truoc", content, build_date="2025-06-01 08:00")
    assert built.ok, built.output
    before = built.read("tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/index.html")
    assert "<li>" not in before.split('class="cchc-article__body"')[1].split("</div>")[0]

    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8").endswith(
        "Kết quả nổi bật:\n\n- Tiếp nhận 1.250 hồ sơ\n    - Bản sao văn bằng\n- Không hồ sơ trễ hạn\n-\tĐúng hạn 100%\n")
    assert f"{FILE}:{BODY_LINE + 2}: đã sửa: đổi dấu đầu dòng của Word thành “- ”" in result.stdout
    _loaded, items = problems(content)
    assert items == []
    built = build_site(tmp_path / "sau", content, build_date="2025-06-01 08:00")
    page = built.read("tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/index.html")
    assert "<li>Tiếp nhận 1.250 hồ sơ<ul>\n<li>Bản sao văn bằng</li>" in page


def test_tab_indented_word_bullets_would_be_code(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, body="Các bước:\n\n\t-\tĐăng ký tài khoản\n\t-\tNộp hồ sơ\n")
    _loaded, items = problems(content)
    assert [(s, line) for s, line, m, _h in items if "(dòng thụt vào bằng phím Tab hiện thành khung mã)" in m] == [
        ("cảnh báo", BODY_LINE + 2), ("cảnh báo", BODY_LINE + 3)]
    assert check(content, "--fix").returncode == 0
    assert path.read_text(encoding="utf-8").endswith("Các bước:\n\n- Đăng ký tài khoản\n- Nộp hồ sơ\n")


def test_a_list_glued_to_the_paragraph_above_is_found_and_fixed(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, body="Nhiệm vụ:\n- Một cửa\n- Dịch vụ công\n\n- Mục khác\n")
    _loaded, items = problems(content)
    assert [(s, line) for s, line, m, _h in items if "danh sách dính" in m] == [("cảnh báo", BODY_LINE + 1)]
    assert check(content, "--fix").returncode == 0
    assert path.read_text(encoding="utf-8").endswith("Nhiệm vụ:\n\n- Một cửa\n- Dịch vụ công\n\n- Mục khác\n")


def test_a_pipe_table_without_its_separator_row_is_an_error_and_fixed(tmp_path):
    content = make_content(tmp_path)
    body = "Kết quả:\n| Đơn vị | Hồ sơ |\n| Văn phòng | 820 |\n| Phòng GD&ĐT | 120 |\n"
    path = write_article(content, NAME, body=body)
    loaded, items = problems(content)
    severity, line, message, hint = only(items, "bảng thiếu dòng phân cách")
    assert (severity, line) == ("lỗi", BODY_LINE + 1)
    assert "|---|---| ngay dưới dòng tiêu đề bảng: trang web hiện nguyên các dấu |" in message
    assert f"thêm dòng |---|---| ngay dưới dòng đầu của bảng (dòng {BODY_LINE + 1})" in hint
    assert loaded.articles == []
    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8").endswith(
        "Kết quả:\n\n| Đơn vị | Hồ sơ |\n|---|---|\n| Văn phòng | 820 |\n| Phòng GD&ĐT | 120 |\n")
    built = build_site(tmp_path, content, build_date="2025-06-01 08:00")
    page = built.read("tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/index.html")
    assert "<th>Đơn vị</th>" in page and "<td>820</td>" in page


def test_a_separator_in_the_wrong_place_is_reported_without_a_guess(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, body="| a | b |\n| 1 | 2 |\n|---|---|\n")
    _loaded, items = problems(content)
    assert only(items, "dòng phân cách nằm sai chỗ")[1] == BODY_LINE
    before = path.read_bytes()
    check(content, "--fix")
    assert path.read_bytes() == before  # no safe fix: staff decide which row is the header


@pytest.mark.parametrize(("body", "line", "message", "hint"), [
    ("# Kết quả\n\nNội dung.\n", BODY_LINE, "đề mục cấp 1 “# Kết quả” trong nội dung: tiêu đề bài đã là đề mục cấp 1",
     "viết “## Kết quả”"),
    ("# Hội nghị triển khai công tác cải cách hành chính\n\nNội dung.\n", BODY_LINE,
     "lặp lại tiêu đề bài", "xóa dòng này"),
    ("Kết quả\n=======\n\nNội dung.\n", BODY_LINE, "đề mục cấp 1 “# Kết quả”", "viết “## Kết quả”"),
    ("## Kết quả\n\n#### Chi tiết\n\nNội dung.\n", BODY_LINE + 2,
     "đề mục “#### Chi tiết” nhảy từ cấp 2 xuống cấp 4, bỏ qua cấp 3", "viết “### Chi tiết”"),
    ("### Kết quả\n\nNội dung.\n", BODY_LINE, "nhảy từ cấp 1 xuống cấp 3", "viết “## Kết quả” (đề mục đầu tiên của bài là ##)"),
])
def test_heading_levels(tmp_path, body, line, message, hint):
    content = make_content(tmp_path)
    write_article(content, NAME, body=body)
    _loaded, items = problems(content)
    found = only(items, message)
    assert found[0] == "cảnh báo" and found[1] == line and hint in found[3]


def test_headings_in_order_and_in_code_are_fine(tmp_path):
    content = make_content(tmp_path)
    write_article(content, NAME, body="## A\n\n### B\n\n## C\n\n```\n# không phải đề mục\n####### x\n```\n")
    assert problems(content)[1] == []


def test_an_image_name_with_spaces_says_how_to_write_it_and_is_fixed(tmp_path):
    content = make_content(tmp_path)
    (content / "news/2025/03/images").mkdir(parents=True)
    (content / "news/2025/03/images/anh hoi nghi.jpg").write_bytes(image_bytes("JPEG", (8, 6)))
    path = write_article(content, NAME, body='Mở đầu.\n\n![Quang cảnh hội nghị](images/anh hoi nghi.jpg "Chú thích")\n')
    _loaded, items = problems(content)
    assert len(items) == 1, items  # not also "không tìm thấy tệp ảnh images/anh"
    severity, line, message, hint = items[0]
    assert (severity, line) == ("lỗi", BODY_LINE + 2)
    assert message == "tên ảnh “images/anh hoi nghi.jpg” có khoảng trắng: đường dẫn bị cắt ở dấu cách"
    assert "đổi tên tệp thành “images/anh-hoi-nghi.jpg”" in hint
    assert "<images/anh hoi nghi.jpg>" in hint and "images/anh%20hoi%20nghi.jpg" in hint
    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8").endswith('![Quang cảnh hội nghị](<images/anh hoi nghi.jpg> "Chú thích")\n')
    built = build_site(tmp_path, content, build_date="2025-06-01 08:00")
    assert built.ok, built.output
    page = built.read("tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/index.html")
    # the image is found and shown (as its picture, cchc.pictures, under a plain name), with its caption
    figure = re.search(r'<figure class="cchc-figure"><picture>.*?</picture><figcaption>Chú thích</figcaption>', page, re.S)
    assert figure and 'alt="Quang cảnh hội nghị"' in figure.group(0)
    assert re.search(r'src="\.\./images/anh-hoi-nghi-[0-9a-f]{10}-8\.jpg"', figure.group(0))
    assert list((built.site / "tin-tuc/2025/03/images").glob("anh-hoi-nghi-*-8.webp"))


def test_an_image_name_with_spaces_that_does_not_exist_is_not_rewritten(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, NAME, body="![Ảnh](images/khong co.jpg)\n")
    _loaded, items = problems(content)
    assert "(và không có tệp ảnh này cạnh bài)" in only(items, "có khoảng trắng")[2]
    before = path.read_bytes()
    check(content, "--fix")
    assert path.read_bytes() == before


# --- Starter text and placeholders ---------------------------------------------------------------------
def test_starter_text_cites_nothing_and_is_an_error_once_published(tmp_path):
    content = make_content(tmp_path)
    result = run_cchc("--content", str(content), "new", "Tập huấn dịch vụ công", "--category", "thu-tuc-hanh-chinh",
                      "--unit", "van-phong", build_date="2025-03-17 08:30")
    assert result.returncode == 0, result.stderr
    path = tmp_path / result.stdout.strip()
    assert (path.parent / "images" / "tap-huan-dich-vu-cong").is_dir()  # the article's own image folder
    assert "# image: images/tap-huan-dich-vu-cong/ten-anh.jpg" in path.read_text(encoding="utf-8")
    loaded, items = problems(content)
    assert items == [] and loaded.citations.get(loaded.articles[0].source, ()) == ()  # on no document's page, in no feed of one

    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    loaded, items = problems(content)
    starter = [item for item in items if "còn đoạn hướng dẫn của cchc new" in item[2]]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert [line for _s, line, _m, _h in starter] == [n + 1 for n, text in enumerate(lines) if text.startswith("✎")]
    assert all(s == "lỗi" for s, *_ in starter) and len(starter) == 3
    assert loaded.articles == []
    # The text of earlier versions of `cchc new` is recognised too.
    write_article(content, "2025/03/bai-cu.md", slug="bai-cu", title='"Bài cũ"', body=(
        "Viết câu mở đầu tóm tắt sự kiện: ai, làm gì, ở đâu, khi nào (câu này dùng làm tóm tắt nếu để trống summary).\n"))
    assert any("bai-cu.md" in d.path and "đoạn hướng dẫn" in d.message for d in load_content(content).diagnostics.errors)


def test_the_missing_description_placeholder_warns_in_a_draft_and_stops_publication(tmp_path):
    content = make_content(tmp_path)
    (content / "news/2025/03/images/bai").mkdir(parents=True)
    (content / "news/2025/03/images/bai/anh1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    body = f"Mở đầu.\n\n![{MISSING_ALT}](images/bai/anh1.png)\n"
    write_article(content, NAME, body=body, draft="true")  # one more front-matter line: the body is one lower
    _loaded, items = problems(content)
    assert [(s, line) for s, line, m, _h in items if MISSING_ALT in m] == [("cảnh báo", BODY_LINE + 3)]
    write_article(content, NAME, body=body)
    loaded, items = problems(content)
    assert [(s, line) for s, line, m, _h in items if MISSING_ALT in m] == [("lỗi", BODY_LINE + 2)]
    assert loaded.articles == []


def test_fix_changes_only_the_lines_concerned_and_keeps_crlf(tmp_path):
    content = make_content(tmp_path)
    text = article_text(title="“Hội nghị”", body="Mở đầu.\n•\tMục một\n•\tMục hai\n\nĐoạn cuối giữ nguyên.\n")
    path = write_article(content, NAME, text.replace("\n", "\r\n").encode("utf-8"))
    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == article_text(
        title='"Hội nghị"', body="Mở đầu.\n\n- Mục một\n- Mục hai\n\nĐoạn cuối giữ nguyên.\n").replace("\n", "\r\n").encode()
    assert f"{FILE}:{BODY_LINE + 2}: đã sửa" in result.stdout  # the line in the file as it is now
    assert STARTER_BODY.count("✎") == 3
