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
  front-matter `updated` (never earlier than the date). An `updated` later than the build's "now"
  (a typo, or an edit dated ahead) is not shown: the feeds use the publication time until that
  moment has passed — never "now" itself, which would make every rebuild differ — so no feed
  carries a date in the future (the W3C validator's "ImplausibleDate"). The channel's
  `lastBuildDate`/`updated` is the newest item time, not the build time, and feedgen's generator
  tag is removed, so the same content always gives byte-identical feeds. An empty feed uses the
  site's newest article time.
- Text: titles, categories and authors are plain text, never interpreted as HTML. RSS follows
  the RSS Advisory Board profile: in the channel title and description, item titles, categories
  and `dc:creator`, every `<` and `&` is written as `&#x3C;` / `&#x26;` (so the validator and
  readers know the text is not escaped HTML). The RSS item `description` is the summary escaped
  as HTML (RSS descriptions are HTML). Atom titles, subtitle and summaries are
  `type="html"` holding the HTML-escaped text: a `type="text"` value containing `</b>` is
  reported as undeclared HTML. One case still warns by necessity: an RSS title or category
  whose text itself contains an HTML end tag such as `</script>` ("ContainsHTML"); the text is
  kept exactly as staff wrote it.
- Content: the build's one Markdown conversion (the bodies handed to `rss`/`atom`) with every URL made
  absolute against the article's own URL, permalink anchors removed and reduced to the HTML that
  feed readers and the W3C Feed Validation Service accept (no script, style, iframe or event
  attributes; embedded players become links — a bare link where the player sat inside a
  paragraph or other inline text, so the HTML stays valid). Characters HTML forbids (C0/C1
  controls, noncharacters) are dropped. Each article's feed data is computed once per build
  and shared by every feed that lists it (site, categories, unit; RSS and Atom), only for the
  articles the feeds actually list.
- The article image is an RSS `enclosure` / Atom `link rel="enclosure"`: its published JPEG
  copy at most 960 pixels wide (cchc.pictures: never the phone's original, no metadata), with
  its media type and its true size in bytes.
- Browsers: the visible "Nhận tin qua RSS/Atom" links of the site open an ordinary page,
  `nhan-tin/` (cchc.generators.subscribe), which lists every feed's address; that page is the
  human view of the feeds.  The feeds themselves carry no `xml-stylesheet`: browsers are
  removing XSLT (Chromium overlays a large English warning on styled XML pages), so a feed is
  plain XML for feed readers (issue 18).
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
SUBSCRIBE_URL = "nhan-tin/"  # the HTML page listing every feed (cchc.generators.subscribe)
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


# Characters dropped from everything a feed carries: what XML 1.0 cannot hold (C0 controls but
# tab/newline/CR, surrogates, U+FFFE/U+FFFF) and what HTML forbids in text, which a strict HTML
# parser (the W3C validator's html5lib) rejects as "invalid codepoint": DEL and the C1 controls
# (U+007F–U+009F, left by Windows-1252 text decoded as Latin-1) and the noncharacters
# (U+FDD0–U+FDEF, and the last two code points of every plane). The second alternative matches
# every code point from U+1FFFE up (rare in text) and `_drop` keeps all but the noncharacters:
# a character class listing the 32 astral noncharacters one by one makes the regex ten times slower.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
                      "|[\U0001fffe-\U0010ffff]")


def _drop(match: re.Match) -> str:
    char = match.group()
    return char if ord(char) > 0xFFFF and (ord(char) & 0xFFFE) != 0xFFFE else ""


def xml_text(value: str) -> str:
    """Text a feed can carry: control characters pasted from office documents are dropped."""
    return _NOT_XML.sub(_drop, value or "")


def enclosure_file(build, article: Article) -> tuple[str, int] | None:
    """(site-relative URL, size in bytes) of the file an article's feed enclosure names."""
    picture = build.picture_library().get(article.image_path)
    if picture is None:
        return None
    derivative = picture.derivative("enclosure")
    if derivative is None:
        return None
    return picture.url(derivative), derivative.size


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


# Where a block (<p>) may stand: an embedded player directly inside one of these becomes
# `<p><a …>…</a></p>`; anywhere else (inside a paragraph, heading, emphasis, …) it becomes the
# bare link, since `<p>Mời xem <p><a …>Video</a></p> ở trên.</p>` is invalid HTML.
_FLOW_PARENTS = frozenset("""
    article aside blockquote body caption dd details div dt fieldset figcaption figure footer
    form header li main nav section td th
""".split())
# Inside these a link is not allowed (no link in a link): the player becomes its label as text.
_NO_LINK_INSIDE = frozenset({"a", "button"})
_EMBED_LABEL = "Xem nội dung đa phương tiện"


def _embed_link(element, base_url: str, root):
    """What replaces an embedded player: a link to what it shows, fitted to where it sits."""
    src = element.get("src") or element.get("data") or ""
    if not src:
        source = element.find(".//source")
        src = source.get("src", "") if source is not None else ""
    if not src or src.strip().lower().startswith(("javascript:", "data:")):
        return None
    label = element.get("title") or _EMBED_LABEL
    ancestors = [a.tag.lower() for a in element.iterancestors() if isinstance(a.tag, str) and a is not root]
    if _NO_LINK_INSIDE.intersection(ancestors):
        text = lxml_html.Element("span")
        text.text = label
        return text
    link = lxml_html.Element("a", href=urljoin(base_url, src.strip()))
    link.text = label
    parent = element.getparent()
    if parent is not root and parent.tag.lower() not in _FLOW_PARENTS:
        return link
    paragraph = lxml_html.Element("p")
    paragraph.append(link)
    return paragraph


def _in_picture(element) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() == "picture" for a in element.iterancestors())


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
    # The page's scrolling box around a table (cchc.tables) is for browsers: a feed gets the table.
    for box in root.xpath('.//div[contains(concat(" ", normalize-space(@class), " "), " cchc-table-wrap ")]'):
        box.drop_tag()
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        element.drop_tree()
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "source" and _in_picture(element):
            # <picture><source …><img …></picture>: the HTML parser (libxml2) does not know
            # <source> is empty and puts the <img> inside it; the <img> (its JPEG/PNG) stays.
            element.drop_tag()
        elif tag in _DROPPED:
            element.drop_tree()
        elif tag in _EMBEDS:
            replacement = _embed_link(element, base_url, root)
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


