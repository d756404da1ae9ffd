"""The "results of CCHC information and communication" part of a periodic report.

`cchc report` (see report_cli.py) chooses a window — a reporting window of a plan
(`2025-Q1`, `2025-H1`, `2025-Q3`, `2026-Q4`, `2025` for the year) or a custom date range — and this
module turns the counts of `cchc.coverage` into Markdown or CSV (UTF-8 with BOM); the Word document
(the section as departments paste it: prose, placeholders, tables in an appendix, laid out per
Nghị định 30/2020/NĐ-CP) is cchc.report_docx, its paragraphs cchc.report_prose.  The plan's number
and date appear only when the plan file has them.  Units count only in the periods they existed
(cchc.organisation), events by the day they were held (cchc.events).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from . import urls
from .content import Content
from .coverage import (ENDED, UPCOMING, Period, Tally, WindowCount, count_window, period_state, plan_reference,
                       safe_cell)
from .dates import VN_TZ, format_short_date, to_vn
from .organisation import department_on, lifetime_text
from .plan import Plan
from .report_prose import number_text, plain

FORMATS = ("md", "csv", "docx")
PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<window>[A-Za-z0-9]+))?$")


class ReportError(Exception):
    """A report that cannot be made; the message is Vietnamese and says what to do."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


# --- choosing the window ---------------------------------------------------------------------
def period_ids(plan: Plan) -> list[str]:
    """What `--period` accepts for `plan`: "2025-Q1", …, and "2025" for the year window."""
    year_id = plan.year_window.id
    return [f"{plan.year}-{w.id}" for w in plan.windows if w.id != year_id] + [str(plan.year)]


def _all_period_ids(content: Content) -> str:
    return ", ".join(p for year in sorted(content.plans) for p in period_ids(content.plans[year]))


def resolve_period(content: Content, text: str, now: dt.datetime) -> tuple[Plan, Period]:
    """The plan and window named by `--period`."""
    value = (text or "").strip()
    match = PERIOD_RE.match(value)
    if not match:
        raise ReportError(f"kỳ báo cáo “{text}” không đúng dạng. Ví dụ: 2025-Q1, 2025-H1, 2025-Q3 hoặc 2025 (cả năm). "
                          f"Các kỳ hiện có: {_all_period_ids(content)}", 2)
    year = int(match["year"])
    plan = content.plans.get(year)
    if plan is None:
        raise ReportError(f"không có kế hoạch năm {year} (thiếu tệp content/plans/{year}.yml). "
                          f"Các kỳ hiện có: {_all_period_ids(content)}")
    window_id = match["window"]
    if window_id is None:
        window = plan.year_window
    else:
        window = next((w for w in plan.windows if w.id.casefold() == window_id.casefold()), None)
        if window is None:
            raise ReportError(f"kế hoạch năm {year} không có kỳ báo cáo “{window_id}”. "
                              f"Các kỳ hợp lệ: {', '.join(period_ids(plan))}")
    period = Period(window.id, window.name, window.start, window.end, period_state(window.start, window.end, now),
                    window.description)
    return plan, period


def parse_day(text: str, option: str) -> dt.date:
    """A day given as YYYY-MM-DD or DD/MM/YYYY."""
    value = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ReportError(f"{option} “{text}” không phải ngày hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2025-03-15", 2)


def resolve_range(content: Content, first: dt.date, last: dt.date, now: dt.datetime) -> tuple[Plan, Period]:
    """A custom window, whole days from `first` to `last` inclusive, inside one plan's year window."""
    if last < first:
        raise ReportError(f"ngày kết thúc ({format_short_date(last)}) trước ngày bắt đầu ({format_short_date(first)})", 2)
    start = dt.datetime(first.year, first.month, first.day, tzinfo=VN_TZ)
    end = dt.datetime(last.year, last.month, last.day, tzinfo=VN_TZ) + dt.timedelta(days=1)
    for year in sorted(content.plans):
        plan = content.plans[year]
        year_window = plan.year_window
        if year_window.start <= start and end <= year_window.end:
            name = f"Từ ngày {format_short_date(first)} đến hết ngày {format_short_date(last)}"
            return plan, Period(f"{first.isoformat()}_{last.isoformat()}", name, start, end,
                                period_state(start, end, now))
    spans = "; ".join(f"năm {y}: {format_short_date(p.year_window.start)} – {format_short_date(p.year_window.last_day)}"
                      for y, p in sorted(content.plans.items()))
    raise ReportError(f"khoảng từ {format_short_date(first)} đến {format_short_date(last)} không nằm trọn trong năm kế hoạch nào "
                      f"({spans or 'chưa có kế hoạch'}). Chọn khoảng thời gian trong một năm kế hoạch.")


