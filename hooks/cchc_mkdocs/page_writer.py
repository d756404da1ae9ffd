"""Pages written to disk by a thread of their own while the engine renders the next ones.

The engine writes each page in its one thread (create its folder, create the file, write): on
a busy disk that was 4 to 13 s of a first build of 3000 articles, during which nothing else
was rendered.  In a full build the plugin gives the engine an empty output for each page it
hands to this writer (the engine skips an empty page, and its line saying so is left out), and the writer writes the same bytes the engine would: the page's text in UTF-8,
characters that cannot be encoded as character references.  At most `QUEUE_PAGES` pages wait
in memory; `close()` waits for the last and raises the first error (a full disk, say), which
then stops the build like the engine's own write error would.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading

from .engine import BUILD_LOGGERS, skipped_page

QUEUE_PAGES = 64  # pages rendered but not yet written, at most (memory: ~40 KB a page)
# The writer needs the interpreter between its system calls; with the default 5 ms between two
# switches it would wait behind the rendering thread after each one.
SWITCH_INTERVAL_S = 0.001


class PageWriter(logging.Filter):
    def __init__(self):
        super().__init__()
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_PAGES)
        self.error: BaseException | None = None
        self.handed: set[str] = set()  # source paths of the pages handed over (the engine skips them)
        self.thread = threading.Thread(target=self._work, name="cchc-write", daemon=True)
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL_S))
        self.thread.start()
        for name in BUILD_LOGGERS:
            logging.getLogger(name).addFilter(self)

    def write(self, src: str, path: str, html: str) -> str:
        """Hand the page over; the engine's output for it ("": written here)."""
        if self.error is not None:
            self.close()  # raises it
        self.handed.add(src)
        self.queue.put((path, html))
        return ""

    def written_elsewhere(self, src: str) -> str:
        """The page was written by the render helper: the engine's output for it, and its
        skip line left out, as for a page handed over."""
        self.handed.add(src)
        return ""

    def _work(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is not None:
                continue  # drain: the build stops at its next page
            path, html = item
            try:
                write_page(path, html.encode("utf-8", errors="xmlcharrefreplace"))
            except BaseException as exc:  # noqa: BLE001 - raised in the build's thread by close()
                self.error = exc

    def close(self) -> None:
        """Wait for every page handed over to be written; raise the first error."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
            sys.setswitchinterval(self._interval)
        for name in BUILD_LOGGERS:
            logging.getLogger(name).removeFilter(self)
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def stop(self) -> None:
        """The build failed: stop quietly (what was written stays, like the engine's own pages)."""
        try:
            self.close()
        except BaseException:  # noqa: BLE001 - the build's own error is the one reported
            pass

    def filter(self, record: logging.LogRecord) -> bool:
        return skipped_page(str(record.msg)) not in self.handed


def write_page(path: str, data: bytes) -> None:
    """Write a page's file as the engine does (its folder made as needed)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as file:
        file.write(data)
