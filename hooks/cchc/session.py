"""Process-wide state that outlives one build.

`mkdocs serve` loads the configuration (and re-executes hook modules) on every rebuild but
announces "serve" only once, so whether this is a preview is remembered here, with caches
that make rebuilds cheap.
"""

from __future__ import annotations

preview: bool = False
dirty: bool = False  # `--dirty`: the engine writes into the existing site folder

# The last content that passed every check, so a preview rebuild with errors keeps showing
# the last good version instead of a broken or empty site.
last_good_content = None

# `mkdocs serve --dirty` (what `make serve` runs): render only pages whose fingerprint
# changed; see cchc.incremental.
incremental = False
preview_state = None  # cchc.incremental.PreviewState once the first preview build ran
article_cache = None  # content.ArticleCache: unchanged article files are not read again
