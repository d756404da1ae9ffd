"""The build's caches (article bodies, read articles, rendered pages, feeds, search shards) must
never change what is published: a build that reuses them gives the same site, byte for byte, as
a build from nothing, after every kind of change staff or developers make."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from cchc import convert
from cchc.buildcache import BuildCache
from cchc.buildcache.packs import MAX_PACKS
from cchc.convert import BodyStore, Job, MarkdownSetup
from cchc.text import heading_slug
from support import ROOT, build_site, copy_content

CACHE_LINE = re.compile(r"Bộ nhớ đệm: (\d+) trang dựng mới, (\d+) trang không đổi được dùng lại; "
                        r"(\d+) bài chuyển Markdown, (\d+) bài dùng lại")


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def cache_counts(built) -> tuple[int, int, int, int]:
    match = CACHE_LINE.search(built.output)
    assert match, built.output[-2000:]
    return tuple(int(g) for g in match.groups())


def assert_same_as_fresh(tmp_path: Path, content: Path, warm, name: str) -> None:
    """`warm` (built with caches) equals a build of the same content with no cache at all."""
    fresh = build_site(tmp_path / f"fresh-{name}", content)
    assert fresh.ok, fresh.output
    assert cache_counts(fresh)[1] == 0  # nothing reused
    assert digest_tree(warm.site) == digest_tree(fresh.site)


@pytest.fixture
def project(tmp_path):
    """A private copy of the sample content, built once (the caches are filled)."""
    content = copy_content(tmp_path)
    first = build_site(tmp_path / "work", content)
    assert first.ok, first.output
    rendered, reused, converted, _ = cache_counts(first)
    assert reused == 0 and rendered > 100 and converted == 44  # the sample's published articles at the build date
    return tmp_path, content


def test_unchanged_content_reuses_everything_and_gives_the_same_site(project):
    tmp_path, content = project
    before = digest_tree(tmp_path / "work" / "site")
    again = build_site(tmp_path / "work", content)
    assert again.ok, again.output
    rendered, reused, converted, hits = cache_counts(again)
    assert (rendered, converted) == (0, 0) and reused > 100 and hits == 44
    assert "dùng lại chỉ mục trước" in again.output  # the search index too
    assert digest_tree(again.site) == before


def test_an_edited_article_renders_its_pages_only(project):
    tmp_path, content = project
    article = content / "news/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025.md"
    article.write_text(article.read_text(encoding="utf-8").replace("hồ sơ", "hồ sơ (đã sửa)", 1), encoding="utf-8")
    warm = build_site(tmp_path / "work", content)
    assert warm.ok, warm.output
    rendered, reused, converted, _ = cache_counts(warm)
    assert converted == 1  # only the edited body is converted again
    assert 1 <= rendered <= 25 and reused > 100  # the article and the listings that show its summary
    page = next(warm.site.glob("tin-tuc/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025/index.html"))
    assert "(đã sửa)" in page.read_text(encoding="utf-8")
    assert_same_as_fresh(tmp_path, content, warm, "edit")


def test_a_second_build_rewrites_the_site_in_place_and_removes_what_is_no_longer_published(project):
    """`mkdocs build` overwrites the previous pages instead of deleting and creating them again
    (cchc_mkdocs.site_in_place: seconds on a slow disk), and still gives the folder a clean
    build gives: an unpublished article's page, a file put there by hand and an empty folder
    are gone, and nothing of the mechanism is left behind."""
    tmp_path, content = project
    site = tmp_path / "work" / "site"
    kept = site / "gioi-thieu" / "index.html"
    inode = kept.stat().st_ino
    removed = content / "news/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025.md"
    old_page = site / "tin-tuc/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025/index.html"
    assert old_page.is_file()
    removed.unlink()
    (site / "tin-tuc" / "2025" / "tay.html").write_text("<p>thêm bằng tay</p>", encoding="utf-8")
    (site / "tin-tuc" / "thu-muc-rong" / "con").mkdir(parents=True)
    again = build_site(tmp_path / "work", content)
    assert again.ok, again.output
    assert kept.stat().st_ino == inode  # overwritten where it was, not created again
    assert not old_page.exists() and not old_page.parent.exists()
    assert not (site / "tin-tuc" / "2025" / "tay.html").exists()
    assert not (site / "tin-tuc" / "thu-muc-rong").exists()
    assert not list(site.glob(".cchc-*"))
    assert_same_as_fresh(tmp_path, content, again, "removed")


def test_a_second_build_leaves_pages_already_in_place_unwritten_and_rewrites_changed_ones(project):
    """A page whose bytes in the site are exactly the stored page (checked by its hash) is not
    written again, quietly; a page changed by hand, or shared with another file by a hard link,
    is written again as the build makes it; the folder equals a clean build's."""
    tmp_path, content = project
    site = tmp_path / "work" / "site"
    articles = sorted(site.glob("tin-tuc/2025/0[34]/*/index.html"))
    untouched, edited = articles[0], articles[1]
    state = (untouched.stat().st_ino, untouched.stat().st_mtime_ns)
    right = edited.read_bytes()
    edited.write_bytes(right.replace(b"</h1>", b" (s\xe1\xbb\xada tay)</h1>", 1))
    linked = site / "index.html"
    outside = tmp_path / "ngoai-site.html"
    shared = articles[-1]
    os.link(shared, outside)  # something outside the site could change it through this link
    shared_mtime = shared.stat().st_mtime_ns
    # The search bundle likewise: unchanged files stay, a changed or shared one is copied again,
    # a file of no shard goes, and a link in it is removed, never followed.
    fragments = sorted((site / "pagefind" / "fragment").iterdir())
    fragment_state = (fragments[0].stat().st_ino, fragments[0].stat().st_mtime_ns)
    fragment_right = fragments[1].read_bytes()
    fragments[1].write_bytes(b"hong")
    os.link(fragments[2], tmp_path / "ngoai-manh.pf_fragment")
    (site / "pagefind" / "cu.pf_index").write_bytes(b"con lai tu lan dung truoc")
    (tmp_path / "ngoai-thu-muc").mkdir()
    (site / "pagefind" / "lien-ket").symlink_to(tmp_path / "ngoai-thu-muc")
    again = build_site(tmp_path / "work", content)
    assert again.ok, again.output
    assert (fragments[0].stat().st_ino, fragments[0].stat().st_mtime_ns) == fragment_state
    assert fragments[1].read_bytes() == fragment_right
    assert fragments[2].stat().st_nlink == 1 and (tmp_path / "ngoai-manh.pf_fragment").stat().st_nlink == 1
    assert not (site / "pagefind" / "cu.pf_index").exists() and not (site / "pagefind" / "lien-ket").is_symlink()
    assert list((tmp_path / "ngoai-thu-muc").iterdir()) == []
    assert "Page skipped" not in again.output and "Generated empty output" not in again.output
    rendered, reused, _, _ = cache_counts(again)
    assert rendered == 0 and reused > 100
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == state  # not written at all
    assert edited.read_bytes() == right  # the hand edit is gone
    assert shared.stat().st_mtime_ns != shared_mtime  # a page with another name is written, not trusted
    assert linked.is_file()
    assert_same_as_fresh(tmp_path, content, again, "in-place")


