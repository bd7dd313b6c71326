"""Ids in their place: every task and item id is the one its campaign and position give it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..ids import child, last_number
from ..manifest import gone_message
from ..models import Item, Task
from .base import ERROR, WARNING, CampaignCheck, Loc, rule

TASK_ID = re.compile(r"^(\d+)\.(\d+)$")

Found = Iterator[tuple[Loc, str]]


@rule("task-id", ERROR, "campaign")
def task_id(file: CampaignCheck) -> Found:
    """A task's id is `<campaign number>.<task number>`.

    Why: ids are how clerks, reports and `git log` name a task; the task number is the row
    number the notice prints.

    Fails:

    ```yaml
    number: 4
    tasks:
    - id: "5.1"
    ```

    Fix: `- id: "4.1"` (quoted: YAML would read 4.10 as the number 4.1).
    """
    n = file.campaign.number
    for tloc, task in file.tasks:
        m = TASK_ID.match(task.id)
        if not m or int(m.group(1)) != n:
            yield tloc + ("id",), f"task id '{task.id}' must be '{n}.<task number>'"


@rule("task-order", WARNING, "campaign")
def task_order(file: CampaignCheck) -> Found:
    """Tasks are in the order of their numbers.

    Why: the file then reads as the notice does, and a task is found where one looks for it.

    Fails: task `"4.3"` before task `"4.2"`.

    Fix: move the task to its place (`safetylist fmt` keeps the order it finds).
    """
    last = 0
    n = file.campaign.number
    for tloc, task in file.tasks:
        m = TASK_ID.match(task.id)
        if m and int(m.group(1)) == n:
            number = int(m.group(2))
            if number <= last:
                yield tloc + ("id",), f"task {task.id} is out of order"
            last = max(last, number)


def _places(task: Task, removed: set[str]) -> Iterator[tuple[int, Item, str | None, list[str]]]:
    """Each item of ``task`` with the id its place gives it, or, where its id skips ahead of its
    place, None and the ids skipped that no removal records."""
    number = 0
    for ii, item in enumerate(task.items):
        number += 1
        while child(task.id, number) in removed:  # a recorded removal leaves its number free
            number += 1
        parent, written = last_number(item.id)
        if parent == task.id and written is not None and written > number:
            gone = [child(task.id, k) for k in range(number, written) if child(task.id, k) not in removed]
            number = written
            yield ii, item, None, gone
        else:
            yield ii, item, child(task.id, number), []


@rule("item-id", ERROR, "campaign")
def item_id(file: CampaignCheck) -> Found:
    """An item's id is its task's id and its position in the task: `4.15.2` is the second
    item of task 4.15.

    Why: the notice numbers items (1), (2), … within their row; a recorded removal keeps its
    number, so the items after it keep theirs.

    Fails:

    ```yaml
    - id: "4.2"
      items:
      - id: 4.1.1
    ```

    Fix: `- id: 4.2.1`.
    """
    for tloc, task in file.tasks:
        for ii, item, want, _ in _places(task, file.removed):
            if want is not None and item.id != want:
                yield (tloc + ("items", ii, "id"),
                       f"item id '{item.id}' does not match its place: expected '{want}'")


@rule("item-gone", ERROR, "campaign")
def item_gone(file: CampaignCheck) -> Found:
    """No item number is skipped within a task, unless the file records its removal.

    Why: an item deleted by hand would disappear from every report without a trace; one
    taken out on purpose is recorded, with the reason, so its number stays taken.

    Fails: task 4.1 holding items `4.1.1` and `4.1.3`, no `removed:` entry for `4.1.2`.

    Fix: restore item 4.1.2 (`git log -p` shows it), or record its removal:
    `removed: [{id: 4.1.2, reason: 与4.1.1重复}]`.
    """
    for tloc, task in file.tasks:
        for ii, _, _, gone in _places(task, file.removed):
            for item in gone:
                yield tloc + ("items", ii, "id"), gone_message(item, task.id)


@rule("duplicate-id", ERROR, "campaign")
def duplicate_id(file: CampaignCheck) -> Found:
    """No two tasks or items of a file have the same id.

    Why: an id names one task or item everywhere: in `show`, `done`, reports and history.

    Fails: two items `- id: 4.1.1` in one task.

    Fix: number the second by its place (`4.1.2`), or remove it if it is a copy.
    """
    seen: set[str] = set()
    for tloc, task in file.tasks:
        if task.id in seen:
            yield tloc + ("id",), f"duplicate id '{task.id}'"
        seen.add(task.id)
        for ii, item in enumerate(task.items):
            if item.id in seen:
                yield tloc + ("items", ii, "id"), f"duplicate id '{item.id}'"
            seen.add(item.id)


RULES = (task_id, task_order, item_id, item_gone, duplicate_id)
