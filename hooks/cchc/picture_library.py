"""The pictures of one build: which images the shown articles use, their derivatives (from the
build cache or made now), and what pages, bodies and feeds need to know of them.

    library = PictureLibrary(settings, content_root, store=cache.trees("images"), memo=memo)
    problems = library.prepare(picture_uses(build.articles, content_root))

`prepare` looks each image up in the build cache by its content and the settings
(`pictures.name_digest`): a hit is a verified folder of derivatives (`buildcache.TreeStore`:
every file's SHA-256 checked before use), a miss is made by `pictures.render` in worker threads
(Pillow releases the GIL while it decodes, resizes and encodes: measured faster than helper
processes on two cores, notes/performance.md) and kept.  A second build with the same images
does no image work at all.  The derivatives are published as copies of the cache's files (the
engine copies them; never hard links).

What an image's bytes are is remembered by file (size, modification time, inode: like git's
index) in `PictureMemo`, so a build does not read every photo of the site again to know
nothing changed; `cchc check` uses the same memo type for its header checks (`probe`).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from . import pictures
from .pictures import Derivative, PictureProblem, PictureSettings, Plan, SourceFacts

NEWS_URL_ROOT = "tin-tuc/"
MANIFEST = "picture.json"  # in each cached folder: what `render` made (verified with the files)


# --- what the articles use -------------------------------------------------------------------
@dataclass(frozen=True)
class PictureUse:
    """One place an article uses an image file."""

    path: Path  # the image file (resolved)
    article: Path  # the article's file
    line: int  # where in the article (front matter `image:` line, or the body line)
    role: str  # "cover" (front-matter image), "img" (shown in the body), "link" (a link to the file)


def article_uses(article, content_root: Path) -> list[PictureUse]:
    """Every use of an image file by one article: its front-matter image and the images and
    image links of its body (`Article.picture_refs`, found when it was read)."""
    uses = []
    if article.image_path is not None:
        uses.append(PictureUse(Path(article.image_path), article.source, article.lines.get("image", 1), "cover"))
    for rel, line, role in article.picture_refs:
        uses.append(PictureUse((content_root / rel).resolve(), article.source, line, role))
    return uses



def picture_uses(articles: Iterable, content_root: Path) -> list[PictureUse]:
    """The uses that are published pictures: raster images under news/ (other files, and images
    elsewhere, are published as they are)."""
    news = (Path(content_root) / "news").resolve()
    result = []
    for article in articles:
        for use in article_uses(article, Path(content_root)):
            if use.path.suffix.lower() in pictures.SUFFIXES and use.path.is_relative_to(news):
                result.append(use)
    return result


# --- what is known of each image file, by its stat ---------------------------------------------
def stat_key(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


class PictureMemo(dict):
    """path → (stat key, facts or None, (message, hint) or None, SHA-256 or None): what `probe`
    found and the file's digest, kept while the file's size, times and inode stay the same.
    `store`: a BlobStore to keep it between builds (None: this run only)."""

    VERSION = f"picture-memo-{pictures.PIPELINE_VERSION}-1"

    def __init__(self, store=None):
        super().__init__()
        self.store = store
        self.changed = False
        if store is not None:
            entry = store.get(self.VERSION)
            if entry is not None:
                try:
                    self.update(pickle.loads(entry.payload))
                except Exception:  # verified bytes an older code cannot read: start afresh
                    pass

    def _entry(self, path: Path) -> tuple:
        key = stat_key(path)
        entry = self.get(str(path))
        if entry is None or entry[0] != key or key is None:
            entry = (key, None, None, None)
        return entry

    def facts(self, path: Path) -> SourceFacts:
        """The image's checked header facts (PictureProblem if it is not a usable picture)."""
        entry = self._entry(path)
        if entry[1] is None and entry[2] is None:
            try:
                entry = (entry[0], pictures.probe(path), None, entry[3])
            except PictureProblem as problem:
                entry = (entry[0], None, (problem.message, problem.hint), entry[3])
            self[str(path)] = entry
            self.changed = True
        if entry[2] is not None:
            raise PictureProblem(*entry[2])
        return entry[1]

    def digest(self, path: Path) -> str:
        entry = self._entry(path)
        if entry[3] is None:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
            entry = (entry[0], entry[1], entry[2], digest.hexdigest())
            self[str(path)] = entry
            self.changed = True
        return entry[3]

    def save(self, keep: Iterable[Path] | None = None) -> None:
        if self.store is None or not self.changed:
            return
        if keep is not None:
            wanted = {str(p) for p in keep}
            for name in [n for n in self if n not in wanted]:
                del self[name]
        if self.store.put(self.VERSION, pickle.dumps(dict(self), protocol=pickle.HIGHEST_PROTOCOL)):
            self.changed = False
            self.store.retain({self.VERSION})


