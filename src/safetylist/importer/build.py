"""Tasks as read (``Unit``) to campaigns: ids, departments, deadlines, items, recurrence.

Department cells resolve through the registry's directory. A name it does not know is an
error naming the nearest known ones, unless ``add`` is set: then it becomes a new entry of
departments.yaml, a group where the notice writes one (市、县…, 各县（市、区）…, 各…), a
department otherwise. Nothing here reads or writes a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..departments import Directory
from ..errors import Problem
from ..models import Assignment, Campaign, Deadline, Declared, Item, Manifest, Task
from . import deadlines
from .cells import normal, read_cell
from .source import DeptCell, Heading, Piece, Unit, Where, span

# Campaign ids for subjects the lists share, in the words of the 2022 list's files (a word
# that another contains comes after it: 非煤矿山 before 煤矿); any other is campaign-<n>.
SLUGS = [
    ("学习宣传", "study-publicity"), ("重要论述", "study-publicity"),
    ("主体责任", "enterprise-responsibility"), ("危险化学品", "hazardous-chemicals"),
    ("危化品", "hazardous-chemicals"), ("非煤矿山", "non-coal-mine"), ("煤矿", "coal-mine"),
    ("消防", "fire"), ("道路运输", "road-transport"), ("道路交通", "road-transport"),
    ("渔业船舶", "other-transport-fishing"), ("城市建设", "urban-construction"),
    ("工业园区", "industrial-parks"), ("危险废物", "hazardous-waste"),
    ("特种设备", "special-equipment"), ("冶金", "metallurgy"), ("建筑施工", "construction"),
    ("燃气", "gas"), ("交通运输", "transport"), ("水上", "waterway"), ("农业", "agriculture"),
    ("旅游", "tourism"), ("校园", "school"), ("应急救援", "emergency-rescue"),
    ("责任", "responsibility"), ("宣传", "publicity"), ("教育培训", "training"),
]
GROUP_PREFIX = re.compile(r"^(市县|各县市区|各县（市区）|各)")


@dataclass
class NewName:
    """A name the notice uses that departments.yaml does not know, to be added."""

    name: str
    kind: str  # "department" or "group"
    where: Where
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    county_kind: str | None = None


@dataclass
class Result:
    campaigns: list[Campaign] = field(default_factory=list)
    places: dict[int, list[Where]] = field(default_factory=dict)  # campaign number -> its rows
    added: list[NewName] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class Builder:
    def __init__(self, directory: Directory, manifest: Manifest, file_name: str, add: bool,
                 county_kinds: list[str]):
        self.directory, self.manifest, self.file_name, self.add = directory, manifest, file_name, add
        self.county_kinds = county_kinds
        self.result = Result()
        self.new: dict[str, NewName] = {}  # printed or normal form -> the entry added
        self.unknown: dict[str, list[Where]] = {}

    # Departments ------------------------------------------------------------------------

    def lookup(self, name: str) -> str | None:
        found = self.directory.canonical(name)
        if found is None and name in self.new:
            return self.new[name].name
        return found

    def assignments(self, cells: list[DeptCell]) -> list[Assignment]:
        out: list[Assignment] = []
        for cell in cells:
            for name in read_cell(cell.text, self.lookup):
                canon = name.canonical
                if canon is None:
                    canon = self.unknown_name(name.printed, cell.where)
                if canon is None:
                    continue
                role = cell.role or name.role
                if all(a.name != canon for a in out):
                    out.append(Assignment(name=canon, role=role))  # type: ignore[arg-type]
        return out

    def unknown_name(self, printed: str, where: Where) -> str | None:
        if not self.add:
            self.unknown.setdefault(printed, []).append(where)
            return None
        plain = normal(printed)
        entry = NewName(printed, "department", where)
        m = GROUP_PREFIX.match(plain)
        if m:
            entry.kind = "group"
            kind = plain[m.end():]
            if plain != printed:
                entry.aliases.append(plain)
            if m.group(1) == "市县" and self.directory.canonical("市" + kind):
                entry.members.append(self.directory.canonical("市" + kind))  # type: ignore[arg-type]
            if m.group(1) != "各" and kind in self.county_kinds:
                entry.county_kind = kind
        self.new[printed] = self.new[plain] = entry
        self.result.added.append(entry)
        return printed

    def unknown_problems(self) -> list[Problem]:
        out = []
        for name, places in self.unknown.items():
            hint = self.directory.suggest(name)
            near = f"nearest known: {'、'.join(hint)}; " if hint else ""
            more = f" (and {len(places) - 1} more place(s))" if len(places) > 1 else ""
            out.append(places[0].problem(
                "error", f"unknown department '{name}'{more}; {near}add it to departments.yaml "
                "(or as an alias of the name it means), or import with --add-departments"))
        return out

    # Campaigns ---------------------------------------------------------------------------

    def build(self, units: list[Unit]) -> Result:
        by_heading: dict[int, list[Unit]] = {}
        headings: list[Heading] = []
        for u in units:
            assert u.heading is not None
            if id(u.heading) not in by_heading:
                by_heading[id(u.heading)] = []
                headings.append(u.heading)
            by_heading[id(u.heading)].append(u)
        number = 0
        seen: dict[int, Heading] = {}
        slugs: set[str] = set()
        for h in headings:
            number = h.number if h.number is not None else number + 1
            if number in seen:
                self.result.problems.append(h.where.problem(
                    "error", f"a second campaign numbered {number} (the first: "
                    f"'{seen[number].text[:30]}', {seen[number].where.label()}); renumber one heading"))
                continue
            seen[number] = h
            campaign = self.campaign(number, h, by_heading[id(h)], slugs)
            self.result.campaigns.append(campaign)
            self.result.places[number] = [w for u in by_heading[id(h)] for w in u.rows]
        self.result.problems += self.unknown_problems()
        return self.result

    def campaign(self, number: int, h: Heading, units: list[Unit], slugs: set[str]) -> Campaign:
        notes: list[str] = []
        numbers = [u.number for u in units]
        by_position = any(n is None for n in numbers) or any(
            b <= a for a, b in zip(numbers, numbers[1:]))  # type: ignore[operator]
        if by_position and any(n is not None for n in numbers):
            notes.append("The printed task numbers do not rise one row to the next; tasks are "
                         "numbered by position (each task's source names its row).")
        tasks = [self.task(number, k if by_position else u.number, u)  # type: ignore[arg-type]
                 for k, u in enumerate(units, 1)]
        present = (sum(1 for t in tasks if t.items), sum(len(t.items) for t in tasks))
        declared = h.declared or present
        if declared != present:
            notes.append(f"The heading declares {declared[0]}条{declared[1]}项; the notice's rows "
                         f"hold {present[0]}条{present[1]}项, all imported as printed.")
        slug = next((s for word, s in SLUGS if word in h.title), f"campaign-{number}")
        if slug in slugs:
            slug = f"{slug}-{number}"
        slugs.add(slug)
        places = sorted({w.place for u in units for w in u.rows if w.place},
                        key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", p)])
        rows = [w for u in units for w in u.rows]
        where = ", ".join([self.file_name, *places]) if places else span([rows[0], rows[-1]])
        return Campaign(
            id=slug, number=number, title=h.title or h.text, heading=h.text,
            declared=Declared(tasks=declared[0], items=declared[1]),
            source=f"{self.manifest.notice}, {where}", default_deadline=self.manifest.period.end,
            source_note=" ".join(notes) or None, tasks=tasks)

    def deadline(self, piece: Piece | None, notes: list[str]) -> tuple[Deadline | None, tuple[str, str] | None]:
        """A deadline cell's deadline, and its recurrence rule when it states a period."""
        if piece is None:
            return None, None
        from ..recurrence import rule_for_text

        rule = rule_for_text(piece.text)
        reading = deadlines.read(piece.text, self.manifest.period)
        if reading is not None and reading.date is not None:
            return Deadline(date=reading.date, text=piece.text, ambiguous=reading.ambiguous), rule
        if reading is not None and reading.ongoing:
            notes.append(f"完成时限 is printed as {piece.text} (ongoing): no single deadline; the "
                         "list's end date applies.")
        elif rule is None:
            self.result.problems.append(piece.where.problem(
                "warning", f"'{piece.text}' is not a deadline this reader knows (2023年底前, "
                "2023年6月30日, 长期坚持, 每季度 …); the list's end date applies, and the phrase is "
                "kept in the task's source note"))
            notes.append(f"完成时限 is printed as {piece.text}, which gives no date; the list's end "
                         "date applies.")
        return None, rule

    def task(self, campaign: int, number: int, u: Unit) -> Task:
        from ..recurrence import rule_for_text

        notes = list(u.notes)
        task_id = f"{campaign}.{number}"
        depts = [p.depts if p.depts is not None else u.depts for p in u.parts]
        ends = [p.deadline if p.deadline is not None else u.deadline for p in u.parts]
        same_depts = all(_texts(d) == _texts(depts[0]) for d in depts) if depts else True
        same_end = all(_text(e) == _text(ends[0]) for e in ends) if ends else True
        task_cells = depts[0] if depts and same_depts else ([] if depts else u.depts)
        task_end = ends[0] if ends and same_end else (None if ends else u.deadline)
        deadline, rule = self.deadline(task_end, notes)
        items = []
        for k, (part, cells, end) in enumerate(zip(u.parts, depts, ends), 1):
            item = Item(id=f"{task_id}.{k}", text=part.text)
            own_rule = rule
            if not same_end:
                item.deadline, own_rule = self.deadline(end, notes)
            found = self.phrase_deadline(part.text)
            if found is not None:
                item.deadline = found
            if not same_depts:
                item.departments = self.assignments(cells)
            recurrence = rule_for_text(part.text) or own_rule
            if recurrence is not None:
                item.recurrence, item.recurrence_text = recurrence
            items.append(item)
        if same_depts:
            departments, text = self.assignments(task_cells), _printed(task_cells)
        else:
            departments = []
            text = " / ".join(dict.fromkeys(t for t in (_printed(c) for c in depts) if t)) or None
        return Task(id=task_id, title=u.title, departments=departments, departments_text=text,
                    departments_inferred=u.inferred, deadline=deadline, source=span(u.rows),
                    source_note=" ".join(dict.fromkeys(notes)) or None, items=items)

    def phrase_deadline(self, text: str) -> Deadline | None:
        """A deadline written inside an item's text (…，2023年6月底前完成), as the 2022 list has."""
        from ..dates import deadline_phrases, parse_phrase

        read = [(parse_phrase(p), p) for p in deadline_phrases(text)]
        dated = [(d, p) for d, p in read
                 if d is not None and d[0].year >= self.manifest.period.start.year]
        if not dated:
            return None
        (date, ambiguous), phrase = max(dated, key=lambda x: x[0][0])
        return Deadline(date=date, text=phrase, ambiguous=ambiguous)


def _texts(cells: list[DeptCell]) -> list[tuple[str | None, str]]:
    return [(c.role, c.text) for c in cells]


def _text(piece: Piece | None) -> str | None:
    return piece.text if piece is not None else None


def _printed(cells: list[DeptCell]) -> str | None:
    """The department cells as printed: one cell verbatim; several, each after its header."""
    if not cells:
        return None
    if len(cells) == 1 and cells[0].role is None:
        return cells[0].text
    return "；".join(f"{c.where.header or {'lead': '牵头单位', 'support': '配合单位'}.get(c.role or '', '责任单位')}："
                    f"{c.text}" for c in cells)


def build(units: list[Unit], directory: Directory, manifest: Manifest, file_name: str,
          add: bool, county_kinds: list[str]) -> Result:
    return Builder(directory, manifest, file_name, add, county_kinds).build(units)