def test_a_moved_article_updates_the_links_to_it_in_other_articles(tmp_path):
    """A body is cached with the links it resolved: when the article it links to moves (its date
    changes its URL), the linking article's cached body must not be reused as it was."""
    content = copy_content(tmp_path)
    target = content / "news/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025.md"
    linking = content / "news/2025/01/so-giao-duc-va-dao-tao-ban-hanh-ke-hoach-thong-tin-tuyen-truyen-cai-cach-hanh.md"
    linking.write_text(linking.read_text(encoding="utf-8")
                       + "\n\nXem thêm [kết quả quý I](../03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025.md).\n",
                       encoding="utf-8")
    first = build_site(tmp_path / "work", content)
    assert first.ok, first.output
    page = "tin-tuc/2025/01/so-giao-duc-va-dao-tao-ban-hanh-ke-hoach-thong-tin-tuyen-truyen-cai-cach-hanh/index.html"
    assert 'href="../../03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025/"' in first.read(page)
    text = target.read_text(encoding="utf-8")
    date = re.search(r"^date: (\S+)", text, re.M).group(1)
    target.write_text(text.replace(f"date: {date}", "date: 2025-04-02", 1), encoding="utf-8")
    warm = build_site(tmp_path / "work", content)
    assert warm.ok, warm.output
    assert 'href="../../04/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025/"' in warm.read(page)
    assert_same_as_fresh(tmp_path, content, warm, "moved")


