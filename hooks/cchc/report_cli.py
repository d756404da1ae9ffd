"""`cchc report`: the communication results part of the periodic CCHC report.

    cchc report --period 2025-Q1                      # Markdown on the screen
    cchc report --period 2025-H1 --format docx        # bao-cao-cchc-2025-H1.docx in this folder
    cchc report --period 2025 --format csv --output ket-qua.csv
    cchc report --from 2025-03-15 --to 2025-06-14 --format docx --output bao-cao.docx

Never overwrites a file unless --force; on any error nothing is written.  Exit status 2 for a
wrongly written command, 1 when the report cannot be made (no such period, content errors,
output file exists).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import yaml

from .cli import content_root, find_project, say
from .content import load_content
from .dates import BuildDateError, build_time
from .diagnostics import format_capped
from .oserrors import advice, describe
from .report import FORMATS, ReportError, build_report, default_filename, parse_day, render, resolve_period, resolve_range

USAGE_EXAMPLE = "ví dụ: cchc report --period 2025-Q1 hoặc cchc report --from 2025-03-15 --to 2025-06-14"


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even with MkDocs' own tags (!ENV, !!python/name:…): they become None."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _config_for(content_root: Path) -> dict:
    """The project's mkdocs.yml as a dict ({} if none or unreadable)."""
    candidates = [content_root.parent / "mkdocs.yml", find_project() / "mkdocs.yml"]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return {}
        return data if isinstance(data, dict) else {}
    return {}


def site_url_for(content_root: Path) -> str:
    """site_url from the project's mkdocs.yml ("" if none: the report then uses site-relative links)."""
    url = str(_config_for(content_root).get("site_url") or "").strip()
    if url and not url.endswith("/"):
        url += "/"
    return url


def department_for(content_root: Path) -> tuple[str, str]:
    """mkdocs.yml's extra.cchc department and province: the name on days content/units.yml's
    `department:` list does not cover."""
    extra = _config_for(content_root).get("extra") or {}
    options = extra.get("cchc") if isinstance(extra, dict) else None
    if not isinstance(options, dict):
        return "", ""
    return str(options.get("department") or ""), str(options.get("province") or "")


def _format(args) -> str:
    if args.format:
        fmt = args.format.strip().lower().lstrip(".")
    elif args.output and Path(args.output).suffix.lower().lstrip(".") in FORMATS:
        fmt = Path(args.output).suffix.lower().lstrip(".")
    else:
        fmt = "md"
    if fmt not in FORMATS:
        raise ReportError(f"định dạng “{args.format}” không hỗ trợ; dùng một trong: {', '.join(FORMATS)}", 2)
    return fmt


