"""Merging two clones' versions of a campaign file, item by item (the git merge driver).

Departments report their own shares from their own clones, so two versions of a file often
add history to the same item. A line-based merge calls that a conflict; here it is not:

- History entries added on either side are unioned: every entry once, in date order. Among
  entries added on the two sides, the order is fixed by the reporting department and the
  order each side recorded its own, so the result is the same whatever order clones are
  merged in. Corrections (``undoes``) keep pointing at the entry they take back.
- Every other field (a task's departments, an item's text, deadline, …) is merged three
  ways: a change on one side is taken; the same change on both sides is one change; two
  different changes are a true conflict. A conflicting item or task is written as ours,
  between standard conflict markers that show both versions, and the merge fails, so git
  stops for a person to decide.
- Each item's status is derived again from the merged history and its shares.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, NamedTuple

from .errors import Problem, SafetylistError
from .layout import dump_campaign
from .models import Campaign, HistoryEntry, Item, Task

_KEY_FIELDS = ("date", "status", "by", "note", "period", "problem", "kind", "whole")


class Merged(NamedTuple):
    text: str
    conflicts: list[str]  # "item 4.15.2: text", … (empty: a clean merge)


class MergeRefused(SafetylistError):
    """A side cannot be read as a campaign file: left to git's own conflict handling."""

    exit_code = 1


def _node(history: list[HistoryEntry], n: int) -> tuple:
    """An entry's identity, whatever its place: a correction is known by what it takes back."""
    h = history[n]
    ref = None
    if h.undoes is not None and 0 < h.undoes <= len(history) and h.undoes - 1 != n:
        ref = _node(history, h.undoes - 1)
    return tuple(getattr(h, f) for f in _KEY_FIELDS) + (ref,)


def merge_history(base: list[HistoryEntry], ours: list[HistoryEntry],
                  theirs: list[HistoryEntry]) -> list[HistoryEntry]:
    """Every entry of the three, once, in date order (see the module's docstring)."""
    known: dict[tuple, HistoryEntry] = {}
    order: list[tuple] = []
    for n in range(len(base)):
        key = _node(base, n)
        if key not in known:
            known[key] = base[n]
            order.append(key)
    added: dict[tuple, tuple] = {}
    for side in (ours, theirs):
        rank: dict[str, int] = {}
        for n, h in enumerate(side):
            key = _node(side, n)
            if key in known or key in added:
                continue
            who = h.by or ""
            rank[who] = rank.get(who, 0) + 1
            added[key] = (who, rank[who], repr(key))
            known[key] = h
    order += sorted(added, key=lambda k: added[k])
    order.sort(key=lambda k: known[k].date)  # stable: same-day entries keep the order above
    place = {key: n for n, key in enumerate(order)}
    out = []
    for key in order:
        h, ref = known[key], key[-1]
        undoes = place[ref] + 1 if ref is not None and ref in place else None
        out.append(dataclasses.replace(h, undoes=undoes) if h.undoes != undoes else h)
    return out


