"""The engine adapter: the MkDocs (or ProperDocs) plugin `cchc` (`plugins: [cchc]` in mkdocs.yml).

- `plugin.py`: the engine's events → `cchc.buildrun` (one BuildRun per build, one
  PreviewSession per `mkdocs serve`);
- `templates.py`: template helpers that keep rendering thousands of pages cheap;
- `engine.py`: the few MkDocs internals relied on, in one place, checked by tests/test_engine.py;
- `console.py`: the engine's output for staff (Vietnamese, no tracebacks), for `cchc build`
  and `cchc serve`.

The `cchc` package it drives knows nothing of MkDocs.  Importing this package imports no engine
(`cchc build` uses `console` without loading MkDocs).
"""
