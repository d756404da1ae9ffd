"""Raw HTML in articles: what may reach the public site, and what `cchc check` warns about.

Staff paste HTML into articles (tables from Word, embedded videos, images).  The converted
article body goes through nh3 (the Rust `ammonia` sanitiser) before it is published or put
in a feed: safe formatting stays, scripts, event handlers, `javascript:` links, forms and
styles that can cover the page are removed, and `<iframe>`s are kept only for the video
players in `extra.cchc.iframe_hosts`.

`markdown_warnings` runs the same sanitiser over every raw HTML tag of the Markdown source,
so `cchc check` can say which line had something removed, before anything is published.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Iterable, Sequence
from urllib.parse import urlsplit

import nh3

from . import urlnorm
from .markdown_code import code_lines

# Video players whose embeds may appear in articles: "host/path-prefix", https only.
DEFAULT_IFRAME_HOSTS: tuple[str, ...] = (
    "www.youtube.com/embed/",
    "youtube.com/embed/",
    "www.youtube-nocookie.com/embed/",
    "player.vimeo.com/video/",
    "www.facebook.com/plugins/video.php",
)

_EXTRA_TAGS = {"iframe", "video", "audio", "source", "track", "tfoot", "caption", "figure", "figcaption",
               "details", "summary"}
TAGS = frozenset(nh3.ALLOWED_TAGS | _EXTRA_TAGS)

# Attributes allowed on every tag; `style` is then reduced to SAFE_STYLE_PROPERTIES.
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "style"}
_TAG_ATTRIBUTES = {
    "a": {"href", "hreflang", "target", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "frameborder", "loading",
               "referrerpolicy", "scrolling"},
    "video": {"src", "controls", "poster", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "ol": {"start", "reversed", "type"},
    "ul": {"type"},
    "details": {"open"},
    # Presentational attributes of tables pasted from Word or Excel: harmless, so kept quietly.
    "table": {"border", "cellpadding", "cellspacing", "width"},
    "col": {"width"},
    "colgroup": {"width"},
    "td": {"colspan", "rowspan", "headers", "align", "valign", "width", "height", "bgcolor", "nowrap"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "valign", "width", "height", "bgcolor", "nowrap"},
    "tr": {"valign", "bgcolor"},
    "p": {"align"},
    "div": {"align"},
}

# Text and table formatting only: nothing that takes an element out of the flow or moves it
# over the rest of the page (position, z-index, top/left, transform, margin, float, display,
# visibility, opacity, background images … are removed).
SAFE_STYLE_PROPERTIES = frozenset({
    "text-align", "vertical-align", "color", "background-color", "font-family", "font-size", "font-weight",
    "font-style", "line-height", "text-decoration", "text-indent", "text-transform", "white-space",
    "list-style-type", "border", "border-collapse", "border-color", "border-style", "border-width",
    "border-top", "border-right", "border-bottom", "border-left", "padding", "padding-top", "padding-right",
    "padding-bottom", "padding-left", "width", "height", "max-width",
})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Material's own components and layout ("md-dialog", "md-sidebar" …) can float over the page;
# only its button style is offered to staff (attr_list: `{ .md-button }`).
_ALLOWED_MD_CLASSES = {"md-button", "md-button--primary"}


def _attributes() -> dict[str, set[str]]:
    merged = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, attrs in _TAG_ATTRIBUTES.items():
        merged.setdefault(tag, set()).update(attrs)
    merged["*"] = set(GENERIC_ATTRIBUTES)
    return merged


class IframeRule:
    """One allowed embed source: https://<host><path prefix>."""

    def __init__(self, spec: str):
        text = str(spec).strip()
        if text.lower().startswith("https://"):
            text = text[len("https://"):]
        if not text or "://" in text or any(c.isspace() or c in "\\@?#" for c in text):
            raise ValueError(f"“{spec}” không phải địa chỉ hợp lệ; viết dạng www.youtube.com/embed/")
        host, _, path = text.partition("/")
        if not re.fullmatch(r"[a-z0-9.-]+", host.lower()) or "." not in host:
            raise ValueError(f"“{spec}” không có tên miền hợp lệ; viết dạng www.youtube.com/embed/")
        self.host = host.lower()
        self.path = "/" + path

    def matches(self, url: str) -> bool:
        return self.normalized(url) is not None

    def normalized(self, url: str) -> str | None:
        """The URL as a browser reads it (cchc.urlnorm) when it is an embed this rule allows,
        else None: https only, no user@ or port, the exact host, the path prefix after dot
        segments and percent-encoding are resolved, no encoded "/" or "\\" in the path."""
        parsed = urlnorm.parse(url)
        if (parsed is None or parsed.scheme != "https" or parsed.userinfo is not None or parsed.port is not None
                or parsed.host != self.host or parsed.encoded_separator or not parsed.path.startswith(self.path)):
            return None
        return parsed.text()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"IframeRule({self.host}{self.path})"


