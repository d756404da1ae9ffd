"""Site settings: what the department configures (name, province, logo, URL, page sizes).

Built from a plain mapping so any engine (MkDocs, ProperDocs, a test) can supply it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .diagnostics import short
from .sanitize import DEFAULT_IFRAME_HOSTS, iframe_rules
from .search import SEARCH_STEP, SHARD_SIZE
from .time_limit import DEFAULT_SECONDS as DEFAULT_CONVERSION_SECONDS


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
    search_shard_size: int = SHARD_SIZE  # article pages per search-index shard (cchc.search)
    search_step: int = SEARCH_STEP  # articles (newest first) a search covers before "Xem thêm" looks further
    related_count: int = 5
    preview: bool = False
    iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS  # video players allowed in article <iframe>s
    colors: tuple[tuple[str, str], ...] = ()  # extra.cchc.colors as given (checked); theme CSS has the defaults
    share_image: str = ""  # extra.cchc.share_image (checked); overrides/main.html has the default
    # --- time budget of article conversion (cchc.time_limit; issue 13) ---------------------
    conversion_time_limit: float = DEFAULT_CONVERSION_SECONDS  # CPU seconds per article body

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
            raise SettingsError(f"extra.cchc.page_size phải là số nguyên dương, không phải “{short(page_size)}”")
        feed_limit = options.get("feed_limit", 50)
        if not isinstance(feed_limit, int) or isinstance(feed_limit, bool) or feed_limit < 1:
            raise SettingsError(f"extra.cchc.feed_limit phải là số nguyên dương, không phải “{short(feed_limit)}”")
        shard_size = options.get("search_shard_size", SHARD_SIZE)
        if not isinstance(shard_size, int) or isinstance(shard_size, bool) or shard_size < 1:
            raise SettingsError(f"extra.cchc.search_shard_size phải là số nguyên dương, không phải “{short(shard_size)}”")
        search_step = options.get("search_step", SEARCH_STEP)
        if not isinstance(search_step, int) or isinstance(search_step, bool) or search_step < 1:
            raise SettingsError(f"extra.cchc.search_step phải là số nguyên dương, không phải “{short(search_step)}”")
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
            search_step=search_step,
            related_count=int(options.get("related_count", 5)),
            preview=preview,
            iframe_hosts=_iframe_hosts(options),
            colors=_colors(options),
            share_image=_share_image(options, docs_dir),
            conversion_time_limit=_conversion_time_limit(options),
        )

    def absolute(self, url: str) -> str:
        """Absolute URL of a site-relative one (requires site_url)."""
        if not self.site_url:
            raise SettingsError("chưa khai báo site_url trong mkdocs.yml: cần địa chỉ đầy đủ của trang, ví dụ https://sgddt.example.gov.vn/cchc/")
        return self.site_url + url.lstrip("/")


# --- extra.cchc.conversion_time_limit (issue 13) -----------------------------------------------
MAX_CONVERSION_SECONDS = 600


def _conversion_time_limit(options: Mapping[str, Any]) -> float:
    """`extra.cchc.conversion_time_limit`: CPU seconds one article body may take to convert
    (default 5); a body that takes longer stops the build with a message naming its file."""
    value = options.get("conversion_time_limit", DEFAULT_CONVERSION_SECONDS)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_CONVERSION_SECONDS:
        raise SettingsError(f"extra.cchc.conversion_time_limit phải là số giây lớn hơn 0 và không quá "
                            f"{MAX_CONVERSION_SECONDS}, không phải “{short(value)}” → Cách sửa: ví dụ "
                            f"conversion_time_limit: {DEFAULT_CONVERSION_SECONDS:g}")
    return float(value)


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
        raise SettingsError(f"extra.cchc.iframe_hosts: {short(str(exc), 200)}") from None
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


# extra.cchc.colors: the brand colours (overrides/main.html turns them into Material's CSS
# variables; docs/assets/cchc.css has these defaults).  White header text sits on `primary`, and
# `accent` is the link colour on white: each must reach 4.5:1 against white (WCAG 1.4.3).
COLOR_KEYS = {"primary": "màu nền đầu trang, chữ trắng", "accent": "màu chữ liên kết, nền trắng"}
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _contrast_with_white(color: str) -> float:
    digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
    linear = []
    for i in (0, 2, 4):
        c = int(digits[i:i + 2], 16) / 255
        linear.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def _colors(options: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    colors = options.get("colors")
    if colors is None:
        return ()
    example = 'colors: {primary: "#8e1414", accent: "#0d47a1"}'
    if not isinstance(colors, dict) or not colors or set(colors) - set(COLOR_KEYS):
        raise SettingsError(f"extra.cchc.colors chỉ nhận hai khóa: primary ({COLOR_KEYS['primary']}) và accent "
                            f"({COLOR_KEYS['accent']}) → Cách sửa: viết {example}")
    result = []
    for key, value in colors.items():
        if value is None:
            raise SettingsError(f"extra.cchc.colors.{key} không có giá trị → Cách sửa: mã màu bắt đầu bằng # phải "
                                f'đặt trong ngoặc kép (không thì YAML coi là chú thích), ví dụ {key}: "#8e1414"')
        text = str(value).strip()
        if not _HEX_COLOR.match(text):
            raise SettingsError(f"extra.cchc.colors.{key} “{value}” không phải mã màu → Cách sửa: dùng dạng "
                                f'"#rrggbb" trong ngoặc kép, ví dụ {key}: "#8e1414"')
        ratio = _contrast_with_white(text)
        if ratio < 4.5:
            raise SettingsError(f"extra.cchc.colors.{key} “{text}” quá nhạt: độ tương phản với màu trắng chỉ "
                                f"{ratio:.1f}:1 ({COLOR_KEYS[key]}), cần ít nhất 4.5:1 để người kém mắt đọc được "
                                "→ Cách sửa: chọn màu đậm hơn")
        result.append((key, text.lower()))
    return tuple(result)


def _share_image(options: Mapping[str, Any], docs_dir: Path | None) -> str:
    """`extra.cchc.share_image`: a PNG/JPEG in docs/ (Facebook, Zalo and Twitter show no SVG)."""
    image = str(options.get("share_image", "") or "").strip().lstrip("/")
    if not image:
        return ""
    if not image.lower().endswith((".png", ".jpg", ".jpeg")):
        raise SettingsError(f"extra.cchc.share_image “{image}” phải là ảnh PNG hoặc JPEG (Facebook, Zalo không hiện "
                            "ảnh SVG) → Cách sửa: dùng ảnh .png hoặc .jpg cỡ 1200×630, ví dụ assets/chia-se.png")
    if docs_dir is not None and not (Path(docs_dir) / image).is_file():
        raise SettingsError(f"extra.cchc.share_image: không tìm thấy tệp docs/{image} → Cách sửa: chép ảnh vào "
                            "thư mục docs/ (ví dụ docs/assets/) và ghi đường dẫn tính từ docs/")
    return image


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
