"""CSV: one table, its rows numbered by the line they start on.

UTF-8, else GB18030 (``source.decode``). Comma-separated, or tab-separated where the first
line has more tabs than commas (Excel's "Unicode text"). CSV keeps no merged cells: a cell
left empty below a filled one may be the rest of a merged cell, which the table reader
decides, marking what it infers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import Problem
from .source import Block, Cell, Grid, decode


def read(path: Path, shown: str) -> tuple[list[Block], list[Problem]]:
    text, problems = decode(path.read_bytes(), shown)
    if text is None:
        return [], problems
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    start = 1
    try:
        for values in reader:
            r = len(rows)
            rows.append([Cell(v, (r, c)) for c, v in enumerate(values)])
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(shown, start, 1, "error", f"line {start}: {exc}"))
        return [], problems
    width = max((len(r) for r in rows), default=0)
    for r, row in enumerate(rows):
        row += [Cell("", (r, c)) for c in range(len(row), width)]
    return [Grid(shown, "", rows, numbers, merges_known=False)], problems
