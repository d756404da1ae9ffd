"""Listing pages: categories, units, tags, the archive and the home page's lists.

Every listing is paginated the same way (settings.page_size) and each page carries only its
own articles, so output grows linearly with the number of articles.
"""

from __future__ import annotations

from typing import Iterable

from .. import urls
from ..organisation import lifetime_text, predecessors
from ..outputs import PageOutput, paginate
from ..text import sort_key


def pager_context(pager) -> dict:
    return {
        "number": pager.number,
        "count": pager.count,
        "previous": pager.previous_url,
        "next": pager.next_url,
        "links": pager.links(),
    }


def _listing(build, *, base: str, articles: list, title: str, kind: str, description: str,
             extra: dict | None = None) -> Iterable[PageOutput]:
    for pager, items in paginate(articles, build.settings.page_size, base):
        page_title = title if pager.number == 1 else f"{title} – Trang {pager.number}"
        context = {
            "heading": title,
            "cards": [build.card(a) for a in items],
            "total": len(articles),
            "pager": pager_context(pager),
            **(extra or {}),
        }
        yield PageOutput(url=pager.url, title=page_title, template="cchc/listing.html", kind=kind,
                         description=description, context=context)


def categories(build) -> Iterable[PageOutput]:
    index = build.index
    rows = []
    for category in build.sorted_categories():
        rows.append({**build.category_link(category.id), "section": category.section,
                     "description": category.description, "count": len(index.by_category.get(category.id, []))})
    yield PageOutput(url=urls.CATEGORY_ROOT, title="Chuyên mục", template="cchc/groups.html", kind="categories",
                     description="Các chuyên mục tin theo nội dung của Kế hoạch thông tin, tuyên truyền cải cách hành chính.",
                     context={"heading": "Chuyên mục", "groups": rows, "group_kind": "category"})
    for category in build.sorted_categories():
        plan_ref = f"Mục {category.section} của Kế hoạch" if category.section else ""
        base = urls.category(category.id)
        feeds = [
            {"type": "application/rss+xml", "title": f"RSS – {category.name}", "href": base + "rss.xml"},
            {"type": "application/atom+xml", "title": f"Atom – {category.name}", "href": base + "atom.xml"},
        ]
        for page in _listing(build, base=base, articles=index.by_category.get(category.id, []),
                             title=category.name, kind="category",
                             description=category.description or category.name,
                             extra={"intro": category.description, "plan_ref": plan_ref,
                                    "plan_text": category.plan_text, "category_id": category.id,
                                    "feeds": feeds}):
            page.feeds = feeds
            yield page


def units(build) -> Iterable[PageOutput]:
    index = build.index
    unit_list = sorted(build.content.units.units.values(), key=lambda u: sort_key(u.name))
    groups = build.content.units.groups
    rows = [{**build.unit_link(u.id), "group": groups[u.group].name if u.group in groups else "",
             "count": len(index.by_unit.get(u.id, [])), "description": _lifetime(build, u)} for u in unit_list]
    yield PageOutput(url=urls.UNIT_ROOT, title="Đơn vị", template="cchc/groups.html", kind="units",
                     description="Tin cải cách hành chính theo đơn vị đăng tin.",
                     context={"heading": "Đơn vị", "groups": rows, "group_kind": "unit"})
    for unit in unit_list:
        base = urls.unit(unit.id)
        feeds = [
            {"type": "application/rss+xml", "title": f"RSS – {unit.name}", "href": base + "rss.xml"},
            {"type": "application/atom+xml", "title": f"Atom – {unit.name}", "href": base + "atom.xml"},
        ]
        group = groups[unit.group].name if unit.group in groups else ""
        for page in _listing(build, base=base, articles=index.by_unit.get(unit.id, []), title=unit.name,
                             kind="unit", description=f"Tin cải cách hành chính của {unit.name}.",
                             extra={"intro": group, "feeds": feeds, "lifetime": lifetime_text(unit),
                                    "successors": [build.unit_link(s) for s in unit.successors],
                                    "predecessors": [build.unit_link(p.id) for p in predecessors(build.content.units, unit)]}):
            page.feeds = feeds
            yield page


def _lifetime(build, unit) -> str:
    """"Hoạt động đến 30/06/2025; đơn vị kế tiếp: …" for a unit that changed (units.yml from/until)."""
    text = lifetime_text(unit)
    if text and unit.successors:
        text += "; đơn vị kế tiếp: " + ", ".join(build.unit_link(s)["name"] for s in unit.successors)
    return text


def tags(build) -> Iterable[PageOutput]:
    index = build.index
    rows = [{"name": t.name, "url": urls.tag(t.slug), "count": len(t.articles)} for t in index.sorted_tags()]
    yield PageOutput(url=urls.TAG_ROOT, title="Thẻ", template="cchc/groups.html", kind="tags",
                     description="Các thẻ (từ khóa) của tin cải cách hành chính.",
                     context={"heading": "Thẻ", "groups": rows, "group_kind": "tag"})
    for tag in index.sorted_tags():
        yield from _listing(build, base=urls.tag(tag.slug), articles=tag.articles, title=f"Thẻ: {tag.name}",
                            kind="tag", description=f"Tin gắn thẻ “{tag.name}”.")


def archive(build) -> Iterable[PageOutput]:
    index = build.index
    years = []
    for year in sorted(index.by_year, reverse=True):
        months = [{"month": m, "name": f"Tháng {m}", "url": urls.archive(year, m),
                   "count": len(index.by_month[(year, m)])}
                  for m in sorted({a.month for a in index.by_year[year]}, reverse=True)]
        years.append({"year": year, "url": urls.archive(year), "count": len(index.by_year[year]), "months": months})
    yield PageOutput(url=urls.archive(), title="Lưu trữ", template="cchc/archive.html", kind="archive",
                     description="Lưu trữ tin cải cách hành chính theo năm và tháng.",
                     context={"heading": "Lưu trữ", "years": years})
    for entry in years:
        year = entry["year"]
        yield from _listing(build, base=urls.archive(year), articles=index.by_year[year], title=f"Lưu trữ năm {year}",
                            kind="archive-year", description=f"Tin cải cách hành chính năm {year}.",
                            extra={"months": entry["months"]})
        for month in entry["months"]:
            yield from _listing(build, base=month["url"], articles=index.by_month[(year, month["month"])],
                                title=f"Lưu trữ tháng {month['month']}/{year}", kind="archive-month",
                                description=f"Tin cải cách hành chính tháng {month['month']}/{year}.")


def generate(build) -> Iterable[PageOutput]:
    yield from categories(build)
    yield from units(build)
    yield from tags(build)
    yield from archive(build)
