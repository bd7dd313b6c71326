"""Every output format in one place: rich tables for people, plain text when
stdout is not a terminal, JSON / CSV / TSV / ids for scripts.

Task text is data, never markup: every string goes into rich as a ``Text``
object, and control characters are made visible, so ``[bold]`` or an ANSI
escape in a task prints literally.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Iterable, TextIO

from .errors import Problem

FORMATS = ("table", "json", "csv", "tsv", "ids")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (ANSI escapes among them) shown as ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stream: TextIO | None = None) -> Any:
    from rich.console import Console  # deferred: scripts' formats never need rich

    stream = stream or sys.stdout
    return Console(file=stream, highlight=False, markup=False, emoji=False,
                   no_color=bool(os.environ.get("NO_COLOR")) or None)


# Problems -------------------------------------------------------------------------


def problems(items: Iterable[Problem], stream: TextIO | None = None) -> None:
    """One grep-friendly line per problem: ``path:line:col: level: message``."""
    stream = stream or sys.stderr
    colour = is_terminal(stream) and not os.environ.get("NO_COLOR")
    for p in items:
        line = visible(p.format())
        if colour:
            code = "31" if p.level == "error" else "33"
            head, sep, tail = line.partition(f" {p.level}: ")
            line = f"{head} \x1b[{code}m{p.level}\x1b[0m: {tail}" if sep else line
        stream.write(line + "\n")


# Tables -----------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    justify: str = "left"  # "left" or "right"
    truncate: bool = False  # the one column cut to the terminal width (item text)


@dataclass
class Cell:
    text: str
    style: str | None = None


def table(title: str, columns: list[Column], rows: list[list[Cell | str]],
          stream: TextIO | None = None, wide: bool = False, caption: str | None = None) -> None:
    """A table: rich with colour on a terminal, aligned plain text elsewhere."""
    stream = stream or sys.stdout
    cells = [[c if isinstance(c, Cell) else Cell(c) for c in r] for r in rows]
    if not is_terminal(stream):
        _plain_table(title, columns, cells, stream, caption)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = Table(title=visible(title), box=box.SIMPLE_HEAD, caption=caption and visible(caption),
              title_justify="left", caption_justify="left")
    for col in columns:
        t.add_column(col.header, justify=col.justify,  # type: ignore[arg-type]
                     no_wrap=not (col.truncate and wide),
                     overflow="ellipsis" if col.truncate else "fold",
                     ratio=1 if col.truncate else None)
    for r in cells:
        t.add_row(*[Text(visible(c.text), style=c.style or "") for c in r])
    console(stream).print(t)


def _plain_table(title: str, columns: list[Column], rows: list[list[Cell]], stream: TextIO,
                 caption: str | None) -> None:
    from rich.cells import cell_len  # double-width Chinese characters count as two

    data = [[visible(c.text) for c in r] for r in rows]
    headers = [c.header for c in columns]
    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in data]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        out = []
        for i, (v, col) in enumerate(zip(values, columns)):
            pad = " " * (widths[i] - cell_len(v))
            last = i == len(values) - 1
            out.append(pad + v if col.justify == "right" else (v if last else v + pad))
        return "  ".join(out).rstrip()

    stream.write(visible(title) + "\n")
    stream.write(line(headers) + "\n")
    for r in data:
        stream.write(line(r) + "\n")
    if caption:
        stream.write(visible(caption) + "\n")


# Scripts' formats ---------------------------------------------------------------------


def write_json(data: Any, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_delimited(records: list[dict[str, Any]], fields: list[str], delimiter: str,
                    stream: TextIO | None = None) -> None:
    """CSV or TSV: lists joined with ';', booleans as true/false, None as empty."""
    stream = stream or sys.stdout
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(fields)
    for rec in records:
        writer.writerow([_flat(rec.get(f)) for f in fields])
    stream.write(buf.getvalue())


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)
