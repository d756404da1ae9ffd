"""The built sample site, read as a citizen's browser would receive it.

Expectations come from the article files themselves, parsed here independently of the
code under test (python-frontmatter + a plain date parser), so a wrong listing is caught.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import pytest
import yaml

from support import DEFAULT_BUILD_DATE, ROOT, SAMPLE_CONTENT, build_site

VN = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime.strptime(DEFAULT_BUILD_DATE, "%Y-%m-%d %H:%M").replace(tzinfo=VN)
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
PAGE_SIZE = 10


def _date(value) -> tuple[dt.datetime, bool]:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=value.tzinfo or VN), True
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=VN), False
    text = str(value)
    if len(text) == 10:
        return dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=VN), False
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN), True


def _expected_articles():
    articles = []
    for path in sorted((SAMPLE_CONTENT / "news").rglob("*.md")):
        post = frontmatter.load(path)
        date, has_time = _date(post["date"])
        articles.append({
            "path": path,
            "title": unicodedata.normalize("NFC", post["title"]),
            "slug": post["slug"],
            "date": date,
            "has_time": has_time,
            "categories": post["categories"],
            "unit": post["unit"],
            "draft": bool(post.get("draft", False)),
            "pin": post.get("pin"),
            "url": f"tin-tuc/{date:%Y}/{date:%m}/{post['slug']}/",
            "body": post.content,
        })
    return articles


ALL = _expected_articles()
PUBLISHED = sorted([a for a in ALL if not a["draft"] and a["date"] <= NOW], key=lambda a: (-a["date"].timestamp(), a["slug"]))
HIDDEN = [a for a in ALL if a["draft"] or a["date"] > NOW]
CATEGORIES = [c["id"] for c in yaml.safe_load((SAMPLE_CONTENT / "plans" / "2025.yml").read_text(encoding="utf-8"))["categories"]]
UNITS = yaml.safe_load((SAMPLE_CONTENT / "units.yml").read_text(encoding="utf-8"))["units"]


class Links(HTMLParser):
    """Collects hrefs (optionally only inside an element with a given class)."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content", "")
        if tag == "link":
            self.links.append(attrs)
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("sample"))
    assert built.ok, built.output
    return built


def listing_urls(site, base: str, page_size: int = PAGE_SIZE) -> list[str]:
    """Article URLs listed by a paginated listing, following its pages in order."""
    urls, page = [], 1
    while True:
        rel = base if page == 1 else f"{base}trang/{page}/"
        if not site.exists(rel + "index.html"):
            break
        html = site.read(rel + "index.html")
        cards = re.findall(r'<h2 class="cchc-card__title"><a href="([^"]+)"', html)
        assert len(cards) <= page_size
        for href in cards:
            urls.append(_resolve(rel, href))
        page += 1
    return urls


