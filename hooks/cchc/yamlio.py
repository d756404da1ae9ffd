"""YAML reading that keeps line numbers, so every problem can point at the line to fix.

Uses libyaml's C parser when PyYAML was built with it (several times faster on thousands of
front matters), the pure-Python one otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class YamlProblem(Exception):
    """A YAML error translated for staff; `line` is 1-based within the YAML text."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass
class Located:
    """A mapping read from YAML with the line of each key (1-based, relative to the text)."""

    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # scalar source text, for dates
    start_line: int = 1
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.start_line)


_KEY_LINE_RE = re.compile(r"^\s*(?:- )?[A-Za-z_][\w-]*:(?:\s|$)")


def _quote_spanning_lines(text: str) -> int | None:
    """Line of a quoted value that swallowed following `key: value` lines (an unclosed quote)."""
    lines = text.splitlines()
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line
                    and any(_KEY_LINE_RE.match(lines[n]) for n in range(token.start_mark.line + 1,
                                                                         min(token.end_mark.line + 1, len(lines))))):
                return token.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return None


def _translate(exc: yaml.YAMLError, text: str) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    # An unclosed quote or bracket, or a line without "key:", is noticed lines later (often
    # at the end of the front matter); the line to fix is where it started.
    if context_mark is not None and context.startswith(
        ("while scanning a quoted scalar", "while parsing a flow", "while scanning a simple key")
    ):
        mark = context_mark
    line = mark.line + 1 if mark is not None else 1
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line or "'\\t'" in problem:
        return YamlProblem(
            line,
            "có ký tự Tab trong phần thông tin đầu bài (YAML không cho phép Tab để thụt lề)",
            "thay Tab bằng dấu cách (2 dấu cách cho mỗi mức thụt lề)",
        )
    opened = _quote_spanning_lines(text)
    if opened is not None and opened <= line and not context.startswith("while parsing a flow"):
        # `title: "Hội nghị` without its closing quote swallows the next lines up to the
        # next quote, and the parser only complains there.
        return YamlProblem(opened, "thiếu dấu ngoặc kép đóng", "kiểm tra các dấu \" trên dòng này đã đóng đủ chưa")
    if "mapping values are not allowed" in problem:
        return YamlProblem(
            line,
            "dòng có dấu hai chấm “:” ở vị trí không hợp lệ",
            "đặt giá trị có dấu “:” trong ngoặc kép, ví dụ: title: \"Hội nghị: kết quả quý I\"",
        )
    if "could not find expected ':'" in problem or "simple key" in problem:
        return YamlProblem(line, "dòng không có dạng “tên: giá trị”", "mỗi dòng phải có dạng tên: giá trị, ví dụ unit: van-phong")
    if context.startswith("while parsing a flow"):
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return YamlProblem(
            line,
            f"danh sách mở bằng “{opening}” chưa được đóng bằng “{closing}” (hoặc thiếu dấu phẩy giữa các mục)",
            "viết trên cùng một dòng, các mục cách nhau bằng dấu phẩy, ví dụ categories: [thu-tuc-hanh-chinh, chinh-quyen-so]",
        )
    if "found unexpected end of stream" in problem or context.startswith("while scanning a quoted scalar"):
        return YamlProblem(line, "thiếu dấu ngoặc kép đóng", "kiểm tra các dấu \" trên dòng này đã đóng đủ chưa")
    return YamlProblem(
        line,
        f"lỗi cú pháp YAML: {problem}",
        "kiểm tra dòng này: mỗi dòng dạng tên: giá trị, danh sách dạng [a, b], chuỗi có dấu “:” hoặc “#” đặt trong ngoặc kép",
    )


def load_mapping(text: str, *, start_line: int = 1) -> Located:
    """Parse YAML text that must be a mapping; record key lines and duplicate keys.

    `start_line` is the file line where `text` begins, so reported lines are file lines.
    Raises YamlProblem (lines already shifted) for syntax errors and non-mapping documents.
    """
    offset = start_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, start_line=start_line)
        if not isinstance(node, yaml.MappingNode):
            kind = "danh sách" if isinstance(node, yaml.SequenceNode) else "một chuỗi"
            raise YamlProblem(
                node.start_mark.line + 1 + offset,
                f"phần thông tin đầu bài là {kind}, không phải các dòng “tên: giá trị”",
                "viết mỗi thông tin trên một dòng dạng tên: giá trị, ví dụ title: \"Tiêu đề\"",
            )
        result = Located({}, start_line=start_line)
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result.values:
                result.duplicates.append((key, line))
                continue
            if isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = value_node.value
            try:
                value = loader.construct_object(value_node, deep=True)
            except (ValueError, yaml.constructor.ConstructorError):
                # e.g. 2025-02-30 resolved as a timestamp: keep the text, let the field
                # validator explain what is wrong with it.
                value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            result.values[key] = value
            result.lines[key] = line
        return result
    except YamlProblem:
        raise
    except yaml.YAMLError as exc:
        problem = _translate(exc, text)
        problem.line += offset
        raise problem from None
    finally:
        loader.dispose()


class LineDict(dict):
    """A dict from YAML that knows the line it starts on and the line of each key."""

    line: int = 1
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _DataLoader(_Loader):
    pass


def _construct_line_mapping(loader, node):
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise YamlProblem(line, f"khóa “{key}” bị lặp lại", "xóa hoặc gộp dòng trùng")
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except ValueError:  # PyYAML builds dates itself: 2025-02-30 raises here
            raise YamlProblem(value_node.start_mark.line + 1, f"có ngày không tồn tại: {key}: {getattr(value_node, 'value', '')}",
                              "kiểm tra ngày và tháng, viết dạng YYYY-MM-DD, ví dụ 2025-02-21") from None
        mapping.key_lines[key] = line
    return mapping


_DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_mapping)


def load_document(text: str) -> Any:
    """YAML load for data files: mappings become LineDicts; raises YamlProblem."""
    try:
        return yaml.load(text, Loader=_DataLoader)
    except yaml.YAMLError as exc:
        raise _translate(exc, text) from None
