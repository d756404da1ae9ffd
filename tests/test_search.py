"""Site search: Pagefind over the article pages, driven from Material's header search box.

The fixture (tests/fixtures/search/) has articles whose words test Vietnamese folding. The
browser tests type into the real search box in Debian's chromium, as a citizen would, with the
site served under a sub-path (as on the department's server, /cchc/). Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import ARTIFACTS, VIEWPORTS, chromium, serve_directory
from support import FIXTURES, build_site

from cchc import search as cchc_search
from cchc.buildcache import BuildCache
from cchc.text import fold, normalize

CONTENT = FIXTURES / "search"
BUILD_DATE = "2025-06-30 09:00"
PUBLISHED = 11  # 13 articles: one draft, one scheduled after BUILD_DATE

T_REFORM = "Sở đẩy mạnh cải cách hành chính năm 2025"
T_ONLINE = "Người dân nộp hồ sơ qua dịch vụ công trực tuyến"
T_WINTER = "Trao áo ấm mùa đông cho học sinh vùng khó khăn"
T_MEDIATION_OLD = "Tập huấn công tác hoà giải ở cơ sở"     # old tone placement
T_MEDIATION_NEW = "Bồi dưỡng hòa giải viên trong trường học"  # new tone placement
T_BOARD = "Mỗi trường một bảng tin điện tử"
T_AWARD = "Trao bằng khen cho tập thể tiêu biểu"
# Common syllables: "Sở", "chỉ", "số", "của", "một" many times, but never "chỉ số" or "một cửa"
T_DIRECTS = "Sở chỉ đạo rà soát số liệu của các đơn vị"
T_ONE_STOP = "Kiện toàn bộ phận tiếp nhận hồ sơ năm 2025"  # "bộ phận một cửa", once, at the end
T_TEACHING = "Giáo viên dạy học theo chương trình mới"  # "dạy" and "Mục đích"
T_READING = "Đẩy mạnh phong trào đọc sách"  # "đẩy" four times, no word "day" without đ


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("search"), CONTENT, build_date=BUILD_DATE)
    assert built.ok, built.output
    return built


# --- The build: what is published ----------------------------------------------------------
def test_pagefind_replaces_materials_search_index(site):
    assert not site.exists("search/search_index.json")
    assert not (site.site / "search").exists()
    bundle = site.site / "pagefind"
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert list(bundle.glob("wasm.*.pagefind")) and list(bundle.glob("index/*.pf_index"))
    # Pagefind's ready-made UIs are not used (assets/search.js renders results): not published.
    for name in cchc_search.UNUSED_FILES:
        assert not (bundle / name).exists(), name
    assert f"Tìm kiếm: đã lập chỉ mục {PUBLISHED} bài viết" in site.output


def test_only_published_articles_are_indexed(site):
    entry = json.loads(site.read("pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["vi"]
    assert entry["languages"]["vi"]["page_count"] == PUBLISHED
    assert len(list((site.site / "pagefind" / "fragment").glob("*.pf_fragment"))) == PUBLISHED


def test_index_is_small(site):
    bundle = site.site / "pagefind"
    data = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and p.suffix in (".pf_index", ".pf_fragment", ".pf_meta"))
    total = cchc_search.folder_bytes(bundle)
    assert data < 45_000, data  # the index of 11 short articles
    assert total < 250_000, total  # + the search code (pagefind.js, worker, wasm), loaded on first use


class _Elements(HTMLParser):
    """Start tags with their attributes, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def test_article_page_marks_what_is_searched(site):
    html = site.read("tin-tuc/2025/02/nop-ho-so-truc-tuyen/index.html")
    tags = elements(html)
    bodies = [(t, a) for t, a in tags if "data-pagefind-body" in a]
    assert bodies == [("article", bodies[0][1])]
    assert bodies[0][1]["data-pagefind-meta"] == "date:10/02/2025"
    ignored = {a.get("class") for t, a in tags if "data-pagefind-ignore" in a}
    assert {"cchc-meta", "cchc-categories", "cchc-print-url", "cchc-actions"} <= ignored
    # A summary written in the front matter is not on the page: it is indexed, hidden.
    assert re.search(r'<p hidden data-pagefind-weight="2">Từ tháng 2, phụ huynh được tổng đài', html)
    # The default summary is the first paragraph, already on the page: not repeated.
    reform = site.read("tin-tuc/2025/01/day-manh-cai-cach-hanh-chinh/index.html")
    assert "data-pagefind-weight" not in reform


