"""Helper processes of the build: how many cores there are, and how a helper is started.

Plain subprocesses (`python -m cchc.<module>`, data pickled over its standard streams), not
multiprocessing: its "spawn" start method re-runs the caller's main script in each child, which
breaks builds started from scripts (benchmarks, profilers); "fork" is unsafe beside the preview
server's threads.  Used by `convert` (article bodies) and `content` (reading article files).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def available_cores() -> int:
    """Cores this process may use; CCHC_WORKERS overrides (1: no helper process at all)."""
    configured = os.environ.get("CCHC_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def die_with_parent() -> None:
    """In a child process (Popen's preexec_fn): be stopped (SIGTERM) when the process that
    started it dies, even by SIGKILL, so no helper keeps writing after its build is gone.
    Linux only (prctl PR_SET_PDEATHSIG); elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_module(module: str) -> subprocess.Popen:
    """`python -m <module>` with this package importable, its three streams piped."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-m", module], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, preexec_fn=die_with_parent)
