"""`make bench`: this project against Material for MkDocs' blog plugin, on the same articles.

For each corpus size N (scripts/bench_corpus.py writes the same deterministic articles three ways):

* A = this project (the repository's mkdocs.yml pointed at the corpus),
* B = Material's blog plugin with categories, archive, authors (units), pagination, tags, search,
  plus mkdocs-rss-plugin for the feed (the alternative a department would pick),
* C = the floor: the same pages as plain Material pages out of the nav, no listings at all,

are built alternately (A B C A B C …) as separate processes; each build's wall time and peak RSS
(os.wait4 of that child) are recorded, then the output is measured (size, search index, article
page weight, largest listing page).  For A it also measures a second build with unchanged content
(persistent-cache target), where the time goes (an in-process build with timers around Markdown,
Jinja and the hooks, and a cProfile run for the hot spots), and the live-preview latency of an
edit under `mkdocs serve`.  Results: a table on stdout and JSON + Markdown in bench-results/.

    python scripts/bench.py [--sizes 300,1000,3000] [--repeat 3] [--quick] [--output PATH]

Cold builds start without the site folder and any cache (CCHC_CACHE_DIR, .cache beside the
config): the persistent cache, when it exists, must live in one of those places.  Those folders
are moved aside before a cold build and removed when the run ends (see `clean_for_cold`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from posixpath import normpath
from urllib.parse import urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The code that is measured: a snapshot of the working tree taken when the run starts (other
# work may change the tree during a long run), or the tree itself with --live-tree.
CODE = Path(os.environ.get("CCHC_BENCH_CODE", ROOT))
SNAPSHOT_ITEMS = ("hooks", "overrides", "docs", "content", "mkdocs.yml")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_corpus  # noqa: E402
import bench_pictures  # noqa: E402
from bench_browser import LAUNCH_ARGS, QuietHandler, find_browser  # noqa: E402

BIN = Path(sys.executable).parent
BUILD_DATE = bench_corpus.BUILD_DATE
MiB = 1024 * 1024

TARGETS = {
    "time_ratio": 0.35,  # this project / Material blog, N = 3000
    "rss_ratio": 0.5,
    "linear_time": 10.5,  # time(3000) / time(300); scaled by (Nmax/Nmin)/10 for other sizes
    "warm_ratio": 0.25,  # second build with unchanged content / first build
    "preview_edit_s": 2.0,
    "search_bytes": 3 * 1000 * 1000,  # at N = 3000
    "article_page_bytes": 400 * 1000,
    "sample_site_s": 5.0,
    # issue 15: an article page with one 4000×3000 phone photo, in Chromium at 390 px
    "phone_article_bytes": 300 * 1000,
    "second_build_image_s": 0.0,
}

VARIANTS = ("cchc", "blog", "plain")
LABELS = {"cchc": "this project", "blog": "Material blog", "plain": "plain Material (floor)"}
ARTICLE_PAGE = {
    "cchc": re.compile(r"^tin-tuc/\d{4}/\d{2}/[^/]+/index\.html$"),
    "blog": re.compile(r"^blog/\d{4}/\d{2}/[^/]+/index\.html$"),
    "plain": re.compile(r"^tin-tuc/\d{4}/\d{2}/[^/]+/index\.html$"),
}


def log(message: str = "") -> None:
    print(message, flush=True)


def snapshot_code(target: Path) -> Path:
    """Copy what a build reads (hooks, templates, docs, config, sample content) to `target`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SNAPSHOT_ITEMS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore, symlinks=True)
        elif source.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build_env(cache_dir: Path | None = None) -> dict:
    env = dict(os.environ)
    env["CCHC_BENCH_CODE"] = str(CODE)
    # the snapshot's `cchc` package comes before the editable install's path entry
    env["PYTHONPATH"] = os.pathsep.join([str(CODE / "hooks"), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["CCHC_BUILD_DATE"] = BUILD_DATE
    env.pop("SOURCE_DATE_EPOCH", None)
    if cache_dir is not None:
        env["CCHC_CACHE_DIR"] = str(cache_dir)
    return env


# --- configs ----------------------------------------------------------------------------------
def write_cchc_config(folder: Path, content: Path) -> Path:
    """The repository's mkdocs.yml, pointed at `content`, building into folder/site."""
    folder.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load((CODE / "mkdocs.yml").read_text(encoding="utf-8"))
    data["docs_dir"] = str(CODE / data.get("docs_dir", "docs"))
    data["site_dir"] = str(folder / "site")
    theme = data.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(CODE / theme["custom_dir"])
    data["hooks"] = [str(CODE / h) for h in data.get("hooks", [])]
    data["watch"] = [str(content)]
    data.setdefault("extra", {}).setdefault("cchc", {})["content_dir"] = str(content)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def site_identity() -> dict:
    data = yaml.safe_load((CODE / "mkdocs.yml").read_text(encoding="utf-8"))
    return {k: data.get(k, "") for k in ("site_name", "site_url", "site_description")}


# --- running builds ---------------------------------------------------------------------------
class TreeMemory:
    """Peak memory of a process and all its descendants together, sampled every 20 ms.

    PSS (proportional set size, /proc/<pid>/smaps_rollup): pages shared between processes are
    split among them, so the sum is the memory the build really holds.  The peak RSS that
    wait4() reports is of one process only (the largest), which hides helpers running beside
    the build (our search indexer and conversion workers).  A process caught between fork() and
    exec() shares its parent's memory: it is left out of the sample.
    """

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_kib = 0
        self.peak_parts: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _read(path: str) -> str | None:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:
            return None

    def _children(self, pid: int) -> list[int]:
        found = []
        for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
            text = self._read(f"/proc/{pid}/task/{task}/children")
            if text:
                found += [int(x) for x in text.split()]
        return found

    def _pss(self, pid: int) -> int:
        text = self._read(f"/proc/{pid}/smaps_rollup") or ""
        match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        return int(match.group(1)) if match else 0

    def _sample(self) -> None:
        root_name = (self._read(f"/proc/{self.pid}/comm") or "").strip()
        total, parts, todo = 0, [], [self.pid]
        while todo:
            pid = todo.pop()
            before = (self._read(f"/proc/{pid}/comm") or "").strip()
            pss = self._pss(pid)
            after = (self._read(f"/proc/{pid}/comm") or "").strip()
            try:
                todo += self._children(pid)
            except OSError:
                pass
            if before != after or (pid != self.pid and after == root_name):
                continue  # exec() under way: still the parent's memory
            total += pss
            parts.append((after, pss))
        if total > self.peak_kib:
            self.peak_kib, self.peak_parts = total, parts

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(0.02)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def run_measured(cmd: list[str], *, cwd: Path, env: dict, log_path: Path) -> dict:
    """Run `cmd` to completion; wall time, peak memory of the whole process tree (PSS, sampled)
    and the peak RSS of the largest single process (os.wait4)."""
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        memory = TreeMemory(proc.pid) if Path(f"/proc/{proc.pid}/smaps_rollup").exists() else None
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree_mib = memory.stop() if memory is not None else None
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return {
        "wall_s": wall,
        "mem_mib": tree_mib if tree_mib else usage.ru_maxrss / 1024,  # peak of the whole tree
        "rss_mib": usage.ru_maxrss / 1024,  # KiB on Linux; the largest single process
        "mem_parts": [(name, round(kib / 1024)) for name, kib in (memory.peak_parts if memory else [])],
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rc": proc.returncode,
        "warnings": len(re.findall(r"^WARNING", text, re.M)),
        "log": str(log_path),
    }


SET_ASIDE = ".set-aside"  # beside each size's variants; removed when the run ends


def clean_for_cold(folder: Path) -> None:
    """Take away the output and every cache a build of the config in `folder` may keep: moved
    aside (same file system), removed when the run ends (`remove_set_aside`).  Removing them
    here would time the removal's after-effects instead of the build: on ext4 without a journal
    (this machine's disk), each file created within a minute or more of many deletions is
    allocated past every recently deleted inode (the kernel's `recently_deleted`), which cost
    the variant that writes more files most (notes/performance.md, 2026-12-08)."""
    aside = folder.parent / SET_ASIDE / f"{folder.name}-{time.time_ns()}"
    for name in ("site", ".cache", "cache"):
        if (folder / name).exists() or (folder / name).is_symlink():
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(folder / name, aside / name)


def remove_set_aside(base: Path) -> None:
    for folder in base.glob(f"*/{SET_ASIDE}"):
        shutil.rmtree(folder, ignore_errors=True)


def mkdocs_build(folder: Path, tag: str, *, cold: bool = True) -> dict:
    if cold:
        clean_for_cold(folder)
    cmd = [str(BIN / "mkdocs"), "build", "-f", str(folder / "mkdocs.yml")]
    result = run_measured(cmd, cwd=folder, env=build_env(folder / "cache"), log_path=folder / f"build-{tag}.log")
    if result["rc"] != 0:
        tail = Path(result["log"]).read_text(encoding="utf-8", errors="replace")[-3000:]
        log(f"    !! build failed ({folder.name}, rc={result['rc']}):\n{tail}")
    return result


# --- measuring output -------------------------------------------------------------------------
def dir_bytes(folder: Path) -> tuple[int, int]:
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            count += 1
    return total, count


_LINKED = re.compile(r"""<(?:link[^>]*\brel=["']?stylesheet["']?[^>]*\bhref|script[^>]*\bsrc)=["']?([^"' >]+)""", re.I)


def page_weight(site: Path, rel: str) -> dict:
    """An HTML page and the local CSS/JS it links (no images, no fonts)."""
    html = (site / rel).read_text(encoding="utf-8", errors="replace")
    page_url = "/" + rel
    assets = {}
    for href in _LINKED.findall(html):
        if re.match(r"^[a-z]+:|^//", href, re.I):
            continue
        target = normpath(urlsplit(urljoin(page_url, href)).path).lstrip("/")
        path = site / target
        if path.is_file():
            assets[target] = path.stat().st_size
    html_bytes = (site / rel).stat().st_size
    return {"page": rel, "html_bytes": html_bytes, "assets_bytes": sum(assets.values()),
            "total_bytes": html_bytes + sum(assets.values()), "assets": assets}


def search_measure(site: Path, markers: list[str]) -> dict:
    """Search index: total bytes, an estimate of what a browser downloads for one query, and
    whether words from the end of article bodies are indexed (JSON indexes only)."""
    result: dict = {"kind": "none", "total_bytes": 0, "query_download_bytes": 0, "body_words_found": None}
    pagefind = next((site / d for d in ("pagefind", "_pagefind") if (site / d / "pagefind-entry.json").exists()), None)
    if pagefind is not None:
        total, count = dir_bytes(pagefind)

        def size(pattern: str) -> list[int]:
            return [p.stat().st_size for p in pagefind.glob(pattern) if p.is_file()]

        def mean(values: list[int]) -> float:
            return sum(values) / len(values) if values else 0.0

        fixed = sum(size("pagefind.js")) + sum(size("pagefind-entry.json"))
        wasm = size("wasm.*.pagefind")
        meta = size("pagefind.*.pf_meta")
        chunks = size("index/*.pf_index")
        fragments = size("fragment/*.pf_fragment")
        ui = sum(size("pagefind-ui.js")) + sum(size("pagefind-ui.css")) + sum(size("pagefind-component-ui.*"))
        estimate = fixed + (max(wasm) if wasm else 0) + (max(meta) if meta else 0) + 2 * mean(chunks) + 5 * mean(fragments)
        result.update(kind="pagefind", folder=pagefind.name, total_bytes=total, files=count,
                      query_download_bytes=int(estimate), ui_bytes=ui,
                      index_chunks=len(chunks), fragments=len(fragments),
                      note="query download ≈ pagefind.js + entry + wasm + meta + 2 index chunks + 5 fragments")
        return result
    index = site / "search" / "search_index.json"
    if index.exists():
        total, count = dir_bytes(site / "search")
        text = index.read_text(encoding="utf-8")
        worker = sum(p.stat().st_size for p in (site / "assets" / "javascripts" / "workers").glob("search*.js"))
        lunr = sum(p.stat().st_size for p in (site / "assets" / "javascripts" / "lunr" / "min").glob("lunr.*.min.js")
                   if p.name.split(".")[1] in ("stemmer", "vi", "multi"))
        found = sum(1 for m in markers if m in text)
        result.update(kind="json", total_bytes=total, files=count, index_bytes=index.stat().st_size,
                      query_download_bytes=index.stat().st_size + worker + lunr,
                      body_words_found=f"{found}/{len(markers)}",
                      note="whole search_index.json + search worker + lunr language files")
        return result
    other = [d for d in ("search",) if (site / d).is_dir()]
    if other:
        total, count = dir_bytes(site / other[0])
        result.update(kind="other", total_bytes=total, files=count, query_download_bytes=total)
    return result


SEARCH_QUERIES = ("cai cach hanh chinh", "dich vu cong", "chuyen doi so", "duong day nong", "hoa giai",
                  "thu tuc hanh chinh mot cua")
TYPED_QUERY = "thu tuc hanh chinh mot cua"  # also typed a key at a time (350 ms apart), as on a phone


def search_downloads(site: Path, page_rel: str) -> dict | None:
    """What a browser really downloads for a search: each query typed into the search box of an
    article page in a fresh Chromium profile, counting every response under pagefind/ (the index,
    its code and the shard list).  None when Playwright or Debian's chromium is missing."""
    found = find_browser()
    if found is None:
        return None
    chromium, sync_playwright = found
    import http.server

    base_path = urlsplit(site_identity()["site_url"] or "/").path.strip("/")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        mount = root / base_path if base_path else root
        mount.parent.mkdir(parents=True, exist_ok=True)
        if base_path:
            mount.symlink_to(site, target_is_directory=True)
        handler = functools.partial(QuietHandler, directory=str(root if base_path else site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{base_path + '/' if base_path else ''}{page_rel}"
        results: dict = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=list(LAUNCH_ARGS))
                for query in SEARCH_QUERIES + (("typed: " + TYPED_QUERY),):
                    context = browser.new_context()
                    tab = context.new_page()
                    sizes: list[int] = []
                    tab.on("requestfinished", lambda req: sizes.append(
                        req.sizes()["responseBodySize"]) if "/pagefind/" in req.url else None)
                    tab.goto(url)
                    box = tab.locator("#cchc-search-input")
                    box.click()
                    text = query.removeprefix("typed: ")
                    if query.startswith("typed: "):
                        box.press_sequentially(text, delay=350)
                    else:
                        box.fill(text)
                    tab.wait_for_function(
                        "() => document.querySelector('[data-cchc-search]').getAttribute('data-cchc-state') === 'done'",
                        timeout=60000)
                    tab.wait_for_timeout(500)
                    results[query] = {"bytes": sum(sizes), "requests": len(sizes),
                                      "results": tab.locator("#cchc-search-results li").count()}
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return {"queries": results, "max_bytes": max(r["bytes"] for r in results.values()),
            "note": "measured in Chromium: every response under pagefind/ while the query is typed"}


def _search(site: Path, variant: str, markers: list[str], page_rel: str) -> dict:
    result = search_measure(site, markers)
    if variant == "cchc" and result.get("kind") == "pagefind" and page_rel:
        measured = search_downloads(site, page_rel.removesuffix("index.html"))
        if measured is not None:
            result.update(measured=measured, query_download_bytes=measured["max_bytes"], estimate_bytes=result["query_download_bytes"])
    return result


def measure_site(site: Path, variant: str, markers: list[str]) -> dict:
    total, count = dir_bytes(site)
    pattern = ARTICLE_PAGE[variant]
    articles = []
    largest_other = ("", 0)
    html_total = 0
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        html_total += size
        if pattern.match(rel):
            articles.append((size, rel))
        elif size > largest_other[1]:
            largest_other = (rel, size)
    articles.sort()
    weight = page_weight(site, articles[-1][1]) if articles else {}
    composition: dict[str, int] = defaultdict(int)
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site)
            top = rel.parts[0] if len(rel.parts) > 1 else "(root files)"
            composition[f"{top}/*{path.suffix}"] += path.stat().st_size
    return {
        "bytes": total,
        "files": count,
        "html_bytes": html_total,
        "article_pages": len(articles),
        "largest_article": weight,
        "median_article_html_bytes": articles[len(articles) // 2][0] if articles else 0,
        "largest_other_page": {"page": largest_other[0], "bytes": largest_other[1]},
        "search": _search(site, variant, markers, weight.get("page", "")),
        "composition": dict(sorted(composition.items(), key=lambda kv: -kv[1])[:12]),
    }


# --- in-process build: where the time goes ----------------------------------------------------
class Clock:
    """Exclusive time per category: time inside a nested category is charged to that category."""

    def __init__(self):
        self.stack: list[list] = []
        self.exclusive: dict[tuple[str, str | None], float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.labels: dict[str, float] = defaultdict(float)  # "category: label" → exclusive time

    def wrap(self, fn, category: str, label=None):
        """`label`: a string, or a callable of the call's arguments (e.g. the template name)."""
        clock = self

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            stack = clock.stack
            parent = stack[-1][0] if stack else None
            frame = [category, 0.0]
            stack.append(frame)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                stack.pop()
                own = elapsed - frame[1]
                clock.exclusive[(category, parent)] += own
                clock.calls[category] += 1
                if label is not None:
                    name = label(*args, **kwargs) if callable(label) else label
                    clock.labels[f"{category}: {name}"] += own
                if stack:
                    stack[-1][1] += elapsed

        return timed


def _event_category(origin: str) -> str:
    if "cchc" in origin or origin.endswith(".py"):
        return "hooks"
    if "search" in origin:
        return "search plugin"
    return "other plugins"


def inprocess_build(config_file: Path, *, profile_out: Path | None = None, timers_out: Path | None = None) -> None:
    """Build like `mkdocs build` in this process, with timers or under cProfile."""
    os.environ.update(build_env(config_file.parent / "cache"))
    os.chdir(config_file.parent)
    import logging

    import jinja2
    import markdown
    from mkdocs import utils as mk_utils
    from mkdocs.commands import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    logging.basicConfig(level=logging.WARNING)
    clean_for_cold(config_file.parent)
    clock = Clock()
    if timers_out is not None:
        markdown.Markdown.convert = clock.wrap(markdown.Markdown.convert, "markdown")
        Page.render = clock.wrap(Page.render, "markdown")  # Markdown() set-up + convert + toc
        jinja2.environment.Template.render = clock.wrap(jinja2.environment.Template.render, "templates",
                                                        lambda template, *a, **k: template.name)
        mk_utils.write_file = clock.wrap(mk_utils.write_file, "writing files")
        File.copy_file = clock.wrap(File.copy_file, "writing files")
    start = time.perf_counter()
    config = load_config(config_file=str(config_file))
    if timers_out is not None:
        plugins = config.plugins
        for name, methods in plugins.events.items():
            wrapped = []
            for method in methods:
                origin = plugins._event_origins.get(method, "<unknown>")
                category = _event_category(origin)
                timed = clock.wrap(method, category, f"{name} ({Path(origin).name})")
                plugins._event_origins[timed] = origin
                wrapped.append(timed)
            plugins.events[name] = wrapped
    phases: list[dict] = []
    if timers_out is not None:
        import resource

        page_size = os.sysconf("SC_PAGE_SIZE")
        plugins = config.plugins
        original_run_event = plugins.run_event
        seen: set[str] = set()

        def memory_mark(name: str) -> None:
            with open("/proc/self/statm") as statm:
                rss = int(statm.read().split()[1]) * page_size / MiB
            phases.append({"phase": name, "at_s": time.perf_counter() - start, "rss_mib": rss,
                           "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                           "children_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024})

        def run_event(name, *args, **kwargs):
            if name not in seen:
                seen.add(name)
                memory_mark(f"before first on_{name}")
            return original_run_event(name, *args, **kwargs)

        plugins.run_event = run_event
    profiler = None
    if profile_out is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mk_build.build(config)
    finally:
        config.plugins.on_shutdown()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile_out))
    total = time.perf_counter() - start
    if timers_out is not None:
        memory_mark("end of build")
    if timers_out is not None:
        by_category: dict[str, float] = defaultdict(float)
        detail = {}
        for (category, parent), seconds in clock.exclusive.items():
            by_category[category] += seconds
            detail[f"{category} (inside {parent or 'mkdocs'})"] = seconds
        labels = dict(sorted(clock.labels.items(), key=lambda kv: -kv[1]))
        timers_out.write_text(json.dumps({"total_s": total, "exclusive_s": by_category, "detail_s": detail,
                                          "labels_s": labels, "calls": clock.calls, "memory_phases": phases},
                                         indent=1), encoding="utf-8")


def attribution(config_file: Path, out: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_timers", str(config_file), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=build_env(config_file.parent / "cache"))
    if proc.returncode != 0:
        log("    !! timed build failed:\n" + proc.stderr[-3000:])
        return {}
    data = json.loads(out.read_text(encoding="utf-8"))
    total = data["total_s"]
    exclusive = data["exclusive_s"]
    accounted = sum(exclusive.values())
    exclusive["mkdocs core (rest)"] = max(0.0, total - accounted)
    data["percent"] = {k: 100 * v / total for k, v in exclusive.items()}
    return data


def _short(path: str) -> str:
    match = re.search(r"site-packages/(.*)$", path)
    if match:
        return match.group(1)
    for base in (CODE, ROOT):
        if path.startswith(str(base) + os.sep):
            return os.path.relpath(path, base)
    match = re.search(r"lib/python3\.\d+/(.*)$", path)
    return match.group(1) if match else path


def _package(path: str) -> str:
    if path == "~" or path.startswith("<"):
        return "(C builtins)"
    if _is_project(path) and "/cchc/" in path:
        return "cchc"
    if _is_project(path):
        return "hooks adapter"
    for base in (CODE, ROOT):
        if path.startswith(str(base) + os.sep):
            return f"project {Path(path).relative_to(base).parts[0]}/ (templates)"
    match = re.search(r"site-packages/([^/]+)", path)
    if match:
        return match.group(1).removesuffix(".py")
    match = re.search(r"lib/python3\.\d+/([^/]+)", path)
    return "stdlib:" + match.group(1).removesuffix(".py") if match else path


def _is_project(path: str) -> bool:
    return any(path.startswith(str(base / "hooks") + os.sep) for base in (CODE, ROOT))


def profile(config_file: Path, out: Path, top: int = 30) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_profile", str(config_file), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=build_env(config_file.parent / "cache"))
    if proc.returncode != 0:
        log("    !! profiled build failed:\n" + proc.stderr[-3000:])
        return {}
    return parse_profile(out, top)


def parse_profile(out: Path, top: int = 30) -> dict:
    """Top functions by own time, the project's functions by cumulative time, own time by package;
    `all` keeps every function that matters (≥0.05% own or ≥0.2% cumulative) for growth tables."""
    import pstats

    stats = pstats.Stats(str(out)).stats
    total = sum(v[2] for v in stats.values())
    rows = []
    packages: dict[str, float] = defaultdict(float)
    for (file, line, func), (cc, nc, tt, ct, callers) in stats.items():
        packages[_package(file)] += tt
        rows.append({"where": f"{_short(file)}:{line}:{func}" if file != "~" else func, "calls": nc,
                     "tottime_s": tt, "cumtime_s": ct, "project": _is_project(file)})
    by_tot = sorted(rows, key=lambda r: -r["tottime_s"])[:top]
    own = sorted((r for r in rows if r["project"]), key=lambda r: -r["cumtime_s"])[:top]
    kept = {r["where"]: r for r in rows
            if r["project"] or r["tottime_s"] >= 0.0005 * total or r["cumtime_s"] >= 0.002 * total}
    return {"total_tottime_s": total, "top_tottime": by_tot, "project_cumtime": own, "file": str(out),
            "packages": dict(sorted(packages.items(), key=lambda kv: -kv[1])), "all": kept}


# --- live preview -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, ""


def poll(url: str, predicate, timeout: float, interval: float = 0.05) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        status, body = fetch(url)
        if predicate(status, body):
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def preview_latency(workdir: Path, articles: list, timeout: float = 180) -> dict:
    """`mkdocs serve` on the corpus: seconds until an edit / an added / a deleted article shows."""
    content = workdir / "content"
    folder = workdir / "cchc"
    config = write_cchc_config(folder, content)
    port = free_port()
    base_path = urlsplit(site_identity()["site_url"] or "/").path or "/"
    base = f"http://127.0.0.1:{port}{base_path}"
    log_path = folder / "serve.log"
    out = open(log_path, "wb")
    # As `make serve` runs it (incremental rebuilds).
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-f", str(config), "-a", f"127.0.0.1:{port}",
                             "--livereload", "--dirty"],
                            cwd=folder, env=build_env(folder / "cache"), stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    result: dict = {"articles": len(articles), "port": port}
    try:
        target = articles[len(articles) // 2]
        url = base + f"tin-tuc/{target.date:%Y/%m}/{target.slug}/"
        start = time.perf_counter()
        ready = poll(url, lambda s, b: s == 200, timeout, interval=0.25)
        result["startup_s"] = ready
        if ready is None:
            result["error"] = "server did not serve the article"
            return result
        time.sleep(1.0)  # let the watcher settle after the initial build
        path = content / "news" / target.folder / f"{target.slug}.md"
        token = f"BENCHEDIT{int(time.time())}"
        text = path.read_text(encoding="utf-8")
        new_text = text.replace("mã hồ sơ tham chiếu", f"mã hồ sơ tham chiếu {token}", 1)
        assert new_text != text
        path.write_text(new_text, encoding="utf-8")
        result["edit_s"] = poll(url, lambda s, b: s == 200 and token in b, timeout)
        # add an article: its page and the home page's latest list must show it
        time.sleep(1.0)
        added = bench_corpus.CorpusArticle(**dict(vars(target)))
        added.slug = "bai-moi-kiem-tra-xem-thu"
        added.title = "Bài mới kiểm tra xem thử " + token
        added.date = bench_corpus.LAST_DATE + dt.timedelta(days=5)
        added_path = content / "news" / added.folder / f"{added.slug}.md"
        added_path.parent.mkdir(parents=True, exist_ok=True)
        added_url = base + f"tin-tuc/{added.date:%Y/%m}/{added.slug}/"
        added_path.write_text(bench_corpus.cchc_markdown(added), encoding="utf-8")
        t_add = time.perf_counter()
        result["add_page_s"] = poll(added_url, lambda s, b: s == 200, timeout)
        home = poll(base, lambda s, b: added.title in b, timeout)
        result["add_home_s"] = time.perf_counter() - t_add if home is not None else None
        time.sleep(1.0)
        added_path.unlink()
        t_del = time.perf_counter()
        gone = poll(added_url, lambda s, b: s == 404, timeout)
        result["delete_page_s"] = gone
        home_gone = poll(base, lambda s, b: s == 200 and added.title not in b, timeout)
        result["delete_home_s"] = time.perf_counter() - t_del if home_gone is not None else None
        path.write_text(text, encoding="utf-8")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out.close()
        result["log"] = str(log_path)
    return result


# --- one corpus size --------------------------------------------------------------------------
def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    return a / b if a is not None and b else None


def bench_size(n: int, args, workdir: Path, catalog) -> dict:
    log(f"\n== N = {n} ==")
    start = time.perf_counter()
    articles = bench_corpus.generate(n, args.seed, catalog)
    content = bench_corpus.write_cchc_content(articles, workdir / "content", source=CODE / "content")
    identity = site_identity()
    blog_cfg = bench_corpus.write_material_blog(articles, workdir / "blog", catalog, identity)
    plain_cfg = bench_corpus.write_material_plain(articles, workdir / "plain", identity)
    cchc_cfg = write_cchc_config(workdir / "cchc", content)
    words = [a.words for a in articles]
    log(f"  corpus: {n} articles, {sum(words)} words (mean {sum(words) / n:.0f}), "
        f"written in {time.perf_counter() - start:.1f}s")
    check = run_measured([str(BIN / "cchc"), "--content", str(content), "check"], cwd=workdir, env=build_env(),
                         log_path=workdir / "check.log")
    check_line = Path(check["log"]).read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or [""]
    log(f"  cchc check ({check['wall_s']:.1f} s, {check['rss_mib']:.0f} MiB): rc={check['rc']}: {check_line[0]}")
    folders = {"cchc": cchc_cfg.parent, "blog": blog_cfg.parent, "plain": plain_cfg.parent}
    variants = [v for v in VARIANTS if v != "plain" or args.floor]
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    for r in range(args.repeat):
        for variant in variants:
            result = mkdocs_build(folders[variant], f"cold-{r}")
            runs[variant].append(result)
            log(f"  run {r + 1}/{args.repeat} {LABELS[variant]:<24} {result['wall_s']:7.2f} s  "
                f"{result['mem_mib']:7.1f} MiB (all processes; largest {result['rss_mib']:.0f})  "
                f"rc={result['rc']}  warnings={result['warnings']}")
    markers = [articles[0].marker, articles[-1].marker, articles[n // 2].marker]
    outputs = {v: measure_site(folders[v] / "site", v, markers) for v in variants if (folders[v] / "site").is_dir()}
    summary = {}
    for variant in variants:
        ok = [r for r in runs[variant] if r["rc"] == 0]
        summary[variant] = {"wall_s": median([r["wall_s"] for r in ok]), "mem_mib": median([r["mem_mib"] for r in ok]),
                            "rss_mib": median([r["rss_mib"] for r in ok]),
                            "cpu_s": median([r["cpu_s"] for r in ok]), "failed_runs": len(runs[variant]) - len(ok),
                            "warnings": max((r["warnings"] for r in runs[variant]), default=0)}
    # second build, unchanged content (the site and any cache of the last cold build stay)
    warm = [mkdocs_build(folders["cchc"], f"warm-{r}", cold=False) for r in range(max(1, args.repeat))]
    warm_s = median([r["wall_s"] for r in warm if r["rc"] == 0])
    log(f"  second build, unchanged content: {warm_s:.2f} s (first: {summary['cchc']['wall_s']:.2f} s)"
        if warm_s and summary["cchc"]["wall_s"] else "  second build failed")
    result = {
        "n": n,
        "words_total": sum(words),
        "words_mean": sum(words) / n,
        "cchc_check": {"rc": check["rc"], "summary": check_line[0], "wall_s": check["wall_s"], "rss_mib": check["rss_mib"]},
        "runs": runs,
        "median": summary,
        "outputs": outputs,
        "warm": {"runs": warm, "wall_s": warm_s, "ratio": ratio(warm_s, summary["cchc"]["wall_s"])},
        "ratios": {
            "time": ratio(summary["cchc"]["wall_s"], summary["blog"]["wall_s"]),
            "cpu": ratio(summary["cchc"]["cpu_s"], summary["blog"]["cpu_s"]),
            "rss": ratio(summary["cchc"]["mem_mib"], summary["blog"]["mem_mib"]),
            "rss_largest_process": ratio(summary["cchc"]["rss_mib"], summary["blog"]["rss_mib"]),
            "bytes": ratio(outputs.get("cchc", {}).get("bytes"), outputs.get("blog", {}).get("bytes")),
            "time_vs_floor": ratio(summary["cchc"]["wall_s"], (summary.get("plain") or {}).get("wall_s")),
        },
    }
    if not args.no_profile and n in args.profile_sizes:
        log("  timed in-process build (Markdown / templates / hooks)…")
        result["attribution"] = attribution(cchc_cfg, workdir / f"timers-{n}.json")
        if result["attribution"]:
            a = result["attribution"]
            log("    " + ", ".join(f"{k} {v:.1f}s ({a['percent'][k]:.0f}%)"
                                   for k, v in sorted(a["exclusive_s"].items(), key=lambda kv: -kv[1])))
        log("  cProfile build…")
        prof = profile(cchc_cfg, workdir / f"profile-{n}.prof")
        result["profile"] = prof
    if args.preview and n == args.preview_size:
        log(f"  live preview (mkdocs serve, {n} articles)…")
        result["preview"] = preview_latency(workdir, articles)
        log(f"    {result['preview']}")
    return result


def sample_site(workdir: Path) -> dict:
    folder = workdir / "sample"
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [str(BIN / "mkdocs"), "build", "-f", str(CODE / "mkdocs.yml"), "-d", str(folder / "site")]
    env = build_env(folder / "cache")
    env.pop("CCHC_BUILD_DATE")
    runs = [run_measured(cmd, cwd=CODE, env=env, log_path=folder / f"build-{i}.log") for i in range(2)]
    return {"runs": runs, "wall_s": min(r["wall_s"] for r in runs), "rc": max(r["rc"] for r in runs)}


# --- reporting --------------------------------------------------------------------------------
def verdict(value, limit) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= limit else "FAIL"


def fmt(value, spec: str = ".2f", suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{suffix}"


def evaluate(results: list[dict], extra: dict) -> list[dict]:
    """Every target with its measured value (targets at N=3000 use the largest N measured)."""
    rows = []
    if not results:
        return _picture_rows(rows, extra)
    big = results[-1]
    small = results[0]
    label = f"N={big['n']}" + ("" if big["n"] == 3000 else " (target defined at N=3000)")
    rows.append({"target": f"build time ≤ {TARGETS['time_ratio']}× Material blog", "at": label,
                 "value": big["ratios"]["time"], "limit": TARGETS["time_ratio"],
                 "verdict": verdict(big["ratios"]["time"], TARGETS["time_ratio"])})
    rows.append({"target": f"peak memory (all processes) ≤ {TARGETS['rss_ratio']}× Material blog", "at": label,
                 "value": big["ratios"]["rss"], "limit": TARGETS["rss_ratio"],
                 "verdict": verdict(big["ratios"]["rss"], TARGETS["rss_ratio"])})
    if len(results) > 1:
        scale = big["n"] / small["n"]
        limit = TARGETS["linear_time"] * scale / 10
        t = ratio(big["median"]["cchc"]["wall_s"], small["median"]["cchc"]["wall_s"])
        rows.append({"target": f"linear time: t({big['n']})/t({small['n']}) ≤ {limit:.2f}", "at": "",
                     "value": t, "limit": limit, "verdict": verdict(t, limit)})
        # output: marginal bytes per article must not grow with N
        sizes = [(r["n"], r["outputs"]["cchc"]["bytes"]) for r in results if "cchc" in r["outputs"]]
        if len(sizes) >= 2:
            per_article = [(b2 - b1) / (n2 - n1) for (n1, b1), (n2, b2) in zip(sizes, sizes[1:])]
            growth = per_article[-1] / per_article[0] if len(per_article) > 1 else None
            biggest = [r["outputs"]["cchc"]["largest_other_page"]["bytes"] for r in results if "cchc" in r["outputs"]]
            page_growth = biggest[-1] / biggest[0]
            rows.append({"target": "linear output: bytes/article (last step ÷ first step) ≤ 1.15", "at": "",
                         "value": growth, "limit": 1.15, "verdict": verdict(growth, 1.15),
                         "detail": {"bytes_per_article": per_article}})
            rows.append({"target": "no page lists all articles: largest listing page grows ≤ 1.5×", "at": "",
                         "value": page_growth, "limit": 1.5, "verdict": verdict(page_growth, 1.5),
                         "detail": {"largest_listing_bytes": biggest}})
    rows.append({"target": f"second build ≤ {TARGETS['warm_ratio']}× first", "at": f"N={big['n']}",
                 "value": big["warm"]["ratio"], "limit": TARGETS["warm_ratio"],
                 "verdict": verdict(big["warm"]["ratio"], TARGETS["warm_ratio"])})
    preview = next((r["preview"] for r in results if r.get("preview")), None)
    if preview:
        rows.append({"target": f"preview: edit visible ≤ {TARGETS['preview_edit_s']} s", "at": f"N={preview['articles']}",
                     "value": preview.get("edit_s"), "limit": TARGETS["preview_edit_s"],
                     "verdict": verdict(preview.get("edit_s"), TARGETS["preview_edit_s"])})
    search = big["outputs"].get("cchc", {}).get("search", {})
    value = search.get("query_download_bytes") or None
    rows.append({"target": "search download ≤ 3 MB", "at": label, "value": value, "limit": TARGETS["search_bytes"],
                 "verdict": verdict(value, TARGETS["search_bytes"]), "detail": {k: v for k, v in search.items()}})
    weight = big["outputs"].get("cchc", {}).get("largest_article", {}).get("total_bytes")
    rows.append({"target": "article page + CSS/JS ≤ 400 KB", "at": f"N={big['n']}", "value": weight,
                 "limit": TARGETS["article_page_bytes"], "verdict": verdict(weight, TARGETS["article_page_bytes"])})
    _picture_rows(rows, extra)
    if extra.get("sample_site"):
        s = extra["sample_site"]
        rows.append({"target": f"sample site builds in ≤ {TARGETS['sample_site_s']} s", "at": "make site",
                     "value": s["wall_s"] if s["rc"] == 0 else None, "limit": TARGETS["sample_site_s"],
                     "verdict": verdict(s["wall_s"], TARGETS["sample_site_s"]) if s["rc"] == 0 else "FAIL"})
    return rows


def _picture_rows(rows: list[dict], extra: dict) -> list[dict]:
    """The picture targets (scripts/bench_pictures.py), when they were measured."""
    pictures = extra.get("pictures")
    if pictures:
        rows.append({"target": "article with one 4000×3000 phone photo ≤ 300 KB (Chromium, 390 px)",
                     "at": "sample + photo", "value": pictures.get("phone_bytes"),
                     "limit": TARGETS["phone_article_bytes"],
                     "verdict": verdict(pictures.get("phone_bytes"), TARGETS["phone_article_bytes"]),
                     "detail": {"transfer": pictures.get("transfer"), "phone_photo_s": pictures.get("phone_photo_s"),
                                "first_build_image_s_per_image": pictures.get("first_build_image_s_per_image"),
                                "spread": pictures.get("spread")}})
        rows.append({"target": "second build: no image work (image seconds = 0)", "at": "sample + photo",
                     "value": pictures.get("second_build_image_s"), "limit": TARGETS["second_build_image_s"],
                     "verdict": verdict(pictures.get("second_build_image_s"), TARGETS["second_build_image_s"])
                     if pictures.get("second_build_images_made") == 0 else "FAIL"})
    return rows


def _value_text(row: dict) -> str:
    v = row["value"]
    if v is None:
        return "n/a"
    if "MB" in row["target"] or "KB" in row["target"]:
        return f"{v / 1000:.0f} kB"
    if "300 KB" in row["target"]:
        return f"{v / 1000:.0f} kB"
    if "image seconds" in row["target"]:
        return f"{v:.1f} s"
    if "preview" in row["target"] or "sample" in row["target"]:
        return f"{v:.2f} s"
    return f"{v:.2f}"


def size_table(results: list[dict]) -> list[str]:
    lines = ["| N | variant | median wall | median peak memory (all processes) | CPU | output | files | search download | largest article page + CSS/JS | largest listing page |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for variant, m in r["median"].items():
            o = r["outputs"].get(variant, {})
            s = o.get("search", {})
            la = o.get("largest_article", {})
            lo = o.get("largest_other_page", {})
            lines.append(f"| {r['n']} | {LABELS[variant]} | {fmt(m['wall_s'], '.2f', ' s')} "
                         f"| {fmt(m.get('mem_mib', m['rss_mib']), '.0f', ' MiB')} (largest process {fmt(m['rss_mib'], '.0f')}) "
                         f"| {fmt(m['cpu_s'], '.1f', ' s')} | {fmt(o.get('bytes', 0) / MiB, '.1f', ' MiB')} | {o.get('files', 0)} "
                         f"| {fmt((s.get('query_download_bytes') or 0) / 1000, '.0f', ' kB')} ({s.get('kind', '')}"
                         f"{', body words ' + s['body_words_found'] if s.get('body_words_found') else ''}) "
                         f"| {fmt(la.get('total_bytes', 0) / 1000, '.0f', ' kB')} "
                         f"| {fmt(lo.get('bytes', 0) / 1000, '.0f', ' kB')} `{lo.get('page', '')}` |")
    return lines


def ratio_table(results: list[dict]) -> list[str]:
    lines = ["| N | time ours/blog | CPU ours/blog | memory ours/blog | output ours/blog | time ours/floor | 2nd build / 1st | `cchc check` | time target ≤0.35 | RSS target ≤0.5 |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        q = r["ratios"]
        lines.append(f"| {r['n']} | {fmt(q['time'])} | {fmt(q.get('cpu'))} | {fmt(q['rss'])} | {fmt(q['bytes'])} | {fmt(q['time_vs_floor'])} "
                     f"| {fmt(r['warm']['ratio'])} | {fmt(r['cchc_check'].get('wall_s'), '.1f', ' s')} "
                     f"| {verdict(q['time'], TARGETS['time_ratio'])} "
                     f"| {verdict(q['rss'], TARGETS['rss_ratio'])} |")
    return lines


def attribution_table(results: list[dict]) -> list[str]:
    lines = ["| N | in-process build | Markdown conversion | template rendering | hooks' own work | search plugin | writing files | other plugins | MkDocs core (rest) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        a = r.get("attribution")
        if not a:
            continue
        e, p = a["exclusive_s"], a["percent"]

        def cell(key):
            return f"{e.get(key, 0):.1f} s ({p.get(key, 0):.0f}%)"

        lines.append(f"| {r['n']} | {a['total_s']:.1f} s | {cell('markdown')} | {cell('templates')} | {cell('hooks')} "
                     f"| {cell('search plugin')} | {cell('writing files')} | {cell('other plugins')} | {cell('mkdocs core (rest)')} |")
    timed = [r for r in results if r.get("attribution")]
    if timed:
        big = timed[-1]["attribution"]
        inside = big["detail_s"].get("markdown (inside hooks)", 0)
        lines += ["", f"Markdown conversion includes {inside:.2f} s of conversions made by the hooks themselves "
                      "(default summaries). Markdown = `Page.render` (a new `Markdown()` per page + convert + toc) "
                      "and any other `Markdown.convert`; templates = `jinja2.Template.render`; hooks = the "
                      "`on_*` functions of hooks/cchc_mkdocs.py and everything they call (the `cchc` package), "
                      "minus Markdown and templates nested in them.", "",
                  f"Largest items at N={timed[-1]['n']} (exclusive time):", "", "| item | time |", "|---|---:|"]
        for label, seconds in list(big.get("labels_s", {}).items())[:14]:
            lines.append(f"| {label} | {seconds:.2f} s |")
        phases = big.get("memory_phases") or []
        if phases:
            lines += ["", f"Memory by build phase at N={timed[-1]['n']} (in-process timed build; RSS when the phase "
                          "starts, peak so far, peak of child processes such as the search indexer):", "",
                      "| phase | at | RSS | peak so far | children's peak |", "|---|---:|---:|---:|---:|"]
            for ph in phases:
                lines.append(f"| {ph['phase']} | {ph['at_s']:.1f} s | {ph['rss_mib']:.0f} MiB | {ph['peak_mib']:.0f} MiB "
                             f"| {ph['children_peak_mib']:.0f} MiB |")
    return lines


def _growth(row: dict, old: dict | None, key: str, n_ratio: float) -> str:
    if old is None:
        return "new"
    if not old[key]:
        return ""
    g = row[key] / old[key]
    return f"{g:.2f}×" + (" ⚠" if g > 1.3 * n_ratio else "")


def profile_tables(results: list[dict], top: int = 25) -> list[str]:
    """Hot spots at the largest N, with growth against the previous N: own time (noisy on a busy
    machine) and call counts (exact: calls growing faster than N mean super-linear work)."""
    profiled = [r for r in results if r.get("profile")]
    if not profiled:
        return []
    big = profiled[-1]
    prev = profiled[-2] if len(profiled) > 1 else None
    prof = big["profile"]
    n_ratio = big["n"] / prev["n"] if prev else 1.0
    before = prev["profile"].get("all", {}) if prev else {}
    head = "| own time | % | calls | cumulative | time × | calls × | function |"
    lines = [f"Top functions by own time (cProfile, N={big['n']}, total {prof['total_tottime_s']:.1f} s under the profiler"
             + (f"; × = growth from N={prev['n']}, N ratio {n_ratio:.2f}, ⚠ above 1.3 × that" if prev else "") + "):", "",
             head, "|---:|---:|---:|---:|---:|---:|---|"]
    for row in prof["top_tottime"][:top]:
        old = before.get(row["where"]) if prev else None
        lines.append(f"| {row['tottime_s']:.2f} s | {100 * row['tottime_s'] / prof['total_tottime_s']:.1f} | {row['calls']} "
                     f"| {row['cumtime_s']:.2f} s | {_growth(row, old, 'tottime_s', n_ratio) if prev else ''} "
                     f"| {_growth(row, old, 'calls', n_ratio) if prev else ''} | `{row['where']}` |")
    lines += ["", f"Own time by package (N={big['n']}):", "", "| package | own time | % |", "|---|---:|---:|"]
    for package, seconds in list(prof["packages"].items())[:15]:
        lines.append(f"| {package} | {seconds:.2f} s | {100 * seconds / prof['total_tottime_s']:.1f} |")
    lines += ["", f"This project's functions by cumulative time (N={big['n']}):", "",
              "| cumulative | own | calls | time × | calls × | function |", "|---:|---:|---:|---:|---:|---|"]
    for row in prof["project_cumtime"][:25]:
        old = before.get(row["where"]) if prev else None
        lines.append(f"| {row['cumtime_s']:.2f} s | {row['tottime_s']:.2f} s | {row['calls']} "
                     f"| {_growth(row, old, 'cumtime_s', n_ratio) if prev else ''} "
                     f"| {_growth(row, old, 'calls', n_ratio) if prev else ''} | `{row['where']}` |")
    if prev:
        suspects = [r for r in prof.get("all", {}).values()
                    if r["calls"] >= 1000 and (old := before.get(r["where"])) and old["calls"]
                    and r["calls"] / old["calls"] > 1.3 * n_ratio]
        suspects.sort(key=lambda r: -r["tottime_s"])
        lines += ["", f"Call counts growing faster than N (N={prev['n']}→{big['n']}), by own time:", ""]
        if suspects:
            lines += ["| own time | cumulative | calls | calls × | function |", "|---:|---:|---:|---:|---|"]
            for r in suspects[:15]:
                old = before[r["where"]]
                lines.append(f"| {r['tottime_s']:.2f} s | {r['cumtime_s']:.2f} s | {r['calls']} "
                             f"| {r['calls'] / old['calls']:.2f}× | `{r['where']}` |")
        else:
            lines.append("none.")
    return lines


def scaling_lines(results: list[dict]) -> list[str]:
    """Marginal cost of 1000 more articles between consecutive sizes, and what the output is made of."""
    lines = ["| step | variant | +time per 1000 articles | +peak memory per 1000 | +output per 1000 |",
             "|---|---|---:|---:|---:|"]
    for a, b in zip(results, results[1:]):
        k = 1000 / (b["n"] - a["n"])
        for variant in b["median"]:
            ma, mb = a["median"].get(variant, {}), b["median"][variant]
            oa, ob = a["outputs"].get(variant, {}), b["outputs"].get(variant, {})
            dt_ = (mb["wall_s"] - ma["wall_s"]) * k if mb.get("wall_s") and ma.get("wall_s") else None
            dm = (mb["mem_mib"] - ma["mem_mib"]) * k if mb.get("mem_mib") and ma.get("mem_mib") else None
            do = (ob.get("bytes", 0) - oa.get("bytes", 0)) * k / MiB if ob and oa else None
            lines.append(f"| {a['n']}→{b['n']} | {LABELS[variant]} | {fmt(dt_, '.2f', ' s')} | {fmt(dm, '.0f', ' MiB')} "
                         f"| {fmt(do, '.1f', ' MiB')} |")
    big = results[-1]
    lines += ["", f"Output composition at N={big['n']} (largest groups):", ""]
    for variant, o in big["outputs"].items():
        parts = ", ".join(f"`{k}` {v / MiB:.1f} MiB" for k, v in list(o.get("composition", {}).items())[:8])
        lines.append(f"- {LABELS[variant]}: {parts}")
    return lines


def markdown_report(data: dict) -> str:
    results = data["results"]
    lines = [f"# Benchmark {data['started']}", "",
             f"Machine: {data['machine']}; code {data.get('tree', '?')}; sizes {data['sizes']}, repeat {data['repeat']}, builds alternate "
             "(this project, Material blog, plain Material floor). Medians of cold builds.", "",
             "## Targets", "", "| target | at | value | verdict |", "|---|---|---:|---|"]
    for row in data["targets"]:
        lines.append(f"| {row['target']} | {row['at']} | {_value_text(row)} | {row['verdict']} |")
    if results:
        lines += ["", "## Builds", ""] + size_table(results) + ["", "## Ratios", ""] + ratio_table(results)
        lines += ["", "## Scaling", ""] + scaling_lines(results)
    att = attribution_table(results)
    if len(att) > 2:
        lines += ["", "## Where this project's build time goes (exclusive time, in-process timed build)", ""] + att
    prof = profile_tables(results)
    if prof:
        lines += ["", "## Hot spots", ""] + prof
    preview = next((r["preview"] for r in results if r.get("preview")), None)
    if preview:
        lines += ["", "## Live preview (`mkdocs serve --livereload`)", "",
                  f"{preview['articles']} articles: server ready in {fmt(preview.get('startup_s'), '.1f', ' s')}; "
                  f"edit visible after {fmt(preview.get('edit_s'), '.2f', ' s')}; added article page after "
                  f"{fmt(preview.get('add_page_s'), '.2f', ' s')}, on the home page after {fmt(preview.get('add_home_s'), '.2f', ' s')}; "
                  f"deleted article gone after {fmt(preview.get('delete_page_s'), '.2f', ' s')} (home {fmt(preview.get('delete_home_s'), '.2f', ' s')})."]
    if data.get("sample_site"):
        lines += ["", f"Sample site (`mkdocs build` of the repository): {data['sample_site']['wall_s']:.2f} s "
                      f"(rc {data['sample_site']['rc']})."]
    return "\n".join(lines) + "\n"


def print_summary(data: dict) -> None:
    log("\n" + markdown_report(data))


# --- main -------------------------------------------------------------------------------------
def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark this project against Material's blog plugin")
    parser.add_argument("--sizes", default="300,1000,3000", help="corpus sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds per variant and size (alternating)")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 100,300, repeat 1")
    parser.add_argument("--output", type=Path, help="JSON result path (a .md beside it); default bench-results/bench-<date>.json")
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--no-floor", dest="floor", action="store_false", help="skip the plain-Material floor build")
    parser.add_argument("--no-profile", action="store_true", help="skip the timed and cProfile builds")
    parser.add_argument("--profile-sizes", default="", help="sizes to profile (default: all)")
    parser.add_argument("--no-preview", dest="preview", action="store_false", help="skip the mkdocs serve latency test")
    parser.add_argument("--preview-size", type=int, default=1000, help="corpus size for the preview test")
    parser.add_argument("--rerender", type=Path, metavar="JSON",
                        help="rewrite the tables of an earlier result (re-reading profiles kept in --workdir)")
    parser.add_argument("--live-tree", action="store_true",
                        help="build from the working tree itself instead of a snapshot taken at the start")
    parser.add_argument("--workdir", type=Path, help="keep the corpora and sites here (default: a temp folder, removed)")
    parser.add_argument("--pictures-only", action="store_true",
                        help="only the picture measurement (phone photo: build time, page weight in Chromium)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "100,300", 1
    args.sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    args.profile_sizes = ({int(s) for s in args.profile_sizes.split(",") if s.strip()}
                          if args.profile_sizes else set(args.sizes))
    if args.preview and args.preview_size not in args.sizes:
        args.preview_size = max([s for s in args.sizes if s <= args.preview_size] or [args.sizes[0]])
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_timers"]:
        inprocess_build(Path(argv[1]), timers_out=Path(argv[2]))
        return 0
    if argv[:1] == ["_profile"]:
        inprocess_build(Path(argv[1]), profile_out=Path(argv[2]))
        return 0
    args = parse_args(argv)
    if args.rerender:
        return rerender(args.rerender, args.workdir)
    started = dt.datetime.now()
    output = args.output or ROOT / "bench-results" / f"bench-{started:%Y%m%d-%H%M}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    base = args.workdir or Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    log(f"cchc bench: sizes {args.sizes}, repeat {args.repeat}, work folder {base}")
    tree = _tree_state()
    if not args.live_tree:
        global CODE
        shutil.rmtree(base / "code", ignore_errors=True)
        CODE = snapshot_code(base / "code")
        log(f"measuring a snapshot of the working tree ({tree}) in {CODE}")
    catalog = bench_corpus.load_catalog(CODE / "content")
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "mkdocs-rss-plugin", "markdown", "jinja2"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - report what is there
            versions[package] = None
    data = {"started": started.isoformat(timespec="seconds"), "sizes": args.sizes, "repeat": args.repeat,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "versions": versions, "build_date": BUILD_DATE, "seed": args.seed, "tree": tree, "results": []}
    try:
        log("pictures (a 4000×3000 phone photo in the sample site)…")
        data["pictures"] = bench_pictures.measure(base / "pictures", CODE, write_cchc_config, build_env,
                                                  run_measured, BIN, log)
        if args.pictures_only:
            data["targets"] = evaluate(data["results"], data)
            _write(output, data)
            for row in data["targets"]:
                log(f"{row['target']}: {_value_text(row)} → {row['verdict']}")
            return 0
        data["sample_site"] = sample_site(base)
        log(f"sample site: {data['sample_site']['wall_s']:.2f} s (rc {data['sample_site']['rc']})")
        for n in args.sizes:
            workdir = base / f"n{n}"
            result = bench_size(n, args, workdir, catalog)
            data["results"].append(result)
            data["targets"] = evaluate(data["results"], data)
            _write(output, data)  # partial results survive an interrupted run
    finally:
        remove_set_aside(base)
        if args.workdir is None:
            shutil.rmtree(base, ignore_errors=True)
    data["targets"] = evaluate(data["results"], data)
    _write(output, data)
    print_summary(data)
    log(f"results: {output} and {output.with_suffix('.md')}")
    return 0


def rerender(path: Path, workdir: Path | None) -> int:
    global CODE
    if workdir is not None and (workdir / "code").is_dir():
        CODE = workdir / "code"  # the snapshot the profiles were taken from
    data = json.loads(path.read_text(encoding="utf-8"))
    for result in data["results"]:
        prof = Path(result.get("profile", {}).get("file") or (workdir / f"n{result['n']}" / f"profile-{result['n']}.prof"
                                                                if workdir else ""))
        if prof.is_file():
            result["profile"] = parse_profile(prof)
    data["targets"] = evaluate(data["results"], data)
    _write(path, data)
    log(f"rewrote {path} and {path.with_suffix('.md')}")
    return 0


def _tree_state() -> str:
    """Which code was measured: the commit and how many files differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--short"], cwd=ROOT, capture_output=True, text=True).stdout.splitlines()
        return f"{head} + {len(dirty)} changed/untracked files" if dirty else head
    except OSError:
        return "unknown"


def _write(output: Path, data: dict) -> None:
    slim = json.loads(json.dumps(data, default=str))
    output.write_text(json.dumps(slim, indent=1, ensure_ascii=False), encoding="utf-8")
    output.with_suffix(".md").write_text(markdown_report(data), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