def test_a_template_change_renders_every_page_again(tmp_path):
    """A change to the theme overrides (or the code) changes every page's fingerprint."""
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    content = copy_content(tmp_path)
    config = {"theme": {**__import__("yaml").safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"],
                        "custom_dir": str(overrides)}}
    first = build_site(tmp_path / "work", content, config=config)
    assert first.ok, first.output
    article = overrides / "cchc" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("Tin liên quan", "Tin cùng chủ đề"), encoding="utf-8")
    warm = build_site(tmp_path / "work", content, config=config)
    assert warm.ok, warm.output
    rendered, reused, _, _ = cache_counts(warm)
    assert reused == 0 and rendered > 100
    assert "Tin cùng chủ đề" in warm.read("tin-tuc/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025/index.html")


def test_a_replaced_image_updates_the_feed_enclosure(project):
    """A feed and the pages showing a picture are reused only while the image is unchanged: a
    photo replaced under the same name gets new derivative names (its digest), its enclosure
    names the new file with its size, and no cached body keeps a <picture> of the old one."""
    from PIL import Image, ImageDraw

    tmp_path, content = project
    feed = (tmp_path / "work" / "site" / "rss.xml").read_text(encoding="utf-8")
    image = content / "news/2025/04/images/bieu-duong-mot-cua.png"  # front matter and body of one article
    page = "tin-tuc/2025/04/bieu-duong-cong-chuc-bo-phan-mot-cua-tan-tuy-phuc-vu-nguoi-dan/index.html"
    old_enclosure = re.search(r'<enclosure url="[^"]*/(bieu-duong-mot-cua-[0-9a-f]{10})-[^"]*"', feed).group(1)
    old_page = (tmp_path / "work" / "site" / page).read_text(encoding="utf-8")
    assert old_page.count(old_enclosure) > 4  # the cover's and the body's <picture>
    with Image.open(image) as picture:
        picture = picture.convert("RGB")
    ImageDraw.Draw(picture).rectangle((0, 0, 400, 225), fill=(200, 30, 30))
    picture.save(image)  # same name, another picture
    warm = build_site(tmp_path / "work", content)
    assert warm.ok, warm.output
    rss = warm.read("rss.xml")
    new = re.search(r'<enclosure url="[^"]*/((bieu-duong-mot-cua-[0-9a-f]{10})-[^"]*)" length="(\d+)"', rss)
    assert new.group(2) != old_enclosure
    assert int(new.group(3)) == (warm.site / "tin-tuc/2025/04/images" / new.group(1)).stat().st_size
    html = warm.read(page)
    assert old_enclosure not in html and html.count(new.group(2)) > 4
    assert_same_as_fresh(tmp_path, content, warm, "image")


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file() and p.name != ".lock")


