"""Automatic fixes that staff can ask for (`cchc check --fix`).

A fix inserts exactly one line and leaves every other byte of the file as it was (line
endings, BOM, spacing): staff text is never rewritten.
"""

from __future__ import annotations

from pathlib import Path

from .content import NEWS_DIR, article_files
from .diagnostics import Diagnostics
from .reader import decode, split_front_matter
from .text import slugify
from .yamlio import YamlProblem, load_mapping


def add_missing_slugs(root: Path) -> list[tuple[str, int, str]]:
    """Add `slug:` after the title line of articles that have none; returns what was added."""
    news = root / NEWS_DIR
    if not news.is_dir():
        return []
    scratch = Diagnostics(root.parent)
    files = article_files(news, root, scratch)
    pending: list[tuple[Path, bytes, int, str]] = []
    used: set[str] = set()
    for path in files:
        raw = path.read_bytes()
        text = decode(raw, path, scratch)
        if text is None:
            continue
        parts = split_front_matter(text, path, scratch)
        if parts is None:
            continue
        try:
            located = load_mapping(parts[0], start_line=parts[2])
        except YamlProblem:
            continue
        if "slug" in located.values:  # present (even empty or invalid): staff must choose
            used.add(str(located.values["slug"]))
            continue
        title = str(located.values.get("title") or "").strip()
        if not title:
            continue
        after = located.lines.get("title", parts[3] - 2)
        pending.append((path, raw, after, title))
    done = []
    for path, raw, after_line, title in pending:
        base = slugify(title) or "bai-viet"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        # Same line breaks as `decode` (\r\n, \n or \r), each line keeping its own ending.
        lines = raw.splitlines(keepends=True)
        # A title written over several lines ends before the next key; insert after it.
        insert_at = after_line
        while insert_at < len(lines) and lines[insert_at][:1] in (b" ", b"\t"):
            insert_at += 1
        previous = lines[insert_at - 1]
        newline = previous[len(previous.rstrip(b"\r\n")):] or b"\n"
        lines.insert(insert_at, f"slug: {slug}".encode() + newline)
        path.write_bytes(b"".join(lines))
        done.append((path.relative_to(root.parent).as_posix(), insert_at + 1, slug))
    return done
