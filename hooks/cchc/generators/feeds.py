"""RSS 2.0 and Atom feeds (site, categories, units) and the stylesheet browsers show them with.

The feeds are rendered late (`AssetOutput.render`), once the engine has converted every
article, so their content reuses that one conversion; see `cchc.feeds` for every decision.
"""

from __future__ import annotations

from typing import Iterable

from .. import feeds
from ..outputs import AssetOutput


def generate(build) -> Iterable[AssetOutput]:
    writer = feeds.FeedWriter(build)  # raises SettingsError now (before any output) if no site_url
    yield AssetOutput(path=feeds.XSL_PATH, source=feeds.XSL_SOURCE)
    for path, kind, spec in feeds.feed_files(build):
        render = writer.rss if kind == "rss" else writer.atom
        yield AssetOutput(path=path, render=lambda render=render, spec=spec: render(spec))
