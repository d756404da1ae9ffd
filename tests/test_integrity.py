"""Output integrity: atomic publishing, reproducible builds, link integrity, sources never
written, and the same site from MkDocs and from ProperDocs.

The sample content (content/) is built once with each engine (module fixtures); the other
tests use small corpora or `cchc build` into temporary projects.
"""

from __future__ import annotations

import ast
import hashlib
import os
import posixpath
import re
import shutil
import signal
import stat
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from lxml import etree

from support import BIN, DEFAULT_BUILD_DATE, FIXTURES, ROOT, SAMPLE_CONTENT, build_site, env, write_config

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
GENERATOR_RE = re.compile(rb'\s*<meta name="generator" content="[^"]*">')


def digest(folder: Path, *, strip_generator: bool = False) -> dict[str, str]:
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if strip_generator and path.suffix == ".html":
                data = GENERATOR_RE.sub(b"", data)
            result[path.relative_to(folder).as_posix()] = hashlib.sha256(data).hexdigest()
    return result


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Content and modification time of every file: what "never written" must preserve."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> tuple[Path, Path]:
    """A frozen copy of the sample content and docs/: every build of this module reads the same bytes."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copytree(SAMPLE_CONTENT, folder / "content")
    shutil.copytree(ROOT / "docs", folder / "docs")
    return folder / "content", folder / "docs"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory, sources) -> Path:
    content, docs = sources
    built = build_site(tmp_path_factory.mktemp("sample-mkdocs"), content, config={"docs_dir": str(docs)})
    assert built.ok, built.output
    return built.site


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory, sources) -> Path:
    content, docs = sources
    built = build_site(tmp_path_factory.mktemp("sample-properdocs"), content, config={"docs_dir": str(docs)},
                       engine="properdocs")
    assert built.ok, built.output
    return built.site


# --- engines -----------------------------------------------------------------------------------
def test_properdocs_builds_the_same_site(sample_site, properdocs_site):
    """ProperDocs (the maintained MkDocs 1.x fork) gives the same files, byte for byte, apart
    from the generator <meta> tag that names the engine."""
    assert digest(properdocs_site, strip_generator=True) == digest(sample_site, strip_generator=True)
    page = (properdocs_site / "index.html").read_text(encoding="utf-8")
    assert "ProperDocs" in page  # really built by the other engine


def test_domain_package_never_imports_an_engine():
    """hooks/cchc is engine-independent: no module imports mkdocs, material or properdocs."""
    engines = {"mkdocs", "material", "properdocs"}
    offenders = []
    for path in sorted((ROOT / "hooks" / "cchc").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                names = [str(node.args[0].value)]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names
                          if n.split(".")[0] in engines]
    assert not offenders


# --- links -------------------------------------------------------------------------------------
class Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (tag.attribute, URL)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src", "poster", "data"):
            if attrs.get(key):
                self.refs.append((f"{tag}.{key}", attrs[key]))
        if attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                self.refs.append((f"{tag}.srcset", candidate.strip().split(" ")[0]))
        if tag == "meta" and attrs.get("property") in ("og:url", "og:image") and attrs.get("content"):
            self.refs.append((f"meta.{attrs['property']}", attrs["content"]))

    handle_startendtag = handle_starttag


class Crawler:
    """Resolves every internal reference of a built site to a file (and an anchor)."""

    def __init__(self, site: Path, site_url: str = SITE_URL):
        self.site = site
        self.site_url = site_url
        self.base_path = urlsplit(site_url).path  # "/cchc/": root-absolute links must start with it
        self._pages: dict[Path, Refs] = {}

    def page(self, path: Path) -> Refs:
        if path not in self._pages:
            parser = Refs()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            self._pages[path] = parser
        return self._pages[path]

    def resolve(self, source_rel: str, url: str) -> tuple[Path | None, str, str]:
        """(file, fragment, problem) for an internal URL; (None, "", "") for an external one."""
        if url.startswith(self.site_url):
            url = self.base_path + url[len(self.site_url):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None, "", ""
        path = unquote(parts.path)
        if not path:
            return self.site / source_rel, unquote(parts.fragment), ""
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return None, "", f"outside the site's path {self.base_path}"
            target = posixpath.normpath(path[len(self.base_path):]) if path != self.base_path else "."
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(source_rel), path))
        if target.startswith(".."):
            return None, "", "leaves the site"
        file = self.site / target
        if file.is_dir() or path.endswith("/"):
            file = file / "index.html"
        return file, unquote(parts.fragment), ""

    def check(self, source: Path, refs) -> list[str]:
        rel = source.relative_to(self.site).as_posix()
        broken = []
        for kind, url in refs:
            file, fragment, problem = self.resolve(rel, url)
            if problem:
                broken.append(f"{rel}: {kind} {url}: {problem}")
            elif file is None:
                continue
            elif not file.is_file():
                broken.append(f"{rel}: {kind} {url}: no such file")
            elif fragment and file.suffix == ".html" and fragment not in self.page(file).ids:
                broken.append(f"{rel}: {kind} {url}: no id “{fragment}”")
        return broken

    def broken_links(self) -> list[str]:
        broken = []
        for path in sorted(self.site.rglob("*.html")):
            broken += self.check(path, self.page(path).refs)
        for path in sorted(self.site.rglob("*.xml")):
            root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
            urls = [el.text.strip() for el in root.iter() if isinstance(el.tag, str) and el.text
                    and etree.QName(el).localname in ("link", "loc", "id", "guid", "url")
                    and el.text.strip().startswith(self.site_url)]
            urls += [v for el in root.iter() if isinstance(el.tag, str)
                     for k, v in el.attrib.items() if k in ("href", "url") and v.startswith(self.site_url)]
            broken += self.check(path, [(f"xml", u) for u in urls if not u.startswith(self.site_url + "#")])
        for path in sorted(self.site.rglob("*.css")):
            text = path.read_text(encoding="utf-8")
            urls = [m.strip("'\" ") for m in re.findall(r"url\(([^)]*)\)", text)]
            broken += self.check(path, [("css", u) for u in urls if u and not u.startswith(("data:", "#"))])
        return broken


def test_every_internal_link_image_asset_and_anchor_resolves(sample_site):
    crawler = Crawler(sample_site)
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 100
    assert sum(len(crawler.page(p).refs) for p in pages) > 5000  # the crawl really follows links
    assert crawler.broken_links() == []


def test_crawler_catches_broken_links(tmp_path):
    """The crawler itself: a missing page, image, anchor and a link outside the site are found."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<h2 id="x">X</h2>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="#top" id="top">ok</a>'
        '<a href="b/">missing</a><img src="anh.jpg"><a href="a/#y">anchor</a><a href="/khac/">outside</a>'
        f'<a href="{SITE_URL}a/">ok</a><a href="https://example.org/">external</a>', encoding="utf-8")
    broken = Crawler(site).broken_links()
    assert [b.split(": ")[1] for b in broken] == ["a.href b/", "img.src anh.jpg", "a.href a/#y", "a.href /khac/"]


