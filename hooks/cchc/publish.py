"""Publishing the last complete build to the web server: atomic, verified, reversible.

Layout of the target folder (`extra.cchc.publish.path`, on the server or mounted here):

    path/current -> releases/20261215-103012      the live site (what nginx serves)
    path/releases/20261215-103012/                one folder per publication
    path/releases/20261215-110000.partial/        an upload that was cut (not live; reused, then removed)
    path/releases/20261214-090000.rolled-back/    left by --rollback (removed by the next publication)

A publication uploads the build with rsync into a new `.partial` folder, hard-linking every file
that is the same in the live release (or in an earlier cut upload), so an edit sends only what
changed; checks the uploaded copies of a few files against the build; renames the folder and
switches `current` in one step (a new symlink renamed over the old one: `mv -T`); checks the
same files again through `current`, and removes releases beyond `keep`.  Until the switch the
live site is untouched, whatever happens (network cut, Ctrl-C, full disk).

The same shell script (POSIX sh + rsync + sha256sum + GNU `mv -T`) runs over SSH or, for a
local target, here: both kinds of target behave the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shlex
import signal
import subprocess
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from . import build_manifest
from .settings import PublishTarget

RSYNC_FLAGS = ["-rlpc", "--chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r", f"--exclude=/{build_manifest.MANIFEST_NAME}",
               "--timeout=120"]
RELEASE_RE = re.compile(r"^\d{8}-\d{6}(?:-\d{2})?$")
ENTRY_RE = re.compile(r"^(\d{8}-\d{6}(?:-\d{2})?)(\.partial|\.rolled-back)?$")
SENT = ("<f", ">f")  # rsync --itemize-changes: a file sent to a remote host, or copied locally
DIR_BYTES = 4096  # a directory's block: directories are never hard-linked, each release has its own
SPACE_MARGIN = 2 * 1024 * 1024

# One script for every step on the target; `sh -s -- STEP PATH ARGS…` with the script on stdin.
SCRIPT = r"""
set -u
LC_ALL=C; export LC_ALL
step=$1; base=$2; shift 2
fail() { echo "error $*"; exit 3; }
[ -d "$base" ] || fail nodir
cd -- "$base" || fail nodir
sums() {  # DIR SUM FILE SUM FILE …: prints "sum GOT FILE", sets bad=1 when one differs
  dir=$1; shift
  while [ $# -ge 2 ]; do
    got=$(sha256sum < "$dir/$2" 2>/dev/null | cut -d' ' -f1)
    echo "sum ${got:-missing} $2"
    [ "$got" = "$1" ] || bad=1
    shift 2
  done
}
switch() {  # NAME: current -> releases/NAME, in one rename
  rm -f -- .current.tmp.$$
  ln -s "releases/$1" .current.tmp.$$ || fail switch
  mv -T -- .current.tmp.$$ current || { rm -f -- .current.tmp.$$; fail switch; }
}
case $step in
preflight)  # reads only: a refused or dry-run publication changes nothing
  [ -w . ] || fail notwritable
  [ ! -d releases ] || [ -w releases ] || fail notwritable
  for tool in rsync sha256sum; do command -v $tool >/dev/null 2>&1 && echo "tool $tool"; done
  if [ -L current ]; then echo "current $(readlink current)"
  elif [ -e current ]; then echo "current-not-link"; fi
  [ -d releases ] && for entry in releases/*; do [ -d "$entry" ] && [ ! -L "$entry" ] && echo "entry ${entry#releases/}"; done
  df -Pk . | awk 'NR==2 {print "avail_kb " $4}'
  echo "now $(date +%Y%m%d-%H%M%S)"
  ;;
prepare)
  mkdir -p releases 2>/dev/null || fail notwritable
  ;;
finish)
  partial=$1; name=$2; shift 2
  [ -d "releases/$partial" ] || fail nopartial
  bad=0; sums "releases/$partial" "$@"
  [ $bad = 0 ] || fail mismatch
  [ ! -e "releases/$name" ] || fail exists
  mv -- "releases/$partial" "releases/$name" || fail rename
  switch "$name"
  echo "switched $name"
  bad=0; sums current "$@"
  ;;
switch)
  [ -d "releases/$1" ] || fail norelease
  switch "$1"
  if [ $# -ge 2 ] && [ -d "releases/$2" ]; then mv -- "releases/$2" "releases/$2.rolled-back"; fi
  echo "switched $1"
  ;;
remove)
  for entry in "$@"; do
    case $entry in */*|.*|'') continue;; esac
    rm -rf -- "releases/$entry" && echo "removed $entry"
  done
  ;;
