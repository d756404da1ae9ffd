"""Helpers shared by the tests: build a site from any content folder into a temp dir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE_CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The sample content is judged at a fixed "now" so drafts/scheduled/coverage are stable.
DEFAULT_BUILD_DATE = "2026-11-25 09:00"


@dataclass
class BuiltSite:
    result: subprocess.CompletedProcess
    site: Path
    config: Path

    @property
    def ok(self) -> bool:
        return self.result.returncode == 0

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def read(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")

    def exists(self, rel: str) -> bool:
        return (self.site / rel).exists()


def write_config(tmp: Path, content: Path, *, extra: dict | None = None, config: dict | None = None) -> Path:
    """A mkdocs.yml in `tmp` equal to the project's, pointing at `content` and building into tmp/site."""
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    data["docs_dir"] = str(ROOT / "docs")
    data["site_dir"] = str(tmp / "site")
    data["theme"]["custom_dir"] = str(ROOT / "overrides")
    data["watch"] = [str(content), str(ROOT / "hooks"), str(ROOT / "overrides")]
    data["extra"]["cchc"]["content_dir"] = str(content)
    data["extra"]["cchc"].update(extra or {})
    data.update(config or {})
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def env(build_date: str | None = DEFAULT_BUILD_DATE) -> dict:
    result = dict(os.environ)
    result["NO_MKDOCS_2_WARNING"] = "1"
    result.pop("SOURCE_DATE_EPOCH", None)
    result.pop("CCHC_CACHE_DIR", None)  # each test's caches live beside its own mkdocs.yml
    result.pop("CCHC_WORKERS", None)
    if build_date:
        result["CCHC_BUILD_DATE"] = build_date
    else:
        result.pop("CCHC_BUILD_DATE", None)
    return result


def build_site(tmp: Path, content: Path = SAMPLE_CONTENT, *, build_date: str | None = DEFAULT_BUILD_DATE,
               extra: dict | None = None, config: dict | None = None, engine: str = "mkdocs") -> BuiltSite:
    tmp.mkdir(parents=True, exist_ok=True)
    cfg = write_config(tmp, content, extra=extra, config=config)
    result = subprocess.run([str(BIN / engine), "build", "-f", str(cfg)], capture_output=True, text=True,
                            env=env(build_date), cwd=tmp)
    return BuiltSite(result, tmp / "site", cfg)


def copy_content(tmp: Path, source: Path = SAMPLE_CONTENT) -> Path:
    """A private copy of a content folder that a test may modify."""
    target = tmp / "content"
    shutil.copytree(source, target)
    return target


def run_cchc(*args: str, cwd: Path | None = None, build_date: str | None = DEFAULT_BUILD_DATE) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "cchc"), *args], capture_output=True, text=True, env=env(build_date),
                          cwd=cwd or ROOT)


# --- Small content folders for the foundation tests (checks, plans, CLI) -----------------
# A fixture article's front matter lines, in this order: title (line 2), slug (3), date (4),
# categories (5), unit (6); then the closing --- (7), a blank line (8), the body (9).
ARTICLE_FIELDS = {
    "title": '"Hội nghị triển khai công tác cải cách hành chính"',
    "slug": "hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh",
    "date": "2025-03-17 08:30",
    "categories": "[thu-tuc-hanh-chinh]",
    "unit": "van-phong",
}


def make_content(tmp: Path, *, plan_years: tuple[int, ...] | None = (2025,), source: Path = SAMPLE_CONTENT) -> Path:
    """tmp/content with the plans, units.yml and reporting.yml of `source` and an empty news/.

    `plan_years` picks which plan files to copy (None: all), so a test knows which plans exist.
    """
    target = tmp / "content"
    (target / "plans").mkdir(parents=True)
    for plan in sorted((source / "plans").glob("*.yml")):
        if plan_years is None or plan.stem in {str(y) for y in plan_years}:
            shutil.copy2(plan, target / "plans" / plan.name)
    for name in ("units.yml", "reporting.yml"):
        shutil.copy2(source / name, target / name)
    (target / "news").mkdir()
    return target


def copy_plan(content: Path, year: int, *, source_year: int = 2025, edit=None) -> Path:
    """content/plans/<year>.yml: the plan of `source_year` with its year changed (+ optional edit)."""
    import re as _re

    text = (content / "plans" / f"{source_year}.yml").read_text(encoding="utf-8")
    text = _re.sub(r"(?m)^year: \d{4}$", f"year: {year}", text, count=1)
    if edit is not None:
        text = edit(text)
    target = content / "plans" / f"{year}.yml"
    target.write_text(text, encoding="utf-8")
    return target


def article_text(body: str = "Nội dung bài viết.\n", **fields: str | None) -> str:
    """An article: ARTICLE_FIELDS updated with `fields` (YAML source text; None drops a field)."""
    merged = {**ARTICLE_FIELDS, **fields}
    lines = ["---", *(f"{key}: {value}" for key, value in merged.items() if value is not None), "---", "", body]
    return "\n".join(lines)


def write_article(content: Path, name: str = "2025/03/bai-viet.md", text: str | bytes | None = None,
                  **fields: str | None) -> Path:
    """Write content/news/<name> from `text` (str is UTF-8 encoded, bytes as is) or article_text(**fields)."""
    path = content / "news" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = article_text(**fields) if text is None else text
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- Real files for attachments (cchc.attachments checks files by content) -------------------
def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (4, 3)) -> bytes:
    """A small, complete image in `fmt` (Pillow's name: JPEG, PNG, GIF, WEBP, AVIF)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes(text: str = "Ke hoach") -> bytes:
    """A minimal valid one-page PDF."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx_bytes(text: str = "Kế hoạch") -> bytes:
    """A real Word document (python-docx)."""
    import io

    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
