"""The monthly summary (月度汇总): progress, problems, completed and lagging work.

``build`` returns plain data (the documented JSON shape); ``render`` writes it as
Markdown or CSV. Nothing reads the clock: the same registry and arguments give
the same bytes, so reports can be committed and diffed.

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

SECTIONS = ("campaigns", "departments", "completed", "problems", "overdue", "due_next_month",
            "recurring", "stale")
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


def build(registry: Registry, month: str, as_of: dt.date | None = None,
          dept: str | None = None, stale_days: int = 60) -> dict[str, Any]:
    """The summary for ``month`` (YYYY-MM), as of its last day unless ``as_of`` says otherwise."""
    start, end = parse_month(month)
    as_of = as_of or end
    from .dates import MAX_DAYS, in_range

    if as_of is not None:
        in_range(as_of, "--as-of")
    if not 0 <= stale_days <= MAX_DAYS:
        raise UsageError(f"--stale-days takes a number of days from 0 to {MAX_DAYS}")
    views = all_items(registry, as_of)
    visible: frozenset[str] | None = None
    wanted: set[str] | None = None  # with --dept: the share holders the summary is about
    if dept is not None:
        visible = registry.directory.visible(dept)
        views = [v for v in views if visible.intersection(v.departments)]
        wanted = {dept} | set(registry.directory.members.get(dept, ()))
        from .query import focus_of

        for v in views:  # the department's own shares: its overdue, stale, problems are theirs
            v.focus = focus_of(registry.directory, v, [dept]) or None
    by_campaign = []
    for c in registry.campaigns:
        mine = [v for v in views if v.campaign.number == c.number]
        if dept is not None and not mine:
            continue
        by_campaign.append({"campaign": c.number, "campaign_id": c.id, "title": c.title,
                            **_counts(mine, as_of)})
    totals = {"campaigns": len(by_campaign),
              "tasks": len({(v.campaign.number, v.task.id) for v in views}), **_counts(views, as_of)}

    def status(v: ItemView) -> str:
        # The item's (from its shares'), or with --dept the department's own shares', as of the
        # report date.
        return v.share_status or v.status

    def is_open(v: ItemView) -> bool:
        return is_open_status(status(v))

    # Departments: each ranked on its own shares (a county bureau on its share of
    # 市、县应急管理局's work, not on the group's); a group with no known members holds one.
    owners: dict[str, list[ItemView]] = {}
    for v in views:
        for holder in v.holders:
            if wanted is None or holder in wanted:
                owners.setdefault(holder, []).append(v)
    departments = []
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

    in_month = lambda d: start <= d <= end and d <= as_of  # noqa: E731
    month_close = min(end, as_of)
    completed, problems = [], []
    for v in views:
        # Completed: the item's status *became* done on a date in the month (notes and
        # repeated reports are not completions), listed once, marked if reopened since.
        # Each share's own completion, with the department whose share it is.
        for holder in ([h for h in v.holders if wanted is None or h in wanted]
                       if v.holders else [None]):
            became = [h for h, _before, after in transitions(v.item, month_close, holder)
                      if after == "done" and in_month(h.date)]
            if became:
                h = became[-1]
                completed.append({"id": v.id, "campaign": v.campaign.number,
                                  "date": h.date.isoformat(), "by": h.by, "note": h.note,
                                  "text": v.item.text, "share": holder,
                                  "reopened": is_open_status(status_on(v.item, month_close, holder))})
        # Problems (存在问题): the item blocked as of the report date, and the notes of the
        # month that report a problem (marked so, or on an item blocked at the time).
        for h in in_force(v.item.history):  # a note taken back (undo) is no problem
            if h.status is None and h.kind is None and h.note and in_month(h.date) and (
                    h.problem or item_status(v.item, v.holders, h.date) == "blocked"):
                problems.append({"kind": "note", "id": v.id, "date": h.date.isoformat(),
                                 "status": item_status(v.item, v.holders, h.date), "by": h.by, "note": h.note,
                                 "text": v.item.text})
        if status(v) == "blocked":
            last = [h for h in v.item.history if h.date <= as_of and h.status == "blocked"]
            h = last[-1] if last else None
            problems.append({"kind": "blocked", "id": v.id, "date": h.date.isoformat() if h else None,
                             "status": "blocked", "by": h.by if h else None,
                             "note": h.note if h else None, "text": v.item.text})
    completed.sort(key=lambda r: (r["date"], sort_key(r["id"]), r["share"] or ""))
    problems.sort(key=lambda r: (r["kind"] != "blocked", r["date"] or "", sort_key(r["id"])))

    overdue = [v for v in views if is_overdue(status(v), v.deadline, as_of)]
    overdue.sort(key=lambda v: (v.deadline, v.sort_key))
    next_start = end + dt.timedelta(days=1)
    next_end = month_end(next_start.year, next_start.month)
    due_next = [v for v in views if is_open(v) and v.deadline is not None
                and next_start <= v.deadline <= next_end]
    due_next.sort(key=lambda v: (v.deadline, v.sort_key))
    recurring = []
    for v in views:
        if not v.recurring:
            continue
        done = met(v.item, v.holders or None)  # a period is met when every share has met it
        first, last = v.bounds
        for p in periods(v.item.recurrence or "", first, end, last):
            if start <= p.due <= end:
                h = done.get(p.label)
                ok = h is not None and h.date <= as_of
                recurring.append({"id": v.id, "period": p.label, "due": p.due.isoformat(),
                                  "met": ok, "date": h.date.isoformat() if ok else None,
                                  "by": h.by if ok else None, "rule": v.item.recurrence_text,
                                  "text": v.item.text})
    recurring.sort(key=lambda r: (r["due"], sort_key(r["id"])))
    stale = []
    for v in views:
        if not is_open(v):
            continue
        # A report is any entry of the department's, status or note; a change of the
        # task's departments is the office's, not a report.
        dates = [h.date for h in v.item.history if h.date <= as_of and h.kind is None]
        last = max(dates) if dates else None
        if last is None or (as_of - last).days >= stale_days:
            stale.append({**_line(v), "status": status(v),
                          "last_entry": last.isoformat() if last else None,
                          "days_since": (as_of - last).days if last else None})
    stale.sort(key=lambda r: (r["last_entry"] or "", sort_key(r["id"])))

    return {
        "period": {"month": f"{start.year:04d}-{start.month:02d}", "start": start.isoformat(),
                   "end": end.isoformat()},
        "as_of": as_of.isoformat(),
        "department": dept,
        "stale_days": stale_days,
        "totals": totals,
        "campaigns": by_campaign,
        "departments": departments,
        "completed": completed,
        "problems": problems,
        "overdue": [{**_line(v), "status": status(v),
                     "days_overdue": (as_of - v.deadline).days} for v in overdue],
        "due_next_month": [{**_line(v), "status": status(v)} for v in due_next],
        "recurring": recurring,
        "stale": stale,
    }


# Rendering ---------------------------------------------------------------------------

_COLUMNS: dict[str, list[tuple[str, str]]] = {
    # section: (field, Markdown header); the CSV uses the field names.
    "campaigns": [("campaign", "No."), ("title", "campaign"), ("items", "items"), ("done", "done"),
                  ("in_progress", "in progress"), ("not_started", "not started"),
                  ("blocked", "blocked"), ("overdue", "overdue"), ("unassigned", "unassigned"),
                  ("completion", "completion"), ("shares", "shares"), ("shares_done", "shares done")],
    "departments": [("rank", "rank"), ("name", "department"), ("items", "items"), ("done", "done"),
                    ("on_time", "on time"), ("overdue", "overdue"), ("on_time_rate", "on-time rate")],
    "completed": [("date", "date"), ("id", "ID"), ("share", "share of"), ("by", "reported by"),
                  ("note", "note"), ("reopened", "reopened"), ("text", "item")],
    "problems": [("kind", "kind"), ("date", "date"), ("id", "ID"), ("status", "status"),
                 ("by", "reported by"), ("note", "note"), ("text", "item")],
    "overdue": [("deadline", "deadline"), ("days_overdue", "days over"), ("id", "ID"),
                ("status", "status"), ("departments", "departments"), ("text", "item")],
    "due_next_month": [("deadline", "deadline"), ("id", "ID"), ("status", "status"),
                       ("departments", "departments"), ("text", "item")],
    "recurring": [("due", "due"), ("period", "period"), ("id", "ID"), ("met", "met"),
                  ("date", "done on"), ("by", "reported by"), ("rule", "as the notice says")],
    "stale": [("last_entry", "last report"), ("days_since", "days since"), ("id", "ID"),
              ("status", "status"), ("departments", "departments"), ("text", "item")],
}
_TITLES = {
    "campaigns": "Campaigns",
    "departments": "Departments, ranked by on-time completion",
    "completed": "Completed this month (完成任务)",
    "problems": "Problems (存在问题): blocked items and notes of the month",
    "overdue": "Overdue, oldest first",
    "due_next_month": "Due next month",
    "recurring": "Recurring obligations of the month, and whether each was met",
    "stale": "Stale: open, no report for {stale_days} days (candidates for 挂牌督办)",
}
_NUMERIC = {"campaign", "items", "done", "in_progress", "not_started", "blocked", "overdue",
            "unassigned", "completion", "rank", "on_time", "on_time_rate", "days_overdue",
            "days_since", "shares", "shares_done"}

# The report goes to 市政府安委办: in Chinese by default (--lang zh), as offices write it.
_TITLES_ZH = {
    "campaigns": "各专项进展",
    "departments": "各部门按期完成率排名",
    "completed": "本月完成任务",
    "problems": "存在问题：受阻事项和本月反映问题的备注",
    "overdue": "逾期事项，按时限先后",
    "due_next_month": "下月到期事项",
    "recurring": "本月定期任务完成情况",
    "stale": "{stale_days}天以上未报送进展的事项，挂牌督办候选",
}
_HEADERS_ZH: dict[str, list[str]] = {  # in the order of _COLUMNS
    "campaigns": ["序号", "专项", "项数", "已完成", "进行中", "未开始", "受阻", "逾期",
                  "未明确责任部门", "完成率", "份数", "已完成份数"],
    "departments": ["排名", "部门", "项数", "已完成", "按期完成", "逾期", "按期完成率"],
    "completed": ["完成日期", "编号", "所属部门", "报送单位", "备注", "已重新打开", "事项"],
    "problems": ["类别", "日期", "编号", "状态", "报送单位", "备注", "事项"],
    "overdue": ["完成时限", "逾期天数", "编号", "状态", "责任部门", "事项"],
    "due_next_month": ["完成时限", "编号", "状态", "责任部门", "事项"],
    "recurring": ["到期日", "周期", "编号", "是否完成", "完成日期", "报送单位", "通知原文"],
    "stale": ["最近报送", "间隔天数", "编号", "状态", "责任部门", "事项"],
}
LANGS = ("zh", "en")


def _cell(field: str, value: Any, lang: str = "en") -> str:
    zh = lang == "zh"
    if field == "departments" and not value:
        return "（未明确）" if zh else "(unassigned)"
    if field == "last_entry" and value is None:
        return "从未报送" if zh else "never"
    if field in ("met", "reopened"):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if value is None:
        return ""
    if zh and field == "status":
        from .typed import STATUS_CN

        return STATUS_CN.get(value, value)
    if zh and field == "kind":
        return {"blocked": "受阻", "note": "备注"}.get(value, value)
    if field in ("completion", "on_time_rate"):
        return f"{value * 100:.1f}%"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _md_cell(text: str) -> str:
    from .render import visible

    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _front(summary: dict[str, Any], lang: str) -> list[str]:
    t, p = summary["totals"], summary["period"]
    dept = _md_cell(summary["department"]) if summary["department"] else None
    rate = f"{t['completion'] * 100:.1f}%"
    if lang == "zh":
        return [f"- 期间：{p['start']} 至 {p['end']}；截至 {summary['as_of']}",
                f"- 部门：{dept or '全部'}",
                f"- 总体：{t['campaigns']} 个专项，{t['tasks']} 条任务，{t['items']} 项；"
                f"已完成 {t['done']}，进行中 {t['in_progress']}，未开始 {t['not_started']}，"
                f"受阻 {t['blocked']}；逾期 {t['overdue']}；未明确责任部门 {t['unassigned']}；"
                f"完成率 {rate}"]
    return [f"- Period: {p['start']} to {p['end']}; as of {summary['as_of']}",
            f"- Department: {dept or 'all'}",
            f"- Registry: {t['campaigns']} campaigns, {t['tasks']} tasks, {t['items']} items; "
            f"done {t['done']}, in progress {t['in_progress']}, not started {t['not_started']}, "
            f"blocked {t['blocked']}; overdue {t['overdue']}; unassigned {t['unassigned']}; "
            f"completion {rate}"]


def markdown(summary: dict[str, Any], lang: str = "zh") -> str:
    """The summary as Markdown: labels in Chinese (``zh``, the default) or English (``en``)."""
    if lang not in LANGS:
        raise UsageError(f"--lang: unknown language '{lang}' (use zh or en)")
    zh = lang == "zh"
    out = [f"# 安全生产专项整治三年行动 月度汇总 {summary['period']['month']}", "",
           *_front(summary, lang)]
    for section in SECTIONS:
        rows = summary[section]
        title = (_TITLES_ZH if zh else _TITLES)[section].format(stale_days=summary["stale_days"])
        out += ["", f"## {title}（{len(rows)}）" if zh else f"## {title} ({len(rows)})", ""]
        if not rows:
            out.append("无。" if zh else "None.")
            continue
        cols = _COLUMNS[section]
        headers = _HEADERS_ZH[section] if zh else [h for _, h in cols]
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "|".join("---:" if f in _NUMERIC else "---" for f, _ in cols) + "|")
        for r in rows:
            out.append("| " + " | ".join(_md_cell(_cell(f, r.get(f), lang)) for f, _ in cols) + " |")
    return "\n".join(out) + "\n"


def csv_text(summary: dict[str, Any], section: str | None = None) -> str:
    """One CSV table per section (each after a ``# section`` line), or just ``section``."""
    from .render import delimited_text

    chosen = [section] if section else list(SECTIONS)
    parts = []
    for name in chosen:
        table = delimited_text(summary[name], [f for f, _ in _COLUMNS[name]])
        parts.append(table if section else f"# {name}\n{table}")
    return "\n".join(parts)
