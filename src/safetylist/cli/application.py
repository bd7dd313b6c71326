"""The Typer application the commands register on, and the one place where a user error
(``SafetylistError``) becomes one message on stderr and its exit code: ``_Group.invoke``.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import SafetylistError


class _Group(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            _refuse_undecodable([*getattr(ctx, "protected_args", []), *ctx.args])
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader stopped reading (`… | head`): that is not a failure of ours.
            silence_stdout()
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


def silence_stdout() -> None:
    """Point stdout at the null device: its reader is gone, and what is left to flush would
    fail again at exit."""
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
