"""Replacing a file and making it durable, on POSIX and on Windows.

Two things differ on Windows. ``os.replace`` fails while another process has the
target open without delete sharing (an editor, an antivirus scan, a sync
client): the failure is brief, so it is retried for about a second before the
write is refused. And a folder cannot be opened to ``fsync`` it: there the step
is skipped (NTFS journals the rename itself).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from .errors import WriteRefused, display_path

ON_WINDOWS = sys.platform == "win32"
PATIENCE = 1.0  # seconds a file held open by another program is waited for
_PAUSE = 0.05
# ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION: what os.replace raises on Windows while
# another process holds the target open (PermissionError, with the code in .winerror).
_HELD_OPEN = (5, 32)


def held_open(exc: OSError) -> bool:
    """Is this the Windows failure of a file that another process holds open?"""
    return isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in _HELD_OPEN


def replace_file(tmp: str | Path, path: Path, patience: float = PATIENCE) -> None:
    """``os.replace(tmp, path)``, retried while another program holds ``path`` open.

    On failure ``tmp`` is removed and ``WriteRefused`` raised: ``path`` is unchanged.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            os.replace(tmp, path)
            return
        except OSError as exc:
            if held_open(exc) and time.monotonic() < deadline:
                time.sleep(_PAUSE)
                continue
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if held_open(exc):
                raise WriteRefused(
                    f"cannot replace {display_path(path)}: another program has it open (an "
                    f"editor, an antivirus or a sync tool?) or it is read-only; waited "
                    f"{patience:g} s. Close it and run the command again; the file is "
                    "unchanged") from None
            raise WriteRefused(f"cannot write {display_path(path)}: {exc.strerror or exc}; "
                               "the file is unchanged") from None


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; best effort, and skipped on Windows."""
    if ON_WINDOWS:  # os.open cannot open a folder there; NTFS journals the rename
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
