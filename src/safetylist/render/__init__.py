"""Every output format in one place: rich tables for people, plain text when
stdout is not a terminal, JSON / CSV / TSV / ids for scripts; the monthly summary's
Markdown and CSV in ``render.summary``.

Rendering is pure: each function takes rows (and the fields to show) from its caller and
returns the text; the CLI writes it (``write``). What the output's look depends on, whether
it goes to a terminal and how wide that is, comes in as a ``Screen`` (``screen(stream)``
looks once). Nothing here reads the registry or imports ``query``.

Task text is data, never markup: every string goes into rich as a ``Text``
object, and control characters are made visible, so ``[bold]`` or an ANSI
escape in a task prints literally.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any, NamedTuple, TextIO

from ..errors import Problem

FORMATS = ("table", "json", "csv", "tsv", "ids")
# What must never act on a terminal or a reader's eye: C0/C1 controls (ANSI escapes among
# them), newlines and tabs (a fake line or column), bidi controls (text that reads in
# another order than it is stored) and zero-width characters (names that look alike).
# (Compiled on first use, ``_controls``: start-up pays nothing for it.)
_CONTROL = "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    o = ord(ch)
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"


def _escape_match(m: re.Match[str]) -> str:
    return _escape(m.group())


_compiled: re.Pattern[str] | None = None


def _controls() -> re.Pattern[str]:
    global _compiled
    _compiled = re.compile(_CONTROL)
    return _compiled


def visible(text: str) -> str:
    """Text as it may be shown: controls, newlines, tabs, bidi and zero-width characters
    escaped (``\\n``, ``\\x1b``, ``\\u202e``), so displayed data can never forge structure."""
    return (_compiled or _controls()).sub(_escape_match, text)


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


# Where the output goes, and writing it ---------------------------------------------


class Screen(NamedTuple):
    """What the look of the output depends on: a terminal (rich, colour, fitted to ``width``
    cells; data made visible) or not (plain aligned text; data as it is). The rest is what
    rich saw of the terminal, so that text rendered here is what it would have printed."""

    terminal: bool = False
    width: int = 80
    color_system: str | None = None
    no_color: bool = False
    encoding: str = "utf-8"


PLAIN = Screen()  # a file or a pipe


def screen(stream: TextIO | None = None) -> Screen:
    """What ``stream`` (stdout) is; the one look at it before rendering."""
    stream = stream or sys.stdout
    if not is_terminal(stream):
        return PLAIN
    seen = console(stream)
    return Screen(True, seen.width, seen.color_system, seen.no_color, seen.encoding)


def _rich(screen: Screen) -> Any:
    """A console that renders for ``screen`` into a string (``capture``), never to a stream."""
    import io

    from rich.console import Console

    class Sink(io.StringIO):  # rich fits its boxes to the terminal's encoding (ascii_only)
        encoding = screen.encoding

    return Console(file=Sink(), force_terminal=True, width=screen.width,
                   color_system=screen.color_system,  # type: ignore[arg-type]
                   no_color=screen.no_color, legacy_windows=False,
                   highlight=False, markup=False, emoji=False)


def write(text: str, stream: TextIO | None = None) -> None:
    """Write what a render function returned to ``stream`` (stdout): the CLI's one way out."""
    stream = stream or sys.stdout
    if sys.platform == "win32" and is_terminal(stream):
        _write_console(text, stream)
        return
    stream.write(text)


def _write_console(text: str, stream: TextIO) -> None:
    """A Windows console: one without ANSI support (the old conhost) gets the colours through
    rich's Win32 calls; and no write is above 32 KiB, which the console can garble
    (python/cpython#82052)."""
    if "\x1b" in text:
        out = console(stream)
        if out.legacy_windows:  # pragma: no cover - a real Windows console only
            from rich.text import Text

            out.print(Text.from_ansi(text), end="", soft_wrap=True)
            return
    batch: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        if batch and size + len(line) > 8192:
            stream.write("".join(batch))
            batch, size = [], 0
        batch.append(line)
        size += len(line)
    stream.write("".join(batch))


