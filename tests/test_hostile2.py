"""Hostile content, round 2 (issue 13): attachments, runaway Markdown, unreadable folders,
runaway tags, iframe paths, code checked as content, fake images, flooding output, tracebacks.

Each test plays an attacker or a careless editor and asserts what staff and citizens would
notice: the Vietnamese message naming the file (and line), the build refusing to publish, the
hostile file absent from the site, the preview answering.  Most cases read a content folder
with `load_content` (what `cchc check` and the build share); a few run the real commands.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from cchc import attachments, convert, images, markdown_hazards, output_limits, urlnorm
from cchc.alt_text import mask_code
from cchc.buildcache import BuildCache
from cchc.content import load_content
from cchc.convert import BodyStore, ConversionFailed, Job, MarkdownSetup
from cchc.diagnostics import MAX_SHOWN_PER_FILE, MAX_SHOWN_TOTAL
from cchc.document_links import format_size
from cchc.reader import first_paragraph_text
from cchc.sanitize import clean_html, markdown_warnings
from support import (BIN, FIXTURES, SAMPLE_CONTENT, article_text, docx_bytes, env, image_bytes, make_content,
                     pdf_bytes, write_article, write_config)

HOSTILE = FIXTURES / "hostile"
FILES = FIXTURES / "hostile-files"
NAME = "2025/03/bai-viet.md"
BODY_LINE = 9  # support.article_text: the body starts on line 9


def copy_hostile(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(HOSTILE, content)
    return content


def put(content: Path, rel: str, data: bytes | str) -> Path:
    path = content / "news" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def errors_of(content: Path) -> dict[str, list[str]]:
    """path → messages of the errors `cchc check` and the build report for `content`."""
    found: dict[str, list[str]] = {}
    for error in load_content(content).diagnostics.errors:
        found.setdefault(error.path, []).append(error.message)
    return found


def cchc(*args: str, cwd: Path, extra_env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "cchc"), *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env={**env(), **(extra_env or {})})


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_over_previous(tmp_path: Path, content: Path, *, extra: dict | None = None,
                        extra_env: dict | None = None, timeout: float = 300):
    """`cchc build` over a site/ that holds a previous build: (result, site before, site after)."""
    cfg = write_config(tmp_path, content, extra=extra)
    site = tmp_path / "site"
    (site / "tin-tuc").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Bản trước</title>", encoding="utf-8")
    before = tree(site)
    result = cchc("build", "-f", str(cfg), cwd=tmp_path, extra_env=extra_env, timeout=timeout)
    return result, before, tree(site)


# --- 1. attachments: an allow-list checked by content ------------------------------------------
def png_header(width: int, height: int) -> bytes:
    """A complete PNG whose header claims width × height (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def ooxml(main_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(mime: str, extra: dict[str, bytes] | None = None, first: str = "mimetype") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first == "mimetype":
            archive.writestr(zipfile.ZipInfo("mimetype"), mime)  # stored, first: what ODF requires
        archive.writestr("content.xml", "<office:document-content/>")
        if first != "mimetype":
            archive.writestr("mimetype", mime)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

ACCEPTED = {
    "tai-lieu/ke-hoach.pdf": (pdf_bytes(), "PDF"),
    "tai-lieu/bao-cao.docx": (docx_bytes(), "Word"),
    "tai-lieu/so-lieu.xlsx": (ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), "Excel"),
    "tai-lieu/trinh-chieu.pptx": (ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
                                  "PowerPoint"),
    "tai-lieu/van-ban-cu.doc": (OLE2, "Word"),
    "tai-lieu/bang-cu.xls": (OLE2, "Excel"),
    "tai-lieu/ke-hoach.odt": (odf("application/vnd.oasis.opendocument.text"), "OpenDocument"),
    "tai-lieu/so-lieu.ods": (odf("application/vnd.oasis.opendocument.spreadsheet"), "OpenDocument"),
    "tai-lieu/du-lieu.csv": ("\ufeffĐơn vị,Số hồ sơ\nVăn phòng,12\n".encode("utf-8"), "CSV"),
    "images/anh.jpg": (image_bytes("JPEG"), "JPEG"),
    "images/anh.png": (image_bytes("PNG"), "PNG"),
    "images/anh.gif": (image_bytes("GIF"), "GIF"),
    "images/anh.webp": (image_bytes("WEBP"), "WebP"),
    "images/anh.avif": (image_bytes("AVIF"), "AVIF"),
}

# file → (content, distinctive part of the message)
REFUSED = {
    "xss.html": ((FILES / "xss.html").read_bytes(), "tệp .html không được đăng: trình duyệt có thể chạy mã"),
    "trang.htm": (b"<p>Trang</p>", "tệp .htm không được đăng"),
    "trang.xhtml": (b"<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>", "tệp .xhtml không được đăng"),
    "images/bieu-do.svg": ((FILES / "xss.svg").read_bytes(), "ảnh SVG không được đăng"),
    "du-lieu.xml": (b"<?xml version='1.0'?><x/>", "tệp .xml không được đăng"),
    "ma.js": (b"alert(1)", "tệp .js không được đăng"),
    "chay.exe": (b"MZ\x90\x00", "tệp .exe không được đăng"),
    "bao-cao.docm": (ooxml("application/vnd.ms-word.document.macroEnabled.main+xml"), "có thể chứa macro"),
    "macro.docx": (ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", {"word/vbaProject.bin": b"x"}),
                   "tệp Word có macro"),
    "zip-doi-ten.docx": (odf("application/zip"), "không phải Word (thiếu phần [Content_Types].xml bên trong)"),
    "bang.xlsx": (ooxml(DOCX_TYPE), "thật ra là tệp Word"),
    "macro.doc": (OLE2 + "_VBA_PROJECT".encode("utf-16-le"), "tệp Word có macro"),
    "doc-gia.doc": (b"Day khong phai tep Word", "không phải Word (.doc)"),
    "macro.odt": (odf("application/vnd.oasis.opendocument.text", {"Basic/Standard/Module1.xml": b"<x/>"}),
                  "tệp OpenDocument có macro"),
    "sai-loai.odt": (odf("application/vnd.oasis.opendocument.spreadsheet"), "không phải tài liệu OpenDocument tương ứng"),
    "pdf-gia.pdf": (b"Day la van ban, khong phai PDF", "không phải PDF"),
    "pdf-cut.pdf": (pdf_bytes()[:-60], "tệp PDF không trọn vẹn"),
    "pdf-js.pdf": (pdf_bytes().replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                                       b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
                   "tệp PDF có mã JavaScript"),
    "pdf-js-escaped.pdf": (pdf_bytes().replace(b"/Pages 2 0 R >>", b"/Pages 2 0 R /OpenAction << /S /J#61vaScript >> >>"),
                           "tệp PDF có mã JavaScript"),
    "polyglot.pdf": (b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n" + pdf_bytes()[9:],
                     "có mã HTML/script ở phần đầu"),
    "images/polyglot.gif": ((FILES / "polyglot.gif").read_bytes(), "có mã HTML/script ở phần đầu"),
    "du-lieu-html.csv": (b"Ten,Ghi chu\nA,<script>alert(1)</script>\n", "tệp CSV có mã HTML"),
    "du-lieu-cu.csv": ("Đơn vị,Số\n".encode("utf-16-le"), "tệp CSV không phải mã UTF-8"),
    "tai-lieu.zip": (b"PK\x03\x04", "tệp nén .zip không được đăng"),
    "video.mp4": (b"\x00\x00\x00\x18ftypmp42", "tệp âm thanh/video .mp4 không được đăng"),
    "images/iphone.heic": (b"\x00\x00\x00\x18ftypheic", "ảnh HEIC của iPhone"),
    "ghi-chu.txt": (b"Ghi chu", "tệp văn bản .txt không được đăng"),
    "khong-duoi": (b"abc", "tệp (không có đuôi) không thuộc các loại được đăng"),
    "images/rong.png": (b"", "tệp rỗng (0 byte)"),
    "images/chu.jpg": (b"Day la chu, khong phai anh", "tệp có đuôi ảnh .jpg nhưng không phải ảnh (nội dung là văn bản)"),
    "images/png-doi-ten.jpg": (image_bytes("PNG"), "tệp có đuôi .jpg (JPEG) nhưng thật ra là ảnh PNG"),
    "images/svg-doi-ten.png": ((FILES / "xss.svg").read_bytes(), "nội dung là ảnh SVG"),
    "images/bom.png": (png_header(20000, 20000), "ảnh quá lớn: 400 triệu điểm ảnh (tối đa 50 triệu)"),
    "images/qua-lon.png": (png_header(10000, 6000), "ảnh quá lớn: 10000×6000 điểm ảnh (60 triệu, tối đa 50 triệu)"),
    "images/cut.jpg": (image_bytes("JPEG", (64, 64))[:-40], "tệp ảnh JPEG không trọn vẹn"),
    "images/cut.png": (image_bytes("PNG", (64, 64))[:-30], "tệp ảnh PNG không trọn vẹn"),
    "images/cut.gif": (image_bytes("GIF", (64, 64))[:-20], "tệp ảnh GIF không trọn vẹn"),
}


def test_allowed_attachments_are_accepted_by_their_content(tmp_path):
    content = copy_hostile(tmp_path)
    for rel, (data, _kind) in ACCEPTED.items():
        put(content, "2025/03/" + rel, data)
    loaded = load_content(content)
    assert loaded.diagnostics.errors == [], loaded.diagnostics.format()
    folder = content / "news/2025/03"
    assert {a.path.relative_to(folder).as_posix(): a.kind for a in loaded.attachments} == \
        {rel: kind for rel, (_data, kind) in ACCEPTED.items()}


def test_every_other_file_under_news_is_an_error_naming_it(tmp_path):
    content = copy_hostile(tmp_path)
    for rel, (data, _message) in REFUSED.items():
        put(content, "2025/03/" + rel, data)
    found = errors_of(content)
    for rel, (_data, message) in REFUSED.items():
        messages = found.get(f"content/news/2025/03/{rel}", [])
        assert any(message in m for m in messages), (rel, messages)
    # and none of them is among the files the build publishes
    assert [a.path.name for a in load_content(content).attachments] == ["anh.jpg"]


def test_refusals_say_what_to_do(tmp_path):
    content = copy_hostile(tmp_path)
    for rel in ("xss.html", "images/bieu-do.svg", "tai-lieu.zip", "video.mp4", "images/iphone.heic", "bao-cao.docm"):
        put(content, "2025/03/" + rel, REFUSED[rel][0])
    hints = {e.path.rsplit("/", 1)[-1]: e.hint for e in load_content(content).diagnostics.errors}
    assert "Chỉ đăng được: PDF, Word, Excel, PowerPoint" in hints["xss.html"]
    assert "xuất (Export) thành PNG" in hints["bieu-do.svg"]
    assert "giải nén rồi đăng từng tệp" in hints["tai-lieu.zip"]
    assert "kênh YouTube" in hints["video.mp4"]
    assert "Tương thích nhất" in hints["iphone.heic"]
    assert "lưu lại thành .docx" in hints["bao-cao.docm"]


def test_svg_is_refused_as_image_field_and_in_the_body(tmp_path):
    content = copy_hostile(tmp_path)
    put(content, "2025/03/images/bieu-do.svg", REFUSED["images/bieu-do.svg"][0])
    write_article(content, NAME, article_text(body="![Biểu đồ kết quả](images/bieu-do.svg)\n",
                                              image="images/bieu-do.svg", image_alt='"Biểu đồ"'))
    found = errors_of(content)
    # said where it is used (the image field and the body line), with why and what to do, and
    # not a third time as a file
    assert sum("ảnh SVG không được dùng làm ảnh bài viết" in m for m in found["content/news/" + NAME]) == 2
    assert "content/news/2025/03/images/bieu-do.svg" not in found
    # an SVG no article uses is still named as a file that is not published
    put(content, "2025/03/images/khong-dung.svg", REFUSED["images/bieu-do.svg"][0])
    assert any("ảnh SVG không được đăng" in m for m in errors_of(content)["content/news/2025/03/images/khong-dung.svg"])


def test_an_attachment_over_the_size_limit_is_refused(tmp_path):
    content = copy_hostile(tmp_path)
    path = put(content, "2025/03/tai-lieu/lon.pdf", pdf_bytes())
    with open(path, "r+b") as handle:  # sparse: 21 MB on paper, a few KB on disk
        handle.truncate(attachments.MAX_BYTES + 1024 * 1024)
    assert errors_of(content)["content/news/2025/03/tai-lieu/lon.pdf"] == ["tệp quá lớn (21,0 MB, tối đa 20,0 MB)"]


def test_image_checks_read_the_header_not_the_name():
    """images.inspect on the files phones and Windows make, without decoding the pixels."""
    cases = {".jpg": image_bytes("JPEG", (40, 30)), ".png": image_bytes("PNG", (40, 30)),
             ".webp": image_bytes("WEBP", (40, 30)), ".avif": image_bytes("AVIF", (40, 30))}
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for suffix, data in cases.items():
            path = Path(folder) / f"anh{suffix}"
            path.write_bytes(data)
            expected = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".avif": "AVIF"}[suffix]
            assert images.inspect(path) == images.ImageInfo(expected, 40, 30)
        # a phone's motion photo: a video after the JPEG's end marker is allowed
        motion = Path(folder) / "chuyen-dong.jpg"
        motion.write_bytes(image_bytes("JPEG", (40, 30)) + b"\0" * 70000 + b"ftypmp42" + b"x" * 5000)
        assert images.inspect(motion).format == "JPEG"
        # a 48-megapixel phone photo's header passes, a 51-megapixel one does not
        big = Path(folder) / "lon.png"
        big.write_bytes(png_header(8000, 6000))
        assert images.inspect(big).width == 8000
        big.write_bytes(png_header(8500, 6000))
        with pytest.raises(images.ImageProblem, match="ảnh quá lớn: 8500×6000"):
            images.inspect(big)


