"""Front matter dates in Vietnam time (+07:00) and their Vietnamese display."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.dates import (VN_TZ, BuildDateError, DateValueError, build_time, check_year, format_short_date,
                        format_vn_date, parse_build_date, parse_datetime)

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
        ("2025-03-17 08:30 +07:00", dt.timedelta(hours=7)),  # a space before the offset
        ("2025-03-17 08:30:00 -05:00", dt.timedelta(hours=-5)),
        ("2025-03-17T08:30:00.250+08:00", dt.timedelta(hours=8)),  # seconds with a fraction
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
        ("2025-03-17 25:00", "giờ “25:00” không hợp lệ"),
        ("2025-03-17 24:00", "giờ “24:00” không hợp lệ"),  # the time is wrong, not the day
        ("2025-03-17 07:60", "giờ “07:60” không hợp lệ"),
        ("2025-03-17 07:30:61", "giờ “07:30:61” không hợp lệ"),
        ("2025-03-17 08:30+25:00", "múi giờ “\\+25:00” không hợp lệ"),
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


def test_wrong_time_names_the_time_and_keeps_the_day():
    with pytest.raises(DateValueError) as caught:
        parse_datetime("2025-03-17 24:00")
    assert "ngày" not in str(caught.value).split("(")[0]  # it is not "the day does not exist"
    assert "2025-03-17 08:30" in caught.value.hint


@pytest.mark.parametrize("year", [1, 225, 1900, 1999, 2032, 9999])
def test_years_far_from_the_plans_are_typos(year):
    moment = dt.datetime(year, 3, 17, tzinfo=VN_TZ)
    problem = check_year(moment, {2024: None, 2025: None, 2026: None})
    assert problem is not None
    assert f"năm {year:04d} có lẽ gõ nhầm" in str(problem)
    assert "từ 2000 đến 2031" in str(problem)


@pytest.mark.parametrize("year", [2000, 2019, 2025, 2031])
def test_years_near_the_plans_are_accepted(year):
    assert check_year(dt.datetime(year, 3, 17, tzinfo=VN_TZ), {2024: None, 2025: None, 2026: None}) is None


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("CCHC_BUILD_DATE", "hôm-nay", "CCHC_BUILD_DATE “hôm-nay” không dùng được: “hôm-nay” không phải ngày hợp lệ"),
    ("CCHC_BUILD_DATE", "2025-02-30", "CCHC_BUILD_DATE “2025-02-30” không dùng được: ngày “2025-02-30” không tồn tại"),
    ("CCHC_BUILD_DATE", "0001-01-01 00:00", "nằm ngoài khoảng thời gian dùng được"),
    ("SOURCE_DATE_EPOCH", "abc", "SOURCE_DATE_EPOCH “abc” không phải số nguyên"),
    ("SOURCE_DATE_EPOCH", "9" * 30, "nằm ngoài khoảng thời gian dùng được"),
])
def test_unusable_build_date_is_a_clear_vietnamese_error(monkeypatch, variable, value, message):
    monkeypatch.delenv("CCHC_BUILD_DATE", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(BuildDateError) as caught:
        build_time()
    assert message in str(caught.value)
    assert "\n    → Cách sửa: " in str(caught.value)


def test_build_date_option_is_checked_the_same_way():
    with pytest.raises(BuildDateError, match="--build-date “2025-13-01” không dùng được"):
        parse_build_date("2025-13-01")
    assert parse_build_date("2025-03-17 08:30") == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)


def test_source_date_epoch_fixes_now(monkeypatch):
    monkeypatch.delenv("CCHC_BUILD_DATE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1742175000")  # 2025-03-17 01:30 UTC
    assert build_time() == dt.datetime(2025, 3, 17, 8, 30, tzinfo=VN_TZ)
