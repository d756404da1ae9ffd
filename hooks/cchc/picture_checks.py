"""`cchc check` (and every build) on the images articles use: broken or hostile files are
reported at the article's line that uses them, before anything is published.

An image file is checked by its header and structure (`pictures.probe`: not an image, empty,
cut short, more than `pictures.MAX_PIXELS` pixels, SVG used as a picture), once per file and
run; what was found is remembered by file stat (`picture_library.PictureMemo`) so a build of a
large site does not open every photo again.  An animated GIF gets a warning: the site publishes
its first frame (docs/huong-dan.md says why).

`body_refs` finds, when an article is read, where its body shows an image or links to an image
file (Markdown images, reference definitions, raw <img>, links): `Article.picture_refs`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from . import pictures
from .body_checks import URL_SCHEME, link_targets
from .diagnostics import MAX_REPORTS, Diagnostics, LineIndex, short
from .picture_library import PictureMemo, article_uses

MAX_REFS = 500  # image uses remembered per article (a pathological body must stay cheap)
_CHECKED_SUFFIXES = pictures.SUFFIXES | {".svg", ".svgz"}
_RASTER = tuple(pictures.SUFFIXES)


def body_refs(masked: str, body_line: int, path: Path, content_root: Path) -> tuple[tuple[str, int, str], ...]:
    """(file relative to the content folder, line, "img" or "link") of every file under news/
    that the body shows as an image, or links to when it is an image file.  `masked`: the body
    with code blanked out (alt_text.mask_code)."""
    if "](" not in masked and "]:" not in masked and "<" not in masked:
        return ()
    root = os.path.abspath(content_root)
    news = os.path.join(root, "news")
    folder = os.path.abspath(path.parent)
    lines = LineIndex(masked, body_line)
    found: list[tuple[str, int, str]] = []
    looked: dict[str, str | None] = {}
    for offset, target, is_image in link_targets(masked):
        target = target.strip()
        if not target or target.startswith(("/", "\\", "#")) or URL_SCHEME.match(target):
            continue
        file_part = target.split("#", 1)[0].split("?", 1)[0]
        if not file_part:
            continue
        if masked[offset] == "<":  # raw HTML: only <img> shows a picture (<video poster>… is a file)
            role = "img" if masked[offset:offset + 4].lower() == "<img" else "link"
        else:  # ![…](…), or a reference definition with an image's suffix
            role = "img" if is_image else "link"
        if role == "link" and not file_part.lower().endswith(_RASTER):
            continue
        resolved = looked.get(file_part, "")
        if resolved == "":
            resolved = looked[file_part] = _resolve(file_part, folder, news, root)
        if resolved is None:
            continue
        found.append((resolved, lines.line(offset), role))
        if len(found) >= MAX_REFS:
            break
    return tuple(found)


def _resolve(file_part: str, folder: str, news: str, root: str) -> str | None:
    for candidate in dict.fromkeys((file_part, unquote(file_part))):
        full = os.path.normpath(os.path.join(folder, candidate))
        if not full.startswith(news + os.sep):
            continue
        try:
            if os.path.isfile(full):
                return Path(os.path.relpath(full, root)).as_posix()
        except (OSError, ValueError):
            continue
    return None


def check_pictures(articles: Iterable, diags: Diagnostics, content_root: Path,
                   memo: PictureMemo | None = None) -> set[Path]:
    """Report, at each article line that uses it, every image that cannot be published (errors)
    and every animated image (a warning: only its first frame is published).  Returns the image
    files reported (cchc.content drops their file-level attachment errors: said once, where used)."""
    memo = memo if memo is not None else PictureMemo()
    content_root = Path(content_root)
    inside = content_root.resolve()
    reported: dict[Path, int] = {}
    refused: set[Path] = set()
    for article in articles:
        for use in article_uses(article, content_root):
            if not use.path.is_relative_to(inside):
                continue  # through a symlink out of the content: refused by the reader already
            suffix = use.path.suffix.lower()
            if use.role == "link" and suffix not in pictures.SUFFIXES:
                continue
            if use.role == "cover" and suffix not in _CHECKED_SUFFIXES:
                continue  # the reader already refused a front-matter image that is no image
            shown = _shown(use.path, content_root)
            try:
                facts = memo.facts(use.path)
            except pictures.PictureProblem as problem:
                refused.add(use.path)
                count = reported.get(use.article, 0)
                if count < MAX_REPORTS:
                    reported[use.article] = count + 1
                    diags.error(use.article, use.line, f"ảnh “{shown}”: {problem.message}", problem.hint,
                                code="picture")
                continue
            if facts.animated and use.role != "link":
                diags.warning(use.article, use.line,
                              f"ảnh động “{shown}”: trang chỉ đăng khung hình đầu (ảnh tĩnh), không có chuyển động",
                              "dùng ảnh tĩnh JPEG/PNG; nội dung cần chuyển động thì đăng video lên kênh YouTube "
                              "của Sở rồi nhúng vào bài", code="picture")
    return refused


def _shown(path: Path, content_root: Path) -> str:
    try:
        return short(Path(path).relative_to(content_root / "news").as_posix(), 80)
    except ValueError:
        return short(Path(path).name, 80)