def site_feed_description(settings: SiteSettings, owner: str | None = None) -> str:
    """`owner`: the department's name in force at the build (SiteBuild.owner), else mkdocs.yml's."""
    if settings.feed_description or settings.description:
        return settings.feed_description or settings.description
    if owner is None:
        owner = " ".join(p for p in (settings.department, settings.province) if p)
    return f"Tin cải cách hành chính của {owner}." if owner else site_feed_title(settings)


def category_feed_base(category_id: str) -> str:
    return urls.category(category_id)


def unit_feed_base(unit_id: str) -> str:
    return urls.unit(unit_id)


def sorted_units(build) -> list:
    return sorted(build.content.units.units.values(), key=lambda u: sort_key(u.name))


def feed_anchor(base: str) -> str:
    """The id of a feed's entry on the subscribe page: "chuyen-muc/x/" → "chuyen-muc-x".

    overrides/cchc/listing.html builds the same id from the page's feed address.
    """
    return base.strip("/").replace("/", "-") or "tat-ca-tin"


def feed_specs(build) -> list[FeedSpec]:
    """Every feed of the site: the site, then categories and units in Vietnamese order."""
    settings = build.settings
    limit = settings.feed_limit
    published = build.published  # never drafts or scheduled, even in preview
    site_title = site_feed_title(settings)
    specs = [FeedSpec(base="", page_url="", title=site_title,
                      description=site_feed_description(settings, build.owner()), articles=published[:limit])]
    by_category: dict[str, list[Article]] = {}
    by_unit: dict[str, list[Article]] = {}
    for article in published:  # newest first: each feed keeps its first `limit` articles
        for category_id in dict.fromkeys(article.categories):
            listed = by_category.setdefault(category_id, [])
            if len(listed) < limit:
                listed.append(article)
        listed = by_unit.setdefault(article.unit, [])
        if len(listed) < limit:
            listed.append(article)
    for category in build.sorted_categories():
        base = category_feed_base(category.id)
        specs.append(FeedSpec(
            base=base, page_url=base, title=f"{category.name} – {site_title}",
            description=category.description or f"Tin thuộc chuyên mục “{category.name}”.",
            articles=by_category.get(category.id, [])[:limit]))
    for unit in sorted_units(build):
        base = unit_feed_base(unit.id)
        specs.append(FeedSpec(
            base=base, page_url=base, title=f"{unit.name} – {site_title}",
            description=f"Tin cải cách hành chính do {unit.name} đăng.",
            articles=by_unit.get(unit.id, [])[:limit]))
    return specs


