"""RSS 2.0 and Atom feeds: what subscribers and the W3C Feed Validation Service see.

The fixture corpus (tests/fixtures/feeds) is built like the real site; every feed is parsed with
feedparser (no bozo) and lxml, and checked against the rules of the W3C Feed Validation Service
that can be checked offline (RSS 2.0 spec + RSS Advisory Board profile, RFC 4287), written out
here independently of the code under test: the validator's plain-text rules (validators.nonhtml:
"ContainsHTML", "ContainsUndeclaredHTML", "CharacterData"), its HTML rules (HTMLValidator: a
strict html5lib parse and the lists of safe elements and attributes), "ImplausibleDate" (no date
after the build) and the structural rules.

Browsers open the feed links as an ordinary page, nhan-tin/, listing every feed's address.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from html.entities import name2codepoint
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import html5lib
import pytest
from html5lib.html5parser import ParseError
from lxml import etree
from lxml import html as lxml_html

from cchc import feeds
from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.settings import SettingsError, SiteSettings
from support import DEFAULT_BUILD_DATE, FIXTURES, ROOT, SAMPLE_CONTENT, build_site, copy_content

CONTENT = FIXTURES / "feeds"
BUILD_DATE = "2025-06-01 09:00"
OTHER_BUILD_DATE = "2025-06-20 17:45"  # same published set (the scheduled article is 2025-07-01)
SITE = "https://sgddt.bentre.gov.vn/cchc/"
VN = dt.timezone(dt.timedelta(hours=7))

HOSTILE_TITLE = '<script>alert(1)</script> & "quotes" ]]> Tiêu đề có ký tự đặc biệt'
HOSTILE = "tin-tuc/2025/05/tieu-de-co-ma-html/"
WITH_IMAGE = "tin-tuc/2025/05/hoi-nghi-so-ket/"
UTC_TIME = "tin-tuc/2025/05/gio-utc/"
DATE_ONLY = "tin-tuc/2025/04/chuyen-doi-so/"
# updated: 2026-01-15 08:00, after both build dates; its body has a video and an audio player
# inside paragraphs.
FUTURE_UPDATE = "tin-tuc/2025/03/cap-nhat-sau/"
NEVER = ("ban-nhap", "hen-gio")  # a draft and a scheduled article

# feed path → the article URLs it must list, newest first
EXPECTED = {
    "": [HOSTILE, WITH_IMAGE, UTC_TIME, DATE_ONLY, FUTURE_UPDATE],
    "chuyen-muc/thu-tuc-hanh-chinh/": [HOSTILE, WITH_IMAGE, DATE_ONLY],
    "chuyen-muc/chinh-quyen-so/": [UTC_TIME, DATE_ONLY, FUTURE_UPDATE],
    "chuyen-muc/ky-luat-ky-cuong/": [],
    "don-vi/van-phong/": [HOSTILE, WITH_IMAGE],
    "don-vi/thanh-tra/": [UTC_TIME, DATE_ONLY, FUTURE_UPDATE],
    "don-vi/phong-gddt-a/": [],
}
# Plain texts for which the validator's "ContainsHTML" cannot be avoided: the text staff wrote
# itself contains an HTML end tag (</script>), whatever the encoding; it is kept as written.
UNAVOIDABLE_HTML_TEXT = {HOSTILE_TITLE}

NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d\d:\d\d:\d\d \+0700$")
RFC3339_VN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
MIME = re.compile(r"^[^\s()<>,;:\\\"/\[\]?=]+/[^\s()<>,;:\\\"/\[\]?=]+$")
ABSOLUTE = re.compile(r"^(https?|mailto|tel):", re.I)
# HTML the W3C Feed Validation Service accepts in descriptions/content without a warning.
VALIDATOR_ELEMENTS = set("""a abbr acronym address area b big blockquote br button caption center
    cite code col colgroup dd del dfn dir div dl dt em fieldset font form h1 h2 h3 h4 h5 h6 hr i img
    input ins kbd label legend li map menu ol optgroup option p pre q s samp select small span
    strike strong sub sup table tbody td textarea tfoot th thead tr tt u ul var noscript""".split())
VALIDATOR_ATTRIBUTES = set("""abbr accept accept-charset accesskey action align alt axis bgcolor
    border cellpadding cellspacing char charoff charset checked cite class clear cols colspan color
    compact coords datetime dir disabled enctype face for frame headers height href hreflang hspace
    id ismap label lang longdesc maxlength media method multiple name nohref noshade nowrap prompt
    readonly rel rev rows rowspan rules scope selected shape size span src start summary tabindex
    title type usemap valign value vspace width xml:lang xmlns style""".split())
RSS_CHANNEL = {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
               "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image",
               "rating", "textInput", "skipHours", "skipDays", "item", f"{{{NS['atom']}}}link"}
RSS_ITEM = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid",
            "pubDate", "source", f"{{{NS['content']}}}encoded", f"{{{NS['dc']}}}creator",
            f"{{{NS['dcterms']}}}modified"}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# validators.HTMLValidator.htmltags: an end tag of one of these in a plain-text field is "HTML".
VALIDATOR_HTML_TAGS = set("""a abbr acronym address applet area article aside audio b base basefont bdi
    bdo big blockquote body br button canvas caption center cite code col colgroup command data datagrid
    datalist dd del details dfn dialog dir div dl dt em eventsource fieldset figcaption figure font footer
    form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins isindex kbd
    label legend li link m main mark map menu meta meter nav noframes noscript object ol optgroup option
    output p param picture pre progress q rp rt ruby s samp script section select slot small source span
    strike strong style sub summary sup table tbody td template textarea tfoot th thead time title tr
    track tt u ul var xmp plaintext embed comment listing video wbr""".split())


def moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN)


def a(url: str) -> str:
    return SITE + url


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("feeds-a"), CONTENT, build_date=BUILD_DATE)
    assert built.ok, built.output
    return built


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """The same content built later, elsewhere, with the machine in another time zone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "America/Los_Angeles")
        built = build_site(tmp_path_factory.mktemp("feeds-b"), CONTENT, build_date=OTHER_BUILD_DATE)
    assert built.ok, built.output
    return built


def feed_paths(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.xml")
                  if p.name in ("rss.xml", "atom.xml"))


def xml(site, rel: str) -> etree._Element:
    return etree.fromstring((site.site / rel).read_bytes())


def parsed(site, rel: str):
    result = feedparser.parse((site.site / rel).read_bytes())
    assert not result.bozo, (rel, result.get("bozo_exception"))
    return result


def rfc822(value: str) -> dt.datetime:
    assert RFC822.match(value), value
    moment = email.utils.parsedate_to_datetime(value)
    assert WEEKDAYS[moment.weekday()] == value[:3], f"wrong day of week: {value}"
    return moment


def html_urls(fragment: str) -> list[str]:
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return [link for _, _, link, _ in root.iterlinks()]


