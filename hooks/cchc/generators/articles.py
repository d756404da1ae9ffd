"""Article pages and the files (images, attachments) that sit beside articles."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..dates import format_vn_date
from ..outputs import AssetOutput, PageOutput

NEWS_URL_ROOT = "tin-tuc/"


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
            markdown=article.body,
            context=context,
            source=article.source,
            source_uri=source_uri(article.rel_path),
            image=card["image"],
            noindex=article.draft or card["scheduled"],
        )
    news = settings.content_dir / "news"
    if news.is_dir():
        for path in sorted(news.rglob("*")):
            if path.suffix == ".md" or not path.is_file() or path.is_symlink():
                continue
            rel = path.relative_to(news)
            if any(part.startswith(".") for part in rel.parts):
                continue
            yield AssetOutput(path=NEWS_URL_ROOT + rel.as_posix(), source=path)
