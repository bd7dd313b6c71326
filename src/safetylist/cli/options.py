"""What the commands share: their options and arguments (``DataOpt``, ``DeptOpt``,
``FormatOpt``, …), defined once, and the few steps every command takes with them (the
registry ``--data`` names, a typed date, the CSV stream ``--bom`` asks for).

Nothing here is imported at start-up beyond typer: the core's modules are imported inside
the functions that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, cast

import typer

if TYPE_CHECKING:  # annotations only: nothing of these is imported at start-up
    import datetime as dt

    from ..dates import YearSource
    from ..registry import Registry


def registry_from(data: Path | None, departments: Sequence[str] = ()) -> Registry:
    """The registry ``--data`` names, else the one found from here (``find_data_dir``);
    with ``departments``, loaded for a listing of their work only (``registry.load``)."""
    from ..registry import find_data_dir, open_registry

    return open_registry(find_data_dir(data), departments)


def typed_date(text: str | None, option: str = "--as-of", year: YearSource = None) -> dt.date:
    """The date typed for ``option``, or today when the option was not given (an empty
    value is refused, not read as today). ``year`` completes a date written without one."""
    import datetime

    from ..dates import parse_user_date

    return datetime.date.today() if text is None else parse_user_date(text, option, year)


def period_year(registry: Registry) -> Callable[[], int]:
    """The year a date written without one (6月底) takes when no --as-of gives one."""
    from ..typed import registry_year

    return lambda: registry_year(registry)


def csv_stream(bom: bool, fmt: str) -> TextIO | None:
    """stdout, or for ``--bom`` a stream that writes CSV the way Excel reads it."""
    if not bom:
        return None
    if fmt != "csv":
        from ..errors import UsageError

        raise UsageError(f"--bom goes with --format csv (not {fmt})")
    from ..render import ExcelStream

    return cast("TextIO", ExcelStream(sys.stdout))  # it writes as a TextIO does


# Completion: what the shell offers after a TAB. It must never fail loudly.


def complete_depts(incomplete: str) -> list[str]:
    try:
        directory = registry_from(None).directory
    except Exception:
        return []
    names = sorted([*directory.entries, *directory.aliases])
    return [n for n in names if n.startswith(incomplete)] or [n for n in names if incomplete in n]


def complete_campaigns(incomplete: str) -> list[str]:
    try:
        campaigns = registry_from(None).campaigns
    except Exception:
        return []
    values = [str(c.number) for c in campaigns] + [c.id for c in campaigns]
    return [v for v in values if v.startswith(incomplete)]


def complete_ids(incomplete: str) -> list[str]:
    try:
        campaigns = registry_from(None).campaigns
    except Exception:
        return []
    ids = [x for c in campaigns for t in c.tasks for x in [t.id, *(i.id for i in t.items)]]
    return [i for i in ids if i.startswith(incomplete)]


def _format_checker(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            from ..errors import UsageError

            raise UsageError(f"unknown format '{value}' for this command (use one of: "
                             f"{', '.join(allowed)})")
        return value

    return check


def _id_text(value: str | None) -> str | None:
    """An id as typed (４．１５。２) in its plain form (4.15.2), before anything uses it."""
    from ..typed import item_id

    return None if value is None else item_id(value)


# Every command -------------------------------------------------------------------------------

DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Registry folder (holds tasks/ and departments.yaml). "
                 "Default: $SAFETYLIST_DATA, else the nearest data/ upward.", show_default=False),
]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="The date 'today' means for overdue and days left (default: today).")]
BomOpt = Annotated[bool, typer.Option(
    "--bom", help="With --format csv: UTF-8 with a byte-order mark and CRLF, as Excel on "
    "Chinese Windows opens it.")]

# Listings: filters and output ----------------------------------------------------------------

DeptOpt = Annotated[list[str], typer.Option(
    "--dept", "-d", help="Department: canonical name, alias or unambiguous part (repeatable). "
    "Shows its own work and its groups' work.", autocompletion=complete_depts)]
CampaignOpt = Annotated[list[str], typer.Option(
    "--campaign", "-c", help="Campaign: number (4), id (coal-mine) or part of the title (煤矿); repeatable.",
    autocompletion=complete_campaigns)]
BeforeOpt = Annotated[str | None, typer.Option("--before", help="Deadline on or before DATE.")]
AfterOpt = Annotated[str | None, typer.Option("--after", help="Deadline on or after DATE.")]
WithinOpt = Annotated[int | None, typer.Option("--within", help="Deadline within DAYS of --as-of.")]
StatusOpt = Annotated[list[str], typer.Option(
    "--status", "-s", help="not_started, in_progress, done or blocked, or 未开始, 进行中, "
    "已完成 (完成), 受阻 (repeatable).")]
GrepOpt = Annotated[list[str], typer.Option(
    "--grep", "-g", help="Only items whose text, campaign title, departments or notes hold TEXT "
    "(repeatable: all must match; full-/half-width and traditional/simplified alike).")]
WarnOpt = Annotated[int, typer.Option("--warn", help="Days before a deadline that turn it yellow.")]
FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table, json, csv, tsv or ids.",
    callback=_format_checker(("table", "json", "csv", "tsv", "ids")))]
ShowFormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table or json.", callback=_format_checker(("table", "json")))]
WideOpt = Annotated[bool, typer.Option("--wide", "-w", help="Full text and all departments.")]

# Writes: what is recorded, by whom, and how --------------------------------------------------

IdArg = Annotated[str, typer.Argument(metavar="ID", help="An item (4.15.2) or a task (4.15: all its items).",
                                      autocompletion=complete_ids, callback=_id_text)]
TaskArg = Annotated[str, typer.Argument(metavar="TASK", help="A task id (2.4).",
                                        autocompletion=complete_ids, callback=_id_text)]
ByOpt = Annotated[str | None, typer.Option(
    "--by", help="The reporting department (canonical name, alias or part).",
    autocompletion=complete_depts)]
DateOpt = Annotated[str | None, typer.Option("--date", help="Date of the report (default: today).")]
NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="What was reported.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the diff; write nothing.")]
CommitOpt = Annotated[bool, typer.Option(
    "--commit", envvar="SAFETYLIST_COMMIT",
    help="Commit the changed file with git (also: SAFETYLIST_COMMIT=1).")]