# Problems -------------------------------------------------------------------------


def problem_text(items: Iterable[Problem], colour: bool = False) -> str:
    """One grep-friendly line per problem: ``path:line:col: level: message``; with ``colour``,
    the level in red (error) or yellow (warning)."""
    out = []
    for p in items:
        line = visible(p.format())
        if colour:
            code = "31" if p.level == "error" else "33"
            head, sep, tail = line.partition(f" {p.level}: ")
            line = f"{head} \x1b[{code}m{p.level}\x1b[0m: {tail}" if sep else line
        out.append(line + "\n")
    return "".join(out)


def problems(items: Iterable[Problem], stream: TextIO | None = None) -> None:
    """``problem_text`` written to ``stream`` (stderr), in colour on a terminal (not with
    NO_COLOR)."""
    stream = stream or sys.stderr
    write(problem_text(items, is_terminal(stream) and not os.environ.get("NO_COLOR")), stream)


# Tables -----------------------------------------------------------------------------


class Column(NamedTuple):
    """A table column. Its header may hold a line break (two lines on a terminal, one space
    in plain text). On a terminal (see ``tables``): ``truncate`` marks the text column that
    gets the room, cut with "…" (wrapped with --wide); a ``shrink`` column may be cut down to
    ``low`` cells and is held to ``cap`` while the text is cut; a ``drop`` column is left out
    when nothing else makes the table fit."""

    header: str
    justify: str = "left"  # "left" or "right"
    truncate: bool = False
    shrink: bool = False
    low: int = 0
    cap: int = 0
    drop: bool = False


class Cell(NamedTuple):
    text: str
    style: str | None = None
    keep: str = ""  # a tail kept whole when the cell is cut: "市、县应急… +9"


def table(title: str, columns: list[Column], rows: Sequence[Sequence[Cell | str]],
          screen: Screen = PLAIN, wide: bool = False, caption: str | None = None) -> str:
    """A table: rich with colour on a terminal, fitted to its width; aligned plain text elsewhere."""
    if not screen.terminal:
        return _plain_table(title, columns, rows, caption)
    cells = [[c if isinstance(c, Cell) else Cell(c) for c in r] for r in rows]
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..tables import Spec, fit

    out = _rich(screen)
    shown = [[visible(c.text) + c.keep for c in r] for r in cells]
    specs = []
    for i, col in enumerate(columns):
        natural = max([_width(h) for h in col.header.split("\n")] + [_width(r[i]) for r in shown])
        head = max(_width(h) for h in col.header.split("\n"))
        specs.append(Spec(natural, text=col.truncate, low=max(col.low, head) if col.shrink else col.low,
                          cap=col.cap, shrink=col.shrink, drop=col.drop))
    widths = fit(specs, screen.width)
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    kept = [i for i, w in enumerate(widths) if w is not None]
    for i in kept:
        col, width = columns[i], widths[i]
        cut = (col.truncate or col.shrink) and not wide
        t.add_column(col.header, justify=col.justify,  # type: ignore[arg-type]
                     width=width, no_wrap=cut, overflow="ellipsis" if cut else "fold")
    for r in cells:
        row = []
        for i in kept:
            c, width = r[i], widths[i]
            text = visible(c.text)
            if columns[i].shrink and not wide and _width(text + c.keep) > (width or 0):
                text = _cut(text, (width or 0) - _width(c.keep))
            row.append(Text(text + c.keep, style=c.style or ""))
        t.add_row(*row)
    with out.capture() as captured:
        # The title and the legend are printed whole, wrapped at the terminal's width.
        out.print(Text(visible(title), style="bold"))
        out.print(t)
        if caption:
            out.print(Text(visible(caption)))
    return captured.get()


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal cells, ending in "…" when cut."""
    if _width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + "…"


def _width(text: str) -> int:
    """Terminal columns: East Asian wide and fullwidth characters take two."""
    if text.isascii():
        return len(text)
    found = _WIDTHS.get(text)
    if found is None:
        from unicodedata import east_asian_width

        found = sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
        if len(_WIDTHS) < 4096:  # the same department names, row after row
            _WIDTHS[text] = found
    return found


_WIDTHS: dict[str, int] = {}


def _plain_table(title: str, columns: list[Column], rows: Sequence[Sequence[Cell | str]],
                 caption: str | None) -> str:
    """Aligned plain text, built a column at a time: a listing of every item of a large
    registry is hundreds of thousands of cells (each step below runs over a whole column)."""
    controls = _compiled or _controls()
    last = len(columns) - 1
    shown: list[Sequence[str]] = []
    for i, (col, cells) in enumerate(zip(columns, zip(*rows) if rows else [()] * len(columns))):
        values: Sequence[str] = cells
        if set(map(type, cells)) - {str}:
            values = [c if c.__class__ is str else c.text + c.keep for c in cells]
        joined = "".join(values)
        if controls.search(joined):  # one look for the whole column
            values = [visible(v) for v in values]
            joined = "".join(values)
        header = col.header.replace("\n", " ")
        if i == last:  # the last column is not padded: its (long) texts need no measuring
            shown.append([header, *values])
            continue
        values = [header, *values]
        if joined.isascii() and header.isascii():  # a character a cell: str's own padding
            width = max(map(len, values))
            shown.append(list(map(str.rjust if col.justify == "right" else str.ljust, values,
                                  repeat(width, len(values)))))
            continue
        lengths = list(map(_width, values))
        width = max(lengths)
        if col.justify == "right":
            shown.append([" " * (width - n) + v for v, n in zip(values, lengths)])
        else:
            shown.append([v + " " * (width - n) for v, n in zip(values, lengths)])
    out = [visible(title), *map(str.rstrip, map("  ".join, zip(*shown)))]
    if caption:
        out.append(visible(caption))
    return "\n".join(out) + "\n"


# Scripts' formats ---------------------------------------------------------------------


def json_text(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def delimited_text(records: list[dict[str, Any]], fields: Sequence[str], delimiter: str = ",") -> str:
    """The one CSV / TSV writer: a header row, then lists joined with ';', booleans as
    true/false, None as empty."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(fields)
    for rec in records:
        writer.writerow([_flat(rec.get(f)) for f in fields])
    return buf.getvalue()


