"""Writing a plan file (content/plans/<year>.yml) from plain data, laid out as staff read it.

`cchc plan import` and `cchc plan new` build a draft as plain dicts and lists in the shape of
the plan file (notes/content-schema.md); this module writes it with the section comments of the
shipped plans, every text double-quoted (a JSON string is a valid YAML double-quoted scalar),
dates as YYYY-MM-DD and unknown values as null, so the file reads back exactly as written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


BARE_KEYS = {"id", "default_form"}  # ids are written as they are typed in articles
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _value(key: str, value: Any) -> str:
    if key in BARE_KEYS and isinstance(value, str) and ID_RE.match(value) and value not in ("null", "true", "false", "yes", "no", "on", "off"):
        return value
    return scalar(value)


def _block(lines: list[str], key: str, value: Any, indent: int) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append(f"{pad}{key}: {{}}")
            return
        lines.append(f"{pad}{key}:")
        for sub, item in value.items():
            _block(lines, sub, item, indent + 2)
    elif isinstance(value, (list, tuple)):
        if not value:
            lines.append(f"{pad}{key}: []")
            return
        if key in FLOW_LISTS and all(not isinstance(v, (dict, list, tuple)) for v in value):
            lines.append(f"{pad}{key}: [{', '.join(v if key == 'groups' else scalar(v) for v in value)}]")
            return
        lines.append(f"{pad}{key}:")
        for item in value:
            _item(lines, item, indent + 2)
    else:
        lines.append(f"{pad}{key}: {_value(key, value)}")


def _item(lines: list[str], item: Any, indent: int) -> None:
    pad = " " * indent
    if isinstance(item, dict) and item:
        first = True
        for key, value in item.items():
            sub: list[str] = []
            _block(sub, key, value, indent + 2)
            if first:
                sub[0] = pad + "- " + sub[0][indent + 2:]
                first = False
            lines.extend(sub)
    else:
        lines.append(f"{pad}- {scalar(item)}")


FLOW_LISTS = {"documents", "groups"}  # short lists of ids or numbers stay on one line


def dump_plan(plan: dict, header: list[str] = (), review_intro: str = "") -> str:
    """The plan file text.  `plan` keys as in the file; `header` lines become the opening comment."""
    out: list[str] = [f"# {line}" if line else "#" for line in header]
    if out:
        out.append("")
    review = plan.get("review") or []
    if review:
        out += [f"# {review_intro}" if review_intro else "# Cần xem lại:"]
        _block(out, "review", review, 0)
        out.append("")
    out.append(f"year: {scalar(plan['year'])}")
    for key, comment in (("number", plan.get("number_comment")), ("date", plan.get("date_comment"))):
        if comment:
            out += [f"# {line}" for line in comment]
        out.append(f"{key}: {scalar(plan.get(key))}")
    for key in ("title", "issuer"):
        out.append(f"{key}: {scalar(plan.get(key, ''))}")
    if plan.get("signer"):
        _block(out, "signer", plan["signer"], 0)
    out.append("")
    if plan.get("implements"):
        _block(out, "implements", plan["implements"], 0)
    else:
        out += ["# Văn bản cấp trên mà Kế hoạch thực hiện (nếu có), ví dụ:",
                "# implements:", '#   ref: "Kế hoạch số …/KH-UBND"', '#   number: "…/KH-UBND"', "#   date: YYYY-MM-DD",
                '#   issuer: "Ủy ban nhân dân tỉnh"', '#   title: "Về việc …"']
    for key, comment in (("purposes", "I.1. Mục đích"), ("requirements", "I.2. Yêu cầu")):
        if plan.get(key):
            out += ["", f"# {comment}"]
            _block(out, key, plan[key], 0)
    out += ["", "# Các văn bản được nêu trong kế hoạch; categories[].documents tham chiếu theo number."]
    _block(out, "documents", plan.get("documents") or [], 0)
    out += ["", "# Nội dung thông tin, tuyên truyền: mỗi mục là một chuyên mục tin.",
            "# Không đổi id sau khi đã có bài viết (id dùng trong đường dẫn và trong bài viết).",
            "categories:" if plan.get("categories") else "categories: []"]
    for category in plan.get("categories") or []:
        _item(out, {**category, "documents": list(category.get("documents") or [])}, 2)
        out.append("")
    if out[-1] == "":
        out.pop()
    out += ["", "# Hình thức thông tin, tuyên truyền (events: true: hội nghị, tập huấn, đối thoại; bài đưa tin ghi event:)"]
    _block(out, "forms", plan.get("forms") or [], 0)
    if plan.get("default_form"):
        out.append(f"default_form: {_value('default_form', plan['default_form'])}")
    out += ["", "# Tổ chức thực hiện: nhiệm vụ của từng nhóm đơn vị (groups: mã nhóm trong content/units.yml)"]
    _block(out, "units", [{**duty, "groups": list(duty.get("groups") or [])} for duty in plan.get("units") or []], 0)
    if plan.get("reporting_windows"):
        out += ["", "# Kỳ báo cáo riêng của năm này (thay cho content/reporting.yml)"]
        _block(out, "reporting_windows", plan["reporting_windows"], 0)
    return "\n".join(out) + "\n"
