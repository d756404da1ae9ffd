"""`cchc`: the command staff use. Messages are Vietnamese; exit status 1 means "fix something".

    cchc new "Tiêu đề" --category ID [--category ID] --unit ID
    cchc check [--fix]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import fixes
from .cli_parser import VietnameseArgumentParser
from .placeholders import STARTER_BODY
from .content import NEWS_DIR, load_catalog, load_content
from .dates import BuildDateError, build_time, to_vn
from .diagnostics import Diagnostics, format_capped, short
from .organisation import unit_date_problem
from .oserrors import advice, describe
from .reader import MAX_TITLE_CHARS, closest_id
from .text import (BIDI_RE, LINE_CONTROL_RE, char_label, is_valid_slug, legacy_encoding_words, nfc, slugify,
                   strip_format_chars)


def find_project(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml and content/, searching upwards from the current one."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content").is_dir() and (folder / "mkdocs.yml").is_file():
            return folder
    return here


def content_root(args) -> Path:
    if args.content:
        return Path(args.content).resolve()
    return find_project() / "content"


def say(text: str, stream=None) -> None:
    stream = stream or sys.stdout
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:  # a terminal without UTF-8
        stream.write(text.encode("ascii", "replace").decode() + "\n")


FRONT_MATTER = """---
title: "{title}"
slug: {slug}
date: {date}
categories: [{categories}]{categories_note}
unit: {unit}{unit_note}
forms: [{form}]
tags: []
summary: ""
# image: {image_folder}/ten-anh.jpg
# image_alt: "Mô tả ngắn nội dung ảnh"
author: ""
draft: true{source_note}
---

