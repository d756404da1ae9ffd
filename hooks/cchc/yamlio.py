"""YAML reading that keeps line numbers, so every problem can point at the line to fix.

Uses libyaml's C parser when PyYAML was built with it (several times faster on thousands of
front matters), the pure-Python one otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import short

try:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


MAX_DEPTH = 20  # levels of nested lists/mappings; plans need 6, front matter 2
MAX_NODES = 50_000  # values a data file may expand to (anchors and aliases counted each time used)


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
    # Where each value ends: (file line of its last character, 0-based column after it;
    # column 0 means the value ended with the line before, as block scalars do).
    ends: dict[str, tuple[int, int]] = field(default_factory=dict)

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


_DEPTH_MESSAGE = f"cấu trúc lồng nhau quá sâu (quá {MAX_DEPTH} mức danh sách hoặc mục con)"
_DEPTH_HINT = "kiểm tra các dấu [ ] { } và thụt lề; mỗi danh sách chỉ cần một mức, ví dụ tags: [một cửa, dịch vụ công]"
_ALIAS_MESSAGE = "giá trị bắt đầu bằng “{char}”: YAML hiểu đó là neo/tham chiếu (&tên, *tên), không phải chữ"
_ALIAS_HINT = 'đặt cả giá trị trong ngoặc kép, ví dụ title: "*Thông báo* về lịch tiếp dân"'
_CONTROL_HINT = "xóa ký tự này (thường lẫn vào khi dán từ phần mềm khác); nếu không thấy nó, gõ lại cả dòng"


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """"unacceptable character #x0001": the line, in Vietnamese."""
    from .text import char_label

    position = max(0, exc.position)
    if exc.encoding == "unicode":  # the pure-Python reader counts characters
        line = text.count("\n", 0, position) + 1
    else:  # libyaml counts UTF-8 bytes
        line = text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return YamlProblem(line, f"có ký tự điều khiển vô hình {char_label(char)}: không được phép trong tệp", _CONTROL_HINT)


def _translate(exc: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_problem(exc, text)
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
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000 levels)
        return YamlProblem(line, _DEPTH_MESSAGE, _DEPTH_HINT)
    if context.startswith(("while scanning an alias", "while scanning an anchor")) or "undefined alias" in problem:
        if context_mark is not None:
            line = context_mark.line + 1
        char = "*" if "alias" in context or "alias" in problem else "&"
        return YamlProblem(line, _ALIAS_MESSAGE.format(char=char), _ALIAS_HINT)
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
        f"lỗi cú pháp YAML: {short(problem, 120)}",
        "kiểm tra dòng này: mỗi dòng dạng tên: giá trị, danh sách dạng [a, b], chuỗi có dấu “:” hoặc “#” đặt trong ngoặc kép",
    )


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def check_tree(root: yaml.Node, *, aliases: bool) -> YamlProblem | None:
    """Depth, aliases and expanded size of a composed YAML tree, without recursion.

    Composing is linear in the text, but constructing and then walking the values is not: 300
    nested brackets overflow Python's stack and ten nested aliases ("billion laughs") expand
    to 10⁹ values.  Lines in the result are 0-based within the YAML text.
    """
    height: dict[int, int] = {}
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            children = _children(node)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            size[key] = 1 + sum(size[id(c)] for c in children)
            if size[key] > MAX_NODES:
                return YamlProblem(node.start_mark.line,
                                   "neo/tham chiếu YAML (&tên, *tên) bung ra quá lớn (hơn "
                                   + f"{MAX_NODES:,}".replace(",", ".") + " giá trị)",
                                   "viết các giá trị trực tiếp, không lồng tham chiếu vào nhau")
            continue
        if key in height:  # reached a second time: an alias
            if not aliases:
                return YamlProblem(node.start_mark.line, _ALIAS_MESSAGE.format(char="*"), _ALIAS_HINT)
            continue
        if key in on_path:
            return YamlProblem(node.start_mark.line, "tham chiếu YAML (*tên) trỏ vào chính giá trị chứa nó",
                               "bỏ tham chiếu, viết giá trị trực tiếp")
        children = _children(node)
        if not children:
            height[key], size[key] = 1, 1
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    if height[id(root)] > MAX_DEPTH:
        node = root
        for _ in range(MAX_DEPTH):  # down the deepest branch to the first level too many
            node = max(_children(node), key=lambda c: height[id(c)])
        return YamlProblem(node.start_mark.line, _DEPTH_MESSAGE, _DEPTH_HINT)
    return None


def _is_flat(node: yaml.Node) -> bool:
    """A scalar, or a list/mapping of scalars: nothing deep to check (the usual front matter)."""
    return not any(type(child) is not yaml.ScalarNode for child in _children(node))


# "&"/"*" can start an anchor/alias only at the start of a value: after a space, "[", "{" or ",".
_ANCHOR_CANDIDATE = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\]}]", re.M)


def _anchor_problem(text: str) -> YamlProblem | None:
    """The first anchor (&a) or alias (*a) in front matter, which never needs one: a value
    starting with "*" is almost always Markdown emphasis typed without quotes."""
    if ("&" not in text and "*" not in text) or not _ANCHOR_CANDIDATE.search(text):
        return None
    loader = _Loader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                char = "&" if isinstance(token, yaml.AnchorToken) else "*"
                return YamlProblem(token.start_mark.line + 1, _ALIAS_MESSAGE.format(char=char), _ALIAS_HINT)
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its line
    finally:
        loader.dispose()
    return None


def load_mapping(text: str, *, start_line: int = 1) -> Located:
    """Parse YAML text that must be a mapping; record key lines and duplicate keys.

    `start_line` is the file line where `text` begins, so reported lines are file lines.
    Raises YamlProblem (lines already shifted) for syntax errors, non-mapping documents,
    anchors/aliases and nesting deeper than MAX_DEPTH.
    """
    offset = start_line - 1
    problem = _anchor_problem(text)
    if problem is not None:
        problem.line += offset
        raise problem
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
            for part in (key_node, value_node):
                if type(part) is not yaml.ScalarNode and not _is_flat(part):
                    problem = check_tree(part, aliases=False)
                    if problem is not None:
                        problem.line += 1 + offset
                        raise problem
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
            end = value_node.end_mark
            result.ends[key] = (end.line + 1 + offset, end.column)
        return result
    except YamlProblem:
        raise
    except yaml.YAMLError as exc:
        problem = _translate(exc, text)
        problem.line += offset
        raise problem from None
    except RecursionError:  # last resort: check_tree should have refused it
        raise YamlProblem(start_line, _DEPTH_MESSAGE, _DEPTH_HINT) from None
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
            raise YamlProblem(line, f"khóa “{short(key)}” bị lặp lại", "xóa hoặc gộp dòng trùng")
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except ValueError:  # PyYAML builds dates itself: 2025-02-30 raises here
            raise YamlProblem(value_node.start_mark.line + 1, f"có ngày không tồn tại: {short(key)}: {short(getattr(value_node, 'value', ''))}",
                              "kiểm tra ngày và tháng, viết dạng YYYY-MM-DD, ví dụ 2025-02-21") from None
        mapping.key_lines[key] = line
    return mapping


_DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_mapping)


def load_document(text: str) -> Any:
    """YAML load for data files: mappings become LineDicts; raises YamlProblem.

    Anchors and aliases are allowed (a plan may reuse a block) as long as the whole expands
    to at most MAX_NODES values; nesting is limited to MAX_DEPTH levels.
    """
    loader = _DataLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problem = check_tree(node, aliases=True)
        if problem is not None:
            problem.line += 1
            raise problem
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _translate(exc, text) from None
    except RecursionError:  # last resort: check_tree should have refused it
        raise YamlProblem(1, _DEPTH_MESSAGE, _DEPTH_HINT) from None
    finally:
        loader.dispose()
