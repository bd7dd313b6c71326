"""The registry lock: one writer at a time, on Linux, macOS and Windows.

The lock is ``<data>/.safetylist.lock``, held with the operating system's own file
lock: ``flock`` on Linux and macOS, ``LockFileEx`` on Windows. Both belong to the open
file, so the operating system drops the lock when its process ends, however it
ends: a killed writer never leaves a lock that blocks the next run. A lock that
lives on only as a file (a "soft" lock) would not keep that promise, so it is never
used: where no such lock exists the write is refused instead.

On Linux and macOS the lock is two system calls, made here (``flock`` with
``LOCK_NB``, polled until the timeout). On Windows it goes through the ``filelock``
package (the one pip, tox and virtualenv use), whose ``LockFileEx`` handling knows
Windows' reparse points and opportunistic locks; it costs about 15 ms of start-up,
so it is imported there only. Only writes import this module.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LockTimeout, UsageError, WriteRefused, display_path

if TYPE_CHECKING:
    from filelock import BaseFileLock

# Windows takes filelock's lock; tests/test_windows.py sets this on Linux, where filelock's
# flock lock stands in for its Windows one.
ON_WINDOWS = sys.platform == "win32"
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


@contextlib.contextmanager
def registry_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock on the registry folder ``root`` for the ``with`` block.

    Waits up to ``timeout`` seconds (default: ``timeout_from_env()``), then raises
    ``LockTimeout``; a lock file that cannot be opened raises ``WriteRefused``.
    """
    if timeout is None:
        timeout = timeout_from_env()
    held = _filelock(root, timeout) if ON_WINDOWS else _flock(root, timeout)
    with held:
        yield


def _busy(path: Path, timeout: float) -> LockTimeout:
    return LockTimeout(f"another safetylist process holds {display_path(path)} (waited "
                       f"{timeout:g} s); try again, or raise {ENV_LOCK_TIMEOUT}")


def _no_locks(root: Path) -> WriteRefused:
    return WriteRefused(f"the file system of {display_path(root)} does not support file locks; "
                        "keep the registry on a local disk; nothing was written")


def _no_native_lock(path: Path) -> WriteRefused:
    return WriteRefused(f"this system offers no file lock that ends with its process, so "
                        f"{display_path(path)} cannot be locked safely; nothing was written")


def _cannot_open(path: Path, exc: OSError) -> WriteRefused:
    if exc.errno in (errno.ELOOP, errno.EISDIR):  # a link or a folder where the lock file goes
        return WriteRefused(f"cannot open the lock file {display_path(path)}: {exc.strerror or exc}; "
                            "it must be a plain file: remove what is there and run the command again")
    return WriteRefused(f"cannot open the lock file {display_path(path)}: {exc.strerror or exc}; "
                        "is the registry folder writable?")


def _open(path: Path) -> int:
    """The lock file, opened for the lock (created if absent, never through a symbolic link,
    never truncated)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, 0o644)


# flock's answers for a file system that has no locks (an old NFS mount, some FUSE ones).
_UNSUPPORTED = {errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


@contextlib.contextmanager
def _flock(root: Path, timeout: float) -> Iterator[None]:
    """Linux and macOS: ``flock`` on the open lock file; closing it releases the lock."""
    path = root / LOCK_NAME
    try:
        import fcntl  # POSIX only; Windows takes _filelock
    except ImportError:
        raise _no_native_lock(path) from None
    try:
        fd = _open(path)
    except OSError as exc:
        raise _cannot_open(path, exc) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno in _UNSUPPORTED:
                    raise _no_locks(root) from None
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise _cannot_open(path, exc) from None
                if time.monotonic() >= deadline:
                    raise _busy(path, timeout) from None
                time.sleep(POLL)
        yield
    finally:
        os.close(fd)


def _native_lock(path: Path) -> BaseFileLock:
    """filelock's operating-system lock for this platform, never its soft lock."""
    import filelock

    if sys.platform == "win32":
        cls = filelock.WindowsFileLock
    elif filelock.has_fcntl:  # tests/test_windows.py, on Linux
        cls = filelock.UnixFileLock
    else:
        raise _no_native_lock(path)
    try:
        # filelock 4 falls back to a soft lock where the file system lacks flock; refuse instead.
        return cls(str(path), fallback_to_soft=False)
    except TypeError:  # filelock 3 has no such option and never falls back
        return cls(str(path))


@contextlib.contextmanager
def _filelock(root: Path, timeout: float) -> Iterator[None]:
    """Windows: filelock's ``LockFileEx`` lock."""
    import filelock

    path = root / LOCK_NAME
    lock = _native_lock(path)
    try:
        lock.acquire(timeout=timeout, poll_interval=POLL)
    except filelock.Timeout:  # a TimeoutError, so an OSError: caught first
        raise _busy(path, timeout) from None
    except (NotImplementedError, OSError) as exc:
        if isinstance(exc, NotImplementedError) or exc.errno == errno.ENOSYS:  # filelock 3, 4
            raise _no_locks(root) from None
        raise _cannot_open(path, exc) from None
    try:
        yield
    finally:
        lock.release()
