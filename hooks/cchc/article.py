"""The article model: one Markdown file under content/news/ with validated front matter.

An `Article` is what the build knows of the file, fixed once read (frozen).  Its body text is
not part of it: the content folder's `BodyTexts` hands bodies out for the few steps that need
them (conversion, checks across articles), so a build does not carry tens of MB of Markdown to
the end, and nothing has to be cleared from the articles afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .dates import to_vn


@dataclass(frozen=True)
class Article:
    source: Path  # absolute path of the Markdown file
    rel_path: str  # path relative to the content folder, POSIX
    title: str
    slug: str
    date: dt.datetime  # aware
    has_time: bool
    categories: tuple[str, ...]
    unit: str
    forms: tuple[str, ...]
    tags: tuple[str, ...] = ()
    summary: str = ""
    summary_given: bool = False
    image: str | None = None  # as written, relative to the article
    image_path: Path | None = None  # resolved file
    image_alt: str = ""
    author: str = ""
    updated: dt.datetime | None = None
    updated_has_time: bool = False
    draft: bool = False
    # `pin:`: first on the home page until this moment (exclusive; a date without a time pins
    # until the end of that day, Vietnam time); None: not pinned.
    pin_until: dt.datetime | None = None
    body_line: int = 1  # file line where the body starts
    body_digest: str = ""  # SHA-256 of the body text (conversion cache key)
    plan_year: int = 0
    lines: dict[str, int] = field(default_factory=dict, hash=False)  # front matter key → file line
    events: tuple = ()  # cchc.events.Event: conferences, training, dialogues the article reports
    # (file relative to the content folder, line, "img"/"link") of each image file the body uses
    # (cchc.picture_checks.body_refs): checked, and published as resized pictures.
    picture_refs: tuple = ()

    @property
    def local_date(self) -> dt.datetime:
        return to_vn(self.date)

    @cached_property
    def url(self) -> str:
        """Site-relative URL, stable: derived from date and slug, never from the title."""
        local = self.local_date
        return f"tin-tuc/{local.year:04d}/{local.month:02d}/{self.slug}/"

    @property
    def year(self) -> int:
        return self.local_date.year

    @property
    def month(self) -> int:
        return self.local_date.month

    def is_published(self, now: dt.datetime) -> bool:
        """Visible on the public site: not a draft and not scheduled after `now`."""
        return not self.draft and self.date <= now

    def is_pinned(self, now: dt.datetime) -> bool:
        """First on the home page at `now` (`pin:` not yet past)."""
        return self.pin_until is not None and now < self.pin_until

    def is_scheduled(self, now: dt.datetime) -> bool:
        return not self.draft and self.date > now

    def __hash__(self) -> int:  # one article per file
        return hash(self.source)

    @property
    def sort_key(self) -> tuple:
        """Newest first, then by slug so equal times give a stable order."""
        return (-self.date.timestamp(), self.slug)


@dataclass(frozen=True)
class ArticleFile:
    """What reading one article file gives: the article, and its body (Markdown after the front
    matter, NFC)."""

    article: Article
    body: str
