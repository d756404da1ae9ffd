"""Accessibility and valid HTML (TT 26/2020/TT-BTTTT asks state websites to be accessible).

Every page type of a fixture site (tests/fixtures/a11y/: 13 articles, one with an image and
image_alt, one whose image falls back to the title, a table, links, legal-document references)
is checked in Debian's chromium with axe-core's WCAG 2.1 A/AA rules, at phone and desktop
widths, and the built files with the Nu HTML Checker (vnu.jar, run with Java). Both tools are
npm packages pinned in package.json (scripts/ensure-test-tools.sh installs them with `npm ci`).
Beyond axe: lang="vi", the skip link, a visible focus outline on every keyboard stop, the print
stylesheet, and the alt-text rule for images written in article bodies.

The site is served under /cchc/ as on the department's server (site_url), so the 404 page's
absolute links work. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from browser import VIEWPORTS, chromium, screenshot, serve_directory
from support import FIXTURES, ROOT, build_site, copy_content, run_cchc

CONTENT = FIXTURES / "a11y"
BUILD_DATE = "2025-11-20 09:00"  # inside plan year 2025: the coverage page has past, current and future periods
PREFIX = "cchc/"  # the path of site_url (https://sgddt.bentre.gov.vn/cchc/)
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIP_TEXT = "Chuyển đến nội dung"
SKIP_TARGET = "__noi-dung"

ARTICLE_IMAGE = "tin-tuc/2025/11/ra-quan-tuyen-truyen-cchc/"  # image + image_alt, body image, tags
ARTICLE_IMAGE_NO_ALT = "tin-tuc/2025/11/hop-ban-chi-dao-quy-4/"  # image without image_alt: the title
ARTICLE_LEGAL = "tin-tuc/2025/03/van-ban-moi-ve-thu-tuc-hanh-chinh/"  # legal references, admonition, footnote
ARTICLE_TABLE = "tin-tuc/2025/06/ket-qua-chi-so-cchc-2024/"

# One page of each type, and the first page of every kind of listing.
PAGES = {
    "home": "",
    "article with image": ARTICLE_IMAGE,
    "article, image alt from title": ARTICLE_IMAGE_NO_ALT,
    "article with legal references": ARTICLE_LEGAL,
    "article with table": ARTICLE_TABLE,
    "categories": "chuyen-muc/",
    "category": "chuyen-muc/thu-tuc-hanh-chinh/",
    "archive": "luu-tru/",
    "archive year": "luu-tru/2025/",
    "archive year, page 2": "luu-tru/2025/trang/2/",
    "archive month": "luu-tru/2025/11/",
    "units": "don-vi/",
    "unit": "don-vi/phong-gddt-ba-tri/",
    "tags": "the/",
    "tag": "the/mot-cua/",
    "plans": "ke-hoach/",
    "coverage": "ke-hoach/2025/",
    "legal documents": "van-ban/",
    "legal documents of a type": "van-ban/loai/nghi-dinh/",
    "legal documents of a year": "van-ban/nam/2023/",
    "legal document": "van-ban/06-2023-nd-cp/",
    "404": "404.html",
    "about (Markdown page with contact)": "gioi-thieu/",
    "open data": "du-lieu-mo/",
    "feed subscription": "nhan-tin/",
}


def page_file(url: str) -> str:
    return url if url.endswith(".html") else url + "index.html"


# --- Tools ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tools():
    missing = [str(p.relative_to(ROOT)) for p in (AXE, VNU) if not p.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make test` (scripts/ensure-test-tools.sh runs npm ci)")
    java = shutil.which("java")
    if not java:
        pytest.fail("java is not installed: run `make test` (scripts/ensure-test-tools.sh installs it)")
    return java


# --- The site -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("a11y"), CONTENT, build_date=BUILD_DATE)
    assert site.ok, site.output
    return site


@pytest.fixture(scope="module")
def served(built):
    root = built.site.parent / "served"
    root.mkdir(exist_ok=True)
    link = root / PREFIX.strip("/")
    if not link.exists():
        link.symlink_to(built.site, target_is_directory=True)
    with serve_directory(root) as base, chromium() as browser:
        yield base + PREFIX, browser


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, served):
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="vi-VN")
    tab = context.new_page()
    tab.base = base
    tab.viewport_name = request.param
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not errors, errors


@pytest.fixture
def desktop(served):
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
    tab = context.new_page()
    tab.base = base
    tab.viewport_name = "desktop"
    yield tab
    context.close()


def test_every_page_type_is_built(built):
    for name, url in PAGES.items():
        assert built.exists(page_file(url)), f"{name}: {url} was not built"


# --- axe-core -------------------------------------------------------------------------------
def axe_violations(tab) -> list[dict]:
    if not tab.evaluate("typeof window.axe === 'object'"):
        tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_no_violations(tab, where: str) -> None:
    violations = axe_violations(tab)
    assert not violations, f"axe, {where} ({tab.viewport_name}):\n{describe(violations)}"


def test_axe_every_page_type(tools, page):
    failures: dict[str, list[str]] = {}  # the same violation on many pages (site-wide markup): once
    for name, url in PAGES.items():
        page.goto(page.base + url)
        for violation in axe_violations(page):
            failures.setdefault(describe([violation]), []).append(f"{name} (/{PREFIX}{url})")
    assert not failures, f"axe ({page.viewport_name}):\n" + "\n".join(
        f"{text}\n    on {len(pages)} page(s): {', '.join(pages[:4])}{' …' if len(pages) > 4 else ''}"
        for text, pages in failures.items())


def test_navigation_drawer_by_keyboard(tools, served):
    """The phone's navigation drawer: opened from the keyboard (the menu checkbox, Space), its
    links on screen and outlined, axe-clean when open and with a section expanded."""
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN")
    tab = context.new_page()
    tab.viewport_name = "phone"
    try:
        tab.goto(base + ARTICLE_IMAGE)
        drawer = tab.locator(".md-sidebar--primary")
        assert not drawer.is_visible()  # closed: hidden, so not in the keyboard order either
        tab.keyboard.press("Tab")  # the skip link
        tab.keyboard.press("Tab")  # the menu
        assert tab.evaluate("document.activeElement.id") == "__drawer"
        menu = tab.locator("#__drawer")
        assert menu.get_attribute("aria-label") == "Hiện menu điều hướng"
        icon = tab.evaluate(KEYBOARD_STOP)  # the outline is drawn on the ☰ icon
        assert icon["visible"] and icon["outline"] == "solid" and icon["color"] == "rgb(255, 255, 255)", icon
        tab.keyboard.press("Space")
        assert menu.is_checked()
        tab.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        assert drawer.is_visible()
        assert_no_violations(tab, "navigation drawer open")

        # Tab reaches the drawer's links, now on screen and outlined (white on the red title).
        for _ in range(8):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null"):
                break
        stop = tab.evaluate(KEYBOARD_STOP)
        assert stop["visible"] and 0 <= stop["left"] < VIEWPORTS["phone"]["width"], stop
        assert stop["outline"] == "solid" and stop["color"] == "rgb(255, 255, 255)", stop
        tab.keyboard.press("Tab")
        stop = tab.evaluate(KEYBOARD_STOP)
        assert stop["text"] == "Trang chủ" and stop["visible"] and stop["left"] >= 0, stop
        assert stop["outline"] == "solid" and stop["color"] == "rgb(13, 71, 161)", stop

        # Expand "Chuyên mục" from the keyboard (Enter on its label, Material's own handling,
        # which is off while the search box is open).
        assert not tab.locator("#__search").is_checked(), \
            "the header search box (passed on the way to the drawer) stayed open after the keyboard left it"
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.textContent.trim()") == "Chuyên mục"
        tab.keyboard.press("Enter")
        tab.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        assert tab.locator("#__nav_2").is_checked()
        assert drawer.get_by_role("link", name="Thủ tục hành chính, một cửa").is_visible()
        assert_no_violations(tab, "navigation drawer, Chuyên mục expanded")
        screenshot(tab, "a11y-drawer-phone")
    finally:
        context.close()


def test_axe_search_open(tools, page):
    """The header search box (Pagefind), open, with results."""
    page.goto(page.base + ARTICLE_LEGAL)
    if page.viewport_name == "phone":  # on a desktop the search box itself is in the header
        page.get_by_role("button", name="Mở ô tìm kiếm").click()
    page.locator("#cchc-search-input").fill("cải cách")
    page.wait_for_function(
        "document.querySelector('[data-cchc-search]').getAttribute('data-cchc-state') === 'done'", timeout=15000)
    assert page.locator("#cchc-search-results li").count() > 0
    assert_no_violations(page, "search open with results")


# --- Nu HTML Checker ------------------------------------------------------------------------
def test_nu_html_checker(tools, built):
    files = sorted({built.site / page_file(url) for url in PAGES}
                   | set((built.site / "chuyen-muc").glob("*/index.html"))
                   | set((built.site / "don-vi").glob("*/index.html"))
                   | set((built.site / "the").glob("*/index.html"))
                   | set((built.site / "luu-tru").glob("*/index.html")))
    result = subprocess.run([tools, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True)
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m["type"] != "info"]
    grouped: dict[tuple[str, str], list[str]] = {}  # the same markup error on many pages: once
    for m in errors:
        where = f"{m.get('url', '').split('/site/', 1)[-1]}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}"
        extract = " ".join(m.get("extract", "").split())[:160]
        grouped.setdefault((m["message"], extract), []).append(where)
    lines = [f"{message}\n    {extract}\n    in {len(places)} place(s): {', '.join(places[:3])}"
             for (message, extract), places in grouped.items()]
    assert not errors, f"Nu HTML Checker: {len(errors)} errors in {len(files)} files\n" + "\n".join(lines)
    assert len(files) > 40


# --- Language, skip link, focus -------------------------------------------------------------
def test_every_page_is_vietnamese(built):
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) > 60
    for path in pages:
        head = path.read_text(encoding="utf-8")[:300]
        assert re.search(r'<html lang="vi"[ >]', head), path


def test_skip_link_on_every_page(built):
    for name, url in PAGES.items():
        html = built.read(page_file(url))
        skip = re.search(r'<a href="#([^"]+)" class="md-skip">\s*([^<]*?)\s*</a>', html)
        assert skip and skip.group(2) == SKIP_TEXT, name
        assert skip.group(1) == SKIP_TARGET, name
        assert html.count(f'id="{SKIP_TARGET}"') == 1, name
        assert html.index('class="md-skip"') < html.index("<header"), name


def test_materials_words_are_vietnamese(built):
    """overrides/partials/language.html: Material's Vietnamese has English or wrong phrases."""
    html = built.read("index.html")
    assert re.search(r'<nav class="md-tabs" aria-label="Mục chính"', html)  # not "Tabs"
    assert re.search(r'class="md-top md-icon"[^>]*>.*?Về đầu trang\s*</button>', html, re.S)  # not "Trở lại mục lục"
    assert "Initializing search" not in html and "Tabs" not in html


