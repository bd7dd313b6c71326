"""Recording progress: update, start, done, block, note, assign, unassign, log, fmt."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from .application import app
from .options import (BomOpt, ByOpt, CommitOpt, DataOpt, DateOpt, DryRunOpt, FormatOpt, IdArg, NoteOpt,
                      TaskArg, complete_depts, complete_ids, csv_stream, period_year, registry_from,
                      typed_date)

if TYPE_CHECKING:
    from ..registry import Registry
    from ..store import Mutation


def write_change(data: Path | None, ident: str, make_mutation: Callable[[Registry, str], Mutation],
                 dry_run: bool, commit: bool) -> None:
    """Shared by every writing command: resolve, apply under the lock, report."""
    from .. import query, render, store

    registry = registry_from(data)
    campaign, task, item = query.find(registry, ident)
    ident = item.id if item is not None else task.id  # as the file writes it: 4.15.2, not 04.15.02
    number = campaign.number
    mutation = make_mutation(registry, ident)
    del campaign, task, item
    registry = registry.for_writing(number)  # the other campaigns' models are freed here
    change = store.apply(registry, number, mutation, dry_run=dry_run)
    if dry_run:
        sys.stdout.write(render.visible_lines(change.diff) if render.is_terminal(sys.stdout)
                         else change.diff)
        return
    sys.stdout.write(render.visible(change.message) + "\n")
    if commit and change.written:
        store.git_commit(change)


PeriodOpt = Annotated[str | None, typer.Option(
    "--period", help="For a recurring item: the period done (2022-03, 2022-Q1, 2022-H1, 2022, "
    "2022-W11); default: the period just ended if it is unmet and --date is within the grace "
    "days after it (a late report), else the period holding --date.")]


WholeOpt = Annotated[bool, typer.Option(
    "--all", help="市政府安委办's decision for the whole item (验收/销号): every department's "
    "share at once. Only the office may; --by defaults to it.")]


def _record(data: Path | None, ident: str, status: str | None, *, note: str | None, by: str | None,
            date: str | None, dry_run: bool, commit: bool, period: str | None = None,
            problem: bool = False, whole: bool = False) -> None:
    from .. import store, typed
    from ..dates import period_text
    from ..errors import UsageError
    from ..shares import OFFICE

    status = typed.status(status) if status is not None else None
    note = typed.note(note) if note is not None else None
    period = period_text(period) if period is not None else None

    def make(registry: Registry, ident: str) -> Mutation:
        who = registry.directory.resolve(by) if by else None
        if whole:
            who = who or OFFICE
            if who != OFFICE:
                raise UsageError(f"--all is {OFFICE}'s decision for the whole item; {who} reports "
                                 "its own share (drop --all)")
        m = registry.manifest
        grace = m.grace_days if m is not None and m.grace_days is not None else store.GRACE_DAYS
        limits = (m.period.start, m.period.end) if m is not None else None
        return store.record(ident, status, note, who, typed_date(date, "--date", period_year(registry)),
                            period, problem=problem, bounds=limits, grace_days=grace,
                            directory=registry.directory, whole=whole)

    write_change(data, ident, make, dry_run, commit)


@app.command()
def update(ident: IdArg,
           status: Annotated[str | None, typer.Option(
               "--status", "-s", help="not_started, in_progress, done or blocked "
               "(also 未开始, 进行中, 已完成 or 完成, 受阻).")] = None,
           note: NoteOpt = None, by: ByOpt = None, date: DateOpt = None, period: PeriodOpt = None,
           whole: WholeOpt = False, dry_run: DryRunOpt = False, commit: CommitOpt = False,
           data: DataOpt = None) -> None:
    """Record a department's report on its share of an item (or of every item of a task): a
    history entry with status, note, reporter, date.

    Example: safetylist update 4.15.2 --status in_progress --by 市应急管理局 --note 已部署
    """
    from ..errors import UsageError

    if status is None and note is None:
        raise UsageError("update needs --status or --note (or both)")
    _record(data, ident, status, note=note, by=by, date=date, dry_run=dry_run, commit=commit,
            period=period, whole=whole)


@app.command()
def start(ident: IdArg, note: NoteOpt = None, by: ByOpt = None, date: DateOpt = None,
          whole: WholeOpt = False, dry_run: DryRunOpt = False, commit: CommitOpt = False,
          data: DataOpt = None) -> None:
    """Mark a department's share of the work as in progress.

    Example: safetylist start 4.15 --by 市应急管理局
    """
    _record(data, ident, "in_progress", note=note, by=by, date=date, dry_run=dry_run, commit=commit,
            whole=whole)


@app.command()
def done(ident: IdArg, note: NoteOpt = None, by: ByOpt = None, date: DateOpt = None,
         period: PeriodOpt = None, whole: WholeOpt = False, dry_run: DryRunOpt = False,
         commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Mark a department's share as done (the item is done when every share is); on a
    recurring item, done for one period (it stays open for the next).

    Example: safetylist done 4.15.2 --by 市应急管理局 --note 已完成验收
    """
    _record(data, ident, "done", note=note, by=by, date=date, dry_run=dry_run, commit=commit,
            period=period, whole=whole)


