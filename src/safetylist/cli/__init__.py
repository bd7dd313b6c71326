"""The command line: parse arguments, call the core, render. Nothing else.

This module holds the app, the options the commands share and the console script;
the commands are in ``ask`` (queries), ``monthly`` (the summary) and ``record`` (writes).

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

from .. import __version__
from ..errors import SafetylistError


class _Group(TyperGroup):
    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SafetylistError as exc:
            from .. import render

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


# Shared by the commands --------------------------------------------------------------------------


def _registry(data: Path | None):
    from ..registry import find_data_dir, open_registry

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
    "--status", "-s", help="not_started, in_progress, done or blocked, or 未开始, 进行中, "
    "已完成 (完成), 受阻 (repeatable).")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", help="The date 'today' means for overdue and days left (default: today).")]
WarnOpt = Annotated[int, typer.Option("--warn", help="Days before a deadline that turn it yellow.")]
def _check_format(value: str) -> str:
    from ..render import FORMATS

    if value not in FORMATS:
        from ..errors import UsageError

        raise UsageError(f"unknown format '{value}' (use one of: {', '.join(FORMATS)})")
    return value


FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table, json, csv, tsv or ids.", callback=_check_format)]
WideOpt = Annotated[bool, typer.Option("--wide", "-w", help="Full text and all departments.")]


GrepOpt = Annotated[list[str], typer.Option(
    "--grep", "-g", help="Only items whose text, campaign title, departments or notes hold TEXT "
    "(repeatable: all must match; full-/half-width and traditional/simplified alike).")]


def _as_of(text: str | None, option: str = "--as-of", year=None):
    """The date typed for ``option``, or today when the option was not given (an empty
    value is refused, not read as today). ``year`` completes a date written without one."""
    import datetime as dt

    from ..dates import parse_user_date

    return dt.date.today() if text is None else parse_user_date(text, option, year)


def _period_year(registry):
    """The year a date written without one (6月底) takes when no --as-of gives one."""
    from ..typed import registry_year

    return lambda: registry_year(registry)


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


# The commands register themselves on ``app``, in the order ``--help`` lists them.
from . import ask, monthly, record, correct  # noqa: E402,F401
