"""Checks of an article's Markdown body that the site build would otherwise trip over.

- nesting too deep for Python-Markdown (a list nested 300 levels passes YAML and crashes the
  build with "maximum recursion depth"), for HTML as well as Markdown;
- relative images and links that point at nothing, or out of the site: published broken;
- links to an anchor of the same page (`#muc`) that no heading of the article has (warning).
- links to another article that the public site does not show yet (a draft, or scheduled after
  the linking article appears): broken on the public site until then (warning; needs every
  article, so `draft_link_warnings` runs once over all of them, not per file).

Code (fenced blocks, `inline code`) and HTML comments are not looked at.  Every check starts
with a plain substring or regular-expression test, so an ordinary article costs a few µs.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from urllib.parse import unquote, urlsplit

from . import urlnorm
from .alt_text import mask_code
from .diagnostics import MAX_REPORTS, Diagnostics, LineIndex, more_places, short
from .text import heading_slug

if TYPE_CHECKING:
    from .article import Article

MAX_NESTING = 20  # lists and quotes inside each other; staff need 3
MAX_HTML_NESTING = 40  # HTML elements inside each other (Word-pasted HTML needs ~10)
NEWS_URL_ROOT = "tin-tuc"  # where news/ is published (cchc.generators.articles)

# --- nesting ------------------------------------------------------------------------------
# A line can be nested more than MAX_NESTING levels only if it starts with that many marker
# or indentation characters: a cheap scan finds the few candidate lines.
_DEEP_CANDIDATE = re.compile(r"\n[ \t>*+\-0-9.)]{%d,}" % (MAX_NESTING + 1))
# Attribute text stops at the next "<" (and is bounded) so that "<a <a <a…" stays linear.
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]{0,2000}?(/?)>")
# Elements that never nest (void) or that HTML closes by itself (<p>, <li>…: an unclosed one
# is not nesting).
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta source track wbr param "
    "p li dt dd td th tr tbody thead tfoot option optgroup colgroup caption rb rt rp".split()
)


def _line_depth(line: str) -> int:
    """Nesting of a line's block prefix: list markers, quote markers and indentation/4."""
    depth = columns = i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == " ":
            columns += 1
        elif ch == "\t":
            columns += 4 - columns % 4
        elif ch == ">":
            depth += 1
        elif ch in "-*+" and i + 1 < n and line[i + 1] in " \t":
            depth += 1
        elif ch.isdigit():
            j = i
            while j < n and line[j].isdigit():
                j += 1
            if j < n - 1 and line[j] in ".)" and line[j + 1] in " \t":
                depth += 1
                i = j
            else:
                break
        else:
            break
        i += 1
    return depth + columns // 4


def check_nesting(masked: str, body_line: int, path: Path, diags: Diagnostics, body: str | None = None) -> bool:
    """Report the first line nested deeper than the limits; True if one was reported.

    `masked` is the body with code blanked out (alt_text.mask_code) and `body` the body itself:
    a line's prefix is read from `body`, up to where masking changed it, so code is never
    taken for indentation."""
    body = masked if body is None else body
    for match in _DEEP_CANDIDATE.finditer("\n" + masked):
        start = match.start()  # offset in `masked` of the line (the added "\n" shifts by one)
        end = masked.find("\n", start)
        end = len(masked) if end < 0 else end
        shown, original = masked[start:end], body[start:end]
        if shown != original:
            if not shown.strip():
                continue  # a line of code (fenced block) or of an HTML comment
            cut = next(i for i, (a, b) in enumerate(zip(shown, original)) if a != b)
            original = original[:cut]
        depth = _line_depth(original)
        if depth > MAX_NESTING:
            diags.error(path, body_line + masked.count("\n", 0, start),
                        f"nội dung lồng nhau quá sâu ({depth} mức danh sách, trích dẫn “>” hoặc thụt lề; tối đa {MAX_NESTING})",
                        "bớt thụt lề hoặc bớt dấu “>”, “-” ở đầu dòng; danh sách chỉ nên lồng 2–3 mức")
            return True
    if "<" not in masked:
        return False
    depth = 0
    for match in _HTML_TAG.finditer(masked):
        name = match.group(2).lower()
        if name in _NOT_NESTING or match.group(3):
            continue
        if match.group(1):
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > MAX_HTML_NESTING:
            diags.error(path, body_line + masked.count("\n", 0, match.start()),
                        f"mã HTML lồng nhau quá sâu (hơn {MAX_HTML_NESTING} thẻ nằm trong nhau)",
                        "bỏ bớt các thẻ <div>, <span> thừa (thường do dán từ Word hoặc trang web), "
                        "hoặc dán lại dạng văn bản thuần (Ctrl+Shift+V)")
            return True
    return False