*) fail step ;;
esac
"""


class PublishError(Exception):
    """A problem to tell staff (Vietnamese, with how to fix it); nothing live was changed."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


# --- The build to send ------------------------------------------------------------------------
@dataclass
class Build:
    site: Path
    manifest: dict


def _norm_url(url: str) -> str:
    url = (url or "").strip()
    return url if not url or url.endswith("/") else url + "/"


def check_build(site: Path, config: dict, config_path: Path, target: PublishTarget) -> Build:
    """The build in `site` may be published to `target`, or PublishError says why not."""
    shown = _shown(site)
    if not (site / "index.html").is_file():
        raise PublishError(f"chưa có bản dựng trong {shown}/ → Cách sửa: chạy make site (hoặc cchc build), rồi xuất bản lại")
    manifest = build_manifest.read_manifest(site)
    if manifest is None:
        raise PublishError(f"{shown}/ không phải bản dựng trọn vẹn của cchc build (thiếu {build_manifest.MANIFEST_NAME}) "
                           "→ Cách sửa: chạy make site (hoặc cchc build), rồi xuất bản lại")
    failure = build_manifest.read_failure(site)
    if failure is not None:
        raise PublishError(f"lần xây dựng trang gần nhất (lúc {failure.get('failed_at', '?')}) không thành công; {shown}/ "
                           f"vẫn là bản dựng cũ lúc {manifest.get('built_at')} → Cách sửa: sửa các lỗi mà make site báo, "
                           "chạy lại make site cho tới khi thành công, rồi xuất bản")
    if manifest.get("preview"):
        raise PublishError(f"{shown}/ là bản xem thử (hiện cả bài nháp và bài hẹn giờ): không được xuất bản "
                           "→ Cách sửa: chạy make site để dựng bản chính thức, rồi xuất bản")
    built_url = _norm_url(str(manifest.get("site_url") or ""))
    if built_url != target.url:
        raise PublishError(f"bản dựng được làm cho địa chỉ “{built_url or '(không có site_url)'}”, nhưng nơi xuất bản "
                           f"{target.label} phục vụ trang ở “{target.url}” (extra.cchc.publish.url): mọi liên kết "
                           "tuyệt đối (nguồn tin RSS, trang 404, chia sẻ) sẽ sai → Cách sửa: đặt site_url trong "
                           "mkdocs.yml bằng đúng địa chỉ công khai của trang, chạy make site, rồi xuất bản")
    state = build_manifest.source_state(config, config_path)
    if state.digest != manifest.get("sources"):
        changed = build_manifest.changed_since(state, manifest, config_path.name)
        what = ("đã sửa sau đó: " + ", ".join(changed)) if changed else "có tệp được thêm, xóa hoặc đổi tên sau đó"
        raise PublishError(f"bản dựng trong {shown}/ (lúc {manifest.get('built_at')}) cũ hơn nội dung: {what} "
                           "→ Cách sửa: chạy make site để dựng lại, rồi xuất bản")
    return Build(site, manifest)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def verify_files(site: Path) -> list[str]:
    """Files checked byte for byte on the server: home, newest article, feeds, search entry, 404
    (and their .gz copies, which is what most browsers get)."""
    names = ["index.html", "404.html", "rss.xml", "atom.xml", "pagefind/pagefind-entry.json"]
    newest = newest_article(site)
    if newest:
        names.insert(1, newest)
    result = []
    for name in names:
        for candidate in (name, name + ".gz"):
            if (site / candidate).is_file():
                result.append(candidate)
    return result


def newest_article(site: Path) -> str | None:
    """The first item of the site feed (newest published article), as a file of the site."""
    try:
        root = ET.parse(site / "rss.xml").getroot()
        link = root.find("channel/item/link")
        base = root.find("channel/link")
    except (OSError, ET.ParseError):
        return None
    if link is None or base is None or not link.text or not base.text or not link.text.startswith(base.text):
        return None
    from urllib.parse import unquote

    rel = unquote(link.text[len(base.text):]).lstrip("/")
    path = rel + "index.html" if rel.endswith("/") or not rel else rel
    return path if (site / path).is_file() else None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- Running commands on the target -------------------------------------------------------------
