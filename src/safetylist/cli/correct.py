"""Correcting the record: undo."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .application import app
from .options import (ByOpt, CommitOpt, DataOpt, DateOpt, DryRunOpt, IdArg, period_year, registry_from,
                      typed_date)
from .record import write_change


@app.command()
def undo(ident: IdArg,
         yes: Annotated[bool, typer.Option("--yes", "-y", help="Take it back without asking.")] = False,
         note: Annotated[str | None, typer.Option(
             "--note", "-n", help="Why it is taken back (kept with the correction).")] = None,
         by: ByOpt = None, date: DateOpt = None, dry_run: DryRunOpt = False,
         commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Take back an item's latest entry (a mistaken report): show it, ask, then record the
    correction as a new entry that names the one it takes back; the status returns to what
    it was. On a task: its items' latest entries, when one update of the task made them.

    Example: safetylist undo 4.15.2 --note 误报 --by 市应急管理局
    """
    from .. import query, render, typed
    from .. import undo as undoing
    from ..errors import UsageError

    note = typed.note(note) if note is not None else None
    registry = registry_from(data)
    _campaign, task, item = query.find(registry, ident)
    # Everything typed is checked before the question, so a yes is never followed by an error.
    who = registry.directory.resolve(by) if by else None
    plans = undoing.plan(task, item, registry.directory, who)
    when = typed_date(date, "--date", period_year(registry))
    sys.stdout.write("".join(f"take back {render.visible(p.describe())}\n" for p in plans))
    if not (yes or dry_run):
        try:
            sure = typer.confirm("Take it back?", default=False)
        except typer.Abort:
            raise UsageError("undo asks before it writes and got no answer; nothing was taken "
                             "back (give --yes to take it back without asking)") from None
        if not sure:
            sys.stdout.write("nothing was taken back\n")
            return

    write_change(data, ident, lambda registry, ident: undoing.mutation(ident, plans, when, who, note,
                                                                       registry.directory),
                 dry_run, commit)
