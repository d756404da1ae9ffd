"""What the engine prints, as staff read it: Vietnamese, and never a Python traceback.

`cchc build` and `cchc serve` run the engine (MkDocs or ProperDocs) as a child process and pass
its output through `EngineOutput`: the engine's usual English lines are said in Vietnamese,
MkDocs' warning about `--dirty` builds is left out (the preview is dirty on purpose: the plugin
decides which pages are stale), and a traceback (an error inside the engine itself, such as a
full disk while it writes a page) becomes one Vietnamese message (cchc.failures) while the
technical detail is written to a file for developers.  Lines the plugin writes are already
Vietnamese and pass through.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable, TextIO

from cchc import failures
from cchc.workers import die_with_parent

DIRTY_WARNING = "A 'dirty' build is being performed"

# The engine's own informational lines (mkdocs/commands, mkdocs/livereload), in Vietnamese.
_TRANSLATIONS: list[tuple[re.Pattern, str]] = [(re.compile(p), r) for p, r in [
    (r"^Cleaning site directory$", "Dọn thư mục xuất bản"),
    (r"^Building documentation to directory: (.*)$", r"Đang dựng trang vào \1"),
    (r"^Documentation built in ([\d.]+) seconds$", r"Dựng xong trong \1 giây"),
    (r"^Building documentation\.\.\.$", "Đang dựng trang…"),
    (r"^Serving on (\S+)$", r"Bản xem thử: \1"),
    (r"^Serving on (\S+) and opening it in a browser$", r"Bản xem thử: \1 (đang mở trình duyệt)"),
    (r"^Watching paths for changes: (.*)$", r"Theo dõi thay đổi trong: \1"),
    (r"^Detected file changes$", "Có tệp thay đổi: dựng lại"),
    (r"^Reloading browsers$", "Tải lại trình duyệt"),
    (r"^Browser connected: (.*)$", r"Trình duyệt đã kết nối: \1"),
    (r"^Shutting down\.\.\.$", "Đang dừng bản xem thử…"),
    (r"^An error happened during the rebuild\. The server will appear stuck until build errors are resolved\.$",
     "Dựng lại không thành công (xem lỗi ở trên); bản xem thử chờ đến khi sửa xong."),
    (r"^Aborted with a BuildError!$", "Đã dừng vì lỗi ở trên."),
    (r"^Aborted with (\d+) warnings? in strict mode!$", r"Đã dừng: có \1 cảnh báo (chế độ --strict)."),
    (r"^The directory contains stale files\. Use --clean to remove them\.$",
     "Thư mục xuất bản còn tệp cũ (dựng kiểu --dirty)."),
]]
_LEVELS = {"INFO": "TIN", "WARNING": "CẢNH BÁO", "ERROR": "LỖI", "DEBUG": "GỠ LỖI"}
_LOG_LINE = re.compile(r"^(INFO|WARNING|ERROR|DEBUG)(\s+-\s+)(.*)$")
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Abort|Warning)?): ?(.*)$")


class EngineOutput:
    """Translates the engine's output line by line (`feed`), tracebacks included."""

    def __init__(self, write: Callable[[str], None], *, log_dir: Path | None = None,
                 needed: Callable[[], int | None] = lambda: None):
        self.write = write
        self.log_dir = log_dir
        self.needed = needed
        self._traceback: list[str] | None = None
        self.failed = False  # a traceback was seen

    def feed(self, line: str) -> None:
        line = line.rstrip("\n")
        if self._traceback is not None:
            self._traceback.append(line)
            if line and not line.startswith((" ", "\t")) and not line.startswith(("Traceback", "During handling",
                                                                                  "The above exception")):
                self._end_traceback()
            return
        if line.startswith("Traceback (most recent call last):"):
            self._traceback = [line]
            return
        self.write(self.translate(line))

    def translate(self, line: str) -> str:
        if line.startswith("Error: "):
            return "Lỗi: " + line[len("Error: "):]
        match = _LOG_LINE.match(line)
        if match is None:
            return _translate_message(line)
        level, gap, message = match.groups()
        if message.startswith(DIRTY_WARNING):
            return ""
        return f"{_LEVELS[level]}{gap}{_translate_message(message)}"

    def _end_traceback(self) -> None:
        lines, self._traceback = self._traceback, None
        self.failed = True
        message = failures.describe(exception_from(lines), needed=self.needed(), log_dir=self.log_dir,
                                    detail="\n".join(lines) + "\n")
        self.write("Lỗi: " + message)

    def close(self) -> None:
        if self._traceback:
            self._end_traceback()


def _translate_message(message: str) -> str:
    for pattern, replacement in _TRANSLATIONS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


def exception_from(lines: list[str]) -> BaseException:
    """The exception a printed traceback ends with: an OSError with its number, file name and
    text when it was one (so a full disk is told as such), else a plain one with its text."""
    last = lines[-1] if lines else ""
    match = _EXCEPTION_LINE.match(last)
    name, text = (match.group(1).rsplit(".", 1)[-1], match.group(2)) if match else ("Exception", last)
    oserror = re.match(r"\[Errno (\d+)\] ([^:]+?)(?:: '(.*)')?$", text)
    if oserror:
        return OSError(int(oserror.group(1)), oserror.group(2), oserror.group(3))
    if name == "MemoryError":
        return MemoryError(text)
    return RuntimeError(f"{name}: {text}" if text else name)


def run_engine(command: list[str], *, cwd: Path, env: dict, log_dir: Path | None = None,
               needed: Callable[[], int | None] = lambda: None, out: TextIO | None = None) -> tuple[int, bool]:
    """Run the engine, its output translated onto `out` (stderr); (exit status, traceback seen)."""
    out = out or sys.stderr

    def write(text: str) -> None:
        if text:
            try:
                out.write(text + "\n")
            except UnicodeEncodeError:  # pragma: no cover - a terminal without UTF-8
                out.write(text.encode("ascii", "replace").decode() + "\n")
            out.flush()

    translator = EngineOutput(write, log_dir=log_dir, needed=needed)
    # Own session: a terminal's Ctrl-C reaches only this process, which stops the engine itself;
    # the engine is stopped too if this process is killed outright (die_with_parent).
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True, preexec_fn=die_with_parent, text=True, encoding="utf-8",
                               errors="replace", bufsize=1)
    try:
        for line in process.stdout:
            translator.feed(line)
        status = process.wait()
    except BaseException:  # Ctrl-C, a signal, an error: the engine stops with us
        stop(process)
        raise
    finally:
        translator.close()
    return status, translator.failed


def stop(process: subprocess.Popen) -> None:
    """Stop the engine and everything it started (its process group): SIGTERM, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:  # pragma: no cover - an engine that ignores SIGTERM
            continue
