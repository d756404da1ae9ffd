"""Sub-commands beyond new/check, each defined next to the feature it drives.

Every module listed here exposes `register(subparsers)`; keeping the list in one place lets
features add a command without editing the core CLI.
"""

from __future__ import annotations

import importlib

COMMAND_MODULES: tuple[str, ...] = (
    "import_cli",
    "report_cli",
    "build_cli",
    "publish_cli",
    "plan_cli",
)


def register(subparsers) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"cchc.{name}").register(subparsers)
