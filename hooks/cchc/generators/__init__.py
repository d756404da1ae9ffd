"""Generators: each turns a SiteBuild into pages and files.  Order is output order."""

from __future__ import annotations

from . import articles, listings

GENERATORS = [
    articles.generate,
    listings.generate,
]