def excel_text(text: str) -> str:
    """CSV as Excel on Chinese Windows opens it correctly: a UTF-8 byte-order mark (without
    one Excel reads the file in the local code page and garbles it) and CRLF line ends."""
    return "\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")


class ExcelStream:
    """A stream that writes what it is given as ``excel_text`` (``--format csv --bom``)."""

    def __init__(self, stream: TextIO):
        self.stream, self.started = stream, False

    def write(self, text: str) -> int:
        out = excel_text(text)[1 if self.started else 0:]  # the mark goes first, once
        self.started = True
        buffer = getattr(self.stream, "buffer", None)
        if buffer is None:
            return self.stream.write(out)
        self.stream.flush()  # the mark and CRLF are UTF-8 bytes, whatever the stream's encoding
        buffer.write(out.encode("utf-8"))
        buffer.flush()
        return len(text)

    def isatty(self) -> bool:
        return is_terminal(self.stream)

    def flush(self) -> None:
        self.stream.flush()


def visible_lines(text: str) -> str:
    """Line-oriented text (CSV, TSV, a diff, Markdown) for a terminal: each line made
    visible, the line breaks and the tabs that are the format's own kept."""
    return "\n".join("\t".join(visible(cell) for cell in line.split("\t"))
                     for line in text.split("\n"))


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def data_text(records: list[dict[str, Any]], fmt: str, fields: Sequence[str] | None = None,
              id_key: str = "id", screen: Screen = PLAIN) -> str | None:
    """``records`` as json / csv / tsv (``fields``, else the first record's keys) / ids;
    None when ``fmt`` is the table. Files and pipes get the data as it is; a terminal never
    gets raw escapes."""
    if fmt == "json":
        return json_text(records)
    if fmt in ("csv", "tsv"):
        fields = fields if fields is not None else (list(records[0]) if records else [])
        text = delimited_text(records, fields, "," if fmt == "csv" else "\t")
        return visible_lines(text) if screen.terminal else text
    if fmt == "ids":
        return "".join(f"{r[id_key]}\n" for r in records)
    return None


