"""A deadline cell (完成时限) as a date, a period, or ongoing work.

The phrases of ``dates.parse_phrase`` first (2023年底前, 2023年6月底前, 2023年9月份前); then
the forms a table cell also takes: a date (2023年6月30日, 2023-06-30, an Excel date cell), a
month (2023年6月), a half or a quarter (2023年上半年, 2023年第三季度), and a month without its
year (6月底前), which is the list's year when its period lies within one year. 长期坚持 and the
like are ongoing work: no single deadline, the list's end date applies. 每月, 每季度 … are
periods: the items take the rule (``recurrence.rule_for_text``). The phrase is always kept.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ..dates import DEADLINE_PHRASE, month_end, parse_phrase
from ..models import DateRange

ONGOING = re.compile(r"长期坚持|持续推进|持续开展|长期|常态化|持续|全年|年内")
_DATE = re.compile(r"(20\d\d)\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2}))")
_MONTH = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_HALF = re.compile(r"(20\d\d)\s*年\s*(上|下)半年")
_QUARTER = re.compile(r"(20\d\d)\s*年\s*第?\s*([一二三四1-4])\s*季度")
_BARE_MONTH = re.compile(r"(?<![年\d])(\d{1,2})\s*月\s*(?:底|末|份)?\s*前?")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}


class Reading(NamedTuple):
    date: dt.date | None
    ambiguous: bool = False
    ongoing: bool = False


def _dates(text: str, period: DateRange) -> list[tuple[dt.date, bool]]:
    out: list[tuple[dt.date, bool]] = []
    for m in re.finditer(DEADLINE_PHRASE, text):
        found = parse_phrase(m.group(0))
        if found is not None:
            out.append(found)
    if out:
        return out
    for m in _DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
        try:
            out.append((dt.date(y, mo, d), False))
        except ValueError:
            continue
    for m in _MONTH.finditer(text):
        if 1 <= int(m.group(2)) <= 12:
            out.append((month_end(int(m.group(1)), int(m.group(2))), False))
    for m in _HALF.finditer(text):
        out.append((dt.date(int(m.group(1)), 6 if m.group(2) == "上" else 12, 30 if m.group(2) == "上" else 31), False))
    for m in _QUARTER.finditer(text):
        q = _QUARTERS.get(m.group(2)) or int(m.group(2))
        out.append((month_end(int(m.group(1)), 3 * q), False))
    if not out and period.start.year == period.end.year:
        for m in _BARE_MONTH.finditer(text):
            if 1 <= int(m.group(1)) <= 12:
                out.append((month_end(period.start.year, int(m.group(1))), False))
    return out


def read(text: str, period: DateRange) -> Reading | None:
    """What a deadline cell means; None when it is not a phrase this reader knows."""
    found = _dates(text, period)
    if found:
        date, ambiguous = max(found)  # a cell with stages (6月底前…，年底前全面完成) ends at its last
        return Reading(date, ambiguous)
    if ONGOING.search(text):
        return Reading(None, ongoing=True)
    return None
