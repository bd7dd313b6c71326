"""Merging two clones' versions of a campaign file, item by item (the git merge driver).

Departments report their own shares from their own clones, so two versions of a file often
add history to the same item. A line-based merge calls that a conflict; here it is not:

- History entries of either side are unioned: every entry once, in date order, each side's
  own order kept (a department's two reports of one day stay in the order it made them).
  Where the sides' entries of a day interleave freely, the one of the earlier department
  (by name) comes first: the result is the same bytes whatever order clones are merged in
  (when no entry was recorded twice, alike, in two clones: such an entry is kept once, but
  its place among the day's other entries may then depend on the order). Corrections
  (``undoes``) keep naming the entry they take back. An entry of the common version that
  one side no longer holds (a note corrected by hand) stays out.
- Every other field (the campaign's title, a task's departments, an item's text, deadline,
  …) is merged three ways: a change on one side is taken; the same change on both sides is
  one change; two different changes are a true conflict, and so is a task or item removed
  on one side and changed on the other, or added on both differently. The file is then
  written with both versions of the lines that differ between git's conflict markers, the
  rest merged, and the merge fails, so git stops for a person to decide.
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
    conflicts: list[str]  # "item 4.15.2: text changed differently on both sides", … (none: clean)


class MergeRefused(SafetylistError):
    """A side cannot be read as a campaign file: it is merged line by line, as git would."""

    exit_code = 1


def _repeats(keys: list[Any]) -> list[tuple[Any, int]]:
    """Each key with how many equal keys come before it: (key, 0), (key, 1), …"""
    seen: dict[Any, int] = {}
    out = []
    for key in keys:
        out.append((key, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return out


def _identities(history: list[HistoryEntry]) -> list[tuple]:
    """Each entry's identity, whatever its place: its fields; for a correction, the entry it
    takes back; and which repeat it is of an entry identical in all of these (a department
    may record the same note twice on a day, with another between). A history is then a set
    of identities, and two sides' copies of one entry are one."""
    fields = [tuple(getattr(h, f) for f in _KEY_FIELDS) for h in history]
    named = _repeats(fields)  # how a correction names the entry it takes back
    keys = []
    for n, h in enumerate(history):
        ref = None
        if h.undoes is not None and 0 < h.undoes <= len(history) and h.undoes - 1 != n:
            ref = named[h.undoes - 1]
        keys.append((fields[n], ref))
    return [(f, ref, repeat) for (f, ref), repeat in _repeats(keys)]


def _interleave(ours: list[tuple], theirs: list[tuple], rank: Any) -> list[tuple]:
    """One sequence holding the identities of both, each once, in the order of each: at every
    step, of the entries that may come next (one both sides hold, when it is next on both),
    the one of least ``rank``. This is the least interleaving by ``rank``, so merging A with
    B and the result with C gives what merging B with C and the result with A gives (when
    the entries they share are their common ancestor's): the same bytes whatever order
    clones are merged in. Where the two disagree on the order of entries they both hold (a
    hand edit), the least next entry on either side comes next."""
    in_ours, in_theirs = set(ours), set(theirs)
    out: list[tuple] = []
    done: set[tuple] = set()
    a = b = 0
    while True:
        while a < len(ours) and ours[a] in done:
            a += 1
        while b < len(theirs) and theirs[b] in done:
            b += 1
        head_o = ours[a] if a < len(ours) else None
        head_t = theirs[b] if b < len(theirs) else None
        heads = [x for x in (head_o, head_t) if x is not None]
        if not heads:
            return out
        ready = [x for x, other, there in ((head_o, head_t, in_theirs), (head_t, head_o, in_ours))
                 if x is not None and (x == other or x not in there)]
        pick = min(ready or heads, key=rank)
        out.append(pick)
        done.add(pick)