def published_time(article: Article) -> dt.datetime:
    return to_vn(article.date)


def updated_time(article: Article, now: dt.datetime | None = None) -> dt.datetime:
    """When the article last changed: `updated:` if given (never before the date), else the date.

    With `now` (the build's), an `updated:` after it is not used yet: the publication time stands
    until that moment has passed, so a feed never carries a future date.
    """
    published = published_time(article)
    if article.updated is None:
        return published
    updated = to_vn(article.updated)
    if now is not None and updated > now:
        return published
    return max(published, updated)


@dataclass(frozen=True)
class FeedEntry:
    """Everything the feeds show of one article, computed once per build (see FeedWriter.entry)."""

    url: str  # absolute: link, GUID and Atom id
    title: str
    summary: str  # plain text
    content: str  # the body as feed HTML
    author: str
    unit_url: str
    categories: tuple
    enclosure: dict | None
    published: dt.datetime
    updated: dt.datetime


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


# RSS plain-text elements written with character references for "<" and "&" (RSS profile).
_RSS_TEXT_PATHS = ("channel/title", "channel/description", "channel/image/title", "channel/item/title",
                   "channel/item/category", f"channel/item/{{{DC_NS}}}creator")
# Atom text constructs given as HTML-escaped text (type="html"), see the module docstring.
# (feedgen builds Atom elements without a namespace; the root's default xmlns applies on output.)
_ATOM_HTML_PATHS = ("title", "subtitle", "entry/title", "entry/summary")
_MARKUP_CHARACTER = re.compile("([<&])")
_CHARACTER_REFERENCE = {"<": "#x3C", "&": "#x26"}


def _with_character_references(element) -> None:
    """Write the element's "<" and "&" as `&#x3C;` / `&#x26;` (the text itself is unchanged)."""
    parts = _MARKUP_CHARACTER.split(element.text or "")
    if len(parts) == 1:
        return
    element.text = parts[0] or None
    for index in range(1, len(parts), 2):
        reference = etree.Entity(_CHARACTER_REFERENCE[parts[index]])
        reference.tail = parts[index + 1] or None
        element.append(reference)


def _as_html_text(element) -> None:
    element.text = html.escape(element.text or "", quote=False)
    element.set("type", "html")