# --- the model -----------------------------------------------------------------------------------
@dataclass
class Report:
    count: WindowCount
    period_id: str  # "2025-Q1", "2025", or "2025-03-15_2025-06-14"
    label: str  # "Quý I năm 2025" or "Từ ngày 15/03/2025 đến hết ngày 14/06/2025"
    site_url: str  # "" → site-relative links
    unit_names: dict[str, str]
    group_names: dict[str, str]
    custom: bool = False  # a --from/--to window rather than one of the plan's
    owner: str = ""  # the department's name at the end of the period (or now, if earlier)
    owner_at_plan: str = ""  # its name on the day the plan was issued (the period's start if unknown)

    @property
    def plan(self) -> Plan:
        return self.count.plan

    @property
    def period(self) -> Period:
        return self.count.period

    def link(self, url: str) -> str:
        return self.site_url + url if self.site_url else url

    @property
    def range_text(self) -> str:
        return f"từ ngày {format_short_date(self.period.first_day)} đến hết ngày {format_short_date(self.period.last_day)}"

    @property
    def title(self) -> str:
        return "KẾT QUẢ CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH"

    @property
    def subtitle(self) -> str:
        if self.custom:
            return f"Kỳ báo cáo: {self.range_text}"
        return f"Kỳ báo cáo: {self.label} ({self.range_text})"

    @property
    def period_line(self) -> str:
        """"(Quý I năm 2025, từ ngày 15/12/2024 đến hết ngày 14/03/2025)": under the Word heading."""
        if self.custom:
            return f"(T{self.range_text[1:]})"
        return f"({self.label}, {self.range_text})"

    @property
    def basis(self) -> str:
        """The opening sentence; the plan's number and date only when the plan file has them."""
        plan = self.plan
        if plan.number or plan.date:
            text = f"Thực hiện {plan_reference(plan)} ({plan.title})"
        else:
            text = f"Thực hiện {plan.title}" + (f" của {plan.issuer}" if plan.issuer else "")
        total = len(self.count.articles)
        return text + f", trong kỳ báo cáo, trang tin cải cách hành chính đã đăng tải {total} tin, bài."

    @property
    def as_of_note(self) -> str:
        now = to_vn(self.count.now)
        moment = f"{now:%H:%M} ngày {format_short_date(now)}"
        if self.period.state == UPCOMING:
            return f"Lưu ý: kỳ báo cáo chưa bắt đầu (số liệu tính đến {moment})."
        if self.period.state != ENDED:
            return f"Lưu ý: kỳ báo cáo chưa kết thúc, số liệu tính đến {moment}."
        return ""

    def summary_lines(self) -> list[str]:
        s = self.count.summary
        return [
            f"Tổng số tin, bài đã đăng: {len(self.count.articles)}.",
            f"Nội dung tuyên truyền (mục II của Kế hoạch) có tin: {s['categories'].covered}/{s['categories'].total}.",
            f"Đơn vị có tin: {s['units'].covered}/{s['units'].total}.",
            f"Hình thức tuyên truyền đã sử dụng: {s['forms'].covered}/{s['forms'].total}.",
            f"Hội nghị, lớp tập huấn, buổi đối thoại: {self.count.events_total} "
            f"({number_text(self.count.participants_total)} lượt người tham dự).",
        ]

    def paragraphs(self) -> list:
        """The section's prose (cchc.report_prose), each a list of text and placeholders."""
        from .report_prose import paragraphs

        return paragraphs(self)

    def missing(self) -> list[tuple[str, list[str]]]:
        def names(tallies: list[Tally], with_section: bool) -> list[str]:
            return [(f"{t.section} {t.name}" if with_section and t.section else t.name) for t in tallies if not t.total]
        return [
            ("Nội dung chưa có tin", names(self.count.categories, True)),
            ("Đơn vị chưa có tin", [t.name for t in self.silent_units()]),
            ("Hình thức chưa sử dụng", names(self.count.forms, False)),
        ]

    def silent_units(self) -> list[Tally]:
        """Units without articles that existed through the whole period: a unit that ended or began
        inside it is not flagged for the days it did not exist (cchc.coverage's rule)."""
        period = self.period
        return [t for t in self.count.units if not t.total and (t.unit is None or t.unit.covers(period.start, period.end))]

    def category_rows(self) -> list[list[str]]:
        return [[str(i), t.section, t.name, str(t.total)] for i, t in enumerate(self.count.categories, 1)]

    def unit_rows(self) -> list[list[str]]:
        """Units that existed in the period; one that began or ended inside it says when."""
        rows = []
        period = self.period
        for section in self.count.unit_sections:
            for _, group_name, tallies in section.groups:
                for t in tallies:
                    name = t.name
                    unit = t.unit
                    if unit is not None and not unit.covers(period.start, period.end):
                        when = lifetime_text(unit)
                        name += f" ({when[0].lower()}{when[1:]})"
                    rows.append([str(len(rows) + 1), name, group_name, str(t.total)])
        return rows

    def form_rows(self) -> list[list[str]]:
        return [[str(i), t.name, str(t.total), str(t.events_total) if self.has_events(t) else "",
                 number_text(t.participants_total) if self.has_events(t) else ""]
                for i, t in enumerate(self.count.forms, 1)]

    def has_events(self, tally: Tally) -> bool:
        form = self.plan.forms.get(tally.id)
        return bool(tally.events_total or (form is not None and form.events))

    def article_rows(self) -> list[list[str]]:
        return [[str(i), f"{format_short_date(a.date)}", a.title, self.unit_names.get(a.unit, a.unit), self.link(a.url)]
                for i, a in enumerate(self.count.articles, 1)]

    @property
    def source_line(self) -> str:
        now = to_vn(self.count.now)
        return (f"Số liệu lấy từ trang tin cải cách hành chính ({self.link(urls.plan(self.plan.year))}), tính đến "
                f"{now:%H:%M} ngày {format_short_date(now)}; chỉ tính tin đã xuất bản; "
                "một tin thuộc nhiều nội dung được tính cho mỗi nội dung.")