def test_every_page_has_the_search_box(site):
    for rel in ("index.html", "tin-tuc/2025/03/ao-am-mua-dong/index.html", "chuyen-muc/index.html", "404.html"):
        html = site.read(rel)
        tags = elements(html)
        inputs = [a for t, a in tags if t == "input" and a.get("id") == "cchc-search-input"]
        assert len(inputs) == 1, rel
        assert inputs[0]["placeholder"] == "Tìm kiếm"
        assert inputs[0]["aria-label"].startswith("Tìm kiếm tin bài")
        assert inputs[0]["aria-controls"] == "cchc-search-results"
        status = [a for t, a in tags if a.get("id") == "cchc-search-status"]
        assert status and status[0]["role"] == "status" and status[0]["aria-live"] == "polite"
        assert 'ngoặc kép để tìm đúng cụm từ đó (ví dụ: "một cửa")' in html  # how to search a phrase
        # Material's lunr search must not start (it would fetch search/search_index.json).
        assert 'data-md-component="search"' not in html, rel
        assert re.search(r'<script src="[^"]*assets/search\.js"', html), rel


def test_article_page_with_css_and_js_stays_light(site):
    """An article page plus the CSS/JS it loads (no images) stays ≤ 400 KB uncompressed; the
    search code and index are fetched only when the search box is used."""
    rel = "tin-tuc/2025/01/day-manh-cai-cach-hanh-chinh/index.html"
    page = site.site / rel
    html = page.read_text(encoding="utf-8")
    total = page.stat().st_size
    for tag, attrs in elements(html):
        ref = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" and attrs.get("rel") == "stylesheet" else None
        if ref and "://" not in ref:
            total += (page.parent / ref.split("?")[0]).resolve().stat().st_size
    assert "pagefind" not in html.replace("data-pagefind", "")
    assert total <= 400 * 1000, total


def test_index_is_reproducible(site, tmp_path):
    again = build_site(tmp_path, CONTENT, build_date=BUILD_DATE)
    assert again.ok, again.output

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert digest(site.site / "pagefind") == digest(again.site / "pagefind")


def test_unchanged_articles_reuse_the_cached_index(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site.site, copy)
    cache = BuildCache(tmp_path / "cache", warn=print).trees("search")
    first = cchc_search.build_index(copy, PUBLISHED, cache)
    files = {p.relative_to(copy).as_posix(): p.read_bytes() for p in (copy / "pagefind").rglob("*") if p.is_file()}
    inodes = {p: p.stat().st_ino for p in (copy / "pagefind").rglob("*") if p.is_file()}
    again = cchc_search.build_index(copy, PUBLISHED, cache)
    assert (first.cached, again.cached, again.pages) == (False, True, PUBLISHED)
    assert files == {p.relative_to(copy).as_posix(): p.read_bytes() for p in (copy / "pagefind").rglob("*") if p.is_file()}
    assert inodes == {p: p.stat().st_ino for p in inodes}  # the files in place were left there
    page = copy / "tin-tuc/2025/04/bang-tin-dien-tu/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Bảng tin được", "Bảng tin điện tử được"), encoding="utf-8")
    changed = cchc_search.build_index(copy, PUBLISHED, cache)
    assert not changed.cached and changed.indexed == 1
    # The entry of the old page stays a while (the preview and the site may alternate), then goes.
    assert len(list(cache.trees.iterdir())) == 2
    stale = time.time() - cache.keep_seconds - 60
    for entry in [*cache.trees.iterdir(), *cache.manifests.folder.rglob("*")]:
        os.utime(entry, (stale, stale))
    cchc_search.build_index(copy, PUBLISHED, cache)  # uses (and so keeps) the current entry only
    assert len(list(cache.trees.iterdir())) == 1


