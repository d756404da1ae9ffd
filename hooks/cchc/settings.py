"""The site's configuration: every option of `extra.cchc` declared once, and one reader of
mkdocs.yml for every command.

Like Material's blog plugin declares its options in `config.py`, each option here has its key,
type, default and a Vietnamese description, and its value is checked by one function that
raises `SettingsError` with the key, what is wrong and how to fix it.  The engine adapter
builds `SiteSettings` from the configuration the engine loaded; the `cchc` commands (check,
report, build, publish) read mkdocs.yml with `read_project_config`.  Nothing else parses it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from .contact import Contact, ContactError, parse_contact
from .diagnostics import short
from .sanitize import DEFAULT_IFRAME_HOSTS, iframe_rules
from .search import SEARCH_STEP, SHARD_SIZE
from .time_limit import DEFAULT_SECONDS as DEFAULT_CONVERSION_SECONDS


class SettingsError(ValueError):
    """A configuration value that cannot work; the message says which key and how to fix it."""


@dataclass(frozen=True)
class Context:
    """What option checks may look at besides the value."""

    base_dir: Path  # the folder of mkdocs.yml
    docs_dir: Path | None
    theme_logo: str


@dataclass(frozen=True)
class Option:
    key: str  # under extra.cchc
    default: Any
    check: Callable[[Any, "Option", Context], Any]  # value as written → value used (or SettingsError)
    doc: str  # what it is, in Vietnamese (README and `cchc` messages quote it)

    @property
    def path(self) -> str:
        return f"extra.cchc.{self.key}"


# --- checks -----------------------------------------------------------------------------------
def _text(value: Any, option: Option, ctx: Context) -> str:
    if value is None:
        return option.default
    if isinstance(value, (dict, list)):
        raise SettingsError(f"{option.path} phải là một dòng văn bản, không phải danh sách")
    return str(value).strip()


def _positive_int(value: Any, option: Option, ctx: Context) -> int:
    if value is None:
        return option.default
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SettingsError(f"{option.path} phải là số nguyên dương, không phải “{short(value)}”")
    return value


def _content_dir(value: Any, option: Option, ctx: Context) -> Path:
    folder = Path(str(value if value is not None else option.default))
    return folder if folder.is_absolute() else (ctx.base_dir / folder).resolve()


def _iframe_hosts(value: Any, option: Option, ctx: Context) -> tuple[str, ...]:
    """"host/path-prefix" of each video player articles may embed."""
    if value is None:
        return DEFAULT_IFRAME_HOSTS
    if not isinstance(value, list) or not all(isinstance(h, str) for h in value):
        raise SettingsError(f"{option.path} phải là danh sách địa chỉ, ví dụ [www.youtube.com/embed/]")
    try:
        iframe_rules(value)
    except ValueError as exc:
        raise SettingsError(f"{option.path}: {short(str(exc), 200)}") from None
    return tuple(h.strip() for h in value)


# The brand colours (overrides/main.html turns them into Material's CSS variables;
# docs/assets/cchc.css has the defaults).  White header text sits on `primary`, and `accent` is
# the link colour on white: each must reach 4.5:1 against white (WCAG 1.4.3).
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


def _colors(value: Any, option: Option, ctx: Context) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    example = 'colors: {primary: "#8e1414", accent: "#0d47a1"}'
    if not isinstance(value, dict) or not value or set(value) - set(COLOR_KEYS):
        raise SettingsError(f"{option.path} chỉ nhận hai khóa: primary ({COLOR_KEYS['primary']}) và accent "
                            f"({COLOR_KEYS['accent']}) → Cách sửa: viết {example}")
    result = []
    for key, color in value.items():
        if color is None:
            raise SettingsError(f"{option.path}.{key} không có giá trị → Cách sửa: mã màu bắt đầu bằng # phải "
                                f'đặt trong ngoặc kép (không thì YAML coi là chú thích), ví dụ {key}: "#8e1414"')
        text = str(color).strip()
        if not _HEX_COLOR.match(text):
            raise SettingsError(f"{option.path}.{key} “{color}” không phải mã màu → Cách sửa: dùng dạng "
                                f'"#rrggbb" trong ngoặc kép, ví dụ {key}: "#8e1414"')
        ratio = _contrast_with_white(text)
        if ratio < 4.5:
            raise SettingsError(f"{option.path}.{key} “{text}” quá nhạt: độ tương phản với màu trắng chỉ "
                                f"{ratio:.1f}:1 ({COLOR_KEYS[key]}), cần ít nhất 4.5:1 để người kém mắt đọc được "
                                "→ Cách sửa: chọn màu đậm hơn")
        result.append((key, text.lower()))
    return tuple(result)


def _share_image(value: Any, option: Option, ctx: Context) -> str:
    """A PNG/JPEG in docs/ (Facebook, Zalo and Twitter show no SVG)."""
    image = str(value or "").strip().lstrip("/")
    if not image:
        return ""
    if not image.lower().endswith((".png", ".jpg", ".jpeg")):
        raise SettingsError(f"{option.path} “{image}” phải là ảnh PNG hoặc JPEG (Facebook, Zalo không hiện "
                            "ảnh SVG) → Cách sửa: dùng ảnh .png hoặc .jpg cỡ 1200×630, ví dụ assets/chia-se.png")
    if ctx.docs_dir is not None and not (Path(ctx.docs_dir) / image).is_file():
        raise SettingsError(f"{option.path}: không tìm thấy tệp docs/{image} → Cách sửa: chép ảnh vào "
                            "thư mục docs/ (ví dụ docs/assets/) và ghi đường dẫn tính từ docs/")
    return image


def _logo(value: Any, option: Option, ctx: Context) -> str:
    return str(value or ctx.theme_logo or "").lstrip("/")


RSS_IMAGE_SUFFIXES = (".png", ".gif", ".jpg", ".jpeg")


def _feed_image(value: Any, option: Option, ctx: Context) -> str:
    """Checked with the logo: see SiteSettings.from_mapping."""
    return str(value or "").lstrip("/")


# --- extra.cchc.publish: where `cchc publish` sends the site (cchc.publish) --------------------
# An SSH target: {host, port (22), user, path, key, keep (5), url, known_hosts}; a local
# target (a mounted folder of the web server): {path, keep, url}.  `url` is the public address
# the web server shows `path`/current at: it must equal the build's site_url.
PUBLISH_EXAMPLE = ("publish: {host: web.sgddt.example.gov.vn, user: cchc, path: /srv/cchc, "
                   "key: ~/.ssh/cchc_ed25519, url: https://sgddt.example.gov.vn/cchc/}")
PUBLISH_KEYS = ("host", "port", "user", "path", "key", "keep", "url", "known_hosts")


@dataclass(frozen=True)
class PublishTarget:
    path: str  # folder on the server (or the mounted folder) holding current and releases/
    url: str  # public address of the site served from path/current, ends with "/"
    host: str = ""  # "" → local target
    port: int = 22
    user: str = ""
    key: str = ""  # private key file ("" → ssh's own default keys / agent)
    keep: int = 5  # releases kept (the live one included), at least 2 so that --rollback has one
    known_hosts: str = ""  # "" → ~/.ssh/known_hosts

    @property
    def remote(self) -> bool:
        return bool(self.host)

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}:{self.path}" if self.remote else self.path


def _publish_error(what: str) -> SettingsError:
    return SettingsError(f"extra.cchc.publish: {what} → Cách sửa: ví dụ {PUBLISH_EXAMPLE}")


def publish_target(options: Mapping[str, Any], base_dir: Path) -> PublishTarget | None:
    return _publish(options.get("publish"), OPTION_KEYS["publish"], Context(Path(base_dir), None, ""))


def _publish(raw: Any, option: "Option", ctx: "Context") -> PublishTarget | None:
    base_dir = ctx.base_dir
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _publish_error("phải là một nhóm khóa host, user, path, key, url …")
    unknown = sorted(set(map(str, raw)) - set(PUBLISH_KEYS))
    if unknown:
        raise _publish_error(f"không biết khóa {', '.join(unknown)} (các khóa dùng được: {', '.join(PUBLISH_KEYS)})")

    def text(key: str) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise _publish_error(f"{key} phải là một chuỗi, không phải “{short(value)}”")
        return str(value).strip()

    path = text("path")
    if not path:
        raise _publish_error("thiếu path (thư mục trên máy chủ web chứa các bản xuất bản)")
    host = text("host")
    if host and not path.startswith("/"):
        raise _publish_error(f"path “{short(path)}” phải là đường dẫn tuyệt đối trên máy chủ, bắt đầu bằng /")
    if not host:
        local = Path(path).expanduser()
        path = str(local if local.is_absolute() else (base_dir / local).resolve())
    if host and (host.startswith("-") or any(c.isspace() for c in host) or "@" in host or "/" in host):
        raise _publish_error(f"host “{short(host)}” không hợp lệ: chỉ ghi tên máy hoặc địa chỉ IP (tên người dùng ghi ở user)")
    user = text("user")
    if host and not user:
        raise _publish_error("thiếu user (tài khoản SSH trên máy chủ)")
    if user and (user.startswith("-") or any(c.isspace() or c in "@:/" for c in user)):
        raise _publish_error(f"user “{short(user)}” không hợp lệ")
    if not host and (user or raw.get("key") or raw.get("port") is not None):
        raise _publish_error("có user/key/port mà không có host: thêm host (máy chủ SSH), hoặc bỏ các khóa đó nếu path là thư mục gắn sẵn trên máy này")
    port = raw.get("port", 22)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise _publish_error(f"port phải là số cổng 1–65535, không phải “{short(port)}”")
    keep = raw.get("keep", 5)
    if not isinstance(keep, int) or isinstance(keep, bool) or keep < 2:
        raise _publish_error(f"keep phải là số nguyên từ 2 trở lên (giữ bản đang chạy và ít nhất một bản để quay lại), không phải “{short(keep)}”")
    url = text("url")
    if not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", url):
        raise _publish_error(f"url “{short(url)}” phải là địa chỉ công khai đầy đủ của trang trên máy chủ này (http:// hoặc https://), "
                             "bằng đúng site_url" if url else "thiếu url: địa chỉ công khai của trang trên máy chủ này (bằng đúng site_url)")
    if not url.endswith("/"):
        url += "/"

    def local_file(key: str) -> str:
        value = text(key)
        if not value:
            return ""
        file = Path(value).expanduser()
        return str(file if file.is_absolute() else (base_dir / file).resolve())

    return PublishTarget(path=path.rstrip("/") or "/", url=url, host=host, port=port, user=user, key=local_file("key"),
                         keep=keep, known_hosts=local_file("known_hosts"))


# --- pictures (issue 15: cchc.pictures) ---------------------------------------------------------
IMAGE_WIDTH_RANGE = (160, 4000)
MAX_IMAGE_WIDTHS = 6


def _image_widths(value: Any, option: Option, ctx: Context) -> tuple[int, ...]:
    """The widths (pixels) each picture is published at (never wider than the original)."""
    if value is None:
        return option.default
    low, high = IMAGE_WIDTH_RANGE
    example = "image_widths: [480, 960, 1600]"
    if (not isinstance(value, list) or not value or len(value) > MAX_IMAGE_WIDTHS
            or not all(isinstance(w, int) and not isinstance(w, bool) and low <= w <= high for w in value)):
        raise SettingsError(f"{option.path} phải là danh sách 1–{MAX_IMAGE_WIDTHS} số nguyên từ {low} đến {high} "
                            f"(chiều rộng ảnh, điểm ảnh), không phải “{short(value)}” → Cách sửa: ví dụ {example}")
    return tuple(sorted(set(value)))
MAX_CONVERSION_SECONDS = 600


def _conversion_time_limit(value: Any, option: Option, ctx: Context) -> float:
    """CPU seconds one article body may take to convert; a body that takes longer stops the
    build with a message naming its file (cchc.time_limit)."""
    if value is None:
        return option.default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_CONVERSION_SECONDS:
        raise SettingsError(f"{option.path} phải là số giây lớn hơn 0 và không quá {MAX_CONVERSION_SECONDS}, "
                            f"không phải “{short(value)}” → Cách sửa: bỏ dòng này (mặc định {option.default:g} giây) "
                            "hoặc ghi một số, ví dụ 10")
    return float(value)


def _contact(value: Any, option: Option, ctx: Context) -> Any:
    """Checked with the department and province (the default agency name): the value as written
    here, the Contact made in SiteSettings.from_mapping (cchc.contact)."""
    return value


# --- the options --------------------------------------------------------------------------------
OPTIONS: tuple[Option, ...] = (
    Option("content_dir", "content", _content_dir, "thư mục nội dung (bài viết, kế hoạch, đơn vị)"),
    Option("department", "", _text, "tên cơ quan, ví dụ Sở Giáo dục và Đào tạo"),
    Option("province", "", _text, "tỉnh, ví dụ tỉnh Vĩnh Long"),
    Option("logo", "", _logo, "ảnh logo (mặc định: theme.logo)"),
    Option("feed_title", "", _text, "tên nguồn tin RSS/Atom của cả trang (mặc định: site_name)"),
    Option("feed_description", "", _text, "mô tả nguồn tin (mặc định: site_description)"),
    Option("feed_image", "", _feed_image, "ảnh GIF/JPEG/PNG của nguồn tin RSS (mặc định: logo dạng PNG)"),
    Option("page_size", 10, _positive_int, "số tin mỗi trang danh sách"),
    Option("feed_limit", 50, _positive_int, "số tin mới nhất trong mỗi nguồn tin"),
    Option("related_count", 5, _positive_int, "số tin liên quan dưới mỗi bài"),
    Option("search_shard_size", SHARD_SIZE, _positive_int, "số bài mỗi phần chỉ mục tìm kiếm (notes/search.md)"),
    Option("search_step", SEARCH_STEP, _positive_int, "số bài mới nhất tìm trước khi tìm tiếp (notes/search.md)"),
    Option("iframe_hosts", DEFAULT_IFRAME_HOSTS, _iframe_hosts,
           "trình phát video được nhúng bằng <iframe> (https, “máy/tiền-tố-đường-dẫn”)"),
    Option("colors", (), _colors, 'màu thương hiệu {primary: "#rrggbb", accent: "#rrggbb"}'),
    Option("share_image", "", _share_image, "ảnh PNG/JPEG 1200×630 khi chia sẻ trang không có ảnh riêng"),
    Option("image_widths", (480, 960, 1600), _image_widths,
           "chiều rộng (điểm ảnh) các bản ảnh được đăng, không lớn hơn ảnh gốc, ví dụ [480, 960, 1600]"),
    Option("conversion_time_limit", DEFAULT_CONVERSION_SECONDS, _conversion_time_limit,
           "số giây CPU tối đa để chuyển một bài sang HTML (mặc định 5)"),
    Option("contact", None, _contact, "cơ quan, địa chỉ, điện thoại, thư điện tử, giờ tiếp nhận hồ sơ, người chịu "
                                      "trách nhiệm nội dung, giấy phép (chân trang và trang Giới thiệu)"),
    Option("publish", None, _publish, "nơi `cchc publish` gửi trang: {host, port, user, path, key, keep, url, "
                                      "known_hosts} (máy chủ SSH) hoặc {path, keep, url} (thư mục gắn sẵn)"),
)
OPTION_KEYS = {option.key: option for option in OPTIONS}


@dataclass(frozen=True)
class SiteSettings:
    content_dir: Path
    site_url: str = ""  # absolute, ends with "/"; "" when not configured
    site_name: str = "Tin cải cách hành chính"
    description: str = ""
    department: str = ""
    province: str = ""
    logo: str = ""  # site-relative path of the logo image (default: the theme's logo)
    feed_title: str = ""
    feed_description: str = ""
    feed_image: str = ""  # GIF/JPEG/PNG for RSS <image> (RSS 2.0 allows no SVG); "" → none
    page_size: int = 10
    feed_limit: int = 50
    search_shard_size: int = SHARD_SIZE
    search_step: int = SEARCH_STEP
    related_count: int = 5
    preview: bool = False
    iframe_hosts: tuple[str, ...] = DEFAULT_IFRAME_HOSTS
    colors: tuple[tuple[str, str], ...] = ()  # as given (checked); theme CSS has the defaults
    share_image: str = ""  # as given (checked); overrides/main.html has the default
    publish: "PublishTarget | None" = None  # where `cchc publish` sends the site
    # --- pictures (issue 15) -------------------------------------------------------------------
    image_widths: tuple[int, ...] = (480, 960, 1600)  # widths of the published pictures (cchc.pictures)
    conversion_time_limit: float = DEFAULT_CONVERSION_SECONDS  # CPU seconds per article body (cchc.time_limit)
    # The department's contact block (cchc.contact): in every page's footer and on the about
    # page; None when not configured.
    contact: Contact | None = None

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any] | None, *, base_dir: Path, site_url: str | None,
                     site_name: str = "", description: str = "", preview: bool = False,
                     theme_logo: str = "", docs_dir: Path | None = None) -> "SiteSettings":
        """Settings from `extra.cchc` (`options`) and the engine's own values; SettingsError
        names the first option that cannot work."""
        options = dict(options or {})
        unknown = [key for key in options if key not in OPTION_KEYS]
        if unknown:
            from .datafile import suggest

            key = str(unknown[0])
            guess = suggest(key, list(OPTION_KEYS))
            raise SettingsError(f"extra.cchc.{short(key)} không phải tùy chọn của trang"
                                + (f" → có phải ý bạn là “{guess}”?" if guess else "")
                                + f" Các tùy chọn: {', '.join(OPTION_KEYS)}")
        ctx = Context(base_dir=Path(base_dir), docs_dir=Path(docs_dir) if docs_dir else None, theme_logo=theme_logo)
        values = {option.key: option.check(options.get(option.key), option, ctx) for option in OPTIONS}
        values["feed_image"] = _default_feed_image(values["feed_image"], values["logo"], ctx.docs_dir)
        try:
            values["contact"] = parse_contact(values["contact"],
                                              default_agency=f"{values['department']} {values['province']}")
        except ContactError as exc:
            raise SettingsError(str(exc)) from None
        url = (site_url or "").strip()
        if url and not url.endswith("/"):
            url += "/"
        known = {f.name for f in fields(cls)}
        return cls(site_url=url, site_name=site_name or cls.site_name, description=description or "",
                   preview=preview, **{k: v for k, v in values.items() if k in known})

    def absolute(self, url: str) -> str:
        """Absolute URL of a site-relative one (requires site_url)."""
        if not self.site_url:
            raise SettingsError("chưa khai báo site_url trong mkdocs.yml: cần địa chỉ đầy đủ của trang, ví dụ https://sgddt.example.gov.vn/cchc/")
        return self.site_url + url.lstrip("/")


def _default_feed_image(explicit: str, logo: str, docs_dir: Path | None) -> str:
    """The RSS channel image: `feed_image`, else the logo when it is a GIF/JPEG/PNG, else a PNG
    copy beside an SVG logo in docs/ (assets/logo.svg → assets/logo.png), else none."""
    if explicit:
        return explicit
    if logo.lower().endswith(RSS_IMAGE_SUFFIXES):
        return logo
    if logo and docs_dir is not None:
        png = Path(logo).with_suffix(".png").as_posix()
        if (Path(docs_dir) / png).is_file():
            return png
    return ""


# --- mkdocs.yml, for the commands ---------------------------------------------------------------
@dataclass(frozen=True)
class ProjectConfig:
    """mkdocs.yml as the `cchc` commands need it (the engine reads it by itself for builds)."""

    path: Path
    data: Mapping[str, Any]

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def site_url(self) -> str:
        url = str(self.data.get("site_url") or "").strip()
        return url if not url or url.endswith("/") else url + "/"

    @property
    def options(self) -> Mapping[str, Any]:
        extra = self.data.get("extra")
        options = extra.get("cchc") if isinstance(extra, Mapping) else None
        return options if isinstance(options, Mapping) else {}

    def folder(self, key: str, default: str) -> Path:
        folder = Path(str(self.data.get(key) or default))
        return (folder if folder.is_absolute() else self.base_dir / folder).resolve()

    @property
    def docs_dir(self) -> Path:
        return self.folder("docs_dir", "docs")

    @property
    def site_dir(self) -> Path:
        return self.folder("site_dir", "site")

    @property
    def content_dir(self) -> Path:
        return _content_dir(self.options.get("content_dir"), OPTION_KEYS["content_dir"], Context(self.base_dir, None, ""))

    def settings(self, preview: bool = False) -> SiteSettings:
        theme = self.data.get("theme")
        return SiteSettings.from_mapping(
            self.options, base_dir=self.base_dir, site_url=self.site_url,
            site_name=str(self.data.get("site_name") or ""), description=str(self.data.get("site_description") or ""),
            preview=preview, theme_logo=str(theme.get("logo") or "") if isinstance(theme, Mapping) else "",
            docs_dir=self.docs_dir)


def read_project_config(path: Path) -> ProjectConfig:
    """mkdocs.yml read as MkDocs reads it: `!ENV` tags take their environment value (or default),
    other Python tags are ignored.  SettingsError (Vietnamese) if it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"không tìm thấy tệp cấu hình {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"không đọc được {path}: {exc}") from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise SettingsError(f"{path.name}{where}: không phải YAML hợp lệ → Cách sửa: kiểm tra thụt lề và dấu hai chấm") from None
    return ProjectConfig(path=path.resolve(), data=data if isinstance(data, dict) else {})


class _ConfigLoader(yaml.SafeLoader):
    pass


def _env_tag(loader, node):
    """`!ENV VAR` or `!ENV [VAR, OTHER, default]`, as MkDocs (pyyaml-env-tag) reads it."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = [str(i) for i in items[:-1]] or [str(items[0])], items[-1] if len(items) > 1 else None
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else os.environ[name]
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def project_iframe_hosts(content_dir: Path) -> tuple[str, ...]:
    """The iframe hosts configured in the mkdocs.yml beside a content folder (for `cchc check`)."""
    try:
        config = read_project_config(Path(content_dir).resolve().parent / "mkdocs.yml")
        return _iframe_hosts(config.options.get("iframe_hosts"), OPTION_KEYS["iframe_hosts"],
                             Context(config.base_dir, None, ""))
    except SettingsError:
        return DEFAULT_IFRAME_HOSTS
