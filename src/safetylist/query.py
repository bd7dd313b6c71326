"""Filters over the registry: due, overdue, unassigned, list; records for output.

Everything here returns values. A department filter shows the work assigned to
the department and to every group it belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import UsageError
from .ids import ItemId, sort_key
from .models import Assignment, Campaign, Item, Task, to_plain
from .registry import Registry
from .shares import combine, expand, status_of
from .shares import statuses as share_statuses
from .status import STATUSES, is_open_status, is_overdue, is_past, status_on, taken_back

KINDS = ("due", "overdue", "unassigned", "list")
DEFAULT_WARN_DAYS = 30


_UNSET: Any = object()


class ItemView:
    """One item with everything resolved: departments, deadline, status.

    ``as_of`` matters for recurring items only: their deadline is that of the
    period due as of that date. (A plain class: one is made per item per run.)
    """

    __slots__ = ("campaign", "task", "item", "as_of", "manifest", "directory", "focus",
                 "recurring", "_period", "_status", "_names", "_holders", "_shares", "_focused",
                 "_deadline")

    def __init__(self, campaign: Campaign, task: Task, item: Item, as_of: dt.date | None = None,
                 manifest: Any = None, directory: Any = None, names: list[str] | None = None,
                 holders: list[str] | None = None):
        self.campaign, self.task, self.item, self.as_of = campaign, task, item, as_of
        self.manifest, self.directory = manifest, directory
        # The shares a listing is about (``--dept``): its open/overdue/period are theirs.
        self.focus: list[str] | None = None
        # A recurring obligation: open while a period of the list is unmet.
        self.recurring = item.recurrence is not None
        self._period = _UNSET
        self._status: str | None = None
        # The departments' names and the share holders, when the caller knows them already
        # (``all_items`` works them out once for all the items of a task that inherit them).
        self._names = names
        self._holders = holders
        self._shares: dict[str, str] | None = None
        self._focused: tuple[list[str] | None, str | None] | None = None  # (focus, its status)
        self._deadline: Any = _UNSET

    @property
    def holders(self) -> list[str]:
        """Who holds a share of the item (``shares``): named departments, groups' members.
        (The list may be shared with the item's siblings: read it, never change it.)"""
        if self._holders is None:
            self._holders = expand(self.directory, self.departments)
        return self._holders

    @property
    def _share_statuses(self) -> dict[str, str]:
        if self._shares is None:
            self._shares = share_statuses(self.item, self.holders, self.as_of)
        return self._shares

    def share_of(self, holder: str) -> str:
        """One share's status as of ``as_of``."""
        if not self.item.history:
            return "not_started"
        found = self._share_statuses.get(holder)
        return found if found is not None else status_on(self.item, self.as_of, only=holder)

    @property
    def shares_done(self) -> int:
        if not self.item.history:
            return 0
        return sum(s == "done" for s in self._share_statuses.values())

    @property
    def share_status(self) -> str | None:
        """The status of the shares in focus (``--dept``), or None without a focus."""
        focus = self.focus
        known = self._focused
        if known is not None and known[0] is focus:  # asked for again and again by listings
            return known[1]
        if not focus:
            found = None
        elif not self.item.history:
            found = "not_started"
        elif len(focus) == 1 and self._shares is None:  # one department's share: most listings
            found = status_of(self.item, focus[0], self.as_of)
        else:
            # Only the shares in focus: a department's view never needs the other 13.
            own = share_statuses(self.item, focus, self.as_of) if self._shares is None else self._shares
            found = combine([own[h] if h in own else self.share_of(h) for h in focus])
        self._focused = (focus, found)
        return found

    @property
    def _period_holders(self) -> list[str] | None:
        return self.focus or self.holders or None

    @property
    def bounds(self) -> tuple[dt.date, dt.date | None]:
        from .recurrence import bounds

        return bounds(self.campaign, self.manifest)

    @property
    def period(self) -> Any:
        """The recurring item's period in force (missed or next), or None."""
        if not self.recurring or self.as_of is None:
            return None
        if self._period is _UNSET:
            from .recurrence import due_period

            start, end = self.bounds
            self._period = due_period(self.item, start, self.as_of, end, self._period_holders)
        return self._period

    @property
    def period_met(self) -> str | None:
        """A recurring item's latest period met as of ``as_of``."""
        if not self.recurring or self.as_of is None:
            return None
        from .recurrence import last_met

        start, end = self.bounds
        found = last_met(self.item, start, self.as_of, end, self._period_holders)
        return found.label if found is not None else None

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def sort_key(self) -> tuple[int, ...]:
        return sort_key(self.item.id)

    @property
    def assignments(self) -> list[Assignment]:
        return self.item.departments if self.item.departments is not None else self.task.departments

    @property
    def departments(self) -> list[str]:
        """The responsible departments' names (read it, never change it)."""
        if self._names is None:
            self._names = [a.name for a in self.assignments]
        return self._names

    @property
    def departments_inferred(self) -> bool:
        """The task's departments, read from a merged cell, are still to be confirmed."""
        return self.item.departments is None and self.task.departments_inferred

    @property
    def deadline(self) -> dt.date | None:
        found = self._deadline
        if found is _UNSET:  # asked for by every filter, the sort and each column
            if self.recurring:
                found = self.period.due if self.period is not None else None
            else:
                d = self.item.deadline or self.task.deadline
                found = d.date if d else self.campaign.default_deadline
            self._deadline = found
        return found

    @property
    def deadline_text(self) -> str | None:
        if self.recurring:
            return self.item.recurrence_text
        d = self.item.deadline or self.task.deadline
        return d.text if d else None

    @property
    def deadline_explicit(self) -> bool:
        return self.recurring or (self.item.deadline or self.task.deadline) is not None

    @property
    def deadline_ambiguous(self) -> bool:
        d = None if self.recurring else (self.item.deadline or self.task.deadline)
        return bool(d and d.ambiguous)

    @property
    def status(self) -> str:
        """The item's status as of ``as_of`` (without one, after every entry), from its
        shares' (``shares.item_status``)."""
        if self._status is None:
            if not self.item.history:
                self._status = "not_started"
            elif not self.holders:
                self._status = status_on(self.item, self.as_of)
            else:
                self._status = combine(list(self._share_statuses.values()))
        return self._status

    @property
    def is_open(self) -> bool:
        # A recurring obligation stays open while a period of the list is unmet; with a focus
        # (--dept), the item is open while the department's own share is.
        if self.recurring:
            return self.as_of is None or self.period is not None
        if not self.item.history:  # never reported: not started, every share of it
            return True
        return is_open_status(self.share_status or self.status)

    def days_left(self, as_of: dt.date) -> int | None:
        return None if self.deadline is None else (self.deadline - as_of).days

    def overdue(self, as_of: dt.date) -> bool:
        if self.recurring:  # open while a period is unmet, the deadline that period's
            return self.is_open and is_past(self.deadline, as_of)
        if not is_past(self.deadline, as_of):  # the cheap half first: most items are not due yet
            return False
        return is_overdue(self.share_status or self.status, self.deadline, as_of)

    @property
    def status_text(self) -> str:
        """The status as a person reads it: a recurring item names its latest period met."""
        met = self.period_met
        if met is None or self.status != "in_progress" or any(
                h.period is None and h.status is not None for h in self.item.history):
            return self.status
        return f"done for {met}"

    def light(self, as_of: dt.date, warn: int = DEFAULT_WARN_DAYS) -> str:
        """Traffic light: done, red (overdue), yellow (within ``warn`` days), green."""
        if not self.is_open:
            return "done"
        left = self.days_left(as_of)
        if left is None:
            return "green"
        if left < 0:
            return "red"
        return "yellow" if left <= warn else "green"

    def record(self, as_of: dt.date) -> dict[str, Any]:
        """The item as one JSON record: the documented, stable contract."""
        _, task_no, item_no = sort_key(self.item.id)
        return {
            "id": self.item.id,
            "campaign": self.campaign.number,
            "campaign_id": self.campaign.id,
            "campaign_title": self.campaign.title,
            "task": task_no,
            "item": item_no,
            "text": self.item.text,
            "departments": self.departments,
            "roles": [{"name": a.name, "role": a.role} for a in self.assignments],
            "departments_inferred": self.departments_inferred,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "deadline_explicit": self.deadline_explicit,
            "deadline_ambiguous": self.deadline_ambiguous,
            "status": self.status,
            "overdue": self.overdue(as_of),
            "days_left": self.days_left(as_of),
            "recurrence": self.item.recurrence,
            "period": self.period.label if self.period is not None else None,
            "period_met": self.period_met,
            "shares_total": len(self.holders),
            "shares_done": self.shares_done,
            "share_status": self.share_status,
        }


RECORD_FIELDS = ["id", "campaign", "campaign_id", "campaign_title", "task", "item", "text",
                 "departments", "departments_inferred", "deadline", "deadline_text",
                 "deadline_explicit", "deadline_ambiguous", "status", "overdue", "days_left",
                 "recurrence", "period", "period_met", "shares_total", "shares_done", "share_status"]


def all_items(registry: Registry, as_of: dt.date | None = None,
              names: frozenset[str] | None = None) -> list[ItemView]:
    """Every item as a view, in id order; with ``names``, only the items assigned to one of
    them."""
    m, d = registry.manifest, registry.directory
    out = []
    for c in registry.campaigns:  # in number order; items are in their task's order (item-id)
        for t in _in_id_order(c.tasks):
            # The task's departments, and their shares, once for all the items that inherit them.
            task_names = [a.name for a in t.departments]
            task_wanted = names is None or not names.isdisjoint(task_names)
            task_holders = expand(d, task_names) if task_wanted else None
            for i in t.items:
                if i.departments is None:
                    if task_wanted:
                        out.append(ItemView(c, t, i, as_of, m, d, task_names, task_holders))
                elif names is None or not names.isdisjoint([a.name for a in i.departments]):
                    out.append(ItemView(c, t, i, as_of, m, d))
    return out


def _in_id_order(tasks: list[Task]) -> list[Task]:
    """A campaign's tasks in id order: as the file has them, unless it is out of order (a
    warning, task-order), so listings need not sort by id."""
    try:  # a file's task ids all start with its campaign's number (task-id): compare the rest
        numbers = [int(t.id.rpartition(".")[2]) for t in tasks]
        if all(a < b for a, b in zip(numbers, numbers[1:])):
            return tasks
        return sorted(tasks, key=lambda t: sort_key(t.id))
    except ValueError:  # an id that is not one (an error, task-id): the file's order
        return tasks


def focus_of(directory: Any, view: ItemView, departments: list[str]) -> list[str]:
    """The item's shares that ``departments`` (canonical names; a group stands for its
    members) hold."""
    return focus_in(view.holders, wanted_shares(directory, departments))


def wanted_shares(directory: Any, departments: list[str]) -> list[set[str]]:
    """For each of ``departments``, the share holders it answers for: itself, and a group's
    members (computed once for a whole listing; ``focus_in`` applies it to one item)."""
    out = []
    for d in departments:
        members = directory.members.get(d)
        out.append(({d} | set(members)) if members else {d})
    return out


def focus_in(holders: list[str], wanted: list[set[str]]) -> list[str]:
    if len(wanted) == 1:
        only = wanted[0]
        return [h for h in holders if h in only]
    out: list[str] = []
    for w in wanted:
        out += [h for h in holders if h in w and h not in out]
    return out


# Resolving what users typed --------------------------------------------------------


def resolve_campaign(registry: Registry, text: str) -> int:
    """A campaign number from a number, a slug, or a part of the title."""
    text = text.strip()
    campaigns = registry.campaigns
    if text.isdigit():
        if any(c.number == int(text) for c in campaigns):
            return int(text)
        raise UsageError(f"no campaign number {text} (campaigns are "
                         f"{', '.join(str(c.number) for c in campaigns)})")
    for c in campaigns:
        if c.id == text:
            return c.number
    # A title that starts with the text wins over one that only contains it:
    # 煤矿 is campaign 4 (煤矿安全…), not also 5 (非煤矿山…).
    for match in (lambda c: c.title.startswith(text), lambda c: text in c.title or text in c.id):
        hits = [c for c in campaigns if text and match(c)]
        if len(hits) == 1:
            return hits[0].number
        if len(hits) > 1:
            names = "; ".join(f"{c.number} {c.title}" for c in hits)
            raise UsageError(f"campaign '{text}' is ambiguous: {names}")
    import difflib  # deferred: only a mistyped campaign needs it

    close = difflib.get_close_matches(text, [c.id for c in campaigns] + [c.title for c in campaigns], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"unknown campaign '{text}'{hint} (`safetylist campaigns` lists them)")


def find(registry: Registry, ident: str) -> tuple[Campaign, Task, Item | None]:
    """The task (``4.15``) or item (``4.15.2``) with this id (also as typed: ４．１５。２)."""
    from .typed import item_id

    try:
        wanted = ItemId.parse(item_id(ident))
    except ValueError:
        wanted = None
    if wanted is None or wanted.level == "campaign":
        raise UsageError(f"'{ident}' is not an id: use <campaign>.<task> (4.15) or "
                         "<campaign>.<task>.<item> (4.15.2)")
    task_id, full_id = str(wanted.task_id), str(wanted)
    for c in registry.campaigns:
        if c.number != wanted.campaign:
            continue
        for t in c.tasks:
            if t.id != task_id:
                continue
            if wanted.item is None:
                return c, t, None
            for i in t.items:
                if i.id == full_id:
                    return c, t, i
            raise UsageError(f"no item {full_id}: task {task_id} has {len(t.items)} item(s)")
        raise UsageError(f"no task {task_id} in campaign {c.number}")
    raise UsageError(f"no campaign {wanted.campaign} for id '{ident}'")


# Filters ---------------------------------------------------------------------------------


@dataclass(repr=False, eq=False)
class Filters:
    as_of: dt.date
    departments: list[str] = field(default_factory=list)  # canonical names
    campaigns: list[int] = field(default_factory=list)
    before: dt.date | None = None
    after: dt.date | None = None
    within: int | None = None
    statuses: list[str] = field(default_factory=list)


def make_filters(registry: Registry, *, as_of: dt.date, depts: Iterable[str] = (),
                 campaigns: Iterable[str] = (), before: dt.date | None = None,
                 after: dt.date | None = None, within: int | None = None,
                 statuses: Iterable[str] = ()) -> Filters:
    from .dates import MAX_DAYS
    from .typed import status

    statuses = [status(s) for s in statuses]
    if within is not None and not 0 <= within <= MAX_DAYS:
        raise UsageError(f"--within takes a number of days from 0 to {MAX_DAYS}")
    return Filters(
        as_of=as_of,
        departments=[registry.directory.resolve(d) for d in depts],
        campaigns=[resolve_campaign(registry, c) for c in campaigns],
        before=before, after=after, within=within, statuses=list(statuses),
    )


def select(registry: Registry, kind: str, f: Filters) -> list[ItemView]:
    """The items a listing command shows, in its order."""
    if f.departments:
        visible: set[str] = set()
        for d in f.departments:
            visible |= registry.directory.visible(d)
        views = all_items(registry, f.as_of, frozenset(visible))
        wanted = wanted_shares(registry.directory, f.departments)
        # Each department sees, and answers for, its own share; the items of a task share
        # one list of holders (``all_items``), so each list's focus is worked out once.
        focus: dict[int, list[str] | None] = {}
        for v in views:
            holders = v.holders
            found = focus.get(id(holders), _UNSET)  # the lists live as long as the views
            if found is _UNSET:
                found = focus[id(holders)] = focus_in(holders, wanted) or None
            v.focus = found
    else:
        views = all_items(registry, f.as_of)
    if f.campaigns:
        views = [v for v in views if v.campaign.number in f.campaigns]
    if f.statuses:
        views = [v for v in views if v.status in f.statuses]
    if f.before is not None:
        views = [v for v in views if v.deadline is not None and v.deadline <= f.before]
    if f.after is not None:
        views = [v for v in views if v.deadline is not None and v.deadline >= f.after]
    if f.within is not None:
        limit = f.as_of + dt.timedelta(days=f.within)
        views = [v for v in views if v.deadline is not None and v.deadline <= limit]
    if kind == "due":
        views = [v for v in views if v.is_open]
    elif kind == "overdue":
        views = [v for v in views if v.overdue(f.as_of)]
    elif kind == "unassigned":
        # Departments inferred from a merged cell are listed too, until the office confirms them.
        views = [v for v in views if not v.departments or v.departments_inferred]
    elif kind != "list":
        raise ValueError(kind)
    # ``all_items`` gives id order, which a stable sort keeps among equal deadlines.
    if kind in ("due", "overdue"):
        far = dt.date.max
        return sorted(views, key=lambda v: v.deadline or far)
    return views


# Summaries for campaigns, depts and show --------------------------------------------------


def campaign_rows(registry: Registry, as_of: dt.date) -> list[dict[str, Any]]:
    """Per campaign: items by status, overdue as of ``as_of``, completion rate."""
    rows = []
    views = all_items(registry, as_of)
    for c in registry.campaigns:
        mine = [v for v in views if v.campaign.number == c.number]
        counts = {s: sum(v.status == s for v in mine) for s in STATUSES}
        total = len(mine)
        rows.append({
            "campaign": c.number, "campaign_id": c.id, "title": c.title,
            "tasks": len(c.tasks), "items": total, **counts,
            "overdue": sum(v.overdue(as_of) for v in mine),
            "unassigned": sum(not v.departments for v in mine),
            "completion": round(counts["done"] / total, 4) if total else 0.0,
        })
    return rows


def department_rows(registry: Registry, only: str | None = None,
                    as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Departments and groups: aliases, groups or members, open items own and visible (as of
    ``as_of``; without one, after every entry)."""
    d = registry.directory
    open_views = [v for v in all_items(registry, as_of) if v.is_open]
    own: dict[str, int] = {}
    for v in open_views:
        for name in v.departments:
            own[name] = own.get(name, 0) + 1
    rows = []
    for name, entry in d.entries.items():
        if only is not None and name != only:
            continue
        visible = d.visible(name)
        rows.append({
            "name": name, "kind": entry.kind, "level": entry.level, "county": entry.county,
            "aliases": sorted(a for a, canon in d.aliases.items() if canon == name),
            "groups": d.groups_of(name) if entry.kind == "department" else [],
            "members": sorted(d.members.get(name, ())) if entry.kind == "group" else [],
            "note": entry.note,
            "open_own": own.get(name, 0),
            "open_visible": sum(1 for v in open_views if visible.intersection(v.departments)),
        })
    return rows


def describe(campaign: Campaign, task: Task, item: Item | None, as_of: dt.date,
             manifest: Any = None, directory: Any = None) -> dict[str, Any]:
    """A task or item in full, for ``show``."""
    items = [item] if item is not None else task.items
    return {
        "id": item.id if item is not None else task.id,
        "campaign": campaign.number,
        "campaign_id": campaign.id,
        "campaign_title": campaign.title,
        "task": task.id,
        "departments": [{"name": a.name, "role": a.role} for a in task.departments],
        "departments_text": task.departments_text,
        "departments_inferred": task.departments_inferred,
        "source_note": task.source_note,
        "items": [_described(campaign, task, i, as_of, manifest, directory) for i in items],
        "title": task.title,
        "source": task.source,
    }


class LogEntry(NamedTuple):
    date: dt.date
    id: str
    status: str | None  # None: a note
    by: str | None
    note: str | None
    period: str | None
    order: int  # position in the item's history, to keep same-day entries in order
    problem: bool = False
    kind: str | None = None
    undoes: int | None = None  # the entry (from 1) this one takes back
    taken_back: bool = False  # a later entry takes this one back
    undone: str | None = None  # what the entry taken back said: "2022-06-15 done"
    whole: bool = False  # the office's decision for the whole item (--all): every share

    def record(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "id": self.id, "status": self.status,
                "by": self.by, "note": self.note, "period": self.period,
                "problem": self.problem, "kind": self.kind,
                "entry": self.order + 1, "undoes": self.undoes, "taken_back": self.taken_back,
                "whole": self.whole}


LOG_FIELDS = ["date", "id", "status", "by", "note", "period", "problem", "kind", "entry", "undoes",
              "taken_back", "whole"]


def history(registry: Registry, ident: str | None = None, dept: str | None = None,
            since: dt.date | None = None) -> list[LogEntry]:
    """Recorded history entries, newest first.

    ``ident`` narrows to a campaign (``4``), task (``4.15``) or item (``4.15.2``);
    ``dept`` to work the department sees or entries it reported.
    """
    prefix = ""
    if ident is not None:
        from .typed import item_id

        try:
            wanted = ItemId.parse(item_id(ident))
        except ValueError:
            raise UsageError(f"'{ident}' is not an id: use 4, 4.15 or 4.15.2") from None
        if wanted.level != "campaign":
            find(registry, ident)  # an unknown id is an error, not an empty log
        prefix = str(wanted)
    visible = registry.directory.visible(dept) if dept else frozenset()
    out = []
    for v in all_items(registry):
        if ident is not None and not (v.id == prefix or v.id.startswith(prefix + ".")):
            continue
        sees = bool(visible.intersection(v.departments))
        gone = taken_back(v.item.history)
        for n, h in enumerate(v.item.history):
            if dept is not None and not (sees or h.by == dept):
                continue
            if since is not None and h.date < since:
                continue
            undone = None
            if h.undoes is not None and 0 < h.undoes <= len(v.item.history):
                target = v.item.history[h.undoes - 1]
                undone = f"{target.date.isoformat()} {target.status or target.kind or 'note'}"
            out.append(LogEntry(h.date, v.id, h.status, h.by, h.note, h.period, n, h.problem,
                                h.kind, h.undoes, n in gone, undone, h.whole))
    # Newest first; on one day, in id order, each item's later entries first.
    out.sort(key=lambda e: (sort_key(e.id), -e.order))
    out.sort(key=lambda e: e.date, reverse=True)  # stable: the day's order stays
    return out


def _described(campaign: Campaign, task: Task, item: Item, as_of: dt.date,
               manifest: Any = None, directory: Any = None) -> dict[str, Any]:
    view = ItemView(campaign, task, item, as_of, manifest, directory)
    gone = taken_back(item.history)
    out = {**view.record(as_of), "status_text": view.status_text,
           "history": [{**{k: v for k, v in to_plain(h).items() if v is not None and v is not False},
                        **({"taken_back": True} if n in gone else {})}
                       for n, h in enumerate(item.history)]}
    if item.recurrence is not None:
        from .recurrence import history_rows

        start, end = view.bounds
        out["periods"] = history_rows(item, start, as_of, end, holders=view.holders or None)
    if len(view.holders) > 1:  # each department's share, as of the date
        out["shares"] = [{"department": h, "status": view.share_of(h)} for h in view.holders]
    return out
