"""URLs as a browser reads them, before any decision about them.

An allow-list compared with the text as written is bypassed by anything the browser normalises
and the comparison does not: `https://www.youtube.com/embed/../../redirect?…` starts with the
allowed "www.youtube.com/embed/" but the browser asks for /redirect; so do `/embed/%2e%2e/`,
`https:/\\www.youtube.com`, `HTTPS://WWW.YOUTUBE.COM:443/`, `https://www.youtube.com@evil.example/`.
`parse` follows the WHATWG URL rules that matter here:

- leading and trailing spaces and control characters are dropped, tabs and line breaks anywhere
  are removed; any other control character makes the URL invalid (refused);
- the scheme and host are lower-cased, the host is converted to its ASCII (IDNA/punycode) form
  and loses a trailing dot; a default port (443, 80) is dropped; user:password@ is kept apart;
- for http(s) and relative URLs, "\\" is "/" and any run of slashes after "https:" starts the host;
- in the path, percent-encoded unreserved characters (%2e = ".", %61 = "a" …) are decoded and dot
  segments ("." and "..", also written %2e) are resolved; an encoded "/" or "\\" (%2f, %5c)
  stays encoded and is reported (`encoded_separator`).

`Url.text()` is the normalised URL: what is checked is what gets published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPECIAL_SCHEMES = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "file": None}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_STRIP = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNRESERVED = re.compile(r"%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])")
_HOST_FORBIDDEN = re.compile(r"[\x00\t\n\r #/:<>?@\[\\\]^|%]")


@dataclass(frozen=True)
class Url:
    scheme: str  # lower case; "" for a relative URL
    host: str  # ASCII, lower case, no trailing dot; "" when there is none
    port: int | None  # None when absent or the scheme's default
    userinfo: str | None  # "user:password" as written before "@", None when absent
    path: str  # "/"-separated, dot segments resolved (relative URLs keep a relative path)
    query: str | None
    fragment: str | None
    network_path: bool = False  # "//host/…" or "\\\\host\\…" without a scheme: another site
    encoded_separator: bool = False  # the path had %2f or %5c
    had_dot_segments: bool = False  # the path had "." or ".." segments (also encoded)

    @property
    def relative(self) -> bool:
        """A link into this site: no scheme, no host."""
        return not self.scheme and not self.network_path

    def text(self) -> str:
        out = ""
        if self.scheme:
            out += self.scheme + ":"
        if self.host or self.network_path or self.scheme in SPECIAL_SCHEMES:
            out += "//"
            if self.userinfo is not None:
                out += self.userinfo + "@"
            out += self.host
            if self.port is not None:
                out += f":{self.port}"
        out += self.path
        if self.query is not None:
            out += "?" + self.query
        if self.fragment is not None:
            out += "#" + self.fragment
        return out


def parse(raw: str) -> Url | None:
    """The URL a browser would request for `raw` (on an https page), or None if it is invalid."""
    text = _TAB_NEWLINE.sub("", raw.strip(_STRIP))
    if _CONTROL.search(text):
        return None
    scheme = ""
    match = _SCHEME.match(text)
    if match:
        scheme = match.group(1).lower()
        rest = text[match.end():]
    else:
        rest = text
    special = scheme in SPECIAL_SCHEMES or not scheme
    if special:
        rest = rest.replace("\\", "/")
    fragment = query = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    if "?" in rest:
        rest, query = rest.split("?", 1)
    network_path = False
    host, port, userinfo = "", None, None
    if scheme and special and scheme != "file":
        rest = rest.lstrip("/")  # https:/\host, https:///host, https:host: all name the host
        authority, slash, path = rest.partition("/")
        path = slash + path
    elif not scheme and rest.startswith("//"):
        network_path = True
        authority, slash, path = rest[2:].partition("/")
        path = slash + path
    elif scheme and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        path = slash + path
    else:
        authority, path = None, rest
    if authority is not None:
        if "@" in authority:
            userinfo, _, authority = authority.rpartition("@")
        host, port = _host_port(authority, scheme or "https")
        if host is None:
            return None
        if not host and (scheme in ("http", "https") or network_path):
            return None
    path, encoded, dots = _path(path, special)
    return Url(scheme, host, port, userinfo, path, query, fragment, network_path, encoded, dots)


def _host_port(authority: str, scheme: str) -> tuple[str | None, int | None]:
    host, port = authority, None
    if host.startswith("["):  # IPv6 literal
        end = host.find("]")
        if end < 0:
            return None, None
        host, rest = host[: end + 1].lower(), host[end + 1:]
        if rest:
            if not rest.startswith(":"):
                return None, None
            port_text = rest[1:]
        else:
            port_text = ""
    else:
        host, _, port_text = host.partition(":")
        if "%" in host:
            host = _percent_decode(host)
        host = host.rstrip(".").lower()
        if host and not host.isascii():
            try:
                host = ".".join(label.encode("idna").decode("ascii") if not label.isascii() else label
                                for label in re.split("[.\u3002\uff0e\uff61]", host))
            except UnicodeError:
                return None, None
            host = host.lower()
        if _HOST_FORBIDDEN.search(host):
            return None, None
    if port_text:
        if not port_text.isdigit() or int(port_text) > 65535:
            return None, None
        port = int(port_text)
        if port == SPECIAL_SCHEMES.get(scheme):
            port = None
    return host, port


def _percent_decode(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text, errors="strict") if "%" in text else text


def _path(path: str, special: bool) -> tuple[str, bool, bool]:
    """(normalised path, had %2f/%5c, had dot segments)."""
    encoded = bool(re.search(r"%(2[fF]|5[cC])", path))
    path = _UNRESERVED.sub(lambda m: chr(int(m.group(1), 16)), path)
    segments = path.split("/")
    dots = any(s in (".", "..") for s in segments)
    if not dots:
        return path, encoded, False
    absolute = path.startswith("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
            continue
        if segment == "..":
            if out and out[-1] not in ("", ".."):
                out.pop()
            elif not absolute:
                out.append("..")  # a relative path may climb: that is decided elsewhere
            if last:
                out.append("")
            continue
        out.append(segment)
    joined = "/".join(out)
    if absolute and not joined.startswith("/"):
        joined = "/" + joined
    return joined, encoded, True
