"""RSS 2.0 and Atom feeds (site, categories, units); people read them through nhan-tin/.

The feeds are rendered late (`AssetOutput.render`), once the engine has converted every
article, so their content reuses that one conversion; see `cchc.feeds` for every decision.
"""

from __future__ import annotations

from typing import Iterable

from .. import feeds
from ..outputs import AssetOutput


def generate(build) -> Iterable[AssetOutput]:
    feeds.require_site_url(build.settings)  # a SettingsError now, before any output
    specs = feeds.feed_specs(build)
    writer = feeds.FeedWriter(build, specs)  # one per build: each article's feed data made once
    for path, kind, spec in feeds.feed_files(specs):
        render = writer.rss if kind == "rss" else writer.atom
        yield AssetOutput(path=path, render=lambda bodies, render=render, spec=spec: render(spec, bodies),
                          inputs=_inputs(build, spec))


def _inputs(build, spec) -> dict:
    """What a feed file shows besides its articles' pages: the feed itself, each item's time as
    the feed gives it (an `updated:` still in the future is not used yet) and the file and size of
    each enclosure (its length is in the feed)."""
    return {
        "feed": (spec.base, spec.page_url, spec.title, spec.description, build.owner()),
        "articles": [a.url for a in spec.articles],
        "times": [feeds.updated_time(a, build.now).isoformat() for a in spec.articles],
        "images": [feeds.enclosure_file(build, a) for a in spec.articles],
    }
