"""Dates people type and the notice's deadline phrases."""

from __future__ import annotations

import datetime as dt

import pytest

from safetylist.dates import deadline_phrases, month_end, parse_phrase, parse_user_date, rrule_problem
from safetylist.errors import UsageError


@pytest.mark.parametrize("typed", ["2022-06-30", "2022年6月30日", "30 June 2022", "June 30, 2022", "2022/6/30"])
def test_user_dates(typed):
    assert parse_user_date(typed) == dt.date(2022, 6, 30)


@pytest.mark.parametrize("typed, message", [
    ("2022-02-30", "'2022-02-30' is not a real date"),
    ("soon", "cannot read 'soon' as a date"),
])
def test_bad_user_dates(typed, message):
    with pytest.raises(UsageError, match=message):
        parse_user_date(typed)


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
