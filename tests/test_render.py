"""Tables as people see them: the installed command in a pseudo-terminal 80, 100 and 120
columns wide, compared line by line (colour codes removed, trailing blanks ignored)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import DATA

SCRIPT = Path(sys.executable).parent / "safetylist"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
LEGEND = ("* the campaign's default deadline (end of 2022); ? an ambiguous phrase; "
          "~ the period due of a recurring obligation")


def on_terminal(columns: int, *args: str) -> list[str]:
    """The lines a terminal ``columns`` wide shows for ``safetylist ARGS``."""
    assert SCRIPT.is_file(), f"the console script must be installed: {SCRIPT}"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TERM")}
    env.update(COLUMNS=str(columns), LINES="50", TERM="xterm-256color")
    proc = subprocess.Popen([str(SCRIPT), *args, "--data", str(DATA)], stdin=slave, stdout=slave,
                            stderr=subprocess.DEVNULL, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the program has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return [ANSI.sub("", line).rstrip() for line in text.split("\n")]


def cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


DUE = ["due", "--dept", "孝义应急", "--as-of", "2022-06-01"]


def test_due_at_80_columns_gives_the_text_24_cells_cut_with_an_ellipsis():
    lines = on_terminal(80, *DUE)
    assert lines[:7] == [
        "due: 68 item(s) for 孝义市应急管理局 as of 2022-06-01 (1 overdue)",
        "ID      departments     deadline     days  status       text",
        "─" * 80,
        "4.10.1  市、县应急管…   2022-01-31~  -121  not_started  按照山西省煤矿安全监管 …",
        "3.24.2  市、县应急管…   2022-06-30~    29  not_started  督促企业认真落实《危险 …",
        "5.10.1  市、县应急管…   2022-06-30     29  not_started  2022年6月底前，边坡或排…",
        "1.6.1   市、县应急… +9  2022-12-31*   213  not_started  督促企业建立健全全过程 …",
    ]
    rows = lines[3:-3]
    assert len(rows) == 68 and all(cells(r) <= 80 for r in rows)
    assert all(cells(r[r.index("not_started") + 13:]) >= 23 for r in rows)  # 24 cells, "…" included
    # The legend is whole, wrapped at the terminal's width.
    assert " ".join(lines[-3:-1]) == LEGEND and lines[-1] == ""


def test_due_at_100_and_120_columns_gives_the_room_to_the_text():
    assert on_terminal(100, *DUE)[1:5] == [
        "ID      departments           deadline     days  status         text",
        "─" * 100,
        "4.10.1  市、县应急管理局      2022-01-31~  -121  ● not_started  按照山西省煤矿安全监管专员制度，全 …",
        "3.24.2  市、县应急管理局      2022-06-30~    29  ● not_started  督促企业认真落实《危险化学品企业生 …",
    ]
    assert on_terminal(120, *DUE)[3:6] == [
        "4.10.1  市、县应急管理局      2022-01-31~  -121  ● not_started  按照山西省煤矿安全监管专员制度，全市正常生产煤矿“两人一…",
        "3.24.2  市、县应急管理局      2022-06-30~    29  ● not_started  督促企业认真落实《危险化学品企业生产安全事故应急准备指 …",
        "5.10.1  市、县应急管理局      2022-06-30     29  ● not_started  2022年6月底前，边坡或排土场高度200米及以上的露天矿山全 …",
    ]


@pytest.mark.parametrize("columns", [80, 120])
def test_wide_wraps_and_never_cuts(columns):
    lines = on_terminal(columns, "list", "--campaign", "5", "--wide")
    body = lines[3:-3]
    assert body and not any("…" in line for line in body)
    assert all(cells(line) <= columns for line in lines)
    # 5.2.1's text and every one of its departments are there, wrapped in their columns.
    header = lines[1]
    start = next(n for n, line in enumerate(body) if line.startswith("5.2.1 "))
    end = next(n for n in range(start + 1, len(body)) if body[n][:1].strip())
    depts_at, deadline_at, text_at = (cells(header[: header.index(h)]) for h in
                                      ("departments", "deadline", "text"))
    text = "".join(between(line, text_at, None) for line in body[start:end])
    depts = "".join(between(line, depts_at, deadline_at) for line in body[start:end])
    item = item_record("5.2.1")
    assert text == item["text"]
    assert depts == "、".join(item["departments"]) == "各县（市、区）政府、市应急管理局、市自然资源局、市公安局"


def between(line: str, start: int, end: int | None) -> str:
    """The characters of ``line`` from terminal cell ``start`` to ``end``, stripped."""
    out, at = [], 0
    for ch in line:
        if at >= start and (end is None or at < end):
            out.append(ch)
        at += cells(ch)
    return "".join(out).strip()


def item_record(ident: str) -> dict:
    import json

    from typer.testing import CliRunner

    from safetylist.cli import app

    result = CliRunner().invoke(app, ["list", "--format", "json", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    return next(r for r in json.loads(result.stdout) if r["id"] == ident)


def test_campaigns_at_80_columns_keep_every_number():
    lines = on_terminal(80, "campaigns", "--as-of", "2022-06-30")
    assert lines[:6] == [
        "14 campaigns, 353 items, 0 done, as of 2022-06-30",
        "                                             in               not           done",
        "No.  title                items  done  progress  blocked  started  overdue     %",
        "─" * 80,
        "  0  通知的工作要求           3     0         0        0        3        3   0.0",
        "  1  学习宣传贯彻习近平…     15     0         0        0       15        0   0.0",
    ]
    assert len(lines) == 4 + 14 + 1
    # At 100 the campaign's id has room again.
    assert on_terminal(100, "campaigns", "--as-of", "2022-06-30")[4] == (
        "  0  notice-requ…  通知的工作要求                 3     0         0        0        3        3   0.0")


def test_depts_at_80_columns_keep_the_open_item_counts():
    lines = on_terminal(80, "depts")
    assert lines[1:6] == [
        "                                                                      open  open",
        "name                              kind        aliases     groups       own  seen",
        "─" * 80,
        "市政府安委办                      department  吕梁市人 …  1              1     4",
        "市委宣传部                        department  宣传部      0             10    10",
    ]
    assert lines[-2] == "街道办事处                        group       街道        0 members      1     1"


# Rendering is pure: rows in, text out; the command writes it --------------------------------


class Tty:
    """A stream that says it is a terminal (nothing is written to it here)."""

    def isatty(self) -> bool:
        return True


def test_a_listing_is_returned_as_the_text_the_command_prints(runner, capsys):
    import datetime as dt

    from safetylist import query, render
    from safetylist.cli import app
    from safetylist.registry import open_registry

    registry = open_registry(DATA)
    day = dt.date(2022, 6, 1)
    views = query.select(registry, "due", query.make_filters(registry, as_of=day, depts=["孝义应急"]))
    title = f"due: {len(views)} item(s) for 孝义市应急管理局 as of 2022-06-01 (1 overdue)"
    printed = runner.invoke(app, [*DUE, "--data", str(DATA)])
    assert printed.exit_code == 0, printed.output
    for fmt in ("table", "json", "csv", "tsv", "ids"):
        text = render.item_listing(views, fmt, day, 30, title, query.RECORD_FIELDS)
        assert capsys.readouterr() == ("", "")  # rendering wrote nothing
        if fmt == "table":
            assert text == printed.stdout
    csv_text = render.item_listing(views, "csv", day, 30, title, ["id", "status"])
    assert csv_text.splitlines()[:2] == ["id,status", "4.10.1,not_started"]  # the caller's fields


def test_the_screen_is_what_the_stream_is(monkeypatch):
    import io

    from safetylist import render

    assert render.screen(io.StringIO()) == render.PLAIN and not render.PLAIN.terminal
    monkeypatch.setenv("COLUMNS", "64")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    seen = render.screen(Tty())  # type: ignore[arg-type]
    assert (seen.terminal, seen.width, seen.no_color) == (True, 64, False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert render.screen(Tty()).no_color  # type: ignore[arg-type]


def test_a_terminal_table_is_fitted_to_the_screen_it_is_given():
    from rich.cells import cell_len

    from safetylist import render

    cols = [render.Column("ID"), render.Column("status"), render.Column("text", truncate=True)]
    rows = [["4.1.1", render.Cell("overdue", "bold red"), "督促企业建立健全全过程安全管理制度" * 3]]
    screen = render.Screen(terminal=True, width=40)
    plain = render.table("t", cols, rows, screen)
    assert "\x1b" not in plain  # no colour system: no codes
    lines = plain.splitlines()
    assert lines[2] == "─" * 40 and all(cell_len(line) <= 40 for line in lines)
    assert lines[3].startswith("4.1.1  overdue  督促") and lines[3].endswith("…")
    coloured = render.table("t", cols, rows, screen._replace(color_system="truecolor"))
    assert "\x1b[1;31moverdue\x1b[0m" in coloured
    assert "\x1b[1;31m" not in render.table("t", cols, rows, screen._replace(
        color_system="truecolor", no_color=True))
    # A terminal whose encoding has no box drawing characters gets ASCII rules, as rich prints.
    rule = render.table("t", cols, rows, screen._replace(encoding="ascii")).splitlines()[2]
    assert set(rule) == {"-", "+"} and len(rule) == 40
    # Elsewhere: aligned plain text, the same for any width.
    assert render.table("t", cols, rows) == render.table("t", cols, rows, render.Screen(width=20))


def test_write_writes_the_text_as_it_is():
    import io

    from safetylist import render

    out = io.StringIO()
    render.write("a\x1b[1mb\x1b[0m\n", out)
    assert out.getvalue() == "a\x1b[1mb\x1b[0m\n"


def test_a_windows_console_gets_the_text_in_pieces_it_can_take(monkeypatch):
    """Windows consoles garble single writes above 32 KiB (python/cpython#82052)."""
    import io

    from safetylist import render

    class Console(io.StringIO):
        writes: list[int] = []

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            self.writes.append(len(text))
            return super().write(text)

    monkeypatch.setattr(render.sys, "platform", "win32")
    text = "".join(f"4.{n}.1  市应急管理局  2022-06-30  督促企业建立健全全过程安全管理制度\n" for n in range(3000))
    out = Console()
    render.write(text, out)  # type: ignore[arg-type]
    assert out.getvalue() == text
    assert len(out.writes) > 1 and max(out.writes) <= 8192