def strict_html(fragment: str, where: str):
    """The fragment as the W3C validator parses it: html5lib in strict mode, where any parse error
    (a <p> inside a <p>, an invalid code point, a stray end tag) is the warning "NotHtml"."""
    try:
        return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(fragment)
    except ParseError as exc:
        raise AssertionError(f"{where}: not valid HTML ({exc}): {fragment[:400]!r}") from None


def check_safe_html(fragment: str, where: str) -> None:
    """Valid HTML, no relative URL, no script, only what the validator calls safe HTML."""
    tree = strict_html(fragment, where)
    for element in tree.iter():
        if element is tree or not isinstance(element.tag, str):
            continue
        assert element.tag in VALIDATOR_ELEMENTS, (where, element.tag)
        for name, value in element.attrib.items():
            assert name in VALIDATOR_ATTRIBUTES, (where, element.tag, name)
            assert not name.lower().startswith("on"), (where, name)
            if name in ("href", "src", "cite", "longdesc"):
                assert ABSOLUTE.match(value), (where, name, value)
    assert "<script" not in fragment.lower() and "headerlink" not in fragment, where


def plain_text_warnings(element: etree._Element, raw_lines: list[str], rss: bool) -> list[str]:
    """The validator's warnings for a plain-text element (validators.nonhtml), from its text and
    the raw lines it was written on: the RSS profile's character references (`&#x3C;`, `&#x26;`)
    on those lines say "this is text, not escaped HTML" and silence the entity/markup rules."""
    value = element.text or ""
    lines = raw_lines[element.sourceline - 1: element.sourceline + value.count("\n")]
    character_data = any("&#x" in line for line in lines)
    tags = [t for t in re.findall(r"</(\w+)>", value) if t.lower() in VALIDATOR_HTML_TAGS]
    if tags:
        return [f"ContainsHTML </{tags[0]}>"]
    entities = re.findall(r"&(#?\w+)", value)
    if entities:
        bad = [e for e in entities if e in name2codepoint or e == "apos" or not e.isalpha()]
        return [f"ContainsHTML &{bad[0]};"] if bad and not character_data else []
    if rss and re.search(r"&#[x0-9]|<[/a-zA-Z]", value) and not character_data:
        return [f"CharacterData {value!r}"]
    return []


def check_plain_text(element: etree._Element, raw_lines: list[str], where: str) -> None:
    warnings = plain_text_warnings(element, raw_lines, rss=True)
    if element.text in UNAVOIDABLE_HTML_TEXT:
        assert warnings == ["ContainsHTML </script>"], (where, warnings)
    else:
        assert warnings == [], (where, warnings, element.text)
    for char in "<&":  # RSS profile: written as character references, never &lt; / &amp;
        if char in (element.text or ""):
            line = raw_lines[element.sourceline - 1]
            assert {"<": "&#x3C;", "&": "&#x26;"}[char] in line, (where, line)
            assert {"<": "&lt;", "&": "&amp;"}[char] not in line, (where, line)


def check_html_text(element: etree._Element, where: str) -> str:
    """An Atom text construct holding plain text: type="html", and the HTML is text only (the
    validator parses it as HTML); returns the text a reader shows."""
    assert element.get("type") == "html", (where, element.attrib)
    tree = strict_html(element.text or "", where)
    assert [e for e in tree.iter() if e is not tree] == [], (where, "markup in a plain text", element.text)
    assert html.unescape(element.text or "") == (tree.text or ""), where
    return tree.text or ""


def check_plausible(value: dt.datetime, now: dt.datetime | None, where: str) -> None:
    """"ImplausibleDate": a date more than 10 minutes after the feed was made."""
    if now is not None:
        assert value <= now + dt.timedelta(minutes=10), (where, value.isoformat(), now.isoformat())


def check_rss(doc: etree._Element, path: str, raw: bytes | None = None, now: dt.datetime | None = None) -> list[dict]:
    """The RSS 2.0 rules (spec, RSS profile, W3C validator); returns the items as dicts.

    With the feed's bytes (`raw`) the plain-text rules are checked too, and with the build's
    `now` that no date lies in the future."""
    raw_lines = raw.decode("utf-8").split("\n") if raw is not None else None
    assert doc.tag == "rss" and doc.get("version") == "2.0"
    channels = doc.findall("channel")
    assert len(channels) == 1
    channel = channels[0]
    for child in channel:
        assert child.tag in RSS_CHANNEL, (path, child.tag)
    for name in ("title", "link", "description", "language", "lastBuildDate", "docs"):
        assert len(channel.findall(name)) == 1, (path, name)
        assert (channel.findtext(name) or "").strip(), (path, name)
    base = path[: -len("rss.xml")]
    assert channel.findtext("link") == a(base), "channel link is the site page, not the feed"
    assert channel.findtext("language") == "vi"
    assert ABSOLUTE.match(channel.findtext("docs"))
    assert channel.find("generator") is None, "no generator: output depends on content only"
    selfs = channel.findall("atom:link[@rel='self']", NS)
    assert len(selfs) == 1 and selfs[0].get("href") == a(path)
    assert selfs[0].get("type") == "application/rss+xml"
    image = channel.find("image")
    if image is not None:
        assert image.findtext("link") == channel.findtext("link")
        assert image.findtext("title") == channel.findtext("title")
        url = image.findtext("url")
        assert ABSOLUTE.match(url) and url.rsplit(".", 1)[-1].lower() in ("png", "gif", "jpg", "jpeg")
    if raw_lines is not None:
        for name in ("title", "description", "image/title"):
            for element in channel.findall(name):
                check_plain_text(element, raw_lines, f"{path} channel/{name}")
    last_build = rfc822(channel.findtext("lastBuildDate"))
    check_plausible(last_build, now, f"{path} lastBuildDate")
    items, guids = [], set()
    for item in channel.findall("item"):
        for child in item:
            assert child.tag in RSS_ITEM, (path, child.tag)
        for name in ("title", "link", "description", "guid", "pubDate", "enclosure",
                     f"{{{NS['content']}}}encoded", f"{{{NS['dcterms']}}}modified"):
            assert len(item.findall(name)) <= 1, (path, name)
        assert item.findtext("title") or item.findtext("description")
        assert item.find("author") is None, "RSS author must be an e-mail address: dc:creator instead"
        link = item.findtext("link")
        assert link.startswith(SITE)
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text == link
        assert guid.text not in guids, "duplicate guid"
        guids.add(guid.text)
        tags = [child.tag for child in item]
        content = item.find("content:encoded", NS)
        assert content is not None and content.text
        assert tags.index("description") < tags.index(content.tag), "description before content:encoded"
        check_safe_html(content.text, f"{path} {link} content:encoded")
        check_safe_html(item.findtext("description"), f"{path} {link} description")
        if raw_lines is not None:
            for name in ("title", "category", f"{{{NS['dc']}}}creator"):
                for element in item.findall(name):
                    check_plain_text(element, raw_lines, f"{path} {link} {name}")
        published = rfc822(item.findtext("pubDate"))
        modified = item.findtext("dcterms:modified", namespaces=NS)
        assert RFC3339_VN.match(modified), modified
        check_plausible(published, now, f"{path} {link} pubDate")
        check_plausible(dt.datetime.fromisoformat(modified), now, f"{path} {link} dcterms:modified")
        enclosure = item.find("enclosure")
        if enclosure is not None:
            assert ABSOLUTE.match(enclosure.get("url"))
            assert int(enclosure.get("length")) > 0
            assert MIME.match(enclosure.get("type"))
        categories = item.findall("category")
        assert categories and all(c.text and c.get("domain", SITE).startswith(SITE) for c in categories)
        assert (item.findtext("dc:creator", namespaces=NS) or "").strip()
        items.append({"url": link[len(SITE):], "published": published,
                      "modified": dt.datetime.fromisoformat(modified), "item": item})
    if items:
        assert last_build == max(i["modified"] for i in items), "lastBuildDate = newest item time"
    return items


