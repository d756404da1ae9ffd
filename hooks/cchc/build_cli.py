"""`cchc build`: build the site into a temporary folder and publish it only when complete.

    cchc build [--engine mkdocs|properdocs] [-f mkdocs.yml] [--site-dir site] [--build-date …]

The engine (MkDocs, or its maintained fork ProperDocs: same hooks, same output) writes into
`.site-tmp-<pid>-…` beside `site/`.  Only when it succeeded is the new folder swapped with
`site/` in one rename (Linux `renameat2(RENAME_EXCHANGE)`, else two renames with signals held
back), so a failed or interrupted build (Ctrl-C, SIGTERM) leaves the previous site complete
and removes its temporary folder.  Nothing under content/ or docs/ is ever written.

The engine's output is passed through `cchc_mkdocs.console` (Vietnamese, no traceback: an error
inside the engine becomes one message, its detail written to .cache/loi-gan-nhat.txt).  Before
anything is built, the output folder is checked writable; after the swap, an old site that
cannot be removed is left aside with a warning (the new site is published all the same).

    cchc serve [-a 127.0.0.1:8000] [-f mkdocs.yml] [--engine …]

runs the engine's live preview (`serve --dirty --livereload`) with the same translated output.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from . import build_manifest
from .buildcache.files import pid_alive
from .dates import VN_TZ, BuildDateError, checked_build_time, parse_build_date, parse_source_date_epoch
from .precompress import precompress_tree

ENGINES = ("mkdocs", "properdocs")
_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


class BuildFailed(Exception):
    """A problem to tell staff (Vietnamese); the exit status goes with it."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


