"""What every reader of a notice produces, whatever the file: places, tables, and the tasks
read from them (``Unit``), before any department is resolved or any id given.

A Word table, an Excel sheet and a CSV file are each a ``Grid``: rows of cells, where a merged
cell is repeated in every position it covers and ``origin`` names its top-left position, so
that a cell merged over several rows is known to be one cell. Numbered text has no grid; its
reader makes ``Unit`` objects directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem


def column_letter(n: int) -> str:
    """Column 1 is A, 27 is AA (as Excel names them)."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass(frozen=True)
class Where:
    """A place in the notice: file, table or sheet, row or line, column."""

    file: str  # the file's name as given
    place: str = ""  # "table 2", "sheet 清单"; "" for CSV and text (whose rows are lines)
    row: int = 1  # the table's row, or the file's line
    col: int = 0  # 1-based; 0 for the whole row
    header: str = ""  # the column's header as printed

    def label(self) -> str:
        parts = [self.place] if self.place else []
        if self.row:  # a Word paragraph is its own place, without rows
            parts.append(f"{'row' if self.place else 'line'} {self.row}")
        if self.col:
            parts.append(f"column {column_letter(self.col)}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)

    def problem(self, level: str, message: str) -> Problem:
        return Problem(self.file, self.row, max(self.col, 1), level, f"{self.label()}: {message}")

    def at(self, col: int, header: str = "") -> Where:
        return Where(self.file, self.place, self.row, col, header)


def span(rows: list[Where]) -> str:
    """Where a task was read, for its ``source``: notice.docx, table 1, rows 3-5."""
    first, last = rows[0], rows[-1]
    if not first.row:  # Word paragraphs
        where = first.place if first.place == last.place else \
            f"paragraphs {first.place.split()[-1]}-{last.place.split()[-1]}"
        return f"{first.file}, {where}"
    word = "row" if first.place else "line"
    numbers = (f"{word} {first.row}" if first.row == last.row
               else f"{word}s {first.row}-{last.row}")
    return ", ".join(p for p in (first.file, first.place, numbers) if p)


class Cell(NamedTuple):
    text: str
    origin: tuple[int, int]  # (row, column) of the merged cell's top-left; its own otherwise


@dataclass
class Grid:
    """One table: a Word table, an Excel sheet, a CSV file."""

    file: str
    place: str
    rows: list[list[Cell]]
    numbers: list[int]  # the row number a person sees for each row (sheet row, file line)
    merges_known: bool  # False for CSV: a cell left empty may be a merged cell the export lost

    def where(self, i: int, col: int = 0, header: str = "") -> Where:
        return Where(self.file, self.place, self.numbers[i], col, header)


class Paragraph(NamedTuple):
    text: str
    where: Where


Block = Paragraph | Grid


@dataclass
class Heading:
    """A campaign's heading as printed (一、危险化学品安全专项整治（5条8项）)."""

    text: str
    where: Where
    number: int | None = None  # 一 is 1; None when the heading has no ordinal
    declared: tuple[int, int] | None = None  # (条, 项) when the heading states them
    title: str = ""  # the heading without its ordinal and counts


@dataclass
class Piece:
    """A text of the notice and where it was read."""

    text: str
    where: Where


@dataclass
class DeptCell:
    role: str | None  # lead / support for a 牵头 / 配合 column; None: the cell says (or not)
    text: str
    where: Where


@dataclass
class Part:
    """An item as read: its text, and the row's own departments and deadline where a task's
    rows differ in them."""

    text: str
    where: Where
    depts: list[DeptCell] | None = None
    deadline: Piece | None = None


@dataclass
class Unit:
    """One task as read from the notice, before names are resolved and ids given."""

    heading: Heading | None
    rows: list[Where]
    number: int | None = None  # the task's printed number (序号, （三）, 3.)
    number_where: Where | None = None
    title: str | None = None
    parts: list[Part] = field(default_factory=list)
    depts: list[DeptCell] = field(default_factory=list)
    deadline: Piece | None = None
    inferred: bool = False  # departments and deadline taken from a cell left empty (CSV)
    notes: list[str] = field(default_factory=list)


CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """一 … 九十九 as a number; None for anything else."""
    if not text:
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = CN_DIGITS.get(tens, 0) if tens else 1
        o = CN_DIGITS.get(ones, 0) if ones else 0
        if (tens and not t) or (ones and not o) or len(text) > 3:
            return None
        return t * 10 + o
    return CN_DIGITS.get(text) if len(text) == 1 else None


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """A text file's text: UTF-8 (with or without Excel's byte-order mark), else GB18030, the
    encoding Excel and Notepad on Chinese Windows write (GBK is part of it), with a warning."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, 1, "error", f"line {line}: neither UTF-8 nor GB18030 "
                              "text; save the file as UTF-8")]
    return text, [Problem(shown, 1, 1, "warning", "not UTF-8: read as GB18030 (GBK), as Excel "
                          "and Notepad on Chinese Windows write it")]


def zip_or_refuse(path: Path, shown: str, what: str, how: str) -> None:
    """A .docx or .xlsx is a zip package: anything else (an old .doc renamed, a download that
    failed) is refused before a reader meets it."""
    import zipfile

    if not zipfile.is_zipfile(path):
        from ..errors import UsageError

        raise UsageError(f"{shown} is not {what}: such a file is a zip package, and this one is "
                         f"not (an old .doc/.xls renamed?); save it again from {how}")