def check_atom(doc: etree._Element, path: str, now: dt.datetime | None = None) -> list[dict]:
    """The RFC 4287 rules (and the W3C validator's); returns the entries as dicts.

    Titles, subtitle and summaries are plain text given as type="html" (a type="text" value with
    "</b>" in it is "ContainsUndeclaredHTML"). With the build's `now`: no date in the future."""
    atom = "{%s}" % NS["atom"]
    assert doc.tag == atom + "feed"
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    base = path[: -len("atom.xml")]
    seen_entry = False
    for child in doc:
        if child.tag == atom + "entry":
            seen_entry = True
        else:
            assert not seen_entry, "feed metadata must come before the entries"
    for name in ("id", "title", "updated"):
        assert len(doc.findall(f"atom:{name}", NS)) == 1, (path, name)
    assert doc.findtext("atom:id", namespaces=NS) == a(base)
    assert doc.find("atom:generator", NS) is None
    updated = doc.findtext("atom:updated", namespaces=NS)
    assert RFC3339_VN.match(updated), updated
    check_plausible(dt.datetime.fromisoformat(updated), now, f"{path} updated")
    for name in ("title", "subtitle"):
        for element in doc.findall(f"atom:{name}", NS):
            check_html_text(element, f"{path} feed/{name}")
    assert doc.find("atom:author/atom:name", NS).text.strip()
    links = doc.findall("atom:link", NS)
    selfs = [link for link in links if link.get("rel") == "self"]
    assert len(selfs) == 1 and selfs[0].get("href") == a(path) and selfs[0].get("type") == "application/atom+xml"
    alternates = [link for link in links if link.get("rel") == "alternate"]
    assert len(alternates) == 1 and alternates[0].get("href") == a(base) and alternates[0].get("type") == "text/html"
    for name in ("icon", "logo"):
        value = doc.findtext(f"atom:{name}", namespaces=NS)
        assert value is None or ABSOLUTE.match(value)
    entries, ids = [], set()
    for entry in doc.findall("atom:entry", NS):
        for name in ("id", "title", "updated", "published", "content", "summary"):
            assert len(entry.findall(f"atom:{name}", NS)) <= 1, (path, name)
        for name in ("id", "title", "updated", "published"):
            assert (entry.findtext(f"atom:{name}", namespaces=NS) or "").strip(), (path, name)
        entry_id = entry.findtext("atom:id", namespaces=NS)
        assert entry_id.startswith(SITE) and entry_id not in ids
        ids.add(entry_id)
        assert check_html_text(entry.find("atom:title", NS), f"{path} {entry_id} title").strip()
        assert entry.find("atom:author/atom:name", NS).text.strip()
        published = entry.findtext("atom:published", namespaces=NS)
        entry_updated = entry.findtext("atom:updated", namespaces=NS)
        assert RFC3339_VN.match(published) and RFC3339_VN.match(entry_updated)
        assert entry_updated >= published
        check_plausible(dt.datetime.fromisoformat(published), now, f"{path} {entry_id} published")
        check_plausible(dt.datetime.fromisoformat(entry_updated), now, f"{path} {entry_id} updated")
        content = entry.find("atom:content", NS)
        assert content.get("type") == "html" and content.text
        check_safe_html(content.text, f"{path} {entry_id} content")
        summary = entry.find("atom:summary", NS)
        assert summary is None or check_html_text(summary, f"{path} {entry_id} summary").strip()
        links = entry.findall("atom:link", NS)
        by_rel: dict[str, list] = {}
        for link in links:
            assert link.get("rel") in ("alternate", "enclosure"), link.attrib
            assert ABSOLUTE.match(link.get("href"))
            by_rel.setdefault(link.get("rel"), []).append(link)
        assert len(by_rel["alternate"]) == 1 and by_rel["alternate"][0].get("href") == entry_id
        assert by_rel["alternate"][0].get("type") == "text/html"
        for enclosure in by_rel.get("enclosure", []):
            assert int(enclosure.get("length")) > 0 and MIME.match(enclosure.get("type"))
        for category in entry.findall("atom:category", NS):
            assert category.get("term") and category.get("label") and category.get("scheme").startswith(SITE)
        entries.append({"url": entry_id[len(SITE):], "published": dt.datetime.fromisoformat(published),
                        "updated": dt.datetime.fromisoformat(entry_updated), "entry": entry})
    if entries:
        assert dt.datetime.fromisoformat(updated) == max(e["updated"] for e in entries)
    return entries


# --- the built fixture site -------------------------------------------------------------------

def test_every_feed_exists_for_site_categories_and_units(site):
    expected = set()
    for base in EXPECTED:
        expected |= {base + "rss.xml", base + "atom.xml"}
    assert set(feed_paths(site.site)) == expected
    assert not site.exists("assets/feed.xsl")  # no XSLT: browsers are removing it (issue 18)


def validate(built, rel: str, now: dt.datetime) -> list[dict]:
    """Every rule above for one feed file of a built site."""
    raw = (built.site / rel).read_bytes()
    doc = etree.fromstring(raw)
    if rel.endswith("rss.xml"):
        return check_rss(doc, rel, raw=raw, now=now)
    return check_atom(doc, rel, now=now)


@pytest.mark.parametrize("base", list(EXPECTED))
def test_feeds_list_published_articles_newest_first(site, base):
    rss_items = validate(site, base + "rss.xml", moment(BUILD_DATE))
    atom_entries = validate(site, base + "atom.xml", moment(BUILD_DATE))
    assert [i["url"] for i in rss_items] == EXPECTED[base]
    assert [e["url"] for e in atom_entries] == EXPECTED[base]
    for kind in ("rss.xml", "atom.xml"):
        result = parsed(site, base + kind)
        assert result.version == ("rss20" if kind == "rss.xml" else "atom10")
        assert result.feed.language == "vi"
        assert [e.link for e in result.entries] == [a(u) for u in EXPECTED[base]]
        raw = (site.site / base / kind).read_bytes()
        for slug in NEVER:
            assert slug.encode() not in raw


