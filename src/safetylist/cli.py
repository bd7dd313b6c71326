"""The command line: parse arguments, call the core, render. Nothing else.

User errors (``SafetylistError``) become one message on stderr and their exit
code in one place, ``_Group.invoke``; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import SafetylistError


class _Group(TyperGroup):
    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SafetylistError as exc:
            from . import render

            if exc.problems:
                render.problems(exc.problems)
            sys.stderr.write(f"safetylist: error: {render.visible(exc.message)}\n")
            raise typer.Exit(exc.exit_code) from None


APP_SETTINGS = dict(
    cls=_Group,
    help="safetylist: the 2022 work-safety task list (吕安办发〔2022〕19号) as a registry.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**APP_SETTINGS)  # type: ignore[arg-type]

DataOpt = Annotated[
    Optional[Path],
    typer.Option("--data", help="Registry folder (holds tasks/ and departments.yaml). "
                 "Default: $SAFETYLIST_DATA, else the nearest data/ upward.", show_default=False),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"safetylist {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """safetylist: the 2022 work-safety task list (吕安办发〔2022〕19号) as a registry."""


@app.command()
def check(data: DataOpt = None) -> None:
    """Validate every campaign file and report every problem in one run.

    Prints one line per problem (path:line:col: level: message) on stderr, then
    a table of declared vs present tasks and items. Exit 0 when clean, 1 on errors.

    Example: safetylist check --data data
    """
    from . import render
    from .registry import check_registry, find_data_dir

    report = check_registry(find_data_dir(data))
    render.problems(report.problems)
    rows = [[str(r.number), r.id, r.title, str(r.declared_tasks), str(r.present_tasks),
             str(r.declared_items), str(r.present_items), r.mark] for r in report.rows]
    cols = [render.Column("No.", "right"), render.Column("campaign"), render.Column("title", truncate=True),
            render.Column("条 declared", "right"), render.Column("条 present", "right"),
            render.Column("项 declared", "right"), render.Column("项 present", "right"),
            render.Column("")]
    render.table(f"{len(report.rows)} campaigns: declared vs present", cols, rows,
                 caption=f"{report.errors} error(s), {report.warnings} warning(s)")
    if report.errors:
        raise typer.Exit(1)


# Listings --------------------------------------------------------------------------


def _registry(data: Path | None):
    from .registry import find_data_dir, open_registry

    return open_registry(find_data_dir(data))


def _complete_depts(incomplete: str) -> list[str]:
    try:
        directory = _registry(None).directory
    except Exception:  # completion must never fail loudly
        return []
    names = sorted([*directory.entries, *directory.aliases])
    return [n for n in names if n.startswith(incomplete)] or [n for n in names if incomplete in n]


def _complete_campaigns(incomplete: str) -> list[str]:
    try:
        campaigns = _registry(None).campaigns
    except Exception:
        return []
    values = [str(c.number) for c in campaigns] + [c.id for c in campaigns]
    return [v for v in values if v.startswith(incomplete)]


def _complete_ids(incomplete: str) -> list[str]:
    try:
        campaigns = _registry(None).campaigns
    except Exception:
        return []
    ids = [x for c in campaigns for t in c.tasks for x in [t.id, *(i.id for i in t.items)]]
    return [i for i in ids if i.startswith(incomplete)]


DeptOpt = Annotated[list[str], typer.Option(
    "--dept", "-d", help="Department: canonical name, alias or unambiguous part (repeatable). "
    "Shows its own work and its groups' work.", autocompletion=_complete_depts)]
CampaignOpt = Annotated[list[str], typer.Option(
    "--campaign", "-c", help="Campaign: number (4), id (coal-mine) or part of the title (煤矿); repeatable.",
    autocompletion=_complete_campaigns)]
BeforeOpt = Annotated[Optional[str], typer.Option("--before", help="Deadline on or before DATE.")]
AfterOpt = Annotated[Optional[str], typer.Option("--after", help="Deadline on or after DATE.")]
WithinOpt = Annotated[Optional[int], typer.Option("--within", help="Deadline within DAYS of --as-of.")]
StatusOpt = Annotated[list[str], typer.Option(
    "--status", "-s", help="not_started, in_progress, done or blocked (repeatable).")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", help="The date 'today' means for overdue and days left (default: today).")]
WarnOpt = Annotated[int, typer.Option("--warn", help="Days before a deadline that turn it yellow.")]
def _check_format(value: str) -> str:
    from .render import FORMATS

    if value not in FORMATS:
        from .errors import UsageError

        raise UsageError(f"unknown format '{value}' (use one of: {', '.join(FORMATS)})")
    return value


FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table, json, csv, tsv or ids.", callback=_check_format)]
WideOpt = Annotated[bool, typer.Option("--wide", "-w", help="Full text and all departments.")]


def _as_of(text: str | None, option: str = "--as-of"):
    import datetime as dt

    from .dates import parse_user_date

    return parse_user_date(text, option) if text else dt.date.today()


def _listing(kind: str, data, dept, campaign, before, after, within, status, as_of, warn,
             fmt, wide) -> None:
    from . import query, render
    from .dates import parse_user_date

    registry = _registry(data)
    filters = query.make_filters(
        registry, as_of=_as_of(as_of), depts=dept, campaigns=campaign,
        before=parse_user_date(before, "--before") if before else None,
        after=parse_user_date(after, "--after") if after else None,
        within=within, statuses=status)
    views = query.select(registry, kind, filters)
    who = f" for {'、'.join(filters.departments)}" if filters.departments else ""
    red = sum(v.overdue(filters.as_of) for v in views)
    title = (f"{kind}: {len(views)} item(s){who} as of {filters.as_of.isoformat()}"
             f" ({red} overdue)")
    render.item_listing(views, fmt, filters.as_of, warn, title, wide)


@app.command()
def due(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
        after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
        as_of: AsOfOpt = None, warn: WarnOpt = 30, format: FormatOpt = "table",
        wide: WideOpt = False, data: DataOpt = None) -> None:
    """Open (not done) items with their deadlines, soonest first.

    Example: safetylist due --dept 市应急管理局 --as-of 2022-06-01
    """
    _listing("due", data, dept, campaign, before, after, within, status, as_of, warn, format, wide)


@app.command()
def overdue(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
            after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
            as_of: AsOfOpt = None, warn: WarnOpt = 30, format: FormatOpt = "table",
            wide: WideOpt = False, data: DataOpt = None) -> None:
    """Open items whose deadline has passed, oldest first.

    Example: safetylist overdue --as-of 2023-01-01 --campaign 煤矿
    """
    _listing("overdue", data, dept, campaign, before, after, within, status, as_of, warn, format, wide)


@app.command()
def unassigned(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
               after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
               as_of: AsOfOpt = None, warn: WarnOpt = 30, format: FormatOpt = "table",
               wide: WideOpt = False, data: DataOpt = None) -> None:
    """Items of tasks that name no responsible department.

    Example: safetylist unassigned --format ids
    """
    _listing("unassigned", data, dept, campaign, before, after, within, status, as_of, warn,
             format, wide)


@app.command("list")
def list_(dept: DeptOpt = [], campaign: CampaignOpt = [], before: BeforeOpt = None,
          after: AfterOpt = None, within: WithinOpt = None, status: StatusOpt = [],
          as_of: AsOfOpt = None, warn: WarnOpt = 30, format: FormatOpt = "table",
          wide: WideOpt = False, data: DataOpt = None) -> None:
    """Every item that matches the filters, whatever its status, in id order.

    Example: safetylist list --campaign 4 --format json
    """
    _listing("list", data, dept, campaign, before, after, within, status, as_of, warn, format, wide)


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A task (4.15) or an item (4.15.2).",
                                         autocompletion=_complete_ids)],
    as_of: AsOfOpt = None, format: FormatOpt = "table", data: DataOpt = None,
) -> None:
    """One task or item in full: text, departments and roles, deadline, status, history, notes.

    Example: safetylist show 4.15.2
    """
    from . import query, render

    registry = _registry(data)
    campaign, task, item = query.find(registry, ident)
    render.show(campaign, task, item, _as_of(as_of), format)


@app.command()
def campaigns(as_of: AsOfOpt = None, format: FormatOpt = "table", data: DataOpt = None) -> None:
    """The campaigns (0: the notice's standing requirements; 1-13) with counts and progress.

    Example: safetylist campaigns --as-of 2022-06-30
    """
    from . import query, render

    registry = _registry(data)
    render.campaigns(registry, query.all_items(registry), _as_of(as_of), format)


@app.command()
def depts(
    name: Annotated[Optional[str], typer.Argument(help="Show how NAME resolves.",
                                                  autocompletion=_complete_depts)] = None,
    format: FormatOpt = "table", data: DataOpt = None,
) -> None:
    """The departments and groups with aliases, groups and open items; or how NAME resolves.

    Example: safetylist depts 孝义应急
    """
    from . import render

    registry = _registry(data)
    resolved = registry.directory.resolve(name) if name is not None else None
    render.departments(registry, resolved, format)


@app.command()
def summary(
    month: Annotated[str, typer.Option("--month", "-m", help="The month, YYYY-MM.")],
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The report date (default: the month's last day).")] = None,
    dept: Annotated[Optional[str], typer.Option(
        "--dept", "-d", help="Narrow the whole summary to one department and its groups.",
        autocompletion=_complete_depts)] = None,
    stale_days: Annotated[int, typer.Option(
        "--stale-days", help="Open items with no report for this many days are stale.")] = 60,
    format: Annotated[str, typer.Option("--format", "-f", help="md, json or csv.")] = "md",
    section: Annotated[Optional[str], typer.Option(
        "--section", help="With --format csv: only this section.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout.")] = None,
    data: DataOpt = None,
) -> None:
    """The monthly summary: progress per campaign and department, completed work, problems,
    overdue, due next month and stale items.

    Example: safetylist summary --month 2022-06 --output reports/2022-06.md
    """
    import json

    from . import report
    from .errors import UsageError

    if format not in ("md", "json", "csv"):
        raise UsageError(f"unknown format '{format}' (use md, json or csv)")
    if section is not None and (format != "csv" or section not in report.SECTIONS):
        raise UsageError(f"--section goes with --format csv and takes one of: "
                         f"{', '.join(report.SECTIONS)}")
    registry = _registry(data)
    result = report.build(registry, month, _as_of(as_of) if as_of else None,
                          registry.directory.resolve(dept) if dept else None, stale_days)
    if format == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    elif format == "csv":
        text = report.csv_text(result, section)
    else:
        text = report.markdown(result)
    if output is None:
        from .render import is_terminal, visible_lines

        sys.stdout.write(visible_lines(text) if is_terminal(sys.stdout) else text)
        return
    from .store import atomic_write

    if not output.parent.is_dir():
        raise UsageError(f"--output {output}: the folder {output.parent} does not exist")
    atomic_write(output, text)
    sys.stderr.write(f"wrote {output}\n")


# Recording progress ------------------------------------------------------------------

IdArg = Annotated[str, typer.Argument(metavar="ID", help="An item (4.15.2) or a task (4.15: all its items).",
                                      autocompletion=_complete_ids)]
ByOpt = Annotated[Optional[str], typer.Option(
    "--by", help="The reporting department (canonical name, alias or part).",
    autocompletion=_complete_depts)]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="Date of the report (default: today).")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", "-n", help="What was reported.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the diff; write nothing.")]
CommitOpt = Annotated[bool, typer.Option(
    "--commit", envvar="SAFETYLIST_COMMIT",
    help="Commit the changed file with git (also: SAFETYLIST_COMMIT=1).")]


def _write(data, ident: str, make_mutation, dry_run: bool, commit: bool) -> None:
    """Shared by every writing command: resolve, apply under the lock, report."""
    from . import query, render, store

    registry = _registry(data)
    campaign, _task, _item = query.find(registry, ident)
    change = store.apply(registry, campaign.number, make_mutation(registry), dry_run=dry_run)
    if dry_run:
        sys.stdout.write(render.visible_lines(change.diff) if render.is_terminal(sys.stdout)
                         else change.diff)
        return
    sys.stdout.write(render.visible(change.message) + "\n")
    if commit and change.written:
        store.git_commit(change)


PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", help="For a recurring item: the period done (2022-03, 2022-Q1, 2022-H1, 2022, "
    "2022-W11); default: the period holding --date.")]


def _record(data, ident, status, note, by, date, dry_run, commit, period=None) -> None:
    from . import store
    from .models import STATUSES

    if status is not None and status not in STATUSES:
        from .errors import UsageError

        raise UsageError(f"unknown status '{status}' (use one of: {', '.join(STATUSES)})")

    def make(registry):
        who = registry.directory.resolve(by) if by else None
        return store.record(ident.strip(), status, note, who, _as_of(date, "--date"), period)

    _write(data, ident, make, dry_run, commit)


@app.command()
def update(ident: IdArg,
           status: Annotated[Optional[str], typer.Option(
               "--status", "-s", help="not_started, in_progress, done or blocked.")] = None,
           note: NoteOpt = None, by: ByOpt = None, date: DateOpt = None, period: PeriodOpt = None,
           dry_run: DryRunOpt = False, commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Record a report on an item or a task: a history entry with status, note, reporter, date.

    Example: safetylist update 4.15.2 --status in_progress --by 市应急管理局 --note 已部署
    """
    from .errors import UsageError

    if status is None and note is None:
        raise UsageError("update needs --status or --note (or both)")
    _record(data, ident, status, note, by, date, dry_run, commit, period)


@app.command()
def start(ident: IdArg, note: NoteOpt = None, by: ByOpt = None, date: DateOpt = None,
          dry_run: DryRunOpt = False, commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Mark work as in progress.

    Example: safetylist start 4.15 --by 市应急管理局
    """
    _record(data, ident, "in_progress", note, by, date, dry_run, commit)


@app.command()
def done(ident: IdArg, note: NoteOpt = None, by: ByOpt = None, date: DateOpt = None,
         period: PeriodOpt = None, dry_run: DryRunOpt = False, commit: CommitOpt = False,
         data: DataOpt = None) -> None:
    """Mark work as done; on a recurring item, done for one period (it stays open for the next).

    Example: safetylist done 4.15.2 --by 市应急管理局 --note 已完成验收
    """
    _record(data, ident, "done", note, by, date, dry_run, commit, period)


@app.command()
def block(ident: IdArg,
          note: Annotated[str, typer.Option("--note", "-n", help="Why the work is blocked.")],
          by: ByOpt = None, date: DateOpt = None, dry_run: DryRunOpt = False,
          commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Mark work as blocked, saying why (a problem for the monthly report).

    Example: safetylist block 9.15.1 --note 资金未到位 --by 市住建局
    """
    _record(data, ident, "blocked", note, by, date, dry_run, commit)


@app.command()
def note(ident: IdArg, text: Annotated[str, typer.Argument(help="The note.")],
         by: ByOpt = None, date: DateOpt = None, dry_run: DryRunOpt = False,
         commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Add a note to an item's history without changing its status.

    Example: safetylist note 4.15.2 "已召开推进会" --by 市应急管理局
    """
    _record(data, ident, None, text, by, date, dry_run, commit)


RoleOpt = Annotated[Optional[str], typer.Option(
    "--role", help="lead, support, supervise or implement.")]


def _assign(data, ident, dept, role, by, date, dry_run, commit, remove) -> None:
    from . import store
    from .errors import UsageError
    from .models import ROLES

    if len(ident.strip().split(".")) != 2:
        raise UsageError(f"'{ident}' is not a task id: assign works on tasks (4.15)")
    if role is not None and role not in ROLES:
        raise UsageError(f"unknown role '{role}' (use one of: {', '.join(ROLES)})")

    def make(registry):
        who = registry.directory.resolve(by) if by else None
        return store.assign(ident.strip(), registry.directory.resolve(dept), role,
                            _as_of(date, "--date"), who, remove=remove)

    _write(data, ident, make, dry_run, commit)


@app.command("assign")
def assign_(ident: Annotated[str, typer.Argument(metavar="TASK", help="A task id (2.4).",
                                                 autocompletion=_complete_ids)],
            dept: Annotated[str, typer.Option("--dept", "-d", help="The department or group.",
                                              autocompletion=_complete_depts)],
            role: RoleOpt = None, by: ByOpt = None, date: DateOpt = None,
            dry_run: DryRunOpt = False, commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Give a task a responsible department, such as one the notice left unassigned.

    Example: safetylist assign 2.4 --dept 市应急管理局 --role lead --by 市政府安委办
    """
    _assign(data, ident, dept, role, by, date, dry_run, commit, remove=False)


@app.command()
def unassign(ident: Annotated[str, typer.Argument(metavar="TASK", help="A task id (2.4).",
                                                  autocompletion=_complete_ids)],
             dept: Annotated[str, typer.Option("--dept", "-d", help="The department or group.",
                                               autocompletion=_complete_depts)],
             by: ByOpt = None, date: DateOpt = None, dry_run: DryRunOpt = False,
             commit: CommitOpt = False, data: DataOpt = None) -> None:
    """Remove a responsible department from a task.

    Example: safetylist unassign 2.4 --dept 市应急管理局
    """
    _assign(data, ident, dept, None, by, date, dry_run, commit, remove=True)


@app.command()
def log(ident: Annotated[Optional[str], typer.Argument(
            metavar="[ID]", help="A campaign (4), task (4.15) or item (4.15.2).",
            autocompletion=_complete_ids)] = None,
        dept: Annotated[Optional[str], typer.Option(
            "--dept", "-d", help="Entries on work the department sees, or that it reported.",
            autocompletion=_complete_depts)] = None,
        since: Annotated[Optional[str], typer.Option("--since", help="Entries on or after DATE.")] = None,
        format: FormatOpt = "table", data: DataOpt = None) -> None:
    """The recorded history, newest first.

    Example: safetylist log 4.15 --since 2022-06-01
    """
    from . import query, render
    from .dates import parse_user_date

    registry = _registry(data)
    entries = query.history(registry, ident, registry.directory.resolve(dept) if dept else None,
                            parse_user_date(since, "--since") if since else None)
    render.history(entries, format)


@app.command()
def fmt(files: Annotated[Optional[list[Path]], typer.Argument(
            help="Campaign files (default: all of tasks/).", show_default=False)] = None,
        check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file "
                                            "is not in the canonical layout.")] = False,
        data: DataOpt = None) -> None:
    """Rewrite campaign files in the canonical layout (or check that they are).

    Example: safetylist fmt --check
    """
    from . import store
    from .registry import campaign_paths, display_path
    from .store import registry_lock

    registry = _registry_for_fmt(data)
    known = campaign_paths(registry.root)[0]
    paths = known
    if files:
        # fmt rewrites registry files only: never a file outside the tasks/ folder.
        real = {p.resolve(): p for p in known}
        outside = [f for f in files if f.resolve() not in real]
        if outside:
            from .errors import UsageError

            raise UsageError(f"{outside[0]} is not a campaign file of the registry at "
                             f"{display_path(registry.root)}; fmt rewrites only files in its tasks/ folder")
        paths = [real[f.resolve()] for f in files]
    results = []
    lock = registry_lock(registry.root) if not check else _nullcontext()
    with lock:
        for path in paths:
            results.append(store.format_file(path, registry, check))
    changed = [r for r in results if r.changed]
    for r in changed:
        shown = display_path(r.path)
        verb = "would reformat" if check else "reformatted"
        sys.stdout.write(f"{verb} {shown}\n")
        for line in r.dropped_comments:
            sys.stderr.write(f"{shown}:{line}:1: warning: comment "
                             f"{'would be' if check else 'was'} dropped by the canonical layout\n")
    sys.stdout.write(f"{len(changed)} of {len(results)} file(s) "
                     f"{'not in the canonical layout' if check else 'reformatted'}\n")
    if check and changed:
        raise typer.Exit(1)


def _nullcontext():
    import contextlib

    return contextlib.nullcontext()


def _registry_for_fmt(data):
    """The registry's directory and files, accepting files that are not yet canonical."""
    from .registry import find_data_dir, load
    from .errors import InvalidData

    registry, problems = load(find_data_dir(data))
    if registry is None:
        raise InvalidData("departments.yaml has errors (`safetylist check` lists them)",
                          [p for p in problems if p.level == "error"])
    return registry


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def main() -> None:
    """The console script. A run needs only its own command: typer inspects the signature of
    every registered command when it starts, so the app it runs holds just that one (about
    25 ms saved on each run); help, completion and anything else get the whole app."""
    import gc

    # A short run over a large registry makes hundreds of thousands of objects and no
    # cycles worth collecting; the cyclic collector would rescan them all, again and again
    # (cost growing faster than the registry). Reference counting still frees everything.
    gc.disable()
    name = sys.argv[1] if len(sys.argv) > 1 else None
    chosen = [c for c in app.registered_commands if _command_name(c) == name]
    if not chosen:
        app()
        return
    lean = typer.Typer(**APP_SETTINGS)  # type: ignore[arg-type]
    lean.registered_callback = app.registered_callback
    lean.registered_commands = chosen
    lean()
