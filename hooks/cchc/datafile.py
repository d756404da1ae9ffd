"""Reading the data files staff maintain (content/*.yml): YAML with line numbers, checked field
by field, every problem a `file:line` diagnostic with a Vietnamese fix."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, short
from .oserrors import advice, describe
from .text import fold, nfc
from .yamlio import LineDict, YamlProblem, load_document

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A data file staff write by hand (plan, units, documents) is a few hundred KB at most; a larger
# one is a mistake, and YAML on megabytes is slow.
MAX_DATA_BYTES = 5 * 1024 * 1024


def listed(ids) -> str:
    """Valid ids for a hint, each quoted as short(): an id may itself be a mistyped staff value."""
    return ", ".join(short(i) for i in ids)


def suggest(value: str, choices) -> str | None:
    """The closest valid id to a mistyped one, if any is close enough."""
    choices = list(choices)
    folded = {fold(c).replace(" ", "-"): c for c in choices}
    key = fold(str(value)).strip().replace(" ", "-").replace("_", "-")
    if key in folded:
        return folded[key]
    match = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


class DataReader:
    """Field-by-field validation of one data file, collecting diagnostics."""

    def __init__(self, path: Path, diags: Diagnostics):
        self.path = path
        self.diags = diags

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.diags.error(self.path, line, message, hint)

    def unknown_keys(self, mapping: LineDict, known: tuple[str, ...], where: str = "") -> None:
        """Report the keys of `mapping` not in `known` (a typo would silently drop data): an
        error when it looks like a misspelled known key not already present, else a warning that
        it is ignored.  `where` goes between the key and the verb, e.g. "của đơn vị “x” " (with
        its trailing space; empty at the top of a file)."""
        for key in mapping:
            if key in known:
                continue
            guess = suggest(str(key), known)
            if guess and guess not in mapping:
                self.error(mapping.line_of(key), f"mục “{short(key)}” {where}không đúng tên", f"có phải ý bạn là “{guess}”?")
            else:
                self.diags.warning(self.path, mapping.line_of(key), f"mục “{short(key)}” {where}không được dùng và sẽ bị bỏ qua",
                                   "các mục dùng được: " + ", ".join(known))

    def text(self, mapping: LineDict, key: str, required: bool = True, default: str = "") -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(mapping.line, f"thiếu mục “{key}”", f"thêm dòng {key}: ...")
            return default
        if not isinstance(value, (str, int, float)):
            self.error(mapping.line_of(key), f"“{key}” phải là một chuỗi văn bản")
            return default
        return nfc(str(value)).strip()

    def ident(self, mapping: LineDict, key: str = "id") -> str:
        value = self.text(mapping, key)
        if value and not ID_RE.match(value):
            self.error(
                mapping.line_of(key),
                f"mã “{short(value)}” không hợp lệ",
                "mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ van-phong",
            )
        return value

    def items(self, mapping: LineDict, key: str, required: bool = True) -> list:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(mapping.line, f"thiếu danh sách “{key}”", f"thêm {key}: và các mục bên dưới")
            return []
        if not isinstance(value, list):
            self.error(mapping.line_of(key), f"“{key}” phải là một danh sách (các dòng bắt đầu bằng “- ”)")
            return []
        good = []
        for item in value:
            if isinstance(item, LineDict):
                good.append(item)
            else:
                self.error(mapping.line_of(key), f"mỗi mục của “{key}” phải có dạng tên: giá trị")
        return good

    def strings(self, mapping: LineDict, key: str) -> tuple[str, ...]:
        value = mapping.get(key) or []
        if not isinstance(value, list):
            self.error(mapping.line_of(key), f"“{key}” phải là một danh sách")
            return ()
        return tuple(nfc(str(v)).strip() for v in value)

    def date(self, mapping: LineDict, key: str, required: bool = False) -> dt.date | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(mapping.line, f"thiếu ngày “{key}”", f"thêm {key}: YYYY-MM-DD")
            return None
        if isinstance(value, dt.date):
            return value if not isinstance(value, dt.datetime) else value.date()
        self.error(mapping.line_of(key), f"“{key}” không phải ngày hợp lệ: {short(value)}", "dùng dạng YYYY-MM-DD, ví dụ 2025-01-10")
        return None


def load_yaml_file(path: Path, diags: Diagnostics) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(path, 0, f"không đọc được tệp ({describe(exc)})", advice(exc, path))
        return None
    if len(raw) > MAX_DATA_BYTES:
        diags.error(path, 0, f"tệp quá lớn ({len(raw) // 1024 // 1024} MB, tối đa {MAX_DATA_BYTES // 1024 // 1024} MB): "
                    "không phải tệp dữ liệu được viết tay", "kiểm tra lại tệp (có thể dán nhầm nội dung khác vào)")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        diags.error(path, 0, "tệp không được lưu bằng mã UTF-8", "mở tệp và lưu lại với mã hóa UTF-8")
        return None
    try:
        return load_document(text)
    except YamlProblem as problem:
        diags.error(path, problem.line, problem.message, problem.hint)
        return None


def load_mapping_file(path: Path, diags: Diagnostics, not_mapping: str) -> tuple[DataReader, LineDict] | None:
    """A data file whose top level must be `name: value` lines, with its reader; None when it
    could not be read (already reported) or is not such a mapping (reported at line 1 as
    `not_mapping`)."""
    data = load_yaml_file(path, diags)
    if data is None:
        return None
    reader = DataReader(path, diags)
    if not isinstance(data, LineDict):
        reader.error(1, not_mapping)
        return None
    return reader, data