class Interrupted(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _say(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
    except UnicodeEncodeError:  # pragma: no cover - terminal without UTF-8
        sys.stderr.write(text.encode("ascii", "replace").decode() + "\n")
    sys.stderr.flush()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _project(config_path: Path):
    from .settings import SettingsError, read_project_config

    try:
        return read_project_config(config_path)
    except SettingsError as exc:
        raise BuildFailed(str(exc), 2) from None


def site_target(config_path: Path, site_dir: str | None = None) -> Path:
    """The folder to publish into, refused when replacing it could touch the sources."""
    config = _project(config_path)
    base = config.base_dir
    target = Path(site_dir) if site_dir else config.site_dir
    target = (target if target.is_absolute() else base / target).resolve()
    for folder in (config.docs_dir, config.content_dir):
        folder = folder.resolve()
        if _inside(target, folder) or _inside(folder, target):
            raise BuildFailed(f"thư mục xuất bản {target} trùng hoặc chứa thư mục nguồn {folder}: "
                              "không ghi đè được; đặt site_dir là một thư mục riêng, ví dụ site", 2)
    if _inside(base, target):
        raise BuildFailed(f"thư mục xuất bản {target} chứa cả dự án: đặt site_dir là một thư mục riêng, ví dụ site", 2)
    if target.exists() and not target.is_dir():
        raise BuildFailed(f"{target} đã có và không phải thư mục: không ghi đè", 2)
    return target


def check_writable(target: Path) -> None:
    """The new site can be built beside `target` and swapped in: its parent folder (and the old
    site, if any) accept a new file.  Checked before anything is built."""
    from .failures import describe

    for folder in (target.parent, target) if target.exists() else (target.parent,):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".cchc-probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise BuildFailed(describe(exc), 1) from None


def engine_command(engine: str) -> str:
    local = Path(sys.executable).parent / engine
    if local.is_file():
        return str(local)
    found = shutil.which(engine)
    if not found:
        raise BuildFailed(f"không tìm thấy chương trình “{engine}”; cài bằng: pip install -e . "
                          + ("(ProperDocs: pip install -e '.[test]')" if engine == "properdocs" else ""), 2)
    return found


def remove_stale(target: Path) -> None:
    """Temporary folders of builds that were killed outright (SIGKILL, power cut)."""
    for prefix in (f".{target.name}-tmp-", f".{target.name}-old-"):
        for folder in target.parent.glob(prefix + "*"):
            pid = folder.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not pid_alive(int(pid)) and folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def publish(new: Path, target: Path) -> str | None:
    """Put the complete build `new` at `target`; the old site is removed afterwards.

    At every instant `target` is either the whole old site or the whole new one (with
    renameat2), or missing for the time between two renames (elsewhere).  Returns a warning when
    the old site could not be removed (it is left aside; the next build removes it).
    """
    if not target.exists():
        os.rename(new, target)
        return None
    if _exchange(new, target):
        return _remove_old(new, target)  # `new` is now the old site
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)  # put the previous site back before reporting the problem
        raise
    return _remove_old(old, target)


def _remove_old(old: Path, target: Path) -> str | None:
    try:
        shutil.rmtree(old)
        return None
    except OSError as exc:
        aside = old
        if not old.name.startswith(f".{target.name}-old-"):
            aside = old.with_name(f".{target.name}-old-{os.getpid()}-{old.name.rsplit('-', 1)[-1]}")
            try:
                os.rename(old, aside)
            except OSError:
                aside = old
        return (f"trang mới đã xuất bản, nhưng không xóa được bản cũ ở {aside} ({exc.strerror}: {exc.filename}); "
                "lần dựng sau sẽ thử xóa lại, hoặc xóa tay thư mục đó")


@contextlib.contextmanager
def _signals_held():
    if hasattr(signal, "pthread_sigmask"):
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    else:  # pragma: no cover
        yield


def check_build_date(build_date: str | None) -> None:
    """The build's "now" (--build-date, else CCHC_BUILD_DATE / SOURCE_DATE_EPOCH) must be usable
    before the engine starts: otherwise the engine stops on it with a traceback.

    SOURCE_DATE_EPOCH is checked even when another value fixes "now": the engine itself reads it
    (MkDocs' build date), and stops on any value that is not a whole number, even an empty one."""
    try:
        if build_date:
            parse_build_date(build_date, "--build-date")
            if "SOURCE_DATE_EPOCH" in os.environ:
                parse_source_date_epoch(os.environ["SOURCE_DATE_EPOCH"])
        else:
            checked_build_time()
    except BuildDateError as exc:
        raise BuildFailed(str(exc), 2) from None


def build(config_path: Path, *, engine: str = "mkdocs", site_dir: str | None = None, strict: bool = False,
          quiet: bool = False, build_date: str | None = None) -> tuple[Path, str | None]:
    """Run the engine into a temporary folder, then publish it: (target, warning or None);
    raises BuildFailed/Interrupted, after which the previous site is as it was."""
    from cchc_mkdocs.console import run_engine

    from .buildcache import default_root
    from .failures import describe, folder_size

    check_build_date(build_date)
    if engine not in ENGINES:
        raise BuildFailed(f"không biết công cụ “{engine}”; dùng một trong: {', '.join(ENGINES)}", 2)
    config_path = config_path.resolve()
    if not config_path.is_file():
        raise BuildFailed(f"không tìm thấy tệp cấu hình {config_path}", 2)
    target = site_target(config_path, site_dir)
    command = [engine_command(engine), "build", "--config-file", str(config_path)]
    check_writable(target)
    record = _BuildRecord(config_path, engine)  # for cchc publish: what this build read
    remove_stale(target)
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")  # ProperDocs' own notice
    if build_date:
        env["CCHC_BUILD_DATE"] = build_date
    cache = default_root(config_path.parent)

    def needed() -> int | None:  # about what a build needs: the last site, plus a tenth
        size = folder_size(target) if target.is_dir() else 0
        return size + size // 10 if size else None

    temp: Path | None = None
    state = {"settled": False}  # True once the outcome is decided (published, or cleaning up)

    def on_signal(signum, _frame):
        if state["settled"]:  # the new site is in place, or cleanup is running: let it finish
            return
        raise Interrupted(signum)

    # Signal handlers can only be set from the main thread (a library caller may use another).
    in_main = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, on_signal) for s in _SIGNALS} if in_main else {}
    try:
        try:
            temp = Path(tempfile.mkdtemp(prefix=f".{target.name}-tmp-{os.getpid()}-", dir=target.parent))
            os.chmod(temp, 0o777 & ~_umask())  # mkdtemp makes it private; the web server must read it
        except OSError as exc:
            raise BuildFailed(describe(exc, needed=needed()), 1) from None
        command += ["--site-dir", str(temp)]
        if strict:
            command.append("--strict")
        if quiet:
            command.append("--quiet")
        status, _ = run_engine(command, cwd=config_path.parent, env=env, log_dir=cache, needed=needed)
        if status != 0:
            record.failed(target, status)
            raise BuildFailed(f"xây dựng trang không thành công; {_rel(target)}/ giữ nguyên bản cũ, "
                              "chưa xuất bản gì. Sửa các lỗi ở trên rồi chạy lại.", 1)
        if not (temp / "index.html").is_file():
            record.failed(target, status)
            raise BuildFailed(f"bản dựng không có index.html; {_rel(target)}/ giữ nguyên bản cũ.", 1)
        try:
            record.complete(temp, env)
        except OSError as exc:
            record.failed(target, 1)
            raise BuildFailed(describe(exc, needed=needed()), 1) from None
        with _signals_held():
            try:
                warning = publish(temp, target)
            except OSError as exc:
                raise BuildFailed(describe(exc, needed=needed()), 1) from None
            state["settled"] = True
        build_manifest.clear_failure(target)
        temp = None
        return target, warning
    finally:
        state["settled"] = True
        if temp is not None:
            with _signals_held():
                shutil.rmtree(temp, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)


