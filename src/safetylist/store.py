"""Writing changes back into the YAML, safely.

Every write: take the registry lock, re-read the campaign file inside it, refuse
if the file holds hand edits the canonical layout would not keep, apply the
change to a copy, validate the whole campaign, then replace the file atomically
(temporary file in the same folder, flush, fsync, rename). An update changes
only the lines of the items it touches, so git diffs and merges stay small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from .errors import NotCommitted, UsageError, WriteRefused
from .fileops import fsync_folder, replace_file
from .ids import task_of
from .layout import dump_campaign
from .yamlio import UnwritableText
from .lock import ENV_LOCK_TIMEOUT, LOCK_NAME, registry_lock  # noqa: F401 - callers import them from here
from .models import Assignment, Campaign, HistoryEntry, Item, Role, Status, Task
from .registry import Registry, campaign_from, decode, display_path, read_bytes, read_text, remember_campaign
from .validate import parse_campaign

ENV_COMMIT = "SAFETYLIST_COMMIT"


def atomic_write(path: Path, text: str | bytes, newline: str = "\n") -> None:
    """Replace ``path`` with ``text`` (or bytes): never a truncated or half-written file."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteRefused(f"cannot write in {display_path(folder)}: {exc.strerror}; "
                           f"{display_path(path)} is unchanged") from None
    try:
        fh: IO[Any] = (os.fdopen(fd, "wb") if isinstance(text, bytes) else
                       os.fdopen(fd, "w", encoding="utf-8", newline=newline))
        with fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteRefused(f"cannot write {display_path(path)}: {exc.strerror}; "
                           "the file is unchanged") from None
    replace_file(tmp, path)  # removes tmp and raises WriteRefused when it cannot
    fsync_folder(folder)  # make the rename itself durable, where the system allows it


def _remove_leftovers(path: Path) -> None:
    """Temporary files of writers that were killed; safe to remove while holding the lock."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _read_valid(path: Path, registry: Registry, advice: str,
                derive_status: bool = False) -> tuple[str, Campaign]:
    """The file's text and campaign, or ``WriteRefused`` with its errors."""
    raw, problem = read_bytes(path)
    text = None
    if raw is not None:
        text, problem = decode(path, raw)
    if problem is not None:
        raise WriteRefused(problem.format())
    assert raw is not None and text is not None
    if derive_status:
        campaign, problems = parse_campaign(path, text, registry.directory, derive_status)
    else:  # the bytes the registry was just read from, usually: in the parse cache
        campaign, problems = campaign_from(path, raw, registry.directory, registry.context)
    errors = [p for p in problems if p.level == "error"]
    if campaign is None or errors:
        raise WriteRefused(f"{display_path(path)} has errors; {advice}", errors)
    return text, campaign


def _line_ending(path: Path, shown: str) -> str:
    """The file's line ending, kept by a write (a CRLF file stays CRLF: no whole-file diff);
    a file that mixes both is refused."""
    raw = path.read_bytes()
    crlf = raw.count(b"\r\n")
    if not crlf:
        return "\n"
    if crlf == raw.count(b"\n"):
        return "\r\n"
    raise WriteRefused(f"{shown} mixes CRLF and LF line endings; nothing was written. Run "
                       f"`safetylist fmt {shown}` (it writes LF throughout), review it with "
                       "`git diff`, then run this command again")


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
    lock = contextlib.nullcontext() if dry_run else registry_lock(registry.root, lock_timeout)
    with lock:
        # A single write keeps no copy of the old text (a large file costs memory) and
        # computes a diff only for a dry run.
        prepared = prepare(registry, campaign_number, mutate, keep_old=dry_run)
        if not dry_run:
            write_prepared([prepared])
        return prepared.change(written=not dry_run and not prepared.unchanged)


@dataclass
class Prepared:
    """A change made and validated in memory, not yet written."""

    path: Path
    text: str | None  # the old text, kept where a failed write must be undone or a diff shown
    new_text: str
    diff: str
    message: str
    newline: str
    unchanged: bool

    def change(self, written: bool) -> Change:
        return Change(self.path, self.diff, self.message, written)


