"""Real servers for the publishing tests, on loopback ports with throwaway keys and configs:
Debian's OpenSSH server (sshd) and nginx.  Each is started in a temporary folder and stopped
by its own process id.  `make test` installs them (scripts/ensure-test-tools.sh)."""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped at start: {log.read_text(errors='replace') if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port}: {log.read_text(errors='replace') if log.exists() else ''}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "throwaway", "-f", str(path)], check=True)
    return path


@dataclass
class Sshd:
    port: int
    user: str
    folder: Path
    host_key: Path
    user_key: Path  # authorized
    known_hosts: Path  # knows this server's host key

    def known_hosts_line(self, public_key: Path) -> str:
        return f"[127.0.0.1]:{self.port} {' '.join(public_key.read_text().split()[:2])}\n"


@contextmanager
def sshd(folder: Path):
    """OpenSSH on 127.0.0.1:<free port>: only the running user, only with the throwaway key
    (root too, if the tests run as root: PermitRootLogin prohibit-password, AllowUsers)."""
    if not Path(SSHD).exists() or not shutil.which("ssh") or not shutil.which("rsync"):
        pytest.fail("openssh-server, openssh-client or rsync missing: run `make test` (scripts/ensure-test-tools.sh)")
    folder.mkdir(parents=True, exist_ok=True)
    host_key = keygen(folder / "host_key")
    user_key = keygen(folder / "user_key")
    (folder / "authorized_keys").write_text(user_key.with_suffix(".pub").read_text())
    port = free_port()
    user = getpass.getuser()
    config = folder / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {folder / 'sshd.pid'}
AuthorizedKeysFile {folder / 'authorized_keys'}
AllowUsers {user}
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
""")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    log = folder / "sshd.log"
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=open(log, "wb"), start_new_session=True)
    try:
        _wait_for_port(port, process, log)
        known = folder / "known_hosts"
        server = Sshd(port, user, folder, host_key, user_key, known)
        known.write_text(server.known_hosts_line(host_key.with_suffix(".pub")))
        yield server
    finally:
        _stop(process)


@contextmanager
def nginx(folder: Path, site_conf: Path, port: int):
    """nginx on 127.0.0.1:port, the shipped configuration included in a test server block, next
    to a PHP-like regex location that must never see the site's paths."""
    if not Path(NGINX).exists():
        pytest.fail("nginx missing: run `make test` (scripts/ensure-test-tools.sh)")
    folder.mkdir(parents=True, exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # tmp folders are private to their owner
    temps = " ".join(f"{name}_temp_path {folder / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {temps}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location ~ \\.php$ {{ return 418; }}
        include {site_conf};
    }}
}}
""")
    test = subprocess.run([NGINX, "-p", str(folder), "-c", str(conf), "-t"], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    log = folder / "error.log"
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every process below `pid`, from /proc."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append((int(entry.name), name))
    result, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            result.append(child)
            todo.append(child[0])
    return result