def _resolve(page_dir: str, href: str) -> str:
    parts = [p for p in page_dir.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece in ("", "."):
            continue
        else:
            parts.append(piece)
    return "/".join(parts) + "/"


def test_sample_content_has_enough_variety():
    assert len(ALL) >= 40
    assert any(a["draft"] for a in ALL) and any(a["date"] > NOW for a in ALL)


def test_every_published_article_has_its_page(site):
    for article in PUBLISHED:
        page = site.read(article["url"] + "index.html")
        doc = parse(page)
        assert article["title"] in [h.strip() for h in doc.h1], article["url"]


def test_each_page_header_shows_its_own_title_and_vietnamese_labels(site):
    """The header is rendered once per depth with only the title filled in: no page may show
    another page's title there, and the theme's labels stay Vietnamese."""
    header_topic = re.compile(r'data-md-component="header-topic">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)
    for article in PUBLISHED:
        page = site.read(article["url"] + "index.html")
        assert header_topic.findall(page) == [html.escape(article["title"])], article["url"]
        assert 'aria-label="Đầu trang"' in page and "Chuyển đến nội dung" in page
    listing = site.read(f"chuyen-muc/{PUBLISHED[0]['categories'][0]}/index.html")
    assert header_topic.findall(listing)[0] not in [html.escape(a["title"]) for a in PUBLISHED]


def test_drafts_and_scheduled_articles_are_nowhere(site):
    sitemap = site.read("sitemap.xml")
    from cchc.search import read_fragments  # the Pagefind search index (tests/test_search.py)

    indexed = [(f["url"], f["meta"].get("title", "")) for f in read_fragments(site.site / "pagefind")]
    assert len(indexed) == len(PUBLISHED) and not site.exists("search/search_index.json")
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.site.rglob("*.html"))
    for article in HIDDEN:
        assert not site.exists(article["url"] + "index.html"), article["url"]
        assert article["slug"] not in sitemap
        assert article["slug"] not in everything, f"{article['slug']} linked from a page"
        assert all(url != "/" + article["url"] and title != article["title"] for url, title in indexed)


def test_article_date_is_vietnamese(site):
    article = next(a for a in PUBLISHED if a["has_time"])
    html = site.read(article["url"] + "index.html")
    expected = f"{WEEKDAYS[article['date'].weekday()]}, {article['date']:%d/%m/%Y}, {article['date']:%H:%M}"
    assert expected in html
    assert f'datetime="{article["date"].isoformat()}"' in html


def test_category_listings_count_and_order(site):
    for category in CATEGORIES:
        expected = [a["url"] for a in PUBLISHED if category in a["categories"]]
        assert listing_urls(site, f"chuyen-muc/{category}/") == expected, category
        html = site.read(f"chuyen-muc/{category}/index.html")
        assert f"{len(expected)} tin" in html
    # a category with more than one page has numbered pages linked from page 1
    big = max(CATEGORIES, key=lambda c: sum(c in a["categories"] for a in PUBLISHED))
    count = sum(big in a["categories"] for a in PUBLISHED)
    if count > PAGE_SIZE:
        assert site.exists(f"chuyen-muc/{big}/trang/2/index.html")
        assert 'aria-label="Trang 2"' in site.read(f"chuyen-muc/{big}/index.html")


def test_category_page_shows_plan_reference(site):
    plan = yaml.safe_load((SAMPLE_CONTENT / "plans" / "2025.yml").read_text(encoding="utf-8"))
    first = plan["categories"][0]
    html = site.read(f"chuyen-muc/{first['id']}/index.html")
    assert f"Mục {first['section']}" in html
    assert first["name"] in html


def test_unit_and_archive_listings(site):
    for unit in UNITS:
        expected = [a["url"] for a in PUBLISHED if a["unit"] == unit["id"]]
        assert listing_urls(site, f"don-vi/{unit['id']}/") == expected, unit["id"]
    years = sorted({a["date"].year for a in PUBLISHED})
    archive = site.read("luu-tru/index.html")
    for year in years:
        expected = [a["url"] for a in PUBLISHED if a["date"].year == year]
        assert listing_urls(site, f"luu-tru/{year}/") == expected
        assert f"({len(expected)} tin)" in archive
        for month in {a["date"].month for a in PUBLISHED if a["date"].year == year}:
            expected_month = [a["url"] for a in PUBLISHED if (a["date"].year, a["date"].month) == (year, month)]
            assert listing_urls(site, f"luu-tru/{year}/{month:02d}/") == expected_month


def _pinned(article) -> bool:
    """`pin:` a date (until the end of that day, Vietnam time) not yet past at NOW."""
    pin = article["pin"]
    return pin is not None and NOW < dt.datetime(pin.year, pin.month, pin.day, tzinfo=VN) + dt.timedelta(days=1)


def test_home_lists_latest_and_links(site):
    html = site.read("index.html")
    # the lead and the next four (h3 under the hidden "Tin mới" h2): pinned articles first
    front = re.findall(r'<h3 class="cchc-(?:lead|next)__title"><a href="\./([^"]+)"', html)
    ordered = [a for a in PUBLISHED if _pinned(a)] + [a for a in PUBLISHED if not _pinned(a)]
    assert [a for a in PUBLISHED if _pinned(a)], "the sample pins an article"
    assert front == [a["url"] for a in ordered[:5]]
    # the plan of "now"'s year (2026)
    for target in ("luu-tru/", "rss.xml", "atom.xml", "ke-hoach/2026/", "nhan-tin/"):
        assert f'href="./{target}"' in html


def test_navigation_never_lists_articles(site):
    for rel in ("index.html", PUBLISHED[0]["url"] + "index.html", "chuyen-muc/index.html"):
        html = site.read(rel)
        # the tabs and the sidebar navigation: everything from the tabs to the page content
        nav = html[html.index('<nav class="md-tabs"'): html.index('<div class="md-content"')]
        assert '<nav class="md-nav md-nav--primary' in nav
        assert "tin-tuc/" not in nav
        assert "Chuyên mục" in nav and "Lưu trữ" in nav


def test_urls_and_anchors_are_ascii(site):
    for path in site.site.rglob("*"):
        assert path.relative_to(site.site).as_posix().isascii(), path
    for article in PUBLISHED:
        doc = parse(site.read(article["url"] + "index.html"))
        for anchor in doc.ids:
            assert anchor.isascii(), (article["url"], anchor)
    with_d = [a for a in PUBLISHED if re.search(r"^##+ Đường dây nóng", a["body"], re.M)]
    assert with_d, "sample content needs a heading starting with Đ"
    assert 'id="duong-day-nong"' in site.read(with_d[0]["url"] + "index.html")


def test_meta_tags_for_sharing(site):
    article = PUBLISHED[0]
    doc = parse(site.read(article["url"] + "index.html"))
    assert doc.meta["og:title"] == doc.meta["twitter:title"] == article["title"]
    assert doc.meta["description"] == doc.meta["og:description"] == doc.meta["twitter:description"]
    assert doc.meta["description"] == frontmatter.load(article["path"]).get("summary", doc.meta["description"])
    assert doc.meta["og:type"] == "article"
    assert doc.meta["og:image"].startswith("https://")
    assert doc.meta["twitter:card"] in ("summary", "summary_large_image")
    canonical = [l["href"] for l in doc.links if l.get("rel") == "canonical"]
    assert canonical == ["https://sgddt.bentre.gov.vn/cchc/" + article["url"]] == [doc.meta["og:url"]]
    with_image = [a for a in PUBLISHED if frontmatter.load(a["path"]).get("image")]
    doc = parse(site.read(with_image[0]["url"] + "index.html"))
    assert doc.meta["twitter:card"] == "summary_large_image"
    assert "/tin-tuc/" in doc.meta["og:image"]


def test_sitemap_has_every_article(site):
    sitemap = site.read("sitemap.xml")
    for article in PUBLISHED:
        assert "https://sgddt.bentre.gov.vn/cchc/" + article["url"] in sitemap


def test_article_page_parts(site):
    multi = next(a for a in PUBLISHED if len(a["categories"]) > 1)
    html = site.read(multi["url"] + "index.html")
    for category in multi["categories"]:
        assert f"chuyen-muc/{category}/" in html
    assert f"don-vi/{multi['unit']}/" in html
    assert "In bài viết" in html and "facebook.com/sharer" in html and "Sao chép liên kết" in html
    assert "Địa chỉ bài viết: https://sgddt.bentre.gov.vn/cchc/" + multi["url"] in html
    # related: up to 5 most recent others sharing a category
    related_block = html.split('id="tin-lien-quan"')[1].split("</section>")[0]
    related = [_resolve(multi["url"], h) for h in re.findall(r'href="([^"]+)"', related_block)]
    expected = [a["url"] for a in PUBLISHED if a is not multi and set(a["categories"]) & set(multi["categories"])][:5]
    assert related == expected
    # previous/next in time
    i = [a["url"] for a in PUBLISHED].index(multi["url"])
    if i + 1 < len(PUBLISHED):
        assert PUBLISHED[i + 1]["url"].split("/")[-2] in html.split('class="cchc-neighbours"')[1]


def test_one_tag_for_old_and_new_tone_placement(site):
    tags = site.read("the/index.html")
    assert tags.count("hòa giải") + tags.count("hoà giải") == 1
    assert site.exists("the/hoa-giai/index.html")


def test_units_sorted_in_vietnamese_order(site):
    html = site.read("don-vi/index.html")
    names = re.findall(r'<li class="cchc-group[^"]*">\s*<a href="[^"]+">([^<]+)</a>', html)
    from cchc.text import sort_key  # the order itself is checked below by hand for Đ

    assert names == sorted(names, key=sort_key)
    with_articles = {a["unit"] for a in PUBLISHED}
    assert len(names) == len(with_articles)  # units without an article are named, not linked
    empty = re.findall(r'<li class="cchc-group cchc-group--empty">([^<]+)', html)
    assert len(empty) == len(UNITS) - len(with_articles) and empty == sorted(empty, key=sort_key)


def test_404_is_vietnamese(site):
    html = site.read("404.html")
    assert "Không tìm thấy trang" in html
    assert '<html lang="vi"' in html


# --- Sharing: titles, descriptions, canonical URLs and images on every kind of page -------------
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]
SITE_NAME = CONFIG["site_name"]
SHARE_CARD = "assets/chia-se.png"


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _site_file(site, url: str) -> Path:
    """The built file an absolute URL of the site points at."""
    assert url.startswith(SITE_URL), url
    parts = urlsplit(url)
    assert not parts.query and not parts.fragment, url
    return site.site / unquote(parts.path[len(urlsplit(SITE_URL).path):])


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _assert_shared_as(doc: Links, html: str, rel: str, *, title: str, description: str, kind: str = "website"):
    assert doc.meta["og:title"] == doc.meta["twitter:title"] == title, rel
    assert description and doc.meta["description"] == doc.meta["og:description"] == doc.meta["twitter:description"] == description, rel
    canonical = [l["href"] for l in doc.links if l.get("rel") == "canonical"]
    assert canonical == [SITE_URL + rel] == [doc.meta["og:url"]], rel
    assert doc.meta["og:type"] == kind and doc.meta["og:site_name"] == SITE_NAME, rel
    assert doc.meta["twitter:card"] == "summary_large_image", rel


