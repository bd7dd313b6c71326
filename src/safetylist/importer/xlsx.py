"""Excel (.xlsx): every sheet as a table, merged cells repeated over the range they cover.

openpyxl is imported here only, by ``import-notice``; with defusedxml installed it refuses
XML entity tricks in the workbook. Values are read as Excel last computed them (formulas'
results); a date cell reads as its ISO date, a whole number as that number.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .source import Block, Cell, Grid, zip_or_refuse

MAX_CELLS = 500_000  # a task list has hundreds of rows; a sheet far larger is not one


def read(path: Path, shown: str) -> list[Block]:
    import openpyxl  # deferred: only importing an Excel notice needs it

    zip_or_refuse(path, shown, "an Excel workbook (.xlsx)", "Excel or WPS as .xlsx")
    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UsageError(f"{shown}: cannot read it as an Excel workbook (.xlsx): {exc}; save it "
                         "again from Excel or WPS as .xlsx") from None
    except Exception as exc:  # an XML parser's error: a damaged workbook
        if type(exc).__module__.startswith(("lxml", "xml", "defusedxml", "openpyxl")):
            raise UsageError(f"{shown}: the workbook is damaged ({exc}); save it again from "
                             "Excel or WPS as .xlsx") from None
        raise
    blocks: list[Block] = []
    for sheet in book.worksheets:
        values = _used(sheet)
        if len(values) * max((len(r) for r in values), default=0) > MAX_CELLS:
            raise UsageError(f"{shown}: sheet {sheet.title} fills {len(values)} rows, more than a "
                             "task list holds; import the list's own sheet, saved on its own")
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in sheet.merged_cells.ranges:
            top = (merged.min_row - 1, merged.min_col - 1)
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    origin[(r, c)] = top
        rows = []
        for r, row in enumerate(values):
            cells = []
            for c in range(len(row)):
                o = origin.get((r, c), (r, c))
                value = values[o[0]][o[1]] if o[0] < len(values) and o[1] < len(values[o[0]]) else None
                cells.append(Cell(_text(value), o))
            rows.append(cells)
        blocks.append(Grid(shown, f"sheet {sheet.title}", rows, list(range(1, len(rows) + 1)),
                           merges_known=True))
    return blocks


def _used(sheet: Any) -> list[list[Any]]:  # an openpyxl worksheet (untyped)
    """The sheet's values without the empty rows and columns after the last filled ones (a
    sheet formatted far down reports them in its size)."""
    rows: list[list[Any]] = []
    last_row = last_col = 0
    for r, row in enumerate(sheet.iter_rows(values_only=True), 1):
        filled = [c for c, v in enumerate(row, 1) if v is not None and str(v).strip()]
        rows.append(list(row))
        if filled:
            last_row, last_col = r, max(last_col, filled[-1])
    return [row[:last_col] for row in rows[:last_row]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