def _three_way(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """(merged value, conflict?)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def _fields(cls: type, skip: tuple[str, ...]) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name not in skip]


def _merged_fields(kind: str, ident: str, cls: type, skip: tuple[str, ...], base: Any, ours: Any,
                   theirs: Any, conflicts: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Every field of ``cls`` but ``skip``, merged three ways; each clash noted as a conflict."""
    values = {}
    for name in _fields(cls, skip):
        values[name], clash = _three_way(getattr(base, name), getattr(ours, name), getattr(theirs, name))
        if clash:
            conflicts.append((kind, ident, name))
    return values


def _by_id(base: list[Any], ours: list[Any], theirs: list[Any], merge_one: Any) -> list[Any]:
    """Tasks or items matched by id, in ours' order then theirs' additions; one present on
    both sides is merged by ``merge_one(base, ours, theirs)``, one added on a single side is
    kept, and one a side removed (the other left as it was) stays out."""
    base_of = {x.id: x for x in base}
    our_of, their_of = {x.id: x for x in ours}, {x.id: x for x in theirs}
    ids = [x.id for x in ours] + [x.id for x in theirs if x.id not in our_of]
    out = []
    for ident in ids:
        o, t, b = our_of.get(ident), their_of.get(ident), base_of.get(ident)
        if o is None or t is None:
            one = o if o is not None else t
            if one is not None and (b is None or one != b):
                out.append(one)
            continue
        out.append(merge_one(b or o, o, t))
    return out


def merge_campaigns(base: Campaign, ours: Campaign, theirs: Campaign,
                    holders_of: Any) -> tuple[Campaign, list[tuple[str, str, str]]]:
    """The merged campaign (ours where a conflict is), and each conflict as (kind, id, field)."""
    from .shares import item_status

    conflicts: list[tuple[str, str, str]] = []
    values = _merged_fields("campaign", ours.id, Campaign, ("tasks",), base, ours, theirs, conflicts)

    def merge_item(b: Item, o: Item, t: Item) -> Item:
        fields = _merged_fields("item", o.id, Item, ("id", "history", "status"), b, o, t, conflicts)
        return Item(id=o.id, status=o.status, history=merge_history(b.history, o.history, t.history),
                    **fields)

    def merge_task(b: Task, o: Task, t: Task) -> Task:
        fields = _merged_fields("task", o.id, Task, ("items", "id"), b, o, t, conflicts)
        task = Task(id=o.id, items=_by_id(b.items, o.items, t.items, merge_item), **fields)
        for item in task.items:  # the status follows from the merged history and the shares
            item.status = item_status(item, holders_of(task, item))  # type: ignore[assignment]
        return task

    tasks = _by_id(base.tasks, ours.tasks, theirs.tasks, merge_task)
    return Campaign(tasks=tasks, **values), conflicts


def _block(text: str, start_line: str, ends: tuple[str, ...]) -> tuple[int, int] | None:
    lines = text.split("\n")
    try:
        first = lines.index(start_line)
    except ValueError:
        return None
    last = first + 1
    while last < len(lines) and not lines[last].startswith(ends) and lines[last] != "":
        last += 1
    return first, last


def _marked(merged: str, ours: str, theirs: str, conflicts: list[tuple[str, str, str]]) -> str:
    """Standard conflict markers around each conflicting item (or task header), both versions."""
    from .yamlio import scalar

    for kind, ident in sorted({(c[0], c[1]) for c in conflicts}, key=lambda c: (c[0] != "item", c[1])):
        if kind == "item":
            start, ends = f"  - id: {scalar(ident)}", ("  - id: ", "- id: ")
        elif kind == "task":
            start, ends = f"- id: {scalar(ident)}", ("  items:", "- id: ")
        else:
            continue
        spans = [_block(x, start, ends) for x in (merged, ours, theirs)]
        if any(s is None for s in spans):
            continue
        m_lines = merged.split("\n")
        o_lines, t_lines = ours.split("\n"), theirs.split("\n")
        (mf, ml), (of, ol), (tf, tl) = spans  # type: ignore[misc]
        block = (["<<<<<<< ours"] + o_lines[of:ol] + ["======="] + t_lines[tf:tl]
                 + [">>>>>>> theirs"])
        merged = "\n".join(m_lines[:mf] + block + m_lines[ml:])
    return merged


def merge_files(base_text: str, ours_text: str, theirs_text: str, path: Path,
                directory: Any) -> Merged:
    """Merge three versions of one campaign file; raise ``MergeRefused`` if one cannot be read."""
    from .shares import expand
    from .validate import parse_campaign

    sides = []
    for label, text in (("base", base_text), ("ours", ours_text), ("theirs", theirs_text)):
        campaign, problems = parse_campaign(path, text, directory)
        errors = [p for p in problems if p.level == "error"]
        if campaign is None:
            raise MergeRefused(f"{path}: the {label} version cannot be merged item by item",
                               errors or [Problem(str(path), 1, 1, "error", "not a campaign file", "schema")])
        sides.append(campaign)

    def holders_of(task: Task, item: Item) -> list[str]:
        assigned = item.departments if item.departments is not None else task.departments
        return expand(directory, [a.name for a in assigned])

    merged, conflicts = merge_campaigns(sides[0], sides[1], sides[2], holders_of)
    text = dump_campaign(merged)
    if conflicts:
        text = _marked(text, dump_campaign(sides[1]), dump_campaign(sides[2]), conflicts)
    return Merged(text, [f"{kind} {ident}: {field}" for kind, ident, field in conflicts])