def test_every_page_shares_an_image_facebook_and_zalo_can_show(site):
    """Facebook, Zalo and Twitter show no SVG: every page's og:image is an absolute PNG/JPEG URL
    of a file that exists in the site (an article's own image, else the 1200×630 sharing card)."""
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) > 100
    cards = 0
    for path in pages:
        doc = parse(path.read_text(encoding="utf-8"))
        image = doc.meta["og:image"]
        assert doc.meta["twitter:image"] == image, path
        assert urlsplit(image).path.lower().endswith((".png", ".jpg", ".jpeg")), (path, image)
        assert _site_file(site, image).is_file(), (path, image)
        cards += image == SITE_URL + SHARE_CARD
    assert cards > 50  # pages without their own image use the card
    assert _png_size(site.site / SHARE_CARD) == (1200, 630)


def test_home_page_shares_as_the_site(site):
    html = site.read("index.html")
    doc = parse(html)
    assert _title(html) == SITE_NAME
    home_description = frontmatter.load(ROOT / "docs" / "index.md")["description"]
    _assert_shared_as(doc, html, "", title=SITE_NAME, description=home_description)  # not "Trang chủ"
    assert doc.meta["og:image"] == SITE_URL + SHARE_CARD
    assert doc.meta["og:image:width"] == "1200" and doc.meta["og:image:height"] == "630"