def test_feed_channels_describe_the_site_not_the_build(site):
    rss = parsed(site, "rss.xml").feed
    assert rss.title == "Tin cải cách hành chính"
    assert rss.subtitle == "Tin tức cải cách hành chính của Sở Giáo dục và Đào tạo tỉnh Vĩnh Long."
    assert rss.link == SITE
    assert rss.image.href == a("assets/logo.png") and site.exists("assets/logo.png")
    category = parsed(site, "chuyen-muc/thu-tuc-hanh-chinh/atom.xml").feed
    assert html.unescape(category.title) == "Thủ tục hành chính & một cửa – Tin cải cách hành chính"
    assert html.unescape(category.subtitle) == "Tin về thủ tục hành chính <và> cơ chế một cửa."
    assert category.link == a("chuyen-muc/thu-tuc-hanh-chinh/")
    # the newest item's time, never the build time
    assert xml(site, "rss.xml").findtext("channel/lastBuildDate") == "Tue, 20 May 2025 10:15:00 +0700"
    assert xml(site, "atom.xml").findtext("atom:updated", namespaces=NS) == "2025-05-20T10:15:00+07:00"
    assert xml(site, "chuyen-muc/chinh-quyen-so/rss.xml").findtext("channel/lastBuildDate") == \
        "Mon, 05 May 2025 08:00:00 +0700"
    # an empty feed is valid and still dated by content, not by the build
    empty = xml(site, "chuyen-muc/ky-luat-ky-cuong/atom.xml")
    assert empty.findall("atom:entry", NS) == []
    assert empty.findtext("atom:updated", namespaces=NS) == "2025-05-20T10:15:00+07:00"
    for rel in feed_paths(site.site):
        raw = (site.site / rel).read_bytes()
        assert b"2025-06-01" not in raw and b"01 Jun 2025" not in raw, rel
        assert b"feedgen" not in raw, rel
        assert b"2026" not in raw, rel  # the future `updated:` of FUTURE_UPDATE (see below)


def test_times_are_vietnam_time(site):
    rss = {i["url"]: i["item"] for i in check_rss(xml(site, "rss.xml"), "rss.xml")}
    atom = {e["url"]: e["entry"] for e in check_atom(xml(site, "atom.xml"), "atom.xml")}
    # a date without time is 00:00 +07:00
    assert rss[DATE_ONLY].findtext("pubDate") == "Thu, 10 Apr 2025 00:00:00 +0700"
    assert atom[DATE_ONLY].findtext("atom:published", namespaces=NS) == "2025-04-10T00:00:00+07:00"
    # updated: from the front matter
    assert atom[DATE_ONLY].findtext("atom:updated", namespaces=NS) == "2025-04-12T14:00:00+07:00"
    assert rss[DATE_ONLY].findtext("dcterms:modified", namespaces=NS) == "2025-04-12T14:00:00+07:00"
    # a time given in UTC is shown in Vietnam time (same instant)
    assert rss[UTC_TIME].findtext("pubDate") == "Mon, 05 May 2025 08:00:00 +0700"
    assert atom[UTC_TIME].findtext("atom:published", namespaces=NS) == "2025-05-05T08:00:00+07:00"
    assert rss[HOSTILE].findtext("pubDate") == "Tue, 20 May 2025 10:15:00 +0700"
    entry = parsed(site, "atom.xml").entries[0]
    assert entry.published_parsed[:5] == (2025, 5, 20, 3, 15)  # 10:15 +07:00 = 03:15 UTC


def test_an_update_dated_after_the_build_shows_the_publication_time(site):
    """`updated: 2026-01-15` in a site built on 2025-06-01: a date in the future would be the
    validator's "ImplausibleDate" (and readers would sort the item first for months); the feeds
    show the publication time, never the build time (rebuilds stay byte-identical)."""
    rss = {i["url"]: i["item"] for i in check_rss(xml(site, "rss.xml"), "rss.xml")}
    atom = {e["url"]: e["entry"] for e in check_atom(xml(site, "atom.xml"), "atom.xml")}
    assert rss[FUTURE_UPDATE].findtext("pubDate") == "Thu, 20 Mar 2025 08:00:00 +0700"
    assert rss[FUTURE_UPDATE].findtext("dcterms:modified", namespaces=NS) == "2025-03-20T08:00:00+07:00"
    assert atom[FUTURE_UPDATE].findtext("atom:updated", namespaces=NS) == "2025-03-20T08:00:00+07:00"
    for base in ("", "chuyen-muc/chinh-quyen-so/", "don-vi/thanh-tra/"):  # channel times: newest item
        assert xml(site, base + "atom.xml").findtext("atom:updated", namespaces=NS) != "2026-01-15T08:00:00+07:00"
    assert xml(site, "don-vi/thanh-tra/rss.xml").findtext("channel/lastBuildDate") == "Mon, 05 May 2025 08:00:00 +0700"


def test_an_update_is_shown_once_its_time_has_passed():
    build = _build(now="2026-02-01 00:00")
    writer = feeds.FeedWriter(build)
    spec = next(s for s in feeds.feed_specs(build) if s.base == "don-vi/thanh-tra/")
    doc = etree.fromstring(writer.atom(spec, None))
    entries = {e.findtext("atom:id", namespaces=NS): e for e in doc.findall("atom:entry", NS)}
    assert entries[a(FUTURE_UPDATE)].findtext("atom:updated", namespaces=NS) == "2026-01-15T08:00:00+07:00"
    assert doc.findtext("atom:updated", namespaces=NS) == "2026-01-15T08:00:00+07:00"
    rss = etree.fromstring(writer.rss(spec, None))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 15 Jan 2026 08:00:00 +0700"
    check_atom(doc, spec.atom_path, now=build.now)


def test_titles_and_summaries_are_text_never_markup(site):
    for rel in ("rss.xml", "atom.xml", "chuyen-muc/thu-tuc-hanh-chinh/rss.xml", "don-vi/van-phong/atom.xml"):
        raw = (site.site / rel).read_bytes()
        assert b"<script" not in raw, rel
        assert b"]]>" not in raw.replace(b"?>", b""), rel  # "]]>" only ever escaped
        assert (b"]]&gt;" if rel.endswith("rss.xml") else b"]]&amp;gt;") in raw, rel
        first = parsed(site, rel).entries[0]
        if rel.endswith("rss.xml"):  # plain text
            assert first.title == HOSTILE_TITLE and first.title_detail.type == "text/plain"
        else:  # HTML that is only text: a reader shows exactly the title
            assert first.title_detail.type == "text/html" and html.unescape(first.title) == HOSTILE_TITLE
    rss_item = xml(site, "rss.xml").find("channel/item")
    assert rss_item.findtext("title") == HOSTILE_TITLE
    # RSS profile: "<" and "&" of plain text as character references
    raw = (site.site / "chuyen-muc/thu-tuc-hanh-chinh/rss.xml").read_text(encoding="utf-8")
    assert "<title>&#x3C;script&gt;alert(1)&#x3C;/script&gt; &#x26; \"quotes\" ]]&gt; Tiêu đề" in raw
    assert "<description>Tin về thủ tục hành chính &#x3C;và&gt; cơ chế một cửa.</description>" in raw
    assert ">Thủ tục hành chính &#x26; một cửa</category>" in raw
    # the RSS description is HTML: the plain summary is escaped once, so it reads the same
    assert rss_item.findtext("description") == "Tóm tắt có &lt;b&gt;thẻ&lt;/b&gt; &amp; ký tự GD&amp;ĐT."
    # Atom: type="html", the text escaped once
    atom_entry = xml(site, "atom.xml").find("atom:entry", NS)
    title = atom_entry.find("atom:title", NS)
    assert title.get("type") == "html"
    assert title.text == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" ]]&gt; Tiêu đề có ký tự đặc biệt"
    summary = atom_entry.find("atom:summary", NS)
    assert summary.get("type") == "html"
    assert summary.text == "Tóm tắt có &lt;b&gt;thẻ&lt;/b&gt; &amp; ký tự GD&amp;ĐT."
    assert html.unescape(parsed(site, "atom.xml").entries[0].summary) == "Tóm tắt có <b>thẻ</b> & ký tự GD&ĐT."
    subtitle = xml(site, "chuyen-muc/thu-tuc-hanh-chinh/atom.xml").find("atom:subtitle", NS)
    assert (subtitle.get("type"), subtitle.text) == ("html", "Tin về thủ tục hành chính &lt;và&gt; cơ chế một cửa.")
    category = xml(site, "rss.xml").find("channel/item/category")
    assert category.text == "Thủ tục hành chính & một cửa"