def test_shards_are_merged_and_only_changed_shards_reindexed(site, tmp_path):
    """Large sites are indexed in shards (Pagefind's memory grows with the pages it holds): the
    newest shard is the primary index, the others are listed for the search box to merge, and
    after an edit only the shard of the edited page is indexed again."""
    copy = tmp_path / "site"
    shutil.copytree(site.site, copy)
    cache = BuildCache(tmp_path / "cache", warn=print).trees("search")
    first = cchc_search.build_index(copy, PUBLISHED, cache, shard_size=4)
    assert (first.shards, first.indexed, first.pages) == (3, 3, PUBLISHED)
    listing = json.loads((copy / "pagefind" / cchc_search.SHARDS_FILE).read_text(encoding="utf-8"))
    assert len(listing["merge"]) == 2
    for folder in listing["merge"]:
        shard = copy / "pagefind" / folder
        assert (shard / "pagefind-entry.json").is_file() and list(shard.glob("fragment/*.pf_fragment"))
        assert not (shard / "pagefind.js").exists() and not list(shard.glob("wasm.*"))  # the primary's code is used
    assert (copy / "pagefind" / "pagefind.js").is_file()
    assert cchc_search.page_count(copy / "pagefind") == PUBLISHED
    assert sorted(f["url"] for f in cchc_search.read_fragments(copy / "pagefind")) == \
        sorted("/" + url for url in cchc_search.article_pages(copy))
    page = copy / "tin-tuc/2025/04/bang-tin-dien-tu/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Bảng tin được", "Bảng tin điện tử được"), encoding="utf-8")
    again = cchc_search.build_index(copy, PUBLISHED, cache, shard_size=4)
    assert (again.shards, again.indexed) == (3, 1)
    listing = json.loads((copy / "pagefind" / cchc_search.SHARDS_FILE).read_text(encoding="utf-8"))
    folders = {p.name + "/" for p in (copy / "pagefind").iterdir() if p.is_dir()} - {"fragment/", "index/", "filter/"}
    assert folders == set(listing["merge"])  # the edited shard's old folder is gone
    assert cchc_search.page_count(copy / "pagefind") == PUBLISHED


def test_an_index_cancelled_midway_stops_and_keeps_its_finished_shards(site, tmp_path):
    """The preview saved again while the previous save's index is being made: `cancel` stops it
    (the running Pagefind too) instead of the new build waiting for every shard; the shards
    finished so far stay in the cache, and the next index makes only the others."""
    import threading

    copy = tmp_path / "site"
    shutil.copytree(site.site, copy)
    cache = BuildCache(tmp_path / "cache", warn=print).trees("search")
    urls = cchc_search.article_pages(copy)
    indexer = cchc_search.ShardedIndexer(copy, urls, cache, shard_size=1)
    outcome: list = []

    def finish():
        try:
            outcome.append(indexer.finish())
        except cchc_search.SearchIndexError as exc:
            outcome.append(exc)

    for url in urls:
        indexer.add_page(url, (copy / cchc_search.page_path(url)).read_text(encoding="utf-8"))
    worker = threading.Thread(target=finish)
    worker.start()
    deadline = time.monotonic() + 120
    while not indexer.results and time.monotonic() < deadline:
        time.sleep(0.01)
    indexer.cancel()
    worker.join(120)
    assert isinstance(outcome[0], cchc_search.SearchIndexError) and indexer.cancelled
    done = len(indexer.results)
    assert 1 <= done < len(urls)  # stopped midway, not after every shard
    again = cchc_search.build_index(copy, len(urls), cache, shard_size=1)
    assert again.pages == len(urls) and again.indexed == len(urls) - done


def test_a_site_without_articles_gets_no_bundle(tmp_path):
    stale = tmp_path / "pagefind"
    stale.mkdir()
    (stale / "old.pf_index").write_bytes(b"old")
    result = cchc_search.build_index(tmp_path, 0)
    assert result.pages == 0 and result.bundle is None
    assert not stale.exists()


def test_pagefind_failure_is_reported_in_vietnamese(tmp_path, monkeypatch):
    (tmp_path / "tin-tuc").mkdir()
    monkeypatch.setattr(cchc_search, "pagefind_executable", lambda: Path("/bin/false"))
    with pytest.raises(cchc_search.SearchIndexError, match="Pagefind không lập được chỉ mục tìm kiếm"):
        cchc_search.build_index(tmp_path, 1)


# --- In the browser -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(site):
    # Served under a sub-path, as on the department's server (https://…/cchc/).
    with serve_directory(site.site.parent) as base, chromium() as browser:
        yield base + site.site.name + "/", browser


