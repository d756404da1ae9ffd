"""A second process that renders and writes pages while the engine renders others (full builds).

The engine renders every page's template in one thread, about 3 ms a page with Material: most
of a first build of thousands of articles, while the other core has nothing left to do once
the article bodies are converted.  Just before the engine's page loop (`on_env`), the build
forks a helper that takes, in the engine's order, seven of every eight pages no cache holds:
it renders each, finishes it as the build would (`BuildRun.finished_page`: the article body
put in, the searchable part and the digests the search index and the page cache need), writes
its file, and sends the finished page back through a pipe.  When the engine reaches such a
page, the plugin takes it (the frame renders nothing, as for a page kept in the cache) and
gives it to the search index and the page cache (`BuildRun.keep_finished`).  The build process
then does little more per page than the engine's own loop, which was its bottleneck.

The helper writes only the pages it sends, each before sending it; it says nothing, and ends
without running any clean-up (`os._exit`).  Anything unexpected (a warning or an error while
making a page, a write that fails, the helper gone, no answer in time) and the build makes
the remaining pages itself (and reports what went wrong), so the site is the same with or
without the helper (tests/test_render_helper.py).  Not in the preview (its server threads; a
save renders a few pages) nor where there is one core, or few pages.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import pickle
import select
import signal
import stat
import struct
from collections.abc import Callable, Sequence

from cchc.buildrun import release_free_memory
from cchc.workers import available_cores, die_with_parent

from . import engine
from .page_writer import write_page

MIN_PAGES = 200  # fewer pages to render: forking costs more than it saves
SHARE = 8  # the helper renders all but one page of every SHARE
PIPE_SIZE = 1 << 20  # how far the helper may run ahead of the build (Linux caps pipes at 1 MiB)
WAIT_S = 120.0  # no page from the helper for this long: the build renders the rest itself
DISABLE_ENV = "CCHC_RENDER_HELPER"  # "0": never start one (tests compare the site without it)
HEADER = struct.Struct("!II")


class RenderHelper:
    """The build's side: `take(src)` the helper's HTML of a page, or None (render it here)."""

    def __init__(self, pid: int, fd: int, sources: Sequence[str]):
        self.pid, self.fd = pid, fd
        self.poll = select.poll()  # (select.select cannot wait on a descriptor above 1023)
        self.poll.register(fd, select.POLLIN)
        self.pending = set(sources)  # pages the helper renders, not yet taken
        self.early: dict[str, object] = {}  # received before the engine asked for them
        self.taken = 0

    @classmethod
    def for_build(cls, run, files, config, nav, env) -> "RenderHelper | None":
        """A helper for the pages `run` (a cchc.buildrun.BuildRun) renders: generated pages no
        cache holds, in the engine's order; `take` gives a cchc.buildrun.FinishedPage."""
        doc_files = files.documentation_pages()
        pages = [(f.src_uri, f.page) for f in doc_files if f.page is not None and run.renders(f.src_uri)]

        def make(src: str, page):
            return run.finished_page(src, engine.render_page(page, config, doc_files, nav, env))

        return cls.start(pages, make, lambda page, finished: write_page(page.file.abs_dest_path, finished.data))

    @classmethod
    def start(cls, pages: Sequence[tuple[str, object]], make: Callable[[str, object], object],
              write: Callable[[object, object], None] | None = None) -> "RenderHelper | None":
        """Fork a helper for `pages` ((source path, page) in the engine's order, those the build
        would render); `make(src, page)` is what `take` gives for the page (anything that can
        be pickled), `write(page, made)` writes it before it is sent.  None when not worth it."""
        if os.environ.get(DISABLE_ENV) == "0" or len(pages) < MIN_PAGES or available_cores() < 2:
            return None
        share = [(src, page) for i, (src, page) in enumerate(pages) if i % SHARE]
        release_free_memory()  # the helper starts with a compact heap
        read_fd, write_fd = os.pipe()
        try:
            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except (OSError, AttributeError):
            pass
        # Objects that exist now are never scanned by the collector until the helper ends: a
        # scan writes to every object, which would make each process copy pages they share.
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the helper
            os.close(read_fd)
            _serve(write_fd, share, make, write)
        os.close(write_fd)
        return cls(pid, read_fd, [src for src, _ in share])

    def take(self, src: str):
        """What the helper made of the page for `src` (written already); None: the build makes
        it itself."""
        if src not in self.pending:
            return None
        self.pending.discard(src)
        made = self.early.pop(src, None)
        while made is None and self.fd is not None:
            name, received = self._receive()
            if name is None:  # the helper stopped (or sends nothing in time): do without it
                self.close()
            elif name == src:
                made = received
            elif name in self.pending:  # (the engine's order is the helper's: not expected)
                self.early[name] = received
        if made is not None:
            self.taken += 1
        if not self.pending:
            self.close()
        return made

    def _receive(self) -> tuple[str | None, object]:
        header = self._read(HEADER.size)
        if header is None:
            return None, None
        name_len, size = HEADER.unpack(header)
        body = self._read(name_len + size)
        if body is None:
            return None, None
        return body[:name_len].decode("utf-8"), pickle.loads(memoryview(body)[name_len:])

    def _read(self, size: int) -> bytes | None:
        """Exactly `size` bytes from the helper; None at its end or after WAIT_S without data."""
        chunks, missing = [], size
        while missing:
            ready = self.poll.poll(WAIT_S * 1000)
            chunk = os.read(self.fd, missing) if ready else b""
            if not chunk:
                return None
            chunks.append(chunk)
            missing -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def close(self) -> None:
        """Stop the helper (if it has not ended) and wait for it; the collector scans all again."""
        if self.fd is None:
            return
        os.close(self.fd)
        self.fd = None
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        gc.unfreeze()

    stop = close


def _serve(fd: int, pages, make, write) -> None:
    """In the helper: make `pages` in order, write and send each; never returns."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the build stops it, it says nothing
        die_with_parent()  # a build killed outright takes its helper with it
        _close_pipes(keep=fd)
        said = _silence_logging()
        for src, page in pages:
            made = make(src, page)
            if said:  # a warning: the build makes this page and the rest, and says it once
                break
            if write is not None:
                write(page, made)  # (an error: the build writes it again, and reports it)
            name, data = src.encode("utf-8"), pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(fd, HEADER.pack(len(name), len(data)) + name + data)
        code = 0
    except BaseException:  # noqa: BLE001 - the build makes what the helper did not send
        pass
    finally:
        os._exit(code)


def _close_pipes(keep: int) -> None:
    """Close the helper's copies of the build's pipes and sockets (to worker processes, say): a
    process waiting for the end of its input must not wait for the helper.  Files stay open:
    objects the rendering uses may read through them."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        fd = int(name)
        if fd > 2 and fd != keep:
            try:
                mode = os.fstat(fd).st_mode
            except OSError:
                continue
            if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                os.close(fd)


def _silence_logging() -> list:
    """The helper's log records are not printed (the build prints its own); the returned list
    gets one entry at the first warning or error."""
    said: list = []

    def call_handlers(self, record):
        if record.levelno >= logging.WARNING and not said:
            said.append(record.levelno)

    logging.Logger.callHandlers = call_handlers
    return said


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
