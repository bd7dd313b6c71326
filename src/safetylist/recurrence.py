"""Recurring obligations: periods of an iCalendar RRULE and their state.

A rule's occurrences are the due dates of consecutive periods; the first period
starts on the registry year's 1 January. A period is met when the item's history
has a ``done`` entry naming it. A recurring item is due at its earliest missed
period (then it is overdue) or else at the next period not yet met.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from collections.abc import Iterator
from typing import Any, NamedTuple

# The notice's period phrases and the rules they mean (a period ends on its due date).
PHRASE_RULES: list[tuple[str, str]] = [
    (r"每周", "FREQ=WEEKLY;BYDAY=SU"),
    (r"每月", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    (r"每季度?", "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"),
    (r"每半年", "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=-1"),
    (r"每\s*(\d+)\s*年", "FREQ=YEARLY;INTERVAL={n};BYMONTH=12;BYMONTHDAY=31"),
    (r"每年", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
]


def rule_for_text(text: str) -> tuple[str, str] | None:
    """The rule for the most frequent period a text states, with the phrase it came from."""
    for pattern, rule in PHRASE_RULES:
        m = re.search(pattern, text)
        if m:
            if "{n}" in rule:
                rule = rule.format(n=int(m.group(1)))
            start = max(text.rfind(p, 0, m.start()) for p in "，,；;。") + 1
            end = min([i for i in (text.find(p, m.end()) for p in "，。；,") if i != -1] or [len(text)])
            return rule, text[start:end].strip()
    return None


class Period(NamedTuple):
    label: str
    start: dt.date
    due: dt.date


@lru_cache(maxsize=256)
def _parts(rule: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)


def label(rule: str, due: dt.date) -> str:
    """A period's name: 2022-03 (monthly), 2022-Q1, 2022-H1, 2022, 2022-W11; else its due date."""
    parts = _parts(rule)
    freq, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    months = parts.get("BYMONTH")
    if freq == "WEEKLY" and interval == "1":
        year, week, _ = due.isocalendar()
        return f"{year}-W{week:02d}"
    if freq == "MONTHLY" and interval == "1":
        if months is None:
            return f"{due.year}-{due.month:02d}"
        if months == "3,6,9,12":
            return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
        if months == "6,12":
            return f"{due.year}-H{1 if due.month <= 6 else 2}"
    if freq == "YEARLY" and months == "12":
        return str(due.year)
    return due.isoformat()


@lru_cache(maxsize=256)
def _parsed(rule: str, start: dt.date) -> Any:
    from dateutil import rrule as rr  # deferred: only recurring items need it

    return rr.rrulestr(rule, dtstart=dt.datetime(start.year, start.month, start.day), cache=True)


def iter_periods(rule: str, start: dt.date, end: dt.date | None = None) -> Iterator[Period]:
    """The rule's periods in order, from ``start`` to ``end`` (the list's period); lazily.

    Every period is named inside the list's period: days before the first occurrence that
    would be named in an earlier year (1-2 January 2022 are ISO week 2021-W52) join the
    next period. The last period ends on ``end`` (its due date clipped), and none follows.
    """
    begin = start
    for occurrence in _parsed(rule, start):
        due = occurrence.date()
        name = label(rule, due)
        if name[:4].isdigit() and int(name[:4]) < start.year:
            continue  # a sliver before the first period named in the list's year: join the next
        if end is not None and due > end:
            if begin <= end:
                yield Period(name, begin, end)
            return
        yield Period(name, begin, due)
        begin = due + dt.timedelta(days=1)


def periods(rule: str, start: dt.date, until: dt.date, end: dt.date | None = None) -> list[Period]:
    """The periods from ``start`` whose start is on or before ``until``."""
    out: list[Period] = []
    for p in iter_periods(rule, start, end):
        out.append(p)
        if p.due + dt.timedelta(days=1) > until:
            break
    return out


