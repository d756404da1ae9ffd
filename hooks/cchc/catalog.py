"""What articles are checked against: the plans by year and the units (content/plans/*.yml,
content/units.yml, content/reporting.yml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .dates import VN_TZ
from .diagnostics import Diagnostics
from .content_walk import plan_files as list_plan_files
from .datafile import load_yaml_file
from .organisation import Units, load_units
from .plan import Plan, load_plan
from .yamlio import LineDict

PLANS_DIR = "plans"
UNITS_FILE = "units.yml"
REPORTING_FILE = "reporting.yml"


@dataclass
class Catalog:
    """Plans by year and units: what articles are checked against."""

    plans: dict[int, Plan] = field(default_factory=dict)
    units: Units = field(default_factory=Units)

    def plan_for(self, year: int) -> tuple[Plan | None, bool]:
        """The plan of `year`, else the latest earlier plan, else the earliest: (plan, exact)."""
        if year in self.plans:
            return self.plans[year], True
        if not self.plans:
            return None, False
        earlier = [y for y in self.plans if y < year]
        chosen = max(earlier) if earlier else min(self.plans)
        return self.plans[chosen], False

    def plan_for_date(self, moment: dt.datetime) -> tuple[Plan | None, bool, int]:
        """The plan whose reporting year contains `moment`: (plan, exact, reporting year).

        Reporting years are not calendar years (15/12 of the previous year – 14/12), so an
        article of 20/12/2024 belongs to the 2025 plan.  Without such a plan, the nearest
        plan is used (exact=False): the article is checked but counted on no coverage page.
        """
        for plan in self.plans.values():
            if plan.windows and plan.year_window.contains(moment):
                return plan, True, plan.year
        year = moment.astimezone(VN_TZ).year
        same_year = self.plans.get(year)
        if same_year is not None and same_year.windows and moment >= same_year.year_window.end:
            year += 1
        plan, _ = self.plan_for(year)
        return plan, False, year


def load_catalog(root: Path, diags: Diagnostics) -> Catalog:
    catalog = Catalog()
    units_path = root / UNITS_FILE
    if units_path.is_file():
        catalog.units = load_units(units_path, diags)
    else:
        diags.error(units_path, 0, "thiếu tệp danh sách đơn vị content/units.yml", "tạo tệp theo mẫu trong Hướng dẫn biên tập")
    reporting_path = root / REPORTING_FILE
    default_windows = None
    if reporting_path.exists():
        data = load_yaml_file(reporting_path, diags)
        if isinstance(data, LineDict):
            default_windows = data.get("windows")
    errors_before = len(diags.errors)
    plan_files = list_plan_files(root / PLANS_DIR, diags)
    plans_reported = len(diags.errors) > errors_before  # e.g. "2026.yaml": already said what to do
    for plan_path in plan_files:
        plan = load_plan(plan_path, default_windows, reporting_path, catalog.units, diags)
        if plan is not None:
            if plan.year in catalog.plans:
                diags.error(plan_path, 1, f"có hai tệp kế hoạch cho năm {plan.year}", "giữ một tệp cho mỗi năm")
            catalog.plans[plan.year] = plan
    if not plan_files and not plans_reported:
        diags.error(root / PLANS_DIR, 0, "chưa có tệp kế hoạch nào trong content/plans/",
                    "thêm tệp kế hoạch năm, ví dụ content/plans/2025.yml")
    return catalog