def prepare(registry: Registry, campaign_number: int, mutate: Mutation, *,
            keep_old: bool = True) -> Prepared:
    """Re-read one campaign file, change it in memory and validate the result (the caller
    holds the lock, or writes nothing). ``keep_old`` keeps the old text and a diff."""
    path = registry.file_of(campaign_number).path
    shown = display_path(path)
    text, campaign = _read_valid(path, registry, "fix them first (`safetylist check`)")
    newline = _line_ending(path, shown)
    canonical = dump_campaign(campaign)
    if canonical != text:
        line, content = _first_difference(text, canonical)
        raise WriteRefused(
            f"{shown}:{line}: hand edits the writer would not keep (e.g. a comment or a "
            f"layout change: {content.strip()[:60]!r}); nothing was written. Run "
            f"`safetylist fmt {shown}` to rewrite the file in the canonical layout, review "
            "it with `git diff`, then run this command again")
    del canonical
    # The campaign was read inside the lock for this change alone: change it in place (a
    # refused change is simply not written), and keep at most two copies of a large file
    # in memory at once.
    summary = mutate(campaign)
    try:
        new_text = dump_campaign(campaign)
    except UnwritableText:
        raise WriteRefused("the text to record is not UTF-8 (the terminal's locale is not "
                           f"UTF-8?); nothing was written to {shown}. Set LANG=zh_CN.UTF-8 "
                           "(or PYTHONUTF8=1) and run the command again") from None
    del campaign
    unchanged = new_text == text
    old: str | None = text if keep_old else None
    del text
    again, problems = parse_campaign(path, new_text, registry.directory)
    errors = [p for p in problems if p.level == "error"]
    if again is None or errors:
        raise WriteRefused(f"the change would make {shown} invalid; nothing was written", errors)
    if dump_campaign(again) != new_text:  # a change must read back as written, byte for byte
        raise WriteRefused(f"the change would not read back as written; {shown} is unchanged")
    if not unchanged:  # the next run reads these very bytes: it need not validate them again
        remember_campaign(path, new_text.replace("\n", newline).encode("utf-8"),
                          registry.context, again, problems)
    del again
    diff = ""
    if old is not None:
        name = path.relative_to(registry.root.parent).as_posix()
        diff = "".join(difflib.unified_diff(
            old.splitlines(keepends=True), new_text.splitlines(keepends=True),
            fromfile=f"a/{name}", tofile=f"b/{name}"))
    return Prepared(path, old, new_text, diff, summary, newline, unchanged)


def write_prepared(prepared: list[Prepared]) -> None:
    """Write changes already made and validated (the caller holds the lock), all or nothing:
    if one file cannot be written, the ones written before it get their old text back."""
    done: list[Prepared] = []
    try:
        for p in prepared:
            if not p.unchanged:
                _remove_leftovers(p.path)
                atomic_write(p.path, p.new_text, p.newline)
                done.append(p)
    except WriteRefused as exc:
        for p in reversed(done):
            if p.text is not None:
                with contextlib.suppress(WriteRefused):
                    atomic_write(p.path, p.text, p.newline)
        if done:
            raise WriteRefused(f"{exc.message}; the files written before it were restored, "
                               "nothing was recorded") from None
        raise


def git_commit(change: Change) -> str:
    """Commit the one changed file with the change's message; return git's output."""
    folder = change.path.parent
    shown = display_path(change.path)
    try:
        run = lambda *args: subprocess.run(  # noqa: E731
            ["git", *args], cwd=folder, capture_output=True, text=True, check=True)
        run("add", "--", change.path.name)
        out = run("commit", "-m", change.message, "--", change.path.name)
    except FileNotFoundError:
        raise NotCommitted(f"--commit needs git, which is not installed; {shown} is written but "
                           "not committed") from None
    except subprocess.CalledProcessError as exc:
        said = " ".join((exc.stderr or exc.stdout or "").split()) or f"exit {exc.returncode}"
        raise NotCommitted(f"git could not commit: {said}; {shown} is written but not committed "
                           "(commit it yourself with git, or drop --commit)") from None
    return out.stdout


# The changes -------------------------------------------------------------------------


def _task(campaign: Campaign, ident: str) -> Task:
    task_id = task_of(ident)
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


