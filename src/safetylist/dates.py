"""Dates: what users type, the notice's deadline phrases, recurrence rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

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
# (Patterns here are strings: ``re`` compiles each on its first use and keeps it, so a run
# that reads no date pays nothing for them.)
DEADLINE_PHRASE = r"(?:到\s*)?20\d\d\s*年\s*(?:\d{1,2}\s*月(?:底|份)前|底前?)"


def deadline_phrases(text: str) -> list[str]:
    """Deadline phrases written inside an item's text, as printed."""
    return [m.group(0) for m in re.finditer(DEADLINE_PHRASE, text)]


MAX_DAYS = 36500  # --within, --stale-days: a hundred years


def in_range(day: dt.date, option: str = "date") -> dt.date:
    """``day`` if safetylist works with it, else a usage error naming the range."""
    return _in_range(day, day.isoformat(), option)


# The dates safetylist works with. A date outside them is refused where it is typed: past
# 2099 a period or a "+1 day" could leave the calendar (9999-12-31 + 1 day overflows).
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)

# Dates as clerks write them, after NFKC (full-width digits and punctuation made plain):
# 2022-6-30, 2022.6.30, 2022/6/30, 2022年6月30日 (or 号); 2022年6月底, 6月底; 6月30日; 2022年底.
# A trailing 前 ("6月底前", the notice's own phrase) means the same day.
_FULL = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?\s*前?"
_MONTH_END = r"(?:(\d{4})\s*[年./-]\s*)?(\d{1,2})\s*月\s*[底末]\s*前?"
_YEAR_END = r"(\d{4})\s*年\s*[底末]\s*前?"
_MONTH_DAY = r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*前?"
_MONTH = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?"

YearSource = int | Callable[[], int] | None


def _plain(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def parse_user_date(text: str, option: str = "date", year: YearSource = None) -> dt.date:
    """A date typed by a user: ISO, the forms Chinese offices write, or python-dateutil's.

    ``year`` (a number, or a function giving one) completes a date written without its year
    (6月底, 6月30日); without it such a date is refused. A date that dateutil would complete
    from its defaults (``June`` as 2000-06-01) is refused, and so is an empty one.
    """
    value = _plain(text)
    if not value:
        raise UsageError(f"{option}: empty date; write one, e.g. 2022-06-30 or 2022年6月30日")
    try:
        return _in_range(dt.date.fromisoformat(value), text, option)
    except ValueError:
        pass
    found = _chinese(value, text, option, year)
    if found is not None:
        return _in_range(found, text, option)
    if re.fullmatch(_MONTH, value):
        raise UsageError(f"{option}: '{text}' is a month, not a date; write its last day "
                         f"(e.g. 2022年6月底) or a day (2022-06-30)")
    return _in_range(_dateutil(value, text, option), text, option)


def _chinese(value: str, text: str, option: str, year: YearSource) -> dt.date | None:
    def whole(y: str | None) -> int:
        if y is not None:
            return int(y)
        got = year() if callable(year) else year
        if got is None:
            raise UsageError(f"{option}: '{text}' has no year; write it whole, e.g. 2022年{value}")
        return got

    try:
        m = re.fullmatch(_FULL, value)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(_YEAR_END, value)
        if m:
            return dt.date(int(m.group(1)), 12, 31)
        m = re.fullmatch(_MONTH_END, value)
        if m:
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError("month must be in 1..12")
            return month_end(whole(m.group(1)), month)
        m = re.fullmatch(_MONTH_DAY, value)
        if m:
            return dt.date(whole(None), int(m.group(1)), int(m.group(2)))
    except ValueError:
        raise UsageError(f"{option}: '{text}' is not a real date (use YYYY-MM-DD, e.g. 2022-06-30)") from None
    return None


def _dateutil(value: str, text: str, option: str) -> dt.date:
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        raise UsageError(f"{option}: '{text}' is not a real date (use YYYY-MM-DD)")
    from dateutil import parser  # deferred: most runs never need it

    cannot = UsageError(f"{option}: cannot read '{text}' as a date (use YYYY-MM-DD, e.g. 2022-06-30)")
    try:
        got = parser.parse(value, default=dt.datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError, parser.ParserError):
        raise cannot from None
    # dateutil fills what is missing from its default: parsed again with another default,
    # a date that changes was not written whole ("June" would be 2000-06-01).
    try:
        again = parser.parse(value, default=dt.datetime(2001, 1, 3)).date()
    except (ValueError, OverflowError, parser.ParserError):
        again = None
    if again != got:
        raise UsageError(f"{option}: '{text}' is not a whole date (its year or day is missing); "
                         "write e.g. 2022-06-30 or 2022年6月30日")
    return got


def _in_range(day: dt.date, text: str, option: str) -> dt.date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise UsageError(f"{option}: '{text}' is outside the dates safetylist works with "
                         f"({MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})")
    return day


def parse_month(text: str, option: str = "--month") -> tuple[int, int]:
    """A month as users write it: 2022-06, 2022-6, 2022年6月, 2022.6, 2022/6."""
    m = re.fullmatch(_MONTH, _plain(text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"{option}: '{text}' is not a month; use YYYY-MM, e.g. 2022-06")
    year, month = int(m.group(1)), int(m.group(2))
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise UsageError(f"{option}: '{text}' is outside the years safetylist works with "
                         f"({MIN_DATE.year} to {MAX_DATE.year})")
    return year, month


def period_text(text: str, option: str = "--period") -> str:
    """A recurring period as typed, in the form its label takes: a month as ``--month`` reads
    it (2022-6 is 2022-06), 2022-q1 as 2022-Q1, 2022-W3 as 2022-W03; anything else as typed,
    for the item's rule to accept or refuse."""
    value = _plain(text)
    if not value:
        raise UsageError(f"{option}: empty period; write one, e.g. 2022-06 or 2022-Q2")
    m = re.fullmatch(_MONTH, value)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"(\d{4})\s*-?\s*([QqHhWw])\s*(\d{1,2})", value)
    if m:
        kind, n = m.group(2).upper(), int(m.group(3))
        return f"{m.group(1)}-{kind}{n:02d}" if kind == "W" else f"{m.group(1)}-{kind}{n}"
    return value


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
