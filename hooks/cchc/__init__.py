"""cchc: the domain package of cchc-news (content, plan, pages, feeds, coverage, reports).

It never imports MkDocs: the plugin in hooks/cchc_mkdocs/ adapts it to the engine (see
notes/architecture.md).
"""
