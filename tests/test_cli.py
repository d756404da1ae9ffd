"""`cchc new`, `cchc check [--fix]` and the site build, run as staff run them (subprocesses)."""

from __future__ import annotations

import datetime as dt
import subprocess

import frontmatter
import pytest

from cchc.content import load_content
from cchc.dates import VN_TZ

from support import BIN, article_text, build_site, env, make_content, run_cchc, write_article, write_config

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


def tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_never_overwrites_a_file_the_duplicate_check_does_not_see(tmp_path):
    """The slug check only knows valid articles: a file at the target path with another slug, or
    one with errors, is protected by the exclusive create (open mode "x") alone."""
    content = make_content(tmp_path)
    for existing in (article_text(slug="bai-khac", title='"Bài khác"'), "---\ntitle: [chưa xong\n---\nBản nháp dở.\n"):
        path = write_article(content, f"2025/03/{SLUG}.md", existing)
        before = tree(content)
        result = new(content)
        assert result.returncode == 1, result.stderr
        assert f"Lỗi: tệp content/news/2025/03/{SLUG}.md đã tồn tại; không ghi đè." in result.stderr
        assert f"→ Cách sửa: đặt tiêu đề khác hoặc dùng --slug {SLUG}-2" in result.stderr
        assert "đã có bài với slug" not in result.stderr  # it was not the duplicate-slug check
        assert result.stdout == "" and tree(content) == before
        assert path.read_text(encoding="utf-8") == existing


@pytest.mark.parametrize(("slug", "suggestion"), [
    ("../../../../escape", "escape"),
    ("Có Dấu", "co-dau"),
    ("tin/bai-viet", "tin-bai-viet"),  # a folder that does not exist: no FileNotFoundError
    ("a" * 101, "a" * 80),
])
def test_new_refuses_an_invalid_slug_and_writes_nothing(tmp_path, slug, suggestion):
    content = make_content(tmp_path)
    before = tree(tmp_path)
    result = new(content, TITLE, "--slug", slug)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"Lỗi: --slug “{slug[:59] + '…' if len(slug) > 60 else slug}” không hợp lệ" in result.stderr
    assert f"    → Cách sửa: dùng --slug {suggestion}" in result.stderr
    assert tree(tmp_path) == before
    assert not (tmp_path.parent / "escape.md").exists() and not list(tmp_path.parent.glob("*/escape.md"))


def test_new_with_a_valid_slug_uses_it(tmp_path):
    content = make_content(tmp_path)
    result = new(content, TITLE, "--slug", "chuyen-doi-so-2025")
    assert result.returncode == 0, result.stderr
    assert news_files(content) == ["news/2025/03/chuyen-doi-so-2025.md"]


def test_new_warns_when_the_year_has_no_plan(tmp_path):
    content = make_content(tmp_path)  # only the 2025 plan
    result = new(content, build_date="2026-03-17 08:30")
    assert result.returncode == 0, result.stderr
    assert ("Cảnh báo: chưa có kế hoạch năm 2026: bài được kiểm tra theo kế hoạch năm 2025 "
            "và không được tính vào trang độ phủ") in result.stderr
    assert "→ Cách sửa: thêm tệp content/plans/2026.yml" in result.stderr
    assert news_files(content) == [f"news/2026/03/{SLUG}.md"]
    checked = check(content, build_date="2026-03-17 09:00")
    assert checked.returncode == 0, checked.stderr
    assert "chưa có kế hoạch năm 2026" in checked.stdout


@pytest.mark.parametrize(("title", "message"), [
    ("Hội nghị \x1b", "tiêu đề có ký tự vô hình U+001B"),
    ("Hội nghị \u202e mới", "tiêu đề có ký tự vô hình U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u200b\u200d", "tiêu đề trống"),
    ("Héi nghÞ c¶i c¸ch", "tiêu đề dùng bảng mã cũ"),
])
def test_new_refuses_a_title_check_would_refuse(tmp_path, title, message):
    content = make_content(tmp_path)
    result = new(content, title)
    assert result.returncode == 2
    assert f"Lỗi: {message}" in result.stderr and "→ Cách sửa: " in result.stderr
    assert news_files(content) == []


@pytest.mark.parametrize(("value", "message"), [
    ("hôm-nay", "CCHC_BUILD_DATE “hôm-nay” không dùng được"),
    ("2025-02-30", "CCHC_BUILD_DATE “2025-02-30” không dùng được: ngày “2025-02-30” không tồn tại"),
])
def test_unusable_build_date_is_a_clean_error(tmp_path, value, message):
    content = make_content(tmp_path)
    for result in (new(content, build_date=value), check(content, build_date=value)):
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert f"Lỗi: {message}" in result.stderr and "→ Cách sửa: " in result.stderr
    assert news_files(content) == []


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