"""


def image_folder(slug: str) -> str:
    """The article's own image folder, relative to the article file: two articles' anh1.jpg
    never collide."""
    return f"images/{slug}"


def yaml_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def article_file_text(*, title: str, slug: str, date: str, categories: list[str], unit: str, form: str,
                      body: str, categories_note: str = "", unit_note: str = "", source_note: str = "") -> str:
    """A new article file (front matter and body), as `cchc new` and `cchc import` write it."""
    return FRONT_MATTER.format(
        title=yaml_quoted(title)[1:-1],
        slug=slug,
        date=date,
        categories=", ".join(categories),
        categories_note=f"  # {categories_note}" if categories_note else "",
        unit=unit,
        unit_note=f"  # {unit_note}" if unit_note else "",
        form=form,
        image_folder=image_folder(slug),
        source_note=f"\n# {source_note}" if source_note else "",
    ) + body


_NEW_EXAMPLE = 'cchc new "Hội nghị triển khai công tác CCHC" --category thu-tuc-hanh-chinh --unit van-phong'


def fail(message: str, hint: str, status: int = 2) -> int:
    say(f"Lỗi: {message}\n    → Cách sửa: {hint}", sys.stderr)
    return status


def clean_title(raw: str) -> tuple[str | None, int]:
    """The title as `cchc check` will accept it, or (None, exit status) after printing why."""
    title = nfc(raw).strip()
    bad = LINE_CONTROL_RE.search(title) or BIDI_RE.search(title)
    if bad:
        return None, fail(f"tiêu đề có ký tự vô hình {char_label(bad.group())} (ký tự điều khiển, xuống dòng hoặc đảo chiều chữ)",
                           "gõ lại tiêu đề trên một dòng, trong ngoặc kép")
    title, removed = strip_format_chars(title)
    title = title.strip()
    if removed:
        say(f"Cảnh báo: đã bỏ ký tự vô hình {', '.join(char_label(c) for c in removed[:3])} khỏi tiêu đề", sys.stderr)
    if not title:
        return None, fail("tiêu đề trống", f"viết tiêu đề trong ngoặc kép, ví dụ: {_NEW_EXAMPLE}")
    if len(title) > MAX_TITLE_CHARS:
        return None, fail(f"tiêu đề quá dài ({len(title)} ký tự, tối đa {MAX_TITLE_CHARS})",
                           "rút gọn tiêu đề; đưa phần chi tiết vào tóm tắt (summary) của bài")
    legacy = legacy_encoding_words(title)
    if legacy:
        return None, fail(f"tiêu đề dùng bảng mã cũ (TCVN3/ABC hoặc VNI): “{short(' '.join(legacy[:3]))}”",
                           "chuyển sang Unicode (Unikey: Công cụ chuyển mã) rồi gõ lại lệnh")
    return title, 0


def load_catalog_or_fail(root: Path, doing: str):
    """The plans and units, or None after printing their errors."""
    diags = Diagnostics(root.parent)
    catalog = load_catalog(root, diags)
    if diags.errors:
        say(diags.format(), sys.stderr)
        say(f"Dữ liệu kế hoạch hoặc đơn vị có lỗi; sửa trước khi {doing}.", sys.stderr)
        return None
    return catalog


def choose_slug(requested: str | None, title: str) -> tuple[str | None, int]:
    """(slug, 0), or (None, exit status) after printing why: --slug as given, else from the title."""
    if requested is not None:
        slug = requested.strip()
        if not is_valid_slug(slug) or len(slug) > 100:
            suggestion = slugify(slug) or slugify(title) or "ten-bai-viet"
            return None, fail(f"--slug “{short(slug)}” không hợp lệ: chỉ được dùng chữ thường không dấu, số và dấu gạch ngang "
                               "(không có dấu /, khoảng trắng hay chữ có dấu)",
                               f"dùng --slug {suggestion}")
        return slug, 0
    slug = slugify(title)
    if not slug:
        return None, fail("không tạo được đường dẫn (slug) từ tiêu đề", "thêm --slug ten-bai-viet (chữ thường không dấu)")
    return slug, 0


def id_problems(plan, catalog, categories: list[str], unit: str | None, moment=None) -> list[str]:
    """Why the given categories (of `plan`) or unit cannot be used (a unit that does not exist
    at `moment` included), with the likely id."""
    problems = []
    if plan is None:
        problems.append("chưa có tệp kế hoạch trong content/plans/")
    else:
        for category in categories:
            if category not in plan.categories:
                guess = closest_id(category, plan.categories)
                problems.append(f"chuyên mục “{short(category)}” không có trong kế hoạch {plan.year}"
                                + (f"; có phải ý bạn là “{guess}”?" if guess else "")
                                + "\n    Các mã hợp lệ: " + ", ".join(plan.categories))
    if unit is not None and unit not in catalog.units.units:
        active = [u.id for u in catalog.units.units.values() if moment is None or u.exists_at(moment)]
        guess = closest_id(unit, active)
        problems.append(f"đơn vị “{short(unit)}” không có trong content/units.yml"
                        + (f"; có phải ý bạn là “{guess}”?" if guess else "")
                        + "\n    Các mã hợp lệ: " + ", ".join(active))
    elif unit is not None and moment is not None:
        problem = unit_date_problem(catalog.units, catalog.units.units[unit], moment)
        if problem is not None:
            problems.append(f"{problem[0]}\n    → Cách sửa: {problem[1]}")
    return problems


def warn_no_plan(plan, exact: bool, year: int) -> None:
    if not exact:
        say(f"Cảnh báo: chưa có kế hoạch năm {year}: bài được kiểm tra theo kế hoạch năm {plan.year} "
               "và không được tính vào trang độ phủ\n"
               f"    → Cách sửa: thêm tệp content/plans/{year}.yml khi có kế hoạch năm {year}", sys.stderr)


def slug_taken(root: Path, slug: str) -> bool:
    if slug in {a.slug for a in load_content(root).articles}:
        say(f"Lỗi: đã có bài với slug “{slug}”. Đặt tiêu đề khác hoặc thêm --slug {slug}-2", sys.stderr)
        return True
    return False


def article_path(root: Path, moment, slug: str) -> Path:
    return root / NEWS_DIR / f"{moment.year:04d}" / f"{moment.month:02d}" / f"{slug}.md"


def shown_path(root: Path, path: Path) -> Path:
    return path.relative_to(root.parent) if path.is_relative_to(root.parent) else path


def write_new_article(root: Path, target: Path, text: str, slug: str) -> int:
    """Create `target` with `text` (never over an existing file) and the article's image folder."""
    shown = shown_path(root, target)
    created = False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            created = True
            handle.write(text)
    except FileExistsError:
        say(f"Lỗi: tệp {shown} đã tồn tại; không ghi đè.\n"
               f"    → Cách sửa: đặt tiêu đề khác hoặc dùng --slug {slug}-2", sys.stderr)
        return 1
    except OSError as exc:
        if created:  # e.g. the disk filled up while writing: no half-written article is left
            target.unlink(missing_ok=True)
        return fail(f"không tạo được tệp {shown} ({describe(exc)}); chưa tạo bài nào",
                    advice(exc, target, writing=True), status=1)
    try:
        (target.parent / image_folder(slug)).mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the folder is a convenience; the article is written
    return 0


def cmd_new(args) -> int:
    root = content_root(args)
    catalog = load_catalog_or_fail(root, "tạo bài")
    if catalog is None:
        return 1
    title, status = clean_title(args.title)
    if title is None:
        return status
    slug, status = choose_slug(args.slug, title)
    if slug is None:
        return status
    try:
        now = to_vn(build_time())  # the front matter date is written without offset: +07:00
    except BuildDateError as exc:
        say(f"Lỗi: {exc}", sys.stderr)
        return 2
    plan, exact, year = catalog.plan_for_date(now)  # the plan `cchc check` will use
    problems = id_problems(plan, catalog, args.category, args.unit, now)
    if problems:
        for problem in problems:
            say(f"Lỗi: {problem}", sys.stderr)
        return 1
    warn_no_plan(plan, exact, year)
    if slug_taken(root, slug):
        return 1
    target = article_path(root, now, slug)
    text = article_file_text(title=title, slug=slug, date=now.strftime("%Y-%m-%d %H:%M"),
                             categories=args.category, unit=args.unit, form=plan.default_form, body=STARTER_BODY)
    status = write_new_article(root, target, text, slug)
    if status:
        return status
    say(str(shown_path(root, target)))
    say(f"Đã tạo bài nháp (draft: true) và thư mục ảnh riêng của bài {shown_path(root, target.parent / image_folder(slug))}/. "
           "Thay các đoạn hướng dẫn (bắt đầu bằng ✎) bằng nội dung, xem thử bằng `make serve`, "
           "khi sẵn sàng xuất bản thì xóa dòng draft: true.", sys.stderr)
    return 0