# --- raw HTML that swallows what follows ---------------------------------------------------------
# What stands between these tags is never shown: script and style are removed with their content
# (cchc.sanitize), an iframe's or template's content is not displayed.  Left open, each takes
# the rest of the article with it, silently.
_SWALLOWING = re.compile(r"<(script|style|iframe|template)\b[^<>]{0,4000}>", re.I)


def check_unclosed_raw(masked: str, lines: LineIndex, path: Path, diags: Diagnostics) -> None:
    """An error for the first <script>, <style>, <iframe> or <template> that is never closed; a
    warning for text written inside a closed <iframe> or <template> (it is not shown)."""
    if "<" not in masked:
        return
    pos = 0
    warned = 0
    while True:
        match = _SWALLOWING.search(masked, pos)
        if match is None:
            return
        name = match.group(1).lower()
        closing = re.compile(rf"</{name}\s*>", re.I).search(masked, match.end())
        if closing is None:
            diags.error(path, lines.line(match.start()),
                        f"thẻ <{name}> không được đóng: toàn bộ phần sau của bài sẽ không hiện trên trang",
                        f"thêm </{name}> ngay sau thẻ (với video nhúng: <iframe …></iframe>), hoặc xóa thẻ này")
            return
        inside = masked[match.end():closing.start()]
        if name in ("iframe", "template") and inside.strip() and warned < MAX_REPORTS:
            warned += 1
            diags.warning(path, lines.line(match.start()),
                          f"chữ nằm giữa <{name}> và </{name}> không hiện trên trang: “{short(inside.strip())}”",
                          f"đưa chữ ra ngoài, sau </{name}>")
        pos = closing.end()


# --- links, images and anchors ----------------------------------------------------------------
# Inline links and images: [text](target "title") / ![alt](target); one level of [brackets]
# inside the text, as alt_text does.
# A target stops at brackets and parentheses too: "[x](" repeated stays linear.  A name with
# "(" (rare: "anh(1).jpg") is then cut short and not checked, never wrongly refused.
_MD_LINK = re.compile(r"\[((?:[^\[\]\\\n]|\\.|\[[^\[\]\n]*\])*)\]\(\s*(<[^<>\n]*>|[^\s()\[\]<>]+)")
_MD_REFERENCE = re.compile(r"(?m)^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)")
_HTML_LINK = re.compile(r"<(img|a|source|video|audio)\b([^<>]{0,4000})>", re.I)
_HTML_URL_ATTR = re.compile(r"""(?:^|\s)(src|href|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_ATX = re.compile(r"(?m)^ {0,3}#{1,6}[ \t]+([^\n]*)")
_SETEXT = re.compile(r"(?m)^(?! {0,3}(?:[-*+>#|]|\d+[.)])[ \t])[ ]{0,3}(\S[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$")
_ATTR_ID = re.compile(r"\{:?[^{}\n]{0,200}?#([A-Za-z_][\w:.-]{0,200})[^{}\n]{0,200}\}")
_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.I)
_HEADING_ATTRS = re.compile(r"\{:?[^{}\n]{0,200}\}$")
_MD_INLINE_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif", ".bmp", ".tif", ".tiff", ".ico")


# What follows a target cut at a space when the name itself has spaces ("images/anh 1.jpg"):
# cchc.word_leftovers reports it with the right fix, so it is not taken for a missing file here.
_SPACED_REST = re.compile(r"[ \t]+[^\s\"'()][^()\"'\n]*?\.[A-Za-z0-9]{2,5}(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")


def link_targets(masked: str):
    """(offset, target, is_image) of every link and image of the body."""
    if "](" in masked:
        for match in _MD_LINK.finditer(masked):
            start = match.start()
            if masked[match.end():match.end() + 1] in (" ", "\t") and _SPACED_REST.match(masked, match.end()):
                continue
            yield start, match.group(2).strip("<>"), start > 0 and masked[start - 1] == "!"
    if "]:" in masked:
        for match in _MD_REFERENCE.finditer(masked):
            target = match.group(1).strip("<>")
            yield match.start(), target, target.lower().split("#")[0].split("?")[0].endswith(_IMAGE_SUFFIXES)
    if "<" in masked:
        for match in _HTML_LINK.finditer(masked):
            tag = match.group(1).lower()
            for attr in _HTML_URL_ATTR.finditer(match.group(2)):
                value = html.unescape(attr.group(2).strip("\"'"))
                yield match.start(), value, tag != "a"


def _heading_text(text: str) -> str:
    """An ATX heading's text without closing #s and {: attributes} (no backtracking regex)."""
    text = text.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip(" \t")
    attrs = _HEADING_ATTRS.search(text)
    return text[: attrs.start()].rstrip(" \t") if attrs else text


def heading_ids(masked: str) -> set[str]:
    """Anchors the article's page will have: heading ids as the site makes them (toc with
    cchc.text.heading_slug, "_1" for repeats), explicit {#id} and HTML id/name attributes."""
    ids: set[str] = set()
    headings = [(m.start(), m.group(1)) for m in _ATX.finditer(masked)]
    if "\n" in masked and ("==" in masked or "--" in masked):
        headings += [(m.start(), m.group(1)) for m in _SETEXT.finditer(masked)]
    repeats: dict[str, int] = {}
    for _offset, text in sorted(headings):
        explicit = _ATTR_ID.search(text)
        if explicit:
            ids.add(explicit.group(1))
            continue
        text = _MD_INLINE_LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(1), _heading_text(text))
        slug = heading_slug(text)
        unique, n = slug, repeats.get(slug, 0)
        while unique in ids:
            n += 1
            unique = f"{slug}_{n}"
        repeats[slug] = n
        ids.add(unique)
    ids.update(_ATTR_ID.findall(masked))
    if "id" in masked or "name" in masked:
        ids.update(_HTML_ID.findall(masked))
    return ids


