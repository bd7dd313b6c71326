"""A deadline cell's meaning: a date (with the phrase kept by the caller), ongoing, or unknown."""

from __future__ import annotations

import datetime as dt

import pytest

from safetylist.importer.deadlines import Reading, read
from safetylist.models import DateRange

YEAR = DateRange(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
D = dt.date


@pytest.mark.parametrize("text, reading", [
    ("2023年底前", Reading(D(2023, 12, 31))),
    ("2023年6月底前", Reading(D(2023, 6, 30))),
    ("2023年9月份前", Reading(D(2023, 8, 31), True)),
    ("2023年6月底前完成排查，2023年底前全面完成", Reading(D(2023, 12, 31))),
    ("2023年6月30日", Reading(D(2023, 6, 30))),
    ("2023-09-30", Reading(D(2023, 9, 30))),
    ("2023年11月", Reading(D(2023, 11, 30))),
    ("2023年上半年", Reading(D(2023, 6, 30))),
    ("2023年第三季度", Reading(D(2023, 9, 30))),
    ("10月底前", Reading(D(2023, 10, 31))),
    ("长期坚持", Reading(None, ongoing=True)),
    ("持续推进", Reading(None, ongoing=True)),
])
def test_read(text, reading):
    assert read(text, YEAR) == reading


def test_a_month_without_its_year_needs_a_one_year_list():
    assert read("10月底前", DateRange(start=D(2024, 1, 1), end=D(2026, 12, 31))) is None


@pytest.mark.parametrize("text", ["按上级要求", "2023年2月30日", "每季度"])
def test_unknown(text):
    assert read(text, YEAR) is None
