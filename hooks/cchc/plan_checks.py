"""Checks of plan files beyond their shape: misspelled keys, the review list an import left,
and categories that a year's articles use but its plan lacks.

Plan files are checked like articles: every problem is `file:line` with a Vietnamese fix.
"""

from __future__ import annotations

from collections import defaultdict
from .datafile import DataReader
from .diagnostics import Diagnostics, short
from .yamlio import LineDict

# "Plan" in annotations is cchc.plan.Plan, which imports this module (not imported here).

TOP_KEYS = ("year", "number", "title", "issuer", "date", "signer", "implements", "purposes", "requirements",
            "documents", "categories", "forms", "default_form", "units", "reporting_windows", "review")
NESTED_KEYS = {
    "implements": ("ref", "number", "date", "issuer", "title"),
    "signer": ("name", "position"),
    "documents": ("number", "type", "date", "issuer", "title"),
    "categories": ("id", "section", "name", "description", "plan_text", "points", "documents"),
    "forms": ("id", "section", "name", "description", "events", "plan_text"),
    "units": ("section", "name", "groups", "duties"),
    "points": ("label", "text", "items"),
}
WHAT = {"implements": "văn bản thực hiện (implements)", "signer": "người ký (signer)", "documents": "văn bản",
        "categories": "chuyên mục", "forms": "hình thức", "units": "nhiệm vụ đơn vị (units)", "points": "ý (points)",
        "duties": "nhiệm vụ (duties)"}

# Code attached to the article error "category not in the plan" (cchc.reader), so the plan file
# can be told which of its categories a year's articles need.
MISSING_CATEGORY = "plan-missing-category"


def check_keys(reader: "DataReader", data: "LineDict") -> None:
    """Misspelled or unknown keys anywhere in a plan file (a typo would silently drop data)."""
    reader.unknown_keys(data, TOP_KEYS)
    for key in ("implements", "signer"):
        value = data.get(key)
        if hasattr(value, "line_of"):
            reader.unknown_keys(value, NESTED_KEYS[key], f"trong {WHAT[key]} ")
    for key in ("documents", "categories", "forms", "units"):
        for item in data.get(key) or []:
            if not hasattr(item, "line_of"):
                continue
            reader.unknown_keys(item, NESTED_KEYS[key], f"của {WHAT[key]} ")
            for sub in ("points", "duties"):
                for point in item.get(sub) or [] if isinstance(item.get(sub), list) else []:
                    if hasattr(point, "line_of"):
                        reader.unknown_keys(point, NESTED_KEYS["points"], f"của {WHAT[sub]} ")
    review = data.get("review")
    if isinstance(review, list) and review:
        first = "; ".join(short(str(r), 80) for r in review[:3]) + ("; …" if len(review) > 3 else "")
        reader.diags.warning(reader.path, data.line_of("review"),
                             f"kế hoạch còn {len(review)} mục cần xem lại (review): {first}",
                             "đối chiếu từng mục với văn bản kế hoạch, sửa tệp, rồi xóa mục đó khỏi review: (xóa cả review: khi hết)")


def report_missing_categories(plans: dict[int, "Plan"], diags: Diagnostics) -> None:
    """One error at a plan's `categories:` for each category its year's articles use but it lacks
    (each article has its own error too): staff editing a plan see what they removed or renamed."""
    missing: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in diags.items:
        if item.code.startswith(MISSING_CATEGORY + ":"):
            _, year, category = item.code.split(":", 2)
            missing[int(year)][category].append(item.path)
    for year, categories in sorted(missing.items()):
        plan = plans.get(year)
        if plan is None:
            continue
        line = _categories_line(plan)
        for category, paths in sorted(categories.items()):
            others = [y for y in sorted(plans, reverse=True) if y != year and category in plans[y].categories]
            hint = (f"chép chuyên mục “{category}” từ content/plans/{others[0]}.yml vào categories: của kế hoạch này"
                    if others else "thêm chuyên mục vào categories:, hoặc sửa các bài dùng mã này")
            example = paths[0] + (f" và {len(paths) - 1} bài khác" if len(paths) > 1 else "")
            diags.error(plan.path, line, f"{len(paths)} bài của năm kế hoạch {year} dùng chuyên mục “{short(category)}” "
                        f"không có trong kế hoạch này ({example})", hint)


def _categories_line(plan: "Plan") -> int:
    try:
        for number, text in enumerate(plan.path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if text.startswith("categories:"):
                return number
    except OSError:
        pass
    return 1