def _truncate(cache: Path) -> None:
    for path in _cache_files(cache):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(cache: Path) -> None:
    for path in _cache_files(cache):
        data = bytearray(path.read_bytes())
        if data:
            data[len(data) // 2] ^= 0x5A
            path.write_bytes(bytes(data))


def _swap(cache: Path) -> None:
    """Two entries of the same store exchange their bytes (each is a valid entry of another key)."""
    by_folder: dict[Path, list[Path]] = {}
    for path in _cache_files(cache):
        store = path.relative_to(cache).parts[0]
        by_folder.setdefault(cache / store, []).append(path)
    for files in by_folder.values():
        for a, b in zip(files[0::2], files[1::2]):
            data_a, data_b = a.read_bytes(), b.read_bytes()
            a.write_bytes(data_b)
            b.write_bytes(data_a)


def _delete_half(cache: Path) -> None:
    for path in _cache_files(cache)[::2]:
        path.unlink()


def _folders_to_files(cache: Path) -> None:
    """Each store folder, and one folder inside each, replaced by a file of the same name."""
    for store in [p for p in cache.iterdir() if p.is_dir()]:
        inner = next((p for p in store.iterdir() if p.is_dir()), None)
        if inner is not None:
            shutil.rmtree(inner)
            inner.write_bytes(b"not a folder")
    store = next(p for p in cache.iterdir() if p.is_dir())
    shutil.rmtree(store)
    store.write_bytes(b"not a folder")


@pytest.mark.parametrize("damage", [_truncate, _garble, _swap, _delete_half, _folders_to_files],
                         ids=["truncate", "garble", "swap", "delete-half", "folder-to-file"])
def test_damaged_caches_give_the_site_of_a_clean_build(project, damage):
    """Every kind of damage to the cache folder costs time, never a wrong or broken site: each
    entry is checked when read, and a failed check is a miss (with a one-line warning)."""
    tmp_path, content = project
    cache = tmp_path / "work" / ".cache"
    before = digest_tree(tmp_path / "work" / "site")
    damage(cache)
    again = build_site(tmp_path / "work", content)
    assert again.ok, again.output
    assert "Traceback" not in again.output
    if damage is not _delete_half:
        assert "hỏng" in again.output  # the damage was noticed and said
    assert digest_tree(again.site) == before
    third = build_site(tmp_path / "work", content)  # the cache is whole again
    assert third.ok and cache_counts(third)[0] == 0, third.output
    assert digest_tree(third.site) == before


def test_nothing_published_is_a_link_into_the_cache(project):
    """A page or search file of the site is a copy: editing it by hand (or a web server writing
    into it) can never change what the next build publishes, and the reverse."""
    tmp_path, _ = project
    site = tmp_path / "work" / "site"
    cache_inodes = {p.stat().st_ino for p in (tmp_path / "work" / ".cache").rglob("*") if p.is_file()}
    published = [p for p in site.rglob("*") if p.is_file()]
    assert published and all(p.stat().st_nlink == 1 for p in published)
    assert not cache_inodes & {p.stat().st_ino for p in published}


def test_a_dirty_build_never_changes_a_stored_page(project):
    """`mkdocs build --dirty` writes into the existing site: the page store keeps its content
    (its packs are never written again; the edited page goes into a new one)."""
    tmp_path, content = project
    store = tmp_path / "work" / ".cache" / "pages"
    stored = {p: p.read_bytes() for p in store.rglob("*.pack")}
    assert stored
    article = content / "news/2025/03/ket-qua-giai-quyet-thu-tuc-hanh-chinh-quy-i-nam-2025.md"
    article.write_text(article.read_text(encoding="utf-8").replace("hồ sơ", "hồ sơ (sửa lần hai)", 1), encoding="utf-8")
    import subprocess

    from support import BIN, env
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--dirty", "-f", str(tmp_path / "work" / "mkdocs.yml")],
                            capture_output=True, text=True, env=env(), cwd=tmp_path / "work")
    assert result.returncode == 0, result.stderr
    for path, data in stored.items():
        assert path.read_bytes() == data, path


# --- Article bodies: worker processes and the body cache ------------------------------------
def _cache(folder: Path) -> BuildCache:
    return BuildCache(folder, warn=lambda message: None)


def _setup(targets: dict[str, str]) -> MarkdownSetup:
    return MarkdownSetup(extensions=("toc", "tables", "attr_list", "md_in_html", "footnotes"),
                         configs={"toc": {"permalink": "#", "slugify": heading_slug}},
                         legal=None, iframe_hosts=("www.youtube.com/embed/",), targets=targets)