def iframe_rules(hosts: Iterable[str]) -> tuple[IframeRule, ...]:
    """Parse `extra.cchc.iframe_hosts`; raises ValueError with a Vietnamese message."""
    return tuple(IframeRule(h) for h in hosts)


def iframe_allowed(url: str, rules: Sequence[IframeRule]) -> bool:
    return iframe_src(url, rules) is not None


def iframe_src(url: str, rules: Sequence[IframeRule]) -> str | None:
    """The normalised embed URL if a rule allows it (what is published), else None."""
    for rule in rules:
        normalized = rule.normalized(url)
        if normalized is not None:
            return normalized
    return None


class _Collector(HTMLParser):
    """Start tags with their line, attributes and source text (positions are exact)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, int, str, list[tuple[str, str | None]], str]] = []
        self.ends: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        self.tags.append((line, col, tag, attrs, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        line, col = self.getpos()
        self.ends.append((line, col, tag))


def _offsets(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _fix_iframes(html: str) -> str:
    """Remove `<iframe>`s whose src was refused (nh3 can only drop the attribute) and empty the
    others: an iframe's content is raw text that browsers never show, but a feed reader or
    any non-HTML5 parser could read `<script>` in it as markup.

    The input is nh3's own serialisation, so every iframe is `<iframe …>raw text</iframe>`.
    """
    parser = _Collector()
    parser.feed(html)
    parser.close()
    starts = _offsets(html)
    ends = [starts[line - 1] + col for line, col, tag in parser.ends if tag == "iframe"]
    edits = []  # (begin, end, replacement)
    for line, col, tag, attrs, raw in parser.tags:
        if tag != "iframe":
            continue
        begin = starts[line - 1] + col
        if edits and begin < edits[-1][1]:
            continue  # inside an iframe already handled (its raw text looked like a tag)
        closing = next((pos for pos in ends if pos > begin), len(html))
        end = min(closing + len("</iframe>"), len(html))
        kept = raw + "</iframe>" if dict(attrs).get("src") else ""
        edits.append((begin, end, kept))
    for begin, end, kept in reversed(edits):
        html = html[:begin] + kept + html[end:]
    return html


class Sanitizer:
    """The article HTML policy, with the configured iframe hosts."""

    def __init__(self, iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS):
        self.rules = iframe_rules(iframe_hosts)
        self.hosts = tuple(f"{r.host}{r.path}" for r in self.rules)
        self._cleaner = nh3.Cleaner(
            tags=set(TAGS),
            clean_content_tags={"script", "style"},
            attributes=_attributes(),
            attribute_filter=self._filter,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(URL_SCHEMES),
            filter_style_properties=set(SAFE_STYLE_PROPERTIES),
        )

    def _filter(self, tag: str, attr: str, value: str) -> str | None:
        if tag == "iframe" and attr == "src":
            return iframe_src(value, self.rules)
        if attr == "id" and value.startswith("__"):  # Material's own ids (__config, __search …)
            return None
        if attr == "class":
            kept = [c for c in value.split() if not c.startswith("md-") or c in _ALLOWED_MD_CLASSES]
            return " ".join(kept) if kept else None
        return value

    def nh3_clean(self, html: str) -> str:
        return self._cleaner.clean(html)

    def clean(self, html: str) -> str:
        """Safe HTML for the public site (and feeds) from an article's converted body."""
        cleaned = self._cleaner.clean(html)
        if "<iframe" in cleaned:
            cleaned = _fix_iframes(cleaned)
        return cleaned

    # --- what `cchc check` reports ---------------------------------------------------------
    def removals(self, tag: str, attrs: list[tuple[str, str | None]], raw: str) -> list[str]:
        """What the sanitiser removes from one start tag written by staff (Vietnamese)."""
        prefix, suffix = _CONTEXT.get(tag, ("", ""))
        closing = "" if tag in _VOID else f"x</{tag}>"
        parser = _Collector()
        parser.feed(self._cleaner.clean(prefix + raw + closing + suffix))
        parser.close()
        kept = next((a for _l, _c, t, a, _r in parser.tags if t == tag), None)
        if kept is None:
            shown = raw if len(raw) <= 40 else f"<{tag} …>"
            if tag in ("script", "style"):
                return [f"thẻ {shown} (cùng toàn bộ nội dung bên trong)"]
            return [f"thẻ {shown}"]
        source = {name: value for name, value in attrs if name not in _IGNORED_SOURCE_ATTRS}
        result = dict(kept)
        removed = []
        for name, value in source.items():
            if name not in result:
                if tag == "iframe" and name == "src":
                    host = urlsplit(value or "").hostname or value or ""
                    removed.append(f"khung nhúng <iframe> từ “{host}” (chỉ nhúng được video từ: "
                                   + ", ".join(self.hosts) + ")")
                elif name == "class":
                    removed.append(f"lớp {' '.join((value or '').split())} của thẻ <{tag}>")
                elif name in ("href", "src") and value:
                    scheme = value.strip().split(":", 1)[0] if ":" in value else value
                    removed.append(f"địa chỉ “{scheme.strip()[:20]}:” trong thuộc tính {name} của thẻ <{tag}>")
                else:
                    removed.append(f"thuộc tính {name} của thẻ <{tag}>")
            elif name == "style":
                lost = sorted(_style_names(value) - _style_names(result[name]))
                if lost:
                    removed.append(f"kiểu trình bày {', '.join(lost)} trong style của thẻ <{tag}>")
            elif name == "class" and (value or "").split() != (result[name] or "").split():
                lost = [c for c in (value or "").split() if c not in (result[name] or "").split()]
                removed.append(f"lớp {' '.join(lost)} của thẻ <{tag}>")
        return removed


