"""The one place that turns errors into exit codes: user errors get a line, bugs keep their traceback."""

from __future__ import annotations

import io

import pytest
from conftest import DATA

from safetylist import query, render
from safetylist.cli import app
from safetylist.errors import (
    EXIT_INVALID,
    EXIT_LOCKED,
    EXIT_USAGE,
    EXIT_WRITE,
    InvalidData,
    LockTimeout,
    UsageError,
    WriteRefused,
)


@pytest.mark.parametrize("error, code", [
    (UsageError("bad name"), EXIT_USAGE), (InvalidData("broken"), EXIT_INVALID),
    (WriteRefused("refused"), EXIT_WRITE), (LockTimeout("busy"), EXIT_LOCKED),
])
def test_user_errors_become_one_line_and_their_exit_code(runner, monkeypatch, error, code):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(query, "select", fail)
    result = runner.invoke(app, ["due", "--data", str(DATA)])
    assert result.exit_code == code
    assert result.stderr == f"safetylist: error: {error.message}\n"
    assert result.stdout == ""


def test_a_bug_keeps_its_traceback(runner, monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(query, "select", bug)
    result = runner.invoke(app, ["due", "--data", str(DATA)])
    assert isinstance(result.exception, ZeroDivisionError)


def test_no_color_is_honoured_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    rows = [[render.Cell("4.1.1", None), render.Cell("overdue", "bold red")]]
    cols = [render.Column("ID"), render.Column("status")]
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = render.table("t", cols, rows, render.screen(Tty()))
    assert "\x1b[1;31m" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = render.table("t", cols, rows, render.screen(Tty()))
    assert "\x1b[31m" not in plain and "\x1b[1;31m" not in plain
    assert "overdue" in plain


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "ids"])
def test_a_reader_that_stops_early_is_not_an_error(fmt):
    """`… | head -c 10`: the closed pipe ends the command quietly, exit 0 in every format."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "safetylist"
    run = subprocess.run(f"'{script}' list --format {fmt} --data '{DATA}' | head -c 10; "
                         "echo \" ${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash",
                         capture_output=True, text=True)
    assert run.stdout.endswith(" 0\n"), run.stdout
    assert run.stderr == ""