JOBS = [
    Job(url="tin-tuc/2025/03/a/", src_uri="tin-tuc/2025/03/a.md",
        markdown="## Đường dây nóng\n\n![Ảnh](images/a.jpg)\n\n[Bài B](b.md#muc) · [ngoài](https://x.vn/) · "
                 "[thiếu](khong-co.md)\n\n<script>alert(1)</script>", summary="Đường dây nóng"),
    Job(url="tin-tuc/2025/03/b/", src_uri="tin-tuc/2025/03/b.md", markdown="Văn bản [trang](/van-ban/x/index.md)."),
]
TARGETS = {"tin-tuc/2025/03/a.md": "tin-tuc/2025/03/a/", "tin-tuc/2025/03/b.md": "tin-tuc/2025/03/b/",
           "tin-tuc/2025/03/images/a.jpg": "tin-tuc/2025/03/images/a.jpg", "van-ban/x/index.md": "van-ban/x/"}


def test_bodies_resolve_links_as_the_engine_does(tmp_path):
    store = BodyStore(_setup(TARGETS), _cache(tmp_path))
    store.convert_all(JOBS, workers=1)
    a, b = store.html("tin-tuc/2025/03/a/"), store.html("tin-tuc/2025/03/b/")
    assert 'src="../images/a.jpg"' in a  # the image beside the article's source, from the page's URL
    assert 'href="../b/#muc"' in a and 'href="https://x.vn/"' in a
    assert 'href="khong-co.md"' in a and store.converted["tin-tuc/2025/03/a/"].problems == ["khong-co.md"]
    assert 'href="../../../../van-ban/x/"' in b  # a site-absolute source path
    assert 'id="duong-day-nong"' in a and "<script>" not in a  # ASCII anchors, sanitised
    assert store.converted["tin-tuc/2025/03/a/"].summary_in_body
    assert store.converted["tin-tuc/2025/03/a/"].toc[0]["id"] == "duong-day-nong"


def test_worker_processes_give_the_same_bodies(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "POOL_THRESHOLD", 1)
    local = BodyStore(_setup(TARGETS), _cache(tmp_path / "local"))
    local.convert_all(JOBS, workers=1)
    pooled = BodyStore(_setup(TARGETS), _cache(tmp_path / "pooled"))
    pooled.convert_all(JOBS, workers=2)
    assert pooled.stats["workers"] == 2
    for job in JOBS:
        assert pooled.html(job.url) == local.html(job.url)
        assert pooled.converted[job.url].toc == local.converted[job.url].toc


def test_cached_bodies_are_revalidated_against_the_links(tmp_path):
    first = BodyStore(_setup(TARGETS), _cache(tmp_path))
    first.convert_all(JOBS, workers=1)
    again = BodyStore(_setup(TARGETS), _cache(tmp_path))
    again.convert_all(JOBS, workers=1)
    assert (again.stats["hits"], again.stats["converted"]) == (2, 0)
    moved = dict(TARGETS, **{"tin-tuc/2025/03/b.md": "tin-tuc/2025/04/b/"})
    after_move = BodyStore(_setup(moved), _cache(tmp_path))
    after_move.convert_all(JOBS, workers=1)
    assert (after_move.stats["hits"], after_move.stats["converted"]) == (1, 1)  # a links to b: converted again
    assert 'href="../../04/b/#muc"' in after_move.html("tin-tuc/2025/03/a/")


def test_raw_html_images_and_links_are_resolved_like_markdown_ones(tmp_path):
    """An article is published one folder below its source: a pasted <img src="images/a.jpg">
    must be rewritten like ![](images/a.jpg), or the picture is missing on the site."""
    store = BodyStore(_setup(TARGETS), _cache(tmp_path))
    job = Job(url="tin-tuc/2025/03/a/", src_uri="tin-tuc/2025/03/a.md",
              markdown='<figure><img src="images/a.jpg" alt="Ảnh"></figure>\n\n'
                       'Xem <a href="b.md">bài B</a> và <a href="https://x.vn/a.md">ngoài</a>.\n')
    store.convert_all([job], workers=1)
    html = store.html(job.url)
    assert 'src="../images/a.jpg"' in html and 'href="../b/"' in html and 'href="https://x.vn/a.md"' in html
    assert \
        sorted(store.converted[job.url].refs) == [["b.md", "../b/"], ["images/a.jpg", "../images/a.jpg"]]