def period_containing(rule: str, start: dt.date, day: dt.date,
                      end: dt.date | None = None) -> Period | None:
    found = [p for p in periods(rule, start, day, end) if p.start <= day <= p.due]
    return found[0] if found else None


def period_for_report(item: Any, start: dt.date, day: dt.date, end: dt.date | None,
                      grace_days: int, holder: str | None = None) -> Period | None:
    """The period a ``done`` dated ``day`` meets when the clerk names none: the period just
    ended, if it is still unmet and ``day`` is within ``grace_days`` of its end (a June report
    filed on 2 July); otherwise the period holding ``day``."""
    rule = item.recurrence or ""
    met_labels = set(met(item, [holder] if holder else None))  # the reporter's own share
    before = [p for p in periods(rule, start, day, end) if p.due < day]
    if before:
        last = before[-1]
        if last.label not in met_labels and (day - last.due).days <= grace_days:
            return last
    return period_containing(rule, start, day, end)


def met(item: Any, holders: Any = None) -> dict[str, Any]:
    """Period label -> the history entry that met it: the first ``done`` naming it that no
    later entry takes back; with ``holders`` (the shares, ``shares``), a period is met once
    every holder's share has one, and the entry is the one that completed it."""
    from .status import _applies, taken_back

    gone = taken_back(item.history)
    done = [h for n, h in enumerate(item.history)
            if h.status == "done" and h.period and n not in gone]
    out: dict[str, Any] = {}
    if not holders:
        for h in done:
            out.setdefault(h.period, h)
        return out
    by_period: dict[str, dict[str, Any]] = {}
    for h in done:
        for holder in holders:
            if _applies(h, holder):
                by_period.setdefault(h.period, {}).setdefault(holder, h)
    for label, firsts in by_period.items():
        if len(firsts) == len(holders):
            out[label] = max(firsts.values(), key=lambda h: h.date)
    return out


def due_period(item: Any, start: dt.date, as_of: dt.date, end: dt.date | None = None,
               holders: Any = None) -> Period | None:
    """The first period not met as of ``as_of``: missed if already past due, else the next one;
    None when every period of the list's period is met."""
    done = {k for k, h in met(item, holders).items() if h.date <= as_of}
    limit = as_of + dt.timedelta(days=3660)  # periods met ahead of time: look further, within reason
    for p in iter_periods(item.recurrence, start, end):
        if p.label not in done:
            return p
        if p.due > limit:
            break
    return None  # a rule that has ended, with every period met


def last_met(item: Any, start: dt.date, as_of: dt.date, end: dt.date | None = None,
             holders: Any = None) -> Period | None:
    """The latest period met as of ``as_of`` (for "done for 2022-06")."""
    done = {k for k, h in met(item, holders).items() if h.date <= as_of}
    found = None
    for p in iter_periods(item.recurrence, start, end):
        if p.label in done:
            found = p
        if p.start > as_of and p.label not in done:
            break
    return found


def history_rows(item: Any, start: dt.date, as_of: dt.date, end: dt.date | None = None,
                 last: int = 12, holders: Any = None) -> list[dict[str, Any]]:
    """The periods up to ``as_of`` and the next one, with their state, for ``show``."""
    done = met(item, holders)
    rows = []
    for p in periods(item.recurrence, start, as_of, end):
        h = done.get(p.label)
        if h is not None and h.date <= as_of:
            state = "met"
        elif p.due < as_of:
            state = "missed"
        else:
            state = "open"
        rows.append({"period": p.label, "start": p.start.isoformat(), "due": p.due.isoformat(),
                     "state": state, "date": h.date.isoformat() if h is not None else None,
                     "by": h.by if h is not None else None})
    return rows[-last:]


def bounds(campaign: Any, manifest: Any = None) -> tuple[dt.date, dt.date | None]:
    """Where a campaign's recurring periods start and end: the list's period from the
    registry manifest; without one, from 1 January of the campaign's year, with no end."""
    if manifest is not None:
        return manifest.period.start, manifest.period.end
    return dt.date(campaign.default_deadline.year, 1, 1), None