def test_content_is_the_article_html_with_absolute_urls(site):
    rss = {i["url"]: i["item"] for i in check_rss(xml(site, "rss.xml"), "rss.xml")}
    content = rss[HOSTILE].findtext("content:encoded", namespaces=NS)
    urls = html_urls(content)
    assert a("tin-tuc/2025/05/hoi-nghi-so-ket/") in urls  # [..](hoi-nghi-so-ket.md)
    assert a(HOSTILE + "#ket-qua") in urls  # [..](#ket-qua)
    # ![..](images/hoi-nghi.jpg): its published copy (cchc.pictures), never the original
    assert any(re.fullmatch(re.escape(a("tin-tuc/2025/05/images/hoi-nghi-")) + r"[0-9a-f]{10}-1\.jpg", u) for u in urls)
    assert a("tin-tuc/2025/05/images/hoi-nghi.jpg") not in urls
    assert "https://example.org/a?b=1&c=2" in urls
    assert "https://www.youtube.com/embed/abc" in urls  # the iframe became a link
    assert all(ABSOLUTE.match(u) for u in urls)
    root = lxml_html.fragment_fromstring(content, create_parent="div")
    assert root.xpath("string(.//h2)") == "Kết quả"
    assert root.xpath("string(.//td[2])") == "98%"
    assert "alert" not in content and "onclick" not in content and "position" not in content
    assert "Đoạn có thuộc tính lạ." in content
    # the same conversion the article page shows (one Markdown conversion)
    page = site.read(HOSTILE + "index.html")
    assert "Chú thích ảnh" in page and "Chú thích ảnh" in content
    assert (rss[WITH_IMAGE].findtext("content:encoded", namespaces=NS).count(a(DATE_ONLY))) == 1
    atom = {e["url"]: e["entry"] for e in check_atom(xml(site, "atom.xml"), "atom.xml")}
    assert atom[HOSTILE].findtext("atom:content", namespaces=NS) == content


def test_players_inside_a_paragraph_become_links_in_it(site):
    """A video in running text (`Mời xem <iframe …> ở trên.`) becomes a bare link in that
    paragraph, never a paragraph inside a paragraph (strictly parsed, as the validator does)."""
    item = {i["url"]: i["item"] for i in check_rss(xml(site, "rss.xml"), "rss.xml")}[FUTURE_UPDATE]
    content = item.findtext("content:encoded", namespaces=NS)
    tree = strict_html(content, "content")
    paragraphs = tree.findall("p")
    assert len(paragraphs) == 2 and [p.findall("p") for p in paragraphs] == [[], []]
    first, second = paragraphs
    assert first.text == "Mời xem " and first[0].tail == " ở trên."
    assert (first[0].tag, first[0].get("href"), first[0].text) == ("a", "https://www.youtube.com/embed/xyz",
                                                                    "Video giới thiệu")
    assert second.text == "Hoặc nghe " and second[0].tail == " tại đây."
    assert (second[0].tag, second[0].get("href")) == ("a", "https://example.org/bai-phat-bieu.mp3")


class Bodies(dict):
    """Converted article bodies as the build hands them to the feeds (`html(url)`)."""

    def html(self, url: str) -> str:
        return self.get(url, "")


def test_control_characters_never_reach_a_feed():
    """Text pasted from Word read as Latin-1 carries C1 controls (U+0080–U+009F): XML accepts
    them, HTML does not ("invalid codepoint" for the validator's strict parser). The content
    check refuses them in articles; whatever still gets through is dropped from feeds."""
    build = _build()
    bodies = Bodies({a_.url: "<p>\x93Một cửa\x94 \x96 liên thông\x7f\x85</p>" for a_ in build.published})
    writer = feeds.FeedWriter(build)
    spec = feeds.feed_specs(build)[0]
    for data in (writer.rss(spec, bodies), writer.atom(spec, bodies)):
        text = data.decode("utf-8")
        assert not re.search("[\x7f-\x9f]", text)
        assert "Một cửa  liên thông" in text
    check_rss(etree.fromstring(writer.rss(spec, bodies)), "rss.xml", raw=writer.rss(spec, bodies), now=build.now)


def test_article_image_is_an_enclosure(site):
    """The enclosure is the picture's published JPEG copy (never the original, which carries the
    phone's metadata) and its length is that file's true size, as a feed reader downloads it."""
    for rel in ("rss.xml", "atom.xml"):
        entries = {e.link: e for e in parsed(site, rel).entries}
        [enclosure] = [dict(x) for x in entries[a(WITH_IMAGE)].enclosures]
        assert re.fullmatch(re.escape(a("tin-tuc/2025/05/images/hoi-nghi-")) + r"[0-9a-f]{10}-1\.jpg",
                            enclosure["href"]), enclosure
        published = site.site / enclosure["href"][len(SITE):]
        assert enclosure["length"] == str(published.stat().st_size) and enclosure["type"] == "image/jpeg"
        assert entries[a(HOSTILE)].enclosures == []
    assert not site.exists("tin-tuc/2025/05/images/hoi-nghi.jpg")  # the original is not published


def test_categories_authors_and_units(site):
    entries = {e.link: e for e in parsed(site, "atom.xml").entries}
    two = entries[a(DATE_ONLY)]
    assert [(t.term, t.label) for t in two.tags] == [("chinh-quyen-so", "Chính quyền số"),
                                                     ("thu-tuc-hanh-chinh", "Thủ tục hành chính & một cửa")]
    assert two.author_detail.name == "Thanh tra Sở" and two.author_detail.href == a("don-vi/thanh-tra/")
    assert entries[a(WITH_IMAGE)].author == "Trần Thị B – Văn phòng Sở"
    rss = {e.link: e for e in parsed(site, "rss.xml").entries}
    assert rss[a(WITH_IMAGE)].author == "Trần Thị B – Văn phòng Sở"
    assert [t.term for t in rss[a(DATE_ONLY)].tags] == ["Chính quyền số", "Thủ tục hành chính & một cửa"]


