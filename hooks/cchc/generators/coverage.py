"""Coverage pages (`ke-hoach/`, `ke-hoach/<year>/`) and their open data (coverage.json, coverage.csv).

Only plans with a file in content/plans/ get a page.  Numbers come from `cchc.coverage`
(published articles only, never drafts or scheduled ones, even in preview).

coverage.json (UTF-8, keys in this order, stable across rebuilds of the same content)
-------------------------------------------------------------------------------------
- `schema`: "cchc-coverage"; `version`: 3 (raised only if a key changes meaning or goes away;
  2: `gaps` names segments instead of reporting windows, `segments` added; 3: a unit's count is
  null in the periods it did not exist in, units have `from`/`until`/`successors`, forms have
  `events`/`participants`, summary has `events`/`participants`, articles have `events`).
- `as_of`: the build time the numbers are computed at (ISO 8601, +07:00).
- `site_url`: the site's address ("" if not configured); every `url` below is absolute when it is set,
  site-relative otherwise.
- `plan`: `year`, `number` (null when the plan file has none), `title`, `issuer`, `date` (YYYY-MM-DD
  or null), `implements` ({`number`, `date`, `issuer`, `title`} or null), `url` (this coverage page).
- `year_window`: the plan year's window, same keys as a window.
- `windows[]`: reporting windows in plan order: `id` ("Q1", "H1", "Q3", "Y"), `name`, `start`
  (first instant, ISO +07:00), `end` (first instant AFTER the window), `first_day`, `last_day`
  (YYYY-MM-DD, inclusive), `state` ("ended", "current", "upcoming" at `as_of`).
- `segments[]`: the year window cut at every window boundary (no overlap), oldest first: `id`
  ("YYYY-MM-DD/YYYY-MM-DD"), `name`, `start`, `end`, `first_day`, `last_day`, `state`, `windows`
  (ids of the reporting windows that hold the segment).
- `months[]`: calendar months of the year window, cut to it: `id` ("YYYY-MM"), `start`, `end`,
  `first_day`, `last_day`, `state`.
- `summary`: `articles` (published articles in the year window), and `categories`, `units`,
  `forms`, each {`covered`: rows with at least one article, `total`: rows}; `events`,
  `participants` (events held in the year window and their attendances).
- `categories[]` (plan order), `units[]` (units.yml order, with `group`, `group_name`, `section`
  of the plan's part III), `forms[]` (plan order): `id`, `name`, `section`, [`url`], `total`
  (articles in the year window so far), `windows` {window id: count}, `segments` {segment id: count},
  `months` {"YYYY-MM": count}, `latest` ({`title`, `url`, `date`} or null), `status` ("none",
  "irregular", "covered"), `gaps` (ids of ended segments without any article).
  Units (only those that existed on some day of the year window) add `from`, `until`
  (YYYY-MM-DD or null) and `successors` (unit ids); their `windows`/`segments`/`months` values are
  null for a period they did not exist in.  Forms add `has_events` (the plan marks the form as
  conferences/training/dialogue), `events`, `participants` ({window id: count}), `events_total`,
  `participants_total`.
- `articles[]`: the counted articles, oldest first: `url`, `title`, `date`, `unit`, `categories`,
  `forms`, `events` ([{`date`, `form`, `participants`}]).

coverage.csv: the same rows (categories, then units, then forms) as one table, UTF-8 with BOM,
comma-separated, CRLF; columns are listed in CSV_COLUMNS and described in docs/du-lieu-mo.md.
Made for spreadsheets: no header Excel turns into a date, ISO dates, empty cells for periods that
have not started, and text that Excel would run as a formula prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable

from .. import urls
from ..coverage import (CURRENT, ENDED, STATUS_COVERED, STATUS_IRREGULAR, STATUS_NONE, UPCOMING, Coverage,
                        Period, Tally, compute, implements_text, plan_reference, safe_cell)
from ..dates import format_short_date, format_vn_date, to_vn
from ..organisation import lifetime_text
from ..outputs import AssetOutput, PageOutput

JSON_NAME = "coverage.json"
CSV_NAME = "coverage.csv"
DATA_DOC_URL = "du-lieu-mo/"

STATUS_TEXT = {
    STATUS_NONE: "Chưa có tin",
    STATUS_IRREGULAR: "Chưa thường xuyên",
    STATUS_COVERED: "Đã có tin",
}
STATUS_SYMBOL = {STATUS_NONE: "✗", STATUS_IRREGULAR: "!", STATUS_COVERED: "✓"}
STATE_TEXT = {ENDED: "đã kết thúc", CURRENT: "đang diễn ra", UPCOMING: "chưa đến"}
KIND_TEXT = {"category": "Nội dung", "unit": "Đơn vị", "form": "Hình thức"}


def short_text(text: str, limit: int = 120) -> str:
    """The plan's wording cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"