# --- reproducible --------------------------------------------------------------------------------
def test_builds_are_byte_identical_across_time_place_and_environment(sample_site, sources, tmp_path):
    """Same sources and the same configured build date → the same bytes, whatever the clock,
    the checkout folder, the working directory, the time zone, locale or hash seed."""
    content, docs = tmp_path / "somewhere" / "else" / "content", tmp_path / "other" / "docs"
    shutil.copytree(sources[0], content)
    shutil.copytree(sources[1], docs)
    later = time.time() + 86400 * 3
    for path in [*content.rglob("*"), *docs.rglob("*")]:
        os.utime(path, (later, later))
    cfg = write_config(tmp_path, content, config={"docs_dir": str(docs)})
    variant = env(DEFAULT_BUILD_DATE)
    variant.update(TZ="America/Los_Angeles", PYTHONHASHSEED="4242", LANG="C", LC_ALL="C")
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--quiet", "-f", str(cfg)], capture_output=True,
                            text=True, env=variant, cwd="/")
    assert result.returncode == 0, result.stderr
    assert digest(tmp_path / "site") == digest(sample_site)


def test_build_date_only_comes_from_configuration(tmp_path):
    """No wall-clock time in the output: every date is the content's or the configured one."""
    configured = "2031-02-03 10:00"
    built = build_site(tmp_path, FIXTURES / "hostile", build_date=configured)
    assert built.ok, built.output
    today = time.localtime()
    stamps = {time.strftime("%Y-%m-%d", today), time.strftime("%d/%m/%Y", today), time.strftime("%Y%m%d", today)}
    for path in built.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [s for s in stamps if s in text], path
    lastmods = re.findall(r"<lastmod>([^<]+)</lastmod>", (built.site / "sitemap.xml").read_text(encoding="utf-8"))
    assert lastmods and set(lastmods) <= {"2025-03-17", configured[:10]}