def test_build_refuses_hostile_attachments_and_publishes_nothing(tmp_path):
    content = copy_hostile(tmp_path)
    for rel in ("xss.html", "images/bieu-do.svg", "images/polyglot.gif", "images/bom.png"):
        put(content, "2025/03/" + rel, REFUSED[rel][0])
    result, before, after = build_over_previous(tmp_path, content)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    for rel in ("xss.html", "images/bieu-do.svg", "images/polyglot.gif", "images/bom.png"):
        assert f"content/news/2025/03/{rel}: lỗi: " in output, rel
    assert "chưa xuất bản gì" in output
    assert after == before  # the previous site, untouched: no xss.html, no SVG


def test_published_site_has_only_checked_attachments_and_labelled_links(tmp_path):
    content = copy_hostile(tmp_path)
    big_pdf = pdf_bytes().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * 1_300_000 + b"\n", 1)
    put(content, "2025/03/tai-lieu/ke-hoach.pdf", big_pdf)
    put(content, "2025/03/tai-lieu/bao-cao.docx", ACCEPTED["tai-lieu/bao-cao.docx"][0])
    put(content, "2025/03/tai-lieu/so-lieu.xlsx", ACCEPTED["tai-lieu/so-lieu.xlsx"][0])
    body = ("Xem [Kế hoạch số 12](tai-lieu/ke-hoach.pdf) và "
            '<a href="tai-lieu/bao-cao.docx">báo cáo quý</a>, cùng [bảng số liệu][sl].\n\n'
            "[sl]: tai-lieu/so-lieu.xlsx\n")
    put(content, NAME, article_text(body=body))
    result, _before, _after = build_over_previous(tmp_path, content)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    page = (site / "tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/index.html").read_text("utf-8")
    docx_size = format_size(len(ACCEPTED["tai-lieu/bao-cao.docx"][0]))
    assert 'Kế hoạch số 12<span class="cchc-file-info"> (PDF, 1,2 MB)</span></a>' in page
    assert f'báo cáo quý<span class="cchc-file-info"> (Word, {docx_size})</span></a>' in page
    assert 'bảng số liệu<span class="cchc-file-info"> (Excel, 1 KB)</span></a>' in page
    published = {p.relative_to(site / "tin-tuc").as_posix() for p in (site / "tin-tuc").rglob("*")
                 if p.is_file() and not p.name.endswith((".html", ".html.gz"))}
    documents = {p for p in published if "/images/" not in p}
    assert documents == {"2025/03/tai-lieu/ke-hoach.pdf", "2025/03/tai-lieu/bao-cao.docx", "2025/03/tai-lieu/so-lieu.xlsx"}
    # the article's image only as its resized pictures (cchc.pictures), never as the original
    pictures = published - documents
    assert pictures and "2025/03/images/anh.jpg" not in pictures
    assert all(re.fullmatch(r"2025/03/images/anh-[0-9a-f]{10}-[0-9x]+(-rss)?\.(webp|jpg|png)", p) for p in pictures), pictures


