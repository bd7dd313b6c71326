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


def main() -> None:
    app()