def test_listing_pages_share_their_own_title_and_description(site):
    plan = yaml.safe_load((SAMPLE_CONTENT / "plans" / "2025.yml").read_text(encoding="utf-8"))
    category = plan["categories"][0]
    unit = UNITS[0]
    year = PUBLISHED[0]["date"].year
    month = PUBLISHED[0]["date"].month
    cases = [
        (f"chuyen-muc/{category['id']}/", category["name"], category.get("description") or category["name"]),
        (f"don-vi/{unit['id']}/", unit["name"], f"Tin cải cách hành chính của {unit['name']}."),
        ("the/mot-cua/", "Thẻ: một cửa", "Tin gắn thẻ “một cửa”."),
        (f"luu-tru/{year}/", f"Lưu trữ năm {year}", f"Tin cải cách hành chính năm {year}."),
        (f"luu-tru/{year}/{month:02d}/", f"Lưu trữ tháng {month}/{year}", f"Tin cải cách hành chính tháng {month}/{year}."),
        ("chuyen-muc/", "Chuyên mục", "Các chuyên mục tin theo nội dung của Kế hoạch thông tin, tuyên truyền cải cách hành chính."),
    ]
    for rel, title, description in cases:
        html = site.read(rel + "index.html")
        doc = parse(html)
        assert _title(html) == f"{title} - {SITE_NAME}", rel
        _assert_shared_as(doc, html, rel, title=title, description=" ".join(description.split()))
        assert doc.meta["og:image"] == SITE_URL + SHARE_CARD, rel


def test_404_page_title_and_absolute_share_image(site):
    html = site.read("404.html")
    doc = parse(html)
    assert _title(html) == f"Không tìm thấy trang – {SITE_NAME}"
    assert doc.meta["og:title"] == "Không tìm thấy trang"
    assert doc.meta["og:image"] == SITE_URL + SHARE_CARD


# --- Article page parts: updated date, tags, breadcrumbs, neighbours --------------------------
def _vn_date(moment: dt.datetime, has_time: bool) -> str:
    text = f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y}"
    return text + f", {moment:%H:%M}" if has_time else text


def test_updated_date_is_shown(site):
    updated = [a for a in PUBLISHED if frontmatter.load(a["path"]).get("updated")]
    assert updated, "sample content needs an article with `updated:`"
    for article in updated:
        when, has_time = _date(frontmatter.load(article["path"])["updated"])
        html = site.read(article["url"] + "index.html")
        line = re.search(r'<span class="cchc-updated">(.*?)</span>', html, re.S)
        assert line, article["url"]
        assert re.sub(r"<[^>]+>", "", line.group(1)).strip() == f"· Cập nhật: {_vn_date(when, has_time)}"
        assert f'datetime="{when.isoformat()}"' in line.group(1)
    not_updated = next(a for a in PUBLISHED if not frontmatter.load(a["path"]).get("updated"))
    assert "Cập nhật" not in site.read(not_updated["url"] + "index.html")


