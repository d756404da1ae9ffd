"""RSS 2.0 and Atom feeds: what subscribers and the W3C Feed Validation Service see.

The fixture corpus (tests/fixtures/feeds) is built like the real site; every feed is parsed with
feedparser (no bozo) and lxml, and checked against the rules of the W3C Feed Validation Service
that can be checked offline (RSS 2.0 spec + RSS Advisory Board profile, RFC 4287), written out
here independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from cchc import feeds
from cchc.build import SiteBuild
from cchc.content import load_content
from cchc.settings import SettingsError, SiteSettings
from support import FIXTURES, ROOT, SAMPLE_CONTENT, build_site, copy_content

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
NEVER = ("ban-nhap", "hen-gio")  # a draft and a scheduled article

# feed path → the article URLs it must list, newest first
EXPECTED = {
    "": [HOSTILE, WITH_IMAGE, UTC_TIME, DATE_ONLY],
    "chuyen-muc/thu-tuc-hanh-chinh/": [HOSTILE, WITH_IMAGE, DATE_ONLY],
    "chuyen-muc/chinh-quyen-so/": [UTC_TIME, DATE_ONLY],
    "chuyen-muc/ky-luat-ky-cuong/": [],
    "don-vi/van-phong/": [HOSTILE, WITH_IMAGE],
    "don-vi/thanh-tra/": [UTC_TIME, DATE_ONLY],
    "don-vi/phong-gddt-a/": [],
}

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


def check_safe_html(fragment: str, where: str) -> None:
    """No relative URL, no script, only what the validator calls safe HTML."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if element is root or not isinstance(element.tag, str):
            continue
        assert element.tag in VALIDATOR_ELEMENTS, (where, element.tag)
        for name, value in element.attrib.items():
            assert name in VALIDATOR_ATTRIBUTES, (where, element.tag, name)
            assert not name.lower().startswith("on"), (where, name)
            if name in ("href", "src", "cite", "longdesc"):
                assert ABSOLUTE.match(value), (where, name, value)
    assert "<script" not in fragment.lower() and "headerlink" not in fragment, where


def check_rss(doc: etree._Element, path: str) -> list[dict]:
    """The RSS 2.0 rules (spec, RSS profile, W3C validator); returns the items as dicts."""
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
    last_build = rfc822(channel.findtext("lastBuildDate"))
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
        published = rfc822(item.findtext("pubDate"))
        modified = item.findtext("dcterms:modified", namespaces=NS)
        assert RFC3339_VN.match(modified), modified
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


def check_atom(doc: etree._Element, path: str) -> list[dict]:
    """The RFC 4287 rules (and the W3C validator's); returns the entries as dicts."""
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
        assert entry.find("atom:title", NS).get("type") in (None, "text")
        assert entry.find("atom:author/atom:name", NS).text.strip()
        published = entry.findtext("atom:published", namespaces=NS)
        entry_updated = entry.findtext("atom:updated", namespaces=NS)
        assert RFC3339_VN.match(published) and RFC3339_VN.match(entry_updated)
        assert entry_updated >= published
        content = entry.find("atom:content", NS)
        assert content.get("type") == "html" and content.text
        check_safe_html(content.text, f"{path} {entry_id} content")
        summary = entry.find("atom:summary", NS)
        assert summary is None or (summary.get("type") in (None, "text") and summary.text)
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
    assert site.exists(feeds.XSL_PATH)


@pytest.mark.parametrize("base", list(EXPECTED))
def test_feeds_list_published_articles_newest_first(site, base):
    rss_items = check_rss(xml(site, base + "rss.xml"), base + "rss.xml")
    atom_entries = check_atom(xml(site, base + "atom.xml"), base + "atom.xml")
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
    assert rss.subtitle == "Tin tức cải cách hành chính của Sở Giáo dục và Đào tạo tỉnh Bến Tre."
    assert rss.link == SITE
    assert rss.image.href == a("assets/logo.png") and site.exists("assets/logo.png")
    category = parsed(site, "chuyen-muc/thu-tuc-hanh-chinh/atom.xml").feed
    assert category.title == "Thủ tục hành chính & một cửa – Tin cải cách hành chính"
    assert category.subtitle == "Tin về thủ tục hành chính <và> cơ chế một cửa."
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


def test_titles_and_summaries_are_text_never_markup(site):
    for rel in ("rss.xml", "atom.xml", "chuyen-muc/thu-tuc-hanh-chinh/rss.xml", "don-vi/van-phong/atom.xml"):
        raw = (site.site / rel).read_bytes()
        assert b"<script" not in raw, rel
        assert b"]]&gt;" in raw and b"]]>" not in raw.replace(b"?>", b""), rel
        first = parsed(site, rel).entries[0]
        assert first.title == HOSTILE_TITLE
        assert first.title_detail.type == "text/plain"
    rss_item = xml(site, "rss.xml").find("channel/item")
    assert rss_item.findtext("title") == HOSTILE_TITLE
    # the RSS description is HTML: the plain summary is escaped once, so it reads the same
    assert rss_item.findtext("description") == "Tóm tắt có &lt;b&gt;thẻ&lt;/b&gt; &amp; ký tự GD&amp;ĐT."
    atom_entry = xml(site, "atom.xml").find("atom:entry", NS)
    assert atom_entry.findtext("atom:title", namespaces=NS) == HOSTILE_TITLE
    assert atom_entry.findtext("atom:summary", namespaces=NS) == "Tóm tắt có <b>thẻ</b> & ký tự GD&ĐT."
    assert parsed(site, "atom.xml").entries[0].summary == "Tóm tắt có <b>thẻ</b> & ký tự GD&ĐT."
    category = xml(site, "rss.xml").find("channel/item/category")
    assert category.text == "Thủ tục hành chính & một cửa"


