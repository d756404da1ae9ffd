"""Browser helpers: Debian's chromium driven by Playwright, and a static server for a built site."""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORTS = {  # a common phone and a common office screen (issue 18)
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 768},
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# The browser cancels requests it no longer needs (a page left before its images loaded, a
# search chunk superseded by the next keystroke): writing the answer then fails on a closed
# connection.  That is normal traffic, not an error of the site or of the test.
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], CLIENT_GONE):
            return
        super().handle_error(request, client_address)  # a real error: printed with its traceback


@contextmanager
def serve_directory(root: Path):
    """Serve `root` on a free localhost port; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """A headless Debian chromium under Playwright (its own browser download does not work here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