def test_temporary_folders_of_killed_builds_are_removed(tmp_path, monkeypatch):
    """A preview stopped mid-build leaves its folder of late files (feeds) in the temp folder;
    the next build removes such folders of dead processes and leaves none of its own."""
    import subprocess
    import sys

    temp = tmp_path / "tmp"
    temp.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = temp / f"cchc-late-{dead.stdout.strip()}-abc123"
    (orphan / "chuyen-muc").mkdir(parents=True)
    (orphan / "atom.xml").write_text("<feed/>", encoding="utf-8")
    alive = temp / f"cchc-late-{os.getpid()}-def456"  # a running process's folder is never touched
    alive.mkdir()
    unrelated = temp / "cchc-late-notapid"
    unrelated.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    built = build_site(tmp_path / "work")
    assert built.ok, built.output
    assert sorted(p.name for p in temp.iterdir()) == sorted([alive.name, unrelated.name])


# --- Article files read by two processes (first build of a large site) ----------------------
def test_articles_read_by_a_second_process_are_the_same_with_the_same_messages(tmp_path, monkeypatch):
    """The last part of the files is read by `python -m cchc.content` when there are many: the
    articles, their order and every message (file, line, text), errors in that part included,
    must be what one process reading them all gives."""
    from cchc import content as content_module
    from cchc.content import RecordCache, load_content

    content = copy_content(tmp_path)
    files = sorted((content / "news").rglob("*.md"))
    first, last = files[0], files[-1]  # one in each process's part
    for path in (first, last):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nunit: ", "\nunit: khong-co-don-vi-nay\nx_unit: ", 1), encoding="utf-8")
    alone = load_content(content)
    monkeypatch.setattr(content_module, "PARALLEL_READ_THRESHOLD", 2)
    monkeypatch.setenv("CCHC_WORKERS", "2")
    started = []
    real_start = content_module._start_reader
    monkeypatch.setattr(content_module, "_start_reader", lambda *a: started.append(len(a[2])) or real_start(*a))
    shared = load_content(content, cache=RecordCache(_cache(tmp_path / "cache").blobs("articles"), "v1"))
    assert started and 0 < started[0] < len(files)  # a second process read part of the files
    assert [d.format() for d in shared.diagnostics.items] == [d.format() for d in alone.diagnostics.items]
    unit_errors = [d for d in alone.diagnostics.items if "khong-co-don-vi-nay" in d.format()]
    assert {d.path for d in unit_errors} == {str(p.relative_to(tmp_path)) for p in (first, last)}
    assert [(a, shared.bodies.text(a), shared.citations.get(a.source)) for a in shared.articles] == \
        [(a, alone.bodies.text(a), alone.citations.get(a.source)) for a in alone.articles]


def test_body_cache_stays_small_over_many_edits(tmp_path):
    """Each build writes its new bodies to a pack file of its own (the preview: one per save);
    packs nothing uses are removed and the live bodies are gathered into one pack when they are
    spread too thin, so the cache folder does not grow with every save."""
    packs_folder = tmp_path / "bodies"
    for round_ in range(3 * MAX_PACKS):
        jobs = [JOBS[0], Job(url=JOBS[1].url, src_uri=JOBS[1].src_uri, markdown=f"Lần sửa thứ {round_}.")]
        store = BodyStore(_setup(TARGETS), _cache(tmp_path))
        store.convert_all(jobs, workers=1)
        assert f"Lần sửa thứ {round_}." in store.html(JOBS[1].url)
        assert 'src="../images/a.jpg"' in store.html(JOBS[0].url)
        packs = list(packs_folder.glob("*.pack"))
        assert len(packs) <= MAX_PACKS
        live = len(store.html(JOBS[0].url).encode()) + len(store.html(JOBS[1].url).encode())
        assert sum(p.stat().st_size for p in packs) <= 2 * live
    again = BodyStore(_setup(TARGETS), _cache(tmp_path))
    again.convert_all(jobs, workers=1)
    assert (again.stats["hits"], again.stats["converted"]) == (2, 0)