GRACE_DAYS = 15  # a period's report filed this many days after its end still meets it


def add_entry(item: Item, entry: HistoryEntry, holders: list[str] | None = None) -> bool:
    """Put ``entry`` into the item's chronology, at its date (after same-day entries), and
    derive the status again (from the shares of ``holders``). False, and nothing changed,
    when it repeats the reporting department's own latest entry in force up to its date: a
    retried command records nothing twice, while the same report made again after another
    of the department's own (the same monthly note next month, or on a day already noted
    otherwise) is recorded, and so is a report made again after an undo took it back."""
    from .shares import item_status
    from .status import insertion_index, taken_back

    at = insertion_index(item.history, entry.date)
    gone = taken_back(item.history)
    own = next((h for n, h in zip(range(at - 1, -1, -1), reversed(item.history[:at]))
                if h.by == entry.by and h.undoes is None and n not in gone), None)
    if own == entry:
        return False
    if at < len(item.history):
        # Corrections name entries by place: those after the new entry move down by one.
        import dataclasses

        item.history = [dataclasses.replace(h, undoes=h.undoes + 1)
                        if h.undoes is not None and h.undoes > at else h for h in item.history]
    item.history.insert(at, entry)
    item.status = cast("Status", item_status(item, holders or []))  # one of STATUSES
    return True


def holders_of(directory: Any, task: Task, item: Item) -> list[str]:
    """The item's share holders (``shares``), from its own departments or its task's."""
    from .shares import expand

    assigned = item.departments if item.departments is not None else task.departments
    return expand(directory, [a.name for a in assigned])


def record(ident: str, status: str | None, note: str | None, by: str | None,
           date: dt.date, period: str | None = None, *, problem: bool = False,
           bounds: tuple[dt.date, dt.date | None] | None = None,
           grace_days: int = GRACE_DAYS, directory: Any = None, whole: bool = False) -> Mutation:
    """Add a history entry to the item (or every item of the task) ``ident``, at its date.

    ``status`` None records a note, which never changes a status. ``done`` on a recurring
    item meets one period: ``period``, else the period just ended when it is unmet and
    ``date`` is within ``grace_days`` of its end, else the period holding ``date``; the item
    stays open for the next. ``bounds`` are the list's period (the registry manifest's).

    With ``directory``, a status is reported for one department's share (``shares``): ``by``
    must hold a share of every item, unless ``whole`` (the office's decision for the whole
    item, every share). A note may come from anyone.
    """
    from .shares import holder_problem

    # As the models type it: the caller read it (typed.status, the ledger's words), and the
    # changed file is validated before it is written (``prepare``).
    new_status = cast("Status | None", status)

    def mutate(campaign: Campaign) -> str:
        task, items = _targets(campaign, ident)
        labels = []
        repeated = 0
        for item in items:
            holders = holders_of(directory, task, item) if directory is not None else []
            if directory is not None and status is not None and not whole:
                why = holder_problem(holders, by, item.id)
                if why is not None:
                    raise UsageError(why)
            if status == "done" and item.recurrence is not None:
                label = _period_label(campaign, item, date, period, bounds, grace_days, by)
                labels.append(label)
                entry = HistoryEntry(date=date, status="done", by=by, note=note, period=label,
                                     whole=whole)
            elif period is not None:
                raise UsageError(f"--period is for recurring items; {item.id} has no recurrence")
            else:
                entry = HistoryEntry(date=date, status=new_status, by=by, note=note, problem=problem,
                                     whole=whole and status is not None)
            if not add_entry(item, entry, holders):
                repeated += 1
        what = status or ("problem" if problem else "note")
        if whole and status is not None:
            what += " for every share (the office's decision)"
        if labels:
            what += f" for {', '.join(sorted(set(labels)))}"
        who = f" ({by})" if by else ""
        summary = f"{ident} {what}{who}" + (f": {note}" if note else "")
        if repeated == len(items):
            summary += " (already recorded: nothing written)"
        elif repeated:
            summary += f" ({repeated} item(s) already had it)"
        return summary

    return mutate


