"""Tables to tasks: the header row, campaign headings, one task per numbered row.

Columns are found by their header words (``columns``), or mapped by hand. A row is a task; a
row whose 序号 cell is merged with the row above (or left empty below a numbered row) adds
its items to that task. A cell merged over several rows applies to every row it spans, so a
重点任务 cell merged over three rows is the title of the three tasks. A row of one cell that
reads 一、… is a campaign heading, and so is a paragraph before a Word table.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .cells import fold, split_items
from .columns import Mapping, header_roles, is_header, is_ignored, role_of
from .source import Cell, DeptCell, Grid, Heading, Paragraph, Part, Piece, Unit, Where, cn_number

HEADING = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*(.+?)\s*$", re.S)
COUNTS = re.compile(r"[（(]\s*(\d+)\s*条\s*(\d+)\s*项\s*[)）]")
HEADER_ROWS = 15  # the header is within a table's first rows (after a title or two)


def heading_of(text: str, where: Where) -> Heading | None:
    """A campaign heading (一、… with its counts where printed), or None."""
    folded = fold(text)
    m = HEADING.match(folded)
    if not m or cn_number(m.group(1)) is None:
        return None
    counts = COUNTS.search(folded)
    title = m.group(2)
    if counts:
        title = folded[m.start(2): counts.start()]
    return Heading(folded, where, cn_number(m.group(1)),
                   (int(counts.group(1)), int(counts.group(2))) if counts else None, title.strip())


def task_number(text: str) -> int | None:
    t = re.sub(r"[\s.．、（）()]", "", text)
    return int(t) if t.isdigit() else cn_number(t)


class TableReader:
    """Reads a document's blocks in order, collecting its tasks and problems."""

    def __init__(self, mapping: Mapping, fallback_title: str):
        self.mapping = mapping
        self.fallback_title = fallback_title
        self.units: list[Unit] = []
        self.problems: list[Problem] = []
        self.heading: Heading | None = None
        self.caption: Paragraph | None = None
        self.fallbacks: dict[str, Heading] = {}
        self.previous: tuple[int, dict[str, list[int]], list[str]] | None = None
        self.read: list[Grid] = []
        self.skipped: list[Grid] = []

    # Blocks ----------------------------------------------------------------------------

    def paragraph(self, p: Paragraph) -> None:
        h = heading_of(p.text, p.where)
        if h is not None:
            self.heading, self.caption = h, None
        else:
            self.caption = p

    def finish(self) -> None:
        level = "warning" if self.read else "error"
        for g in self.skipped:
            what = g.place or "the file"
            self.problems.append(Where(g.file, g.place, g.numbers[0] if g.numbers else 1).problem(
                level, f"no header row naming 任务 or 具体措施 and 责任单位/牵头单位/完成时限 in "
                f"{what}'s first {HEADER_ROWS} rows" + ("; not imported" if self.read else
                "; map its columns by hand, e.g. --columns number=A,items=B,departments=C,deadline=D")))

    def grid(self, g: Grid) -> None:
        rows = g.rows
        header_i = next((i for i in range(min(HEADER_ROWS, len(rows)))
                         if is_header(header_roles(rows[i]))), None)
        if header_i is None and self.mapping:
            header_i = self.mapping.header_row(rows, HEADER_ROWS)
        title = None
        if header_i is not None:
            roles = header_roles(rows[header_i])
            start = header_i + 1
            if start < len(rows):  # a second header row under merged cells (责任单位: 牵头 | 配合)
                sub = {c: role_of(cell.text) for c, cell in enumerate(rows[start])
                       if cell.origin[0] == start and cell.text.strip()}
                if sub and all(sub.values()):
                    for c, role in sub.items():
                        for cols in roles.values():
                            if c in cols:
                                cols.remove(c)
                        roles.setdefault(role, []).append(c)  # type: ignore[arg-type]
                    roles = {k: v for k, v in roles.items() if v}
                    start += 1
            for i in range(header_i):  # a title row above the header
                text = _single(rows[i])
                if text:
                    h = heading_of(text, g.where(i))
                    if h is not None:
                        self.heading = h
                    else:
                        title = text
            headers = [fold(c.text) for c in rows[start - 1]]
            for c, cell in enumerate(rows[header_i]):
                if cell.text.strip() and role_of(cell.text) is None and not is_ignored(cell.text) \
                        and cell.origin == (header_i, c):
                    self.problems.append(g.where(header_i, c + 1, fold(cell.text)).problem(
                        "warning", "column not read (its header names no role; map it with --columns "
                        "if it holds task text, departments or deadlines)"))
        elif self.mapping:  # mapped by hand, every column by its letter or number
            roles, start, headers = {}, 0, [""] * (len(rows[0]) if rows else 0)
        elif self.previous is not None and rows and self.previous[0] == len(rows[0]):
            # A table continued after a page break without its header: the same columns.
            roles, headers, start = dict(self.previous[1]), self.previous[2], 0
        else:
            self.skipped.append(g)
            return
        roles = self.mapping.apply(roles, rows[header_i] if header_i is not None else None, g.place)
        if "items" not in roles and "task" in roles:
            roles["items"] = roles.pop("task")
        if "items" not in roles:
            self.problems.append(g.where(header_i or 0).problem(
                "error", "no column of task texts (任务, 具体措施 …); map it with --columns items=C"))
            return
        self.read.append(g)
        self.previous = (len(rows[0]), roles, headers)
        _Rows(self, g, roles, headers, title).read(start)
        self.caption = None

    def heading_for(self, g: Grid, title: str | None) -> Heading:
        if self.heading is not None:
            return self.heading
        text = title or (fold(self.caption.text) if self.caption else None)
        if not text and g.place.startswith("sheet ") and not re.fullmatch(r"sheet Sheet\d*", g.place):
            text = g.place[len("sheet "):]
        text = text or self.fallback_title
        if text not in self.fallbacks:
            self.fallbacks[text] = Heading(text, g.where(0), None, None, text)
        return self.fallbacks[text]


