"""`cchc publish`: send the last complete build to the web server (cchc.publish); `cchc nginx`:
the web server's configuration for this site (cchc.nginx_conf).

    cchc publish              upload site/ as a new release and switch the live site to it
    cchc publish --dry-run    list what would be added, changed and removed; change nothing
    cchc publish --rollback   switch the live site back to the previous release
    cchc nginx [--root DIR] [--output FILE]

Exit status: 0 done, 1 refused or failed (the live site as it was), 2 configuration error,
128+N stopped by signal N (the live site as it was).
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from .build_cli import BuildFailed, site_target
from .settings import SettingsError, publish_target, read_project_config

CONFIG_HINT = ("thêm vào mkdocs.yml, dưới extra: cchc:, ví dụ\n"
               "      publish:\n"
               "        host: web.sgddt.example.gov.vn   # máy chủ web (bỏ host nếu path là thư mục gắn sẵn trên máy này)\n"
               "        user: cchc                       # tài khoản SSH\n"
               "        key: ~/.ssh/cchc_ed25519         # tệp khóa SSH\n"
               "        path: /srv/cchc                  # thư mục trên máy chủ: nginx đọc path/current\n"
               "        url: https://sgddt.example.gov.vn/cchc/   # địa chỉ công khai, bằng site_url\n"
               "    (xem phần “Xuất bản lên máy chủ” trong docs/huong-dan.md)")


def _say(text: str, stream=None) -> None:
    stream = stream or sys.stderr
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:  # pragma: no cover - terminal without UTF-8
        stream.write(text.encode("ascii", "replace").decode() + "\n")
    stream.flush()


def _out(text: str) -> None:
    _say(text, sys.stdout)


def load_target(config_path: Path):
    """(parsed mkdocs.yml, PublishTarget) or SettingsError/BuildFailed with a message."""
    if not config_path.is_file():
        raise BuildFailed(f"không tìm thấy tệp cấu hình {config_path}", 2)
    project = read_project_config(config_path)
    config = dict(project.data)
    target = publish_target(project.options, project.base_dir)
    if target is None:
        raise BuildFailed(f"chưa khai báo nơi xuất bản (extra.cchc.publish) trong {config_path.name} → Cách sửa: {CONFIG_HINT}", 2)
    return config, target


class _Stop(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum, _frame):
    raise _Stop(signum)


def cmd_publish(args) -> int:
    from . import publish
    from .cli import find_project

    config_path = (Path(args.config_file) if args.config_file else find_project() / "mkdocs.yml").resolve()
    previous = {}
    if sys.platform != "win32":
        previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        config, target = load_target(config_path)
        if args.rollback:
            old, new = publish.rollback(target)
            _say(f"Đã quay lại bản {new} (bản {old} được giữ lại với đuôi .rolled-back đến lần xuất bản sau).")
            _out(f"Trang đang chạy: {target.url}")
            return 0
        site = site_target(config_path, args.site_dir)
        build = publish.check_build(site, config, config_path, target)
        if args.dry_run:
            return _dry_run(publish, build, target)
        outcome = publish.publish(build, target, bwlimit=args.bwlimit, say=_say)
        stats = outcome.stats
        if args.verbose:
            for name in outcome.sent_files:
                _out(f"  ↑ {name}")
        _say(f"Đã gửi {stats.get('files_sent', len(outcome.sent_files))} tệp "
             f"({publish._mb(stats.get('bytes_sent', 0))}); các tệp không đổi được dùng lại từ bản trước.")
        if outcome.removed_releases:
            _say(f"Đã dọn {len(outcome.removed_releases)} bản cũ hoặc dở dang (giữ {target.keep} bản gần nhất).")
        _say(f"Đã xuất bản bản {outcome.release} lên {target.label} và kiểm tra từng byte trang chủ, tin mới nhất, "
             "nguồn tin, tệp tìm kiếm.")
        _out(f"Trang đang chạy: {target.url}")
        return 0
    except (SettingsError,) as exc:
        _say(f"Lỗi: {exc}")
        return 2
    except BuildFailed as exc:
        _say(f"Lỗi: {exc}")
        return exc.status
    except publish.PublishError as exc:
        _say(f"Lỗi: {exc}")
        return exc.status
    except (KeyboardInterrupt, _Stop) as exc:
        signum = exc.signum if isinstance(exc, _Stop) else signal.SIGINT
        _say(f"Đã dừng xuất bản (tín hiệu {signal.Signals(signum).name}); trang đang chạy giữ nguyên bản cũ. "
             "Chạy lại cchc publish để xuất bản (phần đã tải lên được dùng lại).")
        return 128 + signum
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _dry_run(publish, build, target) -> int:
    transport = publish.transport_for(target)
    state = publish.read_state(transport)
    changes = publish.compare_with_live(transport, build, state)
    live = f"bản đang chạy {state.live}" if state.live else "chưa có bản nào đang chạy"
    _out(f"Xuất bản thử tới {target.label} ({live}); không thay đổi gì trên máy chủ.")
    for title, sign, names in (("Thêm", "+", changes.added), ("Sửa", "~", changes.changed), ("Xóa", "-", changes.removed)):
        _out(f"{title} ({len(names)} tệp):")
        for name in names:
            _out(f"  {sign} {name}")
    _out(f"Cần tải lên {publish._mb(changes.upload_bytes)}"
         + (f"; máy chủ còn trống {publish._mb(state.avail_bytes)}." if state.avail_bytes is not None else "."))
    try:
        publish.check_space(state, changes, target)
    except publish.PublishError as exc:
        _say(f"Lỗi: {exc}")
        return 1
    return 0


DEFAULT_ROOT = "/srv/cchc/current"


def nginx_config(config_path: Path, root: str | None = None) -> str:
    """The nginx configuration for the site of `config_path` (see cchc.nginx_conf)."""
    from . import nginx_conf

    if not config_path.is_file():
        raise BuildFailed(f"không tìm thấy tệp cấu hình {config_path}", 2)
    project = read_project_config(config_path)
    options = project.options
    site_url = str(project.data.get("site_url") or "")
    if not site_url:
        raise BuildFailed("chưa khai báo site_url trong mkdocs.yml: cần địa chỉ đầy đủ của trang, ví dụ "
                          "https://sgddt.example.gov.vn/cchc/", 2)
    if root is None:
        target = publish_target(options, project.base_dir)
        root = f"{target.path}/current" if target is not None and target.remote else DEFAULT_ROOT
    hosts = project.settings().iframe_hosts
    return nginx_conf.render(site_url=site_url, root=root, iframe_hosts=hosts, source=config_path.name)


def cmd_nginx(args) -> int:
    from .cli import find_project

    config_path = (Path(args.config_file) if args.config_file else find_project() / "mkdocs.yml").resolve()
    try:
        text = nginx_config(config_path, args.root)
    except SettingsError as exc:
        _say(f"Lỗi: {exc}")
        return 2
    except BuildFailed as exc:
        _say(f"Lỗi: {exc}")
        return exc.status
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            _say(f"Lỗi: không ghi được {args.output}: {exc.strerror}")
            return 1
        _say(f"Đã ghi cấu hình nginx vào {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("publish", help="xuất bản bản dựng site/ lên máy chủ web (extra.cchc.publish)")
    parser.add_argument("-f", "--config-file", help="tệp cấu hình (mặc định: mkdocs.yml của dự án)")
    parser.add_argument("--site-dir", help="thư mục bản dựng (mặc định: site_dir trong cấu hình, thường là site)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="chỉ liệt kê tệp sẽ thêm, sửa, xóa; không thay đổi gì")
    mode.add_argument("--rollback", action="store_true", help="quay lại bản xuất bản trước")
    parser.add_argument("-v", "--verbose", action="store_true", help="liệt kê từng tệp đã gửi")
    parser.add_argument("--bwlimit", type=int, metavar="KB/s", help="giới hạn tốc độ tải lên (KB/giây), cho mạng chậm")
    parser.set_defaults(func=cmd_publish)

    nginx = subparsers.add_parser("nginx", help="in cấu hình nginx cho trang (đường dẫn, thư mục current, tiêu đề bảo mật)")
    nginx.add_argument("-f", "--config-file", help="tệp cấu hình (mặc định: mkdocs.yml của dự án)")
    nginx.add_argument("--root", help=f"thư mục current trên máy chủ (mặc định: path của extra.cchc.publish + /current, "
                                      f"hoặc {DEFAULT_ROOT})")
    nginx.add_argument("-o", "--output", help="ghi vào tệp này thay vì in ra màn hình")
    nginx.set_defaults(func=cmd_nginx)
