"""RSS 2.0 and Atom 1.0 feeds, built with feedgen from the same `SiteBuild` the pages use.

Pure: everything here turns build data into feed bytes; `cchc.generators.feeds` publishes them.

Decisions (each one is tested in tests/test_feeds.py):

- Feeds: the site (`rss.xml`, `atom.xml`), every category (`chuyen-muc/<id>/…`) and every unit
  (`don-vi/<id>/…`), including ones without articles yet (a valid empty feed, so a reader that
  subscribes early gets news later). Only `SiteBuild.published` articles, never drafts or
  scheduled ones, even in preview; newest first; at most `settings.feed_limit` items.
- Identity: the GUID / Atom id of an article is its absolute URL (`isPermaLink="true"`). The URL
  is derived from the date and slug, which never change after publication, and never from the
  title or body, so editing an article never makes readers show it twice. (A `tag:` URI would
  carry the domain as well, so it gains nothing; if the site ever moves to a new domain, keep
  the old `site_url` in the ids — that is the one change that would alter them.)
- Times: `pubDate`/`published` is the article date in Vietnam time (+07:00, a date without time
  is 00:00 +07:00, never converted to UTC or the build machine's zone); `updated` is the
  front-matter `updated` (never earlier than the date). The channel's `lastBuildDate`/`updated` is
  the newest item time, not the build time, and feedgen's generator tag is removed, so the same
  content always gives byte-identical feeds. An empty feed uses the site's newest article time.
- Text: titles, categories and authors are plain text (XML-escaped, never HTML). The RSS
  `description` is the summary escaped as HTML (RSS descriptions are HTML); Atom uses a
  `type="text"` summary. The full body is the engine's one Markdown conversion
  (`build.article_html`) with every URL made absolute against the article's own URL, permalink
  anchors removed and reduced to the HTML that feed readers and the W3C Feed Validation Service
  accept (no script, style, iframe or event attributes; embedded players become links).
- The article image is an RSS `enclosure` / Atom `link rel="enclosure"` with its media type (from
  the extension) and its size in bytes.
- Browsers: every feed starts with `<?xml-stylesheet type="text/xsl" href="…/assets/feed.xsl"?>`;
  the stylesheet (data/feed.xsl) renders a readable Vietnamese page explaining what a feed is.
  Feed readers ignore the instruction.
"""

from __future__ import annotations

import datetime as dt
import html
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import quote, urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from lxml import html as lxml_html

from . import urls
from .article import Article
from .dates import VN_TZ, to_vn
from .settings import SettingsError, SiteSettings
from .text import sort_key

RSS_FILE = "rss.xml"
ATOM_FILE = "atom.xml"
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
XSL_PATH = "assets/feed.xsl"  # where the stylesheet is published
XSL_SOURCE = Path(__file__).resolve().parent / "data" / "feed.xsl"
LANGUAGE = "vi"

DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"

SITE_URL_MISSING = (
    "chưa khai báo site_url trong mkdocs.yml. Nguồn tin RSS/Atom cần địa chỉ đầy đủ của trang "
    "để mọi liên kết trong nguồn tin là liên kết tuyệt đối; thêm một dòng, ví dụ: "
    "site_url: https://sgddt.example.gov.vn/cchc/"
)

# Media types by extension, fixed here so the output never depends on the build machine's
# /etc/mime.types; anything else falls back to Python's built-in table.
_MEDIA_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif",
}
_BUILTIN_TYPES = mimetypes.MimeTypes(filenames=())


def media_type(path: str | Path) -> str:
    suffix = Path(str(path)).suffix.lower()
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, _ = _BUILTIN_TYPES.guess_type("x" + suffix, strict=False)
    return guessed or "application/octet-stream"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text XML 1.0 can carry: control characters pasted from office documents are dropped."""
    return _NOT_XML.sub("", value or "")


def require_site_url(settings: SiteSettings) -> None:
    """Feeds need absolute links: refuse to build without site_url (never emit relative ones)."""
    if not settings.site_url:
        raise SettingsError(SITE_URL_MISSING)


def url_path(path: str) -> str:
    """A site-relative path as it goes into a URL (spaces, Vietnamese letters percent-encoded)."""
    return quote(path, safe="/%:@!$&'()*+,;=-._~")


def asset_url(settings: SiteSettings, path: str) -> str:
    """Absolute URL of a site asset given as a site-relative path (or already absolute)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", path, re.I):
        return path
    return settings.absolute(url_path(path))


def stylesheet_href(feed_path: str) -> str:
    """The XSL's URL relative to the feed, so it works under any site prefix and in preview."""
    depth = feed_path.count("/")
    return "../" * depth + XSL_PATH


# --- the article body, made fit for a feed ---------------------------------------------------