class _BuildRecord:
    """Pre-compressed copies and the build manifest (cchc.precompress, cchc.build_manifest),
    for `cchc publish`; kept apart from the engine run so the adapter may take them over."""

    def __init__(self, config_path: Path, engine: str):
        import datetime as dt

        self.config_path = config_path
        self.engine = engine
        self.config = _project(config_path).data
        self.started = dt.datetime.now(VN_TZ)  # before reading: an edit during the build is newer
        self.state = build_manifest.source_state(self.config, config_path)

    def complete(self, site: Path, env: dict) -> None:
        from .buildcache import BuildCache, default_root

        cache = BuildCache(default_root(self.config_path.parent), warn=lambda message: _say(f"Cảnh báo: {message}"))
        try:
            precompress_tree(site, cache.blobs("gzip", keep_seconds=0))
        finally:
            cache.close()
        site_url = self.config.get("site_url")
        build_manifest.write_manifest(site, state=self.state, started=self.started, engine=self.engine,
                                      site_url=site_url if isinstance(site_url, str) else "")

    def failed(self, target: Path, status: int) -> None:
        import datetime as dt

        build_manifest.record_failure(target, dt.datetime.now(VN_TZ), status)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _rel(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def cmd_build(args) -> int:
    from .cli import find_project

    config = Path(args.config_file) if args.config_file else find_project() / "mkdocs.yml"
    try:
        target, warning = build(config, engine=args.engine, site_dir=args.site_dir, strict=args.strict,
                                quiet=args.quiet, build_date=args.build_date)
    except BuildFailed as exc:
        _say(f"Lỗi: {exc}")
        return exc.status
    except Interrupted as exc:
        _say(f"Đã dừng xây dựng trang (tín hiệu {signal.Signals(exc.signum).name}); "
             "thư mục xuất bản giữ nguyên bản cũ, chưa xuất bản gì.")
        return 128 + exc.signum
    if warning:
        _say(f"Cảnh báo: {warning}")
    _say(_final_message(target, config))
    return 0


def cmd_serve(args) -> int:
    """The live preview: the engine's `serve --dirty --livereload`, its output in Vietnamese."""
    from cchc_mkdocs.console import run_engine

    from .buildcache import default_root
    from .cli import find_project

    config = (Path(args.config_file) if args.config_file else find_project() / "mkdocs.yml").resolve()
    if not config.is_file():
        _say(f"Lỗi: không tìm thấy tệp cấu hình {config}")
        return 2
    try:
        check_build_date(None)
        command = [engine_command(args.engine), "serve", "--dirty", "--livereload", "--config-file", str(config),
                   "--dev-addr", args.dev_addr]
    except BuildFailed as exc:
        _say(f"Lỗi: {exc}")
        return exc.status
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    try:
        status, _ = run_engine(command, cwd=config.parent, env=env, log_dir=default_root(config.parent))
    except KeyboardInterrupt:
        _say("Đã dừng bản xem thử.")
        return 0
    return status


def _final_message(target: Path, config_path: Path) -> str:
    """Where the site went and which drafts it left out (cchc.build_summary)."""
    from . import build_summary

    try:
        folder = _project(config_path.resolve()).content_dir
    except BuildFailed:
        folder = None
    return build_summary.summary(_rel(target), folder, Path.cwd())


def register(subparsers) -> None:
    parser = subparsers.add_parser("build", help="xây dựng trang vào site/ (chỉ thay khi xây dựng xong trọn vẹn)")
    parser.add_argument("-f", "--config-file", metavar="TỆP", help="tệp cấu hình (mặc định: mkdocs.yml của dự án)")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs", help="công cụ xây dựng (mặc định: mkdocs)")
    parser.add_argument("--site-dir", metavar="THƯ_MỤC", help="thư mục xuất bản (mặc định: site_dir trong cấu hình, thường là site)")
    parser.add_argument("--strict", action="store_true", help="coi cảnh báo của công cụ là lỗi")
    parser.add_argument("-q", "--quiet", action="store_true", help="chỉ in lỗi và cảnh báo")
    parser.add_argument("--build-date", metavar="NGÀY_GIỜ", help="thời điểm coi là “bây giờ” (YYYY-MM-DD HH:MM), để dựng lại đúng một bản cũ")
    parser.set_defaults(func=cmd_build)
    serve = subparsers.add_parser("serve", help="xem thử trang trên máy (tự dựng lại khi lưu tệp)")
    serve.add_argument("-f", "--config-file", metavar="TỆP", help="tệp cấu hình (mặc định: mkdocs.yml của dự án)")
    serve.add_argument("-a", "--dev-addr", metavar="ĐỊA_CHỈ", default="127.0.0.1:8000",
                       help="địa chỉ xem thử (mặc định 127.0.0.1:8000)")
    serve.add_argument("--engine", choices=ENGINES, default="mkdocs", help="công cụ xây dựng (mặc định: mkdocs)")
    serve.set_defaults(func=cmd_serve)
