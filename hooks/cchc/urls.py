"""The site's URL scheme, in one place: stable, ASCII, Vietnamese words.

All functions return site-relative URLs with a trailing slash (directory URLs).
"""

from __future__ import annotations

CATEGORY_ROOT = "chuyen-muc/"
ARCHIVE_ROOT = "luu-tru/"
UNIT_ROOT = "don-vi/"
TAG_ROOT = "the/"
PLAN_ROOT = "ke-hoach/"
PAGE_SEGMENT = "trang"


def category(category_id: str) -> str:
    return f"{CATEGORY_ROOT}{category_id}/"


def unit(unit_id: str) -> str:
    return f"{UNIT_ROOT}{unit_id}/"


def tag(tag_slug: str) -> str:
    return f"{TAG_ROOT}{tag_slug}/"


def archive(year: int | None = None, month: int | None = None) -> str:
    if year is None:
        return ARCHIVE_ROOT
    if month is None:
        return f"{ARCHIVE_ROOT}{year:04d}/"
    return f"{ARCHIVE_ROOT}{year:04d}/{month:02d}/"


def plan(year: int | None = None) -> str:
    return PLAN_ROOT if year is None else f"{PLAN_ROOT}{year}/"


def paginated(base: str, number: int) -> str:
    """Page 1 is the base URL itself; page n is base/trang/n/."""
    return base if number <= 1 else f"{base}{PAGE_SEGMENT}/{number}/"


def source_uri(url: str) -> str:
    """The virtual source path a generated page is registered under (url/index.md)."""
    return f"{url}index.md" if url else "index.md"
