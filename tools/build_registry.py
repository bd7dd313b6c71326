"""Build data/tasks/*.yaml from the notice's extracted text (provenance record).

This is how the shipped registry was first made from
data/source/lvliang-2022-task-list.txt. Every item text is cut from the source
lines named below; the rows that the PDF extraction damaged are rebuilt here by
hand, each with the reason written into the task's source_note.

It is a one-off: once clerks record progress, data/tasks/ is the record, and
running this again would reset every status. Run it only on a fresh registry:

    python tools/build_registry.py --out data/tasks

It also rewrites the campaign entries of the manifest beside --out
(data/registry.yaml: each file and its index of task ids and item counts).

What it shares with `safetylist import-notice` (``safetylist.importer.cells``): reading a
cell. Items are cut at their (n) labels, a row's deadline phrase is split from the cell that
prints it, and a department cell is read into names with their roles (牵头/配合,
督促指导/具体落实), its groups (市、县…, 各县（市、区）…) and the names the extraction broke
with a space or a line break, all resolved through departments.yaml. Campaign headings, the
campaign file, its validation and the manifest are the package's as well.

What it cannot share is the reading of rows. import-notice reads a table whose rows, cells and
merged cells the file itself states (Word, Excel, CSV) or numbered text. This PDF extraction
has no table: a row is a line of tab-separated cells with the empty ones dropped, rows run
together (4.12-4.15), page breaks split them (1.2's item 4), items land in the wrong column
(2.7, 9.8) and merged cells are printed once with nothing to say how far they reach. So each
campaign's rows are planned by hand below (c1 … c13), each repair with its reason in a
source_note; the few notice-specific department phrases are written out in COMPOUNDS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from safetylist.dates import deadline_phrases, parse_phrase  # noqa: E402
from safetylist.importer import cells  # noqa: E402
from safetylist.importer.cells import LABEL, read_cell, split_deadline, split_items  # noqa: E402
from safetylist.layout import dump_campaign  # noqa: E402
from safetylist.models import Assignment, Campaign, Deadline, Declared, Item, Task  # noqa: E402
from safetylist.recurrence import rule_for_text  # noqa: E402
from safetylist.registry import load_directory  # noqa: E402
from safetylist.validate import parse_campaign  # noqa: E402

SOURCE = ROOT / "data" / "source" / "lvliang-2022-task-list.txt"
LINES = [""] + SOURCE.read_text(encoding="utf-8").split("\n")  # 1-based
NOTICE = "吕安办发〔2022〕19号"
DEFAULT_DEADLINE = dt.date(2022, 12, 31)
DIRECTORY, _problems, _ = load_directory(ROOT / "data")
assert DIRECTORY is not None and not _problems, _problems


def fold(text: str) -> str:
    return cells.fold(re.sub(r"</?p>", "", text))


def cell(line: int, index: int) -> str:
    cells = LINES[line].split("\t")
    return cells[index] if index < len(cells) else ""


def items_of(text: str) -> list[str]:
    """The item texts of one table cell, without their (n) labels."""
    lead, items, _ = split_items(fold(text), LABEL)
    if lead:
        raise ValueError(f"text before the first label: {lead[:30]}")
    return items


def items_at(line: int, index: int) -> list[str]:
    return items_of(cell(line, index))


# Departments -------------------------------------------------------------------

COMPOUNDS = [
    # The notice's compound phrases, each written out as the groups it names.
    ("工信、住建、交通、水利、农业农村、商务、文旅、应急、国资、能源、邮管国家矿山监察局山西局执法五处等部门",
     "工信、住建、交通、水利、农业农村、商务、文旅、应急、国资、能源、邮管、国家矿山监察局山西局执法五处"),
    ("国家矿山监察局山西局执法场、市邮管局、国家矿山监察局山西局执法五处", "国家矿山监察局山西局执法五处"),
    ("市县工信局、商务局、应急管理局、市场监管局、税务局、应急管理局、消防救援支队",
     "市县工信局、市县商务局、市县应急管理局、市县市场监管局、市县税务局、市消防救援支队"),
    ("市县发改委、交通局、电力管理部门", "市县发改部门、市县交通局、电力管理部门"),
    ("市县工信局、市场监督管理局", "市县工信局、市县市场监管局"),
    ("市县住建局、自然资源局", "市县住建局、市县自然资源部门"),
    ("市县应急、能源部门", "市县应急部门、市县能源部门"),
    ("市县发改、能源部门", "市县发改部门、市县能源部门"),
    ("各级发改、能源、自然资源部门", "市县发改部门、市县能源部门、市县自然资源部门"),
]


def assignments(text: str) -> list[Assignment]:
    text = fold(text)
    text = text.replace("（市、区）", "市区").replace("(市、区)", "市区").replace("市、县", "市县")
    for phrase, written in COMPOUNDS:
        text = text.replace(phrase, written)
    found = read_cell(text, DIRECTORY.canonical)
    for name in found:
        if name.canonical is None:
            raise KeyError(f"unresolved department token {name.printed!r} in {text!r}")
    return [Assignment(name=n.canonical, role=n.role) for n in found]  # type: ignore[arg-type]


# Tasks ---------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    items: list[str] = field(default_factory=list)
    dept_cells: list[str] = field(default_factory=list)
    deadline: str | None = None
    note: str | None = None
    item_depts: dict[int, str] = field(default_factory=dict)
    inferred: bool = False  # departments (and deadline) read from a merged cell
    rules: dict[int, tuple[str, str]] = field(default_factory=dict)  # item -> (RRULE, phrase)


def row(line: int, number: int | None = None) -> Row:
    """A table row as printed: number, task cell, department cell, deadline cell."""
    raw = LINES[line].split("\t")
    cells = raw[:1] + [c for c in raw[1:] if c.strip()]  # skip cells the PDF left empty
    n = int(cells[0]) if number is None else number
    r = Row(n, items_of(cells[1]) if len(cells) > 1 else [])
    dept = fold(cells[2]) if len(cells) > 2 else ""
    dept, phrase = split_deadline(dept)
    if dept:
        r.dept_cells.append(dept)
    r.deadline = phrase
    if len(cells) > 3 and fold(cells[3]):
        last = fold(cells[3])
        rest, phrase = split_deadline(last)
        if phrase:
            r.deadline = phrase
        if rest:
            r.dept_cells.append(rest)
    return r


def make_task(campaign: int, r: Row) -> Task:
    depts: list[Assignment] = []
    for text in r.dept_cells:
        for a in assignments(text):
            if all(d.name != a.name for d in depts):
                depts.append(a)
    deadline = None
    if r.deadline:
        date, ambiguous = parse_phrase(r.deadline)  # type: ignore[misc]
        deadline = Deadline(date=date, text=r.deadline, ambiguous=ambiguous)
    items = []
    for k, text in enumerate(r.items, 1):
        item = Item(id=f"{campaign}.{r.number}.{k}", text=text)
        phrases = deadline_phrases(text)
        dated = [(parse_phrase(p), p) for p in phrases]
        dated = [(d, p) for d, p in dated if d is not None and d[0].year >= 2022]
        if dated:
            (date, ambiguous), phrase = max(dated, key=lambda x: x[0][0])
            item.deadline = Deadline(date=date, text=phrase, ambiguous=ambiguous)
        if k in r.item_depts:
            item.departments = assignments(r.item_depts[k])
        found = r.rules.get(k) or rule_for_text(text)
        if found:
            item.recurrence, item.recurrence_text = found
        items.append(item)
    dept_text = " ".join(r.dept_cells) or None
    note = r.note
    if not depts and items and note is None:
        note = NO_DEPT
    return Task(id=f"{campaign}.{r.number}", departments=depts, departments_text=dept_text,
                deadline=deadline, source_note=note, items=items, departments_inferred=r.inferred)


# The row plans, one per campaign ------------------------------------------------
# rows(a, b) reads printed rows from lines a..b; the functions below rebuild the
# damaged rows and say why in a source_note.

NO_DEPT = ("The notice's row names no department; the PDF table may have merged this cell "
           "with a neighbour's, but the notice does not say which, so the task is left "
           "unassigned for the office to assign.")


def rows(*lines: int) -> list[Row]:
    return [row(n) for n in lines]


def lost(number: int, why: str) -> Row:
    return Row(number, note=why + " Its text, departments and deadline are lost; no text is invented.")


def move_last_item(src: Row, dst: Row, why_src: str, why_dst: str) -> None:
    """The last item of ``src`` is the first item of ``dst`` (a row printed into its neighbour)."""
    dst.items.insert(0, src.items.pop())
    src.note, dst.note = why_src, why_dst


def under_merged_cell(dst: Row, src: Row, line: int, printed: str) -> None:
    """``dst`` prints no department or deadline cell of its own: it lies under ``src``'s cells,
    vertically merged cells that the text extraction prints once, on ``line``. The reading is
    an inference, marked so for the office to confirm; ``printed`` says what the text shows."""
    dst.dept_cells, dst.deadline, dst.inferred = list(src.dept_cells), src.deadline, True
    given = "departments" + (f" and deadline ({src.deadline})" if src.deadline else "")
    dst.note = (f"{printed} Row {src.number}'s cells (line {line}) are read as vertically merged "
                f"cells reaching down to this row, printed once by the text extraction: this "
                f"row's {given} are row {src.number}'s, inferred, to confirm.")


def c1() -> list[Row]:
    r1, r2 = row(44), row(45)
    r2.items += items_at(47, 1)
    r2.item_depts[4] = cell(47, 2)
    r2.note = ("Item (4) and its own department cell are printed after a page break (line 47); "
               "items (1)-(3) take the row's department cell. The row states no deadline.")
    return [r1, r2, *rows(48, 49, 50, 51)]


def c2() -> list[Row]:
    r1, r2, r3, r4, r5, r6 = rows(56, 57, 58, 59, 61, 62)
    under_merged_cell(r4, r3, 58, "Row 4 (line 59) prints neither a department nor a deadline "
                      "cell, the only row between row 3's cells and row 5's.")
    out = [r1, r2, r3, r4, r5, r6]
    r7 = row(63)
    dept, _, stray = fold(cell(63, 2)).partition("(1)")
    r7.dept_cells = [dept.strip()]
    r7.items += items_of("(1)" + stray)
    r7.note = ("Item 2 (安全生产标准化) is printed inside this row's department cell, labelled (1). "
               "It is kept in the row where the notice prints it; it may belong to row 10, which "
               "is empty in the notice.")
    out.append(r7)
    r8, r9 = row(64), row(65)
    merged = rows(68, 69, 70, 71, 72, 73)  # rows 11-16
    for r in [r9, *merged]:
        under_merged_cell(r, r8, 64, "Rows 9-16 (lines 65-73) print neither a department nor "
                          "a deadline cell between row 8's cells and row 17's.")
    out += [r8, r9, lost(10, "Row 10 is printed empty (line 66); it lies within row 8's merged "
                             "department cell (see 2.9)."), *merged]
    r17, r18, r19 = row(74), row(76), row(77)
    r19.note = ("The department cell names sectors by short forms (工信、住建 … 能源、邮管 … 等部门); "
                "they are read as the city bureaus of those sectors, and 国资 as 国资部门, since the "
                "notice gives no full name for it.")
    out += [r17, r18, r19, *rows(78, 79, 80, 81)]
    r24 = row(82)
    r24.note = "The row prints 2022年底前 in its department column and names no department."
    out.append(r24)
    return out


def c3() -> list[Row]:
    out = rows(87, 88, 89, 90, 91, 92, 94, 95, 96, 97, 98)
    r12 = row(100)
    r12.note = ("Printed after a page break with its only item labelled (3); by label and subject "
                "it may continue task 11's items (1)-(2). Kept as the notice numbers it.")
    out.append(r12)
    out += rows(101, 102, 103, 104, 105, 106, 107, 109)
    r21, r22 = row(110), row(111)
    move_last_item(r21, r22,
                   "The row's task cell also prints a second item labelled (1); row 22 starts "
                   "at (2), so that item is 22.1.",
                   "Item 1 is printed inside row 21's task cell (its second (1)); the row itself "
                   "starts at (2).")
    out += [r21, r22, *rows(112, 113, 114)]
    return out


def c4() -> list[Row]:
    out = rows(119, 120, 121, 122, 124, 125, 126, 127, 128, 129, 130)
    cells = LINES[132].split("\t")
    depts = [fold(p) for p in cells[4].split("</p>") if fold(p)]
    jam = ("Rows 12-15 run together on one line of the extracted text (line 132). Their task "
           "texts and the five cells of the department column (" + " / ".join(depts) + ") are "
           "paired in printed order. The 2022年底前 is the fourth cell: it follows row 14's "
           "department cell and precedes row 15's, and where the text prints a row's department "
           "and deadline together the department comes first (4.29, 5.14, 6.24, 7.13, 7.21, "
           "7.25, 8.6), so it is row 14's deadline. (Rows 3.25 and 4.21 print the deadline "
           "first; read so, it would be row 15's. The date, the year end, is the same.)")
    r12 = Row(12, [re.sub(r"^12\s+", "", fold(cells[0]))], [depts[0]], note=jam)
    r13 = Row(13, [fold(cells[1])], [depts[1]], note=jam)
    r14 = Row(14, items_of(cells[2]), [depts[2]], deadline=depts[3], note=jam)
    r15 = Row(15, items_of(cells[3]), [depts[4]], note=jam)
    out += [r12, r13, r14, r15, *rows(135, 136, 137, 138)]
    r20 = row(139)
    r20.items += items_at(141, 1)
    r20.note = "Item (2) is printed after a page break (line 141)."
    r21 = row(142)
    r21.note = ("The row's items are labelled (3)-(5) and it has no (1) or (2); they may continue "
                "task 20. Kept as the notice numbers them.")
    r22 = row(143)
    first, second = fold(cell(143, 2)).split(" ", 1)
    r22.item_depts = {1: first, 2: first, 3: second, 4: second}
    r22.note = ("The row prints two lists, each labelled (1)-(2): the enforcement information "
                "system (items 1-2) and the 五人小组 reform (items 3-4), and two department lists. "
                "As in 11.7, each list takes the department list printed in its turn: "
                "市委编办、市人社局、市应急管理局 for items 1-2, 市矿山监察局山西局 (read as "
                "国家矿山安全监察局山西局) for items 3-4. Another reading, not taken: the second "
                "list with its department cell is the row that is not printed (see 4.28), printed "
                "under row 22; rows 23-27 would then each move down one number and close the gap. "
                "Item 4 states two periods, a weekly round (每周巡回检查 1 次) and a monthly "
                "full-coverage check (每月…全覆盖对表检查); an item has one rule, and the weekly "
                "one is kept: it is the more frequent, every month holds four or more of its "
                "periods, and the monthly check is recorded with the month's last weekly period.")
    r23 = row(144)
    r23.items += items_at(146, 1)
    r23.note = "Item (3) is printed after a page break (line 146)."
    r25 = row(148)
    r25.note = "The row labels both of its items (1)."
    r27 = row(150)
    r27.items += items_at(152, 1)
    r27.note = "Items (3)-(4) are printed after a page break (line 152)."
    out += [r20, r21, r22, r23, row(147), r25, row(149), r27,
            lost(28, "No row 28 is printed: the text goes from row 27 to row 29 (line 153); "
                     "see 4.22 for a reading that finds it."),
            *rows(153, 154)]
    return out


def c5() -> list[Row]:
    out = rows(159, 160, 161, 162, 163, 165)
    r7, r8 = row(166), row(167)
    move_last_item(r7, r8,
                   "The row's task cell also prints a second item labelled (1); row 8 starts at "
                   "(2), so that item is 8.1.",
                   "Item 1 is printed inside row 7's task cell (its second (1)); the row itself "
                   "starts at (2). Its task cell then prints another item labelled (1), which "
                   "starts row 9 by the same rule (see 5.9).")
    # A second "(1)" starts the next row (as 5.7/5.8, 3.21/3.22, 8.1/8.2, 12.7/12.8): the
    # rows printed 9 and 10 are rows 10 and 11, and no row is lost.
    r9 = Row(9, [r8.items.pop()])
    under_merged_cell(r9, r8, 167, "")  # the row's own note follows
    r9.note = ("The row's text is the second item labelled (1) in row 8's task cell (line 167), "
               "read as the start of the next row, the rule of 5.7/5.8, 3.21/3.22, 8.1/8.2 and "
               "12.7/12.8; the rows printed 9 and 10 are then rows 10 and 11, and the campaign "
               "holds the heading's 18条27项. The row prints no department cell of its own: "
               "the one on line 167 (市、县应急管理局, which rows 6-15 all name) is read as "
               "merged over rows 8 and 9, and its departments are inferred, to confirm. "
               "No deadline is printed.")
    r10, r11 = row(168, 10), row(169, 11)
    r10.note = ("Printed as row 9 (line 168): it is row 10 once row 9 is read from row 8's "
                "task cell (see 5.9).")
    r11.note = ("Printed as row 10 (line 169): it is row 11 once row 9 is read from row 8's "
                "task cell (see 5.9).")
    out += [r7, r8, r9, r10, r11, *rows(171, 172, 173, 174, 175, 176, 177)]
    return out


def c6() -> list[Row]:
    out = rows(182, 183, 184, 185, 186, 187, 189, 190, 191, 192, 193, 194, 195, 196, 198,
               199, 200, 201, 202, 203, 204, 206, 207, 208, 209, 210, 211)
    r4, r5, r15 = out[3], out[4], out[14]
    under_merged_cell(r5, r4, 185, "Row 5 (line 186), on row 4's subject (parking for "
                      "老旧小区), prints neither a department nor a deadline cell, the only row "
                      "between row 4's cells and row 6's.")
    r15.note = ("The cell writes 市、县 once, before a list of short names: it is read as "
                "applying to each (市、县工信局、商务局、应急管理局、市场监管局、税务局), so the "
                "city's tax bureau is in 市、县税务局. 应急管理局 is printed twice and kept once; "
                "消防救援支队 is the city's (a county's fire brigade is a 大队, not a 支队).")
    return out


def c7() -> list[Row]:
    out = rows(216, 217, 218, 219, 220, 221, 222, 224, 225, 226, 227, 228, 229, 230, 231,
               232, 233)
    r18 = row(234)
    r18.items += items_at(236, 2)
    r18.note = "Item (2) is printed after a page break (line 236)."
    r24 = row(242)
    r24.items += items_at(244, 1)
    r24.note = "Item (2) is printed after a page break (line 244)."
    out += [r18, *rows(237, 238, 239, 240, 241), r24, *rows(245, 246, 247)]
    return out


def c8() -> list[Row]:
    r1, r2 = row(252), row(253)
    move_last_item(r1, r2,
                   "The row's task cell also prints a second item labelled (1); row 2 starts at "
                   "(2), so that item is 2.1.",
                   "Item 1 is printed inside row 1's task cell (its second (1)); the row itself "
                   "starts at (2).")
    r5 = row(256)
    r5.items += items_at(258, 1)
    r5.note = "Item (4) is printed after a page break (line 258)."
    r11 = row(265)
    r11.rules[2] = ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "深入开展国内水路运输年度核查")
    r11.note = ("Item 2's 年度核查 (the annual check of domestic waterway transport) is a yearly "
                "obligation, so it has a yearly rule, though its text writes no 每年.")
    r15 = row(269)
    r15.items += items_at(271, 1) + items_at(272, 1) + items_at(273, 1)
    r15.note = "Items (2)-(4) are printed after a page break (lines 271-273)."
    return [r1, r2, *rows(254, 255), r5, *rows(259, 260, 261, 262, 264), r11,
            *rows(266, 267, 268), r15, *rows(274, 275, 276, 277, 278)]


def c9() -> list[Row]:
    out = rows(283, 284, 285, 286, 287, 288, 289)
    placed = ("Row 8 (line 291) prints three more item lists in its department and deadline "
              "columns, while rows 9-14 are printed empty. The lists are placed in rows 9 and 10 "
              "in printed order: (1)-(2) and (3) on the parties' responsibilities in row 9, "
              "(1)-(2) on government supervision in row 10. No department is printed for rows 8-10.")
    out += [Row(8, items_at(291, 1), note=placed),
            Row(9, items_at(291, 2) + items_at(291, 3), note=placed),
            Row(10, items_at(291, 4), note=placed)]
    out += [lost(n, f"Row {n} is printed empty (line {283 + n}).") for n in (11, 12, 13, 14)]
    out += rows(299, 300, 301, 302, 303, 304, 305)
    return out


def c10() -> list[Row]:
    out = rows(310, 311, 312)
    lists = [p.strip() for p in re.split(r"\s(?=各县市区党委政府和园区)", fold(cell(314, 2)))]
    shared = ("Rows 4-7 share one department cell in the extracted text (line 314), which prints "
              "four lists in turn; they are given to rows 4-7 in that order.")
    r4, r5, r6, r7 = row(314), row(315), row(316), row(317)
    for r, text in zip((r4, r5, r6, r7), lists):
        r.dept_cells, r.note = [text], shared
    out += [r4, r5, r6, r7, lost(8, "Row 8 is printed empty (line 318)."),
            *rows(320, 321, 322, 323)]
    return out


def c11() -> list[Row]:
    r7 = row(334)
    first, second = fold(cell(334, 2)).split(" ", 1)
    r7.item_depts = {1: first, 2: second}
    r7.note = ("The row labels both of its items (1) and prints two department lists, one for "
               "each item in turn.")
    return [*rows(328, 329, 330, 331, 332, 333), r7, *rows(336, 337)]


def c12() -> list[Row]:
    r7, r8 = row(349), row(350)
    move_last_item(r7, r8,
                   "The row's task cell also prints a second item labelled (1); row 8 starts at "
                   "(2), so that item is 8.1.",
                   "Item 1 is printed inside row 7's task cell (its second (1)); the row itself "
                   "starts at (2).")
    return [*rows(342, 343, 344, 345, 346, 347), r7, r8]


def c13() -> list[Row]:
    return rows(355, 356, 357, 358, 359, 360, 361, 362, 363)


CAMPAIGNS = [
    {"number": 1, "id": "study-publicity", "heading_line": 41, "rows": c1},
    {"number": 2, "id": "enterprise-responsibility", "heading_line": 53, "rows": c2,
     "note": "Row 10 is empty; one item is printed in row 7's department cell (see 2.7, 2.10). "
             "Rows 4 and 9-16 take the cells of rows 3 and 8, read as vertically merged cells "
             "(see 2.4, 2.9); those departments are inferred, to confirm."},
    {"number": 3, "id": "hazardous-chemicals", "heading_line": 84, "rows": c3},
    {"number": 4, "id": "coal-mine", "heading_line": 116, "rows": c4,
     "note": "Row 28 is not printed (see 4.28); rows 12-15 are rebuilt from one line, and the "
             "block's 2022年底前 is row 14's (see 4.12); row 22's two lists each take their own "
             "department list (see 4.22)."},
    {"number": 5, "id": "non-coal-mine", "heading_line": 156, "rows": c5,
     "note": "Rows 8-11 are read anew: row 9's text is printed in row 8's task cell, and the "
             "rows printed 9 and 10 are rows 10 and 11 (see 5.9)."},
    {"number": 6, "id": "fire", "heading_line": 179, "rows": c6,
     "note": "Row 5 takes row 4's cells, read as a vertically merged cell (see 6.5); its "
             "departments are inferred, to confirm. Row 15's 市、县 applies to each name of its "
             "list (see 6.15)."},
    {"number": 7, "id": "road-transport", "heading_line": 213, "rows": c7,
     "note": "The heading declares 38 items; the rows as printed hold 39. All are kept as printed."},
    {"number": 8, "id": "other-transport-fishing", "heading_line": 249, "rows": c8,
     "note": "Item 8.11.2's 年度核查 is a yearly obligation (see 8.11)."},
    {"number": 9, "id": "urban-construction", "heading_line": 280, "rows": c9,
     "note": "Rows 9-14 are printed empty; row 8's extra lists fill 9 and 10 (see 9.8); the text "
             "of rows 11-14 (5 items by the heading's count) is lost."},
    {"number": 10, "id": "industrial-parks", "heading_line": 307, "rows": c10,
     "note": "Row 8 is printed empty (see 10.8)."},
    {"number": 11, "id": "hazardous-waste", "heading_line": 325, "rows": c11},
    {"number": 12, "id": "special-equipment", "heading_line": 339, "rows": c12},
    {"number": 13, "id": "metallurgy", "heading_line": 352, "rows": c13},
]


def notice_requirements() -> Campaign:
    """Campaign 0: the requirements in the notice's own text, before the table."""
    body = fold(" ".join(LINES[17:32]))
    body = re.sub(r"(?<=通) (?=过安全生产)", "", body)  # a page break inside 通过 (lines 25-27)

    def cut(start: str, end: str) -> str:
        i = body.index(start)
        return body[i: body.index(end, i) + len(end)]

    def item(ident: str, text: str, rule: str | None = None, phrase: str | None = None) -> Item:
        return Item(id=ident, text=text, recurrence=rule, recurrence_text=phrase)

    monthly, quarterly = "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
    yearly = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"
    tasks = [
        Task(id="0.1", departments=assignments("各县（市、区）政府、各专题专项整治牵头部门"),
             departments_text="各县（市、区）、各专题专项整治牵头部门",
             source_note="The monthly report (lines 25-27; 通过 is split by a page break in the source).",
             items=[item("0.1.1", cut("各县（市、区）、各专题专项整治牵头部门要在月底前", "重要情况要即时报送。"),
                         monthly, "在月底前")]),
        Task(id="0.2", departments=assignments("各专题专项整治牵头部门"),
             departments_text="各专题、专项整治牵头部门",
             source_note="The campaign leads' duties (line 23): the quarterly progress meeting "
                         "(item 1, the sentence as printed), the deployment meeting on the 2022 "
                         "list (item 2, a phrase of the same sentence, on its own so that it can "
                         "be reported done once) and the acceptance standards with the self-check "
                         "(item 3). The text gives items 2 and 3 no date: the year end applies.",
             items=[item("0.2.1", cut("各专题、专项整治牵头部门要切实履行好", "及时安排下一阶段工作。"),
                         quarterly, "每季度至少要召开一次推进会"),
                    item("0.2.2", cut("对照2022年任务清单", "安排部署会议")),
                    item("0.2.3", cut("要提前谋划", "开展自查自验工作。"))]),
        Task(id="0.3", departments=assignments("市政府安委办"), departments_text="市政府安委办",
             source_note="The office's duties (line 31): the quarterly joint inspection (item 1; "
                         "the sentence's subject, 市政府安委办, is in the sentence before) and the "
                         "campaign's place in the annual target-responsibility assessment "
                         "(item 2, 年度: each year).",
             items=[item("0.3.1", cut("每季度会同相关部门", "联合督导检查。"), quarterly,
                         "每季度会同相关部门对各县市区政府、有关部门及企业至少开展一次联合督导检查"),
                    item("0.3.2", cut("市政府安委办将把专项整治工作", "考核范畴。"), yearly,
                         "纳入年度目标责任考核范畴")]),
        Task(id="0.4", departments=assignments("各县（市、区）政府、各部门"),
             departments_text="各县（市、区）、各部门",
             source_note="Each county's and department's own detailed task list (line 19). The "
                         "text gives no date: the year end applies.",
             items=[item("0.4.1", cut("各县（市、区）、各部门要对照任务", "细化任务清单。"))]),
        Task(id="0.5", departments=assignments("各部门"), departments_text="各部门",
             source_note="The departments' follow-up (回头看) of their 2020 and 2021 work and the "
                         "measures it leads to, each with its responsible office, person and "
                         "completion date (line 19; item 2's subject is item 1's). The text gives "
                         "no date: the year end applies.",
             items=[item("0.5.1", cut("各部门要结合2020年", "再检查、再落实")),
                    item("0.5.2", cut("要制定整改落实措施", "责任人和完成时限"))]),
    ]
    return Campaign(
        id="notice-requirements", number=0, title="通知的工作要求",
        heading=f"{fold(LINES[17])} {fold(LINES[21])} {fold(LINES[29])}",
        declared=Declared(tasks=len(tasks), items=sum(len(t.items) for t in tasks)),
        source=f"{NOTICE}, lines 17-31 of data/source/{SOURCE.name}",
        default_deadline=DEFAULT_DEADLINE,
        source_note=("Not a campaign of the table: the requirements of the notice's text "
                     "(sections 一, 二 and 三), each phrase verbatim, recurring where the text "
                     "states a period. The title and the declared counts are the registry's own, "
                     "not the notice's."),
        tasks=tasks,
    )


