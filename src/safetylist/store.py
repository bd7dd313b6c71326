"""Writing changes back into the YAML, safely.

Every write: take the registry lock, re-read the campaign file inside it, refuse
if the file holds hand edits the canonical layout would not keep, apply the
change to a copy, validate the whole campaign, then replace the file atomically
(temporary file in the same folder, flush, fsync, rename). An update changes
only the lines of the items it touches, so git diffs and merges stay small.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import difflib
import errno
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import LockTimeout, UsageError, WriteRefused
from .layout import dump_campaign
from .models import Assignment, Campaign, HistoryEntry, Item, Task
from .registry import Registry, display_path, read_text
from .validate import parse_campaign

LOCK_NAME = ".safetylist.lock"
ENV_LOCK_TIMEOUT = "SAFETYLIST_LOCK_TIMEOUT"
ENV_COMMIT = "SAFETYLIST_COMMIT"


@contextlib.contextmanager
def registry_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """An exclusive lock on the registry folder.

    It is an advisory ``flock`` on ``<data>/.safetylist.lock``: the kernel drops it
    when its process ends, however it ends, so a killed writer never leaves a
    lock that blocks the next run.
    """
    import fcntl

    if timeout is None:
        timeout = float(os.environ.get(ENV_LOCK_TIMEOUT, "30"))
    path = root / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WriteRefused(f"cannot open the lock file {display_path(path)}: {exc.strerror}; "
                           "is the registry folder writable?") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"another safetylist process holds {display_path(path)} "
                                      f"(waited {timeout:g} s); try again, or raise "
                                      f"{ENV_LOCK_TIMEOUT}") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: never a truncated or half-written file."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteRefused(f"cannot write in {display_path(folder)}: {exc.strerror}; "
                           f"{display_path(path)} is unchanged") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteRefused(f"cannot write {display_path(path)}: {exc.strerror}; "
                           "the file is unchanged") from None
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _remove_leftovers(path: Path) -> None:
    """Temporary files of writers that were killed; safe to remove while holding the lock."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _read_valid(path: Path, registry: Registry, advice: str) -> tuple[str, Campaign]:
    """The file's text and campaign, or ``WriteRefused`` with its errors."""
    text, problem = read_text(path)
    if problem is not None:
        raise WriteRefused(problem.format())
    assert text is not None
    campaign, problems = parse_campaign(path, text, registry.directory)
    errors = [p for p in problems if p.level == "error"]
    if campaign is None or errors:
        raise WriteRefused(f"{display_path(path)} has errors; {advice}", errors)
    return text, campaign


def _first_difference(old: str, new: str) -> tuple[int, str]:
    for n, (a, b) in enumerate(zip(old.splitlines(), new.splitlines()), 1):
        if a != b:
            return n, a
    n = min(len(old.splitlines()), len(new.splitlines())) + 1
    lines = old.splitlines()
    return n, lines[n - 1] if n - 1 < len(lines) else ""


@dataclass
class Change:
    """What one write did (or would do): the file, its diff, the message for git."""

    path: Path
    diff: str
    message: str
    written: bool


Mutation = Callable[[Campaign], str]  # changes the campaign in place, returns a summary


def apply(registry: Registry, campaign_number: int, mutate: Mutation, *,
          dry_run: bool = False, lock_timeout: float | None = None) -> Change:
    """Re-read, change, validate and write one campaign file under the lock."""
    path = registry.file_of(campaign_number).path
    shown = display_path(path)
    lock = contextlib.nullcontext() if dry_run else registry_lock(registry.root, lock_timeout)
    with lock:
        text, campaign = _read_valid(path, registry, "fix them first (`safetylist check`)")
        canonical = dump_campaign(campaign)
        if canonical != text:
            line, content = _first_difference(text, canonical)
            raise WriteRefused(
                f"{shown}:{line}: hand edits the writer would not keep (e.g. a comment or a "
                f"layout change: {content.strip()[:60]!r}); nothing was written. Run "
                f"`safetylist fmt {shown}` to rewrite the file in the canonical layout, review "
                "it with `git diff`, then run this command again")
        changed = copy.deepcopy(campaign)
        summary = mutate(changed)
        new_text = dump_campaign(changed)
        again, problems = parse_campaign(path, new_text, registry.directory)
        errors = [p for p in problems if p.level == "error"]
        if again is None or errors:
            raise WriteRefused(f"the change would make {shown} invalid; nothing was written",
                               errors)
        if dump_campaign(again) != new_text:  # a change must read back as written, byte for byte
            raise WriteRefused(f"the change would not read back as written; {shown} is unchanged")
        name = path.relative_to(registry.root.parent).as_posix()
        diff = "".join(difflib.unified_diff(
            text.splitlines(keepends=True), new_text.splitlines(keepends=True),
            fromfile=f"a/{name}", tofile=f"b/{name}"))
        if not dry_run and new_text != text:
            _remove_leftovers(path)
            atomic_write(path, new_text)
        return Change(path, diff, summary, written=not dry_run and new_text != text)


