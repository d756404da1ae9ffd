"""Front matter dates in Vietnam time (+07:00) and their Vietnamese display."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.dates import VN_TZ, DateValueError, build_time, format_short_date, format_vn_date, parse_datetime

PLUS7 = dt.timedelta(hours=7)


def test_date_only_is_midnight_in_vietnam():
    moment, has_time = parse_datetime("2025-03-17")
    assert moment == dt.datetime(2025, 3, 17, 0, 0, tzinfo=VN_TZ)
    assert moment.utcoffset() == PLUS7
    assert has_time is False


def test_date_and_time_is_vietnam_time():
    moment, has_time = parse_datetime("2025-03-17 08:30")
    assert (moment.hour, moment.minute) == (8, 30)
    assert moment.utcoffset() == PLUS7
    assert moment == dt.datetime(2025, 3, 17, 1, 30, tzinfo=dt.timezone.utc)
    assert has_time is True


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2025-03-17 08:30+08:00", dt.timedelta(hours=8)),
        ("2025-03-17T08:30:00-05:00", dt.timedelta(hours=-5)),
        ("2025-03-17 08:30+0530", dt.timedelta(hours=5, minutes=30)),
        ("2025-03-17T08:30:00Z", dt.timedelta(0)),
    ],
)
def test_explicit_offsets_are_kept(text, offset):
    moment, has_time = parse_datetime(text)
    assert moment.utcoffset() == offset
    assert (moment.hour, moment.minute) == (8, 30)
    assert has_time is True


def test_yaml_date_values_are_vietnam_time():
    assert parse_datetime(dt.date(2025, 3, 17)) == (dt.datetime(2025, 3, 17, tzinfo=VN_TZ), False)
    moment, has_time = parse_datetime(dt.datetime(2025, 3, 17, 8, 30))
    assert moment.utcoffset() == PLUS7 and (moment.hour, has_time) == (8, True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "không tồn tại"),
        ("2025-13-01", "không tồn tại"),
        ("2025-03-17 25:00", "không tồn tại"),
        ("2025", "chỉ có năm"),
        (2025, "chỉ có năm"),
        ("hôm qua", "không phải ngày hợp lệ"),
        ("17/03/2025", "không phải ngày hợp lệ"),
        ("2025-3-7", "không phải ngày hợp lệ"),
    ],
)
def test_bad_dates_are_explained_in_vietnamese(value, message):
    with pytest.raises(DateValueError, match=message):
        parse_datetime(value)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ), "Thứ Hai, 17/03/2025"),
        (dt.date(2025, 3, 17), "Thứ Hai, 17/03/2025"),
        (dt.date(2025, 3, 23), "Chủ Nhật, 23/03/2025"),
        (dt.date(2025, 3, 22), "Thứ Bảy, 22/03/2025"),
        # 20:00 UTC on the 16th is already Monday the 17th in Vietnam.
        (dt.datetime(2025, 3, 16, 20, 0, tzinfo=dt.timezone.utc), "Thứ Hai, 17/03/2025"),
    ],
)
def test_vietnamese_date_format(moment, text):
    assert format_vn_date(moment) == text


def test_vietnamese_date_format_with_time_and_short():
    moment = dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)
    assert format_vn_date(moment, with_time=True) == "Thứ Hai, 17/03/2025, 08:30"
    assert format_short_date(moment) == "17/03/2025"


def test_build_time_is_fixed_by_environment(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("CCHC_BUILD_DATE", "2025-03-17 08:30")
    assert build_time() == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)