class _ShownText(HTMLParser):
    """What a reader sees or hears of a page: text outside <script>/<style>/<template>, and the
    attributes read out or shown (alt, title, aria-label, placeholder, value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.images: list[dict] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "img":
            self.images.append(attrs)
        self.texts += [attrs[k] for k in ("alt", "title", "aria-label", "placeholder", "value") if attrs.get(k)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def material_templates() -> Path:
    """Material's template folder (the installed theme)."""
    import material

    return Path(material.__file__).resolve().parent / "templates"


def _material_english_phrases() -> list[re.Pattern]:
    """Every phrase of Material's English interface (its partials/languages/en.html), plus the
    footer's generator credit, as whole-word patterns ("#" stands for a number)."""
    source = (material_overrides.material_templates() / "partials" / "languages" / "en.html").read_text(encoding="utf-8")
    phrases = {value for key, value in re.findall(r'^\s*"([^"]+)": "((?:[^"\\]|\\.)*)",?$', source, re.M)
               if key not in ("language", "direction") and not key.startswith("search.config.")
               and len(value) > 3}
    phrases |= {"Made with", "Material for MkDocs"}
    return [re.compile(r"(?<!\w)" + re.escape(p).replace(r"\#", r"\d+") + r"(?!\w)") for p in sorted(phrases)]


