"""Reading one article file: bytes → text → front matter → validated Article.

Every problem becomes a Diagnostic with the file line and a Vietnamese fix, so staff who
paste from Word see exactly what to change.  Pelican calls this a "reader".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import frontmatter
import markdown

from . import images, markdown_hazards, time_limit, word_leftovers
from .alt_text import check_body_images, mask_code
from .picture_checks import body_refs
from .article import Article, ArticleFile
from .body_checks import check_links, check_nesting, check_unclosed_raw
from .datafile import suggest
from .dates import DateValueError, check_year, parse_datetime
from .diagnostics import MAX_REPORTS, Diagnostics, LineIndex, more_places, short
from .events import read_events
from .organisation import unit_date_problem
from .oserrors import advice, describe
from .output_limits import (MAX_AUTHOR_CHARS, MAX_CATEGORIES, MAX_IMAGE_ALT_CHARS, MAX_SUMMARY_CHARS, MAX_TAG_CHARS,
                            MAX_TAGS, MAX_TITLE_CHARS)
from .plan_checks import MISSING_CATEGORY
from .text import (BIDI_RE, CONTROL_RE, LINE_CONTROL_RE, char_label, is_valid_slug, legacy_encoding_lines, nfc,
                   normalize, slugify, strip_format_chars)
from .yamlio import Located, YamlProblem, load_mapping

if TYPE_CHECKING:
    from .catalog import Catalog

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_SUMMARY_SOURCE = 3000  # characters of the first paragraph made into the default summary
# A cover must be an image; an SVG one is refused at its line by cchc.picture_checks (with why).
IMAGE_EXTENSIONS = images.SUFFIXES | {".svg", ".svgz"}

KNOWN_FIELDS = (
    "title", "slug", "date", "categories", "unit", "forms", "tags", "summary", "image",
    "image_alt", "author", "updated", "draft", "pin",
    "event",  # cchc.events: the conference, training or dialogue the article reports
)
REQUIRED_FIELDS = ("title", "slug", "date", "categories", "unit")

_YAML_HANDLER = frontmatter.YAMLHandler()


def decode(raw: bytes, path: Path, diags: Diagnostics) -> str | None:
    """Bytes to NFC text, or None with a diagnostic saying which encoding Word used."""
    if len(raw) > MAX_ARTICLE_BYTES:
        _too_large(len(raw), path, diags)
        return None
    if not raw.strip():
        diags.error(path, 1, "tệp rỗng", "xóa tệp, hoặc tạo bài mới bằng lệnh: cchc new \"Tiêu đề\" --category ... --unit ...")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.error(path, 1, "tệp được lưu bằng mã UTF-16 (Unicode của Word), không phải UTF-8",
                    "mở tệp bằng trình soạn thảo văn bản và lưu lại với mã hóa UTF-8")
        return None
    if b"\x00" in raw[:8192] and not _stray_nul(raw):
        if looks_like_utf16(raw):
            diags.error(path, 1, "tệp được lưu bằng mã UTF-16 (không có dấu BOM), không phải UTF-8",
                        "mở tệp bằng trình soạn thảo văn bản (Notepad, VS Code) và lưu lại với mã hóa UTF-8")
        else:
            diags.error(path, 1, "tệp không phải văn bản (có ký tự nhị phân); có thể là tệp Word hoặc ảnh đổi tên thành .md",
                        "dán nội dung vào một tệp .md mới tạo bằng cchc new")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.error(path, line,
                    "tệp không phải mã UTF-8 (có thể được lưu bằng Windows-1258 hoặc bảng mã cũ từ Word)",
                    "mở tệp và lưu lại với mã hóa UTF-8 (trong Word: Lưu thành → Văn bản thuần → Unicode UTF-8)")
        return None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def _too_large(size: int, path: Path, diags: Diagnostics) -> None:
    diags.error(
        path, 0,
        f"tệp quá lớn ({size / 1024 / 1024:.1f} MB); một bài viết tối đa {MAX_ARTICLE_BYTES // 1024 // 1024} MB",
        "bài viết chỉ chứa văn bản; đưa ảnh, tệp đính kèm thành tệp riêng và liên kết đến chúng",
    )


def _stray_nul(raw: bytes) -> bool:
    """A few NUL characters in otherwise UTF-8 text: reported with their line as control characters."""
    if raw.count(b"\x00") > max(4, len(raw) // 1000):
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte order mark: every other byte is NUL in the text's ASCII part."""
    sample = raw[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd > 0.3 * len(odd) and zeros_even < 0.05 * len(even):
        encoding = "utf-16-le"
    elif zeros_even > 0.3 * len(even) and zeros_odd < 0.05 * len(odd):
        encoding = "utf-16-be"
    else:
        return False
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def check_legacy_fonts(text: str, path: Path, diags: Diagnostics) -> None:
    for count, (number, words) in enumerate(legacy_encoding_lines(text, limit=MAX_REPORTS + 1)):
        if count == MAX_REPORTS:
            more_places(diags, path, number, "văn bản dùng bảng mã cũ")
            break
        diags.error(path, number,
                    f"văn bản dùng bảng mã cũ (TCVN3/ABC hoặc VNI, phông .VnTime/VNI-Times): “{short(' '.join(words[:3]))}”",
                    "chuyển sang Unicode (Unikey: Công cụ chuyển mã, từ TCVN3 hoặc VNI Windows sang Unicode) rồi dán lại")


# Characters refused anywhere in the file: C0/C1 controls (not tab or line breaks) and
# bidirectional overrides; in the front matter also Unicode line/paragraph separators, which
# YAML takes for line breaks.
_RAW_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_HINT = "xóa ký tự này (thường lẫn vào khi dán từ phần mềm khác); nếu không thấy nó, gõ lại cả dòng"
_BIDI_HINT = ("xóa ký tự này: nó làm chữ hiện ra khác với nội dung thật (có thể lẫn vào khi dán, hoặc bị chèn cố ý); "
              "nếu không thấy nó, gõ lại cả dòng")


def check_invisible_chars(text: str, body_line: int, path: Path, diags: Diagnostics) -> bool:
    """Report each line with a control or bidi-override character; True if the front matter
    (the lines before `body_line`) has one, so YAML is not read."""
    in_front_matter = False
    reported = 0
    line, counted = 1, 0  # line numbers counted incrementally: linear even for 2 MB of controls
    match = _RAW_BAD.search(text)
    while match is not None:
        start = match.start()
        line += text.count("\n", counted, start)
        counted = start
        char = match.group()
        line_end = text.find("\n", start)
        next_line = len(text) if line_end < 0 else line_end
        if char in "\u2028\u2029" and line >= body_line:  # harmless in the body
            match = _RAW_BAD.search(text, start + 1)
            continue
        if reported == MAX_REPORTS:
            more_places(diags, path, line, "ký tự vô hình")
            return in_front_matter or line < body_line
        reported += 1
        in_front_matter |= line < body_line
        if BIDI_RE.match(char):
            diags.error(path, line, f"có ký tự đảo chiều chữ {char_label(char)}", _BIDI_HINT)
        elif char in "\u2028\u2029":
            diags.error(path, line, f"có ký tự ngắt dòng đặc biệt {char_label(char)} trong thông tin đầu bài",
                        "xóa ký tự này; muốn xuống dòng thì nhấn Enter")
        else:
            diags.error(path, line, f"có ký tự điều khiển vô hình {char_label(char)}", _CONTROL_HINT)
        match = _RAW_BAD.search(text, next_line)  # one message per line
    return in_front_matter


def closest_id(value: object, choices) -> str | None:
    """The valid id staff most likely meant: a near-miss ("thu-tuc-hanh-chin", "Thủ tục hành
    chính"), else the only id that starts with, or contains, what was typed ("thu-tuc")."""
    guess = suggest(str(value), choices)
    if guess:
        return guess
    key = slugify(str(value))
    if len(key) >= 3:
        for matches in ([c for c in choices if c.startswith(key)], [c for c in choices if key in c]):
            if len(matches) == 1:
                return matches[0]
    return None


_DATE_HINT = "viết dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (giờ Việt Nam), ví dụ date: 2025-03-17 08:30"
_SUMMARY_MARKDOWN = threading.local()  # one converter per thread, reset for each summary


def split_front_matter(text: str, path: Path, diags: Diagnostics) -> tuple[str, str, int, int] | None:
    """(front matter YAML, body, YAML's first file line, body's first file line), or None.

    Uses python-frontmatter's YAML boundary rule (a line of three or more dashes); the line
    numbers come from the boundary positions so messages point at the right file line.
    """
    if not _YAML_HANDLER.detect(text):
        diags.error(path, 1, "thiếu phần thông tin đầu bài (front matter) bắt đầu bằng dòng ---",
                    "thêm ở đầu tệp: ---, các dòng title:, slug:, date:, categories:, unit:, rồi một dòng ---")
        return None
    boundaries = _YAML_HANDLER.FM_BOUNDARY.finditer(text)
    opening = next(boundaries, None)
    closing = next(boundaries, None)
    if opening is None or opening.start() != 0 or closing is None:
        diags.error(path, 1, "phần thông tin đầu bài chưa được đóng: thiếu dòng --- thứ hai",
                    "thêm một dòng chỉ có --- ngay sau dòng thông tin cuối cùng (trước nội dung bài)")
        return None
    fm = text[opening.end():closing.start()]
    body = text[closing.end():]
    fm_line = text[: opening.end()].count("\n") + 1
    body_line = text[: closing.end()].count("\n") + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    return fm, body, fm_line, body_line


def first_paragraph_text(body: str) -> str:
    """The first prose paragraph as plain text: the default summary (at most MAX_SUMMARY_CHARS).

    Its Markdown is converted (emphasis, links and entities become plain text) only when it has
    none of the slow shapes (cchc.markdown_hazards, at a fiftieth of the article thresholds) and
    within half a second of CPU time; otherwise the marks are stripped without Markdown."""
    block: list[str] = []
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped:
            if block:
                break
            continue
        if not block and re.match(r"^(#|!\[|\||<|>|[-*+] |\d+\. |```|~~~|---|\*\*\*)", stripped):
            continue
        block.append(stripped)
        if sum(map(len, block)) > MAX_SUMMARY_SOURCE:
            break
    if not block:
        return ""
    paragraph = " ".join(block)
    if len(paragraph) > MAX_SUMMARY_SOURCE:  # a summary is a teaser; Markdown is slow on megabytes
        paragraph = paragraph[:MAX_SUMMARY_SOURCE].rsplit(" ", 1)[0] + " …"
    plain = None
    if not markdown_hazards.find(paragraph, paragraph, scale=0.02):
        converter = getattr(_SUMMARY_MARKDOWN, "converter", None)
        if converter is None:
            converter = _SUMMARY_MARKDOWN.converter = markdown.Markdown()
        try:
            with time_limit.cpu_time_limit(SUMMARY_SECONDS):
                rendered = converter.reset().convert(paragraph)
            plain = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
        except time_limit.TimeLimitExceeded:
            _SUMMARY_MARKDOWN.converter = None  # stopped half-way: start afresh next time
    if plain is None:
        plain = _strip_marks(paragraph)
    return shorten(plain, MAX_SUMMARY_CHARS)


SUMMARY_SECONDS = 0.5
_LINK_MARKS = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)|\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_OTHER_MARKS = re.compile(r"<[^<>\n]{0,2000}>|[*_`\[\]]+")