# --- one image's derivatives -----------------------------------------------------------------
@dataclass(frozen=True)
class Picture:
    """An image as the site publishes it."""

    source_uri: str  # the original's virtual path (tin-tuc/2025/03/images/a.jpg): links resolve to it
    folder: str  # where its derivatives are published (tin-tuc/2025/03/images/)
    width: int  # the original's upright size
    height: int
    kind: str  # "photo" or "graphic"
    token: str  # the <digest> of its names: changes with the image's bytes and the settings
    derivatives: tuple[Derivative, ...]
    files: Path = field(compare=False)  # the folder (in the cache) holding the derivatives

    def url(self, derivative: Derivative) -> str:
        """Site-relative URL, percent-encoded as the engine writes static files' URLs."""
        return quote(self.folder + derivative.name)

    def role(self, role: str, fmt: str | None = None) -> list[Derivative]:
        return sorted((d for d in self.derivatives if d.role == role and (fmt is None or d.format == fmt)),
                      key=lambda d: d.width)

    @property
    def fallback_format(self) -> str:
        return "png" if self.kind == "graphic" else "jpg"

    @property
    def largest(self) -> Derivative:
        return self.role("w", self.fallback_format)[-1]

    @property
    def medium(self) -> Derivative:
        """The fallback `src`: the widest at most 960 pixels (else the narrowest)."""
        widths = self.role("w", self.fallback_format)
        fitting = [d for d in widths if d.width <= 960]
        return fitting[-1] if fitting else widths[0]

    def derivative(self, role: str) -> Derivative | None:
        found = self.role(role)
        return found[0] if found else None

    def srcset(self, role: str, fmt: str) -> list[dict]:
        return [{"url": self.url(d), "w": d.width, "h": d.height} for d in self.role(role, fmt)]

    def data(self) -> dict:
        """Plain data for templates and the body conversion (page fingerprints include it)."""
        fallback = self.fallback_format
        data = {
            "token": self.token,
            # the `src` file's size: the shape before the picture arrives, and its size where no
            # stylesheet applies (feed readers)
            "width": self.medium.width,
            "height": self.medium.height,
            "webp": self.srcset("w", "webp"),
            "fallback": self.srcset("w", fallback),
            "fallback_type": pictures.MIME[fallback],
            "src": self.url(self.medium),
        }
        if self.role("thumb"):
            data["thumb_webp"] = self.srcset("thumb", "webp")
            data["thumb"] = self.srcset("thumb", fallback)
        share = self.derivative("share")
        if share is not None:
            data["share"] = {"url": self.url(share), "w": share.width, "h": share.height}
        return data


# --- the build's pictures --------------------------------------------------------------------
@dataclass
class PictureStats:
    made: int = 0  # images rendered now
    reused: int = 0  # images found in the cache
    seconds: float = 0.0  # time spent rendering (wall clock)
    files: int = 0  # derivative files published