def merge_history(base: list[HistoryEntry], ours: list[HistoryEntry],
                  theirs: list[HistoryEntry]) -> list[HistoryEntry]:
    """Every entry of either side once, in date order (see the module's docstring). An entry
    of the base that one side no longer holds (a note corrected by hand) stays out."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    ids_o, ids_t = _identities(ours), _identities(theirs)
    dropped = set(_identities(base)) - (set(ids_o) & set(ids_t))
    entry = dict(zip(ids_t, theirs)) | dict(zip(ids_o, ours))

    def rank(ident: tuple) -> tuple:
        h = entry[ident]
        return (h.date, h.by or "", repr(ident))

    order = _interleave([i for i in ids_o if i not in dropped],
                        [i for i in ids_t if i not in dropped], rank)
    # Corrections name what they take back by place: numbered again for the merged history.
    place = {named: n for n, named in enumerate(_repeats([ident[0] for ident in order]))}
    out = []
    for ident in order:
        h, ref = entry[ident], ident[1]
        undoes = place[ref] + 1 if ref is not None and ref in place else None
        out.append(dataclasses.replace(h, undoes=undoes) if h.undoes != undoes else h)
    return out


_NO_BASE = object()  # a task or item both sides added: no common version to compare with


def _three_way(base: Any, ours: Any, theirs: Any, prefer: int) -> tuple[Any, bool]:
    """(merged value, conflict?): on a conflict, ours (``prefer`` 0) or theirs (1)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return (ours, theirs)[prefer], True


class _Merge:
    """One merge of three versions of a campaign, each true conflict noted; where one is,
    the value of side ``prefer`` (0 ours, 1 theirs) is taken."""

    def __init__(self, holders_of: Any, prefer: int) -> None:
        self.holders_of, self.prefer = holders_of, prefer
        self.conflicts: list[str] = []

    def fields(self, what: str, cls: type, skip: tuple[str, ...], base: Any, ours: Any,
               theirs: Any) -> dict[str, Any]:
        """Every field of ``cls`` but ``skip``, merged three ways."""
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in skip:
                continue
            b = getattr(ours, f.name) if base is _NO_BASE else getattr(base, f.name)
            if base is _NO_BASE and getattr(ours, f.name) != getattr(theirs, f.name):
                b = _NO_BASE  # added on both sides, differently: neither is the change
            values[f.name], clash = _three_way(b, getattr(ours, f.name), getattr(theirs, f.name),
                                               self.prefer)
            if clash:
                self.conflicts.append(f"{what}: {f.name} changed differently on both sides")
        return values

    def by_id(self, kind: str, base: list[Any], ours: list[Any], theirs: list[Any],
              merge_one: Any) -> list[Any]:
        """Tasks, items or removals matched by id, in ours' order then theirs' additions; one
        present on both sides is merged by ``merge_one(base, ours, theirs)``, one added on a
        single side is kept, one a side removed (the other left as it was) stays out, and one
        removed on a side but changed on the other is a conflict."""
        base_of = {x.id: x for x in base}
        our_of, their_of = {x.id: x for x in ours}, {x.id: x for x in theirs}
        ids = [x.id for x in ours] + [x.id for x in theirs if x.id not in our_of]
        out = []
        for ident in ids:
            o, t, b = our_of.get(ident), their_of.get(ident), base_of.get(ident, _NO_BASE)
            if o is not None and t is not None:
                out.append(merge_one(b, o, t))
                continue
            one = o if o is not None else t
            if b is _NO_BASE:
                out.append(one)  # added on one side
            elif one != b:  # removed on one side, changed on the other
                self.conflicts.append(f"{kind} {ident}: removed on one side, changed on the other")
                if (o, t)[self.prefer] is not None:
                    out.append(one)
        return out

    def history(self, base: Any, ours: Item, theirs: Item) -> list[HistoryEntry]:
        return merge_history([] if base is _NO_BASE else base.history, ours.history, theirs.history)

    def item(self, base: Any, ours: Item, theirs: Item) -> Item:
        fields = self.fields(f"item {ours.id}", Item, ("id", "history", "status"), base, ours, theirs)
        return Item(id=ours.id, status=ours.status, history=self.history(base, ours, theirs),
                    **fields)

    def task(self, base: Any, ours: Task, theirs: Task) -> Task:
        from .shares import item_status

        fields = self.fields(f"task {ours.id}", Task, ("items", "id"), base, ours, theirs)
        items = self.by_id("item", [] if base is _NO_BASE else base.items, ours.items,
                           theirs.items, self.item)
        task = Task(id=ours.id, items=items, **fields)
        for item in task.items:  # the status follows from the merged history and the shares
            item.status = item_status(item, self.holders_of(task, item))  # type: ignore[assignment]
        return task

    def removal(self, base: Any, ours: Any, theirs: Any) -> Any:
        merged, clash = _three_way(None if base is _NO_BASE else base, ours, theirs, self.prefer)
        if clash:
            self.conflicts.append(f"removed item {ours.id}: reason changed differently on both sides")
        return merged

    def campaign(self, base: Campaign, ours: Campaign, theirs: Campaign) -> Campaign:
        values = self.fields(f"campaign {ours.number}", Campaign, ("tasks", "removed"), base,
                             ours, theirs)
        removed = self.by_id("removed item", base.removed, ours.removed, theirs.removed,
                             self.removal)
        tasks = self.by_id("task", base.tasks, ours.tasks, theirs.tasks, self.task)
        return Campaign(tasks=tasks, removed=removed, **values)


