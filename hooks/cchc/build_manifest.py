"""What `cchc build` knows about the build in site/, for `cchc publish` to check before sending it.

`site/.cchc-build.json` is written into the new site just before it replaces site/ (so it
always describes the folder it is in): when the build started, a fingerprint of the sources
it read (the configuration, without where to publish; docs/, content/, the theme overrides and
the other `watch` folders: names, sizes and modification times), whether drafts were shown (preview) and the
`site_url` the pages were made for.  It holds no paths of this machine; `cchc publish` does
not upload it and the shipped nginx configuration serves no dot-file anyway.

A build that failed leaves site/ as it was and writes `.cchc-failed-site.json` beside it (removed
by the next build that succeeds), so `cchc publish` can say the last build did not succeed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = ".cchc-build.json"
FORMAT = 1
# Written by tools and editors, never read by the build: not part of the fingerprint.
_SKIP_DIRS = {"__pycache__", "node_modules"}
_SKIP_SUFFIXES = (".pyc", ".pyo", "~", ".swp", ".swo", ".tmp")


@dataclass(frozen=True)
class SourceState:
    digest: str
    files: dict[str, tuple[int, int]]  # shown path → (size, mtime_ns)
    config: str  # digest of the configuration as the build reads it (without extra.cchc.publish)


def config_digest(config: dict) -> str:
    """The configuration without `extra.cchc.publish` and `site_dir` (where the build is written
    and published is not part of what it shows: changing them does not make it older)."""
    data = json.loads(json.dumps(config, default=str))
    data.pop("site_dir", None)  # where the site is written is not what it shows
    cchc = (data.get("extra") or {}).get("cchc") if isinstance(data.get("extra"), dict) else None
    if isinstance(cchc, dict):
        cchc.pop("publish", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _as_path(value, base: Path) -> Path | None:
    if not value or not isinstance(value, str):
        return None
    path = Path(value)
    return path if path.is_absolute() else base / path


def source_paths(config: dict, config_path: Path) -> list[Path]:
    """Everything a build reads that staff or developers edit, from a parsed mkdocs.yml."""
    base = config_path.parent
    paths = []
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    cchc = extra.get("cchc") if isinstance(extra.get("cchc"), dict) else {}
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    for value in (config.get("docs_dir") or "docs", cchc.get("content_dir") or "content", theme.get("custom_dir"),
                  *(config.get("watch") or [])):
        path = _as_path(value, base)
        if path is not None:
            paths.append(path)
    seen, result = set(), []
    for path in paths:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            result.append(resolved)
    return result


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def source_state(config: dict, config_path: Path) -> SourceState:
    base = config_path.parent.resolve()
    files: dict[str, tuple[int, int]] = {}
    for root in source_paths(config, config_path):
        if root.is_file():
            st = root.stat()
            files[_shown(root, base)] = (st.st_size, st.st_mtime_ns)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".") and not d.endswith(".egg-info")]
            for name in names:
                if name.startswith(".") or name.endswith(_SKIP_SUFFIXES):
                    continue
                path = Path(folder) / name
                try:
                    st = path.stat()
                except OSError:
                    continue
                files[_shown(path, base)] = (st.st_size, st.st_mtime_ns)
    config_hash = config_digest(config)
    digest = hashlib.sha256(config_hash.encode())
    for name in sorted(files):
        size, mtime = files[name]
        digest.update(f"{name}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return SourceState(digest.hexdigest(), files, config_hash)


def changed_since(state: SourceState, manifest: dict, config_name: str, limit: int = 3) -> list[str]:
    """Source files modified after the build started (newest first), to name them to staff."""
    since_ns = int(manifest.get("started_ns") or 0)
    newer = sorted(((mtime, name) for name, (_, mtime) in state.files.items() if mtime > since_ns), reverse=True)
    names = [name for _, name in newer[:limit]]
    if manifest.get("config") != state.config:
        names.insert(0, config_name)
    return names


def write_manifest(site_dir: Path, *, state: SourceState, started: dt.datetime, site_url: str, engine: str,
                   preview: bool = False) -> Path:
    data = {
        "format": FORMAT,
        "built_at": started.isoformat(timespec="seconds"),
        "started_ns": int(started.timestamp() * 1e9),
        "sources": state.digest,
        "config": state.config,
        "preview": bool(preview),
        "site_url": site_url,
        "engine": engine,
    }
    path = Path(site_dir) / MANIFEST_NAME
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_manifest(site_dir: Path) -> dict | None:
    """The manifest of the build in site_dir; None when there is none or it cannot be read."""
    try:
        data = json.loads((Path(site_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data


def failure_path(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    return site_dir.parent / f".cchc-failed-{site_dir.name}.json"


def record_failure(site_dir: Path, when: dt.datetime, status: int) -> None:
    """A build into site_dir did not succeed (site_dir kept the previous build)."""
    try:
        failure_path(site_dir).write_text(json.dumps({"failed_at": when.isoformat(timespec="seconds"),
                                                      "status": status}) + "\n", encoding="utf-8")
    except OSError:
        pass


def read_failure(site_dir: Path) -> dict | None:
    try:
        data = json.loads(failure_path(site_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def clear_failure(site_dir: Path) -> None:
    failure_path(site_dir).unlink(missing_ok=True)