def test_a_cached_body_is_converted_again_when_its_attachment_changes_size(tmp_path):
    """The label depends on the file's size: a cached body is reused only while it is the same."""
    def setup(label: str) -> MarkdownSetup:
        return MarkdownSetup(extensions=("toc",), configs={}, legal=None, iframe_hosts=(),
                             targets={"tin-tuc/2025/03/a.md": "tin-tuc/2025/03/a/",
                                      "tin-tuc/2025/03/tai-lieu/k.pdf": "tin-tuc/2025/03/tai-lieu/k.pdf"},
                             documents={"tin-tuc/2025/03/tai-lieu/k.pdf": label})
    job = Job(url="tin-tuc/2025/03/a/", src_uri="tin-tuc/2025/03/a.md", markdown="Tải [kế hoạch](tai-lieu/k.pdf).")
    first = BodyStore(setup("PDF, 1 KB"), BuildCache(tmp_path, warn=print))
    first.convert_all([job], workers=1)
    assert "(PDF, 1 KB)" in first.html(job.url)
    same = BodyStore(setup("PDF, 1 KB"), BuildCache(tmp_path, warn=print))
    same.convert_all([job], workers=1)
    assert same.stats["hits"] == 1
    bigger = BodyStore(setup("PDF, 2,4 MB"), BuildCache(tmp_path, warn=print))
    bigger.convert_all([job], workers=1)
    assert bigger.stats == {"hits": 0, "converted": 1, "workers": 0}
    assert "(PDF, 2,4 MB)" in bigger.html(job.url) and "1 KB" not in bigger.html(job.url)


def test_file_sizes_are_written_the_vietnamese_way():
    assert [format_size(n) for n in (10, 850 * 1024, 1_258_291, 15 * 1024 * 1024)] == \
        ["1 KB", "850 KB", "1,2 MB", "15,0 MB"]


# --- 2. a time budget for Markdown: slow shapes found by cchc check, conversions stopped -----------
SLOW_SHAPES = [
    ("Chữ " + "[" * 5000 + "\n", "quá nhiều dấu [ liên tiếp hoặc không đóng"),
    ("Chữ " + "![" * 3000 + "\n", "quá nhiều dấu [ liên tiếp hoặc không đóng"),
    ("Chữ " + "[^" * 3000 + "\n", "quá nhiều dấu [ liên tiếp hoặc không đóng"),
    ("Chữ " + "*[a" * 3000 + "\n", "quá nhiều dấu [ liên tiếp hoặc không đóng"),
    ("Chữ " + "[" * 2000 + "a" + "]" * 2000 + "\n", "dấu [ ] lồng vào nhau quá nhiều tầng"),
    ("Chữ " + "[a](" * 3000 + "\n", "quá nhiều liên kết “](” không có dấu ) đóng"),
    ("Chữ " + "![a](b " * 3000 + "\n", "quá nhiều liên kết “](” không có dấu ) đóng"),
    ("Chữ " + "[a](<" * 3000 + "\n", "quá nhiều liên kết “](” không có dấu ) đóng"),
    ("Chữ " + "<a " * 5000 + "\n", "quá nhiều dấu < mở thẻ HTML mà không có dấu > đóng"),
    ("Chữ " + "<http://a" * 3000 + "\n", "quá nhiều dấu < mở thẻ HTML mà không có dấu > đóng"),
    ("Chữ " + "<a@b" * 5000 + "\n", "quá nhiều dấu < mở thẻ HTML mà không có dấu > đóng"),
    ("Chữ\n\n" + "<div>\n" * 2000, "thẻ HTML khối (như <div>) được mở mà không đóng"),
    ("Chữ\n\n" + '<div markdown="1">\n' * 2000, "thẻ HTML khối (như <div>) được mở mà không đóng"),
    ("Chữ\n\n" + "# Mục\n" * 600, "bài có quá nhiều đề mục (600, tối đa 500)"),
    ("Chữ " + "***a" * 4000 + "\n", "quá nhiều dấu *** (hoặc ___) liên tiếp trong một đoạn"),
    ("Chữ\n\n" + "!!! note\n" * 2100, "bài có quá nhiều khối ghi chú “!!!” (2100, tối đa 2000)"),
    ("Chữ " + "`a" * 7000 + "\n", "quá nhiều dấu ` trong một đoạn (7000, tối đa 6000)"),
    ("Chữ " + "\\\\" * 9000 + "\n", "quá nhiều định dạng trong một đoạn (9000 thẻ HTML"),
    ("Chữ " + "<b>a</b> " * 4500 + "\n", "quá nhiều định dạng trong một đoạn (9000 thẻ HTML"),
]


