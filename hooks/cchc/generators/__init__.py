"""Generators: each turns a SiteBuild into pages and files.  Order is output order."""

from __future__ import annotations

from . import about, articles, home, listings
from . import coverage
from . import feeds
from . import legal
from . import subscribe
from . import colors

GENERATORS = [
    articles.generate,
    home.generate,
    listings.generate,
    coverage.generate,
    feeds.generate,
    subscribe.generate,
    legal.generate,
    colors.generate,
    about.generate,
]
