"""The last line of `cchc build` (`make site`): where the site went, and which drafts it left out.

A draft is never published; an officer who forgot to remove `draft: true` learns it here
instead of finding the article missing on the site.  Drafts are found by their front matter's
`draft:` line alone (no full read: the build has just checked every article).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_DRAFT = re.compile(r"(?m)^draft:[ \t]*(?:true|True|TRUE|yes|Yes|YES|on|On|ON)[ \t]*(?:#.*)?\r?$")
MAX_NAMED = 10
HEAD_BYTES = 16 * 1024  # the front matter is at the top; a draft: line further down is not one


def drafts(content_dir: Path) -> list[Path]:
    """Article files under content/news/ whose front matter says `draft: true`, in path order."""
    news = content_dir / "news"
    found = []
    for folder, dirnames, filenames in os.walk(news):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = Path(folder) / name
            try:
                with open(path, "rb") as handle:
                    head = handle.read(HEAD_BYTES).decode("utf-8", "replace")
            except OSError:
                continue
            head = head.lstrip("\ufeff")
            if not head.startswith("---"):
                continue
            end = re.search(r"(?m)^---[ \t]*\r?$", head[3:])
            front = head[3:3 + end.start()] if end else ""
            if _DRAFT.search(front):
                found.append(path)
    return found


def content_dir(config: dict, base: Path) -> Path:
    """The content folder a mkdocs.yml (read as `config`, in folder `base`) names."""
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    cchc = extra.get("cchc") if isinstance(extra.get("cchc"), dict) else {}
    folder = Path(str(cchc.get("content_dir") or "content"))
    return folder if folder.is_absolute() else base / folder


def summary(target: str, content_dir: Path | None, shown_from: Path) -> str:
    """"Đã xuất bản trang vào site/", naming the drafts left out."""
    line = f"Đã xuất bản trang vào {target}/"
    if content_dir is None or not content_dir.is_dir():
        return line
    left_out = drafts(content_dir)
    if not left_out:
        return line + "; không có bài nháp nào bị bỏ qua."
    names = []
    for path in left_out[:MAX_NAMED]:
        try:
            names.append(path.resolve().relative_to(shown_from.resolve()).as_posix())
        except ValueError:
            names.append(path.as_posix())
    more = f" và {len(left_out) - MAX_NAMED} bài khác" if len(left_out) > MAX_NAMED else ""
    return (line + f"; không đăng {len(left_out)} bài nháp (draft: true): " + ", ".join(names) + more
            + ". Muốn đăng bài nào thì xóa dòng draft: true của bài đó.")