class Transport:
    """Runs the step script and rsync against a target: over SSH, or here for a local folder."""

    def __init__(self, target: PublishTarget):
        self.target = target

    def script_command(self, args: list[str]) -> list[str]:
        raise NotImplementedError

    def rsync_destination(self, folder: str) -> list[str]:
        raise NotImplementedError

    def run(self, step: str, *args: str, timeout: float = 600) -> "StepResult":
        command = self.script_command([step, self.target.path, *args])
        try:
            done = _run(command, input_text=SCRIPT, timeout=timeout)
        except FileNotFoundError:
            raise PublishError(self.missing_tool_message()) from None
        result = StepResult(done.returncode, done.stdout, done.stderr)
        if done.returncode == 255 and self.target.remote:
            raise PublishError(explain_ssh_failure(self.target, done.stderr))
        error = result.value("error")
        if error is not None:
            raise PublishError(explain_step_error(self.target, error))
        if done.returncode != 0:
            raise PublishError(f"lệnh trên {self.target.label} không thành công (mã {done.returncode}): "
                               f"{_last_line(done.stderr) or 'không rõ lý do'}")
        return result

    def missing_tool_message(self) -> str:
        return "không tìm thấy chương trình sh trên máy này"


class SshTransport(Transport):
    def ssh_command(self) -> list[str]:
        t = self.target
        command = ["ssh", "-p", str(t.port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                   "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"]
        if t.key:
            command += ["-i", t.key, "-o", "IdentitiesOnly=yes"]
        if t.known_hosts:
            command += ["-o", f"UserKnownHostsFile={t.known_hosts}"]
        return command

    def script_command(self, args: list[str]) -> list[str]:
        t = self.target
        return [*self.ssh_command(), f"{t.user}@{t.host}", "--", "sh -s -- " + shlex.join(args)]

    def rsync_destination(self, folder: str) -> list[str]:
        t = self.target
        return ["-e", shlex.join(self.ssh_command()), f"{t.user}@{t.host}:{folder}"]

    def missing_tool_message(self) -> str:
        return "không tìm thấy chương trình ssh trên máy này → Cách sửa: sudo apt install openssh-client rsync"


class LocalTransport(Transport):
    def script_command(self, args: list[str]) -> list[str]:
        return ["sh", "-s", "--", *args]

    def rsync_destination(self, folder: str) -> list[str]:
        return [folder]


def transport_for(target: PublishTarget) -> Transport:
    if target.remote and target.key and not Path(target.key).is_file():
        raise PublishError(f"không tìm thấy tệp khóa SSH {target.key} (extra.cchc.publish.key) → Cách sửa: ghi đúng "
                           "đường dẫn tệp khóa riêng, hoặc tạo khóa bằng ssh-keygen -t ed25519 -f "
                           f"{target.key} rồi gửi tệp {target.key}.pub cho quản trị máy chủ")
    return SshTransport(target) if target.remote else LocalTransport(target)


@dataclass
class StepResult:
    status: int
    stdout: str
    stderr: str

    def lines(self, key: str) -> list[str]:
        prefix = key + " "
        return [line[len(prefix):] for line in self.stdout.splitlines() if line.startswith(prefix)]

    def value(self, key: str) -> str | None:
        found = self.lines(key)
        if found:
            return found[0]
        return "" if key in self.stdout.splitlines() else None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


_CURRENT = {"process": None}


def _run(command: list[str], *, input_text: str | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run a command in its own process group (Ctrl-C reaches only us; we stop it ourselves)."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE if input_text is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    _CURRENT["process"] = process
    try:
        stdout, stderr = process.communicate(input_text, timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise PublishError(f"lệnh {command[0]} không trả lời sau {int(timeout or 0)} giây; trang đang chạy giữ nguyên "
                           "→ Cách sửa: kiểm tra mạng tới máy chủ rồi thử lại") from None
    finally:
        if process.poll() is None:
            _stop(process)
        _CURRENT["process"] = None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


_SSH_REFUSALS = ("REMOTE HOST IDENTIFICATION HAS CHANGED", "Host key verification failed", "host key is known",
                 "Permission denied", "Too many authentication failures", "UNPROTECTED PRIVATE KEY FILE",
                 "Could not resolve hostname", "Connection refused", "No route to host", "Network is unreachable")


def ssh_refused(stderr: str) -> bool:
    """ssh could not connect or log in (as opposed to a connection cut during a transfer)."""
    return any(s in (stderr or "") for s in _SSH_REFUSALS) or "ssh: connect to host" in (stderr or "")


def explain_ssh_failure(target: PublishTarget, stderr: str) -> str:
    """ssh's own failure (exit 255) in Vietnamese: which problem, and how to check and fix it."""
    host = target.host if target.port == 22 else f"[{target.host}]:{target.port}"
    known = target.known_hosts or "~/.ssh/known_hosts"
    where = f"{target.host} (cổng {target.port})"
    scan = (f"      1. Lấy khóa máy chủ: ssh-keyscan -p {target.port} {target.host} > /tmp/khoa-may-chu\n"
            f"      2. Xem dấu vân tay: ssh-keygen -lf /tmp/khoa-may-chu\n"
            f"      3. Hỏi quản trị máy chủ dấu vân tay thật (trên máy chủ: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub);\n"
            f"         chỉ khi trùng khớp: cat /tmp/khoa-may-chu >> {known}")
    text = stderr or ""
    if "REMOTE HOST IDENTIFICATION HAS CHANGED" in text or "Host key for" in text and "has changed" in text:
        return (f"khóa máy chủ (host key) của {where} ĐÃ THAY ĐỔI so với khóa ghi trong {known}: có thể máy chủ "
                "vừa được cài lại, cũng có thể có kẻ giả mạo máy chủ. Chưa gửi gì.\n"
                "    → Cách sửa: hỏi quản trị máy chủ có đổi khóa không. Nếu có, xóa khóa cũ: "
                f"ssh-keygen -R '{host}' -f {known}, rồi thêm khóa mới sau khi so dấu vân tay:\n{scan}")
    if "Host key verification failed" in text or "No ED25519 host key is known" in text or "host key is known" in text:
        return (f"chưa biết khóa máy chủ (host key) của {where}: {known} chưa có khóa của máy này, nên ssh "
                "không kết nối (tránh gửi trang tới máy giả mạo). Chưa gửi gì.\n"
                f"    → Cách kiểm tra và thêm:\n{scan}")
    if "Permission denied" in text or "Too many authentication failures" in text:
        key = target.key or "khóa SSH mặc định"
        return (f"máy chủ {where} từ chối khóa {key} của tài khoản {target.user}. Chưa gửi gì.\n"
                f"    → Cách sửa: gửi khóa công khai ({key}.pub) cho quản trị để thêm vào "
                f"~{target.user}/.ssh/authorized_keys trên máy chủ; kiểm tra user và key trong extra.cchc.publish")
    if "UNPROTECTED PRIVATE KEY FILE" in text or "bad permissions" in text:
        return (f"tệp khóa {target.key} để người khác đọc được nên ssh không dùng. Chưa gửi gì.\n"
                f"    → Cách sửa: chmod 600 {target.key}")
    if "Could not resolve hostname" in text or "Name or service not known" in text:
        return (f"không tìm thấy máy chủ “{target.host}” (tên máy không phân giải được). Chưa gửi gì.\n"
                "    → Cách sửa: kiểm tra host trong extra.cchc.publish và kết nối mạng")
    if any(s in text for s in ("Connection refused", "timed out", "No route to host", "Network is unreachable",
                               "Connection closed", "Connection reset", "port 22: Unknown error")):
        return (f"không kết nối được tới máy chủ {where}: {_last_line(text)}. Chưa gửi gì.\n"
                "    → Cách sửa: kiểm tra mạng, host và port trong extra.cchc.publish; hỏi quản trị máy chủ "
                "dịch vụ SSH có đang chạy không")
    return f"ssh tới {where} không thành công: {_last_line(text) or 'không rõ lý do'}. Chưa gửi gì."


def explain_step_error(target: PublishTarget, error: str) -> str:
    code, _, detail = error.partition(" ")
    where = target.label
    messages = {
        "nodir": f"thư mục {target.path} chưa có trên {'máy chủ' if target.remote else 'máy này'} → Cách sửa: nhờ quản trị "
                 "tạo thư mục đó (nơi nginx đọc trang, xem scripts/nginx/) và cho tài khoản xuất bản quyền ghi, "
                 "hoặc sửa path trong extra.cchc.publish",
        "notwritable": f"không ghi được vào {where} → Cách sửa: nhờ quản trị cho tài khoản "
                       f"{target.user or 'này'} quyền ghi thư mục {target.path}",
        "mismatch": f"bản tải lên {where} không khớp từng byte với bản dựng; chưa chuyển sang bản mới, "
                    "trang đang chạy giữ nguyên → Cách sửa: xuất bản lại",
        "switch": f"không đổi được liên kết current trong {where} (cần lệnh mv -T của GNU coreutils và quyền ghi) "
                  "→ Cách sửa: nhờ quản trị kiểm tra",
        "rename": f"không đổi tên được thư mục bản mới trong {where}/releases → Cách sửa: nhờ quản trị kiểm tra quyền ghi",
        "exists": f"đã có thư mục bản cùng tên trong {where}/releases (hai lần xuất bản cùng lúc?) → Cách sửa: xuất bản lại",
        "nopartial": f"thư mục bản đang tải lên trong {where}/releases đã bị xóa (có lần xuất bản khác chạy cùng lúc?) "
                     "→ Cách sửa: xuất bản lại",
        "norelease": f"không còn bản cần chuyển tới trong {where}/releases",
    }
    return messages.get(code, f"lỗi trên {where}: {error}")


# --- State of the target ----------------------------------------------------------------------
@dataclass
class TargetState:
    live: str | None  # release name current points to
    releases: list[str]  # complete releases, oldest first
    partials: list[str]
    rolled_back: list[str]
    avail_bytes: int | None
    now: str
    tools: set[str] = field(default_factory=set)


def read_state(transport: Transport) -> TargetState:
    result = transport.run("preflight", timeout=60)
    target = transport.target
    if result.value("current-not-link") is not None:
        raise PublishError(f"{target.path}/current là thư mục thường, không phải liên kết tới một bản trong releases/ "
                           "→ Cách sửa: nhờ quản trị đổi tên nó (ví dụ current.cu) rồi xuất bản lại; "
                           "xuất bản không ghi đè thư mục đó")
    releases, partials, rolled = [], [], []
    for entry in result.lines("entry"):
        match = ENTRY_RE.match(entry)
        if not match:
            continue
        {None: releases, ".partial": partials, ".rolled-back": rolled}[match.group(2)].append(entry)
    live = None
    link = result.value("current")
    if link:
        name = link.rstrip("/").rsplit("/", 1)[-1]
        live = name if name in releases else None
        if live is None:
            raise PublishError(f"{target.path}/current trỏ tới “{link}”, không phải một bản trong releases/ "
                               "→ Cách sửa: nhờ quản trị kiểm tra; xuất bản không thay liên kết lạ")
    tools = set(result.lines("tool"))
    if target.remote:
        for tool in ("rsync", "sha256sum"):
            if tool not in tools:
                raise PublishError(f"máy chủ {target.host} chưa có chương trình {tool} → Cách sửa: nhờ quản trị cài "
                                   f"(Debian/Ubuntu: sudo apt install {'rsync' if tool == 'rsync' else 'coreutils'})")
    avail = result.value("avail_kb")
    return TargetState(live=live, releases=sorted(releases), partials=sorted(partials), rolled_back=sorted(rolled),
                       avail_bytes=int(avail) * 1024 if avail and avail.isdigit() else None,
                       now=result.value("now") or "", tools=tools)


def new_release_name(state: TargetState) -> str:
    """The server's time, later than every existing name (-01, -02 … within one second), so
    names sort in the order of publication."""
    base = state.now if RELEASE_RE.match(state.now or "") else "19700101-000000"
    taken = set(state.releases) | {p.rsplit(".", 1)[0] for p in state.partials + state.rolled_back}
    newest = max(taken) if taken else ""
    if base > newest:
        return base
    stem = max(base, newest[:15])
    for counter in range(1, 100):
        candidate = f"{stem}-{counter:02d}"
        if candidate > newest:
            return candidate
    raise PublishError("quá nhiều lần xuất bản trong cùng một giây; thử lại sau ít giây")


# --- Comparing a build with the live release ----------------------------------------------------
@dataclass
class Changes:
    added: list[str]
    changed: list[str]
    removed: list[str]
    upload_bytes: int
    directories: int


def _rsync_base() -> list[str]:
    return ["rsync", *RSYNC_FLAGS]


def compare_with_live(transport: Transport, build: Build, state: TargetState) -> Changes:
    """What publishing would add, change and remove (rsync --dry-run against the live release)."""
    site = build.site
    directories = sum(1 for _ in _walk_dirs(site))
    if state.live is None:
        added = sorted(_site_files(site))
        return Changes(added, [], [], sum((site / f).stat().st_size for f in added), directories)
    command = [*_rsync_base(), "--dry-run", "--delete", "--itemize-changes", f"{site}/",
               *transport.rsync_destination(f"{transport.target.path}/releases/{state.live}/")]
    done = _run_rsync(transport, command)
    added, changed, removed = [], [], []
    for line in done.stdout.splitlines():
        code, _, name = line.partition(" ")
        name = name.strip()
        if not name or name.endswith("/"):
            continue
        if code.startswith("*deleting"):
            removed.append(name)
        elif code[:2] in SENT and code[2:5] == "+++":
            added.append(name)
        elif code[:2] in SENT:
            changed.append(name)
    upload = sum((site / f).stat().st_size for f in added + changed)
    return Changes(sorted(added), sorted(changed), sorted(removed), upload, directories)


def _site_files(site: Path):
    for folder, dirs, files in os.walk(site):
        rel = Path(folder).relative_to(site)
        for name in files:
            path = (rel / name).as_posix()
            if path != build_manifest.MANIFEST_NAME:
                yield path


def _walk_dirs(site: Path):
    for folder, dirs, _ in os.walk(site):
        yield folder


def _run_rsync(transport: Transport, command: list[str], timeout: float | None = None) -> subprocess.CompletedProcess:
    try:
        done = _run(command, timeout=timeout)
    except FileNotFoundError:
        raise PublishError("không tìm thấy chương trình rsync trên máy này → Cách sửa: sudo apt install rsync") from None
    if done.returncode == 0:
        return done
    if transport.target.remote and ssh_refused(done.stderr):
        raise PublishError(explain_ssh_failure(transport.target, done.stderr))
    raise UploadFailed(done.returncode, _last_line(done.stderr))


class UploadFailed(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


# --- The steps ------------------------------------------------------------------------------------
@dataclass
class Outcome:
    release: str
    changes: Changes | None = None
    sent_files: list[str] = field(default_factory=list)
    removed_releases: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def _stats(text: str) -> dict[str, int]:
    result = {}
    for label, key in (("Number of regular files transferred", "files_sent"), ("Total transferred file size", "bytes_sent"),
                       ("Number of files", "files")):
        match = re.search(re.escape(label) + r":\s*([\d,.]+)", text)
        if match:
            result[key] = int(re.sub(r"[,.]", "", match.group(1)))
    return result


def check_space(state: TargetState, changes: Changes, target: PublishTarget) -> None:
    if state.avail_bytes is None:
        return
    needed = changes.upload_bytes + changes.directories * DIR_BYTES + SPACE_MARGIN
    if state.avail_bytes < needed:
        raise PublishError(f"không đủ chỗ trống trên {target.label}: còn {_mb(state.avail_bytes)}, bản mới cần "
                           f"khoảng {_mb(needed)} ({len(changes.added) + len(changes.changed)} tệp mới hoặc đã sửa). "
                           "Chưa gửi gì, trang đang chạy giữ nguyên → Cách sửa: nhờ quản trị giải phóng chỗ "
                           f"trên máy chủ, hoặc giảm keep (đang giữ {target.keep} bản) trong extra.cchc.publish")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def publish(build: Build, target: PublishTarget, *, bwlimit: int | None = None, say=print) -> Outcome:
    transport = transport_for(target)
    state = read_state(transport)
    changes = compare_with_live(transport, build, state)
    check_space(state, changes, target)
    name = new_release_name(state)
    partial = f"{name}.partial"
    say(f"Đang tải lên {target.label}: {len(changes.added)} tệp mới, {len(changes.changed)} tệp sửa, "
        f"{len(changes.removed)} tệp bỏ ({_mb(changes.upload_bytes)})…")
    transport.run("prepare")
    bases = ([state.live] if state.live else []) + list(reversed(state.partials))[:18]
    command = [*_rsync_base(), "--itemize-changes", "--stats", *(f"--link-dest=../{b}" for b in bases)]
    if bwlimit:
        command.append(f"--bwlimit={bwlimit}")
    command += [f"{build.site}/", *transport.rsync_destination(f"{target.path}/releases/{partial}/")]
    try:
        done = _run_rsync(transport, command)
    except UploadFailed as exc:
        raise PublishError(f"tải lên bị ngắt (rsync mã {exc.status}: {exc.detail}); trang đang chạy giữ nguyên bản cũ. "
                           "Phần đã tải lên được dùng lại ở lần sau → Cách sửa: kiểm tra mạng rồi chạy lại cchc publish") from None
    sent = [line.partition(" ")[2].strip() for line in done.stdout.splitlines() if line[:2] in SENT]
    outcome = Outcome(release=name, changes=changes, sent_files=sent, stats=_stats(done.stdout))
    # Checked on the server before the switch, and again through `current` after it.
    files = verify_files(build.site)
    expected = {f: sha256_file(build.site / f) for f in files}
    args = [partial, name]
    for f in files:
        args += [expected[f], f]
    with _signals_deferred():
        return _finish(transport, state, build, target, outcome, files, expected, args)


def _finish(transport, state, build, target, outcome, files, expected, args) -> Outcome:
    name = outcome.release
    result = transport.run("finish", *args)
    after = {}
    seen_switch = False
    for line in result.stdout.splitlines():
        if line.startswith("switched "):
            seen_switch = True
        elif line.startswith("sum ") and seen_switch:
            got, _, name_ = line[4:].partition(" ")
            after[name_] = got
    wrong = [f for f in files if after.get(f) != expected[f]]
    if wrong:
        previous = state.live
        if previous:
            transport.run("switch", previous, name)
        raise PublishError(f"sau khi chuyển, bản trên {target.label} không khớp với bản dựng ở: {', '.join(wrong)}; "
                           + (f"đã quay lại bản trước ({previous})" if previous else "hãy xuất bản lại")
                           + " → Cách sửa: xuất bản lại; nếu vẫn lỗi, nhờ quản trị kiểm tra ổ đĩa máy chủ")
    outcome.removed_releases = prune(transport, state, name, target.keep)
    return outcome


def prune(transport: Transport, state: TargetState, new: str, keep: int) -> list[str]:
    """Releases beyond `keep` (never the live one), cut uploads and rolled-back releases."""
    complete = sorted(set(state.releases) | {new})
    old = [r for r in complete[:-keep] if r != new] if len(complete) > keep else []
    doomed = old + [p for p in state.partials if p < new] + state.rolled_back
    if not doomed:
        return []
    result = transport.run("remove", *doomed)
    return result.lines("removed")


def rollback(target: PublishTarget) -> tuple[str, str]:
    """Switch `current` back to the release before the live one; returns (from, to)."""
    transport = transport_for(target)
    state = read_state(transport)
    if state.live is None:
        raise PublishError(f"{target.label} chưa có bản nào đang chạy (chưa xuất bản lần nào): không có gì để quay lại")
    older = [r for r in state.releases if r < state.live]
    if not older:
        raise PublishError(f"không còn bản nào cũ hơn bản đang chạy ({state.live}) trên {target.label} để quay lại")
    previous = older[-1]
    with _signals_deferred():
        transport.run("switch", previous, state.live)
    return state.live, previous


@contextlib.contextmanager
def _signals_deferred():
    """Ctrl-C or SIGTERM from the switch on are noted, not obeyed: once `current` may point at
    the new release, stopping half-way would only leave it unverified.  (A handler, not a
    blocked mask or SIG_IGN: those would be inherited by ssh and rsync.)"""
    if threading.current_thread() is not threading.main_thread():
        yield []
        return
    noted: list[int] = []
    kinds = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, lambda signum, _frame: noted.append(signum)) for s in kinds}
    try:
        yield noted
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