SECTIONS = (
    "1. Kết quả chung",
    "2. Kết quả theo nội dung tuyên truyền (mục II của Kế hoạch)",
    "3. Kết quả theo đơn vị",
    "4. Kết quả theo hình thức tuyên truyền (mục II.3 của Kế hoạch)",
    "5. Nội dung, đơn vị, hình thức chưa có tin trong kỳ",
    "6. Danh sách tin, bài đã đăng trong kỳ",
    "7. Kết quả công tác thông tin, tuyên truyền CCHC (đoạn văn)",
)
CATEGORY_HEAD = ["STT", "Mục", "Nội dung", "Số tin"]
UNIT_HEAD = ["STT", "Đơn vị", "Nhóm", "Số tin"]
FORM_HEAD = ["STT", "Hình thức", "Số tin", "Số sự kiện", "Lượt người tham dự"]
ARTICLE_HEAD = ["STT", "Ngày đăng", "Tiêu đề", "Đơn vị", "Đường dẫn"]


def period_label(plan: Plan, period: Period) -> str:
    name = period.name
    if name.casefold().endswith("năm"):
        return f"{name} {plan.year}"
    return f"{name} năm {plan.year}"


def build_report(content: Content, plan: Plan, period: Period, now: dt.datetime, site_url: str = "",
                 period_id: str = "", department: tuple[str, str] = ("", "")) -> Report:
    """`department`: mkdocs.yml's extra.cchc department and province, for days content/units.yml
    names no department."""
    count = count_window(plan, content.units, content.published(now), period, now)
    custom = "_" in period.id
    label = period.name if custom else period_label(plan, period)
    if not period_id:
        period_id = period.id if custom else (str(plan.year) if period.id == plan.year_window.id else f"{plan.year}-{period.id}")
    last = min(period.end - dt.timedelta(seconds=1), now)
    plan_day = plan.date or period.first_day
    return Report(count, period_id, label, site_url,
                  {u.id: u.name for u in content.units.units.values()},
                  {g.id: g.name for g in content.units.groups.values()}, custom,
                  owner=department_on(content.units, last, *department),
                  owner_at_plan=department_on(content.units, plan_day, *department))


def default_filename(report: Report, fmt: str) -> str:
    return f"bao-cao-cchc-{report.period_id}.{fmt}"


# --- Markdown -----------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\|\[\]<>*_`])")


