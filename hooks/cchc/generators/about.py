"""The about page (docs/gioi-thieu.md, written by staff): what the build adds to it.

Citizens should learn there what the section publishes, under which plan, how to follow it and
whom to contact (Nghị định 42/2022/NĐ-CP).  The staff text says what the section is; this adds
the plan in force (from content/plans/), its categories (linked only when they have an
article), the ways to follow new articles, and the contact block (extra.cchc.contact, a
template global).  The page stays a staff page: this output only gives it context.
"""

from __future__ import annotations

from typing import Iterable

from .. import urls
from ..coverage import implements_text
from ..dates import format_short_date
from ..feeds import SUBSCRIBE_URL
from ..outputs import PageOutput
from .legal import DOCUMENT_ROOT

SOURCE = "gioi-thieu.md"  # docs/gioi-thieu.md
URL = "gioi-thieu/"


def plan_context(build) -> dict | None:
    plan = build.current_plan
    if plan is None:
        return None
    index = build.index
    categories = [{**build.category_link(c.id), "section": c.section,
                   "count": len(index.by_category.get(c.id, []))}
                  for c in sorted(plan.categories.values(), key=lambda c: _section_key(c.section))]
    return {
        "year": plan.year,
        "title": plan.title,
        "number": plan.number,
        "date_text": format_short_date(plan.date) if plan.date else "",
        "issuer": plan.issuer,
        "implements": implements_text(plan),
        "url": urls.plan(plan.year),
        "categories": categories,
        "older": plan.year < build.now.year,  # no plan for this year yet: say which one applies
        "this_year": build.now.year,
    }


def _section_key(section: str) -> tuple:
    """"II.2.10" after "II.2.9": the plan's own order."""
    return tuple(int(p) if p.isdigit() else 0 for p in section.replace("II.", "2.").split(".")) if section else (99,)


def generate(build) -> Iterable[PageOutput]:
    yield PageOutput(url=URL, title="Giới thiệu", template="cchc/about.html", kind="about", source_uri=SOURCE,
                     context_only=True,
                     context={"plan": plan_context(build), "subscribe_url": SUBSCRIBE_URL,
                              "archive_url": urls.archive(), "documents_url": DOCUMENT_ROOT,
                              "total": len(build.index.articles)})
