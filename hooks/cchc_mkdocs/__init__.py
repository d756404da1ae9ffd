"""The engine adapter: the MkDocs (or ProperDocs) plugin `cchc` (`plugins: [cchc]` in mkdocs.yml).

- `plugin.py`: the engine's events → `cchc.buildrun` (one BuildRun per build, one
  PreviewSession per `mkdocs serve`);
- `templates.py`: template helpers that keep rendering thousands of pages cheap;
- `engine.py`: the few MkDocs internals relied on, in one place, checked by tests/test_engine.py.

The `cchc` package it drives knows nothing of MkDocs.
"""

from .plugin import CchcPlugin

__all__ = ["CchcPlugin"]
