"""Dates: what users type, the notice's deadline phrases, recurrence rules."""

from __future__ import annotations

import datetime as dt
import re

from .errors import UsageError

# The notice's deadline phrases, most specific first. "9月份前" is ambiguous: it
# may mean "before September" or "by the end of September"; the earlier date is
# stored and the phrase is marked ambiguous.
_PHRASES = [
    (r"(20\d\d)\s*年\s*(\d{1,2})\s*月底前", "month_end"),
    (r"(20\d\d)\s*年\s*(\d{1,2})\s*月份前", "month_before"),
    (r"(20\d\d)\s*年\s*底前?", "year_end"),
]


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_phrase(phrase: str) -> tuple[dt.date, bool] | None:
    """The date a deadline phrase means and whether its reading is ambiguous."""
    for pattern, kind in _PHRASES:
        m = re.search(pattern, phrase)
        if not m:
            continue
        year = int(m.group(1))
        if kind == "year_end":
            return dt.date(year, 12, 31), False
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        if kind == "month_end":
            return month_end(year, month), False
        return (month_end(year, month - 1) if month > 1 else dt.date(year - 1, 12, 31)), True
    return None


# A deadline phrase as the notice prints it, in a deadline cell or inside an item's text:
# 2022年底前, 2022年底 (followed by punctuation or not: 到2022年底执法人员达到…), 2022年6月底前,
# 2022年9月份前. One pattern for cells and texts alike.
DEADLINE_PHRASE = re.compile(r"(?:到\s*)?20\d\d\s*年\s*(?:\d{1,2}\s*月(?:底|份)前|底前?)")


def deadline_phrases(text: str) -> list[str]:
    """Deadline phrases written inside an item's text, as printed."""
    return [m.group(0) for m in DEADLINE_PHRASE.finditer(text)]


# The dates a user may give: far wider than any task list, yet far enough from the
# calendar's end that every computation on them (a year of periods ahead) stays inside it.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
MAX_DAYS = 36500  # --within and the like: a hundred years


def in_range(day: dt.date, option: str = "date") -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise UsageError(f"{option}: {day.isoformat()} is out of range; use a date from "
                         f"{EARLIEST.isoformat()} to {LATEST.isoformat()}")
    return day


def parse_user_date(text: str, option: str = "date") -> dt.date:
    """A date typed by a user: ISO first, then the forms python-dateutil reads."""
    return in_range(_parse_user_date(text, option), option)


def _parse_user_date(text: str, option: str) -> dt.date:
    value = text.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        raise UsageError(f"{option}: '{text}' is not a real date (use YYYY-MM-DD)")
    from dateutil import parser  # deferred: most runs never need it

    cn = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", value)
    if cn:
        value = f"{cn.group(1)}-{cn.group(2)}-{cn.group(3)}"
    try:
        return parser.parse(value, default=dt.datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError, parser.ParserError):
        raise UsageError(f"{option}: cannot read '{text}' as a date (use YYYY-MM-DD, e.g. 2022-06-30)") from None


def rrule_problem(rule: str) -> str | None:
    """None when ``rule`` is a valid iCalendar RRULE, else what is wrong with it."""
    from dateutil import rrule

    if "\n" in rule or "DTSTART" in rule.upper():
        return "give the RRULE part only (FREQ=…); periods start on 1 January of the campaign year"
    if "FREQ=" not in rule.upper():
        return f"'{rule}' is not an RRULE: it needs FREQ=, e.g. FREQ=MONTHLY;BYMONTHDAY=-1"
    try:
        parsed = rrule.rrulestr(rule, dtstart=dt.datetime(2022, 1, 1))
        if parsed.after(dt.datetime(2021, 12, 31), inc=True) is None:
            return "the rule has no occurrence from 2022 on"
    except (ValueError, TypeError, AttributeError) as exc:
        return str(exc) or "invalid RRULE"
    return None
