"""The published site served by nginx with the shipped configuration (issue 17): over HTTP
(status codes, the 404 page, pre-compressed files, cache and security headers) and in Chromium
(every page type under the Content-Security-Policy without a console error)."""

from __future__ import annotations

import gzip
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import VIEWPORTS, chromium, screenshot
from servers import nginx
from support import ROOT, run_cchc
from test_publish import cchc, make_project, site_files, tree

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Build 1 of the sample content (with files staff put beside an article) published to a
    local target, and nginx serving it with `cchc nginx`'s configuration at site_url."""
    folder = tmp_path_factory.mktemp("web")
    project = make_project(folder, staff_files=True, builds=(1,))
    target = folder / "srv"
    target.mkdir()
    config = project.config(1, {"path": str(target), "url": project.url}, "web")
    done = cchc("publish", "-f", str(config), cwd=folder)
    assert done.returncode == 0, done.stderr
    conf = folder / "cchc.conf"
    made = cchc("nginx", "-f", str(config), "--root", str(target / "current"), "-o", str(conf), cwd=folder)
    assert made.returncode == 0, made.stderr
    with nginx(folder / "nginx", conf, project.port) as base:
        yield base, project, target


def fetch(url: str, encoding: str | None = None):
    """(status, headers, body as sent) without following redirects or decompressing."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


def assert_secure(headers, csp: bool = True) -> None:
    for name, value in SECURITY.items():
        assert headers.get(name) == value, (name, dict(headers))
    if csp:
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy and "frame-ancestors 'self'" in policy
        assert "'unsafe-inline'" not in policy.replace("style-src-attr 'unsafe-inline'", "")
        assert "frame-src https://www.youtube.com/embed/" in policy  # the video players of iframe_hosts


# --- Over HTTP ------------------------------------------------------------------------------------
def test_pages_are_sent_pre_compressed_with_short_cache(published):
    base, project, target = published
    status, headers, body = fetch(base + "/cchc/", "gzip, br")
    assert status == 200 and headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == (target / "current/index.html").read_bytes()
    assert body == (target / "current/index.html.gz").read_bytes()  # the build's copy, sent as it is
    assert headers["Cache-Control"] == "no-cache" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert_secure(headers)
    status, headers, body = fetch(base + "/cchc/", None)  # a client without gzip gets the page itself
    assert status == 200 and "Content-Encoding" not in headers
    assert body == (target / "current/index.html").read_bytes()
    for feed in ("rss.xml", "atom.xml", "pagefind/pagefind-entry.json"):
        status, headers, body = fetch(f"{base}/cchc/{feed}", "gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip", feed
        assert headers["Cache-Control"] == "no-cache"
    article = next(p for p in site_files(project.site(1)) if p.startswith("tin-tuc/") and p.endswith("/index.html"))
    status, headers, _ = fetch(f"{base}/cchc/{article[:-len('index.html')]}", "gzip")
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Cache-Control"] == "no-cache"
    assert_secure(headers)


def test_fingerprinted_assets_are_cached_for_a_year_others_for_an_hour(published):
    base, project, target = published
    files = tree(target / "current")
    bundle = next(p for p in files if re.match(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$", p))
    fragment = next(p for p in files if p.endswith(".pf_fragment"))
    for name in (bundle, fragment, next(p for p in files if re.match(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css$", p))):
        status, headers, _ = fetch(f"{base}/cchc/{name}", "gzip")
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable", name
        assert_secure(headers)
    status, headers, _ = fetch(f"{base}/cchc/{bundle}", "gzip")
    assert headers["Content-Encoding"] == "gzip"
    for name in ("assets/cchc.css", "assets/search.js", "assets/logo.svg", "assets/md-scope.js"):
        status, headers, _ = fetch(f"{base}/cchc/{name}", "gzip")
        assert status == 200 and headers["Cache-Control"] == "public, max-age=3600", name
        assert headers["Content-Encoding"] == "gzip"
        assert_secure(headers)
    image = next(p for p in files if p.startswith("tin-tuc/") and p.endswith(".png"))
    status, headers, body = fetch(f"{base}/cchc/{image}", "gzip")
    assert status == 200 and "Content-Encoding" not in headers and headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"] == "public, max-age=3600"
    assert_secure(headers, csp=False)


def test_the_vietnamese_404_page(published):
    base, _project, _target = published
    for path in ("/cchc/khong-co-trang-nay/", "/cchc/tin-tuc/2099/01/khong-co/", "/cchc/tin-tuc/2026/09/",
                 "/cchc/.cchc-build.json", "/cchc/tin-tuc/.an"):
        status, headers, body = fetch(base + path, "gzip")
        assert status == 404, path
        text = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
        assert "Không tìm thấy trang (lỗi 404)" in text, path
        assert headers["Cache-Control"] == "no-cache"
        assert_secure(headers)
    status, headers, _ = fetch(base + "/cchc")
    assert status == 301 and headers["Location"].endswith("/cchc/")
    status, headers, _ = fetch(base + "/cchc/tin-tuc")
    assert status == 301 and headers["Location"] == "/cchc/tin-tuc/"


def test_nothing_under_the_site_is_run_as_a_script(published):
    """A PHP handler of the server never sees the site's paths; files staff put beside an
    article are never active: HTML and SVG in a sandbox without scripts, scripts as plain text."""
    base, _project, target = published
    status, _headers, _ = fetch(base + "/cchc/tin-tuc/x.php")
    assert status == 404  # not 418 from the server's "PHP" location
    status, headers, _ = fetch(base + "/cchc/tin-tuc/2026/09/tai-lieu/trang-rieng.html")
    assert status == 200 and headers["Content-Security-Policy"].endswith("sandbox")
    assert "script-src" not in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = fetch(base + "/cchc/tin-tuc/2026/09/tai-lieu/hinh.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml") and "sandbox" in headers["Content-Security-Policy"]
    status, headers, body = fetch(base + "/cchc/tin-tuc/2026/09/tai-lieu/chay.js")
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and headers["X-Content-Type-Options"] == "nosniff"


# --- In Chromium ---------------------------------------------------------------------------------
def page_types(current: Path) -> dict[str, str]:
    """One page of every type of the sample site (site-relative URLs)."""
    def first(folder: str) -> str:
        return next(f"{folder}{p.name}/" for p in sorted((current / folder).iterdir()) if (p / "index.html").is_file())

    def article(needle: str) -> str:
        for page in sorted((current / "tin-tuc").glob("*/*/*/index.html")):
            if needle in page.read_text(encoding="utf-8"):
                return page.parent.relative_to(current).as_posix() + "/"
        raise AssertionError(needle)

    return {
        "home": "",
        "article with image": article('/images/'),
        "article with a table aligned by style": article('style="text-align:right"'),
        "categories": "chuyen-muc/", "category": "chuyen-muc/thu-tuc-hanh-chinh/",
        "archive": "luu-tru/", "archive year": "luu-tru/2025/", "archive month": "luu-tru/2025/03/",
        "units": "don-vi/", "unit": "don-vi/van-phong/", "unit, page 2": "don-vi/van-phong/trang/2/",
        "tags": "the/", "tag": first("the/"),
        "plans": "ke-hoach/", "coverage": "ke-hoach/2025/",
        "legal documents": "van-ban/", "legal document": first("van-ban/"),
        "about": "gioi-thieu/", "open data": "du-lieu-mo/",  # the staff guide is not published
        "feed subscription": "nhan-tin/", "404": "khong-co-trang-nay/",
    }


_NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def _watch(page, problems: list[str]) -> None:
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                         "'CSP: ' + e.violatedDirective + ' ' + e.blockedURI))")
    expected_404 = []  # the 404 page itself (Material's fetch of a sitemap.xml beside every feed
    # link, once a 404 per category page, is stopped by docs/assets/feed-links.js)

    def on_response(r):
        if r.status >= 400:
            if r.url.endswith("/khong-co-trang-nay/"):
                expected_404.append(r.url)
            else:
                problems.append(f"HTTP {r.status}: {r.url}")

    def on_console(m):
        if m.type not in ("error", "warning"):
            return
        if m.text == _NOT_FOUND and expected_404:
            expected_404.pop()
            return
        problems.append(f"console {m.type}: {m.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # net::ERR_ABORTED: a request the browser dropped when the test moved on to the next page
    # (a policy's refusal is net::ERR_BLOCKED_BY_CSP, and is counted).
    page.on("requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED"
            else problems.append(f"request failed: {r.url} {r.failure}"))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_page_type_under_the_csp_without_a_console_error(published, viewport):
    base, _project, target = published
    pages = page_types(target / "current")
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE if viewport == "phone" else DESKTOP, locale="vi-VN")
        page = context.new_page()
        problems: list[str] = []
        _watch(page, problems)
        for name, url in pages.items():
            before = len(problems)
            response = page.goto(f"{base}/cchc/{url}", wait_until="load")
            assert response.status == (404 if name == "404" else 200), name
            assert response.headers["content-security-policy"].startswith("default-src 'self'")
            page.wait_for_timeout(150)  # late scripts (Material's bundle, the search box) settle
            problems[before:] = [f"{name} (/cchc/{url}): {p}" for p in problems[before:]]
            if name in ("home", "article with image"):
                screenshot(page, f"csp-{name.replace(' ', '-')}-{viewport}")
        # Material's scripts from files: the header search box and the page's own buttons still work.
        page.goto(f"{base}/cchc/{pages['article with image']}")
        page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
        page.locator(".cchc-print").click()
        assert page.evaluate("window.__printed")
        assert page.evaluate("typeof __md_get === 'function' && __md_scope.pathname") == "/cchc/"
        context.close()
    assert not problems, "\n".join(problems)


def test_search_runs_under_the_csp(published):
    """Pagefind (WebAssembly, a worker) finds articles with script-src 'self' 'wasm-unsafe-eval'."""
    base, _project, _target = published
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="vi-VN")
        page = context.new_page()
        problems: list[str] = []
        _watch(page, problems)
        page.goto(f"{base}/cchc/")
        page.locator("#cchc-search-input").fill("thủ tục hành chính")
        # Polled from here: Playwright's wait_for_function evaluates a string, which the policy forbids.
        deadline = time.monotonic() + 20
        while page.evaluate("document.querySelector('[data-cchc-search]').getAttribute('data-cchc-state')") != "done":
            assert time.monotonic() < deadline, "search did not finish"
            page.wait_for_timeout(100)
        assert page.locator("#cchc-search-results li").count() > 0
        screenshot(page, "csp-search-desktop")
        context.close()
    assert not problems, "\n".join(problems)


def test_files_staff_put_beside_articles_never_run(published):
    base, _project, _target = published
    with chromium() as browser:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/cchc/tin-tuc/2026/09/tai-lieu/trang-rieng.html")
        assert page.title() == "Tệp đính kèm"  # neither its inline script nor chay.js ran
        assert "Tệp HTML của cán bộ." in page.inner_text("body")
        page.goto(f"{base}/cchc/tin-tuc/2026/09/tai-lieu/hinh.svg")
        page.wait_for_timeout(300)
        assert dialogs == []


# --- The shipped files stay what the code makes ------------------------------------------------------
def test_shipped_nginx_configuration_is_cchc_nginx_for_the_sample():
    done = run_cchc("nginx")
    assert done.returncode == 0, done.stderr
    assert (ROOT / "scripts/nginx/cchc.conf").read_text(encoding="utf-8") == done.stdout, \
        "scripts/nginx/cchc.conf is out of date: .venv/bin/cchc nginx -o scripts/nginx/cchc.conf"


def test_materials_inline_scripts_are_the_files_unchanged():
    """overrides/partials/javascripts/*.html load docs/assets/md-*.js instead of Material's inline
    scripts: the files must hold the installed Material's code (a Material upgrade is noticed)."""
    import material

    partials = Path(material.__file__).resolve().parent / "templates/partials/javascripts"
    base = re.findall(r"<script>(.*?)</script>", (partials / "base.html").read_text(encoding="utf-8"))
    content = re.findall(r"<script>(.*?)</script>", (partials / "content.html").read_text(encoding="utf-8"))
    assert len(base) == 1 and len(content) == 2
    scope = '"{{ config.extra.scope | d(base_url) }}"'
    assert base[0].replace(scope, 'document.currentScript.getAttribute("data-scope")') in \
        (ROOT / "docs/assets/md-scope.js").read_text(encoding="utf-8")
    ours = (ROOT / "docs/assets/md-content.js").read_text(encoding="utf-8")
    assert all(script in ours for script in content)
    for template in ("base.html", "content.html"):
        text = (ROOT / "overrides/partials/javascripts" / template).read_text(encoding="utf-8")
        assert "<script>" not in text


def test_templates_have_no_inline_script_style_or_handler():
    """What the Content-Security-Policy forbids, in the templates of overrides/."""
    for template in (ROOT / "overrides").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text), template
        styles = re.findall(r"<style[\s>]", text)
        if template == ROOT / "overrides/base.html":  # Material's web-font rule, off: theme.font is false
            assert len(styles) == 1 and "{% if config.theme.font != false %}" in text
        else:
            assert not styles, template
        assert not re.search(r"\son[a-z]+=", text), template