def _write(target: Path, data: bytes, force: bool) -> None:
    """Write all of `data` or nothing: never a half-written file, never an overwrite without force."""
    if not force:
        try:
            handle = open(target, "xb")
        except FileExistsError:
            raise ReportError(f"tệp {target} đã có; không ghi đè. Chọn tên khác với --output hoặc thêm --force để ghi đè.") from None
        except OSError as exc:
            raise _write_error(exc, target) from None
        try:
            with handle:
                handle.write(data)
        except BaseException as exc:  # a full disk: no half-written report is left behind
            target.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _write_error(exc, target) from None
            raise
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".bao-cao-", dir=target.parent)
    except OSError as exc:
        raise _write_error(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(exc, target) from None
        raise


def _write_error(exc: OSError, target: Path) -> "ReportError":
    return ReportError(f"không ghi được báo cáo vào {target} ({describe(exc)}); chưa ghi gì.\n"
                       f"    → Cách sửa: {advice(exc, target, writing=True)}")


def cmd_report(args) -> int:
    try:
        return _run(args)
    except ReportError as exc:
        say(f"Lỗi: {exc}", sys.stderr)
        return exc.status


def _run(args) -> int:
    if args.period and (args.date_from or args.date_to):
        raise ReportError("dùng --period hoặc --from/--to, không dùng cả hai; " + USAGE_EXAMPLE, 2)
    if not args.period and not (args.date_from and args.date_to):
        missing = "--to" if args.date_from else "--from" if args.date_to else "--period (hoặc --from và --to)"
        raise ReportError(f"thiếu {missing}; " + USAGE_EXAMPLE, 2)
    fmt = _format(args)
    try:
        now = build_time()  # CCHC_BUILD_DATE / SOURCE_DATE_EPOCH, checked before any work
    except BuildDateError as exc:
        raise ReportError(str(exc), 2) from None
    first = last = None
    if not args.period:
        first, last = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")

    target: Path | None = None
    if args.output and args.output != "-":
        target = Path(args.output).expanduser()
        if not target.is_absolute():
            target = Path.cwd() / target
    root = content_root(args)
    if target is not None:
        _check_target(target, args.force, root)

    content = load_content(root)
    if content.diagnostics.errors:
        say(format_capped(content.diagnostics.items), sys.stderr)
        raise ReportError(f"nội dung có {len(content.diagnostics.errors)} lỗi; sửa các lỗi trên (hoặc chạy cchc check) rồi lập báo cáo.")
    if not content.plans:
        raise ReportError("chưa có tệp kế hoạch nào trong content/plans/.")
    if args.period:
        plan, period = resolve_period(content, args.period, now)
    else:
        plan, period = resolve_range(content, first, last, now)
    report = build_report(content, plan, period, now, site_url_for(root), department=department_for(root))
    data = render(report, fmt)

    if target is None and fmt == "docx":
        if args.output == "-":
            sys.stdout.buffer.write(data)
            return 0
        target = Path.cwd() / default_filename(report, fmt)
        _check_target(target, args.force, root)
    if target is None:
        if fmt == "csv":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(data.decode("utf-8"))
        return 0
    _write(target, data, args.force)
    say(f"Đã ghi báo cáo {report.label} ({len(report.count.articles)} tin, bài) vào {target}", sys.stderr)
    return 0


def _check_target(target: Path, force: bool, content_root: Path) -> None:
    resolved = target.resolve()
    for protected in (content_root.resolve(), content_root.resolve().parent / "docs"):
        if resolved.is_relative_to(protected):
            raise ReportError(f"không ghi báo cáo vào {protected.name}/ (thư mục bài viết, trang của cán bộ); chọn nơi lưu khác, ví dụ --output bao-cao.docx")
    if target.is_dir():
        raise ReportError(f"{target} là một thư mục; --output phải là tên tệp, ví dụ bao-cao.docx")
    if not target.parent.is_dir():
        raise ReportError(f"thư mục {target.parent} không tồn tại; tạo thư mục trước hoặc chọn nơi lưu khác.")
    if target.exists() and not force:
        raise ReportError(f"tệp {target} đã có; không ghi đè. Chọn tên khác với --output hoặc thêm --force để ghi đè.")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="lập phần kết quả thông tin, tuyên truyền CCHC cho báo cáo quý, 6 tháng, năm",
        description="Lập phần “kết quả công tác thông tin, tuyên truyền CCHC” của báo cáo định kỳ: tổng số tin, "
                    "số tin theo nội dung, đơn vị, hình thức, các mục chưa có tin và danh sách tin trong kỳ.",
    )
    parser.add_argument("--period", metavar="KỲ", help="kỳ báo cáo theo kế hoạch: 2025-Q1, 2025-H1, 2025-Q3, 2025-Q4 hoặc 2025 (cả năm)")
    parser.add_argument("--from", dest="date_from", metavar="NGÀY", help="kỳ tự chọn: ngày bắt đầu (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", metavar="NGÀY", help="kỳ tự chọn: ngày kết thúc, tính trọn ngày (YYYY-MM-DD)")
    parser.add_argument("--format", metavar="ĐỊNH_DẠNG", help="md (mặc định), csv hoặc docx (Word)")
    parser.add_argument("--output", "-o", metavar="TỆP",
                        help="tệp để ghi; mặc định md/csv in ra màn hình, docx ghi bao-cao-cchc-<kỳ>.docx tại thư mục hiện tại")
    parser.add_argument("--force", action="store_true", help="cho phép ghi đè tệp đã có")
    parser.set_defaults(func=cmd_report)
