"""Git: the merge driver for campaign files, and the one line of configuration it needs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .application import app
from .options import DataOpt

DRIVER = "safetylist merge-file %O %A %B %P --marker-size %L"
ATTRIBUTE = "merge=safetylist"


@app.command("merge-file")
def merge_file(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (git's %O).")],
    ours: Annotated[Path, typer.Argument(help="Our version (git's %A); the result is written here.")],
    theirs: Annotated[Path, typer.Argument(help="Their version (git's %B).")],
    path: Annotated[str | None, typer.Argument(
        help="The file's path in the repository (git's %P): where its registry is.")] = None,
    marker_size: Annotated[int, typer.Option(
        "--marker-size", min=1, max=100, help="Length of the conflict markers (git's %L).")] = 7,
) -> None:
    """Merge two versions of a campaign file item by item (git's merge driver): history that
    both sides added is kept, every entry once; a true conflict (the same field of the
    campaign, a task or an item changed differently) is left between git's conflict markers
    around the lines that differ, and then the exit is 1. A version that cannot be read as
    a campaign file is merged line by line, as git would.

    Example: safetylist merge-file %O %A %B %P --marker-size %L   (set up by `safetylist install-git`)
    """
    from .. import render
    from ..merge import MergeRefused, merge_files
    from ..registry import load_directory
    from ..store import atomic_write

    where = Path(path) if path else ours
    try:
        texts = [_read(p) for p in (base, ours, theirs)]
        directory, problems, _raw = load_directory(where.resolve().parent.parent)  # <registry>/tasks/<file>
        if directory is None:
            raise MergeRefused(f"{where}: no registry (departments.yaml) two folders up; the merge "
                               "driver needs the file's path in the repository (%P)", problems)
        merged = merge_files(texts[0], texts[1], texts[2], where, directory, marker_size)
    except MergeRefused as exc:
        render.problems(exc.problems)
        sys.stderr.write(f"safetylist: warning: {render.visible(exc.message)}: merged line by line\n")
        raise typer.Exit(_line_merge(base, ours, theirs, marker_size)) from None
    atomic_write(ours, merged.text)
    for conflict in merged.conflicts:
        sys.stderr.write(f"{where}: conflict: {render.visible(conflict)}\n")
    if merged.conflicts:
        raise typer.Exit(1)


def _read(path: Path) -> str:
    from ..merge import MergeRefused

    try:
        return path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise MergeRefused(f"{path}: cannot read it as UTF-8 text ({exc})") from None


def _line_merge(base: Path, ours: Path, theirs: Path, marker_size: int) -> int:
    """git's own line-by-line merge into ``ours``: 0 when clean, 1 when it left conflicts."""
    import subprocess

    run = subprocess.run(["git", "merge-file", f"--marker-size={marker_size}", "-L", "ours",
                          "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs)],
                         capture_output=True, text=True)
    return 0 if run.returncode == 0 else 1


@app.command("install-git")
def install_git(data: DataOpt = None) -> None:
    """Set up this git repository to merge campaign files with safetylist (one `git config`
    line: merge.safetylist.driver), as .gitattributes' merge=safetylist asks. Warns, on
    stderr, when .gitattributes does not mark the registry's campaign files so, with the line
    to add (the exit is still 0: the configuration is made).

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
    for warning in (_attributes_warning(data), _path_warning()):
        if warning:
            from .. import render

            sys.stderr.write(f"safetylist: warning: {render.visible(warning)}\n")


def _path_warning() -> str | None:
    """git runs the driver as ``safetylist`` from its PATH: say so when that is not there
    (a virtual environment not activated), or is another installation than this one."""
    import shutil

    found = shutil.which("safetylist")
    if found is None:
        return ("`safetylist` is not on this PATH, so git cannot run the driver and will leave "
                "campaign files unmerged; activate the environment safetylist is installed in "
                "(or put its scripts folder on PATH) before merging")
    return None


def _attributes_warning(data: Path | None) -> str | None:
    """What is missing when git would not hand the registry's campaign files to the driver
    (no ``merge=safetylist`` for them in .gitattributes), and the line that adds it."""
    import subprocess

    from ..errors import DataNotFound
    from ..registry import find_data_dir

    try:
        tasks = (find_data_dir(data) / "tasks").resolve()
    except DataNotFound as exc:
        return f"could not check that .gitattributes marks the campaign files {ATTRIBUTE}: {exc.message}"
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=tasks, capture_output=True,
                         text=True)
    if top.returncode != 0:
        return (f"{tasks} is not in this git repository: git will not use the driver for its "
                "campaign files")
    folder = tasks.relative_to(Path(top.stdout.strip()).resolve()).as_posix()
    files = sorted(p.name for p in tasks.iterdir() if p.suffix in (".yaml", ".yml")) or ["campaign.yaml"]
    said = subprocess.run(["git", "check-attr", "-z", "merge", "--", *files], cwd=tasks,
                          capture_output=True, text=True).stdout.split("\0")
    values = dict(zip(said[0::3], said[2::3]))  # path, attribute, value; each path as given
    lacking = [name for name in files if values.get(name) != "safetylist"]
    if not lacking:
        return None
    which = ("its campaign files" if len(lacking) == len(files)
             else "campaign file(s) " + ", ".join(f"{folder}/{name}" for name in lacking))
    return (f".gitattributes does not mark {which} {ATTRIBUTE}, so git merges them line by "
            f"line and never runs the driver; add this line to the .gitattributes at the "
            f"repository's top, and commit it: {folder}/*.yaml {ATTRIBUTE}")
