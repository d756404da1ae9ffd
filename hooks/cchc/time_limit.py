"""A CPU-time budget for one piece of work (converting one article body, one summary).

Python-Markdown is super-linear on some inputs (notes/hostile-markdown.md): 60 KB of "[" take
minutes.  `cpu_time_limit(seconds)` stops the work in this thread with `TimeLimitExceeded`
once the process has used `seconds` of CPU time inside the block (`signal.setitimer`,
ITIMER_PROF).  CPU time, not wall time: a busy server or a loaded test machine must not turn
an ordinary article into a failure; a stuck C call that uses no CPU is the conversion
watchdog's business (`cchc.convert`), which kills the worker process from outside.

A timer can only interrupt the main thread (Python runs signal handlers there), so elsewhere
`active()` is False and callers must run the work in a helper process instead.  Regular
expressions check for signals while they match, so even a catastrophic one is interrupted.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

# Seconds of CPU time one article body may take to convert (extra.cchc.conversion_time_limit).
# An ordinary article takes milliseconds; a legitimate 2 MB article about 1.5 s.
DEFAULT_SECONDS = 5.0


class TimeLimitExceeded(BaseException):
    """The work used more than its budget.

    A BaseException, like KeyboardInterrupt: Markdown extensions that catch `Exception` must not
    swallow it and carry on."""


_depth = 0  # nested budgets: only the outermost sets the timer


def active() -> bool:
    """True where a budget can interrupt the work: the main thread of a system with setitimer."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _expired(signum, frame) -> None:
    raise TimeLimitExceeded()


@contextlib.contextmanager
def cpu_time_limit(seconds: float | None) -> Iterator[bool]:
    """Raise TimeLimitExceeded inside the block after `seconds` of CPU time (None: no limit).

    Yields whether a limit is in force (False outside the main thread: see `active`)."""
    global _depth
    if not seconds or seconds <= 0 or not active() or _depth:
        yield bool(_depth)
        return
    previous = signal.signal(signal.SIGPROF, _expired)
    _depth += 1
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        yield True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        _depth -= 1
        signal.signal(signal.SIGPROF, previous if previous is not None else signal.SIG_DFL)
