"""What generators produce: pages rendered by the theme, and files copied as they are."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from . import urls

PAGER_AROUND = 2  # pages linked either side of the current one (plus the first and the last)

@dataclass
class PageOutput:
    """A page the engine renders with `template`, at `url` (site-relative, directory URL)."""

    url: str
    title: str
    template: str
    kind: str  # "article", "category", "archive", "unit", "tag", "home", "plan", …
    description: str = ""
    markdown: str = ""  # body handed to the Markdown converter (articles only, usually)
    context: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None  # staff file behind the page, for links to relative assets
    source_uri: str = ""  # virtual source path; default url/index.md
    image: str = ""  # site-relative URL of the sharing image
    feeds: list[dict[str, str]] = field(default_factory=list)  # extra <link rel=alternate>
    noindex: bool = False  # drafts in preview
    context_only: bool = False  # the page itself is a staff file in docs/; only add context

    def __post_init__(self):
        if not self.source_uri:
            self.source_uri = urls.source_uri(self.url)


@dataclass
class AssetOutput:
    """A file published at `path`: from bytes, from a file on disk, or rendered late.

    `render(bodies)` is called after every article body has been converted, with the converted
    bodies (`bodies.html(url)`: cchc.convert.BodyStore), so feeds reuse that one conversion.
    `inputs`, for a rendered file: what it shows besides the site itself, as plain data, with
    `articles` the URLs of the article pages it carries; the engine adapter keeps the rendered
    file and reuses it while none of them changes.  None: always rendered.
    """

    path: str
    content: bytes | None = None
    source: Path | None = None
    render: Callable[[Any], bytes] | None = None
    inputs: dict | None = None


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    base: str

    @property
    def url(self) -> str:
        return urls.paginated(self.base, self.number)

    @property
    def previous_url(self) -> str | None:
        return urls.paginated(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return urls.paginated(self.base, self.number + 1) if self.number < self.count else None

    def numbers(self, around: int = PAGER_AROUND) -> list[int | None]:
        """The page numbers a pager shows: first, last and `around` either side of the current
        page; None where pages are left out ("…").  A gap of a single page shows that page."""
        shown = {1, self.count, *range(self.number - around, self.number + around + 1)}
        result: list[int | None] = []
        previous = 0
        for n in sorted(n for n in shown if 1 <= n <= self.count):
            if n - previous == 2:
                result.append(n - 1)
            elif n - previous > 2:
                result.append(None)
            result.append(n)
            previous = n
        return result

    def links(self) -> list[dict[str, Any]]:
        """What the pager shows: at most 2 × PAGER_AROUND + 5 entries, however many pages."""
        return [{"gap": True} if n is None else
                {"number": n, "url": urls.paginated(self.base, n), "current": n == self.number}
                for n in self.numbers()]


def paginate(items: Sequence, size: int, base: str):
    """Yield (Pager, items of that page); an empty list still gets one page."""
    count = max(1, math.ceil(len(items) / size))
    for number in range(1, count + 1):
        yield Pager(number, count, base), items[(number - 1) * size: number * size]