@pytest.fixture
def desktop(served):
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base)
    yield page
    context.close()
    assert not errors


def run_query(page, query: str) -> list[dict]:
    """Type `query` into the header search box; the results as the citizen sees them."""
    page.evaluate("document.querySelector('[data-cchc-search]').removeAttribute('data-cchc-state')")
    page.locator("#cchc-search-input").fill(query)
    page.wait_for_function(
        """(q) => {
          const box = document.querySelector('[data-cchc-search]');
          return box.getAttribute('data-cchc-state') === 'done'
            && document.querySelector('#cchc-search-status').textContent.includes(q.trim());
        }""", arg=query, timeout=15000)
    return page.evaluate("""() => Array.from(document.querySelectorAll('#cchc-search-results li')).map(li => ({
        title: li.querySelector('.cchc-search__title').textContent,
        date: (li.querySelector('.cchc-search__date') || {}).textContent || '',
        excerpt: li.querySelector('.cchc-search__excerpt').textContent,
        marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
        href: li.querySelector('a').getAttribute('href'),
    }))""")


def titles(results: list[dict]) -> list[str]:
    return [r["title"] for r in results]


def result_for(results: list[dict], title: str) -> dict:
    found = [r for r in results if r["title"] == title]
    assert found, f"{title!r} not in {titles(results)}"
    return found[0]


def marked(result: dict) -> str:
    """The highlighted words, lower-cased, trailing punctuation dropped."""
    return " ".join(m.strip(".,;:").lower() for m in result["marks"])


@pytest.mark.parametrize("query, title, original", [
    ("cai cach hanh chinh", T_REFORM, "cải cách hành chính"),
    ("dich vu cong", T_ONLINE, "dịch vụ công"),
    ("dong", T_WINTER, "đông"),                     # đ folds to d
    ("duong day nong", T_REFORM, "đường dây nóng"),  # several đ words in one query
    ("DỊCH VỤ CÔNG", T_ONLINE, "dịch vụ công"),
    ("cải cách hành chính", T_REFORM, "cải cách hành chính"),
])
def test_query_finds_the_vietnamese_text(desktop, query, title, original):
    results = run_query(desktop, query)
    hit = result_for(results, title)
    # The excerpt is the article's own text, diacritics included, never the folded form.
    assert original in hit["excerpt"].lower()
    assert original in marked(hit)
    assert fold(original) not in hit["excerpt"].lower()
    assert hit["href"].startswith("/site/tin-tuc/2025/")
    assert re.fullmatch(r"\d\d/\d\d/2025", hit["date"])


@pytest.mark.parametrize("query, first", [
    ("hoa giai", None), ("hoà giải", T_MEDIATION_OLD), ("hòa giải", T_MEDIATION_NEW),
    (nfd("hoà giải"), T_MEDIATION_OLD), (nfd("hòa giải"), T_MEDIATION_NEW),
])
def test_old_and_new_tone_placement_and_nfd_find_each_other(desktop, query, first):
    """Either placement finds both articles, and the one spelled as typed comes first (NFD typed
    as macOS does ranks like NFC)."""
    results = run_query(desktop, query)
    assert set(titles(results)) == {T_MEDIATION_OLD, T_MEDIATION_NEW}
    assert "hoà giải" in marked(result_for(results, T_MEDIATION_OLD))
    assert "hòa giải" in marked(result_for(results, T_MEDIATION_NEW))
    if first:
        assert titles(results)[0] == first


def test_nfd_query_ranks_like_nfc(desktop):
    composed = run_query(desktop, "bằng")
    decomposed = run_query(desktop, nfd("bằng"))
    assert titles(decomposed) == titles(composed)


def test_exact_diacritics_rank_first(desktop):
    # "bằng" (award) is exact in one article; "bảng" (board) folds to the same "bang" and
    # appears more often in the other: the exact spelling still comes first, both ways round.
    award = titles(run_query(desktop, "bằng"))
    assert award.index(T_AWARD) < award.index(T_BOARD)
    board = titles(run_query(desktop, "bảng"))
    assert board.index(T_BOARD) < board.index(T_AWARD)
    folded = titles(run_query(desktop, "bang"))
    assert {T_AWARD, T_BOARD} <= set(folded)


