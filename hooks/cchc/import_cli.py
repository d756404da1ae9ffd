"""`cchc import`: a new draft article from a Word document.

    cchc import FILE.docx [--category ID …] [--unit ID] [--title "…"] [--slug …]

The article is written where `cchc new` writes (content/news/YYYY/MM/<slug>.md, with the same
front matter and a frozen slug; never over an existing file), dated by the date the document
states ("…, ngày 15 tháng 3 năm 2025") or now, `draft: true`; its images go to its own
folder (images/<slug>/ beside it).  Old .doc files are converted by LibreOffice first.
Categories or unit not given are suggested from the text (cchc.suggest) and written with a
comment saying so.  What needs the officer's attention is printed at the end.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from . import cli
from .content import load_content
from .dates import VN_TZ, BuildDateError, build_time, check_year, to_vn
from .diagnostics import short
from .doc_convert import CONVERTIBLE, to_docx
from .placeholders import MISSING_ALT
from .suggest import Suggestion, suggest_categories, suggest_units
from .word_markdown import convert
from .word_reader import WordError, read_docx

WORD_SUFFIXES = (".docx", ".docm")


def _say(text: str) -> None:
    cli.say(text, sys.stderr)


def _read(source: Path):
    """The read document, or WordError."""
    suffix = source.suffix.lower()
    if not source.is_file():
        if source.exists():
            raise WordError(f"{source} là thư mục, không phải tệp Word", "ghi đường dẫn tới một tệp .docx")
        raise WordError(f"không tìm thấy tệp {source}",
                        "kiểm tra tên và thư mục của tệp; tên có khoảng trắng thì đặt trong ngoặc kép")
    if suffix in CONVERTIBLE:
        with tempfile.TemporaryDirectory(prefix="cchc-import-") as work:
            return read_docx(to_docx(source, Path(work)))
    if suffix not in WORD_SUFFIXES:
        raise WordError(f"{source.name} không phải tệp Word (.docx hoặc .doc)",
                        "mở tệp bằng Word rồi Lưu thành (Save As) định dạng Tài liệu Word (.docx)")
    return read_docx(source)


def _plain_text(document) -> str:
    parts = []
    for block in document.blocks:
        if block.kind == "table":
            parts.extend(i.text for row in block.rows for cell in row for i in cell)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def _choices(suggestions: list[Suggestion]) -> str:
    lines = []
    for number, s in enumerate(suggestions, start=1):
        words = ", ".join(s.words) if s.words else "—"
        score = f"{s.score:.2f}".replace(".", ",")
        lines.append(f"       {number}) {s.id} “{s.name}” (điểm {score}; từ quyết định: {words})")
    return "\n".join(lines)


def cmd_import(args) -> int:
    root = cli.content_root(args)
    source = Path(args.file).expanduser()
    try:
        now = to_vn(build_time())
    except BuildDateError as exc:
        _say(f"Lỗi: {exc}")
        return 2
    catalog = cli.load_catalog_or_fail(root, "nhập bài")
    if catalog is None:
        return 1
    try:
        document = _read(source)
        draft = convert(document, "images/_")  # title and date first: the slug names the image folder
    except WordError as exc:
        return cli.fail(str(exc), exc.hint, status=1)
    except (RecursionError, MemoryError):
        return cli.fail(f"tệp {source.name} có cấu trúc lồng nhau quá sâu hoặc quá lớn, không đọc được",
                         "mở tệp bằng Word, sao chép nội dung sang tài liệu mới, lưu thành .docx rồi nhập lại", status=1)
    except Exception as exc:  # a document python-docx opens but whose body is not as Word writes it
        return cli.fail(f"không đọc được nội dung tệp {source.name} ({type(exc).__name__}); chưa ghi gì",
                         "mở tệp bằng Word và lưu lại thành .docx rồi nhập lại; nếu vẫn lỗi, gửi tệp cho người quản trị trang",
                         status=1)
    notices: list[str] = []  # the article's own notices come with the second conversion, below
    title_source = draft.title_source
    raw_title = args.title if args.title is not None else draft.title
    if args.title is not None:
        title_source = "--title"
    title, status = cli.clean_title(raw_title)
    if title is None:
        _say('    Đặt tiêu đề bằng tay: thêm --title "Tiêu đề bài viết" vào lệnh.')
        return status

    moment, date_text, has_time = now, "lúc nhập (văn bản không ghi ngày)", True
    if draft.date:
        stated = dt.datetime(draft.date.year, draft.date.month, draft.date.day, tzinfo=VN_TZ)
        problem = check_year(stated, catalog.plans)
        if problem is None:
            moment, date_text, has_time = stated, "ngày ghi trong văn bản", False
        else:
            notices.append(f"ngày ghi trong văn bản ({draft.date:%d/%m/%Y}) không dùng được ({problem}): bài lấy ngày giờ hiện tại")
    plan, exact, year = catalog.plan_for_date(moment)

    problems = cli.id_problems(plan, catalog, args.category or [], args.unit, moment)
    if problems:
        for problem in problems:
            _say(f"Lỗi: {problem}")
        return 1
    slug, status = cli.choose_slug(args.slug, title)
    if slug is None:
        return status
    content = load_content(root)
    if slug in {a.slug for a in content.articles}:
        _say(f"Lỗi: đã có bài với slug “{slug}” (có thể tệp này đã được nhập). "
             f"Đặt tiêu đề khác bằng --title hoặc thêm --slug {slug}-2")
        return 1

    text = f"{title}\n{title}\n{_plain_text(document)}"
    categories = list(dict.fromkeys(args.category or []))
    unit = args.unit
    attention: list[str] = []
    categories_note = unit_note = ""
    if not categories:
        ranked = suggest_categories(text, plan, content.articles, content.bodies)
        if not ranked:
            ranked_ids = list(plan.categories)[:1]
            attention.append("chưa chọn chuyên mục và không gợi ý được từ nội dung: đã ghi tạm "
                             f"categories: [{ranked_ids[0]}]; sửa dòng categories: trong bài")
            categories = ranked_ids
        else:
            categories = [ranked[0].id]
            others = ", ".join(s.id for s in ranked[1:])
            categories_note = "gợi ý tự động, kiểm tra lại" + (f"; gợi ý khác: {others}" if others else "")
            attention.append("chưa chọn chuyên mục (--category): đã ghi gợi ý thứ nhất vào dòng categories:, "
                             "kiểm tra lại (có thể ghi nhiều chuyên mục):\n" + _choices(ranked))
    if unit is None:
        ranked_units = suggest_units(text, catalog.units, content.articles, content.bodies)
        if ranked_units:
            unit = ranked_units[0].id
            others = ", ".join(s.id for s in ranked_units[1:])
            unit_note = "gợi ý tự động, kiểm tra lại" + (f"; gợi ý khác: {others}" if others else "")
            attention.append("chưa chọn đơn vị (--unit): đã ghi gợi ý thứ nhất vào dòng unit:, kiểm tra lại:\n"
                             + _choices(ranked_units))
        else:
            unit = next(iter(catalog.units.units))
            attention.append(f"chưa chọn đơn vị và không gợi ý được từ nội dung: đã ghi tạm unit: {unit}; sửa dòng unit: trong bài")

    folder_rel = cli.image_folder(slug)
    article = convert(document, folder_rel)
    target = cli.article_path(root, moment, slug)
    images_dir = target.parent / folder_rel
    shown_images = cli.shown_path(root, images_dir)
    if article.images and images_dir.exists() and any(images_dir.iterdir()):
        _say(f"Lỗi: thư mục ảnh {shown_images}/ đã có tệp; không ghi đè.\n"
             f"    → Cách sửa: đặt slug khác bằng --slug {slug}-2")
        return 1
    if article.missing_alt:
        attention.append(f"{len(article.missing_alt)} ảnh chưa có mô tả (alt): {', '.join(article.missing_alt)}\n"
                         f"       → mở bài, thay “{MISSING_ALT}” bằng mô tả ngắn nội dung ảnh "
                         "(người khiếm thị nghe mô tả này thay cho ảnh); trong Word: chuột phải vào ảnh → Sửa văn bản thay thế")
    attention.extend(article.notices + notices)
    warn = None if exact else year

    date_value = moment.strftime("%Y-%m-%d %H:%M") if has_time else moment.strftime("%Y-%m-%d")
    file_text = cli.article_file_text(
        title=title, slug=slug, date=date_value, categories=categories, unit=unit, form=plan.default_form,
        body=article.body, categories_note=categories_note, unit_note=unit_note,
        source_note=f"Nhập từ tệp Word “{short(source.name.replace(chr(10), ' '), 100)}” bằng cchc import",
    )
    written: list[Path] = []
    created_dir = not images_dir.exists()
    try:
        if article.images:
            images_dir.mkdir(parents=True, exist_ok=True)
            for image in article.images:
                path = images_dir / image.name
                with open(path, "xb") as handle:
                    handle.write(image.data)
                written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        if created_dir:
            shutil.rmtree(images_dir, ignore_errors=True)
        return cli.fail(f"không ghi được ảnh vào {shown_images}/ ({exc.strerror})",
                         "kiểm tra thư mục content/news/ có ghi được không", status=1)
    status = cli.write_new_article(root, target, file_text, slug)
    if status:
        for path in written:
            path.unlink(missing_ok=True)
        if created_dir:
            shutil.rmtree(images_dir, ignore_errors=True)
        return status

    cli.say(str(cli.shown_path(root, target)))
    report = [f"Đã tạo bài nháp (draft: true) từ tệp “{short(source.name, 100)}”:",
              f"    bài: {cli.shown_path(root, target)}",
              f"    ảnh: {shown_images}/ ({len(article.images)} ảnh)",
              f"    tiêu đề: “{short(title, 120)}” (lấy từ {title_source})",
              f"    ngày đăng: {moment:%d/%m/%Y}" + (f" {moment:%H:%M}" if has_time else "") + f" ({date_text})"]
    if warn is not None:
        attention.append(f"chưa có kế hoạch năm {warn}: bài được kiểm tra theo kế hoạch năm {plan.year} "
                         f"và không được tính vào trang độ phủ; thêm tệp content/plans/{warn}.yml khi có kế hoạch")
    if attention:
        report.append("Cần xem lại:")
        report.extend(f"  {n}. {item}" for n, item in enumerate(attention, start=1))
    else:
        report.append("Không có gì cần xem lại thêm.")
    report.append("Đọc lại bài, xem thử bằng `make serve`, chạy `cchc check`; khi sẵn sàng xuất bản thì xóa dòng draft: true.")
    _say("\n".join(report))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="tạo bài nháp từ tệp Word (.docx; .doc qua LibreOffice)",
        description="Tạo bài nháp từ tệp Word: tiêu đề, nội dung, danh sách, bảng, liên kết và ảnh "
                    "(chép vào thư mục ảnh riêng của bài). Không ghi đè bài đã có.")
    parser.add_argument("file", metavar="TỆP_WORD", help="tệp Word (.docx, hoặc .doc/.rtf/.odt nếu máy có LibreOffice)")
    parser.add_argument("--category", action="append", metavar="MÃ",
                        help="mã chuyên mục (có thể lặp lại); bỏ trống: gợi ý từ nội dung")
    parser.add_argument("--unit", metavar="MÃ", help="mã đơn vị đăng tin; bỏ trống: gợi ý từ nội dung")
    parser.add_argument("--title", metavar="TIÊU_ĐỀ", help="tiêu đề (mặc định: lấy từ tệp Word)")
    parser.add_argument("--slug", metavar="ĐƯỜNG_DẪN", help="đường dẫn tùy chọn (mặc định: từ tiêu đề)")
    parser.set_defaults(func=cmd_import)
