"""Dates: parsing front matter values in Vietnam time (+07:00) and formatting them in Vietnamese.

Times are never converted to UTC or to the build machine's zone: the department publishes
in Asia/Ho_Chi_Minh, which has had a fixed +07:00 offset since 1975, so a fixed offset is
exact and needs no tz database.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re

from babel.dates import format_date

from .diagnostics import short

VN_TZ = dt.timezone(dt.timedelta(hours=7), "+07:00")

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?"
    r"(?:[ \t]*(?P<tz>Z|[+-]\d{2}:?\d{2}))?)?$",
    re.I,
)
# Years accepted in articles: a year before MIN_YEAR, or more than MAX_YEARS_AHEAD after the
# latest plan, is a typo (0225, 9999), not an article of that year.
MIN_YEAR = 2000
MAX_YEARS_AHEAD = 5


class DateValueError(ValueError):
    """A date that cannot be used: a Vietnamese message (what is wrong) and hint (how to fix it)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class BuildDateError(ValueError):
    """The fixed "now" of a build (--build-date, CCHC_BUILD_DATE, SOURCE_DATE_EPOCH) is unusable.

    str(error) is a complete Vietnamese message with the fix; callers print it and exit 2.
    """


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
    shown = short(text, 40)
    if re.fullmatch(r"\d{4}", text):  # `date: 2025`: an int, or its source text from the reader
        raise DateValueError(f"chỉ có năm ({text}), thiếu tháng và ngày",
                             f"sửa thành dạng YYYY-MM-DD, ví dụ {text}-03-17")
    m = _DATE_RE.match(text)
    if not m:
        raise DateValueError(f"“{shown}” không phải ngày hợp lệ", _FORMAT_HINT)
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    hour, minute, second = int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        clock = f"{m['H']}:{m['M']}" + (f":{m['S']}" if m["S"] else "")
        raise DateValueError(
            f"giờ “{clock}” không hợp lệ (giờ từ 00 đến 23, phút và giây từ 00 đến 59)",
            f"sửa giờ, ví dụ {m['y']}-{m['m']}-{m['d']} 08:30 (nửa đêm là 00:00 của ngày hôm sau)",
        )
    try:
        dt.date(year, month, day)
    except ValueError:
        raise DateValueError(
            f"ngày “{shown}” không tồn tại (ví dụ tháng 2 không có ngày 30)",
            "kiểm tra lại ngày, tháng (tháng từ 01 đến 12, ngày phải có trong tháng đó)",
        ) from None
    tz = VN_TZ
    if m["tz"]:
        if m["tz"].upper() == "Z":
            tz = dt.timezone.utc
        else:
            sign = 1 if m["tz"][0] == "+" else -1
            digits = m["tz"][1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 14 or minutes > 59:
                raise DateValueError(f"múi giờ “{m['tz']}” không hợp lệ",
                                     "bỏ múi giờ (mặc định giờ Việt Nam +07:00) hoặc viết dạng +07:00")
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    micro = int((m["F"] or "0")[:6].ljust(6, "0"))
    result = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    return result, m["H"] is not None


def check_year(moment: dt.datetime, plan_years) -> DateValueError | None:
    """A year that is surely a typo: before MIN_YEAR or more than MAX_YEARS_AHEAD after the
    latest plan (0225, 1900, 9999).  Returns the error to report, or None."""
    latest = max(plan_years, default=None)
    ceiling = latest + MAX_YEARS_AHEAD if latest is not None else dt.MAXYEAR - 1
    if MIN_YEAR <= moment.year <= ceiling:
        return None
    return DateValueError(
        f"năm {moment.year:04d} có lẽ gõ nhầm (chỉ nhận năm từ {MIN_YEAR} đến {ceiling}"
        + (f", tức tối đa {MAX_YEARS_AHEAD} năm sau kế hoạch mới nhất {latest}" if latest else "") + ")",
        "kiểm tra lại năm, viết đủ 4 chữ số, ví dụ 2025-03-17",
    )


def to_vn(moment: dt.datetime) -> dt.datetime:
    """The same instant shown in Vietnam time."""
    return moment.astimezone(VN_TZ)


def format_vn_date(moment: dt.datetime | dt.date, with_time: bool = False) -> str:
    """"Thứ Hai, 17/03/2025" or "Thứ Hai, 17/03/2025, 08:30"."""
    if isinstance(moment, dt.datetime):
        moment = to_vn(moment)
        text = _vi_date(moment.date(), "EEEE, dd/MM/yyyy")
        if with_time:
            text += f", {moment:%H:%M}"  # (Babel's "HH:mm" in Vietnamese: the same digits)
    else:
        text = _vi_date(moment, "EEEE, dd/MM/yyyy")
    return text[0].upper() + text[1:]


def format_short_date(moment: dt.datetime | dt.date) -> str:
    """"17/03/2025": for listings and tables."""
    if isinstance(moment, dt.datetime):
        moment = to_vn(moment).date()
    return _vi_date(moment, "dd/MM/yyyy")


@functools.lru_cache(maxsize=8192)
def _vi_date(day: dt.date, pattern: str) -> str:
    """Babel's Vietnamese date text (a pure function; a site shows the same days on many pages)."""
    return format_date(day, pattern, locale="vi")


def month_name(month: int) -> str:
    """"Tháng 3"."""
    return f"Tháng {month}"


def parse_build_date(text: str, source: str = "--build-date") -> dt.datetime:
    """A fixed "now" written by staff (`--build-date`, CCHC_BUILD_DATE); BuildDateError if unusable."""
    try:
        moment, _ = parse_datetime(text)
    except DateValueError as exc:
        raise BuildDateError(
            f"{source} “{short(text, 40)}” không dùng được: {exc}\n    → Cách sửa: {exc.hint or _FORMAT_HINT}"
        ) from None
    try:
        moment.astimezone(dt.timezone.utc)
    except OverflowError:
        raise BuildDateError(f"{source} “{short(text, 40)}” nằm ngoài khoảng thời gian dùng được"
                             f"\n    → Cách sửa: {_FORMAT_HINT}") from None
    return moment


def parse_source_date_epoch(text: str) -> dt.datetime:
    """SOURCE_DATE_EPOCH (seconds since 1970-01-01 UTC); BuildDateError if unusable."""
    hint = ("\n    → Cách sửa: SOURCE_DATE_EPOCH phải là số giây kể từ 01/01/1970 (số nguyên, ví dụ "
            "$(git log -1 --format=%ct)), hoặc bỏ biến này")
    try:
        seconds = int(text.strip())
    except ValueError:
        raise BuildDateError(f"SOURCE_DATE_EPOCH “{short(text, 40)}” không phải số nguyên{hint}") from None
    try:
        return dt.datetime.fromtimestamp(seconds, VN_TZ)
    except (OverflowError, OSError, ValueError):
        raise BuildDateError(f"SOURCE_DATE_EPOCH “{short(text, 40)}” nằm ngoài khoảng thời gian dùng được{hint}") from None


def build_time() -> dt.datetime:
    """The moment the build treats as "now".

    `CCHC_BUILD_DATE` (ISO date/time) or `SOURCE_DATE_EPOCH` fixes it so builds and tests
    are reproducible; otherwise the current time.  Raises BuildDateError (a Vietnamese
    message naming the variable and the fix) when the fixed value is unusable.
    """
    fixed = os.environ.get("CCHC_BUILD_DATE")
    if fixed:
        return parse_build_date(fixed, "CCHC_BUILD_DATE")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return parse_source_date_epoch(epoch)
    return dt.datetime.now(VN_TZ).replace(microsecond=0)


def checked_build_time() -> dt.datetime:
    """build_time(), with SOURCE_DATE_EPOCH checked even when CCHC_BUILD_DATE fixes "now".

    The site engine (MkDocs, ProperDocs) reads SOURCE_DATE_EPOCH itself and stops with a
    traceback on any value that is not a whole number, even an empty one: a build checks it first.
    Raises BuildDateError.
    """
    now = build_time()
    if "SOURCE_DATE_EPOCH" in os.environ:
        parse_source_date_epoch(os.environ["SOURCE_DATE_EPOCH"])
    return now