@pytest.mark.parametrize("query, first, needle", [
    ("chỉ số", T_REFORM, "chỉ số"),      # "nâng cao chỉ số hài lòng", once, in the last section
    ("chi so", T_REFORM, "chỉ số"),
    ("một cửa", T_ONE_STOP, "một cửa"),
    ("mot cua", T_ONE_STOP, "một cửa"),
])
def test_words_standing_together_rank_first(desktop, query, first, needle):
    """Pagefind ranks each word alone: the page full of "Sở", "chỉ", "số", "của", "Một" would
    come first.  The page with the words as typed, together, is first, its excerpt shows them."""
    results = run_query(desktop, query)
    assert titles(results)[0] == first
    assert T_DIRECTS in titles(results)  # still found, after
    assert needle in marked(results[0]) and needle in results[0]["excerpt"]


@pytest.mark.parametrize("query", ['"một cửa"', "“một cửa”", "„một cửa“", "«một cửa»", '"mot cua"', "“Một Cửa”"])
def test_quoted_phrase(desktop, query):
    results = run_query(desktop, query)
    assert titles(results) == [T_ONE_STOP]  # not the page with "Một số … của"
    assert marked(results[0]) == "một cửa"


def test_quoted_phrase_finds_every_page_that_has_it(desktop):
    # both tone placements are the phrase; the words in other orders or apart are not
    assert set(titles(run_query(desktop, "“hoà giải”"))) == {T_MEDIATION_OLD, T_MEDIATION_NEW}
    assert titles(run_query(desktop, '"giải hoà"')) == []
    status = desktop.locator("#cchc-search-status").inner_text()
    assert status.startswith("Không tìm thấy kết quả")
    assert set(titles(run_query(desktop, 'trao "bằng khen"'))) == {T_AWARD}


def test_quoted_phrase_checks_pages_a_round_at_a_time(desktop):
    """Each fragment checked is a download: a round checks at most `phraseRound` pages, the
    "Xem thêm kết quả" button checks the next round."""
    desktop.evaluate("Object.assign(window.cchcSearch.limits, {phraseBatch: 1, phraseRound: 1})")
    query = "“hoà giải”"
    assert len(run_query(desktop, query)) == 1
    status = desktop.locator("#cchc-search-status")
    assert status.inner_text().startswith("Tìm thấy 1 bài viết có đúng cụm từ cho")
    assert "Xem thêm kết quả" in status.inner_text()
    desktop.locator(".cchc-search__more").click()
    desktop.wait_for_function("document.querySelectorAll('#cchc-search-results li').length === 2")
    assert status.inner_text() == f"Tìm thấy 2 bài viết cho {query}."  # (in quotes already)
    assert desktop.locator(".cchc-search__more").is_hidden()
    assert desktop.evaluate("document.activeElement.closest('#cchc-search-results li:nth-child(2)') !== null")


def test_each_result_text_is_fetched_once(desktop):
    """Ranking reads each result's text (a fragment download): the same fragment then serves
    the result shown, it is not fetched again."""
    fetched = []
    desktop.on("requestfinished", lambda r: fetched.append(r.url) if "/fragment/" in r.url else None)
    results = run_query(desktop, "chỉ số")
    assert len(results) == 3
    assert sorted(fetched) == sorted(set(fetched)) and len(fetched) == 3


def test_d_is_searched_as_đ_only_when_typed_without_diacritics(desktop):
    # "dịch" is not "địch"/"đích": "Mục đích" is not a result; "dạy" is not "Đẩy"
    assert titles(run_query(desktop, "dịch")) == [T_ONLINE]
    taught = titles(run_query(desktop, "dạy"))
    assert taught[0] == T_TEACHING and T_READING not in taught
    # typed without diacritics, "day" is also "đẩy": after the pages with "dạy", "dây"
    loose = titles(run_query(desktop, "day"))
    assert set(loose) == {T_TEACHING, T_REFORM, T_READING}
    assert loose[-1] == T_READING


def test_words_anywhere_in_title_summary_and_body(desktop):
    assert titles(run_query(desktop, "ao am"))[0] == T_WINTER                 # title
    assert titles(run_query(desktop, "tong dai")) == [T_ONLINE]               # front-matter summary only
    assert titles(run_query(desktop, "kyhieu4471")) == [T_REFORM]             # last paragraph


