"""The parse cache: validated files as JSON, keyed by a hash of their bytes and of the code.

A file is looked up by a BLAKE2 hash of its exact bytes, of the files it depends on
(departments.yaml), and of the source of this package, never by its name, size or
mtime: an edit of the same size, a restored mtime, a file copied or replaced, a ``git
checkout``, an upgrade or a local change of the validation code, all miss the cache.

Where it lives: ``$SAFETYLIST_CACHE``, else the platform's cache folder
(``%LOCALAPPDATA%\\safetylist\\Cache`` on Windows, ``~/Library/Caches/safetylist`` on
macOS, ``$XDG_CACHE_HOME/safetylist`` or ``~/.cache/safetylist`` elsewhere);
``SAFETYLIST_CACHE=off`` turns it off. Entries go in a folder of their own below that,
``parse-v2/``, named ``<40 hex digits>.json``: pruning deletes nothing else, so pointing
``SAFETYLIST_CACHE`` at a folder of one's own files is harmless.

It is JSON, read without ever running code from it; anything unreadable, corrupt or not a
regular file (a FIFO, a device, a link) is a miss, and is never waited on. A folder that
other users can write to (or that another user owns) is not used at all, and one warning
says so, as ssh does with its configuration (not checked on Windows, whose folders have
ACLs rather than mode bits).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from . import __version__

ENV = "SAFETYLIST_CACHE"
FORMAT = 4  # bump when the cached shape changes (3: problems name their rule; 4: tasks apart)
SUBFOLDER = "parse-v2"
MAX_ENTRIES = 2000
_ENTRY = re.compile(r"^[0-9a-f]{40}\.json$")
_OFF = ("", "off", "0", "no", "false")

warnings: list[str] = []  # said once per run by the command line, never printed here
_checked: dict[Path, bool] = {}


def folder() -> Path | None:
    """The folder of the cache's entries, or None when the cache is off."""
    value = os.environ.get(ENV)
    if value is not None:
        if value.strip().lower() in _OFF:
            return None
        return Path(value) / SUBFOLDER
    from .platform_dirs import user_cache_dir

    return user_cache_dir() / SUBFOLDER


def _usable(where: Path) -> bool:
    ok = _checked.get(where)
    if ok is None:
        from .platform_dirs import private_folder_problem

        reason = private_folder_problem(where)
        ok = _checked[where] = reason is None
        if reason is not None:
            warnings.append(f"the parse cache folder {where} is not used: it {reason} (make it "
                            f"yours and private with `chmod 700`, point {ENV} elsewhere, or set "
                            f"{ENV}=off)")
    return ok


try:  # the builtin module: hashlib would load OpenSSL first, a few ms of every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds it
    from hashlib import blake2b

_code_digest: bytes | None = None


def code_digest() -> bytes:
    """A digest of this package's own source files: a change of the code that parses and
    validates (an upgrade, an editable install being edited, a checkout) gives new keys.

    It covers each file's name, size and modification time, not its bytes: reading and
    hashing all the source would cost a warm run more than the rest of its start-up work,
    and every way the code changes (pip, git, an editor) writes the file anew. (The
    package's version is in the key as well.)"""
    global _code_digest
    if _code_digest is None:
        _code_digest = source_digest(Path(__file__).resolve().parent)
    return _code_digest


def source_digest(package: Path) -> bytes:
    h = blake2b(digest_size=16)
    for name, stamp in sorted(_sources(str(package), "")):
        h.update(name.encode("utf-8", "surrogatepass") + b"\0" + stamp.encode() + b"\0")
    return h.digest()


def _sources(folder: str, prefix: str) -> list[tuple[str, str]]:
    """Every ``*.py`` file below ``folder``: its path from there (``/``-separated) and its
    size and modification time (os.scandir: a third of what pathlib's rglob costs every run)."""
    out: list[tuple[str, str]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):  # as rglob: no loops through links
                out += _sources(e.path, f"{prefix}{e.name}/")
            elif e.name.endswith(".py"):
                st = e.stat()
                out.append((prefix + e.name, f"{st.st_size} {st.st_mtime_ns}"))
        except OSError:
            out.append((prefix + e.name, ""))
    return out


def key(raw: bytes, context: bytes = b"") -> str:
    salt = f"safetylist {__version__} cache {FORMAT} py{sys.version_info[0]}.{sys.version_info[1]}\n"
    h = blake2b(salt.encode(), digest_size=20)
    h.update(code_digest())
    h.update(len(context).to_bytes(8, "little"))
    h.update(context)
    h.update(raw)
    return h.hexdigest()


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def get(k: str) -> Any | None:
    """The value stored under ``k`` (plain JSON data), or None on a miss."""
    raw = get_bytes(k)
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        if not isinstance(entry, dict) or entry.get("key") != k:
            return None
        return entry["value"]
    except (ValueError, KeyError, TypeError):
        return None  # corrupt: parse the file instead


def get_bytes(k: str) -> bytes | None:
    """The entry stored under ``k`` as it is on disk: ``{"key": k, "value": …}`` as JSON,
    for a caller that decodes it itself (it must check the key); None on a miss."""
    where = folder()
    if where is None or not _usable(where):
        return None
    try:
        # Non-blocking and no links: a FIFO named like an entry must never make us wait.
        fd = os.open(where / f"{k}.json", _READ_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def put(k: str, value: Any) -> None:
    where = folder()
    if where is None:
        return
    import tempfile

    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _usable(where):
            return
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": k, "value": value}, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, where / f"{k}.json")
        tmp = None
        _prune(where)
    except (OSError, TypeError, ValueError):
        pass  # a read-only or full cache folder: carry on without it
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(where: Path) -> None:
    """Keep the folder small; only ever delete regular files named like our entries."""
    entries = []
    with os.scandir(where) as it:
        for e in it:
            if _ENTRY.match(e.name) and e.is_file(follow_symlinks=False):
                entries.append(e)
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES // 2]:
        with contextlib.suppress(OSError):
            os.unlink(old.path)