def checked(path: Path, campaign: Campaign) -> str:
    """A campaign's text, once it validates and reads back to the very same bytes."""
    text = dump_campaign(campaign)
    again, problems = parse_campaign(path, text, DIRECTORY)
    errors = [p.format() for p in problems if p.level == "error"]
    if again is None or errors or dump_campaign(again) != text:
        raise SystemExit(f"{path}: not written: {errors or 'not in the canonical layout'}")
    return text


def write_manifest(path: Path, campaigns: list[tuple[str, Campaign]]) -> None:
    """Rewrite the manifest's campaign entries (number, id, file, index: each task's item
    count) to match the files built; every other line of it is kept as it is."""
    source = path if path.exists() else ROOT / "data" / "registry.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    start = lines.index("campaigns:") + 1
    end = next((i for i in range(start, len(lines)) if lines[i] and lines[i][0] not in "- #"),
               len(lines))
    entries = []
    for name, c in campaigns:
        index = ", ".join(f'"{t.id}": {len(t.items)}' for t in c.tasks)
        entries += [f"- number: {c.number}", f"  id: {c.id}", f"  file: {name}",
                    f"  index: {{{index}}}"]
    path.write_text("\n".join(lines[:start] + entries + lines[end:]) + "\n", encoding="utf-8")


