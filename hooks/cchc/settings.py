"""Site settings: what the department configures (name, province, logo, URL, page sizes).

Built from a plain mapping so any engine (MkDocs, ProperDocs, a test) can supply it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .sanitize import DEFAULT_IFRAME_HOSTS, iframe_rules


class SettingsError(ValueError):
    """A configuration value that cannot work; the message says which key and how to fix it."""


@dataclass(frozen=True)
class SiteSettings:
    content_dir: Path
    site_url: str = ""  # absolute, ends with "/"; "" when not configured
    site_name: str = "Tin cải cách hành chính"
    description: str = ""
    department: str = ""
    province: str = ""
    logo: str = ""  # site-relative path of the logo image (default: the theme's logo)
    feed_title: str = ""  # channel title of the site feeds (default: site_name)
    feed_description: str = ""  # channel description (default: description)
    feed_image: str = ""  # GIF/JPEG/PNG for RSS <image> (RSS 2.0 allows no SVG); "" → none
    page_size: int = 10
    feed_limit: int = 50
    search_shard_size: int = 250  # article pages per search-index shard (cchc.search)
    related_count: int = 5
    preview: bool = False
    iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS  # video players allowed in article <iframe>s

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any], *, base_dir: Path, site_url: str | None,
                     site_name: str = "", description: str = "", preview: bool = False,
                     theme_logo: str = "", docs_dir: Path | None = None) -> "SiteSettings":
        content = Path(str(options.get("content_dir", "content")))
        if not content.is_absolute():
            content = (base_dir / content).resolve()
        url = (site_url or "").strip()
        if url and not url.endswith("/"):
            url += "/"
        page_size = options.get("page_size", 10)
        if not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1:
            raise SettingsError(f"extra.cchc.page_size phải là số nguyên dương, không phải “{page_size}”")
        feed_limit = options.get("feed_limit", 50)
        if not isinstance(feed_limit, int) or isinstance(feed_limit, bool) or feed_limit < 1:
            raise SettingsError(f"extra.cchc.feed_limit phải là số nguyên dương, không phải “{feed_limit}”")
        shard_size = options.get("search_shard_size", 250)
        if not isinstance(shard_size, int) or isinstance(shard_size, bool) or shard_size < 1:
            raise SettingsError(f"extra.cchc.search_shard_size phải là số nguyên dương, không phải “{shard_size}”")
        logo = str(options.get("logo", "") or theme_logo or "").lstrip("/")
        return cls(
            content_dir=content,
            site_url=url,
            site_name=site_name or str(options.get("site_name", cls.site_name)),
            description=description or str(options.get("description", "")),
            department=str(options.get("department", "")),
            province=str(options.get("province", "")),
            logo=logo,
            feed_title=str(options.get("feed_title", "") or ""),
            feed_description=str(options.get("feed_description", "") or ""),
            feed_image=_feed_image(options, logo, docs_dir),
            page_size=page_size,
            feed_limit=feed_limit,
            search_shard_size=shard_size,
            related_count=int(options.get("related_count", 5)),
            preview=preview,
            iframe_hosts=_iframe_hosts(options),
        )

    def absolute(self, url: str) -> str:
        """Absolute URL of a site-relative one (requires site_url)."""
        if not self.site_url:
            raise SettingsError("chưa khai báo site_url trong mkdocs.yml: cần địa chỉ đầy đủ của trang, ví dụ https://sgddt.example.gov.vn/cchc/")
        return self.site_url + url.lstrip("/")


def _iframe_hosts(options: Mapping[str, Any]) -> tuple[str, ...]:
    """`extra.cchc.iframe_hosts`: "host/path-prefix" of each video player articles may embed."""
    hosts = options.get("iframe_hosts")
    if hosts is None:
        return DEFAULT_IFRAME_HOSTS
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise SettingsError("extra.cchc.iframe_hosts phải là danh sách địa chỉ, ví dụ [www.youtube.com/embed/]")
    try:
        iframe_rules(hosts)
    except ValueError as exc:
        raise SettingsError(f"extra.cchc.iframe_hosts: {exc}") from None
    return tuple(h.strip() for h in hosts)


def project_iframe_hosts(content_dir: Path) -> tuple[str, ...]:
    """The iframe hosts configured in the mkdocs.yml beside a content folder (for `cchc check`)."""
    import yaml

    class _Loader(yaml.SafeLoader):  # mkdocs.yml may hold !!python/name or !ENV tags: ignore them
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = Path(content_dir).resolve().parent / "mkdocs.yml"
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)
        options = data["extra"]["cchc"]
        return _iframe_hosts(options) if isinstance(options, dict) else DEFAULT_IFRAME_HOSTS
    except (OSError, ValueError, yaml.YAMLError, KeyError, TypeError):
        return DEFAULT_IFRAME_HOSTS


RSS_IMAGE_SUFFIXES = (".png", ".gif", ".jpg", ".jpeg")


def _feed_image(options: Mapping[str, Any], logo: str, docs_dir: Path | None) -> str:
    """The RSS channel image: `extra.cchc.feed_image`, else the logo when it is a GIF/JPEG/PNG,
    else a PNG copy beside an SVG logo in docs/ (assets/logo.svg → assets/logo.png), else none."""
    explicit = str(options.get("feed_image", "") or "").lstrip("/")
    if explicit:
        return explicit
    if logo.lower().endswith(RSS_IMAGE_SUFFIXES):
        return logo
    if logo and docs_dir is not None:
        png = Path(logo).with_suffix(".png").as_posix()
        if (Path(docs_dir) / png).is_file():
            return png
    return ""