class FeedWriter:
    """Renders the feeds of one build.

    Each article's feed data (above all its body: parsed, made absolute, cleaned) is computed
    the first time a feed lists it and reused by every other feed of the build. Only articles
    that some feed lists (the newest `feed_limit` of each) are ever converted or kept.
    """

    def __init__(self, build, specs: Iterable[FeedSpec] = ()):
        self.build = build
        self.settings: SiteSettings = build.settings
        require_site_url(self.settings)
        self.now: dt.datetime = build.now
        self._entries: dict[str, FeedEntry] = {}
        # Given the build's feeds, an article's data is released once the last feed file that
        # lists it is rendered, so nothing of it stays in memory for the rest of the build.
        self._uses: dict[str, int] = {}
        for spec in specs:
            for article in spec.articles:
                self._uses[article.url] = self._uses.get(article.url, 0) + 2  # RSS and Atom
        published = build.published
        self.site_updated = max((updated_time(a, self.now) for a in published),
                                default=self._no_article_time())

    def _no_article_time(self) -> dt.datetime:
        """A stable `updated` for a site without any published article yet."""
        dates = [p.date for p in self.build.content.plans.values() if p.date]
        day = max(dates) if dates else dt.date(2000, 1, 1)
        return dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)

    # --- one article, once per build ---
    def entry(self, article: Article, bodies) -> FeedEntry:
        """`bodies`: the build's converted article bodies (`.html(url)`, cchc.convert.BodyStore)."""
        entry = self._entries.get(article.url)
        if entry is None:
            entry = self._entries[article.url] = self._make_entry(article, bodies)
        return entry

    def _rendered(self, spec: FeedSpec) -> None:
        """One feed file of `spec` is done: release the data no other feed file still needs."""
        for article in spec.articles:
            left = self._uses.get(article.url)
            if left is None:
                continue
            if left <= 1:
                del self._uses[article.url]
                self._entries.pop(article.url, None)
            else:
                self._uses[article.url] = left - 1

    def _make_entry(self, article: Article, bodies) -> FeedEntry:
        url = self.settings.absolute(article.url)
        summary = xml_text(article.summary or article.title)
        for_feed = getattr(bodies, "for_feed", None)  # a preview remembers them (cchc.convert.BodyStore)
        if for_feed is not None:
            body = for_feed(article.url, url, feed_html)
        else:
            body = feed_html(bodies.html(article.url) if bodies is not None else "", url)
        return FeedEntry(
            url=url,
            title=xml_text(article.title),
            summary=summary,
            content=body or f"<p>{html.escape(summary, quote=False)}</p>",
            author=self.author(article),
            unit_url=self.settings.absolute(urls.unit(article.unit)),
            categories=tuple(self.categories(article)),
            enclosure=self.enclosure(article),
            published=published_time(article),
            updated=updated_time(article, self.now),
        )

    def article_url(self, article: Article) -> str:
        return self.settings.absolute(article.url)

    def content(self, article: Article, bodies) -> str:
        """The full article HTML for the feed (the summary as a paragraph if the body is empty)."""
        return self.entry(article, bodies).content

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
        """The article's picture as published for feeds (a JPEG at most 960 pixels wide,
        cchc.pictures) with its true length in bytes; None without a picture."""
        found = enclosure_file(self.build, article)
        if found is None:
            return None
        url, size = found
        return {"url": asset_url(self.settings, url), "length": str(size), "type": media_type(url)}

    def updated(self, spec: FeedSpec) -> dt.datetime:
        return max((updated_time(a, self.now) for a in spec.articles), default=self.site_updated)

    # --- the two formats ---
    def rss(self, spec: FeedSpec, bodies) -> bytes:
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
            data = self.entry(article, bodies)
            entry = fg.add_entry(order="append")
            entry.title(data.title)
            entry.link(href=data.url, rel="alternate")
            entry.guid(data.url, permalink=True)
            entry.description(html.escape(data.summary, quote=False))
            entry.content(data.content, type="html")
            entry.category([dict(c) for c in data.categories])
            if data.enclosure:
                entry.enclosure(**data.enclosure)
            entry.published(data.published)
            entry.cchc.creator = data.author
            entry.cchc.modified = data.updated
        # feedgen==1.0.0 (pinned): the tree rss_str() would serialise
        return self._finish_feed(spec, fg._create_rss()[0], _RSS_TEXT_PATHS, _with_character_references,
                                 spec.rss_path)

    def atom(self, spec: FeedSpec, bodies) -> bytes:
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
        owner = self.build.owner()  # the department's name in force at the build
        fg.author({"name": owner or site_feed_title(settings), "uri": settings.site_url})
        logo = settings.feed_image or settings.logo  # readers show PNG more often than SVG
        if logo:
            fg.icon(asset_url(settings, logo))
            fg.logo(asset_url(settings, logo))
        fg.register_extension("cchc", BaseExtension, _AtomEntryLinks, atom=True, rss=False)
        for article in spec.articles:
            data = self.entry(article, bodies)
            entry = fg.add_entry(order="append")
            entry.id(data.url)
            entry.title(data.title)
            entry.published(data.published)
            entry.updated(data.updated)
            entry.author({"name": data.author, "uri": data.unit_url})
            entry.summary(data.summary)
            entry.content(data.content, type="html")
            entry.category([dict(c) for c in data.categories])
            entry.cchc.links.append({"rel": "alternate", "type": "text/html", "href": data.url})
            if data.enclosure:
                entry.cchc.links.append({"rel": "enclosure", "type": data.enclosure["type"],
                                         "length": data.enclosure["length"], "href": data.enclosure["url"]})
        # feedgen==1.0.0 (pinned): the tree atom_str() would serialise
        return self._finish_feed(spec, fg._create_atom()[0], _ATOM_HTML_PATHS, _as_html_text, spec.atom_path)

    def _finish_feed(self, spec: FeedSpec, root, text_paths, fix_text, path: str) -> bytes:
        """Write the text elements at `text_paths` the format's way (`fix_text`), then serialise."""
        for text_path in text_paths:
            for element in root.iterfind(text_path):
                fix_text(element)
        self._rendered(spec)
        return self._finish(root, path)

    @staticmethod
    def _finish(root, path: str) -> bytes:
        """Stable, pretty UTF-8 XML (no stylesheet instruction: see the module docstring)."""
        return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def feed_files(specs: Iterable[FeedSpec]) -> Iterable[tuple[str, str, FeedSpec]]:
    """(path, format, spec) for every feed file, in a stable order."""
    for spec in specs:
        yield spec.rss_path, "rss", spec
        yield spec.atom_path, "atom", spec