def _block(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_breadcrumbs_lead_home_and_to_the_first_category(site):
    names = category_names()
    for article in PUBLISHED[:5]:
        html = site.read(article["url"] + "index.html")
        crumbs = _block(html, '<nav class="cchc-breadcrumbs" aria-label="Vị trí trang">', "</nav>")
        links = [(_resolve(article["url"], href), text.strip())
                 for href, text in re.findall(r'<a href="([^"]+)">([^<]*)</a>', crumbs)]
        first = article["categories"][0]
        assert links == [("/", "Trang chủ"), (f"chuyen-muc/{first}/", names[first])]
        current = re.search(r'<li aria-current="page">([^<]*)</li>', crumbs)
        assert current and current.group(1).strip() == article["title"]


def test_previous_and_next_article_links(site):
    for i in (0, 1, len(PUBLISHED) // 2, len(PUBLISHED) - 1):
        article = PUBLISHED[i]
        html = site.read(article["url"] + "index.html")
        older = re.search(r'<a class="cchc-neighbours__older" rel="prev" href="([^"]+)"><span>← Tin trước</span> ([^<]*)</a>', html)
        newer = re.search(r'<a class="cchc-neighbours__newer" rel="next" href="([^"]+)"><span>Tin sau →</span> ([^<]*)</a>', html)
        if i + 1 < len(PUBLISHED):
            assert older and _resolve(article["url"], older.group(1)) == PUBLISHED[i + 1]["url"]
            assert older.group(2).strip() == PUBLISHED[i + 1]["title"]
        else:
            assert older is None
        if i > 0:
            assert newer and _resolve(article["url"], newer.group(1)) == PUBLISHED[i - 1]["url"]
            assert newer.group(2).strip() == PUBLISHED[i - 1]["title"]
        else:
            assert newer is None  # the newest article has no "Tin sau"


def _tags(article) -> list[str]:
    return [unicodedata.normalize("NFC", t) for t in frontmatter.load(article["path"]).get("tags") or []]


def _article_tag_links(site, article) -> list[tuple[str, str]]:
    html = site.read(article["url"] + "index.html")
    if 'class="cchc-tags"' not in html:
        return []
    block = _block(html, '<p class="cchc-tags">', "</p>")
    return [(_resolve(article["url"], href), text) for href, text in
            re.findall(r'<a class="cchc-tag" href="([^"]+)">([^<]*)</a>', block)]


def test_article_tag_links_lead_to_tag_pages_listing_the_article(site):
    tagged = [a for a in PUBLISHED if _tags(a)]
    assert len(tagged) > 10
    listed: dict[str, list[str]] = {}
    for article in tagged:
        links = _article_tag_links(site, article)
        assert [text for _url, text in links] == [TAG_SPELLINGS.get(t, t) for t in _tags(article)], article["url"]
        for url, _text in links:
            assert url.startswith("the/") and url.isascii(), url
            listed.setdefault(url, []).append(article["url"])
    # each tag page lists exactly the articles linking to it, newest first (PUBLISHED order)
    for url, articles in listed.items():
        assert listing_urls(site, url) == [a["url"] for a in PUBLISHED if a["url"] in articles], url


# Hand-written: the Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
# u ư v x y; tones only break ties) of the sample's categories and of its published tags.
CATEGORY_ORDER = [
    "Biểu dương, phê phán",
    "Bình dân học vụ số",  # 2026's plan
    "Cải cách chế độ công vụ",
    "Chỉ số CCHC, SIPAS",
    "Chính quyền số, ứng dụng CNTT",
    "Chủ trương, chính sách CCHC",
    "Cơ sở dữ liệu",
    "Giám sát của người dân",
    "Hoạt động Ban Chỉ đạo CCHC",
    "Kỷ luật, kỷ cương hành chính",
    "Sáng kiến, giải pháp CCHC",
    "Sắp xếp tổ chức bộ máy",  # 2026's plan: ă after a
    "Thủ tục hành chính, một cửa",
    "Văn bản quy phạm pháp luật",
]
TAG_ORDER = [
    "Chỉ số CCHC", "chuyển đổi số", "chữ ký số", "công vụ", "dịch vụ công trực tuyến", "Đề án 06",
    "đối thoại", "hòa giải", "khen thưởng", "kiểm tra CCHC", "kỷ cương hành chính", "lấy ý kiến",
    "một cửa", "phản ánh kiến nghị", "sáng kiến", "SIPAS", "số hóa", "tài chính công", "tập huấn",
    "thanh tra", "tiếp công dân", "tuyển dụng", "tuyển sinh", "tuyên truyền CCHC", "văn bản QPPL",
    "văn bằng chứng chỉ",
]
TAG_SPELLINGS = {"hoà giải": "hòa giải"}  # old and new tone placement: one tag


def category_names() -> dict[str, str]:
    """Every category id of the sample plans, named as the newest plan that has it names it."""
    names: dict[str, str] = {}
    for path in sorted((SAMPLE_CONTENT / "plans").glob("*.yml")):
        names.update({c["id"]: c["name"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["categories"]})
    return names


EMPTY_CATEGORIES = {"Giám sát của người dân", "Bình dân học vụ số"}  # no article of the sample is in them


def _groups(html: str) -> list[tuple[str, str, int]]:
    return [(href, name, int(count)) for href, name, count in re.findall(
        r'<li class="cchc-group[^"]*">\s*<a href="([^"]+)">([^<]+)</a>\s*<span class="cchc-group__count">\((\d+) tin\)', html)]


def test_categories_in_vietnamese_order_with_counts(site):
    groups = _groups(site.read("chuyen-muc/index.html"))
    advertised = [name for name in CATEGORY_ORDER if name not in EMPTY_CATEGORIES]
    assert [name for _h, name, _c in groups] == advertised
    names = category_names()
    for href, name, count in groups:
        category = _resolve("chuyen-muc/", href).split("/")[1]
        assert names[category] == name
        assert count == sum(category in a["categories"] for a in PUBLISHED), name
    # the home page's headlines by category: only categories with an article, same order
    home = site.read("index.html")
    home_names = re.findall(r'<h3 id="cm-[^"]+" class="cchc-section-box__title"><a href="[^"]+">([^<]+)</a>', home)
    assert home_names == [name for name in advertised if name in home_names] and len(home_names) >= 8
    assert not set(home_names) & EMPTY_CATEGORIES


def test_tags_in_vietnamese_order_with_counts(site):
    groups = _groups(site.read("the/index.html"))
    assert [name for _h, name, _c in groups] == TAG_ORDER
    for href, name, count in groups:
        expected = [a["url"] for a in PUBLISHED if name in [TAG_SPELLINGS.get(t, t) for t in _tags(a)]]
        assert count == len(expected), name
        assert listing_urls(site, _resolve("the/", href)) == expected, name


# --- Pagination of every kind of listing (page size 3) -----------------------------------------
PAGED = 3


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("paged"), extra={"page_size": PAGED})
    assert built.ok, built.output
    return built


def _pager(html: str) -> dict:
    nav = re.search(r'<nav class="cchc-pager" aria-label="Phân trang">(.*?)</nav>', html, re.S)
    if not nav:
        return {"entries": [], "previous": None, "next": None}
    body = nav.group(1)
    entries = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)]
    previous = re.search(r'<a class="cchc-pager__previous" rel="prev" href="([^"]+)">← Trang trước</a>', body)
    following = re.search(r'<a class="cchc-pager__next" rel="next" href="([^"]+)">Trang sau →</a>', body)
    current = re.findall(r'<span aria-current="page">(\d+)</span>', body)
    return {"entries": entries, "current": current, "previous": previous and previous.group(1),
            "next": following and following.group(1)}