# Item listings ---------------------------------------------------------------------------

LIGHT_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green", "done": "dim"}


def item_listing(views: Sequence[Any], fmt: str, as_of: dt.date, warn: int, title: str,
                 fields: Sequence[str], wide: bool = False, screen: Screen = PLAIN) -> str:
    """Items (``query.ItemView``) as a table (people) or json / csv / tsv / ids (scripts),
    their records (``record``) with ``fields``."""
    if fmt != "table":
        return data_text([v.record(as_of) for v in views], fmt, fields, screen=screen) or ""
    plain = not screen.terminal
    # The light's dot needs two cells; below 100 columns the text needs them more.
    dot = not plain and screen.width >= 100
    # Without --dept, how many of each shared item's shares are done (3/14); with it, the
    # status is the department's own share's, and the column's room goes to the text.
    # Below 100 columns on a terminal the text needs the room more.
    shared = (any(len(v.holders) > 1 for v in views) and not any(v.focus for v in views)
              and (plain or screen.width >= 100))
    rows: list[list[Any]] = []
    dates: dict[Any, tuple[str, str]] = {None: ("-", "-")}  # a deadline's column texts, once each
    inferred = False
    for v in views:
        item, task = v.item, v.task
        depts = v.departments
        mark = ""
        if item.departments is None and task.departments_inferred:  # v.departments_inferred
            mark, inferred = " †", True
        if wide or len(depts) <= 1:
            shown, keep = ("、".join(depts) or "(unassigned)") + mark, ""
        else:
            shown, keep = depts[0], f" +{len(depts) - 1}{mark}"
        due = v.deadline
        texts = dates.get(due)
        if texts is None:
            texts = dates[due] = (due.isoformat(), str((due - as_of).days))
        deadline, days = texts
        if v.recurring:
            deadline += "~"
        else:  # the campaign's default deadline (*), or an ambiguous phrase (?)
            given = item.deadline or task.deadline
            if given is None:
                deadline += "*"
            elif given.ambiguous:
                deadline += "?"
        status = v.share_status or v.status  # with --dept, the department's own share's
        if shared:
            total = len(v.holders)
            count = f"{v.shares_done}/{total}" if total > 1 else ""
        if plain:  # no styles: plain strings, and a large listing builds much faster
            row: list[Any] = [item.id, shown + keep, deadline, days, status]
            if shared:
                row.append(count)
            row.append(item.text)
        else:
            light = v.light(as_of, warn)
            style = LIGHT_STYLE[light]
            row = [Cell(item.id, style if light == "done" else None), Cell(shown, keep=keep),
                   Cell(deadline, style), Cell(days, style),
                   Cell(f"● {status}" if dot and light != "done" else status, style)]
            if shared:
                row.append(Cell(count))
            row.append(Cell(item.text, "dim" if light == "done" else None))
        rows.append(row)
    # The campaign is the id's first number: no column of its own. "shares": how many of the
    # departments that each owe a share of the item have done it (3/14).
    cols = [Column("ID"), Column("departments", shrink=True, low=10, cap=20), Column("deadline"),
            Column("days", "right"), Column("status")]
    if shared:
        cols.append(Column("shares", "right"))
    cols.append(Column("text", truncate=True))
    caption = ("* the campaign's default deadline (end of 2022); ? an ambiguous phrase; "
               "~ the period due of a recurring obligation")
    if inferred:
        caption += "; † departments inferred from a merged cell, to confirm"
    return table(title, cols, rows, screen, wide=wide, caption=caption if views else None)


# The order ``show`` lists an item's shares in: done first, then what holds the item up.
SHARE_ORDER = ("done", "blocked", "in_progress", "not_started")


