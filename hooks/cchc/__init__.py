"""cchc: the domain package of cchc-news (content, plan, pages, feeds, coverage, reports).

It never imports MkDocs: `hooks/cchc_mkdocs.py` adapts it to the engine (see notes/architecture.md).
"""
