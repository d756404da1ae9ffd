"""The second process that renders and writes pages during a full build (cchc_mkdocs.render_helper):
the site is the same with or without it, and whatever goes wrong in it, the build makes the
pages it did not send.  And the thread that writes a full build's pages (cchc_mkdocs.page_writer)."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import time

import pytest

from cchc_mkdocs.render_helper import DISABLE_ENV, MIN_PAGES, SHARE, RenderHelper
from support import BIN, env
from test_integrity import _project, digest

PAGES = [(f"trang-{i}.md", i) for i in range(MIN_PAGES + 50)]


def html_of(i: int) -> str:
    # Vietnamese text, a character outside the BMP and a lone surrogate: sent exactly as rendered
    return f"<p>Trang {i}: cải cách hành chính 𝔸 \ud800</p>" * (1 + i % 40)


def make(src: str, i: int) -> str:
    return html_of(i)


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _take_all(helper: RenderHelper) -> list:
    return [helper.take(src) for src, _ in PAGES]


def test_helper_renders_its_share_and_the_build_the_rest():
    helper = RenderHelper.start(PAGES, make)
    assert helper is not None
    got = _take_all(helper)
    for (src, i), html in zip(PAGES, got):
        if i % SHARE:
            assert html == html_of(i), src
        else:
            assert html is None, src  # the build renders it
    assert helper.taken == len(PAGES) - len(PAGES[::SHARE])
    assert helper.fd is None and _gone(helper.pid)  # ended and reaped once its last page was taken


def test_pages_asked_for_out_of_order_are_still_the_right_ones():
    helper = RenderHelper.start(PAGES, make)
    for src, i in reversed(PAGES):
        html = helper.take(src)
        assert html == (html_of(i) if i % SHARE else None), src
    helper.close()


@pytest.mark.parametrize("trouble", ["warning", "error", "killed"])
def test_trouble_in_the_helper_leaves_the_rest_to_the_build(trouble, capfd):
    stop_at = 101  # a page of the helper's share

    def render(src: str, i: int) -> str:
        if i == stop_at:
            if trouble == "warning":
                logging.getLogger("mkdocs.plugins.cchc").warning("cảnh báo trong tiến trình phụ")
            elif trouble == "error":
                raise ValueError("lỗi trong tiến trình phụ")
        if trouble == "killed" and i > stop_at:
            time.sleep(0.05)  # still at work when it is killed
        return html_of(i)

    helper = RenderHelper.start(PAGES, render)
    got = []
    for src, i in PAGES:
        if trouble == "killed" and i == stop_at:
            os.kill(helper.pid, signal.SIGKILL)
        got.append(helper.take(src))
    delivered = [i for (src, i), html in zip(PAGES, got) if html is not None]
    for (src, i), html in zip(PAGES, got):
        assert html in (None, html_of(i)), src  # never a wrong page
    if trouble != "killed":
        assert delivered == [i for _, i in PAGES if i % SHARE and i < stop_at]
    assert got[-1] is None  # the build renders the last pages itself
    assert helper.fd is None and _gone(helper.pid)
    captured = capfd.readouterr()
    assert "tiến trình phụ" not in captured.out + captured.err  # the build says it, when it renders the page


def test_the_helper_writes_each_page_before_sending_it_and_none_it_does_not_send(tmp_path):
    stop_at = 101

    def made(src: str, i: int) -> str:
        if i == stop_at:
            logging.getLogger("mkdocs.plugins.cchc").warning("cảnh báo")  # the build makes this one
        return html_of(i)

    def write(i: int, html: str) -> None:
        (tmp_path / f"{i}.html").write_text(html, encoding="utf-8", errors="surrogatepass")

    helper = RenderHelper.start(PAGES, made, write)
    for src, i in PAGES:
        html = helper.take(src)
        if html is not None:  # on disk by the time the build has it
            assert (tmp_path / f"{i}.html").read_text(encoding="utf-8", errors="surrogatepass") == html
    written = sorted(int(p.stem) for p in tmp_path.iterdir())
    assert written == [i for _, i in PAGES if i % SHARE and i < stop_at]


def test_no_helper_for_few_pages_or_when_turned_off(monkeypatch):
    assert RenderHelper.start(PAGES[:MIN_PAGES - 1], make) is None
    monkeypatch.setenv(DISABLE_ENV, "0")
    assert RenderHelper.start(PAGES, make) is None


def _build(project, helper: bool) -> subprocess.CompletedProcess:
    variables = env()
    variables[DISABLE_ENV] = "1" if helper else "0"
    return subprocess.run([str(BIN / "mkdocs"), "build", "-f", str(project / "mkdocs.yml")], capture_output=True,
                          text=True, env=variables, cwd=project)


def test_a_full_build_is_byte_identical_with_and_without_the_helper(tmp_path):
    project = _project(tmp_path, articles=250)
    plain = _build(project, helper=False)
    assert plain.returncode == 0, plain.stderr
    assert "tiến trình thứ hai" not in plain.stderr
    expected = digest(project / "site")
    for name in ("site", ".cache", "cache"):
        subprocess.run(["rm", "-rf", str(project / name)], check=True)
    helped = _build(project, helper=True)
    assert helped.returncode == 0, helped.stderr
    counted = re.search(r"(\d+) trang dựng mới \((\d+) trang do tiến trình thứ hai dựng\)", helped.stderr)
    assert counted, helped.stderr  # the helper really rendered pages
    rendered, by_helper = map(int, counted.groups())
    assert rendered * (SHARE - 1) // SHARE - 10 <= by_helper < rendered
    assert digest(project / "site") == expected
    assert "WARNING" not in helped.stderr


# --- the page writer (cchc_mkdocs.page_writer) ---------------------------------------------------
def test_page_writer_writes_what_the_engine_would_and_hides_its_skip_lines(tmp_path, caplog):
    from cchc_mkdocs.page_writer import PageWriter

    writer = PageWriter()
    text = "<p>Cải cách \ud800 𝔸</p>"
    assert writer.write("a.md", str(tmp_path / "a" / "index.html"), text) == ""  # the engine writes nothing
    with caplog.at_level(logging.INFO, logger="mkdocs.commands.build"):
        logging.getLogger("mkdocs.commands.build").info("Page skipped: 'a.md'. Generated empty output.")
        logging.getLogger("mkdocs.commands.build").info("Page skipped: 'b.md'. Generated empty output.")
    writer.close()
    assert (tmp_path / "a" / "index.html").read_bytes() == text.encode("utf-8", errors="xmlcharrefreplace")
    assert [r.getMessage() for r in caplog.records] == ["Page skipped: 'b.md'. Generated empty output."]


def test_page_writer_reports_a_write_error_in_the_build(tmp_path):
    from cchc_mkdocs.page_writer import PageWriter

    (tmp_path / "tep").write_text("không phải thư mục", encoding="utf-8")
    writer = PageWriter()
    writer.write("a.md", str(tmp_path / "tep" / "a" / "index.html"), "<p>a</p>")
    with pytest.raises(OSError):
        writer.close()
    writer = PageWriter()
    writer.write("a.md", str(tmp_path / "tep" / "a" / "index.html"), "<p>a</p>")
    with pytest.raises(OSError):  # at the next page at the latest
        for i in range(200):
            writer.write(f"p{i}.md", str(tmp_path / "ok" / f"{i}.html"), "<p>b</p>")
            time.sleep(0.005)
        writer.close()
    writer.stop()


def test_a_build_says_nothing_about_the_pages_it_wrote_itself(tmp_path):
    project = _project(tmp_path, articles=3)
    built = _build(project, helper=True)
    assert built.returncode == 0, built.stderr
    assert "Page skipped" not in built.stderr
    pages = list((project / "site" / "tin-tuc").rglob("index.html"))
    assert len(pages) >= 4 and all(p.stat().st_size > 1000 for p in pages)
