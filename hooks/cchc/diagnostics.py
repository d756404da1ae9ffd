"""Problems found in content, reported as `path:line: message` for staff, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "lỗi"
WARNING = "cảnh báo"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR
    code: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    → Cách sửa: {self.hint}"
        return text


class Diagnostics:
    """Collects every problem so staff see them all at once, not one per run."""

    def __init__(self, root: Path | None = None):
        self.root = root
        self.items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def _rel(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def _add(self, diagnostic: Diagnostic) -> None:
        # The same problem found twice (e.g. content/reporting.yml read for each plan year) is
        # shown once.
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, path, line: int, message: str, hint: str = "", code: str = "") -> None:
        self._add(Diagnostic(self._rel(path), line, message, hint, ERROR, code))

    def warning(self, path, line: int, message: str, hint: str = "", code: str = "") -> None:
        self._add(Diagnostic(self._rel(path), line, message, hint, WARNING, code))

    def extend(self, other: "Diagnostics") -> None:
        for diagnostic in other.items:
            self._add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.severity != ERROR, d.message))

    def format(self) -> str:
        return "\n".join(d.format() for d in self.sorted())


class ContentError(Exception):
    """Raised when content has errors; carries every diagnostic for display."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        count = sum(1 for d in diagnostics if d.is_error)
        lines = "\n".join(d.format() for d in diagnostics)
        super().__init__(f"{lines}\n\nNội dung có {count} lỗi; chưa xuất bản gì. Sửa các lỗi trên rồi chạy lại.")