@pytest.mark.parametrize(("body", "message"), SLOW_SHAPES, ids=[m[:12] + str(i) for i, (_b, m) in enumerate(SLOW_SHAPES)])
def test_check_names_slow_markdown_shapes_with_their_line(tmp_path, body, message):
    content = make_content(tmp_path)
    write_article(content, NAME, article_text(body="Đoạn đầu bình thường.\n\n" + body))
    errors = [e for e in load_content(content).diagnostics.errors if e.code == "markdown-hazard"]
    assert [e.message for e in errors] and message in errors[0].message, errors
    assert errors[0].line >= BODY_LINE + 2  # the shape's line, after the ordinary first paragraph
    assert "làm trang dựng rất chậm" in errors[0].message or "bài có quá nhiều" in errors[0].message


@pytest.mark.parametrize("body", [
    "Xem [liên kết](https://dichvucong.gov.vn) và ![ảnh](images/anh.jpg). " * 3000,
    "<p><b>Đậm</b> <a href='https://a.vn'>liên kết</a></p>\n" * 3000,
    "| Cột | Cột |\n|---|---|\n" + "| [a](https://a.vn) | b |\n" * 3000,
    "".join(f"## Mục {i}\n\nĐoạn [xem thêm](#muc-{i}).\n\n" for i in range(400)),
    "Ghi chú [1], [2], [trích] và (xem [phụ lục](https://a.vn/phu-luc)).\n\n" * 2000,
])
def test_large_ordinary_articles_are_not_taken_for_slow_shapes(body):
    assert markdown_hazards.find(body) == []


def test_summary_of_a_slow_paragraph_is_made_without_markdown(monkeypatch):
    """The summary is bounded: a paragraph with a slow shape is never given to Markdown."""
    import markdown

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown must not convert this paragraph")

    paragraph = "Sở tổ chức " + "[" * 2500 + " hội nghị *quan trọng*."
    monkeypatch.setattr(markdown.Markdown, "convert", refuse)
    summary = first_paragraph_text(paragraph)
    assert summary.startswith("Sở tổ chức hội nghị quan trọng") and len(summary) <= output_limits.MAX_SUMMARY_CHARS
    monkeypatch.undo()
    assert first_paragraph_text("**Sở** tổ chức [hội nghị](https://a.vn) &amp; tập huấn.") == "Sở tổ chức hội nghị & tập huấn."


def _setup(limit: float) -> MarkdownSetup:
    return MarkdownSetup(extensions=("toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes"),
                         configs={}, legal=None, iframe_hosts=(), targets={}, time_limit=limit)


SLOW_BUT_UNDETECTED = "Chữ " + "[" * 1400 + "\n"  # below the check's threshold, ~0.1 s of CPU


def _jobs(count: int, slow: set[int]) -> list[Job]:
    return [Job(url=f"tin-tuc/2025/03/bai-{i}/", src_uri=f"tin-tuc/2025/03/bai-{i}.md",
                markdown=SLOW_BUT_UNDETECTED if i in slow else f"Bài số {i}.",
                source=f"content/news/2025/03/bai-{i}.md", first_line=9) for i in range(count)]


def test_a_body_over_its_budget_is_stopped_in_this_process(tmp_path):
    store = BodyStore(_setup(0.02), BuildCache(tmp_path, warn=print))
    with pytest.raises(ConversionFailed) as failed:
        store.convert_all(_jobs(3, {1}), workers=1)
    message = str(failed.value)
    assert "content/news/2025/03/bai-1.md:9: lỗi: chuyển nội dung bài sang HTML mất quá 0,02 giây" in message
    assert "nguyên nhân có thể: quá nhiều dấu [ liên tiếp hoặc không đóng" in message
    assert "chưa xuất bản gì" in message


def test_slow_bodies_in_helper_processes_are_all_reported(tmp_path, monkeypatch):
    """Workers stop each slow body on their own timer and go on; every slow body is named."""
    monkeypatch.setattr(convert, "POOL_THRESHOLD", 1)
    store = BodyStore(_setup(0.02), BuildCache(tmp_path, warn=print))
    with pytest.raises(ConversionFailed) as failed:
        store.convert_all(_jobs(8, {2, 5}), workers=2)  # one share here, one in a helper process
    assert sorted(job.source for job, *_ in failed.value.failures) == [
        "content/news/2025/03/bai-2.md", "content/news/2025/03/bai-5.md"]
    assert store.stats["workers"] == 2
    assert "Traceback" not in str(failed.value)


@pytest.mark.parametrize(("sig", "message"), [
    (signal.SIGSTOP, "tiến trình chuyển bài sang HTML không phản hồi khi đang chuyển bài này nên đã bị dừng"),
    (signal.SIGKILL, "tiến trình chuyển bài sang HTML bị dừng đột ngột (tín hiệu SIGKILL"),
])
def test_a_stuck_or_killed_helper_is_reported_and_its_other_bodies_converted_here(tmp_path, monkeypatch, sig, message):
    """A helper that stops (no CPU, its own timer never fires) is killed by the watchdog; one
    killed from outside (out of memory) is noticed; either way the body it held is named and the
    rest of its share is converted by this process."""
    started = []

    def start_and_signal(module):
        process = real_start(module)
        started.append(process.pid)
        os.kill(process.pid, sig)
        return process

    real_start = convert.start_module
    monkeypatch.setattr(convert, "start_module", start_and_signal)
    monkeypatch.setattr(convert, "stall_seconds", lambda limit: 3.0)  # instead of a minute
    monkeypatch.setattr(convert, "POOL_THRESHOLD", 1)
    store = BodyStore(_setup(0.3), BuildCache(tmp_path, warn=print))
    jobs = _jobs(6, set())
    with pytest.raises(ConversionFailed) as failed:
        store.convert_all(jobs, workers=2)
    assert len(started) == 1
    assert [(job.url, text[:len(message)]) for job, text, _hint, _line in failed.value.failures] == [
        (jobs[1].url, message)]  # the helper's share is jobs 1, 3, 5: it never finished job 1
    assert set(store.converted) == {jobs[i].url for i in (0, 2, 4, 3, 5)}  # 3 and 5 converted here
    assert "Traceback" not in str(failed.value)


def test_the_build_stops_a_slow_body_with_a_message_naming_its_file(tmp_path):
    content = copy_hostile(tmp_path)
    put(content, NAME, article_text(body="Đoạn đầu.\n\n" + SLOW_BUT_UNDETECTED, title='"Bài chậm"', slug="bai-cham"))
    result, before, after = build_over_previous(tmp_path, content, extra={"conversion_time_limit": 0.02},
                                                extra_env={"CCHC_WORKERS": "1"})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert f"content/news/{NAME}:11: lỗi: chuyển nội dung bài sang HTML mất quá 0,02 giây" in output
    assert after == before


def test_a_killed_helper_during_a_build_ends_in_a_message(tmp_path):
    """A real build whose conversion helpers die at start (as if killed by the system)."""
    content = copy_hostile(tmp_path)
    for i in range(convert.POOL_THRESHOLD + 6):
        put(content, f"2025/03/bai-{i:03d}.md", article_text(body=f"Bài số {i}.\n", title=f'"Bài số {i}"',
                                                               slug=f"bai-so-{i}"))
    killer = tmp_path / "killer"
    killer.mkdir()
    (killer / "sitecustomize.py").write_text(
        "import os, signal, sys\n"
        "if 'cchc.convert' in getattr(sys, 'orig_argv', []):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n", encoding="utf-8")
    result, before, after = build_over_previous(
        tmp_path, content, extra_env={"CCHC_WORKERS": "2", "PYTHONPATH": str(killer)})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert re.search(r"content/news/2025/03/bai-\d{3}\.md: lỗi: tiến trình chuyển bài sang HTML bị dừng đột ngột "
                     r"\(tín hiệu SIGKILL", output), output
    assert after == before


