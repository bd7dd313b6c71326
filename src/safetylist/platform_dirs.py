"""Where each platform keeps a user's cache, and whether a folder is the user's own.

The same places as the ``platformdirs`` package (``user_cache_dir("safetylist",
appauthor=False)``), without the dependency:

- Windows: ``%LOCALAPPDATA%\\safetylist\\Cache`` (else ``~\\AppData\\Local\\...``)
- macOS: ``~/Library/Caches/safetylist``
- elsewhere: ``$XDG_CACHE_HOME/safetylist``, else ``~/.cache/safetylist``; as the XDG
  specification says, a relative ``$XDG_CACHE_HOME`` is ignored.

``private_folder_problem`` is the check that a cache folder is not writable by
other users (who could plant entries in it). On Windows it is skipped and always
answers None: there the question is one of ACLs, not modes, and
``%LOCALAPPDATA%`` is private to its user by default.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

APP = "safetylist"


def user_cache_dir(platform: str | None = None) -> Path:
    """The folder this platform expects a user's cache for safetylist in."""
    platform = platform or sys.platform
    if platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        root = Path(base) if base else Path.home() / "AppData" / "Local"
        return root / APP / "Cache"
    if platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return root / APP


def private_folder_problem(path: Path, platform: str | None = None) -> str | None:
    """Why ``path`` is not a folder private to this user, or None when it is.

    POSIX: the folder must be owned by the effective user and not writable by
    everyone. A folder that does not exist yet has no problem (create it with mode
    0o700). Windows: skipped, always None (see the module's docstring).
    """
    platform = platform or sys.platform
    if platform == "win32" or not hasattr(os, "geteuid"):  # no uids where there is no geteuid
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be examined: {exc.strerror or exc}"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    me = os.geteuid()
    if st.st_uid != me:
        return f"is owned by another user (uid {st.st_uid}, not {me})"
    if st.st_mode & stat.S_IWOTH:
        return f"is writable by every user (mode {stat.S_IMODE(st.st_mode):o})"
    return None