def range_text(period: Period) -> str:
    return f"{format_short_date(period.first_day)} – {format_short_date(period.last_day)}"


def heat_level(count: int) -> int:
    """Colour step of a heat-map cell: 0, 1, 2–3, 4 and more."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    return 3


# --- page view models -----------------------------------------------------------------
def _article_ref(build, article) -> dict | None:
    if article is None:
        return None
    return {"title": article.title, "url": article.url, "date_text": format_short_date(article.date),
            "date_iso": article.date.isoformat()}


def segment_label(segment: Period, windows: list[Period]) -> str:
    """"15/12/2024 – 14/03/2025 (Quý I)": the dates, and the window's name when the segment is one."""
    same = next((w for w in windows if w.start == segment.start and w.end == segment.end), None)
    return f"{segment.name} ({same.name})" if same else segment.name


def gap_labels(coverage: Coverage, tally: Tally) -> list[str]:
    labels = {s.id: segment_label(s, coverage.windows) for s in coverage.segments}
    return [labels.get(g, g) for g in tally.gaps]


def _gap_text(coverage: Coverage, tally: Tally) -> str:
    if tally.status != STATUS_IRREGULAR:
        return ""
    return "Không có tin: " + "; ".join(gap_labels(coverage, tally))


def _row(build, coverage: Coverage, tally: Tally, url: str = "", wording: str = "") -> dict:
    cells = []
    for window in coverage.windows:
        count = tally.counts.get(window.id, 0)
        applies = tally.applies(window.id)
        cells.append({"count": count, "state": window.state, "window": window.name, "na": not applies,
                      "gap": applies and window.state == ENDED and count == 0
                      and (tally.unit is None or tally.unit.covers(window.start, window.end))})
    months = []
    for month in coverage.months:
        count = tally.months.get(month.id, 0)
        applies = tally.applies(month.id)
        months.append({"count": count, "state": month.state, "level": heat_level(count), "label": month.name,
                       "na": not applies, "gap": applies and month.state == ENDED and count == 0})
    unit = tally.unit
    return {
        "lifetime": lifetime_text(unit) if unit is not None else "",
        "successors": [build.unit_link(s) for s in unit.successors] if unit is not None else [],
        "id": tally.id,
        "section": tally.section,
        "name": tally.name,
        "url": url,
        "wording": wording,
        "cells": cells,
        "months": months,
        "total": tally.total,
        "latest": _article_ref(build, tally.latest),
        "status": tally.status,
        "status_text": STATUS_TEXT[tally.status],
        "status_symbol": STATUS_SYMBOL[tally.status],
        "status_detail": _gap_text(coverage, tally),
    }


def _period_view(period: Period) -> dict:
    return {"id": period.id, "name": period.name, "range": range_text(period), "state": period.state,
            "first_text": format_short_date(period.first_day), "last_text": format_short_date(period.last_day),
            "state_text": STATE_TEXT[period.state], "description": period.description,
            "first_day": period.first_day.isoformat(), "last_day": period.last_day.isoformat()}