@pytest.mark.parametrize("word", ["bimatnhap", "bimathengio"])
def test_drafts_and_scheduled_articles_are_not_found(desktop, word):
    assert run_query(desktop, word) == []
    status = desktop.locator("#cchc-search-status").inner_text()
    assert status.startswith("Không tìm thấy kết quả")


def test_keyboard_only(desktop):
    desktop.keyboard.press("/")
    assert desktop.evaluate("document.activeElement.id") == "cchc-search-input"
    assert desktop.locator("#__search").is_checked()
    desktop.keyboard.type("dich vu cong")
    desktop.wait_for_function("document.querySelector('[data-cchc-search]').getAttribute('data-cchc-state') === 'done'")
    assert "Tìm thấy 1 bài viết" in desktop.locator("#cchc-search-status").inner_text()
    desktop.keyboard.press("ArrowDown")
    assert desktop.evaluate("document.activeElement.closest('#cchc-search-results') !== null")
    desktop.keyboard.press("ArrowUp")
    assert desktop.evaluate("document.activeElement.id") == "cchc-search-input"
    desktop.screenshot(path=str(screenshot_path("search-desktop")))
    desktop.keyboard.press("Escape")
    assert not desktop.locator("#__search").is_checked()
    desktop.locator("#cchc-search-input").focus()
    desktop.keyboard.press("ArrowDown")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**/tin-tuc/2025/02/nop-ho-so-truc-tuyen/")
    assert desktop.locator("article h1").inner_text().strip() == T_ONLINE


def test_all_results_shown_without_more_button(desktop):
    results = run_query(desktop, "trường")  # in several articles, fewer than a page (10)
    assert len(results) >= 3
    assert desktop.locator(".cchc-search__more").is_hidden()


def test_phone(served):
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(base + "tin-tuc/2025/01/day-manh-cai-cach-hanh-chinh/")
        assert not page.locator("#__search").is_checked()
        page.get_by_role("button", name="Mở ô tìm kiếm").click()
        assert page.locator("#__search").is_checked()
        page.wait_for_function("document.activeElement && document.activeElement.id === 'cchc-search-input'")
        results = run_query(page, "dong")
        assert titles(results) == [T_WINTER]
        assert page.locator("#cchc-search-results a").first.is_visible()
        box = page.locator("#cchc-search-results a").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"]
        page.screenshot(path=str(screenshot_path("search-phone")))
        run_query(page, "hoa giai")
        page.screenshot(path=str(screenshot_path("search-phone-2")))
        page.locator("#cchc-search-results a").first.click()
        page.wait_for_url("**/tin-tuc/2025/0*/**")
    finally:
        context.close()


