"""A new registry's campaign files from a notice's task list: ``import-notice``.

One reader per kind of file, each giving the common table model of ``source``: ``docx``
(Word tables, or numbered paragraphs), ``xlsx`` (every sheet), ``csv``, ``text`` (numbered
text). ``tables`` finds a table's columns and turns its rows into tasks; ``build`` resolves
department names and deadlines and gives ids; ``plan`` validates the whole registry as it
would be, then writes it. ``cells`` holds what ``tools/build_registry.py`` shares.

python-docx and openpyxl are imported by their readers only.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem, UsageError
from .columns import Mapping
from .source import Grid, Paragraph, Unit

READERS = {".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".tsv": "csv",
           ".txt": "text", ".text": "text", ".md": "text"}
OTHER_FORMATS = {
    ".doc": "the old Word format: open it in Word or WPS and save it as .docx",
    ".wps": "a WPS document: open it in WPS and save it as .docx",
    ".xls": "the old Excel format: open it in Excel or WPS and save it as .xlsx",
    ".et": "a WPS sheet: open it in WPS and save it as .xlsx",
    ".pdf": "a PDF, whose text comes out of order in tables: copy the list into a .txt file (or "
            "export it to Word), check it against the PDF, and import that",
}
MAX_BYTES = 50 * 1024 * 1024


def read_units(path: Path, shown: str, mapping: Mapping,
               fallback_title: str) -> tuple[list[Unit], list[Problem]]:
    """The tasks of a notice's file, as read, and the problems met on the way."""
    suffix = path.suffix.lower()
    if suffix in OTHER_FORMATS:
        raise UsageError(f"{shown} is {OTHER_FORMATS[suffix]}")
    if suffix not in READERS:
        raise UsageError(f"{shown}: not a kind of file import-notice reads; give a .docx, .xlsx, "
                         ".csv or .txt file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read it: {exc.strerror or exc}") from None
    if not path.is_file():
        raise UsageError(f"{shown} is not a file")
    if size > MAX_BYTES:
        raise UsageError(f"{shown} is {size} bytes, more than a notice's {MAX_BYTES} byte limit")
    kind = READERS[suffix]
    problems: list[Problem] = []
    if kind == "text":
        from . import text
        from .source import decode

        content, problems = decode(path.read_bytes(), shown)
        if content is None:
            return [], problems
        units, more = text.read(content.replace("\r\n", "\n").split("\n"), text.line_at(shown))
        return units, problems + more
    if kind == "docx":
        from . import docx

        blocks = docx.read(path, shown)
        if not any(isinstance(b, Grid) for b in blocks):
            return _paragraphs_as_text(blocks, shown)
    elif kind == "xlsx":
        from . import xlsx

        blocks = xlsx.read(path, shown)
    else:
        from . import csv

        blocks, problems = csv.read(path, shown)
    from .tables import TableReader

    reader = TableReader(mapping, fallback_title)
    for block in blocks:
        if isinstance(block, Paragraph):
            reader.paragraph(block)
        else:
            reader.grid(block)
    reader.finish()
    return reader.units, problems + reader.problems


def _paragraphs_as_text(blocks: list, shown: str) -> tuple[list[Unit], list[Problem]]:
    """A Word document without tables: its paragraphs as numbered text."""
    from . import text

    lines: list[str] = []
    for p in blocks:
        n = int(p.where.place.split()[-1])
        lines += [""] * (n - 1 - len(lines)) + [p.text]
    return text.read(lines, text.paragraph_at(shown))
