"""`cchc`: the command staff use. Messages are Vietnamese; exit status 1 means "fix something".

    cchc new "Tiêu đề" --category ID [--category ID] --unit ID
    cchc check [--fix]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import fixes
from .content import NEWS_DIR, load_catalog, load_content
from .dates import build_time, to_vn
from .diagnostics import Diagnostics
from .plan import suggest
from .text import nfc, slugify


def find_project(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml and content/, searching upwards from the current one."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "content").is_dir() and (folder / "mkdocs.yml").is_file():
            return folder
    return here


def _content_root(args) -> Path:
    if args.content:
        return Path(args.content).resolve()
    return find_project() / "content"


def _print(text: str, stream=None) -> None:
    stream = stream or sys.stdout
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:  # a terminal without UTF-8
        stream.write(text.encode("ascii", "replace").decode() + "\n")


ARTICLE_TEMPLATE = """---
title: "{title}"
slug: {slug}
date: {date}
categories: [{categories}]
unit: {unit}
forms: [{form}]
tags: []
summary: ""
# image: images/ten-anh.jpg
# image_alt: "Mô tả ngắn nội dung ảnh"
author: ""
draft: true
---

Viết câu mở đầu tóm tắt sự kiện: ai, làm gì, ở đâu, khi nào (câu này dùng làm tóm tắt nếu để trống summary).

## Nội dung chính

Trình bày diễn biến, kết quả, số liệu. Khi nhắc văn bản, ghi đủ số hiệu, ví dụ: Nghị định số 06/2023/NĐ-CP.

## Thời gian tới

Nêu nhiệm vụ, kế hoạch tiếp theo (nếu có).
"""


def cmd_new(args) -> int:
    root = _content_root(args)
    diags = Diagnostics(root.parent)
    catalog = load_catalog(root, diags)
    if diags.errors:
        _print(diags.format(), sys.stderr)
        _print("Dữ liệu kế hoạch hoặc đơn vị có lỗi; sửa trước khi tạo bài.", sys.stderr)
        return 1
    title = nfc(args.title).strip()
    if not title:
        _print("Lỗi: tiêu đề trống. Ví dụ: cchc new \"Hội nghị triển khai công tác CCHC\" --category thu-tuc-hanh-chinh --unit van-phong", sys.stderr)
        return 2
    now = to_vn(build_time())  # the front matter date is written without offset: +07:00
    plan, _exact, _year = catalog.plan_for_date(now)  # the plan `cchc check` will use
    problems = []
    if plan is None:
        problems.append("chưa có tệp kế hoạch trong content/plans/")
    else:
        for category in args.category:
            if category not in plan.categories:
                guess = suggest(category, plan.categories)
                problems.append(f"chuyên mục “{category}” không có trong kế hoạch {plan.year}"
                                + (f"; có phải ý bạn là “{guess}”?" if guess else "")
                                + "\n    Các mã hợp lệ: " + ", ".join(plan.categories))
    if args.unit not in catalog.units.units:
        guess = suggest(args.unit, catalog.units.units)
        problems.append(f"đơn vị “{args.unit}” không có trong content/units.yml"
                        + (f"; có phải ý bạn là “{guess}”?" if guess else "")
                        + "\n    Các mã hợp lệ: " + ", ".join(catalog.units.units))
    if problems:
        for problem in problems:
            _print(f"Lỗi: {problem}", sys.stderr)
        return 1
    slug = args.slug or slugify(title)
    if not slug:
        _print("Lỗi: không tạo được đường dẫn từ tiêu đề; thêm --slug ten-bai-viet", sys.stderr)
        return 2
    existing = {a.slug for a in load_content(root).articles}
    if slug in existing:
        _print(f"Lỗi: đã có bài với slug “{slug}”. Đặt tiêu đề khác hoặc thêm --slug {slug}-2", sys.stderr)
        return 1
    folder = root / NEWS_DIR / f"{now.year:04d}" / f"{now.month:02d}"
    target = folder / f"{slug}.md"
    text = ARTICLE_TEMPLATE.format(
        title=title.replace("\\", "\\\\").replace('"', '\\"'),
        slug=slug,
        date=now.strftime("%Y-%m-%d %H:%M"),
        categories=", ".join(args.category),
        unit=args.unit,
        form=plan.default_form,
    )
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        _print(f"Lỗi: tệp {target} đã tồn tại; không ghi đè. Đặt tiêu đề khác hoặc dùng --slug.", sys.stderr)
        return 1
    _print(str(target.relative_to(root.parent) if target.is_relative_to(root.parent) else target))
    _print("Đã tạo bài nháp (draft: true). Viết nội dung, xem thử bằng `make serve`, "
           "khi sẵn sàng xuất bản thì xóa dòng draft: true.", sys.stderr)
    return 0


def cmd_check(args) -> int:
    root = _content_root(args)
    if args.fix:
        fixed = fixes.add_missing_slugs(root)
        for path, line, slug in fixed:
            _print(f"{path}:{line}: đã thêm slug: {slug}")
    content = load_content(root)
    diags = content.diagnostics
    if diags.items:
        _print(diags.format(), sys.stderr if diags.errors else sys.stdout)
    errors, warnings = len(diags.errors), len(diags.warnings)
    summary = f"Đã kiểm tra {len(content.articles) + len({d.path for d in diags.errors})} bài viết, {len(content.plans)} kế hoạch: {errors} lỗi, {warnings} cảnh báo."
    _print(summary, sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description="Công cụ soạn tin cải cách hành chính")
    parser.add_argument("--content", help="thư mục nội dung (mặc định: content/ của dự án)")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="tạo bài viết mới (bản nháp)")
    new.add_argument("title", help="tiêu đề bài viết, trong ngoặc kép")
    new.add_argument("--category", action="append", required=True, help="mã chuyên mục (có thể lặp lại)")
    new.add_argument("--unit", required=True, help="mã đơn vị đăng tin")
    new.add_argument("--slug", help="đường dẫn tùy chọn (mặc định: từ tiêu đề)")
    new.set_defaults(func=cmd_new)

    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung")
    check.add_argument("--fix", action="store_true", help="tự thêm slug còn thiếu (không sửa gì khác)")
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
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
