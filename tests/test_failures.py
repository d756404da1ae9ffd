"""Builds that fail as failures happen: a full disk, a read-only output folder, a killed build,
two builds at once.  Each ends in a Vietnamese message (never a traceback) with the previous
site intact and nothing left behind, and the next build is the same as a clean one."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from support import BIN, ROOT, build_site, copy_content, env, write_config


def digest_tree(root: Path) -> dict[str, str]:
    """Every published file's digest (the build's own record, with its time, left out)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".cchc-build.json"}


def project(work: Path, content: Path = ROOT / "content") -> Path:
    work.mkdir(parents=True, exist_ok=True)
    return write_config(work, content)


def cchc_build(config: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "cchc"), "build", "-q", "-f", str(config), *extra], capture_output=True,
                          text=True, env=env(), cwd=config.parent)


def leftovers(folder: Path) -> list[str]:
    """Temporary folders and files a build may leave beside the site or in the cache."""
    found = [p.name for p in folder.glob(".site-*")]
    cache = folder / ".cache"
    if cache.is_dir():
        found += [str(p.relative_to(folder)) for p in cache.rglob(".tmp-*")]
    return found


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> dict[str, str]:
    """The sample site built from nothing by `cchc build` (with its .gz copies): what every
    build below must publish."""
    work = tmp_path_factory.mktemp("clean") / "work"
    built = cchc_build(project(work))
    assert built.returncode == 0, built.stderr
    return digest_tree(work / "site")


@pytest.fixture(scope="module")
def clean_engine_site(tmp_path_factory) -> dict[str, str]:
    """The same built by the engine alone (`mkdocs build`: no .gz copies)."""
    built = build_site(tmp_path_factory.mktemp("clean-engine") / "work")
    assert built.ok, built.output
    return digest_tree(built.site)


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mount is not permitted here: {result.stderr.strip()}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 48 MB tmpfs of its own for the project folder (config, cache, site)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount("-t", "tmpfs", "-o", "size=48m", "tmpfs", str(disk))
    try:
        yield disk
    finally:
        _umount(disk)


def test_a_full_disk_stops_the_build_with_a_message_and_the_next_build_is_clean(small_disk, clean_site):
    config = project(small_disk)
    first = cchc_build(config)
    assert first.returncode == 0, first.stderr
    before = digest_tree(small_disk / "site")
    # Fill the disk, leaving far less than a site needs.
    free = shutil.disk_usage(small_disk).free
    filler = small_disk / "filler"
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - 400 * 1024))
    shutil.rmtree(small_disk / ".cache" / "pages")  # the build must write pages again
    failed = cchc_build(config)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "Traceback" not in output, output
    assert "hết chỗ trống trên đĩa" in output and str(small_disk) in output, output
    assert "cần khoảng" in output  # how much space the build needs
    assert digest_tree(small_disk / "site") == before  # the previous site is untouched
    assert not [p for p in small_disk.glob(".site-*")], list(small_disk.iterdir())
    filler.unlink()
    again = cchc_build(config)
    assert again.returncode == 0, again.stderr
    assert digest_tree(small_disk / "site") == clean_site
    assert leftovers(small_disk) == []


def test_a_read_only_output_folder_is_refused_before_building(tmp_path, clean_site):
    work = tmp_path / "work"
    config = project(work)
    assert cchc_build(config).returncode == 0
    site = work / "site"
    before = digest_tree(site)
    _mount("--bind", str(site), str(site))
    try:
        _mount("-o", "remount,ro,bind", str(site))
        result = cchc_build(config)
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in output
        assert "chỉ cho đọc" in output and str(site) in output, output
        assert digest_tree(site) == before
        assert leftovers(work) == []
    finally:
        _umount(site)
    again = cchc_build(config)
    assert again.returncode == 0, again.stderr
    assert digest_tree(site) == clean_site


def test_an_old_site_that_cannot_be_removed_is_left_aside_with_a_warning(tmp_path, clean_site):
    """A file of the old site that cannot be deleted (immutable): the new site is published and
    the command says so, with where the old copy is, instead of reporting a failure."""
    work = tmp_path / "work"
    config = project(work)
    assert cchc_build(config).returncode == 0
    stuck = work / "site" / "index.html"
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("chattr is not available on this file system")
    try:
        result = cchc_build(config)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert "không xóa được bản cũ" in output and "Đã xuất bản" in output
        assert digest_tree(work / "site") == clean_site
    finally:
        for path in work.glob(".site-old-*/index.html"):
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    again = cchc_build(config)
    assert again.returncode == 0 and leftovers(work) == [], again.stderr


def test_a_killed_build_leaves_the_site_and_the_next_build_is_clean(tmp_path, clean_site):
    work = tmp_path / "work"
    content = copy_content(tmp_path)
    config = project(work, content)
    assert cchc_build(config).returncode == 0
    before = digest_tree(work / "site")
    shutil.rmtree(work / ".cache")
    process = subprocess.Popen([str(BIN / "cchc"), "build", "-q", "-f", str(config)], env=env(), cwd=work,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (work / ".cache" / "pages").is_dir():
        time.sleep(0.05)
    time.sleep(0.5)  # in the middle of writing pages
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert digest_tree(work / "site") == before
    again = cchc_build(config)
    assert again.returncode == 0, again.stderr
    assert digest_tree(work / "site") == clean_site
    assert leftovers(work) == []


def test_two_builds_at_once_wait_for_each_other(tmp_path, clean_engine_site):
    """Two cold builds in the same folder (the same cache and output): the second waits for the
    first and says so; both succeed and the site is a clean build's."""
    work = tmp_path / "work"
    config = project(work)
    processes = [subprocess.Popen([str(BIN / "mkdocs"), "build", "-f", str(config)], env=env(), cwd=work,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=600)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert not any("Traceback" in o for o in outputs)
    assert sum("chờ bản dựng đó xong" in o for o in outputs) == 1, outputs
    assert digest_tree(work / "site") == clean_engine_site


def test_a_read_only_cache_builds_without_it(tmp_path, clean_engine_site):
    work = tmp_path / "work"
    config = project(work)
    cache = work / ".cache"
    cache.mkdir(parents=True)
    _mount("--bind", str(cache), str(cache))
    try:
        _mount("-o", "remount,ro,bind", str(cache))
        built = subprocess.run([str(BIN / "mkdocs"), "build", "-f", str(config)], capture_output=True, text=True,
                               env=env(), cwd=work)
    finally:
        _umount(cache)
    assert built.returncode == 0, built.stderr
    assert "không dùng được thư mục bộ nhớ đệm" in built.stderr
    assert digest_tree(work / "site") == clean_engine_site
