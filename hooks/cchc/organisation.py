"""Units and the department over time: when each unit existed, who took over, and the
department's own name on a given day.

On 1 July 2025 provinces merged and the district level ended: the district Phòng GD&ĐT
stopped on 30/6/2025 and the department itself became the department of another province.
All of that is data in content/units.yml:

- a unit may have `from` and `until` (whole days, +07:00; either may be absent) and a
  `successor` (one id, or a list when its work was split), the unit(s) that took over;
- `department:` lists the department's name and province over time, each entry with optional
  `from`/`until`; a day no entry covers uses mkdocs.yml's extra.cchc department and province.

The header, the feeds and the reports name the department as it was on the day they speak of
(`department_on`); coverage counts a unit only in the periods it existed (cchc.coverage); an
article by a unit dated outside its days is an error naming the unit to write instead
(`unit_date_problem`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .dates import VN_TZ, format_short_date, to_vn
from .datafile import DataReader, listed, load_mapping_file, suggest
from .diagnostics import Diagnostics, short
from .yamlio import LineDict


UNIT_KEYS = ("id", "name", "group", "short_name", "from", "until", "successor", "note")
DEPARTMENT_KEYS = ("name", "province", "from", "until", "note")


@dataclass(frozen=True)
class DepartmentName:
    """The department's name in force from `start` to `end` (inclusive days; None: open)."""

    name: str
    province: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    note: str = ""

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.name, self.province) if p)

    def holds_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _day(moment: dt.datetime | dt.date) -> dt.date:
    return to_vn(moment).date() if isinstance(moment, dt.datetime) else moment


def department_on(units: "Units", moment: dt.datetime | dt.date, fallback_name: str = "",
                  fallback_province: str = "") -> str:
    """"Sở Giáo dục và Đào tạo tỉnh Vĩnh Long": the department's full name on that day."""
    entry = department_entry(units, moment)
    if entry is not None:
        return entry.full
    return " ".join(p for p in (fallback_name, fallback_province) if p)


def department_entry(units: "Units", moment: dt.datetime | dt.date) -> DepartmentName | None:
    day = _day(moment)
    for entry in units.department:
        if entry.holds_on(day):
            return entry
    return None


# --- reading units.yml ----------------------------------------------------------------------------
def successor_ids(reader: "DataReader", item: "LineDict") -> tuple[str, ...]:
    """`successor: id` or `successor: [id, id]`."""
    value = item.get("successor")
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    reader.error(item.line_of("successor"), "“successor” phải là mã một đơn vị, hoặc danh sách mã đơn vị",
                 "viết successor: ma-don-vi hoặc successor: [ma-1, ma-2]")
    return ()


def check_units(reader: "DataReader", data: "LineDict", units: "Units") -> None:
    """Dates and successors of every unit: from ≤ until, successors exist, no unit succeeds
    itself (directly or through others), a successor exists the day after its predecessor ends."""
    items = {item.get("id"): item for item in data.get("units") or [] if hasattr(item, "line_of")}
    for unit in units.units.values():
        item = items.get(unit.id)
        if item is None:
            continue
        reader.unknown_keys(item, UNIT_KEYS, f"của đơn vị “{short(unit.id)}” ")
        if unit.start and unit.end and unit.end < unit.start:
            reader.error(item.line_of("until"), f"đơn vị “{short(unit.id)}” kết thúc ({format_short_date(unit.end)}) trước khi "
                         f"bắt đầu ({format_short_date(unit.start)})", "kiểm tra from (ngày bắt đầu) và until (ngày cuối cùng)")
        for successor_id in unit.successors:
            successor = units.units.get(successor_id)
            if successor_id == unit.id:
                reader.error(item.line_of("successor"), f"đơn vị “{short(unit.id)}” không thể là đơn vị kế tiếp của chính nó",
                             "ghi mã đơn vị tiếp nhận công việc, hoặc xóa dòng successor")
            elif successor is None:
            
                guess = suggest(successor_id, units.units)
                reader.error(item.line_of("successor"), f"đơn vị kế tiếp “{short(successor_id)}” không có trong danh sách units",
                             (f"có phải ý bạn là “{guess}”? " if guess else "") + "thêm đơn vị đó vào units: hoặc sửa mã")
            elif unit.end is None:
                reader.error(item.line_of("successor"), f"đơn vị “{short(unit.id)}” có đơn vị kế tiếp nhưng không có ngày kết thúc (until)",
                             "thêm until: YYYY-MM-DD (ngày cuối cùng đơn vị hoạt động)")
            elif not successor.exists_at(_start_of(unit.end + dt.timedelta(days=1))):
                reader.error(item.line_of("successor"),
                             f"đơn vị kế tiếp “{short(successor_id)}” không hoạt động vào ngày {format_short_date(unit.end + dt.timedelta(days=1))}, "
                             f"ngày sau khi “{short(unit.id)}” kết thúc",
                             f"kiểm tra from/until của “{short(successor_id)}” và until của “{short(unit.id)}”")
        if _succeeds_itself(unit.id, units):
            reader.error(item.line_of("successor"), f"chuỗi đơn vị kế tiếp của “{short(unit.id)}” quay lại chính nó",
                         "mỗi đơn vị chỉ được kế tiếp các đơn vị thành lập sau nó; kiểm tra các dòng successor")


