"""Template helpers that make rendering thousands of pages cheap (MkDocs/Jinja specific).

- `render_once(name, key)`: a part that is the same on many pages (navigation, tabs, footer on
  pages outside the navigation; stylesheets, theme configuration and scripts per depth) is
  rendered once per key: `{% call cchc_once(name, key) %}…{% endcall %}` (overrides/base.html).
- `nav_key(page)`: that key for the navigation: pages outside it show it identically when every
  link in it is written the same (links are relative to the page).
- `Translations`: the theme's `lang` (partials/language.html), made once per build instead of
  imported by every page.
"""

from __future__ import annotations

import hashlib

import jinja2
from mkdocs.utils import get_relative_url


class PageTemplates:
    """One build's template helpers (made in `on_nav`, when the navigation is known)."""

    def __init__(self, nav):
        self.nav_pages = {id(p) for p in nav.pages}
        self.nav_links = _flat_links(nav.items)
        self._nav_keys: dict[str, tuple] = {}  # parent folder → nav_key of its page folders
        self._rendered: dict = {}

    def in_nav(self, page) -> bool:
        return id(page) in self.nav_pages

    def nav_key(self, page):
        if id(page) in self.nav_pages:
            return None
        url = page.url
        folder, slash, _ = url.rstrip("/").rpartition("/")
        if not url.endswith("/") or any((link + "/").startswith(url) for link in self.nav_links):
            return tuple(get_relative_url(link, url) for link in self.nav_links)
        # No link is at or below this page's folder: every link is written as from any other page
        # folder of the same parent (e.g. all articles of a month), so compute it once per parent.
        key = self._nav_keys.get(folder + slash)
        if key is None:
            key = self._nav_keys[folder + slash] = tuple(get_relative_url(link, url) for link in self.nav_links)
        return key

    def render_once(self, name, key, caller):
        if key is None:
            return caller()
        cached = self._rendered.get((name, key))
        if cached is None:
            cached = self._rendered[(name, key)] = caller()
        return cached


def _flat_links(items) -> list[str]:
    links = []
    for item in items:
        if getattr(item, "url", None) is not None:
            links.append(item.url)
        links += _flat_links(getattr(item, "children", None) or [])
    return links


class Translations:
    """The theme's `lang`, made once per build: each page imported it with its context and called
    its macros ~6 times (~0.8 s of template time at 3000 articles).  `lang.t(key)` gives exactly
    what the macro gives, remembered."""

    def __init__(self, env, config):
        self._macro = env.get_template("partials/language.html").make_module({"config": config}).t
        self._known: dict[str, str] = {}

    def t(self, key):
        text = self._known.get(key)
        if text is None:
            text = self._known[key] = self._macro(key)
        return text


class VerifiedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in the build cache (verified like every entry): a damaged
    entry is a miss, never a crash while loading it."""

    def __init__(self, store):
        self.store = store  # cchc.buildcache.BlobStore

    @staticmethod
    def _key(bucket) -> str:
        return hashlib.sha256(f"{bucket.key}\0{bucket.checksum}".encode()).hexdigest()

    def load_bytecode(self, bucket) -> None:
        entry = self.store.get(self._key(bucket))
        if entry is not None:
            try:
                bucket.bytecode_from_string(entry.payload)
            except Exception:  # verified, but not what this Jinja reads: compile again
                bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        self.store.put(self._key(bucket), bucket.bytecode_to_string())
