"""A department's returned ledger as history entries: every row checked, all or nothing.

A row counts as a report when its 状态 or 进展情况 differs from what the ledger shows for
the item (the department's own latest report, or the item's latest report, whoever made
it), so a department may send back the whole ledger and importing the same file twice
records nothing the second time. Anything wrong in any row refuses the whole file: an
unknown 编号, an edited 工作措施, an unknown status word, a ledger of another registry, a
changed row of an item the department holds no share of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .. import store
from ..errors import Problem, UsageError
from ..ids import sort_key
from ..query import ItemView, all_items
from ..registry import Registry, open_registry
from ..typed import STATUS_CN
from .common import READ_STATUS
from .ledger import (ReadSheet, clean, item_state, notice_of, period_shown, read, share_state,
                     title_as_of, title_notice)

REQUIRED = ("编号", "工作措施", "状态", "进展情况")


def holds_share(registry: Registry, view: ItemView, dept: str) -> bool:
    """Does ``dept`` hold a share of the item (``shares``: a named department, or a member of
    an assigned group, as each county bureau holds one of 市、县应急管理局's)?"""
    return dept in view.holders


class Report(NamedTuple):
    """One history entry an import records."""

    id: str
    campaign: int
    status: str
    note: str | None
    date: dt.date
    period: str | None  # a recurring obligation's period done
    where: str


class Plan(NamedTuple):
    reports: list[Report]
    problems: list[Problem]
    unchanged: int


class Outcome(NamedTuple):
    lines: list[str]  # one per entry: "2022-06-15 4.15.2 done (市应急管理局): 已完成验收"
    problems: list[Problem]  # any of them means nothing was (or would be) recorded
    files: int
    unchanged: int
    written: bool


def import_ledger(registry: Registry, path: Path, dept: str, date: dt.date | None,
                  today: dt.date, dry_run: bool = False,
                  lock_timeout: float | None = None) -> Outcome:
    """Check a returned ledger and record ``dept``'s reports in it, under one lock, all or
    nothing. ``dry_run`` (or any problem) writes nothing; the outcome says what would be."""
    sheets = read(path)
    if dry_run:
        return _run(registry, sheets, path, dept, date, today, write=False)
    with store.registry_lock(registry.root, lock_timeout):
        # Decided on the files as they are inside the lock, not as they were read before it.
        return _run(open_registry(registry.root), sheets, path, dept, date, today, write=True)


def _run(registry: Registry, sheets: list[ReadSheet], path: Path, dept: str,
         date: dt.date | None, today: dt.date, write: bool) -> Outcome:
    found = plan(registry, sheets, path, dept, date, today)
    if found.problems and write:
        return Outcome([], found.problems, 0, found.unchanged, False)
    by_campaign: dict[int, list[Report]] = {}
    for r in found.reports:
        by_campaign.setdefault(r.campaign, []).append(r)
    # Every file is changed and validated before any is written.
    prepared = [store.prepare(registry, number, _mutation(reports, dept, registry.directory))
                for number, reports in sorted(by_campaign.items())]
    if write:
        store.write_prepared(prepared)
    lines = [line for p in prepared for line in p.message.splitlines()]
    return Outcome(lines, found.problems, len(prepared), found.unchanged, write)


def _mutation(reports: list[Report], dept: str, directory: Any = None) -> store.Mutation:
    def mutate(campaign: Any) -> str:
        lines = []
        for r in sorted(reports, key=lambda r: sort_key(r.id)):
            said = store.record(r.id, r.status, r.note, dept, r.date, r.period,
                                directory=directory)(campaign)
            lines.append(f"{r.date.isoformat()} {said}".replace("\n", "\\n"))  # one line each
        return "\n".join(lines)

    return mutate


def plan(registry: Registry, sheets: list[ReadSheet], path: Path, dept: str,
         date: dt.date | None, today: dt.date) -> Plan:
    """The reports in the returned sheets, and every problem that refuses the file."""
    notice = notice_of(registry)
    directory = registry.directory
    indexes: dict[dt.date, dict[str, ItemView]] = {}
    reports: dict[str, Report] = {}
    problems: list[Problem] = []
    unchanged = 0
    for sheet in sheets:
        where = sheet.where(path)
        owner = directory.canonical(sheet.name) if sheet.name else None
        if owner is not None and owner != dept and directory.entries[owner].kind == "department":
            continue  # another department's sheet of a ledger made with --by-dept
        if title_notice(sheet.title) != notice:
            problems.append(Problem(where, max(1, sheet.header_row - 1), 1, "error",
                                    f"the title row names {title_notice(sheet.title) or 'no notice'}, "
                                    f"not this registry's {notice or '(none)'}: a ledger of another "
                                    "registry; import it into its own"))
            continue
        missing = [c for c in REQUIRED if c not in sheet.header]
        if missing:
            problems.append(Problem(where, sheet.header_row, 1, "error",
                                    f"the header has no {'、'.join(missing)} column; keep the "
                                    "ledger's columns as exported"))
            continue
        # Items as of the ledger's date: a recurring obligation's row is about the period due then.
        as_of = title_as_of(sheet.title) or today
        if as_of not in indexes:
            indexes[as_of] = {v.id: v for v in all_items(registry, as_of)}
        index = indexes[as_of]
        for row in sheet.rows:
            problem = _problem_at(problems, where, row.number, sheet.header)
            report = _report(row.cells, index, dept, date, today, problem,
                             f"{where}:{row.number}")
            if report is None:
                continue
            if report == "unchanged":
                unchanged += 1
                continue
            view = index[report.id]
            if not holds_share(registry, view, dept):
                problem("编号", f"{report.id}: {dept} holds no share of this item (responsible: "
                                f"{'、'.join(view.departments) or 'none'}); a department reports "
                                "only on its own items, so leave this row as it was")
                continue
            earlier = reports.get(report.id)
            if earlier is not None and earlier[2:6] != report[2:6]:  # status, note, date, period
                problem("编号", f"{report.id}: also at {earlier.where} with another report; "
                                "keep one row per item")
                continue
            reports.setdefault(report.id, report)
    return Plan(list(reports.values()), problems, unchanged)


def _problem_at(problems: list[Problem], where: str, line: int,
                header: dict[str, int]) -> Callable[[str, str], None]:
    """``problem(column, message)`` for one row: a located error, added to ``problems``."""

    def problem(column: str, message: str) -> None:
        problems.append(Problem(where, line, header[column], "error", message))

    return problem


def _report(cells: dict[str, Any], index: dict[str, ItemView], dept: str, date: dt.date | None,
            today: dt.date, problem: Callable[[str, str], None], where: str) -> Any:
    """The row's report, "unchanged", or None (a blank row, or a problem reported)."""
    ident = _text(cells.get("编号"))
    word, note = _text(cells.get("状态")), _text(cells.get("进展情况"))
    if not ident:
        if word or note:
            problem("编号", "a row with 状态 or 进展情况 but no 编号; import keys on 编号, "
                            "keep it as exported")
        return None  # a blank row, or one the department added for itself
    view = index.get(ident)
    if view is None:
        problem("编号", f"unknown id '{ident}': no such item in this registry; keep 编号 as exported")
        return None
    if _text(cells.get("工作措施")) != clean(view.item.text):
        problem("工作措施", f"{ident}: 工作措施 is not the registry's text of this item; the "
                          "notice's wording is not changed by import, restore the cell as exported")
        return None
    status = READ_STATUS.get(word)
    if status is None:
        problem("状态", f"{ident}: unknown 状态 '{word}'; use {'、'.join(STATUS_CN.values())}")
        return None
    row_date = _date(cells.get("报告日期"))
    if row_date == "bad":
        problem("报告日期", f"{ident}: 报告日期 '{_text(cells.get('报告日期'))}' is not a date; "
                          "write it as 2022-06-15 or 2022年6月15日")
        return None
    # The row's 报告日期 dates the report unless it is the one the ledger showed.
    mine, anyone = share_state(view, dept), item_state(view)
    when = date or (row_date if row_date is not None and row_date not in {mine.date, anyone.date}
                    else today)
    if status == "done" and view.recurring:
        period = period_shown(view, cells.get("完成时限"))
        met = {h.period for h in view.item.history if h.by == dept and h.status == "done"}
        if period in met:
            return "unchanged"
        return Report(ident, view.campaign.number, status, note or None, when, period, where)
    if (status, note) in {(mine.status, mine.note), (anyone.status, anyone.note)}:
        return "unchanged"
    return Report(ident, view.campaign.number, status, note or None, when, None, where)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(value)


def _date(value: Any) -> Any:
    """A date cell or text as a date; None when blank; "bad" when it is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    import re

    from ..dates import parse_user_date

    if not re.search(r"\d{4}", str(value)):
        return "bad"  # no year: 6月15日 or 6/15 would be read as a date in 2000
    try:
        return parse_user_date(str(value), "报告日期")
    except UsageError:
        return "bad"