def check_links(masked: str, body_line: int, path: Path, content_root: Path, diags: Diagnostics) -> None:
    """Relative images and links must name an existing file of the site (errors); same-page
    anchors must name a heading of the article (warnings).  Absolute URLs are not checked."""
    if "](" not in masked and "]:" not in masked and "<" not in masked:
        return
    news = content_root / "news"
    try:
        folder = path.parent.relative_to(news).as_posix()
    except ValueError:
        folder = ""
    ids: set[str] | None = None
    lines = LineIndex(masked, body_line)  # only scanned if something is reported
    errors = warnings = 0
    known: dict[tuple, tuple[str, str] | None] = {}
    judged: dict[tuple, tuple[str, str] | None] = {}
    for offset, target, is_image in link_targets(masked):
        target = target.strip()
        from_html = masked.startswith("<", offset)
        verdict = (target, is_image, from_html)
        if verdict not in judged:  # the same address repeated is judged once
            judged[verdict] = url_problem(target, is_image, from_html)
        refused = judged[verdict]
        if refused is not None:
            if errors == MAX_REPORTS:
                more_places(diags, path, lines.line(offset), "ảnh hoặc liên kết hỏng")
                return
            errors += 1
            diags.error(path, lines.line(offset), *refused)
            continue
        if not target or target.startswith(("/", "\\")) or URL_SCHEME.match(target):
            continue
        shown = short(target)
        if target.startswith("#"):
            anchor = unquote(target[1:])
            if not anchor or anchor.startswith(("fn:", "fnref:")):
                continue
            if ids is None:
                ids = heading_ids(masked)
            if anchor not in ids and warnings < MAX_REPORTS:
                warnings += 1
                known = ", ".join("#" + i for i in sorted(ids)[:8]) or "bài chưa có đề mục nào"
                diags.warning(path, lines.line(offset), f"liên kết “{shown}” không trỏ tới đề mục nào trong bài",
                              f"sửa theo đường dẫn của đề mục (## Kết quả → #ket-qua); các đề mục có: {short(known, 200)}")
            continue
        file_part = target.split("#", 1)[0].split("?", 1)[0]
        if not file_part:
            continue
        name = file_part.rstrip("/").rsplit("/", 1)[-1]
        # A folder-style or extension-less link is a page address the site resolves, not a
        # file; it is still refused when it climbs out of the site.  Images are always files.
        page_address = not is_image and (file_part.endswith("/") or "." not in name.strip("."))
        looked_up = (file_part, is_image, page_address)
        if looked_up not in known:  # the same image repeated is looked up on disk once
            known[looked_up] = _file_problem(file_part, shown, is_image, page_address, folder, content_root, news)
        problem = known[looked_up]
        if problem is None:
            continue
        if errors == MAX_REPORTS:
            more_places(diags, path, lines.line(offset), "ảnh hoặc liên kết hỏng")
            return
        errors += 1
        diags.error(path, lines.line(offset), *problem)