def plans_detail(plan, year: Period) -> str:
    """"Số 45/KH-SGDĐT ngày 10/01/2025; năm kế hoạch 15/12/2024 – 14/12/2025" (number, date if known)."""
    parts = []
    if plan.number:
        parts.append(f"Số {plan.number}" + (f" ngày {format_short_date(plan.date)}" if plan.date else ""))
    elif plan.date:
        parts.append(f"Ngày {format_short_date(plan.date)}")
    parts.append(f"năm kế hoạch {range_text(year)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _plan_view(plan) -> dict:
    return {
        "year": plan.year,
        "number": plan.number,
        "title": plan.title,
        "issuer": plan.issuer,
        "date_text": format_short_date(plan.date) if plan.date else "",
        "reference": plan_reference(plan),
        "implements": implements_text(plan),
        "signer": plan.signer,
    }


def _summary_view(coverage: Coverage) -> dict:
    summary = coverage.summary
    return {
        "articles": len(coverage.articles),
        **{k: {"covered": v.covered, "total": v.total} for k, v in summary.items()},
        "events": coverage.events_total,
        "participants": coverage.participants_total,
    }


def number_text(value: int) -> str:
    """"1.250": Vietnamese thousands separator."""
    return f"{value:,}".replace(",", ".")


def _event_rows(coverage: Coverage) -> list[dict]:
    """Forms the plan marks as events (and any other form that has events), with their events and
    participants per window and for the year."""
    plan = coverage.plan
    rows = []
    for tally in coverage.forms:
        form = plan.forms.get(tally.id)
        if not (form is not None and form.events) and not tally.events_total:
            continue
        cells = [{"events": tally.events.get(w.id, 0), "participants": number_text(tally.participants.get(w.id, 0)),
                  "state": w.state} for w in coverage.windows]
        rows.append({"id": tally.id, "name": tally.name, "cells": cells, "events": tally.events_total,
                     "participants": number_text(tally.participants_total)})
    return rows


def page_context(build, coverage: Coverage) -> dict:
    plan = coverage.plan
    categories = [_row(build, coverage, t, urls.category(t.id),
                       short_text(plan.categories[t.id].plan_text or plan.categories[t.id].description))
                  for t in coverage.categories]
    sections = []
    for section in coverage.unit_sections:
        groups = [{"id": gid, "name": gname, "units": [_row(build, coverage, t, urls.unit(t.id)) for t in tallies]}
                  for gid, gname, tallies in section.groups]
        sections.append({"section": section.section, "name": section.name, "groups": groups,
                         "count": sum(len(g["units"]) for g in groups),
                         "missing": sum(1 for g in groups for u in g["units"] if u["status"] == STATUS_NONE)})
    forms = [_row(build, coverage, t, wording=plan.forms[t.id].description) for t in coverage.forms]
    year = coverage.year
    return {
        "heading": f"Kết quả thực hiện Kế hoạch năm {plan.year}",
        "plan": _plan_view(plan),
        "as_of_text": format_vn_date(coverage.now, True),
        "as_of_iso": to_vn(coverage.now).isoformat(),
        "year": _period_view(year),
        "year_ended": year.state == ENDED,
        "windows": [_period_view(w) for w in coverage.windows],
        "segments": [{**_period_view(seg), "label": segment_label(seg, coverage.windows)} for seg in coverage.segments],
        "months": [{**_period_view(m), "short": m.name} for m in coverage.months],
        "summary": _summary_view(coverage),
        "categories": categories,
        "unit_sections": sections,
        "units_missing": sum(s["missing"] for s in sections),
        "forms": forms,
        "event_rows": _event_rows(coverage),
        "participants_text": number_text(coverage.participants_total),
        "json_url": urls.plan(plan.year) + JSON_NAME,
        "csv_url": urls.plan(plan.year) + CSV_NAME,
        "data_doc_url": DATA_DOC_URL,
        "status_text": STATUS_TEXT,
    }


# --- open data --------------------------------------------------------------------------
def _abs(build, url: str) -> str:
    site_url = build.settings.site_url
    return site_url + url if site_url else url


def _period_json(period: Period, name: bool = True, windows: bool = False) -> dict:
    data = {"id": period.id}
    if name:
        data["name"] = period.name
    data.update({
        "start": to_vn(period.start).isoformat(),
        "end": to_vn(period.end).isoformat(),
        "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(),
        "state": period.state,
    })
    if windows:
        data["windows"] = list(period.windows)
    return data


def _tally_json(build, coverage: Coverage, tally: Tally, url: str | None, extra: dict | None = None) -> dict:
    data = {"id": tally.id, "name": tally.name, "section": tally.section}
    data.update(extra or {})
    if url is not None:
        data["url"] = _abs(build, url)
    latest = tally.latest

    def counts(values: dict, periods) -> dict:
        return {p.id: values.get(p.id, 0) if tally.applies(p.id) else None for p in periods}

    data.update({
        "total": tally.total,
        "windows": counts(tally.counts, coverage.windows),
        "segments": counts(tally.segments, coverage.segments),
        "months": counts(tally.months, coverage.months),
        "latest": None if latest is None else {"title": latest.title, "url": _abs(build, latest.url),
                                               "date": to_vn(latest.date).isoformat()},
        "status": tally.status,
        "gaps": list(tally.gaps),
    })
    return data


def coverage_data(build, coverage: Coverage) -> dict:
    plan = coverage.plan
    groups = build.content.units.groups
    implements = None
    if plan.implements is not None:
        doc = plan.implements
        implements = {"number": doc.number or None, "date": doc.date.isoformat() if doc.date else None,
                      "issuer": doc.issuer, "title": doc.title}
    summary = coverage.summary
    return {
        "schema": "cchc-coverage",
        "version": 3,
        "as_of": to_vn(coverage.now).isoformat(),
        "site_url": build.settings.site_url,
        "plan": {"year": plan.year, "number": plan.number or None, "title": plan.title, "issuer": plan.issuer,
                 "date": plan.date.isoformat() if plan.date else None, "implements": implements,
                 "url": _abs(build, urls.plan(plan.year))},
        "year_window": _period_json(coverage.year),
        "windows": [_period_json(w) for w in coverage.windows],
        "segments": [_period_json(seg, windows=True) for seg in coverage.segments],
        "months": [_period_json(m, name=False) for m in coverage.months],
        "summary": {"articles": len(coverage.articles),
                    **{k: {"covered": v.covered, "total": v.total} for k, v in summary.items()},
                    "events": coverage.events_total, "participants": coverage.participants_total},
        "categories": [_tally_json(build, coverage, t, urls.category(t.id)) for t in coverage.categories],
        "units": [_tally_json(build, coverage, t, urls.unit(t.id),
                              {"group": t.group, "group_name": groups[t.group].name if t.group in groups else "",
                               "from": _iso(t.unit.start), "until": _iso(t.unit.end),
                               "successors": list(t.unit.successors)})
                  for t in coverage.units],
        "forms": [{**_tally_json(build, coverage, t, None),
                   "has_events": bool(plan.forms[t.id].events) if t.id in plan.forms else False,
                   "events": {w.id: t.events.get(w.id, 0) for w in coverage.windows},
                   "participants": {w.id: t.participants.get(w.id, 0) for w in coverage.windows},
                   "events_total": t.events_total, "participants_total": t.participants_total}
                  for t in coverage.forms],
        "articles": [{"url": _abs(build, a.url), "title": a.title, "date": to_vn(a.date).isoformat(),
                      "unit": a.unit, "categories": list(a.categories), "forms": list(a.forms),
                      "events": [{"date": e.date.isoformat(), "form": e.form, "participants": e.participants}
                                 for e in a.events]}
                     for a in coverage.articles],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def coverage_json(build, coverage: Coverage) -> bytes:
    return (json.dumps(coverage_data(build, coverage), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def month_header(month: Period) -> str:
    """"Tháng 12/2024": a column name no spreadsheet turns into a date (unlike "2024-12" or "12/2024")."""
    return f"Tháng {month.name}"


def csv_columns(coverage: Coverage) -> list[str]:
    return (["Loại", "Mục", "Nhóm", "Mã", "Tên"]
            + [f"{w.id}: {w.name}" for w in coverage.windows]
            + [month_header(m) for m in coverage.months]
            + ["Trạng thái", "Mã trạng thái", "Khoảng thời gian không có tin", "Tin mới nhất: ngày",
               "Tin mới nhất: tiêu đề", "Tin mới nhất: địa chỉ",
               "Hoạt động từ ngày", "Hoạt động đến ngày", "Đơn vị kế tiếp",
               "Số sự kiện", "Số lượt người tham dự"])


def _count_cell(period: Period, count: int, tally: Tally | None = None) -> int | str:
    """A period that has not started has no count yet: an empty cell, not 0 (0 means "none");
    so has a period in which the unit did not exist."""
    if tally is not None and not tally.applies(period.id):
        return ""
    return "" if period.state == UPCOMING else count


def coverage_csv(build, coverage: Coverage) -> bytes:
    groups = build.content.units.groups
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_columns(coverage))
    for tally in [*coverage.categories, *coverage.units, *coverage.forms]:
        latest = tally.latest
        group = groups[tally.group].name if tally.kind == "unit" and tally.group in groups else ""
        writer.writerow([safe_cell(v) for v in
            [KIND_TEXT[tally.kind], tally.section, group, tally.id, tally.name]
            + [_count_cell(w, tally.counts.get(w.id, 0), tally) for w in coverage.windows]
            + [_count_cell(m, tally.months.get(m.id, 0), tally) for m in coverage.months]
            + [STATUS_TEXT[tally.status], tally.status, "; ".join(gap_labels(coverage, tally)),
               to_vn(latest.date).date().isoformat() if latest else "", latest.title if latest else "",
               _abs(build, latest.url) if latest else ""]
            + _unit_cells(tally) + _event_cells(coverage, tally)])
    return "\ufeff".encode("utf-8") + out.getvalue().encode("utf-8")


def _unit_cells(tally: Tally) -> list:
    unit = tally.unit
    if unit is None:
        return ["", "", ""]
    return [_iso(unit.start) or "", _iso(unit.end) or "", "; ".join(unit.successors)]


def _event_cells(coverage: Coverage, tally: Tally) -> list:
    if tally.kind != "form":
        return ["", ""]
    form = coverage.plan.forms.get(tally.id)
    if not (form is not None and form.events) and not tally.events_total:
        return ["", ""]
    return [tally.events_total, tally.participants_total]


# --- generator ----------------------------------------------------------------------------
def generate(build) -> Iterable:
    content = build.content
    coverages = [compute(content.plans[year], content.units, build.published, build.now)
                 for year in sorted(content.plans, reverse=True)]
    rows = []
    for coverage in coverages:
        plan = coverage.plan
        rows.append({"plan": _plan_view(plan), "url": urls.plan(plan.year), "summary": _summary_view(coverage),
                     "year": _period_view(coverage.year), "detail": plans_detail(plan, coverage.year),
                     "json_url": urls.plan(plan.year) + JSON_NAME, "csv_url": urls.plan(plan.year) + CSV_NAME})
    yield PageOutput(url=urls.plan(), title="Kế hoạch", template="cchc/plans.html", kind="plans",
                     description="Kết quả thực hiện Kế hoạch thông tin, tuyên truyền cải cách hành chính qua từng năm.",
                     context={"heading": "Kết quả thực hiện Kế hoạch thông tin, tuyên truyền CCHC",
                              "plans": rows, "as_of_text": format_vn_date(build.now, True),
                              "data_doc_url": DATA_DOC_URL})
    for coverage in coverages:
        plan = coverage.plan
        base = urls.plan(plan.year)
        yield PageOutput(url=base, title=f"Kết quả thực hiện Kế hoạch năm {plan.year}", template="cchc/coverage.html",
                         kind="plan",
                         description=f"Nội dung, đơn vị, hình thức đã có tin theo {plan.title}, số liệu theo từng kỳ báo cáo.",
                         context=page_context(build, coverage))
        yield AssetOutput(path=base + JSON_NAME, content=coverage_json(build, coverage))
        yield AssetOutput(path=base + CSV_NAME, content=coverage_csv(build, coverage))