def _head_links(html: str, rel: str) -> list[str]:
    return [l["href"] for l in parse(html).links if l.get("rel") == rel]


def _page_rel(base: str, number: int) -> str:
    return base if number == 1 else f"{base}trang/{number}/"


def _check_paginated(site, base: str, expected: list[str]) -> int:
    """Every page of a listing: its cards, count line, pager and rel=prev/next; returns pages."""
    pages = max(1, -(-len(expected) // PAGED))
    for number in range(1, pages + 1):
        rel = _page_rel(base, number)
        html = site.read(rel + "index.html")
        cards = [_resolve(rel, h) for h in re.findall(r'<h2 class="cchc-card__title"><a href="([^"]+)"', html)]
        assert cards == expected[(number - 1) * PAGED: number * PAGED], rel
        count = re.search(r'<p class="cchc-count">([^<]*)</p>', html).group(1)
        assert count == (f"{len(expected)} tin · Trang {number}/{pages}" if pages > 1 else f"{len(expected)} tin"), rel
        pager = _pager(html)
        if pages == 1:
            assert pager["entries"] == [], rel
            continue
        assert pager["current"] == [str(number)], rel
        assert len(pager["entries"]) <= 9, rel  # a window, never every page number
        previous = _page_rel(base, number - 1) if number > 1 else None
        following = _page_rel(base, number + 1) if number < pages else None
        assert (pager["previous"] and _resolve(rel, pager["previous"])) == previous, rel
        assert (pager["next"] and _resolve(rel, pager["next"])) == following, rel
        if number > 1:
            assert _title(html).startswith(f"{parse(html).h1[0].strip()} – Trang {number} - "), rel
            assert _head_links(html, "canonical") == [SITE_URL + rel]
    assert not site.exists(f"{base}trang/{pages + 1}/index.html"), base
    assert not site.exists(f"{base}trang/1/index.html"), base  # page 1 is the listing itself
    return pages


def test_category_unit_and_tag_listings_paginate(paged):
    multi = {"category": 0, "unit": 0, "tag": 0}
    for category in CATEGORIES:
        expected = [a["url"] for a in PUBLISHED if category in a["categories"]]
        multi["category"] += _check_paginated(paged, f"chuyen-muc/{category}/", expected) > 1
    for unit in UNITS:
        expected = [a["url"] for a in PUBLISHED if a["unit"] == unit["id"]]
        multi["unit"] += _check_paginated(paged, f"don-vi/{unit['id']}/", expected) > 1
    for href, name, _count in _groups(paged.read("the/index.html")):
        expected = [a["url"] for a in PUBLISHED if name in [TAG_SPELLINGS.get(t, t) for t in _tags(a)]]
        multi["tag"] += _check_paginated(paged, _resolve("the/", href), expected) > 1
    assert all(n >= 1 for n in multi.values()), multi  # listings of each kind have several pages


def test_archive_listings_paginate_and_pager_shows_a_window(paged):
    year = max({a["date"].year for a in PUBLISHED}, key=lambda y: sum(a["date"].year == y for a in PUBLISHED))
    expected = [a["url"] for a in PUBLISHED if a["date"].year == year]
    base = f"luu-tru/{year}/"
    pages = _check_paginated(paged, base, expected)
    assert pages >= 10, "the sample needs a year with at least 10 pages of 3 articles"
    last = str(pages)
    windows = {
        1: ["1", "2", "3", "…", last],
        2: ["1", "2", "3", "4", "…", last],
        5: ["1", "2", "3", "4", "5", "6", "7", "…", last],  # no "…" standing for a single page
        6: ["1", "…", "4", "5", "6", "7", "8", "…", last],
        pages - 1: ["1", "…", str(pages - 3), str(pages - 2), str(pages - 1), last],
        pages: ["1", "…", str(pages - 2), str(pages - 1), last],
    }
    for number, shown in windows.items():
        html = paged.read(_page_rel(base, number) + "index.html")
        assert _pager(html)["entries"] == shown, number
        assert re.search(r'<li class="cchc-pager__gap" aria-hidden="true">…</li>', html)
    month = max({(a["date"].year, a["date"].month) for a in PUBLISHED},
                key=lambda ym: sum((a["date"].year, a["date"].month) == ym for a in PUBLISHED))
    _check_paginated(paged, f"luu-tru/{month[0]}/{month[1]:02d}/",
                     [a["url"] for a in PUBLISHED if (a["date"].year, a["date"].month) == month])


def test_pager_of_a_very_long_listing_stays_small():
    """A listing of 10 000 pages: each page's pager has the first, the last, the current ± 2
    and gaps, so the output of all pages grows linearly, not with the square of the pages."""
    from cchc.outputs import Pager

    def shown(number, count):
        return [link.get("number", "…") for link in Pager(number, count, "x/").links()]

    assert shown(5000, 10000) == [1, "…", 4998, 4999, 5000, 5001, 5002, "…", 10000]
    assert shown(1, 10000) == [1, 2, 3, "…", 10000]
    assert shown(4, 10000) == [1, 2, 3, 4, 5, 6, "…", 10000]  # no "…" standing for one page
    assert shown(3, 5) == [1, 2, 3, 4, 5]
    assert shown(1, 1) == [1]
    assert max(len(Pager(n, 10000, "x/").links()) for n in range(1, 10001)) == 9
    link = Pager(5000, 10000, "chuyen-muc/a/").links()[0]
    assert link == {"number": 1, "url": "chuyen-muc/a/", "current": False}


# --- Files beside articles: published only with a visible article, or when nothing uses them ------
def test_files_of_unpublished_articles_are_not_published(tmp_path):
    from support import make_content, pdf_bytes, write_article

    content = make_content(tmp_path)
    png = (SAMPLE_CONTENT / "news/2025/04/images/bieu-duong-mot-cua.png").read_bytes()
    files = {
        "2025/03/images/chung.png": "shared by the published article and the draft",
        "2025/03/files/ke-hoach.pdf": "linked from the published article",
        "2025/03/images/khong-ai-dung.png": "used by no article",
        "2025/03/images/nhap.png": "the draft's image",
        "2025/03/images/nhap-than-bai.png": "in the draft's body",
        "2027/01/images/hen-gio.png": "the scheduled article's image",
        "2027/01/images/hen gio than.png": "in the scheduled article's body (percent-encoded)",
    }
    for rel in files:
        target = content / "news" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf_bytes() if rel.endswith(".pdf") else png)
    write_article(content, "2025/03/cong-khai.md", slug="cong-khai", date="2025-03-10 08:00",
                  title='"Bài đã đăng"', image="images/chung.png",
                  body="![Ảnh chung](images/chung.png)\n\n[Tải kế hoạch](files/ke-hoach.pdf)\n")
    write_article(content, "2025/03/ban-nhap.md", slug="ban-nhap", date="2025-03-12 08:00",
                  title='"Bài nháp"', image="images/nhap.png", draft="true",
                  body="![Ảnh trong bài nháp](images/nhap-than-bai.png)\n\n![Ảnh chung](images/chung.png)\n")
    write_article(content, "2027/01/hen-gio.md", slug="hen-gio", date="2027-01-15 08:00",
                  title='"Bài hẹn giờ"', image="images/hen-gio.png",
                  body='<img src="images/hen%20gio%20than.png" alt="Ảnh trong bài hẹn giờ">\n')
    # a WebP image: shown on the page, but shared as the PNG card (not every app shows WebP)
    (content / "news/2025/03/images/anh.webp").write_bytes(b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
    write_article(content, "2025/03/anh-webp.md", slug="anh-webp", date="2025-03-11 08:00",
                  title='"Bài có ảnh WebP"', image="images/anh.webp")
    built = build_site(tmp_path / "now", content)
    assert built.ok, built.output
    webp = parse(built.read("tin-tuc/2025/03/anh-webp/index.html"))
    # a WebP image: shown as itself (resized), shared as its 1200×630 JPEG copy (not every app shows WebP)
    assert re.fullmatch(re.escape(SITE_URL) + r"tin-tuc/2025/03/images/anh-[0-9a-f]{10}-1200x630\.jpg",
                        webp.meta["og:image"])
    assert re.search(r'srcset="\.\./\.\./\.\./\.\./tin-tuc/2025/03/images/anh-[0-9a-f]{10}-1\.webp 1w"',
                     built.read("tin-tuc/2025/03/anh-webp/index.html"))
    assert re.fullmatch(re.escape(SITE_URL) + r"tin-tuc/2025/03/images/chung-[0-9a-f]{10}-1200x630\.jpg",
                        parse(built.read("tin-tuc/2025/03/cong-khai/index.html")).meta["og:image"])
    published = {rel: bool(pictures_of(built, rel)) for rel in files if rel.endswith(".png")}
    published["2025/03/files/ke-hoach.pdf"] = built.exists("tin-tuc/2025/03/files/ke-hoach.pdf")
    assert published == {
        "2025/03/images/chung.png": True,
        "2025/03/files/ke-hoach.pdf": True,  # not a picture: published as it is
        "2025/03/images/khong-ai-dung.png": False,  # pictures are published only where an article shows them
        "2025/03/images/nhap.png": False,
        "2025/03/images/nhap-than-bai.png": False,
        "2027/01/images/hen-gio.png": False,
        "2027/01/images/hen gio than.png": False,
    }
    assert not any(built.exists("tin-tuc/" + rel) for rel in files if rel.endswith(".png"))  # never the originals
    assert built.exists("tin-tuc/2025/03/cong-khai/index.html")
    # once the scheduled article is published, so are its images
    later = build_site(tmp_path / "later", content, build_date="2027-01-16 09:00")
    assert later.ok, later.output
    assert pictures_of(later, "2027/01/images/hen-gio.png") and pictures_of(later, "2027/01/images/hen gio than.png")
    assert not pictures_of(later, "2025/03/images/nhap.png")
    html = later.read("tin-tuc/2027/01/hen-gio/index.html")
    assert re.search(r'src="\.\./\.\./\.\./\.\./tin-tuc/2027/01/images/hen-gio-[0-9a-f]{10}-800\.png"', html)
    assert re.search(r'src="\.\./images/hen-gio-than-[0-9a-f]{10}-800\.png"', html)


def pictures_of(built, rel: str) -> list[str]:
    """The published derivatives of the image content/news/<rel> (cchc.pictures names)."""
    from cchc.pictures import base_name

    folder, name = rel.rsplit("/", 1)
    pattern = re.compile(re.escape(base_name(name)) + r"-[0-9a-f]{10}-[0-9x]+(-rss)?\.(webp|jpg|png)")
    found = built.site / "tin-tuc" / folder
    return sorted(p.name for p in found.iterdir() if pattern.fullmatch(p.name)) if found.is_dir() else []


# --- Brand colours from configuration (the browser check is in tests/test_browser.py) -----------
def test_brand_colours_are_injected_after_the_stylesheet(site, tmp_path):
    html = site.read("index.html")
    assert "--md-primary-fg-color:" not in html  # not configured: docs/assets/cchc.css has the defaults
    coloured = build_site(tmp_path / "ok", extra={"colors": {"primary": "#1B5E20", "accent": "#4a148c"}})
    assert coloured.ok, coloured.output
    html = coloured.read("index.html")
    # A stylesheet file, not an inline <style> (the Content-Security-Policy allows none), after cchc.css.
    assert "<style" not in html
    link = html.index('href="assets/cchc-colors.css"')
    assert html.index("assets/cchc.css") < link
    style = coloured.read("assets/cchc-colors.css")
    assert style.startswith(":root,[data-md-color-scheme=default]{")
    assert "--md-primary-fg-color:#1b5e20;" in style and "--md-typeset-a-color:#4a148c;" in style
    assert "cchc-colors.css" in coloured.read("404.html")  # the 404 page, which the hooks never see, too


@pytest.mark.parametrize("colors, message", [
    ({"primary": "#ffcc00"}, "extra.cchc.colors.primary “#ffcc00” quá nhạt: độ tương phản với màu trắng chỉ 1.5:1"),
    ({"accent": "blue; }</style><script>"}, "extra.cchc.colors.accent “blue; }</style><script>” không phải mã màu"),
    ({"primary": None}, "extra.cchc.colors.primary không có giá trị → Cách sửa: mã màu bắt đầu bằng # phải đặt trong ngoặc kép"),
    ({"header": "#000000"}, "extra.cchc.colors chỉ nhận hai khóa: primary"),
])
def test_bad_brand_colours_stop_the_build_with_a_message(tmp_path, colors, message):
    built = build_site(tmp_path, extra={"colors": colors})
    assert not built.ok
    assert f"mkdocs.yml: {message}" in built.output
    assert not built.exists("index.html")


@pytest.mark.parametrize("image, message", [
    ("assets/logo.svg", "extra.cchc.share_image “assets/logo.svg” phải là ảnh PNG hoặc JPEG"),
    ("assets/khong-co.png", "extra.cchc.share_image: không tìm thấy tệp docs/assets/khong-co.png"),
])
def test_bad_share_image_stops_the_build_with_a_message(tmp_path, image, message):
    built = build_site(tmp_path, extra={"share_image": image})
    assert not built.ok and f"mkdocs.yml: {message}" in built.output


def test_configured_share_image_is_used(tmp_path):
    built = build_site(tmp_path, extra={"share_image": "assets/logo.png"})
    assert built.ok, built.output
    doc = parse(built.read("luu-tru/index.html"))
    assert doc.meta["og:image"] == doc.meta["twitter:image"] == SITE_URL + "assets/logo.png"
    assert "og:image:width" not in doc.meta  # the size is known only for the default card