def test_two_builds_give_byte_identical_feeds(site, rebuilt):
    paths = feed_paths(site.site)
    assert paths == feed_paths(rebuilt.site)
    for rel in paths:
        assert (site.site / rel).read_bytes() == (rebuilt.site / rel).read_bytes(), rel


def test_feeds_carry_no_stylesheet(site):
    """No `xml-stylesheet`: Chromium overlays a large English warning on XML pages styled with
    XSLT (it is being removed); people read the feeds through nhan-tin/ instead."""
    for rel in feed_paths(site.site):
        raw = (site.site / rel).read_bytes()
        assert b"xml-stylesheet" not in raw, rel
        assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<"), rel
        etree.fromstring(raw)  # still well-formed XML


def test_feed_links_open_a_readable_page_in_a_browser(site):
    """A citizen clicking "Nhận tin qua RSS/Atom" (home) or a category's link sees an ordinary
    Vietnamese page with the addresses to copy — no XSLT (Chromium is removing it and shows an
    English warning banner over styled feeds; without it a feed opens as raw XML)."""
    from browser import ARTIFACTS, VIEWPORTS, chromium, screenshot, serve_directory

    with serve_directory(site.site) as base, chromium() as browser:
        context = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page = context.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base)
        with page.expect_navigation():  # the home page's link (the footer has one too)
            page.locator("#__noi-dung").get_by_role("link", name="Nhận tin qua RSS/Atom").click()
        assert page.url == base + "nhan-tin/"
        response = page.request.get(page.url)
        assert response.headers["content-type"].startswith("text/html")  # a page, not a styled feed
        assert page.locator("h1").inner_text() == "Nhận tin qua RSS/Atom"
        assert page.get_by_role("heading", name="Nguồn tin RSS/Atom là gì?").is_visible()
        assert "ứng dụng đọc tin" in page.locator(".cchc-subscribe__about").inner_text()
        addresses = page.locator("#tat-ca-tin code")
        assert addresses.all_inner_texts() == [a("rss.xml"), a("atom.xml")]
        assert addresses.first.is_visible()
        box = addresses.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"]  # wraps, no sideways scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
        screenshot(page, "feed-subscribe-phone")
        # "Sao chép" copies the address
        copy = page.locator("#tat-ca-tin .cchc-feed-copy").first
        assert copy.is_visible() and copy.inner_text().startswith("Sao chép")
        copy.click()
        assert page.evaluate("navigator.clipboard.readText()") == a("rss.xml")
        assert page.locator("#cchc-feed-copy-status").inner_text() == "Đã sao chép địa chỉ " + a("rss.xml")

        # a category page: its own addresses, on screen
        page.goto(base + "chuyen-muc/chinh-quyen-so/")
        with page.expect_navigation():
            page.get_by_role("link", name="Nhận tin của chuyên mục này qua RSS/Atom").click()
        assert page.url == base + "nhan-tin/#chuyen-muc-chinh-quyen-so"
        entry = page.locator("#chuyen-muc-chinh-quyen-so")
        assert entry.locator("h3").inner_text() == "Chính quyền số (3 tin)"
        assert entry.locator("code").all_inner_texts() == [a("chuyen-muc/chinh-quyen-so/rss.xml"),
                                                           a("chuyen-muc/chinh-quyen-so/atom.xml")]
        header = page.locator(".md-header").bounding_box()
        top = entry.bounding_box()["y"]
        assert header["height"] <= top < VIEWPORTS["phone"]["height"] / 2, "the entry is on screen, below the header"
        page.screenshot(path=str(ARTIFACTS / "feed-subscribe-category-phone.png"))  # what the phone shows
        assert dialogs == [] and errors == []


def _alternates(site, page: str) -> dict[str, str]:
    doc = lxml_html.fromstring(site.read(page))
    found = {}
    for link in doc.xpath("//head/link[@rel='alternate']"):
        target = urljoin(page, link.get("href"))
        found[target] = link.get("type")
        assert site.exists(target), (page, link.get("href"))
    return found


SITE_FEEDS = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}


@pytest.mark.parametrize("page, own", [
    ("index.html", ""),
    ("chuyen-muc/thu-tuc-hanh-chinh/index.html", "chuyen-muc/thu-tuc-hanh-chinh/"),
    ("chuyen-muc/ky-luat-ky-cuong/index.html", "chuyen-muc/ky-luat-ky-cuong/"),
    ("don-vi/thanh-tra/index.html", "don-vi/thanh-tra/"),
    (HOSTILE + "index.html", ""),
    ("luu-tru/index.html", ""),
    ("gioi-thieu/index.html", ""),
    ("404.html", ""),
])
def test_every_page_advertises_the_feeds(site, page, own):
    if page == "404.html":  # served at any depth: its links are absolute paths
        doc = lxml_html.fromstring(site.read(page))
        hrefs = {link.get("href"): link.get("type") for link in doc.xpath("//head/link[@rel='alternate']")}
        assert hrefs == {urlsplit(SITE).path + k: v for k, v in SITE_FEEDS.items()}
        return
    expected = dict(SITE_FEEDS)
    if own:
        expected.update({own + "rss.xml": "application/rss+xml", own + "atom.xml": "application/atom+xml"})
    assert _alternates(site, page) == expected


@pytest.mark.parametrize("page, target, text", [
    ("index.html", "nhan-tin/", "Nhận tin qua RSS/Atom"),
    ("chuyen-muc/thu-tuc-hanh-chinh/index.html", "nhan-tin/#chuyen-muc-thu-tuc-hanh-chinh",
     "Nhận tin của chuyên mục này qua RSS/Atom"),
    ("chuyen-muc/ky-luat-ky-cuong/index.html", "nhan-tin/#chuyen-muc-ky-luat-ky-cuong",
     "Nhận tin của chuyên mục này qua RSS/Atom"),
    ("don-vi/thanh-tra/index.html", "nhan-tin/#don-vi-thanh-tra", "Nhận tin của đơn vị này qua RSS/Atom"),
])
def test_visible_feed_links_open_the_subscribe_page(site, page, target, text):
    """The visible links lead to the HTML page (at the page's own feeds), never to raw XML."""
    doc = lxml_html.fromstring(site.read(page))
    links = {urljoin(page, a_.get("href")): a_.text_content().strip() for a_ in doc.xpath("//body//a[@href]")}
    assert not [link for link in links if link.split("#")[0].endswith(".xml")], page
    assert links.get(target) == text, (page, links)
    path, _, anchor = target.partition("#")
    subscribe = lxml_html.fromstring(site.read(path + "index.html"))
    if anchor:
        own = page[: -len("index.html")]
        entry = subscribe.get_element_by_id(anchor)
        assert [c.text_content() for c in entry.xpath(".//code")] == [a(own + "rss.xml"), a(own + "atom.xml")]
    # the feeds carry no XSL: this page is their human view
    raw = (site.site / "rss.xml").read_bytes()
    assert b"xml-stylesheet" not in raw


