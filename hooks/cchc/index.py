"""Groupings of the visible articles: by category, unit, tag, year and month.

Built once per build in one pass, so every listing is a lookup and the build stays linear
in the number of articles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .article import Article
from .text import slugify, sort_key, tag_key


@dataclass
class Tag:
    slug: str
    name: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class SiteIndex:
    articles: list[Article]  # newest first
    by_category: dict[str, list[Article]] = field(default_factory=lambda: defaultdict(list))
    by_unit: dict[str, list[Article]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[str, Tag] = field(default_factory=dict)  # by tag slug
    by_year: dict[int, list[Article]] = field(default_factory=lambda: defaultdict(list))
    by_month: dict[tuple[int, int], list[Article]] = field(default_factory=lambda: defaultdict(list))
    position: dict[str, int] = field(default_factory=dict)  # article url → index in articles
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tag_key → slug

    @classmethod
    def build(cls, articles: list[Article]) -> "SiteIndex":
        ordered = sorted(articles, key=lambda a: a.sort_key)
        index = cls(ordered)
        tag_by_key: dict[str, Tag] = {}
        for i, article in enumerate(ordered):
            index.position[article.url] = i
            for category in article.categories:
                index.by_category[category].append(article)
            index.by_unit[article.unit].append(article)
            index.by_year[article.year].append(article)
            index.by_month[(article.year, article.month)].append(article)
            for name in article.tags:
                key = tag_key(name)
                tag = tag_by_key.get(key)
                if tag is None:
                    slug = slugify(name) or "the"
                    base, n = slug, 2
                    while slug in index.tags:
                        slug, n = f"{base}-{n}", n + 1
                    tag = tag_by_key[key] = index.tags[slug] = Tag(slug, name)
                    index.tag_slugs[key] = slug
                tag.articles.append(article)
        return index

    def tag_slug(self, name: str) -> str | None:
        return self.tag_slugs.get(tag_key(name))

    def sorted_tags(self) -> list[Tag]:
        return sorted(self.tags.values(), key=lambda t: sort_key(t.name))

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(older, newer) article in time."""
        i = self.position[article.url]
        older = self.articles[i + 1] if i + 1 < len(self.articles) else None
        newer = self.articles[i - 1] if i > 0 else None
        return older, newer

    def related(self, article: Article, limit: int) -> list[Article]:
        """The most recent other articles sharing a category (bounded work per article)."""
        seen = {article.url}
        candidates: list[Article] = []
        for category in article.categories:
            count = 0
            for other in self.by_category[category]:
                if other.url in seen:
                    continue
                seen.add(other.url)
                candidates.append(other)
                count += 1
                if count >= limit:
                    break
        candidates.sort(key=lambda a: a.sort_key)
        return candidates[:limit]
