"""A citizen's path through the site in a real browser, on a phone and on a desktop:
home → category → article, then print and share.  Screenshots go to test-artifacts/."""

from __future__ import annotations

import socket
import struct
import threading
import urllib.parse
import urllib.request

import pytest
import yaml

from browser import ARTIFACTS, VIEWPORTS, chromium, screenshot, serve_directory
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
        # the lead article and the next four (cchc.generators.home)
        assert page.locator(".cchc-front .cchc-lead, .cchc-front .cchc-next__item").count() == 5
        # whose site this is: the department under the site name, in the header
        owner = page.locator(".md-header .cchc-site-owner")
        assert owner.is_visible() and owner.inner_text().strip() == DEPARTMENT
        header, box = page.locator(".md-header").bounding_box(), owner.bounding_box()
        assert box["y"] >= header["y"] and box["y"] + box["height"] <= header["y"] + header["height"]  # inside the bar
        screenshot(page, f"home-{viewport}")

        category_link = page.locator(".cchc-section-box__title a").first  # headlines by category
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


_BUTTON_STYLE = ("fontSize", "fontWeight", "borderRadius", "borderTopColor", "borderTopWidth", "backgroundColor",
                 "color", "paddingTop", "paddingLeft", "height")


def _style(locator) -> dict:
    return locator.evaluate("(e, names) => Object.fromEntries(names.map(n => [n, getComputedStyle(e)[n]]))",
                            list(_BUTTON_STYLE))


# Selectors of the site's stylesheet (assets/cchc.css, @media blocks included) that style an
# element; pseudo-classes (:hover, ::after…) are dropped so hover and print rules count too.
_OWN_RULES = """(e) => {
  const found = [];
  const visit = (rules) => { for (const rule of rules) {
    if (rule.selectorText) {
      for (const part of rule.selectorText.split(",")) {
        const bare = part.replace(/::?[a-z-]+(\\([^)]*\\))?/g, "").trim() || "*";
        try { if (e.matches(bare)) found.push(part.trim()); } catch (error) {}
      }
    } else if (rule.cssRules) { visit(rule.cssRules); }
  } };
  for (const sheet of document.styleSheets) {
    if ((sheet.href || "").includes("/assets/cchc.css")) visit(sheet.cssRules);
  }
  return found.sort();
}"""


def test_copy_buttons_keep_their_own_style(served):
    """The article's "Sao chép liên kết" looks like its neighbours ("In bài viết", an .md-button),
    and the feeds page's "Sao chép" buttons keep their own small outlined style: neither page's
    styles leak into the other's buttons (they once shared the class cchc-copy)."""
    base, browser = served
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(base)
        page.locator(".cchc-front .cchc-lead__title a").first.click()
        page.wait_for_url("**/tin-tuc/**")
        copy = page.get_by_role("button", name="Sao chép liên kết")
        printing = page.get_by_role("button", name="In bài viết")
        article_style = _style(copy)
        assert article_style == _style(printing)
        # no rule of another page's button (the feeds page's "Sao chép") reaches this one
        assert copy.evaluate(_OWN_RULES) == printing.evaluate(_OWN_RULES)
        assert any(".cchc-actions .md-button" in rule for rule in copy.evaluate(_OWN_RULES))
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".cchc-actions").screenshot(path=str(ARTIFACTS / "copy-buttons-article-phone.png"))

        page.goto(base + "nhan-tin/")
        feed_copy = page.locator("#tat-ca-tin button", has_text="Sao chép").first
        assert feed_copy.is_visible()
        rules = feed_copy.evaluate(_OWN_RULES)
        assert ".cchc-feed-copy" in rules
        assert not [rule for rule in rules if "md-button" in rule or "cchc-actions" in rule or "cchc-copy" in rule]
        style = _style(feed_copy)
        assert (style["borderRadius"], style["borderTopColor"], style["backgroundColor"], style["color"]) == \
            ("3px", "rgb(13, 71, 161)", "rgb(255, 255, 255)", "rgb(13, 71, 161)")
        assert float(style["fontSize"].removesuffix("px")) < float(article_style["fontSize"].removesuffix("px"))
        screenshot(page, "copy-buttons-subscribe-phone")
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
        link = page.locator(".cchc-front .cchc-lead__title a").first
        assert link.evaluate("e => getComputedStyle(e).color") == "rgb(74, 20, 140)"
        screenshot(page, "colours-from-configuration")


# --- The test server: cancelled requests are quiet, real errors are not -------------------------
def _cancel_download(base: str) -> None:
    """Ask for a big file, read a little, then drop the connection (RST) as a browser does."""
    host, port = base.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port))) as client:
        client.sendall(b"GET /lon.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        assert client.recv(64).startswith(b"HTTP/1.0 200")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


@pytest.fixture
def errors_seen(monkeypatch):
    """Set once the server has dealt with a failed request."""
    import browser

    seen = threading.Event()
    original = browser._Server.handle_error

    def handle_error(self, request, client_address):
        try:
            original(self, request, client_address)
        finally:
            seen.set()

    monkeypatch.setattr(browser._Server, "handle_error", handle_error)
    return seen


def test_server_is_quiet_when_the_browser_cancels_a_request(tmp_path, capfd, errors_seen):
    (tmp_path / "lon.bin").write_bytes(bytes(32 * 1024 * 1024))  # more than the socket buffers hold
    (tmp_path / "index.html").write_text("trang", encoding="utf-8")
    with serve_directory(tmp_path) as base:
        _cancel_download(base)
        assert errors_seen.wait(20), "the server never noticed the dropped connection"
        with urllib.request.urlopen(base) as answer:  # and it goes on serving
            assert answer.read() == b"trang"
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipeError" not in err and "ConnectionResetError" not in err


def test_server_still_reports_real_errors(tmp_path, capfd, errors_seen, monkeypatch):
    import browser

    def broken(self):
        raise ValueError("lỗi thật của máy chủ thử")

    monkeypatch.setattr(browser._Quiet, "do_GET", broken)
    with serve_directory(tmp_path) as base:
        with pytest.raises(Exception):
            urllib.request.urlopen(base, timeout=10)
        assert errors_seen.wait(20)
    err = capfd.readouterr().err
    assert "Traceback" in err and "ValueError: lỗi thật của máy chủ thử" in err