def test_the_preview_does_not_hang_on_a_slow_body(tmp_path):
    """`mkdocs serve`: a slow body gets a message in the terminal and a notice on its page, the
    server keeps answering, and the fixed article shows up."""
    from test_preview import _free_port, _wait_for

    content = copy_hostile(tmp_path)
    article = put(content, NAME, article_text(body="Nội dung ban đầu.\n", title='"Bài xem thử"', slug="bai-xem-thu"))
    cfg = write_config(tmp_path, content, extra={"conversion_time_limit": 0.05})
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w+", encoding="utf-8") as log:
        process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
                                   stdout=log, stderr=subprocess.STDOUT, env=env(), cwd=tmp_path)
        base = f"http://127.0.0.1:{port}/cchc/"
        try:
            page = base + "tin-tuc/2025/03/bai-xem-thu/"
            _wait_for(page, lambda body: "Nội dung ban đầu." in body, timeout=90)
            slow = "Chữ " + "[" * 2200 + "\n"  # undetected by the check at this size, over 0,05 s
            article.write_text(article_text(body=slow, title='"Bài xem thử"', slug="bai-xem-thu"), encoding="utf-8")
            deadline = time.monotonic() + 90
            while "mất quá 0,05 giây" not in log_path.read_text("utf-8") and time.monotonic() < deadline:
                time.sleep(0.25)
            assert f"content/news/{NAME}:9: lỗi: chuyển nội dung bài sang HTML mất quá 0,05 giây" in log_path.read_text("utf-8")
            notice = _wait_for(page, lambda body: "Bài này chưa hiển thị được" in body, timeout=30)
            assert "mất quá 0,05 giây" in notice  # the preview answers, and says why on the page
            article.write_text(article_text(body="Nội dung đã sửa.\n", title='"Bài xem thử"', slug="bai-xem-thu"),
                               encoding="utf-8")
            _wait_for(page, lambda body: "Nội dung đã sửa." in body, timeout=90)
            assert process.poll() is None
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    assert "Traceback" not in log_path.read_text("utf-8")


