"""`cchc plan`: the yearly plan files (content/plans/<year>.yml).

    cchc plan import ke-hoach-2026.docx          # draft content/plans/2026.yml from the signed text
    cchc plan import ke-hoach.txt --year 2026 --output nhap.yml
    cchc plan new 2027                           # start 2027 from the latest earlier plan
    cchc plan new 2027 --from 2025

Never overwrites a plan file unless --force.  Exit status 2 for a wrongly written command, 1 when
the draft cannot be made (unreadable file, no earlier plan, target exists).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .cli import content_root, say
from .content import PLANS_DIR, REPORTING_FILE, load_catalog
from .dates import BuildDateError, build_time, format_short_date
from .diagnostics import Diagnostics
from .datafile import load_yaml_file
from .plan import Plan, load_plan
from .plan_import import ImportProblem, Known, import_plan, read_source
from .plan_yaml import dump_plan
from .yamlio import LineDict


class PlanError(Exception):
    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def _target(root: Path, year: int, output: str | None) -> Path:
    if output:
        target = Path(output).expanduser()
        return target if target.is_absolute() else Path.cwd() / target
    return root / PLANS_DIR / f"{year}.yml"


def _write(target: Path, text: str, force: bool) -> None:
    """All or nothing; never over an existing file without --force."""
    if target.exists() and not force:
        raise PlanError(f"tệp {target} đã có; không ghi đè. Sửa trực tiếp tệp đó, chọn tên khác bằng --output, "
                        "hoặc thêm --force để thay bằng bản nháp mới (nội dung cũ sẽ mất).")
    if not target.parent.is_dir():
        raise PlanError(f"thư mục {target.parent} không tồn tại; tạo thư mục trước hoặc chọn nơi lưu khác.")
    fd, tmp = tempfile.mkstemp(prefix=".ke-hoach-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if force:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if the file appeared meanwhile: never overwritten
            os.unlink(tmp)
    except FileExistsError:
        Path(tmp).unlink(missing_ok=True)
        raise PlanError(f"tệp {target} đã có; không ghi đè.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_written(root: Path, target: Path, catalog) -> Diagnostics:
    """Read the written draft back as `cchc check` would (file:line messages), under its year's
    name (a draft written elsewhere with --output may be named anything)."""
    import re
    import shutil

    diags = Diagnostics(root.parent)
    reporting = root / REPORTING_FILE
    default_windows = None
    if reporting.exists():
        data = load_yaml_file(reporting, Diagnostics())
        if isinstance(data, LineDict):
            default_windows = data.get("windows")
    found = re.search(r"(?m)^year:\s*(\d{4})\s*$", target.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"{found.group(1) if found else 'nam'}.yml"
        shutil.copy(target, copy)
        inner = Diagnostics(Path(folder))
        load_plan(copy, default_windows, reporting, catalog.units, inner)
    for item in inner.items:
        (diags.error if item.is_error else diags.warning)(target, item.line, item.message, item.hint)
    return diags


def _shown(target: Path, root: Path) -> str:
    return str(target.relative_to(root.parent)) if target.is_relative_to(root.parent) else str(target)


def _report(diags: Diagnostics) -> int:
    errors = [d for d in diags.items if d.is_error]
    others = [d for d in diags.items if not d.is_error and "mục cần xem lại" not in d.message]
    for item in [*errors, *others]:
        say(item.format(), sys.stderr)
    return 1 if errors else 0


def cmd_import(args) -> int:
    root = content_root(args)
    source = Path(args.file).expanduser()
    if not source.is_file():
        raise PlanError(f"không tìm thấy tệp {source}; ghi đường dẫn tới tệp .txt hoặc .docx của Kế hoạch", 2)
    try:
        now = build_time()
    except BuildDateError as exc:
        raise PlanError(str(exc), 2) from None
    diags = Diagnostics(root.parent)
    known = Known.from_content(root, diags)
    catalog = load_catalog(root, Diagnostics(root.parent))
    try:
        draft = import_plan(read_source(source), known, args.year)
    except ImportProblem as exc:
        raise PlanError(str(exc)) from None
    year = draft.year
    target = _target(root, year, args.output)
    if target.parent.resolve() == (root / PLANS_DIR).resolve() and target.name != f"{year}.yml":
        raise PlanError(f"tệp kế hoạch năm {year} trong content/plans/ phải tên là {year}.yml", 2)
    header = [f"Kế hoạch thông tin, tuyên truyền CCHC năm {year}: BẢN NHÁP do lệnh `cchc plan import` tạo ngày "
              f"{format_short_date(now)} từ tệp {source.name}.",
              "Đối chiếu từng mục với văn bản đã ký; chuyên mục (categories) giống kế hoạch năm trước được giữ mã (id)",
              "để bài viết và thẻ chuyển tiếp qua các năm. Xem Hướng dẫn biên tập, mục “Chu kỳ hằng năm”."]
    text = dump_plan(draft.plan, header, "Cần xem lại (cchc check nhắc đến khi xóa hết danh sách này):")
    _write(target, text, args.force)
    categories = draft.plan.get("categories") or []
    kept = {c.id for p in known.plans for c in p.categories.values()}
    carried = sum(1 for c in categories if c["id"] in kept)
    say(f"Đã ghi bản nháp {_shown(target, root)}: {len(categories)} chuyên mục ({carried} giữ mã của kế hoạch trước, "
           f"{len(categories) - carried} mới), {len(draft.plan.get('forms') or [])} hình thức, "
           f"{len(draft.plan.get('units') or [])} nhóm nhiệm vụ đơn vị, {len(draft.plan.get('documents') or [])} văn bản.",
           sys.stderr)
    if draft.review:
        say(f"Cần xem lại {len(draft.review)} mục (ghi ở mục review: đầu tệp):", sys.stderr)
        for item in draft.review:
            say(f"  - {item}", sys.stderr)
    status = _report(_check_written(root, target, catalog))
    say("Sửa tệp theo danh sách trên, xóa mục review:, rồi chạy cchc check.", sys.stderr)
    return status


# --- plan new ----------------------------------------------------------------------------------
def plan_to_dict(plan: Plan, raw: LineDict | None, year: int) -> dict:
    """A new year's draft from an earlier plan: same categories, forms, duties and documents;
    number and date left to fill."""
    def in_year(text: str) -> str:
        return text.replace(f"năm {plan.year}", f"năm {year}")

    def points(items) -> list[dict]:
        result = []
        for point in items:
            entry = {"label": point.label} if point.label else {}
            entry["text"] = in_year(point.text)
            if point.items:
                entry["items"] = [in_year(i) for i in point.items]
            result.append(entry)
        return result

    data: dict = {"year": year, "number": None, "date": None, "title": in_year(plan.title), "issuer": plan.issuer}
    data["number_comment"] = ["CẦN ĐIỀN: số của Kế hoạch năm này khi đã ký, ví dụ number: \"45/KH-SGDĐT\" (để null đến lúc đó)."]
    data["date_comment"] = ["CẦN ĐIỀN: ngày ban hành khi đã ký, ví dụ date: " + f"{year}-01-15" + "."]
    if plan.signer:
        data["signer"] = dict(plan.signer)
    data["implements"] = None
    data["purposes"] = [in_year(p) for p in plan.purposes]
    data["requirements"] = [in_year(r) for r in plan.requirements]
    implemented = plan.implements.number if plan.implements else None
    data["documents"] = [{k: v for k, v in (("number", d.number), ("type", d.type), ("date", d.date), ("issuer", d.issuer),
                                             ("title", d.title)) if v}
                         for d in plan.documents.values() if d.number != implemented]
    categories = []
    for category in sorted(plan.categories.values(), key=lambda c: c.order):
        entry = {"id": category.id, "section": category.section, "name": category.name}
        if category.description:
            entry["description"] = category.description
        if category.plan_text:
            entry["plan_text"] = in_year(category.plan_text)
        if category.points:
            entry["points"] = points(category.points)
        entry["documents"] = [n for n in category.documents if n != implemented]
        categories.append(entry)
    data["categories"] = categories
    forms = []
    for form in sorted(plan.forms.values(), key=lambda f: f.order):
        entry = {"id": form.id, "section": form.section, "name": form.name}
        if form.description:
            entry["description"] = form.description
        if form.plan_text:
            entry["plan_text"] = form.plan_text
        if form.events:
            entry["events"] = True
        forms.append(entry)
    data["forms"] = forms
    data["default_form"] = plan.default_form
    data["units"] = [{"section": d.section, "name": d.name, "groups": list(d.groups), "duties": points(d.duties)}
                     for d in plan.units]
    if raw is not None and raw.get("reporting_windows"):
        data["reporting_windows"] = _plain(raw["reporting_windows"])
    data["review"] = [
        f"Điền số (number) và ngày ban hành (date) của Kế hoạch năm {year} khi đã ký; kiểm tra người ký (signer).",
        f"Ghi văn bản cấp trên mà Kế hoạch năm {year} thực hiện (implements), nếu có"
        + (f" (năm {plan.year}: {plan.implements_ref or plan.implements.number})." if plan.implements else "."),
        f"Đối chiếu chuyên mục, hình thức, nhiệm vụ đơn vị và văn bản với Kế hoạch năm {year} đã ký (đang chép từ năm {plan.year}): "
        "giữ mã (id) của chuyên mục còn trong kế hoạch, thêm chuyên mục mới, xóa chuyên mục không còn (bài cũ vẫn giữ chuyên mục).",
    ]
    return data


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def cmd_new(args) -> int:
    root = content_root(args)
    year = args.year
    diags = Diagnostics(root.parent)
    catalog = load_catalog(root, diags)
    if year in catalog.plans:
        raise PlanError(f"đã có kế hoạch năm {year} ({_shown(catalog.plans[year].path, root)}); sửa trực tiếp tệp đó.")
    if args.source_year is not None:
        source = catalog.plans.get(args.source_year)
        if source is None:
            years = ", ".join(str(y) for y in sorted(catalog.plans)) or "chưa có"
            raise PlanError(f"không có kế hoạch năm {args.source_year} để chép (các năm có kế hoạch: {years}).")
    else:
        earlier = [y for y in catalog.plans if y < year]
        if not earlier:
            raise PlanError(f"chưa có kế hoạch nào trước năm {year} để chép; dùng --from <năm> hoặc "
                            "cchc plan import <tệp kế hoạch> để nhập từ văn bản.")
        source = catalog.plans[max(earlier)]
    if any(d.is_error and d.path.startswith(f"content/plans/{source.year}") for d in diags.items):
        say(diags.format(), sys.stderr)
        raise PlanError(f"kế hoạch năm {source.year} có lỗi; sửa trước khi chép sang năm {year}.")
    raw = load_yaml_file(source.path, Diagnostics())
    data = plan_to_dict(source, raw if isinstance(raw, LineDict) else None, year)
    header = [f"Kế hoạch thông tin, tuyên truyền CCHC năm {year}: BẢN NHÁP do lệnh `cchc plan new` chép từ kế hoạch năm {source.year}.",
              "Cùng chuyên mục, hình thức, nhiệm vụ đơn vị; số và ngày ban hành để trống (null) đến khi có bản đã ký.",
              "Xem Hướng dẫn biên tập, mục “Chu kỳ hằng năm”."]
    target = root / PLANS_DIR / f"{year}.yml"
    _write(target, dump_plan(data, header, "Cần xem lại (cchc check nhắc đến khi xóa hết danh sách này):"), False)
    say(f"Đã tạo {_shown(target, root)} từ kế hoạch năm {source.year}: {len(data['categories'])} chuyên mục, "
           f"{len(data['forms'])} hình thức, {len(data['units'])} nhóm nhiệm vụ đơn vị.", sys.stderr)
    say("Điền số, ngày ban hành khi Kế hoạch đã ký; sửa theo các mục review: đầu tệp rồi xóa review:.", sys.stderr)
    return _report(_check_written(root, target, catalog))


def _run(func, args) -> int:
    try:
        return func(args)
    except PlanError as exc:
        say(f"Lỗi: {exc}", sys.stderr)
        return exc.status


def _year(text: str) -> int:
    import argparse

    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"“{text}” không phải năm (4 chữ số, ví dụ 2026)")
    return int(text)


def register(subparsers) -> None:
    parser = subparsers.add_parser("plan", help="kế hoạch năm: nhập từ văn bản, hoặc tạo kế hoạch năm mới",
                                   description="Tệp kế hoạch năm content/plans/<năm>.yml: nhập từ văn bản đã ký (.txt, .docx) "
                                               "hoặc chép từ kế hoạch năm trước.")
    sub = parser.add_subparsers(dest="plan_command", required=True, metavar="{import,new}")
    imp = sub.add_parser("import", help="tạo bản nháp kế hoạch từ văn bản (.txt hoặc .docx)",
                         description="Đọc văn bản Kế hoạch (.txt UTF-8 hoặc .docx), ghi bản nháp content/plans/<năm>.yml "
                                     "cùng danh sách các mục cần xem lại.")
    imp.add_argument("file", metavar="TỆP", help="văn bản kế hoạch: .txt (UTF-8) hoặc .docx")
    imp.add_argument("--year", type=_year, help="năm kế hoạch, khi văn bản không ghi rõ")
    imp.add_argument("--output", "-o", metavar="TỆP", help="ghi vào tệp khác (mặc định content/plans/<năm>.yml)")
    imp.add_argument("--force", action="store_true", help="cho phép ghi đè tệp đã có")
    imp.set_defaults(func=lambda args: _run(cmd_import, args))
    new = sub.add_parser("new", help="tạo kế hoạch năm mới từ kế hoạch năm trước",
                         description="Chép chuyên mục, hình thức, nhiệm vụ đơn vị của kế hoạch năm trước sang năm mới; "
                                     "số và ngày ban hành để trống.")
    new.add_argument("year", type=_year, metavar="NĂM", help="năm của kế hoạch mới, ví dụ 2027")
    new.add_argument("--from", dest="source_year", type=_year, metavar="NĂM",
                     help="năm của kế hoạch để chép (mặc định: kế hoạch gần nhất trước đó)")
    new.set_defaults(func=lambda args: _run(cmd_new, args))