# What the W3C Feed Validation Service accepts without a "security risk" warning (and what
# feed readers keep anyway).
_ALLOWED_ELEMENTS = frozenset("""
    a abbr acronym address area b big blockquote br button caption center cite code col
    colgroup dd del dfn dir div dl dt em fieldset font form h1 h2 h3 h4 h5 h6 hr i img input ins
    kbd label legend li map menu ol optgroup option p pre q s samp select small span strike
    strong sub sup table tbody td textarea tfoot th thead tr tt u ul var
""".split())
_ALLOWED_ATTRIBUTES = frozenset("""
    abbr accept accept-charset accesskey action align alt axis bgcolor border cellpadding
    cellspacing char charoff charset checked cite class clear cols colspan color compact coords
    datetime dir disabled enctype face for frame headers height href hreflang hspace id ismap
    label lang longdesc maxlength media method multiple name nohref noshade nowrap prompt
    readonly rel rev rows rowspan rules scope selected shape size span src start summary
    tabindex title type usemap valign value vspace width
""".split())
# HTML5 elements kept as their closest allowed equivalent.
_RENAMED = {
    "figure": "div", "figcaption": "p", "section": "div", "article": "div", "aside": "div",
    "header": "div", "footer": "div", "nav": "div", "main": "div", "details": "div",
    "summary": "p", "mark": "strong", "time": "span", "data": "span", "bdi": "span",
}
# Removed with their content.
_DROPPED = frozenset({"script", "style", "template", "noscript", "link", "meta", "base",
                      "svg", "math", "canvas", "source", "track", "param", "head", "title"})
# Embedded players: replaced by a plain link to what they show.
_EMBEDS = frozenset({"iframe", "video", "audio", "embed", "object"})
_SAFE_STYLE = re.compile(
    r"^\s*(text-align|vertical-align|width|height|font-weight|font-style|text-decoration)\s*:"
    r"\s*[a-z0-9#%. -]+\s*$", re.I)
_URL_ATTRIBUTES = ("href", "src", "cite", "longdesc", "usemap", "action")


def _style_ok(value: str) -> bool:
    parts = [p for p in value.split(";") if p.strip()]
    return bool(parts) and all(_SAFE_STYLE.match(p) for p in parts)


def _embed_link(element, base_url: str):
    src = element.get("src") or element.get("data") or ""
    if not src:
        source = element.find(".//source")
        src = source.get("src", "") if source is not None else ""
    if not src or src.strip().lower().startswith(("javascript:", "data:")):
        return None
    link = lxml_html.Element("a", href=urljoin(base_url, src.strip()))
    link.text = element.get("title") or "Xem nội dung đa phương tiện"
    paragraph = lxml_html.Element("p")
    paragraph.append(link)
    return paragraph


def feed_html(fragment: str, base_url: str) -> str:
    """The article body for a feed: absolute URLs, no permalink anchors, only safe HTML.

    Relative URLs in the engine's HTML are relative to the article page, so they are resolved
    against `base_url` (the article's absolute URL): `../images/a.jpg`, `#muc-1` and `?q` all
    become absolute. Text is never altered.
    """
    fragment = xml_text(fragment)
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for anchor in root.xpath('.//a[contains(concat(" ", normalize-space(@class), " "), " headerlink ")]'):
        anchor.drop_tree()
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        element.drop_tree()
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _DROPPED:
            element.drop_tree()
        elif tag in _EMBEDS:
            replacement = _embed_link(element, base_url)
            if replacement is None:
                element.drop_tree()
            else:
                replacement.tail = element.tail
                element.getparent().replace(element, replacement)
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _RENAMED:
            element.tag = tag = _RENAMED[tag]
        if tag not in _ALLOWED_ELEMENTS:
            element.drop_tag()  # keep the text and children, lose the unknown wrapper
            continue
        for name in list(element.attrib):
            value = element.attrib[name]
            lower = name.lower()
            if lower == "style":
                if not _style_ok(value):
                    del element.attrib[name]
            elif lower not in _ALLOWED_ATTRIBUTES:
                del element.attrib[name]
            elif lower in _URL_ATTRIBUTES:
                target = value.strip()
                if re.match(r"^(javascript|vbscript|data):", target, re.I):
                    del element.attrib[name]
                else:
                    element.attrib[name] = urljoin(base_url, target)
    parts = [html.escape(root.text, quote=False)] if root.text else []
    parts += [lxml_html.tostring(child, encoding="unicode", method="html") for child in root]
    return xml_text("".join(parts)).strip()


# --- what goes into feeds --------------------------------------------------------------------

