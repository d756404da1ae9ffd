"""Events an article reports: conferences, training courses, dialogues, with their attendances.

The plan's forms include conferences, training and dialogue (forms marked `events: true` in
the plan file).  An article that reports such an event says so in its front matter:

    event:
      date: 2025-02-13      # the day it was held (YYYY-MM-DD)
      participants: 120     # attendances ("lượt người tham dự"), a whole number
      form: tap-huan        # the plan's form; optional when the article's forms name one event form

or a list of such entries when one article reports several events.  Coverage and reports count
per form and window: articles, events (by the day each was held) and participants.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import VN_TZ, format_short_date, to_vn
from .diagnostics import short

if TYPE_CHECKING:
    from .plan import Plan

EVENT_KEYS = ("date", "participants", "form")
MAX_PARTICIPANTS = 1_000_000
EXAMPLE = "event: {date: 2025-02-13, participants: 120, form: tap-huan}"


@dataclass(frozen=True)
class Event:
    date: dt.date
    form: str
    participants: int

    @property
    def moment(self) -> dt.datetime:
        """The start of the event's day in +07:00: how windows are compared."""
        return dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=VN_TZ)


def event_forms(plan: "Plan") -> tuple[str, ...]:
    """Forms the plan marks as events; when it marks none, every form may have events."""
    marked = tuple(f.id for f in plan.forms.values() if f.events)
    return marked or tuple(plan.forms)


class _Lines:
    """File lines of the keys inside the `event:` value (the front matter loader records only
    top-level keys)."""

    def __init__(self, fm_text: str, fm_line: int, first: int, last: int):
        self.lines = fm_text.split("\n")
        self.fm_line, self.first, self.last = fm_line, first, last

    def of(self, key: str, nth: int = 0) -> int:
        pattern = re.compile(rf"(?:^|[\s{{,-]){re.escape(key)}\s*:")
        seen = 0
        for number in range(self.first, self.last + 1):
            index = number - self.fm_line
            if 0 <= index < len(self.lines) and pattern.search(self.lines[index]):
                if seen == nth:
                    return number
                seen += 1
        return self.first


def read_events(fields, plan: "Plan", article_date: dt.datetime, forms: tuple[str, ...], forms_written: bool,
                fm_text: str, fm_line: int) -> tuple[tuple[Event, ...], tuple[str, ...]]:
    """The article's events and its forms (an article with events and no `forms:` line has the
    events' forms).  Errors go to `fields` (the reader's field validator)."""
    raw = fields.loc.values.get("event")
    if raw is None:
        return (), forms
    first = fields.loc.line_of("event")
    last = fields.loc.ends.get("event", (first, 0))[0]
    lines = _Lines(fm_text, fm_line, first, last)
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(item, dict) for item in items):
        fields.error("event", "“event” phải ghi ngày tổ chức (date), số lượt người tham dự (participants) và hình thức (form) của sự kiện",
                     f"viết dạng {EXAMPLE}")
        return (), forms
    allowed = event_forms(plan)
    events: list[Event] = []
    counts = {key: 0 for key in EVENT_KEYS}
    for item in items:
        line = {key: lines.of(key, counts[key]) if key in item else first for key in EVENT_KEYS}
        for key in item:
            if key in counts:
                counts[key] += 1
            else:
                fields.error("event", f"mục “{short(key)}” của event không dùng được",
                             "event chỉ có date (ngày tổ chức), participants (số lượt người tham dự) và form (hình thức)",
                             line=lines.of(str(key)))
        day = _event_date(fields, item.get("date"), line["date"], article_date)
        participants = _participants(fields, item.get("participants"), line["participants"])
        form = _event_form(fields, item.get("form"), line["form"], plan, allowed, forms, forms_written)
        if day is not None and participants is not None and form:
            events.append(Event(day, form, participants))
    if not forms_written:
        forms = tuple(dict.fromkeys(e.form for e in events)) or forms
    return tuple(events), forms


def _event_date(fields, value, line: int, article_date: dt.datetime) -> dt.date | None:
    if value is None:
        fields.error("event", "sự kiện thiếu ngày tổ chức (date)", f"thêm date: YYYY-MM-DD vào event, ví dụ {EXAMPLE}", line=line)
        return None
    if isinstance(value, dt.datetime):
        value = to_vn(value).date() if value.tzinfo else value.date()
    if not isinstance(value, dt.date):
        fields.error("event", f"ngày tổ chức sự kiện “{short(value)}” không hợp lệ", "viết dạng YYYY-MM-DD, ví dụ date: 2025-02-13",
                     line=line)
        return None
    published = to_vn(article_date).date()
    if value > published:
        fields.error("event", f"ngày tổ chức sự kiện ({format_short_date(value)}) sau ngày đăng bài ({format_short_date(published)}): "
                     "chỉ ghi event cho sự kiện đã diễn ra",
                     "sửa ngày tổ chức; tin báo trước một sự kiện thì không ghi event (ghi ở bài đưa tin sau sự kiện)", line=line)
        return None
    return value


def _participants(fields, value, line: int) -> int | None:
    if value is None:
        fields.error("event", "sự kiện thiếu số lượt người tham dự (participants)",
                     "thêm participants: và số lượt người tham dự (số nguyên, ví dụ participants: 120)", line=line)
        return None
    if isinstance(value, float) or (isinstance(value, str) and re.fullmatch(r"\s*\d{1,3}(?:[.,]\d{3})+\s*", value)):
        fields.error("event", f"số lượt người tham dự “{short(value)}” không được có dấu chấm hoặc dấu phẩy",
                     "viết số liền, không dấu phân cách hàng nghìn: participants: 1200", line=line)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fields.error("event", f"số lượt người tham dự “{short(value)}” phải là một số nguyên", "ví dụ participants: 120", line=line)
        return None
    if not 1 <= value <= MAX_PARTICIPANTS:
        fields.error("event", f"số lượt người tham dự {value} không hợp lý",
                     f"ghi số lượt người thực tế tham dự (từ 1 đến {MAX_PARTICIPANTS:,})".replace(",", "."), line=line)
        return None
    return value


def _event_form(fields, value, line: int, plan: "Plan", allowed: tuple[str, ...], forms: tuple[str, ...],
                forms_written: bool) -> str:
    listed = ", ".join(allowed)
    if value is None:
        candidates = [f for f in forms if f in allowed] if forms_written else []
        if len(candidates) == 1:
            return candidates[0]
        fields.error("event", "sự kiện thiếu hình thức (form)",
                     f"thêm form: và một trong các mã: {listed}", line=line)
        return ""
    form = str(value).strip()
    if form not in plan.forms:
        from .reader import closest_id

        guess = closest_id(form, plan.forms)
        fields.error("event", f"hình thức “{short(form)}” của sự kiện không có trong kế hoạch {plan.year}",
                     (f"có phải ý bạn là “{guess}”? " if guess else "") + f"các mã hợp lệ: {listed}", line=line)
        return ""
    if form not in allowed:
        fields.error("event", f"hình thức “{form}” ({plan.forms[form].name}) không phải hội nghị, tập huấn hay đối thoại",
                     f"sự kiện chỉ dùng các hình thức: {listed}", line=line)
        return ""
    if forms_written and form not in forms:
        fields.error("forms", f"bài đưa tin sự kiện hình thức “{form}” nhưng forms không có “{form}”",
                     f"thêm {form} vào forms, ví dụ forms: [{', '.join((*forms, form))}]")
        return ""
    return form