def test_a_damaged_body_is_converted_again_never_published(tmp_path):
    """A pack file garbled after the bodies were stored: the entry fails its check, is converted
    again (with a warning), and the HTML is the right one."""
    first = BodyStore(_setup(TARGETS), _cache(tmp_path))
    first.convert_all(JOBS, workers=1)
    right = {job.url: first.html(job.url) for job in JOBS}
    for pack in (tmp_path / "bodies").glob("*.pack"):
        data = bytearray(pack.read_bytes())
        data[len(data) // 2] ^= 0xFF
        pack.write_bytes(bytes(data))
    warnings = []
    again = BodyStore(_setup(TARGETS), BuildCache(tmp_path, warn=warnings.append))
    again.convert_all(JOBS, workers=1)
    assert again.stats["converted"] >= 1 and warnings
    assert {job.url: again.html(job.url) for job in JOBS} == right


def test_a_preview_keeps_the_body_index_and_still_never_publishes_a_damaged_body(tmp_path):
    """The preview keeps the body store between saves (its index is read once): the next save
    reuses the bodies without converting them, and a pack garbled between two saves is still
    caught when the body is read (converted again, with a warning), never shown."""
    from cchc.buildrun import PreviewSession

    session = PreviewSession(dirty=True)
    warnings: list[str] = []
    cache = BuildCache(tmp_path, warn=warnings.append)
    first = BodyStore(_setup(TARGETS), cache, kept=session.kept)
    first.convert_all(JOBS, workers=1)
    assert first.save_later
    first.packs.save()  # (as the preview does once the save's pages are served)
    right = {job.url: first.html(job.url) for job in JOBS}
    second = BodyStore(_setup(TARGETS), cache, kept=session.kept)
    assert second.packs is first.packs  # the same store, index in memory
    second.convert_all(JOBS, workers=1)
    second.packs.save()
    assert (second.stats["hits"], second.stats["converted"]) == (len(JOBS), 0)
    for pack in (tmp_path / "bodies").glob("*.pack"):
        data = bytearray(pack.read_bytes())
        for at in range(0, len(data), 64):
            data[at] ^= 0xFF
        pack.write_bytes(bytes(data))
    third = BodyStore(_setup(TARGETS), cache, kept=session.kept)
    third.convert_all(JOBS, workers=1)
    assert {job.url: third.html(job.url) for job in JOBS} == right
    assert any("hỏng" in w for w in warnings)
    from dataclasses import replace

    other = BodyStore(replace(_setup(TARGETS), iframe_hosts=()), cache, kept=session.kept)
    assert other.packs is not first.packs  # other Markdown settings (mkdocs.yml edited): another store


def test_a_kept_tree_store_still_catches_a_shard_changed_between_saves(tmp_path):
    """The preview keeps the search shard store between saves and does not hash an unchanged
    shard again; a file changed in place (same size, even with its old mtime put back) is still
    found (its ctime moved), the shard dropped with a warning, never copied into the site."""
    warnings: list[str] = []
    store = BuildCache(tmp_path, warn=warnings.append).trees("search")
    written = store.begin("k1")
    (written / "index.js").write_bytes(b"A" * 100)
    (written / "sub").mkdir()
    (written / "sub" / "part.pf").write_bytes(b"B" * 50)
    folder = store.commit("k1", written)
    assert store.get("k1") == folder and store.get("k1") == folder and not warnings
    part = folder / "sub" / "part.pf"
    before = part.stat()
    part.write_bytes(b"C" * 50)
    os.utime(part, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert store.get("k1") is None
    assert len(warnings) == 1 and "hỏng" in warnings[0]


def test_a_preview_remembers_feed_bodies_and_job_keys_by_body(tmp_path):
    """A preview's body store makes each article's feed HTML once per body text and computes a
    job's key once per text; an edited body (a new key) is made again; outside a preview
    nothing is remembered."""
    from dataclasses import replace as replaced

    from cchc.buildrun import PreviewSession
    from cchc.feeds import feed_html

    session = PreviewSession(dirty=True)
    cache = BuildCache(tmp_path, warn=print)
    calls: list[str] = []

    def make(html: str, base: str) -> str:
        calls.append(base)
        return feed_html(html, base)

    first = BodyStore(_setup(TARGETS), cache, kept=session.kept)
    first.convert_all(JOBS, workers=1)
    url = JOBS[0].url
    base = "https://so.example.vn/" + url
    expected = feed_html(first.html(url), base)
    assert first.for_feed(url, base, make) == expected and calls == [base]
    second = BodyStore(_setup(TARGETS), cache, kept=session.kept)
    second.convert_all(JOBS, workers=1)
    assert second.for_feed(url, base, make) == expected and calls == [base]  # remembered
    assert second.job_key(JOBS[0]) == first.job_key(JOBS[0]) == \
        BodyStore(_setup(TARGETS), cache).job_key(JOBS[0])  # the same key as a build computes
    edited = [replaced(JOBS[0], markdown=JOBS[0].markdown + "\n\nĐoạn mới thêm.")] + list(JOBS[1:])
    third = BodyStore(_setup(TARGETS), cache, kept=session.kept)
    third.convert_all(edited, workers=1)
    assert third.job_key(edited[0]) != first.job_key(JOBS[0])
    assert "Đoạn mới thêm" in third.for_feed(url, base, make) and calls == [base, base]
    plain = BodyStore(_setup(TARGETS), cache)
    plain.convert_all(JOBS, workers=1)
    assert plain.feed_memo is None and plain.for_feed(url, base, make) == expected and len(calls) == 3


def test_a_page_fingerprint_takes_in_cards_by_their_content():
    """Cards are digested once and stand for their content in a page's fingerprint: equal
    cards give equal fingerprints, a card that differs in any field gives another."""
    from cchc.buildcache.keys import Digested, data_digest

    card = {"url": "tin-tuc/2025/03/a/", "title": "Bài A", "picture": {"width": 960}}
    page = lambda c: ("key", "tin-tuc/", {"articles": [c, Digested(dict(card, url="b/"))]})  # noqa: E731
    assert data_digest(page(Digested(card))) == data_digest(page(Digested(dict(card))))
    assert data_digest(page(Digested(card))) != data_digest(page(Digested(dict(card, title="Bài B"))))
    assert data_digest(page(Digested(card))) != data_digest(page(Digested(dict(card, picture={"width": 480}))))


def test_a_preview_keeps_the_plans_in_memory_until_a_data_file_changes(tmp_path):
    """The preview's article records keep the parsed plans, units and documents between saves
    (with their messages); an edited plan, or a misnamed file put in content/plans/, is read
    and reported at the next save."""
    from cchc.content import RecordCache, load_content

    content = copy_content(tmp_path)
    records = RecordCache(BuildCache(tmp_path / "cache", warn=print).blobs("articles"), "test")
    first = load_content(content, cache=records)
    second = load_content(content, cache=records)
    assert second.catalog is first.catalog and second.legal is first.legal
    assert [d.message for d in second.diagnostics.items] == [d.message for d in first.diagnostics.items]
    plan = content / "plans" / "2025.yml"
    text = plan.read_text(encoding="utf-8")
    old_title = "Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2025"
    plan.write_text(text.replace(old_title, "Kế hoạch đã sửa năm 2025", 1), encoding="utf-8")
    third = load_content(content, cache=records)
    assert third.catalog is not first.catalog
    assert third.catalog.plans[2025].title == "Kế hoạch đã sửa năm 2025"
    (content / "plans" / "2028.yaml").write_text(text, encoding="utf-8")
    fourth = load_content(content, cache=records)
    assert any("2028.yaml" in d.path and ".yml" in d.message for d in fourth.diagnostics.errors)