_CCHC = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["cchc"]
DEPARTMENT = f"{_CCHC['department']} {_CCHC['province']}"  # "Sở Giáo dục và Đào tạo tỉnh Bến Tre"


def test_no_english_interface_words_on_any_page(built):
    """No English from Material on any page: not the footer's "Made with Material for MkDocs",
    not a logo described as "logo", not any phrase of Material's English interface."""
    patterns = _material_english_phrases()
    assert len(patterns) > 40 and any(p.pattern.startswith("(?<!\\w)Made\\ with") for p in patterns)
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) > 60
    found: dict[str, list[str]] = {}
    for path in pages:
        shown = _ShownText()
        shown.feed(path.read_text(encoding="utf-8"))
        rel = path.relative_to(built.site).as_posix()
        for text in shown.texts:
            for pattern in patterns:
                if pattern.search(text):
                    found.setdefault(rel, []).append(f"{pattern.pattern!r} in {text.strip()[:60]!r}")
        logos = [i for i in shown.images if "logo" in i.get("src", "")]
        assert logos, f"{rel}: no header logo"
        for image in shown.images:
            if image.get("alt", "").strip().lower() in ("logo", "image", "icon"):
                found.setdefault(rel, []).append(f"img alt={image['alt']!r}")
        for logo in logos:  # the logo says whose site this is
            if logo.get("alt") != DEPARTMENT:
                found.setdefault(rel, []).append(f"logo alt={logo.get('alt')!r}")
    assert not found, "\n".join(f"{rel}: {', '.join(problems[:5])}" for rel, problems in sorted(found.items()))