def screenshot_path(name: str) -> Path:
    """For viewport screenshots: the search overlay is fixed to the viewport, and the resize of a
    full-page shot (browser.screenshot) catches it mid-transition."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


# --- The query rules of assets/search.js, against cchc.text --------------------------------
WORDS = ["hoà", "hòa", "Hoà", "thuỷ", "thủy", "khoẻ", "khỏe", "quý", "quỳnh", "hoàng", "thuyền", "khuyến",
         "mùa", "đông", "dong", "cải", "Đẩy", "uỷ", "ủy", "toà", "tòa", "loè", "lòe", "hoạ", "họa", "đường"]


def test_query_rules_match_the_python_text_rules(desktop):
    rules = desktop.evaluate("""(words) => words.map(w => ({
        normalized: window.cchcSearch.newTonePlacement(w.normalize('NFD')),
        folded: window.cchcSearch.fold(w.normalize('NFD')),
        variants: window.cchcSearch.wordVariants(window.cchcSearch.normalizeQuery(w)),
    }))""", WORDS)
    for word, rule in zip(WORDS, rules):
        assert rule["normalized"] == normalize(word), word
        assert rule["folded"] == fold(word), word
        query = word.lower()
        assert rule["variants"][0] == query
        # Every variant is the same word folded (so no unrelated word is searched).
        assert {fold(v) for v in rule["variants"]} == {fold(word)}, word
    variants = dict(zip(WORDS, (r["variants"] for r in rules)))
    assert variants["dong"] == ["dong", "đong"]  # typed without diacritics: d or đ
    assert variants["đông"] == ["đông"]  # typed with đ: only đ
    assert variants["đường"] == ["đường"]
    # typed with diacritics: as typed only ("dịch" is not "địch")
    assert all(len(v) == 1 for word, v in variants.items() if word != "dong"), variants
    words = desktop.evaluate("(q) => window.cchcSearch.queryWords(window.cchcSearch.normalizeQuery(q))", "  “Cải   cách”, hành-chính! ")
    assert words == ["cải", "cách", "hành-chính"]


@pytest.mark.parametrize("query, words, phrases", [
    ('"một cửa"', ["một", "cửa"], [["một", "cửa"]]),
    ("thủ tục “một cửa” liên thông", ["thủ", "tục", "một", "cửa", "liên", "thông"], [["một", "cửa"]]),
    ("„hoà giải“ «cơ sở»", ["hoà", "giải", "cơ", "sở"], [["hoà", "giải"], ["cơ", "sở"]]),
    ('"một cửa', ["một", "cửa"], []),  # still typing: not a phrase yet
    ("một cửa", ["một", "cửa"], []),
])
def test_quotes(desktop, query, words, phrases):
    parsed = desktop.evaluate("(q) => window.cchcSearch.parseQuery(window.cchcSearch.normalizeQuery(q))", query)
    assert parsed == {"words": words, "phrases": phrases}


TEXT = "Sở Giáo dục tổ chức hội nghị. Bộ phận Một Cửa tiếp nhận hồ sơ; công tác hòa giải ở cơ sở."


@pytest.mark.parametrize("query, tier", [
    ("một cửa", 0), ("MỘT CỬA", 0), ("mot cua", 0), (nfd("một cửa"), 0),
    ("hoà giải", 0), ("hoa giai", 0),  # tone placement: the same word
    ("cửa một", 1), ("sở hội nghị", 1), ("so hoi nghi", 1),
    ("một của", 2), ("cua mot ca", 2), ("chỉ số", 2), ("giáo đục", 2),
])
def test_rank_tiers_compare_words_as_typed(desktop, query, tier):
    """0: the words as typed stand together; 1: all stand in the text; 2: not all.  Words typed
    with diacritics must match them; words without, match any (đ as d)."""
    assert desktop.evaluate("([t, q]) => window.cchcSearch.tier(t, q)", [TEXT, query]) == tier


# --- A large site: the index in shards, merged by the search box ---------------------------
@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The same articles indexed in shards of 3 pages (big sites use 100): 4 shards to merge."""
    built = build_site(tmp_path_factory.mktemp("search-sharded"), CONTENT, build_date=BUILD_DATE,
                       extra={"search_shard_size": 3})
    assert built.ok, built.output
    return built


