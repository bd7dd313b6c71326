"""The command line: parse arguments, call the core, render. Nothing else.

This module holds the app, the options the commands share and the console script;
the commands are in ``ask`` (queries), ``monthly`` (the summary), ``record`` (writes),
``correct`` (undo), ``office`` (the ledger out and back in) and ``newlist`` (a new registry:
init, import-notice).

User errors (``SafetylistError``) become one message on stderr and their exit
code in one place, ``_Group.invoke``; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, cast

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import SafetylistError

if TYPE_CHECKING:  # annotations only: nothing of these is imported at start-up
    import datetime as dt

    from typer.models import CommandInfo

    from ..dates import YearSource
    from ..registry import Registry


class _Group(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            _refuse_undecodable([*getattr(ctx, "protected_args", []), *ctx.args])
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader stopped reading (`… | head`): that is not a failure of ours.
            _silence_stdout()
            raise typer.Exit(0) from None
        except SafetylistError as exc:
            from .. import render

            if exc.problems:
                render.problems(exc.problems)
            sys.stderr.write(f"safetylist: error: {render.visible(exc.message)}\n")
            raise typer.Exit(exc.exit_code) from None
        finally:
            _say_warnings()


def _refuse_undecodable(args: list[str]) -> None:
    """Arguments whose bytes were not UTF-8 (a GBK terminal) reach Python as lone surrogates:
    refuse them before they can reach a file."""
    encoding = sys.getfilesystemencoding()
    for arg in args:
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            raw = arg.encode(encoding, "surrogateescape")
            try:
                raw.decode("utf-8")
                continue  # UTF-8 bytes under a non-UTF-8 locale (LC_ALL=C): a path still works
            except UnicodeDecodeError:
                pass
            from ..errors import UsageError

            shown = raw.decode("utf-8", "backslashreplace")
            raise UsageError(f"'{shown}' is not UTF-8 text (the terminal sent other bytes, e.g. "
                             "GBK); switch the terminal to UTF-8 (Windows: `chcp 65001`; Linux: "
                             "LANG=zh_CN.UTF-8) and type it again")


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing left to flush


def _say_warnings() -> None:
    """What the core noticed on the way and the user should hear once (e.g. an unsafe cache)."""
    from .. import cache

    while cache.warnings:
        sys.stderr.write(f"safetylist: warning: {cache.warnings.pop(0)}\n")


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
    Path | None,
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


def _registry(data: Path | None) -> Registry:
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
BeforeOpt = Annotated[str | None, typer.Option("--before", help="Deadline on or before DATE.")]
AfterOpt = Annotated[str | None, typer.Option("--after", help="Deadline on or after DATE.")]
WithinOpt = Annotated[int | None, typer.Option("--within", help="Deadline within DAYS of --as-of.")]
StatusOpt = Annotated[list[str], typer.Option(
    "--status", "-s", help="not_started, in_progress, done or blocked, or 未开始, 进行中, "
    "已完成 (完成), 受阻 (repeatable).")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="The date 'today' means for overdue and days left (default: today).")]
WarnOpt = Annotated[int, typer.Option("--warn", help="Days before a deadline that turn it yellow.")]
def _format_checker(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            from ..errors import UsageError

            raise UsageError(f"unknown format '{value}' for this command (use one of: "
                             f"{', '.join(allowed)})")
        return value

    return check


_LISTING_FORMATS = ("table", "json", "csv", "tsv", "ids")
FormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table, json, csv, tsv or ids.", callback=_format_checker(_LISTING_FORMATS))]
ShowFormatOpt = Annotated[str, typer.Option(
    "--format", "-f", help="table or json.", callback=_format_checker(("table", "json")))]
WideOpt = Annotated[bool, typer.Option("--wide", "-w", help="Full text and all departments.")]
BomOpt = Annotated[bool, typer.Option(
    "--bom", help="With --format csv: UTF-8 with a byte-order mark and CRLF, as Excel on "
    "Chinese Windows opens it.")]


def _csv_stream(bom: bool, fmt: str) -> TextIO | None:
    """stdout, or for ``--bom`` a stream that writes CSV the way Excel reads it."""
    if not bom:
        return None
    if fmt != "csv":
        from ..errors import UsageError

        raise UsageError(f"--bom goes with --format csv (not {fmt})")
    from ..render import ExcelStream

    return cast("TextIO", ExcelStream(sys.stdout))  # it writes as a TextIO does


GrepOpt = Annotated[list[str], typer.Option(
    "--grep", "-g", help="Only items whose text, campaign title, departments or notes hold TEXT "
    "(repeatable: all must match; full-/half-width and traditional/simplified alike).")]


def _as_of(text: str | None, option: str = "--as-of", year: YearSource = None) -> dt.date:
    """The date typed for ``option``, or today when the option was not given (an empty
    value is refused, not read as today). ``year`` completes a date written without one."""
    import datetime

    from ..dates import parse_user_date

    return datetime.date.today() if text is None else parse_user_date(text, option, year)


def _period_year(registry: Registry) -> Callable[[], int]:
    """The year a date written without one (6月底) takes when no --as-of gives one."""
    from ..typed import registry_year

    return lambda: registry_year(registry)


def _command_name(info: CommandInfo) -> str:
    return info.name or getattr(info.callback, "__name__", "").replace("_", "-")


def _tolerant_output() -> None:
    """On a console or a redirect whose encoding cannot hold every character (cp936/GBK, as
    a Windows office PC redirects by default; ascii), print those characters as ``\\uXXXX``
    escapes instead of failing with UnicodeEncodeError."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            narrow = not codecs.lookup(encoding).name.startswith("utf")
        except LookupError:
            narrow = True
        # surrogateescape is Python's choice for the C locale; it fails on any other character
        failing = getattr(stream, "errors", None) in ("strict", "surrogateescape")
        if narrow and failing and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    """The console script. A run needs only its own command: typer inspects the signature of
    every registered command when it starts, so the app it runs holds just that one (about
    25 ms saved on each run); help, completion and anything else get the whole app."""
    import gc

    # A short run over a large registry makes hundreds of thousands of objects and no
    # cycles worth collecting; the cyclic collector would rescan them all, again and again
    # (cost growing faster than the registry). Reference counting still frees everything.
    gc.disable()
    _tolerant_output()
    name = sys.argv[1] if len(sys.argv) > 1 else None
    chosen = [c for c in app.registered_commands if _command_name(c) == name]
    runner = app
    if chosen:
        runner = typer.Typer(**APP_SETTINGS)  # type: ignore[arg-type]
        runner.registered_callback = app.registered_callback
        runner.registered_commands = chosen
    try:
        runner()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    try:
        sys.stdout.flush()  # here, not at interpreter exit, so a closed pipe is handled
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(code)


# The commands register themselves on ``app``, in the order ``--help`` lists them.
from . import ask, monthly, record, correct  # noqa: E402,F401
from . import office  # noqa: E402,F401
from . import newlist  # noqa: E402,F401
from . import gitmerge  # noqa: E402,F401