# --- atomic publishing ------------------------------------------------------------------------------
def _project(tmp_path: Path, articles: int = 0) -> Path:
    """A project folder: content (the hostile base fixture + `articles` generated ones) and mkdocs.yml."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "hostile", content)
    for i in range(articles):
        month = 1 + i % 11
        folder = content / "news" / "2025" / f"{month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"bai-{i:04d}.md").write_text(
            f'---\ntitle: "Bài viết số {i} về cải cách hành chính"\nslug: bai-viet-so-{i}\n'
            f"date: 2025-{month:02d}-{1 + i % 27:02d} 08:{i % 60:02d}\ncategories: [thu-tuc-hanh-chinh]\n"
            f"unit: van-phong\ntags: [thẻ {i % 7}]\n---\n\n" + "Nội dung về cải cách hành chính. " * 60 + "\n",
            encoding="utf-8")
    write_config(tmp_path, content)
    return tmp_path


def cchc_build(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "cchc"), "build", "-q", "-f", str(project / "mkdocs.yml"), *args],
                          capture_output=True, text=True, env=env(), cwd=project, **kwargs)


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


def test_successful_build_replaces_site_completely(tmp_path):
    project = _project(tmp_path)
    site = project / "site"
    (site / "cu").mkdir(parents=True)
    (site / "cu" / "trang-cu.html").write_text("bản cũ", encoding="utf-8")
    result = cchc_build(project)
    assert result.returncode == 0, result.stderr
    assert not (site / "cu").exists()  # nothing of the previous build is mixed in
    assert (site / "index.html").is_file() and (site / "tin-tuc/2025/03/hoi-nghi-trien-khai/index.html").is_file()
    assert leftovers(project) == []
    mode = stat.S_IMODE(site.stat().st_mode)
    assert mode & 0o005 == 0o005  # readable by the web server, like any folder made by the build


def test_stale_temporary_folders_of_killed_builds_are_removed(tmp_path):
    project = _project(tmp_path)
    dead = project / ".site-tmp-999999999-abcd"  # no such process
    (dead / "tin-tuc").mkdir(parents=True)
    alive = project / f".site-tmp-{os.getpid()}-abcd"  # a running build (this process): kept
    alive.mkdir()
    result = cchc_build(project)
    assert result.returncode == 0, result.stderr
    assert not dead.exists() and alive.exists()
    alive.rmdir()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupted_build_leaves_previous_site(tmp_path, signum):
    small = _project(tmp_path / "small")
    assert cchc_build(small).returncode == 0
    project = _project(tmp_path / "big", articles=300)
    shutil.copytree(small / "site", project / "site")  # the previous, complete site
    before = digest(project / "site")
    process = subprocess.Popen([str(BIN / "cchc"), "build", "-q", "-f", str(project / "mkdocs.yml")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=project)
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and process.poll() is None:
        temp = [p for p in project.iterdir() if p.name.startswith(".site-tmp-")]
        written = len(list(temp[0].rglob("index.html"))) if temp else 0
        if written >= 20:  # the engine is writing pages into the temporary folder
            break
        time.sleep(0.02)
    assert process.poll() is None, "the build finished before it could be interrupted"
    assert written >= 20
    process.send_signal(signum)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, err
    assert "Traceback" not in err and "giữ nguyên bản cũ" in err
    assert digest(project / "site") == before
    assert leftovers(project) == []
    time.sleep(0.5)  # the engine (and Pagefind) were stopped too: nothing recreates the folder
    assert leftovers(project) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_publish_swaps_whole_folders(tmp_path, monkeypatch, exchange):
    from cchc import build_cli

    if not exchange:
        monkeypatch.setattr(build_cli, "_exchange", lambda a, b: False)
    site, new = tmp_path / "site", tmp_path / ".site-tmp-1-x"
    (site / "cu").mkdir(parents=True)
    (new / "moi").mkdir(parents=True)
    build_cli.publish(new, site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (site / "moi").is_dir() and not (site / "cu").exists()


def test_publish_puts_the_old_site_back_when_the_swap_fails(tmp_path, monkeypatch):
    from cchc import build_cli

    monkeypatch.setattr(build_cli, "_exchange", lambda a, b: False)
    site = tmp_path / "site"
    (site / "cu").mkdir(parents=True)
    with pytest.raises(OSError):
        build_cli.publish(tmp_path / "khong-co", site)  # the new folder vanished: rename fails
    assert (site / "cu").is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_failed_build_keeps_site_and_reports(tmp_path):
    project = _project(tmp_path)
    assert cchc_build(project).returncode == 0
    before = digest(project / "site")
    article = project / "content/news/2025/03/bai-hop-le.md"
    article.write_text(article.read_text(encoding="utf-8").replace("2025-03-17 08:30", "2025-02-30"), encoding="utf-8")
    result = cchc_build(project)
    assert result.returncode == 1
    assert "content/news/2025/03/bai-hop-le.md:4: lỗi: ngày đăng (date) sai" in result.stderr
    assert "giữ nguyên bản cũ" in result.stderr
    assert digest(project / "site") == before and leftovers(project) == []


# --- sources are never written -----------------------------------------------------------------------
@pytest.mark.parametrize("site_dir", ["content", "content/news", "docs", ".", ".."])
def test_build_refuses_to_publish_over_sources(tmp_path, site_dir):
    project = _project(tmp_path / "p")
    shutil.copytree(ROOT / "docs", project / "docs")
    cfg = write_config(project, project / "content", config={"docs_dir": str(project / "docs")})
    before = snapshot(tmp_path)
    result = subprocess.run([str(BIN / "cchc"), "build", "-f", str(cfg), "--site-dir", str(project / site_dir)],
                            capture_output=True, text=True, env=env(), cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Lỗi:" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_tools_never_write_content_or_docs(tmp_path):
    """check, build (both engines), the engine itself and report leave content/ and docs/ as they were."""
    project = _project(tmp_path)
    content, docs = project / "content", project / "docs"
    shutil.copytree(ROOT / "docs", docs)  # a private copy: nothing else may touch it meanwhile
    write_config(project, content, config={"docs_dir": str(docs)})
    docs_before, content_before = snapshot(docs), snapshot(content)
    commands = [
        [str(BIN / "cchc"), "--content", str(content), "check"],
        [str(BIN / "cchc"), "build", "-q", "-f", str(project / "mkdocs.yml")],
        [str(BIN / "cchc"), "build", "-q", "-f", str(project / "mkdocs.yml"), "--engine", "properdocs"],
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml")],
        [str(BIN / "cchc"), "--content", str(content), "report", "--period", "2025-Q1", "--format", "csv",
         "--output", str(project / "bao-cao.csv")],
    ]
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, env=env(), cwd=project)
        assert result.returncode == 0, (command, result.stderr)
    assert snapshot(content) == content_before
    assert snapshot(docs) == docs_before
    assert not any(p.name.endswith((".tmp", "~")) for p in content.rglob("*"))
