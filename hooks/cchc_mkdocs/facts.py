"""What the engine's configuration says that the build needs as plain data."""

from __future__ import annotations

import hashlib
import html
import sys
import sysconfig
from pathlib import Path

from mkdocs.exceptions import PluginError

from cchc import failures


def engine_name() -> str:
    return "properdocs" if "properdocs" in sys.modules else "mkdocs"


def theme_folders(config) -> list[Path]:
    """The theme's folders outside installed packages (the overrides); installed themes are
    keyed by their versions."""
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    return [Path(d) for d in config.theme.dirs if not Path(d).resolve().is_relative_to(installed)]


def file_digest(config) -> str:
    try:
        return hashlib.sha256(Path(config.config_file_path).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return ""


def needed_space(plugin) -> int | None:
    """About what a build needs on disk: the size of the last site (plus a tenth)."""
    run = plugin.run
    if run is None:
        return None
    site_dir = run.facts.site_dir
    for folder in (site_dir.parent / "site", run.facts.config_dir / "site", site_dir):
        if folder.is_dir():
            size = failures.folder_size(folder)
            if size:
                return size + size // 10
    return None


def expand_nav(nav, build):
    """Put every category under the "Chuyên mục" entry (categories are data, not config)."""
    if not nav:
        return nav
    expanded = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            if target == "chuyen-muc/index.md":
                children = [{"Tất cả chuyên mục": "chuyen-muc/index.md"}]
                # Material prints navigation labels unescaped: category names are data, escape them.
                # Only categories with an article: no links to empty pages.
                children += [{html.escape(c.name): f"chuyen-muc/{c.id}/index.md"}
                             for c in build.advertised_categories()]
                expanded.append({title: children})
                continue
        expanded.append(item)
    return expanded


def drop_preview_only(nav, spec):
    """The navigation without entries for `draft_docs` pages (`spec`, MkDocs' path spec): they are
    built by `mkdocs serve` only (the staff guide), and on the public site an entry would be a
    link to a page that does not exist."""
    if not nav or spec is None:
        return nav
    kept = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            if isinstance(target, list):
                kept.append({title: drop_preview_only(target, spec)})
                continue
            if isinstance(target, str) and spec.match_file(target):
                continue
        elif isinstance(item, str) and spec.match_file(item):
            continue
        kept.append(item)
    return kept


def add_file(files, file) -> None:
    """Add a generated file; a staff page in docs/ at the same path is an error (not replaced)."""
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None and existing.generated_by is None:
        raise PluginError(f"docs/{file.src_uri} trùng đường dẫn với trang được tạo tự động ({file.url}); "
                          "đổi tên hoặc xóa tệp trong docs/")
    files.append(file)
