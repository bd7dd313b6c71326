"""The monthly summary as an Excel workbook: an overview sheet, then a sheet per section.

Numbers stay numbers and rates are fractions shown as percentages, so the office can sort,
filter and total them; text columns wrap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..report import SECTIONS
from .common import (HEADERS, NUMBERS, RATES, SHEET_NAMES, cell_text, columns, period_sentence,
                     report_title, section_title, stable_zip, totals_sentence)

WIDTHS = {"text": 60, "note": 30, "title": 30, "name": 26, "departments": 30, "rule": 24, "by": 20}


def render(summary: dict[str, Any]) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    overview = wb.active
    overview.title = "概况"
    overview.append([report_title(summary)])
    overview["A1"].font = Font(name="黑体", size=14, bold=True)
    overview.append([period_sentence(summary)])
    overview.append([totals_sentence(summary)])
    overview.append([])
    overview.append(["表", "内容", "行数"])
    for section in SECTIONS:
        overview.append([SHEET_NAMES[section], section_title(section, summary), len(summary[section])])
    overview.column_dimensions["A"].width = 14
    overview.column_dimensions["B"].width = 70
    header_font = Font(name="黑体", size=11, bold=True)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    for section in SECTIONS:
        ws = wb.create_sheet(SHEET_NAMES[section])
        fields = columns(section)
        ws.append([HEADERS[f] for f in fields])
        for cell in ws[1]:
            cell.font, cell.fill = header_font, header_fill
        for r in summary[section]:
            ws.append([_value(f, r.get(f)) for f in fields])
        for n, field in enumerate(fields, 1):
            letter = get_column_letter(n)
            ws.column_dimensions[letter].width = WIDTHS.get(field, 12)
            if field in RATES:
                for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
                    cell.number_format = "0.0%"
            if field in WIDTHS:
                for (cell,) in ws.iter_rows(min_row=2, min_col=n, max_col=n):
                    cell.alignment = wrap
        ws.freeze_panes = "A2"
        if summary[section]:
            ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return stable_zip(out.getvalue(), dt.date.fromisoformat(summary["as_of"]))


def _value(field: str, value: Any) -> Any:
    if field in NUMBERS or field in RATES:
        return value
    if field in ("date", "deadline", "due", "last_entry") and value:
        return dt.date.fromisoformat(value)
    return cell_text(field, value)