def test_skip_link_is_first_and_goes_to_the_content(page):
    page.goto(page.base + ARTICLE_IMAGE)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.classList.contains('md-skip'), document.activeElement.textContent.trim()]")
    assert focused == [True, SKIP_TEXT]
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")  # it slides in
    box = page.locator(".md-skip").bounding_box()
    assert box and box["y"] >= 0 and page.locator(".md-skip").evaluate("e => getComputedStyle(e).opacity") == "1"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == SKIP_TARGET
    page.keyboard.press("Tab")  # the next stop is in the content (the breadcrumb), not the navigation
    assert page.evaluate(f"document.activeElement.closest('#{SKIP_TARGET}') !== null")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Trang chủ"


# The drawer checkbox is the phone's menu button: invisible itself, its outline is on the ☰ icon.
KEYBOARD_STOP = """() => {
  const active = document.activeElement;
  const e = active.id === '__drawer' ? document.querySelector('.md-header__button[for="__drawer"]') : active;
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  let visible = s.visibility === 'visible' && r.width > 0 && r.height > 0;
  for (let n = e; n && visible; n = n.parentElement) { if (getComputedStyle(n).opacity === '0') visible = false; }
  return {tag: active.tagName, id: active.id, text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          left: r.left, right: r.right, bottom: r.bottom + window.scrollY, visible,
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          focusVisible: active.matches(':focus-visible'), body: active === document.body};
}"""


def tab_through(tab, stops: int) -> list[dict]:
    seen = []
    for _ in range(stops):
        tab.keyboard.press("Tab")
        # Transitions started by the focus (the skip link fades in) end before measuring.
        tab.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=2000)
        stop = tab.evaluate(KEYBOARD_STOP)
        if stop["body"]:
            break
        seen.append(stop)
    return seen


