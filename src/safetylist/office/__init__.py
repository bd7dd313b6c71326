"""Office formats: the ledger (台账) as an Excel sheet out and back in, the monthly summary
as a Word report, an Excel workbook and a web page with charts.

``ledger`` builds and reads the ledger, ``returns`` turns a returned ledger into history
entries, ``word``, ``sheets`` and ``page`` render the summary. Each formatter takes plain
data and returns bytes or a string; only the CLI writes files. openpyxl and python-docx
are imported inside the functions that need them, never by ``due`` and its kind.

What they share (status words, section titles, headers) is in ``common``; this module only
picks the writer a summary format asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def render_summary(summary: dict[str, Any], fmt: str) -> str | bytes:
    """The monthly summary as ``docx`` (bytes), ``xlsx`` (bytes) or ``html`` (text)."""
    render: Callable[[dict[str, Any]], str | bytes]
    if fmt == "docx":
        from .word import render
    elif fmt == "xlsx":
        from .sheets import render
    elif fmt == "html":
        from .page import render
    else:
        raise ValueError(fmt)
    return render(summary)