def show(info: dict[str, Any], as_of: dt.date, fmt: str) -> str:
    """A task or item in full (``query.describe``): one labelled line per fact, or JSON."""
    if fmt == "json":
        return json_text(info)
    from ..typed import ROLE_CN

    out: list[str] = []
    whole_task = info["id"] == info["task"]  # the task's items, not one of them

    def names(assigned: list[dict[str, Any]]) -> str:
        parts = [a["name"] + (f" ({a['role']} {ROLE_CN[a['role']]})" if a.get("role") else "")
                 for a in assigned]
        return "、".join(parts) or "(unassigned)"

    out.append(f"{info['id']}  {info['campaign']} {info['campaign_title']} · task {info['task']}")
    if info["title"]:
        out.append(f"title: {info['title']}")
    inferred = " (inferred from a merged cell, to confirm)" if info["departments_inferred"] else ""
    out.append(f"departments: {names(info['departments'])}{inferred}")
    if info["departments_text"]:
        out.append(f"as printed: {info['departments_text']}")
    if info["source"]:
        out.append(f"read from: {info['source']}")
    if info["source_note"]:
        out.append(f"source note: {info['source_note']}")
    if not info["items"]:
        out.append("items: none (the notice's text for this task is lost)")
    for rec in info["items"]:
        out.append("")
        out.append(f"{rec['id']}  [{rec['status_text']}]")
        out.append(f"  text: {rec['text']}")
        if rec["roles"] != info["departments"]:
            label = "departments" if whole_task else "item departments"
            out.append(f"  {label}: {names(rec['roles'])}")
        if rec["recurrence"]:
            deadline = (f"{rec['deadline']} (recurring: {rec['deadline_text']}; period "
                        f"{rec['period']}; rule {rec['recurrence']})" if rec["deadline"]
                        else f"none (recurring: {rec['deadline_text']}; every period met)")
        elif rec["deadline"] is None:
            deadline = "none"
        elif rec["deadline_explicit"]:
            deadline = f"{rec['deadline']} (explicit: {rec['deadline_text']}"
            deadline += ", ambiguous reading)" if rec["deadline_ambiguous"] else ")"
        else:
            deadline = f"{rec['deadline']} (default: the campaign's end of 2022)"
        left = rec["days_left"]
        status = "overdue" if rec["overdue"] else (f"{left} days left" if left is not None else "")
        out.append(f"  deadline: {deadline}; as of {as_of.isoformat()}: {status}")
        if rec.get("shares"):
            done = sum(sh["status"] == "done" for sh in rec["shares"])
            out.append(f"  shares: {done} of {len(rec['shares'])} done")
            for word in SHARE_ORDER:
                holding = [sh["department"] for sh in rec["shares"] if sh["status"] == word]
                if holding:
                    out.append(f"    {word}: {'、'.join(holding)}")
        if rec.get("periods"):
            out.append("  periods:")
            for p in rec["periods"]:
                who = f" by {p['by']}" if p["by"] else ""
                when = f" {p['date']}{who}" if p["state"] == "met" else ""
                out.append(f"    {p['period']} (due {p['due']}): {p['state']}{when}")
        if rec["history"]:
            out.append("  history:")
            for n, h in enumerate(rec["history"], 1):
                whole = " for every share (the office's decision)" if h.get("whole") else ""
                extra = "".join(f" {k}={h[k]}" for k in ("by", "period") if k in h)
                extra += " (problem)" if h.get("problem") else ""
                note = f": {h['note']}" if "note" in h else ""
                undo = f" (undo: takes back entry {h['undoes']})" if "undoes" in h else ""
                mark = " (taken back)" if h.get("taken_back") else ""
                out.append(f"    {n}. {h['date']} {entry_word(h)}{whole}{extra}{undo}{mark}{note}")
        else:
            out.append("  history: none")
    return "".join(visible(line) + "\n" for line in out)


