"""Broken and hostile content: a clear message naming file and line, never a traceback, never
a half-written site.

Every case copies tests/fixtures/hostile (one plan, three units, one valid article), breaks one
thing, and runs the real `cchc build` over a site/ folder that already holds a previous site.
Each case asserts: the build exits non-zero, the message says what is wrong (a distinctive
Vietnamese phrase) at the exact `path:line`, no Python traceback is shown, and site/ is
byte-for-byte the previous site with no temporary folder left beside it.  A few inputs that
must be accepted (UTF-8 BOM, NFD text, Windows line endings) are built the same way.

The builds run a few at a time in threads (each is its own process, ~1 s), once per module.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

from support import BIN, FIXTURES, env, write_config

BASE = FIXTURES / "hostile"
NEW = "news/2025/03/bai-loi.md"  # the article each case adds (beside the valid one)
NEW_PATH = "content/" + NEW

# The front matter of a valid article, one field per line: title is line 2, slug 3, date 4,
# categories 5, unit 6; extra fields follow from line 7, then the closing ---.
FIELDS = {
    "title": 'title: "Bài viết thử nghiệm"',
    "slug": "slug: bai-viet-thu-nghiem",
    "date": "date: 2025-03-20 09:00",
    "categories": "categories: [thu-tuc-hanh-chinh]",
    "unit": "unit: van-phong",
}
BODY = "Nội dung bài viết thử nghiệm.\n"


def article(*extra: str, drop: tuple[str, ...] = (), body: str = BODY, **replace: str) -> str:
    lines = [replace.get(k, v) for k, v in FIELDS.items() if k not in drop]
    return "---\n" + "\n".join([*lines, *extra]) + "\n---\n\n" + body


def put(text: str | bytes, rel: str = NEW) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return setup


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        path = content / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return setup


def line_of(rel: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of BASE/rel containing `needle` (after the case's edit)."""
    seen = 0
    for number, line in enumerate((BASE / rel).read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in {rel}")


def cp1258(text: str) -> bytes:
    """What Word's "Vietnamese (Windows)" encoding saves: base letters + combining tone bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b"))
            out += shaped.encode("cp1258")
            out += "".join(m for m in marks if m not in "\u0302\u0306\u031b").encode("cp1258")
    return bytes(out)


def _symlink_outside(content: Path) -> None:
    outside = content.parent.parent / "ngoai-kho.md"
    outside.write_text(article(), encoding="utf-8")
    (content / NEW).symlink_to(outside)


def _remove(rel: str) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        target = content / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return setup


def _duplicate_category(content: Path) -> None:
    path = content / "plans/2025.yml"
    text = path.read_text(encoding="utf-8")
    block = ('  - id: thu-tuc-hanh-chinh\n    section: "II.2.9"\n    name: "Trùng mã"\n'
             '    description: "Khai báo lại."\n    documents: []\n')
    path.write_text(text.replace("forms:\n", block + "forms:\n", 1), encoding="utf-8")


DUPLICATE_CATEGORY_LINE = line_of("plans/2025.yml", "forms:")  # the inserted "- id:" takes its place
UNITS_LINES = (BASE / "units.yml").read_text(encoding="utf-8").count("\n")
PLAN_LINES = (BASE / "plans/2025.yml").read_text(encoding="utf-8").count("\n")


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        path = content / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return setup


# "Billion laughs": nine levels of nine aliases each would expand to 9⁹ values.
ALIAS_BOMB = "laughs:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  {b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], None]
    where: str  # "path:line" (or just the path for whole-file problems)
    message: str  # a distinctive part of the Vietnamese message
    config: dict | None = None  # extra.cchc overrides


def at(line: int, path: str = NEW_PATH) -> str:
    return f"{path}:{line}"


CLOSING = len(FIELDS) + 2  # line of the closing --- of article() without extra fields

CASES = [
    # --- the file itself ---------------------------------------------------------------
    Case("empty-file", put(b""), at(1), "tệp rỗng"),
    Case("whitespace-only", put(b"\n   \n\t\n"), at(1), "tệp rỗng"),
    Case("no-front-matter", put("Chỉ có nội dung, không có thông tin đầu bài.\n"), at(1), "thiếu phần thông tin đầu bài"),
    Case("front-matter-not-closed", put("---\ntitle: \"Bài\"\nslug: bai\n\nNội dung.\n"), at(1), "chưa được đóng"),
    Case("huge-file-20mb", put(article(body="Nội dung rất dài. " * 1_100_000)), NEW_PATH, "tệp quá lớn"),
    Case("binary-named-md", put(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4), at(1), "không phải văn bản"),
    Case("utf16-word", put(article().encode("utf-16")), at(1), "UTF-16"),
    Case("windows-1258", put(cp1258(article())), at(2), "không phải mã UTF-8"),
    Case("tcvn3-title", put(article(title='title: "Héi nghÞ triÓn khai c«ng t¸c c¶i c¸ch hµnh chÝnh"')), at(2), "bảng mã cũ"),
    Case("vni-body", put(article(body="Hoäi nghò trieån khai coâng taùc caûi caùch haønh chính.\n")), at(CLOSING + 2), "bảng mã cũ"),
    Case("symlink-outside-repository", _symlink_outside, NEW_PATH, "symlink"),
    # --- YAML shape ----------------------------------------------------------------------
    Case("yaml-is-a-list", put("---\n- title\n- slug\n---\n\nNội dung.\n"), at(2), "là danh sách"),
    Case("yaml-is-a-string", put("---\nchỉ một dòng chữ\n---\n\nNội dung.\n"), at(2), "là một chuỗi"),
    Case("tab-indent", put(article(unit="\tunit: van-phong")), at(6), "Tab"),
    Case("duplicate-key", put(article('title: "Tiêu đề lần hai"')), at(7), "xuất hiện hai lần"),
    Case("unclosed-quote", put(article(title='title: "Hội nghị triển khai')), at(2), "thiếu dấu ngoặc kép đóng"),
    Case("colon-in-title", put(article(title="title: Hội nghị: kết quả quý I")), at(2), "dấu hai chấm"),
    Case("misspelled-field", put(article(title='titel: "Bài viết"')), at(2), "không đúng tên"),
    # --- required fields -------------------------------------------------------------------
    Case("missing-title", put(article(drop=("title",))), at(CLOSING - 1), "thiếu trường bắt buộc “title”"),
    Case("missing-slug", put(article(drop=("slug",))), at(CLOSING - 1), "thiếu đường dẫn cố định (slug)"),
    Case("missing-unit", put(article(drop=("unit",))), at(CLOSING - 1), "thiếu trường bắt buộc “unit”"),
    # --- title -----------------------------------------------------------------------------
    Case("title-huge", put(article(title='title: "' + "Tiêu đề rất dài " * 40 + '"')), at(2), "tiêu đề quá dài"),
    Case("title-only-spaces", put(article(title='title: "      "')), at(2), "tiêu đề đang trống"),
    Case("title-is-a-list", put(article(title="title: [Hội nghị, Tập huấn]")), at(2), "phải là một dòng văn bản"),
    # --- date ----------------------------------------------------------------------------
    Case("date-not-a-date", put(article(date='date: "hôm qua"')), at(4), "không phải ngày hợp lệ"),
    Case("date-feb-30", put(article(date="date: 2025-02-30")), at(4), "không tồn tại"),
    Case("date-year-only", put(article(date="date: 2025")), at(4), "chỉ có năm"),
    Case("date-month-13", put(article(date="date: 2025-13-01 08:00")), at(4), "không tồn tại"),
    Case("updated-not-a-date", put(article('updated: "tuần trước"')), at(7), "ngày cập nhật (updated) sai"),
    # --- categories, unit, forms, tags ----------------------------------------------------
    Case("categories-string", put(article(categories="categories: thu-tuc-hanh-chinh")), at(5), "phải là danh sách, không phải một chuỗi"),
    Case("categories-mapping", put(article(categories="categories: {thu-tuc: hanh-chinh}")), at(5), "phải là danh sách mã chuyên mục"),
    Case("categories-empty", put(article(categories="categories: []")), at(5), "đang trống"),
    Case("categories-unknown", put(article(categories="categories: [an-toan-thuc-pham]")), at(5), "chuyên mục “an-toan-thuc-pham” không có trong kế hoạch"),
    Case("categories-near-miss", put(article(categories="categories: [thu-tuc-hanh-chin]")), at(5), "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    Case("categories-other-case", put(article(categories="categories: [Thu-Tuc-Hanh-Chinh]")), at(5), "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    Case("categories-diacritics", put(article(categories="categories: [thủ-tục-hành-chính]")), at(5), "có phải ý bạn là “thu-tuc-hanh-chinh”"),
    Case("unit-unknown", put(article(unit="unit: so-tai-chinh")), at(6), "đơn vị “so-tai-chinh” không có trong content/units.yml"),
    Case("unit-near-miss", put(article(unit="unit: thanh-tra-so")), at(6), "có phải ý bạn là “thanh-tra”"),
    Case("forms-unknown", put(article("forms: [bao-in]")), at(7), "hình thức “bao-in” không có trong kế hoạch"),
    Case("tags-not-a-list", put(article("tags: một cửa, dịch vụ công")), at(7), "“tags” phải là danh sách"),
    Case("draft-not-boolean", put(article('draft: "có"')), at(7), "“draft” phải là true hoặc false"),
    # --- slugs -----------------------------------------------------------------------------
    Case("slug-duplicate", put(article(slug="slug: hoi-nghi-trien-khai"), "news/2025/04/bai-trung.md"),
         "content/news/2025/04/bai-trung.md:3", "trùng với bài news/2025/03/bai-hop-le.md"),
    Case("slug-dot-dot", put(article(slug="slug: ../../etc/passwd")), at(3), "không hợp lệ"),
    Case("slug-slash", put(article(slug="slug: tin/bai-viet")), at(3), "không hợp lệ"),
    Case("slug-non-ascii", put(article(slug="slug: hội-nghị")), at(3), "không hợp lệ"),
    Case("slug-upper-case", put(article(slug="slug: Hoi-Nghi")), at(3), "không hợp lệ"),
    # --- image -----------------------------------------------------------------------------
    Case("image-escapes-content", put(article("image: ../../../../etc/passwd")), at(7), "trỏ ra ngoài thư mục content/"),
    Case("image-absolute-path", put(article("image: /etc/passwd")), at(7), "phải là đường dẫn tương đối"),
    Case("image-javascript-url", put(article('image: "javascript:alert(1)"')), at(7), "phải là đường dẫn tương đối"),
    Case("image-missing", put(article("image: images/khong-co.jpg")), at(7), "không tìm thấy tệp ảnh"),
    Case("image-not-an-image", put(article("image: bai-hop-le.md")), at(7), "không phải tệp ảnh"),
    # --- plan, units, reporting windows ------------------------------------------------------
    Case("plan-duplicate-category", _duplicate_category, at(DUPLICATE_CATEGORY_LINE, "content/plans/2025.yml"),
         "chuyên mục “thu-tuc-hanh-chinh” bị khai báo hai lần"),
    Case("plan-year-not-file-name", edit("plans/2025.yml", "year: 2025", "year: 2024"),
         at(line_of("plans/2025.yml", "year: 2025"), "content/plans/2025.yml"), "khác tên tệp"),
    Case("window-malformed", edit("reporting.yml", "start: {month: 12, day: 15, year: -1}", 'start: "15/12"'),
         at(line_of("reporting.yml", "start:"), "content/reporting.yml"), "mốc “start” của kỳ báo cáo không hợp lệ"),
    Case("window-impossible-date", edit("reporting.yml", "end: {month: 3, day: 14}", "end: {month: 2, day: 30}"),
         at(line_of("reporting.yml", "end:"), "content/reporting.yml"), "ngày không tồn tại"),
    Case("window-ends-before-start", edit("reporting.yml", "end: {month: 3, day: 14}", "end: {month: 12, day: 1, year: -1}"),
         at(line_of("reporting.yml", "end:"), "content/reporting.yml"), "kết thúc"),
    Case("no-plan-file", _remove("plans/2025.yml"), "content/plans", "chưa có tệp kế hoạch nào"),
    Case("no-units-file", _remove("units.yml"), "content/units.yml", "thiếu tệp danh sách đơn vị"),
    Case("units-duplicate-id", edit("units.yml", "  - id: phong-khao-thi", "  - id: thanh-tra"),
         at(line_of("units.yml", "- id: phong-khao-thi"), "content/units.yml"), "đơn vị “thanh-tra” bị lặp"),
    # --- invisible characters, YAML bombs, nesting (issue: hostile input) -------------------------
    Case("title-escaped-control", put(article(title='title: "\\x1b"')), at(2), "ký tự điều khiển vô hình U+001B"),
    Case("title-raw-control", put(article(title='title: "Bài\x01 viết"')), at(2), "ký tự điều khiển vô hình U+0001"),
    Case("title-zero-width-only", put(article(title='title: "\\u200b\\u200d"')), at(2), "tiêu đề đang trống"),
    Case("title-bidi-override", put(article(title='title: "Bài \u202e viết"')), at(2), "ký tự đảo chiều chữ U+202E"),
    Case("body-control", put(article(body="Nội dung\x07 bài.\n")), at(CLOSING + 2), "ký tự điều khiển vô hình U+0007"),
    Case("front-matter-alias-bomb", put(article(*ALIAS_BOMB.replace("laughs:\n  ", "").replace("\n  ", "\n").splitlines())),
         at(7), "neo/tham chiếu"),
    Case("tags-nested-300", put(article("tags: " + "[" * 300 + "]" * 300)), at(7), "cấu trúc lồng nhau quá sâu"),
    Case("body-list-nested-300", put(article(body="".join("    " * n + "- mục\n" for n in range(300)))),
         at(CLOSING + 2 + 20), "nội dung lồng nhau quá sâu"),
    Case("units-nested-400", _append("units.yml", "extra:\n" + "".join("  " * (n + 1) + "-\n" for n in range(400))),
         at(UNITS_LINES + 21, "content/units.yml"), "cấu trúc lồng nhau quá sâu"),
    Case("plan-alias-bomb", _append("plans/2025.yml", ALIAS_BOMB),
         at(PLAN_LINES + 1 + 5, "content/plans/2025.yml"), "bung ra quá lớn"),
    Case("plan-control-character", edit("plans/2025.yml", "Thử nghiệm.", "Thử\x0b nghiệm."),
         at(line_of("plans/2025.yml", "Thử nghiệm."), "content/plans/2025.yml"), "ký tự điều khiển vô hình U+000B"),
    Case("utf16-without-bom", put(article().encode("utf-16-le")), at(1), "UTF-16 (không có dấu BOM)"),
    Case("categories-comma-string", put(article(categories="categories: thu-tuc-hanh-chinh, chinh-quyen-so")), at(5),
         "categories: [thu-tuc-hanh-chinh, chinh-quyen-so]"),
    Case("date-hour-24", put(article(date="date: 2025-03-20 24:00")), at(4), "giờ “24:00” không hợp lệ"),
    Case("date-year-typo", put(article(date="date: 0225-03-20")), at(4), "năm 0225 có lẽ gõ nhầm"),
    Case("body-image-missing", put(article(body="![Ảnh hội nghị](images/khong-co.jpg)\n")), at(CLOSING + 2),
         "không tìm thấy tệp ảnh “images/khong-co.jpg”"),
    Case("body-image-escapes", put(article(body="![Mật khẩu](../../../../etc/passwd)\n")), at(CLOSING + 2),
         "trỏ ra ngoài thư mục content/"),
    Case("body-link-missing-article", put(article(body="Xem [bài cũ](../02/khong-co.md).\n")), at(CLOSING + 2),
         "liên kết tới bài “../02/khong-co.md” không tồn tại"),
    Case("article-named-MD", put(article(), "news/2025/03/bai-loi.MD"), "content/news/2025/03/bai-loi.MD",
         "đổi tên thành bai-loi.md"),
    # --- configuration -------------------------------------------------------------------------
    Case("config-page-size", lambda content: None, "mkdocs.yml", "extra.cchc.page_size", config={"page_size": 0}),
    Case("config-iframe-hosts", lambda content: None, "mkdocs.yml", "extra.cchc.iframe_hosts",
         config={"iframe_hosts": ["javascript:alert(1)"]}),
]

ACCEPTED = {
    "utf8-bom": ("\ufeff" + article(), "Bài viết thử nghiệm"),
    "nfd-text": (unicodedata.normalize("NFD", article(title='title: "Hội nghị tổng kết công tác năm"')),
                 "Hội nghị tổng kết công tác năm"),
    "windows-line-endings": (article(title='title: "Tập huấn dịch vụ công trực tuyến"').replace("\n", "\r\n"),
                             "Tập huấn dịch vụ công trực tuyến"),
}


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Outcome:
    result: subprocess.CompletedProcess
    before: dict[str, str]
    after: dict[str, str]
    leftovers: list[str]
    project: Path

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr


def _run(project: Path, setup: Callable[[Path], None], config: dict | None) -> Outcome:
    content = project / "content"
    shutil.copytree(BASE, content)
    setup(content)
    cfg = write_config(project, content, extra=config)
    site = project / "site"
    # The previous site: a page and a nested asset that must survive byte for byte.
    (site / "tin-tuc").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Bản trước</title>", encoding="utf-8")
    (site / "tin-tuc" / "bai-cu.html").write_bytes(b"previous build \x00\xff")
    before = tree_digest(site)
    result = subprocess.run([str(BIN / "cchc"), "build", "-f", str(cfg)], capture_output=True, text=True,
                            env=env(), cwd=project, timeout=300)
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))
    return Outcome(result, before, tree_digest(site), leftovers, project)


def diagnostics_at(output: str, marker: str) -> list[str]:
    """Each diagnostic whose first line contains `marker`, with its indented hint lines."""
    lines = output.splitlines()
    blocks = []
    for i, line in enumerate(lines):
        if marker in line:
            block = [line]
            for following in lines[i + 1:]:
                if not following.startswith("    "):
                    break
                block.append(following)
            blocks.append("\n".join(block))
    return blocks


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("hostile")
    jobs = {case.name: (case.setup, case.config) for case in CASES}
    jobs.update({f"accepted-{name}": (put(text), None) for name, (text, _title) in ACCEPTED.items()})
    with ThreadPoolExecutor(max_workers=max(2, min(4, (os.cpu_count() or 2) * 2))) as pool:
        futures = {name: pool.submit(_run, root / name, setup, config) for name, (setup, config) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def test_enough_cases():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refused_with_file_line_and_site_untouched(outcomes, case: Case):
    outcome = outcomes[case.name]
    output = outcome.output
    assert outcome.result.returncode != 0, output
    assert "Traceback" not in output, output
    # The diagnostic starts with exactly "path:line: lỗi:" and its own text (message and the
    # "→ Cách sửa" hint below it) says what is wrong.
    blocks = diagnostics_at(output, "mkdocs.yml: " if case.where == "mkdocs.yml" else f"{case.where}: lỗi: ")
    assert blocks, f"no diagnostic at {case.where}:\n{output}"
    assert any(case.message in block for block in blocks), f"{case.message!r} not in {blocks}\n{output}"
    if case.where != "mkdocs.yml":
        assert "chưa xuất bản gì" in output
    # The previous site is complete and unchanged; nothing temporary is left beside it.
    assert outcome.after == outcome.before
    assert outcome.leftovers == []


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_inputs_build(outcomes, name):
    outcome = outcomes[f"accepted-{name}"]
    assert outcome.result.returncode == 0, outcome.output
    assert " lỗi: " not in outcome.output
    assert outcome.leftovers == []
    site = outcome.project / "site"
    assert not (site / "tin-tuc" / "bai-cu.html").exists()  # replaced by the new build
    page = (site / "tin-tuc/2025/03/bai-viet-thu-nghiem/index.html").read_text(encoding="utf-8")
    title = ACCEPTED[name][1]
    assert f"<h1>{title}</h1>" in page
    assert unicodedata.normalize("NFD", title) not in page or title.isascii()
    assert "\ufeff" not in page and "\r" not in page


def test_nfd_and_nfc_titles_are_one_article(outcomes):
    """NFD input is normalised: the page, the listing and the feed all carry NFC text."""
    site = outcomes["accepted-nfd-text"].project / "site"
    for rel in ("tin-tuc/2025/03/bai-viet-thu-nghiem/index.html", "index.html", "rss.xml"):
        text = (site / rel).read_text(encoding="utf-8")
        assert "Hội nghị tổng kết công tác năm" in text, rel
        assert unicodedata.normalize("NFD", "Hội nghị tổng kết") not in text, rel


def test_check_reports_the_same(tmp_path):
    """`cchc check` and the build agree: the same file:line for a broken article."""
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    put(article(date="date: 2025-02-30"))(content)
    result = subprocess.run([str(BIN / "cchc"), "--content", str(content), "check"], capture_output=True,
                            text=True, env=env(), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{NEW_PATH}:4: lỗi: " in result.stderr
    assert "Traceback" not in result.stderr


def test_config_files_are_valid_yaml():
    """The fixture itself is sound: the base content builds (checked by the accepted cases)."""
    for rel in ("units.yml", "reporting.yml", "plans/2025.yml"):
        assert isinstance(yaml.safe_load((BASE / rel).read_text(encoding="utf-8")), dict)
