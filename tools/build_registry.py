"""Build data/tasks/*.yaml from the notice's extracted text (provenance record).

This is how the shipped registry was first made from
data/source/lvliang-2022-task-list.txt. Every item text is cut from the source
lines named below; the rows that the PDF extraction damaged are rebuilt here by
hand, each with the reason written into the task's source_note.

It is a one-off: once clerks record progress, data/tasks/ is the record, and
running this again would reset every status. Run it only on a fresh registry:

    python tools/build_registry.py --out data/tasks
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
    return re.sub(r"\s+", " ", re.sub(r"</?p>", "", text)).strip()


def cell(line: int, index: int) -> str:
    cells = LINES[line].split("\t")
    return cells[index] if index < len(cells) else ""


LABEL = re.compile(r"\((\d{1,2})\)\s*")


def items_of(text: str) -> list[str]:
    """The item texts of one table cell, without their (n) labels."""
    parts = LABEL.split(fold(text))
    if len(parts) == 1:
        return [parts[0]] if parts[0] else []
    if parts[0].strip():
        raise ValueError(f"text before the first label: {parts[0][:30]}")
    return [parts[i].strip() for i in range(2, len(parts), 2)]


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
DEADLINE_IN_CELL = re.compile(r"20\d\d\s*年\s*底前?")


def split_deadline(text: str) -> tuple[str, str | None]:
    m = DEADLINE_IN_CELL.search(text)
    if not m:
        return text, None
    return (text[: m.start()] + " " + text[m.end():]).strip(), m.group(0)


def _names(text: str) -> list[str]:
    tokens = [t for t in re.split(r"[，,、。；;\s]|及|和", text) if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        canon = DIRECTORY.canonical(tok)
        if canon is None and i + 1 < len(tokens):
            canon = DIRECTORY.canonical(tok + tokens[i + 1])
            if canon is not None:
                i += 1
        if canon is None:
            raise KeyError(f"unresolved department token {tok!r} in {text!r}")
        out.append(canon)
        i += 1
    return out


def assignments(text: str) -> list[Assignment]:
    text = fold(text)
    text = text.replace("（市、区）", "市区").replace("(市、区)", "市区").replace("市、县", "市县")
    for phrase, written in COMPOUNDS:
        text = text.replace(phrase, written)
    pairs: list[tuple[str, str | None]] = []
    m_sup = re.fullmatch(r"(.*)督促指导[，,](.*)具体落实", text)
    m_lead = re.fullmatch(r"(.*?)牵头[、，,](.*)配合", text)
    if m_sup:
        pairs += [(n, "supervise") for n in _names(m_sup.group(1))]
        pairs += [(n, "implement") for n in _names(m_sup.group(2))]
    elif m_lead:
        pairs += [(n, "lead") for n in _names(m_lead.group(1))]
        pairs += [(n, "support") for n in _names(m_lead.group(2))]
    else:
        pairs += [(n, None) for n in _names(text)]
    out: list[Assignment] = []
    for name, role in pairs:
        if all(a.name != name for a in out):
            out.append(Assignment(name=name, role=role))
    return out


# Tasks ---------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    items: list[str] = field(default_factory=list)
    dept_cells: list[str] = field(default_factory=list)
    deadline: str | None = None
    note: str | None = None
    item_depts: dict[int, str] = field(default_factory=dict)


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
        found = rule_for_text(text)
        if found:
            item.recurrence, item.recurrence_text = found
        items.append(item)
    dept_text = " ".join(r.dept_cells) or None
    note = r.note
    if not depts and items and note is None:
        note = NO_DEPT
    return Task(id=f"{campaign}.{r.number}", departments=depts, departments_text=dept_text,
                deadline=deadline, source_note=note, items=items)


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


def c1() -> list[Row]:
    r1, r2 = row(44), row(45)
    r2.items += items_at(47, 1)
    r2.item_depts[4] = cell(47, 2)
    r2.note = ("Item (4) and its own department cell are printed after a page break (line 47); "
               "items (1)-(3) take the row's department cell. The row states no deadline.")
    return [r1, r2, *rows(48, 49, 50, 51)]


def c2() -> list[Row]:
    out = rows(56, 57, 58, 59, 61, 62)
    r7 = row(63)
    dept, _, stray = fold(cell(63, 2)).partition("(1)")
    r7.dept_cells = [dept.strip()]
    r7.items += items_of("(1)" + stray)
    r7.note = ("Item 2 (安全生产标准化) is printed inside this row's department cell, labelled (1). "
               "It is kept in the row where the notice prints it; it may belong to row 10, which "
               "is empty in the notice.")
    out.append(r7)
    r8, r9 = row(64), row(65)
    r9.note = NO_DEPT
    out += [r8, r9, lost(10, "Row 10 is printed empty (line 66).")]
    out += rows(68, 69, 70, 71, 72, 73)
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
           "paired in printed order; the 2022年底前 among them is the year end, the default "
           "deadline, either way.")
    r12 = Row(12, [re.sub(r"^12\s+", "", fold(cells[0]))], [depts[0]], note=jam)
    r13 = Row(13, [fold(cells[1])], [depts[1]], note=jam)
    r14 = Row(14, items_of(cells[2]), [depts[2]], note=jam)
    r15 = Row(15, items_of(cells[3]), [depts[4]], note=jam)
    out += [r12, r13, r14, r15, *rows(135, 136, 137, 138)]
    r20 = row(139)
    r20.items += items_at(141, 1)
    r20.note = "Item (2) is printed after a page break (line 141)."
    r21 = row(142)
    r21.note = ("The row's items are labelled (3)-(5) and it has no (1) or (2); they may continue "
                "task 20. Kept as the notice numbers them.")
    r22 = row(143)
    r22.note = ("The row prints two lists, each labelled (1)-(2): the enforcement information "
                "system (items 1-2) and the 五人小组 reform (items 3-4). Its department cell "
                "names 市委编办、市人社局、市应急管理局 and, apart, 市矿山监察局山西局 "
                "(read as 国家矿山安全监察局山西局).")
    r23 = row(144)
    r23.items += items_at(146, 1)
    r23.note = "Item (3) is printed after a page break (line 146)."
    r25 = row(148)
    r25.note = "The row labels both of its items (1)."
    r27 = row(150)
    r27.items += items_at(152, 1)
    r27.note = "Items (3)-(4) are printed after a page break (line 152)."
    out += [r20, r21, r22, r23, row(147), r25, row(149), r27,
            lost(28, "No row 28 is printed: the text goes from row 27 to row 29 (line 153)."),
            *rows(153, 154)]
    return out


def c5() -> list[Row]:
    out = rows(159, 160, 161, 162, 163, 165)
    r7, r8 = row(166), row(167)
    move_last_item(r7, r8,
                   "The row's task cell also prints a second item labelled (1); row 8 starts at "
                   "(2), so that item is 8.1.",
                   "Item 1 is printed inside row 7's task cell (its second (1)); the row then "
                   "prints (2) and another item labelled (1), kept here as item 3.")
    out += [r7, r8, *rows(168, 169),
            lost(11, "No row 11 is printed: the text goes from row 10 to row 12 (line 171)."),
            *rows(171, 172, 173, 174, 175, 176, 177)]
    return out


def c6() -> list[Row]:
    return rows(182, 183, 184, 185, 186, 187, 189, 190, 191, 192, 193, 194, 195, 196, 198,
                199, 200, 201, 202, 203, 204, 206, 207, 208, 209, 210, 211)


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
    r15 = row(269)
    r15.items += items_at(271, 1) + items_at(272, 1) + items_at(273, 1)
    r15.note = "Items (2)-(4) are printed after a page break (lines 271-273)."
    return [r1, r2, *rows(254, 255), r5, *rows(259, 260, 261, 262, 264, 265, 266, 267, 268),
            r15, *rows(274, 275, 276, 277, 278)]


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
     "note": "Row 10 is empty; one item is printed in row 7's department cell (see 2.7, 2.10)."},
    {"number": 3, "id": "hazardous-chemicals", "heading_line": 84, "rows": c3},
    {"number": 4, "id": "coal-mine", "heading_line": 116, "rows": c4,
     "note": "Row 28 is not printed (see 4.28); rows 12-15 are rebuilt from one line (see 4.12)."},
    {"number": 5, "id": "non-coal-mine", "heading_line": 156, "rows": c5,
     "note": "Row 11 is not printed (see 5.11)."},
    {"number": 6, "id": "fire", "heading_line": 179, "rows": c6},
    {"number": 7, "id": "road-transport", "heading_line": 213, "rows": c7,
     "note": "The heading declares 38 items; the rows as printed hold 39. All are kept as printed."},
    {"number": 8, "id": "other-transport-fishing", "heading_line": 249, "rows": c8},
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
    """Campaign 0: the standing requirements in the notice's own text, before the table."""
    body = fold(" ".join(LINES[20:32]))
    body = re.sub(r"(?<=通) (?=过安全生产)", "", body)  # a page break inside 通过 (lines 25-27)

    def cut(start: str, end: str) -> str:
        i = body.index(start)
        return body[i: body.index(end, i) + len(end)]

    def item(ident: str, text: str, rule: str, phrase: str) -> Item:
        return Item(id=ident, text=text, recurrence=rule, recurrence_text=phrase)

    monthly, quarterly = "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
    return Campaign(
        id="notice-requirements", number=0, title="通知的工作要求",
        heading=f"{fold(LINES[21])} {fold(LINES[29])}",
        declared=Declared(tasks=3, items=3), source=f"{NOTICE}, lines 21-31 of data/source/{SOURCE.name}",
        default_deadline=DEFAULT_DEADLINE,
        source_note=("Not a campaign of the table: the standing requirements of the notice's text "
                     "(sections 二 and 三), kept as recurring items. The title and the declared "
                     "counts are the registry's own, not the notice's."),
        tasks=[
            Task(id="0.1", departments=assignments("各县（市、区）政府、各专题专项整治牵头部门"),
                 departments_text="各县（市、区）、各专题专项整治牵头部门",
                 source_note="The monthly report (lines 25-27; 通过 is split by a page break in the source).",
                 items=[item("0.1.1", cut("各县（市、区）、各专题专项整治牵头部门要在月底前", "重要情况要即时报送。"),
                             monthly, "在月底前")]),
            Task(id="0.2", departments=assignments("各专题专项整治牵头部门"),
                 departments_text="各专题、专项整治牵头部门",
                 source_note="Each campaign lead's quarterly progress meeting (line 23).",
                 items=[item("0.2.1", cut("各专题、专项整治牵头部门要切实履行好", "及时安排下一阶段工作。"),
                             quarterly, "每季度至少要召开一次推进会")]),
            Task(id="0.3", departments=assignments("市政府安委办"), departments_text="市政府安委办",
                 source_note="The office's quarterly joint inspection (line 31); the sentence's "
                             "subject, 市政府安委办, is in the sentence before.",
                 items=[item("0.3.1", cut("每季度会同相关部门", "联合督导检查。"), quarterly,
                             "每季度会同相关部门对各县市区政府、有关部门及企业至少开展一次联合督导检查")]),
        ],
    )


def write_checked(path: Path, campaign: Campaign) -> None:
    """Write a campaign only if it validates and reads back to the very same bytes."""
    text = dump_campaign(campaign)
    again, problems = parse_campaign(path, text, DIRECTORY)
    errors = [p.format() for p in problems if p.level == "error"]
    if again is None or errors or dump_campaign(again) != text:
        raise SystemExit(f"{path}: not written: {errors or 'not in the canonical layout'}")
    path.write_text(text, encoding="utf-8")


def build(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    zero = notice_requirements()
    write_checked(out / "00-notice-requirements.yaml", zero)
    print(f"{out / '00-notice-requirements.yaml'}: 3 tasks, 3 items")
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
        path = out / f"{spec['number']:02d}-{spec['id']}.yaml"
        write_checked(path, campaign)
        n_items = sum(len(t.items) for t in campaign.tasks)
        print(f"{path}: {len(campaign.tasks)} tasks, {n_items} items")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "tasks")
    build(parser.parse_args().out)