def _single(row: list[Cell]) -> str | None:
    """The text of a row that is one cell (merged across, or the only one filled)."""
    filled = [c for c in row if c.text.strip()]
    if filled and len({c.origin for c in filled}) == 1:
        return fold(filled[0].text)
    return None


class _Rows:
    """The data rows of one table."""

    def __init__(self, reader: TableReader, g: Grid, roles: dict[str, list[int]],
                 headers: list[str], title: str | None):
        self.r, self.g, self.roles, self.headers, self.title = reader, g, roles, headers, title
        self.section: str | None = None
        self.last_number: tuple[int, int] | None = None  # origin of the last task's 序号 cell
        self.last_depts: list[DeptCell] = []
        self.last_deadline: Piece | None = None
        self.last_title: str | None = None

    def cell(self, i: int, role: str) -> tuple[str, int, tuple[int, int]] | None:
        """The text of ``role``'s columns in row ``i`` (a merged cell once), its first column."""
        texts, seen, first = [], set(), None
        for c in self.roles.get(role, []):
            if c >= len(self.g.rows[i]):
                continue
            cell = self.g.rows[i][c]
            if cell.origin in seen or not cell.text.strip():
                continue
            seen.add(cell.origin)
            texts.append(cell.text)
            first = (c, cell.origin) if first is None else first
        if first is None:
            return None
        return "\n".join(texts), first[0], first[1]

    def where(self, i: int, c: int) -> Where:
        return self.g.where(i, c + 1, self.headers[c] if c < len(self.headers) else "")

    def read(self, start: int) -> None:
        for i in range(start, len(self.g.rows)):
            row = self.g.rows[i]
            if not any(c.text.strip() for c in row) or is_header(header_roles(row)):
                continue
            single = _single(row)
            items_cols = set(self.roles.get("items", []))
            spans = single is not None and (
                len({c for c, cell in enumerate(row) if cell.text.strip()}) > 1
                or not any(row[c].text.strip() for c in items_cols if c < len(row)))
            if spans and single is not None:
                h = heading_of(single, self.g.where(i))
                if h is not None:
                    self.r.heading, self.section = h, None
                else:
                    self.section = single
                continue
            self.row(i)

    def depts(self, i: int) -> list[DeptCell]:
        found = {role: self.cell(i, role) for role in ("departments", "lead", "support")}
        lead, support = found["lead"], found["support"]
        if lead and support and lead[2] == support[2]:  # one cell merged over both columns
            found["departments"], found["lead"], found["support"] = found["departments"] or lead, None, None
        out = []
        for role, got in found.items():
            if got is not None:
                out.append(DeptCell(None if role == "departments" else role, fold(got[0]),
                                    self.where(i, got[1])))
        return out

    def row(self, i: int) -> None:
        where = self.g.where(i)
        number_cell = self.cell(i, "number")
        items_cell = self.cell(i, "items")
        task_cell = self.cell(i, "task")
        deadline_cell = self.cell(i, "deadline")
        depts = self.depts(i)
        deadline = Piece(fold(deadline_cell[0]), self.where(i, deadline_cell[1])) if deadline_cell else None
        units = self.r.units
        heading = self.r.heading_for(self.g, self.title)
        prev = units[-1] if units and units[-1].heading is heading else None
        continued = prev is not None and "number" in self.roles and (
            (number_cell is not None and number_cell[2] == self.last_number)
            or (number_cell is None and prev.number is not None))
        if items_cell is None and task_cell is None:
            self.r.problems.append(where.problem("warning", "the row holds no task text; not imported"))
            return
        text, col = (items_cell[0], items_cell[1]) if items_cell else (task_cell[0], task_cell[1])  # type: ignore[index]
        title = fold(task_cell[0]) if task_cell and items_cell else None
        inferred = False
        if not self.g.merges_known and not continued and prev is not None:
            # CSV keeps a merged cell's text in its first row only: the rows below take it.
            if title is None and "task" in self.roles and items_cell:
                title = self.last_title
            if not depts and self.last_depts:
                depts, inferred = list(self.last_depts), True
                if deadline is None:
                    deadline = self.last_deadline
        split = split_items(text)
        if split.labels and split.labels != list(range(split.labels[0], split.labels[0] + len(split.labels))):
            self.r.problems.append(self.where(i, col).problem(
                "warning", f"items labelled {' '.join(f'({n})' for n in split.labels)}: kept in "
                "printed order, numbered by position"))
        if continued and prev is not None:
            # The task's own cells apply to its further rows unless they print their own.
            texts = ([split.lead] if split.lead else []) + split.items
            prev.parts += [Part(t, self.where(i, col), depts or None, deadline) for t in texts]
            prev.rows.append(where)
        else:
            unit = Unit(heading, [where], task_number(number_cell[0]) if number_cell else None,
                        self.where(i, number_cell[1]) if number_cell else None,
                        " ".join(t for t in (title or self.section, split.lead) if t) or None,
                        [Part(t, self.where(i, col)) for t in split.items], depts, deadline,
                        inferred=inferred)
            if inferred:
                what = "departments" + (" and deadline" if deadline is not None else "")
                unit.notes.append(f"The row prints no department cell; its {what} are the row "
                                  "above's, read as a merged cell that the CSV keeps in its first "
                                  "row only: inferred, to confirm.")
            units.append(unit)
            self.last_number = number_cell[2] if number_cell else None
        if depts:
            self.last_depts, self.last_deadline = depts, deadline
        self.last_title = title or self.last_title
