"""What the `cchc` commands say: Vietnamese everywhere (usage errors and --help included), a
repeated warning said once, and `cchc build` naming the drafts it left out."""

from __future__ import annotations

import re
import subprocess

import pytest

from cchc.cli_parser import translate

from support import BIN, article_text, env, make_content, run_cchc, write_article, write_config

# argparse's own English words: none may reach staff.
ENGLISH = re.compile(r"usage:|error:|options:|positional arguments|show this help|the following arguments|"
                     r"invalid choice|unrecognized arguments|expected one argument|choose from|required|"
                     r"\b(?!YYYY\b|CCHC\b)[A-Z]{4,}\b")  # a metavar left in English (YYYY-MM-DD is a date pattern)
COMMANDS = ["new", "check", "import", "report", "build"]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_vietnamese(command):
    result = run_cchc(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"Cách dùng: cchc{' ' + command if command else ''}")
    assert "-h, --help" in out and "hiện hướng dẫn này rồi thoát" in out
    assert "tùy chọn:" in out
    assert not ENGLISH.search(out.replace("{mkdocs,properdocs}", "")), out


@pytest.mark.parametrize(("args", "message"), [
    ([], "Lỗi: thiếu lệnh (new, check, import, report, build…)"),
    (["xuat-ban"], "Lỗi: lệnh “xuat-ban” không có; các lệnh: new, check, import, report, build"),
    (["new", "Hội nghị"], "Lỗi: thiếu tùy chọn --category, tùy chọn --unit"),
    (["new"], "Lỗi: thiếu tham số TIÊU_ĐỀ, tùy chọn --category, tùy chọn --unit"),
    (["new", "Hội nghị", "--category"], "Lỗi: --category cần một giá trị ngay sau nó"),
    (["check", "--sua"], "Lỗi: không hiểu --sua: lệnh không có tùy chọn hay tham số này"),
    (["build", "--engine", "hugo"], "Lỗi: --engine: “hugo” không phải giá trị được chọn; chọn một trong: mkdocs, properdocs"),
    (["import"], "Lỗi: thiếu tham số TỆP_WORD"),
])
def test_usage_errors_are_vietnamese_with_the_way_out(args, message):
    result = run_cchc(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Cách dùng: cchc")
    assert message in result.stderr
    assert "→ Cách sửa: xem hướng dẫn: cchc" in result.stderr and "--help" in result.stderr
    assert not ENGLISH.search(result.stderr.replace("{mkdocs,properdocs}", "")), result.stderr


def test_every_argparse_message_shape_is_translated():
    """The shapes argparse formats its errors in (Python 3.11–3.13), each read back."""
    for english in ["argument --x: expected at least one argument", "argument --x: expected at most one argument",
                    "argument --x: expected 2 arguments", "argument --n: invalid int value: 'abc'",
                    "argument --a: not allowed with argument --b", "one of the arguments --a --b is required",
                    "ambiguous option: --c could match --category, --content",
                    "argument --fix: ignored explicit argument 'x'"]:
        said = translate(english)
        assert not ENGLISH.search(said) and not said.startswith("lệnh gõ chưa đúng"), (english, said)


# --- A repeated warning is said once ------------------------------------------------------------------
def test_a_year_without_a_plan_is_one_warning_naming_its_articles(tmp_path):
    content = make_content(tmp_path)  # only the 2025 plan
    names = [f"2026/0{m}/bai-{m}.md" for m in (1, 3, 5)]
    for n, name in enumerate(names):
        write_article(content, name, slug=f"bai-{n}", title=f'"Bài {n}"', date=f"2026-0{2 * n + 1}-10")
    write_article(content, "2025/03/bai-2025.md", slug="bai-2025", title='"Bài 2025"')
    result = run_cchc("--content", str(content), "check", build_date="2026-11-25 09:00")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("chưa có kế hoạch năm 2026") == 1 and out.count("→ Cách sửa: thêm tệp content/plans/2026.yml") == 1
    assert ("cảnh báo: chưa có kế hoạch năm 2026: bài được kiểm tra theo kế hoạch năm 2025 và không được tính "
            "vào trang độ phủ (3 tệp)") in out
    assert "    Các tệp: " + ", ".join(f"content/news/{name}:4" for name in names) in out
    assert "0 lỗi, 3 cảnh báo" in out  # still three warnings, said in one place


def test_a_single_article_without_a_plan_keeps_its_file_line(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2026/01/bai.md", date="2026-01-10")
    result = run_cchc("--content", str(content), "check", build_date="2026-11-25 09:00")
    assert "content/news/2026/01/bai.md:4: cảnh báo: chưa có kế hoạch năm 2026" in result.stdout


# --- The build's last line names the drafts it left out -------------------------------------------
def test_build_names_the_drafts_it_left_out(tmp_path):
    content = make_content(tmp_path)
    write_article(content, "2025/03/da-dang.md", slug="da-dang")
    write_article(content, "2025/04/nhap.md", article_text(slug="nhap", title='"Bản nháp"', date="2025-04-02", draft="true"))
    config = write_config(tmp_path, content)
    result = subprocess.run([str(BIN / "cchc"), "build", "-q", "-f", str(config)], capture_output=True, text=True,
                            env=env("2025-06-01 08:00"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == ("Đã xuất bản trang vào site/; không đăng 1 bài nháp (draft: true): content/news/2025/04/nhap.md. "
                    "Muốn đăng bài nào thì xóa dòng draft: true của bài đó.")
    assert (tmp_path / "site/tin-tuc/2025/03/da-dang/index.html").is_file()
    assert not (tmp_path / "site/tin-tuc/2025/04/nhap").exists()

    (content / "news/2025/04/nhap.md").unlink()
    result = subprocess.run([str(BIN / "cchc"), "build", "-q", "-f", str(config)], capture_output=True, text=True,
                            env=env("2025-06-01 08:00"), cwd=tmp_path)
    assert result.stderr.strip().splitlines()[-1] == "Đã xuất bản trang vào site/; không có bài nháp nào bị bỏ qua."
