"""An item's status on any date, from its history: one definition for every command.

The history is a chronology: entries in date order (same-day entries in the order they were
recorded), so a report filed late and back-dated sits at the date the work was done. An
item's status on day D is that of its latest status entry dated on or before D; with none,
``not_started``. An entry taken back by a correction (``undo``) counts nowhere, as of any
date, and the correction itself reports nothing. Entries without a status are notes (and assignment changes): they never
change the status. Entries that name a ``period`` record a recurring item's periods, not its
status: such an item is ``in_progress`` once a period is met, unless a plain entry says more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done", "blocked")
OPEN_STATUSES = frozenset(STATUSES) - {"done"}


def in_date_order(history: Iterable[Any]) -> list[Any]:
    """Entries by date; a stable sort, so same-day entries keep their recorded order."""
    return sorted(history, key=lambda h: h.date)


def chronology(history: Sequence[Any]) -> list[Any]:
    """The history in date order, each correction's ``undoes`` renumbered to the new places."""
    order = sorted(range(len(history)), key=lambda n: history[n].date)
    if order == list(range(len(history))):
        return list(history)
    import dataclasses

    place = {old: new for new, old in enumerate(order)}
    return [dataclasses.replace(history[n], undoes=place[history[n].undoes - 1] + 1)
            if history[n].undoes is not None and 0 < history[n].undoes <= len(history)
            else history[n] for n in order]


def taken_back(history: Sequence[Any]) -> set[int]:
    """Indexes (from 0) of the entries that a later correction takes back."""
    return {h.undoes - 1 for h in history if getattr(h, "undoes", None) is not None}


def in_force(history: Sequence[Any]) -> list[Any]:
    """The entries that count: a mistake taken back never happened, as of any date, and the
    correction that took it back reports nothing itself."""
    gone = taken_back(history)
    if not gone:
        return list(history)
    return [h for n, h in enumerate(history) if n not in gone and h.undoes is None]


def is_in_date_order(history: Sequence[Any]) -> bool:
    return all(a.date <= b.date for a, b in zip(history, history[1:]))


def insertion_index(history: Sequence[Any], day: dt.date) -> int:
    """Where an entry dated ``day`` goes: after every entry dated on or before it."""
    n = len(history)
    while n and history[n - 1].date > day:
        n -= 1
    return n


def _applies(h: Any, only: str | None) -> bool:
    # One share's entries (``shares``): its holder's, the office's whole-item decisions, and
    # reports that name no department.
    return only is None or h.by is None or h.by == only or bool(getattr(h, "whole", False))


def status_entries(history: Sequence[Any], day: dt.date | None = None,
                   only: str | None = None) -> list[Any]:
    """The entries in force that set the status (a status, no period), dated on or before
    ``day``; with ``only``, those that apply to that holder's share."""
    return [h for h in in_force(history) if h.status is not None and h.period is None
            and (day is None or h.date <= day) and _applies(h, only)]


def status_on(item: Any, day: dt.date | None = None, only: str | None = None) -> str:
    """The item's status on ``day`` (None: after every entry), from all its entries or, with
    ``only``, from those of one share (``shares.item_status`` combines the shares)."""
    history = [h for h in in_force(item.history) if _applies(h, only)]
    if not history:
        return "not_started"
    plain = [h for h in history if h.status is not None and h.period is None
             and (day is None or h.date <= day)]
    if plain:
        return max(enumerate(plain), key=lambda p: (p[1].date, p[0]))[1].status
    if any(h.period is not None and (day is None or h.date <= day) for h in history):
        return "in_progress"
    return "not_started"


def is_open_status(status: str) -> bool:
    """Open: anything but done (not started, in progress, blocked); the one definition."""
    return status in OPEN_STATUSES


def is_past(deadline: dt.date | None, day: dt.date) -> bool:
    """The deadline has passed on ``day``: a deadline is met on the day itself."""
    return deadline is not None and deadline < day


def is_overdue(status: str, deadline: dt.date | None, day: dt.date) -> bool:
    """Open on ``day`` with its deadline passed: the one definition of overdue."""
    return status in OPEN_STATUSES and is_past(deadline, day)


def transitions(item: Any, day: dt.date | None = None,
                only: str | None = None) -> list[tuple[Any, str, str]]:
    """(entry, status before, status after) for each status entry that changed the status
    (of one share, with ``only``), in date order, up to ``day``."""
    if not item.history:  # most items, in a summary asked about every share of every item
        return []
    out = []
    current = "not_started"
    for h in in_date_order(status_entries(item.history, day, only)):
        if h.status != current:
            out.append((h, current, h.status))
            current = h.status
    return out


def done_since(item: Any, day: dt.date, only: str | None = None) -> dt.date | None:
    """The date the item's (or one share's) current run of ``done`` began, if done on ``day``."""
    found = None
    for h, _before, after in transitions(item, day, only):
        found = h.date if after == "done" else None
    return found
