"""<picture> markup of a site image inside an article body (the templates have the same in the
`picture` macro of overrides/cchc/macros.html).

    <picture>
      <source type="image/webp" srcset="a-…-480.webp 480w, a-…-960.webp 960w, a-…-1600.webp 1600w" sizes="…">
      <img src="a-…-960.jpg" srcset="a-…-480.jpg 480w, …" sizes="…" width="1600" height="1200"
           alt="…" loading="lazy" decoding="async">
    </picture>

The browser picks the WebP (or, if it cannot show WebP, the JPEG/PNG) of the width the layout
needs (`sizes`: how wide the image is shown); `width`/`height` give the page the image's shape
before it arrives, so nothing jumps; every image but the first of the page loads only when it
comes near the screen.  Made after the body is sanitised (cchc.sanitize), from escaped values
only: it needs attributes (srcset, sizes) that staff-written HTML may not carry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

# How wide an article body image is shown at most (CSS pixels): the article column measured in
# Chromium with the site's stylesheet (notes/performance.md, "Pictures"): the screen less 2×16 px
# below 960 px; less the table of contents (274 px) up to 1219 px; 688 px with both sidebars
# from 1220 px; 757–826 px from 1600 px, where Material enlarges the text.
BODY_SIZES = "(min-width: 1600px) 830px, (min-width: 1220px) 690px, (min-width: 960px) calc(100vw - 274px), calc(100vw - 32px)"

_IMG = re.compile(r"<img\b[^<>]*>", re.I)
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Attributes of an <img> kept on the picture's <img> (the sanitiser allowed them already).
_KEPT = ("class", "id", "title", "style", "lang", "dir")


def srcset(entries: list[dict], url: Callable[[str], str]) -> str:
    return ", ".join(f"{url(e['url'])} {e['w']}w" for e in entries)


def picture_html(data: Mapping, url: Callable[[str], str], *, alt: str, attrs: Mapping[str, str] | None = None,
                 lazy: bool = True, sizes: str = BODY_SIZES) -> str:
    """The <picture> of one image.  `data`: picture_library.Picture.data(); `url`: site-relative
    URL → the URL written in the page; `attrs`: the original <img>'s other attributes (a width
    or height written by staff is kept, the other computed from the image's shape)."""
    attrs = dict(attrs or {})
    width, height = int(data["width"]), int(data["height"])
    given_w, given_h = _pixels(attrs.pop("width", None)), _pixels(attrs.pop("height", None))
    if given_w and given_h:
        width, height = given_w, given_h
    elif given_w:
        width, height = given_w, max(1, round(given_w * height / width))
    elif given_h:
        width, height = max(1, round(given_h * width / height)), given_h
    if given_w or given_h:
        sizes = f"(max-width: {width}px) 100vw, {width}px"
    e = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    extra = "".join(f' {name}="{e(attrs[name])}"' for name in _KEPT if attrs.get(name))
    loading = ' loading="lazy"' if lazy else ""
    return (f'<picture><source type="image/webp" srcset="{e(srcset(data["webp"], url))}" sizes="{e(sizes)}">'
            f'<img src="{e(url(data["src"]))}" srcset="{e(srcset(data["fallback"], url))}" sizes="{e(sizes)}" '
            f'width="{width}" height="{height}" alt="{e(alt)}"{extra}{loading} decoding="async"></picture>')


def _pixels(value: str | None) -> int | None:
    """A width/height attribute as HTML reads it (digits, maybe "px"); None otherwise."""
    if value is None:
        return None
    found = re.fullmatch(r"\s*(\d{1,5})(?:px)?\s*", value)
    return int(found.group(1)) or None if found else None


def parse_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag (as the sanitiser wrote it), unescaped; first wins."""
    inner = tag[tag.index(" ") + 1:-1] if " " in tag else ""
    inner = inner.rstrip("/")
    found: dict[str, str] = {}
    for match in _ATTR.finditer(inner):
        name = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(name, html.unescape(value))
    return found


def expand_pictures(body: str, pictures: Mapping[str, Mapping], url: Callable[[str], str], *,
                    first_eager: bool) -> str:
    """Every <img> whose src is a key of `pictures` (the URL the body links to) replaced by its
    <picture>; the first picture of the body loads at once when `first_eager`."""
    if not pictures or "<img" not in body:
        return body
    state = {"first": first_eager}

    def replace(match: re.Match) -> str:
        attrs = parse_attributes(match.group(0))
        data = pictures.get(attrs.get("src", ""))
        if data is None:
            return match.group(0)
        lazy = not state["first"]
        state["first"] = False
        return picture_html(data, url, alt=attrs.pop("alt", ""), attrs=attrs, lazy=lazy)

    return _IMG.sub(replace, body)
