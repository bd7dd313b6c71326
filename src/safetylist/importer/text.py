"""Numbered text (a .txt file, or a Word document without tables), laid out as offices write
their 责任分解方案:

    一、强化安全生产责任落实                  a campaign heading
    （一）压实党政领导责任。                  a task …
    1. 严格落实……（责任单位：县委办；完成时限：2023年6月底前）   … and its items
    牵头单位：县应急管理局                    a line of departments, or of the deadline,
    配合单位：县住建局、县交通局              for the task or item above it
    完成时限：长期坚持

Under a heading, tasks are its （一） lines, or its 1. lines where it has no （一）; items are
the 1. lines under a （一） task, or else the (1) labels of a task's text. A line of
责任单位/牵头单位/配合单位/完成时限 (or such a parenthesis closing a line) belongs to the item
or task above it; under a heading, before any task, to every task of the campaign that names
none. A heading under which no task names a department or a deadline is the notice's own
text (总体要求, 保障措施), not a campaign: it is left out, and a warning says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import Problem
from .cells import fold, split_items
from .source import DeptCell, Heading, Part, Piece, Unit, Where, cn_number
from .tables import heading_of

TASK_CN = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$", re.S)
TASK_NUM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.*)$", re.S)
ITEM = re.compile(r"^(?:[（(]\s*(\d{1,2})\s*[）)]|([①-⑳]))\s*(.*)$", re.S)
KEYS = {"责任单位": None, "责任部门": None, "责任主体": None, "牵头单位": "lead", "牵头部门": "lead",
        "配合单位": "support", "配合部门": "support", "完成时限": "deadline", "完成时间": "deadline",
        "时间节点": "deadline", "完成期限": "deadline"}
_KEY = "|".join(KEYS)
ATTR_LINE = re.compile(rf"^({_KEY})\s*[:：]\s*(.*)$")
ATTR_TAIL = re.compile(rf"[（(]\s*((?:{_KEY})\s*[:：][^（）()]*)[）)]\s*[。.；;]?\s*$")
ATTR_SPLIT = re.compile(rf"[；;，,。\s]+(?=(?:{_KEY})\s*[:：])")


class _Attrs:
    def __init__(self) -> None:
        self.depts: list[DeptCell] = []
        self.deadline: Piece | None = None

    def add(self, text: str, where: Where) -> None:
        for part in ATTR_SPLIT.split(text.strip()):
            m = ATTR_LINE.match(part.strip())
            value = fold(m.group(2)).rstrip("。；;，,") if m else ""
            if not m or not value:
                continue
            role = KEYS[m.group(1)]
            if role == "deadline":
                self.deadline = Piece(value, where)
            else:
                self.depts.append(DeptCell(role, value, Where(where.file, where.place, where.row, 0,
                                                              m.group(1))))


def line_at(file: str) -> Callable[[int], Where]:
    return lambda n: Where(file, "", n)


def paragraph_at(file: str) -> Callable[[int], Where]:
    return lambda n: Where(file, f"paragraph {n}", 0)


def read(lines: list[str], at: Callable[[int], Where]) -> tuple[list[Unit], list[Problem]]:
    """The tasks of numbered text: ``lines`` are a file's lines or a document's paragraphs,
    ``at(n)`` the place of the n-th (from 1)."""
    sections: list[tuple[Heading, list[tuple[Where, str]]]] = []
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        tail = ATTR_TAIL.search(line)
        h = heading_of(line[: tail.start()] if tail else line, at(n))
        if h is not None:
            sections.append((h, [(at(n), tail.group(1))] if tail else []))
        elif sections:
            sections[-1][1].append((at(n), line))
    units: list[Unit] = []
    problems: list[Problem] = []
    for heading, body in sections:
        found, more = _section(heading, body)
        if any(u.depts or u.deadline or any(p.depts or p.deadline for p in u.parts) for u in found):
            units += found
            problems += more
        elif found:
            problems.append(heading.where.problem(
                "warning", f"'{heading.text[:30]}' names no department or deadline for any of its "
                f"{len(found)} numbered paragraph(s): read as the notice's own text, not a campaign; "
                "not imported"))
    return units, problems


def _section(heading: Heading, body: list[tuple[Where, str]]) -> tuple[list[Unit], list[Problem]]:
    has_cn = any(TASK_CN.match(t) for _, t in body)
    task_re = TASK_CN if has_cn else TASK_NUM
    item_re = TASK_NUM if has_cn else ITEM
    units: list[Unit] = []
    problems: list[Problem] = []
    defaults = _Attrs()
    unit: Unit | None = None
    texts: dict[int, list[str]] = {}  # id(unit) -> its own text's lines, until its items start
    attrs: dict[int, _Attrs] = {}
    part: Part | None = None

    def target() -> _Attrs:
        key = id(part) if part is not None else id(unit) if unit is not None else 0
        if key == 0:
            return defaults
        return attrs.setdefault(key, _Attrs())

    for where, raw in body:
        if ATTR_LINE.match(raw):
            target().add(raw, where)
            if unit is not None:
                unit.rows.append(where)
            continue
        tail = ATTR_TAIL.search(raw)
        line = raw[: tail.start()].rstrip() if tail else raw
        m_task = task_re.match(line)
        m_item = item_re.match(line) if unit is not None and not m_task else None
        if m_task:
            number = cn_number(m_task.group(1)) if has_cn else int(m_task.group(1))
            unit = Unit(heading, [where], number, where)
            units.append(unit)
            part = None
            texts[id(unit)] = [m_task.group(2)]
        elif m_item and unit is not None:
            part = Part(m_item.group(item_re.groups), where)
            unit.parts.append(part)
        elif unit is None:
            problems.append(where.problem("warning", f"text under '{heading.text[:20]}' before its "
                                          f"first task: not imported ({line[:20]}…)"))
            continue
        elif part is not None:
            part.text += "\n" + line
        else:
            texts[id(unit)].append(line)
        if unit.rows[-1] != where:
            unit.rows.append(where)
        if tail:
            target().add(tail.group(1), where)
    for u in units:
        split = split_items("\n".join(texts.get(id(u), [])))
        if u.parts and not split.labels:
            u.title = " ".join(split.items) or None  # the task's own line: its title
        else:
            u.title = split.lead or None
            u.parts = [Part(t, u.rows[0]) for t in split.items] + u.parts
        a = attrs.get(id(u), _Attrs())
        u.depts = a.depts or list(defaults.depts)
        u.deadline = a.deadline or defaults.deadline
        for p in u.parts:
            pa = attrs.get(id(p))
            p.text = fold(p.text)
            if pa is not None:
                p.depts = pa.depts or None
                p.deadline = pa.deadline
    return units, problems