def test_content_is_the_article_html_with_absolute_urls(site):
    rss = {i["url"]: i["item"] for i in check_rss(xml(site, "rss.xml"), "rss.xml")}
    content = rss[HOSTILE].findtext("content:encoded", namespaces=NS)
    urls = html_urls(content)
    assert a("tin-tuc/2025/05/hoi-nghi-so-ket/") in urls  # [..](hoi-nghi-so-ket.md)
    assert a(HOSTILE + "#ket-qua") in urls  # [..](#ket-qua)
    assert a("tin-tuc/2025/05/images/hoi-nghi.jpg") in urls  # ![..](images/hoi-nghi.jpg)
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


def test_article_image_is_an_enclosure(site):
    image = CONTENT / "news/2025/05/images/hoi-nghi.jpg"
    expected = {"href": a("tin-tuc/2025/05/images/hoi-nghi.jpg"), "length": str(image.stat().st_size),
                "type": "image/jpeg"}
    for rel in ("rss.xml", "atom.xml"):
        entries = {e.link: e for e in parsed(site, rel).entries}
        assert [dict(x) for x in entries[a(WITH_IMAGE)].enclosures] == [expected]
        assert entries[a(HOSTILE)].enclosures == []
    assert site.exists("tin-tuc/2025/05/images/hoi-nghi.jpg")


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
    for rel in paths + [feeds.XSL_PATH]:
        assert (site.site / rel).read_bytes() == (rebuilt.site / rel).read_bytes(), rel


def test_feeds_open_as_a_readable_vietnamese_page(site):
    transform = etree.XSLT(etree.parse(str(site.site / feeds.XSL_PATH)))
    assert b"disable-output-escaping" not in (site.site / feeds.XSL_PATH).read_bytes()
    for rel in feed_paths(site.site):
        raw = (site.site / rel).read_bytes()
        match = re.search(rb'<\?xml-stylesheet type="text/xsl" href="([^"]+)"\?>', raw.split(b"\n", 2)[1])
        assert match, rel
        target = urljoin(rel, match.group(1).decode())
        assert target == feeds.XSL_PATH and site.exists(target), rel
        page = lxml_html.fromstring(str(transform(etree.fromstring(raw))))
        kind = "RSS" if rel.endswith("rss.xml") else "Atom"
        assert page.get("lang") == "vi"
        assert f"Đây là nguồn tin {kind}" in page.text_content()
        assert "ứng dụng đọc tin" in page.text_content()
        assert a(rel) in page.text_content()  # the address to copy into a reader
        assert not page.xpath("//script")
        base = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        titles = page.xpath("//ol[@class='items']/li/h3/a")
        assert [t.get("href") for t in titles] == [a(u) for u in EXPECTED[base]]
        if not EXPECTED[base]:
            assert "Chưa có tin nào" in page.text_content()
    page = lxml_html.fromstring(str(transform(etree.parse(str(site.site / "rss.xml")))))
    first = page.xpath("//ol[@class='items']/li")[0]
    assert first.xpath("string(h3/a)") == HOSTILE_TITLE  # shown as text, not run
    assert first.xpath("string(p[@class='summary'])").strip() == "Tóm tắt có <b>thẻ</b> & ký tự GD&ĐT."
    assert "20/05/2025, 10:15" in first.text_content()
    assert page.xpath("//ol[@class='items']/li")[3].xpath("string(.//time)").strip() == "10/04/2025"
    atom_page = lxml_html.fromstring(str(transform(etree.parse(str(site.site / "atom.xml")))))
    first = atom_page.xpath("//ol[@class='items']/li")[0]
    assert first.xpath("string(h3/a)") == HOSTILE_TITLE
    assert first.xpath("string(p[@class='summary'])").strip() == "Tóm tắt có <b>thẻ</b> & ký tự GD&ĐT."


