"""The registry lock: one writer at a time, on Linux, macOS and Windows.

The lock is ``<data>/.safetylist.lock``, held with the operating system's own file
lock through the ``filelock`` package (the one pip, tox and virtualenv use):
``flock`` on Linux and macOS, ``LockFileEx`` on Windows. Both belong to the open
file, so the operating system drops the lock when its process ends, however it
ends: a killed writer never leaves a lock that blocks the next run. A lock that
lives on only as a file (filelock's "soft" lock) would not keep that promise, so
it is never used: where no such lock exists the write is refused instead.

Only writes import this module, and it imports ``filelock`` only when it locks.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LockTimeout, UsageError, WriteRefused, display_path

if TYPE_CHECKING:
    from filelock import BaseFileLock

LOCK_NAME = ".safetylist.lock"
ENV_LOCK_TIMEOUT = "SAFETYLIST_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
POLL = 0.02  # seconds between attempts while another process holds the lock


def timeout_from_env() -> float:
    """Seconds to wait for the lock: ``$SAFETYLIST_LOCK_TIMEOUT``, else 30."""
    raw = os.environ.get(ENV_LOCK_TIMEOUT, "")
    if not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"{ENV_LOCK_TIMEOUT}={raw!r} is not a number of seconds; set it to one "
                         f"(such as 30), or unset it for the default of {DEFAULT_TIMEOUT:g}")
    return value


def _native_lock(path: Path) -> BaseFileLock:
    """filelock's operating-system lock for this platform, never its soft lock."""
    import filelock

    if sys.platform == "win32":
        cls = filelock.WindowsFileLock
    elif filelock.has_fcntl:
        cls = filelock.UnixFileLock
    else:
        raise WriteRefused(f"this system offers no file lock that ends with its process, so "
                           f"{display_path(path)} cannot be locked safely; nothing was written")
    try:
        # filelock 4 falls back to a soft lock where the file system lacks flock; refuse instead.
        return cls(str(path), fallback_to_soft=False)
    except TypeError:  # filelock 3 has no such option and never falls back
        return cls(str(path))


@contextlib.contextmanager
def registry_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock on the registry folder ``root`` for the ``with`` block.

    Waits up to ``timeout`` seconds (default: ``timeout_from_env()``), then raises
    ``LockTimeout``; a lock file that cannot be opened raises ``WriteRefused``.
    """
    import filelock

    if timeout is None:
        timeout = timeout_from_env()
    path = root / LOCK_NAME
    lock = _native_lock(path)
    try:
        lock.acquire(timeout=timeout, poll_interval=POLL)
    except filelock.Timeout:  # a TimeoutError, so an OSError: caught first
        raise LockTimeout(f"another safetylist process holds {display_path(path)} (waited "
                          f"{timeout:g} s); try again, or raise {ENV_LOCK_TIMEOUT}") from None
    except (NotImplementedError, OSError) as exc:
        if isinstance(exc, NotImplementedError) or exc.errno == errno.ENOSYS:  # filelock 3, 4
            raise WriteRefused(f"the file system of {display_path(root)} does not support file locks; "
                               "keep the registry on a local disk; nothing was written") from None
        raise WriteRefused(f"cannot open the lock file {display_path(path)}: {exc.strerror or exc}; "
                           "is the registry folder writable?") from None
    try:
        yield
    finally:
        lock.release()