def test_subscribe_page_lists_every_feed(site):
    doc = lxml_html.fromstring(site.read("nhan-tin/index.html"))
    assert doc.findtext(".//title").startswith("Nhận tin qua RSS/Atom")
    body = doc.xpath("//article[contains(@class, 'cchc-subscribe')]")[0]
    about = body.text_content()
    assert "ứng dụng đọc tin" in about and "Nguồn tin RSS/Atom là gì?" in about
    entries = body.xpath(".//li[contains(@class, 'cchc-feed')]")
    # the site, then categories and units, each in Vietnamese alphabetical order
    order = ["", "chuyen-muc/chinh-quyen-so/", "chuyen-muc/ky-luat-ky-cuong/", "chuyen-muc/thu-tuc-hanh-chinh/",
             "don-vi/phong-gddt-a/", "don-vi/thanh-tra/", "don-vi/van-phong/"]
    assert sorted(order) == sorted(EXPECTED)
    assert [e.get("id") for e in entries] == ["tat-ca-tin", "chuyen-muc-chinh-quyen-so", "chuyen-muc-ky-luat-ky-cuong",
                                              "chuyen-muc-thu-tuc-hanh-chinh", "don-vi-phong-gddt-a",
                                              "don-vi-thanh-tra", "don-vi-van-phong"]
    for entry, base in zip(entries, order):
        addresses = [c.text_content() for c in entry.xpath(".//code")]
        assert addresses == [a(base + "rss.xml"), a(base + "atom.xml")], base
        for address in addresses:
            assert site.exists(address[len(SITE):]), address
        assert [dt_.text_content() for dt_ in entry.xpath(".//dt")] == ["RSS", "Atom"]
        copy = entry.xpath(".//button[contains(@class, 'cchc-feed-copy')]")
        assert [b.get("data-copy") for b in copy] == addresses
        count = len(EXPECTED[base])
        if count:
            page_link = entry.xpath(".//h3/a")[0]
            assert urljoin(a("nhan-tin/"), page_link.get("href")) == a(base), base
            assert entry.xpath("string(.//h3)").endswith(f"({count} tin)"), base
        else:  # an empty listing is named, not linked (issue 18); its feed is still offered
            assert not entry.xpath(".//h3/a") and entry.xpath("string(.//h3)").endswith("(chưa có tin)"), base
    names = [e.xpath("string(.//h3)").rsplit(" (", 1)[0] for e in entries]
    assert names == ["Tất cả tin", "Chính quyền số", "Kỷ luật, kỷ cương", "Thủ tục hành chính & một cửa",
                     "Phòng GD&ĐT huyện A", "Thanh tra Sở", "Văn phòng Sở"]
    assert a("nhan-tin/") in site.read("sitemap.xml")
    # readers still find the feeds themselves in the page's head
    assert _alternates(site, "nhan-tin/index.html") == SITE_FEEDS


def test_missing_site_url_is_a_clear_build_error(tmp_path):
    built = build_site(tmp_path, CONTENT, build_date=BUILD_DATE, config={"site_url": None})
    assert not built.ok
    assert "mkdocs.yml" in built.output and "site_url" in built.output
    assert "RSS/Atom" in built.output and "Traceback" not in built.output
    assert not (tmp_path / "site" / "rss.xml").exists()


# --- the domain package, without MkDocs -------------------------------------------------------

def _build(preview: bool = False, feed_limit: int = 50, site_url: str = SITE, now: str = BUILD_DATE) -> SiteBuild:
    settings = SiteSettings(content_dir=CONTENT.resolve(), site_url=site_url, preview=preview,
                            feed_limit=feed_limit, department="Sở Giáo dục và Đào tạo",
                            province="tỉnh Bến Tre", logo="assets/logo.svg")
    moment = dt.datetime.strptime(now, "%Y-%m-%d %H:%M").replace(tzinfo=VN)
    return SiteBuild(load_content(CONTENT), settings, moment)


def test_feeds_never_show_drafts_or_scheduled_even_in_preview():
    build = _build(preview=True)
    shown = {a_.slug for a_ in build.articles}
    assert set(NEVER) <= shown  # the preview shows them on pages…
    writer = feeds.FeedWriter(build)
    for spec in feeds.feed_specs(build):
        assert not set(NEVER) & {a_.slug for a_ in spec.articles}
        for data in (writer.rss(spec, None), writer.atom(spec, None)):  # no converted HTML: summary as content
            assert b"ban-nhap" not in data and b"hen-gio" not in data
            assert not feedparser.parse(data).bozo


def test_feed_limit_keeps_the_newest():
    build = _build(feed_limit=2)
    site_spec = feeds.feed_specs(build)[0]
    assert [a_.url for a_ in site_spec.articles] == EXPECTED[""][:2]
    entries = feedparser.parse(feeds.FeedWriter(build).atom(site_spec, None)).entries
    assert [e.link for e in entries] == [a(u) for u in EXPECTED[""][:2]]
    assert SiteSettings(content_dir=CONTENT).feed_limit == 50
    with pytest.raises(SettingsError, match="feed_limit"):
        SiteSettings.from_mapping({"feed_limit": 0}, base_dir=ROOT, site_url=SITE)


def test_each_article_is_converted_once_per_build(monkeypatch):
    """An article is in the site feed, its categories' and its unit's, each as RSS and Atom: its
    body is parsed and made absolute once for all of them, and the output is the same as with a
    separate conversion per feed. Its data is released after the last feed that lists it."""
    build = _build()
    bodies = Bodies({a_.url: f'<p>Bài <a href="../khac/">{a_.slug}</a></p>' for a_ in build.published})
    real = feeds.feed_html
    calls: list[str] = []
    monkeypatch.setattr(feeds, "feed_html", lambda fragment, base: calls.append(base) or real(fragment, base))
    specs = feeds.feed_specs(build)
    writer = feeds.FeedWriter(build, specs)
    shared = {path: (writer.rss if kind == "rss" else writer.atom)(spec, bodies)
              for path, kind, spec in feeds.feed_files(specs)}
    listed = {a_.url for spec in specs for a_ in spec.articles}
    assert sorted(calls) == sorted(a(u) for u in listed) and len(listed) == 5
    assert writer._entries == {}, "nothing kept after the last feed"
    for path, kind, spec in feeds.feed_files(specs):
        alone = feeds.FeedWriter(build)
        assert (alone.rss if kind == "rss" else alone.atom)(spec, bodies) == shared[path], path
    # only what the feeds list is ever converted: with one item per feed, the newest of each
    calls.clear()
    build = _build(feed_limit=1)
    specs = feeds.feed_specs(build)
    writer = feeds.FeedWriter(build, specs)
    for path, kind, spec in feeds.feed_files(specs):
        (writer.rss if kind == "rss" else writer.atom)(spec, bodies)
    assert sorted(calls) == sorted([a(HOSTILE), a(UTC_TIME)])
    assert all(len(spec.articles) <= 1 for spec in specs)


