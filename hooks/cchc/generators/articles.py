"""Article pages and the files (images, attachments) that sit beside articles.

Raster images (JPEG, PNG, GIF, WebP, AVIF) are published only as the resized, metadata-free
pictures of cchc.pictures, and only those a shown article uses.  Any other file under news/ is
published if cchc.attachments accepted it (an allowed type, checked by content), unless the only
articles pointing at it are ones this build does not show (drafts, scheduled articles): a draft's photo must not be on the public site
before the draft is.  Files nothing points at are published as before (staff may link to them
from elsewhere).  In preview every article is shown, so every file is published.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from ..dates import format_vn_date
from ..outputs import AssetOutput, PageOutput
from ..pictures import SUFFIXES as PICTURE_SUFFIXES

NEWS_URL_ROOT = "tin-tuc/"

# Link targets in an article body: Markdown links and images ](target), reference definitions
# [id]: target, and HTML attributes that load or link a file.
# Generous on purpose (a target with spaces, with or without a "title"): every candidate is
# kept only if it names an existing file.
_MD_LINK = re.compile(r"""\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)?""")
_MD_LINK_SPACES = re.compile(r"""\]\(\s*([^)\n]+?)\s*(?:"[^"\n]*"|'[^'\n]*')?\s*\)""")
_MD_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_HTML_URL = re.compile(r"""\b(src|href|poster|data|srcset)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _targets(body: str) -> Iterable[str]:
    for pattern in (_MD_LINK, _MD_LINK_SPACES, _MD_REFERENCE):
        for match in pattern.finditer(body):
            yield match.group(1).strip("<>")
    for match in _HTML_URL.finditer(body):
        value = html.unescape(match.group(2).strip("\"'"))
        if match.group(1).lower() == "srcset":  # "a.jpg 1x, b.jpg 2x"
            yield from (part.split()[0] for part in value.split(",") if part.strip())
        else:
            yield value


def local_files(article, body: str, names: set[str] | None = None) -> set[Path]:
    """Files an article points at: its front-matter image and every relative link or image in
    its body (code included: a mention is enough to count), as resolved paths.  With `names`,
    only targets whose file name is one of them are looked up on disk."""
    found: set[Path] = set()
    if article.image_path is not None:
        found.add(article.image_path)
    folder = article.source.parent
    for target in _targets(body):
        target = target.split("#", 1)[0].split("?", 1)[0]
        if not target or target.startswith("/") or _SCHEME.match(target):
            continue
        for name in {target, unquote(target)}:  # a URL, or a file name written as it is
            if names is not None and name.rsplit("/", 1)[-1] not in names:
                continue
            try:
                path = (folder / name).resolve()
            except (OSError, ValueError):
                continue
            if path.is_file():
                found.add(path)
    return found


def unpublished_files(build) -> set[Path]:
    """Files pointed at only by articles this build does not show."""
    shown = {a.source for a in build.articles}
    hidden = [a for a in build.content.articles if a.source not in shown]
    withheld: set[Path] = set()
    bodies = build.content.bodies
    for article in hidden:
        withheld |= local_files(article, bodies.text(article))
    if withheld:
        names = {path.name for path in withheld}
        for article in build.articles:
            withheld -= local_files(article, bodies.text(article), names)
            if not withheld:
                break
    return withheld


def source_uri(rel_path: str) -> str:
    """Virtual source path of a staff file: news/2025/03/x.md → tin-tuc/2025/03/x.md.

    Articles keep their folder so relative links to images beside them resolve.
    """
    return NEWS_URL_ROOT + rel_path.split("/", 1)[1]


def generate(build) -> Iterable:
    index = build.index
    settings = build.settings
    for article in index.articles:
        older, newer = index.neighbours(article)
        card = build.card(article)
        tags = [{"name": t, "url": f"the/{index.tag_slug(t)}/"} for t in article.tags]
        context = {
            "article": card,
            "tags": tags,
            "author": article.author,
            "updated_text": format_vn_date(article.updated, article.updated_has_time) if article.updated else "",
            "updated_iso": article.updated.isoformat() if article.updated else "",
            "scheduled_text": format_vn_date(article.date, True) if card["scheduled"] else "",
            "related": [build.card(a) for a in index.related(article, settings.related_count)],
            "older": build.card(older) if older else None,
            "newer": build.card(newer) if newer else None,
            "owner": build.owner(article.date),  # whose news it was on the day it was published
            "breadcrumbs": [
                {"name": "Trang chủ", "url": ""},
                build.category_link(article.categories[0]) if article.categories else None,
            ],
        }
        context["breadcrumbs"] = [b for b in context["breadcrumbs"] if b]
        yield PageOutput(
            url=article.url,
            title=article.title,
            template="cchc/article.html",
            kind="article",
            description=article.summary,
            context=context,
            source=article.source,
            source_uri=source_uri(article.rel_path),
            image=card["picture"]["share"]["url"] if card["picture"] and "share" in card["picture"] else card["image"],
            noindex=article.draft or card["scheduled"],
        )
    # Raster images are never published as they are: the pictures the shown articles use are
    # published as their resized derivatives, from the build cache (cchc.picture_library).
    for site_path, file in build.picture_library().outputs():
        yield AssetOutput(path=site_path, source=file)
    news = settings.content_dir / "news"
    withheld = unpublished_files(build) if build.content.attachments else set()
    # Only the files cchc.attachments accepted (checked by content: no HTML, SVG, scripts…);
    # `cchc check` reports every other file under news/ as an error.
    for attachment in build.content.attachments:
        path = attachment.path
        if path.suffix.lower() in PICTURE_SUFFIXES:  # published as its pictures, never as it is
            continue
        if withheld and path.resolve() in withheld:
            continue
        yield AssetOutput(path=NEWS_URL_ROOT + path.relative_to(news).as_posix(), source=path)
