"""The command line: parse arguments, call the core, render. Nothing else.

``application`` holds the Typer app and turns user errors into messages and exit codes;
``options`` the options the commands share; this module the console script, ``main``.
The commands are in ``ask`` (queries), ``monthly`` (the summary), ``record`` (writes),
``correct`` (undo), ``office`` (the ledger out and back in), ``newlist`` (a new registry:
init, import-notice) and ``gitmerge`` (the merge driver). Each registers its commands on the
app when imported, in the order of ``MODULES``, the order ``--help`` lists them. A run imports
only its own command's module (``COMMAND_MODULE``); ``safetylist.cli.app`` is the whole app.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from .application import APP_SETTINGS, silence_stdout

if TYPE_CHECKING:
    from typer.models import CommandInfo

    from .application import app

__all__ = ["app", "main"]

MODULES = ("ask", "monthly", "record", "correct", "office", "newlist", "gitmerge")
# Each command's module: a run imports just that one (the others would cost a few ms of every
# start-up). tests/test_console_script.py holds this table to what the modules register; a
# command missing here still runs, with every module imported.
COMMAND_MODULE = {
    **dict.fromkeys(("check", "due", "overdue", "unassigned", "list", "search", "show",
                     "campaigns", "depts"), "ask"),
    "summary": "monthly",
    **dict.fromkeys(("update", "start", "done", "block", "note", "assign", "unassign", "log",
                     "fmt"), "record"),
    "undo": "correct",
    "export": "office", "import": "office",
    "init": "newlist", "import-notice": "newlist",
    "merge-file": "gitmerge", "install-git": "gitmerge",
}


def _register(modules: tuple[str, ...] = MODULES) -> Any:
    """Import command modules (each registers its commands on the app); the app."""
    from importlib import import_module

    for module in modules:
        import_module(f"{__name__}.{module}")
    from .application import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from safetylist.cli import app``: the app with every command
        return _register()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    own = COMMAND_MODULE.get(name or "")
    app = _register((own,) if own else MODULES)
    chosen = [c for c in app.registered_commands if _command_name(c) == name]
    if own and not chosen:  # the table is out of date: every module, as for --help
        app = _register()
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
        silence_stdout()
    sys.exit(code)
