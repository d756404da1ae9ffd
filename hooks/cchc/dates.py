"""Dates: parsing front matter values in Vietnam time (+07:00) and formatting them in Vietnamese.

Times are never converted to UTC or to the build machine's zone: the department publishes
in Asia/Ho_Chi_Minh, which has had a fixed +07:00 offset since 1975, so a fixed offset is
exact and needs no tz database.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from babel.dates import format_date, format_datetime

VN_TZ = dt.timezone(dt.timedelta(hours=7), "+07:00")

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)


class DateValueError(ValueError):
    """A date that cannot be used: a Vietnamese message (what is wrong) and hint (how to fix it)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


_FORMAT_HINT = "dùng dạng YYYY-MM-DD hoặc YYYY-MM-DD HH:MM (giờ Việt Nam), ví dụ 2025-03-17 hoặc 2025-03-17 08:30"


def parse_datetime(value: object) -> tuple[dt.datetime, bool]:
    """Parse a front matter date; returns (aware datetime, has_time).

    Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` and an optional offset; naive values are
    +07:00.  A date without time is 00:00 +07:00.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=VN_TZ)
        return value, True
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=VN_TZ), False
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):  # `date: 2025`: an int, or its source text from the reader
        raise DateValueError(f"chỉ có năm ({text}), thiếu tháng và ngày",
                             f"sửa thành dạng YYYY-MM-DD, ví dụ {text}-03-17")
    m = _DATE_RE.match(text)
    if not m:
        raise DateValueError(f"“{text}” không phải ngày hợp lệ", _FORMAT_HINT)
    try:
        year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
        hour = int(m["H"] or 0)
        minute = int(m["M"] or 0)
        second = int(m["S"] or 0)
        tz = VN_TZ
        if m["tz"]:
            if m["tz"] == "Z":
                tz = dt.timezone.utc
            else:
                sign = 1 if m["tz"][0] == "+" else -1
                digits = m["tz"][1:].replace(":", "")
                tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        result = dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        raise DateValueError(
            f"ngày “{text}” không tồn tại (ví dụ tháng 2 không có ngày 30)",
            "kiểm tra lại ngày, tháng (giờ từ 00 đến 23, phút từ 00 đến 59)",
        ) from None
    return result, m["H"] is not None


def to_vn(moment: dt.datetime) -> dt.datetime:
    """The same instant shown in Vietnam time."""
    return moment.astimezone(VN_TZ)


def format_vn_date(moment: dt.datetime | dt.date, with_time: bool = False) -> str:
    """"Thứ Hai, 17/03/2025" or "Thứ Hai, 17/03/2025, 08:30"."""
    if isinstance(moment, dt.datetime):
        moment = to_vn(moment)
        text = format_date(moment.date(), "EEEE, dd/MM/yyyy", locale="vi")
        if with_time:
            text += ", " + format_datetime(moment, "HH:mm", locale="vi")
    else:
        text = format_date(moment, "EEEE, dd/MM/yyyy", locale="vi")
    return text[0].upper() + text[1:]


def format_short_date(moment: dt.datetime | dt.date) -> str:
    """"17/03/2025": for listings and tables."""
    if isinstance(moment, dt.datetime):
        moment = to_vn(moment).date()
    return format_date(moment, "dd/MM/yyyy", locale="vi")


def month_name(month: int) -> str:
    """"Tháng 3"."""
    return f"Tháng {month}"


def build_time() -> dt.datetime:
    """The moment the build treats as "now".

    `CCHC_BUILD_DATE` (ISO date/time) or `SOURCE_DATE_EPOCH` fixes it so builds and tests
    are reproducible; otherwise the current time.
    """
    fixed = os.environ.get("CCHC_BUILD_DATE")
    if fixed:
        moment, _ = parse_datetime(fixed)
        return moment
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), VN_TZ)
    return dt.datetime.now(VN_TZ).replace(microsecond=0)