def build(out: Path, manifest: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    built: list[tuple[str, Campaign]] = [("00-notice-requirements.yaml", notice_requirements())]
    for spec in CAMPAIGNS:
        heading = fold(LINES[spec["heading_line"]])
        m = re.search(r"[（(]\s*(\d+)\s*条\s*(\d+)\s*项\s*[)）]", heading)
        assert m, heading
        rows: list[Row] = spec["rows"]()
        title = re.sub(r"^[一二三四五六七八九十]+、", "", heading[: m.start()]).strip()
        campaign = Campaign(
            id=spec["id"], number=spec["number"], title=title, heading=heading,
            declared=Declared(tasks=int(m.group(1)), items=int(m.group(2))),
            source=f"{NOTICE} 附件, line {spec['heading_line']} of data/source/{SOURCE.name}",
            default_deadline=DEFAULT_DEADLINE, source_note=spec.get("note"),
            tasks=[make_task(spec["number"], r) for r in rows],
        )
        built.append((f"{spec['number']:02d}-{spec['id']}.yaml", campaign))
    texts = [checked(out / name, campaign) for name, campaign in built]  # all, before any write
    for (name, campaign), text in zip(built, texts):
        (out / name).write_text(text, encoding="utf-8")
        n_items = sum(len(t.items) for t in campaign.tasks)
        print(f"{out / name}: {len(campaign.tasks)} tasks, {n_items} items")
    write_manifest(manifest, built)
    print(f"{manifest}: index of {len(built)} campaign files")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "tasks")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="the registry manifest to update (default: registry.yaml beside --out)")
    args = parser.parse_args()
    build(args.out, args.manifest or args.out.parent / "registry.yaml")
