"""Taking back a mistaken entry: ``safetylist undo ID``.

Nothing is deleted from history. An undo adds a correction (``kind: correction``) that names
the entry it takes back (``undoes: N``, its position in the item's chronology, from 1;
writes renumber it when an entry is inserted before). The entry taken back no longer counts
anywhere, as of any date (``status.in_force``): the item's status is what the other entries
say, a period it met is open again, and a past month's summary made again no longer shows it.
``log`` and ``show`` mark both entries.

Undo takes back the latest entry in the chronology still in force: corrections themselves
and entries already taken back are passed over, so a second undo takes back the entry
before. Entries of ``assign`` / ``unassign`` are refused: those commands undo each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from .errors import UsageError, WriteRefused
from .ids import task_of
from .models import Campaign, HistoryEntry, Item, Task
from .status import taken_back


class Undo(NamedTuple):
    """What an undo of one item takes back."""

    item_id: str
    position: int  # of the entry taken back, from 1
    entry: HistoryEntry
    restores: str  # the status the item returns to

    def describe(self) -> str:
        h = self.entry
        parts = [f"{self.item_id} entry {self.position}: {h.date.isoformat()} "
                 f"{h.status or h.kind or 'note'}"]
        if h.period:
            parts.append(f" for {h.period}")
        if h.by:
            parts.append(f" ({h.by})")
        if h.note:
            parts.append(f": {h.note}")
        parts.append(f"; the status returns to {self.restores}")
        return "".join(parts)


def latest_in_force(item: Item, by: str | None = None) -> int | None:
    """The index (from 0) of the item's latest entry that is no correction and not taken back;
    with ``by``, the latest of that department's own (a department takes back its own reports;
    the office, or an undo that names no one, the latest of any)."""
    from .shares import OFFICE

    gone = taken_back(item.history)
    for n in range(len(item.history) - 1, -1, -1):
        h = item.history[n]
        if n not in gone and h.undoes is None and (by in (None, OFFICE) or h.by == by):
            return n
    return None


def status_without(item: Item, index: int, holders: list[str] | None = None) -> str:
    """The item's status from its entries in force, leaving out entry ``index`` (from 0)."""
    from .shares import item_status

    gone = HistoryEntry(date=item.history[index].date, kind="correction", undoes=index + 1)
    return item_status(Item(id=item.id, text=item.text, history=[*item.history, gone]),
                       holders or [])


def _holders(directory: Any, task: Task, item: Item) -> list[str]:
    if directory is None:
        return []
    from .store import holders_of

    return holders_of(directory, task, item)


def plan_item(item: Item, holders: list[str] | None = None, by: str | None = None) -> Undo:
    n = latest_in_force(item, by)
    if n is None:
        what = (f"no entry of {by}'s in force" if by and item.history else
                "no entry in force" if item.history else "no history")
        raise UsageError(f"{item.id} has {what}: nothing to take back")
    entry = item.history[n]
    if entry.kind == "assignment":
        raise UsageError(f"{item.id}'s latest entry records a change of departments ({entry.note}); "
                         "change it back with `safetylist assign` or `safetylist unassign`")
    return Undo(item.id, n + 1, entry, status_without(item, n, holders))


def plan(task: Task, item: Item | None, directory: Any = None, by: str | None = None) -> list[Undo]:
    """What undo of an item, or of a task (every item's latest entry, when all of them are
    the same report, as one update of the task records it), takes back."""
    if item is not None:
        return [plan_item(item, _holders(directory, task, item), by)]
    if not task.items:
        raise UsageError(f"task {task.id} has no items (its text is lost in the notice)")
    latest = [latest_in_force(i, by) for i in task.items]
    if all(n is None for n in latest):
        raise UsageError(f"no item of task {task.id} has an entry in force: nothing to take back")
    entries = [i.history[n] if n is not None else None for i, n in zip(task.items, latest)]
    if any(e != entries[0] for e in entries[1:]):
        raise UsageError(f"the items of task {task.id} have different latest entries; take them "
                         f"back one by one ({', '.join(i.id for i in task.items)})")
    return [plan_item(i, _holders(directory, task, i), by) for i in task.items]


def mutation(ident: str, expected: list[Undo], date: dt.date, by: str | None,
             note: str | None, directory: Any = None) -> Callable[[Campaign], str]:
    """The change for ``store.apply``: re-plans on the file as re-read under the lock and
    refuses if another write came between (what was shown is what is taken back)."""

    def mutate(campaign: Campaign) -> str:
        task = next(t for t in campaign.tasks if t.id == task_of(ident))
        item = next((i for i in task.items if i.id == ident), None)
        plans = plan(task, item, directory, by)
        if plans != expected:
            raise WriteRefused(f"{ident} changed since it was shown; nothing was taken back; "
                               "run undo again")
        by_id = {i.id: i for i in task.items}
        from .store import add_entry

        for p in plans:
            target = by_id[p.item_id]
            # Dated no earlier than the entry it takes back, so it follows it in the chronology.
            add_entry(target, HistoryEntry(date=max(date, p.entry.date), by=by, note=note,
                                           kind="correction", undoes=p.position),
                      _holders(directory, task, target))
        who = f" ({by})" if by else ""
        return f"{ident} undo{who}: took back " + "; ".join(p.describe() for p in plans) + (
            f" ({note})" if note else "")

    return mutate