@pytest.mark.parametrize("url", [ARTICLE_IMAGE, "chuyen-muc/thu-tuc-hanh-chinh/", "ke-hoach/2025/"])
def test_every_keyboard_stop_is_visible_and_outlined(page, url):
    """Tab through the page: each stop is on screen (nothing focusable hides off-canvas) and
    has a visible outline of at least 2px (WCAG 2.4.7)."""
    page.goto(page.base + url)
    width = VIEWPORTS[page.viewport_name]["width"]
    stops = tab_through(page, 60)
    assert len(stops) >= 8
    bad = []
    for stop in stops:
        # On the page (scrolling brings it into view), not off-canvas to the left, right or top.
        page_ok = stop["visible"] and stop["right"] > 0 and stop["left"] < width and stop["bottom"] > 0
        outline_ok = stop["focusVisible"] and stop["outline"] not in ("none", "hidden") and stop["width"] >= 2 \
            and stop["color"] not in ("rgba(0, 0, 0, 0)", "transparent")
        if not (page_ok and outline_ok):
            bad.append(stop)
    assert not bad, f"{page.viewport_name} /{url}: keyboard stops not visible or without outline:\n" + \
        "\n".join(json.dumps(s, ensure_ascii=False) for s in bad)


def test_outline_colours_contrast_with_their_background(page):
    page.goto(page.base + ARTICLE_IMAGE)
    page.locator(".md-content a").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus (:focus-visible) on the first content link
    content = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert content == "rgb(13, 71, 161)"  # blue on white: 8.6:1
    if page.viewport_name == "desktop":
        page.locator(".md-tabs__link").first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        stop = page.evaluate("[document.activeElement.className, getComputedStyle(document.activeElement).outlineColor]")
        assert "md-tabs__link" in stop[0] and stop[1] == "rgb(255, 255, 255)"  # white on the red tabs


def contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_of_the_palette(page):
    """The department's red (#8e1414) behind the white header text and the blue links: both
    well above 4.5:1; axe checks every rendered text on every page type."""
    assert contrast("#8e1414", "#ffffff") >= 4.5
    assert contrast("#0d47a1", "#ffffff") >= 4.5
    page.goto(page.base + ARTICLE_LEGAL)
    header = page.evaluate("[getComputedStyle(document.querySelector('.md-header')).backgroundColor,"
                           " getComputedStyle(document.querySelector('.md-header')).color]")
    assert header == ["rgb(142, 20, 20)", "rgb(255, 255, 255)"]
    link = page.locator(".cchc-article__body a[href^='https://vbpl.vn']")
    assert link.evaluate("e => getComputedStyle(e).color") == "rgb(13, 71, 161)"
    assert link.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"


# --- Print ----------------------------------------------------------------------------------
HIDDEN_IN_PRINT = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   ".md-skip", ".cchc-breadcrumbs", ".cchc-actions"]


@pytest.mark.parametrize("url", [ARTICLE_IMAGE, "ke-hoach/2025/", "chuyen-muc/thu-tuc-hanh-chinh/"])
def test_print_stylesheet(desktop, url):
    page = desktop
    page.goto(page.base + url)
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        for element in page.locator(selector).all():
            assert not element.is_visible(), f"{selector} is printed on /{url}"
    assert page.locator("h1").first.is_visible()
    if url == ARTICLE_IMAGE:
        address = page.locator(".cchc-print-url")
        assert address.is_visible()
        assert address.inner_text().strip() == f"Địa chỉ bài viết: https://sgddt.bentre.gov.vn/cchc/{ARTICLE_IMAGE}"
        assert page.locator(".cchc-figure img").is_visible()
        assert_no_violations(page, "article, print media")
        screenshot(page, "a11y-article-print")
    page.emulate_media(media="screen")
    assert page.locator(".md-header").is_visible()
    assert not page.locator(".cchc-print-url").is_visible()


