"""Files beside the articles (content/news/**): which may be published, checked by content.

The site publishes every file under content/news/ that is not an article, as it is, on the
department's domain.  A file that a browser runs (HTML, SVG, XML, JavaScript…) would run there
with the site's rights (stored cross-site scripting), so only these types are published, each
recognised by its content (its first bytes, or the parts of its zip), never by its name alone:

| type | suffixes | checked |
|---|---|---|
| PDF | .pdf | starts with %PDF-, ends with %%EOF, no JavaScript or launch action |
| Word, Excel, PowerPoint | .docx .xlsx .pptx | a zip whose [Content_Types].xml names that document; no macros |
| Word, Excel, PowerPoint (old) | .doc .xls .ppt | an OLE2 compound file; no macros (VBA) |
| OpenDocument | .odt .ods .odp | a zip whose `mimetype` entry names that document; no macros |
| images | .jpg .jpeg .png .gif .webp .avif | decoded header (cchc.images): right type, complete, ≤ 50 MP |
| CSV (open data) | .csv | UTF-8 text without control characters or HTML tags |

Refused, with what to do instead: anything active (HTML, SVG, XML, XSL, scripts, Flash,
programs), macro-enabled Office files (.docm …), archives (.zip .rar .7z: their contents cannot
be checked, and phones cannot open them: publish each file as PDF), audio and video (.mp3
.mp4 …: large, no captions; publish the video on the department's YouTube channel and embed
it), other images (SVG, HEIC, BMP, TIFF: save as JPEG or PNG), plain text and RTF (save as PDF).
Any file whose first 1,445 bytes (what a browser reads to guess a type) hold an HTML or script
marker is refused whatever its type: a "polyglot" is a valid image or PDF that is also a page.
Each file may be at most MAX_BYTES.

`check_files` runs on every file `cchc check` and the build find under news/ (the build publishes
only the files it accepted); `link_labels` gives what links to them show (cchc.document_links).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import images
from .diagnostics import Diagnostics, short
from .document_links import format_size

MAX_BYTES = 20 * 1024 * 1024  # 20 MB per file: a long scanned PDF fits; a video does not
SNIFF_BYTES = 1445  # what browsers read to guess a type (WHATWG MIME Sniffing)
CODE = "attachment"

ALLOWED_SHOWN = "PDF, Word, Excel, PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .ppt), OpenDocument (.odt, .ods, .odp), ảnh JPEG, PNG, GIF, WebP, AVIF và CSV"


@dataclass(frozen=True)
class Attachment:
    """A file under news/ that may be published."""

    path: Path
    kind: str  # shown to citizens: "PDF", "Word", "Excel", "PowerPoint", "OpenDocument", "JPEG", "CSV"…
    size: int
    image: images.ImageInfo | None = None

    @property
    def label(self) -> str:
        """What a link to it says: "PDF, 1,2 MB"."""
        return f"{self.kind}, {format_size(self.size)}"


class Refused(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


# --- what is refused, by suffix -------------------------------------------------------------
_ACTIVE = {
    ".html", ".htm", ".xhtml", ".shtml", ".shtm", ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
    ".js", ".mjs", ".cjs", ".css", ".json", ".jsonld", ".webmanifest", ".wasm", ".swf", ".hta", ".htc", ".php",
    ".phtml", ".php3", ".php4", ".php5", ".phar", ".asp", ".aspx", ".jsp", ".cgi", ".pl", ".py", ".rb", ".sh",
    ".bash", ".ps1", ".bat", ".cmd", ".com", ".exe", ".msi", ".dll", ".scr", ".vbs", ".vbe", ".jar", ".apk",
    ".rss", ".atom", ".kml", ".gpx", ".appcache", ".htaccess", ".lnk", ".url", ".desktop", ".eml",
}
_MACRO = {".docm": ".docx", ".dotm": ".docx", ".xlsm": ".xlsx", ".xltm": ".xlsx", ".xlsb": ".xlsx",
          ".pptm": ".pptx", ".potm": ".pptx", ".ppsm": ".pptx"}
_ARCHIVE = {".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".zst", ".cab", ".iso"}
_MEDIA = {".mp3", ".mp4", ".m4a", ".m4v", ".webm", ".ogg", ".oga", ".ogv", ".opus", ".wav", ".flac", ".aac",
          ".avi", ".mov", ".mkv", ".wmv", ".flv", ".3gp", ".mpg", ".mpeg", ".wma", ".amr"}
_OTHER_IMAGE = {".heic", ".heif", ".bmp", ".tif", ".tiff", ".ico", ".jfif", ".psd", ".raw", ".cr2", ".nef", ".dng"}
_TEXT = {".txt", ".rtf", ".log", ".ini", ".cfg", ".yml", ".yaml", ".toml"}
_OTHER_OFFICE = {".dotx": ".docx", ".xltx": ".xlsx", ".potx": ".pptx", ".ppsx": ".pptx", ".pps": ".ppt",
                 ".dot": ".doc", ".xlt": ".xls", ".pot": ".ppt", ".odg": ".pdf", ".odf": ".pdf", ".pub": ".pdf",
                 ".xps": ".pdf", ".oxps": ".pdf", ".epub": ".pdf", ".djvu": ".pdf", ".vsd": ".pdf", ".vsdx": ".pdf"}


def _refusal(suffix: str) -> tuple[str, str]:
    """(message, hint) for a file type that is never published."""
    shown = suffix or "(không có đuôi)"
    if suffix in _ACTIVE:
        if suffix in (".svg", ".svgz"):
            return ("ảnh SVG không được đăng: SVG có thể chứa mã chạy được (script) trên trang của Sở",
                    "mở ảnh rồi xuất (Export) thành PNG, dùng tệp .png thay cho .svg")
        return (f"tệp {shown} không được đăng: trình duyệt có thể chạy mã trong tệp này (HTML, SVG, XML, script, "
                "chương trình) trên trang của Sở",
                f"xóa tệp này khỏi content/news/; nội dung cần đăng thì viết vào bài (.md) hoặc lưu thành PDF. "
                f"Chỉ đăng được: {ALLOWED_SHOWN}")
    if suffix in _MACRO:
        return (f"tệp {shown} có thể chứa macro (mã chạy trong Office): không được đăng",
                f"mở tệp rồi lưu lại thành {_MACRO[suffix]} (Lưu thành → {_MACRO[suffix]}), hoặc thành PDF")
    if suffix in _ARCHIVE:
        return (f"tệp nén {shown} không được đăng: không kiểm tra được bên trong, điện thoại thường không mở được",
                "giải nén rồi đăng từng tệp (tốt nhất là PDF), mỗi tệp một liên kết trong bài")
    if suffix in _MEDIA:
        return (f"tệp âm thanh/video {shown} không được đăng kèm bài (tệp lớn, làm đầy máy chủ, không có phụ đề)",
                "đăng video lên kênh YouTube của Sở rồi nhúng vào bài bằng <iframe> (xem Hướng dẫn biên tập)")
    if suffix in _OTHER_IMAGE:
        what = "ảnh HEIC của iPhone" if suffix in (".heic", ".heif") else f"ảnh {shown}"
        return (f"{what} không hiện được trên mọi trình duyệt",
                "mở ảnh rồi lưu lại thành JPEG (.jpg) hoặc PNG (.png); trên iPhone: Cài đặt → Camera → Định dạng → "
                "Tương thích nhất")
    if suffix in _TEXT:
        return (f"tệp văn bản {shown} không được đăng kèm bài",
                "đưa nội dung vào bài viết, hoặc lưu thành PDF rồi đính kèm")
    if suffix in _OTHER_OFFICE:
        return (f"tệp {shown} không thuộc các loại được đăng",
                f"lưu lại thành {_OTHER_OFFICE[suffix]} (hoặc PDF). Chỉ đăng được: {ALLOWED_SHOWN}")
    return (f"tệp {shown} không thuộc các loại được đăng",
            f"chỉ đăng được: {ALLOWED_SHOWN}; lưu tệp thành PDF, hoặc xóa nó khỏi content/news/")


# --- checks by content ------------------------------------------------------------------------
_ACTIVE_MARKERS = re.compile(rb"<(?:script|html|!doctype\s+html|svg|iframe|body|object|embed|\?php|meta\s+http-equiv)"
                             rb"|javascript:", re.I)


def _pdf_name(name: str) -> bytes:
    """A regular expression for a PDF name, also written with #xx escapes (/J#61vaScript)."""
    return b"/" + b"".join(b"(?:" + re.escape(c.encode()) + b"|#" + f"{ord(c):02x}".encode() + b")" for c in name)


