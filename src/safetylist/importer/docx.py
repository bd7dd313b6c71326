"""Word (.docx): the document's paragraphs and tables, in order, with merged cells known.

A vertically merged cell (``w:vMerge``) is one cell over every row it spans, a horizontally
merged one (``w:gridSpan``) one cell over every column: both are repeated in each position
they cover, with the position of their top-left as ``origin``. python-docx is imported here
only, by ``import-notice``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from .source import Block, Cell, Grid, Paragraph, Where, zip_or_refuse

if TYPE_CHECKING:
    from docx.table import Table


def read(path: Path, shown: str) -> list[Block]:
    import docx  # deferred: only importing a Word notice needs python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    zip_or_refuse(path, shown, "a Word document (.docx)", "Word or WPS as .docx")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(f"{shown}: cannot read it as a Word document (.docx): {exc}; save it "
                         "again from Word or WPS as .docx") from None
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged file
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise UsageError(f"{shown}: the Word document is damaged ({exc}); save it again "
                             "from Word or WPS as .docx") from None
        raise
    blocks: list[Block] = []
    tables = paragraphs = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            blocks.append(_grid(block, shown, f"table {tables}"))
        else:
            paragraphs += 1
            if block.text.strip():
                blocks.append(Paragraph(block.text, Where(shown, f"paragraph {paragraphs}", 0)))
    return blocks


def _grid(table: Table, shown: str, place: str) -> Grid:
    from docx.table import _Cell

    rows: list[list[Cell]] = []
    for r, tr in enumerate(table._tbl.tr_lst):
        row: list[Cell] = [Cell("", (r, c)) for c in range(tr.grid_before)]
        for tc in tr.tc_lst:
            c = len(row)
            above = rows[r - 1] if r and c < len(rows[r - 1]) else None
            if tc.vMerge == "continue" and above is not None:
                cell = above[c]  # the merged cell, from the row above: same text, same origin
            else:
                cell = Cell(_Cell(tc, table).text, (r, c))
            row += [cell] * max(tc.grid_span, 1)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    for r, row in enumerate(rows):
        row += [Cell("", (r, c)) for c in range(len(row), width)]
    return Grid(shown, place, rows, list(range(1, len(rows) + 1)), merges_known=True)