def test_sharded_index_finds_what_the_single_index_finds(site, sharded, served):
    listing = json.loads(sharded.read("pagefind/" + cchc_search.SHARDS_FILE))
    assert len(listing["merge"]) == -(-PUBLISHED // 3) - 1
    assert cchc_search.page_count(sharded.site / "pagefind") == PUBLISHED
    base, browser = served
    with serve_directory(sharded.site.parent) as root:
        context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
        errors: list[str] = []
        single, many = context.new_page(), context.new_page()
        for tab in (single, many):
            tab.on("pageerror", lambda e: errors.append(str(e)))
        single.goto(base)
        many.goto(root + sharded.site.name + "/")
        fetched: list[str] = []
        many.on("request", lambda request: fetched.append(request.url))
        for query in ("cai cach hanh chinh", "dich vu cong", "dong", "một cửa", "hoà giải", "chỉ số",
                      "\"một cửa\"", "cai cach zzkhongco", "day"):
            expected = run_query(single, query)
            found = run_query(many, query)
            assert expected, query
            # Every shard's pages are found, with the same titles, excerpts and links.
            assert sorted(titles(found)) == sorted(titles(expected)), query
            assert {r["title"]: (r["excerpt"], r["href"]) for r in found} == \
                {r["title"]: (r["excerpt"], r["href"]) for r in expected}, query
        # The merged shards load their index from their own folders, and the code only once.
        assert any(f"/pagefind/{listing['merge'][0]}" in url for url in fetched)
        assert sum(url.endswith("pagefind.js") for url in fetched) <= 1
        assert not [url for url in fetched if "wasm" in url and "/pagefind/wasm" not in url]
        context.close()
    assert not errors


def test_indexing_the_searchable_part_equals_indexing_whole_pages(site, tmp_path):
    """The build hands Pagefind a small document per article (the element marked
    data-pagefind-body, rendered on its own before the pages): the index must be the one
    Pagefind makes of the published pages."""
    whole = tmp_path / "whole"
    shutil.copytree(site.site, whole)
    shutil.rmtree(whole / "pagefind")
    result = subprocess.run(cchc_search.pagefind_command(whole, whole / "pagefind"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    by_url = lambda bundle: sorted(cchc_search.read_fragments(bundle), key=lambda f: f["url"])  # noqa: E731
    assert by_url(whole / "pagefind") == by_url(site.site / "pagefind")
    # The same words in the same places: the index chunks differ only in how pages are numbered
    # (Pagefind numbers them in the order the file system lists the files).
    sizes = lambda bundle: sorted(len(gzip.decompress(p.read_bytes())) for p in bundle.glob("index/*.pf_index"))  # noqa: E731
    assert sizes(whole / "pagefind") == sizes(site.site / "pagefind")


# --- A large site: a search covers the newest articles first -------------------------------
@pytest.fixture(scope="module")
def stepped(tmp_path_factory):
    """30 articles about "tuyên truyền", one a week; shards of 5 pages and a search step of 10
    articles (2 shards): a search first covers the newest 10, "Xem thêm kết quả" goes further."""
    from support import make_content, write_article

    tmp = tmp_path_factory.mktemp("search-stepped")
    content = make_content(tmp)
    for week in range(30):
        day = dt.date(2025, 1, 6) + dt.timedelta(weeks=week)
        write_article(content, f"{day:%Y/%m}/tuyen-truyen-tuan-{week + 1:02d}.md",
                      title=f'"Tuyên truyền cải cách hành chính tuần {week + 1}"',
                      slug=f"tuyen-truyen-tuan-{week + 1:02d}", date=f"{day:%Y-%m-%d} 08:00",
                      body=f"Bài tuyên truyền số {week + 1} về cải cách hành chính.\n")
    built = build_site(tmp, content, build_date="2025-12-31 12:00", extra={"search_shard_size": 5, "search_step": 10})
    assert built.ok, built.output
    return built


def test_a_search_covers_the_newest_articles_then_older_ones(stepped, served):
    listing = json.loads(stepped.read("pagefind/" + cchc_search.SHARDS_FILE))
    assert len(listing["merge"]) == 5 and listing["step"] == 2
    _, browser = served  # one Playwright per module
    with serve_directory(stepped.site.parent) as base:
        context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        fetched: list[str] = []
        tab.on("requestfinished", lambda r: fetched.append(r.url) if r.url.endswith(".pf_index") else None)
        tab.goto(base + stepped.site.name + "/")
        results = run_query(tab, "tuyen truyen")
        weeks = sorted(int(r["title"].rsplit(" ", 1)[1]) for r in results)
        assert weeks == list(range(21, 31))  # the newest 10 articles, nothing older yet
        status = tab.locator("#cchc-search-status").inner_text()
        assert "trong các tin gần đây" in status and "Xem thêm kết quả" in status
        indexes = {url.split("/pagefind/")[1].split("index/")[0] for url in fetched}
        assert len(indexes) == 2  # only the two newest shards were downloaded
        more = tab.locator(".cchc-search__more")
        for expected in (20, 30):  # each click looks 10 articles further back
            assert more.is_visible()
            more.click()
            tab.wait_for_function(f"document.querySelectorAll('#cchc-search-results li').length === {expected}")
        assert more.is_hidden()
        shown = sorted(int(t.rsplit(" ", 1)[1]) for t in tab.locator(".cchc-search__title").all_inner_texts())
        assert shown == list(range(1, 31))  # every article, each once
        assert tab.locator("#cchc-search-status").inner_text() == "Tìm thấy 30 bài viết cho “tuyen truyen”."
        # A rare word is looked for in every shard at once.
        rare = run_query(tab, "tuan 3")
        assert "Tuyên truyền cải cách hành chính tuần 3" in titles(rare)
        context.close()
    assert not errors