def _md_cell(value: str) -> str:
    """Text for a Markdown table cell: one line, Markdown punctuation escaped so it stays text."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _md_table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> list[str]:
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---:" if i in numeric else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def to_markdown(report: Report) -> str:
    out = [f"# {report.title}", "", f"**{report.subtitle}**", ""]
    if report.as_of_note:
        out += [f"*{report.as_of_note}*", ""]
    out += [report.basis, "", f"## {SECTIONS[0]}", ""]
    out += [f"- {line}" for line in report.summary_lines()] + [""]
    out += [f"## {SECTIONS[1]}", ""] + _md_table(CATEGORY_HEAD, report.category_rows(), {0, 3}) + [""]
    out += ["Một tin thuộc nhiều nội dung được tính cho mỗi nội dung.", ""]
    out += [f"## {SECTIONS[2]}", ""] + _md_table(UNIT_HEAD, report.unit_rows(), {0, 3}) + [""]
    out += [f"## {SECTIONS[3]}", ""] + _md_table(FORM_HEAD, report.form_rows(), {0, 2, 3, 4}) + [""]
    out += [f"## {SECTIONS[4]}", ""]
    for label, names in report.missing():
        out.append(f"- {label} ({len(names)}): " + ("; ".join(names) + "." if names else "không có."))
    out += ["", f"## {SECTIONS[5]}", ""]
    rows = report.article_rows()
    if rows:
        md_rows = [[r[0], r[1], f"[{_md_cell(r[2])}]({r[4]})", r[3], r[4]] for r in rows]
        lines = ["| " + " | ".join(ARTICLE_HEAD) + " |", "|---:|---|---|---|---|"]
        lines += ["| " + " | ".join([row[0], row[1], row[2], _md_cell(row[3]), row[4]]) + " |" for row in md_rows]
        out += lines
    else:
        out.append("Không có tin, bài nào trong kỳ.")
    out += ["", f"## {SECTIONS[6]}", "", "Đoạn văn để đưa vào báo cáo (mục [CẦN BỔ SUNG: …] do cán bộ tự viết):", ""]
    for paragraph in report.paragraphs():
        out += [_md_text(plain(paragraph)), ""]
    out += [f"*{report.source_line}*", ""]
    return "\n".join(out)


def _md_text(text: str) -> str:
    """A paragraph of prose as Markdown text (its brackets and stars stay text)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


# --- CSV ------------------------------------------------------------------------------------------
CSV_HEAD = ["Phần", "STT", "Mục", "Mã", "Tên", "Số tin", "Ngày đăng", "Đơn vị", "Đường dẫn", "Số sự kiện",
            "Lượt người tham dự"]


def to_csv(report: Report) -> bytes:
    """One table, every row with the same columns, for Excel: UTF-8 with BOM so it reads Vietnamese,
    CRLF, ISO dates (read the same in every regional setting), empty counts for a window that has
    not started, and text that could run as a formula prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    started = report.period.state != UPCOMING

    def count(n: int):
        return n if started else ""

    def row(values: list) -> None:
        writer.writerow([safe_cell(v) for v in values])

    row(CSV_HEAD)
    row(["Tổng", "", "", "", f"Tổng số tin, bài ({report.label})", count(len(report.count.articles)), "", "", "",
         count(report.count.events_total), count(report.count.participants_total)])
    for i, t in enumerate(report.count.categories, 1):
        row(["Nội dung", i, t.section, t.id, t.name, count(t.total), "", "", "", "", ""])
    i = 0
    for section in report.count.unit_sections:
        for _, group_name, tallies in section.groups:
            for t in tallies:
                i += 1
                row(["Đơn vị", i, group_name, t.id, t.name, count(t.total), "", "", "", "", ""])
    for i, t in enumerate(report.count.forms, 1):
        events = report.has_events(t)
        row(["Hình thức", i, t.section, t.id, t.name, count(t.total), "", "", "",
             count(t.events_total) if events else "", count(t.participants_total) if events else ""])
    for i, a in enumerate(report.count.articles, 1):
        row(["Tin bài", i, "", a.slug, a.title, "", to_vn(a.date).date().isoformat(),
             report.unit_names.get(a.unit, a.unit), report.link(a.url), "", ""])
    return "\ufeff".encode("utf-8") + out.getvalue().encode("utf-8")


def render(report: Report, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(report).encode("utf-8")
    if fmt == "csv":
        return to_csv(report)
    if fmt == "docx":
        from .report_docx import to_docx

        return to_docx(report)
    raise ReportError(f"định dạng “{fmt}” không hỗ trợ; dùng một trong: {', '.join(FORMATS)}", 2)