# --- 3. nothing silently left out: what cannot be read is an error naming it -------------------------
def _without_root_powers() -> list[str]:
    """A command prefix under which permissions apply (root reads everything otherwise)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a folder unreadable")
    return ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def test_an_unreadable_month_folder_is_an_error_in_check_and_build(tmp_path):
    prefix = _without_root_powers()
    content = copy_hostile(tmp_path)
    put(content, "2025/04/bai-thang-tu.md", article_text(title='"Bài tháng tư"', slug="bai-thang-tu",
                                                          date="2025-04-02 08:00"))
    locked = content / "news/2025/04"
    locked.chmod(0)
    try:
        check = subprocess.run([*prefix, str(BIN / "cchc"), "--content", str(content), "check"], capture_output=True,
                               text=True, env=env(), cwd=tmp_path, timeout=300)
        cfg = write_config(tmp_path, content)
        build = subprocess.run([*prefix, str(BIN / "cchc"), "build", "-f", str(cfg)], capture_output=True, text=True,
                               env=env(), cwd=tmp_path, timeout=300)
    finally:
        locked.chmod(0o755)
    message = "content/news/2025/04: lỗi: không đọc được thư mục (không có quyền truy cập): các tệp bên trong sẽ bị bỏ qua"
    for result in (check, build):
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in output
        assert message in output, output
        assert "chmod -R a+rX" in output
    assert not (tmp_path / "site").exists()


def test_broken_links_pipes_and_misplaced_files_are_reported(tmp_path):
    content = copy_hostile(tmp_path)
    news = content / "news/2025/03"
    (news / "mat-lien-ket.md").symlink_to(tmp_path / "khong-co.md")
    (news / "images/mat-anh.jpg").symlink_to(news / "images/khong-co.jpg")
    (content / "news/2025/05").symlink_to(news)  # a folder reached by a link is never read
    os.mkfifo(news / "ong-dan.md")  # reading it would block the build forever
    (content / "bai-de-nham-cho.md").write_text(article_text(), encoding="utf-8")
    (content / "plans/2026.yaml").write_text("year: 2026\n", encoding="utf-8")
    found = {e.path: e.message for e in load_content(content).diagnostics.items}
    assert found["content/news/2025/03/mat-lien-ket.md"].startswith("liên kết symlink hỏng")
    assert found["content/news/2025/03/images/mat-anh.jpg"].startswith("liên kết symlink hỏng")
    assert found["content/news/2025/05"] == "thư mục là liên kết (symlink): các tệp bên trong không được đọc"
    assert found["content/news/2025/03/ong-dan.md"].startswith("đây không phải tệp thường")
    assert found["content/bai-de-nham-cho.md"].startswith("“bai-de-nham-cho.md” nằm ngoài content/news/")
    assert found["content/plans/2026.yaml"] == "tệp kế hoạch “2026.yaml” phải có đuôi .yml (chữ thường) nên chưa được đọc"


def test_a_file_where_the_news_folder_should_be_is_an_error(tmp_path):
    content = copy_hostile(tmp_path)
    shutil.rmtree(content / "news")
    (content / "news").write_text("nhầm", encoding="utf-8")
    errors = {e.path: e.message for e in load_content(content).diagnostics.errors}
    assert errors["content/news"] == "“news” phải là thư mục, nhưng đây là một tệp: mọi bài viết bị bỏ qua"


# --- 4. limits that protect the output -----------------------------------------------------------
def test_per_article_limits_are_errors_on_their_line(tmp_path):
    content = make_content(tmp_path)
    plan_categories = "[thu-tuc-hanh-chinh, chinh-quyen-so, chu-truong-chinh-sach, van-ban-qppl, chi-so-cchc, " \
                      "cai-cach-cong-vu]"
    text = article_text(
        categories=plan_categories,
        tags="[" + ", ".join(f"thẻ {i}" for i in range(11)) + "]",
        summary='"' + "Tóm tắt dài. " * 60 + '"',
        author='"' + "Tác giả " * 20 + '"',
        image_alt=None,
    )
    write_article(content, NAME, text)
    found = {e.line: e.message for e in load_content(content).diagnostics.errors}
    assert found[5] == "quá nhiều chuyên mục (6, tối đa 5 mỗi bài)"
    assert found[7] == "quá nhiều thẻ (11, tối đa 10 thẻ mỗi bài): mỗi thẻ tạo thêm trang riêng"
    assert found[8] == "“summary” quá dài (779 ký tự, tối đa 600)"
    assert found[9] == "“author” quá dài (159 ký tự, tối đa 100)"


def test_a_long_tag_and_thirty_thousand_unknown_categories(tmp_path):
    content = make_content(tmp_path)
    write_article(content, NAME, article_text(tags='["' + "thẻ rất dài " * 10 + '"]'))
    write_article(content, "2025/03/nhieu.md", article_text(
        slug="nhieu", categories="[" + ", ".join(f"ma-{i}" for i in range(30_000)) + "]"))
    errors = load_content(content).diagnostics.errors
    assert [e.message for e in errors if e.path.endswith(NAME)] == [
        "thẻ “thẻ rất dài thẻ rất dài thẻ rất dài thẻ rất dài thẻ rất dài…” quá dài (119 ký tự, tối đa 60)"]
    many = [e.message for e in errors if e.path.endswith("nhieu.md")]
    assert len(many) == 21 and many[-1] == "còn 29980 mã chuyên mục khác không có trong kế hoạch (chỉ liệt kê 20 mã đầu)"


def test_the_automatic_summary_is_shortened():
    text = first_paragraph_text("Sở Giáo dục và Đào tạo tổ chức hội nghị. " * 40)
    assert len(text) <= output_limits.MAX_SUMMARY_CHARS and text.endswith(" …")


def test_distinct_tags_are_limited_relative_to_the_number_of_articles(tmp_path):
    content = make_content(tmp_path)
    for i in range(20):  # 20 articles × 10 tags of their own = 200 > 2 × 20 + 100
        write_article(content, f"2025/03/bai-{i:02d}.md", article_text(
            slug=f"bai-{i}", title=f'"Bài {i}"', tags="[" + ", ".join(f"thẻ {i}-{j}" for j in range(10)) + "]"))
    errors = load_content(content).diagnostics.errors
    assert [(e.path, e.line, e.message) for e in errors] == [
        ("content/news/2025/03/bai-00.md", 7,
         "cả trang có 200 thẻ khác nhau, quá giới hạn 140 (2 × 20 bài + 100): mỗi thẻ tạo thêm trang riêng")]
    assert "dùng lại các thẻ đã có" in errors[0].hint


def test_generated_pages_are_limited_relative_to_the_number_of_articles(tmp_path):
    """A units.yml pasted with 1,200 units would make 1,200 unit pages (and 2,400 feeds) for one
    article: the build stops and says where the pages come from."""
    content = copy_hostile(tmp_path)
    units = (content / "units.yml").read_text(encoding="utf-8")
    units += "".join(f"  - id: don-vi-{i}\n    name: \"Đơn vị {i}\"\n    group: phong\n" for i in range(1200))
    (content / "units.yml").write_text(units, encoding="utf-8")
    result, before, after = build_over_previous(tmp_path, content)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert re.search(r"content: lỗi: bản dựng sẽ tạo 1\.2\d\d trang tự động \(không kể trang bài viết\), quá giới hạn "
                     r"1\.010 \(10 × 1 bài \+ 1\.000\); nhiều nhất: trang đơn vị: 1\.20\d", output), output
    assert "kiểm tra content/units.yml" in output
    assert after == before


# --- 5. URLs normalised before any allow-list decision -------------------------------------------
@pytest.mark.parametrize("src", [
    "https://www.youtube.com/embed/../../redirect?q=https://attacker.example/",
    "https://www.youtube.com/embed/%2e%2e/%2e%2e/redirect?q=https://attacker.example/",
    "https://www.youtube.com/embed/.%2E/x",
    "https://www.youtube.com/embed%2f..%2fredirect",
    "https://www.youtube.com/embed\\..\\..\\redirect",
    "https://www.youtube.com@attacker.example/embed/x",
    "https://attacker.example\\@www.youtube.com/embed/x",
    "https://www.youtube.com%2eattacker.example/embed/x",
    "https://www.youtube.com:8443/embed/x",
    "http://www.youtube.com/embed/x",
    "//www.youtube.com/embed/x",
    "https://www.уoutube.com/embed/x",  # a Cyrillic "у": another domain (xn--…)
])
def test_iframes_that_leave_the_allowed_path_are_removed(src):
    html = clean_html(f'<p>Video</p><iframe src="{src}"></iframe>')
    assert "<iframe" not in html and "attacker" not in html


@pytest.mark.parametrize(("src", "published"), [
    ("https://WWW.YOUTUBE.COM/embed/abc", "https://www.youtube.com/embed/abc"),
    ("https://www.youtube.com./embed/abc", "https://www.youtube.com/embed/abc"),
    ("https://www.youtube.com:443/embed/abc", "https://www.youtube.com/embed/abc"),
    ("https:/\\www.youtube.com/embed/abc", "https://www.youtube.com/embed/abc"),
    (" https://www.youtube.com/embed/abc&#10;", "https://www.youtube.com/embed/abc"),
    ("https://www.youtube.com/embed/x/../abc?start=30", "https://www.youtube.com/embed/abc?start=30"),
])
def test_allowed_iframes_are_published_as_the_browser_reads_them(src, published):
    assert clean_html(f'<iframe src="{src}"></iframe>') == f'<iframe src="{published.replace("&", "&amp;")}"></iframe>'


def test_url_normalisation():
    url = urlnorm.parse("HTTPS://Bücher.Example.:443/a/./b/../%63/%2e%2E/d?x#y")
    assert url.text() == "https://xn--bcher-kva.example/a/d?x#y"
    assert urlnorm.parse("https://a.vn/%2e%2e%2fetc").encoded_separator
    assert urlnorm.parse("https://a.vn:99999/") is None
    assert urlnorm.parse("https://a.vn/\x01x") is None
    assert urlnorm.parse("\\\\may-chu\\chung").network_path


@pytest.mark.parametrize(("target", "message"), [
    ("C:\\Users\\vanphong\\ke-hoach.pdf", "là đường dẫn trên máy tính hoặc mạng nội bộ"),
    ("\\\\may-chu\\tai-lieu\\ke-hoach.pdf", "là đường dẫn trên máy tính hoặc mạng nội bộ"),
    ("file:///C:/ke-hoach.pdf", "là đường dẫn trên máy tính hoặc mạng nội bộ"),
    ("javascript:alert(document.cookie)", "liên kết dùng “javascript:” không được phép"),
    ("data:text/html,hi", "liên kết dùng “data:” không được phép"),
    ("https://sgddt.bentre.gov.vn@attacker.example/", "trình duyệt sẽ mở trang attacker.example"),
])
def test_links_that_cannot_work_or_deceive_are_errors(tmp_path, target, message):
    content = make_content(tmp_path)
    write_article(content, NAME, article_text(body=f"Xem [tài liệu]({target}).\n"))
    errors = load_content(content).diagnostics.errors
    assert [(e.line, message in e.message) for e in errors] == [(BODY_LINE, True)], errors


def test_the_built_page_has_no_iframe_outside_the_allowed_path(tmp_path):
    content = copy_hostile(tmp_path)
    put(content, NAME, article_text(body='Video:\n\n<iframe src="https://www.youtube.com/embed/../../redirect?'
                                         'q=https://attacker.example/"></iframe>\n\n<iframe src="https://www.youtube.com/'
                                         'embed/%2e%2e/watch"></iframe>\n'))
    result, _before, _after = build_over_previous(tmp_path, content)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site/tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/index.html").read_text("utf-8")
    assert "attacker.example" not in page and "<iframe" not in page and "/watch" not in page


# --- 6. code is never checked as content ---------------------------------------------------------
CODE_EXAMPLES = [
    "Ví dụ cách chèn ảnh:\n\n    ![Mô tả](images/khong-co.png)\n    [Tên bài](../04/khong-co.md)\n    <img src=\"x.png\">\n",
    "- Mục danh sách\n\n        ![](images/khong-co.png)\n",
    "```\n![](images/khong-co.png)\n```\n",
    "Viết `![](images/khong-co.png)` là sai.\n",
    "<pre>\n![](images/khong-co.png)\n[x](../04/khong-co.md)\n</pre>\n",
    "<div>\n<p>Mã: <code>![](images/khong-co.png)</code></p>\n</div>\n",
]


@pytest.mark.parametrize("body", CODE_EXAMPLES, ids=["indented", "indented-in-list", "fenced", "inline", "pre",
                                                     "code-in-raw-block"])
def test_examples_in_code_are_not_checked(tmp_path, body):
    content = make_content(tmp_path)
    write_article(content, NAME, article_text(body=body))
    loaded = load_content(content)
    assert loaded.diagnostics.errors == [], loaded.diagnostics.format()
    assert loaded.diagnostics.warnings == []


def test_code_in_a_paragraph_of_text_is_markdown_and_is_checked(tmp_path):
    """Python-Markdown converts Markdown inside <code> in a paragraph: the page would show a
    broken image, so it is reported."""
    content = make_content(tmp_path)
    write_article(content, NAME, article_text(body="Chữ <code>![Ảnh](images/khong-co.png)</code> chữ.\n"))
    assert [e.message[:24] for e in load_content(content).diagnostics.errors] == ["không tìm thấy tệp ảnh “"]


def test_mask_code_keeps_offsets_and_html_tags_in_pre():
    body = "a\n\n    ![x](y)\n\n<pre><img src=\"p.png\"> ![x](y)</pre>\n"
    masked = mask_code(body)
    assert len(masked) == len(body) and masked.count("\n") == body.count("\n")
    assert "![x](y)" not in masked and '<img src="p.png">' in masked


def test_html_in_indented_code_is_not_reported_as_removed():
    assert markdown_warnings("Ví dụ:\n\n    <script>alert(1)</script>\n") == []
    assert markdown_warnings("Thật:\n\n<script>alert(1)</script>\n") != []


def test_citations_in_code_are_not_linked():
    from cchc.legal import Detector, DocType

    detector = Detector([DocType("Nghị định", "NĐ")])
    body = ("Mẫu:\n\n    Nghị định số 01/2024/NĐ-CP\n\n<pre>Nghị định số 02/2024/NĐ-CP</pre>\n\n"
            "`Nghị định số 03/2024/NĐ-CP`\n\nThật: Nghị định số 04/2024/NĐ-CP.\n")
    assert [r.number for r in detector.find_in_markdown(body)] == ["04/2024/NĐ-CP"]


# --- 8. capped output ----------------------------------------------------------------------------
def test_check_output_is_capped_per_file_and_in_total(tmp_path):
    content = make_content(tmp_path)
    # one article with 42 errors (20 lines with a control character and "more…", 20 missing images and "more…")
    body = "".join(f"Dòng\x07 {i}.\n" for i in range(25)) + "".join(f"![Ảnh](images/khong-co-{i}.png)\n" for i in range(25))
    write_article(content, NAME, article_text(body=body))
    for i in range(400):  # and 400 files that may not be published
        put(content, f"2025/04/tep-{i:03d}.txt", b"x")
    result = cchc("--content", str(content), "check", cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if ": lỗi: " in line]
    assert len(lines) == MAX_SHOWN_TOTAL
    assert sum(1 for line in lines if line.startswith(f"content/news/{NAME}:")) == MAX_SHOWN_PER_FILE
    hidden = 42 - MAX_SHOWN_PER_FILE + 400 - (MAX_SHOWN_TOTAL - MAX_SHOWN_PER_FILE)
    assert (f"… còn {hidden} lỗi không hiện ở đây (mỗi tệp hiện tối đa {MAX_SHOWN_PER_FILE} mục, "
            f"tổng cộng tối đa {MAX_SHOWN_TOTAL} mục).") in result.stderr
    assert result.stderr.rstrip().endswith("Đã kiểm tra 1 bài viết, 0 tệp đính kèm, 1 kế hoạch: 442 lỗi, 0 cảnh báo.")
    assert len(result.stderr) < 200_000


# --- 9. no traceback: every failure of check, new, report, fix ends in a Vietnamese message ----------
@pytest.fixture()
def full_disk(tmp_path, request):
    """A 2 MB tmpfs holding a copy of the test content, filled up to the last byte (its article
    has no slug when the test is marked `no_slug`, for --fix to add)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mount is not permitted here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        content = make_content(disk)
        no_slug = request.node.get_closest_marker("no_slug") is not None
        write_article(content, NAME, article_text(slug=None) if no_slug else article_text())
        (disk / "mkdocs.yml").write_text((Path(__file__).resolve().parent.parent / "mkdocs.yml")
                                         .read_text(encoding="utf-8"), encoding="utf-8")
        with open(disk / "lap-day", "wb", buffering=0) as filler:
            for size in (65536, 4096, 512, 1):
                try:
                    while True:
                        filler.write(b"\0" * size)
                except OSError:
                    pass
        yield disk, content
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def _no_traceback(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Exception ignored" not in output, output
    return output


@pytest.mark.no_slug
def test_fix_on_a_full_disk_says_so_and_leaves_the_file(full_disk):
    disk, content = full_disk
    before = (content / "news" / NAME).read_bytes()
    result = cchc("--content", str(content), "check", "--fix", cwd=disk)
    output = _no_traceback(result)
    assert f"content/news/{NAME}: cảnh báo: không ghi được tệp (ổ đĩa đã đầy); tệp giữ nguyên như cũ" in output
    assert "giải phóng chỗ trống trên ổ đĩa" in output
    assert (content / "news" / NAME).read_bytes() == before
    assert not [p for p in (content / "news/2025/03").iterdir() if p.name.startswith(".")]  # no temporary file left


def test_new_on_a_full_disk_leaves_no_half_written_article(full_disk):
    disk, content = full_disk
    result = cchc("--content", str(content), "new", "Hội nghị trên ổ đầy", "--category", "thu-tuc-hanh-chinh",
                  "--unit", "van-phong", cwd=disk, extra_env={"CCHC_BUILD_DATE": "2025-05-02 08:00"})
    output = _no_traceback(result)
    assert result.returncode == 1
    assert "Lỗi: không tạo được tệp" in output and "(ổ đĩa đã đầy); chưa tạo bài nào" in output
    assert not (content / "news/2025/05").exists() or not any((content / "news/2025/05").iterdir())


def test_report_on_a_full_disk_leaves_no_half_written_file(full_disk):
    disk, content = full_disk
    target = disk / "bao-cao.docx"
    result = cchc("--content", str(content), "report", "--period", "2025-Q1", "--output", str(target), cwd=disk)
    output = _no_traceback(result)
    assert result.returncode != 0
    assert f"không ghi được báo cáo vào {target} (ổ đĩa đã đầy); chưa ghi gì" in output
    assert not target.exists()


def test_check_writing_to_a_full_disk_says_so(full_disk):
    disk, content = full_disk
    with open(disk / "lap-day", "ab"):
        pass
    shell = f"{BIN / 'cchc'} --content {content} check > {disk / 'ket-qua.txt'}"
    result = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, cwd=disk, env=env(), timeout=300)
    output = _no_traceback(result)
    assert "ổ đĩa đã đầy" in output


