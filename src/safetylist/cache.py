"""The parse cache: validated files as JSON, keyed by a hash of their bytes.

A file is looked up by a BLAKE2 hash of its exact bytes (with those of
departments.yaml and the program's version), never by its name, size or mtime:
an edit of the same size, a restored mtime, a file copied or replaced, a
``git checkout``, all give other bytes and so miss the cache. The cache lives
outside the registry (``$SAFETYLIST_CACHE``, else ``$XDG_CACHE_HOME/safetylist``,
else ``~/.cache/safetylist``); ``SAFETYLIST_CACHE=off`` turns it off. It is JSON,
read without ever running code from it; anything unreadable or corrupt is a
miss, and a cache that cannot be written is simply not written.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__

ENV = "SAFETYLIST_CACHE"
FORMAT = 1  # bump when the cached shape changes
MAX_ENTRIES = 2000
_SALT = f"safetylist {__version__} cache {FORMAT} py{sys.version_info[0]}.{sys.version_info[1]}\n".encode()


def folder() -> Path | None:
    value = os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "no", "false") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "safetylist"


try:  # the builtin module: hashlib would load OpenSSL first, a few ms of every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always builds it
    from hashlib import blake2b


def key(raw: bytes, context: bytes = b"") -> str:
    h = blake2b(_SALT, digest_size=20)
    h.update(len(context).to_bytes(8, "little"))
    h.update(context)
    h.update(raw)
    return h.hexdigest()


def get(k: str) -> Any | None:
    where = folder()
    if where is None:
        return None
    try:
        with open(where / f"{k}.json", encoding="utf-8") as fh:
            entry = json.load(fh)
        if not isinstance(entry, dict) or entry.get("key") != k:
            return None
        return entry["value"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: parse the file instead


def put(k: str, value: Any) -> None:
    where = folder()
    if where is None:
        return
    import tempfile

    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": k, "value": value}, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, where / f"{k}.json")
        _prune(where)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)  # a read-only or full cache folder: carry on without it


def _prune(where: Path) -> None:
    entries = list(where.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES // 2]:
        with contextlib.suppress(OSError):
            old.unlink()
