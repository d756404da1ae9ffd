"""The paragraphs of "Kết quả công tác thông tin, tuyên truyền CCHC" as departments write them in
their quarterly, 6-month and yearly CCHC reports, generated from the numbers of the period.

Each paragraph is a list of pieces: plain text, or a `Placeholder` for what the site cannot
know (the plan's number when the file has none, work with the press, radio, posters).  The Word
report marks placeholders (bracketed, highlighted) so nobody sends one by mistake; Markdown shows
them in brackets.  Numbers are never invented: a missing plan number is a placeholder, not a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from .coverage import implements_text
from .dates import format_short_date

# "Report" in annotations is cchc.report.Report, which imports this module (not imported here).

@dataclass(frozen=True)
class Placeholder:
    """Text staff must write themselves: shown as "[CẦN BỔ SUNG: …]"."""

    text: str

    def __str__(self) -> str:
        return f"[CẦN BỔ SUNG: {self.text}]"


Piece = "str | Placeholder"
Paragraph = list  # of pieces

# What the site cannot count: the report's author fills these in.
OUTSIDE_THE_SITE = (
    "phối hợp với cơ quan báo chí – số tin, bài, phóng sự về cải cách hành chính đăng trên báo, tạp chí (tên báo, số lượng)",
    "phát thanh, truyền hình – số chương trình, tin, bài phát trên Đài Phát thanh và Truyền hình tỉnh, hệ thống "
    "truyền thanh cơ sở",
    "pa-nô, áp phích, băng rôn, tờ rơi – số lượng, nơi treo, phát; các hình thức khác (mạng xã hội, nhóm Zalo, "
    "họp cơ quan đầu tuần)",
)


def _lower_first(name: str) -> str:
    """"Thủ tục hành chính, một cửa" → "thủ tục hành chính, một cửa"; "SIPAS …" stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def number_text(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def plan_paragraph(report: "Report") -> Paragraph:
    """"Thực hiện Kế hoạch số … của UBND tỉnh …, Sở … đã ban hành Kế hoạch số 45/KH-SGDĐT ngày
    10/01/2025 về thông tin, tuyên truyền …": the number and date only as the plan file gives them."""
    plan = report.plan
    pieces: Paragraph = []
    basis = implements_text(plan)
    if basis:
        pieces.append(basis[:-1] + ", ")  # without its full stop: the sentence goes on
    subject = report.owner_at_plan or plan.issuer or "Cơ quan"
    word = "Kế hoạch"
    title = plan.title
    about = title[len(word):].strip() if title.startswith(word) else ""
    pieces.append(f"{subject} đã ban hành {word if about else title}")
    if plan.number:
        pieces.append(f" số {plan.number}")
    if plan.date:
        pieces.append(f" ngày {format_short_date(plan.date)}")
    if not plan.number or not plan.date:
        missing = "số, ngày ban hành" if not plan.number and not plan.date else "số" if not plan.number else "ngày ban hành"
        pieces += [" ", Placeholder(f"{missing} của Kế hoạch")]
    if about:
        pieces.append(f" về {about}")
    pieces.append(" và triển khai đến các phòng, đơn vị trong ngành.")
    return pieces


def articles_paragraph(report: "Report") -> Paragraph:
    count = report.count
    total = len(count.articles)
    units = count.summary["units"]
    if not total:
        return ["Trong kỳ báo cáo, trang tin cải cách hành chính của Sở chưa đăng tải tin, bài nào."]
    text = (f"Trong kỳ báo cáo, trang tin cải cách hành chính của Sở đã đăng tải {number_text(total)} tin, bài "
            f"của {units.covered}/{units.total} cơ quan, đơn vị")
    parts = [f"{_lower_first(t.name)} (mục {t.section}): {t.total} tin" if t.section else f"{_lower_first(t.name)}: {t.total} tin"
             for t in count.categories if t.total]
    if parts:
        text += ", theo các nội dung: " + "; ".join(parts) + " (một tin, bài có thể thuộc nhiều nội dung)"
    return [text + "."]


def events_paragraph(report: "Report") -> Paragraph:
    count = report.count
    forms = [t for t in count.forms if t.events_total]
    if not forms:
        return ["Trong kỳ, trang tin chưa đưa tin hội nghị, lớp tập huấn, buổi đối thoại nào. ",
                Placeholder("hội nghị, lớp tập huấn, buổi đối thoại đã tổ chức mà chưa đưa tin (số cuộc, số lượt người tham dự)")]
    text = (f"Tổ chức {number_text(count.events_total)} hội nghị, lớp tập huấn, buổi đối thoại với "
            f"{number_text(count.participants_total)} lượt người tham dự")
    if len(forms) > 1 or forms[0].events_total > 1:
        text += ", gồm: " + "; ".join(
            f"{_lower_first(t.name)}: {t.events_total} cuộc, {number_text(t.participants_total)} lượt người" for t in forms)
    return [text + " (theo các tin, bài đưa tin sự kiện trên trang)."]


def gaps_paragraph(report: "Report") -> Paragraph:
    count = report.count
    categories = [f"{_lower_first(t.name)} (mục {t.section})" if t.section else _lower_first(t.name)
                  for t in count.categories if not t.total]
    units = [t.name for t in report.silent_units()]
    sentences = []
    if categories:
        sentences.append(f"Nội dung của Kế hoạch chưa có tin, bài trong kỳ ({len(categories)}/{len(count.categories)}): "
                         + "; ".join(categories) + ".")
    else:
        sentences.append("Tất cả nội dung của Kế hoạch đều có tin, bài trong kỳ.")
    if units:
        sentences.append("Cơ quan, đơn vị chưa có tin, bài trong kỳ: " + "; ".join(units) + ".")
    elif count.units and all(t.total for t in count.units):
        sentences.append("Tất cả cơ quan, đơn vị đều có tin, bài trong kỳ.")
    return [" ".join(sentences)]


def paragraphs(report: "Report") -> list[Paragraph]:
    """The section's body, in the order departments write it."""
    return [
        plan_paragraph(report),
        articles_paragraph(report),
        events_paragraph(report),
        *([Placeholder(text)] for text in OUTSIDE_THE_SITE),
        gaps_paragraph(report),
    ]


def plain(paragraph: Paragraph) -> str:
    return "".join(str(piece) for piece in paragraph)
