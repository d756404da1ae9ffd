"""The page "Nhận tin qua RSS/Atom" (nhan-tin/): every feed of the site, as an ordinary page.

The visible feed links (home page, category and unit pages) open this page rather than the raw
XML: browsers are removing XSLT (Chromium shows a warning banner over styled feeds), and without
it a feed opens as raw XML. Each feed has an anchor here (`feeds.feed_anchor`), so a category
page links straight to its own addresses. The `<link rel="alternate">` tags in every page's head
still point at the feeds themselves, for feed readers.
"""

from __future__ import annotations

from typing import Iterable

from .. import feeds
from ..outputs import PageOutput

TITLE = "Nhận tin qua RSS/Atom"


def _row(build, spec: feeds.FeedSpec, name: str, count: int) -> dict:
    settings = build.settings
    return {
        "anchor": feeds.feed_anchor(spec.base),
        "name": name,
        "page_url": spec.page_url,
        "count": count,
        "rss": settings.absolute(spec.rss_path),
        "atom": settings.absolute(spec.atom_path),
    }


def page_context(build) -> dict:
    index = build.index
    specs = feeds.feed_specs(build)
    site, rest = specs[0], specs[1:]
    by_base = {spec.base: spec for spec in rest}
    categories = []
    for category in build.sorted_categories():
        spec = by_base[feeds.category_feed_base(category.id)]
        categories.append(_row(build, spec, category.name, len(index.by_category.get(category.id, []))))
    units = []
    for unit in feeds.sorted_units(build):
        spec = by_base[feeds.unit_feed_base(unit.id)]
        units.append(_row(build, spec, unit.name, len(index.by_unit.get(unit.id, []))))
    return {
        "heading": TITLE,
        "limit": build.settings.feed_limit,
        "site": _row(build, site, "Tất cả tin", len(build.articles)),
        "categories": categories,
        "units": units,
    }


def generate(build) -> Iterable[PageOutput]:
    feeds.require_site_url(build.settings)
    yield PageOutput(url=feeds.SUBSCRIBE_URL, title=TITLE, template="cchc/subscribe.html", kind="subscribe",
                     description="Địa chỉ các nguồn tin RSS/Atom của trang: tất cả tin, từng chuyên mục và "
                                 "từng đơn vị, để nhận tin mới bằng ứng dụng đọc tin.",
                     context=page_context(build))