def test_check_fix_after_a_block_title_with_a_blank_line(tmp_path):
    content = make_content(tmp_path)
    text = article_text(slug=None, title=">-\n  Hội nghị triển khai\n\n  công tác năm 2025\n# ghi chú")
    path = write_article(content, "2025/03/bai.md", text)
    fixed = check(content, "--fix")
    assert "content/news/2025/03/bai.md:6: đã thêm slug: hoi-nghi-trien-khai-cong-tac-nam-2025" in fixed.stdout
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[1:7] == ["title: >-", "  Hội nghị triển khai", "", "  công tác năm 2025",
                          "slug: hoi-nghi-trien-khai-cong-tac-nam-2025", "# ghi chú"]
    front = frontmatter.loads(path.read_text(encoding="utf-8"))
    assert front["title"] == "Hội nghị triển khai\ncông tác năm 2025"  # the scalar is intact
    assert front["slug"] == "hoi-nghi-trien-khai-cong-tac-nam-2025"
    # The blank line makes a line break inside the title, which a title may not have: the only
    # problem left is that one, reported on the title's line.
    assert fixed.returncode == 1
    errors = load_content(content).diagnostics.errors
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [(2, "“title” phải nằm trên một dòng")]


def test_check_fix_when_the_title_is_the_last_field(tmp_path):
    content = make_content(tmp_path)
    text = ("---\ndate: 2025-03-17\ncategories: [thu-tuc-hanh-chinh]\nunit: van-phong\ntitle: >-\n"
            "  Hội nghị\n  tổng kết\n\n---\n\nNội dung.\n")
    path = write_article(content, "2025/03/bai.md", text)
    fixed = check(content, "--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert path.read_text(encoding="utf-8") == text.replace("  tổng kết\n\n---", "  tổng kết\n\nslug: hoi-nghi-tong-ket\n---")


def test_check_fix_writes_atomically_and_keeps_the_file_mode(tmp_path):
    content = make_content(tmp_path)
    path = write_article(content, "2025/03/bai.md", article_text(slug=None))
    path.chmod(0o640)
    assert check(content, "--fix").returncode == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["bai.md"]  # no temporary file left


def test_check_fix_leaves_symlinked_articles_alone(tmp_path):
    content = make_content(tmp_path)
    original = write_article(content, "2025/03/goc.md", article_text(slug="goc"))
    target = tmp_path / "content" / "ban-goc-khong-slug.md"
    target.write_text(article_text(slug=None, title='"Bài liên kết"'), encoding="utf-8")
    link = content / "news/2025/03/lien-ket.md"
    link.symlink_to(target)
    before = target.read_bytes()
    result = check(content, "--fix")
    assert "content/news/2025/03/lien-ket.md: cảnh báo: tệp là liên kết (symlink): không tự sửa" in result.stderr
    assert target.read_bytes() == before and link.is_symlink() and original.exists()


def test_check_fix_never_overwrites_a_file_changed_meanwhile(tmp_path, monkeypatch):
    from cchc import fixes

    content = make_content(tmp_path)
    path = write_article(content, "2025/03/bai.md", article_text(slug=None))
    edited = article_text(slug=None, body="Đoạn vừa viết thêm.\n")
    real_slugify = fixes.slugify

    def slugify_while_staff_saves(text):  # runs after the file was read, before it is written
        path.write_text(edited, encoding="utf-8")
        return real_slugify(text)

    monkeypatch.setattr(fixes, "slugify", slugify_while_staff_saves)
    report = fixes.add_missing_slugs(content)
    assert report.added == []
    assert report.skipped == [("content/news/2025/03/bai.md", "tệp vừa bị sửa trong lúc chạy --fix: không ghi đè",
                               "lưu tệp rồi chạy lại cchc check --fix")]
    assert path.read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in path.parent.iterdir()) == ["bai.md"]


