"""`cchc new`, `cchc check [--fix]` and the site build, run as staff run them (subprocesses)."""

from __future__ import annotations

import datetime as dt

import frontmatter
import pytest

from cchc.content import load_content
from cchc.dates import VN_TZ

from support import article_text, build_site, make_content, run_cchc, write_article

TITLE = "Đẩy mạnh chuyển đổi số"
SLUG = "day-manh-chuyen-doi-so"


def new(content, title=TITLE, *extra, category="chinh-quyen-so", unit="van-phong", build_date="2025-03-17 08:30"):
    return run_cchc("--content", str(content), "new", title, "--category", category, "--unit", unit, *extra,
                    build_date=build_date)


def check(content, *extra, build_date="2025-03-17 08:30"):
    return run_cchc("--content", str(content), "check", *extra, build_date=build_date)


def news_files(content) -> list[str]:
    return sorted(p.relative_to(content).as_posix() for p in (content / "news").rglob("*") if p.is_file())


# --- cchc new -----------------------------------------------------------------------------------
def test_new_creates_a_complete_draft(tmp_path):
    content = make_content(tmp_path)
    result = new(content)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"content/news/2025/03/{SLUG}.md"
    assert news_files(content) == [f"news/2025/03/{SLUG}.md"]
    post = frontmatter.loads((content / "news/2025/03" / f"{SLUG}.md").read_text(encoding="utf-8"))
    assert post["title"] == TITLE
    assert post["slug"] == SLUG
    assert str(post["date"]) == "2025-03-17 08:30"
    assert post["categories"] == ["chinh-quyen-so"]
    assert post["unit"] == "van-phong"
    assert post["forms"] == ["website"]
    assert post["draft"] is True
    assert "draft: true" in result.stderr

    loaded = load_content(content)
    assert loaded.diagnostics.items == []
    article = loaded.articles[0]
    assert article.date == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)
    assert article.draft and article.slug == SLUG and article.url == f"tin-tuc/2025/03/{SLUG}/"


def test_new_writes_vietnam_time_whatever_the_clock_zone(tmp_path):
    content = make_content(tmp_path)
    # 20:00 UTC on 31/3 is 03:00 on 1/4 in Vietnam: the article belongs to April.
    result = new(content, build_date="2025-03-31T20:00:00Z")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"content/news/2025/04/{SLUG}.md"
    article = load_content(content).articles[0]
    assert article.date == dt.datetime(2025, 4, 1, 3, 0, tzinfo=VN_TZ)


def test_new_accepts_several_categories_and_quotes_in_title(tmp_path):
    content = make_content(tmp_path)
    title = 'Hội nghị "Dân vận khéo": kết quả quý I'
    result = new(content, title, "--category", "thu-tuc-hanh-chinh")
    assert result.returncode == 0, result.stderr
    article = load_content(content).articles[0]
    assert article.title == title
    assert article.slug == "hoi-nghi-dan-van-kheo-ket-qua-quy-i"
    assert article.categories == ("chinh-quyen-so", "thu-tuc-hanh-chinh")


def test_new_never_overwrites(tmp_path):
    content = make_content(tmp_path)
    assert new(content).returncode == 0
    path = content / "news/2025/03" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn đã viết.\n", encoding="utf-8")
    before = path.read_bytes()
    again = new(content)
    assert again.returncode == 1
    assert f"đã có bài với slug “{SLUG}”" in again.stderr
    assert again.stdout == ""
    assert path.read_bytes() == before
    assert news_files(content) == [f"news/2025/03/{SLUG}.md"]


def test_new_unknown_category_writes_nothing(tmp_path):
    content = make_content(tmp_path)
    result = new(content, category="chinh-quyen-s")
    assert result.returncode == 1
    assert "chuyên mục “chinh-quyen-s” không có trong kế hoạch 2025" in result.stderr
    assert "có phải ý bạn là “chinh-quyen-so”" in result.stderr
    assert "thu-tuc-hanh-chinh" in result.stderr  # the valid ids are listed
    assert news_files(content) == []
    assert not (content / "news/2025").exists()


def test_new_unknown_unit_writes_nothing(tmp_path):
    content = make_content(tmp_path)
    result = new(content, unit="Van-Phong")
    assert result.returncode == 1
    assert "đơn vị “Van-Phong” không có trong content/units.yml" in result.stderr
    assert "có phải ý bạn là “van-phong”" in result.stderr
    assert news_files(content) == []


def test_new_then_check_passes(tmp_path):
    content = make_content(tmp_path)
    assert new(content).returncode == 0
    assert new(content, "Tập huấn sử dụng dịch vụ công trực tuyến", category="thu-tuc-hanh-chinh",
               unit="phong-gddt-ba-tri").returncode == 0
    result = check(content)
    assert result.returncode == 0, result.stderr
    assert "0 lỗi" in result.stdout


