"""User-facing errors and problems, with their exit codes.

The core raises these; only the CLI turns them into messages and exit codes.
Anything that is not a ``SafetylistError`` is a bug and keeps its traceback.

Exit codes (documented in the README):
    0  the command ran (also when nothing matched)
    1  the registry has errors (``check``, or a load that found invalid files)
    2  usage: bad option, unknown or ambiguous name, bad date, unknown id, data not found
    3  a write failed or was refused; the file on disk is unchanged
    4  another safetylist process holds the registry lock and did not release it in time
    5  ``--commit``: the change is written to the file, but git could not commit it
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_WRITE = 3
EXIT_LOCKED = 4
EXIT_NOT_COMMITTED = 5


class Problem(NamedTuple):
    """One located finding: rendered as ``path:line:col: level: message [rule-id]``.

    ``rule`` names the validation rule that found it (``safetylist.rules``; every problem of
    a registry file has one). Problems in other input, such as a returned ledger or a notice
    being imported, have none.
    """

    path: str
    line: int
    col: int
    level: str  # "error" or "warning"
    message: str
    rule: str | None = None

    def format(self) -> str:
        message = " ".join(self.message.split("\n"))  # one line per problem, always
        tail = f" [{self.rule}]" if self.rule else ""
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {message}{tail}"


def display_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working folder when it is below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


class SafetylistError(Exception):
    """A user error: one clear message and a documented exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class UsageError(SafetylistError):
    """Bad arguments: unknown or ambiguous names, bad dates, unknown ids."""

    exit_code = EXIT_USAGE


class DataNotFound(SafetylistError):
    """No registry folder could be found."""

    exit_code = EXIT_USAGE


class InvalidData(SafetylistError):
    """The registry files have errors; ``problems`` lists every one."""

    exit_code = EXIT_INVALID


class WriteRefused(SafetylistError):
    """A write was refused or failed; the file on disk was left as it was."""

    exit_code = EXIT_WRITE


class LockTimeout(SafetylistError):
    """The registry lock is held by another process."""

    exit_code = EXIT_LOCKED


class NotCommitted(SafetylistError):
    """``--commit``: the file was written (unlike exit 3), but git did not commit it."""

    exit_code = EXIT_NOT_COMMITTED