def campaigns(rows: list[dict[str, Any]], as_of: dt.date, fmt: str, screen: Screen = PLAIN) -> str:
    """The campaigns' counts (``query.campaign_rows``) as a table or json / csv / tsv / ids."""
    data = data_text(rows, fmt, id_key="campaign", screen=screen)
    if data is not None:
        return data
    # Every number keeps its column at 80 cells: two-line headers, and the slug goes first.
    cols = [Column("No.", "right"), Column("id", shrink=True, low=8, cap=12, drop=True),
            Column("title", truncate=True, low=12), Column("items", "right"),
            Column("done", "right"), Column("in\nprogress", "right"), Column("blocked", "right"),
            Column("not\nstarted", "right"), Column("overdue", "right"), Column("done\n%", "right")]
    body = [[str(r["campaign"]), r["campaign_id"], r["title"], str(r["items"]), str(r["done"]),
             str(r["in_progress"]), str(r["blocked"]), str(r["not_started"]),
             Cell(str(r["overdue"]), "bold red" if r["overdue"] else None),
             f"{r['completion'] * 100:.1f}"] for r in rows]
    total = sum(r["items"] for r in rows)
    done = sum(r["done"] for r in rows)
    return table(f"{len(rows)} campaigns, {total} items, {done} done, as of {as_of.isoformat()}",
                 cols, body, screen)


def departments(rows: list[dict[str, Any]], fmt: str, single: bool = False,
                screen: Screen = PLAIN) -> str:
    """Departments and groups (``query.department_rows``) as a table or json / csv / tsv /
    ids; ``single``: the one row of a name looked up, as labelled lines."""
    data = data_text(rows, fmt, id_key="name", screen=screen)
    if data is not None:
        return data
    if single:
        (r,) = rows
        lines = [f"{r['name']}  ({r['kind']}, {r['level']})"]
        if r["aliases"]:
            lines.append(f"aliases: {'、'.join(r['aliases'])}")
        if r["kind"] == "department":
            lines.append(f"groups: {'、'.join(r['groups']) or '(none)'}")
        else:
            lines.append(f"members: {'、'.join(r['members']) or '(not listed by the notice)'}")
        if r["note"]:
            lines.append(f"note: {r['note']}")
        lines.append(f"open items: {r['open_own']} assigned to it, {r['open_visible']} it sees "
                     "(its own and its groups')")
        return "".join(visible(line) + "\n" for line in lines)
    cols = [Column("name", shrink=True, low=12), Column("kind"), Column("aliases", truncate=True, low=8),
            Column("groups"), Column("open\nown", "right"), Column("open\nseen", "right")]
    body = [[r["name"], r["kind"], "、".join(r["aliases"]),
             str(len(r["groups"]) if r["kind"] == "department" else f"{len(r['members'])} members"),
             str(r["open_own"]), str(r["open_visible"])] for r in rows]
    return table(f"{len(rows)} departments and groups", cols, body, screen)


def entry_word(entry: dict[str, Any]) -> str:
    """What a history entry is, in one word: its status, else its kind, else a note."""
    return entry.get("status") or entry.get("kind") or "note"


def _log_note(r: dict[str, Any], undone: str | None) -> str:
    """A log entry's note, saying what a correction takes back and what was taken back."""
    note = r["note"] or ""
    if r["undoes"] is not None:
        note = f"undo: takes back entry {r['undoes']} ({undone})" + (f": {note}" if note else "")
    if r["whole"]:
        note = f"(for every share: the office's decision) {note}".rstrip()
    if r["taken_back"]:
        note = f"(taken back) {note}".rstrip()
    return note


def history(entries: Sequence[Any], fmt: str, fields: Sequence[str], screen: Screen = PLAIN) -> str:
    """History entries (``query.LogEntry``) as a table or json / csv / tsv / ids, their
    records with ``fields``."""
    records = [e.record() for e in entries]
    data = data_text(records, fmt, fields, screen=screen)
    if data is not None:
        return data
    rows = [[r["date"], r["id"], Cell(entry_word(r), LIGHT_STYLE["done"] if r["status"] == "done" else None),
             r["by"] or "", r["period"] or "", _log_note(r, e.undone)]
            for r, e in zip(records, entries)]
    cols = [Column("date"), Column("ID"), Column("status"), Column("by", shrink=True, low=8, cap=16),
            Column("period"), Column("note", truncate=True, low=20)]
    return table(f"{len(records)} history entr{'y' if len(records) == 1 else 'ies'}, newest first",
                 cols, rows, screen)