# --- Images: alt text -----------------------------------------------------------------------
def test_article_image_alt_from_front_matter_or_title(built):
    with_alt = built.read(page_file(ARTICLE_IMAGE))
    assert re.search(r'<figure class="cchc-figure">\s*<picture><source [^>]*><img src="[^"]+ra-quan-[0-9a-f]{10}-64\.png" '
                     r'[^>]*alt="Cán bộ, giáo viên tham dự lễ ra quân tuyên truyền cải cách hành chính"', with_alt)
    assert re.search(r'<img [^>]*alt="Đoàn viên phát tờ rơi hướng dẫn nộp hồ sơ trực tuyến"[^>]*>|'
                     r'<img alt="Đoàn viên phát tờ rơi hướng dẫn nộp hồ sơ trực tuyến"', with_alt)
    fallback = built.read(page_file(ARTICLE_IMAGE_NO_ALT))
    assert re.search(r'<figure class="cchc-figure">\s*<picture><source [^>]*><img src="[^"]+hop-ban-chi-dao-[0-9a-f]{10}-64\.png" '
                     r'[^>]*alt="Họp Ban Chỉ đạo cải cách hành chính quý IV"', fallback)


def test_every_img_has_alt(built):
    for path in built.site.rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8")):
            assert re.search(r"\balt=", tag), f"{path}: {tag}"


BODY_IMAGE_ARTICLE = "news/2025/11/ra-quan-tuyen-truyen-cchc.md"


def _with_body(tmp_path: Path, old: str, new: str) -> Path:
    content = copy_content(tmp_path, CONTENT)
    article = content / BODY_IMAGE_ARTICLE
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new), encoding="utf-8")
    return content


def _line_of(content: Path, needle: str) -> int:
    lines = (content / BODY_IMAGE_ARTICLE).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_body_image_without_alt_fails_check_and_build(tmp_path):
    content = _with_body(tmp_path, "![Đoàn viên phát tờ rơi hướng dẫn nộp hồ sơ trực tuyến](images/to-roi.png)",
                         "![](images/to-roi.png)\n\nẢnh khác: <img src=\"images/ra-quan.png\" width=\"64\">")
    md_line, html_line = _line_of(content, "![](images/to-roi.png)"), _line_of(content, "<img src=")

    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 1, check.stdout + check.stderr
    out = check.stdout + check.stderr
    assert f"{BODY_IMAGE_ARTICLE}:{md_line}: lỗi: ảnh không có mô tả (alt): ![](images/to-roi.png)" in out
    assert "![Lãnh đạo Sở phát biểu tại hội nghị](images/to-roi.png)" in out  # how to fix
    assert f"{BODY_IMAGE_ARTICLE}:{html_line}: lỗi: ảnh không có mô tả (alt): thẻ <img> “images/ra-quan.png” thiếu thuộc tính alt" in out

    site = build_site(tmp_path / "build", content, build_date=BUILD_DATE)
    assert not site.ok
    assert f"{BODY_IMAGE_ARTICLE}:{md_line}: lỗi: ảnh không có mô tả (alt)" in site.output
    assert not site.exists("index.html")


def test_body_image_with_a_blank_alt_fails_check(tmp_path):
    content = _with_body(tmp_path, "Các đội tuyên truyền",
                         "<img src=\"images/ra-quan.png\" alt=\" \">\n\nCác đội tuyên truyền")
    line = _line_of(content, "<img src=")
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert (f"{BODY_IMAGE_ARTICLE}:{line}: lỗi: ảnh không có mô tả (alt): thẻ <img> “images/ra-quan.png” "
            "có alt chỉ gồm khoảng trắng") in check.stdout + check.stderr
    assert 'alt="" nếu ảnh chỉ để trang trí' in check.stdout + check.stderr


def test_body_images_with_alt_or_in_code_pass(tmp_path):
    content = _with_body(tmp_path, "Các đội tuyên truyền",
                         "```markdown\n![](images/to-roi.png)\n```\n\nViết `![](images/anh.jpg)` là sai.\n\n"
                         "<img src=\"images/ra-quan.png\" alt=\"\">\n\nCác đội tuyên truyền")
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 0, check.stdout + check.stderr


