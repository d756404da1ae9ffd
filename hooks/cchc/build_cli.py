"""`cchc build`: build the site into a temporary folder and publish it only when complete.

    cchc build [--engine mkdocs|properdocs] [-f mkdocs.yml] [--site-dir site] [--build-date …]

The engine (MkDocs, or its maintained fork ProperDocs: same hooks, same output) writes into
`.site-tmp-<pid>-…` beside `site/`.  Only when it succeeded is the new folder swapped with
`site/` in one rename (Linux `renameat2(RENAME_EXCHANGE)`, else two renames with signals held
back), so a failed or interrupted build (Ctrl-C, SIGTERM) leaves the previous site complete
and removes its temporary folder.  Nothing under content/ or docs/ is ever written.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .dates import BuildDateError, checked_build_time, parse_build_date, parse_source_date_epoch

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


def _read_config(path: Path) -> dict:
    import yaml

    class _Loader(yaml.SafeLoader):  # mkdocs.yml may hold !ENV or !!python/name tags
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildFailed(f"không đọc được {path}: {exc}", 2) from None
    return data if isinstance(data, dict) else {}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def site_target(config_path: Path, site_dir: str | None = None) -> Path:
    """The folder to publish into, refused when replacing it could touch the sources."""
    config = _read_config(config_path)
    base = config_path.parent.resolve()
    target = Path(site_dir or config.get("site_dir") or "site")
    target = (target if target.is_absolute() else base / target).resolve()
    extra = (config.get("extra") or {}).get("cchc") or {} if isinstance(config.get("extra"), dict) else {}
    protected = [base / str(config.get("docs_dir") or "docs")]
    content_dir = Path(str(extra.get("content_dir") or "content")) if isinstance(extra, dict) else Path("content")
    protected.append(content_dir if content_dir.is_absolute() else base / content_dir)
    for folder in protected:
        folder = folder.resolve()
        if _inside(target, folder) or _inside(folder, target):
            raise BuildFailed(f"thư mục xuất bản {target} trùng hoặc chứa thư mục nguồn {folder}: "
                              "không ghi đè được; đặt site_dir là một thư mục riêng, ví dụ site", 2)
    if _inside(base, target):
        raise BuildFailed(f"thư mục xuất bản {target} chứa cả dự án: đặt site_dir là một thư mục riêng, ví dụ site", 2)
    if target.exists() and not target.is_dir():
        raise BuildFailed(f"{target} đã có và không phải thư mục: không ghi đè", 2)
    return target


def engine_command(engine: str) -> str:
    local = Path(sys.executable).parent / engine
    if local.is_file():
        return str(local)
    found = shutil.which(engine)
    if not found:
        raise BuildFailed(f"không tìm thấy chương trình “{engine}”; cài bằng: pip install -e . "
                          + ("(ProperDocs: pip install -e '.[test]')" if engine == "properdocs" else ""), 2)
    return found


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    return True


def remove_stale(target: Path) -> None:
    """Temporary folders of builds that were killed outright (SIGKILL, power cut)."""
    for prefix in (f".{target.name}-tmp-", f".{target.name}-old-"):
        for folder in target.parent.glob(prefix + "*"):
            pid = folder.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _pid_alive(int(pid)) and folder.is_dir() and not folder.is_symlink():
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


def publish(new: Path, target: Path) -> None:
    """Put the complete build `new` at `target`; the old site is removed afterwards.

    At every instant `target` is either the whole old site or the whole new one (with
    renameat2), or missing for the time between two renames (elsewhere).
    """
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # now the old site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-{os.getpid()}-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)  # put the previous site back before reporting the problem
        raise
    shutil.rmtree(old, ignore_errors=True)


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
          quiet: bool = False, build_date: str | None = None) -> Path:
    """Run the engine into a temporary folder, then publish it; raises BuildFailed/Interrupted."""
    check_build_date(build_date)
    if engine not in ENGINES:
        raise BuildFailed(f"không biết công cụ “{engine}”; dùng một trong: {', '.join(ENGINES)}", 2)
    config_path = config_path.resolve()
    if not config_path.is_file():
        raise BuildFailed(f"không tìm thấy tệp cấu hình {config_path}", 2)
    target = site_target(config_path, site_dir)
    command = [engine_command(engine), "build", "--config-file", str(config_path)]
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if build_date:
        env["CCHC_BUILD_DATE"] = build_date

    temp: Path | None = None
    process: subprocess.Popen | None = None
    state = {"settled": False}  # True once the outcome is decided (published, or cleaning up)

    def on_signal(signum, _frame):
        if state["settled"]:  # the new site is in place, or cleanup is running: let it finish
            return
        raise Interrupted(signum)

    # Signal handlers can only be set from the main thread (a library caller may use another).
    in_main = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, on_signal) for s in _SIGNALS} if in_main else {}
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}-tmp-{os.getpid()}-", dir=target.parent))
        os.chmod(temp, 0o777 & ~_umask())  # mkdtemp makes it private; the web server must read it
        command += ["--site-dir", str(temp)]
        if strict:
            command.append("--strict")
        if quiet:
            command.append("--quiet")
        # Own session: a terminal's Ctrl-C reaches only us, and we stop the engine ourselves.
        process = subprocess.Popen(command, env=env, cwd=config_path.parent, start_new_session=True)
        status = process.wait()
        process = None
        if status != 0:
            raise BuildFailed(f"xây dựng trang không thành công (mã {status}); {_rel(target)}/ giữ nguyên bản cũ, "
                              "chưa xuất bản gì. Sửa các lỗi ở trên rồi chạy lại.", 1)
        if not (temp / "index.html").is_file():
            raise BuildFailed(f"bản dựng không có index.html; {_rel(target)}/ giữ nguyên bản cũ.", 1)
        with _signals_held():
            publish(temp, target)
            state["settled"] = True
        temp = None
        return target
    finally:
        state["settled"] = True
        if process is not None:
            _stop(process)
        if temp is not None:
            with _signals_held():
                shutil.rmtree(temp, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stop(process: subprocess.Popen) -> None:
    with _signals_held():
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - engine ignores SIGTERM
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _rel(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def cmd_build(args) -> int:
    from .cli import find_project

    config = Path(args.config_file) if args.config_file else find_project() / "mkdocs.yml"
    try:
        target = build(config, engine=args.engine, site_dir=args.site_dir, strict=args.strict,
                       quiet=args.quiet, build_date=args.build_date)
    except BuildFailed as exc:
        _say(f"Lỗi: {exc}")
        return exc.status
    except OSError as exc:  # e.g. the disk is full or site/ is on another file system
        _say(f"Lỗi: không thay được thư mục xuất bản: {exc}")
        return 1
    except Interrupted as exc:
        _say(f"Đã dừng xây dựng trang (tín hiệu {signal.Signals(exc.signum).name}); "
             "thư mục xuất bản giữ nguyên bản cũ, chưa xuất bản gì.")
        return 128 + exc.signum
    _say(_final_message(target, config))
    return 0


def _final_message(target: Path, config_path: Path) -> str:
    """Where the site went and which drafts it left out (cchc.build_summary)."""
    from . import build_summary

    try:
        settings = _read_config(config_path.resolve())
    except BuildFailed:
        settings = {}
    folder = build_summary.content_dir(settings, config_path.resolve().parent)
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