_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\[^\\/])")
# Schemes a link may use; any other is removed when the page is published (cchc.sanitize).
_LINK_SCHEMES = ("http", "https", "mailto", "tel")


def url_problem(target: str, is_image: bool, from_html: bool = False) -> tuple[str, str] | None:
    """(message, hint) for a link or image address that cannot work for citizens or is refused,
    read as the browser reads it (cchc.urlnorm); None when it is an ordinary address."""
    what = "ảnh" if is_image else "liên kết"
    shown = short(target)
    if _WINDOWS_PATH.match(target) or target.lower().startswith("file:"):
        return (f"{what} “{shown}” là đường dẫn trên máy tính hoặc mạng nội bộ, người đọc trên web không mở được",
                "chép tệp vào cạnh bài viết (ví dụ thư mục tai-lieu/ hoặc images/) rồi ghi đường dẫn tới nó, "
                "ví dụ [Kế hoạch](tai-lieu/ke-hoach.pdf)")
    parsed = urlnorm.parse(target)
    if parsed is None:
        return (f"địa chỉ {what} “{shown}” không hợp lệ (ký tự điều khiển, cổng hoặc tên miền sai)",
                "gõ lại địa chỉ, hoặc chép lại từ thanh địa chỉ của trình duyệt")
    if parsed.scheme and parsed.scheme not in _LINK_SCHEMES:
        if from_html:
            return None  # raw HTML: cchc.sanitize warns that the attribute is removed
        return (f"{what} dùng “{parsed.scheme}:” không được phép: trang web sẽ bỏ địa chỉ này khi đăng",
                "chỉ dùng địa chỉ http://, https://, mailto: hoặc tel:, hoặc đường dẫn tới tệp cạnh bài viết")
    if parsed.userinfo is not None and (parsed.scheme in ("http", "https") or parsed.network_path):
        return (f"địa chỉ “{shown}” có phần “…@” trước tên miền: trình duyệt sẽ mở trang {parsed.host}, "
                "không phải trang ghi ở đầu địa chỉ",
                f"ghi thẳng địa chỉ trang cần mở (https://{parsed.host}/… nếu đúng là trang đó)")
    return None


def _file_problem(file_part: str, shown: str, is_image: bool, page_address: bool, folder: str,
                  content_root: Path, news: Path) -> tuple[str, str] | None:
    """(message, hint) when a relative image or link names no file of the site, else None."""
    what = "ảnh" if is_image else "liên kết"
    looked = ""
    for candidate in dict.fromkeys((file_part, unquote(file_part))):  # a URL, or the name as written
        virtual = posixpath.normpath(posixpath.join(NEWS_URL_ROOT, folder, candidate))
        if virtual == ".." or virtual.startswith("../"):
            return (f"{what} “{shown}” trỏ ra ngoài thư mục content/ (không được phép)",
                    "chép ảnh vào thư mục images/ cạnh bài viết và ghi ![Mô tả ảnh](images/ten-anh.jpg)"
                    if is_image else "trang ngoài: ghi địa chỉ đầy đủ https://…; tệp của trang: chép vào cạnh bài viết")
        if page_address:
            return None
        if virtual.startswith(NEWS_URL_ROOT + "/"):
            rel = virtual[len(NEWS_URL_ROOT) + 1:]
            target, looked = news / rel, f"content/news/{rel}"
        else:  # a page or asset of docs/ (e.g. ../../../assets/logo.png)
            if not is_image:
                return None  # generated pages (chuyen-muc/…/index.md) have no file to check
            target, looked = content_root.parent / "docs" / virtual, f"docs/{virtual}"
        try:
            found = target.is_file()
        except (OSError, ValueError):  # a name too long for the file system, a NUL…
            found = False
        if found:
            if not target.resolve().is_relative_to(content_root.resolve().parent):
                return (f"{what} “{shown}” trỏ tới tệp nằm ngoài kho nội dung (qua liên kết symlink)",
                        "thay liên kết symlink bằng bản sao thật của tệp")
            return None
    looked = short(looked, 100)
    if is_image:
        return (f"không tìm thấy tệp ảnh “{shown}” (không có {looked})",
                "kiểm tra tên tệp (phân biệt chữ hoa/thường; đường dẫn tính từ thư mục chứa bài) "
                "hoặc chép ảnh vào đúng chỗ")
    if file_part.lower().endswith(".md"):
        return (f"liên kết tới bài “{shown}” không tồn tại (không có {looked})",
                "kiểm tra tên tệp bài viết, đường dẫn tính từ thư mục chứa bài này, ví dụ [Tên bài](../04/ten-bai.md)")
    return (f"không tìm thấy tệp “{shown}” mà liên kết trỏ tới (không có {looked})",
            "kiểm tra tên tệp (phân biệt chữ hoa/thường) hoặc chép tệp vào cạnh bài viết")


