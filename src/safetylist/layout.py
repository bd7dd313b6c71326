"""The canonical layout of a campaign file.

One function turns a ``Campaign`` into text. Keys come in a fixed order, empty
optional keys are left out, every item's text and every history entry sits on
one line, and each task and item carries its full id, so that ``grep -n`` and
``git diff`` show at once what a line belongs to.
"""

from __future__ import annotations

from .models import Assignment, Campaign, Deadline, HistoryEntry, Item, Task
from .status import chronology
from .yamlio import flow_map, scalar


def dump_campaign(campaign: Campaign) -> str:
    out: list[str] = []
    add = out.append
    add(f"id: {scalar(campaign.id)}")
    add(f"number: {campaign.number}")
    add(f"title: {scalar(campaign.title)}")
    add(f"heading: {scalar(campaign.heading)}")
    add(f"declared: {flow_map([('tasks', campaign.declared.tasks), ('items', campaign.declared.items)])}")
    add(f"source: {scalar(campaign.source)}")
    add(f"default_deadline: {scalar(campaign.default_deadline)}")
    if campaign.source_note:
        add(f"source_note: {scalar(campaign.source_note)}")
    if campaign.removed:
        add("removed:")
        for r in campaign.removed:
            add(f"- {flow_map([('id', r.id), ('reason', r.reason)])}")
    if not campaign.tasks:
        add("tasks: []")
    else:
        add("tasks:")
        for task in campaign.tasks:
            _task(task, out)
    return "\n".join(out) + "\n"


def _assignments(key: str, values: list[Assignment], indent: str, out: list[str]) -> None:
    if not values:
        out.append(f"{indent}{key}: []")
        return
    out.append(f"{indent}{key}:")
    for a in values:
        if a.role is None:
            out.append(f"{indent}- {scalar(a.name)}")
        else:
            out.append(f"{indent}- {flow_map([('name', a.name), ('role', a.role)])}")


def _deadline(d: Deadline) -> str:
    pairs: list[tuple[str, object]] = [("date", d.date)]
    if d.text is not None:
        pairs.append(("text", d.text))
    if d.ambiguous:
        pairs.append(("ambiguous", True))
    return flow_map(pairs)


def _task(task: Task, out: list[str]) -> None:
    out.append(f"- id: {scalar(task.id)}")
    if task.title is not None:
        out.append(f"  title: {scalar(task.title)}")
    _assignments("departments", task.departments, "  ", out)
    if task.departments_text is not None:
        out.append(f"  departments_text: {scalar(task.departments_text)}")
    if task.departments_inferred:
        out.append("  departments_inferred: true")
    if task.deadline is not None:
        out.append(f"  deadline: {_deadline(task.deadline)}")
    if task.source is not None:
        out.append(f"  source: {scalar(task.source)}")
    if task.source_note is not None:
        out.append(f"  source_note: {scalar(task.source_note)}")
    if not task.items:
        out.append("  items: []")
        return
    out.append("  items:")
    for item in task.items:
        _item(item, out)


def _history(h: HistoryEntry) -> str:
    pairs: list[tuple[str, object]] = [("date", h.date)]
    for key in ("status", "by", "note", "period", "undoes"):
        value = getattr(h, key)
        if value is not None:
            pairs.append((key, value))
    if h.problem:
        pairs.append(("problem", True))
    if h.kind is not None:
        pairs.append(("kind", h.kind))
    if h.whole:
        pairs.append(("whole", True))
    return flow_map(pairs)


def _item(item: Item, out: list[str]) -> None:
    out.append(f"  - id: {scalar(item.id)}")
    out.append(f"    text: {scalar(item.text)}")
    out.append(f"    status: {item.status}")
    if item.deadline is not None:
        out.append(f"    deadline: {_deadline(item.deadline)}")
    if item.departments is not None:
        _assignments("departments", item.departments, "    ", out)
    if item.recurrence is not None:
        out.append(f"    recurrence: {scalar(item.recurrence)}")
    if item.recurrence_text is not None:
        out.append(f"    recurrence_text: {scalar(item.recurrence_text)}")
    if item.history:
        out.append("    history:")
        for h in chronology(item.history):  # a back-dated report at its date
            out.append(f"    - {_history(h)}")