def _start_of(day: dt.date) -> dt.datetime:
    from .dates import VN_TZ

    return dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def _succeeds_itself(unit_id: str, units: "Units") -> bool:
    seen: set[str] = set()
    todo = [s for s in units.units[unit_id].successors if s != unit_id]
    while todo:
        current = todo.pop()
        if current == unit_id:
            return True
        if current in seen or current not in units.units:
            continue
        seen.add(current)
        todo.extend(units.units[current].successors)
    return False


def load_department(reader: "DataReader", data: "LineDict") -> tuple[DepartmentName, ...]:
    """units.yml `department:`: the department's name over time, oldest first, no overlap."""
    raw = data.get("department")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.error(data.line_of("department"), "“department” phải là danh sách các tên của cơ quan theo thời gian",
                     "mỗi mục có name:, province: và from:/until: (xem Hướng dẫn biên tập)")
        return ()
    entries: list[tuple[DepartmentName, int]] = []
    for item in raw:
        if not hasattr(item, "line_of"):
            reader.error(data.line_of("department"), "mỗi mục của department phải có dạng name: …, province: …")
            continue
        reader.unknown_keys(item, DEPARTMENT_KEYS, "của tên cơ quan (department) ")
        entry = DepartmentName(reader.text(item, "name"), reader.text(item, "province", required=False),
                               reader.date(item, "from"), reader.date(item, "until"),
                               reader.text(item, "note", required=False))
        if entry.start and entry.end and entry.end < entry.start:
            reader.error(item.line_of("until"), f"tên “{short(entry.full)}” hết hiệu lực ({format_short_date(entry.end)}) "
                         f"trước khi có hiệu lực ({format_short_date(entry.start)})", "kiểm tra from và until")
            continue
        entries.append((entry, item.line))
    ordered = sorted(entries, key=lambda e: (e[0].start or dt.date.min))
    for (before, _), (after, line) in zip(ordered, ordered[1:]):
        if before.end is None or after.start is None or after.start <= before.end:
            reader.error(line, f"thời gian của tên “{short(after.full)}” trùng với tên “{short(before.full)}”",
                         "tên trước phải có until (ngày cuối cùng), tên sau có from là ngày hôm sau")
        elif after.start != before.end + dt.timedelta(days=1):
            reader.diags.warning(reader.path, line,
                                 f"từ {format_short_date(before.end + dt.timedelta(days=1))} đến {format_short_date(after.start - dt.timedelta(days=1))} "
                                 "không có tên cơ quan nào: dùng tên trong mkdocs.yml",
                                 f"sửa from của “{short(after.full)}” thành ngày sau until của tên trước")
    return tuple(entry for entry, _ in ordered)


# --- articles and units ---------------------------------------------------------------------------
def active_successors(units: "Units", unit: "Unit", moment: dt.datetime) -> list["Unit"]:
    """The units that carried on `unit`'s work at `moment` (following successors of successors)."""
    found: list[Unit] = []
    seen: set[str] = {unit.id}
    todo = list(unit.successors)
    while todo:
        current = units.units.get(todo.pop(0))
        if current is None or current.id in seen:
            continue
        seen.add(current.id)
        if current.exists_at(moment):
            found.append(current)
        elif current.end_instant is not None and current.end_instant <= moment:
            todo.extend(current.successors)
    return found


def predecessors(units: "Units", unit: "Unit", moment: dt.datetime | None = None) -> list["Unit"]:
    """Units `unit` took over from (that existed at `moment`, if given)."""
    return [u for u in units.units.values() if unit.id in u.successors and (moment is None or u.exists_at(moment))]