def _strip_marks(paragraph: str) -> str:
    """A paragraph's text without Markdown marks (links keep their text), in linear time."""
    text = _LINK_MARKS.sub(lambda m: m.group(1) or "", paragraph)
    text = _OTHER_MARKS.sub("", text)
    return " ".join(html.unescape(text).split())


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters (with " …")."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + " …"


class _Fields:
    """Validation of front matter fields, one method per field family."""

    def __init__(self, path: Path, located: Located, diags: Diagnostics, last_line: int):
        self.path = path
        self.loc = located
        self.diags = diags
        self.last_line = last_line
        self.ok = True
        self.misspelled: set[str] = set()  # fields written under a wrong, already reported name
        self.reported_lines: set[int] = set()  # lines whose invisible characters word_leftovers reported

    def error(self, key: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.ok = False
        self.diags.error(self.path, line or self.loc.line_of(key), message, hint)

    def text(self, key: str, required: bool = False, multiline: bool = False) -> str:
        value = self.loc.values.get(key)
        if value is None:
            if required:
                self.missing(key)
            return ""
        if isinstance(value, (list, dict)):
            self.error(key, f"“{key}” phải là một dòng văn bản, không phải danh sách")
            return ""
        if isinstance(value, bool):
            self.error(key, f"“{key}” phải là văn bản", f'đặt giá trị trong ngoặc kép: {key}: "..."')
            return ""
        if not isinstance(value, str):  # 1.10, 2025-03-17: the text as written, not "1.1"
            value = self.loc.raw.get(key, value)
        return self.clean(key, nfc(str(value)), multiline).strip()

    def clean(self, key: str, value: str, multiline: bool = False) -> str:
        """`value` without invisible format characters (warning); "" after an error for a
        control or bidi-override character (from a YAML escape such as "\\x1b")."""
        bad = (CONTROL_RE if multiline else LINE_CONTROL_RE).search(value)
        if bad:
            if bad.group() in "\t\n\r":
                self.error(key, f"“{key}” phải nằm trên một dòng (có ký tự xuống dòng hoặc Tab {char_label(bad.group())})",
                           f"viết {key} trên một dòng, hoặc dùng {key}: >- rồi các dòng thụt vào để gộp thành một dòng")
            elif bad.group() in "\u2028\u2029":
                self.error(key, f"“{key}” có ký tự ngắt dòng đặc biệt {char_label(bad.group())}",
                           "xóa ký tự này; muốn xuống dòng thì nhấn Enter")
            else:
                self.error(key, f"“{key}” có ký tự điều khiển vô hình {char_label(bad.group())}", _CONTROL_HINT)
            return ""
        bidi = BIDI_RE.search(value)
        if bidi:
            self.error(key, f"“{key}” có ký tự đảo chiều chữ {char_label(bidi.group())}", _BIDI_HINT)
            return ""
        cleaned, removed = strip_format_chars(value)
        if removed and self.loc.line_of(key) not in self.reported_lines:
            self.diags.warning(self.path, self.loc.line_of(key),
                               f"đã bỏ ký tự vô hình {', '.join(char_label(c) for c in removed[:3])} trong “{key}”",
                               "xóa ký tự này trong tệp (thường lẫn vào khi dán từ web hoặc Word); "
                               "trang web dùng giá trị đã bỏ ký tự")
        return cleaned

    def date(self, key: str, catalog: "Catalog") -> tuple[dt.datetime | None, bool]:
        """A date field in Vietnam time: (moment, has_time), or (None, False) after an error."""
        label = "ngày đăng (date)" if key == "date" else "ngày cập nhật (updated)"
        if key not in self.loc.values:
            if key == "date":
                self.missing(key)
            return None, False
        value = self.loc.values[key]
        if value is None:
            if key == "date":
                self.error(key, f"{label} đang trống", _DATE_HINT)
            return None, False
        raw = self.loc.raw.get(key, value)
        try:
            moment, has_time = parse_datetime(raw if isinstance(raw, str) else value)
        except DateValueError as exc:
            self.error(key, f"{label} sai: {exc}", exc.hint)
            return None, False
        problem = check_year(moment, catalog.plans)
        if problem is not None:
            self.error(key, f"{label} sai: {problem}", problem.hint)
            return None, False
        return moment, has_time

    def pin(self, date: dt.datetime | None) -> dt.datetime | None:
        """`pin: YYYY-MM-DD [HH:MM]`: the moment the article stops being first on the home page
        (a date alone: the end of that day); None when not pinned or after an error."""
        if "pin" not in self.loc.values:
            return None
        value = self.loc.values["pin"]
        example = "pin: 2025-03-31 (bài đứng đầu trang chủ đến hết ngày 31/3/2025)"
        if value is None or value is False:
            return None
        if value is True:
            self.error("pin", "“pin” cần ngày hết ghim, không phải true",
                       f"ghi ngày bài thôi đứng đầu trang chủ, ví dụ {example}; bỏ ghim thì xóa dòng này")
            return None
        raw = self.loc.raw.get("pin", value)
        try:
            moment, has_time = parse_datetime(raw if isinstance(raw, str) else value)
        except DateValueError as exc:
            self.error("pin", f"ngày hết ghim (pin) sai: {exc}", f"{exc.hint}; ví dụ {example}")
            return None
        until = moment if has_time else moment + dt.timedelta(days=1)
        if date is not None and until <= date:
            self.error("pin", "ngày hết ghim (pin) không sau ngày đăng (date): bài sẽ không bao giờ được ghim",
                       f"ghi ngày sau ngày đăng, ví dụ {example}; không muốn ghim thì xóa dòng pin")
            return None
        return until

    def missing(self, key: str) -> None:
        if key in self.misspelled:  # "categores:" already says to rename it; no second error
            self.ok = False
            return
        examples = {
            "title": 'title: "Tiêu đề bài viết"',
            "slug": "slug: tieu-de-bai-viet",
            "date": "date: 2025-03-17 08:30",
            "categories": "categories: [thu-tuc-hanh-chinh]",
            "unit": "unit: van-phong",
        }
        self.error(key, f"thiếu trường bắt buộc “{key}”",
                   f"thêm dòng `{examples.get(key, key + ': ...')}` vào phần thông tin đầu bài (trước dòng {self.last_line})",
                   line=self.last_line)

    def id_list(self, key: str, choices: dict, required: bool, what: str, plan=None,
                catalog: "Catalog | None" = None) -> tuple[str, ...]:
        value = self.loc.values.get(key)
        if value is None:
            if required:
                self.missing(key)
            return ()
        if isinstance(value, str):
            parts = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
            ids = [part if part in choices else closest_id(part, choices) or slugify(part) for part in parts]
            listed = ", ".join(dict.fromkeys(i for i in ids if i)) or "ma-" + slugify(what)
            self.error(key, f"“{key}” phải là danh sách, không phải một chuỗi",
                       f"viết dạng {key}: [{short(listed, 120)}]; nhiều mục cách nhau bằng dấu phẩy")
            return ()
        if not isinstance(value, list):
            self.error(key, f"“{key}” phải là danh sách mã {what}", f"viết dạng {key}: [ma-1, ma-2]")
            return ()
        if not value:
            if required:
                self.error(key, f"“{key}” đang trống: cần ít nhất một {what}",
                           f"chọn trong: {', '.join(choices)}")
            return ()
        result = []
        unknown = 0
        for item in value:
            item_text = nfc(str(item)).strip()
            if item_text in choices:
                if item_text not in result:
                    result.append(item_text)
                continue
            unknown += 1
            if unknown > MAX_REPORTS:
                continue  # counted, reported once below
            guess = closest_id(item_text, choices)
            hint = f"có phải ý bạn là “{guess}”? " if guess else ""
            where = f" năm {plan.year} (content/plans/{plan.path.name})" if plan is not None else ""
            code = ""
            elsewhere = [y for y in sorted(catalog.plans, reverse=True) if item_text in catalog.plans[y].categories
                         ] if catalog is not None and plan is not None and key == "categories" else []
            if elsewhere:  # the plan lacks a category other years have: maybe the plan is what to fix
                code = f"{MISSING_CATEGORY}:{plan.year}:{item_text}"
                hint = (f"chuyên mục này có trong kế hoạch năm {elsewhere[0]}: thêm nó vào content/plans/{plan.path.name} "
                        f"nếu kế hoạch năm {plan.year} có nội dung này, hoặc chọn mã khác. ")
            self.ok = False
            self.diags.error(self.path, self.loc.line_of(key), f"{what} “{short(item_text)}” không có trong kế hoạch{where}",
                             hint + f"các mã hợp lệ: {', '.join(choices)}", code=code)
        if unknown > MAX_REPORTS:
            self.error(key, f"còn {unknown - MAX_REPORTS} mã {what} khác không có trong kế hoạch "
                       f"(chỉ liệt kê {MAX_REPORTS} mã đầu)", f"mỗi bài chỉ cần vài mã {what}; xóa các mã thừa")
        return tuple(result)


def read_article(path: Path, content_root: Path, catalog: "Catalog", diags: Diagnostics) -> ArticleFile | None:
    """Read and validate one article: the article and its body; None when it has errors (all
    are in `diags`).

    Nothing here depends on the time of the build (content.check_updates does that), so the
    result can be cached while the file and the data files stay the same."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:  # not read into memory at all
            _too_large(size, path, diags)
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(path, 0, f"không đọc được tệp ({describe(exc)})", advice(exc, path))
        return None
    text = decode(raw, path, diags)
    if text is None:
        return None
    errors_before = len(diags.errors)
    check_legacy_fonts(text, path, diags)
    parts = split_front_matter(text, path, diags)
    if parts is None:
        return None
    fm_text, body, fm_line, body_line = parts
    if check_invisible_chars(text, body_line, path, diags):
        return None  # YAML would stop at the character with an English message
    # Word's curly quotes, non-breaking and zero-width characters in the front matter (before
    # YAML: a non-breaking space after "title:" makes the whole line one string).
    word_lines = word_leftovers.report(word_leftovers.front_matter(fm_text, fm_line), path, diags)
    try:
        located = load_mapping(fm_text, start_line=fm_line)
    except YamlProblem as problem:
        diags.error(path, problem.line, problem.message, problem.hint)
        return None
    fields = _Fields(path, located, diags, fm_line + fm_text.count("\n"))
    fields.reported_lines = word_lines
    for key, line in located.duplicates:
        fields.error(key, f"trường “{short(key)}” xuất hiện hai lần (lần đầu ở dòng {located.line_of(key)})",
                     "giữ một dòng, xóa dòng còn lại", line=line)
    for key in located.values:
        if key not in KNOWN_FIELDS:
            guess = suggest(key, KNOWN_FIELDS)
            if guess and guess not in located.values:
                fields.error(key, f"trường “{short(key)}” không đúng tên", f"có phải ý bạn là “{guess}”?")
                fields.misspelled.add(guess)
            else:
                diags.warning(path, located.line_of(key), f"trường “{short(key)}” không được dùng và sẽ bị bỏ qua",
                              "các trường dùng được: " + ", ".join(KNOWN_FIELDS))

    errors_before_title = len(diags.errors)
    title = fields.text("title", required=True)
    if "title" in located.values and not title and len(diags.errors) == errors_before_title:
        fields.error("title", "tiêu đề đang trống", 'viết tiêu đề trong ngoặc kép: title: "Tiêu đề bài viết"')
    elif len(title) > MAX_TITLE_CHARS:
        fields.error("title", f"tiêu đề quá dài ({len(title)} ký tự, tối đa {MAX_TITLE_CHARS})",
                     "rút gọn tiêu đề; đưa phần chi tiết vào tóm tắt (summary)")

    slug = fields.text("slug")
    if "slug" not in located.values:
        suggestion = slugify(title) if title else "tieu-de-bai-viet"
        if "slug" in fields.misspelled:
            fields.ok = False
        else:
            fields.error("slug", "thiếu đường dẫn cố định (slug)",
                         f"thêm dòng `slug: {suggestion}` ở dòng {fields.last_line} (trước dòng ---), "
                         "hoặc chạy: cchc check --fix", line=fields.last_line)
    elif not is_valid_slug(slug) or len(slug) > 100:
        fields.error("slug", f"slug “{short(slug)}” không hợp lệ: chỉ được dùng chữ thường không dấu, số và dấu gạch ngang",
                     f"ví dụ: slug: {slugify(slug) or slugify(title) or 'tieu-de-bai-viet'}")

    date, has_time = fields.date("date", catalog)

    updated, updated_has_time = None, False
    if located.values.get("updated") is not None:
        updated, updated_has_time = fields.date("updated", catalog)
        if updated and date and updated < date:
            diags.warning(path, located.line_of("updated"), "ngày cập nhật (updated) trước ngày đăng (date)",
                          "kiểm tra lại hai ngày")

    plan = None
    if date is not None:
        plan, exact, report_year = catalog.plan_for_date(date)
        if plan is not None and not exact:
            diags.warning(path, located.line_of("date"),
                          f"chưa có kế hoạch năm {report_year}: bài được kiểm tra theo kế hoạch năm {plan.year} và không được tính vào trang độ phủ",
                          f"thêm tệp content/plans/{report_year}.yml khi có kế hoạch năm {report_year}",
                          group=f"no-plan-{report_year}")
    categories_choices = plan.categories if plan else {}
    forms_choices = plan.forms if plan else {}
    categories = fields.id_list("categories", categories_choices, required=True, what="chuyên mục", plan=plan,
                                catalog=catalog) if plan else ()
    if len(categories) > MAX_CATEGORIES:
        fields.error("categories", f"quá nhiều chuyên mục ({len(categories)}, tối đa {MAX_CATEGORIES} mỗi bài)",
                     f"chọn tối đa {MAX_CATEGORIES} chuyên mục sát nhất với nội dung bài")
    forms = fields.id_list("forms", forms_choices, required=False, what="hình thức", plan=plan) if plan else ()
    events: tuple = ()
    if plan is not None and date is not None:
        events, forms = read_events(fields, plan, date, forms, "forms" in located.values, fm_text, fm_line)
    if plan and not forms and plan.default_form and "forms" not in located.values:
        forms = (plan.default_form,)

    unit = fields.text("unit")
    if "unit" not in located.values:
        fields.missing("unit")
    elif unit not in catalog.units.units:
        guess = closest_id(unit, catalog.units.units)
        hint = f"có phải ý bạn là “{guess}”? " if guess else ""
        fields.error("unit", f"đơn vị “{short(unit)}” không có trong content/units.yml",
                     hint + "các mã hợp lệ: " + ", ".join(catalog.units.units))
    elif date is not None:
        problem = unit_date_problem(catalog.units, catalog.units.units[unit], date)
        if problem is not None:
            fields.error("unit", *problem)

    tags: tuple[str, ...] = ()
    raw_tags = located.values.get("tags")
    if raw_tags is not None:
        if not isinstance(raw_tags, list):
            fields.error("tags", "“tags” phải là danh sách", 'viết dạng tags: [một cửa, "dịch vụ công"]')
        else:
            seen: dict[str, str] = {}
            for tag in raw_tags:
                if not isinstance(tag, (str, int, float)) or isinstance(tag, bool):
                    fields.error("tags", f"thẻ “{short(tag)}” không hợp lệ", "mỗi thẻ là một cụm từ ngắn, ví dụ tags: [một cửa]")
                    continue
                clean = fields.clean("tags", normalize(str(tag))).strip()
                if len(clean) > MAX_TAG_CHARS:
                    fields.error("tags", f"thẻ “{short(clean)}” quá dài ({len(clean)} ký tự, tối đa {MAX_TAG_CHARS})",
                                 "thẻ là một cụm từ ngắn (vài từ), ví dụ tags: [một cửa, dịch vụ công]")
                    continue
                if clean and clean.casefold() not in seen:
                    seen[clean.casefold()] = clean
            if len(seen) > MAX_TAGS:
                fields.error("tags", f"quá nhiều thẻ ({len(seen)}, tối đa {MAX_TAGS} thẻ mỗi bài): mỗi thẻ tạo thêm trang riêng",
                             f"giữ tối đa {MAX_TAGS} thẻ quan trọng nhất")
            tags = tuple(seen.values())

    summary = fields.text("summary", multiline=True)
    author = fields.text("author")
    image_alt = fields.text("image_alt")
    for key, value, limit, hint in (
        ("summary", summary, MAX_SUMMARY_CHARS, "tóm tắt chỉ vài câu (hiện dưới tiêu đề ở trang danh sách); đưa phần còn lại vào nội dung bài"),
        ("author", author, MAX_AUTHOR_CHARS, "ghi tên người viết hoặc đơn vị, ví dụ author: \"Phòng Tổ chức cán bộ\""),
        ("image_alt", image_alt, MAX_IMAGE_ALT_CHARS, "mô tả ảnh trong một, hai câu ngắn"),
    ):
        if len(value) > limit:
            fields.error(key, f"“{key}” quá dài ({len(value)} ký tự, tối đa {limit})", hint)
    draft_value = located.values.get("draft", False)
    if not isinstance(draft_value, bool):
        fields.error("draft", f"“draft” phải là true hoặc false, không phải “{short(draft_value)}”",
                     "viết draft: true (bản nháp) hoặc xóa dòng này")
        draft_value = False

    pin_until = fields.pin(date)

    image = fields.text("image") or None
    image_path = None
    if image:
        image_path = resolve_local_file(path, content_root, image, fields, "image")
        if image_path is not None and image_path.suffix.lower() not in IMAGE_EXTENSIONS:
            fields.error("image", f"“{short(image)}” không phải tệp ảnh", "dùng ảnh .jpg, .png, .webp hoặc .gif")
        if not image_alt and not title:  # the page uses image_alt, else the title, as the alt text
            fields.error("image", "ảnh đại diện (image) không có mô tả (alt): thiếu cả image_alt và tiêu đề",
                         'thêm dòng image_alt: "Mô tả ngắn nội dung ảnh" (và tiêu đề title:)')
    masked = mask_code(body)
    check_body_images(body, body_line, path, diags, masked)
    word_leftovers.report(word_leftovers.body(body, body_line, draft=draft_value, title=title,
                                              article_dir=path.parent, masked=masked), path, diags)
    picture_refs: tuple = ()
    if not check_nesting(masked, body_line, path, diags, body):
        check_links(masked, body_line, path, content_root, diags)
        picture_refs = body_refs(masked, body_line, path, content_root)  # checked across files (picture_checks)
    lines = LineIndex(body, body_line)
    for hazard in markdown_hazards.find(body, masked):
        diags.error(path, lines.line(hazard.offset), hazard.message, hazard.hint, code="markdown-hazard")
    check_unclosed_raw(masked, lines, path, diags)

    if len(diags.errors) > errors_before or not fields.ok:
        return None
    assert date is not None and plan is not None
    article = Article(
        source=path,
        rel_path=path.relative_to(content_root).as_posix() if path.is_relative_to(content_root) else path.name,
        title=title,
        slug=slug,
        date=date,
        has_time=has_time,
        categories=categories,
        unit=unit,
        forms=forms,
        tags=tags,
        summary=summary or first_paragraph_text(body),
        summary_given=bool(summary),
        image=image,
        image_path=image_path,
        image_alt=image_alt,
        author=author,
        updated=updated,
        updated_has_time=updated_has_time,
        draft=draft_value,
        pin_until=pin_until,
        body_line=body_line,
        body_digest=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        plan_year=plan.year,
        lines=dict(located.lines),
        events=events,
        picture_refs=picture_refs,
    )
    return ArticleFile(article, body)


def resolve_local_file(article: Path, content_root: Path, target: str, fields: _Fields, key: str) -> Path | None:
    """A file named relative to the article, refused if it leaves the content folder."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
        fields.error(key, f"“{short(target)}” phải là đường dẫn tương đối tới tệp ảnh cạnh bài viết",
                     "chép ảnh vào thư mục images/ cạnh bài viết và ghi image: images/ten-anh.jpg")
        return None
    candidate = (article.parent / target)
    root = content_root.resolve()
    try:
        resolved = candidate.resolve()
    except OSError:
        resolved = candidate
    if not resolved.is_relative_to(root):
        fields.error(key, f"“{short(target)}” trỏ ra ngoài thư mục content/ (không được phép)",
                     "chép ảnh vào thư mục images/ cạnh bài viết và ghi image: images/ten-anh.jpg")
        return None
    if not resolved.is_file():
        folder = candidate.parent
        where = folder.relative_to(content_root.parent) if folder.is_relative_to(content_root.parent) else folder
        fields.error(key, f"không tìm thấy tệp ảnh “{short(target)}” (tìm ở {short(where.as_posix(), 100)})",
                     "kiểm tra tên tệp (phân biệt chữ hoa/thường) hoặc chép ảnh vào đúng chỗ")
        return None
    return resolved