@dataclass
class FeedSpec:
    """One feed pair (RSS + Atom): where it lives and what it lists."""

    base: str  # site-relative folder, "" for the site feeds
    page_url: str  # site-relative URL of the HTML page the feed mirrors
    title: str
    description: str
    articles: list[Article] = field(default_factory=list)

    @property
    def rss_path(self) -> str:
        return self.base + RSS_FILE

    @property
    def atom_path(self) -> str:
        return self.base + ATOM_FILE


def site_feed_title(settings: SiteSettings) -> str:
    return settings.feed_title or settings.site_name


def site_feed_description(settings: SiteSettings) -> str:
    if settings.feed_description or settings.description:
        return settings.feed_description or settings.description
    owner = " ".join(p for p in (settings.department, settings.province) if p)
    return f"Tin cải cách hành chính của {owner}." if owner else site_feed_title(settings)


def feed_specs(build) -> list[FeedSpec]:
    """Every feed of the site: the site, then categories and units in Vietnamese order."""
    settings = build.settings
    limit = settings.feed_limit
    published = build.published  # never drafts or scheduled, even in preview
    site_title = site_feed_title(settings)
    specs = [FeedSpec(base="", page_url="", title=site_title,
                      description=site_feed_description(settings), articles=published[:limit])]
    by_category: dict[str, list[Article]] = {}
    by_unit: dict[str, list[Article]] = {}
    for article in published:
        for category_id in dict.fromkeys(article.categories):
            by_category.setdefault(category_id, []).append(article)
        by_unit.setdefault(article.unit, []).append(article)
    for category in build.sorted_categories():
        base = urls.category(category.id)
        specs.append(FeedSpec(
            base=base, page_url=base, title=f"{category.name} – {site_title}",
            description=category.description or f"Tin thuộc chuyên mục “{category.name}”.",
            articles=by_category.get(category.id, [])[:limit]))
    for unit in sorted(build.content.units.units.values(), key=lambda u: sort_key(u.name)):
        base = urls.unit(unit.id)
        specs.append(FeedSpec(
            base=base, page_url=base, title=f"{unit.name} – {site_title}",
            description=f"Tin cải cách hành chính do {unit.name} đăng.",
            articles=by_unit.get(unit.id, [])[:limit]))
    return specs


def published_time(article: Article) -> dt.datetime:
    return to_vn(article.date)


def updated_time(article: Article) -> dt.datetime:
    """When the article last changed: `updated:` if given (never before the date), else the date."""
    published = published_time(article)
    if article.updated is None:
        return published
    return max(published, to_vn(article.updated))


class _RssItemExtras(BaseEntryExtension):
    """dc:creator (the RSS `author` element must be an e-mail address) and dcterms:modified."""

    def __init__(self):
        self.creator = ""
        self.modified: dt.datetime | None = None

    def extend_rss(self, item):
        if self.creator:
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = self.creator
        if self.modified is not None:
            etree.SubElement(item, f"{{{DCTERMS_NS}}}modified").text = self.modified.isoformat()
        return item


class _RssNamespaces(BaseExtension):
    def extend_ns(self):
        return {"dc": DC_NS, "dcterms": DCTERMS_NS}


class _AtomEntryLinks(BaseEntryExtension):
    """Atom entry links written here: feedgen 1.0.0's FeedEntry.atom_entry() drops every link's
    rel/type/length (a loop variable is shadowed), which would turn the enclosure into a second
    rel="alternate" link — an error for the validator."""

    def __init__(self):
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry):
        for link in self.links:
            etree.SubElement(entry, "link", {k: v for k, v in link.items() if v})
        return entry


