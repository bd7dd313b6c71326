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


app = typer.Typer(
    cls=_Group,
    help="safetylist: the 2022 work-safety task list (吕安办发〔2022〕19号) as a registry.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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
FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table, json, csv, tsv or ids.")]
WideOpt = Annotated[bool, typer.Option("--wide", "-w", help="Full text and all departments.")]


def _as_of(text: str | None):
    import datetime as dt

    from .dates import parse_user_date

    return parse_user_date(text, "--as-of") if text else dt.date.today()


def _listing(kind: str, data, dept, campaign, before, after, within, status, as_of, warn,
             fmt, wide) -> None:
    from . import query, render
    from .dates import parse_user_date
    from .errors import UsageError

    if fmt not in render.FORMATS:
        raise UsageError(f"unknown format '{fmt}' (use one of: {', '.join(render.FORMATS)})")
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
    """The 13 campaigns with item counts and progress.

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


def main() -> None:
    app()
