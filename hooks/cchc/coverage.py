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
- Status of a row: "none" when it has no article in the year so far; "irregular" when some
  reporting window has already ended without any article for it (the plan asks for regular,
  continuous communication); "covered" otherwise.
- Months of the heat map are the calendar months the year window spans, cut to the window
  (December of the previous year from the 15th, December of the plan year to the 14th).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from .article import Article
from .dates import VN_TZ, to_vn
from .plan import Plan, Units, Window

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
    total: int = 0  # articles in the year window so far
    latest: Article | None = None
    status: str = STATUS_NONE
    gaps: tuple[str, ...] = ()  # ended windows without any article


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


@dataclass
class Coverage:
    plan: Plan
    now: dt.datetime
    year: Period  # the year window
    windows: list[Period]  # every reporting window, in plan order
    months: list[Period]
    articles: list[Article]  # published articles of the year window, oldest first
    categories: list[Tally]
    units: list[Tally]
    unit_sections: list[UnitSection]
    forms: list[Tally]

    @property
    def summary(self) -> dict[str, Share]:
        return {
            "categories": Share(sum(1 for t in self.categories if t.total), len(self.categories)),
            "units": Share(sum(1 for t in self.units if t.total), len(self.units)),
            "forms": Share(sum(1 for t in self.forms if t.total), len(self.forms)),
        }


def _keys(article: Article, kind: str) -> tuple[str, ...]:
    if kind == KIND_CATEGORY:
        return tuple(dict.fromkeys(article.categories))
    if kind == KIND_FORM:
        return tuple(dict.fromkeys(article.forms))
    return (article.unit,)


def _rows(plan: Plan, units: Units) -> dict[str, list[Tally]]:
    """Empty rows in display order: plan order for categories and forms, units.yml order for units."""
    duty_of_group = {}
    for duty in plan.units:
        for group in duty.groups:
            duty_of_group.setdefault(group, duty.section)
    return {
        KIND_CATEGORY: [Tally(KIND_CATEGORY, c.id, c.name, c.section)
                        for c in sorted(plan.categories.values(), key=lambda c: c.order)],
        KIND_UNIT: [Tally(KIND_UNIT, u.id, u.name, duty_of_group.get(u.group, ""), u.group)
                    for u in sorted(units.units.values(), key=lambda u: u.order)],
        KIND_FORM: [Tally(KIND_FORM, f.id, f.name, f.section)
                    for f in sorted(plan.forms.values(), key=lambda f: f.order)],
    }


def count_rows(plan: Plan, units: Units, articles: list[Article], periods: Iterable[Period] = ()) -> dict[str, list[Tally]]:
    """Rows for `articles` (already selected): `total`, per-period counts and latest article.

    Counts for each period in `periods` go to `counts` (reporting windows) or `months`
    (ids "YYYY-MM"), decided by the caller through the id.
    """
    rows = _rows(plan, units)
    periods = list(periods)
    for kind, tallies in rows.items():
        by_id = {t.id: t for t in tallies}
        for tally in tallies:
            for period in periods:
                target = tally.months if _is_month(period.id) else tally.counts
                target[period.id] = 0
        for article in articles:
            for key in _keys(article, kind):
                tally = by_id.get(key)
                if tally is None:
                    continue
                tally.total += 1
                if tally.latest is None or (article.date, article.slug) >= (tally.latest.date, tally.latest.slug):
                    tally.latest = article
                for period in periods:
                    if period.contains(article.date):
                        target = tally.months if _is_month(period.id) else tally.counts
                        target[period.id] += 1
    return rows


def _is_month(period_id: str) -> bool:
    return len(period_id) == 7 and period_id[4] == "-" and period_id[:4].isdigit() and period_id[5:].isdigit()


def _status(tally: Tally, windows: list[Period]) -> None:
    tally.gaps = tuple(w.id for w in windows if w.state == ENDED and tally.counts.get(w.id, 0) == 0)
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
    months = month_periods(year, now)
    articles = select(published, year.start, year.end, now)
    rows = count_rows(plan, units, articles, [*windows, *months])
    for tallies in rows.values():
        for tally in tallies:
            _status(tally, windows)
    return Coverage(
        plan=plan,
        now=now,
        year=year,
        windows=windows,
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
class WindowCount:
    """Counts of one window (a plan window or a custom date range), for the periodic report."""

    plan: Plan
    now: dt.datetime
    period: Period
    articles: list[Article]  # oldest first
    categories: list[Tally]
    units: list[Tally]
    unit_sections: list[UnitSection]
    forms: list[Tally]

    @property
    def summary(self) -> dict[str, Share]:
        return {
            "categories": Share(sum(1 for t in self.categories if t.total), len(self.categories)),
            "units": Share(sum(1 for t in self.units if t.total), len(self.units)),
            "forms": Share(sum(1 for t in self.forms if t.total), len(self.forms)),
        }


def count_window(plan: Plan, units: Units, published: Iterable[Article], period: Period, now: dt.datetime) -> WindowCount:
    """Counts of the published articles dated in `period` (and not after `now`)."""
    articles = select(published, period.start, period.end, now)
    rows = count_rows(plan, units, articles)
    for tallies in rows.values():
        for tally in tallies:
            tally.status = STATUS_COVERED if tally.total else STATUS_NONE
    return WindowCount(plan, now, period, articles, rows[KIND_CATEGORY], rows[KIND_UNIT],
                       unit_sections(plan, units, rows[KIND_UNIT]), rows[KIND_FORM])