class FeedWriter:
    """Renders feeds for one build; converted article bodies are shared by every feed."""

    def __init__(self, build):
        self.build = build
        self.settings: SiteSettings = build.settings
        require_site_url(self.settings)
        self._content: dict[str, str] = {}
        published = build.published
        self.site_updated = max((updated_time(a) for a in published), default=self._no_article_time())

    def _no_article_time(self) -> dt.datetime:
        """A stable `updated` for a site without any published article yet."""
        dates = [p.date for p in self.build.content.plans.values() if p.date]
        day = max(dates) if dates else dt.date(2000, 1, 1)
        return dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)

    # --- pieces shared by both formats ---
    def article_url(self, article: Article) -> str:
        return self.settings.absolute(article.url)

    def content(self, article: Article) -> str:
        """The full article HTML for the feed (the summary as a paragraph if the body is empty)."""
        if article.url not in self._content:
            converted = self.build.article_html.get(article.url, "")
            body = feed_html(converted, self.article_url(article))
            self._content[article.url] = body or f"<p>{html.escape(self.summary(article), quote=False)}</p>"
        return self._content[article.url]

    def author(self, article: Article) -> str:
        unit = self.build.content.units.get(article.unit)
        unit_name = unit.name if unit else article.unit
        return xml_text(f"{article.author} – {unit_name}" if article.author else unit_name)

    def categories(self, article: Article) -> list[dict]:
        scheme = self.settings.absolute(urls.CATEGORY_ROOT)
        result = []
        for category_id in dict.fromkeys(article.categories):
            link = self.build.category_link(category_id)
            result.append({"term": category_id, "label": xml_text(link["name"]), "scheme": scheme})
        return result

    def enclosure(self, article: Article) -> dict | None:
        if article.image_path is None or not article.image_path.is_file():
            return None
        return {"url": asset_url(self.settings, self.build.image_url(article)),
                "length": str(article.image_path.stat().st_size),
                "type": media_type(article.image_path)}

    def updated(self, spec: FeedSpec) -> dt.datetime:
        return max((updated_time(a) for a in spec.articles), default=self.site_updated)

    def summary(self, article: Article) -> str:
        return xml_text(article.summary or article.title)

    # --- the two formats ---
    def rss(self, spec: FeedSpec) -> bytes:
        settings = self.settings
        page = settings.absolute(spec.page_url)
        fg = FeedGenerator()
        fg.register_extension("cchc", _RssNamespaces, _RssItemExtras, atom=False, rss=True)
        fg.title(xml_text(spec.title))
        # feedgen uses the last link added as the RSS <link>: self first, then the site page.
        fg.link(href=settings.absolute(spec.rss_path), rel="self", type=RSS_TYPE)
        fg.link(href=page, rel="alternate")
        fg.description(xml_text(spec.description))
        fg.language(LANGUAGE)
        fg.generator("")  # no software name/version: output depends on content only
        fg.lastBuildDate(self.updated(spec))
        if settings.feed_image:
            fg.image(url=asset_url(settings, settings.feed_image), title=xml_text(spec.title), link=page)
        for article in spec.articles:
            entry = fg.add_entry(order="append")
            url = self.article_url(article)
            entry.title(xml_text(article.title))
            entry.link(href=url, rel="alternate")
            entry.guid(url, permalink=True)
            entry.description(html.escape(self.summary(article), quote=False))
            entry.content(self.content(article), type="html")
            entry.category(self.categories(article))
            enclosure = self.enclosure(article)
            if enclosure:
                entry.enclosure(**enclosure)
            entry.published(published_time(article))
            entry.cchc.creator = self.author(article)
            entry.cchc.modified = updated_time(article)
        return self._finish(fg.rss_str(pretty=True), spec.rss_path)

    def atom(self, spec: FeedSpec) -> bytes:
        settings = self.settings
        page = settings.absolute(spec.page_url)
        fg = FeedGenerator()
        fg.id(page)
        fg.title(xml_text(spec.title))
        fg.subtitle(xml_text(spec.description))
        fg.link(href=page, rel="alternate", type="text/html")
        fg.link(href=settings.absolute(spec.atom_path), rel="self", type=ATOM_TYPE)
        fg.language(LANGUAGE)
        fg.generator("")
        fg.updated(self.updated(spec))
        owner = " ".join(p for p in (settings.department, settings.province) if p)
        fg.author({"name": owner or site_feed_title(settings), "uri": settings.site_url})
        logo = settings.feed_image or settings.logo  # readers show PNG more often than SVG
        if logo:
            fg.icon(asset_url(settings, logo))
            fg.logo(asset_url(settings, logo))
        fg.register_extension("cchc", BaseExtension, _AtomEntryLinks, atom=True, rss=False)
        for article in spec.articles:
            entry = fg.add_entry(order="append")
            url = self.article_url(article)
            unit_url = settings.absolute(urls.unit(article.unit))
            entry.id(url)
            entry.title(xml_text(article.title))
            entry.published(published_time(article))
            entry.updated(updated_time(article))
            entry.author({"name": self.author(article), "uri": unit_url})
            entry.summary(self.summary(article))
            entry.content(self.content(article), type="html")
            entry.category(self.categories(article))
            entry.cchc.links.append({"rel": "alternate", "type": "text/html", "href": url})
            enclosure = self.enclosure(article)
            if enclosure:
                entry.cchc.links.append({"rel": "enclosure", "type": enclosure["type"],
                                         "length": enclosure["length"], "href": enclosure["url"]})
        return self._finish(fg.atom_str(pretty=True), spec.atom_path)

    @staticmethod
    def _finish(data: bytes, path: str) -> bytes:
        """Add the browser stylesheet instruction; the result is stable, pretty UTF-8 XML."""
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
        root = etree.fromstring(data, parser)
        href = stylesheet_href(path)
        root.addprevious(etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{href}"'))
        return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def feed_files(build) -> Iterable[tuple[str, str, FeedSpec]]:
    """(path, format, spec) for every feed file, in a stable order."""
    for spec in feed_specs(build):
        yield spec.rss_path, "rss", spec
        yield spec.atom_path, "atom", spec