def cmd_check(args) -> int:
    root = content_root(args)
    try:
        build_time()  # CCHC_BUILD_DATE / SOURCE_DATE_EPOCH: the build would stop on them
    except BuildDateError as exc:
        say(f"Lỗi: {exc}", sys.stderr)
        return 2
    if args.fix:
        leftovers = fixes.fix_word_leftovers(root)
        for path, line, what in leftovers.fixed:
            say(f"{path}:{line}: đã sửa: {what}")
        fixed = fixes.add_missing_slugs(root)
        for path, line, slug in fixed.added:
            say(f"{path}:{line}: đã thêm slug: {slug}")
        for path, why, hint in dict.fromkeys(leftovers.skipped + fixed.skipped):
            say(f"{path}: cảnh báo: {why}\n    → Cách sửa: {hint}", sys.stderr)
    content = load_content(root)
    diags = content.diagnostics
    if diags.items:
        say(format_capped(diags.items), sys.stderr if diags.errors else sys.stdout)
    errors, warnings = len(diags.errors), len(diags.warnings)
    # Articles read (some with errors, e.g. a broken picture) and files refused as articles,
    # each counted once (messages name files relative to the project folder).
    checked = {diags.relative(a.source) for a in content.articles}
    checked |= {d.path for d in diags.errors if d.path.endswith(".md")}
    summary = (f"Đã kiểm tra {len(checked)} bài viết, {len(content.attachments)} tệp đính kèm, "
               f"{len(content.plans)} kế hoạch: {errors} lỗi, {warnings} cảnh báo.")
    say(summary, sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def build_parser() -> VietnameseArgumentParser:
    parser = VietnameseArgumentParser(prog="cchc", description="Công cụ soạn tin cải cách hành chính")
    parser.add_argument("--content", metavar="THƯ_MỤC", help="thư mục nội dung (mặc định: content/ của dự án)")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="tạo bài viết mới (bản nháp)")
    new.add_argument("title", metavar="TIÊU_ĐỀ", help="tiêu đề bài viết, trong ngoặc kép")
    new.add_argument("--category", action="append", required=True, metavar="MÃ", help="mã chuyên mục (có thể lặp lại)")
    new.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị đăng tin")
    new.add_argument("--slug", metavar="ĐƯỜNG_DẪN", help="đường dẫn tùy chọn (mặc định: từ tiêu đề)")
    new.set_defaults(func=cmd_new)

    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung")
    check.add_argument("--fix", action="store_true",
                       help="tự sửa những lỗi sửa an toàn được: thêm slug còn thiếu, ngoặc kép cong, khoảng trắng không ngắt, "
                            "dấu đầu dòng của Word, dòng |---| của bảng, tên tệp có khoảng trắng")
    check.set_defaults(func=cmd_check)

    from . import cli_extensions

    cli_extensions.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "build":  # `cchc build` reports its own failures (build_cli)
        return args.func(args)
    return run_reported(args.func, args)


def run_reported(func, args) -> int:
    """Run a command; any failure ends in a Vietnamese message saying what happened and what to
    do, never in a traceback (CCHC_DEBUG=1 shows the traceback of an unexpected error)."""
    try:
        status = func(args)
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        _quiet_stdout()
        say("Đã dừng (Ctrl-C); không có tệp nào bị ghi dở.", sys.stderr)
        return 130
    except BrokenPipeError:  # `cchc check | head`: the reader went away
        _quiet_stdout()
        return 1
    except OSError as exc:
        _quiet_stdout()
        where = f" {exc.filename}" if exc.filename else ""
        return fail(f"lỗi đọc/ghi tệp{where}: {describe(exc)}", advice(exc, exc.filename, writing=None), status=1)
    except MemoryError:
        _quiet_stdout()
        return fail("máy hết bộ nhớ", "đóng bớt chương trình khác rồi chạy lại; nếu vẫn lỗi, kiểm tra các tệp quá lớn trong content/", 1)
    except Exception as exc:
        if os.environ.get("CCHC_DEBUG"):
            raise
        _quiet_stdout()
        return fail(f"lỗi không mong đợi của chương trình ({type(exc).__name__}: {short(str(exc), 200)})",
                     "đây không phải lỗi trong nội dung bạn viết: chạy lại lệnh; nếu lỗi lặp lại, gửi cho người quản trị "
                     "kỹ thuật dòng lệnh vừa chạy và thông báo này (chạy lại với CCHC_DEBUG=1 để xem chi tiết)", 3)


def _quiet_stdout() -> None:
    """Standard output may be what failed (a full disk, a closed pipe): later writes go nowhere,
    so Python's own flush at exit prints no traceback."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