def _period_label(campaign: Campaign, item: Item, date: dt.date, period: str | None,
                  bounds: tuple[dt.date, dt.date | None] | None, grace_days: int,
                  holder: str | None = None) -> str:
    from .recurrence import bounds as campaign_bounds
    from .recurrence import period_for_report, periods

    start, end = bounds or campaign_bounds(campaign)
    rule = item.recurrence or ""
    if period is None:
        found = period_for_report(item, start, max(date, start), end, grace_days, holder)
        if found is None:
            raise UsageError(f"{item.id}: no period of its rule holds {date.isoformat()} (the "
                             f"list's periods run {start.isoformat()} to "
                             f"{end.isoformat() if end else '…'}); name one with --period")
        return found.label
    horizon = end or max(date, start) + dt.timedelta(days=366 * 6)
    labels = [p.label for p in periods(rule, start, horizon, end)]
    if period not in labels:
        shown = ", ".join(labels[:3]) + (" …" if len(labels) > 3 else "")
        raise UsageError(f"{item.id}: no period '{period}' in its rule (periods look like {shown})")
    return period


def assign(ident: str, dept: str, role: str | None, date: dt.date, by: str | None,
           remove: bool = False, directory: Any = None) -> Mutation:
    """Add (or remove) a responsible department of a task; each item's history says so."""
    new_role = cast("Role | None", role)  # read by typed.role; the changed file is validated

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
        elif dept in names and task.departments_inferred:
            # Assigning a department the merged cell already gave confirms the inference
            # (and sets its role, when one is given).
            if role is not None:
                task.departments = [Assignment(name=a.name, role=new_role) if a.name == dept else a
                                    for a in task.departments]
            task.departments_inferred = False
            note = (f"assigned {dept}" + (f" ({role})" if role else "")
                    + ", confirming the departments inferred from a merged cell")
        elif dept in names:
            # Assigning an assigned department changes its role, and says so; without a
            # (new) role it changes nothing.
            current = next(a.role for a in task.departments if a.name == dept)
            if role is None or role == current:
                held = f" as {current}" if current else ""
                hint = "" if role is not None else "; give --role to change its role"
                return f"task {ident} already has {dept}{held}: nothing changed{hint}"
            task.departments = [Assignment(name=a.name, role=new_role) if a.name == dept else a
                                for a in task.departments]
            note = f"role of {dept} changed from {current or 'none'} to {role}"
        else:
            task.departments = [*task.departments, Assignment(name=dept, role=new_role)]
            note = f"assigned {dept}" + (f" ({role})" if role else "")
        for item in items:  # the shares change with the departments: so may the status
            holders = holders_of(directory, task, item) if directory is not None else []
            add_entry(item, HistoryEntry(date=date, by=by, note=note, kind="assignment"), holders)
        return f"{ident} {note}" + (f" ({by})" if by else "")

    return mutate


# fmt -------------------------------------------------------------------------------------


@dataclass
class Formatted:
    path: Path
    changed: bool
    dropped_comments: list[tuple[int, int, str]]  # (line, column, comment)
    crlf: bool = False  # the file had CRLF line endings; the canonical layout has LF
    statuses_set: list[Any] | None = None  # Problems: a stored status set to the derived one


def format_file(path: Path, registry: Registry, check_only: bool) -> Formatted:
    """Rewrite (or, with ``check_only``, compare) one file in the canonical layout."""
    from .yamlio import comments

    text, problem = read_text(path)
    if problem is not None:
        raise WriteRefused(problem.format())
    assert text is not None
    parsed, problems = parse_campaign(path, text, registry.directory, derive_status=True)
    errors = [p for p in problems if p.level == "error"]
    if parsed is None or errors:
        raise WriteRefused(f"{display_path(path)} has errors; fmt rewrites only valid files", errors)
    campaign = parsed
    new_text = dump_campaign(campaign)
    raw = path.read_bytes()
    changed = new_text.encode("utf-8") != raw
    if changed and not check_only:
        atomic_write(path, new_text)
    set_ = [p for p in problems if p.rule == "status-matches-history"]  # set, and said as warnings
    return Formatted(path, changed, comments(text) if changed else [], crlf=b"\r\n" in raw,
                     statuses_set=set_ if changed else [])