@app.command()
def block(ident: IdArg,
          note: Annotated[str, typer.Option("--note", "-n", help="Why the work is blocked.")],
          by: ByOpt = None, date: DateOpt = None, whole: WholeOpt = False,
          dry_run: DryRunOpt = False, commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Mark a department's share as blocked, saying why (a problem for the monthly report).

    Example: safetylist block 9.15.1 --note 资金未到位 --by 市住建局
    """
    _record(data, ident, "blocked", note=note, by=by, date=date, dry_run=dry_run, commit=commit,
            whole=whole)


# A note may start with "-" ("-5%…"): it is text, not an option.
@app.command(context_settings={"ignore_unknown_options": True})
def note(ident: IdArg, text: Annotated[str, typer.Argument(
             help="The note. One that starts with '-' is read as text; `--` before it also works.")],
         by: ByOpt = None, date: DateOpt = None,
         problem: Annotated[bool, typer.Option(
             "--problem", help="The note reports a problem (存在问题) for the monthly report.")] = False,
         dry_run: DryRunOpt = False, commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Add a note to an item's history without changing its status.

    Example: safetylist note 4.15.2 "已召开推进会" --by 市应急管理局
    """
    import re

    if re.match(r"--[A-Za-z]", text):
        # Unknown options reach TEXT (so that "-5%…" does): a mistyped option must not be
        # recorded as a note.
        from ..errors import UsageError

        raise UsageError(f"'{text}' looks like a mistyped option, not a note; to record it as a "
                         f"note, write `safetylist update {ident} --note={text}`")
    _record(data, ident, None, note=text, by=by, date=date, dry_run=dry_run, commit=commit,
            problem=problem)


RoleOpt = Annotated[str | None, typer.Option(
    "--role", help="lead, support, supervise or implement (牵头, 配合, 督促指导, 具体落实). "
    "On an assigned department: its new role.")]


def _assign(data: Path | None, ident: str, dept: str, *, role: str | None, by: str | None,
            date: str | None, dry_run: bool, commit: bool, remove: bool) -> None:
    from .. import store, typed
    from ..errors import UsageError
    from ..ids import level_of

    if level_of(ident) != "task":
        raise UsageError(f"'{ident}' is not a task id: assign works on tasks (4.15)")
    role = typed.role(role) if role is not None else None

    def make(registry: Registry, ident: str) -> Mutation:
        who = registry.directory.resolve(by) if by else None
        return store.assign(ident, registry.directory.resolve(dept), role,
                            typed_date(date, "--date", period_year(registry)), who, remove=remove,
                            directory=registry.directory)

    write_change(data, ident, make, dry_run, commit)


@app.command("assign")
def assign_(ident: TaskArg,
            dept: Annotated[str, typer.Option("--dept", "-d", help="The department or group.",
                                              autocompletion=complete_depts)],
            role: RoleOpt = None, by: ByOpt = None, date: DateOpt = None,
            dry_run: DryRunOpt = False, commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Give a task a responsible department, such as one the notice left unassigned; or change
    the role of one it has (with --role; without it, nothing changes).

    Example: safetylist assign 2.4 --dept 市应急管理局 --role lead --by 市政府安委办
    """
    _assign(data, ident, dept, role=role, by=by, date=date, dry_run=dry_run, commit=commit,
            remove=False)


@app.command()
def unassign(ident: TaskArg,
             dept: Annotated[str, typer.Option("--dept", "-d", help="The department or group.",
                                               autocompletion=complete_depts)],
             by: ByOpt = None, date: DateOpt = None, dry_run: DryRunOpt = False,
             commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Remove a responsible department from a task.

    Example: safetylist unassign 2.4 --dept 市应急管理局
    """
    _assign(data, ident, dept, role=None, by=by, date=date, dry_run=dry_run, commit=commit,
            remove=True)


@app.command()
def log(ident: Annotated[str | None, typer.Argument(
            metavar="[ID]", help="A campaign (4), task (4.15) or item (4.15.2).",
            autocompletion=complete_ids)] = None,
        dept: Annotated[str | None, typer.Option(
            "--dept", "-d", help="Entries on work the department sees, or that it reported.",
            autocompletion=complete_depts)] = None,
        since: Annotated[str | None, typer.Option("--since", help="Entries on or after DATE.")] = None,
        format: FormatOpt = "table", bom: BomOpt = False, data: DataOpt = None) -> None:
    """The recorded history, newest first.

    Example: safetylist log 4.15 --since 2022-06-01
    """
    from .. import query, render
    from ..dates import parse_user_date

    registry = registry_from(data)
    entries = query.history(registry, ident, registry.directory.resolve(dept) if dept else None,
                            parse_user_date(since, "--since", period_year(registry))
                            if since is not None else None)
    out = csv_stream(bom, format)
    render.write(render.history(entries, format, query.LOG_FIELDS, render.screen(out)), out)


@app.command()
def fmt(files: Annotated[list[Path] | None, typer.Argument(
            help="Campaign files (default: all of tasks/).", show_default=False)] = None,
        check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file "
                                            "is not in the canonical layout.")] = False,
        data: DataOpt = None) -> None:
    """Rewrite campaign files in the canonical layout (or check that they are).

    Example: safetylist fmt --check
    """
    from .. import render, store
    from ..registry import campaign_paths, display_path, load_manifest
    from ..store import registry_lock

    registry = _registry_for_fmt(data)
    known = campaign_paths(registry.root, load_manifest(registry.root)[0])[0]
    paths = known
    if files:
        # fmt rewrites registry files only: never a file outside the tasks/ folder.
        real = {p.resolve(): p for p in known}
        outside = [f for f in files if f.resolve() not in real]
        if outside:
            from ..errors import UsageError

            raise UsageError(f"{outside[0]} is not a campaign file of the registry at "
                             f"{display_path(registry.root)}; fmt rewrites only files in its tasks/ folder")
        paths = [real[f.resolve()] for f in files]
    results = []
    lock = contextlib.nullcontext() if check else registry_lock(registry.root)
    with lock:
        for path in paths:
            results.append(store.format_file(path, registry, check))
    changed = [r for r in results if r.changed]
    for r in changed:
        shown = display_path(r.path)
        verb = "would reformat" if check else "reformatted"
        sys.stdout.write(f"{verb} {shown}\n")
        was = "would be" if check else "was"
        if r.crlf:
            sys.stderr.write(f"{shown}:1:1: warning: line endings {'would be' if check else 'were'} "
                             "changed from CRLF to LF, the canonical layout's\n")
        for p in r.statuses_set or []:
            sys.stderr.write(render.visible(p.format()) + "\n")
        for line, col, comment in r.dropped_comments:
            sys.stderr.write(f"{shown}:{line}:{col}: warning: comment {render.visible(comment)!r} "
                             f"{was} dropped by the canonical layout\n")
    sys.stdout.write(f"{len(changed)} of {len(results)} file(s) "
                     f"{'not in the canonical layout' if check else 'reformatted'}\n")
    if check and changed:
        raise typer.Exit(1)


def _registry_for_fmt(data: Path | None) -> Registry:
    """The registry's directory and files, accepting files that are not yet canonical."""
    from ..registry import find_data_dir, load
    from ..errors import InvalidData

    registry, problems = load(find_data_dir(data))
    if registry is None:
        raise InvalidData("departments.yaml has errors (`safetylist check` lists them)",
                          [p for p in problems if p.level == "error"])
    return registry


