"""`cchc publish` against a real OpenSSH server and local folders (issue 17).

Two builds of the sample content are made once: build 1, and build 2 with one article edited
and a 4 MB attachment added.  Each test publishes them to its own folder on the server (sshd on
a loopback port, throwaway host and user keys; tests/servers.py) and checks the live tree
(`current`) after each step: byte for byte equal to the build it should be, hard links for the
files that did not change, nothing changed at all when publishing is refused.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from servers import descendants, free_port, keygen, sshd
from support import BIN, ROOT, SAMPLE_CONTENT, env

BUILD_DATE = "2026-11-25 09:00"
EDITED = "news/2026/09/ket-qua-giai-quyet-thu-tuc-hanh-chinh-9-thang-nam-2026.md"
ATTACHMENT = "news/2026/09/tai-lieu/bao-cao-chi-tiet.pdf"
MANIFEST = ".cchc-build.json"


def cchc(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "cchc"), *args], capture_output=True, text=True, env=env(BUILD_DATE), cwd=cwd,
                          timeout=timeout)


# --- The project: two content folders, two builds ----------------------------------------------
@dataclass
class Project:
    folder: Path
    url: str  # site_url of both builds (nginx in test_publish_web.py serves it on this port)
    port: int

    def config(self, build: int, publish: dict | None, name: str | None = None, **changes) -> Path:
        """mkdocs-<build>[-name].yml: the project's configuration for build 1 or 2 with this publish target."""
        data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        content = self.folder / f"content{build}"
        data["docs_dir"] = str(ROOT / "docs")
        data["site_dir"] = str(self.folder / f"site{build}")
        data["site_url"] = self.url
        data["theme"]["custom_dir"] = str(ROOT / "overrides")
        data["watch"] = [str(content), str(ROOT / "overrides")]
        data["extra"]["cchc"]["content_dir"] = str(content)
        if publish is not None:
            data["extra"]["cchc"]["publish"] = publish
        data.update(changes)
        path = self.folder / f"mkdocs-{build}{'-' + name if name else ''}.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def site(self, build: int) -> Path:
        return self.folder / f"site{build}"


