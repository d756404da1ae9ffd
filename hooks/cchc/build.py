"""One build of the site: content + settings + "now" → every page and file to publish.

Like Pelican's generators, each module in `cchc.generators` turns the same `SiteBuild` into
outputs; the engine adapter (hooks/) only registers them with MkDocs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable

from . import output_limits, urls
from .article import Article
from .buildcache.keys import Digested
from .content import Content
from .dates import format_short_date, format_vn_date
from .index import SiteIndex
from .outputs import AssetOutput, PageOutput
from .organisation import department_on
from .plan import Category, Plan
from .settings import SiteSettings
from .text import sort_key


@dataclass
class SiteBuild:
    content: Content
    settings: SiteSettings
    now: dt.datetime
    outputs: list = field(default_factory=list)
    # The published pictures (cchc.picture_library.PictureLibrary), prepared by the build run
    # with the build cache; None: made on first use without a cache (tests, scripts).
    pictures: Any = None

    @property
    def preview(self) -> bool:
        return self.settings.preview

    @cached_property
    def articles(self) -> list[Article]:
        """What this build shows: published only, or everything in preview."""
        return self.content.visible(self.now, self.settings.preview)

    @cached_property
    def published(self) -> list[Article]:
        return self.content.published(self.now)

    @cached_property
    def articles_by_url(self) -> dict[str, Article]:
        return {a.url: a for a in self.articles}

    @cached_property
    def documents(self):
        """The index of cited documents (cchc.generators.legal.DocumentIndex): the document
        pages, the links from citations and the about page read the same one."""
        from .generators.legal import build_index

        return build_index(self)

    @cached_property
    def index(self) -> SiteIndex:
        return SiteIndex.build(self.articles)

    def owner(self, moment: dt.datetime | dt.date | None = None) -> str:
        """The department's full name on `moment` (default: now): content/units.yml `department:`,
        else mkdocs.yml's extra.cchc department and province (cchc.organisation)."""
        return department_on(self.content.units, self.now if moment is None else moment,
                             self.settings.department, self.settings.province)

    @cached_property
    def current_plan(self) -> Plan | None:
        plan, _ = self.content.catalog.plan_for(self.now.year)
        return plan

    @cached_property
    def categories(self) -> dict[str, Category]:
        """Every category id used by any plan, described by the newest plan that has it."""
        merged: dict[str, Category] = {}
        for year in sorted(self.content.plans):
            merged.update(self.content.plans[year].categories)
        return merged

    def sorted_categories(self) -> list[Category]:
        return sorted(self.categories.values(), key=lambda c: sort_key(c.name))

    def advertised_categories(self) -> list[Category]:
        """The categories this build links to from the home page, the category index and the
        navigation: those with at least one article shown.  A category without one still has
        its (empty) page and feeds, for subscribers, but nothing points citizens at it."""
        return [c for c in self.sorted_categories() if self.index.by_category.get(c.id)]

    # --- view models for templates -----------------------------------------------------
    def category_link(self, category_id: str) -> dict:
        category = self.categories.get(category_id)
        return {"id": category_id, "name": category.name if category else category_id,
                "url": urls.category(category_id)}

    def unit_link(self, unit_id: str) -> dict:
        unit = self.content.units.get(unit_id)
        return {"id": unit_id, "name": unit.name if unit else unit_id, "url": urls.unit(unit_id)}

    def image_url(self, article: Article) -> str:
        """Site-relative URL of the article's image as published (the picture's medium-sized
        fallback), each path segment percent-encoded: a file name is text, never markup or URL
        syntax (quotes, <, >, #, ?, spaces, Vietnamese)."""
        from urllib.parse import quote

        if article.image_path is None:
            return ""
        picture = self.picture_library().get(article.image_path)
        if picture is not None:
            return picture.url(picture.medium)
        rel = article.image_path.relative_to(self.settings.content_dir.resolve() / "news")
        return "tin-tuc/" + quote(rel.as_posix(), safe="/")

    # --- pictures (cchc.picture_library) ----------------------------------------------------
    def picture_library(self):
        """The build's pictures: the ones the build run prepared, else made now (no cache)."""
        if self.pictures is None:
            from .picture_library import PictureLibrary, picture_uses
            from .pictures import picture_settings

            library = PictureLibrary(picture_settings(self.settings), self.settings.content_dir)
            library.prepare(picture_uses(self.articles, self.settings.content_dir))
            self.pictures = library
        return self.pictures

    def picture(self, article: Article) -> dict | None:
        """What templates show of the article's front-matter image (picture_library.Picture.data)."""
        picture = self.picture_library().get(article.image_path)
        return picture.data() if picture is not None else None

    @cached_property
    def _cards(self) -> dict[str, dict]:
        return {}

    def card(self, article: Article) -> dict:
        """What a listing shows of an article (made once per build: an article is on many pages).

        Templates only read it; callers that add keys copy it first.
        """
        card = self._cards.get(article.url)
        if card is None:
            card = self._cards[article.url] = self._make_card(article)
        return card

    def _make_card(self, article: Article) -> dict:
        return Digested({  # (a page's fingerprint takes in the card's digest: cchc.buildcache.keys)
            "url": article.url,
            "title": article.title,
            "date_text": format_vn_date(article.date, article.has_time),
            "short_date": format_short_date(article.date),
            "date_iso": article.date.isoformat(),
            "summary": article.summary,
            "image": self.image_url(article),
            "picture": self.picture(article),  # sizes and formats of the image (macros.html `picture`)
            "image_alt": article.image_alt or article.title,
            "categories": [self.category_link(c) for c in article.categories],
            "unit": self.unit_link(article.unit),
            "draft": article.draft,
            "scheduled": article.is_scheduled(self.now),
        })

    def run(self) -> list[PageOutput | AssetOutput]:
        from .generators import GENERATORS

        outputs: list[PageOutput | AssetOutput] = []
        for generator in GENERATORS:
            outputs.extend(generator(self))
        output_limits.check_outputs(self.articles, outputs)  # ContentError: nothing is written
        self.outputs = outputs
        return outputs


def iter_pages(outputs: Iterable) -> Iterable[PageOutput]:
    return (o for o in outputs if isinstance(o, PageOutput))