def test_permission_errors_are_messages(tmp_path):
    prefix = _without_root_powers()
    content = make_content(tmp_path)
    news = content / "news"
    news.chmod(0o555)
    out = tmp_path / "chi-doc"
    out.mkdir(mode=0o555)
    try:
        new = subprocess.run([*prefix, str(BIN / "cchc"), "--content", str(content), "new", "Bài mới",
                              "--category", "thu-tuc-hanh-chinh", "--unit", "van-phong"],
                             capture_output=True, text=True, env=env("2025-05-02 08:00"), cwd=tmp_path, timeout=300)
        report = subprocess.run([*prefix, str(BIN / "cchc"), "--content", str(content), "report", "--period",
                                 "2025-Q1", "--output", str(out / "bao-cao.md")],
                                capture_output=True, text=True, env=env(), cwd=tmp_path, timeout=300)
    finally:
        news.chmod(0o755)
        out.chmod(0o755)
    for result, message in ((new, "(không có quyền truy cập); chưa tạo bài nào"),
                            (report, "(không có quyền truy cập); chưa ghi gì")):
        output = _no_traceback(result)
        assert result.returncode != 0 and message in output, output
        assert "cấp quyền ghi cho tài khoản đang chạy lệnh" in output


def test_check_piped_into_head_ends_quietly(tmp_path):
    content = make_content(tmp_path)
    for i in range(300):
        put(content, f"2025/04/tep-{i:03d}.txt", b"x")
    shell = f"{BIN / 'cchc'} --content {content} check 2>&1 | head -n 1"
    result = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, cwd=tmp_path, env=env(), timeout=300)
    _no_traceback(result)
    assert result.stdout.count("\n") == 1