def test_ids_do_not_change_when_title_or_body_is_edited(tmp_path):
    before = _build()
    writer = feeds.FeedWriter(before)
    spec = feeds.feed_specs(before)[0]
    old_rss, old_atom = feedparser.parse(writer.rss(spec, None)), feedparser.parse(writer.atom(spec, None))
    content = copy_content(tmp_path, CONTENT)
    source = content / "news/2025/05/hoi-nghi-so-ket.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace('title: "Hội nghị sơ kết cải cách hành chính 6 tháng"', 'title: "Tiêu đề đã sửa"')
    source.write_text(text + "\nĐoạn bổ sung sau khi đăng.\n", encoding="utf-8")
    settings = SiteSettings(content_dir=content.resolve(), site_url=SITE)
    after = SiteBuild(load_content(content), settings, before.now)
    writer = feeds.FeedWriter(after)
    spec = feeds.feed_specs(after)[0]
    new_rss, new_atom = feedparser.parse(writer.rss(spec, None)), feedparser.parse(writer.atom(spec, None))
    for old, new in ((old_rss, new_rss), (old_atom, new_atom)):
        assert [e.id for e in old.entries] == [e.id for e in new.entries]
        assert [e.title for e in new.entries][1] == "Tiêu đề đã sửa" != old.entries[1].title
        assert new.entries[1].id == a(WITH_IMAGE)


def test_no_site_url_no_feeds():
    with pytest.raises(SettingsError, match="site_url"):
        feeds.FeedWriter(_build(site_url=""))


def test_rss_image_is_never_svg(tmp_path):
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    settings = SiteSettings.from_mapping({}, base_dir=ROOT, site_url=SITE, theme_logo="assets/logo.svg", docs_dir=docs)
    assert settings.logo == "assets/logo.svg" and settings.feed_image == ""
    (docs / "assets" / "logo.png").write_bytes(b"png")
    settings = SiteSettings.from_mapping({}, base_dir=ROOT, site_url=SITE, theme_logo="assets/logo.svg", docs_dir=docs)
    assert settings.feed_image == "assets/logo.png"
    settings = SiteSettings.from_mapping({"feed_image": "img/rss.gif", "logo": "img/logo.jpg"}, base_dir=ROOT,
                                         site_url=SITE, theme_logo="assets/logo.svg", docs_dir=docs)
    assert (settings.feed_image, settings.logo) == ("img/rss.gif", "img/logo.jpg")


@pytest.mark.parametrize("fragment, expected", [
    ('<p><a href="../khac/">x</a></p>', f'<p><a href="{SITE}tin-tuc/2025/05/khac/">x</a></p>'),
    ('<p><a href="#muc">x</a></p>', f'<p><a href="{SITE}tin-tuc/2025/05/bai/#muc">x</a></p>'),
    ('<p><a href="mailto:a@b.vn">x</a> <a href="javascript:alert(1)">y</a></p>',
     '<p><a href="mailto:a@b.vn">x</a> <a>y</a></p>'),
    ('<img src="../images/a.jpg" srcset="../images/b.jpg 2x" loading="lazy" alt="A">',
     f'<img src="{SITE}tin-tuc/2025/05/images/a.jpg" alt="A">'),
    ('<h2 id="muc">Mục<a class="headerlink" href="#muc" title="Liên kết">#</a></h2>', '<h2 id="muc">Mục</h2>'),
    ('<video controls><source src="v.mp4"></video>',
     f'<p><a href="{SITE}tin-tuc/2025/05/bai/v.mp4">Xem nội dung đa phương tiện</a></p>'),
    ('<figure><img src="a.png" alt=""><figcaption>Chú thích</figcaption></figure>',
     f'<div><img src="{SITE}tin-tuc/2025/05/bai/a.png" alt=""><p>Chú thích</p></div>'),
    ('<p style="text-align: center">a &lt; b &amp; c</p><custom-tag>giữ chữ</custom-tag>',
     '<p style="text-align: center">a &lt; b &amp; c</p>giữ chữ'),
    ('Chữ đầu <!-- ghi chú --><script>x()</script><style>p{}</style>cuối', 'Chữ đầu cuối'),
    ("<p>Dán từ Word\x0b\x0cvẫn hợp lệ\x00</p>", "<p>Dán từ Wordvẫn hợp lệ</p>"),
    # C1 controls (Windows-1252 read as Latin-1), DEL and noncharacters: "invalid codepoint" in HTML
    ("<p>\x93Một cửa\x94 \x96 liên thông\x7f\x9f\ufdd0\U0001fffe\U0010ffff 𠀀 😀</p>",
     "<p>Một cửa  liên thông 𠀀 😀</p>"),
    # players: a paragraph of their own where a block may stand, a bare link inside running text
    ('<p>Mời xem <iframe src="https://www.youtube.com/embed/x" title="Video"></iframe> ở trên.</p>',
     '<p>Mời xem <a href="https://www.youtube.com/embed/x">Video</a> ở trên.</p>'),
    ('<h2>Ghi âm <audio controls src="a.mp3"></audio></h2>',
     f'<h2>Ghi âm <a href="{SITE}tin-tuc/2025/05/bai/a.mp3">Xem nội dung đa phương tiện</a></h2>'),
    ('<p><em>Xem <video src="v.mp4"></video></em> nhé</p>',
     f'<p><em>Xem <a href="{SITE}tin-tuc/2025/05/bai/v.mp4">Xem nội dung đa phương tiện</a></em> nhé</p>'),
    ('<p><a href="../khac/">Xem <video src="v.mp4"></video></a></p>',  # no link inside a link
     f'<p><a href="{SITE}tin-tuc/2025/05/khac/">Xem <span>Xem nội dung đa phương tiện</span></a></p>'),
    ('<ul><li><iframe src="https://www.youtube.com/embed/x"></iframe></li></ul>',
     '<ul><li><p><a href="https://www.youtube.com/embed/x">Xem nội dung đa phương tiện</a></p></li></ul>'),
    ("", ""),
])
def test_feed_html(fragment, expected):
    result = feeds.feed_html(fragment, SITE + "tin-tuc/2025/05/bai/")
    assert result == expected
    if result:
        check_safe_html(result, fragment)  # valid HTML for a strict parser


def test_media_types_do_not_depend_on_the_machine():
    assert feeds.media_type("a/b.JPG") == "image/jpeg"
    assert feeds.media_type("x.webp") == "image/webp"
    assert feeds.media_type("x.png") == "image/png"
    assert feeds.media_type("x.unknown-ext") == "application/octet-stream"
    assert feeds.url_path("tin-tuc/2025/05/images/ảnh hội nghị.jpg") == \
        "tin-tuc/2025/05/images/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg"


# --- the real sample content ------------------------------------------------------------------

def test_sample_site_feeds_are_valid(tmp_path):
    built = build_site(tmp_path, SAMPLE_CONTENT)
    assert built.ok, built.output
    paths = feed_paths(built.site)
    assert "rss.xml" in paths and "atom.xml" in paths
    for rel in paths:
        validate(built, rel, moment(DEFAULT_BUILD_DATE))
        result = feedparser.parse((built.site / rel).read_bytes())
        assert not result.bozo, (rel, result.get("bozo_exception"))
