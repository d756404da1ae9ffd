"""The home page's news (docs/index.md gives its introduction): a lead article with its picture
and summary, the next ones with thumbnails, and each category's latest headlines.

Articles pinned with `pin:` (until a date) come first, newest first among them; the rest follow
newest first.  Headlines under a category leave out what the top of the page already shows.
Only categories with an article are listed (`SiteBuild.advertised_categories`).
"""

from __future__ import annotations

from typing import Iterable

from .. import urls
from ..outputs import PageOutput

FRONT_COUNT = 5  # the lead and the next four
HEADLINES = 3  # per category


def front_articles(build) -> list:
    """Pinned articles (newest first), then the others, newest first."""
    articles = build.index.articles
    pinned = [a for a in articles if a.is_pinned(build.now)]
    keep = {id(a) for a in pinned}
    return pinned + [a for a in articles if id(a) not in keep]


def context(build) -> dict:
    index = build.index
    front = front_articles(build)[:FRONT_COUNT]
    shown = {a.url for a in front}
    cards = [{**build.card(a), "pinned": a.is_pinned(build.now)} for a in front]
    sections = []
    for category in build.advertised_categories():
        articles = index.by_category[category.id]
        headlines = [build.card(a) for a in articles if a.url not in shown][:HEADLINES]
        if headlines:
            sections.append({**build.category_link(category.id), "count": len(articles), "headlines": headlines,
                             "anchor": "cm-" + category.id})
    plan = build.current_plan
    return {
        "lead": cards[0] if cards else None,
        "next": cards[1:],
        "sections": sections,
        "total": len(index.articles),
        "plan_year": plan.year if plan else None,
        "archive_url": urls.archive(),
    }


def generate(build) -> Iterable[PageOutput]:
    yield PageOutput(url="", title=build.settings.site_name, template="cchc/home.html", kind="home",
                     context_only=True, context=context(build))