# --- links to articles the public site does not show yet ------------------------------------------
def _hidden_when(target: "Article", linker: "Article", now: dt.datetime) -> bool:
    """True if `target` is still off the public site when `linker` first appears on it."""
    if target.draft:
        return True
    return target.date > max(linker.date, now)


def _linked_article(target: str, linker: "Article", by_source: dict, by_url: dict) -> "Article | None":
    """The article (of `by_source`/`by_url`) a body link of `linker` leads to, if any.

    `x.md` links are resolved from the article's folder (the engine turns them into the page's
    address); page addresses (`../bai-khac/`, `/tin-tuc/2025/04/bai/`, a full URL) by their path."""
    file_part = target.split("#", 1)[0].split("?", 1)[0]
    if not file_part:
        return None
    if file_part.startswith("\\"):
        return None
    if URL_SCHEME.match(file_part) or file_part.startswith("/"):
        path = urlsplit(file_part).path if URL_SCHEME.match(file_part) else file_part
        cut = path.find("/" + NEWS_URL_ROOT + "/")
        if cut < 0:
            return None
        address = path[cut + 1:]
    else:
        for name in dict.fromkeys((file_part, unquote(file_part))):
            if name.lower().endswith(".md"):
                found = by_source.get(os.path.normpath(os.path.join(linker.source.parent, name)))
                if found is not None:
                    return found
        if file_part.lower().endswith(".md"):
            return None
        address = posixpath.normpath(posixpath.join(linker.url, unquote(file_part)))
    if address.endswith("/index.html"):
        address = address[: -len("index.html")]
    return by_url.get(address.rstrip("/") + "/")


def draft_link_warnings(articles: Iterable["Article"], bodies, diags: Diagnostics, now: dt.datetime) -> int:
    """Warn where an article the public site shows (or will show first) links to a draft or to an
    article scheduled later: that link is broken on the public site until the other one appears.

    A draft linking to anything is not warned about (it is not public; the warning comes once it
    is published).  Returns how many warnings were added.
    """
    articles = list(articles)
    hidden = [a for a in articles if not a.is_published(now)]
    if not hidden:
        return 0
    by_source = {os.path.normpath(a.source): a for a in hidden}
    by_url = {a.url: a for a in hidden}
    added = 0
    for linker in articles:
        if linker.draft:
            continue
        body = bodies.text(linker)
        if linker.draft or not (".md" in body or "../" in body or NEWS_URL_ROOT + "/" in body):
            continue  # a link to another article has one of these (cheap test before any parsing)
        masked = mask_code(body)
        lines = LineIndex(masked, linker.body_line)
        reported = 0
        for offset, target, is_image in link_targets(masked):
            if is_image:
                continue
            other = _linked_article(target.strip(), linker, by_source, by_url)
            if other is None or other is linker or not _hidden_when(other, linker, now):
                continue
            if reported == MAX_REPORTS:
                break
            reported += 1
            shown, title, where = short(target.strip()), short(other.title), diags._rel(other.source)
            if other.draft:
                message = (f"liên kết “{shown}” trỏ tới bài nháp “{title}” ({where}): "
                           "trên trang công khai liên kết này sẽ hỏng cho đến khi bài đó được đăng")
                hint = ("đăng bài kia trước (xóa dòng draft: true của bài đó), hoặc tạm bỏ liên kết này "
                        "cho đến khi bài kia được đăng")
            else:
                local = other.local_date
                when = local.strftime("%d/%m/%Y %H:%M" if other.has_time else "%d/%m/%Y")
                message = (f"liên kết “{shown}” trỏ tới bài hẹn giờ đăng {when} “{title}” ({where}): "
                           "trên trang công khai liên kết này sẽ hỏng cho đến lúc đó")
                hint = ("hẹn giờ bài này không sớm hơn bài kia (date:), hoặc tạm bỏ liên kết này "
                        "cho đến khi bài kia được đăng")
            diags.warning(linker.source, lines.line(offset), message, hint)
        added += reported
    return added
