"""The yearly communication plan, its categories, forms, units and reporting windows, as data.

Everything Vietnamese about the plan lives in YAML under `content/`; this module only knows
the shape of those files and checks them, reporting problems with file and line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import plan_checks
from .dates import MIN_YEAR, VN_TZ
from .datafile import DataReader, listed, load_mapping_file
from .documents import Document
from .diagnostics import Diagnostics, short
from .text import nfc
from .organisation import Units
from .yamlio import LineDict

@dataclass(frozen=True)
class Point:
    label: str
    text: str
    items: tuple[str, ...] = ()  # the bullets under the point ("- …" lines of the plan), if any


@dataclass(frozen=True)
class Category:
    id: str
    section: str
    name: str
    description: str = ""
    plan_text: str = ""
    points: tuple[Point, ...] = ()
    documents: tuple[str, ...] = ()
    order: int = 0


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    section: str = ""
    description: str = ""
    order: int = 0
    events: bool = False  # conferences, training, dialogue: articles may report them (cchc.events)
    plan_text: str = ""  # the plan's own wording, as imported (cchc plan import matches on it)


@dataclass(frozen=True)
class UnitDuty:
    section: str
    name: str
    groups: tuple[str, ...]
    duties: tuple[Point, ...] = ()


@dataclass(frozen=True)
class Window:
    """A reporting window of a plan year, inclusive of whole days, in +07:00."""

    id: str
    name: str
    start: dt.datetime
    end: dt.datetime  # exclusive: the first instant after the window
    description: str = ""

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(seconds=1)).astimezone(VN_TZ).date()


@dataclass
class Plan:
    """A yearly plan.  `number` ("" when unknown) and `date` (None when unknown) are optional:
    the plan file may not have them until staff copy them from the signed document, and the
    site never makes them up."""

    year: int
    number: str
    title: str
    issuer: str
    date: dt.date | None
    path: Path
    signer: dict[str, str] = field(default_factory=dict)
    implements: Document | None = None
    implements_ref: str = ""
    purposes: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    documents: dict[str, Document] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    default_form: str = ""
    units: tuple[UnitDuty, ...] = ()
    windows: tuple[Window, ...] = ()
    review: tuple[str, ...] = ()  # what `cchc plan import` could not place: staff check, then delete

    def window(self, window_id: str) -> Window | None:
        for window in self.windows:
            if window.id == window_id:
                return window
        return None

    @property
    def year_window(self) -> Window:
        """The widest window: the reporting year."""
        return max(self.windows, key=lambda w: w.end - w.start)


def read_points(reader: DataReader, mapping: LineDict, key: str) -> tuple[Point, ...]:
    return tuple(
        Point(reader.text(p, "label", required=False), reader.text(p, "text"), reader.strings(p, "items"))
        for p in reader.items(mapping, key, required=False)
    )


def _window_date(reader: DataReader, spec: Any, line: int, year: int, name: str) -> dt.date | None:
    if not isinstance(spec, dict) or "month" not in spec or "day" not in spec:
        reader.error(line, f"mốc “{name}” của kỳ báo cáo không hợp lệ", "viết dạng {month: 3, day: 14} (year: -1 nếu là năm trước)")
        return None
    try:
        return dt.date(year + int(spec.get("year", 0) or 0), int(spec["month"]), int(spec["day"]))
    except (TypeError, ValueError, OverflowError):  # OverflowError: a year offset of 30 digits
        reader.error(line, f"mốc “{name}” của kỳ báo cáo là ngày không tồn tại: {short(dict(spec))}", "kiểm tra tháng (1–12) và ngày")
        return None


def load_windows(path: Path, data: Any, year: int, diags: Diagnostics) -> tuple[Window, ...]:
    """Reporting windows of `year` from a `windows:` list (default file or plan override)."""
    reader = DataReader(path, diags)
    windows: list[Window] = []
    seen: set[str] = set()
    for item in data or []:
        if not isinstance(item, LineDict):
            reader.error(getattr(data, "line", 1), "mỗi kỳ báo cáo phải có id, name, start, end")
            continue
        window_id = reader.text(item, "id")
        if window_id in seen:
            reader.error(item.line_of("id"), f"kỳ báo cáo “{short(window_id)}” bị khai báo hai lần", "đổi id của một trong hai kỳ")
        seen.add(window_id)
        start = _window_date(reader, item.get("start"), item.line_of("start"), year, "start")
        end = _window_date(reader, item.get("end"), item.line_of("end"), year, "end")
        if start is None or end is None or not window_id:
            continue
        if end < start:
            reader.error(item.line_of("end"), f"kỳ “{short(window_id)}” kết thúc ({end:%d/%m/%Y}) trước khi bắt đầu ({start:%d/%m/%Y})", "kiểm tra start và end")
            continue
        windows.append(
            Window(
                id=window_id,
                name=reader.text(item, "name", required=False, default=window_id),
                start=dt.datetime(start.year, start.month, start.day, tzinfo=VN_TZ),
                end=dt.datetime(end.year, end.month, end.day, tzinfo=VN_TZ) + dt.timedelta(days=1),
                description=reader.text(item, "description", required=False),
            )
        )
    return tuple(windows)


def load_plan(path: Path, default_windows: Any, defaults_path: Path, units: Units, diags: Diagnostics) -> Plan | None:
    loaded = load_mapping_file(path, diags, "tệp kế hoạch phải gồm các dòng “tên: giá trị” (year:, title:, categories: …)")
    if loaded is None:
        return None
    reader, data = loaded
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        reader.error(data.line_of("year"), "thiếu hoặc sai năm kế hoạch (year)", "thêm dòng year: 2025")
        return None
    if not MIN_YEAR <= year < dt.MAXYEAR:
        reader.error(data.line_of("year"), f"năm kế hoạch “{short(year)}” không hợp lệ (chỉ nhận năm từ {MIN_YEAR})",
                     "ghi năm bằng 4 chữ số, ví dụ year: 2025")
        return None
    if path.stem != str(year):
        reader.error(data.line_of("year"), f"năm trong tệp ({short(year)}) khác tên tệp ({short(path.name)})", f"đổi tên tệp thành {short(year)}.yml hoặc sửa year")

    plan = Plan(
        year=year,
        number=reader.text(data, "number", required=False),
        title=reader.text(data, "title"),
        issuer=reader.text(data, "issuer"),
        date=reader.date(data, "date"),
        path=path,
        purposes=reader.strings(data, "purposes"),
        requirements=reader.strings(data, "requirements"),
    )
    signer = data.get("signer")
    if isinstance(signer, dict):
        plan.signer = {k: nfc(str(v)) for k, v in signer.items()}
    implements = data.get("implements")
    if isinstance(implements, LineDict):
        plan.implements_ref = reader.text(implements, "ref", required=False)
        plan.implements = Document(
            number=reader.text(implements, "number"),
            type="Kế hoạch",
            date=reader.date(implements, "date"),
            issuer=reader.text(implements, "issuer", required=False),
            title=reader.text(implements, "title", required=False),
        )

    for item in reader.items(data, "documents", required=False):
        doc = Document(
            number=reader.text(item, "number"),
            type=reader.text(item, "type", required=False),
            date=reader.date(item, "date"),
            issuer=reader.text(item, "issuer", required=False),
            title=reader.text(item, "title", required=False),
        )
        plan.documents[doc.number] = doc

    for order, item in enumerate(reader.items(data, "categories")):
        cat_id = reader.ident(item)
        if cat_id in plan.categories:
            reader.error(item.line_of("id"), f"chuyên mục “{short(cat_id)}” bị khai báo hai lần", "mỗi id chuyên mục chỉ xuất hiện một lần")
            continue
        docs = reader.strings(item, "documents")
        for number in docs:
            if number not in plan.documents:
                reader.error(item.line_of("documents"), f"văn bản “{short(number)}” chưa có trong danh sách documents", "thêm văn bản vào mục documents: của kế hoạch")
        plan.categories[cat_id] = Category(
            id=cat_id,
            section=reader.text(item, "section"),
            name=reader.text(item, "name"),
            description=reader.text(item, "description", required=False),
            plan_text=reader.text(item, "plan_text", required=False),
            points=read_points(reader, item, "points"),
            documents=docs,
            order=order,
        )
    if not plan.categories:
        reader.error(data.line_of("categories"), "kế hoạch chưa có chuyên mục nào", "thêm ít nhất một mục vào categories:")

    for order, item in enumerate(reader.items(data, "forms")):
        form_id = reader.ident(item)
        if form_id in plan.forms:
            reader.error(item.line_of("id"), f"hình thức “{short(form_id)}” bị khai báo hai lần")
            continue
        events = item.get("events", False)
        if not isinstance(events, bool):
            reader.error(item.line_of("events"), f"“events” của hình thức “{short(form_id)}” phải là true hoặc false",
                         "ghi events: true cho hội nghị, tập huấn, đối thoại (bài viết ghi được số người tham dự); bỏ dòng này nếu không phải")
            events = False
        plan.forms[form_id] = Form(form_id, reader.text(item, "name"), reader.text(item, "section", required=False),
                                   reader.text(item, "description", required=False), order, events,
                                   reader.text(item, "plan_text", required=False))
    plan.default_form = reader.text(data, "default_form", required=False) or next(iter(plan.forms), "")
    if plan.default_form and plan.forms and plan.default_form not in plan.forms:
        reader.error(data.line_of("default_form"), f"default_form “{short(plan.default_form)}” không có trong forms", "dùng một trong: " + listed(plan.forms))

    duties = []
    for item in reader.items(data, "units", required=False):
        groups = reader.strings(item, "groups")
        for group in groups:
            if units.groups and group not in units.groups:
                reader.error(item.line_of("groups"), f"nhóm đơn vị “{short(group)}” không có trong content/units.yml", "dùng một trong: " + listed(units.groups))
        duties.append(UnitDuty(reader.text(item, "section", required=False), reader.text(item, "name"), groups, read_points(reader, item, "duties")))
    plan.units = tuple(duties)

    plan.review = reader.strings(data, "review")
    plan_checks.check_keys(reader, data)

    if "reporting_windows" in data:
        plan.windows = load_windows(path, data.get("reporting_windows"), year, diags)
    else:
        plan.windows = load_windows(defaults_path, default_windows, year, diags)
    if not plan.windows:
        reader.error(data.line, "kế hoạch không có kỳ báo cáo nào", "thêm content/reporting.yml hoặc mục reporting_windows: vào kế hoạch")
    return plan
