"""Coverage of a yearly plan: which content items, units and forms have published articles.

Pure counting, no engine and no HTML: the coverage page, its open data (JSON/CSV) and the
periodic report (`cchc report`) all read the numbers from here, so they always agree.

Counting rules (stated to readers on the coverage page and in docs/du-lieu-mo.md):

- Only published articles count: never drafts, never an article dated after "now" (the build
  time), whatever the build mode.
- An article belongs to a plan year when its date falls in the plan's year window (the widest
  reporting window, by default 15/12 of the previous year 00:00 to 14/12 23:59 +07:00), not to
  the calendar year of its date.
- Windows are compared to the minute in +07:00: a window holds every moment from its first day
  00:00 to its last day 23:59 (`Window.start <= date < Window.end`).  Windows overlap (H1 holds
  Q1; the year window holds all), so each is counted on its own.
- An article counts once for each of its categories and once for each of its forms; once for
  its unit.  Categories or forms that are not in the plan are not counted in any row (the
  article still counts in the totals).
- Regularity is checked on segments, not on the windows themselves: the year window is cut at
  every start and end of every reporting window, giving spans that do not overlap (with the
  default windows 15/12–14/3, 15/3–14/6, 15/6–14/9, 15/9–14/12).  Because windows overlap
  (Q1 inside H1 inside the year), checking each window alone would let a long silence pass
  (nothing from 15/3 to 14/6 still leaves H1 non-empty thanks to Q1).
- Status of a row: "none" when it has no article in the year so far; "irregular" when some
  segment has already ended without any article for it (the plan asks for regular, continuous
  communication); "covered" otherwise.  `gaps` names those ended, empty segments.
- Months of the heat map are the calendar months the year window spans, cut to the window
  (December of the previous year from the 15th, December of the plan year to the 14th).
- Units that change (content/units.yml `from`/`until`, cchc.organisation): a unit is a row of a
  year (or of a report's window) only if it existed on some day of it, so "units with news"
  is out of the units that existed then.  A window, month or segment in which the unit did not
  exist at all is not applicable to it (`inactive`): no count, never a gap.  A segment the unit
  existed in only partly (it ended or began inside it) is not flagged as a gap either: a unit
  is flagged only for spans it existed through from first to last day.
- Events (cchc.events: conferences, training, dialogues an article reports) count by the day
  each was held, per form: events and participants (attendances) per window and in total.
  Only published articles' events count, and only events held by "now".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from .article import Article
from .dates import VN_TZ, format_short_date, to_vn
from .organisation import Unit, Units
from .plan import Plan, Window

STATUS_NONE = "none"
STATUS_IRREGULAR = "irregular"
STATUS_COVERED = "covered"

ENDED = "ended"  # the period is over: its count is final
CURRENT = "current"  # "now" is inside the period: its count may still grow
UPCOMING = "upcoming"  # the period has not started yet

KIND_CATEGORY = "category"
KIND_UNIT = "unit"
KIND_FORM = "form"


@dataclass(frozen=True)
class Period:
    """A reporting window or a month column: [start, end) in +07:00, and where "now" is."""

    id: str
    name: str
    start: dt.datetime
    end: dt.datetime  # exclusive
    state: str
    description: str = ""
    windows: tuple[str, ...] = ()  # segments only: ids of the reporting windows that hold the segment

    @property
    def first_day(self) -> dt.date:
        return to_vn(self.start).date()

    @property
    def last_day(self) -> dt.date:
        return to_vn(self.end - dt.timedelta(seconds=1)).date()

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def period_state(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> str:
    if end <= now:
        return ENDED
    if start <= now:
        return CURRENT
    return UPCOMING


def window_period(window: Window, now: dt.datetime) -> Period:
    return Period(window.id, window.name, window.start, window.end, period_state(window.start, window.end, now),
                  window.description)


def month_periods(span: Window | Period, now: dt.datetime) -> list[Period]:
    """The calendar months `span` touches, each cut to the span; id "YYYY-MM"."""
    months = []
    start = to_vn(span.start)
    year, month = start.year, start.month
    while True:
        first = dt.datetime(year, month, 1, tzinfo=VN_TZ)
        after = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=VN_TZ)
        if first >= span.end:
            break
        begin, end = max(first, span.start), min(after, span.end)
        months.append(Period(f"{year:04d}-{month:02d}", f"{month}/{year}", begin, end, period_state(begin, end, now)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def segment_periods(year: Period, windows: Iterable[Period], now: dt.datetime) -> list[Period]:
    """The year window cut at every boundary of every window: non-overlapping spans, oldest first.

    Data-driven: the cuts are the windows' own starts and ends (those inside the year window), so
    a plan with other windows gets other segments.  Id "YYYY-MM-DD/YYYY-MM-DD" (first and last day,
    an ISO 8601 interval); name "dd/mm/yyyy – dd/mm/yyyy".
    """
    windows = list(windows)
    cuts = {year.start, year.end}
    for window in windows:
        for moment in (window.start, window.end):
            if year.start < moment < year.end:
                cuts.add(moment)
    ordered = sorted(cuts)
    segments = []
    for begin, end in zip(ordered, ordered[1:]):
        first = to_vn(begin).date()
        last = to_vn(end - dt.timedelta(seconds=1)).date()
        inside = tuple(w.id for w in windows if w.start <= begin and end <= w.end)
        segments.append(Period(f"{first.isoformat()}/{last.isoformat()}",
                               f"{format_short_date(first)} – {format_short_date(last)}",
                               begin, end, period_state(begin, end, now), windows=inside))
    return segments


def is_counted(article: Article, now: dt.datetime) -> bool:
    """Published at `now`: not a draft and not dated after now."""
    return not article.draft and article.date <= now


def select(articles: Iterable[Article], start: dt.datetime, end: dt.datetime, now: dt.datetime) -> list[Article]:
    """Published articles dated in [start, end), oldest first (ties by slug)."""
    chosen = [a for a in articles if is_counted(a, now) and start <= a.date < end]
    chosen.sort(key=lambda a: (a.date.timestamp(), a.slug))
    return chosen


@dataclass
class Tally:
    """One row: a content item (category), a unit or a form, with its counts."""

    kind: str
    id: str
    name: str
    section: str = ""  # plan section (categories, forms) or unit-duty section (units)
    group: str = ""  # unit group id (units only)
    counts: dict[str, int] = field(default_factory=dict)  # window id → articles
    months: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" → articles
    segments: dict[str, int] = field(default_factory=dict)  # segment id → articles
    total: int = 0  # articles in the year window so far
    latest: Article | None = None
    status: str = STATUS_NONE
    gaps: tuple[str, ...] = ()  # ids of ended segments without any article
    # units only: ids of windows, months and segments in which the unit did not exist at all
    inactive: frozenset[str] = frozenset()
    unit: Unit | None = None
    # forms only (cchc.events): events held and their participants, per window and in total
    events: dict[str, int] = field(default_factory=dict)
    participants: dict[str, int] = field(default_factory=dict)
    events_total: int = 0
    participants_total: int = 0

    def applies(self, period_id: str) -> bool:
        """False for a period the unit did not exist in: its cell is not a count."""
        return period_id not in self.inactive


@dataclass(frozen=True)
class Share:
    """"covered of total": e.g. 10 of 12 content items have an article."""

    covered: int
    total: int


@dataclass
class UnitSection:
    """A section III entry of the plan (e.g. "III.2 Các phòng, Thanh tra Sở") and its units by group."""

    section: str
    name: str
    groups: list[tuple[str, str, list[Tally]]]  # (group id, group name, units)

    @property
    def units(self) -> list[Tally]:
        return [unit for _, _, units in self.groups for unit in units]


class _RowTotals:
    """Totals over the rows of a count (the year's Coverage or one window's WindowCount), which
    both have `categories`, `units` and `forms` lists of Tally."""

    categories: list[Tally]
    units: list[Tally]
    forms: list[Tally]

    @property
    def summary(self) -> dict[str, Share]:
        return {
            "categories": Share(sum(1 for t in self.categories if t.total), len(self.categories)),
            "units": Share(sum(1 for t in self.units if t.total), len(self.units)),
            "forms": Share(sum(1 for t in self.forms if t.total), len(self.forms)),
        }

    @property
    def events_total(self) -> int:
        return sum(t.events_total for t in self.forms)

    @property
    def participants_total(self) -> int:
        return sum(t.participants_total for t in self.forms)


@dataclass
class Coverage(_RowTotals):
    plan: Plan
    now: dt.datetime
    year: Period  # the year window
    windows: list[Period]  # every reporting window, in plan order
    segments: list[Period]  # the year cut at every window boundary, oldest first
    months: list[Period]
    articles: list[Article]  # published articles of the year window, oldest first
    categories: list[Tally]
    units: list[Tally]
    unit_sections: list[UnitSection]
    forms: list[Tally]


def _keys(article: Article, kind: str) -> tuple[str, ...]:
    if kind == KIND_CATEGORY:
        return tuple(dict.fromkeys(article.categories))
    if kind == KIND_FORM:
        return tuple(dict.fromkeys(article.forms))
    return (article.unit,)


def _rows(plan: Plan, units: Units, span: tuple[dt.datetime, dt.datetime] | None = None) -> dict[str, list[Tally]]:
    """Empty rows in display order: plan order for categories and forms, units.yml order for units
    (only the units that existed on some day of `span`, when given)."""
    duty_of_group = {}
    for duty in plan.units:
        for group in duty.groups:
            duty_of_group.setdefault(group, duty.section)
    return {
        KIND_CATEGORY: [Tally(KIND_CATEGORY, c.id, c.name, c.section)
                        for c in sorted(plan.categories.values(), key=lambda c: c.order)],
        KIND_UNIT: [Tally(KIND_UNIT, u.id, u.name, duty_of_group.get(u.group, ""), u.group, unit=u)
                    for u in sorted(units.units.values(), key=lambda u: u.order)
                    if span is None or u.overlaps(*span)],
        KIND_FORM: [Tally(KIND_FORM, f.id, f.name, f.section)
                    for f in sorted(plan.forms.values(), key=lambda f: f.order)],
    }


def count_rows(plan: Plan, units: Units, articles: list[Article], windows: Iterable[Period] = (),
               months: Iterable[Period] = (), segments: Iterable[Period] = (),
               span: tuple[dt.datetime, dt.datetime] | None = None) -> dict[str, list[Tally]]:
    """Rows for `articles` (already selected): `total`, per-period counts and latest article.

    Linear in the number of articles: each article is placed in the periods once, then added to
    the few rows its categories, unit and forms name.  With `span`, unit rows are the units that
    existed in it, each marked inactive in the periods it did not exist in.
    """
    rows = _rows(plan, units, span)
    targets = (("counts", list(windows)), ("months", list(months)), ("segments", list(segments)))
    for tally in rows[KIND_UNIT]:
        if tally.unit is not None and tally.unit.changes:
            tally.inactive = frozenset(p.id for _, periods in targets for p in periods
                                       if not tally.unit.overlaps(p.start, p.end))
    by_kind = {kind: {t.id: t for t in tallies} for kind, tallies in rows.items()}
    for tallies in rows.values():
        for tally in tallies:
            for attr, periods in targets:
                getattr(tally, attr).update((p.id, 0) for p in periods)
    for article in articles:
        hits = [(attr, p.id) for attr, periods in targets for p in periods if p.contains(article.date)]
        for kind, by_id in by_kind.items():
            for key in _keys(article, kind):
                tally = by_id.get(key)
                if tally is None:
                    continue
                tally.total += 1
                if tally.latest is None or (article.date, article.slug) >= (tally.latest.date, tally.latest.slug):
                    tally.latest = article
                for attr, period_id in hits:
                    getattr(tally, attr)[period_id] += 1
    return rows


def count_events(forms: list[Tally], published: Iterable[Article], span: tuple[dt.datetime, dt.datetime],
                 windows: Iterable[Period], now: dt.datetime) -> None:
    """Events (by the day held, inside `span` and not after `now`) and participants per form row."""
    windows = list(windows)
    by_id = {t.id: t for t in forms}
    for tally in forms:
        tally.events = {w.id: 0 for w in windows}
        tally.participants = {w.id: 0 for w in windows}
    start, end = span
    for article in published:
        if not article.events or not is_counted(article, now):
            continue
        for event in article.events:
            moment = event.moment
            tally = by_id.get(event.form)
            if tally is None or not (start <= moment < end) or moment > now:
                continue
            tally.events_total += 1
            tally.participants_total += event.participants
            for window in windows:
                if window.contains(moment):
                    tally.events[window.id] += 1
                    tally.participants[window.id] += event.participants


def _status(tally: Tally, segments: list[Period]) -> None:
    unit = tally.unit
    tally.gaps = tuple(s.id for s in segments if s.state == ENDED and tally.segments.get(s.id, 0) == 0
                       and (unit is None or unit.covers(s.start, s.end)))
    if tally.total == 0:
        tally.status = STATUS_NONE
    elif tally.gaps:
        tally.status = STATUS_IRREGULAR
    else:
        tally.status = STATUS_COVERED


def compute(plan: Plan, units: Units, published: Iterable[Article], now: dt.datetime) -> Coverage:
    """Coverage of `plan` at `now` by the published articles."""
    year = window_period(plan.year_window, now)
    windows = [window_period(w, now) for w in plan.windows]
    segments = segment_periods(year, windows, now)
    months = month_periods(year, now)
    published = list(published)
    articles = select(published, year.start, year.end, now)
    rows = count_rows(plan, units, articles, windows, months, segments, span=(year.start, year.end))
    count_events(rows[KIND_FORM], published, (year.start, year.end), windows, now)
    for tallies in rows.values():
        for tally in tallies:
            _status(tally, segments)
    return Coverage(
        plan=plan,
        now=now,
        year=year,
        windows=windows,
        segments=segments,
        months=months,
        articles=articles,
        categories=rows[KIND_CATEGORY],
        units=rows[KIND_UNIT],
        unit_sections=unit_sections(plan, units, rows[KIND_UNIT]),
        forms=rows[KIND_FORM],
    )


def unit_sections(plan: Plan, units: Units, tallies: list[Tally]) -> list[UnitSection]:
    """Units grouped as section III of the plan lists them; groups no section names come last."""
    by_group: dict[str, list[Tally]] = {}
    for tally in tallies:
        by_group.setdefault(tally.group, []).append(tally)
    ordered_groups = sorted(units.groups.values(), key=lambda g: g.order)
    sections: list[UnitSection] = []
    placed: set[str] = set()
    for duty in plan.units:
        groups = []
        for group_id in duty.groups:
            if group_id in placed or group_id not in units.groups:
                continue
            placed.add(group_id)
            groups.append((group_id, units.groups[group_id].name, by_group.get(group_id, [])))
        if groups:
            sections.append(UnitSection(duty.section, duty.name, groups))
    rest = [(g.id, g.name, by_group.get(g.id, [])) for g in ordered_groups if g.id not in placed and by_group.get(g.id)]
    if rest:
        sections.append(UnitSection("", "Đơn vị khác", rest))
    return sections


@dataclass
class WindowCount(_RowTotals):
    """Counts of one window (a plan window or a custom date range), for the periodic report."""

    plan: Plan
    now: dt.datetime
    period: Period
    articles: list[Article]  # oldest first
    categories: list[Tally]
    units: list[Tally]
    unit_sections: list[UnitSection]
    forms: list[Tally]


def count_window(plan: Plan, units: Units, published: Iterable[Article], period: Period, now: dt.datetime) -> WindowCount:
    """Counts of the published articles dated in `period` (and not after `now`); the units are
    those that existed on some day of the period."""
    published = list(published)
    articles = select(published, period.start, period.end, now)
    rows = count_rows(plan, units, articles, span=(period.start, period.end))
    count_events(rows[KIND_FORM], published, (period.start, period.end), (), now)
    for tallies in rows.values():
        for tally in tallies:
            tally.status = STATUS_COVERED if tally.total else STATUS_NONE
    return WindowCount(plan, now, period, articles, rows[KIND_CATEGORY], rows[KIND_UNIT],
                       unit_sections(plan, units, rows[KIND_UNIT]), rows[KIND_FORM])


# --- how the page and the report name the plan ---------------------------------------------------
def implements_text(plan) -> str:
    """"Thực hiện Kế hoạch số 9000/KH-UBND ngày 30/12/2024 của … về việc …." ("" if none)."""
    if plan.implements is None:
        return ""
    doc = plan.implements
    text = f"Thực hiện {doc.type or 'văn bản'}" + _numbered(doc.number, doc.date, doc.issuer)
    if doc.title:
        about = doc.title[0].lower() + doc.title[1:]
        text += " " + (about if about.startswith("về ") else "về " + about)
    return text + "."


def plan_reference(plan) -> str:
    """"Kế hoạch số 45/KH-SGDĐT ngày 10/01/2025 của Sở …": only the parts the plan file gives."""
    return "Kế hoạch" + _numbered(plan.number, plan.date, plan.issuer)


def _numbered(number, date, issuer) -> str:
    """" số 45/KH-SGDĐT ngày 10/01/2025 của Sở …" for the parts that are given."""
    text = ""
    if number:
        text += f" số {number}"
    if date:
        text += f" ngày {format_short_date(date)}"
    if issuer:
        text += f" của {issuer}"
    return text


# --- spreadsheet cells (coverage.csv and the report's CSV) ---------------------------------------
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    OWASP's advice against CSV injection: a text beginning with = + - @, a tab or a carriage
    return gets a leading apostrophe, so Excel and LibreOffice read the cell as text (the
    apostrophe stays in the text).  Numbers are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