# --- Material templates overridden for accessibility ----------------------------------------
# Each override in overrides/ is Material's own template (the installed, pinned version) with the
# replacements listed in scripts/material_overrides.py, which writes them.
sys.path.insert(0, str(ROOT / "scripts"))
import material_overrides  # noqa: E402


@pytest.mark.parametrize("name", sorted(material_overrides.MATERIAL_OVERRIDES))
def test_material_overrides_are_materials_template_plus_the_fixes(name):
    assert (ROOT / "overrides" / name).read_text(encoding="utf-8") == material_overrides.patched(name), \
        f"overrides/{name} differs from Material's {name} + the replacements: run python scripts/material_overrides.py"


# --- The alt-text rule, on Markdown directly ------------------------------------------------
@pytest.mark.parametrize("body, lines", [
    ("![](images/a.png)", [1]),
    ("Chữ ![ ](a.png \"Tiêu đề không thay được mô tả\") chữ", [1]),
    ("![][anh]\n\n[anh]: images/a.png", [1]),
    ("[![](images/a.png)](https://example.vn)", [1]),
    ("<img src=\"a.png\">", [1]),
    ("<p>\n<IMG\n  SRC='a.png' width=3>\n</p>", [2]),
    ("!!! note\n    ![](images/trong-admonition.png)", [2]),
    ("![Mô tả](a.png)\n\n![](b.png)\n\n<img src=b.png>", [3, 5]),
    # An alt of only spaces is no description: a screen reader says nothing useful.
    ("<img src=\"a.png\" alt=\" \">", [1]),
    ("Chữ\n<img alt='   ' src=\"a.png\">", [2]),
    ("<img src=\"a.png\" alt=\"&nbsp;\">", [1]),
    ("<img src=\"a.png\" alt=\"\u200b\">", [1]),
    ("<img src=a.png alt=&#32;>", [1]),
    ("![&nbsp;](images/a.png)", [1]),
    ("![](images/a.png){alt=\"  \"}", [1]),
    # Not errors: described, decorative on purpose, or code shown to the reader.
    ("![Lãnh đạo Sở phát biểu](images/a.png)", []),
    ("![Ảnh [1]](images/a.png)", []),
    ("![](images/a.png){alt=\"Mô tả bằng attr_list\"}", []),
    ("<img src=\"a.png\" alt=\"\">", []),
    ("<img src='a.png' alt=''>", []),
    ("<img src=\"a.png\" alt=\" Mô tả \">", []),
    ("<img alt=\"Mô tả\" src=\"a.png\">", []),
    ("```\n![](images/a.png)\n<img src=a.png>\n```", []),
    ("~~~~markdown\n![](a.png)\n~~~\n![](b.png)\n~~~~", []),
    ("Viết `![](images/a.png)` là sai.", []),
    ("<!-- ![](images/cu.png) -->", []),
])
def test_body_images_need_alt_text(body, lines):
    from cchc.alt_text import check_body_images
    from cchc.diagnostics import Diagnostics

    diags = Diagnostics()
    found = check_body_images(body, 10, Path("news/2025/11/bai.md"), diags)
    assert found == len(lines)
    assert [d.line for d in diags.errors] == [10 + n - 1 for n in lines]
    for d in diags.errors:
        assert d.message.startswith("ảnh không có mô tả (alt)")
        assert "người khiếm thị" in d.hint and d.code == "image-alt"


def test_front_matter_image_without_alt_and_title_is_an_error(tmp_path):
    content = copy_content(tmp_path, CONTENT)
    article = content / "news/2025/11/hop-ban-chi-dao-quy-4.md"  # image, no image_alt
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('title: "Họp Ban Chỉ đạo cải cách hành chính quý IV"', 'title: ""'), encoding="utf-8")
    check = run_cchc("--content", str(content), "check")
    assert check.returncode == 1
    assert "news/2025/11/hop-ban-chi-dao-quy-4.md:7: lỗi: ảnh đại diện (image) không có mô tả (alt)" in check.stdout + check.stderr