def test_an_unexpected_error_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    from cchc import cli

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng bất ngờ")

    monkeypatch.setattr(cli, "load_content", broken)
    status = cli.main(["--content", str(make_content(tmp_path)), "check"])
    err = capsys.readouterr().err
    assert status == 3
    assert "Lỗi: lỗi không mong đợi của chương trình (RuntimeError: hỏng bất ngờ)" in err
    assert "CCHC_DEBUG=1" in err and "Traceback" not in err


# --- 10. data files: hostile values, sizes ------------------------------------------------------------
def test_data_files_refuse_deceptive_urls_and_huge_sizes(tmp_path):
    content = make_content(tmp_path)
    (content / "documents.yml").write_text(
        "documents:\n  - number: \"01/2025/NĐ-CP\"\n    url: \"javascript:alert(1)\"\n"
        "  - number: \"02/2025/NĐ-CP\"\n    url: \"https://chinhphu.vn@attacker.example/\"\n", encoding="utf-8")
    with open(content / "units.yml", "ab") as handle:
        handle.write(b"# " + b"x" * (6 * 1024 * 1024) + b"\n")
    found = {(e.path, e.line): e.message for e in load_content(content).diagnostics.errors}
    assert found[("content/documents.yml", 3)] == "địa chỉ toàn văn “javascript:alert(1)” không hợp lệ"
    assert found[("content/documents.yml", 5)] == "địa chỉ toàn văn “https://chinhphu.vn@attacker.example/” không hợp lệ"
    assert found[("content/units.yml", 0)].startswith("tệp quá lớn (6 MB, tối đa 5 MB)")


def test_an_article_citing_too_many_documents_is_refused(tmp_path):
    """Every cited document gets a page: 60 distinct numbers in one article would add 60 pages."""
    content = make_content(tmp_path)
    shutil.copy2(SAMPLE_CONTENT / "documents.yml", content / "documents.yml")
    body = " ".join(f"Nghị định số {i}/2024/NĐ-CP." for i in range(1, 61)) + "\n"
    write_article(content, NAME, article_text(body=body))
    errors = load_content(content).diagnostics.errors
    assert [(e.line, e.message) for e in errors] == [
        (BODY_LINE, "bài nhắc tới quá nhiều văn bản (60 số hiệu khác nhau, tối đa 50): mỗi văn bản được nhắc có một trang riêng")]


# --- what a citizen sees: the labelled link, on a phone and on a desktop ---------------------------
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}],
                         ids=["phone", "desktop"])
def test_a_citizen_sees_type_and_size_of_a_document_before_tapping(tmp_path, viewport):
    from browser import chromium, screenshot, serve_directory

    content = copy_hostile(tmp_path)
    big_pdf = pdf_bytes().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * 1_300_000 + b"\n", 1)
    put(content, "2025/03/tai-lieu/ke-hoach.pdf", big_pdf)
    body = ("Sở đã ban hành [Kế hoạch số 12/KH-SGDĐT về thông tin, tuyên truyền cải cách hành chính năm 2025]"
            "(tai-lieu/ke-hoach.pdf); các đơn vị tải về và triển khai.\n")
    put(content, NAME, article_text(body=body))
    result, _before, _after = build_over_previous(tmp_path, content)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_directory(tmp_path / "site") as base, chromium() as browser:
        page = browser.new_page(viewport=viewport)
        page.goto(base + "tin-tuc/2025/03/hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh/")
        link = page.locator("article a", has_text="Kế hoạch số 12")
        assert link.inner_text().endswith("(PDF, 1,2 MB)")
        label = link.locator(".cchc-file-info")
        assert label.evaluate("e => e.getClientRects().length") == 1  # never split over two lines
        assert label.evaluate("e => getComputedStyle(e).color") == link.evaluate("e => getComputedStyle(e).color")
        link.scroll_into_view_if_needed()
        screenshot(page, f"attachment-link-{'phone' if viewport['width'] < 500 else 'desktop'}")
        response = page.request.get(link.evaluate("e => e.href"))  # what tapping it fetches
        assert response.status == 200 and response.body() == big_pdf


def test_a_helper_that_writes_much_to_stderr_is_not_taken_for_a_stuck_one(tmp_path, monkeypatch):
    """An extension that prints warnings must not fill the pipe and stop the helper."""
    chatty = tmp_path / "chatty"
    chatty.mkdir()
    (chatty / "sitecustomize.py").write_text(
        "import sys\n"
        "if 'cchc.convert' in getattr(sys, 'orig_argv', []):\n"
        "    sys.stderr.write('cảnh báo của một phần mở rộng\\n' * 40000)\n"
        "    sys.stderr.flush()\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(chatty))
    monkeypatch.setattr(convert, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(convert, "stall_seconds", lambda limit: 20.0)
    store = BodyStore(_setup(5), BuildCache(tmp_path / "cache", warn=print))
    jobs = _jobs(6, set())
    store.convert_all(jobs, workers=2)
    assert set(store.converted) == {job.url for job in jobs} and store.stats["workers"] == 2


@pytest.mark.parametrize("value", [0, -1, "năm giây", True, 601])
def test_the_time_limit_setting_is_checked(tmp_path, value):
    from cchc.settings import SettingsError, SiteSettings

    with pytest.raises(SettingsError, match="extra.cchc.conversion_time_limit phải là số giây lớn hơn 0"):
        SiteSettings.from_mapping({"conversion_time_limit": value}, base_dir=tmp_path, site_url="https://a.vn/")
    assert SiteSettings.from_mapping({}, base_dir=tmp_path, site_url="").conversion_time_limit == 5.0
    assert SiteSettings.from_mapping({"conversion_time_limit": 12}, base_dir=tmp_path,
                                     site_url="").conversion_time_limit == 12.0
