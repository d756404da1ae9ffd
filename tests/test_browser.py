"""A citizen's path through the site in a real browser, on a phone and on a desktop:
home → category → article, then print and share.  Screenshots go to test-artifacts/."""

from __future__ import annotations

import urllib.parse

import pytest
import yaml

from browser import VIEWPORTS, chromium, screenshot, serve_directory
from support import ROOT, build_site

_CCHC = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["cchc"]
DEPARTMENT = f"{_CCHC['department']} {_CCHC['province']}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("browser"))
    assert built.ok, built.output
    with serve_directory(built.site) as base, chromium() as browser:
        yield base, browser


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_home_category_article_print_share(served, viewport):
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(base)
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.locator(".cchc-home__latest .cchc-card").count() >= 5
        # whose site this is: the department under the site name, in the header
        owner = page.locator(".md-header .cchc-site-owner")
        assert owner.is_visible() and owner.inner_text().strip() == DEPARTMENT
        header, box = page.locator(".md-header").bounding_box(), owner.bounding_box()
        assert box["y"] >= header["y"] and box["y"] + box["height"] <= header["y"] + header["height"]  # inside the bar
        screenshot(page, f"home-{viewport}")

        category_link = page.locator(".cchc-home__categories a").first
        category_name = category_link.inner_text().strip()
        category_link.click()
        page.wait_for_url("**/chuyen-muc/**")
        assert page.locator("h1").first.inner_text().strip() == category_name
        screenshot(page, f"category-{viewport}")

        card = page.locator(".cchc-card__title a").first
        title = card.inner_text().strip()
        card.click()
        page.wait_for_url("**/tin-tuc/**")
        assert page.locator("article h1").inner_text().strip() == title
        assert page.locator(".cchc-meta time").first.inner_text().startswith(("Thứ", "Chủ Nhật"))
        screenshot(page, f"article-{viewport}")

        # Print: the button calls the browser's print dialog; the print stylesheet hides the
        # navigation and shows the article's address.
        page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
        page.get_by_role("button", name="In bài viết").click()
        assert page.evaluate("window.__printed") is True
        page.emulate_media(media="print")
        assert not page.locator(".md-header").is_visible()
        assert not page.locator(".cchc-actions").is_visible()
        assert page.locator(".cchc-print-url").is_visible()
        assert page.locator(".cchc-print-header").is_visible()  # no header on paper: the department above the title
        assert page.locator(".cchc-print-header").inner_text().startswith(DEPARTMENT)
        assert "https://sgddt.bentre.gov.vn/cchc/tin-tuc/" in page.locator(".cchc-print-url").inner_text()
        screenshot(page, f"article-print-{viewport}")
        page.emulate_media(media="screen")
        assert not page.locator(".cchc-print-header").is_visible()

        # Share links carry the article's public address.
        public = page.locator(".cchc-copy").get_attribute("data-url")
        assert public.startswith("https://sgddt.bentre.gov.vn/cchc/tin-tuc/")
        facebook = page.get_by_role("link", name="Chia sẻ Facebook").get_attribute("href")
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(facebook).query)["u"] == [public]
        zalo = page.get_by_role("link", name="Chia sẻ Zalo").get_attribute("href")
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(zalo).query)["url"] == [public]
        page.get_by_role("button", name="Sao chép liên kết").click()
        page.wait_for_function("document.querySelector('.cchc-copy-status').textContent.length > 0")
        assert page.locator(".cchc-copy-status").inner_text() == "Đã sao chép liên kết."
        assert page.evaluate("navigator.clipboard.readText()") == public
    finally:
        context.close()


def test_brand_colours_from_configuration(tmp_path, served):
    """extra.cchc.colors: the header takes the primary colour, links the accent colour."""
    _base, browser = served
    built = build_site(tmp_path, extra={"colors": {"primary": "#1B5E20", "accent": "#4a148c"}})
    assert built.ok, built.output
    with serve_directory(built.site) as base:
        page = browser.new_page(viewport=VIEWPORTS["desktop"])
        page.goto(base + "gioi-thieu/")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(27, 94, 32)"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-tabs')).backgroundColor") == "rgb(27, 94, 32)"
        page.goto(base)
        link = page.locator(".cchc-home__latest .cchc-card__title a").first
        assert link.evaluate("e => getComputedStyle(e).color") == "rgb(74, 20, 140)"
        screenshot(page, "colours-from-configuration")
