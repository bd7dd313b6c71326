"""Shared work: each responsible body owes, and reports, its own share of an item.

An item's responsible parties expand to shares: each named department, and each member of
an assigned group (its named members and each county's department of the group's kind); a
group with no known members is a single share, held by the group's name. 市、县应急管理局
is 14 shares: the city bureau's and each county bureau's.

A history entry applies to the share of the department it names (``by``). An entry of the
office's decision for the whole item (``whole: true``, 验收/销号 by 市政府安委办) applies to
every share, and so does an entry that names no department (a report made before shares,
for the item as a whole).

A share's status on day D is that of its latest-dated applying entry (``status.status_on``
over those entries). The item's status follows from its shares': done when every share is
done; blocked when any share is blocked (a blocked share needs the office's attention, even
while others progress); in progress when any share has progress (in progress or done);
else not started. An item with no responsible party has no shares: every entry applies to
the item as a whole.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain
from typing import Any
from collections.abc import Iterable, Sequence

OFFICE = "市政府安委办"  # the one body that may decide for a whole item (--all)


def expand(directory: Any, names: Iterable[str]) -> list[str]:
    """The share holders of assignments named ``names``, in order, each once.

    A registry names a few hundred distinct lists of departments over thousands of items:
    each list's expansion is computed once and remembered on the directory (a copy is
    returned, so a caller may change it)."""
    key = tuple(names)
    if directory is None:
        return list(dict.fromkeys(key))
    known: dict[tuple[str, ...], list[str]] = directory.__dict__.setdefault("_expanded", {})
    found = known.get(key)
    if found is None:
        found = known[key] = _expand(directory, key)
    return list(found)


def _expand(directory: Any, names: tuple[str, ...]) -> list[str]:
    groups = directory.members
    parts = [_in_order(directory, name, groups[name]) if groups.get(name) else (name,)
             for name in names]
    return list(dict.fromkeys(chain.from_iterable(parts)))  # in order, each once


def _in_order(directory: Any, group: str, members: Any) -> list[str]:
    """A group's members as the departments file lists them: the named ones, then each
    county's in the counties' order (the city bureau before 离石区's, …). Remembered on the
    directory itself (never by its id(), which a later directory may reuse)."""
    order: dict[str, list[str]] = directory.__dict__.setdefault("_share_order", {})
    found = order.get(group)
    if found is None:
        found = order[group] = [n for n in directory.entries if n in members]
    return found


def applies(entry: Any, holder: str) -> bool:
    return entry.by is None or entry.by == holder or bool(getattr(entry, "whole", False))


def share_status(item: Any, holder: str, day: dt.date | None = None) -> str:
    from .status import status_on

    return status_on(item, day, only=holder)


def combine(statuses: Sequence[str]) -> str:
    """The item's status from its shares' (see the module's docstring)."""
    if not statuses:
        return "not_started"
    if all(s == "done" for s in statuses):
        return "done"
    if any(s == "blocked" for s in statuses):
        return "blocked"
    if any(s in ("in_progress", "done") for s in statuses):
        return "in_progress"
    return "not_started"


def status_of(item: Any, holder: str, day: dt.date | None = None) -> str:
    """One holder's share status on ``day``: ``statuses(item, [holder], day)[holder]``, in
    one pass (a department's listing asks it of every item it holds)."""
    from .status import in_force

    history = item.history
    if not history:
        return "not_started"
    latest: dt.date | None = None
    found, progress = None, False
    for h in in_force(history):
        if day is not None and h.date > day:
            continue
        by = h.by
        if by is not None and by != holder and not getattr(h, "whole", False):
            continue
        if h.period is not None:  # a period met: progress on a recurring item
            progress = True
        elif h.status is not None and (latest is None or h.date >= latest):
            latest, found = h.date, h.status  # the latest; on one day, the later recorded
    if found is not None:
        return found
    return "in_progress" if progress else "not_started"


def statuses(item: Any, holders: Sequence[str], day: dt.date | None = None) -> dict[str, str]:
    """Each holder's share status on ``day``, in one pass over the history: the same as
    ``status.status_on(item, day, only=holder)`` for each, without a pass per share."""
    from .status import in_force

    if not item.history:
        return dict.fromkeys(holders, "not_started")
    common: tuple | None = None  # the latest entry that applies to every share: (date, n, status)
    own: dict[str, tuple] = {}
    progress_all, progress = False, set()
    for n, h in enumerate(in_force(item.history)):
        if day is not None and h.date > day:
            continue
        everyone = h.by is None or bool(getattr(h, "whole", False))
        if h.period is not None:  # a period met: progress on a recurring item
            if everyone:
                progress_all = True
            else:
                progress.add(h.by)
            continue
        if h.status is None:
            continue
        key = (h.date, n, h.status)
        if everyone:
            common = key if common is None or key > common else common
        elif h.by not in own or key > own[h.by]:
            own[h.by] = key
    out = {}
    for holder in holders:
        found = max((k for k in (common, own.get(holder)) if k is not None), default=None)
        if found is not None:
            out[holder] = found[2]
        else:
            out[holder] = "in_progress" if progress_all or holder in progress else "not_started"
    return out


def item_status(item: Any, holders: Sequence[str], day: dt.date | None = None) -> str:
    from .status import status_on

    if not holders:
        return status_on(item, day)
    if not item.history:
        return "not_started"
    return combine(list(statuses(item, holders, day).values()))


def holder_problem(holders: Sequence[str], by: str | None, item_id: str) -> str | None:
    """Why ``by`` may not report a share of the item, or None when it may."""
    if by is not None and by in holders:
        return None
    if not holders:
        return (f"{item_id} names no responsible department, so no one holds a share of it; "
                f"assign it first (`safetylist assign`), or let {OFFICE} decide with --all")
    shown = "、".join(holders[:6]) + (f" and {len(holders) - 6} more" if len(holders) > 6 else "")
    if by is None:
        return f"{item_id}: say who reports with --by (the share holders: {shown})"
    return f"{item_id}: {by} holds no share of this item; its shares are held by {shown}"