_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
         "base", "param", "keygen"}
# Table parts are dropped by any HTML parser outside a table: check them in their context.
_CONTEXT = {
    "td": ("<table><tr>", "</tr></table>"),
    "th": ("<table><tr>", "</tr></table>"),
    "tr": ("<table>", "</table>"),
    "thead": ("<table>", "</table>"),
    "tbody": ("<table>", "</table>"),
    "tfoot": ("<table>", "</table>"),
    "caption": ("<table>", "</table>"),
    "colgroup": ("<table>", "</table>"),
    "col": ("<table><colgroup>", "</colgroup></table>"),
    "source": ("<video>", "</video>"),
    "track": ("<video>", "</video>"),
    "li": ("<ul>", "</ul>"),
    "dt": ("<dl>", "</dl>"),
    "dd": ("<dl>", "</dl>"),
    "figcaption": ("<figure>", "</figure>"),
    "summary": ("<details>", "</details>"),
}
# Attributes Python-Markdown itself consumes (md_in_html) before the sanitiser sees the HTML.
_IGNORED_SOURCE_ATTRS = {"markdown"}


def _style_names(style: str | None) -> set[str]:
    names = set()
    for declaration in (style or "").split(";"):
        name, sep, _value = declaration.partition(":")
        if sep and name.strip():
            names.add(name.strip().lower())
    return names


@lru_cache(maxsize=8)
def sanitizer(iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS) -> Sanitizer:
    return Sanitizer(iframe_hosts)


def clean_html(html: str, iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS) -> str:
    """Sanitise an article's converted body (see the module docstring for the policy)."""
    return sanitizer(tuple(iframe_hosts)).clean(html)


# --- scanning Markdown sources ------------------------------------------------------------------
# CommonMark autolinks (<https://…>, <name@example.org>): links, not HTML.
_AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


_UNCLOSED_LT_RE = re.compile(r"<(?=[^<>]*(?:<|\Z))")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def html_source(body: str) -> str:
    """The Markdown body with code (fenced and indented blocks, code spans) and autolinks
    blanked out: HTML written there is shown as text, never parsed (cchc.markdown_code).

    Line and column positions are kept, so tags found in the result point at the source.
    """
    lines = body.split("\n")
    flags = code_lines(body)
    for number, line in enumerate(lines):
        if flags is not None and flags[number]:
            lines[number] = ""
            continue
        line = _CODE_SPAN_RE.sub(_blank, line)
        lines[number] = _AUTOLINK_RE.sub(_blank, line)
    return "\n".join(lines)


def markdown_warnings(body: str, iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS) -> list[tuple[int, list[str]]]:
    """[(line within `body`, what is removed)] for raw HTML the sanitiser would change."""
    policy = sanitizer(tuple(iframe_hosts))
    parser = _Collector()
    try:
        # A "<" with no ">" before the next "<" can start no tag; html.parser would rescan the rest
        # of the text for each one (quadratic: "<a <a <a …" of 60 KB took a minute).
        parser.feed(_UNCLOSED_LT_RE.sub(" ", html_source(body)))
        parser.close()
    except Exception:  # pragma: no cover - html.parser is lenient; never fail a check on it
        return []
    by_line: dict[int, list[str]] = {}
    for line, _col, tag, attrs, raw in parser.tags:
        found = policy.removals(tag, attrs, raw)
        if found:
            by_line.setdefault(line, []).extend(found)
    return sorted(by_line.items())


def check_body(article, body: str, diags, iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS) -> None:
    """Add a warning for every article line whose raw HTML will not be published as written."""
    if "<" not in body:
        return
    for line, items in markdown_warnings(body, tuple(iframe_hosts)):
        diags.warning(
            article.source, article.body_line + line - 1,
            "mã HTML sẽ bị loại bỏ khi đăng: " + "; ".join(dict.fromkeys(items)),
            "chỉ dùng định dạng an toàn (đoạn văn, bảng, ảnh, liên kết http/https, video nhúng từ "
            "YouTube/Vimeo/Facebook); không dùng <script>, thuộc tính on…, biểu mẫu hay style định vị",
            code="html-removed",
        )