"""Measure how long hostile Markdown shapes take (notes/hostile-markdown.md).

    .venv/bin/python scripts/measure_markdown.py [--limit 20] [--only NAME,...] [--stage body|summary|check]

For each shape (a unit of text repeated n times) the body converter of the site (the same
extensions and options as mkdocs.yml, `cchc.convert._Converter`), the summary
(`reader.first_paragraph_text`) and `cchc check`'s work on one article (`content._read`) are
timed at doubling n, each run in its own process with a time limit, until a run takes longer
than --limit seconds or the text would pass the 2 MB article limit.  The exponent between the
last two sizes tells linear (≈1) from quadratic (≈2).  Not a test: timings depend on the
machine; the tests check behaviour, never speed.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 2 * 1024 * 1024

# name → (unit repeated n times, what it stands for)
SHAPES: dict[str, tuple[str, str]] = {
    "open-brackets": ("[", "dấu [ không đóng"),
    "image-openers": ("![", "![ không đóng"),
    "link-no-paren-close": ("[a](", "[a]( không đóng ngoặc tròn"),
    "image-title-open": ('![a](b "', "tiêu đề ảnh mở ngoặc kép không đóng"),
    "link-angle-open": ("[a](<", "[a](< không đóng"),
    "footnote-openers": ("[^", "[^ không đóng"),
    "emphasis-bracket": ("*[a", "*[ lẫn lộn"),
    "nested-brackets": ("[", "[[[…]]] lồng nhau (nửa sau là ])"),
    "html-open-tags": ("<a ", "<a không đóng"),
    "html-open-tags-blocks": ("<a \n\n", "<a không đóng, mỗi dòng một đoạn"),
    "html-name-no-close": ("<ab", "<ab không đóng"),
    "autolink-open": ("<http://a", "<http:// không đóng"),
    "automail-open": ("<a@b", "<a@b không đóng"),
    "div-unclosed": ("<div>\n", "<div> không đóng"),
    "md-in-html-unclosed": ('<div markdown="1">\n', '<div markdown="1"> không đóng'),
    "same-heading": ("# a\n", "đề mục trùng nhau"),
    "same-heading-blank": ("# a\n\n", "đề mục trùng nhau, cách dòng trống"),
    "admonitions": ("!!! note\n", "khối !!! liên tiếp"),
    "emphasis-star": ("*a ", "dấu * không đóng"),
    "emphasis-strong": ("**a ", "dấu ** không đóng"),
    "emphasis-triple": ("***a", "*** liên tiếp"),
    "underscore": ("_a ", "dấu _ không đóng"),
    "backticks": ("`a", "dấu ` không đóng"),
    "comment-open": ("<!--", "<!-- không đóng"),
    "entities": ("&", "dấu &"),
    "attr-list": ("a{: .b}\n", "{: …} sau mỗi dòng"),
    "braces": ("{", "dấu {"),
    "table-rows": ("a|b\n", "bảng nhiều dòng (sau dòng tiêu đề)"),
    "list-items": ("- a\n", "danh sách dài"),
    "quotes": ("> a\n", "trích dẫn dài"),
    "footnote-refs": ("[^a] ", "tham chiếu chú thích"),
    "footnote-defs": ("[^a]: x\n", "định nghĩa chú thích trùng"),
    "pipes": ("|", "dấu | liên tiếp"),
    "backslashes": ("\\\\", "dấu \\ liên tiếp"),
    "iframes": ('<iframe src="https://www.youtube.com/embed/x"></iframe>\n', "nhiều <iframe>"),
    "document-citations": ("Nghị định số 06/2023/NĐ-CP. ", "nhiều số hiệu văn bản"),
}
PREFIX = {"nested-brackets": None, "table-rows": "a|b\n-|-\n"}


def make(name: str, n: int) -> str:
    unit, _ = SHAPES[name]
    if name == "nested-brackets":
        return "[" * n + "a" + "]" * n
    return (PREFIX.get(name) or "") + unit * n


def child(stage: str, name: str, n: int) -> None:
    """Run one measurement in this process; print the seconds as JSON."""
    sys.path.insert(0, str(ROOT / "hooks"))
    text = make(name, n)
    if stage == "body":
        from cchc.convert import Job, MarkdownSetup, _Converter
        from cchc.text import heading_slug

        setup = MarkdownSetup(
            extensions=("toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes"),
            configs={"toc": {"permalink": "#", "permalink_title": "Liên kết tới mục này", "slugify": heading_slug}},
            legal=None, iframe_hosts=("www.youtube.com/embed/",), targets={})
        converter = _Converter(setup)
        start = time.process_time()
        # The conversion itself, without the time budget (cchc.time_limit) that would stop it.
        convert = getattr(converter, "_convert", converter.convert)
        html, _ = convert(Job(url="tin-tuc/2025/03/a/", src_uri="tin-tuc/2025/03/a.md", markdown=text))
        print(json.dumps({"seconds": time.process_time() - start, "out": len(html)}))
    elif stage == "summary":
        from cchc.reader import first_paragraph_text

        start = time.process_time()
        first_paragraph_text(text)
        print(json.dumps({"seconds": time.process_time() - start, "out": 0}))
    else:  # check: read and check one article file with this body, as cchc check does
        import tempfile

        from cchc.content import _read, load_catalog
        from cchc.diagnostics import Diagnostics

        with tempfile.TemporaryDirectory() as tmp:
            import shutil

            content = Path(tmp) / "content"
            shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("news"))
            article = content / "news/2025/03/a.md"
            article.parent.mkdir(parents=True)
            article.write_text('---\ntitle: "Thử"\nslug: thu\ndate: 2025-03-17\ncategories: [thu-tuc-hanh-chinh]\n'
                               "unit: van-phong\n---\n\n" + text, encoding="utf-8")
            diags = Diagnostics(Path(tmp))
            catalog = load_catalog(content, diags)
            start = time.process_time()
            _read(article, content, catalog, diags, ("www.youtube.com/embed/",))
            print(json.dumps({"seconds": time.process_time() - start, "out": len(diags.items)}))


def measure(stage: str, name: str, n: int, limit: float) -> float | None:
    """CPU seconds of one run, None if it did not finish within `limit` seconds."""
    try:
        result = subprocess.run([sys.executable, __file__, "--child", stage, name, str(n)], capture_output=True,
                                text=True, timeout=limit * 10 + 60)
    except subprocess.TimeoutExpired:
        return None
    if result.returncode != 0:
        raise SystemExit(f"{stage} {name} {n}: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--limit", type=float, default=20.0)
    parser.add_argument("--only")
    parser.add_argument("--stage", default="body,summary,check")
    args = parser.parse_args()
    if args.child:
        stage, name, n = args.child
        child(stage, name, int(n))
        return
    names = args.only.split(",") if args.only else list(SHAPES)
    for stage in args.stage.split(","):
        print(f"\n## {stage}\n\n| shape | n | bytes | CPU s | exponent |\n|---|---:|---:|---:|---:|")
        for name in names:
            n, previous = 1000, None
            while True:
                size = len(make(name, n).encode("utf-8"))
                if size > MAX_BYTES:
                    break
                seconds = measure(stage, name, n, args.limit)
                if seconds is None:
                    print(f"| {name} | {n} | {size} | (stopped after {args.limit * 10 + 60:.0f} s wall) | |", flush=True)
                    break
                exponent = ""
                if previous is not None and previous > 0.05 and seconds > 0:
                    exponent = f"{math.log(seconds / previous, 2):.1f}"
                print(f"| {name} | {n} | {size} | {seconds:.3f} | {exponent} |", flush=True)
                if seconds > args.limit:
                    break
                previous = seconds
                n *= 2


if __name__ == "__main__":
    main()
