"""The monthly summary (月度汇总): progress, problems, completed and lagging work.

``build`` returns plain data (the documented JSON shape), and ``FIELDS`` says which of each
section's fields every format of the summary shows, in order; ``render.summary`` writes it as
Markdown or CSV, ``office`` as Word, Excel or HTML. Nothing reads the clock: the same
registry and arguments give the same bytes, so reports can be committed and diffed.

Status in a report is the status *as of* the report date (``status.status_on``: the
latest-dated status entry on or before it), so a report for a past month shows that
month as it was, whatever was recorded, back-dated or corrected since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .dates import month_end
from .errors import UsageError
from .ids import sort_key
from .query import ItemView, all_items
from .recurrence import met, periods
from .registry import Registry
from .shares import item_status
from .status import done_since, in_force, is_open_status, is_overdue, status_on, transitions

# Each section's fields as every format of the summary shows them (Markdown, CSV, Word, Excel,
# HTML), in the order of the sections.
FIELDS: dict[str, tuple[str, ...]] = {
    "campaigns": ("campaign", "title", "items", "done", "in_progress", "not_started", "blocked",
                  "overdue", "unassigned", "completion", "shares", "shares_done"),
    "departments": ("rank", "name", "items", "done", "on_time", "overdue", "on_time_rate"),
    "completed": ("date", "id", "share", "by", "note", "reopened", "text"),
    "problems": ("kind", "date", "id", "status", "by", "note", "text"),
    "overdue": ("deadline", "days_overdue", "id", "status", "departments", "text"),
    "due_next_month": ("deadline", "id", "status", "departments", "text"),
    "recurring": ("due", "period", "id", "met", "date", "by", "rule"),
    "stale": ("last_entry", "days_since", "id", "status", "departments", "text"),
}
SECTIONS = tuple(FIELDS)
# The order of the status counts in the summary's totals and campaign rows (and so in its
# JSON): done first, as a progress report reads. The statuses themselves are status.STATUSES.
STATUS_ORDER = ("done", "in_progress", "not_started", "blocked")


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """A month (2022-06, 2022-6, 2022年6月) as its first and last day."""
    from .dates import parse_month as month_of

    year, month = month_of(text, "--month")
    return dt.date(year, month, 1), month_end(year, month)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _counts(views: list[ItemView], as_of: dt.date) -> dict[str, Any]:
    statuses = [v.status for v in views]  # each item's, from its shares', as of the report date
    counts: dict[str, Any] = {"items": len(views)}
    counts.update({s: statuses.count(s) for s in STATUS_ORDER})
    counts["overdue"] = sum(1 for v, s in zip(views, statuses) if is_overdue(s, v.deadline, as_of))
    counts["unassigned"] = sum(1 for v in views if not v.departments)
    counts["completion"] = _rate(counts["done"], len(views))
    # Shares: each department's own part of shared work (an item with no responsible
    # department counts as one share).
    counts["shares"] = sum(max(1, len(v.holders)) for v in views)
    counts["shares_done"] = sum(v.shares_done if v.holders else int(s == "done")
                                for v, s in zip(views, statuses))
    return counts


def _line(v: ItemView) -> dict[str, Any]:
    return {"id": v.id, "campaign": v.campaign.number, "departments": v.departments,
            "deadline": v.deadline.isoformat() if v.deadline else None, "text": v.item.text}


def _status(v: ItemView) -> str:
    """The item's status (from its shares'), or with --dept the department's own shares', as
    of the report date."""
    return v.share_status or v.status


def _is_open(v: ItemView) -> bool:
    return is_open_status(_status(v))


def build(registry: Registry, month: str, as_of: dt.date | None = None,
          dept: str | None = None, stale_days: int = 60) -> dict[str, Any]:
    """The summary for ``month`` (YYYY-MM), as of its last day unless ``as_of`` says otherwise."""
    start, end = parse_month(month)
    as_of = as_of or end
    from .dates import MAX_DAYS, in_range

    in_range(as_of, "--as-of")
    if not 0 <= stale_days <= MAX_DAYS:
        raise UsageError(f"--stale-days takes a number of days from 0 to {MAX_DAYS}")
    views = all_items(registry, as_of)
    wanted: set[str] | None = None  # with --dept: the share holders the summary is about
    if dept is not None:
        visible = registry.directory.visible(dept)
        views = [v for v in views if visible.intersection(v.departments)]
        wanted = {dept} | set(registry.directory.members.get(dept, ()))
        from .query import focus_of

        for v in views:  # the department's own shares: its overdue, stale, problems are theirs
            v.focus = focus_of(registry.directory, v, [dept]) or None
    grouped: dict[int, list[ItemView]] = {}
    for v in views:  # one pass, not one per campaign
        grouped.setdefault(v.campaign.number, []).append(v)
    by_campaign = []
    for c in registry.campaigns:
        mine = grouped.get(c.number, [])
        if dept is not None and not mine:
            continue
        by_campaign.append({"campaign": c.number, "campaign_id": c.id, "title": c.title,
                            **_counts(mine, as_of)})
    totals = {"campaigns": len(by_campaign),
              "tasks": len({(v.campaign.number, v.task.id) for v in views}), **_counts(views, as_of)}

    overdue = [v for v in views if is_overdue(_status(v), v.deadline, as_of)]
    overdue.sort(key=lambda v: (v.deadline, v.sort_key))
    next_start = end + dt.timedelta(days=1)
    next_end = month_end(next_start.year, next_start.month)
    due_next = [v for v in views if _is_open(v) and v.deadline is not None
                and next_start <= v.deadline <= next_end]
    due_next.sort(key=lambda v: (v.deadline, v.sort_key))
    return {
        "period": {"month": f"{start.year:04d}-{start.month:02d}", "start": start.isoformat(),
                   "end": end.isoformat()},
        "as_of": as_of.isoformat(),
        "department": dept,
        "stale_days": stale_days,
        "totals": totals,
        "campaigns": by_campaign,
        "departments": _departments(views, wanted, as_of),
        "completed": _completed(views, wanted, start, end, as_of),
        "problems": _problems(views, start, end, as_of),
        "overdue": [{**_line(v), "status": _status(v), "days_overdue": (as_of - v.deadline).days}
                    for v in overdue if v.deadline is not None],  # overdue: it has a deadline
        "due_next_month": [{**_line(v), "status": _status(v)} for v in due_next],
        "recurring": _recurring(views, start, end, as_of),
        "stale": _stale(views, as_of, stale_days),
    }


def _departments(views: list[ItemView], wanted: set[str] | None,
                 as_of: dt.date) -> list[dict[str, Any]]:
    """Each department ranked on its own shares (a county bureau on its share of
    市、县应急管理局's work, not on the group's); a group with no known members holds one."""
    owners: dict[str, list[ItemView]] = {}
    for v in views:
        for holder in v.holders:
            if wanted is None or holder in wanted:
                owners.setdefault(holder, []).append(v)
    departments: list[dict[str, Any]] = []
    for name, mine in owners.items():
        shares = [v.share_of(name) for v in mine]
        done = [v for v, st in zip(mine, shares) if st == "done"]
        on_time = [v for v in done if v.deadline is None
                   or (done_since(v.item, as_of, name) or as_of) <= v.deadline]
        departments.append({
            "name": name, "items": len(mine), "done": len(done), "on_time": len(on_time),
            "overdue": sum(1 for v, st in zip(mine, shares) if is_overdue(st, v.deadline, as_of)),
            "on_time_rate": _rate(len(on_time), len(mine)),
        })
    departments.sort(key=lambda d: (-d["on_time_rate"], -d["done"], d["overdue"], d["name"]))
    for rank, d in enumerate(departments, 1):
        d["rank"] = rank
    return departments


def _completed(views: list[ItemView], wanted: set[str] | None, start: dt.date, end: dt.date,
               as_of: dt.date) -> list[dict[str, Any]]:
    """The items whose status *became* done on a date in the month (notes and repeated
    reports are not completions), listed once, marked if reopened since: each share's own
    completion, with the department whose share it is."""
    month_close = min(end, as_of)
    completed: list[dict[str, Any]] = []
    for v in views:
        if not any(start <= h.date <= month_close for h in v.item.history):
            continue  # nothing reported in the month: nothing can have become done in it
        holders: list[str | None] = [h for h in v.holders if wanted is None or h in wanted]
        for holder in holders if v.holders else [None]:
            became = [h for h, _before, after in transitions(v.item, month_close, holder)
                      if after == "done" and start <= h.date <= month_close]
            if became:
                h = became[-1]
                completed.append({"id": v.id, "campaign": v.campaign.number,
                                  "date": h.date.isoformat(), "by": h.by, "note": h.note,
                                  "text": v.item.text, "share": holder,
                                  "reopened": is_open_status(status_on(v.item, month_close, holder))})
    completed.sort(key=lambda r: (r["date"], sort_key(r["id"]), r["share"] or ""))
    return completed


def _problems(views: list[ItemView], start: dt.date, end: dt.date,
              as_of: dt.date) -> list[dict[str, Any]]:
    """Problems (存在问题): the items blocked as of the report date, and the notes of the
    month that report a problem (marked so, or on an item blocked at the time)."""
    month_close = min(end, as_of)
    problems: list[dict[str, Any]] = []
    for v in views:
        for h in in_force(v.item.history):  # a note taken back (undo) is no problem
            if h.status is None and h.kind is None and h.note and start <= h.date <= month_close and (
                    h.problem or item_status(v.item, v.holders, h.date) == "blocked"):
                problems.append({"kind": "note", "id": v.id, "date": h.date.isoformat(),
                                 "status": item_status(v.item, v.holders, h.date), "by": h.by, "note": h.note,
                                 "text": v.item.text})
        if _status(v) == "blocked":
            blocks = [h for h in v.item.history if h.date <= as_of and h.status == "blocked"]
            last = blocks[-1] if blocks else None
            problems.append({"kind": "blocked", "id": v.id,
                             "date": last.date.isoformat() if last else None,
                             "status": "blocked", "by": last.by if last else None,
                             "note": last.note if last else None, "text": v.item.text})
    problems.sort(key=lambda r: (r["kind"] != "blocked", r["date"] or "", sort_key(r["id"])))
    return problems


def _recurring(views: list[ItemView], start: dt.date, end: dt.date,
               as_of: dt.date) -> list[dict[str, Any]]:
    """The recurring obligations' periods due in the month, and whether each was met."""
    recurring: list[dict[str, Any]] = []
    for v in views:
        if not v.recurring:
            continue
        done = met(v.item, v.holders or None)  # a period is met when every share has met it
        first, last = v.bounds
        for p in periods(v.item.recurrence or "", first, end, last):
            if start <= p.due <= end:
                h = done.get(p.label)
                if h is not None and h.date > as_of:  # met, but after the report date
                    h = None
                recurring.append({"id": v.id, "period": p.label, "due": p.due.isoformat(),
                                  "met": h is not None, "date": h.date.isoformat() if h else None,
                                  "by": h.by if h else None, "rule": v.item.recurrence_text,
                                  "text": v.item.text})
    recurring.sort(key=lambda r: (r["due"], sort_key(r["id"])))
    return recurring


def _stale(views: list[ItemView], as_of: dt.date, stale_days: int) -> list[dict[str, Any]]:
    """Open items with no report for ``stale_days`` days (candidates for 挂牌督办)."""
    stale: list[dict[str, Any]] = []
    for v in views:
        if not _is_open(v):
            continue
        # A report is any entry of the department's, status or note; a change of the
        # task's departments is the office's, not a report.
        dates = [h.date for h in v.item.history if h.date <= as_of and h.kind is None]
        last = max(dates) if dates else None
        if last is None or (as_of - last).days >= stale_days:
            stale.append({**_line(v), "status": _status(v),
                          "last_entry": last.isoformat() if last else None,
                          "days_since": (as_of - last).days if last else None})
    stale.sort(key=lambda r: (r["last_entry"] or "", sort_key(r["id"])))
    return stale