def test_check_exit_status_follows_new_errors_and_warnings(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/tot.md", slug="tot", body="Xem [mục](#khong-co).\n")  # warning only
    assert check(content).returncode == 0
    write_article(content, "2025/03/Sai.MD", article_text(slug="sai"))
    result = check(content)
    assert result.returncode == 1
    assert "content/news/2025/03/Sai.MD: lỗi: tệp “Sai.MD” không có đuôi .md" in result.stderr
    assert "content/news/2025/03/tot.md:9: cảnh báo: liên kết “#khong-co” không trỏ tới đề mục nào" in result.stderr


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


# --- An unusable build date ("now") is a clean error of `cchc build`, before the engine starts ----------
BAD_EPOCH = "99999999999999999999"


def _project_with_old_site(tmp_path):
    """A content folder with one article and a site/ that holds an earlier build ("bản cũ")."""
    content = make_content(tmp_path)
    write_article(content, "2025/03/tot.md", slug="tot")
    config = write_config(tmp_path, content)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("bản cũ", encoding="utf-8")
    return config, site


@pytest.mark.parametrize(("args", "variables", "message"), [
    (["--build-date", "2025-02-30"], {},
     "--build-date “2025-02-30” không dùng được: ngày “2025-02-30” không tồn tại"),
    (["--build-date", "hôm-nay"], {}, "--build-date “hôm-nay” không dùng được: “hôm-nay” không phải ngày hợp lệ"),
    ([], {"CCHC_BUILD_DATE": "hôm-nay"}, "CCHC_BUILD_DATE “hôm-nay” không dùng được"),
    ([], {"SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH “abc” không phải số nguyên"),
    ([], {"SOURCE_DATE_EPOCH": BAD_EPOCH}, f"SOURCE_DATE_EPOCH “{BAD_EPOCH}” nằm ngoài khoảng thời gian dùng được"),
    # the engine reads SOURCE_DATE_EPOCH too: set but empty, or beside a usable date, it still stops the build
    ([], {"SOURCE_DATE_EPOCH": ""}, "SOURCE_DATE_EPOCH “” không phải số nguyên"),
    (["--build-date", "2025-06-01"], {"SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH “abc” không phải số nguyên"),
])
def test_build_with_an_unusable_build_date_is_a_clean_error(tmp_path, args, variables, message):
    config, site = _project_with_old_site(tmp_path)
    variables = {**env(None), **variables}
    result = subprocess.run([str(BIN / "cchc"), "build", "-q", "-f", str(config), *args],
                            capture_output=True, text=True, env=variables, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Lỗi: {message}"), result.stderr
    assert "→ Cách sửa: " in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "bản cũ"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")]  # the engine never started

    # Control: with usable values the same build succeeds.
    result = subprocess.run([str(BIN / "cchc"), "build", "-q", "-f", str(config), "--build-date", "2025-06-01"],
                            capture_output=True, text=True, env=env(None), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (site / "tin-tuc/2025/03/tot/index.html").is_file()


@pytest.mark.parametrize(("variables", "message"), [
    ({"CCHC_BUILD_DATE": "2025-02-30"}, "CCHC_BUILD_DATE “2025-02-30” không dùng được"),
    ({"SOURCE_DATE_EPOCH": "abc"}, "SOURCE_DATE_EPOCH “abc” không phải số nguyên"),
    ({"CCHC_BUILD_DATE": "2025-05-01", "SOURCE_DATE_EPOCH": ""}, "SOURCE_DATE_EPOCH “” không phải số nguyên"),
])
def test_engine_build_with_an_unusable_build_date_is_a_clean_error(tmp_path, variables, message):
    """`mkdocs build` itself (the adapter's on_config): the same message, no traceback, site/ untouched."""
    config, site = _project_with_old_site(tmp_path)
    result = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(config)],
                            capture_output=True, text=True, env={**env(None), **variables}, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert message in result.stderr and "→ Cách sửa: " in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "bản cũ"


# --- The editor's guide shows commands that exist ------------------------------------------------------
def _guide_commands() -> list[str]:
    import re

    from support import ROOT

    guide = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.S)
    lines = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()]
    inline = re.findall(r"`((?:\.venv/bin/)?cchc [^`]+|make [a-z]+)`", guide)
    return [c for c in lines + inline if c]


def test_editors_guide_commands_match_the_cli_and_makefile():
    """Every `cchc …` and `make …` command the guide tells staff to type is accepted as written."""
    import shlex

    from cchc.cli import build_parser
    from support import ROOT

    commands = _guide_commands()
    cchc_commands = [c for c in commands if c.startswith((".venv/bin/cchc ", "cchc "))]
    make_commands = [c for c in commands if c.startswith("make ")]
    assert {c.split()[1] for c in cchc_commands} >= {"new", "check", "report"}
    assert {"make serve", "make site"} <= set(make_commands)
    parser = build_parser()
    subcommands = set(parser._subparsers._group_actions[0].choices)
    for command in cchc_commands:
        words = shlex.split(command)[1:]
        assert words[0] in subcommands, command
        if len(words) == 1 or words[-1] == "--help":  # the command named in a sentence, or its help
            continue
        parser.parse_args(words)  # argparse exits (SystemExit) on an option the CLI does not have
    targets = {line.split(":", 1)[0] for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
               if line and not line[0].isspace() and ":" in line and not line.startswith((".", "$", "#"))}
    for command in make_commands:
        assert command.split()[1] in targets, command