class PictureLibrary:
    """The pictures of one build (see the module's docstring)."""

    def __init__(self, settings: PictureSettings, content_root: Path, store=None, memo: PictureMemo | None = None,
                 workers: int | None = None, warn=None):
        self.settings = settings
        self.content_root = Path(content_root)
        self.news = (self.content_root / "news").resolve()
        self.store = store  # cchc.buildcache.TreeStore, or None: a private temporary folder
        self.memo = memo if memo is not None else PictureMemo()
        self.workers = workers
        self.warn = warn or (lambda message: None)
        self.pictures: dict[Path, Picture] = {}
        self.stats = PictureStats()
        self.used_keys: set[str] = set()
        self._temporary: tempfile.TemporaryDirectory | None = None

    # --- preparing ---------------------------------------------------------------------------
    def prepare(self, uses: Iterable[PictureUse]) -> dict[Path, PictureProblem]:
        """Find or make the derivatives of every used image; returns the images that could not
        be made (the caller reports each at the places that use it)."""
        roles: dict[Path, bool] = {}  # image → used as a cover?
        for use in uses:
            path = Path(use.path)
            roles[path] = roles.get(path, False) or use.role == "cover"
        problems: dict[Path, PictureProblem] = {}
        missing: list[tuple[Path, str, Plan]] = []
        for path, cover in sorted(roles.items()):
            try:
                facts = self.memo.facts(path)
                digest = self.memo.digest(path)
            except PictureProblem as problem:
                problems[path] = problem
                continue
            except OSError as exc:
                problems[path] = PictureProblem(f"không đọc được tệp ảnh ({exc.strerror})", "kiểm tra quyền đọc tệp")
                continue
            token = pictures.name_digest(digest, self.settings)
            plan = Plan(stem=f"{pictures.base_name(path.name)}-{token}", width=facts.width, height=facts.height,
                        cover=cover)
            key = self._key(token, plan)
            self.used_keys.add(key)
            folder = self.store.get(key) if self.store is not None else None
            picture = self._read(folder, path, token) if folder is not None else None
            if picture is not None:
                self.pictures[path] = picture
                self.stats.reused += 1
            else:
                missing.append((path, key, plan))
        if missing:
            started = time.perf_counter()
            for path, outcome in self._render_all(missing):
                if isinstance(outcome, PictureProblem):
                    problems[path] = outcome
                else:
                    self.pictures[path] = outcome
                    self.stats.made += 1
            self.stats.seconds += time.perf_counter() - started
        self.stats.files = sum(len({d.name for d in p.derivatives}) for p in self.pictures.values())
        return problems

    def _key(self, token: str, plan: Plan) -> str:
        return hashlib.sha256(f"{token}\0{plan.stem}\0{int(plan.cover)}".encode()).hexdigest()

    def _render_all(self, missing: list[tuple[Path, str, Plan]]):
        count = self.workers or _cores()
        if count <= 1 or len(missing) == 1:
            for path, key, plan in missing:
                yield path, self._render_one(path, key, plan)
            return
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(count, len(missing))) as pool:
            futures = {pool.submit(self._render_one, path, key, plan): path for path, key, plan in missing}
            try:
                for future in concurrent.futures.as_completed(futures):
                    yield futures[future], future.result()
            finally:
                for future in futures:
                    future.cancel()

    def _render_one(self, path: Path, key: str, plan: Plan) -> Picture | PictureProblem:
        folder = self._begin(key)
        try:
            rendered = pictures.render(path, folder, plan, self.settings)
        except PictureProblem as problem:
            shutil.rmtree(folder, ignore_errors=True)
            return problem
        except MemoryError:
            shutil.rmtree(folder, ignore_errors=True)
            return PictureProblem("không đủ bộ nhớ để xử lý ảnh này", "thu nhỏ ảnh (ví dụ cạnh dài 3000 điểm ảnh) rồi lưu lại")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        manifest = {"width": rendered.width, "height": rendered.height, "kind": rendered.kind,
                    "derivatives": [[d.role, d.name, d.width, d.height, d.format, d.size] for d in rendered.derivatives]}
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        if self.store is not None:
            folder = self.store.commit(key, folder)
        return self._picture(path, plan.stem.rsplit("-", 1)[1], rendered.width, rendered.height, rendered.kind,
                             rendered.derivatives, folder)

    def _begin(self, key: str) -> Path:
        if self.store is not None:
            try:
                return self.store.begin(key)
            except OSError:
                pass  # a cache that cannot be written: this build's own folder
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="cchc-pictures-")
        folder = Path(self._temporary.name) / key
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _read(self, folder: Path, path: Path, token: str) -> Picture | None:
        """A verified cached folder back as a Picture (None if its manifest does not make sense)."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            derivatives = tuple(Derivative(role, name, int(w), int(h), fmt, int(size))
                                for role, name, w, h, fmt, size in manifest["derivatives"])
            if not all(pictures.safe_name(d.name) and (folder / d.name).is_file() for d in derivatives):
                return None
            return self._picture(path, token, int(manifest["width"]), int(manifest["height"]), manifest["kind"],
                                 derivatives, folder)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _picture(self, path: Path, token: str, width: int, height: int, kind: str,
                 derivatives: tuple[Derivative, ...], folder: Path) -> Picture:
        rel = path.relative_to(self.news).as_posix()
        folder_url = NEWS_URL_ROOT + (rel.rsplit("/", 1)[0] + "/" if "/" in rel else "")
        return Picture(source_uri=NEWS_URL_ROOT + rel, folder=folder_url, width=width, height=height, kind=kind,
                       token=token, derivatives=derivatives, files=folder)

    # --- using -------------------------------------------------------------------------------
    def get(self, path: Path | None) -> Picture | None:
        return self.pictures.get(Path(path)) if path is not None else None

    def outputs(self) -> list[tuple[str, Path]]:
        """(site path, file to copy) of every derivative, each file once."""
        files: dict[str, Path] = {}
        for picture in self.pictures.values():
            for derivative in picture.derivatives:
                files[picture.folder + derivative.name] = picture.files / derivative.name
        return sorted(files.items())

    def targets(self) -> dict[str, str]:
        """Original's virtual path → URL of its largest fallback: where a link to the image, or
        an <img> before it becomes a <picture>, points."""
        return {p.source_uri: p.url(p.largest) for p in self.pictures.values()}

    def markup(self) -> dict[str, dict]:
        """Original's virtual path → its data, for <picture> markup in article bodies."""
        return {p.source_uri: p.data() for p in self.pictures.values()}

    def retain(self) -> None:
        if self.store is not None:
            self.store.retain(self.used_keys)


def _cores() -> int:
    from .workers import available_cores

    return available_cores()


def derivative_collisions(library: PictureLibrary) -> list[tuple[str, Path, Path]]:
    """(site path, first source, second source) for two different images whose derivatives
    would be published at one URL.  Names carry the digest of the image's bytes, so this needs
    two different images with the same name whose digests agree in 40 bits: it does not happen,
    but the build checks rather than overwrites."""
    seen: dict[str, tuple[Path, str]] = {}
    found = []
    for path, picture in sorted(library.pictures.items()):
        for derivative in picture.derivatives:
            url = picture.folder + derivative.name
            first = seen.get(url)
            if first is not None and first[0] != path and first[1] != library.memo.digest(path):
                found.append((url, first[0], path))
            else:
                seen.setdefault(url, (path, library.memo.digest(path)))
    return found


def remove_temporary(library: PictureLibrary) -> None:
    if library._temporary is not None:
        library._temporary.cleanup()
        library._temporary = None
