"""What the bench's two browser measurements share (scripts/bench.py: what a search downloads;
scripts/bench_pictures.py: what a page with a phone photo transfers): Debian's chromium driven by
Playwright, and a local web server that does not log every request."""

from __future__ import annotations

import http.server
import shutil
from pathlib import Path

# Headless Chromium as the tests run it: no sandbox (containers), no GPU, no background traffic
# that would count as the page's.
LAUNCH_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run")


def find_browser():
    """(chromium's path, Playwright's `sync_playwright`), or None when Debian's chromium or
    Playwright is missing (the measurement is then left out; Playwright's own browser download
    does not work here)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return chromium, sync_playwright


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder (`functools.partial(QuietHandler, directory=…)`) without a log line a request."""

    def log_message(self, *args):
        pass