def merge_campaigns(base: Campaign, ours: Campaign, theirs: Campaign, holders_of: Any,
                    prefer: int = 0) -> tuple[Campaign, list[str]]:
    """The merged campaign (where a conflict is, side ``prefer``'s value: 0 ours, 1 theirs),
    and each conflict, described ("item 4.15.2: text changed differently on both sides")."""
    merge = _Merge(holders_of, prefer)
    return merge.campaign(base, ours, theirs), merge.conflicts


def _blocks(text: str) -> list[str]:
    """The file's lines grouped as the layout writes them: the campaign's own fields, then
    each task's fields, each item (a block starts at a ``- id:`` line)."""
    blocks: list[str] = []
    for line in text.splitlines(keepends=True):
        if not blocks or line.startswith(("- id: ", "  - id: ")):
            blocks.append("")
        blocks[-1] += line
    return blocks


def with_markers(ours: str, theirs: str, size: int = 7) -> str:
    """One text of two: their common lines once, and each run of lines where they differ
    between git's conflict markers (``<<<<<<< ours``, ``=======``, ``>>>>>>> theirs``, of
    ``size`` characters): the smallest blocks that hold the conflicts."""
    from difflib import SequenceMatcher

    out: list[str] = []
    a_blocks, b_blocks = _blocks(ours), _blocks(theirs)
    blocks = SequenceMatcher(None, a_blocks, b_blocks, autojunk=False)
    for op, a1, a2, b1, b2 in blocks.get_opcodes():
        if op == "equal":
            out += a_blocks[a1:a2]
            continue
        a = "".join(a_blocks[a1:a2]).splitlines(keepends=True)
        b = "".join(b_blocks[b1:b2]).splitlines(keepends=True)
        for lop, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if lop == "equal":
                out += a[i1:i2]
            else:
                out += ["<" * size + " ours\n", *a[i1:i2], "=" * size + "\n", *b[j1:j2],
                        ">" * size + " theirs\n"]
    return "".join(out)


def merge_files(base_text: str, ours_text: str, theirs_text: str, path: Path,
                directory: Any, marker_size: int = 7) -> Merged:
    """Merge three versions of one campaign file; raise ``MergeRefused`` if one cannot be
    read. Where the sides conflict, the text holds both versions between conflict markers."""
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
        # The same merge with theirs where the conflicts are: every other line is the same.
        other, _ = merge_campaigns(sides[0], sides[1], sides[2], holders_of, prefer=1)
        text = with_markers(text, dump_campaign(other), marker_size)
    return Merged(text, conflicts)
