"""`mkdocs serve`, as an editor uses it: drafts visible with a banner, edits show up, errors
are reported with file and line while the last good preview keeps being served."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest

import yaml

from support import BIN, ROOT, env, write_config

ARTICLE = """---
title: "{title}"
slug: {slug}
date: {date}
categories: [thu-tuc-hanh-chinh]
unit: van-phong
{extra}
---

{body}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(url: str, predicate, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        last = body
        if status == 200 and predicate(body):
            return body
        time.sleep(0.25)
    raise AssertionError(f"{url} did not reach the expected state; last body starts {last[:300]!r}")


def _write(path: Path, **fields) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fields.setdefault("extra", "")
    path.write_text(ARTICLE.format(**fields), encoding="utf-8")


DRAFT_IMAGE = (ROOT / "content/news/2025/04/images/bieu-duong-mot-cua.png").read_bytes()


def _project_watch() -> list[str]:
    """The project's own mkdocs.yml `watch` list, for a config file beside the test's content/:
    the content folder entry stays relative (so it is the test's content/), the others point
    into this repository.  If the real configuration stops watching content/ (and the hooks do
    not add it), editing an article no longer updates this preview and the tests below fail."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    content_dir = Path(config["extra"]["cchc"].get("content_dir", "content"))
    return [entry if Path(entry) == content_dir else str(ROOT / entry) for entry in config.get("watch") or []]


@pytest.fixture()
def preview(tmp_path):
    content = tmp_path / "content"
    root = Path(__file__).resolve().parent.parent
    for name in ("plans", "units.yml", "reporting.yml"):
        src = root / "content" / name
        if src.is_dir():
            import shutil

            shutil.copytree(src, content / name)
        else:
            content.mkdir(exist_ok=True)
            (content / name).write_bytes(src.read_bytes())
    news = content / "news" / "2025" / "03"
    _write(news / "mot.md", title="Tin thứ nhất", slug="tin-thu-nhat", date="2025-03-10 08:00", body="Nội dung ban đầu.")
    _write(news / "nhap.md", title="Bài đang soạn", slug="bai-dang-soan", date="2025-03-11 08:00",
           extra="draft: true\nimage: images/anh-nhap.png\nimage_alt: Ảnh của bài đang soạn",
           body="Nội dung đang viết dở.")
    (news / "images").mkdir()
    (news / "images" / "anh-nhap.png").write_bytes(DRAFT_IMAGE)
    _write(content / "news" / "2027" / "01" / "hen-gio.md", title="Bài hẹn giờ", slug="bai-hen-gio",
           date="2027-01-15 08:00", body="Sẽ đăng sau.")
    port = _free_port()
    cfg = write_config(tmp_path, content, config={"watch": _project_watch()})
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    served = tmp_path / "served"  # the engine builds the preview into a temporary folder there
    served.mkdir()
    # exactly what `make serve` runs: the engine's serve --dirty (only the pages an edit changes
    # are written again), its output in Vietnamese
    process = subprocess.Popen([str(BIN / "cchc"), "serve", "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
                               stdout=log, stderr=subprocess.STDOUT, env={**env(), "TMPDIR": str(served)},
                               cwd=tmp_path)
    base = f"http://127.0.0.1:{port}/cchc/"
    try:
        _wait_for(base, lambda body: "Tin thứ nhất" in body, timeout=60)
        yield base, news, log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        text = (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert "Traceback" not in text, text[-3000:]


def _log_text(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def _banner(body: str, kind: str) -> str | None:
    """The text of the preview banner of that kind, or None."""
    match = re.search(rf'<p class="cchc-banner cchc-banner--{kind}" role="note">(.*?)</p>', body, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split()) if match else None


def test_preview_shows_drafts_and_scheduled_with_banners(preview):
    base, _news, _log = preview
    draft = _wait_for(base + "tin-tuc/2025/03/bai-dang-soan/", lambda body: "Bài đang soạn" in body)
    assert _banner(draft, "draft") == "Bản nháp – chỉ hiển thị khi xem thử, chưa xuất bản."
    assert _banner(draft, "scheduled") is None
    assert '<meta name="robots" content="noindex">' in draft
    # the draft's picture is served in the preview (the public build leaves it out), as its
    # published copies (cchc.pictures), never the original file
    src = re.search(r'<img src="(?:\.\./)+(tin-tuc/2025/03/images/anh-nhap-[0-9a-f]{10}-\d+\.png)"', draft)
    assert src, draft
    with urllib.request.urlopen(base + src.group(1), timeout=5) as response:
        assert response.read().startswith(b"\x89PNG")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(base + "tin-tuc/2025/03/images/anh-nhap.png", timeout=5)
    scheduled = _wait_for(base + "tin-tuc/2027/01/bai-hen-gio/", lambda body: "Bài hẹn giờ" in body)
    # 15/01/2027 is a Friday
    assert _banner(scheduled, "scheduled") == "Hẹn giờ đăng Thứ Sáu, 15/01/2027, 08:00 – chỉ hiển thị khi xem thử."
    assert _banner(scheduled, "draft") is None
    published = _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda body: "Tin thứ nhất" in body)
    assert _banner(published, "draft") is None and _banner(published, "scheduled") is None


def test_staff_guide_is_in_the_preview_only(preview):
    """docs/huong-dan.md is a draft page (mkdocs.yml `draft_docs`): the editor reads it in the
    preview, from the "Hướng dẫn" menu entry; the built site has neither (tests/test_portal.py)."""
    base, _news, _log = preview
    guide = _wait_for(base + "huong-dan/", lambda body: "Hướng dẫn biên tập" in body)
    assert "cchc new" in guide and "pin:" in guide  # the staff guide itself, with the new fields
    home = _wait_for(base, lambda body: "Tin thứ nhất" in body)
    assert re.search(r'<a href="huong-dan/" class="md-tabs__link">\s*Hướng dẫn\s*</a>', home)


def test_edit_add_delete_update_the_preview(preview):
    base, news, _log = preview
    article = news / "mot.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Nội dung ban đầu.", "Nội dung đã sửa lúc xem thử."),
                       encoding="utf-8")
    _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda body: "Nội dung đã sửa lúc xem thử." in body)

    _write(news / "moi.md", title="Tin mới thêm", slug="tin-moi-them", date="2025-03-20 09:00", body="Mới.")
    _wait_for(base + "chuyen-muc/thu-tuc-hanh-chinh/", lambda body: "Tin mới thêm" in body)

    _wait_for(base + "tin-tuc/2025/03/tin-moi-them/", lambda body: "Tin mới thêm" in body)
    # the older neighbour's "Tin sau" link now points at the new article
    _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda body: "tin-moi-them" in body)

    (news / "moi.md").unlink()
    _wait_for(base + "chuyen-muc/thu-tuc-hanh-chinh/", lambda body: "Tin mới thêm" not in body)
    _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda body: "tin-moi-them" not in body)
    deadline = time.monotonic() + 30
    while _get(base + "tin-tuc/2025/03/tin-moi-them/")[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.25)
    assert _get(base + "tin-tuc/2025/03/tin-moi-them/")[0] == 404, "a deleted article must disappear from the preview"


def test_error_is_reported_and_last_good_preview_kept(preview):
    base, news, log = preview
    bad = news / "mot.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("unit: van-phong", "unit: van-phongg"), encoding="utf-8")
    deadline = time.monotonic() + 30
    while "van-phongg" not in _log_text(log) and time.monotonic() < deadline:
        time.sleep(0.25)
    text = _log_text(log)
    assert "news/2025/03/mot.md:6" in text and "có phải ý bạn là “van-phong”" in text
    # the rebuild after the error serves the last good version of the article
    body = _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda b: "Tin thứ nhất" in b)
    assert "Nội dung ban đầu." in body


def _served_site(base_log_dir: Path) -> Path:
    """The folder the engine serves from (its temporary site folder under the test's TMPDIR)."""
    folders = sorted((base_log_dir / "served").glob("mkdocs_*"))
    assert folders, "the preview's site folder was not found"
    return folders[-1]


def _search_texts(site: Path) -> str:
    """The texts of the served search index ("" while the background job is replacing it)."""
    from cchc.search import BUNDLE_DIR, read_fragments

    try:
        return "\n".join(f.get("content", "") for f in read_fragments(site / BUNDLE_DIR))
    except (OSError, ValueError, EOFError, zlib.error):  # a file being copied in right now
        return ""


def _feed_files(site: Path) -> dict[Path, tuple[int, int]]:
    """Every feed file of the served site with its inode and mtime (not the search bundle,
    which the background search job replaces meanwhile)."""
    from cchc.search import BUNDLE_DIR

    found = {}
    for root, dirs, names in os.walk(site):
        dirs[:] = [d for d in dirs if not (Path(root) == site and d == BUNDLE_DIR)]
        for name in names:
            if name in ("rss.xml", "atom.xml"):
                stat = os.stat(os.path.join(root, name))
                found[Path(root) / name] = (stat.st_ino, stat.st_mtime_ns)
    return found


def _wait_until(check, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.25)


def test_reverting_an_edit_updates_the_page_listings_feeds_and_search(preview):
    """An edit and its undo: the article, the category listing, rss.xml and the search index
    all show the text of the moment (a reverted article must not leave an old feed behind)."""
    base, news, log = preview
    site = _served_site(Path(log.name).parent)
    article = news / "mot.md"
    original = article.read_text(encoding="utf-8")
    feeds = lambda: _feed_files(site)  # noqa: E731
    before = feeds()
    article.write_text(original.replace("Nội dung ban đầu.", "Nội dung sửa tạm thời."), encoding="utf-8")
    _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda body: "Nội dung sửa tạm thời." in body)
    _wait_for(base + "rss.xml", lambda body: "Nội dung sửa tạm thời." in body)
    after = feeds()
    # only the feeds the article is in are written again (the preview keeps the others)
    assert after[site / "rss.xml"] != before[site / "rss.xml"]
    assert [p for p in before if after.get(p) == before[p]], "every feed file was written again"
    _wait_for(base + "chuyen-muc/thu-tuc-hanh-chinh/", lambda body: "Nội dung sửa tạm thời." in body)
    _wait_until(lambda: "Nội dung sửa tạm thời." in _search_texts(site), what="the search index to change")
    article.write_text(original, encoding="utf-8")  # undo
    _wait_for(base + "tin-tuc/2025/03/tin-thu-nhat/", lambda body: "Nội dung ban đầu." in body
              and "Nội dung sửa tạm thời." not in body)
    _wait_for(base + "rss.xml", lambda body: "Nội dung ban đầu." in body and "Nội dung sửa tạm thời." not in body)
    _wait_for(base + "chuyen-muc/thu-tuc-hanh-chinh/", lambda body: "Nội dung sửa tạm thời." not in body)
    _wait_until(lambda: "Nội dung sửa tạm thời." not in _search_texts(site)
                and "Nội dung ban đầu." in _search_texts(site), what="the search index to be reverted")


def test_the_error_panel_shows_on_every_page_and_goes_when_fixed(preview):
    """While the content has an error, every page served by the preview shows it at the top
    (file:line, what, how to fix) above the last good page; fixing it removes the panel."""
    from browser import chromium, screenshot

    base, news, log = preview
    bad = news / "mot.md"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("unit: van-phong", "unit: van-phongg"), encoding="utf-8")
    _wait_for(base + "xem-thu/loi.json", lambda body: "van-phongg" in body)
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        for url in ("", "tin-tuc/2025/03/tin-thu-nhat/", "chuyen-muc/", "gioi-thieu/"):
            tab.goto(base + url)
            panel = tab.locator("#cchc-loi-xem-thu")
            panel.wait_for(timeout=10_000)
            text = panel.inner_text()
            assert "Nội dung đang có 1 lỗi" in text
            assert "news/2025/03/mot.md:6" in text and "van-phongg" in text and "Cách sửa" in text
            assert panel.get_attribute("role") == "alert"
        tab.goto(base + "tin-tuc/2025/03/tin-thu-nhat/")
        tab.locator("#cchc-loi-xem-thu").wait_for()
        assert "Nội dung ban đầu." in tab.inner_text("article")  # the last good page under the panel
        screenshot(tab, "preview-error-panel-phone")
        bad.write_text(good, encoding="utf-8")
        _wait_for(base + "xem-thu/loi.json", lambda body: '"errors": []' in body)
        # A new tab: the old one reloads itself on the rebuild (livereload), and a goto in it, or
        # closing it, while it reloads can be aborted or hang in Chromium; the browser closes it.
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        with tab.expect_response(lambda response: response.url.endswith("xem-thu/loi.json")):
            tab.goto(base + "tin-tuc/2025/03/tin-thu-nhat/")
        tab.wait_for_timeout(500)  # the (empty) list is read: no panel is drawn
        assert tab.locator("#cchc-loi-xem-thu").count() == 0