_PDF_ACTIVE = re.compile(b"|".join(_pdf_name(n) for n in ("JavaScript", "Launch")) + rb"(?![A-Za-z0-9#])", re.I)


def _check_pdf(path: Path, head: bytes, size: int) -> None:
    if b"%PDF-" not in head[:1024]:
        raise Refused(_mismatch(path, head, "PDF"), "mở tệp gốc rồi lưu lại (hoặc in) thành PDF")
    data = path.read_bytes()
    if b"%%EOF" not in data[-2048:]:
        raise Refused("tệp PDF không trọn vẹn (bị cắt cụt, thiếu phần cuối)",
                      "chép lại tệp gốc (có thể lần chép trước bị gián đoạn), hoặc xuất lại PDF")
    if _PDF_ACTIVE.search(data):
        raise Refused("tệp PDF có mã JavaScript hoặc lệnh mở chương trình: không được đăng",
                      "in tệp ra PDF mới (Microsoft Print to PDF) hoặc xuất lại từ Word, rồi đăng bản mới")


_OOXML = {
    ".docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    ".xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    ".pptx": ("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}
_ODF = {
    ".odt": ("OpenDocument", "application/vnd.oasis.opendocument.text"),
    ".ods": ("OpenDocument", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": ("OpenDocument", "application/vnd.oasis.opendocument.presentation"),
}
_OLE2 = {".doc": "Word", ".xls": "Excel", ".ppt": "PowerPoint"}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")
_MAX_ZIP_ENTRIES = 20_000
_MAX_MANIFEST = 1024 * 1024


def _open_zip(path: Path, head: bytes, what: str) -> zipfile.ZipFile:
    if not head.startswith(b"PK\x03\x04"):
        raise Refused(_mismatch(path, head, what), f"mở tệp bằng {what} rồi lưu lại đúng định dạng")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused(f"tệp {what} bị hỏng hoặc không trọn vẹn", "chép lại tệp gốc, hoặc mở tệp rồi lưu lại") from None
    if len(archive.infolist()) > _MAX_ZIP_ENTRIES:
        archive.close()
        raise Refused(f"tệp {what} có quá nhiều phần bên trong (hơn {_MAX_ZIP_ENTRIES})", "lưu lại thành PDF")
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise Refused(f"tệp không phải {what} (thiếu phần {name} bên trong)", "mở tệp rồi lưu lại đúng định dạng") from None
    if info.file_size > _MAX_MANIFEST:
        raise Refused(f"tệp {what} có phần {name} lớn bất thường", "mở tệp rồi lưu lại thành tệp mới")
    try:
        with archive.open(info) as member:
            return member.read(_MAX_MANIFEST + 1)[:_MAX_MANIFEST]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise Refused(f"tệp {what} bị hỏng hoặc không trọn vẹn", "chép lại tệp gốc, hoặc mở tệp rồi lưu lại") from None


def _check_ooxml(path: Path, head: bytes, suffix: str) -> str:
    kind, main = _OOXML[suffix]
    with _open_zip(path, head, kind) as archive:
        types = _read_member(archive, "[Content_Types].xml", kind).decode("utf-8", "replace")
        names = [n.lower() for n in archive.namelist()]
    if "macroenabled" in types.lower() or any(n.endswith("vbaproject.bin") for n in names):
        raise Refused(f"tệp {kind} có macro (mã chạy trong Office): không được đăng",
                      f"mở tệp rồi lưu lại thành {suffix} không có macro (hoặc thành PDF)")
    if main not in types:
        actual = next((k for s, (k, m) in _OOXML.items() if m in types), None)
        if actual is not None:
            raise Refused(f"tệp có đuôi {suffix} ({kind}) nhưng thật ra là tệp {actual}",
                          f"đổi đuôi tệp cho đúng loại ({next(s for s, (k, m) in _OOXML.items() if m in types)})")
        raise Refused(f"tệp có đuôi {suffix} nhưng không phải tài liệu {kind}", f"mở tệp bằng {kind} rồi lưu lại thành {suffix}")
    return kind


def _check_odf(path: Path, head: bytes, suffix: str) -> str:
    kind, mime = _ODF[suffix]
    with _open_zip(path, head, kind) as archive:
        first = archive.infolist()[0].filename if archive.infolist() else ""
        declared = _read_member(archive, "mimetype", kind).decode("ascii", "replace").strip()
        names = archive.namelist()
    if first != "mimetype" or declared != mime:
        raise Refused(f"tệp có đuôi {suffix} nhưng không phải tài liệu OpenDocument tương ứng ({short(declared) or 'không rõ loại'})",
                      f"mở tệp bằng LibreOffice rồi lưu lại thành {suffix}")
    if any(n.startswith(("Basic/", "Scripts/")) for n in names):
        raise Refused("tệp OpenDocument có macro (mã chạy được): không được đăng",
                      "mở tệp bằng LibreOffice, xóa macro (Công cụ → Macro) rồi lưu lại, hoặc lưu thành PDF")
    return kind


def _check_ole2(path: Path, head: bytes, suffix: str) -> str:
    kind = _OLE2[suffix]
    if not head.startswith(_OLE2_MAGIC):
        raise Refused(_mismatch(path, head, f"{kind} ({suffix})"), f"mở tệp bằng {kind} rồi lưu lại đúng định dạng")
    if _VBA_STREAM in path.read_bytes():
        raise Refused(f"tệp {kind} có macro (mã chạy trong Office): không được đăng",
                      f"mở tệp rồi lưu lại thành {suffix}x không có macro (hoặc thành PDF)")
    return kind


def _check_csv(path: Path, head: bytes) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Refused(f"tệp CSV không phải mã UTF-8 (dòng {line})",
                      "trong Excel: Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)") from None
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise Refused(f"tệp CSV có ký tự điều khiển vô hình ở dòng {line}", "xóa ký tự đó rồi lưu lại (CSV UTF-8)")
    tag = re.search(r"<\s*/?\s*[A-Za-z!?]", text)
    if tag:
        line = text.count("\n", 0, tag.start()) + 1
        raise Refused(f"tệp CSV có mã HTML (dòng {line}): không được đăng",
                      "bỏ các thẻ <…> khỏi dữ liệu, hoặc đăng dữ liệu dạng Excel (.xlsx)")
    return "CSV"


def _mismatch(path: Path, head: bytes, what: str) -> str:
    found = images.describe_content(head)
    return f"tệp có đuôi {path.suffix} nhưng không phải {what}" + (f" (nội dung là {found})" if found else "")


def inspect(path: Path) -> Attachment:
    """The attachment at `path` if it may be published; raises Refused (Vietnamese) otherwise."""
    suffix = path.suffix.lower()
    checker = _CHECKS.get(suffix)
    if checker is None:
        raise Refused(*_refusal(suffix))
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise Refused(f"không đọc được tệp ({_os_reason(exc)})", "kiểm tra quyền đọc tệp (chmod a+r)") from None
    if size == 0:
        raise Refused("tệp rỗng (0 byte)", "chép lại tệp gốc, hoặc xóa tệp rỗng này")
    if size > MAX_BYTES:
        raise Refused(f"tệp quá lớn ({format_size(size)}, tối đa {format_size(MAX_BYTES)})",
                      "nén ảnh trong tài liệu (Word: Tệp → Nén ảnh), hoặc tách thành nhiều tệp; "
                      "video thì đăng lên YouTube rồi nhúng")
    try:
        kind, info = checker(path, head, suffix, size)
    except Refused:
        raise
    except images.ImageProblem as problem:
        raise Refused(problem.message, problem.hint) from None
    except OSError as exc:
        raise Refused(f"không đọc được tệp ({_os_reason(exc)})", "kiểm tra quyền đọc tệp (chmod a+r)") from None
    # A valid file of its type that is also a page (a "polyglot"): what a browser reads to
    # guess a type must hold no HTML or script.
    marker = _ACTIVE_MARKERS.search(head)
    if marker and suffix != ".csv":
        raise Refused(f"tệp {suffix} có mã HTML/script ở phần đầu (“{short(marker.group().decode('latin-1'))}”): "
                      "trình duyệt có thể coi nó là trang web",
                      "mở tệp gốc rồi lưu lại (hoặc xuất lại) thành tệp mới; không dùng tệp tải về từ nguồn lạ")
    return Attachment(path, kind, size, info)


def _image(path: Path, head: bytes, suffix: str, size: int):
    info = images.inspect(path)
    return images.FORMATS[info.format][1], info


def _pdf(path: Path, head: bytes, suffix: str, size: int):
    _check_pdf(path, head, size)
    return "PDF", None


_CHECKS: dict[str, Callable] = {
    ".pdf": _pdf,
    **{s: (lambda p, h, s, n: (_check_ooxml(p, h, s), None)) for s in _OOXML},
    **{s: (lambda p, h, s, n: (_check_odf(p, h, s), None)) for s in _ODF},
    **{s: (lambda p, h, s, n: (_check_ole2(p, h, s), None)) for s in _OLE2},
    ".csv": lambda p, h, s, n: (_check_csv(p, h), None),
    **{s: _image for s in images.SUFFIXES},
}
SUFFIXES = frozenset(_CHECKS)


def _os_reason(exc: OSError) -> str:
    from .oserrors import describe

    return describe(exc)


def check_files(paths: list[Path], diags: Diagnostics, cache: dict | None = None) -> list[Attachment]:
    """The publishable attachments among `paths`; an error names each other file.

    `cache` (a dict kept between builds) holds each file's verdict by its stat, so unchanged
    files are not read again."""
    accepted = []
    for path in paths:
        key = None
        if cache is not None:
            try:
                stat = path.stat()
                key = (stat.st_mtime_ns, stat.st_size, stat.st_ino, _VERSION)
            except OSError:
                key = None
            hit = cache.get(("attachment", path)) if key is not None else None
            if hit is not None and hit[0] == key:
                verdict = hit[1]
            else:
                verdict = _verdict(path)
                if key is not None:
                    cache[("attachment", path)] = (key, verdict)
        else:
            verdict = _verdict(path)
        if isinstance(verdict, Attachment):
            accepted.append(verdict)
        else:
            message, hint = verdict
            diags.error(path, 0, message, hint, code=CODE)
    return accepted


_VERSION = 1  # bump when a check changes, so cached verdicts are made again


def _verdict(path: Path) -> Attachment | tuple[str, str]:
    try:
        return inspect(path)
    except Refused as refused:
        return refused.message, refused.hint


def link_labels(attachments: list[Attachment], news_dir: Path, url_root: str) -> dict[str, str]:
    """Source path of each attachment as published ("tin-tuc/2025/03/tai-lieu/a.pdf") → the label
    links to it show ("PDF, 1,2 MB")."""
    labels = {}
    for attachment in attachments:
        try:
            rel = attachment.path.relative_to(news_dir).as_posix()
        except ValueError:
            continue
        labels[url_root + rel] = attachment.label
    return labels


def build_labels(build) -> dict[str, str]:
    """link_labels of a SiteBuild's content (published under "tin-tuc/")."""
    from .generators.articles import NEWS_URL_ROOT

    return link_labels(build.content.attachments, build.settings.content_dir / "news", NEWS_URL_ROOT)
