"""Limits that keep one article (or one mistake) from flooding the site.

Every tag gets its own listing pages and every cited document its own page, so an article with
20,000 tags made 20,027 pages (485 MB).  The limits, stated in the editor's guide
(docs/huong-dan.md, "Giới hạn"):

- per article (checked by cchc.reader, each an error on its line): at most MAX_TAGS tags of at
  most MAX_TAG_CHARS characters, MAX_CATEGORIES categories, a title of MAX_TITLE_CHARS, a
  summary of MAX_SUMMARY_CHARS (a longer automatic summary is shortened), an author of
  MAX_AUTHOR_CHARS, an image description of MAX_IMAGE_ALT_CHARS, MAX_CITED_DOCUMENTS distinct
  cited documents;
- per site (`check_site`, cchc check and the build): at most TAGS_PER_ARTICLE × articles +
  EXTRA_TAGS distinct tags;
- per build (`check_outputs`, the build): at most PAGES_PER_ARTICLE × articles + EXTRA_PAGES
  generated pages besides the articles themselves (listings, tags, units, archive, documents,
  coverage…); more means a data file or the content has run away, and nothing is written.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Iterable

from .diagnostics import ContentError, Diagnostics, short

if TYPE_CHECKING:
    from .article import Article

MAX_TAGS = 10
MAX_TAG_CHARS = 60
MAX_CATEGORIES = 5
MAX_TITLE_CHARS = 250
MAX_SUMMARY_CHARS = 600
MAX_AUTHOR_CHARS = 100
MAX_IMAGE_ALT_CHARS = 250
MAX_CITED_DOCUMENTS = 50

TAGS_PER_ARTICLE = 2
EXTRA_TAGS = 100
PAGES_PER_ARTICLE = 10
EXTRA_PAGES = 1000


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_site(articles: list["Article"], catalog, legal, diags: Diagnostics) -> None:
    """Site-wide limits `cchc check` can see: distinct tags relative to the number of articles."""
    tags: Counter[str] = Counter()
    owners: dict[str, "Article"] = {}
    for article in articles:
        for tag in article.tags:
            key = tag.casefold()
            tags[key] += 1
            owners.setdefault(key, article)
    allowed = TAGS_PER_ARTICLE * len(articles) + EXTRA_TAGS
    if len(tags) <= allowed:
        return
    # Name the articles that brought the most tags nobody else uses.
    lonely = Counter(owners[key].rel_path for key, count in tags.items() if count == 1)
    worst = ", ".join(f"{path} ({count} thẻ)" for path, count in lonely.most_common(3))
    first = next(a for a in articles if a.rel_path == lonely.most_common(1)[0][0]) if lonely else articles[0]
    diags.error(first.source, first.lines.get("tags", 1),
                f"cả trang có {_number(len(tags))} thẻ khác nhau, quá giới hạn {_number(allowed)} "
                f"({TAGS_PER_ARTICLE} × {_number(len(articles))} bài + {EXTRA_TAGS}): mỗi thẻ tạo thêm trang riêng",
                f"dùng lại các thẻ đã có thay vì đặt thẻ mới cho mỗi bài; nhiều thẻ dùng một lần nhất: {short(worst, 300)}")


_KIND_NAMES = {
    "tag": "trang thẻ", "tags": "trang thẻ", "unit": "trang đơn vị", "units": "trang đơn vị",
    "category": "trang chuyên mục", "categories": "trang chuyên mục", "archive": "trang lưu trữ",
    "archive-year": "trang lưu trữ", "archive-month": "trang lưu trữ", "document": "trang văn bản",
    "documents": "trang văn bản",
}
_KIND_HINTS = {
    "trang thẻ": "bớt thẻ (mỗi bài tối đa vài thẻ, dùng lại thẻ đã có)",
    "trang đơn vị": "kiểm tra content/units.yml (có thể dán nhầm một danh sách rất dài)",
    "trang văn bản": "kiểm tra các bài nhắc tới rất nhiều số hiệu văn bản, và content/documents.yml",
    "trang chuyên mục": "kiểm tra danh sách chuyên mục trong content/plans/",
}


def check_outputs(articles: list, outputs: Iterable) -> None:
    """Raise ContentError when the build would generate more pages than the rule allows."""
    kinds: Counter[str] = Counter()
    for output in outputs:
        kind = getattr(output, "kind", None)
        if kind is None or kind == "article":
            continue
        kinds[_KIND_NAMES.get(kind, "trang khác")] += 1
    total = sum(kinds.values())
    allowed = PAGES_PER_ARTICLE * len(articles) + EXTRA_PAGES
    if total <= allowed:
        return
    biggest = kinds.most_common()
    shown = ", ".join(f"{name}: {_number(count)}" for name, count in biggest[:4])
    hint = _KIND_HINTS.get(biggest[0][0], "kiểm tra nội dung và các tệp dữ liệu trong content/")
    diags = Diagnostics()
    diags.error("content", 0,
                f"bản dựng sẽ tạo {_number(total)} trang tự động (không kể trang bài viết), quá giới hạn "
                f"{_number(allowed)} ({PAGES_PER_ARTICLE} × {_number(len(articles))} bài + {_number(EXTRA_PAGES)}); "
                f"nhiều nhất: {shown}", hint)
    raise ContentError(diags.items)