def test_the_build_lock_is_kept_until_the_preview_search_index_is_made():
    """The preview serves a rebuilt page while its search shard is still being indexed; the
    build's lock and cache are released only after that, and the next build waits for it, so
    a `cchc build` started meanwhile never shares the cache with it."""
    import threading

    from cchc.buildrun import PreviewSession, when_idle

    session = PreviewSession(dirty=True)
    events: list[str] = []
    go = threading.Event()

    def job():
        go.wait(10)
        events.append("search index written")

    session.in_background(job)
    when_idle(session, lambda: events.append("lock released"), lambda: events.append("cache closed"))
    assert events == []  # the job is still running: nothing released yet
    go.set()
    session.wait()
    assert events == ["search index written", "lock released", "cache closed"]
    when_idle(session, lambda: events.append("released at once"))  # nothing running: now
    assert events[-1] == "released at once"

    stopped = threading.Event()
    session.in_background(lambda: stopped.wait(10) and events.append("stopped early"), cancel=stopped.set)
    when_idle(session, lambda: events.append("released after the stop"))
    session.wait(cancel=True)  # the next save: the job is told to stop, then waited for
    assert events[-2:] == ["stopped early", "released after the stop"]
    when_idle(None, lambda: events.append("a build releases at once"))
    assert events[-1] == "a build releases at once"


def test_an_unexpected_failure_of_the_preview_search_index_is_one_vietnamese_message(tmp_path):
    """The preview's background search job never ends in a traceback: staff read what failed, that
    the pages still show, and what to do; the detail goes to a file for the developer."""
    from cchc.buildcache import BuildCache
    from cchc.buildrun import BuildRun, PreviewSession

    class Broken:
        cancelled = False

        def finish(self):
            raise RuntimeError("pagefind-entry.json: unexpected end of data")

    lines: list[tuple[str, str]] = []
    run = object.__new__(BuildRun)  # only what _finish_search uses
    run.preview, run.log = PreviewSession(dirty=True), lambda level, text: lines.append((level, text))
    run.cache = BuildCache(tmp_path / ".cache", warn=print)
    run._finish_search(Broken())
    [(level, text)] = lines
    assert level == "error" and "Traceback" not in text
    assert text.startswith("Chỉ mục tìm kiếm của bản xem thử chưa cập nhật được")
    assert "Các trang vẫn xem được" in text and "lưu lại tệp" in text
    assert "unexpected end of data" in (tmp_path / ".cache" / "loi-gan-nhat.txt").read_text(encoding="utf-8")
