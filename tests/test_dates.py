"""Dates people type and the notice's deadline phrases."""

from __future__ import annotations

import datetime as dt

import pytest

from safetylist.dates import (deadline_phrases, month_end, parse_month, parse_phrase, parse_user_date,
                              period_text, rrule_problem)
from safetylist.errors import UsageError


@pytest.mark.parametrize("typed", [
    "2022-06-30", "2022年6月30日", "30 June 2022", "June 30, 2022", "2022/6/30", "2022.6.30",
    "2022年6月30号", "2022年6月底", "2022年6月底前", "２０２２年６月３０日", " 2022-06-30 ", "2022-6-30"])
def test_user_dates(typed):
    assert parse_user_date(typed) == dt.date(2022, 6, 30)


@pytest.mark.parametrize("typed, year, expected", [
    ("6月底", 2022, dt.date(2022, 6, 30)),
    ("2月底", 2024, dt.date(2024, 2, 29)),
    ("6月30日", 2022, dt.date(2022, 6, 30)),
    ("6月30号", lambda: 2023, dt.date(2023, 6, 30)),  # the year may come from a function
    ("2022年底", None, dt.date(2022, 12, 31)),
])
def test_dates_written_without_their_year_take_the_one_given(typed, year, expected):
    assert parse_user_date(typed, "--as-of", year) == expected


def test_the_year_is_asked_for_only_when_the_date_lacks_it():
    def never() -> int:
        raise AssertionError("not needed")

    assert parse_user_date("2022年6月底", "--as-of", never) == dt.date(2022, 6, 30)


@pytest.mark.parametrize("typed, message", [
    ("2022-02-30", "--as-of: '2022-02-30' is not a real date"),
    ("2022年2月30日", "--as-of: '2022年2月30日' is not a real date"),
    ("13月底", "--as-of: '13月底' is not a real date"),
    ("soon", "--as-of: cannot read 'soon' as a date"),
    # dateutil would complete these from the year 2000 (2000-06-01, 2000-01-30): refused.
    ("June", r"--as-of: 'June' is not a whole date \(its year or day is missing\)"),
    ("30", "--as-of: '30' is not a whole date"),
    ("30 June", "--as-of: '30 June' is not a whole date"),
    ("June 2022", "--as-of: 'June 2022' is not a whole date"),
    ("6月底", "--as-of: '6月底' has no year; write it whole, e.g. 2022年6月底"),
    ("2022年6月", "--as-of: '2022年6月' is a month, not a date"),
    ("", "--as-of: empty date"),
    ("  ", "--as-of: empty date"),
    # Past the calendar: 9999-12-31 + 1 day would overflow wherever a date is moved on.
    ("9999-12-31", r"--as-of: '9999-12-31' is outside the dates safetylist works with \(2000-01-01 to 2099-12-31\)"),
    ("1999-12-31", "outside the dates safetylist works with"),
    ("2100年1月1日", "outside the dates safetylist works with"),
])
def test_bad_user_dates(typed, message):
    with pytest.raises(UsageError, match=message):
        parse_user_date(typed, "--as-of")


@pytest.mark.parametrize("typed", ["2022-06", "2022-6", "2022年6月", "2022.6", "2022/6", "２０２２－６"])
def test_months(typed):
    assert parse_month(typed) == (2022, 6)
    assert period_text(typed) == "2022-06"


@pytest.mark.parametrize("typed", ["2022-13", "June", "2022", "9999-01", ""])
def test_bad_months(typed):
    with pytest.raises(UsageError, match="--month: "):
        parse_month(typed)


@pytest.mark.parametrize("typed, label", [
    ("2022-q1", "2022-Q1"), ("2022Q1", "2022-Q1"), ("2022-h2", "2022-H2"), ("2022-w3", "2022-W03"),
    ("2022", "2022"), ("2022-13", "2022-13")])  # left for the item's rule to refuse
def test_periods_as_typed(typed, label):
    assert period_text(typed) == label


@pytest.mark.parametrize("phrase, expected", [
    ("2022年底前", (dt.date(2022, 12, 31), False)),
    ("2022 年底前", (dt.date(2022, 12, 31), False)),
    ("2022年底", (dt.date(2022, 12, 31), False)),
    ("到2022年底", (dt.date(2022, 12, 31), False)),
    ("2022年6月底前", (dt.date(2022, 6, 30), False)),
    ("2022年2月底前", (dt.date(2022, 2, 28), False)),
    ("2022年9月份前", (dt.date(2022, 8, 31), True)),
    ("长期坚持", None),
])
def test_phrases(phrase, expected):
    assert parse_phrase(phrase) == expected


def test_phrases_inside_item_text():
    assert deadline_phrases("2022年6月底前，边坡…") == ["2022年6月底前"]
    assert deadline_phrases("2020年底前未完成整改的一律停止使用，于2022年底前完成。") == ["2020年底前", "2022年底前"]
    # 底 needs no punctuation after it: 到2022年底执法人员达到… (1.5.2), 2022年底实现… (6.27.1).
    assert deadline_phrases("力争2020年底一级占35%") == ["2020年底"]
    assert deadline_phrases("到2022年底执法人员达到在职人员的75%以上。") == ["到2022年底"]
    assert deadline_phrases("2022年底实现全覆盖培训。") == ["2022年底"]
    assert deadline_phrases("2022年建成智能化煤矿2座") == []


def test_month_end_and_rules():
    assert month_end(2024, 2) == dt.date(2024, 2, 29) and month_end(2022, 12) == dt.date(2022, 12, 31)
    assert rrule_problem("FREQ=MONTHLY;BYMONTHDAY=-1") is None
    assert rrule_problem("FREQ=MONTHLY;UNTIL=20200101") == "the rule has no occurrence from 2022 on"
