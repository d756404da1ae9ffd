"""The built sample site, read as a citizen's browser would receive it.

Expectations come from the article files themselves, parsed here independently of the
code under test (python-frontmatter + a plain date parser), so a wrong listing is caught.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import pytest
import yaml

from support import DEFAULT_BUILD_DATE, SAMPLE_CONTENT, build_site

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


def listing_urls(site, base: str) -> list[str]:
    """Article URLs listed by a paginated listing, following its pages in order."""
    urls, page = [], 1
    while True:
        rel = base if page == 1 else f"{base}trang/{page}/"
        if not site.exists(rel + "index.html"):
            break
        html = site.read(rel + "index.html")
        cards = re.findall(r'<h2 class="cchc-card__title"><a href="([^"]+)"', html)
        assert len(cards) <= PAGE_SIZE
        depth = rel.count("/")
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


def test_home_lists_latest_and_links(site):
    html = site.read("index.html")
    latest = re.findall(r'<h2 class="cchc-card__title"><a href="\./([^"]+)"', html)
    assert latest == [a["url"] for a in PUBLISHED[:PAGE_SIZE]]
    # the newest plan not after "now" (2025: the sample has no 2026 plan file)
    for target in ("luu-tru/", "rss.xml", "atom.xml", "ke-hoach/2025/"):
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
    assert doc.meta["og:title"] == article["title"]
    assert doc.meta["description"] and doc.meta["og:description"] == doc.meta["description"]
    assert doc.meta["og:image"].startswith("https://")
    assert doc.meta["twitter:card"] in ("summary", "summary_large_image")
    canonical = [l["href"] for l in doc.links if l.get("rel") == "canonical"]
    assert canonical == ["https://sgddt.bentre.gov.vn/cchc/" + article["url"]]
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
    assert len(names) == len(UNITS)


def test_404_is_vietnamese(site):
    html = site.read("404.html")
    assert "Không tìm thấy trang" in html
    assert '<html lang="vi"' in html