def test_feed_links_open_a_readable_page_in_a_browser(site):
    """A citizen clicking "Nhận tin qua RSS" or a category's "RSS" link sees a Vietnamese page."""
    from browser import chromium, screenshot, serve_directory

    with serve_directory(site.site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 412, "height": 915}, locale="vi-VN")
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base)
        page.click("text=Nhận tin qua RSS")
        page.wait_for_load_state()
        assert page.url == base + "rss.xml"
        assert page.title() == "Tin cải cách hành chính – Nguồn tin RSS"
        assert page.locator("#nguon-tin-la-gi").inner_text() == "Đây là nguồn tin RSS"
        items = page.locator("ol.items li h3 a")
        assert items.count() == 4 and items.first.inner_text() == HOSTILE_TITLE
        screenshot(page, "feed-rss-phone")
        page.goto(base + "chuyen-muc/chinh-quyen-so/")
        page.locator(".cchc-feeds a", has_text="Atom").click()
        page.wait_for_load_state()
        assert page.url == base + "chuyen-muc/chinh-quyen-so/atom.xml"
        assert page.locator("#nguon-tin-la-gi").inner_text() == "Đây là nguồn tin Atom"
        assert page.locator("ol.items li h3 a").all_inner_texts() == [
            "Bài ghi giờ theo UTC", "Chuyển đổi số trong giải quyết thủ tục hành chính"]
        assert dialogs == [], "a title or summary was run as script"


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


@pytest.mark.parametrize("page, targets", [
    ("index.html", ["rss.xml", "atom.xml"]),
    ("chuyen-muc/thu-tuc-hanh-chinh/index.html", ["chuyen-muc/thu-tuc-hanh-chinh/rss.xml",
                                                  "chuyen-muc/thu-tuc-hanh-chinh/atom.xml"]),
])
def test_visible_feed_links_open_the_styled_feeds(site, page, targets):
    doc = lxml_html.fromstring(site.read(page))
    body_links = [urljoin(page, a_.get("href")) for a_ in doc.xpath("//body//a[@href]")
                  if a_.get("href").endswith(".xml")]
    for target in targets:
        assert target in body_links, (page, target)
        raw = (site.site / target).read_bytes()
        assert b'<?xml-stylesheet type="text/xsl"' in raw.split(b"\n", 2)[1]


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
        for data in (writer.rss(spec), writer.atom(spec)):  # no converted HTML: summary as content
            assert b"ban-nhap" not in data and b"hen-gio" not in data
            assert not feedparser.parse(data).bozo


def test_feed_limit_keeps_the_newest():
    build = _build(feed_limit=2)
    site_spec = feeds.feed_specs(build)[0]
    assert [a_.url for a_ in site_spec.articles] == EXPECTED[""][:2]
    entries = feedparser.parse(feeds.FeedWriter(build).atom(site_spec)).entries
    assert [e.link for e in entries] == [a(u) for u in EXPECTED[""][:2]]
    assert SiteSettings(content_dir=CONTENT).feed_limit == 50
    with pytest.raises(SettingsError, match="feed_limit"):
        SiteSettings.from_mapping({"feed_limit": 0}, base_dir=ROOT, site_url=SITE)


def test_ids_do_not_change_when_title_or_body_is_edited(tmp_path):
    before = _build()
    writer = feeds.FeedWriter(before)
    spec = feeds.feed_specs(before)[0]
    old_rss, old_atom = feedparser.parse(writer.rss(spec)), feedparser.parse(writer.atom(spec))
    content = copy_content(tmp_path, CONTENT)
    source = content / "news/2025/05/hoi-nghi-so-ket.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace('title: "Hội nghị sơ kết cải cách hành chính 6 tháng"', 'title: "Tiêu đề đã sửa"')
    source.write_text(text + "\nĐoạn bổ sung sau khi đăng.\n", encoding="utf-8")
    settings = SiteSettings(content_dir=content.resolve(), site_url=SITE)
    after = SiteBuild(load_content(content), settings, before.now)
    writer = feeds.FeedWriter(after)
    spec = feeds.feed_specs(after)[0]
    new_rss, new_atom = feedparser.parse(writer.rss(spec)), feedparser.parse(writer.atom(spec))
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
    ("", ""),
])
def test_feed_html(fragment, expected):
    assert feeds.feed_html(fragment, SITE + "tin-tuc/2025/05/bai/") == expected


def test_media_types_do_not_depend_on_the_machine():
    assert feeds.media_type("a/b.JPG") == "image/jpeg"
    assert feeds.media_type("x.webp") == "image/webp"
    assert feeds.media_type("x.png") == "image/png"
    assert feeds.media_type("x.unknown-ext") == "application/octet-stream"
    assert feeds.url_path("tin-tuc/2025/05/images/ảnh hội nghị.jpg") == \
        "tin-tuc/2025/05/images/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg"
    assert feeds.stylesheet_href("rss.xml") == "assets/feed.xsl"
    assert feeds.stylesheet_href("chuyen-muc/x/atom.xml") == "../../assets/feed.xsl"


# --- the real sample content ------------------------------------------------------------------

def test_sample_site_feeds_are_valid(tmp_path):
    built = build_site(tmp_path, SAMPLE_CONTENT)
    assert built.ok, built.output
    paths = feed_paths(built.site)
    assert "rss.xml" in paths and "atom.xml" in paths
    for rel in paths:
        doc = etree.fromstring((built.site / rel).read_bytes())
        if rel.endswith("rss.xml"):
            check_rss(doc, rel)
        else:
            check_atom(doc, rel)
        result = feedparser.parse((built.site / rel).read_bytes())
        assert not result.bozo, (rel, result.get("bozo_exception"))