def git_commit(change: Change) -> str:
    """Commit the one changed file with the change's message; return git's output."""
    folder = change.path.parent
    try:
        run = lambda *args: subprocess.run(  # noqa: E731
            ["git", *args], cwd=folder, capture_output=True, text=True, check=True)
        run("add", "--", change.path.name)
        out = run("commit", "-m", change.message, "--", change.path.name)
    except FileNotFoundError:
        raise WriteRefused("--commit needs git, which is not installed; the change is written "
                           "but not committed") from None
    except subprocess.CalledProcessError as exc:
        raise WriteRefused(f"git commit failed: {(exc.stderr or exc.stdout).strip()}; the change "
                           "is written but not committed") from None
    return out.stdout


# The changes -------------------------------------------------------------------------


def _task(campaign: Campaign, ident: str) -> Task:
    task_id = ".".join(ident.split(".")[:2])
    for task in campaign.tasks:
        if task.id == task_id:
            return task
    raise UsageError(f"no task {task_id}")  # pragma: no cover - checked by query.find first


def _targets(campaign: Campaign, ident: str) -> tuple[Task, list[Item]]:
    task = _task(campaign, ident)
    if ident == task.id:
        if not task.items:
            raise UsageError(f"task {task.id} has no items (its text is lost in the notice)")
        return task, list(task.items)
    return task, [i for i in task.items if i.id == ident]


def record(ident: str, status: str | None, note: str | None, by: str | None,
           date: dt.date, period: str | None = None) -> Mutation:
    """Append a history entry to the item (or every item of the task) ``ident``.

    ``status`` None keeps each item's current status (a note). ``done`` on a
    recurring item completes one period (``period``, else the one holding
    ``date``); the item stays open for the next.
    """

    def mutate(campaign: Campaign) -> str:
        _, items = _targets(campaign, ident)
        labels = []
        for item in items:
            if status == "done" and item.recurrence is not None:
                label = _period_label(campaign, item, date, period)
                labels.append(label)
                item.history.append(HistoryEntry(date=date, status="done", by=by, note=note,
                                                 period=label))
                if item.status == "not_started":
                    item.status = "in_progress"
                continue
            if period is not None:
                raise UsageError(f"--period is for recurring items; {item.id} has no recurrence")
            new_status = status or item.status
            item.history.append(HistoryEntry(date=date, status=new_status, by=by, note=note))
            item.status = new_status
        what = status or "note"
        if labels:
            what += f" for {', '.join(sorted(set(labels)))}"
        who = f" ({by})" if by else ""
        return f"{ident} {what}{who}" + (f": {note}" if note else "")

    return mutate


def _period_label(campaign: Campaign, item: Item, date: dt.date, period: str | None) -> str:
    from .query import recurrence_start
    from .recurrence import period_containing, periods

    start = recurrence_start(campaign)
    if period is None:
        found = period_containing(item.recurrence or "", start, max(date, start))
        if found is None:
            raise UsageError(f"{item.id}: no period of its rule holds {date.isoformat()}")
        return found.label
    horizon = max(date, start) + dt.timedelta(days=366 * 6)
    labels = [p.label for p in periods(item.recurrence or "", start, horizon)]
    if period not in labels:
        shown = ", ".join(labels[:3]) + (" …" if len(labels) > 3 else "")
        raise UsageError(f"{item.id}: no period '{period}' in its rule (periods look like {shown})")
    return period


def assign(ident: str, dept: str, role: str | None, date: dt.date, by: str | None,
           remove: bool = False) -> Mutation:
    """Add (or remove) a responsible department of a task; each item's history says so."""

    def mutate(campaign: Campaign) -> str:
        task = _task(campaign, ident)
        items = task.items
        names = [a.name for a in task.departments]
        if remove:
            if dept not in names:
                raise UsageError(f"task {ident} is not assigned to {dept} "
                                 f"(it has: {'、'.join(names) or 'no department'})")
            task.departments = [a for a in task.departments if a.name != dept]
            note = f"unassigned {dept}"
        elif dept in names:
            # Assigning an assigned department changes its role, and says so; without a
            # (new) role it changes nothing.
            current = next(a.role for a in task.departments if a.name == dept)
            if role is None or role == current:
                held = f" as {current}" if current else ""
                hint = "" if role is not None else "; give --role to change its role"
                return f"task {ident} already has {dept}{held}: nothing changed{hint}"
            task.departments = [Assignment(name=a.name, role=role) if a.name == dept else a
                                for a in task.departments]
            note = f"role of {dept} changed from {current or 'none'} to {role}"
        else:
            task.departments = [*task.departments, Assignment(name=dept, role=role)]
            note = f"assigned {dept}" + (f" ({role})" if role else "")
        for item in items:
            item.history.append(HistoryEntry(date=date, status=item.status, by=by, note=note))
        return f"{ident} {note}" + (f" ({by})" if by else "")

    return mutate


# fmt -------------------------------------------------------------------------------------


@dataclass
class Formatted:
    path: Path
    changed: bool
    dropped_comments: list[int]


def format_file(path: Path, registry: Registry, check_only: bool) -> Formatted:
    """Rewrite (or, with ``check_only``, compare) one file in the canonical layout."""
    text, campaign = _read_valid(path, registry, "fmt rewrites only valid files")
    new_text = dump_campaign(campaign)
    raw = path.read_bytes()
    changed = new_text.encode("utf-8") != raw
    comments = [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith("#")]
    if changed and not check_only:
        atomic_write(path, new_text)
    return Formatted(path, changed, comments if changed else [])