# --- cchc check ---------------------------------------------------------------------------------------
def test_check_reports_every_bad_file_with_path_and_line(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/tot.md", slug="tot")
    write_article(content, "2025/03/ngay-sai.md", slug="ngay-sai", date="2025-02-30")
    write_article(content, "2025/03/don-vi-sai.md", slug="don-vi-sai", unit="van-phog")
    write_article(content, "2025/03/ma-cu.md", slug="ma-cu", body="c¶i c¸ch hµnh chÝnh\n")
    result = check(content)
    assert result.returncode == 1
    err = result.stderr
    assert "content/news/2025/03/ngay-sai.md:4: lỗi: ngày đăng (date) sai" in err
    assert "content/news/2025/03/don-vi-sai.md:6: lỗi: đơn vị “van-phog”" in err
    assert "content/news/2025/03/ma-cu.md:9: lỗi: văn bản dùng bảng mã cũ" in err
    assert err.count("→ Cách sửa:") == 3
    assert "tot.md" not in err
    assert "3 lỗi" in err


def test_check_fix_adds_the_missing_slug_line_and_nothing_else(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, "2025/03/bai.md", article_text(slug=None, tags="[một cửa]"))
    other = write_article(content, "2025/03/khac.md", slug="khac", title='"Bài khác"')
    before, other_before = path.read_bytes(), other.read_bytes()

    reported = check(content)
    assert reported.returncode == 1
    # tags: makes the front matter one line longer: the closing --- is line 7.
    assert "content/news/2025/03/bai.md:7: lỗi: thiếu đường dẫn cố định (slug)" in reported.stderr
    expected_line = "slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh"
    assert f"thêm dòng `{expected_line}` ở dòng 7 (trước dòng ---)" in reported.stderr

    fixed = check(content, "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert f"content/news/2025/03/bai.md:3: đã thêm {expected_line}" in fixed.stdout
    after = path.read_bytes().splitlines(keepends=True)
    assert after[2] == (expected_line + "\n").encode()
    assert b"".join(after[:2] + after[3:]) == before
    assert other.read_bytes() == other_before
    assert check(content).returncode == 0


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_check_fix_keeps_line_endings_and_bom(tmp_path, newline):
    content = make_content(tmp_path)
    original = b"\xef\xbb\xbf" + article_text(slug=None).replace("\n", newline).encode("utf-8")
    path = write_article(content, "2025/03/bai.md", original)
    result = check(content, "--fix")
    assert result.returncode == 0, result.stderr
    fixed = path.read_bytes()
    after = fixed.splitlines(keepends=True)
    assert after[2] == ("slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh" + newline).encode()
    assert b"".join(after[:2] + after[3:]) == original
    assert fixed.count(newline.encode()) == original.count(newline.encode()) + 1
    assert fixed.replace(newline.encode(), b"").count(b"\n") == 0 and fixed.replace(newline.encode(), b"").count(b"\r") == 0


def test_check_fix_after_a_title_over_several_lines(tmp_path):
    content = make_content(tmp_path)
    text = article_text(slug=None, title=">-\n  Hội nghị triển khai\n  công tác năm 2025")
    path = write_article(content, "2025/03/bai.md", text)
    assert check(content, "--fix").returncode == 0
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[1:5] == ["title: >-", "  Hội nghị triển khai", "  công tác năm 2025",
                          "slug: hoi-nghi-trien-khai-cong-tac-nam-2025"]


def test_check_fix_does_not_duplicate_an_empty_slug(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, "2025/03/bai.md", slug="")
    before = path.read_bytes()
    result = check(content, "--fix")
    assert result.returncode == 1
    assert path.read_bytes() == before
    assert "content/news/2025/03/bai.md:3: lỗi: slug “” không hợp lệ" in result.stderr


def test_check_fix_avoids_taken_slugs(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/a.md", slug="hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh", title='"Bài A"')
    path = write_article(content, "2025/03/b.md", slug=None, date="2025-03-18")
    assert check(content, "--fix").returncode == 0
    assert "slug: hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh-2\n" in path.read_text(encoding="utf-8")


# --- The site build runs the same checks ---------------------------------------------------------------
def test_build_stops_before_touching_the_site_on_an_error(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/tot.md", slug="tot")
    write_article(content, "2025/03/sai.md", slug="sai", categories="[thu-tuc-hanh-chin]")
    site = tmp_path / "site"
    site.mkdir()
    (site / "marker.txt").write_text("bản cũ", encoding="utf-8")

    built = build_site(tmp_path, content)
    assert not built.ok
    assert "content/news/2025/03/sai.md:5: lỗi: chuyên mục “thu-tuc-hanh-chin” không có trong kế hoạch" in built.output
    assert "có phải ý bạn là “thu-tuc-hanh-chinh”" in built.output
    assert (site / "marker.txt").read_text(encoding="utf-8") == "bản cũ"
    assert sorted(p.name for p in site.iterdir()) == ["marker.txt"]

    # Control: once the article is fixed the same build succeeds and replaces the site.
    write_article(content, "2025/03/sai.md", slug="sai")
    built = build_site(tmp_path, content)
    assert built.ok, built.output
    assert not (site / "marker.txt").exists()
    assert built.exists("tin-tuc/2025/03/sai/index.html")
