"""argparse in Vietnamese: usage lines, --help and usage errors of the `cchc` commands.

argparse writes its own words in English ("usage:", "options", "show this help message and
exit", "error: the following arguments are required: --unit").  The parser here names its
sections and its -h/--help in Vietnamese, prefixes usage with "Cách dùng:", and translates
each usage error argparse raises (it formats them in English first; `translate` reads them
back by their known shapes) into "Lỗi: …" with the way to fix it.  Nothing is changed in
argparse itself, so other programs in the same process (pytest) keep their messages.
"""

from __future__ import annotations

import argparse
import re
import sys

USAGE_PREFIX = "Cách dùng: "


class VietnameseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


def _names(text: str) -> str:
    return ", ".join(part.strip().strip("'\"") for part in text.split(","))


# (English message argparse makes, Vietnamese message); groups are reused by number.
_TRANSLATIONS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"^the following arguments are required: (.+)$"),
     lambda m: f"thiếu {_required(m.group(1))}"),
    (re.compile(r"^unrecognized arguments: (.+)$"),
     lambda m: f"không hiểu {m.group(1)}: lệnh không có tùy chọn hay tham số này"),
    (re.compile(r"^argument (\S+?): invalid choice: '?(.*?)'? \(choose from (.+)\)$"),
     lambda m: (f"lệnh “{m.group(2)}” không có; các lệnh: {_names(m.group(3))}" if m.group(1) in ("command", "LỆNH")
                else f"{m.group(1)}: “{m.group(2)}” không phải giá trị được chọn; chọn một trong: {_names(m.group(3))}")),
    (re.compile(r"^argument (\S+?): expected one argument$"),
     lambda m: f"{m.group(1)} cần một giá trị ngay sau nó"),
    (re.compile(r"^argument (\S+?): expected at least one argument$"),
     lambda m: f"{m.group(1)} cần ít nhất một giá trị"),
    (re.compile(r"^argument (\S+?): expected at most one argument$"),
     lambda m: f"{m.group(1)} nhận nhiều nhất một giá trị"),
    (re.compile(r"^argument (\S+?): expected (\d+) arguments?$"),
     lambda m: f"{m.group(1)} cần {m.group(2)} giá trị"),
    (re.compile(r"^argument (\S+?): invalid (\w+) value: '?(.*?)'?$"),
     lambda m: f"{m.group(1)}: “{m.group(3)}” không phải {_TYPES.get(m.group(2), 'giá trị hợp lệ')}"),
    (re.compile(r"^argument (\S+?): not allowed with argument (\S+)$"),
     lambda m: f"không dùng {m.group(1)} cùng với {m.group(2)}; chọn một trong hai"),
    (re.compile(r"^argument (\S+?): ignored explicit argument '?(.*?)'?$"),
     lambda m: f"{m.group(1)} không nhận giá trị (“{m.group(2)}”)"),
    (re.compile(r"^one of the arguments (.+) is required$"),
     lambda m: f"cần một trong các tùy chọn: {m.group(1)}"),
    (re.compile(r"^ambiguous option: (\S+) could match (.+)$"),
     lambda m: f"tùy chọn {m.group(1)} chưa rõ, có thể là: {m.group(2)}; gõ đủ tên tùy chọn"),
    (re.compile(r"^argument (\S+?): (.+)$"),
     lambda m: f"{m.group(1)}: {m.group(2)}"),
]
_TYPES = {"int": "số nguyên", "float": "số", "FileType": "tệp mở được"}


def _required(names: str) -> str:
    parts = [p.strip() for p in names.split(",")]
    said = []
    for part in parts:
        if part in ("command", "LỆNH"):
            said.append("lệnh (new, check, import, report, build…)")
        elif part.startswith("-"):
            said.append(f"tùy chọn {part}")
        else:
            said.append(f"tham số {part}")
    return ", ".join(said)


def translate(message: str) -> str:
    """The Vietnamese for one of argparse's usage errors (its English shape kept out of sight)."""
    for pattern, make in _TRANSLATIONS:
        match = pattern.match(message.strip())
        if match:
            return make(match)
    return f"lệnh gõ chưa đúng ({message})"


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and usage errors are Vietnamese (sub-command parsers made by
    `add_subparsers().add_parser` are of this class too)."""

    def __init__(self, *args, add_help: bool = True, formatter_class=VietnameseHelpFormatter, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=formatter_class, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="hiện hướng dẫn này rồi thoát")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "các lệnh")
        kwargs.setdefault("metavar", "LỆNH")
        return super().add_subparsers(**kwargs)

    def error(self, message):
        self.print_usage(sys.stderr)
        hint = f"xem hướng dẫn: {self.prog} --help"
        self.exit(2, f"Lỗi: {translate(message)}\n    → Cách sửa: {hint}\n")