def make_project(folder: Path, *, staff_files: bool = False, builds: tuple[int, ...] = (1, 2)) -> Project:
    port = free_port()
    project = Project(folder, f"http://127.0.0.1:{port}/cchc/", port)
    for build in (1, 2):
        content = folder / f"content{build}"
        shutil.copytree(SAMPLE_CONTENT, content)
    content2 = folder / "content2"
    article = content2 / EDITED
    article.write_text(article.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi đăng: số liệu đã được cập nhật.\n",
                       encoding="utf-8")
    attachment = content2 / ATTACHMENT
    attachment.parent.mkdir(parents=True, exist_ok=True)
    attachment.write_bytes(b"%PDF-1.4\n" + os.urandom(4 * 1024 * 1024) + b"\n%%EOF\n")  # a whole PDF (cchc.attachments)
    for build in builds:
        done = cchc("build", "-f", str(project.config(build, None)), "--quiet", cwd=folder)
        assert done.returncode == 0, done.stdout + done.stderr
    if staff_files:
        # Files a browser could run, beside an article of the built site (test_publish_web.py).
        # The build refuses them in content/ (cchc.attachments); they stand here for whatever may
        # still reach the server's folder: the web server must never run them either.
        extra = folder / "site1" / "tin-tuc/2026/09/tai-lieu"
        extra.mkdir(parents=True, exist_ok=True)
        (extra / "trang-rieng.html").write_text(
            "<!doctype html><html lang=vi><title>Tệp đính kèm</title><p>Tệp HTML của cán bộ.</p>"
            "<script>document.title = 'ĐÃ CHẠY';</script><script src='chay.js'></script></html>", encoding="utf-8")
        (extra / "chay.js").write_text("document.title = 'ĐÃ CHẠY';\n", encoding="utf-8")
        (extra / "hinh.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                        '<script>alert(1)</script><rect width="10" height="10"/></svg>',
                                        encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return make_project(tmp_path_factory.mktemp("publish"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with sshd(tmp_path_factory.mktemp("sshd")) as running:
        yield running


def ssh_target(server, path: Path, project: Project, **changes) -> dict:
    target = {"host": "127.0.0.1", "port": server.port, "user": server.user, "key": str(server.user_key),
              "known_hosts": str(server.known_hosts), "path": str(path), "url": project.url}
    target.update(changes)
    return target


# --- What is on the "server" --------------------------------------------------------------------
def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (following the `current` link) → its bytes."""
    result = {}
    for base, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(base) / name
            result[path.relative_to(folder).as_posix()] = path.read_bytes()
    return result


def site_files(site: Path) -> dict[str, bytes]:
    files = tree(site)
    files.pop(MANIFEST)
    return files


def snapshot(folder: Path) -> list[tuple]:
    """Everything about a target folder a publication could change (names, links, inodes, times)."""
    if not folder.exists():
        return []
    result = []
    for base, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(base) / name
            st = path.lstat()
            result.append((path.relative_to(folder).as_posix(), st.st_ino, st.st_mtime_ns, st.st_size,
                           os.readlink(path) if path.is_symlink() else None))
    return sorted(result)


def live(target: Path) -> str:
    return os.readlink(target / "current").split("/")[-1]


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> tuple[set, set, set]:
    added = set(b) - set(a)
    removed = set(a) - set(b)
    changed = {name for name in set(a) & set(b) if a[name] != b[name]}
    return added, changed, removed


# --- Publishing over SSH: twice with an edit, dry run, rollback -----------------------------------
def test_publish_edit_dry_run_and_rollback_over_ssh(project, server, tmp_path):
    target = tmp_path / "srv" / "cchc"
    target.mkdir(parents=True)
    config1 = project.config(1, ssh_target(server, target, project), "ssh")
    config2 = project.config(2, ssh_target(server, target, project), "ssh")
    build1, build2 = site_files(project.site(1)), site_files(project.site(2))

    # Dry run before anything is live: everything would be added, nothing is written.
    dry = cchc("publish", "-f", str(config1), "--dry-run", cwd=project.folder)
    assert dry.returncode == 0, dry.stderr
    assert f"Thêm ({len(build1)} tệp):" in dry.stdout and "Sửa (0 tệp):" in dry.stdout
    assert snapshot(target) == []

    first = cchc("publish", "-f", str(config1), cwd=project.folder)
    assert first.returncode == 0, first.stderr
    assert f"Trang đang chạy: {project.url}" in first.stdout
    assert "kiểm tra từng byte" in first.stderr
    release1 = live(target)
    assert tree(target / "current") == build1  # the whole build, and no build manifest
    assert oct((target / "current" / "index.html").stat().st_mode & 0o777) == "0o644"  # readable by nginx

    # The edit: the dry run lists exactly what differs, and changes nothing on the server.
    added, changed, removed = differing(build1, build2)
    assert ATTACHMENT.replace("news/", "tin-tuc/") in added
    assert any(name.endswith("index.html") and "9-thang" in name for name in changed)
    before = snapshot(target)
    dry = cchc("publish", "-f", str(config2), "--dry-run", cwd=project.folder)
    assert dry.returncode == 0, dry.stderr
    listed = {sign: {line[4:] for line in dry.stdout.splitlines() if line.startswith(f"  {sign} ")} for sign in "+~-"}
    assert listed == {"+": added, "~": changed, "-": removed}
    assert snapshot(target) == before

    second = cchc("publish", "-f", str(config2), "--verbose", cwd=project.folder)
    assert second.returncode == 0, second.stderr
    release2 = live(target)
    assert release2 > release1
    assert tree(target / "current") == build2
    # Only what changed was sent; every other file is a hard link to the first release's copy.
    sent = {line[4:] for line in second.stdout.splitlines() if line.startswith("  ↑ ")}
    assert sent == added | changed
    assert re.search(rf"Đã gửi {len(sent)} tệp", second.stderr)
    for name in set(build2) - added - changed:
        assert (target / "releases" / release2 / name).stat().st_ino == (target / "releases" / release1 / name).stat().st_ino

    # Roll back: the first release is live again, exactly as it was.
    back = cchc("publish", "-f", str(config2), "--rollback", cwd=project.folder)
    assert back.returncode == 0, back.stderr
    assert live(target) == release1
    assert tree(target / "current") == build1
    assert (target / "releases" / f"{release2}.rolled-back").is_dir()
    again = cchc("publish", "-f", str(config2), "--rollback", cwd=project.folder)
    assert again.returncode == 1 and "không còn bản nào cũ hơn" in again.stderr
    assert live(target) == release1

    # Publishing again makes build 2 live as a new release and clears the rolled-back one.
    third = cchc("publish", "-f", str(config2), cwd=project.folder)
    assert third.returncode == 0, third.stderr
    assert live(target) not in (release1, release2)
    assert tree(target / "current") == build2
    assert sorted(p.name for p in (target / "releases").iterdir()) == sorted([release1, live(target)])


def test_keeps_the_last_releases(project, server, tmp_path):
    target = tmp_path / "cchc"
    target.mkdir()
    names = []
    for build in (1, 2, 1, 2):
        config = project.config(build, ssh_target(server, target, project, keep=2), "keep")
        done = cchc("publish", "-f", str(config), cwd=project.folder)
        assert done.returncode == 0, done.stderr
        names.append(live(target))
    assert sorted(p.name for p in (target / "releases").iterdir()) == names[-2:]
    assert tree(target / "current") == site_files(project.site(2))


# --- An upload cut in the middle --------------------------------------------------------------------
def _start_publish(config: Path, project: Project, *extra: str) -> subprocess.Popen:
    # Ctrl-C as in a terminal: a test run started in the background (`cmd &` without job control)
    # hands its children SIGINT ignored, and Python then keeps it ignored.
    return subprocess.Popen([str(BIN / "cchc"), "publish", "-f", str(config), *extra], cwd=project.folder,
                            env=env(BUILD_DATE), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _in_transfer(folder: Path, at_least: int) -> bool:
    """Is rsync writing a file of at least `at_least` bytes into `folder` now?  (It writes each
    file as a hidden temporary one beside its place, renamed when complete.)"""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if name.startswith("."):
                try:
                    if os.stat(os.path.join(root, name)).st_size >= at_least:
                        return True
                except OSError:
                    pass
    return False


def _wait_for_upload(target: Path, process: subprocess.Popen) -> None:
    """Until a new release folder is in the middle of receiving the large attachment (4 MB at
    100 KB/s: half a minute still to go), so the upload is surely cut before it ends."""
    earlier = set((target / "releases").glob("*.partial"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        partials = sorted(set((target / "releases").glob("*.partial")) - earlier)
        if partials and _in_transfer(partials[-1], 200_000):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    pytest.fail("the upload did not start")


def test_cut_upload_leaves_the_live_site_and_the_next_publication_completes(project, server, tmp_path):
    target = tmp_path / "cchc"
    target.mkdir()
    first = cchc("publish", "-f", str(project.config(1, ssh_target(server, target, project), "cut")), cwd=project.folder)
    assert first.returncode == 0, first.stderr
    release1 = live(target)
    build1 = tree(target / "current")
    config2 = project.config(2, ssh_target(server, target, project), "cut")

    # 1. The network goes away: ssh dies in the middle of the 4 MB attachment (100 KB/s).
    process = _start_publish(config2, project, "--bwlimit", "100")
    _wait_for_upload(target, process)
    time.sleep(1)
    ssh = [pid for pid, name in descendants(process.pid) if name == "ssh"]
    assert ssh, descendants(process.pid)
    for pid in ssh:
        os.kill(pid, signal.SIGKILL)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, out + err
    assert "tải lên bị ngắt" in err and "trang đang chạy giữ nguyên" in err
    assert live(target) == release1 and tree(target / "current") == build1

    # 2. Ctrl-C while uploading again.
    process = _start_publish(config2, project, "--bwlimit", "100")
    _wait_for_upload(target, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGINT, out + err
    assert "Đã dừng xuất bản" in err and "trang đang chạy giữ nguyên" in err
    assert not running_with(str(target))  # rsync and ssh stopped with it
    assert live(target) == release1 and tree(target / "current") == build1
    assert len(list((target / "releases").glob("*.partial"))) == 2

    # 3. The next publication completes, and the cut uploads are cleaned up.
    done = cchc("publish", "-f", str(config2), cwd=project.folder)
    assert done.returncode == 0, done.stderr
    assert tree(target / "current") == site_files(project.site(2))
    assert not list((target / "releases").glob("*.partial"))


def running_with(text: str) -> list[str]:
    """Command lines of running processes that mention `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command and entry.name.isdigit() and int(entry.name) != os.getpid():
            found.append(command)
    return found


# --- Refused: nothing changes on the server -------------------------------------------------------------
def _refused(project: Project, config: Path, target: Path, *expected: str) -> str:
    before = snapshot(target)
    done = cchc("publish", "-f", str(config), cwd=project.folder)
    assert done.returncode != 0, done.stdout
    for text in expected:
        assert text in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(target) == before
    return done.stderr


@pytest.fixture
def live_target(project, server, tmp_path) -> Path:
    """A server folder with build 1 live."""
    target = tmp_path / "cchc"
    target.mkdir()
    done = cchc("publish", "-f", str(project.config(1, ssh_target(server, target, project), "live")), cwd=project.folder)
    assert done.returncode == 0, done.stderr
    return target


def test_unknown_host_key_says_how_to_check_and_add_it(project, server, live_target, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    config = project.config(2, ssh_target(server, live_target, project, known_hosts=str(empty)), "unknown")
    message = _refused(project, config, live_target, "chưa biết khóa máy chủ (host key) của 127.0.0.1",
                       f"ssh-keyscan -p {server.port} 127.0.0.1", "ssh-keygen -lf", f">> {empty}")
    assert "Chưa gửi gì" in message


def test_changed_host_key_is_refused_and_named(project, server, live_target, tmp_path):
    other = keygen(tmp_path / "other_host_key")
    known = tmp_path / "known_hosts"
    known.write_text(server.known_hosts_line(other.with_suffix(".pub")))
    config = project.config(2, ssh_target(server, live_target, project, known_hosts=str(known)), "changed")
    _refused(project, config, live_target, "ĐÃ THAY ĐỔI", "giả mạo", f"ssh-keygen -R '[127.0.0.1]:{server.port}'")


def test_refused_key(project, server, live_target, tmp_path):
    stranger = keygen(tmp_path / "stranger")
    config = project.config(2, ssh_target(server, live_target, project, key=str(stranger)), "refused")
    _refused(project, config, live_target, f"từ chối khóa {stranger}", f"{stranger}.pub")


def test_missing_key_file(project, server, live_target, tmp_path):
    config = project.config(2, ssh_target(server, live_target, project, key=str(tmp_path / "khong-co")), "nokey")
    _refused(project, config, live_target, f"không tìm thấy tệp khóa SSH {tmp_path / 'khong-co'}", "ssh-keygen -t ed25519")


def test_unreachable_host(project, server, live_target):
    config = project.config(2, ssh_target(server, live_target, project, port=free_port()), "unreachable")
    _refused(project, config, live_target, "không kết nối được tới máy chủ 127.0.0.1", "Connection refused")


def test_missing_target_folder(project, server, live_target):
    config = project.config(2, ssh_target(server, live_target / "khong-co", project), "missing")
    _refused(project, config, live_target, f"thư mục {live_target / 'khong-co'} chưa có trên máy chủ")


def test_too_little_space_on_the_server_leaves_the_live_release(project, server, tmp_path):
    """A real small disk (tmpfs): build 1 fits, build 2's 4 MB attachment does not."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    site = project.site(1)
    folders = sum(1 for _ in os.walk(site))
    # KB: what cchc publish asks for build 1 (files, a block per folder, 2 MB spare), and 3 MB more.
    size = (sum(len(b) for b in site_files(site).values()) + folders * 4096 + 2 * 1024 * 1024) // 1024 + 3000
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}k", "tmpfs", str(mount)], check=True)
    try:
        target = mount / "cchc"
        target.mkdir()
        first = cchc("publish", "-f", str(project.config(1, ssh_target(server, target, project), "disk")), cwd=project.folder)
        assert first.returncode == 0, first.stderr
        build1 = tree(target / "current")
        config2 = project.config(2, ssh_target(server, target, project), "disk")
        message = _refused(project, config2, target, "không đủ chỗ trống trên", "Chưa gửi gì, trang đang chạy giữ nguyên")
        assert re.search(r"còn \d+\.\d MB, bản mới cần khoảng \d+\.\d MB", message)
        assert tree(target / "current") == build1
        dry = cchc("publish", "-f", str(config2), "--dry-run", cwd=project.folder)
        assert dry.returncode == 1 and "không đủ chỗ trống" in dry.stderr
    finally:
        subprocess.run(["umount", str(mount)], check=True)


# --- The build must be complete, current, not a preview, made for this address ----------------------
@pytest.fixture
def local(project, tmp_path):
    """A local target (a mounted folder) and a copy of build 1 to spoil."""
    target = tmp_path / "mounted"
    target.mkdir()
    site = tmp_path / "site"
    shutil.copytree(project.site(1), site)
    config = project.config(1, {"path": str(target), "url": project.url}, "local")
    return config, site, target


def test_local_target_publishes_verifies_and_rolls_back(project, local):
    config, _site, target = local
    first = cchc("publish", "-f", str(config), cwd=project.folder)
    assert first.returncode == 0, first.stderr
    release1 = live(target)
    config2 = project.config(2, {"path": str(target), "url": project.url}, "local")
    second = cchc("publish", "-f", str(config2), "-v", cwd=project.folder)
    assert second.returncode == 0, second.stderr
    added, changed, _ = differing(site_files(project.site(1)), site_files(project.site(2)))
    assert {line[4:] for line in second.stdout.splitlines() if line.startswith("  ↑ ")} == added | changed
    assert tree(target / "current") == site_files(project.site(2))
    back = cchc("publish", "-f", str(config2), "--rollback", cwd=project.folder)
    assert back.returncode == 0 and live(target) == release1
    assert tree(target / "current") == site_files(project.site(1))


def test_no_build(project, local):
    config, site, target = local
    shutil.rmtree(site)
    site.mkdir()
    _refused(project, config_with_site(project, config, site), target, "chưa có bản dựng trong", "make site")


def config_with_site(project: Project, config: Path, site: Path) -> Path:
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["site_dir"] = str(site)
    path = config.with_name(config.stem + "-copy.yml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_build_older_than_the_content(project, local, tmp_path):
    config, site, target = local
    content = project.folder / "content1"
    article = content / "news/2025/04/trung-tam-gdtx-tinh-huong-ung-phong-trao-binh-dan-hoc-vu-so.md"
    stat = article.stat()
    try:
        os.utime(article, ns=(stat.st_atime_ns, time.time_ns()))
        _refused(project, config_with_site(project, config, site), target, "cũ hơn nội dung: đã sửa sau đó:",
                 "trung-tam-gdtx-tinh-huong-ung-phong-trao-binh-dan-hoc-vu-so.md", "chạy make site")
    finally:
        os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_build_made_with_another_configuration(project, local):
    config, site, target = local
    changed = project.config(1, {"path": str(target), "url": project.url}, "renamed", site_name="Tin CCHC mới",
                             site_dir=str(site))
    _refused(project, changed, target, "cũ hơn nội dung: đã sửa sau đó: mkdocs-1-renamed.yml")


def test_failed_build_is_not_published(project, local, tmp_path):
    """A build that failed kept the previous site: publishing says the last build did not succeed."""
    config, site, target = local
    broken = tmp_path / "broken"
    shutil.copytree(project.folder / "content1", broken)
    (broken / "news/2026/09/hong.md").write_text("---\ntitle: Bài hỏng\ndate: không phải ngày\n---\n", encoding="utf-8")
    data = yaml.safe_load(config_with_site(project, config, site).read_text(encoding="utf-8"))
    data["extra"]["cchc"]["content_dir"] = str(broken)
    data["watch"] = [str(broken), str(ROOT / "overrides")]
    bad = tmp_path / "mkdocs.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build = cchc("build", "-f", str(bad), "--quiet", cwd=tmp_path)
    assert build.returncode != 0
    assert (site / "index.html").exists()  # the previous build is still there …
    _refused(project, bad, target, "lần xây dựng trang gần nhất", "không thành công", "sửa các lỗi")


def test_preview_build_is_not_published(project, local):
    config, site, target = local
    manifest = json.loads((site / MANIFEST).read_text())
    manifest["preview"] = True  # as a build that showed drafts records itself
    (site / MANIFEST).write_text(json.dumps(manifest))
    _refused(project, config_with_site(project, config, site), target, "là bản xem thử", "bài nháp")


def test_site_url_must_be_the_targets_public_address(project, local):
    config, site, target = local
    other = project.config(1, {"path": str(target), "url": "https://sgddt.vinhlong.gov.vn/cchc/"}, "other-url",
                           site_dir=str(site))
    _refused(project, other, target, f"bản dựng được làm cho địa chỉ “{project.url}”",
             "phục vụ trang ở “https://sgddt.vinhlong.gov.vn/cchc/”", "đặt site_url")


def test_folder_not_made_by_cchc_build(project, local):
    config, site, target = local
    (site / MANIFEST).unlink()
    _refused(project, config_with_site(project, config, site), target, "không phải bản dựng trọn vẹn của cchc build")


@pytest.mark.parametrize("publish, message", [
    (None, "chưa khai báo nơi xuất bản (extra.cchc.publish)"),
    ({"host": "web", "path": "/srv/cchc", "url": "https://a.vn/cchc/"}, "thiếu user"),
    ({"host": "web", "user": "cchc", "path": "srv/cchc", "url": "https://a.vn/"}, "phải là đường dẫn tuyệt đối"),
    ({"path": "/srv/cchc"}, "thiếu url"),
    ({"path": "/srv/cchc", "url": "https://a.vn/", "keep": 1}, "keep phải là số nguyên từ 2 trở lên"),
    ({"path": "/srv/cchc", "url": "https://a.vn/", "hots": "web"}, "không biết khóa hots"),
])
def test_configuration_errors(project, publish, message):
    config = project.config(1, publish, "bad-config")
    done = cchc("publish", "-f", str(config), cwd=project.folder)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# --- Pre-compressed copies ---------------------------------------------------------------------------
def test_build_writes_deterministic_gzip_copies(project):
    site = project.site(1)
    for name in ("index.html", "rss.xml", "assets/search.js", "assets/cchc.css", "assets/logo.svg",
                 "pagefind/pagefind-entry.json"):
        original = (site / name).read_bytes()
        packed = (site / (name + ".gz")).read_bytes()
        assert gzip.decompress(packed) == original
        assert packed[3] == 0 and packed[4:8] == b"\0\0\0\0"  # no file name, modification time 0
    assert not (site / "tin-tuc/2025/04/images/bieu-duong-mot-cua.png.gz").exists()  # PNG: already compressed
    assert not (site / (MANIFEST + ".gz")).exists()
    # Same page in both builds → the same .gz bytes (so publishing links it instead of sending it).
    assert (project.site(2) / "gioi-thieu/index.html.gz").read_bytes() == (site / "gioi-thieu/index.html.gz").read_bytes()


def test_second_compression_uses_the_cache(tmp_path):
    from cchc.buildcache import BuildCache
    from cchc.precompress import precompress_tree

    def store():
        return BuildCache(tmp_path / "cache", warn=print).blobs("gzip", keep_seconds=0)

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    page = "<p>" + "Tin cải cách hành chính. " * 200 + "</p>"
    (site / "index.html").write_text(page, encoding="utf-8")
    (site / "a" / "index.html").write_text(page + "khác", encoding="utf-8")
    (site / "tiny.json").write_text("{}", encoding="utf-8")
    first = precompress_tree(site, store())
    assert (first.files, first.written, first.compressed, first.skipped) == (3, 2, 2, 1)
    copy = (site / "index.html.gz").read_bytes()
    second = precompress_tree(site, store())
    assert (second.written, second.compressed) == (2, 0)
    assert (site / "index.html.gz").read_bytes() == copy
    (site / "a" / "index.html").write_text(page + "đã sửa", encoding="utf-8")
    third = precompress_tree(site, store())
    assert third.compressed == 1
    assert gzip.decompress((site / "a" / "index.html.gz").read_bytes()).decode() == page + "đã sửa"
    assert (site / "a" / "index.html.gz").stat().st_nlink == 1  # a copy, never a link into the cache
    from cchc.precompress import _key
    gone = _key(hashlib.sha256((page + "khác").encode()).hexdigest())
    assert not (tmp_path / "cache" / "gzip" / gone[:2] / gone).exists()  # gone from the site: pruned
