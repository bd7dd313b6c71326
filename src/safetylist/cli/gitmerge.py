"""Git: the merge driver for campaign files, and the one line of configuration it needs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .application import app

DRIVER = "safetylist merge-file %O %A %B %P"


@app.command("merge-file")
def merge_file(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (git's %O).")],
    ours: Annotated[Path, typer.Argument(help="Our version (git's %A); the result is written here.")],
    theirs: Annotated[Path, typer.Argument(help="Their version (git's %B).")],
    path: Annotated[str | None, typer.Argument(
        help="The file's path in the repository (git's %P): where its registry is.")] = None,
) -> None:
    """Merge two versions of a campaign file item by item (git's merge driver): history that
    both sides added is kept, every entry once; only a true conflict (the same item's text, or
    the same task's departments, changed differently) is marked, and then the exit is 1.

    Example: safetylist merge-file %O %A %B %P   (set up by `safetylist install-git`)
    """
    from ..errors import UsageError
    from ..merge import merge_files
    from ..registry import load_directory
    from ..store import atomic_write

    where = Path(path) if path else ours
    root = where.resolve().parent.parent  # <registry>/tasks/<file>
    directory, problems, _raw = load_directory(root)
    if directory is None:
        raise UsageError(f"{where}: no registry (departments.yaml) two folders up; the merge "
                         "driver needs the file's path in the repository (%P)")
    texts = []
    for p in (base, ours, theirs):
        try:
            texts.append(p.read_bytes().decode("utf-8").replace("\r\n", "\n"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{p}: cannot read it as UTF-8 text ({exc})") from None
    merged = merge_files(texts[0], texts[1], texts[2], where, directory)
    atomic_write(ours, merged.text)
    for conflict in merged.conflicts:
        sys.stderr.write(f"{where}: conflict: {conflict} changed differently on both sides\n")
    if merged.conflicts:
        raise typer.Exit(1)


@app.command("install-git")
def install_git() -> None:
    """Set up this git repository to merge campaign files with safetylist (one `git config`
    line: merge.safetylist.driver), as .gitattributes' merge=safetylist asks.

    Example: safetylist install-git
    """
    import subprocess

    from ..errors import UsageError

    commands = [["git", "config", "merge.safetylist.name", "safetylist: campaign files, item by item"],
                ["git", "config", "merge.safetylist.driver", DRIVER]]
    for command in commands:
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)
        except FileNotFoundError:
            raise UsageError("install-git needs git, which is not installed") from None
        except subprocess.CalledProcessError as exc:
            said = " ".join((exc.stderr or exc.stdout or "").split())
            raise UsageError(f"git config failed: {said}; run it inside the repository") from None
    sys.stdout.write(f"git config merge.safetylist.driver '{DRIVER}'\n")