def unit_date_problem(units: "Units", unit: "Unit", moment: dt.datetime) -> tuple[str, str] | None:
    """(message, hint) when `unit` did not exist at `moment` (an article's date), else None."""
    day = format_short_date(moment)
    if unit.end_instant is not None and moment >= unit.end_instant:
        message = f"đơn vị “{unit.id}” ({unit.name}) đã kết thúc hoạt động ngày {format_short_date(unit.end)}, trước ngày đăng bài ({day})"
        nexts = active_successors(units, unit, moment)
        if nexts:
            choices = " hoặc ".join(f"unit: {u.id} ({u.name})" for u in nexts)
            return message, f"ghi đơn vị kế tiếp: {choices}"
        return message, ("chọn đơn vị đang hoạt động trong content/units.yml; nếu đơn vị vẫn hoạt động, "
                         "sửa hoặc xóa dòng until của đơn vị")
    if unit.first_instant is not None and moment < unit.first_instant:
        message = f"đơn vị “{unit.id}” ({unit.name}) bắt đầu hoạt động từ ngày {format_short_date(unit.start)}, sau ngày đăng bài ({day})"
        before = predecessors(units, unit, moment)
        if before:
            choices = " hoặc ".join(f"unit: {u.id} ({u.name})" for u in before)
            return message, f"bài đăng trước ngày đó ghi đơn vị cũ: {choices}"
        return message, "kiểm tra ngày đăng (date) hoặc ngày from của đơn vị trong content/units.yml"
    return None


def lifetime_text(unit: "Unit") -> str:
    """"Hoạt động đến 30/06/2025", "Hoạt động từ 01/07/2025", "" for a unit without dates."""
    if unit.start and unit.end:
        return f"Hoạt động từ {format_short_date(unit.start)} đến {format_short_date(unit.end)}"
    if unit.end:
        return f"Hoạt động đến {format_short_date(unit.end)}"
    if unit.start:
        return f"Hoạt động từ {format_short_date(unit.start)}"
    return ""


# --- the units file (content/units.yml) ---------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """A unit that posts news.  `start`/`end` (units.yml `from`/`until`, whole days, +07:00) bound
    the days it existed (None: open); `successors` are the units that took over its work."""

    id: str
    name: str
    group: str
    short_name: str = ""
    order: int = 0
    start: dt.date | None = None
    end: dt.date | None = None
    successors: tuple[str, ...] = ()

    @property
    def first_instant(self) -> dt.datetime | None:
        return None if self.start is None else dt.datetime(self.start.year, self.start.month, self.start.day, tzinfo=VN_TZ)

    @property
    def end_instant(self) -> dt.datetime | None:
        """The first instant after the unit's last day (exclusive), or None."""
        if self.end is None:
            return None
        return dt.datetime(self.end.year, self.end.month, self.end.day, tzinfo=VN_TZ) + dt.timedelta(days=1)

    def exists_at(self, moment: dt.datetime) -> bool:
        first, after = self.first_instant, self.end_instant
        return (first is None or first <= moment) and (after is None or moment < after)

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Existed at some moment of [start, end)."""
        first, after = self.first_instant, self.end_instant
        return (first is None or first < end) and (after is None or start < after)

    def covers(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Existed at every moment of [start, end)."""
        first, after = self.first_instant, self.end_instant
        return (first is None or first <= start) and (after is None or end <= after)

    @property
    def changes(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class UnitGroup:
    id: str
    name: str
    order: int = 0


@dataclass
class Units:
    groups: dict[str, UnitGroup] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    # The department's own name over time (units.yml `department:`, cchc.organisation); empty:
    # mkdocs.yml's extra.cchc department and province hold at every date.
    department: tuple = ()

    def get(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id)


def load_units(path: Path, diags: Diagnostics) -> Units:
    units = Units()
    loaded = load_mapping_file(path, diags, "units.yml phải có hai mục groups: và units:")
    if loaded is None:
        return units
    reader, data = loaded
    for order, item in enumerate(reader.items(data, "groups")):
        group_id = reader.ident(item)
        if group_id in units.groups:
            reader.error(item.line_of("id"), f"nhóm đơn vị “{short(group_id)}” bị lặp", "mỗi id chỉ khai báo một lần")
        units.groups[group_id] = UnitGroup(group_id, reader.text(item, "name"), order)
    for order, item in enumerate(reader.items(data, "units")):
        unit_id = reader.ident(item)
        group = reader.text(item, "group")
        if unit_id in units.units:
            reader.error(item.line_of("id"), f"đơn vị “{short(unit_id)}” bị lặp", "mỗi id chỉ khai báo một lần")
        if group and group not in units.groups:
            reader.error(item.line_of("group"), f"nhóm “{short(group)}” không có trong groups", "dùng một trong: " + listed(units.groups))
        start, end = reader.date(item, "from"), reader.date(item, "until")
        units.units[unit_id] = Unit(unit_id, reader.text(item, "name"), group, reader.text(item, "short_name", required=False),
                                    order, start, end, successor_ids(reader, item))
    check_units(reader, data, units)
    units.department = load_department(reader, data)
    return units
